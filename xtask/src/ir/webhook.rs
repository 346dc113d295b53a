//! Lowering of the top-level `webhooks` map (OpenAPI 3.1) into events.

use super::query;
use super::resolve::component;
use super::schema::SchemaLowerer;
use super::*;
use crate::diag::{Pointer, Result, Warnings};
use openapiv3::{PathItem, ReferenceOr, Schema};

/// The webhook named `name`, or `None` (with a warning) when it declares
/// no operation: nothing arrives there to be typed.
pub(super) fn lower_webhook<'a>(
    lowerer: &mut SchemaLowerer<'a>,
    name: &str,
    item: &'a PathItem,
) -> Result<Option<Webhook>> {
    let pointer = Pointer::root().join("webhooks").join(name);
    let Some((method, op)) = item.iter().next() else {
        lowerer.warnings.push(
            &pointer,
            "a webhook without an operation (usually `post`) describes no request; skipped",
        );
        return Ok(None);
    };
    let at = pointer.join(method);
    let payload = match payload_schema(lowerer, op, &at)? {
        Some((schema, schema_at, home)) => {
            let origin = || match home {
                Some(home) => Origin::ComponentBody {
                    name: home.last_token(),
                },
                None => Origin::Webhook {
                    name: name.to_string(),
                },
            };
            lowerer.lower(schema, &schema_at, origin)?
        }
        None => TypeRef::Any,
    };
    Ok(Some(Webhook {
        name: name.to_string(),
        pointer,
        docs: Docs {
            title: None,
            summary: op.summary.clone(),
            description: op.description.clone(),
        },
        payload,
        event_key: None,
        shadowed_events: Vec::new(),
    }))
}

type PayloadSchema<'a> = (&'a ReferenceOr<Schema>, Pointer, Option<Pointer>);

/// The schema of a webhook's request body, where it sits, and the
/// component body it came from; `None` (with a warning: the payload is
/// then raw JSON) when the webhook describes none.
fn payload_schema<'a>(
    lowerer: &mut SchemaLowerer<'a>,
    op: &'a openapiv3::Operation,
    at: &Pointer,
) -> Result<Option<PayloadSchema<'a>>> {
    let body_at = at.join("requestBody");
    let Some(body) = &op.request_body else {
        lowerer.warnings.push(
            at,
            "a webhook operation without a `requestBody` does not say what it posts; its \
             payload is read as raw JSON",
        );
        return Ok(None);
    };
    let doc = lowerer.doc;
    let (body, home) = component(doc, "requestBodies", |c| &c.request_bodies, body, &body_at)?;
    let base = home.clone().unwrap_or(body_at);
    let media = body
        .content
        .iter()
        .find(|(media_type, _)| media_type.as_str() == "application/json")
        .or_else(|| body.content.iter().next());
    match media.and_then(|(media_type, m)| Some((media_type, m.schema.as_ref()?))) {
        Some((media_type, schema)) => {
            let schema_at = base.join("content").join(media_type).join("schema");
            Ok(Some((schema, schema_at, home)))
        }
        None => {
            lowerer.warnings.push(
                &base.join("content"),
                "a webhook `requestBody` without a schema does not say what it posts; its \
                 payload is read as raw JSON",
            );
            Ok(None)
        }
    }
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

/// An event type two webhooks declare routes to the first in spec order;
/// the later webhook keeps its payload type, reached with `unwrap_as`.
pub(super) fn route_event_types(webhooks: &mut [Webhook], warnings: &mut Warnings) {
    let mut first_of: BTreeMap<String, (String, Pointer)> = BTreeMap::new();
    for webhook in webhooks.iter_mut() {
        let Some(key) = &webhook.event_key else {
            continue;
        };
        for value in &key.values {
            match first_of.get(value) {
                Some((first, first_at)) => {
                    warnings.push(
                        &webhook.pointer,
                        format!(
                            "event type `{value}` is declared by the webhooks `{first}` \
                             ({first_at}) and `{}`; `WebhookEvent` routes it to `{first}`, the \
                             first in the spec, and a body for `{}` decodes with \
                             `Webhooks::unwrap_as` and its payload type",
                            webhook.name, webhook.name
                        ),
                    );
                    webhook.shadowed_events.push(value.clone());
                }
                None => {
                    first_of.insert(
                        value.clone(),
                        (webhook.name.clone(), webhook.pointer.clone()),
                    );
                }
            }
        }
    }
}
