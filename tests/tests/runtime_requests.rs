//! How the runtime turns an `ApiRequest` into an HTTP request and decodes
//! successful responses, checked against a local mock server.

mod common;

use common::{client, API_KEY};
use serde::Deserialize;
use serde_json::json;
use telnyx_api::runtime::{ApiRequest, Client, DateTime, Method, PathPart, QueryStyle, StatusCode};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Deserialize)]
struct Envelope<T> {
    data: T,
}

#[derive(Debug, Deserialize)]
struct Call {
    call_control_id: String,
    created_at: DateTime,
}

#[tokio::test]
async fn sends_credentials_json_body_and_encoded_path_segment() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/calls/v3:abc%2Fdef/actions/answer"))
        .and(header(
            "authorization",
            format!("Bearer {API_KEY}").as_str(),
        ))
        .and(header("accept", "application/json"))
        .and(header("content-type", "application/json"))
        .and(header("x-idempotency", "once"))
        .and(body_json(
            json!({"client_state": "aGk=", "timeout_secs": 30}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": {
                "call_control_id": "v3:abc/def",
                "created_at": "2018-02-02T22:25:27.521992"
            }
        })))
        .expect(1)
        .mount(&server)
        .await;

    let mut request = ApiRequest::new(Method::POST, "/calls/{call_control_id}/actions/answer");
    request.path(&[
        PathPart::Literal("/calls/"),
        PathPart::Param("call_control_id", "v3:abc/def"),
        PathPart::Literal("/actions/answer"),
    ]);
    request.header("X-Idempotency", "once");
    request.json_body(&json!({"client_state": "aGk=", "timeout_secs": 30}));
    let response: Envelope<Call> = client(&server).execute(request).await.unwrap();

    assert_eq!(response.data.call_control_id, "v3:abc/def");
    assert_eq!(
        response.data.created_at,
        "2018-02-02T22:25:27.521992Z".parse().unwrap()
    );
}

#[tokio::test]
async fn sends_the_default_user_agent_and_no_content_type_without_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .mount(&server)
        .await;

    let _: Envelope<Vec<serde_json::Value>> = client(&server)
        .execute(ApiRequest::new(Method::GET, "/calls"))
        .await
        .unwrap();

    let received = server.received_requests().await.unwrap();
    let user_agent = received[0].headers.get("user-agent").unwrap();
    assert!(user_agent.to_str().unwrap().starts_with("telnyx-rust/"));
    assert!(received[0].headers.get("content-type").is_none());
}

#[tokio::test]
async fn encodes_deep_object_and_form_queries_in_insertion_order() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/call_control_applications"))
        .and(query_param("filter[application_name][contains]", "my app"))
        .and(query_param("filter[active]", "true"))
        .and(query_param("page[number]", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .expect(1)
        .mount(&server)
        .await;

    let mut request = ApiRequest::new(Method::GET, "/call_control_applications");
    request.query(
        "filter",
        QueryStyle::DeepObject,
        &json!({"application_name": {"contains": "my app"}, "active": true, "unset": null}),
    );
    request.query("page[number]", QueryStyle::Form { explode: true }, &2);
    request.query("sort", QueryStyle::Form { explode: true }, &None::<String>);
    // Key order inside a JSON object depends on serde_json's `preserve_order`
    // feature, which workspace feature unification may switch on.
    let mut pairs = request.query_pairs().to_vec();
    pairs.sort();
    assert_eq!(
        pairs,
        [
            ("filter[active]".to_owned(), "true".to_owned()),
            (
                "filter[application_name][contains]".to_owned(),
                "my app".to_owned()
            ),
            ("page[number]".to_owned(), "2".to_owned()),
        ]
    );
    let _: Envelope<Vec<serde_json::Value>> = client(&server).execute(request).await.unwrap();

    let received = server.received_requests().await.unwrap();
    let mut raw: Vec<&str> = received[0]
        .url
        .query()
        .unwrap_or_default()
        .split('&')
        .collect();
    raw.sort_unstable();
    assert_eq!(
        raw,
        [
            "filter%5Bactive%5D=true",
            "filter%5Bapplication_name%5D%5Bcontains%5D=my%20app",
            "page%5Bnumber%5D=2",
        ]
    );
}

#[tokio::test]
async fn keeps_the_base_url_path_prefix() {
    let server = MockServer::start().await;
    Mock::given(path("/v2/balance"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {}})))
        .expect(1)
        .mount(&server)
        .await;

    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(format!("{}/v2/", server.uri()))
        .build()
        .unwrap();
    let _: serde_json::Value = client
        .execute(ApiRequest::new(Method::GET, "/balance"))
        .await
        .unwrap();
}

#[tokio::test]
async fn execute_empty_ignores_any_success_body() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/calls/abc"))
        .respond_with(ResponseTemplate::new(200).set_body_string("not even json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/calls/none"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    for id in ["abc", "none"] {
        let mut request = ApiRequest::new(Method::DELETE, "/calls/{id}");
        request.path(&[PathPart::Literal("/calls/"), PathPart::Param("id", id)]);
        client.execute_empty(request).await.unwrap();
    }
}

#[tokio::test]
async fn empty_success_body_decodes_into_option_but_not_into_a_struct() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);

    let nothing: Option<Envelope<Call>> = client
        .execute(ApiRequest::new(Method::GET, "/x"))
        .await
        .unwrap();
    assert!(nothing.is_none());

    let error = client
        .execute::<Envelope<Call>>(ApiRequest::new(Method::GET, "/x"))
        .await
        .unwrap_err();
    assert!(error.is_decode(), "{error:?}");
    assert_eq!(error.status(), Some(StatusCode::NO_CONTENT));
}

#[test]
fn request_bodies_serialize_the_fields_set_in_declaration_order() {
    use telnyx_api::types::{AnswerRequest, AnswerRequestDeepfakeDetection};
    let body = AnswerRequest {
        webhook_url: Some("https://example.com/hook".to_owned()),
        deepfake_detection: Some(AnswerRequestDeepfakeDetection {
            enabled: false,
            rtp_timeout: None,
            timeout: Some(30),
        }),
        client_state: Some("aGk=".to_owned()),
        ..Default::default()
    };
    // What serde's derive wrote: declared order, unset options left out,
    // a required field sent even when false.
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        concat!(
            r#"{"client_state":"aGk=","deepfake_detection":{"enabled":false,"timeout":30},"#,
            r#""webhook_url":"https://example.com/hook"}"#
        )
    );
    assert_eq!(
        serde_json::to_string(&AnswerRequest::default()).unwrap(),
        "{}"
    );
}
