//! Building the conformance suite (`generated/tests/conformance.rs`) and
//! the guides' snippets (`generated/tests/guides/`) in one cargo command,
//! and finding their executables, for `cargo xtask conformance` and for
//! the tests that run the suite another way (`tests/tests/sdk_equivalence.rs`,
//! `tests/tests/responses.rs`). All build with the same command, so the
//! later ones find it built.
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

/// The generated crate's directory in the workspace.
const GENERATED_DIR: &str = "generated";

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
        "cargo test --no-run --workspace --features {} --test conformance --test guides",
        features()
    )
}

/// The executables of one build.
pub struct Built {
    pub suite: PathBuf,
    pub guides: PathBuf,
}

/// Builds the suite and the guides, compiler messages going to stderr as
/// cargo renders them; their executables, or `None` when they do not build
/// (a snippet's error is also named by its guide and section).
pub fn build(root: &Path) -> Result<Option<Built>> {
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
        .args(["--features", &features()])
        .args(["--test", "conformance", "--test", "guides"])
        .arg("--message-format=json")
        .stdin(Stdio::null())
        .stdout(file);
    let status = Group::spawn("cargo test --no-run", &mut command)?.wait()?;
    let text = crate::diag::read_text(&messages)?;
    for rendered in super::guides::rendered_messages(&text) {
        eprint!("{rendered}");
    }
    if !status.success() {
        super::guides::name_compile_errors(root, &text);
        return Ok(None);
    }
    let find = |name: &str| {
        executable(&text, name).ok_or_else(|| {
            Error::Conformance(format!(
                "`{}` built, but {} names no executable of the test `{name}`",
                build_command(),
                messages.display()
            ))
        })
    };
    Ok(Some(Built {
        suite: find("conformance")?,
        guides: find("guides")?,
    }))
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

/// The executable of the generated crate's test `name` in cargo's JSON
/// messages (the tests crate has a `guides` test too).
fn executable(messages: &str, name: &str) -> Option<PathBuf> {
    messages.lines().find_map(|line| {
        let message: serde_json::Value = serde_json::from_str(line).ok()?;
        let target = message.get("target")?;
        let is_suite = message.get("reason")?.as_str()? == "compiler-artifact"
            && target.get("name")?.as_str()? == name
            && target.get("kind")?.as_array()?.iter().any(|k| k == "test")
            && message
                .get("manifest_path")?
                .as_str()?
                .ends_with(&format!("{GENERATED_DIR}/Cargo.toml"));
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
            r#"{"reason":"compiler-artifact","manifest_path":"/w/generated/Cargo.toml","target":{"name":"conformance","kind":["test"]},"executable":"/t/debug/deps/conformance-1"}"#,
            "\n",
            r#"{"reason":"compiler-artifact","manifest_path":"/w/tests/Cargo.toml","target":{"name":"guides","kind":["test"]},"executable":"/t/debug/deps/guides-1"}"#,
            "\n",
            r#"{"reason":"compiler-artifact","manifest_path":"/w/generated/Cargo.toml","target":{"name":"guides","kind":["test"]},"executable":"/t/debug/deps/guides-2"}"#,
            "\n",
            r#"{"reason":"build-finished","success":true}"#,
        );
        assert_eq!(
            executable(messages, "conformance"),
            Some(PathBuf::from("/t/debug/deps/conformance-1"))
        );
        assert_eq!(
            executable(messages, "guides"),
            Some(PathBuf::from("/t/debug/deps/guides-2"))
        );
        assert_eq!(executable("not json\n", "conformance"), None);
    }
}
