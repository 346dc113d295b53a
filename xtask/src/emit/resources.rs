//! The resource tree: one file per resource node, accessor structs, and
//! the builders of its operations.

use super::gating::cfg_feature;
use super::operations::{CallPlan, OperationEmitter};
use crate::ir::Api;
use crate::naming::casing::pascal;
use crate::naming::Names;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::{BTreeMap, BTreeSet};

pub struct ResourceFiles<'a> {
    pub files: BTreeMap<String, TokenStream>,
    /// For API.md.
    pub index: Vec<IndexEntry>,
    /// How to call each operation (by index into `api.operations`), for
    /// the conformance suite.
    pub plans: BTreeMap<usize, CallPlan<'a>>,
}

pub struct IndexEntry {
    pub resource: Vec<String>,
    pub operation: usize,
    pub method: String,
    /// Positional argument names.
    pub args: Vec<String>,
}

/// How to call each of `operations`, without the files: what the
/// conformance suite's inputs are read from.
pub fn plans<'a>(
    api: &'a Api,
    names: &'a Names,
    operations: &[usize],
) -> BTreeMap<usize, CallPlan<'a>> {
    let emitter = OperationEmitter { api, names };
    operations
        .iter()
        .map(|&i| {
            let name = &names.operations[i];
            let node = name.resource.last().expect("an operation has a resource");
            let struct_ident = format_ident!("{}", pascal(node, &names.words));
            (
                i,
                emitter
                    .operation(&api.operations[i], name, &struct_ident)
                    .plan,
            )
        })
        .collect()
}

pub fn emit<'a>(api: &'a Api, names: &'a Names, operations: &[usize]) -> ResourceFiles<'a> {
    let mut by_node: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
    let mut nodes: BTreeSet<Vec<String>> = BTreeSet::new();
    for &i in operations {
        let resource = &names.operations[i].resource;
        by_node.entry(resource.clone()).or_default().push(i);
        for depth in 1..=resource.len() {
            nodes.insert(resource[..depth].to_vec());
        }
    }
    let emitter = OperationEmitter { api, names };
    let mut files = BTreeMap::new();
    let mut index = Vec::new();
    let mut plans = BTreeMap::new();
    for node in &nodes {
        let children: Vec<&String> = nodes
            .iter()
            .filter(|n| n.len() == node.len() + 1 && n.starts_with(node))
            .map(|n| &n[node.len()])
            .collect();
        let struct_ident =
            format_ident!("{}", pascal(node.last().expect("non-empty"), &names.words));
        let mut methods = Vec::new();
        let mut builders = Vec::new();
        let mut ops = by_node.get(node).cloned().unwrap_or_default();
        ops.sort_by(|a, b| {
            names.operations[*a]
                .method
                .cmp(&names.operations[*b].method)
        });
        for i in ops {
            let emitted =
                emitter.operation(&api.operations[i], &names.operations[i], &struct_ident);
            methods.push(emitted.method);
            builders.push(emitted.builder);
            index.push(IndexEntry {
                resource: node.clone(),
                operation: i,
                method: names.operations[i].method.clone(),
                args: emitted.positional,
            });
            plans.insert(i, emitted.plan);
        }
        let child_mods = children.iter().map(|c| format_ident!("{}", c));
        let accessors = children.iter().map(|c| {
            let module = format_ident!("{}", c);
            let child_struct = format_ident!("{}", pascal(c, &names.words));
            let doc = format!(" Operations under `{}.{c}`.", node.join("."));
            quote! {
                #[doc = #doc]
                pub fn #module(&self) -> #module::#child_struct {
                    #module::#child_struct::new(self.client.clone())
                }
            }
        });
        let chain: String = node.iter().map(|n| format!(".{n}()")).collect();
        let doc = format!(
            " Operations on `{}`, reached with `client{chain}`.",
            node.join(".")
        );
        let module_doc = format!(
            " `client{chain}`: {} and their request builders.",
            if children.is_empty() {
                "the operations"
            } else {
                "the operations, sub-resources"
            }
        );
        let tokens = quote! {
            #![doc = #module_doc]
            #(pub mod #child_mods;)*

            #[doc = #doc]
            #[derive(Debug, Clone)]
            pub struct #struct_ident {
                client: crate::Client,
            }

            impl #struct_ident {
                pub(crate) fn new(client: crate::Client) -> Self {
                    Self { client }
                }
                #(#accessors)*
                #(#methods)*
            }

            #(#builders)*
        };
        let dir = node.join("/");
        let path = if children.is_empty() {
            format!("src/resources/{dir}.rs")
        } else {
            format!("src/resources/{dir}/mod.rs")
        };
        files.insert(path, tokens);
    }
    let roots: Vec<&Vec<String>> = nodes.iter().filter(|n| n.len() == 1).collect();
    let root_mods = roots.iter().map(|n| {
        let module = format_ident!("{}", n[0]);
        let gate = cfg_feature(&n[0]);
        quote!(#gate pub mod #module;)
    });
    let root_accessors = roots.iter().map(|n| {
        let module = format_ident!("{}", n[0]);
        let struct_ident = format_ident!("{}", pascal(&n[0], &names.words));
        let gate = cfg_feature(&n[0]);
        let doc = format!(" Operations on `{}` (feature `{}`).", n[0], n[0]);
        quote! {
            #[doc = #doc]
            #gate
            pub fn #module(&self) -> #module::#struct_ident {
                #module::#struct_ident::new(self.clone())
            }
        }
    });
    files.insert(
        "src/resources/mod.rs".into(),
        quote! {
            //! The API's resources, each reached from [`Client`](crate::Client)
            //! and compiled with the cargo feature of its name.
            #(#root_mods)*

            impl crate::Client {
                #(#root_accessors)*
            }
        },
    );
    ResourceFiles {
        files,
        index,
        plans,
    }
}
