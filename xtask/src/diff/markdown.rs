//! The report as Markdown for a PR description: a summary line with the
//! counts, then one section per resource, sorted, breaking changes first.

use super::compare::{Change, Kind};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// `old` and `new` label the two specs (file names, not paths, so the
/// report does not depend on where it was run).
pub fn render(changes: &[Change], old: &str, new: &str) -> String {
    let breaking = changes.iter().filter(|c| c.kind == Kind::Breaking).count();
    let additive = changes.len() - breaking;
    let mut out = format!(
        "**{breaking} breaking, {additive} additive** changes for Rust callers, `{old}` → `{new}`.\n"
    );
    if changes.is_empty() {
        out.push_str("\nNothing a caller of the generated crate can see changed.\n");
        return out;
    }
    let mut sections: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
    for change in changes {
        sections.entry(&change.resource).or_default().push(change);
    }
    for (resource, mut items) in sections {
        items.sort_by(|a, b| {
            (a.kind, &a.item, &a.description).cmp(&(b.kind, &b.item, &b.description))
        });
        let _ = write!(out, "\n## {resource}\n\n");
        for c in items {
            let _ = writeln!(
                out,
                "- **{}** {}: {}",
                c.kind.label(),
                c.item,
                c.description
            );
        }
    }
    out
}
