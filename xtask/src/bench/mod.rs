//! `cargo xtask bench`: every figure measured in one run, next to its floor,
//! and written to `BENCHMARKS.md` with the command that made it.

mod criterion;
mod regen;
mod webhooks;

use crate::diag::Result;
use std::path::Path;

pub struct Settings {
    /// Timed runs of the in-process figures.
    pub runs: usize,
    /// Short criterion runs: a smoke test that the benches build and run.
    pub quick: bool,
}

/// Runs every section and returns the Markdown report.
pub fn run(root: &Path, spec: &Path, settings: &Settings) -> Result<String> {
    let command = if settings.quick {
        "cargo xtask bench --quick".to_string()
    } else {
        format!("cargo xtask bench --runs {}", settings.runs)
    };
    let mut out = format!(
        "# Benchmarks\n\nProduced by `{command}` on {} ({} cores); every figure below comes from that one run.\n\n",
        std::env::consts::ARCH,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    out.push_str(&regen::section(root, spec, settings.runs)?);
    out.push('\n');
    out.push_str(&webhooks::section(root, settings.quick)?);
    Ok(out)
}
