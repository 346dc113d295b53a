//! Why a webhook was rejected.

use std::time::Duration;

use super::webhook::{SIGNATURE_HEADER, TIMESTAMP_HEADER};
use super::webhook_decode::WebhookDecodeError;

/// The longest part of a malformed header value an error echoes, in
/// characters: enough to recognise it, too little to flood a log line.
const ECHO_LIMIT: usize = 40;

/// Why a webhook could not be verified or decoded.
///
/// Each message says what to fix. None of them, nor their `Debug` output,
/// contains the public key, the signature or the request body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// Verification was asked for but no public key is configured.
    #[error(
        "no webhook public key is configured: set TELNYX_PUBLIC_KEY or pass the key from \
         the Telnyx portal (Keys & Credentials > Public Key)"
    )]
    NoPublicKey,
    /// A header Telnyx sends with every webhook is absent.
    #[error(
        "missing header `{name}`: is this request from Telnyx, and were all of its headers \
         passed on?"
    )]
    MissingHeader {
        /// The lower-case name of the missing header.
        name: &'static str,
    },
    /// The timestamp header is not a whole number of seconds since the Unix
    /// epoch.
    #[error(
        "header `{TIMESTAMP_HEADER}` must be Unix seconds in decimal digits, got `{value}`: \
         is this request from Telnyx?"
    )]
    MalformedTimestamp {
        /// The header value, lossily decoded and cut to about 40 characters.
        value: String,
    },
    /// The webhook was signed longer ago than the tolerance allows: a
    /// replayed request, a long-delayed delivery, or a slow local clock.
    #[error(
        "webhook timestamp {timestamp} is {age} s before now ({now}), beyond the tolerance \
         of {tolerance:?}: reject it as a possible replay, or check this host's clock",
        age = now.saturating_sub(*timestamp)
    )]
    StaleTimestamp {
        /// The timestamp the webhook was signed with, in Unix seconds.
        timestamp: i64,
        /// The clock's time when the webhook was checked, in Unix seconds.
        now: i64,
        /// The largest accepted difference.
        tolerance: Duration,
    },
    /// The webhook claims to be signed in the future by more than the
    /// tolerance allows, which usually means this host's clock is behind.
    #[error(
        "webhook timestamp {timestamp} is {ahead} s after now ({now}), beyond the tolerance \
         of {tolerance:?}: check this host's clock",
        ahead = timestamp.saturating_sub(*now)
    )]
    FutureTimestamp {
        /// The timestamp the webhook was signed with, in Unix seconds.
        timestamp: i64,
        /// The clock's time when the webhook was checked, in Unix seconds.
        now: i64,
        /// The largest accepted difference.
        tolerance: Duration,
    },
    /// The signature header is not standard, padded base64.
    #[error(
        "header `{SIGNATURE_HEADER}` is not standard padded base64: was the request altered \
         on its way?"
    )]
    InvalidSignatureEncoding,
    /// The signature header decodes to something other than 64 bytes.
    #[error(
        "header `{SIGNATURE_HEADER}` decodes to {len} bytes, not the 64 of an Ed25519 \
         signature: was the request altered on its way?"
    )]
    InvalidSignatureLength {
        /// The decoded length.
        len: usize,
    },
    /// The configured public key is not base64.
    #[error(
        "the webhook public key is not valid base64: copy it unchanged from the Telnyx \
         portal (Keys & Credentials > Public Key)"
    )]
    InvalidKeyEncoding,
    /// The configured public key decodes to something other than 32 bytes.
    #[error(
        "the webhook public key decodes to {len} bytes, not the 32 of an Ed25519 public \
         key: copy it unchanged from the Telnyx portal (Keys & Credentials > Public Key)"
    )]
    InvalidKeyLength {
        /// The decoded length.
        len: usize,
    },
    /// The configured public key has the right length but is not a usable
    /// Ed25519 public key.
    #[error(
        "the webhook public key is not a valid Ed25519 public key: copy it unchanged from \
         the Telnyx portal (Keys & Credentials > Public Key)"
    )]
    InvalidKey,
    /// The signature does not match the timestamp and body under the
    /// configured key.
    #[error(
        "the webhook signature does not match: verify the raw request body exactly as \
         received (not re-serialized JSON), with the public key of the Telnyx account that \
         sent it"
    )]
    SignatureMismatch,
    /// The body was verified (or verification was skipped) but does not
    /// decode into the requested type.
    #[error(transparent)]
    Decode(#[from] WebhookDecodeError),
}

impl WebhookError {
    pub(crate) fn malformed_timestamp(value: &[u8]) -> Self {
        let value = String::from_utf8_lossy(value);
        let value = match value.char_indices().nth(ECHO_LIMIT) {
            Some((end, _)) => format!("{}...", &value[..end]),
            None => value.into_owned(),
        };
        WebhookError::MalformedTimestamp { value }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoed_timestamps_are_cut_short() {
        let long = "9".repeat(1000);
        let WebhookError::MalformedTimestamp { value } =
            WebhookError::malformed_timestamp(long.as_bytes())
        else {
            unreachable!()
        };
        assert_eq!(value.len(), ECHO_LIMIT + 3);
        let error = WebhookError::malformed_timestamp(b"\xff12");
        assert!(error.to_string().contains("`\u{fffd}12`"), "{error}");
    }
}
