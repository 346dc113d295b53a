//! Stage 1: bytes → generic JSON value. YAML or JSON is chosen by content.

use crate::diag::{Error, Result};
use serde_json::Value;

/// Parses a spec document. `origin` names it in errors (usually the file path).
pub fn parse_document(bytes: &[u8], origin: &str) -> Result<Value> {
    let text = std::str::from_utf8(bytes).map_err(|e| Error::Parse {
        origin: origin.to_string(),
        message: format!("not UTF-8 text (byte {})", e.valid_up_to()),
    })?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(Error::Parse {
            origin: origin.to_string(),
            message: "the file is empty; expected an OpenAPI document".into(),
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
            message: "the document is not a mapping; expected an OpenAPI document".into(),
        });
    }
    Ok(value)
}

fn looks_like_json(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

fn parse_json(text: &str, origin: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| Error::Parse {
        origin: format!("{origin}:{}:{}", e.line(), e.column()),
        message: format!("malformed JSON: {e}"),
    })
}

fn parse_yaml(text: &str, origin: &str) -> Result<Value> {
    yaml_serde::from_str(text).map_err(|e| Error::Parse {
        origin: yaml_place(&e, origin),
        message: format!("malformed YAML: {e}"),
    })
}

/// A YAML file of a known shape (the SDK config, the pin); errors name
/// `file:line:column`.
pub fn yaml_config<T: serde::de::DeserializeOwned>(text: &str, origin: &str) -> Result<T> {
    yaml_serde::from_str(text).map_err(|e| Error::Config {
        origin: yaml_place(&e, origin),
        message: e.to_string(),
    })
}

fn yaml_place(e: &yaml_serde::Error, origin: &str) -> String {
    match e.location() {
        Some(at) => format!("{origin}:{}:{}", at.line(), at.column()),
        None => origin.to_string(),
    }
}
