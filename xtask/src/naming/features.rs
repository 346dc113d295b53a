//! The crate's cargo features: one per top-level resource, named like it;
//! the groups `spec/sdk.yml` declares (a group may share its name with one
//! of its members, whose feature it then is); `webhooks`; `full`.

use super::config::SdkConfig;
use super::resources::OpName;
use crate::diag::{Error, Pointer, Result, Warnings};
use indexmap::IndexMap;
use std::collections::BTreeSet;

/// The typed webhook events and their verification (`client.webhooks()`).
pub const WEBHOOKS: &str = "webhooks";
/// Every resource, group and `webhooks`.
pub const FULL: &str = "full";
/// Features of the runtime that are not about the API's surface.
pub const RUNTIME_FEATURES: [&str; 3] = ["axum", "serialize", "deserialize"];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeatureNames {
    /// Top-level resources in name order; each is gated by the feature of its name.
    pub resources: BTreeSet<String>,
    /// Group → its members, in config order; a member named like the group
    /// is left out (the group's own feature gates it).
    pub groups: IndexMap<String, Vec<String>>,
    pub default: Vec<String>,
}

impl FeatureNames {
    /// Every feature the crate declares, sorted: what `check-features` builds one by one.
    pub fn all(&self) -> Vec<String> {
        let mut all: BTreeSet<String> = self.resources.clone();
        all.extend(self.groups.keys().cloned());
        all.extend([WEBHOOKS, FULL].map(String::from));
        all.extend(RUNTIME_FEATURES.map(String::from));
        all.into_iter().collect()
    }

    /// The group a resource belongs to, if any.
    pub fn group_of(&self, resource: &str) -> Option<&str> {
        self.groups
            .iter()
            .find(|(group, members)| *group == resource || members.iter().any(|m| m == resource))
            .map(|(group, _)| group.as_str())
    }

    pub fn is_default(&self, feature: &str) -> bool {
        self.default.iter().any(|d| d == feature)
            || self
                .group_of(feature)
                .is_some_and(|g| self.default.iter().any(|d| d == g))
    }
}

pub fn assign(
    config: &SdkConfig,
    operations: &[OpName],
    strict: bool,
    warnings: &mut Warnings,
) -> Result<FeatureNames> {
    let resources: BTreeSet<String> = operations.iter().map(|n| n.resource[0].clone()).collect();
    let origin = config.origin();
    let error = |at: String, message: String| Error::Config {
        origin: format!("{origin}: {at}"),
        message,
    };
    for name in &resources {
        if [WEBHOOKS, FULL, "default"].contains(&name.as_str())
            || RUNTIME_FEATURES.contains(&name.as_str())
        {
            return Err(error(
                format!("resource `{name}`"),
                "is named like a feature of the crate itself; rename it in `resources`".into(),
            ));
        }
    }
    let mut unmatched = Vec::new();
    let mut groups = IndexMap::new();
    let mut grouped = BTreeSet::new();
    for (group, members) in &config.features.groups {
        if resources.contains(group) && !members.contains(group) {
            return Err(error(
                format!("features.groups.{group}"),
                format!("is named like the resource `{group}` but does not include it"),
            ));
        }
        let mut kept = Vec::new();
        for member in members {
            if !resources.contains(member) {
                unmatched.push(format!("features.groups.{group}: `{member}`"));
            } else if !grouped.insert(member.clone()) {
                return Err(error(
                    format!("features.groups.{group}"),
                    format!("`{member}` is in another group already"),
                ));
            } else if member != group {
                kept.push(member.clone());
            }
        }
        groups.insert(group.clone(), kept);
    }
    let known = |f: &String| {
        resources.contains(f) || groups.contains_key(f) || [WEBHOOKS, FULL].contains(&f.as_str())
    };
    for feature in config.features.default.iter().filter(|f| !known(f)) {
        unmatched.push(format!("features.default: `{feature}`"));
    }
    for resource in resources.iter().filter(|r| !grouped.contains(*r)) {
        unmatched.push(format!(
            "resource `{resource}` is in no group of `features.groups` (it is in `full`)"
        ));
    }
    if !config.features.groups.is_empty() {
        report(origin, unmatched, strict, warnings)?;
    }
    let default = match config
        .features
        .default
        .iter()
        .filter(|f| known(f))
        .cloned()
        .collect::<Vec<_>>()
    {
        default if default.is_empty() => vec![FULL.to_string()],
        default => default,
    };
    Ok(FeatureNames {
        resources,
        groups,
        default,
    })
}

fn report(
    origin: &str,
    problems: Vec<String>,
    strict: bool,
    warnings: &mut Warnings,
) -> Result<()> {
    if problems.is_empty() {
        return Ok(());
    }
    if strict {
        return Err(Error::Config {
            origin: origin.to_string(),
            message: format!(
                "feature entries do not match this spec (--strict):\n  {}\nfix: add each new \
                 resource to a group, remove entries for resources that are gone",
                problems.join("\n  ")
            ),
        });
    }
    for problem in problems {
        warnings.push(
            &Pointer::root(),
            format!("{origin}: {problem} (--strict makes this an error)"),
        );
    }
    Ok(())
}
