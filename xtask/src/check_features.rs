//! `cargo xtask check-features`: type-checks the generated crate the ways a
//! user can turn it on, warnings denied: without default features, with
//! the defaults, and with each feature of its manifest alone (every
//! resource, every group, `webhooks`, `full`, the runtime's own). Each
//! failure is reported with its feature and the compiler's first lines.
//!
//! Checks run on `--jobs` workers (default: the machine's cores), each
//! with its own target directory under `target/check-features/`, so they
//! never wait on one another's lock; each worker checks the dependencies
//! once and then only the crate.

use crate::cli::Outcome;
use crate::diag::{Error, Result};
use crate::emit::CRATE_NAME;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// One way of turning the crate on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    NoDefault,
    Default,
    Alone(String),
}

impl Selection {
    fn label(&self) -> String {
        match self {
            Selection::NoDefault => "--no-default-features".into(),
            Selection::Default => "(default features)".into(),
            Selection::Alone(feature) => feature.clone(),
        }
    }

    fn cargo_args(&self) -> Vec<String> {
        match self {
            Selection::NoDefault => vec!["--no-default-features".into()],
            Selection::Default => vec![],
            Selection::Alone(feature) => {
                vec![
                    "--no-default-features".into(),
                    "--features".into(),
                    feature.clone(),
                ]
            }
        }
    }
}

pub struct Args {
    pub jobs: usize,
    /// Only these features (all when empty).
    pub only: Vec<String>,
}

impl Args {
    pub fn parse(parser: &mut lexopt::Parser) -> std::result::Result<Self, lexopt::Error> {
        use lexopt::prelude::*;
        let mut args = Args {
            jobs: std::thread::available_parallelism().map_or(2, usize::from),
            only: Vec::new(),
        };
        while let Some(arg) = parser.next()? {
            match arg {
                Long("jobs") => args.jobs = parser.value()?.parse()?,
                Value(feature) => args.only.push(feature.string()?),
                other => return Err(other.unexpected()),
            }
        }
        args.jobs = args.jobs.max(1);
        Ok(args)
    }
}

/// The feature names of the `[features]` section of a manifest the
/// generator wrote (one `name = [...]` per line).
pub fn manifest_features(manifest: &str) -> Vec<String> {
    let mut in_features = false;
    let mut features = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') && !line.contains('=') {
            in_features = line == "[features]";
            continue;
        }
        if !in_features {
            continue;
        }
        if let Some((name, value)) = line.split_once('=') {
            let name = name.trim();
            if value.trim_start().starts_with('[') && name != "default" && !name.starts_with('#') {
                features.push(name.to_string());
            }
        }
    }
    features.sort();
    features
}

pub fn run(root: &Path, args: &Args) -> Result<Outcome> {
    let manifest_path = root.join("generated/Cargo.toml");
    let manifest = crate::diag::read_text(&manifest_path)?;
    let mut selections = vec![Selection::NoDefault, Selection::Default];
    let features = manifest_features(&manifest);
    for feature in &args.only {
        if !features.contains(feature) {
            return Err(Error::Usage(format!(
                "`{feature}` is not a feature of {}",
                manifest_path.display()
            )));
        }
    }
    selections.extend(
        features
            .into_iter()
            .filter(|f| args.only.is_empty() || args.only.contains(f))
            .map(Selection::Alone),
    );
    if !args.only.is_empty() {
        selections.retain(|s| matches!(s, Selection::Alone(_)));
    }
    let started = Instant::now();
    println!(
        "check-features: {} ways to build {CRATE_NAME}, on {} workers (cargo check, -D warnings)",
        selections.len(),
        args.jobs
    );
    let failures = check_all(root, &selections, args.jobs);
    println!(
        "check-features: {} passed, {} failed in {:.0?}",
        selections.len() - failures.len(),
        failures.len(),
        started.elapsed()
    );
    if failures.is_empty() {
        return Ok(Outcome::Done);
    }
    for (selection, output) in &failures {
        eprintln!("\n== {} failed:", selection.label());
        for line in output.lines().filter(|l| !l.trim().is_empty()).take(30) {
            eprintln!("  {line}");
        }
    }
    eprintln!(
        "\nfailed: {}",
        failures
            .iter()
            .map(|(s, _)| s.label())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(Outcome::Failed)
}

/// Runs every selection on `jobs` workers; returns the failures in order.
fn check_all(root: &Path, selections: &[Selection], jobs: usize) -> Vec<(Selection, String)> {
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for worker in 0..jobs.min(selections.len()) {
            let (next, failures) = (&next, &failures);
            scope.spawn(move || {
                let target = root.join(format!("target/check-features/{worker}"));
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(selection) = selections.get(i) else {
                        break;
                    };
                    let started = Instant::now();
                    let outcome = check_one(root, &target, selection);
                    let verdict = if outcome.is_ok() { "ok" } else { "FAILED" };
                    println!(
                        "  [{}/{}] {} {verdict} ({:.1?})",
                        i + 1,
                        selections.len(),
                        selection.label(),
                        started.elapsed()
                    );
                    if let Err(output) = outcome {
                        failures.lock().expect("no panics while held").push((
                            i,
                            selection.clone(),
                            output,
                        ));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().expect("no panics while held");
    failures.sort_by_key(|(i, _, _)| *i);
    failures.into_iter().map(|(_, s, o)| (s, o)).collect()
}

/// `cargo rustc --profile check`: the crate alone gets `-D warnings`,
/// which `RUSTFLAGS` would also hand to every dependency.
fn check_one(
    root: &Path,
    target: &PathBuf,
    selection: &Selection,
) -> std::result::Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(root)
        .args([
            "rustc",
            "--quiet",
            "--lib",
            "--profile",
            "check",
            "-p",
            CRATE_NAME,
        ])
        .args(selection.cargo_args())
        .arg("--target-dir")
        .arg(target)
        .args(["--", "-D", "warnings"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cargo did not start: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_are_read_from_the_features_section_only() {
        let manifest = "[package]\nname = \"x\"\nkeywords = [\"a\"]\n\n[features]\n\
                        default = [\"voice\"]\n## doc\nvoice = [\"calls\"]\ncalls = []\n\n\
                        [[test]]\nrequired-features = [\"full\"]\n";
        assert_eq!(manifest_features(manifest), ["calls", "voice"]);
    }
}
