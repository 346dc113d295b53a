//! Bad input to `cargo xtask regen` and `fetch-spec`, one case per way a
//! maintainer's input can be wrong: each exits with status 2, names the
//! place (file, line:column or JSON pointer) and the fix, does not panic,
//! and leaves `generated/` byte for byte as it was, with nothing
//! half-written beside it.
//!
//! The table runs in-process against a scratch copy of the workspace
//! layout (its own pin, config, templates and generated crate), and again
//! through the real `xtask` binary, which proves the exit status and that
//! no panic message reaches stderr.

#[path = "bad_input/cases.rs"]
mod cases;
#[path = "bad_input/workspace.rs"]
mod workspace;

use cases::{Case, BASE, CONFIG};
use std::ffi::OsString;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use workspace::{differences, tree, Scratch};

/// The arguments with `@path` resolved inside the scratch workspace.
fn arguments(case: &Case, scratch: &Scratch) -> Vec<OsString> {
    case.args
        .iter()
        .map(|arg| match arg.strip_prefix('@') {
            Some(relative) => scratch.path(relative).into_os_string(),
            None => OsString::from(arg),
        })
        .collect()
}

/// What a case must produce, given its exit status and message.
fn judge(case: &Case, status: Option<i32>, message: &str) -> Vec<String> {
    let mut wrong = Vec::new();
    if status != Some(2) {
        wrong.push(format!("exit status {status:?}, not 2"));
    }
    if !message.contains(case.place) {
        wrong.push(format!(
            "the message does not name the place `{}`",
            case.place
        ));
    }
    if !message.contains(case.fix) {
        wrong.push(format!("the message does not name the fix `{}`", case.fix));
    }
    if message.contains("panicked at") {
        wrong.push("a panic".into());
    }
    wrong
}

fn report(case: &Case, wrong: Vec<String>, message: &str) -> Option<String> {
    (!wrong.is_empty())
        .then(|| format!("{}: {}\n  message: {message}", case.name, wrong.join("; ")))
}

fn run_in_process(root: &Path, args: Vec<OsString>) -> (Option<i32>, String) {
    match catch_unwind(AssertUnwindSafe(|| xtask::cli::run(root, args))) {
        Ok(result) => (
            Some(i32::from(xtask::cli::exit_code(&result))),
            result.err().map(|e| e.to_string()).unwrap_or_default(),
        ),
        Err(_) => (None, "panicked at (in-process)".into()),
    }
}

#[test]
fn every_bad_input_fails_cleanly_in_process() {
    let scratch = Scratch::new(CONFIG);
    scratch.write("inputs/base.yaml", BASE.as_bytes());
    let base = vec![
        "regen".into(),
        "--spec".into(),
        scratch.path("inputs/base.yaml").into(),
    ];
    let (status, message) = run_in_process(&scratch.root, base);
    assert_eq!(status, Some(0), "the base spec generates: {message}");
    let before = scratch.tree();
    assert!(
        before.contains_key("generated/src/resources/things.rs"),
        "the crate to protect was generated: {:?}",
        before.keys().collect::<Vec<_>>()
    );

    let cases = cases::all();
    let mut failures = Vec::new();
    for case in &cases {
        for (path, bytes) in &case.files {
            scratch.write(path, bytes);
        }
        let (status, message) = run_in_process(&scratch.root, arguments(case, &scratch));
        let mut wrong = judge(case, status, &message);
        let changed = differences(&before, &scratch.tree());
        if !changed.is_empty() {
            wrong.push(format!("the workspace changed: {changed:?}"));
        }
        failures.extend(report(case, wrong, &message));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(cases.len() >= 20, "cases went missing: {}", cases.len());
}

#[test]
fn every_bad_input_fails_cleanly_through_the_binary() {
    let real_generated = telnyx_tests::workspace_root().join("generated");
    let generated_before = tree(&real_generated);
    let scratch = Scratch::new(CONFIG);
    let out = scratch.path("out");
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in cases::all().iter().filter(|c| c.binary) {
        for (path, bytes) in &case.files {
            scratch.write(path, bytes);
        }
        let mut args = arguments(case, &scratch);
        // Whatever happens, the binary must not write into this checkout.
        if case.args[0] == "regen" {
            args.extend(["--out".into(), out.clone().into_os_string()]);
            if !case.args.contains(&"--config") {
                args.extend(["--config".into(), scratch.path("spec/sdk.yml").into()]);
            }
        }
        let output = Command::new(xtask_binary())
            .args(&args)
            .output()
            .expect("the xtask binary runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let mut wrong = judge(case, output.status.code(), &stderr);
        if !stderr.starts_with("error: ") {
            wrong.push("stderr does not start with `error: `".into());
        }
        if out.exists() {
            wrong.push(format!("{} was written", out.display()));
        }
        failures.extend(report(case, wrong, &stderr));
        ran += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(ran >= 20, "cases went missing: {ran}");
    assert_eq!(
        differences(&generated_before, &tree(&real_generated)),
        Vec::<String>::new(),
        "generated/ changed while bad input was fed to the binary"
    );
}

/// An entry for an operation the spec no longer has is a warning naming
/// it, so an older or newer spec still generates.
#[test]
fn a_stale_config_entry_is_a_warning_without_strict() {
    let scratch = Scratch::new(CONFIG);
    let stale = cases::all()
        .into_iter()
        .find(|c| c.name.starts_with("config entry matching no operation"))
        .expect("the --strict case");
    for (path, bytes) in &stale.files {
        scratch.write(path, bytes);
    }
    let out = scratch.path("out");
    let args: Vec<OsString> = arguments(&stale, &scratch)
        .into_iter()
        .filter(|arg| arg != "--strict")
        .chain(["--out".into(), out.clone().into_os_string()])
        .collect();
    let output = Command::new(xtask_binary())
        .args(&args)
        .output()
        .expect("the xtask binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "warning: #: {}: resources.things.delete = `delete /things/{{thing_id}}` matches no \
             operation of this spec; update or remove it (--strict makes this an error)",
            scratch.path("inputs/stale.sdk.yml").display()
        )),
        "{stderr}"
    );
    assert!(out.join("src/resources/things.rs").exists());
}

/// The `xtask` binary of this checkout, built on first use (the test crate
/// depends on the library only) and linked at once: the target directory's
/// copy is replaced whenever anything builds the binary again.
fn xtask_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .current_dir(telnyx_tests::workspace_root())
            .args(["build", "--quiet", "--package", "xtask", "--bin", "xtask"])
            .arg("--message-format=json")
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "building xtask failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let built = String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|message| message["target"]["name"] == "xtask")
            .find_map(|message| message["executable"].as_str().map(PathBuf::from))
            .expect("cargo reports the xtask executable");
        // A hard link keeps this build's file even when cargo replaces the
        // original; earlier runs' links are removed first.
        let dir = built.parent().expect("a file in a directory");
        for entry in std::fs::read_dir(dir)
            .expect("the target directory")
            .flatten()
        {
            if entry.file_name().to_string_lossy().starts_with(LINK_PREFIX) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        let link = dir.join(format!("{LINK_PREFIX}{}", std::process::id()));
        std::fs::hard_link(&built, &link).expect("the binary can be linked");
        link
    })
}

const LINK_PREFIX: &str = "bad-input-xtask-";
