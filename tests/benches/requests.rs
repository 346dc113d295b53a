//! Per-request overhead of the generated client next to hand-written
//! `reqwest` requests of the same bytes, against a loopback server that
//! answers with fixed bytes over a kept-alive connection. Run through
//! `cargo xtask bench`, which folds the medians into BENCHMARKS.md.
//!
//! The baselines get the request ready-made (URL with its query string,
//! JSON body as bytes), so the client's own work (building the body and
//! the deepObject query, the URL, the headers, the typed decode) all
//! counts as its overhead. One baseline only reads the response body, the
//! other also parses it into a `serde_json::Value`. For `answer`, a third
//! is what a careful hand-written typed call does: a `serde` struct
//! serialized into the body and the response decoded into `serde` structs.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use telnyx_api::types::{
    CallControlFilterConsolidated, CallControlFilterConsolidatedStatus, CallControlPageConsolidated,
};
use tokio::runtime::Runtime;
use xtask::bench::affinity;
use xtask::bench::loopback::{LoopbackServer, RecordedRequest};
use xtask::bench::request_fixture as fixture;

/// The generated client's default, set on the baselines too: reqwest arms
/// a timer for it on every request.
const TIMEOUT: Duration = Duration::from_secs(60);

fn generated_client(base_url: &str) -> telnyx_api::Client {
    telnyx_api::Client::builder()
        .api_key(fixture::API_KEY)
        .base_url(base_url)
        .user_agent(fixture::USER_AGENT)
        .max_retries(0)
        .build()
        .expect("a valid configuration")
}

async fn generated_answer(client: &telnyx_api::Client) {
    let response = client
        .calls()
        .actions()
        .answer(fixture::CALL_CONTROL_ID)
        .client_state(fixture::CLIENT_STATE)
        .command_id(fixture::COMMAND_ID)
        .await
        .expect("answer succeeds");
    assert!(response.data.is_some());
}

async fn generated_list(client: &telnyx_api::Client) {
    let filter = CallControlFilterConsolidated {
        name: Some(fixture::CONFERENCE_NAME.to_owned()),
        status: Some(CallControlFilterConsolidatedStatus::from(
            fixture::CONFERENCE_STATUS,
        )),
        ..Default::default()
    };
    let page = CallControlPageConsolidated {
        number: Some(fixture::PAGE_NUMBER),
        size: Some(fixture::PAGE_SIZE),
        ..Default::default()
    };
    let response = client
        .conferences()
        .list()
        .filter(filter)
        .page(page)
        .await
        .expect("list succeeds");
    assert_eq!(response.data.map(|d| d.len()), Some(2));
}

/// The same two requests written by hand.
struct Raw {
    http: reqwest::Client,
    authorization: String,
    answer_url: String,
    list_url: String,
}

impl Raw {
    fn new(base_url: &str) -> Self {
        Self {
            http: reqwest::Client::builder().build().expect("a client"),
            authorization: format!("Bearer {}", fixture::API_KEY),
            answer_url: format!(
                "{base_url}/calls/{}/actions/answer",
                fixture::CALL_CONTROL_ID
            ),
            list_url: format!("{base_url}/conferences?{LIST_QUERY}"),
        }
    }

    async fn answer(&self) -> impl AsRef<[u8]> {
        let request = self
            .http
            .post(&self.answer_url)
            .header(CONTENT_TYPE, "application/json")
            .body(ANSWER_BODY);
        self.send(request).await
    }

    /// `answer` as hand-written typed code would make it.
    async fn answer_typed(&self) -> CommandResponse {
        let body = AnswerBody {
            client_state: fixture::CLIENT_STATE,
            command_id: fixture::COMMAND_ID,
        };
        let request = self
            .http
            .post(&self.answer_url)
            .header(CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(&body).expect("a JSON body"));
        let body = self.send(request).await;
        serde_json::from_slice(body.as_ref()).expect("a command response")
    }

    async fn list(&self) -> impl AsRef<[u8]> {
        self.send(self.http.get(&self.list_url)).await
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> impl AsRef<[u8]> {
        let response = request
            .header(AUTHORIZATION, &self.authorization)
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, fixture::USER_AGENT)
            .timeout(TIMEOUT)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("the loopback server answers 2xx");
        response.bytes().await.expect("the body arrives")
    }
}

#[derive(Serialize)]
struct AnswerBody {
    client_state: &'static str,
    command_id: &'static str,
}

#[derive(Deserialize)]
struct CommandResponse {
    data: Option<CommandResult>,
}

#[derive(Deserialize)]
#[allow(dead_code)] // Decoded for the cost of it; the bench reads `data` only.
struct CommandResult {
    recording_id: Option<String>,
    result: Option<String>,
}

const ANSWER_BODY: &str = concat!(
    r#"{"client_state":"aGF2ZSBhIG5pY2UgZGF5ID1d","#,
    r#""command_id":"891510ac-f3e4-11e8-af5b-de00688a4901"}"#
);
const LIST_QUERY: &str = "filter%5Bname%5D=Sales%20%26%20Support%20%2F%20Z%C3%BCrich\
     &filter%5Bstatus%5D=in_progress&page%5Bnumber%5D=1&page%5Bsize%5D=20";

fn value(body: impl AsRef<[u8]>) -> serde_json::Value {
    serde_json::from_slice(body.as_ref()).expect("JSON")
}

/// A baseline that sends other bytes than the client would measure
/// something else, so the bench refuses to run unless they match.
fn assert_same_requests(runtime: &Runtime, server: &LoopbackServer, client: &telnyx_api::Client) {
    let raw = Raw::new(&server.base_url());
    let generated = recorded(server, || {
        runtime.block_on(generated_answer(client));
        runtime.block_on(generated_list(client));
    });
    let baseline = recorded(server, || {
        runtime.block_on(raw.answer());
        runtime.block_on(raw.list());
    });
    let typed = recorded(server, || {
        assert!(runtime.block_on(raw.answer_typed()).data.is_some());
    });
    assert_eq!(generated.len(), 2, "{generated:#?}");
    assert_eq!(
        generated, baseline,
        "the raw baseline must send exactly what the client sends"
    );
    assert_eq!(
        generated[..1],
        typed[..],
        "the typed baseline must send exactly what the client sends"
    );
}

fn recorded(server: &LoopbackServer, send: impl FnOnce()) -> Vec<RecordedRequest> {
    server.record();
    send();
    server.take_recorded()
}

fn requests(c: &mut Criterion) {
    // The server pins its threads to the same core (see `affinity`).
    affinity::pin_current_thread(affinity::bench_cpu()).expect("the bench's core");
    let server = LoopbackServer::start(fixture::routes()).expect("a loopback port");
    // One thread drives the client, the server runs on its own threads:
    // on two cores a multi-threaded runtime would only add hand-offs.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let base_url = server.base_url();
    let client = generated_client(&base_url);
    assert_same_requests(&runtime, &server, &client);
    let raw = Raw::new(&base_url);

    let mut group = c.benchmark_group("requests");
    // Every function in turn, round after round (see `ROUNDS_ENV`).
    for round in 1..=xtask::bench::rounds() {
        let answer = format!("answer-r{round}");
        let list = format!("list-r{round}");
        group.bench_function(BenchmarkId::new("generated", &answer), |b| {
            b.iter(|| runtime.block_on(generated_answer(&client)))
        });
        group.bench_function(BenchmarkId::new("raw_body", &answer), |b| {
            b.iter(|| runtime.block_on(raw.answer()))
        });
        group.bench_function(BenchmarkId::new("raw_value", &answer), |b| {
            b.iter(|| value(runtime.block_on(raw.answer())))
        });
        group.bench_function(BenchmarkId::new("raw_typed", &answer), |b| {
            b.iter(|| runtime.block_on(raw.answer_typed()))
        });
        group.bench_function(BenchmarkId::new("generated", &list), |b| {
            b.iter(|| runtime.block_on(generated_list(&client)))
        });
        group.bench_function(BenchmarkId::new("raw_body", &list), |b| {
            b.iter(|| runtime.block_on(raw.list()))
        });
        group.bench_function(BenchmarkId::new("raw_value", &list), |b| {
            b.iter(|| value(runtime.block_on(raw.list())))
        });
    }
    group.finish();
}

criterion_group!(benches, requests);
criterion_main!(benches);
