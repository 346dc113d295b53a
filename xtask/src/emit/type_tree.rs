//! The `types` module tree: one file per module path that holds types
//! (`types/ai/assistants.rs`), the `mod` lines that connect them, and the
//! gates from [`super::gating`] on the top-level lines and shared items.

use super::gating::{cfg_any, cfg_feature, gate_each_item};
use super::scope::SHARED_MODULE;
use crate::ir::TypeId;
use crate::naming::features::{FeatureNames, WEBHOOKS};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::{BTreeMap, BTreeSet};

/// Module paths → the types each defines.
pub type Modules = BTreeMap<Vec<String>, Vec<TypeId>>;

/// Every module path with types, and every path above one.
pub fn nodes(modules: &Modules) -> BTreeSet<Vec<String>> {
    let mut nodes = BTreeSet::new();
    for path in modules.keys() {
        for depth in 1..=path.len() {
            nodes.insert(path[..depth].to_vec());
        }
    }
    nodes
}

fn children<'n>(nodes: &'n BTreeSet<Vec<String>>, node: &[String]) -> Vec<&'n String> {
    nodes
        .iter()
        .filter(|n| n.len() == node.len() + 1 && n.starts_with(node))
        .map(|n| &n[node.len()])
        .collect()
}

/// The file a module path is written to.
pub fn file_of(nodes: &BTreeSet<Vec<String>>, node: &[String]) -> String {
    let dir = node.join("/");
    if children(nodes, node).is_empty() {
        format!("src/types/{dir}.rs")
    } else {
        format!("src/types/{dir}/mod.rs")
    }
}

/// One module's file: its submodules, then its types (`emitted`, one token
/// stream per type, in name order). Shared types are gated item by item by
/// the features that reach them.
pub fn module_file(
    nodes: &BTreeSet<Vec<String>>,
    node: &[String],
    emitted: Vec<(&TypeId, TokenStream)>,
    type_features: &BTreeMap<TypeId, BTreeSet<String>>,
) -> TokenStream {
    let children = children(nodes, node)
        .into_iter()
        .map(|c| format_ident!("{}", c));
    let shared = node.first().is_some_and(|n| n == SHARED_MODULE);
    let glob = (!emitted.is_empty()).then(|| {
        quote!(
            #[allow(unused_imports)]
            use crate::types::*;
        )
    });
    let types = emitted
        .into_iter()
        .map(|(id, tokens)| match type_features.get(id) {
            Some(features) if shared => gate_each_item(&cfg_any(features), tokens),
            _ => tokens,
        });
    // A shared module's items may all be gated off; its re-export is then empty.
    let allow = shared.then(|| quote!(#[allow(unused_imports)]));
    quote! {
        #glob
        #( mod #children; #allow pub use #children::*; )*
        #(#types)*
    }
}

/// `types/mod.rs`: the top-level modules, a resource's gated by its
/// feature, `webhooks` by that feature, `shared` by its items.
pub fn root(nodes: &BTreeSet<Vec<String>>, features: &FeatureNames) -> TokenStream {
    let lines = children(nodes, &[]).into_iter().map(|top| {
        let module = format_ident!("{}", top);
        let gate = if top == WEBHOOKS || features.resources.contains(top) {
            cfg_feature(top)
        } else {
            // `shared`: its items are gated one by one, and may all be off.
            quote!(#[allow(unused_imports)])
        };
        quote! { #gate mod #module; #gate pub use #module::*; }
    });
    quote! {
        //! Every type of the API, re-exported flat: `telnyx_api::types::CallRequest`.
        //! The submodules group them by the resource that uses them, under
        //! that resource's feature; `shared` holds the types several
        //! features reach, each compiled when one of them is on.
        #(#lines)*
    }
}
