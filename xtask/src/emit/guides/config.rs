//! `spec/guides.yml`: the guides that follow the official SDK's voice guides
//! (their operations in their order, the optional input a snippet shows,
//! their webhook events), and the titles of the feature-group guides.

use indexmap::IndexMap;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuideConfig {
    /// Guides with a hand-picked set and order of operations, in the order
    /// an operation's section is claimed (the first guide naming it has it).
    #[serde(default)]
    pub guides: Vec<CuratedGuide>,
    /// Feature group → how its guide is named and titled.
    #[serde(default)]
    pub groups: IndexMap<String, GroupGuide>,
    /// The guide the crate's rustdoc includes (on docs.rs), by name.
    #[serde(default)]
    pub crate_doc: Option<String>,
    /// Snippets that fail against the mock today, by reason. The test run
    /// expects exactly these to fail: an unlisted failure fails it, and so
    /// does a listed snippet that passes.
    #[serde(default)]
    pub known_failures: Vec<KnownFailure>,
    /// The file it was read from, for messages that point into it.
    #[serde(skip)]
    pub origin: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownFailure {
    pub reason: String,
    /// Call chains, as in `guides[].operations`.
    pub calls: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CuratedGuide {
    /// File stem under `guides/`: `telnyx-voice` → `guides/telnyx-voice.md`.
    pub name: String,
    pub title: String,
    /// The guide's opening paragraph.
    pub about: String,
    pub operations: Vec<OperationEntry>,
    /// Webhook names as the spec's `webhooks` map has them (`callAnswered`).
    #[serde(default)]
    pub webhooks: Vec<String>,
}

/// `calls.actions.answer`, or `{call: calls.dial, optional: timeout_secs}`
/// for a snippet that also sets one optional input (a setter name).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OperationEntry {
    Call(String),
    WithOptional(CallWithOptional),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallWithOptional {
    pub call: String,
    pub optional: String,
}

impl OperationEntry {
    /// The Rust call chain, dotted: `calls.actions.answer`.
    pub fn call(&self) -> &str {
        match self {
            OperationEntry::Call(call) => call,
            OperationEntry::WithOptional(entry) => &entry.call,
        }
    }

    pub fn optional(&self) -> Option<&str> {
        match self {
            OperationEntry::Call(_) => None,
            OperationEntry::WithOptional(entry) => Some(&entry.optional),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupGuide {
    /// File stem; `telnyx-<group>` when not given.
    #[serde(default)]
    pub name: Option<String>,
    /// `Telnyx <Group>` when not given.
    #[serde(default)]
    pub title: Option<String>,
}

impl GuideConfig {
    pub fn parse(text: &str, origin: &str) -> crate::diag::Result<Self> {
        let mut config: GuideConfig = crate::load::yaml_config(text, origin)?;
        config.origin = origin.to_string();
        Ok(config)
    }
}
