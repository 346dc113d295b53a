//! The Rust view of a struct's fields, shared by type and builder emitters.

use super::rust_type::{rust_type, Site};
use crate::ir::{query, Api, Field, Struct};
use crate::naming::{field_names, Names};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

pub struct FieldView<'a> {
    pub field: &'a Field,
    pub ident: Ident,
    /// The value type without `Option`/`Box`.
    pub value_type: TokenStream,
    /// The declared type: `Option<..>` when optional, `Box<..>` when boxed.
    pub declared_type: TokenStream,
    pub optional: bool,
    /// Optional and admits `null`: a request can leave it out (keep the
    /// value) or send `null` (remove it), and these differ.
    pub clearable: bool,
}

pub fn field_views<'a>(api: &Api, names: &Names, s: &'a Struct, site: Site) -> Vec<FieldView<'a>> {
    let idents = field_names(&s.fields, &names.words);
    s.fields
        .iter()
        .zip(idents)
        .map(|(field, ident)| {
            let value_type = rust_type(names, &field.ty, site);
            let nullable = field.nullable || query::admits_null(&api.types, &field.ty);
            let optional = !field.required || nullable;
            let inner = if field.boxed {
                quote!(Box<#value_type>)
            } else {
                value_type.clone()
            };
            let declared_type = if optional {
                quote!(Option<#inner>)
            } else {
                inner
            };
            FieldView {
                field,
                ident: format_ident!("{}", ident),
                value_type,
                declared_type,
                optional,
                clearable: !field.required && nullable,
            }
        })
        .collect()
}

pub fn find<'v, 'a>(views: &'v [FieldView<'a>], json: &str) -> Option<&'v FieldView<'a>> {
    views.iter().find(|v| v.field.name == json)
}

/// `value.into()`, boxed if the field is boxed.
pub fn wrap_value(view: &FieldView<'_>, value: TokenStream) -> TokenStream {
    let converted = quote!(#value.into());
    let boxed = if view.field.boxed {
        quote!(Box::new(#converted))
    } else {
        converted
    };
    if view.optional {
        quote!(Some(#boxed))
    } else {
        boxed
    }
}

/// The non-optional fields in the spec's `required` order (the rest after).
pub fn required_in_order<'v, 'a>(views: &'v [FieldView<'a>], s: &Struct) -> Vec<&'v FieldView<'a>> {
    let mut required: Vec<&FieldView<'a>> = views.iter().filter(|v| !v.optional).collect();
    required.sort_by_key(|v| {
        s.required
            .iter()
            .position(|r| *r == v.field.name)
            .unwrap_or(usize::MAX)
    });
    required
}
