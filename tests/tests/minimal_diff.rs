//! Minimal diffs: a spec change rewrites only the generated files of the
//! resources that reach what changed (and the `API.md` lines of changed
//! methods), so a release's PR shows its real surface and nothing else.
//!
//! The fixture pair `api_diff_minimal_{old,new}.yaml` has two resources,
//! `alphas` and `betas`, sharing `Money`, and a webhook with its own types.
//! The new side changes what only `alphas` reaches (a new operation, a new
//! body field of a new type, a new field of a nested struct), adds an enum
//! value only `betas` reaches, and changes or adds schemas nothing reaches.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;
use xtask::emit::Templates;
use xtask::naming::SdkConfig;
use xtask::pipeline::{self, Options};

type Files = BTreeMap<String, String>;

fn templates() -> &'static Templates {
    static TEMPLATES: OnceLock<Templates> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        Templates::load(&telnyx_tests::workspace_root().join("templates"))
            .unwrap_or_else(|e| panic!("{e}"))
    })
}

/// Every file of the crate the fixture generates, by path: what
/// `regen --out` writes.
fn generate(fixture: &str) -> Files {
    let path = telnyx_tests::workspace_root()
        .join("tests/fixtures")
        .join(fixture);
    let spec = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    pipeline::generate(
        &spec,
        fixture,
        &SdkConfig::default(),
        templates(),
        &Options { strict: true },
    )
    .unwrap_or_else(|e| panic!("{fixture}: {e}"))
    .files
}

/// The fixture pair's crates, generated once for all the tests that
/// compare them.
fn pair() -> &'static (Files, Files) {
    static PAIR: OnceLock<(Files, Files)> = OnceLock::new();
    PAIR.get_or_init(|| {
        (
            generate("api_diff_minimal_old.yaml"),
            generate("api_diff_minimal_new.yaml"),
        )
    })
}

fn changed_files<'a>(old: &'a Files, new: &'a Files) -> BTreeSet<&'a str> {
    old.keys()
        .chain(new.keys())
        .filter(|path| old.get(*path) != new.get(*path))
        .map(String::as_str)
        .collect()
}

/// The lines only one side has.
fn changed_lines<'a>(old: &'a str, new: &'a str) -> Vec<&'a str> {
    let old_lines: BTreeSet<&str> = old.lines().collect();
    let new_lines: BTreeSet<&str> = new.lines().collect();
    let mut lines: Vec<&str> = new.lines().filter(|l| !old_lines.contains(l)).collect();
    lines.extend(old.lines().filter(|l| !new_lines.contains(l)));
    lines
}

/// The conformance suite split at its top-level `async fn`s: the preamble
/// (the case table) under `""`, each case function under its name.
fn case_functions(suite: &str) -> BTreeMap<String, String> {
    let mut sections = BTreeMap::new();
    let mut current = String::new();
    for line in suite.lines() {
        if let Some(rest) = line.strip_prefix("async fn ") {
            current = rest.split('(').next().unwrap_or_default().to_string();
        }
        let section: &mut String = sections.entry(current.clone()).or_default();
        section.push_str(line);
        section.push('\n');
    }
    sections
}

#[test]
fn a_spec_change_touches_only_the_files_of_the_resources_it_reaches() {
    let (old, new) = pair();
    // The shared and unrelated files exist, so their staying put means something.
    for path in [
        "src/types/shared/common.rs",
        "src/resources/betas/mod.rs",
        "src/types/webhooks/gamma.rs",
    ] {
        assert!(old.contains_key(path), "the fixture no longer emits {path}");
    }
    assert!(old["src/types/shared/common.rs"].contains("pub struct Money"));
    assert_eq!(
        changed_files(old, new),
        // The guide of the resource's feature group (this fixture has no
        // groups, so `other`) has its section and snippet too.
        BTreeSet::from([
            "API.md",
            "guides/telnyx-other.md",
            "src/resources/alphas.rs",
            "src/types/alphas.rs",
            "src/types/betas/mod.rs",
            "tests/conformance.rs",
            "tests/guides/telnyx_other.rs",
        ])
    );
}

#[test]
fn api_md_changes_only_in_the_lines_of_changed_methods() {
    let (old, new) = pair();
    let lines = changed_lines(&old["API.md"], &new["API.md"]);
    assert_eq!(
        lines,
        [
            "5 methods. Each line: HTTP method and path → Rust call chain. Each section names \
             the cargo feature that compiles it; `full` compiles all of them.",
            "- `DELETE /alphas/{alpha_id}` → `client.alphas().delete(alpha_id)`",
            "4 methods. Each line: HTTP method and path → Rust call chain. Each section names \
             the cargo feature that compiles it; `full` compiles all of them.",
        ]
    );
}

/// The suite is one file for the whole crate: within it only the cases of
/// `alphas` change, plus the length of the case table when an operation is
/// added.
#[test]
fn the_conformance_suite_changes_only_in_the_cases_of_the_changed_resource() {
    let (old, new) = pair();
    let (old_cases, new_cases) = (
        case_functions(&old["tests/conformance.rs"]),
        case_functions(&new["tests/conformance.rs"]),
    );
    let changed: BTreeSet<&str> = old_cases
        .keys()
        .chain(new_cases.keys())
        .filter(|name| old_cases.get(*name) != new_cases.get(*name))
        .map(String::as_str)
        .collect();
    assert!(
        changed
            .iter()
            .all(|name| name.is_empty() || name.starts_with("alphas_")),
        "cases of other resources changed: {changed:?}"
    );
    assert!(changed.contains("alphas_create_full"), "{changed:?}");
    let table = changed_lines(&old_cases[""], &new_cases[""]);
    assert!(
        table
            .iter()
            .all(|line| line.contains("alphas") || line.contains("const CASES")),
        "the case table changed beyond alphas: {table:#?}"
    );
}

#[test]
fn changes_no_operation_reaches_change_no_file() {
    let (old, _) = pair();
    let spec = std::fs::read_to_string(
        telnyx_tests::workspace_root().join("tests/fixtures/api_diff_minimal_old.yaml"),
    )
    .expect("the fixture is readable");
    // Only the unreached schemas of the new side: `Orphan` changed, `Unused` added.
    let edited = spec.replace(
        "        label:\n          type: string\n",
        "        label:\n          type: string\n        weight:\n          type: number\n    Unused:\n      type: object\n",
    );
    assert_ne!(edited, spec, "the fixture's `Orphan` schema moved");
    let new = pipeline::generate(
        edited.as_bytes(),
        "edited",
        &SdkConfig::default(),
        templates(),
        &Options { strict: true },
    )
    .unwrap_or_else(|e| panic!("{e}"))
    .files;
    assert_eq!(changed_files(old, &new), BTreeSet::new());
}
