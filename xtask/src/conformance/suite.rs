//! Building the conformance suite (`generated/tests/conformance.rs`) and
//! finding its executable, for `cargo xtask conformance` and for the tests
//! that run it another way (`tests/tests/sdk_equivalence.rs`). Both build
//! it with the same command, so the second finds it built.
//!
//! The build resolves features for the whole workspace: the crate then has
//! the features the tests crate asks for (`full`, `axum`, `serialize`,
//! `deserialize`), and its dependencies theirs, so the library built here
//! is the one `cargo test --workspace` builds, and the other way round.
//! With `-p telnyx-api` alone each would build its own (about 100 s each
//! on CI).

use super::group::Group;
use crate::diag::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The crate features the suite needs (its `required-features`): every
/// resource, and `Deserialize` for the request types it reads its inputs
/// into from JSON samples. Named although the tests crate enables them
/// too, so the suite does not depend on that.
pub fn features() -> String {
    let krate = crate::emit::CRATE_NAME;
    format!("{krate}/full,{krate}/deserialize")
}

/// The command that builds the suite, as printed.
pub fn build_command() -> String {
    format!(
        "cargo test --no-run --workspace --features {} --test conformance",
        features()
    )
}

/// Builds the suite, compiler messages going to stderr as usual; its
/// executable, or `None` when it does not build.
pub fn build(root: &Path) -> Result<Option<PathBuf>> {
    let messages = root.join(super::LOG_DIR).join("build-messages.json");
    if let Some(dir) = messages.parent() {
        std::fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let file = std::fs::File::create(&messages).map_err(|source| Error::Write {
        path: messages.clone(),
        source,
    })?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    // Run from a test, the environment has what cargo sets for the tests
    // crate (`CARGO_PKG_NAME`, ...); build scripts that watch such a
    // variable (ring's) would run again, and everything above them rebuild.
    for (name, _) in std::env::vars_os() {
        if is_set_by_cargo_for_a_crate(&name.to_string_lossy()) {
            command.env_remove(name);
        }
    }
    command
        .current_dir(root)
        .args(["test", "--no-run", "--quiet", "--workspace"])
        .args(["--features", &features(), "--test", "conformance"])
        .arg("--message-format=json-render-diagnostics")
        .stdin(Stdio::null())
        .stdout(file);
    let status = Group::spawn("cargo test --no-run", &mut command)?.wait()?;
    if !status.success() {
        return Ok(None);
    }
    let text = crate::diag::read_text(&messages)?;
    executable(&text).map(Some).ok_or_else(|| {
        Error::Conformance(format!(
            "`{}` built, but {} names no executable of the test `conformance`",
            build_command(),
            messages.display()
        ))
    })
}

/// The variables cargo sets when it compiles or runs a crate's targets
/// (not the ones that configure cargo itself, which must stay).
fn is_set_by_cargo_for_a_crate(name: &str) -> bool {
    name.starts_with("CARGO_PKG_")
        || name.starts_with("CARGO_BIN_")
        || matches!(
            name,
            "CARGO_MANIFEST_DIR"
                | "CARGO_MANIFEST_PATH"
                | "CARGO_CRATE_NAME"
                | "CARGO_PRIMARY_PACKAGE"
                | "CARGO_TARGET_TMPDIR"
                | "CARGO_RUSTC_CURRENT_DIR"
                | "OUT_DIR"
        )
}

/// The executable of the `conformance` test in cargo's JSON messages.
fn executable(messages: &str) -> Option<PathBuf> {
    messages.lines().find_map(|line| {
        let message: serde_json::Value = serde_json::from_str(line).ok()?;
        let target = message.get("target")?;
        let is_suite = message.get("reason")?.as_str()? == "compiler-artifact"
            && target.get("name")?.as_str()? == "conformance"
            && target.get("kind")?.as_array()?.iter().any(|k| k == "test");
        if !is_suite {
            return None;
        }
        Some(PathBuf::from(message.get("executable")?.as_str()?))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suite_executable_is_read_from_cargo_messages() {
        let messages = concat!(
            r#"{"reason":"compiler-artifact","target":{"name":"telnyx_api","kind":["lib"]},"executable":null}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"name":"conformance","kind":["test"]},"executable":"/t/debug/deps/conformance-1"}"#,
            "\n",
            r#"{"reason":"build-finished","success":true}"#,
        );
        assert_eq!(
            executable(messages),
            Some(PathBuf::from("/t/debug/deps/conformance-1"))
        );
        assert_eq!(executable("not json\n"), None);
    }
}
