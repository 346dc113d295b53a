//! Carrying out one logical request: the HTTP request is built once, then
//! sent attempt after attempt until one succeeds or the retry policy gives
//! up. Each attempt holds a connection permit until its body has been read
//! and is traced in a span of its own.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use reqwest::{Method, StatusCode};
use tokio::sync::Semaphore;
use tracing::instrument::Instrumented;
use tracing::{field, Instrument, Span};

use super::base_url::BaseUrl;
use super::request::PreparedRequest;
use super::{retry, ApiError, ApiRequest, Error};

/// Spans and events go to this target whatever module emits them, so one
/// directive (`telnyx=debug`) selects them all.
const TARGET: &str = "telnyx";

/// What a client needs to send requests, shared by its clones.
pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: BaseUrl,
    pub(crate) authorization: HeaderValue,
    pub(crate) user_agent: HeaderValue,
    pub(crate) timeout: Duration,
    pub(crate) max_retries: u32,
    /// One permit per request in flight, so at most that many connections
    /// are busy at once.
    pub(crate) connections: Semaphore,
}

/// What to do with the body of a successful response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SuccessBody {
    /// It is needed: failing to read it fails the request.
    Keep,
    /// The operation returns nothing: it is read only so the connection can
    /// be reused, and a failure to read it does not matter.
    Discard,
}

/// A successful response, read completely.
pub(crate) struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// A failed attempt and whether the policy allows trying again.
struct Failure {
    error: Error,
    retryable: bool,
}

impl Transport {
    /// Sends `request`, retrying transient failures, and returns the first
    /// 2xx response with its body. Kept free of generics so that hundreds
    /// of operations share one copy.
    ///
    /// Only the exchange up to the response headers is retried: once a 2xx
    /// response has started, a failure to read its body is reported, since
    /// the operation has already taken effect.
    pub(crate) async fn exchange(
        &self,
        request: ApiRequest,
        success_body: SuccessBody,
    ) -> Result<RawResponse, Error> {
        let prepared = request.prepare(self.base_url.path())?;
        let path_template = prepared.path_template;
        let max_retries = prepared.max_retries.unwrap_or(self.max_retries);
        let request = self.build(prepared);
        for retries in 0..max_retries {
            // Only a streamed body cannot be cloned, and requests never
            // stream theirs.
            let copy = request.try_clone().ok_or_else(|| {
                Error::InvalidRequest("the request body cannot be sent twice".to_owned())
            })?;
            let span = attempt_span(request.method(), path_template, retries + 1);
            let failure = match self.attempt_in(copy, success_body, &span).await {
                Ok(response) => return Ok(response),
                Err(failure) if !failure.retryable => return Err(failure.error),
                Err(failure) => failure,
            };
            let wait = retry::delay(retries, failure.response_headers(), retry::jitter());
            span.in_scope(|| {
                tracing::debug!(
                    target: TARGET,
                    delay_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                    reason = %RetryReason(&failure.error),
                    "retry scheduled",
                );
            });
            tokio::time::sleep(wait).await;
        }
        // The last attempt the policy allows sends the request itself.
        let span = attempt_span(
            request.method(),
            path_template,
            max_retries.saturating_add(1),
        );
        self.attempt_in(request, success_body, &span)
            .await
            .map_err(|failure| failure.error)
    }

    /// [`attempt`](Self::attempt), traced in `span`.
    fn attempt_in(
        &self,
        request: reqwest::Request,
        success_body: SuccessBody,
        span: &Span,
    ) -> Instrumented<impl Future<Output = Result<RawResponse, Failure>> + '_> {
        self.attempt(request, success_body, span.clone())
            .instrument(span.clone())
    }

    /// Builds the HTTP request every attempt sends a copy of, directly
    /// rather than through `RequestBuilder`, which would copy every header
    /// into a map of its own.
    fn build(&self, prepared: PreparedRequest) -> reqwest::Request {
        let url = self.base_url.url(&prepared.path, prepared.query.as_deref());
        let mut request = reqwest::Request::new(prepared.method, url);
        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, self.authorization.clone());
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, self.user_agent.clone());
        if prepared.body.is_some() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        // Operation-specific headers come last so they can override defaults.
        if !prepared.headers.is_empty() {
            headers.extend(prepared.headers);
        }
        *request.timeout_mut() = Some(prepared.timeout.unwrap_or(self.timeout));
        *request.body_mut() = prepared.body.map(reqwest::Body::from);
        request
    }

    /// One attempt, from waiting for a connection permit until the body has
    /// been read; the permit is released when it returns, so a backoff
    /// sleep does not hold one.
    async fn attempt(
        &self,
        request: reqwest::Request,
        success_body: SuccessBody,
        span: Span,
    ) -> Result<RawResponse, Failure> {
        // The semaphore is never closed, so `acquire` cannot fail.
        let _permit = self.connections.acquire().await.ok();
        let mut response = match self.http.execute(request).await {
            Ok(response) => response,
            Err(error) => {
                // A request reqwest could not even build fails the same way
                // every time.
                let retryable = !error.is_builder();
                return Err(Failure::traced(transport_error(error), retryable, &span));
            }
        };
        let status = response.status();
        span.record("status", status.as_u16());
        let headers = std::mem::take(response.headers_mut());
        if status.is_success() {
            let body = match (response.bytes().await, success_body) {
                (Ok(body), _) => body,
                (Err(_), SuccessBody::Discard) => Bytes::new(),
                (Err(error), SuccessBody::Keep) => {
                    return Err(Failure::traced(transport_error(error), false, &span));
                }
            };
            return Ok(RawResponse {
                status,
                headers,
                body,
            });
        }
        let retryable = retry::should_retry(status, &headers);
        // The status alone already says what went wrong, so a body that fails
        // to arrive must not hide it behind a transport error.
        let body = response.bytes().await.unwrap_or_default();
        let error = ApiError::from_response(status, headers, &body);
        Err(Failure {
            error: Error::Api(Box::new(error)),
            retryable,
        })
    }
}

impl Failure {
    /// A failure without a usable response, its kind recorded on `span`.
    fn traced(error: Error, retryable: bool, span: &Span) -> Self {
        span.record("error", error_kind(&error));
        Self { error, retryable }
    }

    /// The failed response's headers, which may say how long to wait.
    fn response_headers(&self) -> Option<&HeaderMap> {
        match &self.error {
            Error::Api(error) => Some(&error.headers),
            _ => None,
        }
    }
}

/// The span of one attempt; `status` or `error` is recorded when it ends.
fn attempt_span(method: &Method, path_template: &'static str, attempt: u32) -> Span {
    tracing::info_span!(
        target: TARGET,
        "telnyx.request",
        method = method.as_str(),
        path = path_template,
        attempt,
        status = field::Empty,
        error = field::Empty,
    )
}

/// Why an attempt is retried, for the retry event: the error kind or the
/// status, never anything from the request or the response body.
struct RetryReason<'e>(&'e Error);

impl fmt::Display for RetryReason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.status() {
            Some(status) => write!(f, "status {}", status.as_u16()),
            None => f.write_str(error_kind(self.0)),
        }
    }
}

fn error_kind(error: &Error) -> &'static str {
    match error {
        Error::Api(_) => "api",
        Error::Connection(_) => "connection",
        Error::Timeout => "timeout",
        Error::Decode(_) => "decode",
        Error::InvalidRequest(_) => "invalid_request",
        Error::Config(_) => "config",
    }
}

pub(crate) fn transport_error(error: reqwest::Error) -> Error {
    if error.is_timeout() {
        Error::Timeout
    } else {
        Error::Connection(error)
    }
}
