//! Fault injection: how the client's retries and errors behave when the
//! server misbehaves, down to the bytes on the socket.
//!
//! Every test runs on tokio's paused clock against a scripted loopback
//! server on the same runtime (see `common::fault_server`), so the clock
//! moves only by the client's own waits, and backoff is asserted as the
//! exact gaps between the arrivals of attempts. Each case asserts the error
//! kind and the exact number of attempts.

mod common;

use std::error::Error as _;
use std::io::ErrorKind;
use std::ops::RangeInclusive;
use std::time::Duration;

use common::fault_server::{Fault, FaultServer, Response};
use common::API_KEY;
use serde_json::json;
use telnyx_api::types::CallControlCommandResponseWithRecordingId;
use telnyx_api::{Client, Error};

/// Short next to the default minute, so timed-out attempts stand out in the
/// gaps; on the paused clock it costs no real time.
const TIMEOUT: Duration = Duration::from_secs(10);
/// The client's default: the first attempt and two retries.
const ALL_ATTEMPTS: usize = 3;

fn client(server: &FaultServer) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(server.url())
        .timeout(TIMEOUT)
        .build()
        .expect("valid client configuration")
}

async fn answer(server: &FaultServer) -> Result<CallControlCommandResponseWithRecordingId, Error> {
    client(server)
        .calls()
        .actions()
        .answer("v3:abc")
        .send()
        .await
}

fn command_ok() -> Fault {
    Fault::Respond(Response::new(200).json(&json!({"data": {"result": "ok"}})))
}

fn respond(response: Response) -> Fault {
    Fault::Respond(response)
}

/// The wait before retry number `retry` (0 for the first) without a
/// server hint: `min(0.5 s · 2^retry, 8 s)` less up to a quarter of jitter.
/// Tokio's timer rounds a wait up to whole milliseconds, which stays inside.
fn backoff(retry: u32) -> RangeInclusive<Duration> {
    let full = (Duration::from_millis(500) * 2u32.pow(retry)).min(Duration::from_secs(8));
    full.mul_f64(0.75)..=full
}

fn timed_out_then_backoff(retry: u32) -> RangeInclusive<Duration> {
    let window = backoff(retry);
    TIMEOUT + *window.start()..=TIMEOUT + *window.end()
}

fn assert_gaps(server: &FaultServer, windows: &[RangeInclusive<Duration>]) {
    let gaps = server.gaps();
    assert_eq!(gaps.len(), windows.len(), "gaps {gaps:?}");
    for (retry, (gap, window)) in gaps.iter().zip(windows).enumerate() {
        assert!(
            window.contains(gap),
            "the wait before retry {retry} was {gap:?}, outside {window:?}"
        );
    }
}

fn assert_attempts(server: &FaultServer, expected: usize) {
    let attempts = server.attempts();
    let lines: Vec<_> = attempts.iter().map(|a| a.request_line()).collect();
    assert_eq!(attempts.len(), expected, "{lines:?}");
}

fn api_status(error: &Error) -> Option<u16> {
    match error {
        Error::Api(api) => Some(api.status.as_u16()),
        _ => None,
    }
}

/// The kind of the I/O error at the root of a transport failure.
fn io_error_kind(error: &Error) -> Option<ErrorKind> {
    let mut cause = error.source();
    while let Some(current) = cause {
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        cause = current.source();
    }
    None
}

fn result_of(response: &CallControlCommandResponseWithRecordingId) -> Option<&str> {
    response.data.as_ref()?.result.as_deref()
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn retry_after_in_seconds_is_waited_exactly() {
    let limited = Response::new(429).header("retry-after", "2");
    let server = FaultServer::start(vec![respond(limited), command_ok()]).await;

    let response = answer(&server).await.expect("the retry succeeds");

    assert_eq!(result_of(&response), Some("ok"));
    assert_attempts(&server, 2);
    assert_eq!(server.gaps(), [Duration::from_secs(2)]);
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn retry_after_beyond_a_minute_falls_back_to_the_backoff() {
    let limited = Response::new(429).header("retry-after", "120");
    let server = FaultServer::start(vec![respond(limited), command_ok()]).await;

    let response = answer(&server).await.expect("the retry succeeds");

    assert_eq!(result_of(&response), Some("ok"));
    assert_attempts(&server, 2);
    assert_gaps(&server, &[backoff(0)]);
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn retry_after_ms_wins_over_retry_after() {
    let limited = Response::new(503)
        .header("retry-after-ms", "250")
        .header("retry-after", "7");
    let server = FaultServer::start(vec![respond(limited), command_ok()]).await;

    answer(&server).await.expect("the retry succeeds");

    assert_attempts(&server, 2);
    assert_eq!(server.gaps(), [Duration::from_millis(250)]);
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn three_503s_end_in_the_last_api_error() {
    let unavailable = |id: &str| {
        respond(
            Response::new(503)
                .header("x-request-id", id)
                .json(&json!({"errors": [{"code": "90001", "title": "Unavailable"}]})),
        )
    };
    let script = vec![
        unavailable("req-1"),
        unavailable("req-2"),
        unavailable("req-3"),
    ];
    let server = FaultServer::start(script).await;

    let error = answer(&server).await.expect_err("every attempt fails");

    assert_eq!(api_status(&error), Some(503), "{error:?}");
    assert_eq!(error.request_id(), Some("req-3"));
    let api = error.api_error().expect("an API error");
    assert_eq!(api.errors[0].code.as_deref(), Some("90001"));
    assert_attempts(&server, ALL_ATTEMPTS);
    assert_gaps(&server, &[backoff(0), backoff(1)]);
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn a_reset_before_the_headers_is_retried_until_the_retries_run_out() {
    let server = FaultServer::start(vec![Fault::ResetBeforeHeaders]).await;

    let error = answer(&server).await.expect_err("every attempt is reset");

    assert!(matches!(error, Error::Connection(_)), "{error:?}");
    assert_eq!(io_error_kind(&error), Some(ErrorKind::ConnectionReset));
    assert_attempts(&server, ALL_ATTEMPTS);
    assert_gaps(&server, &[backoff(0), backoff(1)]);
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn a_reset_before_the_headers_recovers_on_the_second_attempt() {
    let server = FaultServer::start(vec![Fault::ResetBeforeHeaders, command_ok()]).await;

    let response = answer(&server).await.expect("the retry succeeds");

    assert_eq!(result_of(&response), Some("ok"));
    assert_attempts(&server, 2);
    assert_gaps(&server, &[backoff(0)]);
    // Telnyx may have carried out the command before the reset; the same
    // command_id lets it recognise the retry as a repeat.
    let ids: Vec<_> = server
        .attempts()
        .iter()
        .map(|attempt| attempt.json()["command_id"].clone())
        .collect();
    assert!(ids[0].is_string() && ids[0] == ids[1], "{ids:?}");
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn a_reset_in_the_body_of_a_2xx_is_not_retried() {
    let body = json!({"data": {"result": "ok", "recording_id": "x".repeat(200)}});
    let response = Response::new(200).json(&body);
    let server = FaultServer::start(vec![Fault::ResetMidBody { response, sent: 20 }]).await;

    let error = answer(&server).await.expect_err("the body never completes");

    assert!(matches!(error, Error::Connection(_)), "{error:?}");
    assert_attempts(&server, 1);
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn a_reset_in_the_body_of_a_2xx_is_ignored_where_no_body_is_expected() {
    let response = Response::new(200).json(&json!({"data": {"name": "support"}}));
    let server = FaultServer::start(vec![Fault::ResetMidBody { response, sent: 5 }]).await;

    let result = client(&server).queues().delete("support").send().await;

    // The queue is deleted; only the unused body failed to arrive.
    assert!(result.is_ok(), "{result:?}");
    assert_attempts(&server, 1);
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn a_reset_in_the_body_of_a_503_is_retried_as_a_503() {
    let response = Response::new(503).body("text/plain", "Service Unavailable, try again");
    let server = FaultServer::start(vec![Fault::ResetMidBody { response, sent: 7 }]).await;

    let error = answer(&server).await.expect_err("every attempt fails");

    assert_eq!(api_status(&error), Some(503), "{error:?}");
    assert_attempts(&server, ALL_ATTEMPTS);
    assert_gaps(&server, &[backoff(0), backoff(1)]);
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn headers_that_never_come_time_out_on_every_attempt() {
    let server = FaultServer::start(vec![Fault::NeverAnswer]).await;

    let error = answer(&server).await.expect_err("no attempt is answered");

    assert!(matches!(error, Error::Timeout), "{error:?}");
    assert_attempts(&server, ALL_ATTEMPTS);
    assert_gaps(
        &server,
        &[timed_out_then_backoff(0), timed_out_then_backoff(1)],
    );
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn a_timed_out_attempt_is_retried() {
    let server = FaultServer::start(vec![Fault::NeverAnswer, command_ok()]).await;

    let response = answer(&server).await.expect("the retry succeeds");

    assert_eq!(result_of(&response), Some("ok"));
    assert_attempts(&server, 2);
    assert_gaps(&server, &[timed_out_then_backoff(0)]);
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn truncated_json_is_a_decode_error_naming_where_it_broke() {
    let truncated = r#"{"data": {"result": "o"#;
    let response = Response::new(200).body("application/json", truncated);
    let server = FaultServer::start(vec![respond(response)]).await;

    let error = answer(&server).await.expect_err("the body is cut short");

    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(decode.path, "data.result");
    assert!(decode.message.contains("EOF"), "{}", decode.message);
    assert_eq!(decode.status.as_u16(), 200);
    assert_eq!(decode.body, truncated);
    assert_attempts(&server, 1);
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn an_html_502_page_is_retried_then_kept_as_the_api_error_body() {
    let page = "<html><head><title>502 Bad Gateway</title></head>\
                <body><center><h1>502 Bad Gateway</h1></center></body></html>";
    let response = Response::new(502).body("text/html", page);
    let server = FaultServer::start(vec![respond(response)]).await;

    let error = answer(&server).await.expect_err("every attempt fails");

    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(api.status.as_u16(), 502);
    assert!(api.errors.is_empty(), "{:?}", api.errors);
    assert_eq!(api.body, page);
    assert_attempts(&server, ALL_ATTEMPTS);
    assert_gaps(&server, &[backoff(0), backoff(1)]);
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn an_empty_200_is_a_decode_error_where_json_is_expected() {
    let server = FaultServer::start(vec![respond(Response::new(200))]).await;

    let error = answer(&server).await.expect_err("a body was expected");

    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(decode.path, ".");
    assert!(decode.message.contains("empty"), "{}", decode.message);
    assert!(decode.body.is_empty(), "{:?}", decode.body);
    assert_attempts(&server, 1);
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn an_empty_204_completes_an_operation_without_a_response_body() {
    let server = FaultServer::start(vec![respond(Response::new(204))]).await;

    let result = client(&server).queues().delete("support").send().await;

    assert!(result.is_ok(), "{result:?}");
    assert_attempts(&server, 1);
    assert_eq!(
        server.attempts()[0].request_line(),
        "DELETE /queues/support HTTP/1.1"
    );
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn a_10_mb_body_decodes_in_one_attempt() {
    let client_state = "a".repeat(10 * 1024 * 1024);
    let body = json!({"data": {
        "call_control_id": "v3:abc", "call_leg_id": "leg", "call_session_id": "session",
        "is_alive": true, "record_type": "call", "client_state": client_state,
    }});
    let response = Response::new(200).json(&body);
    // Not `Respond`: a body this large needs the paused clock held still
    // while it crosses the socket (see `Fault::RespondInBulk`).
    let server = FaultServer::start(vec![Fault::RespondInBulk(response)]).await;

    let status = client(&server)
        .calls()
        .retrieve_status("v3:abc")
        .send()
        .await
        .expect("the large body decodes");

    let call = status.data.expect("a call");
    assert_eq!(call.call_control_id, "v3:abc");
    assert!(call.is_alive);
    assert_eq!(call.client_state.as_deref(), Some(client_state.as_str()));
    assert_attempts(&server, 1);
    assert_eq!(
        server.attempts()[0].request_line(),
        "GET /calls/v3:abc HTTP/1.1"
    );
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn x_should_retry_false_stops_the_retry_of_a_500() {
    let response = Response::new(500).header("x-should-retry", "false");
    let server = FaultServer::start(vec![respond(response)]).await;

    let error = answer(&server).await.expect_err("the server says no");

    assert_eq!(api_status(&error), Some(500), "{error:?}");
    assert_attempts(&server, 1);
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn x_should_retry_true_retries_a_400() {
    let refused = Response::new(400).header("x-should-retry", "true");
    let server = FaultServer::start(vec![respond(refused), command_ok()]).await;

    let response = answer(&server).await.expect("the retry succeeds");

    assert_eq!(result_of(&response), Some("ok"));
    assert_attempts(&server, 2);
    assert_gaps(&server, &[backoff(0)]);
}
