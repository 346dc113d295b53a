//! Open enums with the same values share one definition. The spec repeats
//! value lists under many names (sixty `record_type` enums hold the single
//! value `event`), and every open enum costs the compiler its match arms
//! and half a dozen trait impls. One member of each group keeps the full
//! definition; the others become `pub type` aliases of it, so every name
//! users see stays, and means the same values.

use crate::ir::{Api, Origin, TypeId, TypeKind};
use crate::naming::Names;
use std::collections::{BTreeMap, BTreeSet};

/// An emitted type's users: resource paths and webhook groups, as
/// [`super::scope`] collects them.
pub type Users = BTreeMap<TypeId, BTreeSet<Vec<String>>>;

/// Groups the emitted open enums by their value list (in order: the
/// variants' order is their `Ord`) and picks each group's definition.
/// The definition takes on every member's users and directions, so it is
/// compiled, and serializes, whenever any alias does. Returns alias →
/// definition.
pub fn merge(
    api: &Api,
    names: &Names,
    users: &mut Users,
    request_types: &mut BTreeSet<TypeId>,
    response_types: &mut BTreeSet<TypeId>,
) -> BTreeMap<TypeId, TypeId> {
    let mut groups: BTreeMap<&[String], Vec<&TypeId>> = BTreeMap::new();
    for id in users.keys() {
        let def = api.type_def(id);
        if let TypeKind::Enum(e) = &def.kind {
            groups.entry(e.values.as_slice()).or_default().push(&def.id);
        }
    }
    let mut aliases = BTreeMap::new();
    for members in groups.into_values().filter(|m| m.len() > 1) {
        let definition = *members
            .iter()
            .min_by_key(|id| preference(api, names, id))
            .expect("groups are not empty");
        for &member in &members {
            if member != definition {
                aliases.insert(member.clone(), definition.clone());
            }
        }
    }
    for (alias, definition) in &aliases {
        let alias_users = users[alias].clone();
        users
            .entry(definition.clone())
            .or_default()
            .extend(alias_users);
        if request_types.contains(alias) {
            request_types.insert(definition.clone());
        }
        if response_types.contains(alias) {
            response_types.insert(definition.clone());
        }
    }
    aliases
}

/// Which member defines the group: a component schema, whose name the
/// spec's authors chose, then the shortest name, then the first by name.
fn preference<'a>(api: &Api, names: &'a Names, id: &TypeId) -> (bool, usize, &'a str) {
    let inline = !matches!(api.type_def(id).origin, Origin::Component(_));
    let name = names.type_name(id);
    (inline, name.len(), name)
}
