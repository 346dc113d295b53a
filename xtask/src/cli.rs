//! `cargo xtask <command>`: argument parsing and the commands' flow.

use crate::diag::{Error, Result};
use crate::emit::Templates;
use crate::naming::SdkConfig;
use crate::pin::Pin;
use crate::pipeline::{generate, Options};
use crate::{fetch, write};
use lexopt::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  fetch-spec [--from PATH]    fetch the pinned spec (HTTPS, or copy PATH), verifying its sha256
  pin --commit COMMIT --from PATH
                              move the pin (spec/upstream.yml) to COMMIT with the sha256
                              of PATH (that commit's spec file) and install PATH as the spec
  regen [--spec PATH] [--out DIR] [--config PATH] [--check] [--strict]
                              generate the client crate into generated/ (or DIR);
                              --config: the SDK naming config (default spec/sdk.yml);
                              --check writes nothing and fails when generated/ is stale;
                              --strict: warnings about the spec and config entries that
                              match no operation are errors
  bench [--runs N] [--quick] [--only build]
                              time regen and the crate's benches against their
                              floors and write BENCHMARKS.md (--quick: a short
                              smoke run that writes nothing; --only build: the
                              build section alone, printed, nothing written)
  conformance [--spec PATH] [-- TEST-ARGS...]
                              run generated/tests/conformance.rs against the Prism
                              mock of the pinned spec (or PATH); installs Prism into
                              .tools/prism with npm; TEST-ARGS go to the test binary
  check-features [--jobs N] [FEATURE...]
                              cargo check the generated crate, warnings denied, without
                              default features, with them, and with each feature alone
                              (or only the FEATUREs named), on N parallel workers
  sdk-map [--check]           write spec/sdk_map.yml, the official Python SDK's call chain for
                              each endpoint, from the SDK in .venv (or TELNYX_PYTHON);
                              --check writes nothing and fails when the file is stale
  api-diff [--all-operations] OLD_SPEC NEW_SPEC | --against-generated NEW_SPEC
                              Markdown report of breaking/additive changes for callers
                              of the crate, then of the operations it does not emit and
                              the component schemas (--against-generated: OLD is the
                              pinned spec; --all-operations: report every operation as
                              emitted)
";

/// What a command asks the process to exit with.
pub enum Outcome {
    Done,
    /// `--check` found differences.
    Stale,
    /// A test suite the command ran failed (it printed why).
    Failed,
}

/// The process exit status for what [`run`] returned: 0 done, 1 stale or a
/// failed suite, 2 an error (bad input, usage, I/O).
pub fn exit_code(result: &Result<Outcome>) -> u8 {
    match result {
        Ok(Outcome::Done) => 0,
        Ok(Outcome::Stale | Outcome::Failed) => 1,
        Err(_) => 2,
    }
}

pub fn run(root: &Path, args: Vec<std::ffi::OsString>) -> Result<Outcome> {
    let mut parser = lexopt::Parser::from_args(args);
    let command = match parser.next().map_err(usage)? {
        Some(Value(command)) => command.string().map_err(usage)?,
        Some(Long("help") | Short('h')) | None => {
            print!("{USAGE}");
            return Ok(Outcome::Done);
        }
        Some(other) => return Err(usage(other.unexpected())),
    };
    match command.as_str() {
        "fetch-spec" => fetch_spec(root, &mut parser),
        "pin" => {
            let args = crate::pin::Args::parse(&mut parser).map_err(usage)?;
            crate::pin::run(root, &args)
        }
        "regen" => regen(root, &mut parser),
        "bench" => bench(root, &mut parser),
        "conformance" => {
            let args = crate::conformance::Args::parse(&mut parser).map_err(usage)?;
            crate::conformance::run(root, &args)
        }
        "check-features" => {
            let args = crate::check_features::Args::parse(&mut parser).map_err(usage)?;
            crate::check_features::run(root, &args)
        }
        "sdk-map" => {
            let mut check = false;
            while let Some(arg) = parser.next().map_err(usage)? {
                match arg {
                    Long("check") => check = true,
                    other => return Err(usage(other.unexpected())),
                }
            }
            crate::sdk_map::run(root, check)
        }
        "api-diff" => {
            let args = crate::diff::Args::parse(&mut parser).map_err(usage)?;
            crate::diff::run(root, &args)
        }
        other => Err(Error::Usage(format!("unknown command `{other}`\n{USAGE}"))),
    }
}

fn usage(e: lexopt::Error) -> Error {
    Error::Usage(format!("{e}\n{USAGE}"))
}

fn path_value(parser: &mut lexopt::Parser) -> Result<PathBuf> {
    Ok(PathBuf::from(parser.value().map_err(usage)?))
}

fn fetch_spec(root: &Path, parser: &mut lexopt::Parser) -> Result<Outcome> {
    let mut from = None;
    while let Some(arg) = parser.next().map_err(usage)? {
        match arg {
            Long("from") => from = Some(path_value(parser)?),
            other => return Err(usage(other.unexpected())),
        }
    }
    let pin = Pin::load(root)?;
    let written = fetch::fetch_spec(root, &pin, from.as_deref())?;
    println!(
        "spec {} (sha256 verified) → {}",
        pin.short_commit(),
        written.display()
    );
    Ok(Outcome::Done)
}

struct RegenArgs {
    spec: Option<PathBuf>,
    out: Option<PathBuf>,
    config: Option<PathBuf>,
    check: bool,
    strict: bool,
}

/// The `regen` that rewrites what `--check` compared: the same spec,
/// config and output directory, without `--check`.
fn fix_command(args: &RegenArgs) -> String {
    let mut command = String::from("cargo xtask regen");
    for (flag, path) in [
        ("--spec", &args.spec),
        ("--config", &args.config),
        ("--out", &args.out),
    ] {
        if let Some(path) = path {
            command.push_str(&format!(" {flag} {}", path.display()));
        }
    }
    command
}

fn regen(root: &Path, parser: &mut lexopt::Parser) -> Result<Outcome> {
    let mut args = RegenArgs {
        spec: None,
        out: None,
        config: None,
        check: false,
        strict: false,
    };
    while let Some(arg) = parser.next().map_err(usage)? {
        match arg {
            Long("spec") => args.spec = Some(path_value(parser)?),
            Long("out") => args.out = Some(path_value(parser)?),
            Long("config") => args.config = Some(path_value(parser)?),
            Long("check") => args.check = true,
            Long("strict") => args.strict = true,
            other => return Err(usage(other.unexpected())),
        }
    }
    let started = Instant::now();
    let (spec_path, bytes) = match &args.spec {
        None => crate::pin::read_pinned_spec(root)?,
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|source| Error::Read {
                path: path.clone(),
                source,
                hint: "\nhint: `--spec` takes the path of an OpenAPI 3.0 or 3.1 \
                    document (YAML or JSON); check the path and that the file is readable."
                    .to_string(),
            })?;
            (path.clone(), bytes)
        }
    };
    let config_path = args
        .config
        .clone()
        .unwrap_or_else(|| root.join("spec/sdk.yml"));
    let config = SdkConfig::load(&config_path)?;
    let templates = Templates::load(&root.join("templates"))?;
    let generated = generate(
        &bytes,
        &spec_path.display().to_string(),
        &config,
        &templates,
        &Options {
            strict: args.strict,
        },
    )?;
    for warning in &generated.api.warnings {
        eprintln!("{warning}");
    }
    println!("{}", generated.summary);
    let out = args.out.clone().unwrap_or_else(|| root.join("generated"));
    if args.check {
        let stale = write::stale_files(&out, &generated.files)?;
        if stale.is_empty() {
            println!(
                "{} is up to date ({} files)",
                out.display(),
                generated.files.len()
            );
            return Ok(Outcome::Done);
        }
        eprintln!("{} is stale; {} files differ:", out.display(), stale.len());
        for line in stale.iter().take(40) {
            eprintln!("  {line}");
        }
        eprintln!("fix: {}", fix_command(&args));
        return Ok(Outcome::Stale);
    }
    write::write_tree(&out, &generated.files)?;
    println!(
        "wrote {} files to {} in {:.2?}",
        generated.files.len(),
        out.display(),
        started.elapsed()
    );
    Ok(Outcome::Done)
}

fn bench(root: &Path, parser: &mut lexopt::Parser) -> Result<Outcome> {
    let mut settings = crate::bench::Settings {
        runs: 9,
        quick: false,
        only_build: false,
    };
    while let Some(arg) = parser.next().map_err(usage)? {
        match arg {
            Long("runs") => {
                settings.runs = parser.value().map_err(usage)?.parse().map_err(usage)?;
            }
            Long("quick") => settings.quick = true,
            Long("only") => {
                let section = parser.value().map_err(usage)?;
                if section != "build" {
                    return Err(usage("bench --only takes one section: build".into()));
                }
                settings.only_build = true;
            }
            other => return Err(usage(other.unexpected())),
        }
    }
    if settings.quick {
        settings.runs = 1;
    }
    settings.runs = settings.runs.max(1);
    let spec = crate::pin::pinned_spec_path(root)?;
    let report = crate::bench::run(root, &spec, &settings)?;
    if settings.only_build {
        print!("{report}");
        println!("bench --only build: nothing written");
        return Ok(Outcome::Done);
    }
    if settings.quick {
        // A smoke run's timings mean nothing, so none are shown.
        println!("bench --quick: every section ran; nothing written");
        return Ok(Outcome::Done);
    }
    let path = root.join("BENCHMARKS.md");
    std::fs::write(&path, &report).map_err(|source| Error::Write {
        path: path.clone(),
        source,
    })?;
    print!("{report}");
    Ok(Outcome::Done)
}
