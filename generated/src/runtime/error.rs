//! The error type returned by every API call, and the structured details the
//! Telnyx API attaches to failed responses.

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::{Deserialize, Deserializer};

use super::response::request_id;

/// Everything that can go wrong when calling the Telnyx API.
///
/// None of the variants, nor their `Display` or `Debug` output, ever contain
/// the API key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a status outside the 2xx range.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The request could not be sent or its response could not be read
    /// (DNS, TLS, refused or reset connection, ...).
    #[error("the connection to the Telnyx API failed")]
    Connection(#[source] reqwest::Error),
    /// No complete response arrived within the configured timeout.
    #[error("the request to the Telnyx API timed out")]
    Timeout,
    /// The API answered with a 2xx status but a body that does not match the
    /// expected shape.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// The request was rejected before anything was sent, for example an
    /// empty path parameter or a body that could not be serialized.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The client could not be built: missing API key, malformed base URL, ...
    #[error("invalid client configuration: {0}")]
    Config(String),
}

impl Error {
    /// The HTTP status of the response this error came from, if one arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(error) => Some(error.status),
            Error::Decode(error) => Some(error.status),
            _ => None,
        }
    }

    /// The API's description of the failure, for [`Error::Api`].
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(error) => Some(error),
            _ => None,
        }
    }

    /// The request id Telnyx assigned to the failed request, worth quoting
    /// when contacting Telnyx support.
    pub fn request_id(&self) -> Option<&str> {
        self.api_error()?.request_id.as_deref()
    }

    /// The API rejected the credentials (HTTP 401).
    pub fn is_unauthorized(&self) -> bool {
        self.is_api_status(StatusCode::UNAUTHORIZED)
    }

    /// The credentials lack permission for the operation (HTTP 403).
    pub fn is_forbidden(&self) -> bool {
        self.is_api_status(StatusCode::FORBIDDEN)
    }

    /// The addressed resource does not exist (HTTP 404).
    pub fn is_not_found(&self) -> bool {
        self.is_api_status(StatusCode::NOT_FOUND)
    }

    /// The API refused the request's content (HTTP 422); the details are in
    /// [`ApiError::errors`].
    pub fn is_unprocessable(&self) -> bool {
        self.is_api_status(StatusCode::UNPROCESSABLE_ENTITY)
    }

    /// Too many requests (HTTP 429); retry later.
    pub fn is_rate_limited(&self) -> bool {
        self.is_api_status(StatusCode::TOO_MANY_REQUESTS)
    }

    /// The request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout)
    }

    /// A successful response could not be decoded.
    pub fn is_decode(&self) -> bool {
        matches!(self, Error::Decode(_))
    }

    fn is_api_status(&self, status: StatusCode) -> bool {
        self.api_error().is_some_and(|error| error.status == status)
    }
}

/// A non-2xx response from the Telnyx API.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status of the response.
    pub status: StatusCode,
    /// The structured errors from the response body; empty when the body is
    /// not a Telnyx error document (an HTML page from a proxy, for example).
    pub errors: Vec<ApiErrorDetail>,
    /// The request id from the `x-request-id` (or `x-telnyx-request-id`)
    /// response header.
    pub request_id: Option<String>,
    /// The response headers, for example to honour `Retry-After`.
    pub headers: HeaderMap,
    /// The raw response body, lossily decoded as UTF-8.
    pub body: String,
}

impl ApiError {
    /// Builds the error from the parts of a failed response.
    pub(crate) fn from_response(status: StatusCode, headers: HeaderMap, body: &[u8]) -> Self {
        let request_id = request_id(&headers).map(str::to_owned);
        Self {
            status,
            errors: parse_error_details(body),
            request_id,
            headers,
            body: String::from_utf8_lossy(body).into_owned(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the Telnyx API answered {}", self.status)?;
        if let Some(first) = self.errors.first() {
            let parts = [&first.code, &first.title, &first.detail];
            let mut separator = ": ";
            for part in parts.into_iter().flatten() {
                write!(f, "{separator}{part}")?;
                separator = " - ";
            }
            if self.errors.len() > 1 {
                write!(f, " (+{} more)", self.errors.len() - 1)?;
            }
        }
        if let Some(request_id) = &self.request_id {
            write!(f, " [request id {request_id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// One entry of the `errors` array of a Telnyx error response.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ApiErrorDetail {
    /// The Telnyx error code, such as `"10015"`; numeric codes are kept as
    /// their decimal text.
    #[serde(deserialize_with = "code_as_text")]
    pub code: Option<String>,
    /// A short, human-readable summary.
    pub title: Option<String>,
    /// A human-readable explanation specific to this occurrence.
    pub detail: Option<String>,
    /// The part of the request that caused the error.
    pub source: Option<ErrorSource>,
    /// Additional information, such as a link to the error's documentation.
    pub meta: Option<serde_json::Value>,
}

/// Where in the request an [`ApiErrorDetail`] originates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ErrorSource {
    /// A JSON pointer into the request body, such as `/to`.
    pub pointer: Option<String>,
    /// The name of the offending query or path parameter.
    pub parameter: Option<String>,
}

/// A response that carried a 2xx status but could not be decoded.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// The JSON path of the value that failed, such as `data.items[1].id`.
    pub path: String,
    /// What was wrong with the value.
    pub message: String,
    /// The HTTP status of the response.
    pub status: StatusCode,
    /// The raw response body, lossily decoded as UTF-8.
    pub body: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode the Telnyx API response ({}) at `{}`: {}",
            self.status, self.path, self.message
        )
    }
}

impl std::error::Error for DecodeError {}

/// Extracts `errors[]` leniently: an entry that does not look like an error
/// object is skipped rather than discarding the others, and a body that is
/// not JSON at all yields no details (the raw body is still kept).
fn parse_error_details(body: &[u8]) -> Vec<ApiErrorDetail> {
    #[derive(Deserialize)]
    struct Envelope {
        #[serde(default)]
        errors: Vec<serde_json::Value>,
    }
    match serde_json::from_slice::<Envelope>(body) {
        Ok(envelope) => envelope
            .errors
            .into_iter()
            .filter_map(|entry| serde_json::from_value(entry).ok())
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Telnyx sends error codes as strings, but some endpoints send numbers.
fn code_as_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Code {
        Text(String),
        Number(serde_json::Number),
    }
    Ok(match Option::<Code>::deserialize(deserializer)? {
        Some(Code::Text(text)) => Some(text),
        Some(Code::Number(number)) => Some(number.to_string()),
        None => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_can_cross_threads() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
    }

    fn api_error(status: u16, body: &str) -> ApiError {
        ApiError::from_response(
            StatusCode::from_u16(status).unwrap(),
            HeaderMap::new(),
            body.as_bytes(),
        )
    }

    #[test]
    fn parses_string_and_numeric_codes() {
        let error = api_error(
            422,
            r#"{"errors":[{"code":"10015","title":"Bad","source":{"pointer":"/to"},"extra":1},{"code":10032}]}"#,
        );
        assert_eq!(error.errors.len(), 2);
        assert_eq!(error.errors[0].code.as_deref(), Some("10015"));
        assert_eq!(
            error.errors[0].source.as_ref().unwrap().pointer.as_deref(),
            Some("/to")
        );
        assert_eq!(error.errors[1].code.as_deref(), Some("10032"));
    }

    #[test]
    fn non_json_body_keeps_raw_text() {
        let error = api_error(502, "<html>Bad Gateway</html>");
        assert!(error.errors.is_empty());
        assert_eq!(error.body, "<html>Bad Gateway</html>");
        assert_eq!(error.to_string(), "the Telnyx API answered 502 Bad Gateway");
    }

    #[test]
    fn malformed_entries_are_skipped() {
        let error = api_error(400, r#"{"errors":["oops",{"title":"Kept"}]}"#);
        assert_eq!(error.errors.len(), 1);
        assert_eq!(error.errors[0].title.as_deref(), Some("Kept"));
    }

    #[test]
    fn display_names_the_first_error() {
        let error = api_error(
            404,
            r#"{"errors":[{"code":"10005","title":"Resource not found","detail":"No call."},{}]}"#,
        );
        assert_eq!(
            error.to_string(),
            "the Telnyx API answered 404 Not Found: 10005 - Resource not found - No call. (+1 more)"
        );
    }
}
