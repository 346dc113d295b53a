//! The 3.1 → 3.0 rewrite of schema objects, in place on the generic
//! document, and the warnings about keywords the generator ignores.

use super::quirks::{self, BodySchemas};
use crate::diag::{Pointer, Warnings};
use serde_json::{Map, Value};

const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Keywords `openapiv3` reads from a 3.0 schema object.
const SCHEMA_KEYWORDS_30: [&str; 36] = [
    "$ref",
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
];

pub(super) struct Pass<'w> {
    pub is_31: bool,
    pub warnings: &'w mut Warnings,
    /// What a `$ref` to a component response or request body in a schema's
    /// place reads as.
    pub bodies: &'w BodySchemas,
    /// The component bodies whose inline schema is being rewritten where
    /// they were referred to: one that refers to itself is left alone.
    pub expanding: Vec<String>,
}

impl Pass<'_> {
    pub(super) fn document(&mut self, root: &mut Map<String, Value>) {
        let top = At::ROOT;
        if let Some(paths) = root.get_mut("paths") {
            self.path_items(paths, &top.key("paths"));
        }
        let Some(Value::Object(components)) = root.get_mut("components") else {
            return;
        };
        let at = top.key("components");
        for (kind, entries) in components.iter_mut() {
            let Value::Object(entries) = entries else {
                continue;
            };
            for (name, entry) in entries.iter_mut() {
                let kind_at = at.key(kind);
                let here = kind_at.key(name);
                match kind.as_str() {
                    "schemas" => self.schema(entry, &here),
                    "parameters" | "headers" => self.parameter(entry, &here),
                    "requestBodies" | "responses" => self.body(entry, &here),
                    "pathItems" => self.path_item(entry, &here),
                    _ => {}
                }
            }
        }
    }

    pub(super) fn path_items(&mut self, items: &mut Value, at: &At<'_>) {
        let Value::Object(items) = items else { return };
        for (path, item) in items.iter_mut() {
            self.path_item(item, &at.key(path));
        }
    }

    pub(super) fn path_item(&mut self, item: &mut Value, at: &At<'_>) {
        let Value::Object(item) = item else { return };
        for (key, value) in item.iter_mut() {
            if key == "parameters" {
                self.parameter_list(value, &at.key(key));
            } else if HTTP_METHODS.contains(&key.as_str()) {
                self.operation(value, &at.key(key));
            }
        }
    }

    fn operation(&mut self, op: &mut Value, at: &At<'_>) {
        let Value::Object(op) = op else { return };
        if let Some(params) = op.get_mut("parameters") {
            self.parameter_list(params, &at.key("parameters"));
        }
        if let Some(body) = op.get_mut("requestBody") {
            self.body(body, &at.key("requestBody"));
        }
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            let responses_at = at.key("responses");
            for (status, response) in responses.iter_mut() {
                self.body(response, &responses_at.key(status));
            }
        }
    }

    fn parameter_list(&mut self, list: &mut Value, at: &At<'_>) {
        let Value::Array(list) = list else { return };
        for (i, p) in list.iter_mut().enumerate() {
            self.parameter(p, &at.index(i));
        }
    }

    fn parameter(&mut self, p: &mut Value, at: &At<'_>) {
        let Value::Object(p) = p else { return };
        quirks::parameter_schema_flag(p, at, self.warnings);
        if let Some(schema) = p.get_mut("schema") {
            self.schema(schema, &at.key("schema"));
        }
        if let Some(content) = p.get_mut("content") {
            self.content(content, &at.key("content"));
        }
    }

    /// A request body or a response: both carry `content` (and responses `headers`).
    fn body(&mut self, body: &mut Value, at: &At<'_>) {
        let Value::Object(body) = body else { return };
        if let Some(content) = body.get_mut("content") {
            self.content(content, &at.key("content"));
        }
        if let Some(Value::Object(headers)) = body.get_mut("headers") {
            let headers_at = at.key("headers");
            for (name, header) in headers.iter_mut() {
                self.parameter(header, &headers_at.key(name));
            }
        }
    }

    fn content(&mut self, content: &mut Value, at: &At<'_>) {
        let Value::Object(content) = content else {
            return;
        };
        for (media_type, media) in content.iter_mut() {
            if let Some(schema) = media.get_mut("schema") {
                self.schema(schema, &at.key(media_type).key("schema"));
            }
        }
    }

    pub(super) fn schema(&mut self, schema: &mut Value, at: &At<'_>) {
        let Value::Object(s) = schema else { return };
        ref_as_text(s);
        let expanded =
            quirks::body_ref_as_schema(s, at, self.bodies, &self.expanding, self.warnings);
        let depth = self.expanding.len();
        self.expanding.extend(expanded);
        // A property's own flag was taken by its parent's pass below.
        quirks::stray_required_flag(s, at, self.warnings);
        quirks::property_required_flags(s, at, self.warnings);
        if self.is_31 {
            rewrite_31(s, at, self.warnings);
        } else if s.contains_key("$ref") && s.get("nullable") == Some(&Value::Bool(true)) {
            // 3.0 ignores a `$ref`'s siblings, but `nullable: true` beside
            // one says plainly what its author meant.
            ref_with_siblings(s);
        }
        self.report_unknown_keywords(s, at);
        for key in ["items", "not", "additionalProperties"] {
            if let Some(sub) = s.get_mut(key) {
                self.schema(sub, &at.key(key));
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(subs)) = s.get_mut(key) {
                let list_at = at.key(key);
                for (i, sub) in subs.iter_mut().enumerate() {
                    self.schema(sub, &list_at.index(i));
                }
            }
        }
        if let Some(Value::Object(props)) = s.get_mut("properties") {
            let props_at = at.key("properties");
            for (name, sub) in props.iter_mut() {
                self.schema(sub, &props_at.key(name));
            }
        }
        self.expanding.truncate(depth);
    }

    fn report_unknown_keywords(&mut self, s: &Map<String, Value>, at: &At<'_>) {
        for key in s.keys() {
            if !key.starts_with("x-") && !SCHEMA_KEYWORDS_30.contains(&key.as_str()) {
                self.warnings.looser(
                    &at.key(key).pointer(),
                    format!(
                        "schema keyword `{key}` is not supported by the generator and is ignored"
                    ),
                );
            }
        }
    }
}

/// The typed model reads a schema whose `$ref` is no string as a schema
/// without one, which would drop the reference without a word; as text,
/// lowering refuses it as a `$ref` it cannot follow, naming its place.
fn ref_as_text(s: &mut Map<String, Value>) {
    if let Some(reference) = s.get_mut("$ref").filter(|r| !r.is_string()) {
        *reference = Value::String(reference.to_string());
    }
}

/// Rewrites one 3.1 schema object's own keywords into their 3.0 spelling.
fn rewrite_31(s: &mut Map<String, Value>, at: &At<'_>, warnings: &mut Warnings) {
    ref_with_siblings(s);
    type_list(s, at, warnings);
    if let Some(value) = s.remove("const") {
        s.insert("enum".into(), Value::Array(vec![value]));
    }
    if let Some(Value::Array(mut examples)) = s.remove("examples") {
        if !examples.is_empty() {
            if examples.len() > 1 {
                s.insert("x-examples".into(), Value::Array(examples.clone()));
            }
            s.entry("example")
                .or_insert_with(|| examples.swap_remove(0));
        }
    }
    for (bound, exclusive) in [
        ("minimum", "exclusiveMinimum"),
        ("maximum", "exclusiveMaximum"),
    ] {
        if let Some(limit) = s.get(exclusive).filter(|v| v.is_number()).cloned() {
            s.insert(bound.into(), limit);
            s.insert(exclusive.into(), Value::Bool(true));
        }
    }
    null_variants(s);
}

/// 3.1 allows keywords beside `$ref`; 3.0 ignores them. `allOf: [$ref]` keeps both.
fn ref_with_siblings(s: &mut Map<String, Value>) {
    if s.len() > 1 && s.contains_key("$ref") {
        let reference = s.remove("$ref").expect("checked");
        let mut only_ref = Map::new();
        only_ref.insert("$ref".into(), reference);
        s.insert("allOf".into(), Value::Array(vec![Value::Object(only_ref)]));
    }
}

/// `type: [T, "null"]` → `type: T, nullable: true`; several types → `anyOf`.
fn type_list(s: &mut Map<String, Value>, at: &At<'_>, warnings: &mut Warnings) {
    let Some(Value::Array(types)) = s.get("type").cloned() else {
        if s.get("type").and_then(Value::as_str) == Some("null") {
            s.remove("type");
            s.insert("nullable".into(), Value::Bool(true));
        }
        return;
    };
    let nullable = types.iter().any(|t| t == "null");
    let concrete: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
    s.remove("type");
    if nullable {
        s.insert("nullable".into(), Value::Bool(true));
    }
    match concrete.len() {
        0 => {}
        1 => {
            s.insert("type".into(), concrete.into_iter().next().expect("one"));
        }
        _ => {
            if s.contains_key("anyOf") || s.contains_key("oneOf") {
                warnings.push(
                    &at.key("type").pointer(),
                    "a type list beside anyOf/oneOf is read as the union alone",
                );
                return;
            }
            let variants = concrete
                .into_iter()
                .map(|t| {
                    let mut variant = Map::new();
                    variant.insert("type".into(), t);
                    Value::Object(variant)
                })
                .collect();
            s.insert("anyOf".into(), Value::Array(variants));
        }
    }
}

/// `oneOf: [X, {type: null}]` → `oneOf: [X]` + `nullable: true`.
fn null_variants(s: &mut Map<String, Value>) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(variants)) = s.get_mut(key) else {
            continue;
        };
        let before = variants.len();
        variants.retain(|v| v.get("type").and_then(Value::as_str) != Some("null"));
        if variants.len() != before {
            s.insert("nullable".into(), Value::Bool(true));
        }
    }
}

/// Where the pass is, as a chain of keys on the stack: the pointer string
/// is built only for a warning, not for each of the spec's schema nodes.
#[derive(Clone, Copy)]
pub(super) struct At<'a> {
    parent: Option<&'a At<'a>>,
    token: Token<'a>,
}

#[derive(Clone, Copy)]
enum Token<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> At<'a> {
    pub const ROOT: At<'static> = At {
        parent: None,
        token: Token::Root,
    };

    pub fn key(&'a self, key: &'a str) -> At<'a> {
        At {
            parent: Some(self),
            token: Token::Key(key),
        }
    }

    pub fn index(&'a self, index: usize) -> At<'a> {
        At {
            parent: Some(self),
            token: Token::Index(index),
        }
    }

    pub fn pointer(&self) -> Pointer {
        let parent = self.parent.map_or_else(Pointer::root, At::pointer);
        match self.token {
            Token::Root => parent,
            Token::Key(key) => parent.join(key),
            Token::Index(index) => parent.join(index),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_are_built_with_escapes() {
        let paths = At::ROOT.key("paths");
        let path = paths.key("/calls/{id}");
        let param = path.key("parameters");
        assert_eq!(
            param.index(2).pointer().as_str(),
            "/paths/~1calls~1{id}/parameters/2"
        );
        assert_eq!(At::ROOT.pointer(), Pointer::root());
        assert_eq!(At::ROOT.key("a~b").pointer().as_str(), "/a~0b");
    }
}
