//! Running the official Python SDK from a test: one process per test, JSON
//! in on stdin and out on stdout. A missing interpreter fails the test with
//! the command that creates it; it never skips.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

/// The interpreter with `tests/python/requirements.txt` installed:
/// `TELNYX_PYTHON`, else the workspace's `.venv`.
pub fn python() -> PathBuf {
    let python = match std::env::var_os("TELNYX_PYTHON") {
        Some(path) => PathBuf::from(path),
        None => telnyx_tests::workspace_root().join(".venv/bin/python"),
    };
    assert!(
        python.exists(),
        "no Python with the Telnyx SDK at {}: create it with \
         `python3 -m venv .venv && .venv/bin/pip install -r tests/python/requirements.txt` \
         in the workspace root (tests/run.sh does this), or point TELNYX_PYTHON at a Python \
         that has those packages",
        python.display()
    );
    python
}

/// Runs `tests/python/<script>` with `request` on stdin and returns the
/// JSON it prints.
pub fn run_script(script: &str, request: &Value) -> Value {
    let path = telnyx_tests::workspace_root()
        .join("tests/python")
        .join(script);
    let mut child = Command::new(python())
        .arg(&path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{} does not start: {e}", path.display()));
    let mut stdin = child.stdin.take().expect("stdin is piped");
    stdin
        .write_all(&serde_json::to_vec(request).unwrap())
        .expect("the request is written");
    drop(stdin);
    let output = child
        .wait_with_output()
        .expect("the Python process finishes");
    assert!(
        output.status.success(),
        "{} failed ({}); is tests/python/requirements.txt installed?\n{}",
        path.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "{} answered something other than JSON ({error}): {}",
            path.display(),
            String::from_utf8_lossy(&output.stdout)
        )
    })
}
