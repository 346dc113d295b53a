//! When a failed attempt is worth repeating and how long to wait first: the
//! policy of Telnyx's official SDKs, kept free of I/O so it can be tested
//! on its own.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// Retries after the first attempt unless the client or request says
/// otherwise, as in the official SDKs.
pub(crate) const DEFAULT_MAX_RETRIES: u32 = 2;

const INITIAL_DELAY: Duration = Duration::from_millis(500);
const MAX_DELAY: Duration = Duration::from_secs(8);
/// A server-suggested wait longer than this is ignored in favour of the
/// backoff, so a misbehaving proxy cannot stall the caller for hours.
const MAX_SUGGESTED_DELAY: Duration = Duration::from_secs(60);
/// The largest share of the backoff that jitter removes.
const MAX_JITTER: f64 = 0.25;

/// Whether a response with `status` should be retried: an explicit
/// `x-should-retry: true`/`false` from the server wins; otherwise request
/// timeouts (408), conflicts (409, often a lock held by a concurrent
/// request), rate limits (429) and server errors (5xx) are retried.
pub(crate) fn should_retry(status: StatusCode, headers: &HeaderMap) -> bool {
    match header_str(headers, "x-should-retry") {
        Some("true") => return true,
        Some("false") => return false,
        _ => {}
    }
    matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error()
}

/// How long to wait before retry number `retry` (0 for the first retry).
///
/// A wait the server suggests with `retry-after-ms` or `Retry-After`
/// (seconds or an HTTP date) is used when it is positive and at most 60 s.
/// Otherwise the backoff is `min(0.5 s · 2^retry, 8 s)`, shortened by
/// `jitter` (in `0.0..=1.0`) times a quarter so that clients failing
/// together do not retry in lockstep.
pub(crate) fn delay(retry: u32, headers: Option<&HeaderMap>, jitter: f64) -> Duration {
    delay_at(retry, headers, jitter, SystemTime::now())
}

/// [`delay`] with the current time given, for HTTP-date `Retry-After`.
fn delay_at(retry: u32, headers: Option<&HeaderMap>, jitter: f64, now: SystemTime) -> Duration {
    if let Some(suggested) = headers.and_then(|headers| suggested_delay(headers, now)) {
        if !suggested.is_zero() && suggested <= MAX_SUGGESTED_DELAY {
            return suggested;
        }
    }
    let backoff = INITIAL_DELAY
        .checked_mul(2u32.saturating_pow(retry))
        .map_or(MAX_DELAY, |backoff| backoff.min(MAX_DELAY));
    backoff.mul_f64(1.0 - MAX_JITTER * jitter.clamp(0.0, 1.0))
}

/// The wait the server asks for, `retry-after-ms` taking precedence.
fn suggested_delay(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    if let Some(millis) = header_str(headers, "retry-after-ms").and_then(non_negative_f64) {
        return Duration::try_from_secs_f64(millis / 1000.0).ok();
    }
    let value = header_str(headers, "retry-after")?;
    if let Some(seconds) = non_negative_f64(value) {
        return Duration::try_from_secs_f64(seconds).ok();
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let now = chrono::DateTime::<chrono::Utc>::from(now);
    // A date in the past means "now", which the caller treats like no hint.
    (date.with_timezone(&chrono::Utc) - now)
        .to_std()
        .ok()
        .or(Some(Duration::ZERO))
}

fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name)?.to_str().ok().map(str::trim)
}

fn non_negative_f64(value: &str) -> Option<f64> {
    value
        .parse::<f64>()
        .ok()
        .filter(|number| number.is_finite() && *number >= 0.0)
}

/// A number in `0.0..1.0` for [`delay`]'s jitter.
///
/// A xorshift generator seeded from the clock is plenty: jitter only has to
/// differ between clients, not be unpredictable, so no random-number crate
/// is worth depending on.
pub(crate) fn jitter() -> f64 {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let mut current = STATE.load(Ordering::Relaxed);
    if current == 0 {
        current = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0x9E37_79B9_7F4A_7C15, |elapsed| elapsed.as_nanos() as u64)
            | 1;
    }
    let next = xorshift(current);
    // Concurrent callers may read the same state and draw the same number;
    // that costs nothing but a little spread.
    STATE.store(next, Ordering::Relaxed);
    // The top 53 bits fill an f64's mantissa exactly.
    (next >> 11) as f64 / (1u64 << 53) as f64
}

fn xorshift(mut state: u64) -> u64 {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| (name.parse().unwrap(), value.parse().unwrap()))
            .collect()
    }

    #[test]
    fn retries_the_transient_statuses() {
        let none = HeaderMap::new();
        for status in [408, 409, 429, 500, 502, 503, 504] {
            let status = StatusCode::from_u16(status).unwrap();
            assert!(should_retry(status, &none), "{status}");
        }
        for status in [400, 401, 403, 404, 422] {
            let status = StatusCode::from_u16(status).unwrap();
            assert!(!should_retry(status, &none), "{status}");
        }
    }

    #[test]
    fn the_server_can_override_the_status_rule() {
        let no = headers(&[("x-should-retry", "false")]);
        let yes = headers(&[("x-should-retry", "true")]);
        assert!(!should_retry(StatusCode::SERVICE_UNAVAILABLE, &no));
        assert!(should_retry(StatusCode::BAD_REQUEST, &yes));
        let other = headers(&[("x-should-retry", "maybe")]);
        assert!(should_retry(StatusCode::TOO_MANY_REQUESTS, &other));
    }

    #[test]
    fn backoff_doubles_up_to_eight_seconds() {
        let secs = |retry| delay(retry, None, 0.0).as_secs_f64();
        assert_eq!(
            (0..6).map(secs).collect::<Vec<_>>(),
            [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
        );
        assert_eq!(secs(u32::MAX), 8.0);
    }

    #[test]
    fn jitter_removes_up_to_a_quarter() {
        assert_eq!(delay(0, None, 1.0), Duration::from_millis(375));
        assert_eq!(delay(2, None, 0.5), Duration::from_millis(1750));
        for _ in 0..1000 {
            let value = jitter();
            assert!((0.0..1.0).contains(&value), "{value}");
        }
    }

    #[test]
    fn honours_suggested_waits_up_to_a_minute() {
        let wait = |pairs: &[(&'static str, &str)]| delay(3, Some(&headers(pairs)), 0.0);
        assert_eq!(wait(&[("retry-after", "2")]), Duration::from_secs(2));
        assert_eq!(wait(&[("retry-after", "1.5")]), Duration::from_millis(1500));
        assert_eq!(wait(&[("retry-after", "60")]), Duration::from_secs(60));
        assert_eq!(
            wait(&[("retry-after-ms", "250"), ("retry-after", "9")]),
            Duration::from_millis(250)
        );
        let backoff = Duration::from_secs(4);
        for ignored in ["0", "61", "120", "-1", "soon", "NaN"] {
            assert_eq!(wait(&[("retry-after", ignored)]), backoff, "{ignored}");
        }
        assert_eq!(wait(&[("retry-after-ms", "0")]), backoff);
    }

    #[test]
    fn reads_http_dates() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        let at = |date: &str| delay_at(0, Some(&headers(&[("retry-after", date)])), 0.0, now);
        assert_eq!(at("Sun, 06 Nov 1994 08:49:47 GMT"), Duration::from_secs(10));
        // In the past, too far ahead, or unparseable: the backoff.
        for fallback in [
            "Sun, 06 Nov 1994 08:49:00 GMT",
            "Sun, 06 Nov 1994 09:49:37 GMT",
            "yesterday",
        ] {
            assert_eq!(at(fallback), INITIAL_DELAY, "{fallback}");
        }
    }
}
