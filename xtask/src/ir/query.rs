//! Questions about types that several stages ask: what a reference names
//! once aliases are followed, whether it is a struct, whether it admits
//! `null`. One walk, written once.

use super::{Struct, TypeDef, TypeId, TypeKind, TypeRef};
use std::collections::BTreeMap;

/// Alias chains longer than this are cycles (lowering rejects them).
const MAX_ALIAS_DEPTH: usize = 32;

/// The definition `ty` names, following aliases; `None` for unnamed types.
pub fn resolve<'t>(types: &'t BTreeMap<TypeId, TypeDef>, ty: &TypeRef) -> Option<&'t TypeDef> {
    let mut def = types.get(named(ty)?)?;
    for _ in 0..MAX_ALIAS_DEPTH {
        match &def.kind {
            TypeKind::Alias(inner) => def = types.get(named(inner)?)?,
            _ => return Some(def),
        }
    }
    None
}

pub fn struct_of<'t>(types: &'t BTreeMap<TypeId, TypeDef>, ty: &TypeRef) -> Option<&'t Struct> {
    match &resolve(types, ty)?.kind {
        TypeKind::Struct(s) => Some(s),
        _ => None,
    }
}

/// The structs a body can be: its own, or each of its union's variants
/// that is one.
pub fn body_structs<'t>(types: &'t BTreeMap<TypeId, TypeDef>, ty: &TypeRef) -> Vec<&'t Struct> {
    match resolve(types, ty).map(|d| &d.kind) {
        Some(TypeKind::Struct(s)) => vec![s],
        Some(TypeKind::UntaggedUnion(u)) => u
            .variants
            .iter()
            .filter_map(|v| struct_of(types, v))
            .collect(),
        Some(TypeKind::TaggedUnion(u)) => u
            .variants
            .iter()
            .filter_map(|v| struct_of(types, &v.ty))
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether `null` is a valid value: a named type, or one of its aliases, is nullable.
pub fn admits_null(types: &BTreeMap<TypeId, TypeDef>, ty: &TypeRef) -> bool {
    let mut current = ty;
    for _ in 0..MAX_ALIAS_DEPTH {
        let Some(def) = named(current).and_then(|id| types.get(id)) else {
            return false;
        };
        if def.nullable {
            return true;
        }
        match &def.kind {
            TypeKind::Alias(inner) => current = inner,
            _ => return false,
        }
    }
    false
}

/// The type a field of a struct has, following aliases to the struct.
pub fn field_type<'t>(
    types: &'t BTreeMap<TypeId, TypeDef>,
    ty: &TypeRef,
    field: &str,
) -> Option<&'t TypeRef> {
    struct_of(types, ty)?
        .fields
        .iter()
        .find(|f| f.name == field)
        .map(|f| &f.ty)
}

/// The final target of an alias chain, for unnamed targets too (`type X = String`).
pub fn unalias<'t>(types: &'t BTreeMap<TypeId, TypeDef>, ty: &'t TypeRef) -> &'t TypeRef {
    let mut current = ty;
    for _ in 0..MAX_ALIAS_DEPTH {
        match named(current).and_then(|id| types.get(id)).map(|d| &d.kind) {
            Some(TypeKind::Alias(inner)) => current = inner,
            _ => return current,
        }
    }
    current
}

fn named(ty: &TypeRef) -> Option<&TypeId> {
    match ty {
        TypeRef::Named(id) => Some(id),
        _ => None,
    }
}
