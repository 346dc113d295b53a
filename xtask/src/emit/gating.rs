//! Cargo feature gating: which feature compiles which part of the crate.
//!
//! A top-level resource's module, accessor and the types only it uses are
//! gated once, on their `mod` line, by the resource's feature. A type that
//! several features reach carries `#[cfg(any(...))]` of exactly those on
//! each of its items, so that it is compiled when any one of them is on,
//! and its definition is the same whichever of them are on: adding a
//! feature never changes a type that is already compiled.

use crate::naming::features::{FeatureNames, FULL, WEBHOOKS};
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", …))]`.
pub fn cfg_any<'a>(features: impl IntoIterator<Item = &'a String>) -> TokenStream {
    let features: BTreeSet<&String> = features.into_iter().collect();
    let predicates = features.iter().map(|f| quote!(feature = #f));
    if features.len() == 1 {
        quote!(#[cfg(#(#predicates)*)])
    } else {
        quote!(#[cfg(any(#(#predicates),*))])
    }
}

/// The gate of one feature.
pub fn cfg_feature(feature: &str) -> TokenStream {
    quote!(#[cfg(feature = #feature)])
}

/// `items` with `cfg` in front of each top-level item. An item ends with a
/// `;` or a `{…}` body (and the `;` a body may be followed by), so no
/// parsing is needed.
pub fn gate_each_item(cfg: &TokenStream, items: TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    let mut item: Vec<TokenTree> = Vec::new();
    let mut after_body = false;
    for tree in items {
        let semicolon = matches!(&tree, TokenTree::Punct(p) if p.as_char() == ';');
        if after_body && !semicolon {
            flush(cfg, &mut item, &mut out);
        }
        after_body = false;
        let body = matches!(&tree, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace);
        item.push(tree);
        if semicolon {
            flush(cfg, &mut item, &mut out);
        } else if body {
            after_body = true;
        }
    }
    flush(cfg, &mut item, &mut out);
    out
}

fn flush(cfg: &TokenStream, item: &mut Vec<TokenTree>, out: &mut TokenStream) {
    if item.is_empty() {
        return;
    }
    out.extend(cfg.clone());
    out.extend(item.drain(..));
}

/// The generated part of `[features]`: `default`, `full`, the groups and
/// one feature per resource, each with a `##` line saying what it enables.
pub fn manifest_features(features: &FeatureNames) -> String {
    let list = |items: &mut dyn Iterator<Item = &String>| {
        items
            .map(|f| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = String::new();
    let _ = writeln!(out, "default = [{}]", list(&mut features.default.iter()));
    let mut everything: Vec<String> = vec![WEBHOOKS.to_string()];
    everything.extend(features.groups.keys().cloned());
    everything.extend(
        features
            .resources
            .iter()
            .filter(|r| features.group_of(r).is_none())
            .cloned(),
    );
    let _ = writeln!(out, "## Every resource of the API, and the webhook events.");
    let _ = writeln!(out, "{FULL} = [{}]", list(&mut everything.iter()));
    for (group, members) in &features.groups {
        let own = if features.resources.contains(group) {
            format!(" and `client.{group}()`")
        } else {
            String::new()
        };
        let _ = writeln!(out, "## Group `{group}`: the resources listed{own}.");
        let _ = writeln!(out, "{group} = [{}]", list(&mut members.iter()));
    }
    for resource in &features.resources {
        if features.groups.contains_key(resource) {
            continue;
        }
        let group = features
            .group_of(resource)
            .map(|g| format!(" (group `{g}`)"))
            .unwrap_or_default();
        let _ = writeln!(out, "## `client.{resource}()`{group}.");
        let _ = writeln!(out, "{resource} = []");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_gets_the_cfg_and_bodies_keep_their_semicolon() {
        let cfg = quote!(#[cfg(feature = "a")]);
        let items = quote! {
            #[doc = " A."]
            pub struct A { x: i32 }
            impl A { fn f() {} }
            pub type B = A;
            crate::runtime::open_enum!(C);
            const D: A = A { x: 1 };
            pub struct E(i32);
        };
        let gated = gate_each_item(&cfg, items).to_string();
        assert_eq!(
            gated.matches("# [cfg (feature = \"a\")]").count(),
            6,
            "{gated}"
        );
        assert!(gated.contains("A { x : 1 } ;"), "{gated}");
    }

    #[test]
    fn one_feature_is_a_plain_cfg_and_several_an_any() {
        let one = [String::from("calls")];
        assert_eq!(
            cfg_any(&one).to_string(),
            quote!(#[cfg(feature = "calls")]).to_string()
        );
        let two = [String::from("webhooks"), String::from("calls")];
        assert_eq!(
            cfg_any(&two).to_string(),
            quote!(#[cfg(any(feature = "calls", feature = "webhooks"))]).to_string()
        );
    }
}
