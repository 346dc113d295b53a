//! The serde side of the generated types: which direction each type
//! travels in, and the `Deserialize` of structs, written out.
//!
//! The client only ever serializes what it sends (request bodies and their
//! parts) and deserializes what it receives (responses, webhooks), so a type
//! implements that direction and has the other behind a crate feature
//! (`serialize`, `deserialize`) for callers who store or replay values.
//! Struct decoding goes through `crate::runtime::StructFields` instead of
//! serde's derive, whose per-struct field enum, its visitor and a decoding
//! path from JSON arrays were most of the crate's build time. Struct
//! encoding goes through `crate::runtime::FieldSet`, so that a request with
//! dozens of optional fields runs the code of the few it sends only.

use super::fields::FieldView;
use crate::ir::TypeId;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeSet;

/// The directions a type travels in; at least one is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Directions {
    pub sent: bool,
    pub received: bool,
}

impl Directions {
    pub fn of(
        id: &TypeId,
        request_types: &BTreeSet<TypeId>,
        response_types: &BTreeSet<TypeId>,
    ) -> Self {
        let sent = request_types.contains(id);
        // Every emitted type is reached from a request or a response; were
        // one reached from neither, decoding is the useful direction.
        let received = response_types.contains(id) || !sent;
        Directions { sent, received }
    }

    /// `#[derive(<derives>, serde::Serialize)]`, the serde derive behind
    /// the `serialize` feature for types the client only receives.
    pub fn derive_with_serialize(self, derives: TokenStream) -> TokenStream {
        if self.sent {
            quote!(#[derive(#derives serde::Serialize)])
        } else {
            quote! {
                #[derive(#derives)]
                #[cfg_attr(feature = "serialize", derive(serde::Serialize))]
            }
        }
    }

    /// `#[derive(serde::Deserialize)]`, behind the `deserialize` feature
    /// for types the client only sends.
    pub fn derive_deserialize(self) -> TokenStream {
        if self.received {
            quote!(#[derive(serde::Deserialize)])
        } else {
            quote!(#[cfg_attr(feature = "deserialize", derive(serde::Deserialize))])
        }
    }

    /// An attribute only the `Serialize` derive reads, present exactly
    /// when the derive is (an inert `serde` attribute without it is an
    /// error).
    pub fn serialize_attr(self, attr: TokenStream) -> TokenStream {
        if self.sent {
            quote!(#[#attr])
        } else {
            quote!(#[cfg_attr(feature = "serialize", #attr)])
        }
    }

    /// Put before each item of a written-out `Deserialize`.
    pub fn deserialize_gate(self) -> Option<TokenStream> {
        (!self.received).then(|| quote!(#[cfg(feature = "deserialize")]))
    }

    /// Put before an item of a written-out `Serialize`.
    pub fn serialize_gate(self) -> Option<TokenStream> {
        (!self.sent).then(|| quote!(#[cfg(feature = "serialize")]))
    }
}

/// `Deserialize` for a struct: its fields matched by JSON name, unknown
/// ones skipped or, with `additional`, kept in `additional_properties`.
/// A repeated key is not an error: the last value wins, as in
/// `serde_json::Value` (checking would cost a nested `Option` per field).
pub fn struct_deserialize(
    name: &Ident,
    views: &[FieldView<'_>],
    additional: bool,
    gate: Option<&TokenStream>,
) -> TokenStream {
    let expecting = format!("struct {name}");
    let slots: Vec<Ident> = views
        .iter()
        // `_10999` (a property named `10999`) gets `slot_10999`, not `slot__10999`.
        .map(|v| format_ident!("slot_{}", v.ident.to_string().trim_start_matches('_')))
        .collect();
    // An optional field's slot is the field itself.
    let declarations = views.iter().zip(&slots).map(|(v, slot)| {
        let ty = &v.declared_type;
        if v.optional {
            quote!(let mut #slot: #ty = None;)
        } else {
            quote!(let mut #slot: Option<#ty> = None;)
        }
    });
    let entries = entry_loop(views, &slots, additional);
    let required = views
        .iter()
        .zip(&slots)
        .filter(|(v, _)| !v.optional)
        .map(|(v, slot)| {
            let ident = &v.ident;
            let json = &v.field.name;
            quote! {
                let Some(#ident) = #slot else {
                    return Err(serde::de::Error::missing_field(#json));
                };
            }
        });
    let inits = views.iter().zip(&slots).map(|(v, slot)| {
        let ident = &v.ident;
        if v.optional {
            quote!(#ident: #slot)
        } else {
            quote!(#ident)
        }
    });
    let additional_declaration = additional
        .then(|| quote!(let mut additional_properties = std::collections::BTreeMap::new();));
    let additional_init = additional.then(|| quote!(additional_properties,));
    quote! {
        #gate
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::deserialize_struct(deserializer)
            }
        }
        #gate
        impl<'de> crate::runtime::StructFields<'de> for #name {
            const EXPECTING: &'static str = #expecting;

            fn visit_map<A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                #(#declarations)*
                #additional_declaration
                #entries
                #(#required)*
                Ok(Self { #(#inits,)* #additional_init })
            }
        }
    }
}

/// `Serialize` for a struct without `additional_properties`, writing what
/// serde's derive writes: the fields in declaration order under their JSON
/// names, optional ones only when set, required nullable ones always.
pub fn struct_serialize(
    name: &Ident,
    views: &[FieldView<'_>],
    gate: Option<&TokenStream>,
) -> TokenStream {
    let type_name = name.to_string();
    let body = match views {
        [] => quote! {
            serde::ser::SerializeStruct::end(serializer.serialize_struct(#type_name, 0)?)
        },
        [view] => single_field_serialize(&type_name, view),
        _ => field_set_serialize(&type_name, views),
    };
    quote! {
        #gate
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #body
            }
        }
    }
}

/// Whether `view` is left out of the JSON when it is `None`. A required
/// property that admits `null` is always sent: `None` is `null`.
pub fn sent_only_when_set(view: &FieldView<'_>) -> bool {
    view.optional && !view.field.required
}

/// A struct of one field writes it, if it is sent, without a `FieldSet`.
fn single_field_serialize(type_name: &str, view: &FieldView<'_>) -> TokenStream {
    let ident = &view.ident;
    let json = &view.field.name;
    if sent_only_when_set(view) {
        quote! {
            use serde::ser::SerializeStruct;
            let sent = self.#ident.is_some();
            let mut state = serializer.serialize_struct(#type_name, usize::from(sent))?;
            if sent {
                state.serialize_field(#json, &self.#ident)?;
            }
            state.end()
        }
    } else {
        quote! {
            use serde::ser::SerializeStruct;
            let mut state = serializer.serialize_struct(#type_name, 1)?;
            state.serialize_field(#json, &self.#ident)?;
            state.end()
        }
    }
}

/// The fields sent, noted in a `FieldSet`, then written through one
/// `match` on their indexes.
fn field_set_serialize(type_name: &str, views: &[FieldView<'_>]) -> TokenStream {
    let words = Literal::usize_unsuffixed(views.len().div_ceil(64));
    let indexes: Vec<Literal> = (0..views.len()).map(Literal::usize_unsuffixed).collect();
    let marks = views.iter().zip(&indexes).map(|(v, index)| {
        let ident = &v.ident;
        if sent_only_when_set(v) {
            quote!(sent.set(#index, self.#ident.is_some());)
        } else {
            quote!(sent.set(#index, true);)
        }
    });
    let arms = views.iter().zip(&indexes).map(|(v, index)| {
        let ident = &v.ident;
        let json = &v.field.name;
        quote!(#index => state.serialize_field(#json, &self.#ident)?,)
    });
    quote! {
        use serde::ser::SerializeStruct;
        let mut sent = crate::runtime::FieldSet::<#words>::new();
        #(#marks)*
        let mut state = serializer.serialize_struct(#type_name, sent.count())?;
        for index in sent.iter() {
            match index {
                #(#arms)*
                _ => {}
            }
        }
        state.end()
    }
}

/// The loop over the map's entries, each into the slot of its field.
fn entry_loop(views: &[FieldView<'_>], slots: &[Ident], additional: bool) -> TokenStream {
    let other = if additional {
        quote!({
            additional_properties.insert(key.into_string(), map.next_value()?);
        })
    } else {
        quote!({
            map.next_value::<serde::de::IgnoredAny>()?;
        })
    };
    if views.is_empty() && !additional {
        return quote! {
            while map.next_key::<serde::de::IgnoredAny>()?.is_some() #other
        };
    }
    let dispatch = if views.is_empty() {
        other
    } else {
        let arms = views.iter().zip(slots).map(|(v, slot)| {
            let json = &v.field.name;
            if v.optional {
                quote!(#json => #slot = map.next_value()?,)
            } else {
                quote!(#json => #slot = Some(map.next_value()?),)
            }
        });
        quote! {
            match key.as_str() {
                #(#arms)*
                _ => #other
            }
        }
    };
    quote! {
        while let Some(key) = map.next_key::<crate::runtime::FieldKey<'de>>()? {
            #dispatch
        }
    }
}
