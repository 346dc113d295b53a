//! Benchmarks of the generated crate, which live in `tests/benches` as
//! criterion benches: run them through cargo, then read criterion's
//! estimates back for the report.

use crate::diag::{Error, Result};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One criterion measurement: median and its 95 % confidence interval.
pub struct Estimate {
    pub median_ns: f64,
    pub low_ns: f64,
    pub high_ns: f64,
}

/// Runs `cargo bench -p telnyx-tests --bench <bench>` with criterion's
/// timing options; `quick` shortens warm-up and measurement.
pub fn run_bench(root: &Path, bench: &str, quick: bool) -> Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let (warm_up, measure) = if quick { ("0.3", "1") } else { ("2", "5") };
    let status = Command::new(cargo)
        .current_dir(root)
        .args([
            "bench",
            "--quiet",
            "-p",
            "telnyx-tests",
            "--bench",
            bench,
            "--",
        ])
        .args([
            "--noplot",
            "--warm-up-time",
            warm_up,
            "--measurement-time",
            measure,
        ])
        .status()
        .map_err(|e| Error::Bench(format!("cannot run cargo bench: {e}")))?;
    if !status.success() {
        return Err(Error::Bench(format!(
            "`cargo bench -p telnyx-tests --bench {bench}` failed ({status})"
        )));
    }
    Ok(())
}

/// Criterion's estimate for `group/function/parameter` from the last run.
pub fn estimate(root: &Path, id: &str) -> Result<Estimate> {
    let path = target_dir(root)
        .join("criterion")
        .join(id)
        .join("new/estimates.json");
    let text = crate::diag::read_text(&path)?;
    let json: Value = serde_json::from_str(&text)
        .map_err(|e| Error::Bench(format!("{}: {e}", path.display())))?;
    let number = |pointer: &str| {
        json.pointer(pointer)
            .and_then(Value::as_f64)
            .ok_or_else(|| Error::Bench(format!("{}: no {pointer}", path.display())))
    };
    Ok(Estimate {
        median_ns: number("/median/point_estimate")?,
        low_ns: number("/median/confidence_interval/lower_bound")?,
        high_ns: number("/median/confidence_interval/upper_bound")?,
    })
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        })
        .unwrap_or_else(|| root.join("target"))
}

/// `12.3 µs` and the like.
pub fn duration(ns: f64) -> String {
    match ns {
        n if n >= 1e6 => format!("{:.2} ms", n / 1e6),
        n if n >= 1e3 => format!("{:.2} µs", n / 1e3),
        n => format!("{n:.0} ns"),
    }
}
