//! The IR stage's entry point: the normalized spec in, the whole `Api` out.

use super::operation::{detect_pagination, lower_operation};
use super::operation_ids::{self, OperationIds};
use super::recursion::box_cycles;
use super::schema::SchemaLowerer;
use super::webhook::{event_key, lower_webhook, require_event_path, route_event_types};
use super::*;
use crate::diag::{Error, Pointer, Result, Warnings};
use crate::normalize::Normalized;
use crate::parallel;
use openapiv3::ReferenceOr;
use std::collections::BTreeMap;

/// Lowers the whole document. `operation_ids` replaces upstream ids, keyed
/// `"<method> <path>"` (the SDK config's names for operations), and
/// `deep_objects` names query parameters read as `style: deepObject`.
///
/// Component schemas, path items and webhooks are lowered in shares on
/// every core, each share with its own registry of types, and merged in
/// document order. A type reached from two shares is lowered by both
/// alike (its id and origin come from where it sits), and merging keeps
/// the first, as one pass in document order would. A problem does not stop
/// the lowering: every one found is reported together, sorted by pointer.
pub fn lower(
    spec: &Normalized,
    operation_ids: &BTreeMap<String, String>,
    deep_objects: &BTreeMap<String, Vec<String>>,
    warnings: Warnings,
) -> Result<Api> {
    let runs = parallel::cores() * parallel::PIECES_PER_CORE;
    let mut api = lower_in_shares(spec, operation_ids, warnings, runs)?;
    read_as_deep_objects(&mut api, deep_objects);
    Ok(api)
}

/// Sets `style: deepObject` on the configured query parameters, then finds
/// the operations' paging again, which the style decides.
fn read_as_deep_objects(api: &mut Api, deep_objects: &BTreeMap<String, Vec<String>>) {
    for op in &mut api.operations {
        let key = format!("{} {}", op.method.as_str().to_ascii_lowercase(), op.path);
        let Some(names) = deep_objects.get(&key) else {
            continue;
        };
        for param in &mut op.params {
            if param.location == Location::Query && names.contains(&param.name) {
                param.style = Style::DeepObject;
                param.explode = true;
            }
        }
        op.pagination = detect_pagination(op, &api.types);
    }
}

/// [`lower`] with each kind of entry cut into about `runs` shares.
fn lower_in_shares(
    spec: &Normalized,
    operation_ids: &BTreeMap<String, String>,
    mut warnings: Warnings,
    runs: usize,
) -> Result<Api> {
    let doc = &spec.document;
    let component_schema_count = doc.components.as_ref().map_or(0, |c| c.schemas.len());
    let ids = operation_ids::assign(doc, operation_ids, &mut warnings)?;
    let shares = parallel::map(Share::cut(spec, runs), Share::weight, |share| {
        share.lower(doc, &ids)
    });
    let mut types = BTreeMap::new();
    let mut anonymous = BTreeMap::new();
    let mut operations = Vec::new();
    let mut webhooks = Vec::new();
    let mut errors = Vec::new();
    for lowered in shares {
        for (id, def) in lowered.types {
            types.entry(id).or_insert(def);
        }
        anonymous.extend(lowered.anonymous);
        warnings.extend(lowered.warnings);
        operations.extend(lowered.operations);
        webhooks.extend(lowered.webhooks);
        errors.extend(lowered.errors);
    }
    operations.sort_by(|a, b| (a.path.as_str(), a.method).cmp(&(b.path.as_str(), b.method)));
    errors.extend(box_cycles(&mut types).err());
    if let Some(error) = Error::all(errors) {
        return Err(error);
    }
    for op in &mut operations {
        op.pagination = detect_pagination(op, &types);
    }
    for webhook in &mut webhooks {
        webhook.event_key = event_key(&webhook.payload, &types);
        if let Some(key) = &webhook.event_key {
            require_event_path(&webhook.payload, key.at, &mut types);
        }
    }
    route_event_types(&mut webhooks, &mut warnings);
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

/// A run of consecutive entries of one kind, lowered on one core.
enum Share<'a> {
    Components(Vec<(&'a String, &'a ReferenceOr<openapiv3::Schema>)>),
    Paths(Vec<(&'a String, &'a ReferenceOr<openapiv3::PathItem>)>),
    Webhooks(Vec<(&'a String, &'a openapiv3::PathItem)>),
}

/// What a share lowered, and every problem it met on the way.
struct Lowered {
    types: BTreeMap<TypeId, TypeDef>,
    anonymous: BTreeMap<TypeId, Origin>,
    warnings: Vec<crate::diag::Warning>,
    operations: Vec<Operation>,
    webhooks: Vec<Webhook>,
    errors: Vec<Error>,
}

impl<'a> Share<'a> {
    /// The document's shares in document order: components, paths, webhooks.
    fn cut(spec: &'a Normalized, runs: usize) -> Vec<Share<'a>> {
        let doc = &spec.document;
        let components: Vec<_> = doc.components.iter().flat_map(|c| &c.schemas).collect();
        let paths: Vec<_> = doc.paths.paths.iter().collect();
        let webhooks: Vec<_> = spec.webhooks.iter().collect();
        let mut shares: Vec<Share<'a>> = parallel::runs_of(components, runs)
            .map(Share::Components)
            .collect();
        shares.extend(parallel::runs_of(paths, runs).map(Share::Paths));
        shares.extend(parallel::runs_of(webhooks, runs).map(Share::Webhooks));
        shares
    }

    fn weight(&self) -> usize {
        match self {
            Share::Components(entries) => entries.len(),
            // A path item holds a few operations, each several schemas.
            Share::Paths(entries) => 4 * entries.len(),
            Share::Webhooks(entries) => 4 * entries.len(),
        }
    }

    fn lower(self, doc: &'a openapiv3::OpenAPI, ids: &OperationIds) -> Lowered {
        let mut warnings = Warnings::default();
        let mut lowerer = SchemaLowerer::new(doc, &mut warnings);
        let mut operations = Vec::new();
        let mut webhooks = Vec::new();
        let mut errors = Vec::new();
        match self {
            Share::Components(entries) => {
                for (name, schema) in entries {
                    errors.extend(lowerer.component(name, schema).err());
                }
            }
            Share::Paths(items) => {
                for (path, item) in items {
                    lower_path_item(&mut lowerer, path, item, ids, &mut operations, &mut errors);
                }
            }
            Share::Webhooks(items) => {
                for (name, item) in items {
                    match lower_webhook(&mut lowerer, name, item) {
                        Ok(webhook) => webhooks.extend(webhook),
                        Err(error) => errors.push(error),
                    }
                }
            }
        }
        let types = std::mem::take(&mut lowerer.types);
        let anonymous = std::mem::take(&mut lowerer.anonymous);
        errors.append(&mut lowerer.errors);
        drop(lowerer);
        Lowered {
            types,
            anonymous,
            warnings: warnings.into_sorted(),
            operations,
            webhooks,
            errors,
        }
    }
}

/// Lowers the operations of one path item, in method order.
fn lower_path_item(
    lowerer: &mut SchemaLowerer<'_>,
    path: &str,
    item: &ReferenceOr<openapiv3::PathItem>,
    ids: &OperationIds,
    operations: &mut Vec<Operation>,
    errors: &mut Vec<Error>,
) {
    let item_at = Pointer::root().join("paths").join(path);
    let ReferenceOr::Item(item) = item else {
        errors.push(Error::spec(
            &item_at,
            "path item `$ref`s are not supported; write the path item out here",
        ));
        return;
    };
    for (method_name, op) in item.iter() {
        let method = operation_ids::method_of(method_name);
        let at = item_at.join(method_name);
        let key = operation_ids::key(method, path);
        // `ids` was assigned from this same document: every key is there.
        let id = ids.get(&key).cloned().unwrap_or(key);
        match lower_operation(lowerer, path, method, &item.parameters, op, id, at) {
            Ok(lowered) => operations.push(lowered),
            Err(error) => errors.push(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(text: &str) -> Normalized {
        let doc = crate::load::parse_document(text.as_bytes(), "test").expect("parses");
        crate::normalize::normalize(doc, &mut Warnings::default()).expect("normalizes")
    }

    /// One share per kind, and one per entry: the same `Api` or error.
    fn lowered_both_ways(spec: &Normalized) -> std::result::Result<String, String> {
        let ids = BTreeMap::new();
        let lower = |runs| {
            lower_in_shares(spec, &ids, Warnings::default(), runs)
                .map(|api| format!("{api:?}"))
                .map_err(|e| e.to_string())
        };
        let coarse = lower(1);
        assert_eq!(
            coarse,
            lower(usize::MAX),
            "one share per kind vs one per entry"
        );
        coarse
    }

    #[test]
    fn every_fixture_lowers_the_same_in_any_shares() {
        let mut lowered = 0;
        for path in crate::fixture_specs::paths() {
            let text = std::fs::read_to_string(&path).expect("readable");
            lowered += usize::from(lowered_both_ways(&normalized(&text)).is_ok());
        }
        assert!(lowered >= 15, "only {lowered} fixtures lowered");
    }

    const BROKEN: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get: {operationId: same, responses: {"200": {description: ok}}}
  /b:
    get: {operationId: same, responses: {"200": {description: ok}}}
  /c:
    get:
      operationId: other
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Missing"}}}
        "404":
          description: gone
          content: {application/json: {schema: {$ref: "#/components/schemas/Gone"}}}
components:
  schemas:
    A: {type: object, properties: {b: {$ref: "#/components/schemas/B"}}}
    B: {$ref: "#/components/schemas/Nowhere"}
    C:
      type: object
      properties:
        x: {$ref: "#/components/schemas/X"}
        y: {$ref: "#/components/schemas/Y"}
"##;

    #[test]
    fn every_problem_is_reported_sorted_by_pointer_whatever_the_shares() {
        let all = lowered_both_ways(&normalized(BROKEN)).unwrap_err();
        let places: Vec<&str> = all
            .lines()
            .skip(1)
            .map(|line| line.trim().split(": ").next().unwrap_or_default())
            .collect();
        assert_eq!(
            places,
            [
                "#/components/schemas/B",
                "#/components/schemas/C/properties/x",
                "#/components/schemas/C/properties/y",
                "#/paths/~1c/get/responses/200/content/application~1json/schema",
                "#/paths/~1c/get/responses/404/content/application~1json/schema",
            ],
            "{all}"
        );
        assert!(all.starts_with("the spec: 5 problems"), "{all}");
        // The repeated operationId is no problem: the second is told apart.
        assert!(!all.contains("same"), "{all}");
    }

    #[test]
    fn a_repeated_id_is_told_apart_with_a_warning() {
        let fixed = BROKEN.replace("Missing", "A").replace("Gone", "A");
        let fixed = fixed.replace("Nowhere", "A").replace("/X\"", "/A\"");
        let fixed = fixed.replace("/Y\"", "/A\"");
        let spec = normalized(&fixed);
        let api = lower(
            &spec,
            &BTreeMap::new(),
            &BTreeMap::new(),
            Warnings::default(),
        )
        .expect("lowers");
        let ids: Vec<&str> = api.operations.iter().map(|op| op.id.as_str()).collect();
        assert_eq!(ids, ["same", "same_b", "other"]);
        assert_eq!(api.warnings.len(), 1, "{:?}", api.warnings);
        assert_eq!(
            api.warnings[0].pointer.as_str(),
            "/paths/~1b/get/operationId"
        );
    }
}
