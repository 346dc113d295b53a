//! Decoding webhook bodies into typed events, keeping the raw JSON when a
//! body does not fit so that no event is lost to a schema mismatch.

use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::decode::from_slice_with_path;
use super::event_probe::find_event_type;

/// A webhook body that does not decode into the requested type.
///
/// The raw JSON is kept, so a handler can still act on an event whose shape
/// Telnyx changed. Neither `Display` nor `Debug` prints the body.
#[derive(Clone)]
pub struct WebhookDecodeError {
    // Boxed so that `Result<_, WebhookError>` stays small on the happy path.
    inner: Box<Inner>,
}

#[derive(Clone)]
struct Inner {
    path: String,
    message: String,
    event_type: Option<String>,
    raw: Option<Value>,
}

impl WebhookDecodeError {
    /// The JSON path of the value that failed, such as `data.payload.to`;
    /// `.` for the document root and for bodies that are not JSON.
    pub fn path(&self) -> &str {
        &self.inner.path
    }

    /// What was wrong, as reported by the JSON parser.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The event type the body claimed (`data.event_type`), if it had one.
    pub fn event_type(&self) -> Option<&str> {
        self.inner.event_type.as_deref()
    }

    /// The body as untyped JSON; `None` only when it is not JSON at all.
    pub fn raw_json(&self) -> Option<&Value> {
        self.inner.raw.as_ref()
    }

    /// Takes the body as untyped JSON; `None` only when it is not JSON.
    pub fn into_raw_json(self) -> Option<Value> {
        self.inner.raw
    }

    /// Builds the error; generated decoders use it.
    #[doc(hidden)]
    pub fn new(
        path: impl Into<String>,
        message: impl Into<String>,
        event_type: Option<String>,
        raw: Option<Value>,
    ) -> Self {
        WebhookDecodeError {
            inner: Box::new(Inner {
                path: path.into(),
                message: message.into(),
                event_type,
                raw,
            }),
        }
    }
}

impl fmt::Display for WebhookDecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Inner {
            path,
            message,
            event_type,
            raw,
        } = &*self.inner;
        match (raw, event_type) {
            (None, _) => write!(f, "webhook body is not valid JSON: {message}"),
            (Some(_), Some(event_type)) => write!(
                f,
                "webhook body does not match the `{event_type}` event at {path}: {message}"
            ),
            (Some(_), None) => write!(
                f,
                "webhook body does not match the expected type at {path}: {message}"
            ),
        }
    }
}

/// Webhook bodies carry phone numbers and other personal data, and errors
/// end up in logs, so only whether the raw JSON was kept is shown.
impl fmt::Debug for WebhookDecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookDecodeError")
            .field("path", &self.inner.path)
            .field("message", &self.inner.message)
            .field("event_type", &self.inner.event_type)
            .field("raw_json_kept", &self.inner.raw.is_some())
            .finish()
    }
}

impl std::error::Error for WebhookDecodeError {}

/// Types a webhook body can be decoded into: the generated `WebhookEvent`
/// enum, every webhook payload struct, and [`serde_json::Value`].
pub trait DecodeWebhook: Sized {
    /// Decodes the raw body bytes.
    ///
    /// # Errors
    ///
    /// [`WebhookDecodeError`] when the body is not JSON or does not match
    /// the type.
    fn decode_webhook(body: &[u8]) -> Result<Self, WebhookDecodeError>;
}

impl DecodeWebhook for Value {
    fn decode_webhook(body: &[u8]) -> Result<Self, WebhookDecodeError> {
        decode_typed(body, None)
    }
}

/// Decodes `body` into `T`, naming the JSON path of the first value that
/// does not fit. `event_type` is the event the caller expected, if any;
/// otherwise the error reports the one the body claims.
#[doc(hidden)]
pub fn decode_typed<T: DeserializeOwned>(
    body: &[u8],
    event_type: Option<&str>,
) -> Result<T, WebhookDecodeError> {
    let (path, error) = match from_slice_with_path::<T>(body) {
        Ok(value) => return Ok(value),
        Err(failure) => failure,
    };
    // Failing is the rare path, so parsing the body a second time to keep it
    // costs nothing that matters.
    Err(match serde_json::from_slice::<Value>(body) {
        Ok(raw) => {
            let event_type = event_type
                .or_else(|| find_event_type(&raw).map(|(found, _)| found))
                .map(str::to_owned);
            WebhookDecodeError::new(path, error.to_string(), event_type, Some(raw))
        }
        Err(syntax) => {
            WebhookDecodeError::new(".", syntax.to_string(), event_type.map(str::to_owned), None)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Hangup {
        data: Data,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Data {
        payload: Payload,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Payload {
        to: String,
    }

    #[test]
    fn mismatch_keeps_the_raw_json_and_names_the_path() {
        let body = br#"{"data":{"event_type":"call.hangup","payload":{"to":7}}}"#;
        let error = decode_typed::<Hangup>(body, None).unwrap_err();
        assert_eq!(error.path(), "data.payload.to");
        assert_eq!(error.event_type(), Some("call.hangup"));
        assert_eq!(error.raw_json().unwrap()["data"]["payload"]["to"], 7);
        assert!(error.to_string().starts_with(
            "webhook body does not match the `call.hangup` event at data.payload.to: invalid type"
        ));
    }

    #[test]
    fn non_json_has_no_raw_value() {
        let error = decode_typed::<Value>(b"{\"a\":", Some("call.hangup")).unwrap_err();
        assert_eq!(error.path(), ".");
        assert!(error.raw_json().is_none());
        assert!(error
            .to_string()
            .starts_with("webhook body is not valid JSON: EOF while parsing"));
        assert!(decode_typed::<Value>(b"{} x", None).is_err());
    }
}
