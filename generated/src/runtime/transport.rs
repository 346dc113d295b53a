//! Carrying out one logical request: the HTTP request is built once, then
//! sent attempt after attempt until one succeeds or the retry policy gives
//! up. Each attempt holds a connection permit until its body has been read
//! and is traced in a span of its own.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
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

/// A validated request, built into the HTTP request every attempt sends.
pub(crate) struct Outgoing {
    /// Copied for every attempt but the last, which sends it itself.
    request: Option<reqwest::Request>,
    path_template: &'static str,
    max_retries: u32,
}

impl Transport {
    /// Validates `request` and builds the HTTP request it describes. Done
    /// before the exchange's future exists, so that the future carries the
    /// built request only.
    pub(crate) fn outgoing(&self, request: ApiRequest) -> Result<Outgoing, Error> {
        let prepared = request.prepare(self.base_url.path())?;
        Ok(Outgoing {
            path_template: prepared.path_template,
            max_retries: prepared.max_retries.unwrap_or(self.max_retries),
            request: Some(self.build(prepared)),
        })
    }

    /// Sends `outgoing`, retrying transient failures, and returns the first
    /// 2xx response with its body. Kept free of generics so that hundreds
    /// of operations share one copy.
    ///
    /// Only the exchange up to the response headers is retried: once a 2xx
    /// response has started, a failure to read its body is reported, since
    /// the operation has already taken effect.
    // `async fn` would copy its arguments into a second place in its
    // future; an `async` block keeps them where it captured them.
    #[allow(clippy::manual_async_fn)]
    pub(crate) fn exchange(
        self: Arc<Self>,
        mut outgoing: Outgoing,
        success_body: SuccessBody,
    ) -> impl Future<Output = Result<RawResponse, Error>> + Send + 'static {
        // Each attempt is started by a plain function, so the future holds
        // no locals beside the attempt in flight.
        async move {
            let mut retries = 0;
            loop {
                let last = retries >= outgoing.max_retries;
                let (attempt, span) =
                    self.start_attempt(&mut outgoing, retries, last, success_body)?;
                let failure = match attempt.await {
                    Ok(response) => return Ok(response),
                    Err(failure) if last || !failure.retryable => return Err(failure.error),
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
                retries += 1;
            }
        }
    }

    /// Attempt `retries + 1`, traced in a span of its own: a copy of the
    /// request, or the request itself when it is the `last` the policy
    /// allows.
    fn start_attempt(
        &self,
        outgoing: &mut Outgoing,
        retries: u32,
        last: bool,
        success_body: SuccessBody,
    ) -> Result<
        (
            Instrumented<impl Future<Output = Result<RawResponse, Failure>> + Send + '_>,
            Span,
        ),
        Error,
    > {
        let request = if last {
            outgoing.request.take()
        } else {
            // Only a streamed body cannot be cloned, and requests never
            // stream theirs.
            outgoing
                .request
                .as_ref()
                .and_then(reqwest::Request::try_clone)
        };
        let request = request.ok_or_else(|| {
            Error::InvalidRequest("the request body cannot be sent twice".to_owned())
        })?;
        let span = attempt_span(request.method(), outgoing.path_template, retries + 1);
        let attempt = self.attempt(self.http.execute(request), success_body, span.clone());
        Ok((attempt.instrument(span.clone()), span))
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
            let content_type = prepared
                .content_type
                .unwrap_or_else(|| HeaderValue::from_static("application/json"));
            headers.insert(CONTENT_TYPE, content_type);
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
    #[allow(clippy::manual_async_fn)] // As `exchange` is.
    fn attempt(
        &self,
        response: impl Future<Output = reqwest::Result<reqwest::Response>> + Send + 'static,
        success_body: SuccessBody,
        span: Span,
    ) -> impl Future<Output = Result<RawResponse, Failure>> + Send + '_ {
        async move {
            // The semaphore is never closed, so `acquire` cannot fail.
            let _permit = self.connections.acquire().await.ok();
            let (status, headers, body) = match response.await {
                Ok(response) => into_parts(response),
                Err(error) => {
                    // A request reqwest could not even build fails the same way
                    // every time.
                    let retryable = !error.is_builder();
                    return Err(Failure::traced(transport_error(error), retryable, &span));
                }
            };
            span.record("status", status.as_u16());
            if status.is_success() {
                let body = match (body.await, success_body) {
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
            let body = body.await.unwrap_or_default();
            let error = ApiError::from_response(status, headers, &body);
            Err(Failure {
                error: Error::Api(Box::new(error)),
                retryable,
            })
        }
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

/// The status and headers of `response`, and the future of its body.
/// Taking the response apart in a plain function lets the attempt's future
/// forget it.
fn into_parts(
    mut response: reqwest::Response,
) -> (
    StatusCode,
    HeaderMap,
    impl Future<Output = reqwest::Result<Bytes>>,
) {
    let headers = std::mem::take(response.headers_mut());
    (response.status(), headers, response.bytes())
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
