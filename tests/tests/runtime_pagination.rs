//! `into_stream` walking real HTTP pages, with a hand-written list request
//! shaped like the generated ones.

use std::future::Future;
use std::pin::pin;

use futures_util::{StreamExt, TryStreamExt};

use serde::Deserialize;
use serde_json::json;
use telnyx_api::runtime::{
    into_stream, next_cursor, next_page_number, ApiRequest, Client, Error, Method, NextPage, Page,
    PagedRequest, QueryStyle, StatusCode,
};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Deserialize)]
struct Call {
    id: String,
}

#[derive(Debug, Deserialize)]
struct CallsPage {
    data: Vec<Call>,
    meta: Meta,
}

#[derive(Debug, Deserialize)]
struct Meta {
    page_number: Option<i64>,
    total_pages: Option<i64>,
    after: Option<String>,
}

impl Page for CallsPage {
    type Item = Call;

    fn next_page(&self) -> Option<NextPage> {
        next_cursor(self.meta.after.as_deref())
            .or_else(|| next_page_number(self.meta.page_number, self.meta.total_pages))
    }

    fn into_items(self) -> Vec<Call> {
        self.data
    }
}

#[derive(Clone)]
struct ListCalls {
    client: Client,
    page: Option<NextPage>,
}

impl PagedRequest for ListCalls {
    type Page = CallsPage;

    fn with_next_page(mut self, next: &NextPage) -> Self {
        self.page = Some(next.clone());
        self
    }

    fn fetch_page(self) -> impl Future<Output = Result<CallsPage, Error>> + Send {
        let mut request = ApiRequest::new(Method::GET, "/calls");
        match &self.page {
            Some(NextPage::Number(number)) => {
                request.query("page", QueryStyle::DeepObject, &json!({"number": number}))
            }
            Some(NextPage::After(cursor)) => {
                request.query("page", QueryStyle::DeepObject, &json!({"after": cursor}))
            }
            None => {}
        }
        async move { self.client.execute(request).await }
    }
}

fn list_calls(server: &MockServer) -> ListCalls {
    let client = Client::builder()
        .api_key("test-key")
        .base_url(server.uri())
        // A failed page must end the stream at once, not after retries.
        .max_retries(0)
        .build()
        .unwrap();
    ListCalls { client, page: None }
}

fn numbered_page(ids: &[&str], page_number: i64) -> ResponseTemplate {
    let data: Vec<_> = ids.iter().map(|id| json!({ "id": id })).collect();
    ResponseTemplate::new(200).set_body_json(json!({
        "data": data,
        "meta": {"page_number": page_number, "total_pages": 3}
    }))
}

#[tokio::test]
async fn streams_every_item_of_three_numbered_pages() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/calls"))
        .and(query_param_is_missing("page[number]"))
        .respond_with(numbered_page(&["a", "b"], 1))
        .expect(1)
        .mount(&server)
        .await;
    for (number, ids) in [(2, ["c", "d"]), (3, ["e", "f"])] {
        Mock::given(method("GET"))
            .and(path("/calls"))
            .and(query_param("page[number]", number.to_string()))
            .respond_with(numbered_page(&ids, number))
            .expect(1)
            .mount(&server)
            .await;
    }

    let ids: Vec<String> = into_stream(list_calls(&server))
        .map_ok(|call| call.id)
        .try_collect()
        .await
        .unwrap();

    assert_eq!(ids, ["a", "b", "c", "d", "e", "f"]);
}

#[tokio::test]
async fn fetches_lazily_and_ends_after_a_failed_page() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("page[after]"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{"id": "a"}],
            "meta": {"after": "cursor-1"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(query_param("page[after]", "cursor-1"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;

    let mut stream = pin!(into_stream(list_calls(&server)));

    assert_eq!(stream.next().await.unwrap().unwrap().id, "a");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    let error = stream.next().await.unwrap().unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn stops_at_an_empty_page_or_a_page_pointing_at_itself() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("page[after]"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{"id": "a"}],
            "meta": {"after": "same"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(query_param("page[after]", "same"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{"id": "b"}],
            "meta": {"after": "same"}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let ids: Vec<String> = into_stream(list_calls(&server))
        .map_ok(|call| call.id)
        .try_collect()
        .await
        .unwrap();

    assert_eq!(ids, ["a", "b"]);
}
