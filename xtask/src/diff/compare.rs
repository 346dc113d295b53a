//! The IR comparison: what changed between two lowered and named specs, as
//! a Rust caller of the generated crate sees it. Operations are matched by
//! `METHOD path`, parameters by location and name, fields by JSON name and
//! webhooks by name; types are compared by their Rust spelling and shape,
//! following named types reachable from each operation and webhook.

use super::spelling::{field_is_option, kind_word, spell};
use crate::ir::{Api, Field, Param, Struct, TypeId, TypeKind, TypeRef};
use crate::naming::{enum_variants, location_key, Names, SdkConfig};
use std::collections::{BTreeMap, BTreeSet};

/// Nested types deeper than this are not followed: the report would be
/// unreadable long before, and recursive types must stop somewhere.
const MAX_DEPTH: usize = 12;

/// The section webhook changes are listed under.
pub const WEBHOOKS: &str = "webhooks";

/// Breaking changes sort first: they are what a reviewer must see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Breaking,
    Additive,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Breaking => "breaking",
            Kind::Additive => "additive",
        }
    }
}

/// One change a caller of the crate may notice.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// The Rust resource path (`calls.actions`), or [`WEBHOOKS`].
    pub resource: String,
    /// What changed: a method (`answer()`), a type (`CallRecord`) or a webhook.
    pub item: String,
    pub kind: Kind,
    pub description: String,
}

/// One spec, lowered and named.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub api: &'a Api,
    pub names: &'a Names,
}

/// Which way values of a type travel: it decides whether a new required
/// field breaks callers (they must now supply it) or not (they get more).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Flow {
    Request,
    Response,
}

/// Every change, sorted and without duplicates (a type reached from two
/// operations of one resource is reported once there).
pub fn compare(old: Side<'_>, new: Side<'_>, config: &SdkConfig) -> Vec<Change> {
    let mut differ = Differ {
        old,
        new,
        resource: String::new(),
        visited: BTreeSet::new(),
        out: Vec::new(),
    };
    differ.operations(config);
    differ.webhooks();
    let mut changes = differ.out;
    changes.sort();
    changes.dedup();
    changes
}

struct Differ<'a> {
    old: Side<'a>,
    new: Side<'a>,
    /// The section changes are filed under right now.
    resource: String,
    /// Type pairs already compared from the current operation or webhook.
    visited: BTreeSet<(TypeId, TypeId, Flow)>,
    out: Vec<Change>,
}

/// The operations the crate emits, keyed `METHOD path`.
fn emitted(side: Side<'_>, config: &SdkConfig) -> BTreeMap<String, usize> {
    side.api
        .operations
        .iter()
        .enumerate()
        .filter(|(_, op)| config.emits(&op.path))
        .map(|(i, op)| (format!("{} {}", op.method.as_str(), op.path), i))
        .collect()
}

fn resource_of(side: Side<'_>, i: usize) -> String {
    let resource = &side.names.operations[i].resource;
    if resource.is_empty() {
        "client".to_string()
    } else {
        resource.join(".")
    }
}

fn method_item(side: Side<'_>, i: usize) -> String {
    format!("`{}()`", side.names.operations[i].method)
}

impl<'a> Differ<'a> {
    fn push(&mut self, item: &str, kind: Kind, description: String) {
        self.out.push(Change {
            resource: self.resource.clone(),
            item: item.to_string(),
            kind,
            description,
        });
    }

    fn operations(&mut self, config: &SdkConfig) {
        let old_ops = emitted(self.old, config);
        let new_ops = emitted(self.new, config);
        for (key, &i) in &old_ops {
            if !new_ops.contains_key(key) {
                self.resource = resource_of(self.old, i);
                let item = method_item(self.old, i);
                self.push(
                    &item,
                    Kind::Breaking,
                    format!("operation removed (`{key}`)"),
                );
            }
        }
        for (key, &j) in &new_ops {
            self.resource = resource_of(self.new, j);
            self.visited.clear();
            let item = method_item(self.new, j);
            match old_ops.get(key) {
                None => self.push(&item, Kind::Additive, format!("new operation (`{key}`)")),
                Some(&i) => self.operation(i, j, &item),
            }
        }
    }

    fn operation(&mut self, i: usize, j: usize, item: &str) {
        let (old_name, new_name) = (&self.old.names.operations[i], &self.new.names.operations[j]);
        if old_name.resource != new_name.resource || old_name.method != new_name.method {
            self.push(
                item,
                Kind::Breaking,
                format!(
                    "renamed from `{}()`: calls to the old name stop compiling",
                    old_name.chain()
                ),
            );
        }
        let (old_op, new_op) = (&self.old.api.operations[i], &self.new.api.operations[j]);
        self.params(item, &old_op.params, &new_op.params);
        match (&old_op.body, &new_op.body) {
            (None, None) => {}
            (Some(_), None) => self.push(item, Kind::Breaking, "request body removed".into()),
            (None, Some(body)) => {
                let ty = spell(self.new.names, &body.ty);
                if body.required {
                    let text = format!("new required request body `{ty}`: a new argument");
                    self.push(item, Kind::Breaking, text);
                } else {
                    self.push(
                        item,
                        Kind::Additive,
                        format!("new optional request body `{ty}`"),
                    );
                }
            }
            (Some(old_body), Some(new_body)) => self.body(item, &old_body.ty, &new_body.ty),
        }
        let old_reply = old_op.success.as_ref().and_then(|s| s.ty.as_ref());
        let new_reply = new_op.success.as_ref().and_then(|s| s.ty.as_ref());
        match (old_reply, new_reply) {
            (None, None) => {}
            (Some(ty), None) => {
                let text = format!("response body `{}` removed", spell(self.old.names, ty));
                self.push(item, Kind::Breaking, text);
            }
            (None, Some(ty)) => {
                let text = format!(
                    "now returns `{}` instead of no body",
                    spell(self.new.names, ty)
                );
                self.push(item, Kind::Breaking, text);
            }
            (Some(old_ty), Some(new_ty)) => {
                let (a, b) = (spell(self.old.names, old_ty), spell(self.new.names, new_ty));
                if a != b {
                    let text = format!("response type changed from `{a}` to `{b}`");
                    self.push(item, Kind::Breaking, text);
                }
                // Follow the shapes even under a new name: what callers read matters.
                self.types(old_ty, new_ty, Flow::Response, 0);
            }
        }
    }

    fn params(&mut self, item: &str, old: &[Param], new: &[Param]) {
        let key = |p: &Param| (location_key(p.location), p.name.clone());
        let old_by: BTreeMap<_, &Param> = old.iter().map(|p| (key(p), p)).collect();
        let new_by: BTreeMap<_, &Param> = new.iter().map(|p| (key(p), p)).collect();
        for ((location, name), _) in old_by.iter().filter(|(k, _)| !new_by.contains_key(*k)) {
            let text = format!("{location} parameter `{name}` removed");
            self.push(item, Kind::Breaking, text);
        }
        for ((location, name), p) in &new_by {
            let ty = spell(self.new.names, &p.ty);
            let Some(o) = old_by.get(&(location, name.clone())) else {
                if p.required {
                    let text = format!(
                        "new required {location} parameter `{name}: {ty}`: a new positional argument"
                    );
                    self.push(item, Kind::Breaking, text);
                } else {
                    let text =
                        format!("new optional {location} parameter `{name}: {ty}` (a setter)");
                    self.push(item, Kind::Additive, text);
                }
                continue;
            };
            let old_ty = spell(self.old.names, &o.ty);
            if old_ty != ty {
                let text =
                    format!("{location} parameter `{name}` retyped from `{old_ty}` to `{ty}`");
                self.push(item, Kind::Breaking, text);
            } else {
                self.types(&o.ty, &p.ty, Flow::Request, 0);
            }
            match (o.required, p.required) {
                (false, true) => {
                    let text = format!(
                        "{location} parameter `{name}` is now required: its setter becomes a positional argument"
                    );
                    self.push(item, Kind::Breaking, text);
                }
                (true, false) => {
                    let text = format!(
                        "{location} parameter `{name}` is now optional: its positional argument becomes a setter, so calls passing it positionally stop compiling"
                    );
                    self.push(item, Kind::Breaking, text);
                }
                _ => {}
            }
        }
    }

    /// A request body whose fields are the method's arguments and setters
    /// when it is a struct; any other body is one value.
    fn body(&mut self, item: &str, old: &TypeRef, new: &TypeRef) {
        let old_struct = crate::ir::query::struct_of(&self.old.api.types, old);
        let new_struct = crate::ir::query::struct_of(&self.new.api.types, new);
        match (old_struct, new_struct) {
            (Some(a), Some(b)) => self.fields(item, "request body field", a, b, Flow::Request, 0),
            _ => {
                let (a, b) = (spell(self.old.names, old), spell(self.new.names, new));
                if a != b {
                    let text = format!("request body retyped from `{a}` to `{b}`");
                    self.push(item, Kind::Breaking, text);
                } else {
                    self.types(old, new, Flow::Request, 0);
                }
            }
        }
    }

    /// Follows two uses of a type to the named types they mention.
    fn types(&mut self, old: &TypeRef, new: &TypeRef, flow: Flow, depth: usize) {
        match (old, new) {
            (TypeRef::Named(a), TypeRef::Named(b)) => self.named(a, b, flow, depth),
            (TypeRef::Array(a), TypeRef::Array(b)) | (TypeRef::Map(a), TypeRef::Map(b)) => {
                self.types(a, b, flow, depth)
            }
            _ => {}
        }
    }

    fn named(&mut self, a: &TypeId, b: &TypeId, flow: Flow, depth: usize) {
        let a = self.old.names.canonical(a).clone();
        let b = self.new.names.canonical(b).clone();
        if depth > MAX_DEPTH || !self.visited.insert((a.clone(), b.clone(), flow)) {
            return;
        }
        let (Some(old_def), Some(new_def)) =
            (self.old.api.types.get(&a), self.new.api.types.get(&b))
        else {
            return;
        };
        let item = format!("`{}`", self.new.names.type_name(&b));
        match (&old_def.kind, &new_def.kind) {
            (TypeKind::Struct(x), TypeKind::Struct(y)) => {
                self.fields(&item, "field", x, y, flow, depth)
            }
            (TypeKind::Enum(x), TypeKind::Enum(y)) => self.enum_values(&item, &x.values, &y.values),
            (TypeKind::TaggedUnion(x), TypeKind::TaggedUnion(y)) => {
                let tags = |variants: &[crate::ir::TaggedVariant]| -> BTreeMap<String, TypeRef> {
                    variants
                        .iter()
                        .flat_map(|v| v.tags.iter().map(move |t| (t.clone(), v.ty.clone())))
                        .collect()
                };
                let (old_tags, new_tags) = (tags(&x.variants), tags(&y.variants));
                let property = &y.property;
                for tag in old_tags.keys().filter(|t| !new_tags.contains_key(*t)) {
                    let text = format!("variant `{property}` = `{tag}` removed");
                    self.push(&item, Kind::Breaking, text);
                }
                for (tag, ty) in &new_tags {
                    match old_tags.get(tag) {
                        None => {
                            let label = format!("`{property}` = `{tag}`");
                            self.new_variant(&item, &label, Some(ty), flow)
                        }
                        Some(old_ty) => self.variant_type(&item, tag, old_ty, ty, flow, depth),
                    }
                }
            }
            (TypeKind::UntaggedUnion(x), TypeKind::UntaggedUnion(y)) => {
                let spelled = |side: Side<'_>, variants: &[TypeRef]| -> BTreeMap<String, TypeRef> {
                    variants
                        .iter()
                        .map(|v| (spell(side.names, v), v.clone()))
                        .collect()
                };
                let old_variants = spelled(self.old, &x.variants);
                let new_variants = spelled(self.new, &y.variants);
                for name in old_variants
                    .keys()
                    .filter(|n| !new_variants.contains_key(*n))
                {
                    self.push(&item, Kind::Breaking, format!("variant `{name}` removed"));
                }
                for (name, ty) in &new_variants {
                    match old_variants.get(name) {
                        None => self.new_variant(&item, &format!("`{name}`"), None, flow),
                        Some(old_ty) => self.types(old_ty, ty, flow, depth + 1),
                    }
                }
            }
            (TypeKind::Alias(x), TypeKind::Alias(y)) => {
                let (p, q) = (spell(self.old.names, x), spell(self.new.names, y));
                if p != q {
                    let text = format!("now stands for `{q}` instead of `{p}`");
                    self.push(&item, Kind::Breaking, text);
                } else {
                    self.types(x, y, flow, depth + 1);
                }
            }
            (x, y) => {
                let text = format!("changed from a {} to a {}", kind_word(x), kind_word(y));
                self.push(&item, Kind::Breaking, text);
            }
        }
    }

    /// A union variant that is new: callers building requests gain an
    /// option; callers matching responses need a new arm, as unions (unlike
    /// string enums) are not `#[non_exhaustive]`.
    fn new_variant(&mut self, item: &str, label: &str, ty: Option<&TypeRef>, flow: Flow) {
        let holding = ty
            .map(|ty| format!(" holding `{}`", spell(self.new.names, ty)))
            .unwrap_or_default();
        match flow {
            Flow::Request => self.push(
                item,
                Kind::Additive,
                format!("new variant {label}{holding}"),
            ),
            Flow::Response => {
                let text = format!(
                    "new variant {label}{holding}: exhaustive `match`es need a new arm (the union is not `#[non_exhaustive]`)"
                );
                self.push(item, Kind::Breaking, text);
            }
        }
    }

    fn variant_type(
        &mut self,
        item: &str,
        tag: &str,
        old: &TypeRef,
        new: &TypeRef,
        flow: Flow,
        depth: usize,
    ) {
        let (a, b) = (spell(self.old.names, old), spell(self.new.names, new));
        if a != b {
            let text = format!("variant `{tag}` now holds `{b}` instead of `{a}`");
            self.push(item, Kind::Breaking, text);
        } else {
            self.types(old, new, flow, depth + 1);
        }
    }

    fn enum_values(&mut self, item: &str, old: &[String], new: &[String]) {
        let words = &self.new.names.words;
        let variants = |values: &[String]| -> BTreeMap<String, String> {
            values
                .iter()
                .cloned()
                .zip(enum_variants(values, words))
                .collect()
        };
        let type_name = item.trim_matches('`');
        let (old_values, new_values) = (variants(old), variants(new));
        for (value, variant) in old_values
            .iter()
            .filter(|(v, _)| !new_values.contains_key(*v))
        {
            let text = format!(
                "value `{value}` removed: matches on `{type_name}::{variant}` stop compiling"
            );
            self.push(item, Kind::Breaking, text);
        }
        for (value, variant) in new_values
            .iter()
            .filter(|(v, _)| !old_values.contains_key(*v))
        {
            let text = format!(
                "new value `{value}` (`{type_name}::{variant}`; the enum is open, older crates read it as `Unknown`)"
            );
            self.push(item, Kind::Additive, text);
        }
    }

    /// Fields of a struct (or of a request body, whose fields are the
    /// method's inputs), by JSON name.
    fn fields(
        &mut self,
        item: &str,
        what: &str,
        old: &Struct,
        new: &Struct,
        flow: Flow,
        depth: usize,
    ) {
        let old_by: BTreeMap<&str, &Field> =
            old.fields.iter().map(|f| (f.name.as_str(), f)).collect();
        let new_by: BTreeMap<&str, &Field> =
            new.fields.iter().map(|f| (f.name.as_str(), f)).collect();
        let in_request = flow == Flow::Request;
        // Body fields are the method's arguments; a nested struct's required
        // fields are its constructor's.
        let argument = if depth == 0 && what != "field" {
            "a positional argument"
        } else {
            "an argument of `new()`"
        };
        for name in old_by.keys().filter(|n| !new_by.contains_key(*n)) {
            let text = if in_request {
                format!("{what} `{name}` removed: code setting it stops compiling")
            } else {
                format!("{what} `{name}` removed: code reading it stops compiling")
            };
            self.push(item, Kind::Breaking, text);
        }
        for (name, f) in &new_by {
            let ty = spell(self.new.names, &f.ty);
            let optional = field_is_option(&self.new.api.types, f);
            let Some(o) = old_by.get(name) else {
                let (kind, text) = match (in_request, optional) {
                    (true, true) => (
                        Kind::Additive,
                        format!("new optional {what} `{name}: {ty}` (a setter)"),
                    ),
                    (true, false) => (
                        Kind::Breaking,
                        format!("new required {what} `{name}: {ty}`: adds {argument}"),
                    ),
                    (false, true) => (Kind::Additive, format!("new {what} `{name}: Option<{ty}>`")),
                    (false, false) => (Kind::Additive, format!("new {what} `{name}: {ty}`")),
                };
                self.push(item, kind, text);
                continue;
            };
            let old_ty = spell(self.old.names, &o.ty);
            let was_optional = field_is_option(&self.old.api.types, o);
            if old_ty != ty {
                let text = format!("{what} `{name}` retyped from `{old_ty}` to `{ty}`");
                self.push(item, Kind::Breaking, text);
            } else {
                self.types(&o.ty, &f.ty, flow, depth + 1);
            }
            if was_optional != optional {
                let text = match (in_request, optional) {
                    (true, false) => {
                        format!("{what} `{name}` is now required: its setter becomes {argument}")
                    }
                    (true, true) => format!(
                        "{what} `{name}` is now optional: it is no longer {argument} but a setter, so calls passing it positionally stop compiling"
                    ),
                    (false, false) => {
                        format!("{what} `{name}` is no longer optional: `Option<{ty}>` becomes `{ty}`")
                    }
                    (false, true) => {
                        format!("{what} `{name}` is now optional: `{ty}` becomes `Option<{ty}>`")
                    }
                };
                self.push(item, Kind::Breaking, text);
            }
        }
    }

    fn webhooks(&mut self) {
        self.resource = WEBHOOKS.to_string();
        let by_name = |side: Side<'a>| -> BTreeMap<&'a str, &'a crate::ir::Webhook> {
            side.api
                .webhooks
                .iter()
                .map(|w| (w.name.as_str(), w))
                .collect()
        };
        let (old_by, new_by) = (by_name(self.old), by_name(self.new));
        let events = |w: &crate::ir::Webhook| -> BTreeSet<String> {
            w.event_key
                .iter()
                .flat_map(|k| k.values.iter().cloned())
                .collect()
        };
        for (name, w) in old_by.iter().filter(|(n, _)| !new_by.contains_key(*n)) {
            let item = format!("webhook `{name}`");
            let text = format!("webhook removed{}", event_list(&events(w)));
            self.push(&item, Kind::Breaking, text);
        }
        for (name, w) in &new_by {
            let item = format!("webhook `{name}`");
            let Some(o) = old_by.get(name) else {
                let text = format!("new webhook{}", event_list(&events(w)));
                self.push(&item, Kind::Additive, text);
                continue;
            };
            let (old_events, new_events) = (events(o), events(w));
            for event in old_events.difference(&new_events) {
                let text =
                    format!("event type `{event}` removed: its `WebhookEvent` variant is gone");
                self.push(&item, Kind::Breaking, text);
            }
            for event in new_events.difference(&old_events) {
                let text = format!(
                    "new event type `{event}` (a new `WebhookEvent` variant; the enum is `#[non_exhaustive]`)"
                );
                self.push(&item, Kind::Additive, text);
            }
            let (a, b) = (
                spell(self.old.names, &o.payload),
                spell(self.new.names, &w.payload),
            );
            if a != b {
                let text = format!("payload type changed from `{a}` to `{b}`");
                self.push(&item, Kind::Breaking, text);
            }
            self.visited.clear();
            self.types(&o.payload, &w.payload, Flow::Response, 0);
        }
    }
}

fn event_list(events: &BTreeSet<String>) -> String {
    if events.is_empty() {
        return String::new();
    }
    let list: Vec<String> = events.iter().map(|e| format!("`{e}`")).collect();
    format!(" (event types {})", list.join(", "))
}
