//! Stage 1: bytes → generic JSON value. YAML or JSON is chosen by content.

mod split;
mod unique;

use crate::diag::{Error, Result};
use serde_json::Value;
use unique::UniqueKeys;

/// Parses a spec document. `origin` names it in errors (usually the file path).
pub fn parse_document(bytes: &[u8], origin: &str) -> Result<Value> {
    let text = std::str::from_utf8(bytes).map_err(|e| Error::Parse {
        origin: origin.to_string(),
        message: format!(
            "not UTF-8 text (invalid byte at offset {}); save the spec as UTF-8 YAML or JSON",
            e.valid_up_to()
        ),
    })?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(Error::Parse {
            origin: origin.to_string(),
            message: "the file is empty; expected an OpenAPI document. Point `--spec` at the \
                      spec, or fetch it again with `cargo xtask fetch-spec`"
                .into(),
        });
    }
    let value = if looks_like_json(text) {
        parse_json(text, origin)?
    } else {
        parse_yaml(text, origin)?
    };
    if !value.is_object() {
        return Err(Error::Parse {
            origin: origin.to_string(),
            message: "the document is not a mapping; an OpenAPI document starts with \
                      `openapi: 3.x.y` and `info:` at the top level"
                .into(),
        });
    }
    Ok(value)
}

fn looks_like_json(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

fn parse_json(text: &str, origin: &str) -> Result<Value> {
    let parsed: Result<UniqueKeys, _> = serde_json::from_str(text);
    parsed.map(|v| v.0).map_err(|e| Error::Parse {
        origin: format!("{origin}:{}:{}", e.line(), e.column()),
        message: format!("malformed JSON: {e}; fix the JSON syntax at that line and column"),
    })
}

fn parse_yaml(text: &str, origin: &str) -> Result<Value> {
    if let Some(value) = split::parse(text) {
        return Ok(value);
    }
    let parsed: Result<UniqueKeys, _> = yaml_serde::from_str(text);
    parsed.map(|v| v.0).map_err(|e| Error::Parse {
        origin: yaml_place(&e, origin),
        message: format!("malformed YAML: {e}; fix the YAML syntax at that line and column"),
    })
}

/// A YAML file of a known shape (the SDK config, the pin); errors name
/// `file:line:column`.
pub fn yaml_config<T: serde::de::DeserializeOwned>(text: &str, origin: &str) -> Result<T> {
    let config_error = |e: yaml_serde::Error| Error::Config {
        origin: yaml_place(&e, origin),
        message: e.to_string(),
    };
    // Typed parsing keeps the last of two equal keys: two methods given one
    // name would lose one without a word.
    yaml_serde::from_str::<UniqueKeys>(text).map_err(config_error)?;
    yaml_serde::from_str(text).map_err(config_error)
}

fn yaml_place(e: &yaml_serde::Error, origin: &str) -> String {
    match e.location() {
        Some(at) => format!("{origin}:{}:{}", at.line(), at.column()),
        None => origin.to_string(),
    }
}
