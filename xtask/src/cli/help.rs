//! What `cargo xtask --help` and `cargo xtask <command> --help` print, and
//! the usage an unknown command or option is answered with. README's
//! "The xtask commands" lists the same synopses (a test holds them equal).

/// One subcommand's help.
pub struct CommandHelp {
    pub name: &'static str,
    /// The arguments after `cargo xtask`, as README shows them.
    pub synopsis: &'static str,
    /// The line `cargo xtask --help` shows beside the name.
    pub summary: &'static str,
    /// What it does, options included.
    pub details: &'static str,
    /// `(command line, what it does)`.
    pub examples: &'static [(&'static str, &'static str)],
}

/// Every subcommand, in the order `--help` lists them.
pub const COMMANDS: &[CommandHelp] = &[
    CommandHelp {
        name: "regen",
        synopsis: "regen [--spec PATH] [--out DIR] [--config PATH] [--check] [--strict]",
        summary: "generate the client crate from the spec into generated/",
        details: "\
Reads the pinned spec (spec/spec3.yml; when it is absent, as in a fresh clone,
it is downloaded from the pinned URL over HTTPS and checked against the pinned
sha256 first), the SDK naming config and templates/, and writes the crate.

  --spec PATH    generate from another spec (YAML or JSON, OpenAPI 3.0 or 3.1;
                 no hash check, nothing fetched)
  --out DIR      write a self-contained crate to DIR instead of generated/
  --config PATH  the SDK naming config (default spec/sdk.yml)
  --check        write nothing; exit 1 listing the files that differ
  --strict       warnings about the spec and config entries that match no
                 operation are errors

Bad input (a missing, malformed or unsupported spec, a dangling $ref, colliding
names, a failed or mismatching download) exits 2 naming the file, line:column
or JSON pointer, and leaves the output untouched.",
        examples: &[
            ("cargo xtask regen", "regenerate generated/ (fetching the pinned spec if needed)"),
            ("cargo xtask regen --check --strict", "what CI runs: fail when generated/ is stale"),
            ("cargo xtask regen --out /tmp/telnyx-api", "write the crate elsewhere, e.g. to package it"),
            ("cargo xtask regen --spec /tmp/spec3-new.yml --out /tmp/new", "try an unpinned spec"),
        ],
    },
    CommandHelp {
        name: "fetch-spec",
        synopsis: "fetch-spec [--from PATH]",
        summary: "download the pinned spec (or copy PATH), sha256-checked",
        details: "\
Downloads the spec pinned in spec/upstream.yml over HTTPS, checks it against the
pinned sha256 and only then writes spec/spec3.yml (atomically; nothing is
written on a mismatch). regen does this by itself when the file is absent.

  --from PATH  copy a local file instead of downloading (checked the same way)",
        examples: &[
            ("cargo xtask fetch-spec", "download the pinned release"),
            (
                "cargo xtask fetch-spec --from ../shared/spec/telnyx-spec3-12de4dd.yml",
                "install a local copy (what CI does, offline)",
            ),
        ],
    },
    CommandHelp {
        name: "pin",
        synopsis: "pin --commit COMMIT --from PATH",
        summary: "move the pin to another upstream commit",
        details: "\
Writes COMMIT (the full 40-digit hash), its raw URL and the sha256 of PATH (that
commit's spec file) into spec/upstream.yml, and installs PATH as spec/spec3.yml.

  --commit COMMIT  the team-telnyx/openapi commit, all 40 hex digits
  --from PATH      the spec file at that commit, downloaded beforehand",
        examples: &[(
            "cargo xtask pin --commit 0123456789abcdef0123456789abcdef01234567 --from /tmp/spec3-new.yml",
            "pin a new release, then `cargo xtask regen --strict`",
        )],
    },
    CommandHelp {
        name: "api-diff",
        synopsis: "api-diff [--all-operations] OLD_SPEC NEW_SPEC | --against-generated NEW_SPEC",
        summary: "Markdown report of what a new spec changes for callers",
        details: "\
Prints a Markdown report of the breaking and additive changes between two specs
for callers of the generated crate, then for the operations it does not emit,
then for the component schemas.

  --against-generated  OLD is the pinned spec generated/ was built from
  --all-operations     report every operation as emitted",
        examples: &[
            (
                "cargo xtask api-diff --against-generated /tmp/spec3-new.yml > /tmp/api-diff.md",
                "what a new release changes, for the PR description",
            ),
            ("cargo xtask api-diff old.yml new.yml", "compare any two specs"),
        ],
    },
    CommandHelp {
        name: "conformance",
        synopsis: "conformance [--spec PATH] [-- FILTER]",
        summary: "run the conformance suite against the Prism mock",
        details: "\
Builds generated/tests/conformance.rs, starts Prism (installed into .tools/prism
with npm on first use; needs Node.js 18+) mocking the pinned spec, runs the
suite against it and stops Prism. Exit 0 when the suite passes, 1 when it fails,
2 when it cannot run.

  --spec PATH  mock another spec than the pinned one
  -- FILTER    run only the cases whose label contains FILTER",
        examples: &[
            ("cargo xtask conformance", "every case"),
            ("cargo xtask conformance -- calls.actions.answer", "the two cases of one operation"),
        ],
    },
    CommandHelp {
        name: "check-features",
        synopsis: "check-features [--jobs N] [FEATURE...]",
        summary: "cargo check the generated crate per feature, warnings denied",
        details: "\
Type-checks generated/ without default features, with them, and with each
feature of its manifest alone (or only the FEATUREs named), warnings denied,
each worker with its own target directory under target/check-features/.

  --jobs N    parallel workers (default: the machine's cores)
  FEATURE...  check only these features",
        examples: &[
            ("cargo xtask check-features", "every feature alone"),
            ("cargo xtask check-features --jobs 1 messaging webhooks", "two features, one worker"),
        ],
    },
    CommandHelp {
        name: "sdk-map",
        synopsis: "sdk-map [--check]",
        summary: "write spec/sdk_map.yml from the official Python SDK",
        details: "\
Reads the official Python SDK's resource tree (the interpreter in .venv, or
TELNYX_PYTHON) and writes spec/sdk_map.yml, the SDK's call chain for each
endpoint, which regen names the operations by.

  --check  write nothing; exit 1 when the committed file and the SDK disagree",
        examples: &[
            ("cargo xtask sdk-map", "rewrite the map after updating the SDK pin"),
            ("TELNYX_PYTHON=.venv/bin/python cargo xtask sdk-map --check", "check it"),
        ],
    },
    CommandHelp {
        name: "bench",
        synopsis: "bench [--runs N] [--quick] [--only build]",
        summary: "time regen and the crate's benches, write BENCHMARKS.md",
        details: "\
Times regen and the crate's benches against their floors and writes
BENCHMARKS.md.

  --runs N  timed runs of each figure (default 9)
  --quick   a short smoke run that every bench builds and runs; writes nothing
  --only build
            the build section alone (default, full, incremental, telnyx-rs),
            printed; writes nothing",
        examples: &[
            ("cargo xtask bench", "measure and rewrite BENCHMARKS.md"),
            ("cargo xtask bench --only build", "the build figures alone"),
            ("cargo xtask bench --quick", "smoke run, as tests/run.sh does"),
        ],
    },
];

/// The help of the command called `name`.
pub fn find(name: &str) -> Option<&'static CommandHelp> {
    COMMANDS.iter().find(|command| command.name == name)
}

/// `cargo xtask --help`.
pub fn overview() -> String {
    let mut text = String::from(
        "cargo xtask: the Telnyx client generator's tasks\n\n\
         usage: cargo xtask <command> [options]\n       \
         cargo xtask <command> --help   (or: cargo xtask help <command>)\n\n\
         commands:\n",
    );
    for command in COMMANDS {
        text.push_str(&format!("  {:<15} {}\n", command.name, command.summary));
    }
    text.push_str(
        "\nexamples:\n\
         \x20 cargo xtask regen                    regenerate generated/ (fetches the pinned spec if absent)\n\
         \x20 cargo xtask regen --check --strict   fail when generated/ is stale, as CI does\n\
         \x20 bash tests/run.sh                    everything CI runs\n",
    );
    text.push_str(EXIT_STATUS);
    text
}

/// `cargo xtask <command> --help`.
pub fn command(help: &CommandHelp) -> String {
    let mut text = format!(
        "cargo xtask {}: {}\n\nusage: cargo xtask {}\n\n{}\n\nexamples:\n",
        help.name, help.summary, help.synopsis, help.details
    );
    let width = help
        .examples
        .iter()
        .map(|(line, _)| line.len())
        .max()
        .unwrap_or(0);
    for (line, what) in help.examples {
        if width > 50 {
            text.push_str(&format!("  {line}\n      {what}\n"));
        } else {
            text.push_str(&format!("  {line:<width$}   {what}\n"));
        }
    }
    text.push_str(EXIT_STATUS);
    text
}

/// What a usage error ends with: the command's synopsis when the command is
/// known, the list of commands otherwise.
pub fn usage(command: Option<&str>) -> String {
    match command.and_then(find) {
        Some(help) => format!(
            "usage: cargo xtask {}\nrun `cargo xtask {} --help` for the options and examples",
            help.synopsis, help.name
        ),
        None => {
            let names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
            format!(
                "usage: cargo xtask <command> [options]\ncommands: {}\n\
                 run `cargo xtask --help` for what each does",
                names.join(", ")
            )
        }
    }
}

const EXIT_STATUS: &str = "\nexit status: 0 done; 1 stale (--check) or a failed suite; \
2 bad input, a usage error or an I/O failure\n";

#[cfg(test)]
mod tests {
    use super::*;

    /// README's section on the commands, up to the next `## ` heading.
    fn readme_section() -> String {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap();
        let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
        let start = readme
            .find("## The xtask commands")
            .expect("README has a section `## The xtask commands`");
        let rest = &readme[start + 3..];
        rest[..rest.find("\n## ").unwrap_or(rest.len())].to_string()
    }

    #[test]
    fn readme_lists_each_command_with_the_synopsis_help_prints() {
        let section = readme_section();
        for command in COMMANDS {
            let line = format!("`cargo xtask {}`", command.synopsis);
            assert!(section.contains(&line), "README's section lacks {line}");
        }
        // And it lists no command `--help` does not know.
        for mention in section.split("`cargo xtask ").skip(1) {
            let name = mention.split([' ', '`']).next().unwrap();
            let about_help = name.starts_with('-') || name == "help" || name == "<command>";
            assert!(
                about_help || find(name).is_some(),
                "README lists unknown command `{name}`"
            );
        }
    }

    #[test]
    fn each_command_documents_every_option_of_its_synopsis() {
        for command in COMMANDS {
            let options = command
                .synopsis
                .split(|c: char| c.is_whitespace() || c == '[' || c == ']')
                .filter(|word| word.starts_with("--") && word.len() > 2);
            for option in options {
                assert!(
                    command.details.contains(&format!("  {option}")),
                    "`{}` help does not explain {option}",
                    command.name
                );
            }
            assert!(
                !command.examples.is_empty(),
                "`{}` has no example",
                command.name
            );
            for (line, _) in command.examples {
                assert!(
                    line.contains(&format!("cargo xtask {}", command.name)),
                    "`{}` example `{line}` runs another command",
                    command.name
                );
            }
        }
    }

    #[test]
    fn the_overview_names_every_command() {
        let text = overview();
        for command in COMMANDS {
            assert!(text.contains(&format!("  {:<15} {}", command.name, command.summary)));
        }
    }
}
