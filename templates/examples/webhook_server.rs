//! A webhook server that answers every inbound call, says one sentence and
//! hangs up: the smallest complete Call Control application.
//!
//! ```sh
//! TELNYX_API_KEY=KEY... TELNYX_PUBLIC_KEY=B64... PORT=3000 \
//!     cargo run --example webhook_server --features axum
//! ```
//!
//! Point the Call Control application's webhook URL at
//! `http(s)://<this host>/webhooks/telnyx`. `TELNYX_BASE_URL` redirects the
//! API calls (to a mock, say), `BIND_ADDR` replaces the default
//! `127.0.0.1:$PORT` listening address, and `PORT` defaults to 3000.

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use telnyx_api::types::CallInitiatedPayloadDirection;
use telnyx_api::webhooks::VerifiedWebhook;
use telnyx_api::{Client, WebhookEvent, Webhooks};

/// Where the router accepts webhooks.
pub const WEBHOOK_PATH: &str = "/webhooks/telnyx";
/// What the caller hears once the call is answered.
pub const GREETING: &str = "Hello from Rust. Goodbye.";
/// The text-to-speech voice the greeting is spoken in.
pub const VOICE: &str = "female";

#[derive(Clone)]
struct AppState {
    client: Client,
    webhooks: Webhooks,
}

impl FromRef<AppState> for Client {
    fn from_ref(state: &AppState) -> Self {
        state.client.clone()
    }
}

impl FromRef<AppState> for Webhooks {
    fn from_ref(state: &AppState) -> Self {
        state.webhooks.clone()
    }
}

/// The application: verified webhooks posted to [`WEBHOOK_PATH`] drive the
/// calls they are about through `client`.
pub fn app(client: Client, webhooks: Webhooks) -> Router {
    Router::new()
        .route(WEBHOOK_PATH, post(webhook))
        .with_state(AppState { client, webhooks })
}

async fn webhook(
    State(client): State<Client>,
    VerifiedWebhook(event): VerifiedWebhook,
) -> StatusCode {
    if let Some((step, call_control_id)) = next_step(&event) {
        // Telnyx retries a webhook it gets no quick answer to, so the command
        // is sent after the response rather than before it.
        tokio::spawn(async move {
            if let Err(error) = take(&client, step, call_control_id).await {
                eprintln!("call command failed: {error}");
            }
        });
    }
    StatusCode::OK
}

/// What a call needs next.
enum Step {
    Answer,
    Speak,
    HangUp,
}

/// The step `event` calls for, if any, and the call to take it on.
fn next_step(event: &WebhookEvent) -> Option<(Step, String)> {
    let (step, call_control_id) = match event {
        WebhookEvent::CallInitiated(initiated) => {
            let payload = initiated.data.payload.as_ref()?;
            // Outgoing calls are this application's own; the far end answers.
            if payload.direction != Some(CallInitiatedPayloadDirection::Incoming) {
                return None;
            }
            (Step::Answer, &payload.call_control_id)
        }
        WebhookEvent::CallAnswered(answered) => (
            Step::Speak,
            &answered.data.payload.as_ref()?.call_control_id,
        ),
        WebhookEvent::CallSpeakEnded(ended) => {
            (Step::HangUp, &ended.data.payload.as_ref()?.call_control_id)
        }
        _ => return None,
    };
    Some((step, call_control_id.clone()?))
}

/// Sends the command for `step` on the call.
///
/// Each command goes at most once per call: Telnyx ignores a command whose
/// `command_id` it has already seen on the call, so a retried webhook cannot
/// answer, speak or hang up a second time.
async fn take(
    client: &Client,
    step: Step,
    call_control_id: String,
) -> Result<(), telnyx_api::Error> {
    let actions = client.calls().actions();
    match step {
        Step::Answer => {
            actions.answer(call_control_id).command_id("answer").await?;
        }
        Step::Speak => {
            actions
                .speak(call_control_id, GREETING, VOICE)
                .command_id("speak")
                .await?;
        }
        Step::HangUp => {
            actions.hangup(call_control_id).command_id("hangup").await?;
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    // Read separately so that a missing key stops the server at start,
    // not at the first webhook.
    let webhooks = Webhooks::from_env()?;
    let address = match std::env::var("BIND_ADDR") {
        Ok(address) => address,
        Err(_) => format!(
            "127.0.0.1:{}",
            std::env::var("PORT").unwrap_or_else(|_| "3000".to_owned())
        ),
    };
    let listener = tokio::net::TcpListener::bind(&address).await?;
    eprintln!(
        "listening on http://{}{WEBHOOK_PATH}",
        listener.local_addr()?
    );
    axum::serve(listener, app(client, webhooks)).await?;
    Ok(())
}
