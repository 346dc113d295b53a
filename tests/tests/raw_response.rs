//! `send_with_response()`: the typed value together with the status, the
//! headers and the request id, for an operation with a JSON response, one
//! without a response body, and the first page of a list.

mod common;

use common::{client, command_body, received};

use serde_json::json;
use telnyx_api::runtime::StatusCode;
use telnyx_api::ApiResponse;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answering(verb: &str, route: &str, response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

fn header<'r, T>(response: &'r ApiResponse<T>, name: &str) -> Option<&'r str> {
    response.headers().get(name)?.to_str().ok()
}

#[tokio::test]
async fn a_json_operation_returns_its_value_with_status_and_headers() {
    let server = answering(
        "POST",
        "/calls/v3:abc/actions/answer",
        ResponseTemplate::new(202)
            .insert_header("x-request-id", "req-answer")
            .insert_header("x-ratelimit-remaining", "42")
            .set_body_json(json!({"data": {"result": "ok", "recording_id": "rec-1"}})),
    )
    .await;

    let response = client(&server)
        .calls()
        .actions()
        .answer("v3:abc")
        .send_with_response()
        .await
        .expect("the mock answers 202");

    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert_eq!(response.request_id(), Some("req-answer"));
    assert_eq!(header(&response, "x-ratelimit-remaining"), Some("42"));
    let data = response.value().data.as_ref().expect("data");
    assert_eq!(data.result.as_deref(), Some("ok"));
    assert_eq!(data.recording_id.as_deref(), Some("rec-1"));
    // The command_id rule applies here too, not only to `send`.
    command_body(&received(&server).await[0]);

    let (status, headers, value) = response.into_parts();
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(headers["x-request-id"], "req-answer");
    assert_eq!(
        value.data.and_then(|data| data.result).as_deref(),
        Some("ok")
    );
}

#[tokio::test]
async fn an_operation_without_a_response_body_returns_unit() {
    let server = answering(
        "DELETE",
        "/queues/support/calls/v3:abc",
        ResponseTemplate::new(204).insert_header("x-telnyx-request-id", "req-remove"),
    )
    .await;

    let response = client(&server)
        .queues()
        .calls()
        .remove("support", "v3:abc")
        .send_with_response()
        .await
        .expect("the mock answers 204");

    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    // Without `x-request-id`, the id comes from `x-telnyx-request-id`.
    assert_eq!(response.request_id(), Some("req-remove"));
    let () = response.into_value();
}

#[tokio::test]
async fn a_body_on_an_empty_operation_is_ignored_but_the_headers_are_kept() {
    let server = answering(
        "DELETE",
        "/queues/support",
        ResponseTemplate::new(200)
            .insert_header("x-request-id", "req-delete")
            .set_body_string("not json"),
    )
    .await;

    let response = client(&server)
        .queues()
        .delete("support")
        .send_with_response()
        .await
        .expect("a success whatever the body");

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.request_id(), Some("req-delete"));
}

#[tokio::test]
async fn a_list_returns_its_first_page_with_status_and_headers() {
    let server = answering(
        "GET",
        "/call_control_applications",
        ResponseTemplate::new(200)
            .insert_header("x-request-id", "req-list")
            .set_body_json(json!({
                "data": [{"id": "app-1", "application_name": "one"}],
                "meta": {"page_number": 1, "page_size": 1, "total_pages": 4, "total_results": 4}
            })),
    )
    .await;

    let response = client(&server)
        .call_control_applications()
        .list()
        .send_with_response()
        .await
        .expect("the mock answers 200");

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.request_id(), Some("req-list"));
    let page = response.into_value();
    let meta = page.meta.expect("meta");
    assert_eq!((meta.page_number, meta.total_pages), (Some(1), Some(4)));
    let ids: Vec<_> = page
        .data
        .unwrap_or_default()
        .into_iter()
        .map(|app| app.id)
        .collect();
    assert_eq!(ids, [Some("app-1".to_owned())]);
}

#[tokio::test]
async fn failures_are_the_same_errors_as_from_send() {
    let server = answering(
        "POST",
        "/calls/gone/actions/hangup",
        ResponseTemplate::new(404)
            .insert_header("x-request-id", "req-404")
            .set_body_json(
                json!({"errors": [{"code": "90018", "title": "Call has already ended"}]}),
            ),
    )
    .await;

    let error = client(&server)
        .calls()
        .actions()
        .hangup("gone")
        .send_with_response()
        .await
        .expect_err("a 404");

    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(error.request_id(), Some("req-404"));
}
