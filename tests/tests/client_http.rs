//! The generated `telnyx` client talking to a local mock server: what goes
//! over the wire for real operations, and how their responses and failures
//! come back.

mod common;

use std::collections::BTreeSet;

use common::{client, command_body, received, API_KEY};

use futures_util::TryStreamExt;
use serde_json::{json, Value};
use telnyx_api::types::{
    CallControlFilterConsolidated, CallControlFilterConsolidatedApplicationName,
    CallControlPageConsolidated, SortConnection,
};
use telnyx_api::Error;
use wiremock::matchers::{any, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn query_pairs(request: &Request) -> BTreeSet<(String, String)> {
    request
        .url
        .query_pairs()
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    expected
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

fn command_ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"data": {"result": "ok"}}))
}

fn dialed_call() -> Value {
    json!({
        "data": {
            "call_control_id": "v3:new-call",
            "call_leg_id": "leg-1",
            "call_session_id": "session-1",
            "is_alive": false,
            "record_type": "call"
        }
    })
}

fn application(id: &str) -> Value {
    json!({"id": id, "application_name": format!("app {id}"), "record_type": "call_control_application"})
}

#[tokio::test]
async fn sends_the_api_key_as_a_bearer_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/calls/abc/actions/answer"))
        .and(header(
            "authorization",
            format!("Bearer {API_KEY}").as_str(),
        ))
        .and(header("accept", "application/json"))
        .and(header("content-type", "application/json"))
        .respond_with(command_ok())
        .expect(1)
        .mount(&server)
        .await;

    let response = client(&server)
        .calls()
        .actions()
        .answer("abc")
        .await
        .expect("the mock answers 200");

    assert_eq!(response.data.unwrap().result.as_deref(), Some("ok"));
    let requests = received(&server).await;
    let user_agent = requests[0].headers["user-agent"].to_str().unwrap();
    assert!(user_agent.starts_with("telnyx-rust/"), "{user_agent}");
    server.verify().await;
}

#[tokio::test]
async fn dial_sends_required_and_set_optional_fields_only() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/calls"))
        .respond_with(ResponseTemplate::new(200).set_body_json(dialed_call()))
        .expect(1)
        .mount(&server)
        .await;

    let call = client(&server)
        .calls()
        .dial("conn-1", "+18005550199", "+18005550100")
        .timeout_secs(30)
        .client_state("aGk=")
        .send()
        .await
        .expect("the mock answers 200");

    let data = call.data.expect("the response has data");
    assert_eq!(data.call_control_id, "v3:new-call");
    assert_eq!(data.call_leg_id, "leg-1");
    assert!(!data.is_alive);

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(
        command_body(&requests[0]),
        json!({
            "connection_id": "conn-1",
            "from": "+18005550100",
            "to": "+18005550199",
            "timeout_secs": 30,
            "client_state": "aGk="
        })
    );
}

#[tokio::test]
async fn dial_to_several_destinations_sends_an_array() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/calls"))
        .respond_with(ResponseTemplate::new(200).set_body_json(dialed_call()))
        .mount(&server)
        .await;

    client(&server)
        .calls()
        .dial(
            "conn-1",
            vec!["+18005550199".to_owned(), "sip:a@b.test".to_owned()],
            "+18005550100",
        )
        .await
        .expect("the mock answers 200");

    let requests = received(&server).await;
    assert_eq!(
        command_body(&requests[0]),
        json!({
            "connection_id": "conn-1",
            "from": "+18005550100",
            "to": ["+18005550199", "sip:a@b.test"]
        })
    );
}

#[tokio::test]
async fn path_parameters_are_percent_encoded_as_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/calls/v3:abc%2Fdef%20ghi/actions/answer"))
        .respond_with(command_ok())
        .expect(1)
        .mount(&server)
        .await;

    let response = client(&server)
        .calls()
        .actions()
        .answer("v3:abc/def ghi")
        .await
        .expect("the mock answers 200");

    assert_eq!(response.data.unwrap().result.as_deref(), Some("ok"));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].url.path(),
        "/calls/v3:abc%2Fdef%20ghi/actions/answer"
    );
    // An answer without optional fields still sends a JSON object, holding
    // only the generated command_id.
    assert_eq!(command_body(&requests[0]), json!({}));
}

#[tokio::test]
async fn list_encodes_deep_object_filter_page_and_sort() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/call_control_applications"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [application("1")],
            "meta": {"page_number": 2, "page_size": 25, "total_pages": 2, "total_results": 26}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let filter = CallControlFilterConsolidated {
        application_name: Some(CallControlFilterConsolidatedApplicationName {
            contains: Some("my app&co".to_owned()),
        }),
        ..Default::default()
    };
    let page = CallControlPageConsolidated {
        number: Some(2),
        size: Some(25),
        ..Default::default()
    };
    let response = client(&server)
        .call_control_applications()
        .list()
        .filter(filter)
        .page(page)
        .sort(SortConnection::ConnectionName)
        .await
        .expect("the mock answers 200");

    let items = response.data.expect("the response has data");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].id.as_deref(), Some("1"));
    assert_eq!(response.meta.unwrap().total_results, Some(26));

    let requests = received(&server).await;
    assert_eq!(
        query_pairs(&requests[0]),
        pairs(&[
            ("filter[application_name][contains]", "my app&co"),
            ("page[number]", "2"),
            ("page[size]", "25"),
            ("sort", "connection_name"),
        ])
    );
    // Delimiters inside the value are escaped, not taken as new pairs.
    let raw_query = requests[0].url.query().unwrap_or_default();
    assert!(raw_query.contains("my%20app%26co"), "{raw_query}");
}

#[tokio::test]
async fn list_without_options_sends_no_query() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/call_control_applications"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .mount(&server)
        .await;

    let response = client(&server)
        .call_control_applications()
        .list()
        .await
        .expect("the mock answers 200");

    assert_eq!(response.data, Some(vec![]));
    let requests = received(&server).await;
    assert_eq!(requests[0].url.query(), None);
}

#[tokio::test]
async fn into_stream_walks_every_page_in_order() {
    let server = MockServer::start().await;
    let page = |number: i64, ids: &[&str]| {
        ResponseTemplate::new(200).set_body_json(json!({
            "data": ids.iter().map(|id| application(id)).collect::<Vec<_>>(),
            "meta": {"page_number": number, "page_size": 2, "total_pages": 3, "total_results": 5}
        }))
    };
    Mock::given(method("GET"))
        .and(path("/call_control_applications"))
        .and(query_param("page[size]", "2"))
        .and(query_param_is_missing("page[number]"))
        .respond_with(page(1, &["a", "b"]))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/call_control_applications"))
        .and(query_param("page[size]", "2"))
        .and(query_param("page[number]", "2"))
        .respond_with(page(2, &["c", "d"]))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/call_control_applications"))
        .and(query_param("page[size]", "2"))
        .and(query_param("page[number]", "3"))
        .respond_with(page(3, &["e"]))
        .expect(1)
        .mount(&server)
        .await;

    let stream = client(&server)
        .call_control_applications()
        .list()
        .page(CallControlPageConsolidated {
            size: Some(2),
            ..Default::default()
        })
        .into_stream();
    futures_util::pin_mut!(stream);
    let items: Vec<_> = stream.try_collect().await.expect("every page succeeds");

    let ids: Vec<_> = items.iter().map(|item| item.id.as_deref()).collect();
    assert_eq!(ids, [Some("a"), Some("b"), Some("c"), Some("d"), Some("e")]);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    server.verify().await;
}

#[tokio::test]
async fn into_stream_ends_with_the_error_of_a_failed_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param_is_missing("page[number]"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [application("a")],
            "meta": {"page_number": 1, "total_pages": 2}
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("page[number]", "2"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;

    let mut stream = Box::pin(
        client(&server)
            .call_control_applications()
            .list()
            .max_retries(0) // carried to every page, so the 500 is final
            .into_stream(),
    );
    let first = stream.try_next().await.expect("page 1 succeeds");
    assert_eq!(first.and_then(|item| item.id).as_deref(), Some("a"));
    let error = stream.try_next().await.expect_err("page 2 fails");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(500));
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn error_statuses_become_typed_api_errors() {
    type Predicate = fn(&Error) -> bool;
    let predicates: [(u16, Predicate); 4] = [
        (401, Error::is_unauthorized),
        (404, Error::is_not_found),
        (422, Error::is_unprocessable),
        (429, Error::is_rate_limited),
    ];
    for (status, _) in predicates {
        let server = MockServer::start().await;
        let code = format!("1{status}");
        Mock::given(method("GET"))
            .and(path("/calls/v3:abc"))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("x-request-id", format!("req-{status}").as_str())
                    .set_body_json(json!({
                        "errors": [{
                            "code": code,
                            "title": format!("Title {status}"),
                            "detail": format!("Detail {status}")
                        }]
                    })),
            )
            .expect(1)
            .mount(&server)
            .await;

        let error = client(&server)
            .calls()
            .retrieve_status("v3:abc")
            .max_retries(0) // 429 would be retried
            .await
            .expect_err("the mock answers an error status");

        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        for (other, predicate) in predicates {
            assert_eq!(
                predicate(&error),
                other == status,
                "predicate for {other} on a {status} error"
            );
        }
        assert!(!error.is_decode());
        let api_error = error.api_error().expect("an API error");
        assert_eq!(api_error.status.as_u16(), status);
        assert_eq!(api_error.errors.len(), 1);
        let detail = &api_error.errors[0];
        assert_eq!(detail.code.as_deref(), Some(code.as_str()));
        assert_eq!(detail.title, Some(format!("Title {status}")));
        assert_eq!(detail.detail, Some(format!("Detail {status}")));
        let request_id = format!("req-{status}");
        assert_eq!(error.request_id(), Some(request_id.as_str()));
        assert_eq!(api_error.request_id.as_deref(), Some(request_id.as_str()));
        let message = error.to_string();
        assert!(message.contains(&code), "{message}");
        assert!(message.contains(&request_id), "{message}");
        server.verify().await;
    }
}

#[tokio::test]
async fn wrong_type_deep_in_a_response_is_a_decode_error_naming_its_path() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/calls/abc/actions/answer"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {"result": 5}})))
        .mount(&server)
        .await;

    let error = client(&server)
        .calls()
        .actions()
        .answer("abc")
        .await
        .expect_err("`result` must be a string");

    assert!(error.is_decode(), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(decode.path, "data.result");
    assert!(decode.path.contains("data.result"));
    assert!(decode.body.contains("\"result\":5"), "{}", decode.body);
}

#[tokio::test]
async fn decode_error_path_reaches_into_list_items() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/call_control_applications"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [application("a"), {"id": "b", "record_type": 7}]
        })))
        .mount(&server)
        .await;

    let error = client(&server)
        .call_control_applications()
        .list()
        .await
        .expect_err("`record_type` must be a string");

    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(decode.path, "data[1].record_type");
}

#[tokio::test]
async fn missing_required_response_field_is_a_decode_error() {
    let server = MockServer::start().await;
    let mut body = dialed_call();
    body["data"].as_object_mut().unwrap().remove("call_leg_id");
    Mock::given(method("POST"))
        .and(path("/calls"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;

    let error = client(&server)
        .calls()
        .dial("conn-1", "+18005550199", "+18005550100")
        .await
        .expect_err("`call_leg_id` is required");

    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert!(decode.path.starts_with("data"), "{}", decode.path);
    assert!(decode.message.contains("call_leg_id"), "{}", decode.message);
}

#[tokio::test]
async fn empty_path_parameter_is_rejected_before_sending() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(command_ok())
        .expect(0)
        .mount(&server)
        .await;

    let error = client(&server)
        .calls()
        .actions()
        .hangup("")
        .await
        .expect_err("an empty call control id is invalid");

    let Error::InvalidRequest(message) = &error else {
        panic!("expected an invalid request, got {error:?}");
    };
    assert!(message.contains("call_control_id"), "{message}");
    assert_eq!(error.status(), None);
    assert!(received(&server).await.is_empty());
    server.verify().await;
}

#[tokio::test]
async fn bridge_puts_the_first_id_in_the_path_and_the_second_in_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/calls/leg-a/actions/bridge"))
        .respond_with(command_ok())
        .expect(1)
        .mount(&server)
        .await;

    let response = client(&server)
        .calls()
        .actions()
        .bridge("leg-a", "leg-b")
        .park_after_unbridge("self")
        .await
        .expect("the mock answers 200");

    assert_eq!(response.data.unwrap().result.as_deref(), Some("ok"));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.path(), "/calls/leg-a/actions/bridge");
    assert_eq!(
        command_body(&requests[0]),
        json!({"call_control_id": "leg-b", "park_after_unbridge": "self"})
    );
    server.verify().await;
}

#[tokio::test]
async fn into_stream_follows_flat_page_number_parameters() {
    let server = MockServer::start().await;
    let queue = |name: &str| {
        json!({
            "average_wait_time_secs": 0, "created_at": "2024-01-01T00:00:00Z", "current_size": 0,
            "id": name, "max_size": 10, "name": name, "record_type": "queue",
            "updated_at": "2024-01-01T00:00:00Z"
        })
    };
    for (number, names) in [(1, vec!["q1", "q2"]), (2, vec!["q3"])] {
        let matcher = if number == 1 {
            Mock::given(query_param_is_missing("page[number]"))
        } else {
            Mock::given(query_param("page[number]", "2"))
        };
        matcher
            .and(method("GET"))
            .and(path("/queues"))
            .and(query_param("page[size]", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "data": names.iter().map(|n| queue(n)).collect::<Vec<_>>(),
                "meta": {"page_number": number, "page_size": 2, "total_pages": 2, "total_results": 3}
            })))
            .expect(1)
            .mount(&server)
            .await;
    }

    let stream = client(&server).queues().list().page_size(2).into_stream();
    futures_util::pin_mut!(stream);
    let queues: Vec<_> = stream.try_collect().await.expect("every page succeeds");

    let names: Vec<_> = queues.iter().map(|q| q.name.as_str()).collect();
    assert_eq!(names, ["q1", "q2", "q3"]);
    server.verify().await;
}

#[tokio::test]
async fn a_cleared_nullable_field_is_sent_as_null_and_a_set_one_as_its_value() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/call_control_applications/app-1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": application("app-1")})),
        )
        .mount(&server)
        .await;
    let applications = client(&server).call_control_applications();
    applications
        .update("app-1", "app", "https://example.com/hook")
        .webhook_event_failover_url("https://example.com/old")
        .clear_webhook_event_failover_url()
        .await
        .unwrap();
    applications
        .update("app-1", "app", "https://example.com/hook")
        .clear_webhook_timeout_secs()
        .webhook_timeout_secs(5)
        .await
        .unwrap();
    applications
        .update("app-1", "app", "https://example.com/hook")
        .await
        .unwrap();

    let bodies: Vec<Value> = received(&server)
        .await
        .iter()
        .map(common::json_body)
        .collect();
    assert_eq!(
        bodies[0],
        json!({
            "application_name": "app",
            "webhook_event_url": "https://example.com/hook",
            "webhook_event_failover_url": null
        })
    );
    assert_eq!(bodies[1]["webhook_timeout_secs"], 5);
    for body in &bodies[1..] {
        let object = body.as_object().unwrap();
        assert!(!object.contains_key("webhook_event_failover_url"), "{body}");
    }
    assert!(!bodies[2]
        .as_object()
        .unwrap()
        .contains_key("webhook_timeout_secs"));
}
