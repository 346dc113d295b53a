//! The API key never leaks: not into logs at TRACE level (the client's own
//! spans and events and, through the `log` bridge, those of reqwest and
//! hyper), nor into any rendering of an error, a client, a builder or a
//! response, whatever goes wrong. The same run checks that the spans carry
//! the fields they promise, so it cannot pass with tracing missing.
//!
//! The subscriber is global, so everything runs in one test.

use std::error::Error as _;
use std::io::{self, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::json;
use telnyx_api::{Client, Error};
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::fmt::format::FmtSpan;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const API_KEY: &str = "KEY0123SECRETxyz";
/// A caller's own credential passed with `.header(..)`.
const EXTRA_SECRET: &str = "TOKEN-extra-987";
/// The retryable statuses of the retry policy.
const RETRYABLE: [u16; 7] = [408, 409, 429, 500, 502, 503, 504];
const ANSWER_TEMPLATE: &str = "/calls/{call_control_id}/actions/answer";

/// Everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let mut buffer = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        buffer.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Installs a TRACE subscriber that also receives `log` records (reqwest's)
/// and reports span closes with every field recorded on the span.
fn capture_everything() -> Captured {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(LevelFilter::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .try_init()
        .expect("no other subscriber is installed in this test binary");
    captured
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(base_url)
        .build()
        .expect("a valid client")
}

fn answer_path(call_control_id: &str) -> String {
    format!("/calls/{call_control_id}/actions/answer")
}

async fn respond(server: &MockServer, call_control_id: &str, response: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path(answer_path(call_control_id)))
        .respond_with(response)
        .mount(server)
        .await;
}

/// A port nothing listens on: bound, then released.
async fn closed_port_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free loopback port");
    let address = listener.local_addr().expect("a bound address");
    drop(listener);
    format!("http://{address}")
}

/// Every `Error` the scenarios produced, labelled.
#[derive(Default)]
struct Errors(Vec<(String, Error)>);

impl Errors {
    fn expect(&mut self, label: impl Into<String>, result: Result<impl std::fmt::Debug, Error>) {
        let label = label.into();
        match result {
            Ok(value) => panic!("{label}: expected an error, got {value:?}"),
            Err(error) => self.0.push((label, error)),
        }
    }
}

/// All renderings of `error` and of every error in its `source()` chain.
fn renderings(error: &Error) -> Vec<String> {
    let mut texts = vec![
        format!("{error}"),
        format!("{error:?}"),
        format!("{error:#?}"),
    ];
    let mut source = error.source();
    while let Some(cause) = source {
        texts.extend([
            format!("{cause}"),
            format!("{cause:?}"),
            format!("{cause:#?}"),
        ]);
        source = cause.source();
    }
    texts
}

fn assert_no_secret(label: &str, text: &str) {
    for secret in [API_KEY, "Bearer", EXTRA_SECRET] {
        if let Some(at) = text.find(secret) {
            let start = text[..at].rfind('\n').map_or(0, |newline| newline + 1);
            let end = text[at..]
                .find('\n')
                .map_or(text.len(), |newline| at + newline);
            panic!("{label} contains `{secret}`: {}", &text[start..end]);
        }
    }
}

#[tokio::test]
async fn the_api_key_never_leaks_and_attempts_are_traced() {
    let captured = capture_everything();
    let server = MockServer::start().await;
    let client = client(&server.uri());
    let mut errors = Errors::default();

    // Success, with a caller credential in an extra header.
    respond(
        &server,
        "ok",
        ResponseTemplate::new(200)
            .insert_header("x-request-id", "req-ok")
            .set_body_json(json!({"data": {"result": "ok"}})),
    )
    .await;
    let builder = client
        .calls()
        .actions()
        .answer("ok")
        .header("x-extra-token", EXTRA_SECRET);
    let builder_debug = format!("{builder:?} {builder:#?}");
    let response = builder.send_with_response().await.expect("a success");
    assert_eq!(response.request_id(), Some("req-ok"));
    let response_debug = format!("{response:?} {response:#?}");

    // Every retryable status, until the retries are spent.
    for status in RETRYABLE {
        let id = format!("retry-{status}");
        respond(
            &server,
            &id,
            ResponseTemplate::new(status).insert_header("retry-after-ms", "1"),
        )
        .await;
        errors.expect(
            format!("status {status}"),
            client.calls().actions().answer(id.as_str()).await,
        );
    }

    // An API error, not retried.
    respond(
        &server,
        "rejected",
        ResponseTemplate::new(422).set_body_json(json!({
            "errors": [{"code": "90015", "title": "Invalid value", "detail": "Bad call."}]
        })),
    )
    .await;
    errors.expect(
        "API error",
        client.calls().actions().answer("rejected").await,
    );

    // A timeout, retried once.
    respond(
        &server,
        "slow",
        ResponseTemplate::new(200).set_delay(Duration::from_secs(5)),
    )
    .await;
    errors.expect(
        "timeout",
        client
            .calls()
            .actions()
            .answer("slow")
            .timeout(Duration::from_millis(100))
            .max_retries(1)
            .await,
    );

    // A refused connection, retried once.
    let unreachable = self::client(&closed_port_url().await);
    errors.expect(
        "connection error",
        unreachable
            .calls()
            .actions()
            .answer("down")
            .max_retries(1)
            .await,
    );

    // A success whose body does not decode.
    respond(
        &server,
        "garbled",
        ResponseTemplate::new(200).set_body_json(json!({"data": {"result": 5}})),
    )
    .await;
    errors.expect(
        "decode error",
        client.calls().actions().answer("garbled").await,
    );

    // Requests refused before sending, and clients refused before building.
    errors.expect(
        "invalid request",
        client
            .calls()
            .actions()
            .answer("")
            .header("x-bad", "line\nbreak")
            .await,
    );
    let builder = Client::builder().api_key(API_KEY).base_url("not a url");
    let client_builder_debug = format!("{builder:?} {builder:#?}");
    errors.expect("bad base URL", builder.build());
    errors.expect(
        "key with a control character",
        Client::new(format!("{API_KEY}\u{7f}")),
    );
    errors.expect(
        "no connections",
        Client::builder()
            .api_key(API_KEY)
            .max_connections(0)
            .build(),
    );

    let kinds: Vec<&str> = errors.0.iter().map(|(_, error)| variant(error)).collect();
    for expected in [
        "Api",
        "Timeout",
        "Connection",
        "Decode",
        "InvalidRequest",
        "Config",
    ] {
        assert!(
            kinds.contains(&expected),
            "no {expected} error was produced: {kinds:?}"
        );
    }
    for (label, error) in &errors.0 {
        for text in renderings(error) {
            assert_no_secret(label, &text);
        }
    }
    assert_no_secret("Debug of the client", &format!("{client:?} {client:#?}"));
    assert_no_secret("Debug of the client builder", &client_builder_debug);
    assert_no_secret("Debug of the request builder", &builder_debug);
    assert_no_secret("Debug of the response", &response_debug);

    let logs = captured.text();
    // Otherwise the check below would skip what the HTTP stack logs.
    for dependency in [" reqwest::", " hyper_util::"] {
        assert!(
            logs.contains(dependency),
            "nothing from {dependency} was captured"
        );
    }
    assert_no_secret("the captured logs", &logs);
    assert_attempts_traced(&logs);
}

fn variant(error: &Error) -> &'static str {
    match error {
        Error::Api(_) => "Api",
        Error::Connection(_) => "Connection",
        Error::Timeout => "Timeout",
        Error::Decode(_) => "Decode",
        Error::InvalidRequest(_) => "InvalidRequest",
        Error::Config(_) => "Config",
        _ => "another variant",
    }
}

/// The span of each attempt names the operation by its path template and
/// records the attempt number and the status or the kind of failure; each
/// retry is announced with its delay and reason.
fn assert_attempts_traced(logs: &str) {
    let closes: Vec<&str> = logs
        .lines()
        .filter(|line| line.contains("telnyx.request{") && is_span_close(line))
        .collect();
    // The fmt subscriber quotes text fields.
    let template = format!("path=\"{ANSWER_TEMPLATE}\"");
    assert!(
        closes
            .iter()
            .all(|line| line.contains("method=\"POST\"") && line.contains(&template)),
        "every attempt span names the method and the path template:\n{}",
        closes.join("\n")
    );
    // 1 success, 3 attempts per retryable status, 1 API error, 2 timeouts,
    // 2 refused connections, 1 decode error.
    assert_eq!(closes.len(), 1 + 3 * RETRYABLE.len() + 1 + 2 + 2 + 1);
    let with = |needles: &[&str]| {
        closes
            .iter()
            .filter(|line| needles.iter().all(|needle| line.contains(needle)))
            .count()
    };
    assert_eq!(with(&["attempt=1", "status=200"]), 2, "success and decode");
    for status in RETRYABLE {
        let status = format!("status={status}");
        for attempt in ["attempt=1", "attempt=2", "attempt=3"] {
            assert_eq!(with(&[attempt, &status]), 1, "{attempt} {status}");
        }
    }
    assert_eq!(with(&["attempt=1", "status=422"]), 1);
    assert_eq!(with(&["error=\"timeout\""]), 2);
    assert_eq!(with(&["error=\"connection\""]), 2);

    let retries: Vec<&str> = logs
        .lines()
        .filter(|line| line.contains("retry scheduled"))
        .collect();
    assert_eq!(retries.len(), 2 * RETRYABLE.len() + 1 + 1);
    assert!(
        retries
            .iter()
            .all(|line| line.contains("DEBUG") && line.contains("delay_ms=")),
        "{retries:#?}"
    );
    for reason in ["reason=status 503", "reason=timeout", "reason=connection"] {
        assert!(
            retries.iter().any(|line| line.contains(reason)),
            "no retry with {reason}: {retries:#?}"
        );
    }
    // The filled path would vary per call and may carry ids.
    assert!(!logs.contains("path=\"/calls/ok"), "{logs}");
}

/// The event `FmtSpan::CLOSE` writes when a span ends.
fn is_span_close(line: &str) -> bool {
    line.contains(": close time.busy=")
}
