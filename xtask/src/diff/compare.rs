//! The IR comparison: what changed between two lowered and named specs, as
//! a Rust caller of the generated crate sees it. Operations are matched by
//! `METHOD path`, parameters by location and name, fields by JSON name and
//! webhooks by name; types are compared by their Rust spelling and shape,
//! following named types reachable from each operation and webhook.
//!
//! Every operation of the spec is compared; each change says whether the
//! crate shows it ([`Scope::Crate`]: an operation `spec/sdk.yml` emits, or
//! a webhook) or only the rest of the spec does. A type change is listed
//! once per scope with the resources that reach it.

use super::spelling::{self, kind_word, spell};
use crate::ir::{Api, Param, Struct, TaggedVariant, TypeId, TypeKind, TypeRef, Webhook};
use crate::naming::{enum_variants, location_key, Names, SdkConfig};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Nested types deeper than this are not followed: the report would be
/// unreadable long before, and recursive types must stop somewhere.
const MAX_DEPTH: usize = 12;

/// The section webhook changes are listed under.
pub const WEBHOOKS: &str = "webhooks";

/// The section of type changes that more than one resource reaches.
pub const SHARED_TYPES: &str = "shared types";

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

/// Whether callers of the crate see a change today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// An operation `spec/sdk.yml` emits, or a webhook (all are emitted).
    Crate,
    /// Only operations the crate does not emit reach it; the label says what
    /// it would be once they are.
    NotEmitted,
}

/// What a change is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    /// A method, by its Rust name.
    Method(String),
    /// A named type, by its Rust name.
    Type(String),
    /// A webhook, by its spec name.
    Webhook(String),
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Method(name) => write!(f, "`{name}()`"),
            Subject::Type(name) => write!(f, "`{name}`"),
            Subject::Webhook(name) => write!(f, "webhook `{name}`"),
        }
    }
}

/// One change a caller of the crate may notice.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub scope: Scope,
    /// The Rust resource path (`calls.actions`), [`WEBHOOKS`] or [`SHARED_TYPES`].
    pub section: String,
    pub subject: Subject,
    pub kind: Kind,
    pub description: String,
    /// For a change in [`SHARED_TYPES`]: the sections that reach it.
    pub reached_from: Vec<String>,
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

/// Every change, sorted and without duplicates.
pub fn compare(old: Side<'_>, new: Side<'_>, config: &SdkConfig) -> Vec<Change> {
    let mut differ = Differ {
        old,
        new,
        section: String::new(),
        emitted: true,
        visited: BTreeSet::new(),
        found: Vec::new(),
    };
    differ.operations(config);
    differ.webhooks();
    group(differ.found)
}

/// A change as found from one operation or webhook.
struct Found {
    section: String,
    emitted: bool,
    subject: Subject,
    kind: Kind,
    description: String,
}

/// Files each type change once per scope: under the one section that
/// reaches it, or under [`SHARED_TYPES`] naming them all.
fn group(found: Vec<Found>) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut type_users: BTreeMap<(Subject, Kind, String), BTreeSet<(bool, String)>> =
        BTreeMap::new();
    for f in found {
        if let Subject::Type(_) = f.subject {
            type_users
                .entry((f.subject, f.kind, f.description))
                .or_default()
                .insert((f.emitted, f.section));
            continue;
        }
        changes.push(Change {
            scope: scope_of(f.emitted),
            section: f.section,
            subject: f.subject,
            kind: f.kind,
            description: f.description,
            reached_from: Vec::new(),
        });
    }
    for ((subject, kind, description), users) in type_users {
        let emitted = users.iter().any(|(emitted, _)| *emitted);
        let sections: Vec<String> = users
            .into_iter()
            .filter(|(e, _)| *e == emitted)
            .map(|(_, section)| section)
            .collect();
        let (section, reached_from) = match sections.as_slice() {
            [one] => (one.clone(), Vec::new()),
            _ => (SHARED_TYPES.to_string(), sections),
        };
        changes.push(Change {
            scope: scope_of(emitted),
            section,
            subject,
            kind,
            description,
            reached_from,
        });
    }
    changes.sort();
    changes.dedup();
    changes
}

fn scope_of(emitted: bool) -> Scope {
    if emitted {
        Scope::Crate
    } else {
        Scope::NotEmitted
    }
}

struct Differ<'a> {
    old: Side<'a>,
    new: Side<'a>,
    /// The section changes are filed under right now.
    section: String,
    /// Whether the current operation or webhook is in the crate.
    emitted: bool,
    /// Type pairs already compared from the current operation or webhook.
    visited: BTreeSet<(TypeId, TypeId, Flow)>,
    found: Vec<Found>,
}

/// Every operation of the spec, keyed `METHOD path`.
fn by_key(side: Side<'_>) -> BTreeMap<String, usize> {
    side.api
        .operations
        .iter()
        .enumerate()
        .map(|(i, op)| (format!("{} {}", op.method.as_str(), op.path), i))
        .collect()
}

/// The Rust resource path of operation `i` (`calls.actions`).
pub fn resource_of(side: Side<'_>, i: usize) -> String {
    let resource = &side.names.operations[i].resource;
    if resource.is_empty() {
        "client".to_string()
    } else {
        resource.join(".")
    }
}

fn method_of(side: Side<'_>, i: usize) -> Subject {
    Subject::Method(side.names.operations[i].method.clone())
}

impl<'a> Differ<'a> {
    fn push(&mut self, subject: &Subject, kind: Kind, description: String) {
        self.found.push(Found {
            section: self.section.clone(),
            emitted: self.emitted,
            subject: subject.clone(),
            kind,
            description,
        });
    }

    /// Files what follows under operation `i` of `side`.
    fn enter(&mut self, side: Side<'_>, i: usize, config: &SdkConfig) {
        self.section = resource_of(side, i);
        self.emitted = config.emits(&side.api.operations[i].path);
        self.visited.clear();
    }

    fn operations(&mut self, config: &SdkConfig) {
        let old_ops = by_key(self.old);
        let new_ops = by_key(self.new);
        for (key, &i) in &old_ops {
            if !new_ops.contains_key(key) {
                self.enter(self.old, i, config);
                let text = format!("operation removed (`{key}`)");
                self.push(&method_of(self.old, i), Kind::Breaking, text);
            }
        }
        for (key, &j) in &new_ops {
            self.enter(self.new, j, config);
            let method = method_of(self.new, j);
            match old_ops.get(key) {
                None => self.push(&method, Kind::Additive, format!("new operation (`{key}`)")),
                Some(&i) => self.operation(i, j, &method),
            }
        }
    }

    fn operation(&mut self, i: usize, j: usize, method: &Subject) {
        let (old_name, new_name) = (&self.old.names.operations[i], &self.new.names.operations[j]);
        if old_name.resource != new_name.resource || old_name.method != new_name.method {
            let text = format!(
                "renamed from `{}()`: calls to the old name stop compiling",
                old_name.chain()
            );
            self.push(method, Kind::Breaking, text);
        }
        let (old_op, new_op) = (&self.old.api.operations[i], &self.new.api.operations[j]);
        self.params(method, &old_op.params, &new_op.params);
        match (&old_op.body, &new_op.body) {
            (None, None) => {}
            (Some(_), None) => self.push(method, Kind::Breaking, "request body removed".into()),
            (None, Some(body)) => {
                let ty = spell(self.new.names, &body.ty);
                if body.required {
                    let text = format!("new required request body `{ty}`: a new argument");
                    self.push(method, Kind::Breaking, text);
                } else {
                    let text = format!("new optional request body `{ty}`");
                    self.push(method, Kind::Additive, text);
                }
            }
            (Some(old_body), Some(new_body)) => self.body(method, &old_body.ty, &new_body.ty),
        }
        let old_reply = old_op.success.as_ref().and_then(|s| s.ty.as_ref());
        let new_reply = new_op.success.as_ref().and_then(|s| s.ty.as_ref());
        self.reply(method, old_reply, new_reply);
    }

    fn reply(&mut self, method: &Subject, old: Option<&TypeRef>, new: Option<&TypeRef>) {
        match (old, new) {
            (None, None) => {}
            (Some(ty), None) => {
                let text = format!("response body `{}` removed", spell(self.old.names, ty));
                self.push(method, Kind::Breaking, text);
            }
            (None, Some(ty)) => {
                let text = format!(
                    "now returns `{}` instead of no body",
                    spell(self.new.names, ty)
                );
                self.push(method, Kind::Breaking, text);
            }
            (Some(old_ty), Some(new_ty)) => {
                let (a, b) = (spell(self.old.names, old_ty), spell(self.new.names, new_ty));
                if a != b {
                    let text = format!("response type changed from `{a}` to `{b}`");
                    self.push(method, Kind::Breaking, text);
                }
                // Follow the shapes even under a new name: what callers read matters.
                self.types(old_ty, new_ty, Flow::Response, 0);
            }
        }
    }

    fn params(&mut self, method: &Subject, old: &[Param], new: &[Param]) {
        let key = |p: &Param| (location_key(p.location), p.name.clone());
        let old_by: BTreeMap<_, &Param> = old.iter().map(|p| (key(p), p)).collect();
        let new_by: BTreeMap<_, &Param> = new.iter().map(|p| (key(p), p)).collect();
        for ((location, name), _) in old_by.iter().filter(|(k, _)| !new_by.contains_key(*k)) {
            let text = format!("{location} parameter `{name}` removed");
            self.push(method, Kind::Breaking, text);
        }
        for ((location, name), p) in &new_by {
            let ty = spell(self.new.names, &p.ty);
            let Some(o) = old_by.get(&(location, name.clone())) else {
                let (kind, text) = if p.required {
                    (
                        Kind::Breaking,
                        format!("new required {location} parameter `{name}: {ty}`: a new positional argument"),
                    )
                } else {
                    (
                        Kind::Additive,
                        format!("new optional {location} parameter `{name}: {ty}` (a setter)"),
                    )
                };
                self.push(method, kind, text);
                continue;
            };
            let old_ty = spell(self.old.names, &o.ty);
            if old_ty != ty {
                let text =
                    format!("{location} parameter `{name}` retyped from `{old_ty}` to `{ty}`");
                self.push(method, Kind::Breaking, text);
            } else {
                self.types(&o.ty, &p.ty, Flow::Request, 0);
            }
            let text = match (o.required, p.required) {
                (false, true) => format!(
                    "{location} parameter `{name}` is now required: its setter becomes a positional argument"
                ),
                (true, false) => format!(
                    "{location} parameter `{name}` is now optional: its positional argument becomes a setter, so calls passing it positionally stop compiling"
                ),
                _ => continue,
            };
            self.push(method, Kind::Breaking, text);
        }
    }

    /// A request body whose fields are the method's arguments and setters
    /// when it is a struct; any other body is one value.
    fn body(&mut self, method: &Subject, old: &TypeRef, new: &TypeRef) {
        let old_struct = crate::ir::query::struct_of(&self.old.api.types, old);
        let new_struct = crate::ir::query::struct_of(&self.new.api.types, new);
        match (old_struct, new_struct) {
            (Some(a), Some(b)) => self.fields(method, "request body field", a, b, Flow::Request, 0),
            _ => {
                let (a, b) = (spell(self.old.names, old), spell(self.new.names, new));
                if a != b {
                    let text = format!("request body retyped from `{a}` to `{b}`");
                    self.push(method, Kind::Breaking, text);
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
        let subject = Subject::Type(self.new.names.type_name(&b).to_string());
        match (&old_def.kind, &new_def.kind) {
            (TypeKind::Struct(x), TypeKind::Struct(y)) => {
                self.fields(&subject, "field", x, y, flow, depth)
            }
            (TypeKind::Enum(x), TypeKind::Enum(y)) => {
                self.enum_values(&subject, &x.values, &y.values)
            }
            (TypeKind::TaggedUnion(x), TypeKind::TaggedUnion(y)) => {
                self.tagged_variants(&subject, x.variants.as_slice(), y, flow, depth)
            }
            (TypeKind::UntaggedUnion(x), TypeKind::UntaggedUnion(y)) => {
                self.untagged_variants(&subject, &x.variants, &y.variants, flow, depth)
            }
            (TypeKind::Alias(x), TypeKind::Alias(y)) => {
                let (p, q) = (spell(self.old.names, x), spell(self.new.names, y));
                if p != q {
                    let text = format!("now stands for `{q}` instead of `{p}`");
                    self.push(&subject, Kind::Breaking, text);
                } else {
                    self.types(x, y, flow, depth + 1);
                }
            }
            (x, y) => {
                let text = format!("changed from a {} to a {}", kind_word(x), kind_word(y));
                self.push(&subject, Kind::Breaking, text);
            }
        }
    }

    fn tagged_variants(
        &mut self,
        subject: &Subject,
        old: &[TaggedVariant],
        new: &crate::ir::TaggedUnion,
        flow: Flow,
        depth: usize,
    ) {
        let tags = |variants: &[TaggedVariant]| -> BTreeMap<String, TypeRef> {
            variants
                .iter()
                .flat_map(|v| v.tags.iter().map(move |t| (t.clone(), v.ty.clone())))
                .collect()
        };
        let (old_tags, new_tags) = (tags(old), tags(&new.variants));
        let property = &new.property;
        for tag in old_tags.keys().filter(|t| !new_tags.contains_key(*t)) {
            let text = format!("variant `{property}` = `{tag}` removed");
            self.push(subject, Kind::Breaking, text);
        }
        for (tag, ty) in &new_tags {
            match old_tags.get(tag) {
                None => {
                    let label = format!("`{property}` = `{tag}`");
                    self.new_variant(subject, &label, Some(ty), flow)
                }
                Some(old_ty) => self.variant_type(subject, tag, old_ty, ty, flow, depth),
            }
        }
    }

    fn untagged_variants(
        &mut self,
        subject: &Subject,
        old: &[TypeRef],
        new: &[TypeRef],
        flow: Flow,
        depth: usize,
    ) {
        let spelled = |side: Side<'_>, variants: &[TypeRef]| -> BTreeMap<String, TypeRef> {
            variants
                .iter()
                .map(|v| (spell(side.names, v), v.clone()))
                .collect()
        };
        let old_variants = spelled(self.old, old);
        let new_variants = spelled(self.new, new);
        for name in old_variants
            .keys()
            .filter(|n| !new_variants.contains_key(*n))
        {
            self.push(subject, Kind::Breaking, format!("variant `{name}` removed"));
        }
        for (name, ty) in &new_variants {
            match old_variants.get(name) {
                None => self.new_variant(subject, &format!("`{name}`"), None, flow),
                Some(old_ty) => self.types(old_ty, ty, flow, depth + 1),
            }
        }
    }

    /// A union variant that is new: callers building requests gain an
    /// option; callers matching responses need a new arm, as unions (unlike
    /// string enums) are not `#[non_exhaustive]`.
    fn new_variant(&mut self, subject: &Subject, label: &str, ty: Option<&TypeRef>, flow: Flow) {
        let holding = ty
            .map(|ty| format!(" holding `{}`", spell(self.new.names, ty)))
            .unwrap_or_default();
        let (kind, text) = match flow {
            Flow::Request => (
                Kind::Additive,
                format!("new variant {label}{holding} for requests"),
            ),
            Flow::Response => (
                Kind::Breaking,
                format!(
                    "new variant {label}{holding}: exhaustive `match`es on responses need a new arm (the union is not `#[non_exhaustive]`)"
                ),
            ),
        };
        self.push(subject, kind, text);
    }

    fn variant_type(
        &mut self,
        subject: &Subject,
        tag: &str,
        old: &TypeRef,
        new: &TypeRef,
        flow: Flow,
        depth: usize,
    ) {
        let (a, b) = (spell(self.old.names, old), spell(self.new.names, new));
        if a != b {
            let text = format!("variant `{tag}` now holds `{b}` instead of `{a}`");
            self.push(subject, Kind::Breaking, text);
        } else {
            self.types(old, new, flow, depth + 1);
        }
    }

    fn enum_values(&mut self, subject: &Subject, old: &[String], new: &[String]) {
        let words = &self.new.names.words;
        let variants = |values: &[String]| -> BTreeMap<String, String> {
            values
                .iter()
                .cloned()
                .zip(enum_variants(values, words))
                .collect()
        };
        let type_name = match subject {
            Subject::Type(name) => name.clone(),
            other => other.to_string(),
        };
        let (old_values, new_values) = (variants(old), variants(new));
        for (value, variant) in old_values
            .iter()
            .filter(|(v, _)| !new_values.contains_key(*v))
        {
            let text = format!(
                "value `{value}` removed: matches on `{type_name}::{variant}` stop compiling"
            );
            self.push(subject, Kind::Breaking, text);
        }
        for (value, variant) in new_values
            .iter()
            .filter(|(v, _)| !old_values.contains_key(*v))
        {
            let text = format!(
                "new value `{value}` (`{type_name}::{variant}`; the enum is open, older crates read it as `Unknown`)"
            );
            self.push(subject, Kind::Additive, text);
        }
    }

    /// Fields of a struct (or of a request body, whose fields are the
    /// method's inputs), by JSON name, as the emitter declares them.
    fn fields(
        &mut self,
        subject: &Subject,
        what: &str,
        old: &Struct,
        new: &Struct,
        flow: Flow,
        depth: usize,
    ) {
        let old_by = spelling::fields(self.old.api, self.old.names, old);
        let new_by = spelling::fields(self.new.api, self.new.names, new);
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
            self.push(subject, Kind::Breaking, text);
        }
        for (name, now) in &new_by {
            let ty = &now.ty;
            let Some(before) = old_by.get(name) else {
                let (kind, text) = match (in_request, now.optional) {
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
                self.push(subject, kind, text);
                continue;
            };
            let old_ty = &before.ty;
            if old_ty != ty {
                let text = format!("{what} `{name}` retyped from `{old_ty}` to `{ty}`");
                self.push(subject, Kind::Breaking, text);
            } else {
                self.types(&before.field.ty, &now.field.ty, flow, depth + 1);
            }
            if before.optional == now.optional {
                continue;
            }
            let text = match (in_request, now.optional) {
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
            self.push(subject, Kind::Breaking, text);
        }
    }

    fn webhooks(&mut self) {
        self.section = WEBHOOKS.to_string();
        self.emitted = true;
        let by_name = |side: Side<'a>| -> BTreeMap<&'a str, &'a Webhook> {
            side.api
                .webhooks
                .iter()
                .map(|w| (w.name.as_str(), w))
                .collect()
        };
        let (old_by, new_by) = (by_name(self.old), by_name(self.new));
        for (name, w) in old_by.iter().filter(|(n, _)| !new_by.contains_key(*n)) {
            let text = format!("webhook removed{}", event_list(&events(w)));
            self.push(&Subject::Webhook(name.to_string()), Kind::Breaking, text);
        }
        for (name, w) in &new_by {
            let subject = Subject::Webhook(name.to_string());
            match old_by.get(name) {
                None => {
                    let text = format!("new webhook{}", event_list(&events(w)));
                    self.push(&subject, Kind::Additive, text);
                }
                Some(o) => self.webhook(&subject, o, w),
            }
        }
    }

    fn webhook(&mut self, subject: &Subject, old: &Webhook, new: &Webhook) {
        let (old_events, new_events) = (events(old), events(new));
        for event in old_events.difference(&new_events) {
            let text = format!("event type `{event}` removed: its `WebhookEvent` variant is gone");
            self.push(subject, Kind::Breaking, text);
        }
        for event in new_events.difference(&old_events) {
            let text = format!(
                "new event type `{event}` (a new `WebhookEvent` variant; the enum is `#[non_exhaustive]`)"
            );
            self.push(subject, Kind::Additive, text);
        }
        let (a, b) = (
            spell(self.old.names, &old.payload),
            spell(self.new.names, &new.payload),
        );
        if a != b {
            let text = format!("payload type changed from `{a}` to `{b}`");
            self.push(subject, Kind::Breaking, text);
        }
        self.visited.clear();
        self.types(&old.payload, &new.payload, Flow::Response, 0);
    }
}

fn events(webhook: &Webhook) -> BTreeSet<String> {
    webhook
        .event_key
        .iter()
        .flat_map(|k| k.values.iter().cloned())
        .collect()
}

fn event_list(events: &BTreeSet<String>) -> String {
    if events.is_empty() {
        return String::new();
    }
    let list: Vec<String> = events.iter().map(|e| format!("`{e}`")).collect();
    format!(" (event types {})", list.join(", "))
}
