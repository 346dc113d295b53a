//! The guides' snippets (`generated/tests/guides/`, one module per guide
//! in `generated/guides/`) run against the same Prism as the suite: each
//! snippet's request is validated and its response decoded, and each
//! webhook handler gets a signed delivery of every event it matches.
//!
//! The snippets print what they read, as a reader's copy would; that goes
//! to `target/conformance/guides.log`, while failures and the tally go to
//! the terminal.

use super::group::Group;
use crate::diag::{Error, Result};
use std::ffi::OsString;
use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// Where the snippets' own output goes, relative to the workspace root.
const LOG: &str = "target/conformance/guides.log";

/// After a failed build (cargo's JSON messages in `json_lines`), names the
/// guide and section of each error in a snippet.
pub(super) fn name_compile_errors(root: &Path, json_lines: &str) {
    let errors = compile_errors(json_lines);
    if errors.is_empty() {
        return;
    }
    eprintln!("conformance: the guides' snippets did not build");
    for (place, message) in errors {
        eprintln!("conformance: {} — {message}", section_of(root, &place));
    }
}

/// The compiler's messages as it would have printed them.
pub(super) fn rendered_messages(json_lines: &str) -> Vec<String> {
    json_lines
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|value| value["reason"] == "compiler-message")
        .filter_map(|value| value["message"]["rendered"].as_str().map(str::to_string))
        .collect()
}

/// Where a compile error is: a file of the crate and a line.
struct Place {
    file: String,
    line: usize,
}

/// Each error cargo reported in a snippet module, with its primary place:
/// `--message-format=json` lines, `compiler-message` with level `error`.
fn compile_errors(json_lines: &str) -> Vec<(Place, String)> {
    let mut errors = Vec::new();
    for line in json_lines.lines() {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let message = &value["message"];
        if value["reason"] != "compiler-message" || message["level"] != "error" {
            continue;
        }
        let spans = message["spans"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        let primary = spans.iter().find(|s| s["is_primary"] == true);
        let (Some(file), Some(line)) = (
            primary.and_then(|s| s["file_name"].as_str()),
            primary.and_then(|s| s["line_start"].as_u64()),
        ) else {
            continue;
        };
        if !file.contains("tests/guides/") {
            continue;
        }
        let text = message["message"].as_str().unwrap_or("error").to_string();
        errors.push((
            Place {
                file: file.to_string(),
                line: usize::try_from(line).unwrap_or(usize::MAX),
            },
            text,
        ));
    }
    errors
}

/// `guides/telnyx-voice.md § Answer call (file:line)`: the comment above
/// the snippet that holds the line, else the place alone.
fn section_of(root: &Path, place: &Place) -> String {
    let at = format!("{}:{}", place.file, place.line);
    let text = std::fs::read_to_string(root.join(&place.file)).unwrap_or_default();
    let section = text
        .lines()
        .take(place.line)
        .filter_map(|l| l.strip_prefix("// "))
        .filter(|l| l.contains(" § "))
        .last();
    match section {
        Some(section) => format!("{section} ({at})"),
        None => at,
    }
}

/// Runs every snippet (the runner at `executable`) against the mock at
/// `base_url`, or, for an operation whose spec examples break its schema,
/// the one at `generating_url`; `filter` (the suite's test arguments) keeps
/// the labels containing its first entry.
pub fn run(
    root: &Path,
    executable: &Path,
    [base_url, generating_url]: [&str; 2],
    api_key: &str,
    filter: &[OsString],
) -> Result<bool> {
    let log_path = root.join(LOG);
    let log = File::create(&log_path).map_err(|source| Error::Write {
        path: log_path.clone(),
        source,
    })?;
    let mut command = Command::new(executable);
    command
        .current_dir(root.join("generated"))
        .args(filter.first())
        .stdin(Stdio::null())
        .env("TELNYX_BASE_URL", base_url)
        .env("CONFORMANCE_GENERATING_BASE_URL", generating_url)
        .env("TELNYX_API_KEY", api_key)
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .stdout(log);
    let started = Instant::now();
    let status = Group::spawn("the guides' snippets", &mut command)?.wait()?;
    println!(
        "conformance: guides ran in {:.1?} (their output: {LOG})",
        started.elapsed()
    );
    Ok(status.success())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compile_errors_are_read_from_cargo_json_and_named_by_section() {
        let root = std::env::temp_dir().join(format!("guides-section-{}", std::process::id()));
        std::fs::create_dir_all(root.join("generated/tests/guides")).unwrap();
        std::fs::write(
            root.join("generated/tests/guides/telnyx_voice.rs"),
            "//! doc\n\n// guides/telnyx-voice.md § Setup\nfn connect() {}\n\n\
             // guides/telnyx-voice.md § Answer call\nasync fn answer_call() {\n    x();\n}\n",
        )
        .unwrap();
        let json = concat!(
            r#"{"reason":"compiler-artifact"}"#,
            "\n",
            r#"{"reason":"compiler-message","message":{"level":"warning","message":"w","spans":[]}}"#,
            "\n",
            r#"{"reason":"compiler-message","message":{"level":"error","message":"no method named `x`","#,
            r#""spans":[{"is_primary":true,"file_name":"generated/tests/guides/telnyx_voice.rs","line_start":8}]}}"#,
            "\nnot json\n",
        );
        let errors = compile_errors(json);
        assert_eq!(errors.len(), 1);
        assert!(
            rendered_messages(json).is_empty(),
            "the sample has no rendered text"
        );
        assert_eq!(errors[0].1, "no method named `x`");
        assert_eq!(
            section_of(&root, &errors[0].0),
            "guides/telnyx-voice.md § Answer call (generated/tests/guides/telnyx_voice.rs:8)"
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}
