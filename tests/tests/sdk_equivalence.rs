//! The same call through the official Telnyx Python SDK and through this
//! crate sends the same HTTP request, for every SDK method on the pinned
//! spec: both cases of the conformance suite (required inputs only, every
//! input) of each operation the SDK has, once per SDK method of it.
//!
//! Both sides get the same inputs: the Rust side is the conformance suite
//! itself (`generated/tests/conformance.rs`, built as `cargo xtask
//! conformance` builds it) run in capture mode against a recording server;
//! the Python side gets the JSON the suite's inputs were sampled as
//! (`xtask::emit::conformance_inputs`), and `tests/python/sdk_equivalence.py`
//! calls the SDK method by its call chain with them.
//!
//! A case passes when the method, the path, the query pairs (in any order)
//! and the body (JSON by value, form and multipart bodies by their fields)
//! agree. The known differences are kinds listed in `spec/quirks.md`
//! ("SDK equivalence: differences"), each with its count and an example;
//! each kind turns the SDK's request into ours where it applies, and the
//! counts must be exactly those listed. A difference of no known kind fails,
//! as does an SDK method without a case.
//!
//! `SDK_EQUIVALENCE_DUMP=1` prints every pair that differs.

mod common;
#[path = "sdk_equivalence/kinds.rs"]
mod sdk_equivalence_kinds;

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine as _;
use common::captured::Captured;
use sdk_equivalence_kinds::{Kind, Pair};
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};
use xtask::emit::conformance::{CaseInputs, Input, Sent};
use xtask::ir::{query, Api, BodyEncoding, Primitive, TypeRef};

/// One SDK method called with one case's inputs.
struct SdkCase {
    /// Index of the case in the suite.
    case: usize,
    chain: String,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_sdk_and_this_crate_send_the_same_requests() {
    let root = telnyx_tests::workspace_root();
    common::python::python();
    let suite = tokio::task::spawn_blocking(common::suite::executable);
    let (api, names) = telnyx_tests::pinned_api();
    let config = telnyx_tests::pinned_config();
    let cases = xtask::emit::conformance_inputs(&api, &names, &config);
    let sdk = xtask::sdk_map::derive(root).unwrap_or_else(|e| panic!("{e}"));

    // Every SDK method whose endpoint the pinned spec has, with both cases.
    let mut methods = BTreeSet::new();
    let mut sdk_cases = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        let op = &api.operations[case.operation];
        if let Some(chains) = sdk.chains(op.method.as_str(), &op.path) {
            for chain in chains.all() {
                methods.insert(chain.to_owned());
                sdk_cases.push(SdkCase {
                    case: index,
                    chain: chain.to_owned(),
                });
            }
        }
    }
    let on_the_spec: BTreeSet<String> = api
        .operations
        .iter()
        .filter_map(|op| sdk.chains(op.method.as_str(), &op.path))
        .flat_map(|chains| chains.all())
        .map(str::to_owned)
        .collect();
    assert_eq!(
        methods, on_the_spec,
        "every SDK method on the pinned spec has cases"
    );
    // telnyx 4.189.0: 1154 methods reach 1151 of the spec's 1156 operations
    // (three endpoints have two methods each; spec/quirks.md, "SDK
    // equivalence: differences").
    assert_eq!(methods.len(), 1154, "SDK methods on the pinned spec");
    let seeds = common::seeds::seed_methods(&common::seeds::seeds_dir());
    let missing: Vec<&String> = seeds
        .iter()
        .filter(|m| m.as_str() != "webhooks.unwrap" && !methods.contains(*m))
        .collect();
    assert!(
        missing.is_empty(),
        "seed methods without cases: {missing:?}"
    );

    let started = std::time::Instant::now();
    let python = python_requests(&api, &cases, &sdk_cases);
    let python_took = started.elapsed();
    let suite = suite.await.expect("the build finishes");
    let started = std::time::Instant::now();
    let rust = rust_requests(&suite, &cases).await;
    eprintln!(
        "SDK calls in {python_took:.1?}, the suite's requests in {:.1?}",
        started.elapsed()
    );

    let mut by_kind: BTreeMap<Kind, Vec<String>> = BTreeMap::new();
    let mut failures = Vec::new();
    let dump = std::env::var_os("SDK_EQUIVALENCE_DUMP").is_some();
    for (sdk_case, answer) in sdk_cases.iter().zip(&python) {
        let case = &cases[sdk_case.case];
        let label = format!("{} via {}", case.label, sdk_case.chain);
        let (ours, theirs) = match (&rust[sdk_case.case], answer) {
            (Ok(ours), Ok(theirs)) => (ours, theirs),
            (Err(error), _) => {
                failures.push(format!("{label}\n    the suite sent no request: {error}"));
                continue;
            }
            (_, Err(error)) => {
                failures.push(format!("{label}\n    the SDK sent no request: {error}"));
                continue;
            }
        };
        let pair = Pair {
            op: &api.operations[case.operation],
            ours,
            theirs: &theirs.captured,
            unmapped: &theirs.unmapped,
            added: &theirs.added,
        };
        match sdk_equivalence_kinds::explain(&pair) {
            Ok(kinds) => {
                if dump && !kinds.is_empty() {
                    eprintln!(
                        "{label}: {kinds:?}; SDK lacks {:?}, requires {:?}\n{}",
                        theirs.unmapped,
                        theirs.added,
                        theirs.captured.diff(ours, "python", "rust")
                    );
                }
                for kind in kinds {
                    by_kind.entry(kind).or_default().push(label.clone());
                }
            }
            Err(diff) => {
                if dump {
                    eprintln!("{label}\n{diff}");
                }
                failures.push(format!("{label}\n{diff}"));
            }
        }
    }
    let observed: BTreeMap<String, usize> = by_kind
        .iter()
        .map(|(kind, calls)| ((*kind).to_owned(), calls.len()))
        .collect();
    eprintln!(
        "{} SDK methods, {} SDK calls compared; differences by kind: {observed:#?}",
        methods.len(),
        sdk_cases.len(),
    );
    assert!(
        failures.is_empty(),
        "{} of {} SDK calls differ from this crate's requests in no documented way:\n\n{}",
        failures.len(),
        sdk_cases.len(),
        failures.join("\n")
    );
    let documented = sdk_equivalence_kinds::documented(&root.join("spec/quirks.md"));
    let counts: BTreeMap<String, usize> = documented
        .iter()
        .map(|(k, (n, _))| (k.clone(), *n))
        .collect();
    assert_eq!(
        observed,
        counts,
        "the differences by kind must be exactly those spec/quirks.md lists; calls by kind: {by_kind:#?}"
    );
    for (kind, (_, example)) in &documented {
        let calls = &by_kind[kind.as_str()];
        assert!(
            calls.contains(example),
            "spec/quirks.md's example of `{kind}`, `{example}`, is not one of its calls: {calls:#?}"
        );
    }
}

/// What the SDK sent for one call, the inputs it has no parameter for and
/// those it required that the case leaves unset.
struct SdkRequest {
    captured: Captured,
    unmapped: Vec<String>,
    added: Vec<String>,
}

/// Runs every SDK call in one Python process.
fn python_requests(
    api: &Api,
    cases: &[CaseInputs],
    sdk_cases: &[SdkCase],
) -> Vec<Result<SdkRequest, String>> {
    let request = json!({
        "cases": sdk_cases.iter().map(|c| python_case(api, cases, c)).collect::<Vec<_>>(),
    });
    let answer = common::python::run_script("sdk_equivalence.py", &request);
    let results = answer["results"].as_array().expect("results");
    assert_eq!(results.len(), sdk_cases.len(), "one SDK result per call");
    results
        .iter()
        .map(|result| {
            let Some(request) = result["request"].as_object() else {
                return Err(result["error"].as_str().unwrap_or("no request").to_owned());
            };
            let url = request["url"].as_str().expect("a URL");
            let after_host = url
                .strip_prefix("http://sdk.test")
                .expect("the SDK's base URL");
            let body = base64::engine::general_purpose::STANDARD
                .decode(request["body_base64"].as_str().unwrap_or_default())
                .expect("base64");
            Ok(SdkRequest {
                captured: Captured::new(
                    request["method"].as_str().expect("a method"),
                    after_host,
                    "",
                    request["content_type"].as_str(),
                    &body,
                ),
                unmapped: strings(&result["unmapped"]),
                added: strings(&result["added"]),
            })
        })
        .collect()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The driver's description of one call: the case's inputs, and those of
/// the operation's every-input case, which follows its required-inputs
/// case in the suite, for what the SDK requires beyond the spec.
fn python_case(api: &Api, cases: &[CaseInputs], sdk_case: &SdkCase) -> Value {
    let case = &cases[sdk_case.case];
    let full = cases
        .get(sdk_case.case + 1)
        .filter(|next| next.operation == case.operation)
        .unwrap_or(case);
    json!({
        "chain": sdk_case.chain,
        "inputs": case.inputs.iter().map(input).collect::<Vec<_>>(),
        "files": files(api, case),
        "fallback": full.inputs.iter().map(input).collect::<Vec<_>>(),
    })
}

fn input(input: &Input) -> Value {
    let (at, name) = match &input.sent {
        Sent::Path(name) => ("path", name.as_str()),
        Sent::Query(name) => ("query", name.as_str()),
        Sent::Header(name) => ("header", name.as_str()),
        Sent::BodyField(name) => ("field", name.as_str()),
        Sent::Body => ("body", ""),
    };
    json!({"at": at, "name": name, "rust": input.rust, "value": input.value})
}

/// The body properties a multipart operation sends as files.
fn files(api: &Api, case: &CaseInputs) -> Vec<String> {
    let op = &api.operations[case.operation];
    let Some(body) = op
        .body
        .as_ref()
        .filter(|b| b.encoding() == BodyEncoding::Multipart)
    else {
        return Vec::new();
    };
    query::body_structs(&api.types, &body.ty)
        .into_iter()
        .flat_map(|s| &s.fields)
        .filter(|f| {
            matches!(
                query::unalias(&api.types, &f.ty),
                TypeRef::Primitive(Primitive::Bytes)
            )
        })
        .map(|f| f.name.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Runs the suite in capture mode against a recording server: case `i`
/// sends under `/i/`.
async fn rust_requests(
    suite: &std::path::Path,
    cases: &[CaseInputs],
) -> Vec<Result<Captured, String>> {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let uri = server.uri();
    let suite = suite.to_path_buf();
    let outcomes: Vec<(String, String)> = tokio::task::spawn_blocking(move || {
        common::suite::run(&suite, "CONFORMANCE_CAPTURE", "CASE", &uri)
    })
    .await
    .expect("the suite finishes")
    .into_iter()
    .map(|o| (o.label, o.outcome))
    .collect();
    let labels: Vec<&String> = outcomes.iter().map(|(label, _)| label).collect();
    let expected: Vec<&String> = cases.iter().map(|c| &c.label).collect();
    assert_eq!(
        labels, expected,
        "the suite's cases are the inputs' cases, in order"
    );

    let mut by_case: BTreeMap<usize, Vec<Captured>> = BTreeMap::new();
    for request in common::received(&server).await {
        let path = request.url.path();
        let Some((index, _)) = path[1..].split_once('/') else {
            continue;
        };
        let Ok(index) = index.parse::<usize>() else {
            continue;
        };
        let url = match request.url.query() {
            Some(query) => format!("{path}?{query}"),
            None => path.to_owned(),
        };
        let content_type = request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok());
        let mut captured = Captured::new(
            request.method.as_str(),
            &url,
            &format!("/{index}"),
            content_type,
            &request.body,
        );
        // Sent for Prism only (`conformance.prism_query_names`).
        captured
            .query
            .retain(|pair| !cases[index].prism_query.contains(pair));
        by_case.entry(index).or_default().push(captured);
    }
    outcomes
        .iter()
        .enumerate()
        .map(|(index, (_, outcome))| match by_case.remove(&index) {
            Some(mut sent) if sent.len() == 1 => Ok(sent.remove(0)),
            Some(sent) => Err(format!("{} requests ({outcome})", sent.len())),
            None => Err(format!("no request ({outcome})")),
        })
        .collect()
}
