//! `cargo xtask api-diff`: the report over two fixture specs that make each
//! kind of change once, and over two real Telnyx releases.
//!
//! Update snapshots with `INSTA_UPDATE=always cargo test -p telnyx-tests --test api_diff`
//! and review the diff.

use std::path::Path;
use xtask::diff::{self, Kind};
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

/// `/numbers` is outside the scope, as most of the real spec is.
fn fixture_config() -> SdkConfig {
    SdkConfig::parse("emit:\n  paths: [/calls]\n", "api_diff config")
        .unwrap_or_else(|e| panic!("{e}"))
}

fn fixture_report() -> String {
    diff::report(
        &fixture("api_diff_old.yaml"),
        "api_diff_old.yaml",
        &fixture("api_diff_new.yaml"),
        "api_diff_new.yaml",
        &fixture_config(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn fixture_pair_report() {
    insta::assert_snapshot!(fixture_report());
}

#[test]
fn fixture_pair_labels() {
    let changes = diff::changes(
        &fixture("api_diff_old.yaml"),
        "old",
        &fixture("api_diff_new.yaml"),
        "new",
        &fixture_config(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let kind_of = |needle: &str| {
        let found: Vec<Kind> = changes
            .iter()
            .filter(|c| c.description.contains(needle) || c.item.contains(needle))
            .map(|c| c.kind)
            .collect();
        assert!(!found.is_empty(), "no change mentions {needle:?}");
        found[0]
    };
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
        changes.iter().all(|c| !c.description.contains("count")),
        "/numbers is outside the emitted scope"
    );
}

#[test]
fn identical_specs_report_nothing() {
    let spec = fixture("api_diff_new.yaml");
    let changes =
        diff::changes(&spec, "a", &spec, "b", &fixture_config()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(changes, Vec::new());
}

/// Two Telnyx releases (from `../shared/spec/`; missing files fail the test):
/// in the crate's scope nothing changed; over every operation the new
/// `PayTool` tool and `pay` parameters of the AI tools appear.
#[test]
fn real_release_pair_report() {
    let shared = telnyx_tests::workspace_root().join("../shared/spec");
    let old = read(&shared.join("telnyx-spec3-307d955.yml"));
    let new = read(&shared.join("telnyx-spec3-12de4dd.yml"));
    let (old_label, new_label) = ("telnyx-spec3-307d955.yml", "telnyx-spec3-12de4dd.yml");
    let mut config = telnyx_tests::pinned_config();
    let emitted =
        diff::report(&old, old_label, &new, new_label, &config).unwrap_or_else(|e| panic!("{e}"));
    config.emit.paths.clear();
    let all =
        diff::report(&old, old_label, &new, new_label, &config).unwrap_or_else(|e| panic!("{e}"));
    insta::assert_snapshot!(format!(
        "# emitted operations\n\n{emitted}\n# every operation (--all-operations)\n\n{all}"
    ));
}
