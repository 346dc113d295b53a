//! Rust names for IR types. Parents are named before the inline types
//! inside them, so `CallRequest` → `CallRequestAnsweringMachineDetection`.
//! Inline types that are identical and want the same name share one
//! definition (Telnyx repeats "Call Control Command Response" forty times).

use super::casing::pascal;
use crate::ir::{Api, Origin, TypeDef, TypeId};
use std::collections::BTreeMap;

/// Names the crate keeps for itself; schemas wanting them, or a prelude
/// name, get a suffix.
const RESERVED: [&str; 8] = [
    "Self",
    "DateTime",
    "Date",
    "Value",
    "Map",
    "Client",
    "Error",
    "WebhookEvent",
];

pub struct TypeNames {
    pub names: BTreeMap<TypeId, String>,
    /// For a type that shares another's definition, the one that is emitted.
    pub canonical: BTreeMap<TypeId, TypeId>,
}

pub fn assign(api: &Api, words: &[String]) -> TypeNames {
    let mut order: Vec<(usize, &TypeId)> =
        api.types.keys().map(|id| (depth(api, id), id)).collect();
    order.sort();
    let mut names: BTreeMap<TypeId, String> = BTreeMap::new();
    let mut owners: BTreeMap<String, TypeId> = BTreeMap::new();
    let mut canonical = BTreeMap::new();
    for (_, id) in order {
        let def = api.type_def(id);
        let wanted = base_name(api, def, &names, words);
        let name = match owners.get(&wanted) {
            None => wanted,
            Some(owner) if shares_definition(api.type_def(owner), def) => {
                canonical.insert(id.clone(), owner.clone());
                wanted
            }
            Some(_) => free_variant(&wanted, def, &owners, words),
        };
        owners.entry(name.clone()).or_insert_with(|| id.clone());
        names.insert(id.clone(), name);
    }
    TypeNames { names, canonical }
}

fn depth(api: &Api, id: &TypeId) -> usize {
    let mut depth = 0;
    let mut current = id;
    while let Some(parent) = api.origin(current).and_then(parent_of) {
        depth += 1;
        current = parent;
        if depth > 64 {
            break;
        }
    }
    depth
}

fn parent_of(origin: &Origin) -> Option<&TypeId> {
    match origin {
        Origin::Property { parent, .. }
        | Origin::Items { parent }
        | Origin::MapValues { parent }
        | Origin::Variant { parent, .. } => Some(parent),
        _ => None,
    }
}

fn base_name(
    api: &Api,
    def: &TypeDef,
    names: &BTreeMap<TypeId, String>,
    words: &[String],
) -> String {
    let name = origin_name(
        api,
        &def.id,
        &def.origin,
        def.docs.title.as_deref(),
        names,
        words,
    );
    if RESERVED.contains(&name.as_str()) || super::prelude::is_prelude(&name) {
        format!("{name}Object")
    } else if name.is_empty() {
        "Unnamed".to_string()
    } else {
        name
    }
}

/// The name an origin suggests; unnamed parents are named on the fly.
fn origin_name(
    api: &Api,
    id: &TypeId,
    origin: &Origin,
    title: Option<&str>,
    names: &BTreeMap<TypeId, String>,
    words: &[String],
) -> String {
    let parent_name = |parent: &TypeId| match names.get(parent) {
        Some(name) => name.clone(),
        None => api
            .origin(parent)
            .map(|o| origin_name(api, parent, o, None, names, words))
            .unwrap_or_default(),
    };
    let title = title.map(|t| pascal(t, words)).filter(|t| !t.is_empty());
    match origin {
        Origin::Component(name) => pascal(name, words),
        Origin::Property { parent, property } => {
            format!("{}{}", parent_name(parent), pascal(property, words))
        }
        Origin::Items { parent } => format!("{}Item", parent_name(parent)),
        Origin::MapValues { parent } => format!("{}Value", parent_name(parent)),
        Origin::Variant { parent, index } => {
            let suffix = title.unwrap_or_else(|| format!("Variant{index}"));
            format!("{}{suffix}", parent_name(parent))
        }
        Origin::Parameter { owner, parameter } => {
            if id.0.as_str().starts_with("/components/parameters/") {
                pascal(owner, words)
            } else {
                format!("{}{}", pascal(owner, words), pascal(parameter, words))
            }
        }
        Origin::RequestBody { operation } => {
            title.unwrap_or_else(|| format!("{}Body", pascal(operation, words)))
        }
        Origin::Response { operation, .. } => {
            title.unwrap_or_else(|| format!("{}Response", pascal(operation, words)))
        }
        Origin::ComponentBody { name } => {
            let base = pascal(name, words);
            let is_body = id.0.as_str().starts_with("/components/requestBodies/");
            match (
                is_body,
                base.ends_with("Response") || base.ends_with("Body") || base.ends_with("Request"),
            ) {
                (_, true) => base,
                (true, false) => format!("{base}Body"),
                (false, false) => format!("{base}Response"),
            }
        }
        Origin::Webhook { name } => format!("{}Payload", pascal(name, words)),
    }
}

/// Two inline roots with one name and one shape are one type.
fn shares_definition(owner: &TypeDef, def: &TypeDef) -> bool {
    let inline_root = |d: &TypeDef| {
        matches!(
            d.origin,
            Origin::Response { .. } | Origin::RequestBody { .. } | Origin::ComponentBody { .. }
        )
    };
    inline_root(owner)
        && inline_root(def)
        && owner.kind == def.kind
        && owner.nullable == def.nullable
}

/// A free name for a type whose wanted name is taken by a different type:
/// first one that says where it comes from, then a counter.
fn free_variant(
    wanted: &str,
    def: &TypeDef,
    owners: &BTreeMap<String, TypeId>,
    words: &[String],
) -> String {
    let context = match &def.origin {
        Origin::Response { operation, .. } => Some(format!("{}Response", pascal(operation, words))),
        Origin::RequestBody { operation } => Some(format!("{}Body", pascal(operation, words))),
        _ => None,
    };
    if let Some(candidate) = context.filter(|c| !owners.contains_key(c)) {
        return candidate;
    }
    (2..)
        .map(|n| format!("{wanted}{n}"))
        .find(|c| !owners.contains_key(c))
        .expect("an unbounded counter finds a free name")
}
