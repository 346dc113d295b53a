//! A decoded response together with what the HTTP exchange said about it.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// The headers Telnyx puts its request id in, most common first.
const REQUEST_ID_HEADERS: [&str; 2] = ["x-request-id", "x-telnyx-request-id"];

/// The request id Telnyx assigned, from the first of `x-request-id` and
/// `x-telnyx-request-id` that is present and valid text.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
}

/// The value an operation returned, with the status and headers of the
/// response it came in.
///
/// Returned by every request builder's `send_with_response()`; `send()` and
/// `.await` return only the value. For an operation without a response body
/// the value is `()`; for a list operation it is the first page requested.
///
/// ```no_run
/// # async fn example(client: telnyx_api::Client) -> Result<(), telnyx_api::Error> {
/// let response = client.calls().actions().answer("v3:abc").send_with_response().await?;
/// println!("{} (request id {:?})", response.status(), response.request_id());
/// let answered = response.into_value();
/// # let _ = answered;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    status: StatusCode,
    headers: HeaderMap,
    value: T,
}

impl<T> ApiResponse<T> {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, value: T) -> Self {
        Self {
            status,
            headers,
            value,
        }
    }

    /// The HTTP status, always a 2xx one (other statuses are errors).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers, such as rate-limit information.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The request id Telnyx assigned (`x-request-id`, or
    /// `x-telnyx-request-id`), worth quoting when contacting Telnyx support.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded value, dropping the status and headers.
    pub fn into_value(self) -> T {
        self.value
    }

    /// The status, the headers and the decoded value.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.value)
    }

    /// Converts the value, keeping the status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            value: f(self.value),
        }
    }
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
    fn the_request_id_falls_back_to_the_telnyx_header() {
        let both = headers(&[("x-telnyx-request-id", "b"), ("x-request-id", "a")]);
        assert_eq!(request_id(&both), Some("a"));
        assert_eq!(
            request_id(&headers(&[("x-telnyx-request-id", "b")])),
            Some("b")
        );
        assert_eq!(request_id(&HeaderMap::new()), None);
    }

    #[test]
    fn parts_come_back_unchanged() {
        let response = ApiResponse::new(StatusCode::CREATED, headers(&[("x-request-id", "r")]), 7);
        assert_eq!(response.request_id(), Some("r"));
        let response = response.map(|value| value * 2);
        assert_eq!(*response.value(), 14);
        let (status, headers, value) = response.into_parts();
        assert_eq!(
            (status, headers["x-request-id"].to_str().unwrap(), value),
            (StatusCode::CREATED, "r", 14)
        );
    }
}
