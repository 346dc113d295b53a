//! Verification of the webhooks Telnyx sends: an Ed25519 signature over the
//! timestamp and the raw body, checked against the account's public key,
//! with a freshness window against replays.

use std::env::VarError;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::{DecodeSliceError, Engine as _};
use ed25519_dalek::{Signature, VerifyingKey, PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH};

use super::webhook_decode::{DecodeWebhook, WebhookDecodeError};
use super::webhook_error::WebhookError;
use super::webhook_headers::WebhookHeaders;

/// The header carrying the base64 Ed25519 signature.
pub const SIGNATURE_HEADER: &str = "telnyx-signature-ed25519";
/// The header carrying the signing time, in Unix seconds.
pub const TIMESTAMP_HEADER: &str = "telnyx-timestamp";
/// How far a webhook's timestamp may be from the current time, either way,
/// unless configured otherwise; the same window the official SDKs use.
pub const DEFAULT_WEBHOOK_TOLERANCE: Duration = Duration::from_secs(300);

pub(crate) const PUBLIC_KEY_VAR: &str = "TELNYX_PUBLIC_KEY";
const REDACTED: &str = "<redacted>";

/// The Ed25519 public key of a Telnyx account, which webhooks are verified
/// against. It is shown in the Telnyx portal under Keys & Credentials >
/// Public Key.
///
/// A public key is not a secret, but it identifies the account, so `Debug`
/// does not print it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    /// Parses the key as the portal shows it: 32 bytes in standard, padded
    /// base64. Surrounding whitespace, such as a trailing newline from an
    /// environment file, is ignored.
    ///
    /// # Errors
    ///
    /// [`WebhookError::InvalidKeyEncoding`], [`WebhookError::InvalidKeyLength`]
    /// or [`WebhookError::InvalidKey`]; none of them contains the key.
    pub fn from_base64(b64: &str) -> Result<Self, WebhookError> {
        let bytes = STANDARD
            .decode(b64.trim())
            .map_err(|_| WebhookError::InvalidKeyEncoding)?;
        let bytes: &[u8; PUBLIC_KEY_LENGTH] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| WebhookError::InvalidKeyLength { len: bytes.len() })?;
        Self::from_bytes(bytes)
    }

    /// Uses 32 raw key bytes.
    ///
    /// # Errors
    ///
    /// [`WebhookError::InvalidKey`] when the bytes are not a point on the
    /// curve, or are one of the few weak points no real key uses (strict
    /// verification would reject every signature under those anyway).
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, WebhookError> {
        let key = VerifyingKey::from_bytes(bytes).map_err(|_| WebhookError::InvalidKey)?;
        if key.is_weak() {
            return Err(WebhookError::InvalidKey);
        }
        Ok(PublicKey(key))
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PublicKey").field(&REDACTED).finish()
    }
}

/// The source of the current time for the timestamp check; replace it in
/// tests with [`FixedClock`].
pub trait Clock: Send + Sync + fmt::Debug + 'static {
    /// The current time in seconds since the Unix epoch.
    fn now_unix_seconds(&self) -> i64;
}

/// The system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_unix_seconds(&self) -> i64 {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
            Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
        }
    }
}

/// A clock that always reads the given Unix time in seconds.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub i64);

impl Clock for FixedClock {
    fn now_unix_seconds(&self) -> i64 {
        self.0
    }
}

/// Verifies and decodes the webhooks Telnyx sends.
///
/// Telnyx signs `{timestamp}|{body}` with the account's Ed25519 key and
/// sends the signature and timestamp as headers. Always pass the raw body
/// bytes as received: JSON re-serialized by a framework will not verify.
///
/// ```
/// use telnyx_api::runtime::{Webhooks, WebhookError};
///
/// # fn main() -> Result<(), WebhookError> {
/// let webhooks = Webhooks::from_base64_key("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")?;
/// let body = br#"{"data":{"event_type":"call.hangup"}}"#;
/// let headers = [("telnyx-timestamp", "1700000000"), ("telnyx-signature-ed25519", "AAAA")];
/// let result = webhooks.unwrap_as::<serde_json::Value, _>(body, &headers);
/// assert!(result.is_err()); // neither signed nor fresh
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Webhooks {
    key: Option<PublicKey>,
    tolerance: Duration,
    clock: Arc<dyn Clock>,
}

impl Webhooks {
    /// Verifies against `key` with the default tolerance and the system clock.
    pub fn new(key: PublicKey) -> Self {
        Webhooks {
            key: Some(key),
            ..Self::without_key()
        }
    }

    /// Verifies against the base64 key shown in the Telnyx portal.
    ///
    /// # Errors
    ///
    /// As [`PublicKey::from_base64`].
    pub fn from_base64_key(b64: &str) -> Result<Self, WebhookError> {
        PublicKey::from_base64(b64).map(Self::new)
    }

    /// Verifies against the key in the `TELNYX_PUBLIC_KEY` environment
    /// variable.
    ///
    /// # Errors
    ///
    /// [`WebhookError::NoPublicKey`] when the variable is unset or empty,
    /// otherwise as [`PublicKey::from_base64`].
    pub fn from_env() -> Result<Self, WebhookError> {
        match std::env::var(PUBLIC_KEY_VAR) {
            Ok(b64) if !b64.trim().is_empty() => Self::from_base64_key(&b64),
            Ok(_) | Err(VarError::NotPresent) => Err(WebhookError::NoPublicKey),
            Err(VarError::NotUnicode(_)) => Err(WebhookError::InvalidKeyEncoding),
        }
    }

    /// Decodes without a key: [`decode_as`](Self::decode_as) works, while
    /// everything that verifies fails with [`WebhookError::NoPublicKey`].
    pub fn without_key() -> Self {
        Webhooks {
            key: None,
            tolerance: DEFAULT_WEBHOOK_TOLERANCE,
            clock: Arc::new(SystemClock),
        }
    }

    /// Sets how far a webhook's timestamp may be from now, either way;
    /// [`DEFAULT_WEBHOOK_TOLERANCE`] (five minutes) unless set.
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Reads the current time from `clock` instead of the system clock.
    pub fn with_clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// For a clock the client builder already holds.
    pub(crate) fn with_shared_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// How far a webhook's timestamp may be from now, either way.
    pub fn tolerance(&self) -> Duration {
        self.tolerance
    }

    /// Checks that `body` was signed by Telnyx within the tolerance.
    ///
    /// # Errors
    ///
    /// The first check that fails, in this order: a key is configured, both
    /// headers are present, the timestamp is decimal Unix seconds within the
    /// tolerance, the signature is 64 bytes of base64, and it matches.
    pub fn verify<H: WebhookHeaders + ?Sized>(
        &self,
        body: &[u8],
        headers: &H,
    ) -> Result<(), WebhookError> {
        let key = self.key.as_ref().ok_or(WebhookError::NoPublicKey)?;
        let signature = header(headers, SIGNATURE_HEADER)?;
        let timestamp = header(headers, TIMESTAMP_HEADER)?;
        self.check_freshness(parse_timestamp(timestamp)?)?;
        let signature = decode_signature(signature)?;

        // Signed exactly as received: the timestamp's own bytes, not a
        // reformatted number, then the body untouched.
        let mut message = Vec::with_capacity(timestamp.len() + 1 + body.len());
        message.extend_from_slice(timestamp);
        message.push(b'|');
        message.extend_from_slice(body);
        key.0
            .verify_strict(&message, &signature)
            .map_err(|_| WebhookError::SignatureMismatch)
    }

    /// Verifies `body`, then decodes it into `T`.
    ///
    /// # Errors
    ///
    /// As [`verify`](Self::verify), or [`WebhookError::Decode`] for a body
    /// that verified but does not decode.
    pub fn unwrap_as<T: DecodeWebhook, H: WebhookHeaders + ?Sized>(
        &self,
        body: &[u8],
        headers: &H,
    ) -> Result<T, WebhookError> {
        self.verify(body, headers)?;
        Ok(T::decode_webhook(body)?)
    }

    /// Decodes `body` into `T` without verifying it. Only for bodies whose
    /// origin is established some other way: anyone can send a webhook.
    ///
    /// # Errors
    ///
    /// [`WebhookDecodeError`] when the body does not decode.
    pub fn decode_as<T: DecodeWebhook>(&self, body: &[u8]) -> Result<T, WebhookDecodeError> {
        T::decode_webhook(body)
    }

    fn check_freshness(&self, timestamp: i64) -> Result<(), WebhookError> {
        let now = self.clock.now_unix_seconds();
        // In nanoseconds and 128 bits: exact for any i64 pair and any
        // tolerance, including ones with a fractional second.
        let distance = (i128::from(now) - i128::from(timestamp)).unsigned_abs() * 1_000_000_000;
        if distance <= self.tolerance.as_nanos() {
            return Ok(());
        }
        let tolerance = self.tolerance;
        Err(if timestamp < now {
            WebhookError::StaleTimestamp {
                timestamp,
                now,
                tolerance,
            }
        } else {
            WebhookError::FutureTimestamp {
                timestamp,
                now,
                tolerance,
            }
        })
    }
}

impl fmt::Debug for Webhooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhooks")
            .field("key", &self.key)
            .field("tolerance", &self.tolerance)
            .field("clock", &self.clock)
            .finish()
    }
}

fn header<'h, H: WebhookHeaders + ?Sized>(
    headers: &'h H,
    name: &'static str,
) -> Result<&'h [u8], WebhookError> {
    headers
        .header_bytes(name)
        .ok_or(WebhookError::MissingHeader { name })
}

/// Only plain decimal digits: a sign, spaces or `+` would sign a different
/// string than the number they denote.
fn parse_timestamp(value: &[u8]) -> Result<i64, WebhookError> {
    let malformed = || WebhookError::malformed_timestamp(value);
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return Err(malformed());
    }
    std::str::from_utf8(value)
        .ok()
        .and_then(|digits| digits.parse().ok())
        .ok_or_else(malformed)
}

fn decode_signature(value: &[u8]) -> Result<Signature, WebhookError> {
    let mut bytes = [0; SIGNATURE_LENGTH];
    match STANDARD.decode_slice(value, &mut bytes) {
        Ok(SIGNATURE_LENGTH) => Ok(Signature::from_bytes(&bytes)),
        Ok(len) => Err(WebhookError::InvalidSignatureLength { len }),
        // Too long for a signature: decode again only to report the length.
        Err(DecodeSliceError::OutputSliceTooSmall) => match STANDARD.decode(value) {
            Ok(decoded) => Err(WebhookError::InvalidSignatureLength { len: decoded.len() }),
            Err(_) => Err(WebhookError::InvalidSignatureEncoding),
        },
        Err(DecodeSliceError::DecodeError(_)) => Err(WebhookError::InvalidSignatureEncoding),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifiers_can_be_shared_across_threads() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Webhooks>();
        assert_send_sync::<WebhookError>();
    }

    fn freshness(now: i64, timestamp: i64, tolerance: Duration) -> Result<(), WebhookError> {
        Webhooks::without_key()
            .with_tolerance(tolerance)
            .with_clock(FixedClock(now))
            .check_freshness(timestamp)
    }

    #[test]
    fn tolerance_boundary_is_inclusive() {
        let tolerance = DEFAULT_WEBHOOK_TOLERANCE;
        assert!(freshness(1000, 700, tolerance).is_ok());
        assert!(freshness(1000, 1300, tolerance).is_ok());
        assert!(matches!(
            freshness(1000, 699, tolerance),
            Err(WebhookError::StaleTimestamp { .. })
        ));
        assert!(matches!(
            freshness(1000, 1301, tolerance),
            Err(WebhookError::FutureTimestamp { .. })
        ));
        assert!(freshness(i64::MIN, i64::MAX, Duration::MAX).is_ok());
        assert!(freshness(i64::MAX, i64::MIN, tolerance).is_err());
        assert!(freshness(10, 11, Duration::from_millis(999)).is_err());
    }

    #[test]
    fn timestamps_are_plain_digits() {
        assert_eq!(parse_timestamp(b"0001700000000").unwrap(), 1_700_000_000);
        for bad in [
            &b""[..],
            b"-1",
            b"+1",
            b" 1",
            b"1 ",
            b"1.0",
            b"99999999999999999999",
        ] {
            assert!(matches!(
                parse_timestamp(bad),
                Err(WebhookError::MalformedTimestamp { .. })
            ));
        }
    }

    #[test]
    fn signatures_report_their_length() {
        let sig = |len: usize| STANDARD.encode(vec![0; len]);
        assert!(decode_signature(sig(64).as_bytes()).is_ok());
        for len in [0, 63, 65, 200] {
            assert!(matches!(
                decode_signature(sig(len).as_bytes()),
                Err(WebhookError::InvalidSignatureLength { len: l }) if l == len
            ));
        }
        assert!(matches!(
            decode_signature(b"not base64!"),
            Err(WebhookError::InvalidSignatureEncoding)
        ));
    }
}
