//! `cargo xtask api-diff`: the report over fixture spec pairs (one that
//! makes each kind of change once, one whose changes reach one resource
//! each) and over two real Telnyx releases.
//!
//! Update snapshots with `INSTA_UPDATE=always cargo test -p telnyx-tests --test api_diff`
//! and review the diff.

use std::path::Path;
use std::sync::OnceLock;
use xtask::diff::{self, Change, Kind, Report, SchemaChange, Scope, Status};
use xtask::naming::SdkConfig;

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn fixture(name: &str) -> Vec<u8> {
    read(
        &telnyx_tests::workspace_root()
            .join("tests/fixtures")
            .join(name),
    )
}

/// The fixture pair that makes each kind of change once.
const FIXTURE_OLD: &str = "api_diff_old.yaml";
const FIXTURE_NEW: &str = "api_diff_new.yaml";

/// `/numbers` is outside the scope, as most of the real spec is.
fn fixture_config() -> SdkConfig {
    SdkConfig::parse("emit:\n  paths: [/calls]\n", "api_diff config")
        .unwrap_or_else(|e| panic!("{e}"))
}

fn fixture_diff(old: &str, new: &str, config: &SdkConfig) -> Report {
    diff::diff(&fixture(old), old, &fixture(new), new, config).unwrap_or_else(|e| panic!("{e}"))
}

/// The fixture pair under `fixture_config`, diffed once for all the tests
/// that read it.
fn fixture_pair() -> &'static Report {
    static REPORT: OnceLock<Report> = OnceLock::new();
    REPORT.get_or_init(|| fixture_diff(FIXTURE_OLD, FIXTURE_NEW, &fixture_config()))
}

/// The one change whose subject or description contains `needle`.
fn change<'r>(report: &'r Report, needle: &str) -> &'r Change {
    let found: Vec<&Change> = report
        .changes
        .iter()
        .filter(|c| c.description.contains(needle) || c.subject.to_string().contains(needle))
        .collect();
    match found.as_slice() {
        [one] => one,
        _ => panic!("{} changes mention {needle:?}: {found:#?}", found.len()),
    }
}

fn schema<'r>(report: &'r Report, name: &str) -> &'r SchemaChange {
    report
        .schemas
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no schema change for {name}: {:#?}", report.schemas))
}

#[test]
fn fixture_pair_report() {
    insta::assert_snapshot!(diff::markdown::render(
        fixture_pair(),
        FIXTURE_OLD,
        FIXTURE_NEW
    ));
}

#[test]
fn fixture_pair_labels() {
    let report = fixture_pair();
    let kind_of = |needle: &str| change(report, needle).kind;
    assert_eq!(kind_of("new operation"), Kind::Additive);
    assert_eq!(kind_of("operation removed"), Kind::Breaking);
    assert_eq!(kind_of("parameter `tenant: String`"), Kind::Breaking);
    assert_eq!(kind_of("parameter `page: i32`"), Kind::Additive);
    assert_eq!(
        kind_of("parameter `region` is now optional"),
        Kind::Breaking
    );
    assert_eq!(kind_of("field `codec: String`"), Kind::Additive);
    assert_eq!(kind_of("field `caller_name: String`"), Kind::Breaking);
    assert_eq!(kind_of("new value `greeting_end`"), Kind::Additive);
    assert_eq!(kind_of("value `premium` removed"), Kind::Breaking);
    assert_eq!(kind_of("`type` = `pay`"), Kind::Additive);
    assert_eq!(kind_of("field `started_at` removed"), Kind::Breaking);
    assert_eq!(kind_of("field `tags: Option<Vec<String>>`"), Kind::Additive);
    assert_eq!(kind_of("event type `call.machine.hangup`"), Kind::Additive);
    assert_eq!(kind_of("event type `call.failed` removed"), Kind::Breaking);
    assert!(
        report
            .changes
            .iter()
            .filter(|c| c.section != "numbers")
            .all(|c| c.scope == Scope::Crate),
        "everything but /numbers is emitted"
    );
}

/// `/numbers` is not emitted: its change is reported apart, as what it
/// would be, and `--all-operations` moves it into the crate's part.
#[test]
fn operations_outside_the_scope_are_reported_apart() {
    let count = change(fixture_pair(), "`count`");
    assert_eq!(
        (count.scope, count.section.as_str(), count.kind),
        (Scope::NotEmitted, "numbers", Kind::Breaking)
    );
    let mut everything = fixture_config();
    everything.emit.paths.clear();
    let widened = fixture_diff(FIXTURE_OLD, FIXTURE_NEW, &everything);
    assert_eq!(change(&widened, "`count`").scope, Scope::Crate);
}

#[test]
fn identical_specs_report_nothing() {
    let spec = fixture(FIXTURE_NEW);
    let report =
        diff::diff(&spec, "a", &spec, "b", &fixture_config()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        report,
        Report {
            changes: Vec::new(),
            schemas: Vec::new(),
            emits_everything: false,
        }
    );
}

/// The pair of `minimal_diff.rs`: every change reaches one resource, and
/// the schemas nothing reaches say so.
#[test]
fn minimal_pair_report() {
    let (old, new) = ("api_diff_minimal_old.yaml", "api_diff_minimal_new.yaml");
    let report = fixture_diff(old, new, &SdkConfig::default());
    assert!(report
        .changes
        .iter()
        .all(|c| c.scope == Scope::Crate && ["alphas", "betas"].contains(&c.section.as_str())));
    let tag = schema(&report, "AlphaTag");
    assert_eq!(tag.status, Status::New);
    assert_eq!(tag.used_by, ["`AlphaCreate.tag`"]);
    assert_eq!(tag.reach.emitted, ["alphas.create()"]);
    let settings = schema(&report, "AlphaSettings");
    assert_eq!(
        settings.status,
        Status::Changed(vec!["AlphaSettings".into()])
    );
    assert_eq!(
        settings.reach.emitted,
        ["alphas.create()", "alphas.retrieve()"]
    );
    for orphan in ["Orphan", "Unused"] {
        assert!(schema(&report, orphan).reach.is_empty(), "{orphan}");
    }
    assert!(report.schemas.iter().all(|s| s.name != "Money"));
    insta::assert_snapshot!(diff::markdown::render(&report, old, new));
}

/// Two Telnyx releases (from `../shared/spec/`; missing files fail the
/// test). Between them only the AI assistants' tools changed: a new
/// `PayTool` schema joins the `AssistantTools` union, and the shared-tool
/// requests get an optional `pay: PayToolParams`, all of it in the crate
/// (the `ai` feature). Diffed once for all the tests that read it: the
/// two specs are the full API.
fn real_release_pair() -> &'static (Report, String) {
    static PAIR: OnceLock<(Report, String)> = OnceLock::new();
    PAIR.get_or_init(diff_real_release_pair)
}

fn diff_real_release_pair() -> (Report, String) {
    let shared = telnyx_tests::workspace_root().join("../shared/spec");
    let old = read(&shared.join("telnyx-spec3-307d955.yml"));
    let new = read(&shared.join("telnyx-spec3-12de4dd.yml"));
    let (old_label, new_label) = ("telnyx-spec3-307d955.yml", "telnyx-spec3-12de4dd.yml");
    let config = telnyx_tests::pinned_config();
    let report =
        diff::diff(&old, old_label, &new, new_label, &config).unwrap_or_else(|e| panic!("{e}"));
    let text = diff::markdown::render(&report, old_label, new_label);
    (report, text)
}

#[test]
fn real_release_pair_labels() {
    let (report, _) = real_release_pair();
    // The crate emits every operation, so every change is the crate's.
    assert!(report.changes.iter().all(|c| c.scope == Scope::Crate));
    let variant = |kind: Kind| {
        report
            .changes
            .iter()
            .find(|c| c.kind == kind && c.description.starts_with("new variant `PayTool`"))
            .unwrap_or_else(|| panic!("no {kind:?} PayTool variant: {:#?}", report.changes))
    };
    // Responses: an exhaustive match over the (not non-exhaustive) union breaks.
    assert!(variant(Kind::Breaking).description.contains("responses"));
    // Requests: one more kind of tool to send.
    assert!(variant(Kind::Additive).description.contains("requests"));
    let pay: Vec<&Change> = report
        .changes
        .iter()
        .filter(|c| c.description.contains("`pay: PayToolParams`"))
        .collect();
    assert_eq!(pay.len(), 2, "{pay:#?}");
    assert!(pay
        .iter()
        .all(|c| c.kind == Kind::Additive && c.section == "ai.tools"));

    let pay_tool = schema(report, "PayTool");
    assert_eq!(pay_tool.status, Status::New);
    assert_eq!(pay_tool.used_by, ["`AssistantToolsItem` (a variant)"]);
    assert!(pay_tool.reach.not_emitted.is_empty() && pay_tool.reach.webhooks.is_empty());
    assert!(pay_tool
        .reach
        .emitted
        .contains(&"ai.assistants.create()".to_string()));
    assert_eq!(schema(report, "PayToolParams").status, Status::New);
    assert_eq!(
        schema(report, "AssistantTools").status,
        Status::Changed(vec!["AssistantToolsItem".into()])
    );
}

#[test]
fn real_release_pair_report() {
    insta::assert_snapshot!(real_release_pair().1);
}
