//! Median and spread of repeated measurements, for the figures timed by
//! the xtask itself rather than by criterion.

use std::time::Duration;

/// Repeated measurements of one figure, in any unit.
pub struct Samples(Vec<f64>);

impl Samples {
    /// `None` when there is nothing to summarize.
    pub fn new(mut values: Vec<f64>) -> Option<Self> {
        if values.is_empty() || values.iter().any(|v| !v.is_finite()) {
            return None;
        }
        values.sort_by(f64::total_cmp);
        Some(Self(values))
    }

    /// Wall or CPU times, as seconds; `None` when there are none.
    pub fn in_seconds(durations: impl IntoIterator<Item = Duration>) -> Option<Self> {
        Self::new(durations.into_iter().map(|d| d.as_secs_f64()).collect())
    }

    /// The middle value; the mean of the two middle ones for an even count.
    pub fn median(&self) -> f64 {
        let n = self.0.len();
        if n % 2 == 1 {
            self.0[n / 2]
        } else {
            (self.0[n / 2 - 1] + self.0[n / 2]) / 2.0
        }
    }

    pub fn min(&self) -> f64 {
        self.0[0]
    }

    pub fn max(&self) -> f64 {
        self.0[self.0.len() - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let odd = Samples::new(vec![3.0, 1.0, 2.0]).unwrap();
        assert_eq!((odd.median(), odd.min(), odd.max()), (2.0, 1.0, 3.0));
        let even = Samples::new(vec![4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!(even.median(), 2.5);
    }

    #[test]
    fn durations_become_seconds() {
        let times = [Duration::from_millis(1500), Duration::from_millis(250)];
        let seconds = Samples::in_seconds(times).unwrap();
        assert_eq!((seconds.min(), seconds.max()), (0.25, 1.5));
        assert!(Samples::in_seconds([]).is_none());
    }

    #[test]
    fn refuses_nothing_and_non_numbers() {
        assert!(Samples::new(Vec::new()).is_none());
        assert!(Samples::new(vec![1.0, f64::NAN]).is_none());
    }
}
