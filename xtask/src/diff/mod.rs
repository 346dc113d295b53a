//! `cargo xtask api-diff`: what changed between two specs for Rust callers
//! of the generated crate, as a Markdown report for a PR description.
//!
//! Both specs go through the pipeline up to naming ([`pipeline::lower_and_name`],
//! non-strict, so older and newer specs load even where the SDK config no
//! longer matches them). [`compare`] walks every operation and webhook of
//! the two IRs and files each change as seen by the crate (an operation the
//! SDK config emits, or a webhook) or not; [`schemas`] lists the component
//! schemas that are new, removed or changed and where they are used; and
//! [`markdown`] renders both.

pub mod compare;
pub mod markdown;
pub mod schemas;
mod spelling;

pub use compare::{Change, Kind, Scope, Subject};
pub use schemas::{SchemaChange, Status};

use crate::cli::Outcome;
use crate::diag::{read, Error, Result};
use crate::naming::SdkConfig;
use crate::pipeline::{self, Options};
use std::path::{Path, PathBuf};

/// `OLD_SPEC NEW_SPEC`, or `--against-generated NEW_SPEC` (OLD is then the
/// pinned spec `generated/` was built from).
#[derive(Debug, Default)]
pub struct Args {
    pub against_generated: bool,
    /// Report every operation as if the SDK config emitted it: a preview of
    /// what widening `emit.paths` would bring.
    pub all_operations: bool,
    pub specs: Vec<PathBuf>,
}

impl Args {
    pub fn parse(parser: &mut lexopt::Parser) -> Result<Args, lexopt::Error> {
        use lexopt::prelude::*;
        let mut args = Args::default();
        while let Some(arg) = parser.next()? {
            match arg {
                Long("against-generated") => args.against_generated = true,
                Long("all-operations") => args.all_operations = true,
                Value(value) => args.specs.push(PathBuf::from(value)),
                other => return Err(other.unexpected()),
            }
        }
        let wanted = if args.against_generated { 1 } else { 2 };
        if args.specs.len() != wanted {
            return Err(if args.against_generated {
                "api-diff --against-generated takes one spec: NEW_SPEC".into()
            } else {
                "api-diff takes two specs: OLD_SPEC NEW_SPEC".into()
            });
        }
        Ok(args)
    }
}

/// Everything a spec change brings, before rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Sorted; each says whether the crate shows it ([`Scope`]).
    pub changes: Vec<Change>,
    /// New, removed and changed component schemas, sorted.
    pub schemas: Vec<SchemaChange>,
    /// The config emits every operation (no `emit.paths`), so nothing is
    /// "not emitted" and the report leaves that part out.
    pub emits_everything: bool,
}

pub fn run(root: &Path, args: &Args) -> Result<Outcome> {
    let ((old_path, old), new_path) = match args.specs.as_slice() {
        [new] if args.against_generated => {
            (crate::fetch::read_or_fetch_pinned_spec(root)?, new.clone())
        }
        [old, new] => ((old.clone(), read(old)?), new.clone()),
        _ => return Err(Error::Usage("api-diff: wrong number of specs".into())),
    };
    let mut config = SdkConfig::load(&root.join("spec/sdk.yml"))?;
    if args.all_operations {
        // An empty scope emits everything; names are unaffected by it.
        config.emit.paths.clear();
    }
    let report = report(
        &old,
        &label(&old_path),
        &read(&new_path)?,
        &label(&new_path),
        &config,
    )?;
    print!("{report}");
    Ok(Outcome::Done)
}

/// The Markdown report for two specs' bytes; `old_label` and `new_label`
/// name them in the summary line and in errors.
pub fn report(
    old: &[u8],
    old_label: &str,
    new: &[u8],
    new_label: &str,
    config: &SdkConfig,
) -> Result<String> {
    let report = diff(old, old_label, new, new_label, config)?;
    Ok(markdown::render(&report, old_label, new_label))
}

/// What changed between two specs' bytes.
pub fn diff(
    old: &[u8],
    old_label: &str,
    new: &[u8],
    new_label: &str,
    config: &SdkConfig,
) -> Result<Report> {
    let options = Options { strict: false };
    let (old_api, old_names) = pipeline::lower_and_name(old, old_label, config, &options)?;
    let (new_api, new_names) = pipeline::lower_and_name(new, new_label, config, &options)?;
    let old_side = compare::Side {
        api: &old_api,
        names: &old_names,
    };
    let new_side = compare::Side {
        api: &new_api,
        names: &new_names,
    };
    Ok(Report {
        changes: compare::compare(old_side, new_side, config),
        schemas: schemas::schema_changes(old_side, new_side, config),
        emits_everything: config.emit.paths.is_empty(),
    })
}

fn label(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
