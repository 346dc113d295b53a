//! What the cases of the conformance suite share: reading sampled inputs,
//! checking the request body under the spec's names before it is sent,
//! counting enum values the spec does not list, and running the cases
//! against the mocks `cargo xtask conformance` starts.

use futures_util::future::BoxFuture;
use serde_json::{Map, Value};
use std::process::ExitCode;

/// One case: its label, the mock that answers it, and the call.
pub type Case = (
    &'static str,
    Mock,
    fn(telnyx_api::Client) -> BoxFuture<'static, Result<(), String>>,
);

/// A list operation's call, streamed through its pages: how many items
/// the stream yielded.
pub type Pages = (
    &'static str,
    fn(telnyx_api::Client) -> BoxFuture<'static, Result<usize, String>>,
);

/// Set in capture mode: the request is then compared with the official
/// SDK's (`tests/tests/sdk_equivalence.rs`), so [`check_body`] lets it
/// go out even when it differs from the sample, and each check fails on
/// its own.
static CAPTURING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Which Prism answers a case.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mock {
    /// `prism mock --errors` at `TELNYX_BASE_URL`: it validates the request,
    /// answers from the spec's examples and refuses an answer of its own
    /// that breaks the spec.
    Validating,
    /// `prism mock --dynamic` at `CONFORMANCE_GENERATING_BASE_URL`, for
    /// operations whose examples break their own schema (`spec/sdk.yml`,
    /// `conformance.generated_responses`): it validates the request too,
    /// and answers with a value generated from the schema.
    Generating,
}

/// A value for an input, from the JSON the generator sampled.
pub fn value<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, String> {
    serde_json::from_str(json).map_err(|e| format!("sample {json} does not decode: {e}"))
}

/// The request body must be exactly what the spec names: a field sent
/// under another name fails here even where the mock would ignore an
/// unknown property. Form and multipart bodies are read back into their
/// fields and compared with the sample as those encodings carry it.
pub fn check_body(
    request: &telnyx_api::runtime::ApiRequest,
    expected: Option<&str>,
) -> Result<(), String> {
    if CAPTURING.load(std::sync::atomic::Ordering::Relaxed) {
        return Ok(());
    }
    let expected: Option<Value> = expected
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| format!("the expected body is not JSON: {e}"))?;
    let content_type = request.content_type();
    let (sent, expected) = match request.body() {
        None => (None, expected),
        Some(body) => {
            let sent = read_body(content_type, body)?;
            let expected = expected.map(|e| as_encoded(content_type, e));
            (Some(sent), expected)
        }
    };
    if sent == expected {
        return Ok(());
    }
    let mut differences = Vec::new();
    let null = Value::Null;
    diff(
        "body",
        expected.as_ref().unwrap_or(&null),
        sent.as_ref().unwrap_or(&null),
        &mut differences,
    );
    Err(format!(
        "request body ({content_type}) differs from the spec: {}",
        differences.join("; ")
    ))
}

/// The body's fields as JSON, by its media type.
fn read_body(content_type: &str, body: &[u8]) -> Result<Value, String> {
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let text = std::str::from_utf8(body).map_err(|e| format!("the form body: {e}"))?;
        let mut fields = Vec::new();
        for pair in text.split('&').filter(|pair| !pair.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            fields.push((form_decoded(name)?, Value::String(form_decoded(value)?)));
        }
        Ok(gathered(fields))
    } else if let Some(boundary) = content_type.split("boundary=").nth(1) {
        read_multipart(body, boundary)
    } else if content_type == "application/json" {
        serde_json::from_slice(body).map_err(|e| format!("the request body is not JSON: {e}"))
    } else {
        Ok(Value::String(String::from_utf8_lossy(body).into_owned()))
    }
}

fn read_multipart(body: &[u8], boundary: &str) -> Result<Value, String> {
    let text = std::str::from_utf8(body).map_err(|e| format!("the multipart body: {e}"))?;
    let delimiter = format!("--{boundary}");
    let mut fields = Vec::new();
    for part in text.split(delimiter.as_str()).skip(1) {
        if part.starts_with("--") {
            break;
        }
        let part = part.strip_prefix("\r\n").unwrap_or(part);
        let part = part.strip_suffix("\r\n").unwrap_or(part);
        let (head, content) = part
            .split_once("\r\n\r\n")
            .ok_or_else(|| format!("a multipart part without headers: {part:?}"))?;
        let name = head
            .split("name=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .ok_or_else(|| format!("a multipart part without a name: {head:?}"))?;
        fields.push((name.to_owned(), Value::String(content.to_owned())));
    }
    Ok(gathered(fields))
}

/// Fields into an object: a name seen once holds its value, a name seen
/// more often the array of its values.
fn gathered(fields: Vec<(String, Value)>) -> Value {
    let mut object = Map::new();
    for (name, value) in fields {
        match object.get_mut(&name) {
            None => {
                object.insert(name, value);
            }
            Some(Value::Array(values)) => values.push(value),
            Some(first) => *first = Value::Array(vec![first.take(), value]),
        }
    }
    Value::Object(object)
}

/// The sample as a form or multipart body carries it: one text field per
/// scalar, nested values under `qs` bracket names (`obj[key]`,
/// `list[0]`), `null` not at all.
fn as_encoded(content_type: &str, expected: Value) -> Value {
    let encoded = content_type.starts_with("application/x-www-form-urlencoded")
        || content_type.starts_with("multipart/form-data");
    if !encoded || !expected.is_object() {
        return expected;
    }
    let mut fields = Vec::new();
    if let Value::Object(object) = &expected {
        for (name, value) in object {
            bracketed(name.clone(), value, &mut fields);
        }
    }
    gathered(fields)
}

fn bracketed(name: String, value: &Value, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Null => {}
        Value::Object(object) => {
            for (key, inner) in object {
                bracketed(format!("{name}[{key}]"), inner, out);
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                bracketed(format!("{name}[{index}]"), inner, out);
            }
        }
        Value::String(text) => out.push((name, Value::String(text.clone()))),
        other => out.push((name, Value::String(other.to_string()))),
    }
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space.
fn form_decoded(text: &str) -> Result<String, String> {
    let spaced = text.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .map(|decoded| decoded.into_owned())
        .map_err(|e| format!("`{text}` is not UTF-8 once decoded: {e}"))
}

/// The JSON paths where `sent` differs from `expected`.
fn diff(path: &str, expected: &Value, sent: &Value, out: &mut Vec<String>) {
    match (expected, sent) {
        (Value::Object(e), Value::Object(s)) => {
            for (key, value) in e {
                match s.get(key) {
                    Some(other) => diff(&format!("{path}.{key}"), value, other, out),
                    None => out.push(format!("{path}.{key} missing")),
                }
            }
            for key in s.keys().filter(|k| !e.contains_key(*k)) {
                out.push(format!("{path}.{key} not in the spec"));
            }
        }
        _ if expected != sent => out.push(format!("{path}: expected {expected}, sent {sent}")),
        _ => {}
    }
}

/// A mock answering from the spec's own examples must not produce enum
/// values the spec does not list.
pub fn check_no_unknown_values(before: usize) -> Result<(), String> {
    let seen = telnyx_api::runtime::unknown_values_seen() - before;
    if seen == 0 {
        Ok(())
    } else {
        Err(format!(
            "the response decoded {seen} enum value(s) the spec does not list"
        ))
    }
}

pub fn failure(error: telnyx_api::Error) -> String {
    match error.api_error() {
        Some(api) => format!("{} from the mock: {}", api.status, api.body),
        None => error.to_string(),
    }
}

/// The client for the generating mock, when a case selected needs one.
fn generating_client(cases: &[&Case]) -> Result<Option<telnyx_api::Client>, String> {
    if cases.iter().all(|(_, mock, _)| *mock == Mock::Validating) {
        return Ok(None);
    }
    let url = std::env::var("CONFORMANCE_GENERATING_BASE_URL").map_err(|_| {
        "CONFORMANCE_GENERATING_BASE_URL is not set (run the suite through `cargo xtask conformance`)"
            .to_owned()
    })?;
    telnyx_api::Client::builder()
        .base_url(url)
        .api_key(std::env::var("TELNYX_API_KEY").unwrap_or_default())
        .build()
        .map(Some)
        .map_err(|e| e.to_string())
}

/// Runs the cases whose label contains the first argument, one after the
/// other, and prints `N passed, M failed`. With `CONFORMANCE_CAPTURE` or
/// `CONFORMANCE_PAGES` set, see [`capture`] and [`stream_pages`].
pub fn main(cases: &[Case], pages: &[Pages]) -> ExitCode {
    if std::env::var_os("CONFORMANCE_CAPTURE").is_some() {
        return capture(cases);
    }
    if std::env::var_os("CONFORMANCE_PAGES").is_some() {
        return stream_pages(pages);
    }
    let filter = std::env::args().nth(1).unwrap_or_default();
    let selected: Vec<&Case> = cases
        .iter()
        .filter(|(label, _, _)| label.contains(filter.as_str()))
        .collect();
    let clients = telnyx_api::Client::from_env()
        .map_err(|e| e.to_string())
        .and_then(|validating| Ok((validating, generating_client(&selected)?)));
    let (validating, generating) = match clients {
        Ok(clients) => clients,
        Err(error) => {
            eprintln!("conformance: {error} (run it through `cargo xtask conformance`)");
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let (mut passed, mut failed) = (0usize, 0usize);
    for (label, mock, case) in selected {
        let client = match (mock, &generating) {
            (Mock::Generating, Some(generating)) => generating.clone(),
            _ => validating.clone(),
        };
        match runtime.block_on(case(client)) {
            Ok(()) => passed += 1,
            Err(reason) => {
                failed += 1;
                println!("FAILED {label}: {reason}");
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed == 0 && passed > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Sends every case to a server that records requests
/// (`tests/tests/sdk_equivalence.rs`): case `i` with the base URL
/// `$TELNYX_BASE_URL/i`, so each recorded request names its case, and no
/// retries. Prints `CASE <i> <label> <result>` (tab-separated) per case;
/// the server's answers need not decode.
fn capture(cases: &[Case]) -> ExitCode {
    CAPTURING.store(true, std::sync::atomic::Ordering::Relaxed);
    each_with_its_own_base_url("CASE", cases.iter().map(|(label, _, case)| (*label, *case)))
}

/// Streams every list operation's call against a server that serves its
/// pages (`tests/tests/responses.rs`), as [`capture`] runs the cases:
/// prints `PAGES <i> <label> <outcome>` per operation.
fn stream_pages(pages: &[Pages]) -> ExitCode {
    each_with_its_own_base_url("PAGES", pages.iter().copied())
}

/// A call of the suite with what it returns.
type Call<T> = (
    &'static str,
    fn(telnyx_api::Client) -> BoxFuture<'static, Result<T, String>>,
);

/// Runs each call with the base URL `$TELNYX_BASE_URL/<its index>` and
/// no retries, printing `<tag> <index> <label> <outcome>` (tab-separated;
/// the outcome is `ok <value>` or the failure).
fn each_with_its_own_base_url<T: std::fmt::Debug>(
    tag: &str,
    calls: impl Iterator<Item = Call<T>>,
) -> ExitCode {
    let base = std::env::var("TELNYX_BASE_URL").unwrap_or_default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    for (index, (label, call)) in calls.enumerate() {
        let client = telnyx_api::Client::builder()
            .api_key("conformance-capture")
            .base_url(format!("{base}/{index}"))
            .max_retries(0)
            .build();
        let outcome = match client {
            Ok(client) => match runtime.block_on(call(client)) {
                Ok(value) => format!("ok {value:?}"),
                Err(reason) => reason.replace(['\t', '\n'], " "),
            },
            Err(error) => error.to_string(),
        };
        println!("{tag}\t{index}\t{label}\t{outcome}");
    }
    ExitCode::SUCCESS
}
