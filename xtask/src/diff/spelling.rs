//! How a type reads in the generated crate, as text. Two types are "the
//! same" to a Rust caller when they spell the same, so the diff compares
//! these spellings rather than spec pointers, which move between releases.
//! The spellings come from the emitter itself, so the diff cannot drift
//! from what the crate declares.

use crate::emit::fields::field_views;
use crate::emit::rust_type::{rust_type, Site};
use crate::ir::{Api, Field, Struct, TypeKind, TypeRef};
use crate::naming::Names;
use proc_macro2::TokenStream;
use std::collections::BTreeMap;

/// The Rust type `ty` is emitted as, with the crate's own paths left out
/// (`Vec<Call>`, `BTreeMap<String, DateTime>`, `serde_json::Value`).
pub fn spell(names: &Names, ty: &TypeRef) -> String {
    tokens_to_text(&rust_type(names, ty, Site::Types))
}

/// A struct field as the emitter declares it.
pub struct FieldSpelling<'s> {
    pub field: &'s Field,
    /// The value type, without `Option`/`Box`.
    pub ty: String,
    /// The field is an `Option`: the emitter's rule, so a nullability
    /// change that flips it is seen as the type change it is.
    pub optional: bool,
}

/// The struct's fields by JSON name.
pub fn fields<'s>(api: &Api, names: &Names, s: &'s Struct) -> BTreeMap<&'s str, FieldSpelling<'s>> {
    field_views(api, names, s, Site::Types)
        .into_iter()
        .map(|view| {
            let spelling = FieldSpelling {
                field: view.field,
                ty: tokens_to_text(&view.value_type),
                optional: view.optional,
            };
            (view.field.name.as_str(), spelling)
        })
        .collect()
}

/// A word for the kind of a named type, for "changed from a struct to an enum".
pub fn kind_word(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "string enum",
        TypeKind::TaggedUnion(_) => "tagged union",
        TypeKind::UntaggedUnion(_) => "untagged union",
        TypeKind::Alias(_) => "type alias",
    }
}

/// Paths a reader of the report does not need: the types are the crate's.
const DROPPED_PATHS: [&str; 3] = ["crate::types::", "crate::runtime::", "std::collections::"];

/// `std :: collections :: BTreeMap < String , X >` → `BTreeMap<String, X>`.
fn tokens_to_text(tokens: &TokenStream) -> String {
    let mut text: String = tokens
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for path in DROPPED_PATHS {
        text = text.replace(path, "");
    }
    text.replace(',', ", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn token_text_reads_like_source() {
        let tokens = quote!(std::collections::BTreeMap<String, Vec<crate::runtime::DateTime>>);
        assert_eq!(tokens_to_text(&tokens), "BTreeMap<String, Vec<DateTime>>");
        assert_eq!(
            tokens_to_text(&quote!(serde_json::Value)),
            "serde_json::Value"
        );
    }
}
