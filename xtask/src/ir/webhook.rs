//! Lowering of the top-level `webhooks` map (OpenAPI 3.1) into events.

use super::query;
use super::schema::SchemaLowerer;
use super::*;
use crate::diag::{Error, Pointer, Result};
use openapiv3::{PathItem, ReferenceOr};

pub(super) fn lower_webhook(
    lowerer: &mut SchemaLowerer<'_>,
    name: &str,
    item: &PathItem,
) -> Result<Webhook> {
    let pointer = Pointer::root().join("webhooks").join(name);
    let Some((method, op)) = item.iter().next() else {
        return Err(Error::spec(
            &pointer,
            "a webhook needs an operation (usually `post`)",
        ));
    };
    let at = pointer.join(method);
    let body_at = at.join("requestBody");
    let Some(body) = &op.request_body else {
        return Err(Error::spec(
            &at,
            "a webhook operation needs a `requestBody` describing its payload",
        ));
    };
    let ReferenceOr::Item(body) = body else {
        return Err(Error::spec(
            &body_at,
            "a webhook `requestBody` must be written inline",
        ));
    };
    let media = body
        .content
        .get("application/json")
        .or_else(|| body.content.values().next());
    let Some(schema) = media.and_then(|m| m.schema.as_ref()) else {
        return Err(Error::spec(
            &body_at.join("content"),
            "a webhook payload needs a JSON schema",
        ));
    };
    let schema_at = body_at
        .join("content")
        .join("application/json")
        .join("schema");
    let payload = lowerer.lower(schema, &schema_at, || Origin::Webhook {
        name: name.to_string(),
    })?;
    Ok(Webhook {
        name: name.to_string(),
        pointer,
        docs: Docs {
            title: None,
            summary: op.summary.clone(),
            description: op.description.clone(),
        },
        payload,
        event_types: Vec::new(),
    })
}

/// The `event_type` values a payload declares: `data.event_type` (the
/// envelope Telnyx uses) or a top-level `event_type`.
pub(super) fn event_types(payload: &TypeRef, types: &BTreeMap<TypeId, TypeDef>) -> Vec<String> {
    let enum_at = |path: &[&str]| -> Option<Vec<String>> {
        let mut current = payload;
        for step in path {
            current = query::field_type(types, current, step)?;
        }
        match &query::resolve(types, current)?.kind {
            TypeKind::Enum(e) => Some(e.values.clone()),
            _ => None,
        }
    };
    enum_at(&["data", "event_type"])
        .or_else(|| enum_at(&["event_type"]))
        .unwrap_or_default()
}
