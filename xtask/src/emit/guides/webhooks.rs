//! A guide's webhooks section: a handler that verifies and matches the
//! guide's events, the fields each event's payload carries, and signed
//! sample deliveries the test target feeds the handler.

use super::markdown::{cell, first_sentence};
use super::snippet::{format_item, Snippet};
use crate::emit::docs::paragraphs;
use crate::emit::fields::{field_views, FieldView};
use crate::emit::rust_type::Site;
use crate::ir::{query, Api, Primitive, TypeKind, TypeRef, Webhook};
use crate::naming::{EventVariant, Names};
use crate::sample::Sampler;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use std::fmt::Write as _;

/// The handler's name in every guide that has one.
pub const HANDLER: &str = "on_webhook";

pub struct WebhookSection {
    pub markdown: String,
    pub handler: Snippet,
    /// `(event type, body)`: one delivery per event the handler matches.
    pub deliveries: Vec<(String, String)>,
}

/// The section for the webhooks at these indices of `api.webhooks`; `None`
/// when none of them has an event `WebhookEvent` routes to it.
pub fn section(
    api: &Api,
    names: &Names,
    webhooks: &[usize],
) -> Result<Option<WebhookSection>, String> {
    let events: Vec<&EventVariant> = webhooks
        .iter()
        .flat_map(|&w| names.events.iter().filter(move |e| e.webhook == w))
        .collect();
    if events.is_empty() {
        return Ok(None);
    }
    let arms = events.iter().map(|event| {
        let webhook = &api.webhooks[event.webhook];
        let variant = format_ident!("{}", event.variant);
        let show = show_payload(api, names, webhook, &event.event_type);
        quote! { WebhookEvent::#variant(event) => { #show } }
    });
    let handler = format_ident!("{}", HANDLER);
    let tokens = quote! {
        fn #handler(
            client: &telnyx_api::Client,
            body: &[u8],
            headers: &[(&str, &str)],
        ) -> Result<(), Box<dyn std::error::Error>> {
            use telnyx_api::WebhookEvent;
            match client.webhooks().unwrap(body, headers)? {
                #(#arms)*
                other => println!("{} is not handled here", other.event_type()),
            }
            Ok(())
        }
    };
    let handler = Snippet {
        function: HANDLER.to_string(),
        code: format_item(tokens)?,
        needs_futures_util: false,
        needs_serde_json: false,
    };
    let sampler = Sampler::new(api);
    let deliveries = events
        .iter()
        .map(|event| {
            let webhook = &api.webhooks[event.webhook];
            let mut body = sampler.value(&webhook.payload);
            if let Some(key) = &webhook.event_key {
                set_path(
                    &mut body,
                    key.at.path(),
                    Value::String(event.event_type.clone()),
                );
            }
            (event.event_type.clone(), body.to_string())
        })
        .collect();
    Ok(Some(WebhookSection {
        markdown: markdown(api, names, webhooks, &events, &handler),
        handler,
        deliveries,
    }))
}

fn markdown(
    api: &Api,
    names: &Names,
    webhooks: &[usize],
    events: &[&EventVariant],
    handler: &Snippet,
) -> String {
    let mut out = String::new();
    out.push_str(
        "## Webhooks\n\n\
         Telnyx posts these events to your application's webhook URL. Each \
         request is signed with Ed25519 over `{telnyx-timestamp}|{raw body}`, \
         in the headers `telnyx-signature-ed25519` and `telnyx-timestamp`. \
         `client.webhooks().unwrap(body, headers)` checks that signature with \
         the public key from `TELNYX_PUBLIC_KEY` (or \
         `ClientBuilder::public_key`), refuses a timestamp more than five \
         minutes away, and decodes the body into a `WebhookEvent`, one variant \
         per event type. Hand it the body exactly as received: the signature \
         covers those bytes. The `webhooks` feature (on by default) provides \
         the typed events.\n\n",
    );
    let _ = write!(out, "```rust,ignore\n{}```\n\n", handler.code);
    out.push_str("| Event type | Variant | Spec webhook |\n|---|---|---|\n");
    for event in events {
        let _ = writeln!(
            out,
            "| `{}` | `WebhookEvent::{}` | `{}` |",
            event.event_type, event.variant, api.webhooks[event.webhook].name
        );
    }
    for &w in webhooks {
        let webhook = &api.webhooks[w];
        let types: Vec<String> = events
            .iter()
            .filter(|e| e.webhook == w)
            .map(|e| format!("`{}`", e.event_type))
            .collect();
        if types.is_empty() {
            continue;
        }
        let _ = write!(out, "\n### {} ({})\n\n", webhook.name, types.join(", "));
        let rows = payload_rows(api, names, &webhook.payload);
        if rows.is_empty() {
            out.push_str("The payload has no fields the spec describes.\n");
            continue;
        }
        out.push_str("| Field | Type | Description |\n|---|---|---|\n");
        for (path, ty, about) in rows {
            let _ = writeln!(out, "| `{path}` | {ty} | {} |", cell(&about));
        }
    }
    out
}

/// `(data.payload.call_control_id, string, description)` for the event's
/// envelope fields and its payload's fields.
fn payload_rows(api: &Api, names: &Names, ty: &TypeRef) -> Vec<(String, String, String)> {
    let mut rows = Vec::new();
    let Some(outer) = query::struct_of(&api.types, ty) else {
        return rows;
    };
    let (prefix, envelope) = match outer.fields.iter().find(|f| f.name == "data") {
        Some(data) => match query::struct_of(&api.types, &data.ty) {
            Some(inner) => ("data.", inner),
            None => ("", outer),
        },
        None => ("", outer),
    };
    let mut payload_rows = Vec::new();
    for field in &envelope.fields {
        let payload = (field.name == "payload")
            .then(|| query::struct_of(&api.types, &field.ty))
            .flatten();
        match payload {
            Some(payload) => {
                for inner in &payload.fields {
                    payload_rows.push((
                        format!("{prefix}payload.{}", inner.name),
                        type_label(api, &inner.ty),
                        describe(api, names, inner),
                    ));
                }
            }
            None => rows.push((
                format!("{prefix}{}", field.name),
                type_label(api, &field.ty),
                describe(api, names, field),
            )),
        }
    }
    rows.extend(payload_rows);
    rows
}

/// The field's first sentence, else its type's: plain text, as a table
/// cell on GitHub cannot follow the crate's intra-doc links.
fn describe(api: &Api, names: &Names, field: &crate::ir::Field) -> String {
    let own = paragraphs(&field.docs);
    let docs = match (&field.ty, own.is_empty()) {
        (TypeRef::Named(id), true) => paragraphs(&api.type_def(names.canonical(id)).docs),
        _ => own,
    };
    docs.first().map(|p| first_sentence(p)).unwrap_or_default()
}

/// The spec's word for a type: `string`, `uuid`, `enum`, `object`, …
fn type_label(api: &Api, ty: &TypeRef) -> String {
    match query::unalias(&api.types, ty) {
        TypeRef::Primitive(p) => match p {
            Primitive::String => "string",
            Primitive::Bytes => "bytes",
            Primitive::Uuid => "uuid",
            Primitive::Uri => "uri",
            Primitive::Email => "email",
            Primitive::DateTime => "date-time",
            Primitive::Date => "date",
            Primitive::I32 | Primitive::I64 => "integer",
            Primitive::F32 | Primitive::F64 => "number",
            Primitive::Bool => "boolean",
        }
        .to_string(),
        TypeRef::Array(inner) => format!("array of {}", type_label(api, inner)),
        TypeRef::Map(_) => "object".to_string(),
        TypeRef::Any => "any".to_string(),
        TypeRef::Named(id) => match &api.type_def(id).kind {
            TypeKind::Enum(_) => "enum",
            TypeKind::Struct(_) => "object",
            TypeKind::TaggedUnion(_) | TypeKind::UntaggedUnion(_) => "one of several",
            TypeKind::Alias(_) => "value",
        }
        .to_string(),
    }
}

/// The arm's body: the payload's telling field, reached through `data`
/// and `payload` wherever the schema has them, `Option`s unwrapped.
fn show_payload(api: &Api, names: &Names, webhook: &Webhook, event_type: &str) -> TokenStream {
    let mut path: Vec<FieldView<'_>> = Vec::new();
    let mut ty = webhook.payload.clone();
    for step in ["data", "payload"] {
        let Some(s) = query::struct_of(&api.types, &ty) else {
            break;
        };
        let views = field_views(api, names, s, Site::Elsewhere);
        let Some(view) = views.into_iter().find(|v| v.field.name == step) else {
            continue;
        };
        ty = view.field.ty.clone();
        path.push(view);
    }
    let leaf = query::struct_of(&api.types, &ty).and_then(|s| {
        let views = field_views(api, names, s, Site::Elsewhere);
        ["call_control_id", "conference_id", "id"]
            .iter()
            .find_map(|name| views.iter().position(|v| v.field.name == *name))
            .or_else(|| (!views.is_empty()).then_some(0))
            .map(|i| views[i].ident.clone())
    });
    let print = |value: &TokenStream| match &leaf {
        Some(field) => {
            let label = format!("{event_type}: {{:?}}");
            quote!(println!(#label, #value.#field);)
        }
        // A bare binding goes inside the format string (clippy's
        // `uninlined_format_args`); a place expression cannot.
        None => match syn::parse2::<syn::Ident>(value.clone()) {
            Ok(binding) => {
                let label = format!("{event_type}: {{{binding}:?}}");
                quote!(println!(#label);)
            }
            Err(_) => {
                let label = format!("{event_type}: {{:?}}");
                quote!(println!(#label, #value);)
            }
        },
    };
    nest(quote!(event), &path, &print)
}

/// Walks `path` from `value`, with `if let Some(..)` around optional
/// steps; required ones extend the place expression (`event.data.payload`).
fn nest(
    value: TokenStream,
    path: &[FieldView<'_>],
    print: &dyn Fn(&TokenStream) -> TokenStream,
) -> TokenStream {
    let Some((step, rest)) = path.split_first() else {
        return print(&value);
    };
    let field = &step.ident;
    if !step.optional {
        return nest(quote!(#value.#field), rest, print);
    }
    // The steps are `data` and `payload`, which make fine bindings.
    let binding = format_ident!("{}", step.field.name);
    let inner = nest(quote!(#binding), rest, print);
    quote! {
        if let Some(#binding) = &#value.#field {
            #inner
        }
    }
}

/// Sets the value at a JSON path, creating objects on the way.
fn set_path(body: &mut Value, path: &[&str], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = body;
    for key in parents {
        let Some(object) = at.as_object_mut() else {
            return;
        };
        at = object
            .entry(key.to_string())
            .or_insert_with(|| Value::Object(Default::default()));
    }
    if let Some(object) = at.as_object_mut() {
        object.insert(last.to_string(), value);
    }
}
