//! The IR stage's entry point: the normalized spec in, the whole `Api` out.

use super::operation::{detect_pagination, lower_operation};
use super::recursion::box_cycles;
use super::schema::SchemaLowerer;
use super::webhook::{check_unique_event_types, event_key, lower_webhook, require_event_path};
use super::*;
use crate::diag::{Error, Pointer, Result, Warnings};
use crate::normalize::Normalized;
use crate::parallel;
use openapiv3::ReferenceOr;
use std::collections::BTreeMap;

/// Lowers the whole document. `operation_ids` replaces upstream ids, keyed
/// `"<method> <path>"` (the SDK config's fix for ids the spec repeats).
///
/// Component schemas, path items and webhooks are lowered in shares on
/// every core, each share with its own registry of types, and merged in
/// document order. A type reached from two shares is lowered by both
/// alike (its id and origin come from where it sits), and merging keeps
/// the first, as one pass in document order would; errors and duplicate
/// operation ids are reported in that order too.
pub fn lower(
    spec: &Normalized,
    operation_ids: &BTreeMap<String, String>,
    warnings: Warnings,
) -> Result<Api> {
    let runs = parallel::cores() * parallel::PIECES_PER_CORE;
    lower_in_shares(spec, operation_ids, warnings, runs)
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
    let shares = parallel::map(Share::cut(spec, runs), Share::weight, |share| {
        share.lower(doc, operation_ids)
    });
    let mut types = BTreeMap::new();
    let mut anonymous = BTreeMap::new();
    let mut operations = Vec::new();
    let mut webhooks = Vec::new();
    let mut seen_ids: BTreeMap<String, Pointer> = BTreeMap::new();
    for lowered in shares {
        for (id, def) in lowered.types {
            types.entry(id).or_insert(def);
        }
        anonymous.extend(lowered.anonymous);
        warnings.extend(lowered.warnings);
        for op in lowered.operations {
            let at = op.pointer.clone();
            if let Some(first) = seen_ids.insert(op.id.clone(), at.clone()) {
                return Err(Error::spec(
                    &at.join("operationId"),
                    format!(
                        "duplicate operationId `{}` (first used at {first}); give one of the \
                         operations another id, or override it in the SDK config under \
                         `operation_ids` with the key `{}`",
                        op.id,
                        operation_ids_key(op.method, &op.path)
                    ),
                ));
            }
            operations.push(op);
        }
        webhooks.extend(lowered.webhooks);
        if let Some(error) = lowered.error {
            return Err(error);
        }
    }
    operations.sort_by(|a, b| (a.path.as_str(), a.method).cmp(&(b.path.as_str(), b.method)));
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

/// A run of consecutive entries of one kind, lowered on one core.
enum Share<'a> {
    Components(Vec<(&'a String, &'a ReferenceOr<openapiv3::Schema>)>),
    Paths(Vec<(&'a String, &'a ReferenceOr<openapiv3::PathItem>)>),
    Webhooks(Vec<(&'a String, &'a openapiv3::PathItem)>),
}

/// What a share lowered, up to its first error.
struct Lowered {
    types: BTreeMap<TypeId, TypeDef>,
    anonymous: BTreeMap<TypeId, Origin>,
    warnings: Vec<crate::diag::Warning>,
    operations: Vec<Operation>,
    webhooks: Vec<Webhook>,
    error: Option<Error>,
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

    fn lower(
        self,
        doc: &'a openapiv3::OpenAPI,
        operation_ids: &BTreeMap<String, String>,
    ) -> Lowered {
        let mut warnings = Warnings::default();
        let mut lowerer = SchemaLowerer::new(doc, &mut warnings);
        let mut operations = Vec::new();
        let mut webhooks = Vec::new();
        let result = match self {
            Share::Components(entries) => entries
                .into_iter()
                .try_for_each(|(name, schema)| lowerer.component(name, schema)),
            Share::Paths(items) => items.into_iter().try_for_each(|(path, item)| {
                lower_path_item(&mut lowerer, path, item, operation_ids, &mut operations)
            }),
            Share::Webhooks(items) => items.into_iter().try_for_each(|(name, item)| {
                webhooks.push(lower_webhook(&mut lowerer, name, item)?);
                Ok(())
            }),
        };
        let types = std::mem::take(&mut lowerer.types);
        let anonymous = std::mem::take(&mut lowerer.anonymous);
        drop(lowerer);
        Lowered {
            types,
            anonymous,
            warnings: warnings.into_sorted(),
            operations,
            webhooks,
            error: result.err(),
        }
    }
}

/// Lowers the operations of one path item, in method order.
fn lower_path_item(
    lowerer: &mut SchemaLowerer<'_>,
    path: &str,
    item: &ReferenceOr<openapiv3::PathItem>,
    operation_ids: &BTreeMap<String, String>,
    operations: &mut Vec<Operation>,
) -> Result<()> {
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
        let id_override = operation_ids.get(&operation_ids_key(method, path));
        let lowered =
            lower_operation(lowerer, path, method, &item.parameters, op, id_override, at)?;
        operations.push(lowered);
    }
    Ok(())
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

/// The key of an operation in the SDK config's `operation_ids`: the method
/// as the spec spells it (lower case), then the path.
fn operation_ids_key(method: Method, path: &str) -> String {
    format!("{} {path}", method.as_str().to_ascii_lowercase())
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
components:
  schemas:
    A: {type: object, properties: {b: {$ref: "#/components/schemas/B"}}}
    B: {type: string}
"##;

    #[test]
    fn errors_come_in_document_order_whatever_the_shares() {
        // A duplicate id comes before a dangling reference further down...
        let first = lowered_both_ways(&normalized(BROKEN)).unwrap_err();
        assert!(first.contains("duplicate operationId `same`"), "{first}");
        assert!(first.contains("with the key `get /b`"), "{first}");
        // ...and a component's error before any operation's.
        let broken_component = BROKEN.replace(
            "B: {type: string}",
            "B: {$ref: \"#/components/schemas/Nowhere\"}",
        );
        let first = lowered_both_ways(&normalized(&broken_component)).unwrap_err();
        assert!(first.contains("Nowhere"), "{first}");
        let dangling = BROKEN.replace(
            "operationId: same, responses: {\"200\": {description: ok}}}\n  /b",
            "operationId: one, responses: {\"200\": {description: ok}}}\n  /b",
        );
        let first = lowered_both_ways(&normalized(&dangling)).unwrap_err();
        assert!(first.contains("Missing"), "{first}");
    }
}
