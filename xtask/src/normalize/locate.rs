//! Where a document that does not fit the typed OpenAPI model goes wrong.
//!
//! serde reports an error inside a `#[serde(flatten)]` field at the object
//! holding it, and `openapiv3` flattens paths, responses, parameters and
//! schemas: a bad property deep in a schema would be blamed on `#/paths`.
//! So, on failure only, the walk checks the objects the model nests one by
//! one, innermost first, and blames each that fails on its own: every
//! failing object of the document, not only the first.

use crate::diag::{Error, Pointer};
use serde::de::DeserializeOwned;
use serde_json::Value;

#[derive(Clone, Copy)]
pub(super) enum Kind {
    Document,
    Components,
    PathItem,
    Operation,
    Parameter,
    Header,
    RequestBody,
    Response,
    Schema,
}

/// The innermost objects under `at` that fail as the model's `kind`
/// there. An object whose nested objects fail is not blamed itself.
pub(super) fn failures(value: &Value, at: &Pointer, kind: Kind) -> Vec<Error> {
    let found: Vec<Error> = children(value, at, kind)
        .into_iter()
        .flat_map(|(child, child_at, child_kind)| failures(child, &child_at, child_kind))
        .collect();
    if !found.is_empty() {
        return found;
    }
    failure_of(value, at, kind).into_iter().collect()
}

fn failure_of(value: &Value, at: &Pointer, kind: Kind) -> Option<Error> {
    use openapiv3::ReferenceOr as Ref;
    match kind {
        Kind::Document => check::<openapiv3::OpenAPI>(value, at),
        Kind::Components => check::<openapiv3::Components>(value, at),
        Kind::PathItem => check::<Ref<openapiv3::PathItem>>(value, at),
        Kind::Operation => check::<openapiv3::Operation>(value, at),
        Kind::Parameter => check::<Ref<openapiv3::Parameter>>(value, at),
        Kind::Header => check::<Ref<openapiv3::Header>>(value, at),
        Kind::RequestBody => check::<Ref<openapiv3::RequestBody>>(value, at),
        Kind::Response => check::<Ref<openapiv3::Response>>(value, at),
        Kind::Schema => check::<Ref<openapiv3::Schema>>(value, at),
    }
}

type Child<'v> = (&'v Value, Pointer, Kind);

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The objects the model nests in a `kind`, each with its own kind.
fn children<'v>(value: &'v Value, at: &Pointer, kind: Kind) -> Vec<Child<'v>> {
    let mut out = Vec::new();
    let entries = |key: &str, kind: Kind, out: &mut Vec<Child<'v>>| {
        if let Some(Value::Object(map)) = value.get(key) {
            out.extend(
                map.iter()
                    .map(|(name, child)| (child, at.join(key).join(name), kind)),
            );
        }
    };
    match kind {
        Kind::Document => entries("paths", Kind::PathItem, &mut out),
        Kind::Components => {
            entries("schemas", Kind::Schema, &mut out);
            entries("parameters", Kind::Parameter, &mut out);
            entries("headers", Kind::Header, &mut out);
            entries("requestBodies", Kind::RequestBody, &mut out);
            entries("responses", Kind::Response, &mut out);
        }
        Kind::PathItem => {
            for method in METHODS {
                out.extend(single(value, at, method, Kind::Operation));
            }
            out.extend(list(value, at, "parameters", Kind::Parameter));
        }
        Kind::Operation => {
            out.extend(list(value, at, "parameters", Kind::Parameter));
            out.extend(single(value, at, "requestBody", Kind::RequestBody));
            entries("responses", Kind::Response, &mut out);
        }
        Kind::Parameter | Kind::Header => {
            out.extend(single(value, at, "schema", Kind::Schema));
            out.extend(content_schemas(value, at));
        }
        Kind::RequestBody => out.extend(content_schemas(value, at)),
        Kind::Response => {
            entries("headers", Kind::Header, &mut out);
            out.extend(content_schemas(value, at));
        }
        Kind::Schema => {
            entries("properties", Kind::Schema, &mut out);
            for key in ["items", "not", "additionalProperties"] {
                // `additionalProperties: true` is no schema object.
                let schema = value.get(key).filter(|child| child.is_object());
                out.extend(schema.map(|child| (child, at.join(key), Kind::Schema)));
            }
            for key in ["allOf", "oneOf", "anyOf"] {
                out.extend(list(value, at, key, Kind::Schema));
            }
        }
    }
    out
}

fn single<'v>(value: &'v Value, at: &Pointer, key: &str, kind: Kind) -> Option<Child<'v>> {
    value.get(key).map(|child| (child, at.join(key), kind))
}

fn list<'v>(value: &'v Value, at: &Pointer, key: &str, kind: Kind) -> Vec<Child<'v>> {
    match value.get(key) {
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| (item, at.join(key).join(i), kind))
            .collect(),
        _ => Vec::new(),
    }
}

/// `content` maps media types to objects holding a `schema`.
fn content_schemas<'v>(value: &'v Value, at: &Pointer) -> Vec<Child<'v>> {
    let Some(Value::Object(content)) = value.get("content") else {
        return Vec::new();
    };
    content
        .iter()
        .filter_map(|(media_type, media)| {
            let schema = media.get("schema")?;
            let schema_at = at.join("content").join(media_type).join("schema");
            Some((schema, schema_at, Kind::Schema))
        })
        .collect()
}

/// Deserializes `value` as `T`, naming the failing place below `at`.
fn check<T: DeserializeOwned>(value: &Value, at: &Pointer) -> Option<Error> {
    let error = serde_path_to_error::deserialize::<_, T>(value).err()?;
    let mut pointer = at.clone();
    for segment in error.path().iter() {
        use serde_path_to_error::Segment;
        pointer = match segment {
            Segment::Seq { index } => pointer.join(index),
            Segment::Map { key } | Segment::Enum { variant: key } => pointer.join(key),
            Segment::Unknown => continue,
        };
    }
    Some(Error::spec(
        &pointer,
        format!(
            "not a valid OpenAPI object: {}; give it the shape the OpenAPI specification \
             defines there",
            error.inner()
        ),
    ))
}
