//! How a type reads in the generated crate, as text: two types are "the
//! same" to a Rust caller when they spell the same, so the diff compares
//! these spellings rather than spec pointers, which move between releases.

use crate::ir::{query, Field, Primitive, TypeDef, TypeId, TypeKind, TypeRef};
use crate::naming::Names;
use std::collections::BTreeMap;

/// The Rust type `ty` is emitted as (paths shortened: `Vec`, `BTreeMap`, `DateTime`).
pub fn spell(names: &Names, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => names.type_name(names.canonical(id)).to_string(),
        TypeRef::Primitive(p) => primitive(*p).to_string(),
        TypeRef::Array(inner) => format!("Vec<{}>", spell(names, inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", spell(names, inner)),
        TypeRef::Any => "serde_json::Value".to_string(),
    }
}

fn primitive(p: Primitive) -> &'static str {
    if p.is_text() {
        return "String";
    }
    match p {
        Primitive::DateTime => "DateTime",
        Primitive::Date => "Date",
        Primitive::I32 => "i32",
        Primitive::I64 => "i64",
        Primitive::F32 => "f32",
        Primitive::F64 => "f64",
        _ => "bool",
    }
}

/// Whether the field is an `Option` in Rust: the emitter's rule, so a
/// nullability change that flips it is seen as the type change it is.
pub fn field_is_option(types: &BTreeMap<TypeId, TypeDef>, field: &Field) -> bool {
    !field.required || field.nullable || query::admits_null(types, &field.ty)
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
