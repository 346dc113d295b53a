//! `cargo xtask <command>`: argument parsing and the commands' flow; the
//! help texts are in [`help`].

pub mod help;

use crate::diag::{Error, Result};
use crate::emit::Templates;
use crate::naming::SdkConfig;
use crate::pin::Pin;
use crate::pipeline::{generate, Options};
use crate::{fetch, write};
use lexopt::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

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
    let mut parser = lexopt::Parser::from_args(args.clone());
    let command = match parser.next().map_err(|e| usage(None, e))? {
        Some(Value(command)) => command.string().map_err(|e| usage(None, e))?,
        Some(Long("help") | Short('h')) => {
            print!("{}", help::overview());
            return Ok(Outcome::Done);
        }
        None => {
            return Err(Error::Usage(format!(
                "no command given\n{}",
                help::usage(None)
            )))
        }
        Some(other) => return Err(usage(None, other.unexpected())),
    };
    if command == "help" {
        return help_command(&mut parser);
    }
    let Some(found) = help::find(&command) else {
        return Err(Error::Usage(format!(
            "unknown command `{command}`\n{}",
            help::usage(None)
        )));
    };
    if asks_for_help(&args[1..]) {
        print!("{}", help::command(found));
        return Ok(Outcome::Done);
    }
    let usage = |e: lexopt::Error| usage(Some(found.name), e);
    match found.name {
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
        other => unreachable!("`{other}` has help but no handler"),
    }
}

/// `--help` or `-h` among a command's arguments, before a `--` (what
/// follows it goes to the conformance suite).
fn asks_for_help(args: &[std::ffi::OsString]) -> bool {
    args.iter()
        .take_while(|arg| *arg != "--")
        .any(|arg| arg == "--help" || arg == "-h")
}

/// `cargo xtask help [COMMAND]`.
fn help_command(parser: &mut lexopt::Parser) -> Result<Outcome> {
    match parser.next().map_err(|e| usage(None, e))? {
        None => print!("{}", help::overview()),
        Some(Value(name)) => {
            let name = name.string().map_err(|e| usage(None, e))?;
            match help::find(&name) {
                Some(found) => print!("{}", help::command(found)),
                None => {
                    return Err(Error::Usage(format!(
                        "unknown command `{name}`\n{}",
                        help::usage(None)
                    )))
                }
            }
        }
        Some(other) => return Err(usage(None, other.unexpected())),
    }
    Ok(Outcome::Done)
}

/// A usage error: what was wrong, then the usage of `command` (or of
/// `cargo xtask` itself).
fn usage(command: Option<&str>, e: lexopt::Error) -> Error {
    Error::Usage(format!("{e}\n{}", help::usage(command)))
}

fn path_value(parser: &mut lexopt::Parser, command: &str) -> Result<PathBuf> {
    Ok(PathBuf::from(
        parser.value().map_err(|e| usage(Some(command), e))?,
    ))
}

fn fetch_spec(root: &Path, parser: &mut lexopt::Parser) -> Result<Outcome> {
    let usage = |e: lexopt::Error| usage(Some("fetch-spec"), e);
    let mut from = None;
    while let Some(arg) = parser.next().map_err(usage)? {
        match arg {
            Long("from") => from = Some(path_value(parser, "fetch-spec")?),
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
    let usage = |e: lexopt::Error| usage(Some("regen"), e);
    let mut args = RegenArgs {
        spec: None,
        out: None,
        config: None,
        check: false,
        strict: false,
    };
    while let Some(arg) = parser.next().map_err(usage)? {
        match arg {
            Long("spec") => args.spec = Some(path_value(parser, "regen")?),
            Long("out") => args.out = Some(path_value(parser, "regen")?),
            Long("config") => args.config = Some(path_value(parser, "regen")?),
            Long("check") => args.check = true,
            Long("strict") => args.strict = true,
            other => return Err(usage(other.unexpected())),
        }
    }
    let started = Instant::now();
    let (spec_path, bytes) = match &args.spec {
        None => fetch::read_or_fetch_pinned_spec(root)?,
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
    let usage = |e: lexopt::Error| usage(Some("bench"), e);
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
    let spec = fetch::pinned_spec_path_or_fetch(root)?;
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
