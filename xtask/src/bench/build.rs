//! How long the generated crate takes to compile, next to telnyx-rs 0.1
//! built the same way in the same run: cold (its own artifacts removed,
//! dependencies already built), with the default features and with `full`,
//! and incremental under `full` (one resource file touched). Each build is
//! timed as a child process with its wall time, CPU time and peak memory
//! from `wait4`; a target missed is explained by `-Z time-passes` of that
//! build.
//!
//! The builds use their own target directories, so they neither wipe the
//! workspace's build nor wait on its lock, and the touched file gets its
//! modification time back, so the workspace's own target does not rebuild
//! the crate because of the bench.

use super::child::{self, Run};
use super::peer;
use super::stats::Samples;
use super::time_passes;
use crate::diag::{Error, Result};
use crate::emit::CRATE_NAME;
use std::fmt::Write as _;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

/// A file every operation module of a resource sits beside; touching it
/// recompiles the crate the way editing one resource does.
const TOUCHED: &str = "generated/src/resources/queues/mod.rs";
/// Cold dev build, default features: wall seconds, and times telnyx-rs.
const DEFAULT_SECONDS: f64 = 10.0;
const DEFAULT_PEER_RATIO: f64 = 2.0;
/// Cold dev build of `full`: wall seconds, and the largest process's
/// resident set, GiB.
const FULL_SECONDS: f64 = 90.0;
const FULL_GIB: f64 = 3.0;
/// Incremental dev build of `full`: wall seconds.
const INCREMENTAL_SECONDS: f64 = 5.0;
/// Passes a missed target's reason names.
const PASSES_NAMED: usize = 6;

#[derive(Clone, Copy)]
enum Profile {
    Dev,
    Release,
}

impl Profile {
    fn name(self) -> &'static str {
        match self {
            Profile::Dev => "dev",
            Profile::Release => "release",
        }
    }

    fn args(self) -> &'static [&'static str] {
        match self {
            Profile::Dev => &[],
            Profile::Release => &["--release"],
        }
    }
}

/// One package built with one feature set, in its own target directory.
struct Builder {
    manifest: PathBuf,
    package: String,
    /// Passed to `cargo build` and `cargo rustc`, not to `cargo clean`.
    feature_args: Vec<String>,
    target_dir: PathBuf,
    log: PathBuf,
}

impl Builder {
    fn cargo(&self, verb: &str, profile: Profile) -> Result<Command> {
        let log = File::create(&self.log).map_err(|source| Error::Write {
            path: self.log.clone(),
            source,
        })?;
        let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        command
            .arg(verb)
            .arg("--manifest-path")
            .arg(&self.manifest)
            .args(["-p", &self.package, "--target-dir"])
            .arg(&self.target_dir)
            .args(profile.args());
        if verb != "clean" {
            command.args(&self.feature_args);
        }
        command
            // CI turns these down to save disk; the timings are of the
            // crate's own profiles.
            .env_remove("CARGO_INCREMENTAL")
            .env_remove("CARGO_PROFILE_DEV_DEBUG")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log);
        Ok(command)
    }

    fn run(&self, verb: &str, profile: Profile) -> Result<Run> {
        let mut command = self.cargo(verb, profile)?;
        let run = child::timed(&mut command).map_err(|e| {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(20).collect::<Vec<_>>();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            Error::Bench(format!(
                "`cargo {verb} -p {} {}` ({}): {e}\n{}",
                self.package,
                self.feature_args.join(" "),
                profile.name(),
                tail.join("\n")
            ))
        })?;
        Ok(run)
    }

    fn cold(&self, profile: Profile) -> Result<Run> {
        self.run("clean", profile)?;
        self.run("build", profile)
    }

    fn incremental(&self, profile: Profile, touched: &mut Touched) -> Result<Run> {
        touched.touch()?;
        self.run("build", profile)
    }

    /// A cold dev build without incremental caches under `-Z time-passes`:
    /// where its time and memory go.
    fn time_passes(&self) -> Result<String> {
        self.run("clean", Profile::Dev)?;
        let mut command = self.cargo("rustc", Profile::Dev)?;
        command
            .args(["--lib", "--", "-Z", "time-passes"])
            .env("RUSTC_BOOTSTRAP", "1")
            .env("CARGO_INCREMENTAL", "0");
        child::timed(&mut command)
            .map_err(|e| Error::Bench(format!("`cargo rustc -- -Z time-passes`: {e}")))?;
        let log = std::fs::read_to_string(&self.log).map_err(|source| Error::Write {
            path: self.log.clone(),
            source,
        })?;
        // The next build must not reuse the artifacts of a differently
        // flagged one.
        self.run("clean", Profile::Dev)?;
        Ok(time_passes::summary(
            &time_passes::parse(&log),
            PASSES_NAMED,
        ))
    }
}

fn set_modified(path: &Path, time: SystemTime) -> Result<()> {
    File::options()
        .write(true)
        .open(path)
        .and_then(|file| file.set_modified(time))
        .map_err(|source| Error::Write {
            path: path.to_path_buf(),
            source,
        })
}

fn modified(path: &Path) -> Result<SystemTime> {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map_err(|e| Error::Bench(format!("{}: {e}", path.display())))
}

/// The file the incremental builds touch. Dropping it gives the file its
/// modification time back, unless someone changed the file since the last
/// touch: then its new time must stay so that builds see the change.
struct Touched {
    path: PathBuf,
    original: SystemTime,
    last_touch: Option<SystemTime>,
}

impl Touched {
    fn new(path: PathBuf) -> Result<Self> {
        Ok(Self {
            original: modified(&path)?,
            path,
            last_touch: None,
        })
    }

    fn touch(&mut self) -> Result<()> {
        let now = SystemTime::now();
        set_modified(&self.path, now)?;
        self.last_touch = Some(now);
        Ok(())
    }
}

impl Drop for Touched {
    fn drop(&mut self) {
        if self.last_touch.is_some() && modified(&self.path).ok() == self.last_touch {
            let _ = set_modified(&self.path, self.original);
        }
    }
}

struct Figure {
    name: String,
    wall: Samples,
    cpu: Samples,
    /// MiB.
    memory: Samples,
}

impl Figure {
    fn new(name: &str, runs: &[Run]) -> Result<Self> {
        let samples = |value: fn(&Run) -> f64| {
            Samples::new(runs.iter().map(value).collect())
                .ok_or_else(|| Error::Bench(format!("no build timed for {name}")))
        };
        Ok(Self {
            wall: samples(|r| r.wall.as_secs_f64())?,
            cpu: samples(|r| r.cpu.as_secs_f64())?,
            memory: samples(|r| r.max_rss_bytes as f64 / (1024.0 * 1024.0))?,
            name: name.to_owned(),
        })
    }

    fn row(&self) -> String {
        let (wall, cpu, memory) = (&self.wall, &self.cpu, &self.memory);
        format!(
            "| {} | {:.1} s ({:.1} – {:.1}) | {:.1} s ({:.1} – {:.1}) | {:.0} MiB ({:.0} – {:.0}) |",
            self.name,
            wall.median(),
            wall.min(),
            wall.max(),
            cpu.median(),
            cpu.min(),
            cpu.max(),
            memory.median(),
            memory.min(),
            memory.max(),
        )
    }
}

/// The runs of each dev build: a third of `--runs` (a cold `full` build
/// takes 40–60 s here), at least one and at most three; the release
/// build, about a minute each, gets half as many. So the section stays
/// around ten minutes on two cores, even when its target directories
/// start empty and the dependencies are built first.
fn runs_for(runs: usize) -> (usize, usize) {
    let dev = (runs / 3).clamp(1, 3);
    (dev, dev.div_ceil(2))
}

pub fn section(root: &Path, target_dir: &Path, runs: usize) -> Result<String> {
    let ours = |features: &[&str]| Builder {
        manifest: root.join("Cargo.toml"),
        package: CRATE_NAME.to_string(),
        feature_args: features.iter().map(|f| f.to_string()).collect(),
        target_dir: target_dir.join("bench-build"),
        log: target_dir.join("bench-build.log"),
    };
    let default = ours(&[]);
    let full = ours(&["--features", "full"]);
    let peer_dir = target_dir.join("bench-build-telnyx-rs");
    let peer = Builder {
        manifest: peer::prepare(&peer_dir)?,
        package: peer::PACKAGE.to_string(),
        feature_args: vec![
            "--no-default-features".into(),
            "--features".into(),
            peer::FEATURES.into(),
        ],
        target_dir: peer_dir.join("target"),
        log: peer_dir.join("build.log"),
    };
    let (runs, release_runs) = runs_for(runs);

    // Dependencies first, untimed: only the crate itself is measured.
    full.run("build", Profile::Dev)?;
    let cold_full = repeat(runs, || full.cold(Profile::Dev))?;
    let mut touched = Touched::new(root.join(TOUCHED))?;
    let incremental = repeat(runs, || full.incremental(Profile::Dev, &mut touched))?;
    drop(touched);
    let cold_default = repeat(runs, || default.cold(Profile::Dev))?;
    peer.run("build", Profile::Dev)?;
    let cold_peer = repeat(runs, || peer.cold(Profile::Dev))?;
    default.run("build", Profile::Release)?;
    let cold_release = repeat(release_runs, || default.cold(Profile::Release))?;

    let figures = Figures {
        default: Figure::new("cold, dev, default features", &cold_default)?,
        full: Figure::new("cold, dev, `--features full`", &cold_full)?,
        incremental: Figure::new(
            &format!("incremental, dev, `full` (`{TOUCHED}` touched)"),
            &incremental,
        )?,
        peer: Figure::new(
            &format!(
                "telnyx-rs: `{}` {} (`{}`), cold, dev",
                peer::PACKAGE,
                peer::VERSION,
                peer::FEATURES
            ),
            &cold_peer,
        )?,
        release: Figure::new("cold, release, default features", &cold_release)?,
    };
    let mut verdicts = figures.verdicts();
    // A miss is explained by a profile of the build that missed, each
    // build profiled once.
    let mut profiles: [Option<String>; 2] = [None, None];
    for verdict in verdicts.iter_mut().filter(|v| !v.met) {
        let (builder, slot) = if verdict.of_full {
            (&full, &mut profiles[1])
        } else {
            (&default, &mut profiles[0])
        };
        if slot.is_none() {
            *slot = Some(builder.time_passes()?);
        }
        verdict.reason = slot.clone();
    }
    Ok(report(&figures, &verdicts, (runs, release_runs)))
}

fn repeat(runs: usize, mut build: impl FnMut() -> Result<Run>) -> Result<Vec<Run>> {
    (0..runs).map(|_| build()).collect()
}

struct Figures {
    default: Figure,
    full: Figure,
    incremental: Figure,
    peer: Figure,
    release: Figure,
}

/// One target, met or not, with the profile of the build when not.
struct Verdict {
    text: String,
    met: bool,
    /// Whether the `full` build (else the default one) is the one to profile.
    of_full: bool,
    reason: Option<String>,
}

impl Figures {
    fn peer_ratio(&self) -> f64 {
        self.default.wall.median() / self.peer.wall.median()
    }

    fn verdicts(&self) -> Vec<Verdict> {
        let default = self.default.wall.median();
        let ratio = self.peer_ratio();
        let full = self.full.wall.median();
        let full_gib = self.full.memory.max() / 1024.0;
        let incremental = self.incremental.wall.median();
        let verdict = |text: String, met: bool, of_full: bool| Verdict {
            text,
            met,
            of_full,
            reason: None,
        };
        vec![
            verdict(
                format!("cold dev build, default features, ≤ {DEFAULT_SECONDS} s ({default:.1} s)"),
                default <= DEFAULT_SECONDS,
                false,
            ),
            verdict(
                format!(
                    "cold dev build, default features, ≤ {DEFAULT_PEER_RATIO}× telnyx-rs ({ratio:.2}×)"
                ),
                ratio <= DEFAULT_PEER_RATIO,
                false,
            ),
            verdict(
                format!("cold dev build of `full` ≤ {FULL_SECONDS} s ({full:.1} s)"),
                full <= FULL_SECONDS,
                true,
            ),
            verdict(
                format!(
                    "cold dev build of `full` ≤ {FULL_GIB} GiB peak memory ({full_gib:.2} GiB, the largest run)"
                ),
                full_gib <= FULL_GIB,
                true,
            ),
            verdict(
                format!("incremental dev build of `full` ≤ {INCREMENTAL_SECONDS} s ({incremental:.1} s)"),
                incremental <= INCREMENTAL_SECONDS,
                true,
            ),
        ]
    }
}

fn report(figures: &Figures, verdicts: &[Verdict], (runs, release_runs): (usize, usize)) -> String {
    let mut out = String::from("## Build of the generated crate\n\n");
    let _ = writeln!(
        out,
        "`cargo build -p {CRATE_NAME}` in its own target directory, dependencies built \
         beforehand: cold after `cargo clean -p {CRATE_NAME}`, with the default features \
         (`voice` and `webhooks`) and with `full` (the whole API); incremental after \
         touching one resource file. telnyx-rs is the published `{}` crate {} with \
         `default-features = false, features = [{}]` (its calls and webhooks tier), copied \
         out of the registry into a local package and built the same way in the same run, \
         dependencies from its own `Cargo.lock`. {runs} timed runs of each dev build and \
         {release_runs} of the release build; median and min–max. Wall time depends on what \
         else the machine runs; CPU time (user + system, cargo and every rustc) less so. Peak \
         memory is the largest resident set of any one process (`wait4`).\n",
        peer::PACKAGE,
        peer::VERSION,
        peer::FEATURES
            .split(',')
            .map(|f| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(", "),
    );
    out.push_str("| build | wall | CPU | peak memory |\n|---|---|---|---|\n");
    for figure in [
        &figures.default,
        &figures.full,
        &figures.incremental,
        &figures.peer,
        &figures.release,
    ] {
        out.push_str(&figure.row());
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "\nDefault features against telnyx-rs: {:.2}× the wall time, {:.2}× the CPU time.\n",
        figures.peer_ratio(),
        figures.default.cpu.median() / figures.peer.cpu.median(),
    );
    // Each build's profile is written out once, at its first miss.
    let mut profiled = [false, false];
    for verdict in verdicts {
        let outcome = if verdict.met { "met" } else { "missed" };
        let _ = write!(out, "- Target: {} — {outcome}.", verdict.text);
        let build = if verdict.of_full {
            "`full`"
        } else {
            "default features"
        };
        let shown = &mut profiled[usize::from(verdict.of_full)];
        match &verdict.reason {
            Some(_) if *shown => {
                let _ = write!(out, " Profile of the {build} build: as above.");
            }
            Some(reason) => {
                *shown = true;
                let _ = write!(
                    out,
                    " Profile (`RUSTC_BOOTSTRAP=1 cargo rustc -p {CRATE_NAME} -- -Z time-passes`, \
                     {build}, cold, no incremental caches; its times are wall times): {reason}."
                );
            }
            None => {}
        }
        out.push('\n');
    }
    out.push_str(CONTEXT);
    out
}

/// What the volume is and what was tried, for reading the profiles.
const CONTEXT: &str = "\nThe volume is the API's: every operation has a builder, every \
     schema a type with its serde impls, and an open enum five trait impls. Tried and \
     landed: `Deserialize` and `Serialize` only in the direction each type travels (the \
     other behind features), one shared visitor for every struct and enum, one cargo \
     feature per resource with types gated by the features that reach them, and open enums \
     with identical value lists emitted once, the other names `pub type` aliases of it.\n";

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn runs_stay_within_the_time_budget() {
        assert_eq!(runs_for(1), (1, 1));
        assert_eq!(runs_for(9), (3, 2));
        assert_eq!(runs_for(100), (3, 2));
    }

    #[test]
    fn gives_the_touched_file_its_time_back_unless_changed_since() {
        let dir = std::env::temp_dir().join(format!("bench-touch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("mod.rs");
        std::fs::write(&path, "").unwrap();
        let original = SystemTime::UNIX_EPOCH + Duration::from_secs(1_600_000_000);
        set_modified(&path, original).unwrap();

        let mut touched = Touched::new(path.clone()).unwrap();
        touched.touch().unwrap();
        assert_ne!(modified(&path).unwrap(), original);
        drop(touched);
        assert_eq!(modified(&path).unwrap(), original);

        let mut touched = Touched::new(path.clone()).unwrap();
        touched.touch().unwrap();
        let edited = SystemTime::now() + Duration::from_secs(60);
        set_modified(&path, edited).unwrap();
        drop(touched);
        assert_eq!(
            modified(&path).unwrap(),
            edited,
            "someone else's edit stays"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
