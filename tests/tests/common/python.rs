//! Running the official Python SDK from a test: one process per test, JSON
//! in on stdin and out on stdout, through the bench's runner so that tests
//! and bench find the same interpreter. A missing interpreter fails the
//! test with the command that creates it; it never skips.

use std::path::PathBuf;

use serde_json::Value;

/// The interpreter with `tests/python/requirements.txt` installed:
/// `TELNYX_PYTHON`, else the workspace's `.venv`.
pub fn python() -> PathBuf {
    xtask::bench::python::interpreter(telnyx_tests::workspace_root())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Runs `tests/python/<script>` with `request` on stdin and returns the
/// JSON it prints.
pub fn run_script(script: &str, request: &Value) -> Value {
    xtask::bench::python::run_script(telnyx_tests::workspace_root(), script, request)
        .unwrap_or_else(|e| panic!("{e}"))
}
