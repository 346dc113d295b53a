//! The generated conformance suite, run in one of its modes against a
//! local server: each call with its own base URL (`<server>/<index>`), so
//! the server can answer each case its own way.

use std::path::PathBuf;
use std::process::Command;

/// The suite's executable, built as `cargo xtask conformance` builds it
/// (a no-op when that ran before).
pub fn executable() -> PathBuf {
    xtask::conformance::suite::build(telnyx_tests::workspace_root())
        .unwrap_or_else(|e| panic!("{e}"))
        .expect("the conformance suite builds")
        .suite
}

/// One call the suite made: its index, label and outcome (`ok <value>` or
/// why it failed).
pub struct Outcome {
    pub index: usize,
    pub label: String,
    pub outcome: String,
}

/// Runs `suite` with `mode` (`CONFORMANCE_CAPTURE`, `CONFORMANCE_PAGES`)
/// against `base_url`; `tag` is what the mode prints its lines with.
pub fn run(suite: &std::path::Path, mode: &str, tag: &str, base_url: &str) -> Vec<Outcome> {
    let output = Command::new(suite)
        .env(mode, "1")
        .env("TELNYX_BASE_URL", base_url)
        .env("NO_PROXY", "127.0.0.1,localhost")
        .output()
        .expect("the suite runs");
    assert!(
        output.status.success(),
        "the suite in {mode} mode: {output:?}"
    );
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .filter_map(|line| {
            let mut fields = line.splitn(4, '\t');
            (fields.next()? == tag).then_some(())?;
            Some(Outcome {
                index: fields.next()?.parse().ok()?,
                label: fields.next()?.to_owned(),
                outcome: fields.next()?.to_owned(),
            })
        })
        .collect()
}
