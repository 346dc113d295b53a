//! The IR stage's entry point: the normalized spec in, the whole `Api` out.

use super::operation::{detect_pagination, lower_operation};
use super::recursion::box_cycles;
use super::schema::SchemaLowerer;
use super::webhook::{check_unique_event_types, event_key, lower_webhook, require_event_path};
use super::*;
use crate::diag::{Error, Pointer, Result, Warnings};
use crate::normalize::Normalized;
use openapiv3::ReferenceOr;
use std::collections::BTreeMap;

/// Lowers the whole document. `operation_ids` replaces upstream ids, keyed
/// `"<method> <path>"` (the SDK config's fix for ids the spec repeats).
pub fn lower(
    spec: &Normalized,
    operation_ids: &BTreeMap<String, String>,
    mut warnings: Warnings,
) -> Result<Api> {
    let doc = &spec.document;
    let mut lowerer = SchemaLowerer::new(doc, &mut warnings);
    let component_schema_count = doc.components.as_ref().map_or(0, |c| c.schemas.len());
    if let Some(components) = &doc.components {
        for (name, schema) in &components.schemas {
            lowerer.component(name, schema)?;
        }
    }
    let mut operations = lower_paths(&mut lowerer, doc, operation_ids)?;
    let mut webhooks = Vec::new();
    for (name, item) in &spec.webhooks {
        webhooks.push(lower_webhook(&mut lowerer, name, item)?);
    }
    let mut types = std::mem::take(&mut lowerer.types);
    let anonymous = std::mem::take(&mut lowerer.anonymous);
    box_cycles(&mut types)?;
    for op in &mut operations {
        op.pagination = detect_pagination(op, &types);
    }
    for webhook in &mut webhooks {
        webhook.event_key = event_key(&webhook.payload, &types);
        if let Some(key) = &webhook.event_key {
            require_event_path(&webhook.payload, key.at, &mut types);
        }
    }
    check_unique_event_types(&webhooks)?;
    Ok(Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        source_openapi: spec.declared_version.clone(),
        operations,
        types,
        anonymous,
        webhooks,
        component_schema_count,
        warnings: warnings.into_sorted(),
    })
}

fn lower_paths(
    lowerer: &mut SchemaLowerer<'_>,
    doc: &openapiv3::OpenAPI,
    operation_ids: &BTreeMap<String, String>,
) -> Result<Vec<Operation>> {
    let mut operations = Vec::new();
    let mut seen_ids: BTreeMap<String, Pointer> = BTreeMap::new();
    for (path, item) in &doc.paths.paths {
        let item_at = Pointer::root().join("paths").join(path);
        let ReferenceOr::Item(item) = item else {
            return Err(Error::spec(
                &item_at,
                "path item `$ref`s are not supported; write the path item out here",
            ));
        };
        for (method_name, op) in item.iter() {
            let method = method_of(method_name);
            let at = item_at.join(method_name);
            let id_override = operation_ids.get(&format!("{method_name} {path}"));
            let lowered = lower_operation(
                lowerer,
                path,
                method,
                &item.parameters,
                op,
                id_override,
                at.clone(),
            )?;
            if let Some(first) = seen_ids.insert(lowered.id.clone(), at.clone()) {
                return Err(Error::spec(
                    &at.join("operationId"),
                    format!(
                        "duplicate operationId `{}` (first used at {first}); give one of the \
                         operations another id, or override it in the SDK config under \
                         `operation_ids` with the key `{method_name} {path}`",
                        lowered.id
                    ),
                ));
            }
            operations.push(lowered);
        }
    }
    operations.sort_by(|a, b| (a.path.as_str(), a.method).cmp(&(b.path.as_str(), b.method)));
    Ok(operations)
}

fn method_of(name: &str) -> Method {
    match name {
        "get" => Method::Get,
        "put" => Method::Put,
        "post" => Method::Post,
        "delete" => Method::Delete,
        "options" => Method::Options,
        "head" => Method::Head,
        "patch" => Method::Patch,
        _ => Method::Trace,
    }
}
