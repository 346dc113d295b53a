//! Prism, Stoplight's OpenAPI mock server: the pinned install under
//! `.tools/prism/` and a running `prism mock` that validates every request
//! against the spec.

use super::group::{interrupted, interrupted_error, Group};
use super::port::{answers_http, free_port};
use crate::diag::{Error, Result};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The npm package and its pinned version. 5.14.2 is the newest 5.x whose
/// `engines` accepts Node 18–23 (5.15 and later require Node 24, and CI has
/// Node 20); bump both constants and the README together.
pub const PACKAGE: &str = "@stoplight/prism-cli";
pub const VERSION: &str = "5.14.2";
/// The oldest Node.js major the pinned Prism supports (`engines.node`).
const MIN_NODE_MAJOR: u32 = 18;

/// Where Prism is installed, relative to the workspace root (git-ignored).
pub const TOOLS_DIR: &str = ".tools/prism";

/// Prism parses the whole spec (several MB) before it listens; 6 s on the
/// pinned spec here, far more on a loaded machine.
const STARTUP_DEADLINE: Duration = Duration::from_secs(120);

/// Attempts with a fresh port when another process took the free port first.
const PORT_ATTEMPTS: usize = 3;

const NODE_HINT: &str = "`cargo xtask conformance` runs the Prism mock server, an npm package \
    that needs Node.js 18 or later and npm on PATH. Install them (Debian/Ubuntu: `apt-get install \
    nodejs npm`, or any Node.js 18+ distribution) and run the command again.";

/// Makes sure `.tools/prism` holds Prism [`VERSION`], installing it with npm
/// when it is missing or another version; returns the `prism` executable.
pub fn ensure_installed(root: &Path, log_dir: &Path) -> Result<PathBuf> {
    check_node()?;
    let dir = root.join(TOOLS_DIR);
    let bin = dir.join("node_modules/.bin/prism");
    if installed_version(&bin).as_deref() == Some(VERSION) {
        println!("conformance: Prism {VERSION} ({TOOLS_DIR})");
        return Ok(bin);
    }
    tool_version("npm")?;
    println!("conformance: installing {PACKAGE}@{VERSION} into {TOOLS_DIR} with npm");
    let started = Instant::now();
    let log_path = log_dir.join("npm-install.log");
    let log = create_log(&log_path)?;
    let mut command = Command::new("npm");
    command
        .arg("install")
        .arg("--prefix")
        .arg(&dir)
        .args(["--no-audit", "--no-fund", "--save-exact"])
        .arg(format!("{PACKAGE}@{VERSION}"))
        // Prism depends on @scarf/scarf, whose install script reports home.
        .env("SCARF_ANALYTICS", "false")
        .stdin(Stdio::null())
        .stdout(clone_log(&log, &log_path)?)
        .stderr(log);
    let status = Group::spawn("npm install", &mut command)?.wait()?;
    if !status.success() {
        return Err(Error::Conformance(format!(
            "`npm install {PACKAGE}@{VERSION}` into {TOOLS_DIR} failed ({status}); its log, \
             {}, ends with:\n{}\nhint: npm needs the npm registry to be reachable; delete \
             {TOOLS_DIR} and try again.",
            log_path.display(),
            tail(&log_path, 20)
        )));
    }
    match installed_version(&bin) {
        Some(version) if version == VERSION => {
            println!(
                "conformance: installed Prism {VERSION} in {:.1?}",
                started.elapsed()
            );
            Ok(bin)
        }
        other => Err(Error::Conformance(format!(
            "after `npm install`, {} reports version {} instead of {VERSION}; delete {TOOLS_DIR} \
             and run the command again",
            bin.display(),
            other.as_deref().unwrap_or("nothing")
        ))),
    }
}

/// Checks that `node` runs and is new enough for the pinned Prism.
fn check_node() -> Result<()> {
    let version = tool_version("node")?;
    match parse_node_major(&version) {
        Some(major) if major >= MIN_NODE_MAJOR => Ok(()),
        _ => Err(Error::Conformance(format!(
            "`node --version` printed `{}`, but Prism {VERSION} needs Node.js {MIN_NODE_MAJOR} \
             or later. {NODE_HINT}",
            version.trim()
        ))),
    }
}

/// Runs `tool --version`; a missing tool is an error that says how to get it.
fn tool_version(tool: &str) -> Result<String> {
    let output = Command::new(tool)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                Error::Conformance(format!("`{tool}` was not found on PATH. {NODE_HINT}"))
            }
            _ => Error::Conformance(format!("cannot run `{tool} --version`: {e}. {NODE_HINT}")),
        })?;
    if !output.status.success() {
        return Err(Error::Conformance(format!(
            "`{tool} --version` failed ({}): {}. {NODE_HINT}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The version `prism --version` reports, or `None` when it is not
/// installed or does not run.
fn installed_version(bin: &Path) -> Option<String> {
    if !bin.exists() {
        return None;
    }
    let output = Command::new(bin)
        .arg("--version")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    parse_version(&String::from_utf8_lossy(&output.stdout)).map(str::to_string)
}

/// The version in `prism --version` output: its last non-empty line, when
/// that looks like `MAJOR.MINOR.PATCH` (node may print warnings first).
pub fn parse_version(stdout: &str) -> Option<&str> {
    let line = stdout.lines().map(str::trim).rfind(|l| !l.is_empty())?;
    let mut parts = line.splitn(3, '.');
    let (major, minor, rest) = (parts.next()?, parts.next()?, parts.next()?);
    let patch = rest.split(['-', '+']).next()?;
    let numeric = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    [major, minor, patch]
        .into_iter()
        .all(numeric)
        .then_some(line)
}

/// The major version in `node --version` output (`v20.20.2` → 20).
pub fn parse_node_major(stdout: &str) -> Option<u32> {
    stdout
        .trim()
        .strip_prefix('v')?
        .split('.')
        .next()?
        .parse()
        .ok()
}

/// A running `prism mock`; dropping it stops Prism and everything it started.
pub struct Prism {
    _group: Group,
    pub port: u16,
    pub log: PathBuf,
    /// From spawn until it first answered HTTP.
    pub startup: Duration,
}

impl Prism {
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// How a Prism answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `--errors`: from the spec's examples, refusing (500) an answer that
    /// breaks the spec's own schema.
    Validating,
    /// `--dynamic --seed`: from values generated from the schema, the same
    /// ones on every run; for the operations whose examples break their
    /// schema (`conformance.generated_responses` in `spec/sdk.yml`).
    Generating,
}

impl Mode {
    fn args(self) -> &'static [&'static str] {
        match self {
            Mode::Validating => &["--errors"],
            Mode::Generating => &["--dynamic", "--seed", "telnyx-conformance"],
        }
    }
}

/// Starts a validating and a generating Prism at once (each parses the
/// spec on a core of its own) and waits until both answer.
pub fn start_both(bin: &Path, spec: &Path, logs: [&Path; 2]) -> Result<(Prism, Prism)> {
    std::thread::scope(|scope| {
        let generating = scope.spawn(|| start(bin, spec, logs[1], Mode::Generating));
        let validating = start(bin, spec, logs[0], Mode::Validating);
        let generating = generating
            .join()
            .unwrap_or_else(|_| Err(Error::Conformance("starting Prism panicked".into())));
        Ok((validating?, generating?))
    })
}

/// Starts `prism mock SPEC` in `mode` on a free port of 127.0.0.1, logging
/// to `log`, and waits until it answers HTTP.
///
/// Prism always validates requests in mock mode: a request that breaks the
/// spec (path, parameters, headers, body, security) gets the operation's
/// 422/400/401 response (or one Prism makes up) and an `sl-violations`
/// header, so a client sending a wrong request fails its test. `--errors`
/// adds the other direction: when the response Prism is about to send breaks
/// its own schema, it answers 500 `VIOLATIONS` instead, so a mock the client
/// decoded was one the spec allows.
pub fn start(bin: &Path, spec: &Path, log: &Path, mode: Mode) -> Result<Prism> {
    for attempt in 1..=PORT_ATTEMPTS {
        let port = free_port().map_err(|e| {
            Error::Conformance(format!("cannot find a free port on 127.0.0.1: {e}"))
        })?;
        match start_on(bin, spec, log, port, mode)? {
            Some(prism) => return Ok(prism),
            None if attempt < PORT_ATTEMPTS => {
                eprintln!("conformance: port {port} was taken before Prism bound it; retrying")
            }
            None => break,
        }
    }
    Err(Error::Conformance(format!(
        "Prism could not bind a free port in {PORT_ATTEMPTS} attempts; see {}",
        log.display()
    )))
}

/// Starts Prism on `port`; `None` when the port turned out to be in use.
fn start_on(
    bin: &Path,
    spec: &Path,
    log_path: &Path,
    port: u16,
    mode: Mode,
) -> Result<Option<Prism>> {
    let log = create_log(log_path)?;
    let mut command = Command::new(bin);
    command
        .arg("mock")
        .arg(spec)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(mode.args())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(clone_log(&log, log_path)?)
        .stderr(log);
    let started = Instant::now();
    let mut group = Group::spawn("Prism", &mut command)?;
    loop {
        if interrupted() {
            return Err(interrupted_error());
        }
        if let Some(status) = group.try_wait() {
            let text = std::fs::read_to_string(log_path).unwrap_or_default();
            if text.contains("EADDRINUSE") {
                return Ok(None);
            }
            return Err(Error::Conformance(format!(
                "Prism exited ({status}) before it listened on port {port}; its log, {}, ends \
                 with:\n{}\nhint: the spec {} must be an OpenAPI document Prism can parse.",
                log_path.display(),
                tail(log_path, 30),
                spec.display()
            )));
        }
        if answers_http(port) {
            return Ok(Some(Prism {
                _group: group,
                port,
                log: log_path.to_path_buf(),
                startup: started.elapsed(),
            }));
        }
        if started.elapsed() > STARTUP_DEADLINE {
            return Err(Error::Conformance(format!(
                "Prism did not answer on port {port} within {STARTUP_DEADLINE:?}; its log, {}, \
                 ends with:\n{}",
                log_path.display(),
                tail(log_path, 30)
            )));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn create_log(path: &Path) -> Result<File> {
    File::create(path).map_err(|source| Error::Write {
        path: path.to_path_buf(),
        source,
    })
}

fn clone_log(file: &File, path: &Path) -> Result<File> {
    file.try_clone().map_err(|source| Error::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// The last `lines` lines of the log at `path`, indented, for error output.
pub fn tail(path: &Path, lines: usize) -> String {
    let text = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => return format!("  | (cannot read {}: {e})", path.display()),
    };
    let all: Vec<&str> = text.lines().collect();
    let start = all.len().saturating_sub(lines);
    let shown: Vec<String> = all[start..].iter().map(|l| format!("  | {l}")).collect();
    if shown.is_empty() {
        "  | (empty)".to_string()
    } else {
        shown.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prism_versions_are_read_from_the_last_line() {
        assert_eq!(parse_version("5.14.2\n"), Some("5.14.2"));
        assert_eq!(
            parse_version("(node:1) Warning: something\n5.14.2\n\n"),
            Some("5.14.2")
        );
        assert_eq!(parse_version("5.15.0-beta.1"), Some("5.15.0-beta.1"));
        assert_eq!(parse_version("prism: command not found"), None);
        assert_eq!(parse_version("5.14"), None);
        assert_eq!(parse_version(""), None);
    }

    #[test]
    fn node_majors() {
        assert_eq!(parse_node_major("v20.20.2\n"), Some(20));
        assert_eq!(parse_node_major("v18.0.0"), Some(18));
        assert_eq!(parse_node_major("20.1.0"), None);
        assert_eq!(parse_node_major("vx"), None);
    }

    #[test]
    fn the_pinned_version_parses() {
        assert_eq!(parse_version(VERSION), Some(VERSION));
    }

    #[test]
    fn tail_keeps_the_last_lines() {
        let path = std::env::temp_dir().join(format!("xtask-tail-{}.log", std::process::id()));
        std::fs::write(&path, "a\nb\nc\n").unwrap();
        assert_eq!(tail(&path, 2), "  | b\n  | c");
        std::fs::remove_file(&path).unwrap();
        assert!(tail(&path, 2).contains("cannot read"));
    }
}
