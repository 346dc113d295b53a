//! Names inside a type or an operation: struct fields, enum variants, and
//! the parameters of a generated method.

use super::casing::{pascal, snake};
use crate::ir::{Field, Location, Operation};
use std::collections::{BTreeMap, BTreeSet};

/// Builder methods (and fields) every request has; parameters must not
/// shadow them. The last five are the per-request options.
const BUILDER_METHODS: [&str; 11] = [
    "send",
    "into_future",
    "into_stream",
    "new",
    "client",
    "request",
    "options",
    "timeout",
    "max_retries",
    "header",
    "query_param",
];

/// Snake-case field names, unique within the struct.
pub fn field_names(fields: &[Field], words: &[String]) -> Vec<String> {
    unique(
        fields
            .iter()
            .map(|f| or_if_empty(snake(&f.name, words), "field")),
        "_",
    )
}

/// A JSON name without a letter or digit (`{`, `-`) has no words to name
/// a Rust item after.
fn or_if_empty(name: String, fallback: impl std::fmt::Display) -> String {
    if name.is_empty() {
        fallback.to_string()
    } else {
        name
    }
}

/// Variant names for string enum values, unique within the enum.
pub fn enum_variants(values: &[String], words: &[String]) -> Vec<String> {
    let raw = values.iter().enumerate().map(|(i, v)| {
        let name = pascal(v, words);
        match (name.is_empty(), symbol_name(v)) {
            (false, _) => name,
            (true, Some(symbol)) => symbol.to_string(),
            (true, None) => format!("Value{i}"),
        }
    });
    // `Unknown` is the open enum's own catch-all; `Self` is a keyword.
    let reserved = |n: String| {
        if n == "Unknown" || n == "Self" {
            format!("{n}Value")
        } else {
            n
        }
    };
    unique(raw.map(reserved), "")
}

fn symbol_name(value: &str) -> Option<&'static str> {
    Some(match value {
        "" => "Empty",
        "+" => "Plus",
        "-" => "Minus",
        "*" => "Star",
        "#" => "Hash",
        "/" => "Slash",
        "=" => "Equals",
        _ => return None,
    })
}

/// Later duplicates get a counter: `en_us`, `en_us_2`, `en_us_3`.
fn unique(names: impl Iterator<Item = String>, separator: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    names
        .map(|base| {
            let name = std::iter::once(base.clone())
                .chain((2..).map(|n| format!("{base}{separator}{n}")))
                .find(|candidate| !seen.contains(candidate))
                .expect("an unbounded counter finds a free name");
            seen.insert(name.clone());
            name
        })
        .collect()
}

/// Rust names of an operation's inputs, keyed `<location>.<json name>`
/// (`path.call_control_id`, `query.filter`, `body.to`).
#[derive(Debug, Clone, Default)]
pub struct ParamNames(pub BTreeMap<String, String>);

impl ParamNames {
    pub fn get<'a>(&'a self, location: &str, json: &'a str) -> &'a str {
        self.0
            .get(&format!("{location}.{json}"))
            .map(String::as_str)
            .unwrap_or(json)
    }
}

pub fn location_key(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
    }
}

/// Parameters first, in declaration order, then body fields; a name that is
/// taken (by an earlier input or a builder method) gets its location as prefix.
pub fn operation_params(
    op: &Operation,
    body_fields: &[Field],
    renames: &BTreeMap<String, String>,
    words: &[String],
) -> ParamNames {
    let mut taken: BTreeSet<String> = BUILDER_METHODS.iter().map(|m| m.to_string()).collect();
    let mut out = BTreeMap::new();
    let inputs = op
        .params
        .iter()
        .map(|p| (location_key(p.location), p.name.as_str()))
        .chain(body_fields.iter().map(|f| ("body", f.name.as_str())));
    for (location, json) in inputs {
        let key = format!("{location}.{json}");
        let mut name = renames
            .get(&key)
            .cloned()
            .unwrap_or_else(|| or_if_empty(snake(json, words), format!("{location}_value")));
        if taken.contains(&name) {
            name = format!("{location}_{}", name.trim_end_matches('_'));
        }
        while taken.contains(&name) {
            name.push('_');
        }
        taken.insert(name.clone());
        out.insert(key, name);
    }
    ParamNames(out)
}
