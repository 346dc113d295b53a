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
        event_key: None,
    })
}

/// Where the payload keeps its `event_type` and which values it takes:
/// `data.event_type` (the envelope Telnyx uses) or a top-level one.
pub(super) fn event_key(payload: &TypeRef, types: &BTreeMap<TypeId, TypeDef>) -> Option<EventKey> {
    [EventTypeAt::Data, EventTypeAt::Root]
        .into_iter()
        .find_map(|at| event_key_at(payload, at, types))
        .filter(|key| !key.values.is_empty())
}

fn event_key_at(
    payload: &TypeRef,
    at: EventTypeAt,
    types: &BTreeMap<TypeId, TypeDef>,
) -> Option<EventKey> {
    let (last, parents) = at.path().split_last()?;
    let mut owner = payload;
    for step in parents {
        owner = query::field_type(types, owner, step)?;
    }
    let field = query::struct_of(types, owner)?
        .fields
        .iter()
        .find(|f| f.name == *last)?;
    if let Some(TypeKind::Enum(e)) = query::resolve(types, &field.ty).map(|d| &d.kind) {
        return Some(EventKey {
            values: e.values.clone(),
            at,
            from_example: false,
        });
    }
    let example = field.example.as_ref()?.as_str()?;
    Some(EventKey {
        values: vec![example.to_string()],
        at,
        from_example: true,
    })
}

/// A body that was routed by its `event_type` has every property on the
/// way to it, so those are required whatever the schema says; callers then
/// reach `event.data.payload` without unwrapping the envelope.
pub(super) fn require_event_path(
    payload: &TypeRef,
    at: EventTypeAt,
    types: &mut BTreeMap<TypeId, TypeDef>,
) {
    let mut owner = payload.clone();
    for step in at.path() {
        let Some(id) = query::resolve(types, &owner).map(|d| d.id.clone()) else {
            return;
        };
        let Some(TypeKind::Struct(s)) = types.get_mut(&id).map(|d| &mut d.kind) else {
            return;
        };
        let Some(field) = s.fields.iter_mut().find(|f| f.name == *step) else {
            return;
        };
        field.required = true;
        owner = field.ty.clone();
        if !s.required.iter().any(|r| r == step) {
            s.required.push(step.to_string());
        }
    }
}

/// Two webhooks claiming one event type could not be told apart.
pub(super) fn check_unique_event_types(webhooks: &[Webhook]) -> Result<()> {
    let mut seen: BTreeMap<&str, &Webhook> = BTreeMap::new();
    for webhook in webhooks {
        let Some(key) = &webhook.event_key else {
            continue;
        };
        for value in &key.values {
            if let Some(first) = seen.insert(value, webhook) {
                return Err(Error::spec(
                    &webhook.pointer,
                    format!(
                        "event type `{value}` is also sent by the webhook at {}; \
                         a receiver could not tell the two apart",
                        first.pointer
                    ),
                ));
            }
        }
    }
    Ok(())
}
