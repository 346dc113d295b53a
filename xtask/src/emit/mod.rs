//! Stage 5: the IR and its names → the files of the client crate, as
//! token streams (Rust) or text (manifest, API index, runtime templates).

mod api_md;
pub mod conformance;
mod crate_files;
mod docs;
pub(crate) mod fields;
pub(crate) mod gating;
pub mod guides;
pub(crate) mod operations;
mod resources;
pub(crate) mod rust_type;
pub(crate) mod scope;
mod serde_impls;
mod shared_enums;
mod type_tree;
pub(crate) mod types;
mod webhooks;

pub use crate_files::{Templates, CRATE_NAME, LIB_NAME};

use crate::ir::{query, Api, Pagination};
use crate::naming::{Names, SdkConfig};
use proc_macro2::TokenStream;
use std::collections::BTreeMap;

/// The inputs every conformance case (`tests/conformance.rs`) sets, as
/// JSON under the spec's names, in the suite's order.
pub fn conformance_inputs(
    api: &Api,
    names: &Names,
    config: &SdkConfig,
) -> Vec<conformance::CaseInputs> {
    let scope = scope::scope(api, names, config);
    let plans = resources::plans(api, names, &scope.operations);
    conformance::inputs(api, names, config, plans)
}

/// One output file before formatting.
pub enum Artifact {
    Rust(TokenStream),
    /// Written verbatim.
    Text(String),
}

/// A share of the crate that can be emitted on any thread. Token streams
/// cannot cross threads, so a job's files are formatted where it ran.
pub struct Job<'a> {
    /// Estimated output size, so the largest jobs start first.
    pub weight: usize,
    pub run: Box<dyn FnOnce() -> Vec<(String, Artifact)> + Send + 'a>,
}

/// What the crate contains, decided before any file is emitted.
pub struct Plan<'a> {
    api: &'a Api,
    names: &'a Names,
    config: &'a SdkConfig,
    templates: &'a Templates,
    scope: scope::Scope,
    /// `types/…` module paths → the types each defines.
    modules: type_tree::Modules,
    /// Every module of the `types` tree, with or without types.
    type_nodes: std::collections::BTreeSet<Vec<String>>,
    pages: BTreeMap<crate::ir::TypeId, Pagination>,
    /// Which guide has which operation.
    guides: guides::Outline,
}

impl<'a> Plan<'a> {
    pub fn new(
        api: &'a Api,
        names: &'a Names,
        config: &'a SdkConfig,
        templates: &'a Templates,
    ) -> Self {
        let scope = scope::scope(api, names, config);
        let mut pages = BTreeMap::new();
        for &i in &scope.operations {
            let op = &api.operations[i];
            if op.pagination != Pagination::None {
                // The page is the struct behind any aliases: the type `Page` is implemented for.
                let page = op.success.as_ref().and_then(|s| s.ty.as_ref());
                if let Some(def) = page.and_then(|ty| query::resolve(&api.types, ty)) {
                    pages.insert(names.canonical(&def.id).clone(), op.pagination.clone());
                }
            }
        }
        let mut modules = type_tree::Modules::new();
        for (id, module) in &scope.type_modules {
            modules.entry(module.clone()).or_default().push(id.clone());
        }
        let type_nodes = type_tree::nodes(&modules);
        // What the outline finds amiss in the config was reported by the
        // pipeline, before emitting.
        let (guides, _) = guides::outline(api, names, &config.guide_config, &scope.operations);
        Plan {
            api,
            names,
            config,
            templates,
            scope,
            modules,
            type_nodes,
            pages,
            guides,
        }
    }

    /// Every file of the crate, as jobs that together emit each path once.
    pub fn jobs(&self) -> Vec<Job<'_>> {
        let mut jobs: Vec<Job<'_>> = self
            .type_nodes
            .iter()
            .map(|node| {
                let ids = self
                    .modules
                    .get(node)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                Job {
                    weight: ids.iter().map(|id| type_weight(self.api, id)).sum(),
                    run: Box::new(move || {
                        let definitions = self.type_emitter().definitions(ids);
                        let tokens = type_tree::module_file(
                            &self.type_nodes,
                            node,
                            definitions,
                            &self.scope.type_features,
                        );
                        let path = type_tree::file_of(&self.type_nodes, node);
                        vec![(path, Artifact::Rust(tokens))]
                    }),
                }
            })
            .collect();
        jobs.push(Job {
            weight: RESOURCE_WEIGHT * self.scope.operations.len(),
            run: Box::new(|| self.resource_files()),
        });
        jobs.push(Job {
            weight: WEBHOOK_WEIGHT * self.api.webhooks.len(),
            run: Box::new(|| {
                vec![(
                    "src/webhooks.rs".into(),
                    Artifact::Rust(webhooks::emit(self.api, self.names)),
                )]
            }),
        });
        jobs.push(Job {
            weight: 0,
            run: Box::new(|| self.frame()),
        });
        for (index, guide) in self.guides.guides.iter().enumerate() {
            let conformance = &self.config.conformance;
            jobs.push(Job {
                weight: GUIDE_WEIGHT * guide.entries.len(),
                run: Box::new(move || {
                    guides::emit_guide(self.api, self.names, &self.guides, index, conformance)
                }),
            });
        }
        jobs.push(Job {
            weight: 0,
            run: Box::new(|| guides::emit_runner(&self.guides)),
        });
        jobs
    }

    fn type_emitter(&self) -> types::TypeEmitter<'_> {
        types::TypeEmitter {
            api: self.api,
            names: self.names,
            request_types: &self.scope.request_types,
            response_types: &self.scope.response_types,
            type_features: &self.scope.type_features,
            pages: &self.pages,
            enum_aliases: &self.scope.enum_aliases,
        }
    }

    /// The resource tree, and what is read off its builders: the API index
    /// and the conformance suite.
    fn resource_files(&self) -> Vec<(String, Artifact)> {
        let (api, names) = (self.api, self.names);
        let resource_files = resources::emit(api, names, &self.scope.operations);
        let mut files = vec![
            (
                "API.md".into(),
                Artifact::Text(api_md::render(api, &resource_files.index, &names.features)),
            ),
            (
                "tests/conformance.rs".into(),
                Artifact::Rust(conformance::emit(
                    api,
                    names,
                    self.config,
                    resource_files.plans,
                )),
            ),
        ];
        files.extend(
            resource_files
                .files
                .into_iter()
                .map(|(path, tokens)| (path, Artifact::Rust(tokens))),
        );
        files
    }

    /// The files around the API: `lib.rs`, `types/mod.rs`, the manifest
    /// and the hand-written runtime and examples.
    fn frame(&self) -> Vec<(String, Artifact)> {
        let templates = self.templates;
        let mut files = vec![
            (
                "src/types/mod.rs".into(),
                Artifact::Rust(type_tree::root(&self.type_nodes, &self.names.features)),
            ),
            (
                "src/lib.rs".into(),
                Artifact::Rust(crate_files::lib_rs(
                    self.api,
                    &self.names.features,
                    self.guides.crate_doc.as_deref(),
                )),
            ),
            (
                "Cargo.toml".into(),
                Artifact::Text(
                    crate_files::manifest(templates, &self.names.features)
                        + &guides::manifest_target(&self.guides),
                ),
            ),
            (
                "rustfmt.toml".into(),
                Artifact::Text(crate_files::RUSTFMT_TOML.into()),
            ),
            ("README.md".into(), Artifact::Text(templates.readme.clone())),
        ];
        for (name, text) in &templates.runtime {
            files.push((format!("src/runtime/{name}"), Artifact::Text(text.clone())));
        }
        for (name, text) in &templates.examples {
            files.push((format!("examples/{name}"), Artifact::Text(text.clone())));
        }
        for (name, text) in &templates.conformance {
            files.push((
                format!("tests/conformance/{name}"),
                Artifact::Text(text.clone()),
            ));
        }
        files
    }
}

/// Output bytes per operation of the resource tree: its builder, its line
/// in `API.md` and two conformance cases.
const RESOURCE_WEIGHT: usize = 6_000;
/// Output bytes per section of a guide: its Markdown and its snippet.
const GUIDE_WEIGHT: usize = 2_000;
/// Output bytes per webhook in `webhooks.rs`.
const WEBHOOK_WEIGHT: usize = 1_000;

/// Output bytes a type definition comes to, roughly: fields and variants
/// dominate, each with its docs and attributes.
fn type_weight(api: &Api, id: &crate::ir::TypeId) -> usize {
    use crate::ir::TypeKind;
    match &api.type_def(id).kind {
        TypeKind::Struct(s) => 300 + 400 * s.fields.len(),
        TypeKind::Enum(e) => 300 + 60 * e.values.len(),
        TypeKind::TaggedUnion(u) => 600 + 200 * u.variants.len(),
        TypeKind::UntaggedUnion(u) => 600 + 200 * u.variants.len(),
        TypeKind::Alias(_) => 100,
    }
}
