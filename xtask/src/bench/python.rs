//! Running a script of `tests/python` with the interpreter that has the
//! official Telnyx SDK installed: JSON in on stdin, JSON out on stdout.
//! The bench and the tests that compare with the SDK both run it through
//! here. Without that interpreter they fail and say how to create it: a
//! report with the Python figures silently left out would look complete,
//! and a skipped cross-check would look passed.

use crate::diag::{Error, Result};
use serde_json::Value;
use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// `TELNYX_PYTHON`, else the workspace's `.venv`.
pub fn interpreter(root: &Path) -> Result<PathBuf> {
    find_interpreter(root, std::env::var_os("TELNYX_PYTHON"))
}

fn find_interpreter(root: &Path, configured: Option<OsString>) -> Result<PathBuf> {
    let (python, from) = match configured {
        Some(path) => (PathBuf::from(path), "TELNYX_PYTHON"),
        None => (root.join(".venv/bin/python"), "the default"),
    };
    if python.is_file() {
        return Ok(python);
    }
    Err(Error::Bench(format!(
        "no Python with the Telnyx SDK at {} ({from}): the request benchmarks and the \
         SDK cross-check tests compare against the official Python SDK. Create it with \
         `python3 -m venv .venv && .venv/bin/pip install -r tests/python/requirements.txt` \
         in the workspace root (tests/run.sh does this), or point TELNYX_PYTHON at a Python \
         that has those packages",
        python.display()
    )))
}

/// Runs `tests/python/<script>` with `input` on stdin and returns the JSON
/// it prints.
pub fn run_script(root: &Path, script: &str, input: &Value) -> Result<Value> {
    let python = interpreter(root)?;
    let path = root.join("tests/python").join(script);
    let failed = |what: String| Error::Bench(format!("{}: {what}", path.display()));
    let mut child = Command::new(&python)
        .arg(&path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed(format!("{} does not start: {e}", python.display())))?;
    let written = child
        .stdin
        .take()
        .map(|mut stdin| stdin.write_all(input.to_string().as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| failed(format!("did not finish: {e}")))?;
    if !output.status.success() {
        return Err(failed(format!(
            "failed ({}); is tests/python/requirements.txt installed in {}?\n{}",
            output.status,
            python.display(),
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    if let Some(Err(e)) = written {
        return Err(failed(format!("could not be given its input: {e}")));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| {
        failed(format!(
            "printed something other than JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_interpreter_fails_with_the_command_that_creates_it() {
        let root = Path::new("/nonexistent-workspace");
        let message = find_interpreter(root, None).unwrap_err().to_string();
        assert!(
            message.contains("/nonexistent-workspace/.venv/bin/python"),
            "{message}"
        );
        assert!(
            message.contains("pip install -r tests/python/requirements.txt"),
            "{message}"
        );
        let configured = Some(OsString::from("/nonexistent/python3"));
        let message = find_interpreter(root, configured).unwrap_err().to_string();
        assert!(
            message.contains("/nonexistent/python3 (TELNYX_PYTHON)"),
            "{message}"
        );
    }

    #[test]
    fn a_configured_interpreter_that_exists_is_used() {
        let sh = PathBuf::from("/bin/sh");
        let found = find_interpreter(Path::new("/"), Some(sh.clone().into_os_string()));
        assert_eq!(found.unwrap(), sh);
    }
}
