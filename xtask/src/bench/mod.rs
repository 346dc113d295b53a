//! `cargo xtask bench`: every figure measured in one run, next to its floor,
//! and written to `BENCHMARKS.md` with the command that made it.

pub mod affinity;
mod build;
mod child;
mod criterion;
mod decode;
pub mod loopback;
mod peer;
pub mod python;
mod regen;
pub mod request_fixture;
mod requests;
mod stats;
mod time_passes;
mod webhooks;

use crate::diag::Result;
use std::path::Path;

/// How many rounds a comparing bench in `tests/benches` measures every
/// function in; set by `cargo xtask bench` (see `criterion::ROUNDS`).
pub const ROUNDS_ENV: &str = "TELNYX_BENCH_ROUNDS";

/// The rounds a bench binary runs: one when run by hand.
pub fn rounds() -> usize {
    std::env::var(ROUNDS_ENV)
        .ok()
        .and_then(|rounds| rounds.parse().ok())
        .unwrap_or(1)
}

pub struct Settings {
    /// Timed runs of the in-process figures; the build section does a
    /// third of them.
    pub runs: usize,
    /// A smoke test that every bench builds and runs: criterion in the test
    /// profile with the shortest timings, a handful of Python calls, no
    /// builds.
    pub quick: bool,
    /// `--only build`: that one section, printed and not written, for
    /// working on it (BENCHMARKS.md always comes from one whole run).
    pub only_build: bool,
}

/// Runs every section and returns the Markdown report.
pub fn run(root: &Path, spec: &Path, settings: &Settings) -> Result<String> {
    let command = if settings.quick {
        "cargo xtask bench --quick".to_string()
    } else {
        format!("cargo xtask bench --runs {}", settings.runs)
    };
    let mut out = format!(
        "# Benchmarks\n\nProduced by `{command}` on {}; every figure below comes from that one run.\n\n",
        machine()
    );
    if settings.only_build {
        let target_dir = criterion::target_dir(root);
        out.push_str(&build::section(root, &target_dir, settings.runs)?);
        return Ok(out);
    }
    let sections = [
        regen::section(root, spec, settings.runs)?,
        webhooks::section(root, settings.quick)?,
        requests::section(root, settings.quick)?,
        decode::section(root, settings.quick)?,
    ];
    out.push_str(&sections.join("\n"));
    if settings.quick {
        // A cold build alone takes over half the smoke run's one minute.
        println!(
            "bench --quick: the build section is skipped (it times cold builds of the crate and its `full` features, 15–60 s each)"
        );
    } else {
        out.push('\n');
        let target_dir = criterion::target_dir(root);
        out.push_str(&build::section(root, &target_dir, settings.runs)?);
    }
    Ok(out)
}

/// The CPU model and core count, and the memory: what a reader needs to
/// compare these figures with their own.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name")?.split_once(':'))
        .map_or(std::env::consts::ARCH, |(_, model)| model.trim());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|meminfo| {
            let kib = meminfo
                .lines()
                .find_map(|line| line.strip_prefix("MemTotal:"))?
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()?;
            Some(format!(", {} GiB memory", (kib + (1 << 19)) >> 20))
        })
        .unwrap_or_default();
    format!("{model} ({cores} cores{memory}), {}", std::env::consts::OS)
}
