//! `tests/conformance.rs`: every generated operation called twice against a
//! spec-validating mock (`cargo xtask conformance`): once with its required
//! inputs only, once with every input set. Values come from the spec's
//! examples, enums and formats; each case first checks that the request
//! body carries exactly the spec's property names and values, then that the
//! mock accepts the request and that the response decodes without falling
//! back to an `Unknown` enum value.

use super::operations::{CallPlan, PlanInput, PlanTarget};
use crate::ir::Api;
use crate::naming::{Names, SdkConfig};
use crate::sample::Sampler;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// `plans` are the call plans the resource emitter made, by operation index.
pub fn emit(
    api: &Api,
    names: &Names,
    config: &SdkConfig,
    mut plans: BTreeMap<usize, CallPlan<'_>>,
) -> TokenStream {
    let sampler = Sampler::for_requests(api);
    let mut functions = Vec::new();
    let mut table = Vec::new();
    let mut sorted: Vec<usize> = plans.keys().copied().collect();
    sorted.sort_by_key(|&i| dotted(&names.operations[i]));
    for i in sorted {
        let name = &names.operations[i];
        let op = &api.operations[i];
        let mut plan = plans.remove(&i).expect("a plan per operation");
        let key = format!("{} {}", op.method.as_str().to_lowercase(), op.path);
        if let Some(extra) = config.conformance.also_required.get(&key) {
            promote(&mut plan, extra);
        }
        let chain = dotted(name);
        for full in [false, true] {
            let label = format!(
                "{chain} ({})",
                if full {
                    "every input"
                } else {
                    "required inputs"
                }
            );
            let function = format_ident!(
                "{}_{}",
                chain.replace('.', "_"),
                if full { "full" } else { "required" }
            );
            functions.push(case_function(
                &function,
                name,
                &plan,
                full,
                &sampler,
                api.operations[i].body.is_some(),
            ));
            table.push(quote! { (#label, |client| Box::pin(#function(client))), });
        }
    }
    let count = table.len();
    quote! {
        //! The conformance suite: every operation of this crate against a
        //! mock that validates requests against the OpenAPI spec. Run it
        //! with `cargo xtask conformance`, which starts the mock; it reads
        //! `TELNYX_BASE_URL` and `TELNYX_API_KEY` and takes an optional
        //! substring filter as its first argument.
        #![allow(clippy::too_many_lines)]

        use futures_util::future::BoxFuture;
        use std::process::ExitCode;

        type Case = (&'static str, fn(telnyx_api::Client) -> BoxFuture<'static, Result<(), String>>);

        const CASES: [Case; #count] = [#(#table)*];

        /// A value for an input, from the JSON the generator sampled.
        fn value<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, String> {
            serde_json::from_str(json).map_err(|e| format!("sample {json} does not decode: {e}"))
        }

        /// The request body must be exactly what the spec names: a field
        /// serialized under another name fails here even where the mock
        /// would ignore an unknown property.
        fn check_body(request: &telnyx_api::runtime::ApiRequest, expected: Option<&str>) -> Result<(), String> {
            let sent: Option<serde_json::Value> = request
                .body()
                .map(serde_json::from_slice)
                .transpose()
                .map_err(|e| format!("the request body is not JSON: {e}"))?;
            let expected: Option<serde_json::Value> = expected
                .map(serde_json::from_str)
                .transpose()
                .map_err(|e| format!("the expected body is not JSON: {e}"))?;
            if sent == expected {
                return Ok(());
            }
            let mut differences = Vec::new();
            let null = serde_json::Value::Null;
            diff("body", expected.as_ref().unwrap_or(&null), sent.as_ref().unwrap_or(&null), &mut differences);
            Err(format!("request body differs from the spec: {}", differences.join("; ")))
        }

        /// The JSON paths where `sent` differs from `expected`.
        fn diff(path: &str, expected: &serde_json::Value, sent: &serde_json::Value, out: &mut Vec<String>) {
            match (expected, sent) {
                (serde_json::Value::Object(e), serde_json::Value::Object(s)) => {
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

        /// A mock answering from the spec's own examples must not produce
        /// enum values the spec does not list.
        fn check_no_unknown_values(before: usize) -> Result<(), String> {
            let seen = telnyx_api::runtime::unknown_values_seen() - before;
            if seen == 0 {
                Ok(())
            } else {
                Err(format!("the response decoded {seen} enum value(s) the spec does not list"))
            }
        }

        fn failure(error: telnyx_api::Error) -> String {
            match error.api_error() {
                Some(api) => format!("{} from the mock: {}", api.status, api.body),
                None => error.to_string(),
            }
        }

        #(#functions)*

        #[tokio::main(flavor = "current_thread")]
        async fn main() -> ExitCode {
            let client = match telnyx_api::Client::from_env() {
                Ok(client) => client,
                Err(error) => {
                    eprintln!("conformance: {error} (run it through `cargo xtask conformance`)");
                    return ExitCode::from(2);
                }
            };
            let filter = std::env::args().nth(1).unwrap_or_default();
            let (mut passed, mut failed) = (0usize, 0usize);
            for (label, case) in CASES.iter().filter(|(label, _)| label.contains(filter.as_str())) {
                match case(client.clone()).await {
                    Ok(()) => passed += 1,
                    Err(reason) => {
                        failed += 1;
                        println!("FAILED {label}: {reason}");
                    }
                }
            }
            println!("{passed} passed, {failed} failed");
            if failed == 0 && passed > 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
    }
}

fn case_function(
    function: &proc_macro2::Ident,
    name: &crate::naming::OpName,
    plan: &CallPlan<'_>,
    full: bool,
    sampler: &Sampler<'_>,
    has_body: bool,
) -> TokenStream {
    let resources = name.resource.iter().map(|r| format_ident!("{}", r));
    let method = format_ident!("{}", name.method);
    let args = plan.positional.iter().map(|input| argument(input, sampler));
    let setters = plan
        .required_setters
        .iter()
        .chain(plan.setters.iter().filter(|_| full))
        .map(|input| {
            let ident = &input.ident;
            let value = argument(input, sampler);
            quote!(.#ident(#value))
        });
    let expected = match expected_body(plan, full, sampler, has_body) {
        Some(body) => {
            let text = body.to_string();
            quote!(Some(#text))
        }
        None => quote!(None),
    };
    quote! {
        async fn #function(client: telnyx_api::Client) -> Result<(), String> {
            let request = client #(.#resources())* .#method(#(#args),*) #(#setters)*;
            check_body(&request.request(), #expected)?;
            let unknown_before = telnyx_api::runtime::unknown_values_seen();
            request.await.map_err(failure)?;
            check_no_unknown_values(unknown_before)
        }
    }
}

fn argument(input: &PlanInput<'_>, sampler: &Sampler<'_>) -> TokenStream {
    let ty = from_outside(input.ty.clone());
    let json = sample(&input.target, sampler).to_string();
    quote!(value::<#ty>(#json)?)
}

fn sample(target: &PlanTarget<'_>, sampler: &Sampler<'_>) -> Value {
    match target {
        PlanTarget::Param(p) => sampler.param(p),
        PlanTarget::BodyField(f) => sampler.property(f),
        PlanTarget::Body(b) => sampler.value(&b.ty),
    }
}

/// The JSON body the case must send: the sampled properties under their
/// spec names, `null` for required nullable ones left unset.
fn expected_body(
    plan: &CallPlan<'_>,
    full: bool,
    sampler: &Sampler<'_>,
    has_body: bool,
) -> Option<Value> {
    let inputs = plan
        .positional
        .iter()
        .chain(&plan.required_setters)
        .chain(plan.setters.iter().filter(|_| full));
    let mut object = Map::new();
    for input in inputs {
        match &input.target {
            PlanTarget::Body(_) => return Some(sample(&input.target, sampler)),
            PlanTarget::BodyField(f) => {
                object.insert(f.name.clone(), sample(&input.target, sampler));
            }
            PlanTarget::Param(_) => {}
        }
    }
    if !full {
        for input in &plan.setters {
            if let PlanTarget::BodyField(f) = &input.target {
                if f.required {
                    object.insert(f.name.clone(), Value::Null);
                }
            }
        }
    }
    let whole_body = plan
        .positional
        .iter()
        .chain(&plan.setters)
        .any(|i| matches!(i.target, PlanTarget::Body(_)));
    (has_body && !whole_body).then_some(Value::Object(object))
}

/// `calls.actions.answer`
fn dotted(name: &crate::naming::OpName) -> String {
    let mut parts = name.resource.clone();
    parts.push(name.method.clone());
    parts.join(".")
}

/// Types are written `crate::types::X` for the crate itself; the suite is a
/// crate of its own and names them `telnyx_api::types::X`.
fn from_outside(tokens: TokenStream) -> TokenStream {
    use proc_macro2::{Group, Ident, TokenTree};
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Ident(ident) if ident == "crate" => {
                TokenTree::Ident(Ident::new(super::crate_files::LIB_NAME, ident.span()))
            }
            TokenTree::Group(group) => {
                let mut inner = Group::new(group.delimiter(), from_outside(group.stream()));
                inner.set_span(group.span());
                TokenTree::Group(inner)
            }
            other => other,
        })
        .collect()
}

/// Moves the named body properties from setters to what the "required
/// inputs" case sets (they stay setters in the call itself).
fn promote(plan: &mut CallPlan<'_>, properties: &[String]) {
    let named = |input: &PlanInput<'_>| matches!(&input.target, PlanTarget::BodyField(f) if properties.contains(&f.name));
    let (moved, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut plan.setters)
        .into_iter()
        .partition(named);
    plan.setters = kept;
    plan.required_setters = moved;
}
