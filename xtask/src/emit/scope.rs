//! What the crate contains: the operations in the SDK config's scope, the
//! webhooks, every type they reach, who reaches each type, and which
//! `types/…` module each type lives in.

use crate::ir::{Api, TypeId, TypeKind, TypeRef, Webhook};
use crate::naming::casing::snake;
use crate::naming::features::{FeatureNames, WEBHOOKS};
use crate::naming::{Names, SdkConfig};
use std::collections::{BTreeMap, BTreeSet};

pub struct Scope {
    /// Indices into `api.operations`.
    pub operations: Vec<usize>,
    /// Emitted (canonical) types → the module they live in, as a path
    /// under `types` (`["ai", "assistants"]`, `["shared", "voice"]`).
    pub type_modules: BTreeMap<TypeId, Vec<String>>,
    /// Emitted types → the cargo features that reach them: the top-level
    /// resources whose operations use them, and `webhooks`.
    pub type_features: BTreeMap<TypeId, BTreeSet<String>>,
    /// Types reachable from request inputs: the client sends them, so they
    /// serialize (and get constructors).
    pub request_types: BTreeSet<TypeId>,
    /// Types reachable from success responses and webhooks: the client
    /// receives them, so they deserialize.
    pub response_types: BTreeSet<TypeId>,
    /// Open enums emitted as an alias of another with the same values →
    /// that other ([`super::shared_enums`]).
    pub enum_aliases: BTreeMap<TypeId, TypeId>,
}

/// Types used under more than one top-level module live here, split by
/// the feature group their users share (`shared/voice.rs`), else in
/// `shared/common.rs`.
pub const SHARED_MODULE: &str = "shared";
pub const COMMON_MODULE: &str = "common";

pub fn scope(api: &Api, names: &Names, config: &SdkConfig) -> Scope {
    let operations: Vec<usize> = (0..api.operations.len())
        .filter(|&i| config.emits(&api.operations[i].path))
        .collect();
    // Each type's users, as resource paths (`["calls", "actions"]`) or
    // `["webhooks", <event group>]`.
    let mut users: BTreeMap<TypeId, BTreeSet<Vec<String>>> = BTreeMap::new();
    let mut request_types = BTreeSet::new();
    let mut response_types = BTreeSet::new();
    for &i in &operations {
        let op = &api.operations[i];
        let resource = &names.operations[i].resource;
        let mut inputs: Vec<&TypeRef> = op.params.iter().map(|p| &p.ty).collect();
        inputs.extend(op.body.iter().map(|b| &b.ty));
        let mut reached = BTreeSet::new();
        for ty in &inputs {
            reach(api, names, ty, &mut reached);
        }
        request_types.extend(reached.iter().cloned());
        if let Some(ty) = op.success.as_ref().and_then(|s| s.ty.as_ref()) {
            let mut received = BTreeSet::new();
            reach(api, names, ty, &mut received);
            response_types.extend(received.iter().cloned());
            reached.extend(received);
        }
        for id in reached {
            users.entry(id).or_default().insert(resource.clone());
        }
    }
    for webhook in &api.webhooks {
        let mut reached = BTreeSet::new();
        reach(api, names, &webhook.payload, &mut reached);
        response_types.extend(reached.iter().cloned());
        let user = vec![WEBHOOKS.to_string(), webhook_group(webhook, &names.words)];
        for id in reached {
            users.entry(id).or_default().insert(user.clone());
        }
    }
    let enum_aliases = super::shared_enums::merge(
        api,
        names,
        &mut users,
        &mut request_types,
        &mut response_types,
    );
    let mut type_modules = BTreeMap::new();
    let mut type_features = BTreeMap::new();
    for (id, paths) in users {
        let features: BTreeSet<String> = paths.iter().map(|p| p[0].clone()).collect();
        type_modules.insert(id.clone(), module_of(&paths, &features, &names.features));
        type_features.insert(id, features);
    }
    Scope {
        operations,
        type_modules,
        type_features,
        request_types,
        response_types,
        enum_aliases,
    }
}

/// Where a type lives: under its one top-level user, as deep as all its
/// users agree (`types/ai/assistants.rs` for a type only assistants use);
/// else in `shared/`, by the group its users share.
fn module_of(
    paths: &BTreeSet<Vec<String>>,
    features: &BTreeSet<String>,
    names: &FeatureNames,
) -> Vec<String> {
    if features.len() == 1 {
        return common_prefix(paths);
    }
    let groups: BTreeSet<&str> = features
        .iter()
        .map(|f| match f.as_str() {
            WEBHOOKS => WEBHOOKS,
            resource => names.group_of(resource).unwrap_or(resource),
        })
        .collect();
    let group = match groups.into_iter().collect::<Vec<_>>().as_slice() {
        [one] => one.to_string(),
        _ => COMMON_MODULE.to_string(),
    };
    vec![SHARED_MODULE.to_string(), group]
}

fn common_prefix(paths: &BTreeSet<Vec<String>>) -> Vec<String> {
    let mut iter = paths.iter();
    let mut prefix = iter.next().cloned().unwrap_or_default();
    for path in iter {
        let same = prefix.iter().zip(path).take_while(|(a, b)| a == b).count();
        prefix.truncate(same);
    }
    prefix
}

/// Webhook types are grouped by the first word of their event type
/// (`call.answered` → `webhooks/call.rs`).
fn webhook_group(webhook: &Webhook, words: &[String]) -> String {
    let first_event = webhook.event_key.as_ref().and_then(|k| k.values.first());
    let group = match first_event {
        Some(event) => event.split('.').next().unwrap_or_default(),
        None => &webhook.name,
    };
    match snake(group, words) {
        // An event type or name with no word in it (`.`, `-`) still needs a file.
        module if module.is_empty() => "events".to_string(),
        module => module,
    }
}

/// Adds every canonical named type `ty` mentions, transitively.
pub fn reach(api: &Api, names: &Names, ty: &TypeRef, into: &mut BTreeSet<TypeId>) {
    let mut stack = vec![ty.clone()];
    while let Some(ty) = stack.pop() {
        match ty {
            TypeRef::Named(id) => {
                let id = names.canonical(&id).clone();
                if !into.insert(id.clone()) {
                    continue;
                }
                match &api.type_def(&id).kind {
                    TypeKind::Struct(s) => {
                        stack.extend(s.fields.iter().map(|f| f.ty.clone()));
                        stack.extend(s.additional.clone());
                    }
                    TypeKind::TaggedUnion(u) => {
                        stack.extend(u.variants.iter().map(|v| v.ty.clone()))
                    }
                    TypeKind::UntaggedUnion(u) => stack.extend(u.variants.iter().cloned()),
                    TypeKind::Alias(inner) => stack.push(inner.clone()),
                    TypeKind::Enum(_) => {}
                }
            }
            TypeRef::Array(inner) | TypeRef::Map(inner) => stack.push(*inner),
            TypeRef::Primitive(_) | TypeRef::Any => {}
        }
    }
}
