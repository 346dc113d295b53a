//! Retries against a local mock server: which statuses are repeated, the
//! retry limit, and that Call Control commands carry one `command_id` across
//! all attempts of a call.
//!
//! How long the client waits between attempts, and how it handles
//! transport faults (resets, timeouts, cut-off bodies), is asserted exactly
//! on tokio's paused clock in `fault_matrix.rs`; wiremock answers from its
//! own thread, which the paused clock cannot wait for, so the retried
//! failures here ask for 1 ms waits with `retry-after-ms`.

mod common;

use std::time::Duration;

use common::{client, json_body, received};

use serde_json::{json, Value};
use telnyx_api::Error;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

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
    let client = telnyx_api::Client::builder()
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
    failing_then(&server, "/calls", quick(500), 1, dialed_call()).await;

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
