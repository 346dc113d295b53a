//! Runs the stages in order: load → normalize → IR → naming → emit →
//! format. Writing is the caller's choice (`write` or `--check`).
//!
//! Each run times its own stages ([`Generated::stages`]), so the figures
//! `cargo xtask bench` reports are the pipeline's, not a re-enactment.

use crate::diag::{Error, Result, Warning, WarningKind, Warnings};
use crate::emit::{self, Templates};
use crate::ir::{self, Api, Summary};
use crate::naming::{self, Names, SdkConfig};
use crate::{format, load, normalize};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

pub struct Generated {
    pub api: Api,
    pub names: Names,
    pub summary: Summary,
    /// Formatted files, keyed by path relative to the crate root.
    pub files: BTreeMap<String, String>,
    /// How long each stage took, in pipeline order.
    pub stages: Vec<Stage>,
}

/// One stage of one run.
#[derive(Debug, Clone, Copy)]
pub struct Stage {
    pub name: &'static str,
    pub took: Duration,
}

pub struct Options {
    /// Warnings about the spec ([`WarningKind::Quirk`]) and config entries
    /// that match no operation are errors.
    pub strict: bool,
}

/// Spec bytes → IR, names and crate files.
pub fn generate(
    spec: &[u8],
    origin: &str,
    config: &SdkConfig,
    templates: &Templates,
    options: &Options,
) -> Result<Generated> {
    let mut clock = Clock::start();
    let (api, names) = front(spec, origin, config, options, &mut clock)?;
    let files = format::run_jobs(emit::Plan::new(&api, &names, config, templates).jobs())?;
    clock.lap("emit + format");
    Ok(Generated {
        summary: Summary::of(&api),
        api,
        names,
        files,
        stages: clock.stages,
    })
}

/// The stages up to naming: what `api-diff` and the IR tests need.
pub fn lower_and_name(
    spec: &[u8],
    origin: &str,
    config: &SdkConfig,
    options: &Options,
) -> Result<(Api, Names)> {
    front(spec, origin, config, options, &mut Clock::start())
}

fn front(
    spec: &[u8],
    origin: &str,
    config: &SdkConfig,
    options: &Options,
    clock: &mut Clock,
) -> Result<(Api, Names)> {
    let document = load::parse_document(spec, origin)?;
    clock.lap("parse");
    let mut warnings = Warnings::default();
    let normalized =
        normalize::normalize(document, &mut warnings).map_err(|e| e.in_spec(origin))?;
    clock.lap("normalize");
    let mut api = ir::lower(
        &normalized,
        &config.operation_ids,
        &config.deep_object_params,
        warnings,
    )
    .map_err(|e| e.in_spec(origin))?;
    // Freed here, so that the stage that needed it pays for it.
    drop(normalized);
    clock.lap("IR");
    let mut naming_warnings = Warnings::default();
    let names = naming::assign(&api, config, options.strict, &mut naming_warnings)?;
    emit::guides::check(&api, &names, config, options.strict, &mut naming_warnings)?;
    api.warnings.extend(naming_warnings.into_sorted());
    clock.lap("naming");
    if options.strict {
        refuse_quirks(&api.warnings).map_err(|e| e.in_spec(origin))?;
    }
    Ok((api, names))
}

/// Under `--strict`, every quirk the spec was read through is an error,
/// all of them in one report.
fn refuse_quirks(warnings: &[Warning]) -> Result<()> {
    let quirks = warnings
        .iter()
        .filter(|w| w.kind == WarningKind::Quirk)
        .map(Warning::as_strict_error)
        .collect();
    match Error::all(quirks) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

struct Clock {
    last: Instant,
    stages: Vec<Stage>,
}

impl Clock {
    fn start() -> Self {
        Clock {
            last: Instant::now(),
            stages: Vec::new(),
        }
    }

    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.stages.push(Stage {
            name,
            took: now - self.last,
        });
        self.last = now;
    }
}
