//! Runs the stages in order: load → normalize → IR → naming → emit →
//! format. Writing is the caller's choice (`write` or `--check`).

use crate::diag::{Result, Warnings};
use crate::emit::{self, Templates};
use crate::ir::{self, Api, Summary};
use crate::naming::{self, Names, SdkConfig};
use crate::{format, load, normalize};
use std::collections::BTreeMap;

pub struct Generated {
    pub api: Api,
    pub names: Names,
    pub summary: Summary,
    /// Formatted files, keyed by path relative to the crate root.
    pub files: BTreeMap<String, String>,
}

pub struct Options {
    /// Config entries that match no operation are errors, not warnings.
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
    let (api, names) = lower_and_name(spec, origin, config, options)?;
    let files = format::format_all(emit::emit(&api, &names, config, templates))?;
    Ok(Generated {
        summary: Summary::of(&api),
        api,
        names,
        files,
    })
}

/// The stages up to naming: what `api-diff` and the IR tests need.
pub fn lower_and_name(
    spec: &[u8],
    origin: &str,
    config: &SdkConfig,
    options: &Options,
) -> Result<(Api, Names)> {
    let document = load::parse_document(spec, origin)?;
    let mut warnings = Warnings::default();
    let normalized =
        normalize::normalize(document, &mut warnings).map_err(|e| e.in_spec(origin))?;
    let mut api =
        ir::lower(&normalized, &config.operation_ids, warnings).map_err(|e| e.in_spec(origin))?;
    let mut naming_warnings = Warnings::default();
    let names = naming::assign(&api, config, options.strict, &mut naming_warnings)?;
    api.warnings.extend(naming_warnings.into_sorted());
    Ok((api, names))
}
