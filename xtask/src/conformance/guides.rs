//! The guides' snippets (`generated/tests/guides/`, one module per guide
//! in `generated/guides/`) run against the same Prism as the suite: each
//! snippet's request is validated and its response decoded, and each
//! webhook handler gets a signed delivery of every event it matches.
//!
//! The snippets print what they read, as a reader's copy would; that goes
//! to `target/conformance/guides.log`, while failures and the tally go to
//! the terminal.

use super::group::Group;
use crate::diag::{Error, Result};
use std::ffi::OsString;
use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// The test target, as the generated manifest names it.
const TARGET: &str = "guides";

/// The runner, relative to the workspace root.
const RUNNER: &str = "generated/tests/guides/main.rs";

/// Where the snippets' own output goes, relative to the workspace root.
const LOG: &str = "target/conformance/guides.log";

/// The guides need `full` only; building them with the suite's features
/// too lets both share one build of the crate instead of two.
const FEATURES: &str = "full,deserialize";

/// Builds the snippets; `false` when they do not compile (cargo has shown
/// why, with the guide and section in the comment above each snippet).
pub fn build(root: &Path) -> Result<bool> {
    if !root.join(RUNNER).is_file() {
        return Err(Error::Conformance(format!(
            "{RUNNER} is missing: the guides' snippets are generated with the crate. Run \
             `cargo xtask regen` and try again."
        )));
    }
    println!(
        "conformance: building the guides' snippets (cargo test --no-run -p {} --features {FEATURES} --test {TARGET})",
        crate::emit::CRATE_NAME
    );
    let started = Instant::now();
    let built =
        Group::spawn("building the guides", &mut cargo_test(root, &["--no-run"]))?.wait()?;
    if built.success() {
        println!("conformance: guides built in {:.1?}", started.elapsed());
    } else {
        eprintln!("conformance: the guides' snippets did not build ({built})");
    }
    Ok(built.success())
}

/// Runs every snippet against the mock at `base_url`; `filter` (the
/// suite's test arguments) keeps the labels containing its first entry.
pub fn run(root: &Path, base_url: &str, api_key: &str, filter: &[OsString]) -> Result<bool> {
    let log_path = root.join(LOG);
    let log = File::create(&log_path).map_err(|source| Error::Write {
        path: log_path.clone(),
        source,
    })?;
    let mut command = cargo_test(root, &[]);
    if let Some(first) = filter.first() {
        command.arg("--").arg(first);
    }
    command
        .env("TELNYX_BASE_URL", base_url)
        .env("TELNYX_API_KEY", api_key)
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .stdout(log);
    let started = Instant::now();
    let status = Group::spawn("the guides' snippets", &mut command)?.wait()?;
    println!(
        "conformance: guides ran in {:.1?} (their output: {LOG})",
        started.elapsed()
    );
    Ok(status.success())
}

/// `cargo test --quiet -p telnyx-api --features full,deserialize --test
/// guides EXTRA...`, from the workspace root, with the cargo running xtask.
fn cargo_test(root: &Path, extra: &[&str]) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args(["test", "--quiet", "-p", crate::emit::CRATE_NAME])
        .args(["--features", FEATURES, "--test", TARGET])
        .args(extra)
        .stdin(Stdio::null());
    command
}
