//! Serialization of query parameters following the OpenAPI 3 `style` and
//! `explode` rules, and percent-encoding of the resulting pairs.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;

/// Everything except RFC 3986 "unreserved" characters is escaped, so that
/// delimiters inside values (`,`, `|`, `&`, `=`, `+`, ...) can never be
/// confused with the delimiters of the query string itself.
const QUERY_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// How a query parameter is laid out in the URL, mirroring the OpenAPI 3
/// `style` and `explode` keywords.
///
/// Whatever the style, `null` values and empty arrays or objects produce no
/// pair at all, and a primitive value produces a single `name=value` pair
/// (`true`/`false`, numbers as JSON writes them, strings as they are).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryStyle {
    /// `style: form`, the OpenAPI default.
    ///
    /// Arrays: `a=1&a=2` when exploded, `a=1,2` otherwise. Objects:
    /// `k1=v1&k2=v2` when exploded, `a=k1,v1,k2,v2` otherwise.
    Form {
        /// The OpenAPI `explode` keyword.
        explode: bool,
    },
    /// `style: deepObject`: `filter[status]=active`, with one more bracketed
    /// key per level of nesting. An array at any level repeats the pair for
    /// every element (`filter[tag]=a&filter[tag]=b`).
    DeepObject,
    /// `style: spaceDelimited` without explode: `a=1 2` (sent as `a=1%202`).
    /// Exploded space-delimited parameters are plain exploded forms.
    SpaceDelimited,
    /// `style: pipeDelimited` without explode: `a=1|2`. Exploded
    /// pipe-delimited parameters are plain exploded forms.
    PipeDelimited,
}

/// Appends the pairs that represent parameter `name` with `value` to `out`.
pub(crate) fn encode_query_param(
    name: &str,
    style: QueryStyle,
    value: &Value,
    out: &mut Vec<(String, String)>,
) {
    match (style, value) {
        (QueryStyle::DeepObject, _) => encode_deep_object(name.to_owned(), value, out),
        (_, Value::Array(items)) => match delimiter(style) {
            None => out.extend(
                items
                    .iter()
                    .filter_map(scalar_text)
                    .map(|text| (name.to_owned(), text)),
            ),
            Some(delimiter) => {
                push_joined(name, items.iter().filter_map(scalar_text), delimiter, out);
            }
        },
        (_, Value::Object(fields)) => match delimiter(style) {
            None => {
                for (key, field) in fields {
                    match field {
                        Value::Array(items) => out.extend(
                            items
                                .iter()
                                .filter_map(scalar_text)
                                .map(|text| (key.clone(), text)),
                        ),
                        _ => out.extend(scalar_text(field).map(|text| (key.clone(), text))),
                    }
                }
            }
            Some(delimiter) => {
                let flattened = fields
                    .iter()
                    .filter_map(|(key, field)| Some([key.clone(), scalar_text(field)?]))
                    .flatten();
                push_joined(name, flattened, delimiter, out);
            }
        },
        _ => out.extend(scalar_text(value).map(|text| (name.to_owned(), text))),
    }
}

/// Joins encoded pairs into a query string (without the leading `?`).
pub(crate) fn to_query_string(pairs: &[(String, String)]) -> String {
    let mut query = String::new();
    for (name, value) in pairs {
        if !query.is_empty() {
            query.push('&');
        }
        query.extend(utf8_percent_encode(name, QUERY_COMPONENT));
        query.push('=');
        query.extend(utf8_percent_encode(value, QUERY_COMPONENT));
    }
    query
}

/// The separator used when a style packs several values into one pair, or
/// `None` when the style repeats the pair instead.
fn delimiter(style: QueryStyle) -> Option<char> {
    match style {
        QueryStyle::Form { explode: true } | QueryStyle::DeepObject => None,
        QueryStyle::Form { explode: false } => Some(','),
        QueryStyle::SpaceDelimited => Some(' '),
        QueryStyle::PipeDelimited => Some('|'),
    }
}

fn push_joined(
    name: &str,
    parts: impl Iterator<Item = String>,
    delimiter: char,
    out: &mut Vec<(String, String)>,
) {
    let mut joined: Option<String> = None;
    for part in parts {
        match &mut joined {
            Some(text) => {
                text.push(delimiter);
                text.push_str(&part);
            }
            None => joined = Some(part),
        }
    }
    out.extend(joined.map(|text| (name.to_owned(), text)));
}

fn encode_deep_object(prefix: String, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields {
                encode_deep_object(format!("{prefix}[{key}]"), field, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                encode_deep_object(prefix.clone(), item, out);
            }
        }
        _ => out.extend(scalar_text(value).map(|text| (prefix, text))),
    }
}

/// The textual form of a single value. OpenAPI leaves nested structures
/// undefined outside `deepObject`; compact JSON keeps them lossless.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Number(number) => Some(number.to_string()),
        Value::Array(_) | Value::Object(_) => Some(value.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const FORM: QueryStyle = QueryStyle::Form { explode: true };
    const FORM_PACKED: QueryStyle = QueryStyle::Form { explode: false };

    fn encode(style: QueryStyle, value: Value) -> Vec<(String, String)> {
        let mut out = Vec::new();
        encode_query_param("a", style, &value, &mut out);
        out
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    #[test]
    fn primitives_are_one_pair_in_every_style() {
        for style in [
            FORM,
            FORM_PACKED,
            QueryStyle::DeepObject,
            QueryStyle::SpaceDelimited,
        ] {
            assert_eq!(encode(style, json!("x y")), pairs(&[("a", "x y")]));
            assert_eq!(encode(style, json!(true)), pairs(&[("a", "true")]));
            assert_eq!(encode(style, json!(false)), pairs(&[("a", "false")]));
            assert_eq!(encode(style, json!(1.5)), pairs(&[("a", "1.5")]));
            assert_eq!(encode(style, json!(-3)), pairs(&[("a", "-3")]));
        }
    }

    #[test]
    fn nulls_and_empty_collections_emit_nothing() {
        for style in [
            FORM,
            FORM_PACKED,
            QueryStyle::DeepObject,
            QueryStyle::PipeDelimited,
        ] {
            assert!(encode(style, Value::Null).is_empty());
            assert!(encode(style, json!([])).is_empty());
            assert!(encode(style, json!({})).is_empty());
            assert!(encode(style, json!([null])).is_empty());
        }
        assert_eq!(
            encode(FORM, json!({"k": null, "j": 1})),
            pairs(&[("j", "1")])
        );
    }

    #[test]
    fn form_arrays() {
        assert_eq!(
            encode(FORM, json!([1, "b", true])),
            pairs(&[("a", "1"), ("a", "b"), ("a", "true")])
        );
        assert_eq!(
            encode(FORM_PACKED, json!([1, null, "b"])),
            pairs(&[("a", "1,b")])
        );
    }

    #[test]
    fn form_objects() {
        assert_eq!(
            encode(FORM, json!({"k1": "v1", "k2": [1, 2]})),
            pairs(&[("k1", "v1"), ("k2", "1"), ("k2", "2")])
        );
        assert_eq!(
            encode(FORM_PACKED, json!({"k1": "v1", "k2": 2})),
            pairs(&[("a", "k1,v1,k2,2")])
        );
    }

    #[test]
    fn deep_object_nests_and_repeats_arrays() {
        let value = json!({
            "application_name": {"contains": "x"},
            "status": ["active", "disabled"],
            "skipped": null,
        });
        let mut out = Vec::new();
        encode_query_param("filter", QueryStyle::DeepObject, &value, &mut out);
        assert_eq!(
            out,
            pairs(&[
                ("filter[application_name][contains]", "x"),
                ("filter[status]", "active"),
                ("filter[status]", "disabled"),
            ])
        );
    }

    #[test]
    fn delimited_styles() {
        assert_eq!(
            encode(QueryStyle::SpaceDelimited, json!([1, 2])),
            pairs(&[("a", "1 2")])
        );
        assert_eq!(
            encode(QueryStyle::PipeDelimited, json!(["x", "y"])),
            pairs(&[("a", "x|y")])
        );
    }

    #[test]
    fn nested_values_outside_deep_object_become_json() {
        assert_eq!(
            encode(FORM, json!([{"k": 1}])),
            pairs(&[("a", r#"{"k":1}"#)])
        );
    }

    #[test]
    fn query_string_escapes_delimiters() {
        let query = to_query_string(&pairs(&[
            ("filter[name]", "a b&c=d"),
            ("ids", "1,2|3+4"),
            ("tilde", "-._~"),
        ]));
        assert_eq!(
            query,
            "filter%5Bname%5D=a%20b%26c%3Dd&ids=1%2C2%7C3%2B4&tilde=-._~"
        );
    }
}
