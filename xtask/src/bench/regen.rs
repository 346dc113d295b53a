//! Regeneration speed next to its floor (parsing the YAML alone), timed
//! in-process with repeated runs.

use crate::diag::{Result, Warnings};
use crate::emit::{self, Templates};
use crate::naming::SdkConfig;
use crate::pipeline::{lower_and_name, Options};
use crate::{format, load, normalize, write};
use std::path::Path;
use std::time::{Duration, Instant};

pub struct Figure {
    pub name: &'static str,
    pub samples: Vec<Duration>,
}

impl Figure {
    fn median(&self) -> Duration {
        let mut sorted = self.samples.clone();
        sorted.sort();
        sorted[sorted.len() / 2]
    }

    fn spread(&self) -> (Duration, Duration) {
        let min = self.samples.iter().min().copied().unwrap_or_default();
        let max = self.samples.iter().max().copied().unwrap_or_default();
        (min, max)
    }
}

fn measure(
    name: &'static str,
    runs: usize,
    mut work: impl FnMut() -> Result<()>,
) -> Result<Figure> {
    work()?; // warm the page cache and allocator
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        work()?;
        samples.push(started.elapsed());
    }
    Ok(Figure { name, samples })
}

/// Times every stage on `spec` and returns the report's section.
pub fn section(root: &Path, spec: &Path, runs: usize) -> Result<String> {
    let bytes = crate::diag::read(spec)?;
    let origin = spec.display().to_string();
    let config = SdkConfig::load(&root.join("spec/sdk.yml"))?;
    let templates = Templates::load(&root.join("templates"))?;
    let options = Options { strict: false };
    let scratch = std::env::temp_dir().join(format!("telnyx-bench-{}", std::process::id()));
    let floor = measure("parse YAML into a generic value (floor)", runs, || {
        load::parse_document(&bytes, &origin).map(drop)
    })?;
    let normalize_only = measure("parse + normalize to typed OpenAPI 3.0", runs, || {
        let doc = load::parse_document(&bytes, &origin)?;
        normalize::normalize(doc, &mut Warnings::default()).map(drop)
    })?;
    let ir_only = measure(
        "parse + normalize + IR + naming (all operations)",
        runs,
        || lower_and_name(&bytes, &origin, &config, &options).map(drop),
    )?;
    let regen = measure("regen: all stages, files written", runs, || {
        let (api, names) = lower_and_name(&bytes, &origin, &config, &options)?;
        let files = format::format_all(emit::emit(&api, &names, &config, &templates))?;
        write::write_tree(&scratch, &files)
    })?;
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(report(&[floor, normalize_only, ir_only, regen], runs))
}

fn report(figures: &[Figure], runs: usize) -> String {
    let floor = figures[0].median().as_secs_f64();
    let mut out =
        String::from("## Regeneration on the pinned spec (1156 operations, 1875 schemas)\n\n");
    out.push_str(&format!(
        "In-process, release build of the xtask: {runs} timed runs after one warm-up; median and min–max.\n\n"
    ));
    out.push_str("| figure | median | min – max | × floor |\n|---|---|---|---|\n");
    for figure in figures {
        let (min, max) = figure.spread();
        out.push_str(&format!(
            "| {} | {:.1} ms | {:.1} – {:.1} ms | {:.2}× |\n",
            figure.name,
            ms(figure.median()),
            ms(min),
            ms(max),
            figure.median().as_secs_f64() / floor
        ));
    }
    let ratio = figures
        .last()
        .map_or(0.0, |f| f.median().as_secs_f64() / floor);
    let verdict = if ratio <= 3.0 { "met" } else { "missed" };
    out.push_str(&format!(
        "\nTarget: regen ≤ 3× the YAML parse floor — {verdict} ({ratio:.2}×).\n"
    ));
    out
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
