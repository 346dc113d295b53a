//! How failures surface as `telnyx_api::runtime::Error`, and that none of them
//! leaks the API key.

mod common;

use common::API_KEY;
use std::time::Duration;

use serde::Deserialize;
use serde_json::json;
use telnyx_api::runtime::{ApiRequest, Client, Error, Method, PathPart, StatusCode};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A client that reports every failure at once: retrying is the subject of
/// `fault_matrix.rs`, and here a retried 429, 502, timeout or refused
/// connection would only sit out real backoff.
fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .expect("valid client configuration")
}

async fn server_answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

async fn call(client: &Client) -> Result<serde_json::Value, Error> {
    client.execute(ApiRequest::new(Method::GET, "/calls")).await
}

fn assert_key_not_leaked(error: &Error) {
    let display = error.to_string();
    let debug = format!("{error:?}");
    assert!(!display.contains(API_KEY), "{display}");
    assert!(!debug.contains(API_KEY), "{debug}");
    assert!(!debug.contains("super-secret"), "{debug}");
}

#[tokio::test]
async fn error_statuses_become_typed_api_errors() {
    type Predicate = fn(&Error) -> bool;
    let cases: [(u16, Predicate); 4] = [
        (401, Error::is_unauthorized),
        (404, Error::is_not_found),
        (422, Error::is_unprocessable),
        (429, Error::is_rate_limited),
    ];
    for (status, predicate) in cases {
        let body = json!({"errors": [{
            "code": "10015",
            "title": "Invalid value",
            "detail": "The 'to' field is invalid.",
            "source": {"pointer": "/to"},
            "meta": {"url": "https://developers.telnyx.com/docs/overview/errors/10015"}
        }]});
        let server = server_answering(
            ResponseTemplate::new(status)
                .insert_header("x-request-id", "req-42")
                .set_body_json(body),
        )
        .await;

        let error = call(&client(&server)).await.unwrap_err();

        assert!(predicate(&error), "{status}: {error:?}");
        assert_eq!(error.status(), Some(StatusCode::from_u16(status).unwrap()));
        assert_eq!(error.request_id(), Some("req-42"));
        let api = error.api_error().unwrap();
        assert_eq!(api.errors[0].code.as_deref(), Some("10015"));
        assert_eq!(
            api.errors[0].source.as_ref().unwrap().pointer.as_deref(),
            Some("/to")
        );
        let display = error.to_string();
        assert!(display.contains(&status.to_string()), "{display}");
        assert!(
            display.contains("10015") && display.contains("Invalid value"),
            "{display}"
        );
        assert_key_not_leaked(&error);
    }
}

#[tokio::test]
async fn numeric_error_codes_are_kept_as_text() {
    let server = server_answering(
        ResponseTemplate::new(403)
            .set_body_json(json!({"errors": [{"code": 10010, "title": "Forbidden"}]})),
    )
    .await;

    let error = call(&client(&server)).await.unwrap_err();

    assert!(error.is_forbidden());
    assert_eq!(
        error.api_error().unwrap().errors[0].code.as_deref(),
        Some("10010")
    );
}

#[tokio::test]
async fn html_error_page_keeps_the_raw_body() {
    let page = "<html><body>502 Bad Gateway</body></html>";
    let server =
        server_answering(ResponseTemplate::new(502).set_body_raw(page.as_bytes(), "text/html"))
            .await;

    let error = call(&client(&server)).await.unwrap_err();

    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(api.status, StatusCode::BAD_GATEWAY);
    assert!(api.errors.is_empty());
    assert_eq!(api.body, page);
    assert_key_not_leaked(&error);
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct ItemsEnvelope {
    data: Items,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Items {
    count: u32,
    items: Vec<Item>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Item {
    id: String,
}

#[tokio::test]
async fn decode_errors_name_the_json_path() {
    let cases = [
        (
            json!({"data": {"count": 2, "items": [{"id": "a"}, {"id": 7}]}}),
            "data.items[1].id",
        ),
        (json!({"data": {"count": "two", "items": []}}), "data.count"),
    ];
    for (body, expected_path) in cases {
        let server = server_answering(ResponseTemplate::new(200).set_body_json(body)).await;

        let error = client(&server)
            .execute::<ItemsEnvelope>(ApiRequest::new(Method::GET, "/items"))
            .await
            .unwrap_err();

        let Error::Decode(decode) = &error else {
            panic!("expected a decode error, got {error:?}");
        };
        assert_eq!(decode.path, expected_path);
        assert_eq!(decode.status, StatusCode::OK);
        assert!(error.to_string().contains(expected_path), "{error}");
        assert_key_not_leaked(&error);
    }
}

#[tokio::test]
async fn invalid_requests_fail_before_reaching_the_server() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;

    let mut request = ApiRequest::new(Method::GET, "/calls/{call_control_id}");
    request.path(&[
        PathPart::Literal("/calls/"),
        PathPart::Param("call_control_id", ""),
    ]);
    let error = client(&server).execute_empty(request).await.unwrap_err();

    let Error::InvalidRequest(message) = &error else {
        panic!("expected an invalid request, got {error:?}");
    };
    assert!(message.contains("call_control_id"), "{message}");
    let unfilled = ApiRequest::new(Method::GET, "/calls/{call_control_id}");
    let error = client(&server).execute_empty(unfilled).await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert_key_not_leaked(&error);
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn slow_responses_time_out() {
    let server = server_answering(
        ResponseTemplate::new(200)
            .set_body_json(json!({}))
            .set_delay(Duration::from_secs(5)),
    )
    .await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .build()
        .unwrap();

    let error = call(&client).await.unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
    assert_key_not_leaked(&error);
}

#[tokio::test]
async fn timeout_applies_to_a_custom_http_client() {
    let server = server_answering(
        ResponseTemplate::new(200)
            .set_body_json(json!({}))
            .set_delay(Duration::from_secs(5)),
    )
    .await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .http_client(reqwest::Client::new())
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .build()
        .unwrap();

    assert!(call(&client).await.unwrap_err().is_timeout());
}

#[tokio::test]
async fn unreachable_server_is_a_connection_error() {
    let address = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(format!("http://{address}"))
        .max_retries(0)
        .build()
        .unwrap();

    let error = call(&client).await.unwrap_err();

    assert!(matches!(error, Error::Connection(_)), "{error:?}");
    assert_eq!(error.status(), None);
    assert_key_not_leaked(&error);
}

#[test]
fn configuration_errors_and_debug_output_hide_the_key() {
    let client = Client::new(API_KEY).unwrap();
    let debug = format!("{client:?}");
    assert!(
        !debug.contains(API_KEY) && debug.contains("<redacted>"),
        "{debug}"
    );
    let builder = Client::builder().api_key(API_KEY).base_url("ftp://nope");
    assert!(!format!("{builder:?}").contains(API_KEY));
    let error = builder.build().unwrap_err();
    assert!(matches!(error, Error::Config(_)));
    assert_key_not_leaked(&error);
    let error = Client::new(format!("{API_KEY}\n{API_KEY}")).unwrap_err();
    assert_key_not_leaked(&error);
}
