//! `src/webhooks.rs`: the `WebhookEvent` enum, one variant per event type,
//! and the decoding that routes a body to its variant by `event_type`.

use super::docs::{doc_attrs, paragraphs};
use super::rust_type::{rust_type, Site};
use crate::ir::{Api, EventTypeAt, TypeRef, Webhook};
use crate::naming::{EventVariant, Names};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

pub fn emit(api: &Api, names: &Names) -> TokenStream {
    let event_enum = event_enum(api, names);
    let accessors = accessors(names);
    let decode = decode_impl(api, names);
    let payload_impls = payload_impls(api, names);
    let module_docs = module_docs(api, names);
    quote! {
        #module_docs

        pub use crate::runtime::{
            Clock, DecodeWebhook, FixedClock, PublicKey, SystemClock, WebhookDecodeError,
            WebhookError, WebhookHeaders, Webhooks, DEFAULT_WEBHOOK_TOLERANCE, SIGNATURE_HEADER,
            TIMESTAMP_HEADER,
        };
        #[cfg(feature = "axum")]
        pub use crate::runtime::{VerifiedWebhook, WebhookRejection};

        #event_enum
        #accessors
        #decode
        #payload_impls

        impl Webhooks {
            /// Verifies the signature of a webhook request, then decodes its
            /// body into a [`WebhookEvent`].
            ///
            /// `body` must be the request body exactly as received: the
            /// signature covers those bytes, not a re-serialized value.
            ///
            /// # Errors
            ///
            /// Any [`WebhookError`]: a missing or malformed header, a
            /// timestamp outside the tolerance, a signature that does not
            /// match, or a verified body that does not decode.
            pub fn unwrap<H: WebhookHeaders + ?Sized>(
                &self,
                body: &[u8],
                headers: &H,
            ) -> Result<WebhookEvent, WebhookError> {
                self.unwrap_as(body, headers)
            }

            /// Decodes a webhook body into a [`WebhookEvent`] without
            /// verifying where it came from. Only for bodies whose origin is
            /// already established, such as ones replayed from your own
            /// store.
            ///
            /// # Errors
            ///
            /// [`WebhookDecodeError`] when the body is not JSON or does not
            /// match the schema of the event type it names.
            pub fn unsafe_unwrap(&self, body: &[u8]) -> Result<WebhookEvent, WebhookDecodeError> {
                self.decode_as(body)
            }
        }
    }
}

fn module_docs(api: &Api, names: &Names) -> TokenStream {
    let keyless: Vec<String> = api
        .webhooks
        .iter()
        .filter(|w| w.event_key.is_none())
        .filter_map(|w| {
            let name = payload_type_name(names, w)?;
            Some(format!("- `{}`: [`{name}`](crate::types::{name})", w.name))
        })
        .collect();
    let mut lines = vec![
        "Webhooks: the events Telnyx posts to your application, typed, and".to_string(),
        "the Ed25519 signature check that proves they came from Telnyx.".into(),
        String::new(),
        "[`Webhooks::unwrap`] verifies a request and decodes it into a".into(),
        "[`WebhookEvent`], chosen by the body's `data.event_type`. Get a".into(),
        "[`Webhooks`] from [`Client::webhooks`](crate::Client::webhooks) or".into(),
        "build one from the public key in the Mission Control portal.".into(),
    ];
    if !keyless.is_empty() {
        lines.extend([
            String::new(),
            "These webhooks carry no `event_type`, so [`WebhookEvent`] cannot".into(),
            "recognize them; decode them with [`Webhooks::unwrap_as`] and the".into(),
            "type of the endpoint they were configured for:".into(),
            String::new(),
        ]);
        lines.extend(keyless);
    }
    let lines = lines.iter().map(|l| format!(" {l}").trim_end().to_string());
    quote! { #( #![doc = #lines] )* }
}

fn event_enum(api: &Api, names: &Names) -> TokenStream {
    let variants = names.events.iter().map(|event| {
        let webhook = &api.webhooks[event.webhook];
        let ident = format_ident!("{}", event.variant);
        let payload = rust_type(names, &webhook.payload, Site::Elsewhere);
        let docs = doc_attrs(&variant_paragraphs(event, webhook));
        quote! { #docs #ident(Box<#payload>), }
    });
    quote! {
        /// A webhook event, chosen by the body's `event_type`.
        ///
        /// Each variant holds the whole body, typed by the schema of its
        /// webhook: `data` with `event_type`, `id`, `occurred_at`,
        /// `record_type` and the event's `payload`, and `meta` where the
        /// webhook has it. An event type this version of the crate does
        /// not know arrives as [`WebhookEvent::Unknown`] with the body kept
        /// whole; a known event type whose body does not match its schema is
        /// an error, never an `Unknown`.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum WebhookEvent {
            #(#variants)*
            /// An event type the specification this crate was generated
            /// from does not list: the whole body as JSON.
            Unknown(serde_json::Value),
        }
    }
}

fn variant_paragraphs(event: &EventVariant, webhook: &Webhook) -> Vec<String> {
    let mut out = vec![format!("`{}`", event.event_type)];
    out.extend(paragraphs(&webhook.docs).into_iter().take(1));
    out.push(format!("Sent by the `{}` webhook.", webhook.name));
    out
}

fn accessors(names: &Names) -> TokenStream {
    let arms: Vec<(proc_macro2::Ident, &str, &str)> = names
        .events
        .iter()
        .map(|e| {
            (
                format_ident!("{}", e.variant),
                e.event_type.as_str(),
                e.variant.as_str(),
            )
        })
        .collect();
    let type_arms = arms.iter().map(|(ident, event_type, _)| {
        quote! { WebhookEvent::#ident(_) => #event_type, }
    });
    let name_arms = arms.iter().map(|(ident, _, name)| {
        quote! { WebhookEvent::#ident(_) => #name, }
    });
    let event_types: BTreeSet<&str> = arms.iter().map(|(_, t, _)| *t).collect();
    let event_types = event_types.into_iter();
    quote! {
        impl WebhookEvent {
            /// Every event type with a variant of its own, sorted.
            pub const EVENT_TYPES: &'static [&'static str] = &[#(#event_types),*];

            /// The event type, such as `call.answered`; for
            /// [`WebhookEvent::Unknown`] the one the body names, or `""`.
            pub fn event_type(&self) -> &str {
                match self {
                    #(#type_arms)*
                    WebhookEvent::Unknown(raw) => crate::runtime::raw_event_type(raw),
                }
            }

            /// The name of the variant, such as `CallAnswered`.
            pub fn variant_name(&self) -> &'static str {
                match self {
                    #(#name_arms)*
                    WebhookEvent::Unknown(_) => "Unknown",
                }
            }
        }
    }
}

fn decode_impl(api: &Api, names: &Names) -> TokenStream {
    let arms = names.events.iter().map(|event| {
        let webhook = &api.webhooks[event.webhook];
        let ident = format_ident!("{}", event.variant);
        let event_type = &event.event_type;
        let payload = rust_type(names, &webhook.payload, Site::Elsewhere);
        let at = webhook.event_key.as_ref().map(|k| k.at);
        // Decoded unboxed, then boxed: the payload type's own decoder (its
        // `DecodeWebhook`) is compiled once, not again for `Box<_>`.
        let decode = match at {
            // The schema describes the object inside `data`; accept it
            // bare, as written, or inside the envelope Telnyx sends.
            Some(EventTypeAt::Root) => quote! {
                match probe.at {
                    crate::runtime::EventTypeAt::Root => {
                        crate::runtime::decode_typed::<#payload>(body, Some(#event_type))?
                    }
                    crate::runtime::EventTypeAt::Data => {
                        crate::runtime::decode_event_data::<#payload>(body, #event_type)?
                    }
                }
            },
            _ => quote! { crate::runtime::decode_typed::<#payload>(body, Some(#event_type))? },
        };
        quote! { #event_type => WebhookEvent::#ident(Box::new(#decode)), }
    });
    let arms: Vec<TokenStream> = arms.collect();
    let body = if arms.is_empty() {
        quote! { crate::runtime::decode_typed(body, None).map(WebhookEvent::Unknown) }
    } else {
        quote! {
            let Some(probe) = crate::runtime::probe_event_type(body) else {
                return crate::runtime::decode_typed(body, None).map(WebhookEvent::Unknown);
            };
            Ok(match probe.event_type.as_ref() {
                #(#arms)*
                _ => WebhookEvent::Unknown(crate::runtime::decode_typed(body, None)?),
            })
        }
    };
    quote! {
        impl DecodeWebhook for WebhookEvent {
            fn decode_webhook(body: &[u8]) -> Result<Self, WebhookDecodeError> {
                #body
            }
        }
    }
}

/// Every webhook's payload type decodes on its own too: the typed entry
/// point for webhooks without an `event_type`.
fn payload_impls(api: &Api, names: &Names) -> TokenStream {
    let mut seen = BTreeSet::new();
    let impls = api.webhooks.iter().filter_map(|webhook| {
        // A free-form payload is `serde_json::Value`, which decodes already.
        let name = payload_type_name(names, webhook)?;
        if !seen.insert(name) {
            return None;
        }
        let ty = rust_type(names, &webhook.payload, Site::Elsewhere);
        let event_type = webhook
            .event_key
            .as_ref()
            .filter(|k| k.values.len() == 1)
            .map(|k| k.values[0].as_str());
        let event_type = match event_type {
            Some(t) => quote!(Some(#t)),
            None => quote!(None),
        };
        Some(quote! {
            impl DecodeWebhook for #ty {
                fn decode_webhook(body: &[u8]) -> Result<Self, WebhookDecodeError> {
                    crate::runtime::decode_typed(body, #event_type)
                }
            }
        })
    });
    quote! { #(#impls)* }
}

fn payload_type_name<'a>(names: &'a Names, webhook: &Webhook) -> Option<&'a str> {
    match &webhook.payload {
        TypeRef::Named(id) => Some(names.type_name(names.canonical(id))),
        _ => None,
    }
}
