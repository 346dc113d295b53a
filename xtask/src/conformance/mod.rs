//! `cargo xtask conformance`: runs the generated crate's conformance suite
//! (`generated/tests/conformance.rs`, every operation) against Prism
//! mocking the pinned spec, so each request the client builds is checked by
//! an independent implementation of the spec.
//!
//! Steps: install the pinned Prism ([`prism::ensure_installed`]), build the
//! suite ([`suite::build`]), start a validating and a generating Prism on
//! free ports ([`prism::start_both`]), run the suite with `TELNYX_BASE_URL`
//! and `CONFORMANCE_GENERATING_BASE_URL` pointing at them, stop both.
//! Every child runs in its own process group and is stopped on every path,
//! Ctrl-C included ([`group`]).

mod group;
mod guides;
mod port;
mod prism;
pub mod suite;

use crate::cli::Outcome;
use crate::diag::{Error, Result};
use group::Group;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The API key the suite sends; Prism only checks that one is present.
const API_KEY: &str = "conformance-test-key";

/// Where the suite lives, relative to the workspace root.
const SUITE: &str = "generated/tests/conformance.rs";

/// Where Prism's and npm's logs go, relative to the workspace root.
const LOG_DIR: &str = "target/conformance";

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Args {
    /// Mock this spec instead of the pinned one.
    pub spec: Option<PathBuf>,
    /// Passed to the test binary after `--` (a name filter, `--nocapture`).
    pub test_args: Vec<OsString>,
}

impl Args {
    /// `[--spec PATH] [-- TEST-ARGS...]`; free arguments go to the test
    /// binary too.
    pub fn parse(parser: &mut lexopt::Parser) -> Result<Args, lexopt::Error> {
        use lexopt::prelude::*;
        let mut args = Args::default();
        while let Some(arg) = parser.next()? {
            match arg {
                Long("spec") => args.spec = Some(PathBuf::from(parser.value()?)),
                Value(value) => args.test_args.push(value),
                other => return Err(other.unexpected()),
            }
        }
        Ok(args)
    }
}

pub fn run(root: &Path, args: &Args) -> Result<Outcome> {
    group::install_signal_handler()?;
    let spec = spec_path(root, args)?;
    if !root.join(SUITE).is_file() {
        return Err(Error::Conformance(format!(
            "{SUITE} is missing: the conformance suite is generated with the crate. Run \
             `cargo xtask regen` and try again."
        )));
    }
    let log_dir = root.join(LOG_DIR);
    std::fs::create_dir_all(&log_dir).map_err(|source| Error::Write {
        path: log_dir.clone(),
        source,
    })?;
    let bin = prism::ensure_installed(root, &log_dir)?;

    // Build before Prism starts, so a compile error shows without a server
    // to clean up and the timing below is Prism's alone.
    println!(
        "conformance: building the suite ({})",
        suite::build_command()
    );
    let started = Instant::now();
    let Some(built) = suite::build(root)? else {
        eprintln!("conformance: the suite or the guides did not build");
        return Ok(Outcome::Failed);
    };
    println!(
        "conformance: suite and guides built in {:.1?}",
        started.elapsed()
    );

    let (prism, generating) = prism::start_both(
        &bin,
        &spec,
        [
            &log_dir.join("prism.log"),
            &log_dir.join("prism-generating.log"),
        ],
    )?;
    println!(
        "conformance: Prism {} mocks {} at {} and, answering from the schema, at {} (ready in \
         {:.1?} and {:.1?}; logs: {}, {})",
        prism::VERSION,
        spec.display(),
        prism.base_url(),
        generating.base_url(),
        prism.startup,
        generating.startup,
        display_relative(root, &prism.log),
        display_relative(root, &generating.log)
    );

    let started = Instant::now();
    let mut command = Command::new(&built.suite);
    command
        .current_dir(root.join("generated"))
        .args(&args.test_args)
        .stdin(Stdio::null())
        .env("TELNYX_BASE_URL", prism.base_url())
        .env("CONFORMANCE_GENERATING_BASE_URL", generating.base_url())
        .env("TELNYX_API_KEY", API_KEY)
        .env("NO_PROXY", no_proxy(std::env::var_os("NO_PROXY")))
        .env("no_proxy", no_proxy(std::env::var_os("no_proxy")));
    let status = Group::spawn("the conformance suite", &mut command)?.wait()?;
    let guides_passed = guides::run(
        root,
        &built.guides,
        [&prism.base_url(), &generating.base_url()],
        API_KEY,
        &args.test_args,
    )?;
    let log = prism.log.clone();
    drop((prism, generating));
    if status.success() && guides_passed {
        println!(
            "conformance: suite passed in {:.1?}; Prism stopped",
            started.elapsed()
        );
        return Ok(Outcome::Done);
    }
    let failed = match (status.success(), guides_passed) {
        (false, false) => format!("the suite ({status}) and the guides' snippets failed"),
        (false, true) => format!("the suite failed ({status})"),
        _ => "the guides' snippets failed".to_string(),
    };
    eprintln!(
        "conformance: {failed}; Prism stopped. The end of its log, {}:\n{}",
        display_relative(root, &log),
        prism::tail(&log, 20)
    );
    Ok(Outcome::Failed)
}

/// The spec to mock: `--spec`, else the pinned one (fetched when absent).
fn spec_path(root: &Path, args: &Args) -> Result<PathBuf> {
    if let Some(spec) = &args.spec {
        return match std::fs::metadata(spec) {
            Ok(_) => Ok(std::path::absolute(spec).unwrap_or_else(|_| spec.clone())),
            Err(source) => Err(crate::diag::read_error(spec, source)),
        };
    }
    crate::fetch::pinned_spec_path_or_fetch(root)
}

/// `NO_PROXY` with the mock's address added, so a proxy configured in the
/// environment does not intercept requests to 127.0.0.1.
fn no_proxy(existing: Option<OsString>) -> OsString {
    match existing {
        Some(list) if !list.is_empty() => {
            let mut list = list;
            list.push(OsStr::new(",127.0.0.1,localhost"));
            list
        }
        _ => OsString::from("127.0.0.1,localhost"),
    }
}

fn display_relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Args, lexopt::Error> {
        Args::parse(&mut lexopt::Parser::from_args(args.iter().copied()))
    }

    #[test]
    fn arguments() {
        assert_eq!(parse(&[]).unwrap(), Args::default());
        let args = parse(&["--spec", "other.yml", "--", "calls::dial", "--exact"]).unwrap();
        assert_eq!(args.spec, Some(PathBuf::from("other.yml")));
        assert_eq!(args.test_args, ["calls::dial", "--exact"]);
        assert_eq!(parse(&["dial"]).unwrap().test_args, ["dial"]);
        assert!(parse(&["--nocapture"]).is_err(), "test flags go after --");
        assert!(parse(&["--spec"]).is_err());
    }

    #[test]
    fn no_proxy_keeps_the_existing_list() {
        assert_eq!(no_proxy(None), "127.0.0.1,localhost");
        assert_eq!(no_proxy(Some("".into())), "127.0.0.1,localhost");
        assert_eq!(
            no_proxy(Some("corp.example".into())),
            "corp.example,127.0.0.1,localhost"
        );
    }
}
