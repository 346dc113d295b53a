//! What in the guides' outline matches nothing in this spec, reported by
//! the pipeline before emitting: warnings, or under `--strict` one error.

use super::outline::outline;
use crate::diag::{Error, Pointer, Result, Warnings};
use crate::ir::Api;
use crate::naming::{Names, SdkConfig};

/// Errors start with the SDK config's path, which names the guides file,
/// as every config error starts with the config it is about.
pub fn check(
    api: &Api,
    names: &Names,
    config: &SdkConfig,
    strict: bool,
    warnings: &mut Warnings,
) -> Result<()> {
    let scope: Vec<usize> = (0..api.operations.len())
        .filter(|&i| config.emits(&api.operations[i].path))
        .collect();
    let (_, problems) = outline(api, names, &config.guide_config, &scope);
    if problems.is_empty() {
        return Ok(());
    }
    let file = match config.guide_config.origin.as_str() {
        "" => "the guides config",
        path => path,
    };
    if strict {
        return Err(Error::Config {
            origin: config.origin().to_string(),
            message: format!(
                "entries of its guides file {file} do not match this spec (--strict):\n  {}\n\
                 fix: rename or remove them",
                problems.join("\n  ")
            ),
        });
    }
    for problem in problems {
        warnings.push(
            &Pointer::root(),
            format!("{file}: {problem} (--strict makes this an error)"),
        );
    }
    Ok(())
}
