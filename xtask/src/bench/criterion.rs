//! Benchmarks of the generated crate, which live in `tests/benches` as
//! criterion benches: run them through cargo, then read criterion's
//! estimates back for the report.

use super::stats::Samples;
use super::ROUNDS_ENV;
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

/// Benches that compare variants measure every function in turn, round
/// after round, with [`ROUNDS_ENV`] set to the number of rounds: a burst of
/// load from the machine's other tenants then lands on one round of every
/// variant instead of on all the samples of one, and the report compares
/// variants within each round. Single long runs of each variant put the
/// same request anywhere from 0.85× to 1.11× its baseline on this machine.
const ROUNDS: usize = 5;
/// Enough for the report's arithmetic over rounds to run.
const QUICK_ROUNDS: usize = 2;

/// Warm-up and measurement of each function, in seconds: one long
/// measurement, or one short one per round.
const SINGLE: (&str, &str) = ("2", "5");
const PER_ROUND: (&str, &str) = ("1", "2");

/// The sentence that says how a section measured in rounds.
pub fn rounds_note(rounds: usize) -> String {
    let (warm_up, measurement) = PER_ROUND;
    format!(
        "Measured in {rounds} rounds, each running every function in turn \
         ({warm_up} s warm-up, {measurement} s measurement), so a burst of load from the machine's other tenants hits one round of \
         every variant rather than all the samples of one. A time is the median of the rounds' \
         criterion medians, with their range; a ratio is the median over rounds of the ratio \
         within each round."
    )
}

/// One function's criterion medians, one per round, in round order.
pub struct Rounds(Vec<f64>);

impl Rounds {
    /// Reads `{id}-r1` to `{id}-r{rounds}`.
    pub fn read(root: &Path, id: &str, rounds: usize) -> Result<Self> {
        let medians = (1..=rounds)
            .map(|round| estimate(root, &format!("{id}-r{round}")).map(|e| e.median_ns))
            .collect::<Result<Vec<_>>>()?;
        if medians.is_empty() || !medians.iter().all(|m| m.is_finite() && *m > 0.0) {
            return Err(Error::Bench(format!(
                "{id}: criterion gave no positive medians for {rounds} rounds: {medians:?}"
            )));
        }
        Ok(Self(medians))
    }

    /// `values` come from rounds that `read` checked: never empty, finite.
    fn samples(values: Vec<f64>) -> Samples {
        Samples::new(values).expect("rounds are checked when read")
    }

    pub fn median(&self) -> f64 {
        Self::samples(self.0.clone()).median()
    }

    /// The median over rounds of this function's time over `baseline`'s
    /// in the same round.
    pub fn ratio_to(&self, baseline: &Rounds) -> f64 {
        let ratios = self.0.iter().zip(&baseline.0).map(|(a, b)| a / b).collect();
        Self::samples(ratios).median()
    }

    /// The median of the rounds and their range.
    pub fn cell(&self) -> String {
        let rounds = Self::samples(self.0.clone());
        format!(
            "{} ({} – {})",
            duration(rounds.median()),
            duration(rounds.min()),
            duration(rounds.max())
        )
    }
}

/// Runs `tests/benches/<bench>.rs` in rounds (see [`ROUNDS`]) and returns
/// how many it ran.
pub fn run_bench_in_rounds(root: &Path, bench: &str, quick: bool) -> Result<usize> {
    let rounds = if quick { QUICK_ROUNDS } else { ROUNDS };
    run(root, bench, quick, PER_ROUND, Some(rounds))?;
    Ok(rounds)
}

/// Runs `tests/benches/<bench>.rs` and leaves criterion's estimates in
/// `target/criterion`.
///
/// A full run is `cargo bench` (optimized). A quick run is the smoke test
/// that the benches build and measure: the binaries `cargo test
/// --workspace` has already built (test profile, the workspace's feature
/// set; an optimized build of the crate alone takes about a minute), the
/// shortest timings criterion accepts, and criterion's output kept unless
/// the bench fails.
pub fn run_bench(root: &Path, bench: &str, quick: bool) -> Result<()> {
    run(root, bench, quick, SINGLE, None)
}

fn run(
    root: &Path,
    bench: &str,
    quick: bool,
    (warm_up, measurement): (&str, &str),
    rounds: Option<usize>,
) -> Result<()> {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root);
    if let Some(rounds) = rounds {
        command.env(ROUNDS_ENV, rounds.to_string());
    }
    // Criterion otherwise guesses its output directory from its own working
    // directory; pin it to where `estimate` reads.
    command.env("CRITERION_HOME", target_dir(root).join("criterion"));
    let shown = if quick {
        command
            .args(["test", "--quiet", "--workspace", "--bench", bench])
            // Without `--bench` criterion only runs each function once.
            .args(["--", "--bench", "--noplot", "--warm-up-time", "0.05"])
            .args(["--measurement-time", "0.1", "--sample-size", "10"])
            .args(["--nresamples", "1000"]);
        format!("cargo test --workspace --bench {bench}")
    } else {
        command
            .args(["bench", "--quiet", "-p", "telnyx-tests", "--bench", bench])
            .args(["--", "--noplot", "--warm-up-time", warm_up])
            .args(["--measurement-time", measurement]);
        format!("cargo bench -p telnyx-tests --bench {bench}")
    };
    let status = if quick {
        run_quietly(&mut command)
    } else {
        command.status()
    }
    .map_err(|e| Error::Bench(format!("`{shown}` does not start: {e}")))?;
    if !status.success() {
        return Err(Error::Bench(format!("`{shown}` failed ({status})")));
    }
    Ok(())
}

/// Runs `command` with its output captured, and shows the output only
/// when it fails.
fn run_quietly(command: &mut Command) -> std::io::Result<std::process::ExitStatus> {
    let output = command.output()?;
    if !output.status.success() {
        eprint!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(output.status)
}

/// Criterion's estimate for `group/function/parameter` from the last run.
pub fn estimate(root: &Path, id: &str) -> Result<Estimate> {
    let (json, path) = read_json(root, id, "estimates.json")?;
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

/// The input size a bench declared with `Throughput::Bytes`.
pub fn throughput_bytes(root: &Path, id: &str) -> Result<u64> {
    let (json, path) = read_json(root, id, "benchmark.json")?;
    json.pointer("/throughput/Bytes")
        .and_then(Value::as_u64)
        .ok_or_else(|| Error::Bench(format!("{}: no byte throughput", path.display())))
}

fn read_json(root: &Path, id: &str, file: &str) -> Result<(Value, PathBuf)> {
    let path = target_dir(root)
        .join("criterion")
        .join(id)
        .join("new")
        .join(file);
    let text = crate::diag::read_text(&path)?;
    let json = serde_json::from_str(&text)
        .map_err(|e| Error::Bench(format!("{}: {e}", path.display())))?;
    Ok((json, path))
}

/// The workspace's target directory, where criterion writes.
pub fn target_dir(root: &Path) -> PathBuf {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ratio_compares_within_rounds_so_a_noisy_round_cannot_decide_it() {
        // The second round ran under load: both variants slowed, and its
        // ratio is the outlier the median leaves out.
        let generated = Rounds(vec![31.0, 45.0, 31.5]);
        let baseline = Rounds(vec![30.0, 30.0, 30.0]);
        assert_eq!(generated.median(), 31.5);
        let ratio = generated.ratio_to(&baseline);
        assert!((ratio - 31.5 / 30.0).abs() < 1e-12, "{ratio}");
        let paired = Rounds(vec![30.0, 44.0, 30.0]);
        assert!((generated.ratio_to(&paired) - 31.0 / 30.0).abs() < 1e-12);
    }
}
