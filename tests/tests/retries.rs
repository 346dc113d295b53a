//! Retries against a local mock server: which failures are repeated, how
//! long the client waits in between, and that Call Control commands carry
//! one `command_id` across all attempts of a call.
//!
//! The waits are real: tokio's paused clock cannot be used here, because it
//! jumps to the next timer whenever the runtime waits for I/O, and the
//! client's request timeout is such a timer, so every request would time out
//! while the mock server is still answering. Waits are therefore checked from
//! below exactly and from above with room for a busy machine, and tests not
//! about timing ask for 1 ms waits with `retry-after-ms`.

mod common;

use std::time::Duration;

use common::{client, json_body, received};

use serde_json::{json, Value};
use telnyx::Error;
use tokio::time::Instant;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Slack for a loaded machine when checking a wait from above.
const SLACK: Duration = Duration::from_millis(900);

/// A retryable failure whose retry comes after 1 ms.
fn quick(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status).insert_header("retry-after-ms", "1")
}

fn command_ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"data": {"result": "ok"}}))
}

fn dialed_call() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "data": {"call_control_id": "v3:new", "call_leg_id": "leg", "call_session_id": "s",
                 "is_alive": false, "record_type": "call"}
    }))
}

/// Answers `first` to the first `times` requests to `route`, then `then`.
async fn failing_then(
    server: &MockServer,
    route: &str,
    first: ResponseTemplate,
    times: u64,
    then: ResponseTemplate,
) {
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(then)
        .mount(server)
        .await;
}

const ANSWER: &str = "/calls/abc/actions/answer";

async fn answer(server: &MockServer) -> Result<(), Error> {
    client(server)
        .calls()
        .actions()
        .answer("abc")
        .await
        .map(|_| ())
}

fn command_ids(requests: &[wiremock::Request]) -> Vec<Value> {
    requests
        .iter()
        .map(|request| json_body(request)["command_id"].clone())
        .collect()
}

#[tokio::test]
async fn waits_as_long_as_retry_after_asks() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429).insert_header("retry-after", "2");
    failing_then(&server, ANSWER, limited, 1, command_ok()).await;

    let start = Instant::now();
    answer(&server).await.expect("the retry succeeds");

    let waited = start.elapsed();
    assert!(
        (Duration::from_secs(2)..Duration::from_secs(2) + SLACK).contains(&waited),
        "{waited:?}"
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_a_minute_falls_back_to_the_backoff() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429).insert_header("retry-after", "120");
    failing_then(&server, ANSWER, limited, 1, command_ok()).await;

    let start = Instant::now();
    answer(&server).await.expect("the retry succeeds");

    // The first backoff is 0.5 s less up to a quarter of jitter.
    let waited = start.elapsed();
    assert!(
        (Duration::from_millis(375)..Duration::from_millis(500) + SLACK).contains(&waited),
        "{waited:?}"
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn gives_up_after_two_retries_with_the_last_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(ANSWER))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;

    let start = Instant::now();
    let error = answer(&server).await.expect_err("every attempt fails");

    assert!(
        matches!(&error, Error::Api(api) if api.status.as_u16() == 503),
        "{error:?}"
    );
    assert_eq!(received(&server).await.len(), 3);
    // 0.5 s then 1 s, each less up to a quarter.
    let waited = start.elapsed();
    assert!(
        (Duration::from_millis(1125)..Duration::from_millis(1500) + SLACK).contains(&waited),
        "{waited:?}"
    );
}

#[tokio::test]
async fn the_server_can_forbid_a_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(ANSWER))
        .respond_with(ResponseTemplate::new(500).insert_header("x-should-retry", "false"))
        .mount(&server)
        .await;

    let error = answer(&server).await.expect_err("the mock answers 500");

    assert_eq!(error.status().map(|status| status.as_u16()), Some(500));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn the_server_can_ask_for_a_retry_of_any_status() {
    let server = MockServer::start().await;
    let refused = quick(400).insert_header("x-should-retry", "true");
    failing_then(&server, ANSWER, refused, 1, command_ok()).await;

    answer(&server).await.expect("the retry succeeds");

    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(ANSWER))
        .respond_with(ResponseTemplate::new(422))
        .mount(&server)
        .await;

    let error = answer(&server).await.expect_err("the mock answers 422");

    assert!(error.is_unprocessable(), "{error:?}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn the_retry_limit_is_configurable_per_client_and_per_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(ANSWER))
        .respond_with(quick(503))
        .mount(&server)
        .await;
    let client = telnyx::Client::builder()
        .api_key(common::API_KEY)
        .base_url(server.uri())
        .max_retries(4)
        .build()
        .unwrap();

    client.calls().actions().answer("abc").await.unwrap_err();
    assert_eq!(received(&server).await.len(), 5);

    server.reset().await;
    Mock::given(method("POST"))
        .and(path(ANSWER))
        .respond_with(quick(503))
        .mount(&server)
        .await;
    client
        .calls()
        .actions()
        .answer("abc")
        .max_retries(0)
        .await
        .unwrap_err();
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_retried_command_repeats_its_command_id() {
    let server = MockServer::start().await;
    failing_then(&server, ANSWER, quick(503), 2, command_ok()).await;

    answer(&server).await.expect("the third attempt succeeds");

    let ids = command_ids(&received(&server).await);
    assert_eq!(ids.len(), 3);
    let id = ids[0].as_str().expect("a generated command_id");
    assert_eq!(id.len(), 36, "{id}");
    assert_eq!(&id[14..15], "4", "a UUID v4: {id}");
    assert!(ids.iter().all(|other| other == &ids[0]), "{ids:?}");
}

#[tokio::test]
async fn a_retried_dial_repeats_its_command_id() {
    let server = MockServer::start().await;
    failing_then(
        &server,
        "/calls",
        ResponseTemplate::new(500),
        1,
        dialed_call(),
    )
    .await;

    client(&server)
        .calls()
        .dial("conn-1", "+18005550199", "+18005550100")
        .await
        .expect("the retry succeeds");

    let ids = command_ids(&received(&server).await);
    assert_eq!(ids.len(), 2);
    assert!(ids[0].is_string(), "{ids:?}");
    assert_eq!(ids[0], ids[1]);
}

#[tokio::test]
async fn separate_calls_get_separate_command_ids() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(ANSWER))
        .respond_with(command_ok())
        .mount(&server)
        .await;

    let client = client(&server);
    let builder = client.calls().actions().answer("abc");
    // A builder sent twice (as a clone) is two logical calls, too.
    builder.clone().await.unwrap();
    builder.await.unwrap();

    let ids = command_ids(&received(&server).await);
    assert_eq!(ids.len(), 2);
    assert!(ids[0].is_string() && ids[1].is_string(), "{ids:?}");
    assert_ne!(ids[0], ids[1]);
}

#[tokio::test]
async fn a_callers_command_id_is_never_replaced() {
    let server = MockServer::start().await;
    failing_then(&server, ANSWER, quick(429), 1, command_ok()).await;

    client(&server)
        .calls()
        .actions()
        .answer("abc")
        .command_id("mine-1")
        .await
        .expect("the retry succeeds");

    assert_eq!(
        command_ids(&received(&server).await),
        [json!("mine-1"), json!("mine-1")]
    );
}

#[tokio::test]
async fn inspecting_a_builder_generates_no_command_id() {
    let server = MockServer::start().await;
    let builder = client(&server).calls().actions().answer("abc");
    let body: Value = serde_json::from_slice(builder.request().body().unwrap()).unwrap();
    assert_eq!(body, json!({}));
}

#[tokio::test]
async fn per_request_options_reach_the_wire() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(ANSWER))
        .respond_with(command_ok())
        .mount(&server)
        .await;

    client(&server)
        .calls()
        .actions()
        .answer("abc")
        .header("x-trace", "t-1")
        .query_param("debug", "a b")
        .timeout(Duration::from_secs(5))
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(requests[0].headers["x-trace"], "t-1");
    assert_eq!(requests[0].url.query(), Some("debug=a%20b"));
}

/// A server on a raw socket: the first `drop_first` connections are closed
/// at once (or, with `hang`, held open without an answer), later ones get a
/// 200 with `{"data":{}}`. Returns the base URL and a counter of connections.
async fn raw_server(
    drop_first: usize,
    hang: bool,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            if counter.fetch_add(1, Ordering::SeqCst) < drop_first {
                if hang {
                    held.push(socket);
                }
                continue;
            }
            tokio::spawn(async move {
                // Enough for the small requests these tests send.
                let mut buffer = vec![0; 64 * 1024];
                let _ = socket.read(&mut buffer).await;
                let body = r#"{"data":{}}"#;
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    (url, accepted)
}

fn raw_client(url: &str) -> telnyx::Client {
    telnyx::Client::builder()
        .api_key(common::API_KEY)
        .base_url(url)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let (url, accepted) = raw_server(1, false).await;

    raw_client(&url)
        .calls()
        .actions()
        .answer("abc")
        .await
        .expect("the second connection answers");

    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_timed_out_attempt_is_retried() {
    let (url, accepted) = raw_server(1, true).await;

    raw_client(&url)
        .calls()
        .actions()
        .answer("abc")
        .timeout(Duration::from_millis(200))
        .await
        .expect("the second connection answers");

    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 2);
}

#[tokio::test]
async fn timeouts_end_in_a_timeout_error_once_retries_are_spent() {
    let (url, accepted) = raw_server(usize::MAX, true).await;

    let error = raw_client(&url)
        .calls()
        .actions()
        .answer("abc")
        .timeout(Duration::from_millis(100))
        .max_retries(1)
        .await
        .expect_err("no connection answers");

    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 2);
}
