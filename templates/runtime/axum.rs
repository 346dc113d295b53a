//! An axum extractor that verifies a webhook's signature before the handler
//! ever sees it (the `axum` feature).

use std::fmt;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::{DecodeWebhook, WebhookError, Webhooks};
use crate::webhooks::WebhookEvent;

/// Verifies the Telnyx signature of the request and decodes its body into
/// `T`: by default the typed [`WebhookEvent`], or any other
/// [`DecodeWebhook`] type, such as one event's struct or
/// [`serde_json::Value`].
///
/// The signature is checked over the exact bytes received, with the
/// [`Webhooks`] taken from the router state (through [`FromRef`], so it can
/// be the state itself or a field of it). Only a verified body is decoded; a
/// refused request is answered with a [`WebhookRejection`] and the handler is
/// not called.
///
/// The body is read with axum's [`Bytes`] extractor, so
/// [`DefaultBodyLimit`](axum::extract::DefaultBodyLimit) applies.
///
/// ```no_run
/// use axum::routing::post;
/// use telnyx_api::runtime::VerifiedWebhook;
/// use telnyx_api::WebhookEvent;
///
/// async fn handle(VerifiedWebhook(event): VerifiedWebhook) {
///     if let WebhookEvent::CallHangup(hangup) = event {
///         let _cause = hangup.data.payload.and_then(|p| p.hangup_cause);
///     }
/// }
///
/// # fn main() -> Result<(), telnyx_api::WebhookError> {
/// let webhooks = telnyx_api::Webhooks::from_env()?; // TELNYX_PUBLIC_KEY
/// let app: axum::Router = axum::Router::new()
///     .route("/webhooks/telnyx", post(handle))
///     .with_state(webhooks);
/// # let _ = app;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct VerifiedWebhook<T = WebhookEvent>(pub T);

impl<S, T> FromRequest<S> for VerifiedWebhook<T>
where
    Webhooks: FromRef<S>,
    T: DecodeWebhook + Send + 'static,
    S: Send + Sync,
{
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let webhooks = Webhooks::from_ref(state);
        // Cloned because reading the body consumes the request; only two of
        // these headers are ever looked at.
        let headers = request.headers().clone();
        let body = Bytes::from_request(request, state)
            .await
            .map_err(WebhookRejection::body)?;
        webhooks
            .unwrap_as::<T, _>(&body, &headers)
            .map(VerifiedWebhook)
            .map_err(WebhookRejection::webhook)
    }
}

/// Why a webhook request was refused.
///
/// As a response it carries the status and a fixed short reason, never
/// anything from the request: echoing a body or signature back would help
/// whoever is probing the endpoint. The full cause stays available through
/// [`error`](Self::error) and [`source`](std::error::Error::source) for
/// callers that want to log it.
#[derive(Debug)]
pub struct WebhookRejection {
    status: StatusCode,
    reason: &'static str,
    cause: Cause,
}

#[derive(Debug)]
enum Cause {
    Body(BytesRejection),
    Webhook(WebhookError),
}

impl WebhookRejection {
    fn body(rejection: BytesRejection) -> Self {
        let (status, reason) = if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            (StatusCode::PAYLOAD_TOO_LARGE, "webhook body too large")
        } else {
            (StatusCode::BAD_REQUEST, "unreadable webhook body")
        };
        Self {
            status,
            reason,
            cause: Cause::Body(rejection),
        }
    }

    fn webhook(error: WebhookError) -> Self {
        let (status, reason) = status_and_reason(&error);
        Self {
            status,
            reason,
            cause: Cause::Webhook(error),
        }
    }

    /// The HTTP status the response carries: 400 for a malformed or unsigned
    /// request, 401 for a signature that does not verify or a timestamp
    /// outside the tolerance, 413 for a body over the limit, 422 for a
    /// verified body that is not a webhook of the expected type, 500 when no
    /// valid public key is configured.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The verification or decoding failure, or `None` when the body could
    /// not be read.
    pub fn error(&self) -> Option<&WebhookError> {
        match &self.cause {
            Cause::Webhook(error) => Some(error),
            Cause::Body(_) => None,
        }
    }
}

fn status_and_reason(error: &WebhookError) -> (StatusCode, &'static str) {
    // No wildcard arm, so that a new variant must be given its status here.
    match error {
        WebhookError::MissingHeader { .. } => {
            (StatusCode::BAD_REQUEST, "missing webhook signature headers")
        }
        WebhookError::MalformedTimestamp { .. } => {
            (StatusCode::BAD_REQUEST, "malformed webhook timestamp")
        }
        WebhookError::InvalidSignatureEncoding | WebhookError::InvalidSignatureLength { .. } => {
            (StatusCode::BAD_REQUEST, "malformed webhook signature")
        }
        WebhookError::StaleTimestamp { .. } | WebhookError::FutureTimestamp { .. } => (
            StatusCode::UNAUTHORIZED,
            "webhook timestamp outside the accepted window",
        ),
        WebhookError::SignatureMismatch => (StatusCode::UNAUTHORIZED, "invalid webhook signature"),
        WebhookError::Decode(_) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "unrecognized webhook payload",
        ),
        // The server's configuration is at fault, not the request.
        WebhookError::NoPublicKey
        | WebhookError::InvalidKeyEncoding
        | WebhookError::InvalidKeyLength { .. }
        | WebhookError::InvalidKey => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "webhook verification is misconfigured",
        ),
    }
}

impl fmt::Display for WebhookRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "webhook rejected with {}: {}", self.status, self.reason)
    }
}

impl std::error::Error for WebhookRejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.cause {
            Cause::Body(rejection) => Some(rejection),
            Cause::Webhook(error) => Some(error),
        }
    }
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        (self.status, self.reason).into_response()
    }
}
