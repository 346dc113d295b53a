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
    mut plans: BTreeMap<usize, CallPlan<'_>>,
) -> TokenStream {
    let sampler = Sampler::for_requests(api);
    let overrides = &config.conformance;
    let mut functions = Vec::new();
    let mut table = Vec::new();
    let mut sorted: Vec<usize> = plans.keys().copied().collect();
    sorted.sort_by_key(|&i| dotted(&names.operations[i]));
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
        let mock = if overrides.generated_responses.contains_key(&key) {
            quote!(Mock::Generating)
        } else {
            quote!(Mock::Validating)
        };
        let prism_names = overrides.prism_query_names.get(&key);
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
            let case = Case {
                name,
                plan: &plan,
                full,
                has_body: op.body.is_some(),
                prism_names: prism_names.map(Vec::as_slice).unwrap_or_default(),
            };
            functions.push(case.function(&function, &sampler));
            table.push(quote! { (#label, #mock, |client| Box::pin(#function(client))), });
        }
    }
    let count = table.len();
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

        use std::process::ExitCode;
        use support::{check_body, check_no_unknown_values, failure, value, Case, Mock};

        const CASES: [Case; #count] = [#(#table)*];

        #(#functions)*

        fn main() -> ExitCode {
            support::main(&CASES)
        }
    }
}

/// One case of one operation.
struct Case<'p, 'a> {
    name: &'p crate::naming::OpName,
    plan: &'p CallPlan<'a>,
    /// Every input, or the required ones only.
    full: bool,
    has_body: bool,
    /// Query parameters sent again under the name Prism looks up.
    prism_names: &'p [String],
}

impl Case<'_, '_> {
    fn function(&self, function: &proc_macro2::Ident, sampler: &Sampler<'_>) -> TokenStream {
        let (plan, full) = (self.plan, self.full);
        let resources = self.name.resource.iter().map(|r| format_ident!("{}", r));
        let method = format_ident!("{}", self.name.method);
        let args = plan.positional.iter().map(|input| argument(input, sampler));
        let set: Vec<&PlanInput<'_>> = plan
            .required_setters
            .iter()
            .chain(plan.setters.iter().filter(|_| full))
            .collect();
        let setters = set.iter().map(|input| {
            let ident = &input.ident;
            let value = argument(input, sampler);
            quote!(.#ident(#value))
        });
        let prism_params = plan
            .positional
            .iter()
            .chain(set.iter().copied())
            .filter_map(|input| match &input.target {
                PlanTarget::Param(p) if self.prism_names.contains(&p.name) => {
                    let encoded = prism_encoded(&p.name);
                    let value = match sampler.param(p) {
                        Value::String(text) => text,
                        other => other.to_string(),
                    };
                    Some(quote!(.query_param(#encoded, #value)))
                }
                _ => None,
            });
        let expected = match expected_body(plan, full, sampler, self.has_body) {
            Some(body) => {
                let text = body.to_string();
                quote!(Some(#text))
            }
            None => quote!(None),
        };
        quote! {
            async fn #function(client: telnyx_api::Client) -> Result<(), String> {
                let request = client #(.#resources())* .#method(#(#args),*) #(#setters)* #(#prism_params)*;
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
fn names_input(input: &PlanInput<'_>, inputs: &[String]) -> bool {
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
fn fill_min_properties(api: &Api, op: &crate::ir::Operation, plan: &mut CallPlan<'_>) {
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
