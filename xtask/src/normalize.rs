//! Stage 2: OpenAPI 3.1 → 3.0, on the generic document, before typed parsing.
//!
//! `openapiv3` models 3.0 only. Every 3.1 construct the Telnyx specs use has an
//! exact 3.0 spelling, so we rewrite in place and hand 3.0 to the typed model.
//! Constructs without one are reported with their pointer, never dropped silently.

mod locate;

use crate::diag::{Error, Pointer, Result, Warnings};
use indexmap::IndexMap;
use locate::Kind;
use serde_json::{Map, Value};

/// The typed document plus what 3.0 has no slot for.
pub struct Normalized {
    pub document: openapiv3::OpenAPI,
    /// Top-level `webhooks` (3.1), keyed by webhook name, in document order.
    pub webhooks: IndexMap<String, openapiv3::PathItem>,
    /// The `openapi` version the file declared.
    pub declared_version: String,
}

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

/// Turns a parsed document of either version into the typed 3.0 model.
pub fn normalize(mut doc: Value, warnings: &mut Warnings) -> Result<Normalized> {
    let declared_version = check_version(&doc)?;
    let is_31 = declared_version.starts_with("3.1");
    let root = doc.as_object_mut().expect("load guarantees a mapping");
    let mut webhooks = root.remove("webhooks").unwrap_or(Value::Object(Map::new()));
    let mut pass = Pass { is_31, warnings };
    pass.document(root);
    pass.path_items(&mut webhooks, &Pointer::root().join("webhooks"));
    root.insert("openapi".into(), Value::String("3.0.3".into()));
    if !root.contains_key("paths") {
        root.insert("paths".into(), Value::Object(Map::new()));
    }
    let document = typed_document(doc)?;
    let webhooks = match webhooks {
        Value::Object(map) => map
            .into_iter()
            .map(|(name, item)| {
                let at = format!("/webhooks/{}", name.replace('~', "~0").replace('/', "~1"));
                Ok((name, typed(item, &at, Kind::PathItem)?))
            })
            .collect::<Result<_>>()?,
        _ => {
            return Err(Error::spec(
                &Pointer::parse("/webhooks"),
                "`webhooks` must be a mapping from webhook name to path item",
            ))
        }
    };
    Ok(Normalized {
        document,
        webhooks,
        declared_version,
    })
}

fn check_version(doc: &Value) -> Result<String> {
    let at = Pointer::parse("/openapi");
    match doc.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0.") || v.starts_with("3.1.") => Ok(v.clone()),
        Some(Value::String(v)) => Err(Error::spec(
            &at,
            format!(
                "unsupported OpenAPI version `{v}`; this generator reads 3.0.x and 3.1.x. \
                 Convert the document to OpenAPI 3.1 (or 3.0) and set `openapi` accordingly"
            ),
        )),
        Some(other) => Err(Error::spec(
            &at,
            format!(
                "`openapi` must be a version string such as \"3.1.0\", found `{other}`; \
                 quote the version in YAML (`openapi: \"3.1.0\"`)"
            ),
        )),
        None if doc.get("swagger").is_some() => Err(Error::spec(
            &Pointer::parse("/swagger"),
            "Swagger 2.0 is not supported; convert the document to OpenAPI 3.0 or 3.1",
        )),
        None => Err(Error::spec(
            &at,
            "missing `openapi` version field; is this an OpenAPI document? \
             Add `openapi: 3.1.0` (or the 3.0.x version it follows) at the top level",
        )),
    }
}

/// `components` and the rest deserialize on two threads: typed conversion
/// of `openapiv3`'s flattened schemas is the costliest step after parsing.
fn typed_document(mut doc: Value) -> Result<openapiv3::OpenAPI> {
    let components = doc
        .as_object_mut()
        .and_then(|root| root.remove("components"));
    let (rest, components) = std::thread::scope(|scope| {
        let components = scope.spawn(move || {
            components
                .map(|c| typed::<openapiv3::Components>(c, "/components", Kind::Components))
                .transpose()
        });
        let rest = typed::<openapiv3::OpenAPI>(doc, "", Kind::Document);
        (rest, components.join())
    });
    let mut document = rest?;
    document.components = components.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    Ok(document)
}

/// Deserializes into the typed model, naming the failing place on error.
fn typed<T: serde::de::DeserializeOwned>(value: Value, base: &str, kind: Kind) -> Result<T> {
    // Finding the place costs time on every value; only a failure needs it.
    <T as serde::Deserialize>::deserialize(&value).map_err(|error| {
        let at = Pointer::parse(base);
        locate::failure(&value, &at, kind)
            .unwrap_or_else(|| Error::spec(&at, format!("not a valid OpenAPI object: {error}")))
    })
}

struct Pass<'w> {
    is_31: bool,
    warnings: &'w mut Warnings,
}

impl Pass<'_> {
    fn document(&mut self, root: &mut Map<String, Value>) {
        let top = Pointer::root();
        if let Some(paths) = root.get_mut("paths") {
            self.path_items(paths, &top.join("paths"));
        }
        let Some(Value::Object(components)) = root.get_mut("components") else {
            return;
        };
        let at = top.join("components");
        for (kind, entries) in components.iter_mut() {
            let Value::Object(entries) = entries else {
                continue;
            };
            for (name, entry) in entries.iter_mut() {
                let here = at.join(kind).join(name);
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

    fn path_items(&mut self, items: &mut Value, at: &Pointer) {
        let Value::Object(items) = items else { return };
        for (path, item) in items.iter_mut() {
            self.path_item(item, &at.join(path));
        }
    }

    fn path_item(&mut self, item: &mut Value, at: &Pointer) {
        let Value::Object(item) = item else { return };
        for (key, value) in item.iter_mut() {
            if key == "parameters" {
                self.parameter_list(value, &at.join(key));
            } else if HTTP_METHODS.contains(&key.as_str()) {
                self.operation(value, &at.join(key));
            }
        }
    }

    fn operation(&mut self, op: &mut Value, at: &Pointer) {
        let Value::Object(op) = op else { return };
        if let Some(params) = op.get_mut("parameters") {
            self.parameter_list(params, &at.join("parameters"));
        }
        if let Some(body) = op.get_mut("requestBody") {
            self.body(body, &at.join("requestBody"));
        }
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            for (status, response) in responses.iter_mut() {
                self.body(response, &at.join("responses").join(status));
            }
        }
    }

    fn parameter_list(&mut self, list: &mut Value, at: &Pointer) {
        let Value::Array(list) = list else { return };
        for (i, p) in list.iter_mut().enumerate() {
            self.parameter(p, &at.join(i));
        }
    }

    fn parameter(&mut self, p: &mut Value, at: &Pointer) {
        let Value::Object(p) = p else { return };
        if let Some(schema) = p.get_mut("schema") {
            self.schema(schema, &at.join("schema"));
        }
        if let Some(content) = p.get_mut("content") {
            self.content(content, &at.join("content"));
        }
    }

    /// A request body or a response: both carry `content` (and responses `headers`).
    fn body(&mut self, body: &mut Value, at: &Pointer) {
        let Value::Object(body) = body else { return };
        if let Some(content) = body.get_mut("content") {
            self.content(content, &at.join("content"));
        }
        if let Some(Value::Object(headers)) = body.get_mut("headers") {
            for (name, header) in headers.iter_mut() {
                self.parameter(header, &at.join("headers").join(name));
            }
        }
    }

    fn content(&mut self, content: &mut Value, at: &Pointer) {
        let Value::Object(content) = content else {
            return;
        };
        for (media_type, media) in content.iter_mut() {
            if let Some(schema) = media.get_mut("schema") {
                self.schema(schema, &at.join(media_type).join("schema"));
            }
        }
    }

    fn schema(&mut self, schema: &mut Value, at: &Pointer) {
        let Value::Object(s) = schema else { return };
        if self.is_31 {
            rewrite_31(s, at, self.warnings);
        }
        self.report_unknown_keywords(s, at);
        for key in ["items", "not", "additionalProperties"] {
            if let Some(sub) = s.get_mut(key) {
                self.schema(sub, &at.join(key));
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(subs)) = s.get_mut(key) {
                for (i, sub) in subs.iter_mut().enumerate() {
                    self.schema(sub, &at.join(key).join(i));
                }
            }
        }
        if let Some(Value::Object(props)) = s.get_mut("properties") {
            for (name, sub) in props.iter_mut() {
                self.schema(sub, &at.join("properties").join(name));
            }
        }
    }

    fn report_unknown_keywords(&mut self, s: &Map<String, Value>, at: &Pointer) {
        for key in s.keys() {
            if !key.starts_with("x-") && !SCHEMA_KEYWORDS_30.contains(&key.as_str()) {
                self.warnings.push(
                    &at.join(key),
                    format!(
                        "schema keyword `{key}` is not supported by the generator and is ignored"
                    ),
                );
            }
        }
    }
}

/// Rewrites one 3.1 schema object's own keywords into their 3.0 spelling.
fn rewrite_31(s: &mut Map<String, Value>, at: &Pointer, warnings: &mut Warnings) {
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
fn type_list(s: &mut Map<String, Value>, at: &Pointer, warnings: &mut Warnings) {
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
                    &at.join("type"),
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
