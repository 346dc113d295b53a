//! Timestamps and dates as the Telnyx API sends them.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use chrono::{FixedOffset, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date without a time of day, as in `2024-03-01`.
///
/// This is [`chrono::NaiveDate`] itself, which reads and writes the
/// `YYYY-MM-DD` form used by the API.
pub type Date = chrono::NaiveDate;

/// A point in time with the UTC offset it was written with.
///
/// It is written as RFC 3339 (`2024-03-01T12:30:00Z`). Besides RFC 3339 it
/// reads the offset-less forms some Telnyx endpoints send, such as
/// `2018-02-02T22:25:27.521992` or `2018-02-02 22:25:27`, as UTC.
///
/// Equality, ordering and hashing compare the instant, so the same moment
/// written with different offsets is equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime(chrono::DateTime<FixedOffset>);

/// Accepted layouts of timestamps without an offset, tried in order.
const OFFSETLESS_FORMATS: [&str; 2] = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"];

impl DateTime {
    /// The current time, in UTC.
    pub fn now() -> Self {
        Self::from(Utc::now())
    }

    /// The underlying `chrono` value.
    pub fn as_chrono(&self) -> &chrono::DateTime<FixedOffset> {
        &self.0
    }

    /// Converts into the underlying `chrono` value.
    pub fn into_chrono(self) -> chrono::DateTime<FixedOffset> {
        self.0
    }

    /// Parses any of the accepted forms; see the type documentation.
    fn parse(text: &str) -> Option<Self> {
        if let Ok(parsed) = chrono::DateTime::parse_from_rfc3339(text) {
            return Some(Self(parsed));
        }
        OFFSETLESS_FORMATS.iter().find_map(|format| {
            let naive = NaiveDateTime::parse_from_str(text, format).ok()?;
            Some(Self(Utc.from_utc_datetime(&naive).fixed_offset()))
        })
    }
}

impl<Tz: TimeZone> From<chrono::DateTime<Tz>> for DateTime {
    fn from(value: chrono::DateTime<Tz>) -> Self {
        Self(value.fixed_offset())
    }
}

impl From<DateTime> for chrono::DateTime<FixedOffset> {
    fn from(value: DateTime) -> Self {
        value.0
    }
}

impl Deref for DateTime {
    type Target = chrono::DateTime<FixedOffset>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

/// The error returned when text is not a timestamp in any accepted form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an RFC 3339 timestamp nor a `YYYY-MM-DD[T ]HH:MM:SS[.fff]` UTC timestamp")]
pub struct ParseDateTimeError(String);

impl FromStr for DateTime {
    type Err = ParseDateTimeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text).ok_or_else(|| ParseDateTimeError(text.to_owned()))
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateTimeVisitor;

        impl Visitor<'_> for DateTimeVisitor {
            type Value = DateTime;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a timestamp string")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<DateTime, E> {
                text.parse().map_err(E::custom)
            }
        }

        deserializer.deserialize_str(DateTimeVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(text: &str) -> Result<DateTime, serde_json::Error> {
        serde_json::from_value(serde_json::Value::String(text.to_owned()))
    }

    #[test]
    fn reads_rfc3339_and_keeps_the_offset() {
        let parsed = decode("2024-03-01T12:30:00.5+02:00").unwrap();
        assert_eq!(parsed.offset().local_minus_utc(), 2 * 3600);
        assert_eq!(parsed, decode("2024-03-01T10:30:00.500Z").unwrap());
    }

    #[test]
    fn reads_offsetless_forms_as_utc() {
        let expected = decode("2018-02-02T22:25:27.521992Z").unwrap();
        assert_eq!(decode("2018-02-02T22:25:27.521992").unwrap(), expected);
        assert_eq!(decode("2018-02-02 22:25:27.521992").unwrap(), expected);
        assert_eq!(
            decode("2018-02-02 22:25:27").unwrap(),
            decode("2018-02-02T22:25:27Z").unwrap()
        );
    }

    #[test]
    fn rejects_garbage() {
        let error = decode("yesterday").unwrap_err().to_string();
        assert!(error.contains("`yesterday`"), "{error}");
        assert!(decode("2018-02-02").is_err());
        assert!(serde_json::from_str::<DateTime>("17").is_err());
    }

    #[test]
    fn writes_rfc3339() {
        let parsed = decode("2018-02-02 22:25:27").unwrap();
        assert_eq!(
            serde_json::to_string(&parsed).unwrap(),
            r#""2018-02-02T22:25:27Z""#
        );
        let offset = decode("2024-03-01T12:30:00.250+02:00").unwrap();
        assert_eq!(offset.to_string(), "2024-03-01T12:30:00.250+02:00");
    }
}
