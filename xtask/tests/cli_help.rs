//! The xtask binary's help and usage errors, as a user meets them:
//! `--help` for the whole tool and for each command (exit 0, on stdout),
//! and an unknown command or option answered with the usage on stderr and
//! exit status 2, before the command does anything.

use std::process::{Command, Output};
use xtask::cli::help::COMMANDS;

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("the xtask binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_lists_every_command_with_examples() {
    for args in [&["--help"][..], &["-h"], &["help"]] {
        let output = xtask(args);
        let stdout = text(&output.stdout);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&output.stderr)
        );
        for command in COMMANDS {
            assert!(
                stdout.contains(command.name),
                "{args:?} lacks {}",
                command.name
            );
        }
        assert!(
            stdout.contains("examples:\n  cargo xtask regen "),
            "{stdout}"
        );
        assert!(stdout.contains("exit status: 0"), "{stdout}");
    }
}

#[test]
fn each_command_has_help_with_its_options_and_examples() {
    for command in COMMANDS {
        let by_flag = xtask(&[command.name, "--help"]);
        let by_verb = xtask(&["help", command.name]);
        let short = xtask(&[command.name, "-h"]);
        for output in [&by_flag, &by_verb, &short] {
            assert_eq!(
                output.status.code(),
                Some(0),
                "{}: {}",
                command.name,
                text(&output.stderr)
            );
        }
        let stdout = text(&by_flag.stdout);
        assert_eq!(stdout, text(&by_verb.stdout));
        assert_eq!(stdout, text(&short.stdout));
        assert!(
            stdout.contains(&format!("usage: cargo xtask {}\n", command.synopsis)),
            "{stdout}"
        );
        assert!(stdout.contains(command.details), "{stdout}");
        assert!(stdout.contains("examples:\n"), "{stdout}");
        for (line, _) in command.examples {
            assert!(
                stdout.contains(line),
                "{} --help lacks `{line}`",
                command.name
            );
        }
    }
}

/// Exit 2, nothing on stdout, the problem and a usage on stderr.
fn assert_usage_error(args: &[&str], problem: &str, usage: &str) {
    let output = xtask(args);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert_eq!(text(&output.stdout), "", "{args:?}");
    assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    assert!(
        stderr.contains(problem),
        "{args:?}: no `{problem}` in {stderr}"
    );
    assert!(stderr.contains(usage), "{args:?}: no `{usage}` in {stderr}");
}

#[test]
fn an_unknown_option_exits_2_with_the_commands_usage() {
    for command in COMMANDS {
        assert_usage_error(
            &[command.name, "--no-such-option"],
            "--no-such-option",
            &format!("usage: cargo xtask {}\n", command.synopsis),
        );
    }
}

#[test]
fn an_unknown_or_missing_command_exits_2_with_the_command_list() {
    let list = "usage: cargo xtask <command> [options]\ncommands: regen, fetch-spec,";
    assert_usage_error(&["regenerate"], "unknown command `regenerate`", list);
    assert_usage_error(
        &["help", "regenerate"],
        "unknown command `regenerate`",
        list,
    );
    assert_usage_error(&["--verbose"], "--verbose", list);
    assert_usage_error(&[], "no command given", list);
}

#[test]
fn a_missing_option_value_exits_2_with_the_usage() {
    assert_usage_error(
        &["regen", "--spec"],
        "--spec",
        "usage: cargo xtask regen [--spec PATH]",
    );
    assert_usage_error(
        &["bench", "--runs", "many"],
        "many",
        "usage: cargo xtask bench [--runs N] [--quick]",
    );
}
