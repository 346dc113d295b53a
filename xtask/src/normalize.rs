//! Stage 2: OpenAPI 3.1 → 3.0, on the generic document, before typed parsing.
//!
//! `openapiv3` models 3.0 only. Every 3.1 construct the Telnyx specs use has an
//! exact 3.0 spelling, so we rewrite in place and hand 3.0 to the typed model.
//! Constructs without one are reported with their pointer, never dropped silently.
//! Quirks of either version whose meaning is plain are rewritten too
//! ([`quirks`]), each with a warning.

mod locate;
mod pass;
mod pieces;
mod quirks;

use crate::diag::{Error, Pointer, Result, Warnings};
use indexmap::IndexMap;
use locate::Kind;
use pass::Pass;
use pieces::Pieces;
use quirks::BodySchemas;
use serde_json::{Map, Value};

/// The typed document plus what 3.0 has no slot for.
pub struct Normalized {
    pub document: openapiv3::OpenAPI,
    /// Top-level `webhooks` (3.1), keyed by webhook name, in document order.
    pub webhooks: IndexMap<String, openapiv3::PathItem>,
    /// The `openapi` version the file declared.
    pub declared_version: String,
}

/// Turns a parsed document of either version into the typed 3.0 model.
pub fn normalize(mut doc: Value, warnings: &mut Warnings) -> Result<Normalized> {
    let declared_version = check_version(&doc)?;
    let is_31 = declared_version.starts_with("3.1");
    let root = doc.as_object_mut().expect("load guarantees a mapping");
    let webhooks = root.remove("webhooks").unwrap_or(Value::Object(Map::new()));
    if !is_31 && root.contains_key("x-webhooks") {
        warnings.looser(
            &Pointer::parse("/x-webhooks"),
            "OpenAPI 3.0 has no webhooks and the `x-webhooks` extension is not read (Telnyx's \
             3.0 releases had none), so the crate gets no webhook events; declare them under \
             `webhooks` in an OpenAPI 3.1 document",
        );
    }
    root.insert("openapi".into(), Value::String("3.0.3".into()));
    if !root.contains_key("paths") {
        root.insert("paths".into(), Value::Object(Map::new()));
    }
    let bodies = BodySchemas::collect(&doc);
    let Value::Object(webhooks) = webhooks else {
        let mut pass = Pass {
            is_31,
            warnings,
            bodies: &bodies,
            expanding: Vec::new(),
        };
        pass.document(doc.as_object_mut().expect("load guarantees a mapping"));
        return typed_whole(doc, webhooks, declared_version);
    };
    match Pieces::cut(doc, webhooks).rewrite_and_type(is_31, &bodies, warnings) {
        Ok(typed) => Ok(Normalized {
            document: typed.document,
            webhooks: typed.webhooks,
            declared_version,
        }),
        Err(pieces) => {
            let (doc, webhooks) = pieces.join();
            typed_whole(doc, Value::Object(webhooks), declared_version)
        }
    }
}

/// The rewritten document typed as one: the way that names the failing
/// place best when a piece did not type.
fn typed_whole(doc: Value, webhooks: Value, declared_version: String) -> Result<Normalized> {
    let mut errors = Vec::new();
    let document = typed_document(doc).map_err(|e| errors.push(e)).ok();
    let mut typed_webhooks = IndexMap::new();
    match webhooks {
        Value::Object(map) => {
            for (name, item) in map {
                let at = Pointer::root().join("webhooks").join(&name);
                match typed(item, at.as_str(), Kind::PathItem) {
                    Ok(item) => {
                        typed_webhooks.insert(name, item);
                    }
                    Err(error) => errors.push(error),
                }
            }
        }
        _ => errors.push(Error::spec(
            &Pointer::parse("/webhooks"),
            "`webhooks` must be a mapping from webhook name to path item",
        )),
    }
    match (document, Error::all(errors)) {
        (Some(document), None) => Ok(Normalized {
            document,
            webhooks: typed_webhooks,
            declared_version,
        }),
        (_, Some(error)) => Err(error),
        (None, None) => unreachable!("a document that did not type left an error"),
    }
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
    let components = components.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    match (rest, components) {
        (Ok(mut document), Ok(components)) => {
            document.components = components;
            Ok(document)
        }
        (rest, components) => Err(Error::all(
            [rest.err(), components.err()]
                .into_iter()
                .flatten()
                .collect(),
        )
        .expect("one of the two failed")),
    }
}

/// Deserializes into the typed model, naming the failing place on error.
fn typed<T: serde::de::DeserializeOwned>(value: Value, base: &str, kind: Kind) -> Result<T> {
    // Finding the place costs time on every value; only a failure needs it.
    <T as serde::Deserialize>::deserialize(&value).map_err(|error| {
        let at = Pointer::parse(base);
        Error::all(locate::failures(&value, &at, kind))
            .unwrap_or_else(|| Error::spec(&at, format!("not a valid OpenAPI object: {error}")))
    })
}
