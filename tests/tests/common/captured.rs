//! One HTTP request reduced to what two clients must agree on: the
//! method, the path and the query pairs (percent-decoded, the pairs in any
//! order) and the body, read by its media type (JSON as a value, form and
//! multipart bodies as their sorted fields, anything else as bytes).

use std::fmt::Write as _;

use percent_encoding::percent_decode_str;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct Captured {
    pub method: String,
    /// Percent-decoded, without the capture prefix.
    pub path: String,
    /// Percent-decoded and sorted.
    pub query: Vec<(String, String)>,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    None,
    Json(Value),
    /// `application/x-www-form-urlencoded` or `multipart/form-data`: the
    /// fields by name (a file's content as text), sorted.
    Fields(Vec<(String, String)>),
    /// Any other media type, or JSON that does not parse.
    Bytes(String, Vec<u8>),
}

impl Captured {
    /// `url` is everything after the host (`/prefix/path?query`).
    pub fn new(
        method: &str,
        url: &str,
        prefix: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Self {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let path = decoded(path);
        let path = path.strip_prefix(prefix).unwrap_or(&path).to_owned();
        let mut query = pairs(query);
        query.sort();
        Captured {
            method: method.to_owned(),
            path,
            query,
            body: Body::read(content_type.unwrap_or_default(), body),
        }
    }

    /// The parts in which `self` and `other` differ, one line each.
    pub fn diff(&self, other: &Captured, left: &str, right: &str) -> String {
        let mut out = String::new();
        if self.method != other.method || self.path != other.path {
            let _ = writeln!(
                out,
                "    request line: {left} {} {} / {right} {} {}",
                self.method, self.path, other.method, other.path
            );
        }
        if self.query != other.query {
            let _ = writeln!(
                out,
                "    query: only {left}: {:?}; only {right}: {:?}",
                only(&self.query, &other.query),
                only(&other.query, &self.query)
            );
        }
        if self.body != other.body {
            match (&self.body, &other.body) {
                (Body::Json(a), Body::Json(b)) => {
                    let mut lines = Vec::new();
                    json_diff("body", a, b, left, right, &mut lines);
                    for line in lines {
                        let _ = writeln!(out, "    {line}");
                    }
                }
                (Body::Fields(a), Body::Fields(b)) => {
                    let _ = writeln!(
                        out,
                        "    body fields: only {left}: {:?}; only {right}: {:?}",
                        only(a, b),
                        only(b, a)
                    );
                }
                (a, b) => {
                    let _ = writeln!(out, "    body: {left} {} / {right} {}", a.kind(), b.kind());
                }
            }
        }
        out
    }
}

impl Body {
    fn read(content_type: &str, body: &[u8]) -> Body {
        let essence = content_type.split(';').next().unwrap_or_default().trim();
        if body.is_empty() {
            return Body::None;
        }
        match essence {
            "application/json" => serde_json::from_slice(body)
                .map(Body::Json)
                .unwrap_or_else(|_| Body::Bytes(essence.to_owned(), body.to_vec())),
            "application/x-www-form-urlencoded" => {
                let mut fields = pairs(&String::from_utf8_lossy(body));
                fields.sort();
                Body::Fields(fields)
            }
            "multipart/form-data" => {
                let boundary = content_type
                    .split("boundary=")
                    .nth(1)
                    .unwrap_or_default()
                    .trim_matches('"');
                Body::Fields(multipart_fields(body, boundary))
            }
            other => Body::Bytes(other.to_owned(), body.to_vec()),
        }
    }

    pub fn kind(&self) -> String {
        match self {
            Body::None => "(none)".to_owned(),
            Body::Json(value) => format!("JSON {value}"),
            Body::Fields(fields) => format!("fields {fields:?}"),
            Body::Bytes(media_type, bytes) => {
                format!("{media_type} {:?}", String::from_utf8_lossy(bytes))
            }
        }
    }
}

/// `name=value&…`, `+` as a space, percent-decoded.
pub fn pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                decoded(&name.replace('+', " ")),
                decoded(&value.replace('+', " ")),
            )
        })
        .collect()
}

fn decoded(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// The fields of a multipart body by name, files as their content; the
/// file name and a part's own media type are the client's choice.
fn multipart_fields(body: &[u8], boundary: &str) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(body);
    let delimiter = format!("--{boundary}");
    let mut fields = Vec::new();
    for part in text.split(delimiter.as_str()).skip(1) {
        if part.starts_with("--") {
            break;
        }
        let part = part.strip_prefix("\r\n").unwrap_or(part);
        let part = part.strip_suffix("\r\n").unwrap_or(part);
        let Some((head, content)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let name = head
            .split("name=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_default();
        fields.push((name.to_owned(), content.to_owned()));
    }
    fields.sort();
    fields
}

/// The JSON paths at which `a` and `b` differ.
pub fn json_diff(path: &str, a: &Value, b: &Value, left: &str, right: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let here = format!("{path}.{key}");
                match (x.get(key), y.get(key)) {
                    (Some(p), Some(q)) => json_diff(&here, p, q, left, right, out),
                    (Some(p), None) => out.push(format!("{here}: only {left}: {p}")),
                    (None, Some(q)) => out.push(format!("{here}: only {right}: {q}")),
                    (None, None) => unreachable!(),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (index, (p, q)) in x.iter().zip(y).enumerate() {
                json_diff(&format!("{path}[{index}]"), p, q, left, right, out);
            }
        }
        _ if a != b => out.push(format!("{path}: {left} {a} / {right} {b}")),
        _ => {}
    }
}

/// The pairs of `a` that `b` lacks, as `name=value`.
fn only(a: &[(String, String)], b: &[(String, String)]) -> Vec<String> {
    a.iter()
        .filter(|pair| !b.contains(pair))
        .map(|(n, v)| format!("{n}={v}"))
        .collect()
}
