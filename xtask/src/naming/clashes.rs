//! Names that would clash in the emitted Rust. On a resource struct the
//! operations' methods, the sub-resource accessors and the struct's own
//! `new` share one namespace; the top-level accessors sit beside `Client`'s
//! own methods. A clash the SDK config spells out is an error, since only
//! its author can choose; derived names step aside instead.

use super::casing::is_keyword;
use super::config::{ResourceConfig, SdkConfig};
use crate::diag::{Error, Result};

/// `Client`'s methods (`templates/runtime/client.rs`), beside which the
/// top-level resource accessors are emitted.
const CLIENT_METHODS: [&str; 12] = [
    "new",
    "from_env",
    "builder",
    "base_url",
    "webhooks",
    "execute",
    "execute_empty",
    "execute_with_response",
    "execute_empty_with_response",
    "execute_bytes_with_response",
    "execute_text_with_response",
    "exchange",
];

/// What every resource struct defines besides its operations.
const RESOURCE_METHODS: [&str; 1] = ["new"];

/// Whether `name` is already a method of the struct at `parent` (a resource
/// path; empty for `Client`) before any operation or accessor is added.
pub(super) fn is_built_in(parent: &[String], name: &str) -> bool {
    if parent.is_empty() {
        CLIENT_METHODS.contains(&name)
    } else {
        RESOURCE_METHODS.contains(&name)
    }
}

/// Every name the config gives is a snake-case Rust identifier, and no two
/// of them, nor one and a built-in method, land on one function.
pub(super) fn check_config(config: &SdkConfig) -> Result<()> {
    for (name, tree) in &config.resources {
        let at = format!("resources.{name}");
        check_name(config, &[], name, &at)?;
        check_tree(config, tree, &mut vec![name.clone()], &at)?;
    }
    Ok(())
}

fn check_tree(
    config: &SdkConfig,
    tree: &ResourceConfig,
    path: &mut Vec<String>,
    at: &str,
) -> Result<()> {
    for (method, entry) in &tree.methods {
        let here = format!("{at}.methods.{method}");
        check_name(config, path, method, &here)?;
        if tree.subresources.contains_key(method) {
            return Err(error(
                config,
                &here,
                format!(
                    "`{method}` names both a method and a sub-resource of `{}`; the method and \
                     the accessor would be one Rust function. Rename one of them",
                    path.join(".")
                ),
            ));
        }
        for (input, rust) in entry.param_renames().into_iter().flatten() {
            if !is_identifier(rust) {
                return Err(error(
                    config,
                    &format!("{here}.params.{input}"),
                    not_an_identifier(rust),
                ));
            }
        }
    }
    for (child, subtree) in &tree.subresources {
        let here = format!("{at}.subresources.{child}");
        check_name(config, path, child, &here)?;
        path.push(child.clone());
        check_tree(config, subtree, path, &here)?;
        path.pop();
    }
    Ok(())
}

fn check_name(config: &SdkConfig, parent: &[String], name: &str, at: &str) -> Result<()> {
    if !is_identifier(name) {
        return Err(error(config, at, not_an_identifier(name)));
    }
    if is_built_in(parent, name) {
        let owner = if parent.is_empty() {
            "Client".to_string()
        } else {
            format!("every resource (`{}`)", parent.join("."))
        };
        return Err(error(
            config,
            at,
            format!("`{name}` is already a method of {owner}; choose another name"),
        ));
    }
    Ok(())
}

fn not_an_identifier(name: &str) -> String {
    format!(
        "`{name}` is not a snake_case Rust identifier; use lower-case letters, digits and `_`, \
         not starting with a digit, and not a Rust keyword"
    )
}

fn error(config: &SdkConfig, at: &str, message: String) -> Error {
    Error::Config {
        origin: format!("{}: {at}", config.origin()),
        message,
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z' | '_'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
        && name != "_"
        && !is_keyword(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        for good in ["answer", "start_ai_assistant", "_private", "v2", "type_"] {
            assert!(is_identifier(good), "{good}");
        }
        for bad in [
            "",
            "_",
            "Answer",
            "2fa",
            "send-dtmf",
            "type",
            "self",
            "a b",
            "ü",
        ] {
            assert!(!is_identifier(bad), "{bad}");
        }
    }

    /// The list above must follow the template it mirrors.
    #[test]
    fn client_methods_match_the_runtime_template() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../templates/runtime");
        let mut sources = Vec::new();
        for entry in std::fs::read_dir(dir).expect("the runtime templates") {
            sources.push(std::fs::read_to_string(entry.expect("readable").path()).expect("text"));
        }
        let mut defined: Vec<String> = sources
            .iter()
            .flat_map(|source| source.split("\nimpl Client {\n").skip(1))
            .flat_map(|rest| rest.split("\n}\n").next().unwrap_or_default().lines())
            .filter(|line| line.starts_with("    ") && !line.starts_with("     "))
            .filter_map(|line| {
                let line = line.trim_start();
                let line = line.strip_prefix("pub(crate) ").unwrap_or(line);
                let line = line.strip_prefix("pub ").unwrap_or(line);
                let line = line.strip_prefix("async ").unwrap_or(line);
                Some(
                    line.strip_prefix("fn ")?
                        .split(['(', '<'])
                        .next()?
                        .to_string(),
                )
            })
            .collect();
        assert!(!defined.is_empty(), "no `impl Client` block in {dir}");
        defined.sort_unstable();
        let mut listed = CLIENT_METHODS.to_vec();
        listed.sort_unstable();
        assert_eq!(defined, listed);
    }
}
