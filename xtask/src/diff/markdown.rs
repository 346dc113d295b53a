//! The report as Markdown for a PR description: a summary, then what the
//! generated crate's callers see (one section per resource, breaking
//! changes first), then what changed in operations the crate does not emit
//! (labelled with what it would be once emitted), then the component
//! schemas that are new, removed or changed and where they are used.

use super::compare::{Change, Kind, Scope, SHARED_TYPES, WEBHOOKS};
use super::schemas::{Reach, SchemaChange, Status};
use super::Report;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Lists longer than this end in "… and N more": the counts carry the rest.
const LIST_LIMIT: usize = 6;

/// `old` and `new` label the two specs (file names, not paths, so the
/// report does not depend on where it was run).
pub fn render(report: &Report, old: &str, new: &str) -> String {
    let (crate_changes, other_changes): (Vec<&Change>, Vec<&Change>) =
        report.changes.iter().partition(|c| c.scope == Scope::Crate);
    let mut out = String::new();
    let (breaking, additive) = counts(&crate_changes);
    let _ = writeln!(
        out,
        "**Generated crate: {breaking} breaking, {additive} additive** changes for Rust callers, `{old}` → `{new}`."
    );
    let (breaking, additive) = counts(&other_changes);
    if report.emits_everything {
        let _ = writeln!(out, "{}.", schema_counts(&report.schemas));
        out.push_str("\n## Generated crate\n\nEvery operation and webhook of the spec.\n");
    } else {
        let _ = writeln!(
            out,
            "Not emitted: {breaking} would be breaking, {additive} would be additive. {}.",
            schema_counts(&report.schemas)
        );
        out.push_str(
            "\n## Generated crate\n\nThe operations `spec/sdk.yml` emits, and every webhook.\n",
        );
    }
    if crate_changes.is_empty() {
        out.push_str("\nNothing a caller of the generated crate can see changed.\n");
    }
    sections(&mut out, &crate_changes, |kind| kind.label().to_string());
    if !report.emits_everything {
        not_emitted(&mut out, &other_changes);
    }
    out.push_str("\n## Component schemas\n\n");
    if report.schemas.is_empty() {
        out.push_str("No schema of `components.schemas` was added, removed or changed.\n");
    }
    for schema in &report.schemas {
        let _ = writeln!(out, "- {}", schema_line(schema));
    }
    out
}

fn not_emitted(out: &mut String, other_changes: &[&Change]) {
    out.push_str(
        "\n## Not emitted\n\nOperations outside `emit.paths` in `spec/sdk.yml`: the crate does not \
         change. Each label says what the change would be for callers once they are emitted.\n",
    );
    if other_changes.is_empty() {
        out.push_str("\nNothing changed in the operations the crate does not emit.\n");
    }
    sections(out, other_changes, |kind| {
        format!("would be {}", kind.label())
    });
}

fn counts(changes: &[&Change]) -> (usize, usize) {
    let breaking = changes.iter().filter(|c| c.kind == Kind::Breaking).count();
    (breaking, changes.len() - breaking)
}

fn schema_counts(schemas: &[SchemaChange]) -> String {
    let count = |wanted: fn(&Status) -> bool| schemas.iter().filter(|s| wanted(&s.status)).count();
    format!(
        "Component schemas: {} new, {} removed, {} changed",
        count(|s| *s == Status::New),
        count(|s| *s == Status::Removed),
        count(|s| matches!(s, Status::Changed(_))),
    )
}

/// One `###` section per resource, then shared types, then webhooks.
fn sections(out: &mut String, changes: &[&Change], label: impl Fn(Kind) -> String) {
    let rank = |section: &str| match section {
        SHARED_TYPES => 1,
        WEBHOOKS => 2,
        _ => 0,
    };
    let mut by_section: BTreeMap<(u8, &str), Vec<&Change>> = BTreeMap::new();
    for change in changes {
        let section = change.section.as_str();
        by_section
            .entry((rank(section), section))
            .or_default()
            .push(change);
    }
    for ((_, section), mut items) in by_section {
        items.sort_by(|a, b| {
            (a.kind, &a.subject, &a.description).cmp(&(b.kind, &b.subject, &b.description))
        });
        let _ = write!(out, "\n### {section}\n\n");
        for c in items {
            let _ = write!(
                out,
                "- **{}** {}: {}",
                label(c.kind),
                c.subject,
                c.description
            );
            if !c.reached_from.is_empty() {
                let _ = write!(out, " (reached from {})", code_list(&c.reached_from));
            }
            out.push('\n');
        }
    }
}

fn schema_line(schema: &SchemaChange) -> String {
    let mut line = match &schema.status {
        Status::New => format!("**new** `{}`", schema.name),
        Status::Removed => format!("**removed** `{}`", schema.name),
        Status::Changed(types) if *types == [schema.name.clone()] => {
            format!("**changed** `{}`", schema.name)
        }
        Status::Changed(types) => {
            format!("**changed** `{}` (in {})", schema.name, code_list(types))
        }
    };
    if !schema.used_by.is_empty() {
        let _ = write!(line, ", used by {}", list(&schema.used_by));
    }
    let _ = write!(line, "; {}", reach_text(&schema.reach));
    line
}

fn reach_text(reach: &Reach) -> String {
    if reach.is_empty() {
        return "reached by no operation or webhook".to_string();
    }
    let mut parts = Vec::new();
    let mut part = |items: &[String], one: &str, many: &str| {
        let what = if items.len() == 1 { one } else { many };
        if !items.is_empty() {
            parts.push(format!("{} {what} ({})", items.len(), code_list(items)));
        }
    };
    part(&reach.emitted, "emitted operation", "emitted operations");
    part(
        &reach.not_emitted,
        "operation not emitted",
        "operations not emitted",
    );
    part(&reach.webhooks, "webhook", "webhooks");
    format!("reached from {}", parts.join(", "))
}

fn code_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    list(&quoted)
}

/// The first [`LIST_LIMIT`] items, then how many more.
fn list(items: &[String]) -> String {
    let shown = items[..items.len().min(LIST_LIMIT)].join(", ");
    match items.len().saturating_sub(LIST_LIMIT) {
        0 => shown,
        more => format!("{shown} … and {more} more"),
    }
}
