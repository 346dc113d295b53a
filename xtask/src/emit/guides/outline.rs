//! Which operation goes into which guide, decided once from the config and
//! the names, so that emitting and checking agree.
//!
//! The rule that puts every emitted operation into exactly one guide:
//!
//! 1. The curated guides of `spec/guides.yml` come first, in file order.
//!    Each lists operations by call chain; the first guide naming an
//!    operation has its section, a later one naming it again only points
//!    there (the official guides share a few operations).
//! 2. Every other operation goes to the guide of its feature group (the
//!    group of its top-level resource, `features.groups` in `spec/sdk.yml`),
//!    in call-chain order. A group whose operations the curated guides took
//!    already has no guide.
//! 3. Resources in no group (a newer spec, before `spec/sdk.yml` catches
//!    up; `--strict` refuses that) go to the guide `telnyx-other`.

use super::config::{GuideConfig, OperationEntry};
use crate::ir::{query, Api, Location};
use crate::naming::Names;
use std::collections::{BTreeMap, BTreeSet};

/// The guide of resources that belong to no feature group.
pub const UNGROUPED: &str = "telnyx-other";

pub struct Outline {
    pub guides: Vec<GuideOutline>,
    /// The guide the crate docs include, when it exists.
    pub crate_doc: Option<String>,
    /// Operation → why its snippet is known to fail against the mock.
    pub known_failures: BTreeMap<usize, String>,
}

pub struct GuideOutline {
    /// File stem under `guides/`.
    pub name: String,
    pub title: String,
    /// Opening paragraph; `None` for a group guide, which lists its resources.
    pub about: Option<String>,
    /// The feature group, for a group guide.
    pub group: Option<String>,
    pub entries: Vec<Entry>,
    /// Indices into `api.webhooks`, in config order.
    pub webhooks: Vec<usize>,
}

pub enum Entry {
    /// The operation's own section (index into `api.operations`), with
    /// the spec name of the optional input its snippet also sets.
    Section { op: usize, optional: Option<String> },
    /// The operation has its section in the guide named here.
    Elsewhere { op: usize, guide: String },
}

impl Entry {
    pub fn op(&self) -> usize {
        match self {
            Entry::Section { op, .. } | Entry::Elsewhere { op, .. } => *op,
        }
    }
}

impl GuideOutline {
    pub fn sections(&self) -> impl Iterator<Item = usize> + '_ {
        self.entries.iter().filter_map(|e| match e {
            Entry::Section { op, .. } => Some(*op),
            Entry::Elsewhere { .. } => None,
        })
    }
}

/// `calls.actions.answer`: how the config names an operation.
pub fn dotted(names: &Names, op: usize) -> String {
    let name = &names.operations[op];
    let mut parts = name.resource.clone();
    parts.push(name.method.clone());
    parts.join(".")
}

/// The outline, and what in the config matches nothing in this spec (each
/// a line naming the config entry), for regen to warn about.
pub fn outline(
    api: &Api,
    names: &Names,
    config: &GuideConfig,
    operations: &[usize],
) -> (Outline, Vec<String>) {
    let mut problems = Vec::new();
    let by_call: BTreeMap<String, usize> =
        operations.iter().map(|&i| (dotted(names, i), i)).collect();
    let webhooks_by_name: BTreeMap<&str, usize> = api
        .webhooks
        .iter()
        .enumerate()
        .map(|(i, w)| (w.name.as_str(), i))
        .collect();
    let mut home: BTreeMap<usize, String> = BTreeMap::new();
    let mut guides = Vec::new();
    for guide in &config.guides {
        let at = format!("guide `{}`", guide.name);
        let mut entries = Vec::new();
        for entry in &guide.operations {
            let Some(&op) = by_call.get(entry.call()) else {
                problems.push(format!(
                    "{at}: `{}` is no operation of this spec",
                    entry.call()
                ));
                continue;
            };
            if let Some(optional) = entry.optional() {
                if !has_optional_input(api, op, optional) {
                    problems.push(format!(
                        "{at}: `{}` has no optional input `{optional}`",
                        entry.call()
                    ));
                }
            }
            if home.get(&op) == Some(&guide.name) {
                problems.push(format!("{at}: `{}` is listed twice", entry.call()));
                continue;
            }
            entries.push(match home.get(&op) {
                Some(first) => Entry::Elsewhere {
                    op,
                    guide: first.clone(),
                },
                None => {
                    home.insert(op, guide.name.clone());
                    Entry::Section {
                        op,
                        optional: optional_of(entry),
                    }
                }
            });
        }
        let mut webhooks = Vec::new();
        for name in &guide.webhooks {
            match webhooks_by_name.get(name.as_str()) {
                Some(&i) => webhooks.push(i),
                None => problems.push(format!("{at}: `{name}` is no webhook of this spec")),
            }
        }
        guides.push(GuideOutline {
            name: guide.name.clone(),
            title: guide.title.clone(),
            about: Some(guide.about.clone()),
            group: None,
            entries,
            webhooks,
        });
    }
    for group in config.groups.keys() {
        if !names.features.groups.contains_key(group) {
            problems.push(format!("groups: `{group}` is no feature group"));
        }
    }
    guides.extend(group_guides(names, config, operations, &home));
    let crate_doc = config.crate_doc.clone().filter(|name| {
        let found = guides.iter().any(|g| &g.name == name);
        if !found {
            problems.push(format!("crate_doc: `{name}` is no guide"));
        }
        found
    });
    let mut known_failures = BTreeMap::new();
    for known in &config.known_failures {
        for call in &known.calls {
            match by_call.get(call) {
                Some(&op) => {
                    known_failures.insert(op, known.reason.trim().to_string());
                }
                None => problems.push(format!(
                    "known_failures: `{call}` is no operation of this spec"
                )),
            }
        }
    }
    (
        Outline {
            guides,
            crate_doc,
            known_failures,
        },
        problems,
    )
}

fn optional_of(entry: &OperationEntry) -> Option<String> {
    entry.optional().map(str::to_string)
}

/// The guides of rule 2 and 3, in `features.groups` order, ungrouped last.
fn group_guides(
    names: &Names,
    config: &GuideConfig,
    operations: &[usize],
    home: &BTreeMap<usize, String>,
) -> Vec<GuideOutline> {
    let mut by_group: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
    for &op in operations.iter().filter(|op| !home.contains_key(op)) {
        let group = names.features.group_of(&names.operations[op].resource[0]);
        by_group.entry(group).or_default().push(op);
    }
    let mut taken: BTreeSet<String> = config.guides.iter().map(|g| g.name.clone()).collect();
    let order = names
        .features
        .groups
        .keys()
        .map(|g| Some(g.as_str()))
        .chain([None]);
    let mut guides = Vec::new();
    for group in order {
        let Some(mut ops) = by_group.remove(&group) else {
            continue;
        };
        ops.sort_by_key(|&op| dotted(names, op));
        let own = group.and_then(|g| config.groups.get(g));
        let wanted = match (group, own.and_then(|o| o.name.clone())) {
            (_, Some(name)) => name,
            (Some(group), None) => format!("telnyx-{}", group.replace('_', "-")),
            (None, None) => UNGROUPED.to_string(),
        };
        let name = free_name(&wanted, &taken);
        taken.insert(name.clone());
        let title = match (group, own.and_then(|o| o.title.clone())) {
            (_, Some(title)) => title,
            (Some(group), None) => format!("Telnyx {}", capitalized(group)),
            (None, None) => "Telnyx: resources in no feature group".to_string(),
        };
        guides.push(GuideOutline {
            name,
            title,
            about: None,
            group: group.map(str::to_string),
            entries: ops
                .into_iter()
                .map(|op| Entry::Section { op, optional: None })
                .collect(),
            webhooks: Vec::new(),
        });
    }
    guides
}

/// `wanted`, or `wanted-more` (`-more-more`, …) when a guide has that name:
/// two guides must never write one file.
fn free_name(wanted: &str, taken: &BTreeSet<String>) -> String {
    let mut name = wanted.to_string();
    while taken.contains(&name) {
        name.push_str("-more");
    }
    name
}

fn capitalized(group: &str) -> String {
    let spaced = group.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// Whether the operation has an optional query/header parameter or body
/// property of that spec name.
fn has_optional_input(api: &Api, op: usize, name: &str) -> bool {
    let op = &api.operations[op];
    let param = op.params.iter().any(|p| {
        p.name == name && !p.required && matches!(p.location, Location::Query | Location::Header)
    });
    let property = op
        .body
        .as_ref()
        .and_then(|b| query::struct_of(&api.types, &b.ty))
        .is_some_and(|s| s.fields.iter().any(|f| f.name == name && !f.required));
    param || property
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_guide_never_takes_a_name_in_use() {
        let taken = BTreeSet::from(["telnyx-voice".to_string(), "telnyx-voice-more".to_string()]);
        assert_eq!(free_name("telnyx-voice", &taken), "telnyx-voice-more-more");
        assert_eq!(free_name("telnyx-fax", &taken), "telnyx-fax");
        assert_eq!(capitalized("ai_tools"), "Ai tools");
    }
}
