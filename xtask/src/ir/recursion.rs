//! Finds fields that make a type contain itself and marks them boxed.
//! `Vec` and maps already add indirection, so only direct and `Option`
//! containment counts. Aliases that name themselves cannot be boxed.

use super::*;
use crate::diag::{Error, Result};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn box_cycles(types: &mut BTreeMap<TypeId, TypeDef>) -> Result<()> {
    check_alias_cycles(types)?;
    let mut to_box: Vec<(TypeId, usize)> = Vec::new();
    for (id, def) in types.iter() {
        let TypeKind::Struct(s) = &def.kind else {
            continue;
        };
        for (index, field) in s.fields.iter().enumerate() {
            if let Some(target) = direct_target(&field.ty) {
                if reaches(types, target, id) {
                    to_box.push((id.clone(), index));
                }
            }
        }
    }
    for (id, index) in to_box {
        if let Some(TypeKind::Struct(s)) = types.get_mut(&id).map(|d| &mut d.kind) {
            s.fields[index].boxed = true;
        }
    }
    check_unboxed_cycles(types)
}

/// Boxing struct fields breaks every cycle through a struct. One made of
/// unions (and aliases) alone remains: Rust cannot size such a type, and
/// no finite value of it exists.
fn check_unboxed_cycles(types: &BTreeMap<TypeId, TypeDef>) -> Result<()> {
    #[derive(PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    let mut marks: BTreeMap<&TypeId, Mark> = BTreeMap::new();
    for start in types.keys() {
        if marks.contains_key(start) {
            continue;
        }
        marks.insert(start, Mark::Open);
        let mut stack = vec![(start, inline_children(&types[start]), 0)];
        while let Some((id, children, next)) = stack.last_mut() {
            let Some(&child) = children.get(*next) else {
                marks.insert(*id, Mark::Done);
                stack.pop();
                continue;
            };
            *next += 1;
            match (marks.get(child), types.get(child)) {
                (Some(Mark::Open), _) => {
                    return Err(Error::spec(
                        &child.0,
                        "this schema contains itself through `oneOf`/`anyOf` variants (and \
                         `$ref`s) with no object in between: a cycle that cannot be boxed; \
                         remove the variant that leads back here, or make it an object \
                         property",
                    ))
                }
                (None, Some(def)) => {
                    marks.insert(child, Mark::Open);
                    stack.push((child, inline_children(def), 0));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

fn direct_target(ty: &TypeRef) -> Option<&TypeId> {
    match ty {
        TypeRef::Named(id) => Some(id),
        _ => None,
    }
}

/// Types stored inline (not behind a `Vec` or map) inside `def`.
fn inline_children(def: &TypeDef) -> Vec<&TypeId> {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter(|f| !f.boxed)
            .filter_map(|f| direct_target(&f.ty))
            .collect(),
        TypeKind::TaggedUnion(u) => u
            .variants
            .iter()
            .filter_map(|v| direct_target(&v.ty))
            .collect(),
        TypeKind::UntaggedUnion(u) => u.variants.iter().filter_map(direct_target).collect(),
        TypeKind::Alias(ty) => direct_target(ty).into_iter().collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

fn reaches(types: &BTreeMap<TypeId, TypeDef>, from: &TypeId, goal: &TypeId) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(id) = stack.pop() {
        if id == goal {
            return true;
        }
        if !seen.insert(id) {
            continue;
        }
        if let Some(def) = types.get(id) {
            stack.extend(inline_children(def));
        }
    }
    false
}

fn check_alias_cycles(types: &BTreeMap<TypeId, TypeDef>) -> Result<()> {
    for (start, def) in types {
        let mut current = def;
        let mut steps = 0;
        while let TypeKind::Alias(TypeRef::Named(next)) = &current.kind {
            if next == start || steps > types.len() {
                return Err(Error::spec(
                    &start.0,
                    "this schema is only a `$ref` chain back to itself: a cycle that cannot be \
                     boxed; give one schema of the chain a type of its own (an object with \
                     properties), or point one `$ref` out of the cycle",
                ));
            }
            steps += 1;
            match types.get(next) {
                Some(d) => current = d,
                None => break,
            }
        }
    }
    Ok(())
}
