//! What the crate contains: the operations in the SDK config's scope, the
//! webhooks, every type they reach, and which `types/<file>.rs` each type lives in.

use crate::ir::{Api, TypeId, TypeKind, TypeRef, Webhook};
use crate::naming::casing::snake;
use crate::naming::{Names, SdkConfig};
use std::collections::{BTreeMap, BTreeSet};

pub struct Scope {
    /// Indices into `api.operations`.
    pub operations: Vec<usize>,
    /// Emitted (canonical) types → the module file they live in.
    pub type_modules: BTreeMap<TypeId, String>,
    /// Types reachable from request inputs: the client sends them, so they
    /// serialize (and get constructors).
    pub request_types: BTreeSet<TypeId>,
    /// Types reachable from success responses and webhooks: the client
    /// receives them, so they deserialize.
    pub response_types: BTreeSet<TypeId>,
}

/// Types used by more than one top-level resource live here.
pub const SHARED_MODULE: &str = "shared";

pub fn scope(api: &Api, names: &Names, config: &SdkConfig) -> Scope {
    let operations: Vec<usize> = (0..api.operations.len())
        .filter(|&i| config.emits(&api.operations[i].path))
        .collect();
    let mut users: BTreeMap<TypeId, BTreeSet<String>> = BTreeMap::new();
    let mut request_types = BTreeSet::new();
    let mut response_types = BTreeSet::new();
    for &i in &operations {
        let op = &api.operations[i];
        let resource = names.operations[i].resource[0].clone();
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
        let module = webhook_module(webhook, &names.words);
        for id in reached {
            users.entry(id).or_default().insert(module.clone());
        }
    }
    let type_modules = users
        .into_iter()
        .map(|(id, resources)| {
            let module = match resources.len() {
                1 => resources.into_iter().next().expect("one"),
                _ => SHARED_MODULE.to_string(),
            };
            (id, module)
        })
        .collect();
    Scope {
        operations,
        type_modules,
        request_types,
        response_types,
    }
}

/// Webhook types live beside the others, grouped by the first word of
/// their event type (`call.answered` → `webhooks_call`).
fn webhook_module(webhook: &Webhook, words: &[String]) -> String {
    let first_event = webhook.event_key.as_ref().and_then(|k| k.values.first());
    let group = match first_event {
        Some(event) => event.split('.').next().unwrap_or_default(),
        None => &webhook.name,
    };
    format!("webhooks_{}", snake(group, words))
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
