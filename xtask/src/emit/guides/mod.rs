//! `guides/<name>.md`: guides a Rust developer can follow end to end, in
//! the form of the official SDK's voice guides — setup, errors, then per
//! operation its spec summary as title, a one-line description, `METHOD
//! /path`, the required inputs and a snippet that calls it and prints a
//! field of the answer; a webhooks section where the guide lists events.
//!
//! Which guide has which operation is [`outline`]'s rule: the curated
//! guides of `spec/guides.yml` first, then one guide per feature group,
//! so every emitted operation has its section in exactly one guide.
//!
//! Each snippet is one function, written once: the guide shows it and
//! `tests/guides/<guide>.rs` compiles it verbatim; `tests/guides/main.rs`
//! runs them all against the mock in `cargo xtask conformance`.

mod check;
pub mod config;
mod guide;
mod markdown;
pub mod outline;
mod runner;
mod snippet;
mod values;
mod webhooks;

pub use check::check;
pub use outline::{outline, Outline};

use super::operations::{CallPlan, OperationEmitter};
use super::Artifact;
use crate::ir::Api;
use crate::naming::casing::pascal;
use crate::naming::config::ConformanceConfig;
use crate::naming::Names;
use quote::format_ident;
use std::collections::{BTreeMap, BTreeSet};

/// The test target's manifest entry, when the crate has guides.
pub fn manifest_target(outline: &Outline) -> String {
    if outline.guides.is_empty() {
        return String::new();
    }
    "\n# Every snippet of guides/, run against the Prism mock by `cargo xtask\n\
     # conformance`; plain `cargo test` leaves it out.\n\
     [[test]]\n\
     name = \"guides\"\n\
     path = \"tests/guides/main.rs\"\n\
     harness = false\n\
     test = false\n\
     required-features = [\"full\"]\n"
        .to_string()
}

/// The guides and their test target.
/// Guide `index` of the outline: `guides/<name>.md` and its test module.
/// `conformance` is that section of `spec/sdk.yml`: inputs the spec
/// leaves optional that a request cannot do without, and operations the
/// mock must answer from the schema because the spec's examples break it. Each
/// guide is a job of its own, so the guides are written in parallel with
/// the rest of the crate.
pub fn emit_guide(
    api: &Api,
    names: &Names,
    outline: &Outline,
    index: usize,
    conformance: &ConformanceConfig,
) -> Vec<(String, Artifact)> {
    let Some(guide) = outline.guides.get(index) else {
        return Vec::new();
    };
    let plans = call_plans(api, names, guide);
    let context = guide::Context {
        writer: snippet::SnippetWriter::new(api, names),
        plans: &plans,
        homes: outline
            .guides
            .iter()
            .flat_map(|g| g.sections().map(move |op| (op, g.name.clone())))
            .collect(),
        also_required: &conformance.also_required,
        generated_responses: &conformance.generated_responses,
        known_failures: &outline.known_failures,
    };
    let module = guide::module_name(&guide.name);
    let opening = opening(names, outline, guide);
    let rendered = guide::render(&context, guide, &opening, features(names, guide));
    vec![
        (
            format!("guides/{}.md", guide.name),
            Artifact::Text(rendered.markdown),
        ),
        (
            format!("tests/guides/{module}.rs"),
            Artifact::Text(rendered.module),
        ),
    ]
}

/// `tests/guides/main.rs`, the runner of every guide's module.
pub fn emit_runner(outline: &Outline) -> Vec<(String, Artifact)> {
    if outline.guides.is_empty() {
        return Vec::new();
    }
    let modules: Vec<(String, String)> = outline
        .guides
        .iter()
        .map(|g| (g.name.clone(), guide::module_name(&g.name)))
        .collect();
    vec![(
        "tests/guides/main.rs".into(),
        Artifact::Rust(runner::emit(&modules)),
    )]
}

/// How to call each operation with a section in the guide: the plans the
/// resource emitter makes, made again here so that the guide's job does
/// not wait for the resource tree's. As in the conformance suite, a body
/// that needs properties the spec leaves optional (`minProperties`, a
/// required form) gets its first optional ones as well.
fn call_plans<'a>(
    api: &'a Api,
    names: &'a Names,
    guide: &outline::GuideOutline,
) -> BTreeMap<usize, CallPlan<'a>> {
    let emitter = OperationEmitter { api, names };
    guide
        .sections()
        .map(|op| {
            let name = &names.operations[op];
            let last = name.resource.last().map(String::as_str).unwrap_or_default();
            let resource_struct = format_ident!("{}", pascal(last, &names.words));
            let emitted = emitter.operation(&api.operations[op], name, &resource_struct);
            let mut plan = emitted.plan;
            super::conformance::fill_min_properties(api, &api.operations[op], &mut plan);
            (op, plan)
        })
        .collect()
}

/// The cargo features a guide's operations (and webhooks) need: a group
/// where the resource has one, else the resource's own feature.
fn features(names: &Names, guide: &outline::GuideOutline) -> Vec<String> {
    let mut features = BTreeSet::new();
    for op in guide.sections() {
        let resource = &names.operations[op].resource[0];
        let feature = names.features.group_of(resource).unwrap_or(resource);
        features.insert(feature.to_string());
    }
    if !guide.webhooks.is_empty() {
        features.insert(crate::naming::features::WEBHOOKS.to_string());
    }
    features.into_iter().collect()
}

/// The paragraphs under a guide's title.
fn opening(names: &Names, outline: &Outline, guide: &outline::GuideOutline) -> Vec<String> {
    let mut paragraphs = Vec::new();
    match (&guide.about, &guide.group) {
        (Some(about), _) => paragraphs.push(about.trim().to_string()),
        (None, Some(group)) => {
            let mut resources: Vec<&String> = Vec::new();
            for op in guide.sections() {
                let resource = &names.operations[op].resource[0];
                if !resources.contains(&resource) {
                    resources.push(resource);
                }
            }
            let list: Vec<String> = resources
                .iter()
                .map(|r| format!("`client.{r}()`"))
                .collect();
            let curated: Vec<String> = outline
                .guides
                .iter()
                .filter(|g| g.group.is_none())
                .filter(|g| {
                    g.sections().any(|op| {
                        names.features.group_of(&names.operations[op].resource[0])
                            == Some(group.as_str())
                    })
                })
                .map(|g| format!("`{}`", g.name))
                .collect();
            let scope = if curated.is_empty() {
                format!("Every operation of the `{group}` feature group")
            } else {
                format!(
                    "Every operation of the `{group}` feature group that the guides {} leave out",
                    curated.join(", ")
                )
            };
            paragraphs.push(format!("{scope}, one section each: {}.", list.join(", ")));
        }
        (None, None) => paragraphs.push(
            "The operations of resources that no feature group of `spec/sdk.yml` lists yet."
                .to_string(),
        ),
    }
    paragraphs.push(
        "Every snippet here is compiled as shown and run against a mock server \
         that checks each request against Telnyx's OpenAPI spec, whenever the \
         crate's conformance tests run."
            .to_string(),
    );
    paragraphs
}
