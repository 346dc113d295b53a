//! Responses at full scale, through the generated conformance suite run
//! against local servers (each call with its own base URL):
//!
//! - every example the spec gives of an operation's whole response (the
//!   media type's `example` and `examples`, the response schema's own
//!   `example`) decodes into the operation's response type, without enum
//!   values the spec does not list;
//! - every list operation streams across pages: page 1 points at page 2
//!   (`meta.page_number`/`total_pages`, or `meta.cursors.after`), and
//!   `into_stream` yields the item of each.
//!
//! Prism's answers, which it builds from the property examples, are decoded
//! by `cargo xtask conformance`.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};
use wiremock::matchers::{any, path_regex, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};
use xtask::ir::{Api, Operation, PageInput, PageShape, Pagination};
use xtask::sample::Sampler;

/// The examples of the operation's whole success response, with where each
/// is in the spec.
fn examples(spec: &Value, op: &Operation) -> Vec<(String, Value)> {
    let Some(success) = &op.success else {
        return Vec::new();
    };
    if success.ty.is_none() {
        return Vec::new();
    }
    let at = format!("{}/responses/{}", op.pointer.as_str(), success.status);
    let response = resolve(spec, &spec.pointer(&at).cloned().unwrap_or_default());
    let media_type = success.media_type.as_deref().unwrap_or("application/json");
    let media = &response["content"][media_type];
    let mut found = Vec::new();
    if let Some(example) = media.get("example") {
        found.push((format!("{at} example"), example.clone()));
    }
    if let Some(Value::Object(named)) = media.get("examples") {
        for (name, example) in named {
            let example = resolve(spec, example);
            if let Some(value) = example.get("value") {
                found.push((format!("{at} examples.{name}"), value.clone()));
            }
        }
    }
    let schema = resolve(spec, &media["schema"]);
    if let Some(example) = schema.get("example") {
        found.push((format!("{at} schema example"), example.clone()));
    }
    if let Some(Value::Array(listed)) = schema.get("examples") {
        for (index, example) in listed.iter().enumerate() {
            found.push((format!("{at} schema examples[{index}]"), example.clone()));
        }
    }
    found
}

/// `value` with its `$ref`s followed.
fn resolve(spec: &Value, value: &Value) -> Value {
    let mut current = value.clone();
    for _ in 0..16 {
        match current.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                current = spec
                    .pointer(reference.trim_start_matches('#'))
                    .cloned()
                    .unwrap_or_default();
            }
            None => break,
        }
    }
    current
}

fn pinned() -> (Api, xtask::naming::Names, Value) {
    let (api, names) = telnyx_tests::pinned_api();
    let spec = xtask::load::parse_document(&telnyx_tests::pinned_spec(), "spec/spec3.yml")
        .unwrap_or_else(|e| panic!("{e}"));
    (api, names, spec)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_spec_example_of_a_response_decodes_into_its_type() {
    let suite = tokio::task::spawn_blocking(common::suite::executable);
    let (api, names, spec) = pinned();
    let cases = xtask::emit::conformance_inputs(&api, &names, &telnyx_tests::pinned_config());
    // The required-inputs case of each operation with examples, and them.
    let mut by_case: BTreeMap<usize, Vec<(String, Value)>> = BTreeMap::new();
    for (index, case) in cases.iter().enumerate() {
        if case.label.ends_with("(required inputs)") {
            let found = examples(&spec, &api.operations[case.operation]);
            if !found.is_empty() {
                by_case.insert(index, found);
            }
        }
    }
    let operations = by_case.len();
    let total: usize = by_case.values().map(Vec::len).sum();
    assert!(
        operations > 50,
        "the pinned spec has examples of {operations} responses"
    );
    let suite = suite.await.expect("the build finishes");

    let mut failures = Vec::new();
    let rounds = by_case.values().map(Vec::len).max().unwrap_or(0);
    for round in 0..rounds {
        let server = MockServer::start().await;
        let mut tried = BTreeMap::new();
        for (index, found) in &by_case {
            if let Some((at, example)) = found.get(round) {
                Mock::given(path_regex(format!("^/{index}/")))
                    .respond_with(ResponseTemplate::new(200).set_body_json(example))
                    .with_priority(1)
                    .mount(&server)
                    .await;
                tried.insert(*index, at.clone());
            }
        }
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
            .mount(&server)
            .await;
        let uri = server.uri();
        let path = suite.clone();
        let outcomes = tokio::task::spawn_blocking(move || {
            common::suite::run(&path, "CONFORMANCE_CAPTURE", "CASE", &uri)
        })
        .await
        .expect("the suite finishes");
        for outcome in outcomes {
            if let Some(at) = tried.get(&outcome.index) {
                if !outcome.outcome.starts_with("ok") {
                    failures.push(format!("{} ({at}): {}", outcome.label, outcome.outcome));
                }
            }
        }
    }
    eprintln!("{total} examples of {operations} operations' responses decoded");
    assert!(
        failures.is_empty(),
        "{} examples do not decode:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The page the server answers for `page` (1 or 2) of a list: the
/// response sampled from its schema, one item in `data`, and `meta`
/// pointing at page 2 from page 1 only.
fn page(api: &Api, op: &Operation, number: u8) -> Value {
    let sampler = Sampler::new(api);
    let response = op
        .success
        .as_ref()
        .and_then(|s| s.ty.as_ref())
        .expect("a list has a response");
    let mut body = sampler.value(response);
    let (shape, cursor): (&PageShape, bool) = match &op.pagination {
        Pagination::PageNumber(shape) => (shape, false),
        Pagination::Cursor(shape) => (shape, true),
        Pagination::None => unreachable!("a list pages"),
    };
    let object = body.as_object_mut().expect("a page is an object");
    object.insert("data".into(), json!([sampler.value(&shape.item)]));
    let meta = object.entry("meta").or_insert_with(|| json!({}));
    let meta = meta.as_object_mut().expect("`meta` is an object");
    if cursor {
        let after = if number == 1 { "cursor-2" } else { "" };
        meta.insert("cursors".into(), json!({"after": after}));
    } else {
        meta.insert("page_number".into(), json!(number));
        meta.insert("total_pages".into(), json!(2));
    }
    body
}

/// The query pair that asks for page 2.
fn second_page(op: &Operation) -> (String, &'static str) {
    let (shape, marker) = match &op.pagination {
        Pagination::PageNumber(shape) => (shape, "2"),
        Pagination::Cursor(shape) => (shape, "cursor-2"),
        Pagination::None => unreachable!("a list pages"),
    };
    let name = match &shape.input {
        PageInput::Param(name) => name.clone(),
        PageInput::Field { param, field } => format!("{param}[{field}]"),
    };
    (name, marker)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_list_operation_streams_across_pages() {
    let suite = tokio::task::spawn_blocking(common::suite::executable);
    let (api, names, _) = pinned();
    let lists: BTreeMap<String, &Operation> = api
        .operations
        .iter()
        .zip(&names.operations)
        .filter(|(op, _)| op.pagination != Pagination::None)
        .map(|(op, name)| (format!("{}.{}", name.resource.join("."), name.method), op))
        .collect();
    let suite = suite.await.expect("the build finishes");

    // The suite's list calls, in its order: which index is which list.
    let listed = tokio::task::spawn_blocking({
        let suite = suite.clone();
        move || common::suite::run(&suite, "CONFORMANCE_PAGES", "PAGES", "http://127.0.0.1:9")
    })
    .await
    .expect("the suite finishes");
    let streamed: BTreeSet<&String> = listed.iter().map(|o| &o.label).collect();
    let all: BTreeSet<&String> = lists.keys().collect();
    assert_eq!(
        streamed, all,
        "every list operation has a paging call in the suite"
    );

    let server = MockServer::start().await;
    for outcome in &listed {
        let op = lists[&outcome.label];
        let (name, marker) = second_page(op);
        Mock::given(path_regex(format!("^/{}/", outcome.index)))
            .and(query_param(name.as_str(), marker))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(&api, op, 2)))
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(path_regex(format!("^/{}/", outcome.index)))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(&api, op, 1)))
            .with_priority(2)
            .mount(&server)
            .await;
    }
    let uri = server.uri();
    let outcomes = tokio::task::spawn_blocking(move || {
        common::suite::run(&suite, "CONFORMANCE_PAGES", "PAGES", &uri)
    })
    .await
    .expect("the suite finishes");
    let failures: Vec<String> = outcomes
        .iter()
        .filter(|o| o.outcome != "ok 2")
        .map(|o| format!("{}: {} (want the 2 items of 2 pages)", o.label, o.outcome))
        .collect();
    eprintln!("{} list operations streamed across 2 pages", outcomes.len());
    assert!(
        failures.is_empty(),
        "{} lists do not stream across pages:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
