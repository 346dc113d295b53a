//! Stage 5: the IR and its names → the files of the client crate, as
//! token streams (Rust) or text (manifest, API index, runtime templates).

mod api_md;
mod conformance;
mod crate_files;
mod docs;
pub(crate) mod fields;
mod operations;
mod resources;
pub(crate) mod rust_type;
pub(crate) mod scope;
mod types;
mod webhooks;

pub use crate_files::Templates;

use crate::ir::{Api, Pagination, TypeRef};
use crate::naming::{Names, SdkConfig};
use proc_macro2::TokenStream;
use std::collections::BTreeMap;

/// One output file before formatting.
pub enum Artifact {
    Rust(TokenStream),
    /// Written verbatim.
    Text(String),
}

/// Every file of the crate, keyed by path relative to the crate root.
pub fn emit(
    api: &Api,
    names: &Names,
    config: &SdkConfig,
    templates: &Templates,
) -> BTreeMap<String, Artifact> {
    let scope = scope::scope(api, names, config);
    let mut files = BTreeMap::new();
    let mut pages = BTreeMap::new();
    for &i in &scope.operations {
        let op = &api.operations[i];
        if op.pagination != Pagination::None {
            if let Some(TypeRef::Named(id)) = op.success.as_ref().and_then(|s| s.ty.as_ref()) {
                pages.insert(names.canonical(id).clone(), op.pagination.clone());
            }
        }
    }
    let type_emitter = types::TypeEmitter {
        api,
        names,
        request_types: &scope.request_types,
        pages,
    };
    let mut modules: BTreeMap<&str, Vec<crate::ir::TypeId>> = BTreeMap::new();
    for (id, module) in &scope.type_modules {
        modules.entry(module.as_str()).or_default().push(id.clone());
    }
    for (module, ids) in &modules {
        files.insert(
            format!("src/types/{module}.rs"),
            Artifact::Rust(type_emitter.module(ids)),
        );
    }
    files.insert(
        "src/types/mod.rs".into(),
        Artifact::Rust(crate_files::types_mod(modules.keys().copied())),
    );
    let resource_files = resources::emit(api, names, &scope.operations);
    files.insert(
        "API.md".into(),
        Artifact::Text(api_md::render(api, &resource_files.index)),
    );
    files.insert(
        "tests/conformance.rs".into(),
        Artifact::Rust(conformance::emit(api, names, config, resource_files.plans)),
    );
    files.extend(
        resource_files
            .files
            .into_iter()
            .map(|(path, tokens)| (path, Artifact::Rust(tokens))),
    );
    files.insert(
        "src/webhooks.rs".into(),
        Artifact::Rust(webhooks::emit(api, names)),
    );
    files.insert(
        "src/lib.rs".into(),
        Artifact::Rust(crate_files::lib_rs(api)),
    );
    files.insert(
        "Cargo.toml".into(),
        Artifact::Text(crate_files::manifest(templates)),
    );
    files.insert(
        "rustfmt.toml".into(),
        Artifact::Text(crate_files::RUSTFMT_TOML.into()),
    );
    for (name, text) in &templates.runtime {
        files.insert(format!("src/runtime/{name}"), Artifact::Text(text.clone()));
    }
    for (name, text) in &templates.examples {
        files.insert(format!("examples/{name}"), Artifact::Text(text.clone()));
    }
    files
}
