//! `tests/conformance.rs`: every generated operation called twice against a
//! spec-validating mock (`cargo xtask conformance`): once with its required
//! inputs only, once with every input set. Values come from the spec's
//! examples, enums and formats; each case first checks that the request
//! body carries exactly the spec's property names and values, then that the
//! mock accepts the request and that the response decodes without falling
//! back to an `Unknown` enum value.

use super::operations::{CallPlan, PlanInput, PlanTarget};
use crate::ir::{Api, BodyEncoding};
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
    plans: BTreeMap<usize, CallPlan<'_>>,
) -> TokenStream {
    let sampler = Sampler::for_requests(api);
    let mut functions = Vec::new();
    let mut table = Vec::new();
    let mut pages = Vec::new();
    for case in prepare(api, names, config, plans) {
        if case.plan.streams && !case.full {
            let function = format_ident!("{}_pages", dotted(case.name).replace('.', "_"));
            let label = dotted(case.name);
            functions.push(case.pages_function(&function, &sampler));
            pages.push(quote! { (#label, |client| Box::pin(#function(client))), });
        }
        let function = format_ident!(
            "{}_{}",
            dotted(case.name).replace('.', "_"),
            if case.full { "full" } else { "required" }
        );
        let mock = if case.generated_response {
            quote!(Mock::Generating)
        } else {
            quote!(Mock::Validating)
        };
        let label = &case.label;
        functions.push(case.function(&function, &sampler));
        table.push(quote! { (#label, #mock, |client| Box::pin(#function(client))), });
    }
    let count = table.len();
    let page_count = pages.len();
    quote! {
        //! The conformance suite: every operation of this crate against a
        //! mock that validates requests against the OpenAPI spec. Run it
        //! with `cargo xtask conformance`, which starts the mocks; it reads
        //! `TELNYX_BASE_URL` and `TELNYX_API_KEY` and takes an optional
        //! substring filter as its first argument. The helpers are in
        //! `conformance/support.rs`.
        #![allow(clippy::too_many_lines)]

        #[path = "conformance/support.rs"]
        mod support;

        use futures_util::TryStreamExt;
        use std::process::ExitCode;
        use support::{check_body, check_no_unknown_values, failure, value, Case, Mock, Pages};

        const CASES: [Case; #count] = [#(#table)*];

        /// Each list operation's required-inputs call, streamed through
        /// every page (`CONFORMANCE_PAGES`, `tests/tests/responses.rs`).
        const PAGES: [Pages; #page_count] = [#(#pages)*];

        #(#functions)*

        fn main() -> ExitCode {
            support::main(&CASES, &PAGES)
        }
    }
}

/// What one conformance case sends, as JSON: for tests that make the same
/// call another way (the official SDK's, in `sdk_equivalence.rs`).
#[derive(Debug, Clone, PartialEq)]
pub struct CaseInputs {
    /// `calls.actions.answer (every input)`, as the suite prints it.
    pub label: String,
    /// Index into `api.operations`.
    pub operation: usize,
    /// Every input set, in the order of the call: arguments, then setters.
    pub inputs: Vec<Input>,
    /// Query pairs sent only for Prism (`conformance.prism_query_names`).
    pub prism_query: Vec<(String, String)>,
}

/// One input of a case.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub sent: Sent,
    /// The crate's name for it (argument or setter), which follows the
    /// official SDK's where `spec/sdk.yml` renames it.
    pub rust: String,
    pub value: Value,
}

/// Where an input goes in the request, under the spec's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    Path(String),
    Query(String),
    Header(String),
    /// A property of the JSON (form, multipart) body.
    BodyField(String),
    /// The body as a whole.
    Body,
}

/// The inputs of every case, in the suite's order.
pub fn inputs(
    api: &Api,
    names: &Names,
    config: &SdkConfig,
    plans: BTreeMap<usize, CallPlan<'_>>,
) -> Vec<CaseInputs> {
    let sampler = Sampler::for_requests(api);
    prepare(api, names, config, plans)
        .iter()
        .map(|case| CaseInputs {
            label: case.label.clone(),
            operation: case.operation,
            inputs: case
                .inputs()
                .map(|input| Input {
                    sent: sent(&input.target),
                    rust: input.ident.to_string().trim_start_matches("r#").to_owned(),
                    value: sample(&input.target, &sampler),
                })
                .collect(),
            prism_query: case.prism_query(&sampler),
        })
        .collect()
}

fn sent(target: &PlanTarget<'_>) -> Sent {
    match target {
        PlanTarget::Param(p) => match p.location {
            crate::ir::Location::Path => Sent::Path(p.name.clone()),
            crate::ir::Location::Header => Sent::Header(p.name.clone()),
            _ => Sent::Query(p.name.clone()),
        },
        PlanTarget::BodyField(f) => Sent::BodyField(f.name.clone()),
        PlanTarget::Body(_) => Sent::Body,
    }
}

/// Both cases of every operation, sorted by call chain, with the
/// overrides of `conformance:` in `spec/sdk.yml` applied.
fn prepare<'p, 'a>(
    api: &'a Api,
    names: &'p Names,
    config: &'p SdkConfig,
    mut plans: BTreeMap<usize, CallPlan<'a>>,
) -> Vec<Case<'p, 'a>> {
    let overrides = &config.conformance;
    let mut sorted: Vec<usize> = plans.keys().copied().collect();
    sorted.sort_by_key(|&i| dotted(&names.operations[i]));
    let mut cases = Vec::new();
    for i in sorted {
        let name = &names.operations[i];
        let op = &api.operations[i];
        let mut plan = plans.remove(&i).expect("a plan per operation");
        let key = format!("{} {}", op.method.as_str().to_lowercase(), op.path);
        if let Some(extra) = overrides.also_required.get(&key) {
            promote(&mut plan, extra);
        }
        fill_min_properties(api, op, &mut plan);
        if let Some(left_out) = overrides.left_out.get(&key) {
            plan.setters.retain(|input| !names_input(input, left_out));
        }
        let plan = std::rc::Rc::new(plan);
        let prism_names = overrides
            .prism_query_names
            .get(&key)
            .cloned()
            .unwrap_or_default();
        for full in [false, true] {
            cases.push(Case {
                name,
                operation: i,
                label: format!(
                    "{} ({})",
                    dotted(name),
                    if full {
                        "every input"
                    } else {
                        "required inputs"
                    }
                ),
                plan: plan.clone(),
                full,
                has_body: op.body.is_some(),
                generated_response: overrides.generated_responses.contains_key(&key),
                prism_names: prism_names.clone(),
            });
        }
    }
    cases
}

/// One case of one operation.
struct Case<'p, 'a> {
    name: &'p crate::naming::OpName,
    operation: usize,
    label: String,
    plan: std::rc::Rc<CallPlan<'a>>,
    /// Every input, or the required ones only.
    full: bool,
    has_body: bool,
    /// Answered by the Prism that generates responses from the schema.
    generated_response: bool,
    /// Query parameters sent again under the name Prism looks up.
    prism_names: Vec<String>,
}

impl<'a> Case<'_, 'a> {
    /// The setters the case calls: those it must, then (every input) the rest.
    fn setters(&self) -> impl Iterator<Item = &PlanInput<'a>> {
        let full = self.full;
        self.plan
            .required_setters
            .iter()
            .chain(self.plan.setters.iter().filter(move |_| full))
    }

    /// Arguments, then setters.
    fn inputs(&self) -> impl Iterator<Item = &PlanInput<'a>> {
        self.plan.positional.iter().chain(self.setters())
    }

    fn prism_query(&self, sampler: &Sampler<'_>) -> Vec<(String, String)> {
        self.inputs()
            .filter_map(|input| match &input.target {
                PlanTarget::Param(p) if self.prism_names.contains(&p.name) => {
                    let value = match sampler.param(p) {
                        Value::String(text) => text,
                        other => other.to_string(),
                    };
                    Some((prism_encoded(&p.name), value))
                }
                _ => None,
            })
            .collect()
    }

    /// Streams the case's call through every page: the items it yields.
    fn pages_function(&self, function: &proc_macro2::Ident, sampler: &Sampler<'_>) -> TokenStream {
        let call = self.call(sampler);
        quote! {
            async fn #function(client: telnyx_api::Client) -> Result<usize, String> {
                let items: Vec<_> = #call.into_stream().try_collect().await.map_err(failure)?;
                Ok(items.len())
            }
        }
    }

    /// `client.a().b(args).setter(value)…`
    fn call(&self, sampler: &Sampler<'_>) -> TokenStream {
        let resources = self.name.resource.iter().map(|r| format_ident!("{}", r));
        let method = format_ident!("{}", self.name.method);
        let args = self
            .plan
            .positional
            .iter()
            .map(|input| argument(input, sampler));
        let setters = self.setters().map(|input| {
            let ident = &input.ident;
            let value = argument(input, sampler);
            quote!(.#ident(#value))
        });
        let prism_params = self
            .prism_query(sampler)
            .into_iter()
            .map(|(name, value)| quote!(.query_param(#name, #value)));
        quote!(client #(.#resources())* .#method(#(#args),*) #(#setters)* #(#prism_params)*)
    }

    fn function(&self, function: &proc_macro2::Ident, sampler: &Sampler<'_>) -> TokenStream {
        let call = self.call(sampler);
        let expected = match expected_body(&self.plan, self.full, sampler, self.has_body) {
            Some(body) => {
                let text = body.to_string();
                quote!(Some(#text))
            }
            None => quote!(None),
        };
        quote! {
            async fn #function(client: telnyx_api::Client) -> Result<(), String> {
                let request = #call;
                check_body(&request.request(), #expected)?;
                let unknown_before = telnyx_api::runtime::unknown_values_seen();
                request.await.map_err(failure)?;
                check_no_unknown_values(unknown_before)
            }
        }
    }
}

/// `page[number]` as Prism 5.14.2 looks a required query parameter up:
/// percent-encoded, in lower case. It never matches a name with brackets
/// as a client sends it.
fn prism_encoded(name: &str) -> String {
    name.replace('[', "%5b").replace(']', "%5d")
}

/// Whether the input is one of `inputs`: a body property by name, a
/// parameter as `<location>.<name>`.
pub(crate) fn names_input(input: &PlanInput<'_>, inputs: &[String]) -> bool {
    match &input.target {
        PlanTarget::BodyField(f) => inputs.contains(&f.name),
        PlanTarget::Param(p) => inputs.contains(&format!("{}.{}", location(p), p.name)),
        PlanTarget::Body(_) => false,
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

/// Moves the named inputs from setters to what the "required inputs" case
/// sets (they stay setters in the call itself).
fn promote(plan: &mut CallPlan<'_>, inputs: &[String]) {
    let (moved, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut plan.setters)
        .into_iter()
        .partition(|input| names_input(input, inputs));
    plan.setters = kept;
    plan.required_setters.extend(moved);
}

fn location(param: &crate::ir::Param) -> &'static str {
    crate::naming::location_key(param.location)
}

/// A body with `minProperties` needs that many properties even in the
/// "required inputs" case: the first optional ones make up the count. So
/// does a required form or multipart body (one property): without fields
/// it is empty, which Prism reads as no body at all.
pub(crate) fn fill_min_properties(api: &Api, op: &crate::ir::Operation, plan: &mut CallPlan<'_>) {
    let Some(body) = &op.body else { return };
    let Some(def) = crate::ir::query::resolve(&api.types, &body.ty) else {
        return;
    };
    let fields_only = matches!(
        body.encoding(),
        BodyEncoding::Form | BodyEncoding::Multipart
    );
    let wanted = def
        .constraints
        .min_properties
        .unwrap_or(0)
        .max(usize::from(fields_only && body.required));
    let is_field = |input: &PlanInput<'_>| matches!(input.target, PlanTarget::BodyField(_));
    let set = plan
        .positional
        .iter()
        .chain(&plan.required_setters)
        .filter(|input| is_field(input))
        .count();
    let mut missing = wanted.saturating_sub(set);
    let mut kept = Vec::new();
    for input in std::mem::take(&mut plan.setters) {
        if missing > 0 && is_field(&input) {
            missing -= 1;
            plan.required_setters.push(input);
        } else {
            kept.push(input);
        }
    }
    plan.setters = kept;
}
