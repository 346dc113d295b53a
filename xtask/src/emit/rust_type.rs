//! Rust type expressions for IR type references.

use crate::ir::{query, Api, Primitive, TypeRef};
use crate::naming::Names;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Where the expression is written: inside `crate::types` names are bare.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Site {
    Types,
    Elsewhere,
}

pub fn rust_type(names: &Names, ty: &TypeRef, site: Site) -> TokenStream {
    match ty {
        TypeRef::Named(id) => {
            let ident = format_ident!("{}", names.type_name(names.canonical(id)));
            match site {
                Site::Types => quote!(#ident),
                Site::Elsewhere => quote!(crate::types::#ident),
            }
        }
        TypeRef::Primitive(p) => primitive(*p),
        TypeRef::Array(inner) => {
            let inner = rust_type(names, inner, site);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(names, inner, site);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Any => quote!(serde_json::Value),
    }
}

fn primitive(p: Primitive) -> TokenStream {
    match p {
        Primitive::String
        | Primitive::Bytes
        | Primitive::Uuid
        | Primitive::Uri
        | Primitive::Email => quote!(String),
        Primitive::DateTime => quote!(crate::runtime::DateTime),
        Primitive::Date => quote!(crate::runtime::Date),
        Primitive::I32 => quote!(i32),
        Primitive::I64 => quote!(i64),
        Primitive::F32 => quote!(f32),
        Primitive::F64 => quote!(f64),
        Primitive::Bool => quote!(bool),
    }
}

/// Whether the type is `String` in Rust (so `impl Into<String>` fits).
pub fn is_string(api: &Api, ty: &TypeRef) -> bool {
    matches!(query::unalias(&api.types, ty), TypeRef::Primitive(p) if p.is_text())
}

/// The Rust type `ty` is written as, as an IR reference: aliases followed,
/// string formats folded, canonical names. Two references with one shape
/// are one Rust type.
pub fn rust_shape(api: &Api, names: &Names, ty: &TypeRef) -> TypeRef {
    match query::unalias(&api.types, ty) {
        TypeRef::Named(id) => TypeRef::Named(names.canonical(id).clone()),
        TypeRef::Primitive(p) => TypeRef::Primitive(p.plain()),
        TypeRef::Array(inner) => TypeRef::Array(Box::new(rust_shape(api, names, inner))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(rust_shape(api, names, inner))),
        TypeRef::Any => TypeRef::Any,
    }
}
