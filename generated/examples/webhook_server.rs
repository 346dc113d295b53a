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
use serde_json::Value;
use telnyx::runtime::{VerifiedWebhook, Webhooks};
use telnyx::Client;

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
    VerifiedWebhook(event): VerifiedWebhook<Value>,
) -> StatusCode {
    // Telnyx retries a webhook it gets no quick answer to, so the command is
    // sent after the response rather than before it.
    tokio::spawn(async move {
        if let Err(error) = act(&client, &event).await {
            eprintln!("call command failed: {error}");
        }
    });
    StatusCode::OK
}

/// Sends the command that moves the call on from `event`, if any.
async fn act(client: &Client, event: &Value) -> Result<(), telnyx::Error> {
    let data = &event["data"];
    let payload = &data["payload"];
    let (Some(event_type), Some(call_control_id)) = (
        data["event_type"].as_str(),
        payload["call_control_id"].as_str(),
    ) else {
        return Ok(());
    };
    // A retried webhook repeats its event id; as the command id it makes
    // Telnyx ignore the repeated command.
    let command_id = data["id"].as_str().unwrap_or_default().to_owned();
    let actions = client.calls().actions();
    match event_type {
        "call.initiated" if payload["direction"] == "incoming" => {
            actions
                .answer(call_control_id)
                .command_id(command_id)
                .await?;
        }
        "call.answered" => {
            actions
                .speak(call_control_id, GREETING, VOICE)
                .command_id(command_id)
                .await?;
        }
        "call.speak.ended" => {
            actions
                .hangup(call_control_id)
                .command_id(command_id)
                .await?;
        }
        _ => {}
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
