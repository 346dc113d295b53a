//! Component schemas (`components.schemas`) that are new, removed or
//! changed between two specs, with where each is used: the types and
//! properties that refer to it and the operations and webhooks that reach
//! it, emitted or not. It covers the whole spec, so a maintainer sees where
//! a new schema would surface before the SDK config emits it.

use super::compare::{resource_of, Side};
use super::spelling::{self, kind_word, spell};
use crate::diag::Pointer;
use crate::emit::scope::reach;
use crate::ir::{Origin, TypeDef, TypeId, TypeKind, TypeRef};
use crate::naming::SdkConfig;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    New,
    Removed,
    /// The Rust types of the schema whose shape changed: itself, or inline
    /// types within it (an array's items, a property's enum).
    Changed(Vec<String>),
}

impl Status {
    /// New schemas first: they are what a release usually brings.
    fn rank(&self) -> u8 {
        match self {
            Status::New => 0,
            Status::Removed => 1,
            Status::Changed(_) => 2,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaChange {
    /// The Rust name (the spec's name, cased).
    pub name: String,
    pub status: Status,
    /// Types and properties that refer to it: `Parent.property`, `Union (a variant)`.
    pub used_by: Vec<String>,
    pub reach: Reach,
}

/// What reaches a schema, on the side where it exists (the new one unless
/// it was removed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    /// `resource.method()` of operations the crate emits.
    pub emitted: Vec<String>,
    /// `resource.method()` of the others.
    pub not_emitted: Vec<String>,
    /// Webhook names.
    pub webhooks: Vec<String>,
}

impl Reach {
    pub fn is_empty(&self) -> bool {
        self.emitted.is_empty() && self.not_emitted.is_empty() && self.webhooks.is_empty()
    }
}

/// Every new, removed or changed component schema: new, removed, changed,
/// each by name.
pub fn schema_changes(old: Side<'_>, new: Side<'_>, config: &SdkConfig) -> Vec<SchemaChange> {
    let (old_components, new_components) = (components(old), components(new));
    let mut changes = Vec::new();
    let removed: Vec<&TypeId> = old_components
        .iter()
        .filter(|(name, _)| !new_components.contains_key(*name))
        .map(|(_, id)| *id)
        .collect();
    if !removed.is_empty() {
        let users = Users::of(old, config);
        for id in removed {
            changes.push(describe(old, &users, id, Status::Removed));
        }
    }
    let mut new_users = None;
    for (name, id) in &new_components {
        let status = match old_components.get(name) {
            None => Status::New,
            Some(old_id) => match changed_types(old, old_id, new, id) {
                changed if changed.is_empty() => continue,
                changed => Status::Changed(changed),
            },
        };
        let users = new_users.get_or_insert_with(|| Users::of(new, config));
        changes.push(describe(new, users, id, status));
    }
    changes.sort_by(|a, b| (a.status.rank(), &a.name).cmp(&(b.status.rank(), &b.name)));
    changes
}

fn describe(side: Side<'_>, users: &Users, id: &TypeId, status: Status) -> SchemaChange {
    SchemaChange {
        name: side.names.type_name(id).to_string(),
        status,
        used_by: users.used_by(side, id),
        reach: users.reaching(side, id),
    }
}

/// Component schemas by spec name.
fn components(side: Side<'_>) -> BTreeMap<&str, &TypeId> {
    side.api
        .types
        .values()
        .filter_map(|def| match &def.origin {
            Origin::Component(name) => Some((name.as_str(), &def.id)),
            _ => None,
        })
        .collect()
}

/// The Rust names of the types at or below `old_id`/`new_id` (the same
/// component) whose shape differs; types only one side has show up as a
/// change of the type that holds them.
fn changed_types(old: Side<'_>, old_id: &TypeId, new: Side<'_>, new_id: &TypeId) -> Vec<String> {
    let mut changed: Vec<String> = at_or_below(&new.api.types, new_id)
        .filter_map(|(id, new_def)| {
            let inner = id.0.as_str().strip_prefix(new_id.0.as_str())?;
            let old_pointer = Pointer::parse(&format!("{}{inner}", old_id.0.as_str()));
            let old_def = old.api.types.get(&TypeId(old_pointer))?;
            (shape(old, old_def) != shape(new, new_def))
                .then(|| new.names.type_name(new.names.canonical(id)).to_string())
        })
        .collect();
    changed.sort();
    changed.dedup();
    changed
}

/// The type `id` and the inline types within it.
fn at_or_below<'t>(
    types: &'t BTreeMap<TypeId, TypeDef>,
    id: &'t TypeId,
) -> impl Iterator<Item = (&'t TypeId, &'t TypeDef)> {
    // Pointers below `id` start with `id/`; `0` is the character after `/`.
    let bound = |suffix: &str| TypeId(Pointer::parse(&format!("{}{suffix}", id.0.as_str())));
    types
        .get_key_value(id)
        .into_iter()
        .chain(types.range(bound("/")..bound("0")))
}

/// What a Rust caller sees of a type, as sorted lines: equal lines, same type.
fn shape(side: Side<'_>, def: &TypeDef) -> Vec<String> {
    let spell = |ty: &TypeRef| spell(side.names, ty);
    let mut lines = vec![format!(
        "{} nullable={}",
        kind_word(&def.kind),
        def.nullable
    )];
    match &def.kind {
        TypeKind::Struct(s) => {
            for (name, field) in spelling::fields(side.api, side.names, s) {
                lines.push(format!(
                    "field {name}: {} optional={}",
                    field.ty, field.optional
                ));
            }
            lines.extend(
                s.additional
                    .iter()
                    .map(|ty| format!("additional {}", spell(ty))),
            );
        }
        TypeKind::Enum(e) => lines.extend(e.values.iter().map(|v| format!("value {v}"))),
        TypeKind::TaggedUnion(u) => {
            lines.push(format!("tag property {}", u.property));
            for v in &u.variants {
                lines.extend(v.tags.iter().map(|t| format!("tag {t}: {}", spell(&v.ty))));
            }
        }
        TypeKind::UntaggedUnion(u) => {
            lines.extend(u.variants.iter().map(|v| format!("variant {}", spell(v))))
        }
        TypeKind::Alias(ty) => lines.push(format!("alias {}", spell(ty))),
    }
    lines.sort();
    lines
}

/// How a type mentions another.
enum Mention<'s> {
    Field(&'s str),
    AdditionalProperties,
    TaggedVariant { tag: &'s str },
    UntaggedVariant,
    Alias,
}

impl Mention<'_> {
    /// As the report lists it, e.g. `Parent.property`, `Union` (a variant).
    fn label(&self, user: &str) -> String {
        match self {
            Mention::Field(field) => format!("`{user}.{field}`"),
            Mention::AdditionalProperties => format!("`{user}` (additional properties)"),
            Mention::TaggedVariant { tag } => format!("`{user}` (variant `{tag}`)"),
            Mention::UntaggedVariant => format!("`{user}` (a variant)"),
            Mention::Alias => format!("`{user}` (an alias)"),
        }
    }
}

/// The type references in `kind`, each with how it is mentioned.
fn references(kind: &TypeKind) -> Vec<(&TypeRef, Mention<'_>)> {
    match kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|field| (&field.ty, Mention::Field(&field.name)))
            .chain(
                s.additional
                    .iter()
                    .map(|ty| (ty, Mention::AdditionalProperties)),
            )
            .collect(),
        TypeKind::TaggedUnion(u) => u
            .variants
            .iter()
            .map(|v| {
                let tag = v.tags.first().map(String::as_str).unwrap_or_default();
                (&v.ty, Mention::TaggedVariant { tag })
            })
            .collect(),
        TypeKind::UntaggedUnion(u) => u
            .variants
            .iter()
            .map(|ty| (ty, Mention::UntaggedVariant))
            .collect(),
        TypeKind::Alias(ty) => vec![(ty, Mention::Alias)],
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// The named type `ty` is or holds (as items or values), if any.
fn named_in(ty: &TypeRef) -> Option<&TypeId> {
    match ty {
        TypeRef::Named(id) => Some(id),
        TypeRef::Array(inner) | TypeRef::Map(inner) => named_in(inner),
        TypeRef::Primitive(_) | TypeRef::Any => None,
    }
}

/// For each canonical type, the canonical types that mention it and how:
/// one pass over the types, so that looking up any schema's users is cheap.
fn mentions_by_type(side: Side<'_>) -> BTreeMap<&TypeId, Vec<(&TypeId, Mention<'_>)>> {
    let names = side.names;
    let mut index: BTreeMap<&TypeId, Vec<_>> = BTreeMap::new();
    for (user, def) in &side.api.types {
        if names.canonical(user) != user {
            continue;
        }
        for (ty, mention) in references(&def.kind) {
            if let Some(mentioned) = named_in(ty) {
                index
                    .entry(names.canonical(mentioned))
                    .or_default()
                    .push((user, mention));
            }
        }
    }
    index
}

/// The types each operation (inputs and success response) and each webhook
/// reach, and the types that mention each type, computed once per side.
struct Users<'s> {
    operations: Vec<(String, bool, BTreeSet<TypeId>)>,
    webhooks: Vec<(String, BTreeSet<TypeId>)>,
    mentions: BTreeMap<&'s TypeId, Vec<(&'s TypeId, Mention<'s>)>>,
}

impl<'s> Users<'s> {
    fn of(side: Side<'s>, config: &SdkConfig) -> Users<'s> {
        let (api, names) = (side.api, side.names);
        let operations = api
            .operations
            .iter()
            .enumerate()
            .map(|(i, op)| {
                let mut reached = BTreeSet::new();
                let inputs = op.params.iter().map(|p| &p.ty);
                let reply = op.success.as_ref().and_then(|s| s.ty.as_ref());
                for ty in inputs.chain(op.body.iter().map(|b| &b.ty)).chain(reply) {
                    reach(api, names, ty, &mut reached);
                }
                let label = format!("{}.{}()", resource_of(side, i), names.operations[i].method);
                (label, config.emits(&op.path), reached)
            })
            .collect();
        let webhooks = api
            .webhooks
            .iter()
            .map(|w| {
                let mut reached = BTreeSet::new();
                reach(api, names, &w.payload, &mut reached);
                (w.name.clone(), reached)
            })
            .collect();
        Users {
            operations,
            webhooks,
            mentions: mentions_by_type(side),
        }
    }

    /// The types and properties that mention `target`, outside `target`
    /// itself, sorted.
    fn used_by(&self, side: Side<'_>, target: &TypeId) -> Vec<String> {
        let target = side.names.canonical(target);
        let users: BTreeSet<String> = self
            .mentions
            .get(target)
            .into_iter()
            .flatten()
            .filter(|(user, _)| !user.0.starts_with(&target.0))
            .map(|(user, mention)| mention.label(side.names.type_name(user)))
            .collect();
        users.into_iter().collect()
    }

    fn reaching(&self, side: Side<'_>, target: &TypeId) -> Reach {
        let target = side.names.canonical(target);
        let mut found = Reach::default();
        for (label, emitted, reached) in &self.operations {
            if reached.contains(target) {
                let list = if *emitted {
                    &mut found.emitted
                } else {
                    &mut found.not_emitted
                };
                list.push(label.clone());
            }
        }
        for (name, reached) in &self.webhooks {
            if reached.contains(target) {
                found.webhooks.push(name.clone());
            }
        }
        found.emitted.sort();
        found.not_emitted.sort();
        found.webhooks.sort();
        found
    }
}
