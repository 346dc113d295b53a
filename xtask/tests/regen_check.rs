//! `cargo xtask regen --check`, the CI guard against a stale `generated/`,
//! run as a process on a crate generated into a temporary directory (the
//! real `generated/` is never touched): it passes when the tree matches
//! and, when not, exits 1 naming every differing file and the command that
//! regenerates it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
}

/// A small fixture spec with its own naming config, so the test does not
/// depend on the pinned spec being fetched.
const SPEC: &str = "tests/fixtures/names.yaml";
const CONFIG: &str = "tests/fixtures/names.sdk.yml";

/// `xtask regen --spec SPEC --config CONFIG ARGS --out OUT`, from the workspace root.
fn regen(out: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(workspace_root())
        .args(["regen", "--spec", SPEC, "--config", CONFIG])
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .expect("the xtask binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_stale_tree_fails_naming_each_file_and_the_fix() {
    let tmp = TempDir::new("xtask-regen-check");
    let written = regen(&tmp.0, &[]);
    assert!(written.status.success(), "{}", text(&written.stderr));

    let fresh = regen(&tmp.0, &["--check"]);
    assert_eq!(fresh.status.code(), Some(0), "{}", text(&fresh.stderr));
    assert!(text(&fresh.stdout).contains("is up to date"));

    let lib = tmp.0.join("src/lib.rs");
    let mut edited = std::fs::read_to_string(&lib).expect("regen wrote src/lib.rs");
    edited.push_str("// edited by hand\n");
    std::fs::write(&lib, edited).unwrap();
    std::fs::remove_file(tmp.0.join("API.md")).unwrap();
    std::fs::write(tmp.0.join("src/stray.rs"), "").unwrap();

    let stale = regen(&tmp.0, &["--check"]);
    let stderr = text(&stale.stderr);
    assert_eq!(stale.status.code(), Some(1), "{stderr}");
    let fix = format!(
        "fix: cargo xtask regen --spec {SPEC} --config {CONFIG} --out {}\n",
        tmp.0.display()
    );
    for line in [
        "is stale; 3 files differ:",
        "  changed: src/lib.rs\n",
        "  missing: API.md\n",
        "  extra: src/stray.rs\n",
        &fix,
    ] {
        assert!(stderr.contains(line), "no {line:?} in:\n{stderr}");
    }

    let fixed = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(workspace_root())
        .args(fix["fix: cargo xtask ".len()..].split_whitespace())
        .output()
        .expect("the xtask binary runs");
    assert!(fixed.status.success(), "{}", text(&fixed.stderr));
    let again = regen(&tmp.0, &["--check"]);
    assert_eq!(
        again.status.code(),
        Some(0),
        "the printed fix did not fix it"
    );
}
