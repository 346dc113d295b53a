//! `$ref` resolution against `components`. Only local references exist in
//! the Telnyx specs; anything else is an error that names the reference.

use crate::diag::{Error, Pointer, Result};
use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr};

/// Resolves `#/components/<kind>/<name>` in `doc`, following chains of
/// references. Returns the item and the pointer of the component it lives at.
pub(super) fn component<'a, T>(
    doc: &'a OpenAPI,
    kind: &str,
    select: impl Fn(&'a openapiv3::Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    item: &'a ReferenceOr<T>,
    at: &Pointer,
) -> Result<(&'a T, Option<Pointer>)> {
    let mut current = item;
    let mut home = None;
    let mut seen = Vec::new();
    loop {
        match current {
            ReferenceOr::Item(value) => return Ok((value, home)),
            ReferenceOr::Reference { reference } => {
                let name = ref_name(reference, kind, at)?;
                if seen.contains(&name) {
                    return Err(Error::spec(
                        at,
                        format!(
                            "`$ref: {reference}` is a reference cycle (the components refer to \
                             each other and none defines the {kind} itself); write out one of them"
                        ),
                    ));
                }
                seen.push(name);
                let entries = doc.components.as_ref().map(&select);
                current = entries
                    .and_then(|e| e.get(name))
                    .ok_or_else(|| dangling(reference, at))?;
                home = Some(Pointer::root().join("components").join(kind).join(name));
            }
        }
    }
}

/// The component name a reference names, checking it points into `kind`.
pub(super) fn ref_name<'r>(reference: &'r str, kind: &str, at: &Pointer) -> Result<&'r str> {
    let prefix = format!("#/components/{kind}/");
    let body = ["#/components/responses/", "#/components/requestBodies/"]
        .iter()
        .any(|body| reference.starts_with(body));
    match reference.strip_prefix(&prefix) {
        Some(name) if !name.is_empty() && !name.contains('/') => Ok(name),
        _ if kind == "schemas" && body => Err(Error::spec(
            at,
            format!(
                "`$ref: {reference}` names a component response or request body where a \
                 schema belongs, and it gives no schema to read here (it is missing, has no \
                 content with a schema, or contains itself); point the `$ref` at \
                 `#/components/schemas/<name>`"
            ),
        )),
        _ => Err(Error::spec(
            at,
            format!(
                "`$ref: {reference}` is not supported here; expected a local reference \
                 `{prefix}<name>` (inline external documents into `components`)"
            ),
        )),
    }
}

/// `reference` has already passed [`ref_name`], so it is `#/components/<kind>/<name>`.
pub(super) fn dangling(reference: &str, at: &Pointer) -> Error {
    let (section, name) = reference
        .rsplit_once('/')
        .unwrap_or(("#/components", reference));
    Error::spec(
        at,
        format!(
            "dangling `$ref: {reference}`: there is no `{name}` under {section}; \
             add it there or point the `$ref` at an existing component"
        ),
    )
}
