//! An optional request body whose schema requires properties (22 in the
//! pinned spec, `POST /messages` among them) is read as the official SDKs
//! read it: the required properties are required inputs, so the body is
//! always sent. An empty body would be valid but never what the caller
//! means, and the seed guides list those properties as required.

use super::{Operation, TypeDef, TypeId, TypeKind, TypeRef};
use crate::diag::Warnings;
use std::collections::BTreeMap;

/// How many aliases are followed to the struct a body names.
const MAX_ALIAS_HOPS: usize = 16;

pub(super) fn require_bodies_with_required_fields(
    operations: &mut [Operation],
    types: &BTreeMap<TypeId, TypeDef>,
    warnings: &mut Warnings,
) {
    for op in operations {
        let Some(body) = op.body.as_mut().filter(|body| !body.required) else {
            continue;
        };
        if requires_fields(types, &body.ty) {
            body.required = true;
            warnings.looser(
                &op.pointer.join("requestBody"),
                "an optional request body whose schema requires properties: those \
                 properties are required inputs, as in the official SDKs",
            );
        }
    }
}

/// The type is a struct, through aliases, with at least one required field.
fn requires_fields(types: &BTreeMap<TypeId, TypeDef>, ty: &TypeRef) -> bool {
    let mut ty = ty;
    for _ in 0..MAX_ALIAS_HOPS {
        let TypeRef::Named(id) = ty else { return false };
        match types.get(id).map(|def| &def.kind) {
            Some(TypeKind::Struct(fields)) => return !fields.required.is_empty(),
            Some(TypeKind::Alias(next)) => ty = next,
            _ => return false,
        }
    }
    false
}
