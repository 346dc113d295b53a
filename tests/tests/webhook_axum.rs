//! The axum webhook extractor and the two webhook examples, end to end over
//! loopback HTTP: signed requests reach the handler, everything else gets a
//! fixed rejection, and the example server drives a whole inbound call
//! against a mock Telnyx API.

mod common;

#[allow(dead_code)] // `main` and `USAGE` are for the example binary
#[path = "../../generated/examples/verify_webhook.rs"]
mod verify_webhook;

#[allow(dead_code)] // `main` is for the example binary
#[path = "../../generated/examples/webhook_server.rs"]
mod webhook_server;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{DefaultBodyLimit, FromRef, State};
use axum::routing::post;
use axum::Router;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Value};
use telnyx_api::runtime::{
    FixedClock, VerifiedWebhook, Webhooks, SIGNATURE_HEADER, TIMESTAMP_HEADER,
};
use telnyx_api::types::CallHangupEvent;
use telnyx_api::{Client, WebhookEvent};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use common::webhook_vector::{self as vector, sign, sign_with, NOW};

/// Every text a rejection may carry; anything else would be a leak.
const REASONS: [&str; 7] = [
    "missing webhook signature headers",
    "malformed webhook timestamp",
    "malformed webhook signature",
    "webhook timestamp outside the accepted window",
    "invalid webhook signature",
    "unrecognized webhook payload",
    "webhook verification is misconfigured",
];

fn webhooks() -> Webhooks {
    Webhooks::from_base64_key(vector::PUBLIC_KEY)
        .expect("the vector's key is valid")
        .with_clock(FixedClock(NOW))
}

/// Serves `router` on an ephemeral loopback port for the rest of the test,
/// returning its base URL.
async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let address = listener.local_addr().expect("a bound address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}")
}

struct Delivery<'a> {
    body: &'a str,
    timestamp: Option<&'a str>,
    signature: Option<&'a str>,
}

impl<'a> Delivery<'a> {
    fn signed(timestamp: &'a str, body: &'a str, signature: &'a str) -> Self {
        Delivery {
            body,
            timestamp: Some(timestamp),
            signature: Some(signature),
        }
    }

    async fn post(&self, url: &str) -> (u16, String) {
        let mut request = reqwest::Client::new()
            .post(url)
            .header("content-type", "application/json")
            .body(self.body.to_owned());
        if let Some(timestamp) = self.timestamp {
            request = request.header(TIMESTAMP_HEADER, timestamp);
        }
        if let Some(signature) = self.signature {
            request = request.header(SIGNATURE_HEADER, signature);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        (status, response.text().await.expect("a text body"))
    }
}

// ---- the extractor ----

#[derive(Clone)]
struct Recorder {
    webhooks: Webhooks,
    seen: Arc<Mutex<Vec<WebhookEvent>>>,
}

impl FromRef<Recorder> for Webhooks {
    fn from_ref(state: &Recorder) -> Self {
        state.webhooks.clone()
    }
}

async fn record(
    State(state): State<Recorder>,
    VerifiedWebhook(event): VerifiedWebhook,
) -> &'static str {
    state.seen.lock().unwrap().push(event);
    "ok"
}

/// A server whose handler records every event that reaches it.
async fn recorder(webhooks: Webhooks) -> (String, Arc<Mutex<Vec<WebhookEvent>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let state = Recorder {
        webhooks,
        seen: Arc::clone(&seen),
    };
    let router = Router::new()
        .route("/webhook", post(record))
        .layer(DefaultBodyLimit::max(4096))
        .with_state(state);
    (format!("{}/webhook", serve(router).await), seen)
}

/// The request was refused with `status` and a fixed reason that repeats
/// nothing of the request.
fn assert_refused(delivery: &Delivery<'_>, answer: (u16, String), status: u16) {
    let (actual, text) = answer;
    assert_eq!(actual, status, "{text}");
    assert!(
        REASONS.contains(&text.as_str()),
        "unexpected reason {text:?}"
    );
    if let Some(signature) = delivery.signature {
        assert!(!text.contains(signature));
    }
    assert!(delivery.body.len() < 8 || !text.contains(delivery.body));
}

#[tokio::test]
async fn a_signed_request_reaches_the_handler_decoded() {
    let (url, seen) = recorder(webhooks()).await;
    let delivery = Delivery::signed(vector::TIMESTAMP, vector::BODY, vector::SIGNATURE);
    assert_eq!(delivery.post(&url).await, (200, "ok".to_owned()));
    let seen = seen.lock().unwrap();
    let [WebhookEvent::CallHangup(hangup)] = seen.as_slice() else {
        panic!("the handler saw {seen:?}");
    };
    let payload = hangup.data.payload.as_ref().expect("a payload");
    assert_eq!(payload.call_control_id.as_deref(), Some("v3:abc"));
}

#[tokio::test]
async fn any_decodable_type_can_be_extracted() {
    use axum::extract::FromRequest as _;

    let request = || {
        axum::http::Request::post("/")
            .header(TIMESTAMP_HEADER, vector::TIMESTAMP)
            .header(SIGNATURE_HEADER, vector::SIGNATURE)
            .body(axum::body::Body::from(vector::BODY))
            .unwrap()
    };
    let VerifiedWebhook(hangup) =
        VerifiedWebhook::<CallHangupEvent>::from_request(request(), &webhooks())
            .await
            .expect("the vector verifies");
    assert_eq!(
        hangup.data.id.as_deref(),
        Some("0ccc7b54-4df3-4bca-a65a-3da1ecc777f0")
    );
    let VerifiedWebhook(raw) = VerifiedWebhook::<Value>::from_request(request(), &webhooks())
        .await
        .expect("the vector verifies");
    assert_eq!(raw["meta"]["attempt"], 1);
}

#[tokio::test]
async fn forged_stale_and_unsigned_requests_are_refused() {
    let (url, seen) = recorder(webhooks()).await;
    let tampered = vector::BODY.replace("v3:abc", "v3:abd");
    let other_key = sign_with(&[7; 32], vector::TIMESTAMP, vector::BODY);
    let stale_at = (NOW - 301).to_string();
    let stale = sign(&stale_at, vector::BODY);
    let future_at = (NOW + 301).to_string();
    let future = sign(&future_at, vector::BODY);
    let short = STANDARD.encode([0; 63]);
    let cases = [
        // Forged: the body changed after signing, or another key signed it.
        (
            Delivery::signed(vector::TIMESTAMP, &tampered, vector::SIGNATURE),
            401,
        ),
        (
            Delivery::signed(vector::TIMESTAMP, vector::BODY, &other_key),
            401,
        ),
        (Delivery::signed(&stale_at, vector::BODY, &stale), 401),
        (Delivery::signed(&future_at, vector::BODY, &future), 401),
        (
            Delivery::signed("17e8", vector::BODY, vector::SIGNATURE),
            400,
        ),
        (
            Delivery::signed(vector::TIMESTAMP, vector::BODY, "not base64!"),
            400,
        ),
        (
            Delivery::signed(vector::TIMESTAMP, vector::BODY, &short),
            400,
        ),
        (
            Delivery {
                body: vector::BODY,
                timestamp: None,
                signature: None,
            },
            400,
        ),
        (
            Delivery {
                body: vector::BODY,
                timestamp: Some(vector::TIMESTAMP),
                signature: None,
            },
            400,
        ),
    ];
    for (delivery, status) in &cases {
        assert_refused(delivery, delivery.post(&url).await, *status);
    }
    assert!(
        seen.lock().unwrap().is_empty(),
        "a refused request reached the handler"
    );
}

#[tokio::test]
async fn a_signed_body_that_does_not_decode_is_unprocessable() {
    let (url, seen) = recorder(webhooks()).await;
    let bodies = [
        r#"{"data":{"event_type":"call.hangup","#,
        r#"{"data":{"event_type":"call.hangup","payload":{"call_control_id":7}}}"#,
    ];
    for body in bodies {
        let signature = sign(vector::TIMESTAMP, body);
        let delivery = Delivery::signed(vector::TIMESTAMP, body, &signature);
        assert_refused(&delivery, delivery.post(&url).await, 422);
    }
    assert!(seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_server_without_a_public_key_fails_closed() {
    let (url, seen) = recorder(Webhooks::without_key()).await;
    let delivery = Delivery::signed(vector::TIMESTAMP, vector::BODY, vector::SIGNATURE);
    assert_refused(&delivery, delivery.post(&url).await, 500);
    assert!(seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_before_verification() {
    let (url, seen) = recorder(webhooks()).await;
    let body = format!(r#"{{"padding":"{}"}}"#, "x".repeat(5000));
    let signature = sign(vector::TIMESTAMP, &body);
    let (status, text) = Delivery::signed(vector::TIMESTAMP, &body, &signature)
        .post(&url)
        .await;
    assert_eq!((status, text.as_str()), (413, "webhook body too large"));
    assert!(seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn rejections_report_their_cause_to_the_application() {
    use axum::extract::FromRequest as _;
    use axum::response::IntoResponse as _;

    let request = axum::http::Request::post("/")
        .header(TIMESTAMP_HEADER, vector::TIMESTAMP)
        .header(SIGNATURE_HEADER, vector::SIGNATURE)
        .body(axum::body::Body::from(
            vector::BODY.replace("v3:abc", "v3:abd"),
        ))
        .unwrap();
    let rejection = VerifiedWebhook::<Value>::from_request(request, &webhooks())
        .await
        .unwrap_err();
    assert_eq!(rejection.status().as_u16(), 401);
    assert!(matches!(
        rejection.error(),
        Some(telnyx_api::runtime::WebhookError::SignatureMismatch)
    ));
    assert!(std::error::Error::source(&rejection).is_some());
    assert_eq!(
        rejection.to_string(),
        "webhook rejected with 401 Unauthorized: invalid webhook signature"
    );
    assert_eq!(rejection.into_response().status().as_u16(), 401);
}

// ---- the webhook_server example ----

/// A webhook about call `v3:inbound`, signed at the vector's time.
fn call_event(event_type: &str, id: &str, payload: Value) -> (String, String) {
    let mut payload = payload;
    payload["call_control_id"] = json!("v3:inbound");
    payload["call_leg_id"] = json!("428c31b6-7af4-4bcb-b7f5-5013ef9657c1");
    payload["call_session_id"] = json!("428c31b6-abf3-3bc1-b7f4-5013ef9657c1");
    payload["connection_id"] = json!("1684641123236054244");
    let body = json!({
        "data": {
            "event_type": event_type,
            "id": id,
            "occurred_at": "2024-01-01T00:00:00.000000Z",
            "payload": payload,
            "record_type": "event",
        },
        "meta": {"attempt": 1, "delivered_to": "https://example.com/webhooks/telnyx"},
    })
    .to_string();
    let signature = sign(vector::TIMESTAMP, &body);
    (body, signature)
}

async fn call_server() -> (String, MockServer) {
    let telnyx = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {"result": "ok"}})))
        .mount(&telnyx)
        .await;
    let client = Client::builder()
        .api_key(common::API_KEY)
        .base_url(telnyx.uri())
        .build()
        .expect("valid client configuration");
    let url = serve(webhook_server::app(client, webhooks())).await;
    (format!("{url}{}", webhook_server::WEBHOOK_PATH), telnyx)
}

/// The API requests the server has made so far, once `count` of them
/// arrived: the example sends them after answering the webhook.
async fn api_requests(telnyx: &MockServer, count: usize) -> Vec<wiremock::Request> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let requests = common::received(telnyx).await;
        if requests.len() >= count || Instant::now() > deadline {
            return requests;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn the_example_server_answers_speaks_and_hangs_up() {
    let (url, telnyx) = call_server().await;
    let steps = [
        (
            "call.initiated",
            "e-1",
            json!({"direction": "incoming", "from": "+18005550100", "to": "+18005550199", "state": "parked"}),
            "/calls/v3:inbound/actions/answer",
            json!({"command_id": "answer"}),
        ),
        (
            "call.answered",
            "e-2",
            json!({"from": "+18005550100", "to": "+18005550199"}),
            "/calls/v3:inbound/actions/speak",
            json!({
                "command_id": "speak",
                "payload": webhook_server::GREETING,
                "voice": webhook_server::VOICE,
            }),
        ),
        (
            "call.speak.ended",
            "e-3",
            json!({"status": "completed"}),
            "/calls/v3:inbound/actions/hangup",
            json!({"command_id": "hangup"}),
        ),
    ];
    for (n, (event_type, id, payload, api_path, api_body)) in steps.into_iter().enumerate() {
        let (body, signature) = call_event(event_type, id, payload);
        let answer = Delivery::signed(vector::TIMESTAMP, &body, &signature)
            .post(&url)
            .await;
        assert_eq!(answer.0, 200, "{event_type}: {}", answer.1);
        let requests = api_requests(&telnyx, n + 1).await;
        assert_eq!(requests.len(), n + 1, "{event_type} made no API call");
        let request = &requests[n];
        assert_eq!(request.method.as_str(), "POST");
        assert_eq!(request.url.path(), api_path);
        assert_eq!(common::json_body(request), api_body, "{event_type}");
    }
}

#[tokio::test]
async fn the_example_server_ignores_outgoing_calls_and_forged_requests() {
    let (url, telnyx) = call_server().await;

    let (body, _) = call_event("call.initiated", "e-1", json!({"direction": "incoming"}));
    let forged = sign_with(&[7; 32], vector::TIMESTAMP, &body);
    let delivery = Delivery::signed(vector::TIMESTAMP, &body, &forged);
    assert_refused(&delivery, delivery.post(&url).await, 401);

    let (body, signature) = call_event("call.initiated", "e-2", json!({"direction": "outgoing"}));
    let answer = Delivery::signed(vector::TIMESTAMP, &body, &signature)
        .post(&url)
        .await;
    assert_eq!(answer.0, 200);

    // A command the server does send, as a marker: by the time it arrives,
    // one wrongly sent for the requests before it would have too.
    let (body, signature) = call_event("call.speak.ended", "e-3", json!({}));
    let answer = Delivery::signed(vector::TIMESTAMP, &body, &signature)
        .post(&url)
        .await;
    assert_eq!(answer.0, 200);
    let requests = api_requests(&telnyx, 1).await;
    let paths: Vec<_> = requests.iter().map(|r| r.url.path()).collect();
    assert_eq!(paths, ["/calls/v3:inbound/actions/hangup"]);
}

// ---- the verify_webhook example ----

fn body_file(name: &str, body: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!(
        "telnyx-verify-webhook-{}-{name}.json",
        std::process::id()
    ));
    std::fs::write(&path, body).expect("a writable temp dir");
    path
}

fn verify(body_path: &std::path::Path, now: i64) -> Result<String, verify_webhook::Failure> {
    let now = now.to_string();
    let args = [
        "--public-key",
        vector::PUBLIC_KEY,
        "--timestamp",
        vector::TIMESTAMP,
        "--signature",
        vector::SIGNATURE,
        "--body-file",
        body_path.to_str().expect("a UTF-8 temp path"),
        "--now",
        &now,
    ];
    verify_webhook::run(args.map(str::to_owned))
}

#[test]
fn the_verify_example_names_the_event() {
    let path = body_file("good", vector::BODY);
    let line = verify(&path, NOW).expect("the vector verifies");
    assert_eq!(line, "call.hangup CallHangup");
    std::fs::remove_file(path).ok();
}

#[test]
fn the_verify_example_refuses_tampered_and_stale_deliveries() {
    let path = body_file("tampered", &vector::BODY.replace("v3:abc", "v3:abd"));
    let Err(verify_webhook::Failure::Refused(message)) = verify(&path, NOW) else {
        panic!("a tampered body verified");
    };
    assert!(message.contains("signature does not match"), "{message}");
    std::fs::remove_file(path).ok();

    let path = body_file("stale", vector::BODY);
    let Err(verify_webhook::Failure::Refused(message)) = verify(&path, NOW + 86_400) else {
        panic!("a day-old delivery verified");
    };
    assert!(message.contains("beyond the tolerance"), "{message}");
    std::fs::remove_file(path).ok();
}

#[test]
fn the_verify_example_explains_its_usage() {
    let usage = |args: &[&str]| match verify_webhook::run(args.iter().map(|a| a.to_string())) {
        Err(verify_webhook::Failure::Usage(message)) => message,
        other => panic!("{args:?} gave {other:?}"),
    };
    assert!(usage(&[]).contains("--public-key is required"));
    assert!(usage(&["--public-key"]).contains("needs a value"));
    assert!(usage(&["--verbose"]).contains("unexpected argument"));
}
