//! The id of every operation, decided before lowering: the SDK config's
//! `operation_ids` first, then the spec's `operationId`, then `METHOD path`.
//!
//! Ids must be unique: inline bodies and parameters are named after them.
//! When the spec gives two operations one `operationId`, the one whose path
//! sorts first keeps it and each other is told apart by its path
//! (`CreateComment` on `/porting_orders/{id}/comments` becomes
//! `CreateComment_porting_orders_id_comments`), with a warning. An id the
//! config gives that collides is an error: the config is ours to fix.

use super::Method;
use crate::diag::{Error, Pointer, Result, Warnings};
use openapiv3::{OpenAPI, ReferenceOr};
use std::collections::{BTreeMap, BTreeSet};

/// Final ids keyed like the config's `operation_ids`: `"<method> <path>"`.
pub(super) type OperationIds = BTreeMap<String, String>;

/// One operation as far as its id is concerned.
struct Entry {
    key: String,
    pointer: Pointer,
    id: String,
    from_config: bool,
}

pub(super) fn assign(
    doc: &OpenAPI,
    config: &BTreeMap<String, String>,
    warnings: &mut Warnings,
) -> Result<OperationIds> {
    let mut entries = entries(doc, config);
    let mut by_id: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, entry) in entries.iter().enumerate() {
        by_id.entry(entry.id.clone()).or_default().push(i);
    }
    let mut taken: BTreeSet<String> = by_id.keys().cloned().collect();
    let mut errors = Vec::new();
    for (id, users) in by_id.iter().filter(|(_, users)| users.len() > 1) {
        if users.iter().any(|&i| entries[i].from_config) {
            errors.push(config_collision(id, users, &entries));
            continue;
        }
        let first = &entries[users[0]];
        let (first_key, first_pointer) = (first.key.clone(), first.pointer.clone());
        for &i in &users[1..] {
            let entry = &mut entries[i];
            let told_apart = unused(id, &entry.key, &taken);
            taken.insert(told_apart.clone());
            warnings.push(
                &entry.pointer.join("operationId"),
                format!(
                    "duplicate operationId `{id}`: `{first_key}` ({first_pointer}) has it too. \
                     Told apart by its path, this operation's id is `{told_apart}`; to choose \
                     another, set it in the SDK config under `operation_ids` with the key `{}`",
                    entry.key
                ),
            );
            entry.id = told_apart;
        }
    }
    match Error::all(errors) {
        Some(error) => Err(error),
        None => Ok(entries.into_iter().map(|e| (e.key, e.id)).collect()),
    }
}

/// Every operation of the document, by path and then method.
fn entries(doc: &OpenAPI, config: &BTreeMap<String, String>) -> Vec<Entry> {
    let mut entries = Vec::new();
    for (path, item) in &doc.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let item_at = Pointer::root().join("paths").join(path);
        for (method_name, op) in item.iter() {
            let method = method_of(method_name);
            let key = key(method, path);
            let configured = config.get(&key);
            let id = match (configured, &op.operation_id) {
                (Some(id), _) | (None, Some(id)) => id.clone(),
                (None, None) => format!("{} {path}", method.as_str()),
            };
            entries.push((
                (path.clone(), method),
                Entry {
                    pointer: item_at.join(method_name),
                    key,
                    id,
                    from_config: configured.is_some(),
                },
            ));
        }
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries.into_iter().map(|(_, entry)| entry).collect()
}

/// `id` told apart by the path in `key`, and by a number should even that
/// be taken.
fn unused(id: &str, key: &str, taken: &BTreeSet<String>) -> String {
    let (method, path) = key.split_once(' ').unwrap_or(("", key));
    let words: Vec<String> = path
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|word| !word.is_empty())
        .map(str::to_string)
        .collect();
    let by_path = format!("{id}_{}", words.join("_"));
    let candidates = [by_path.clone(), format!("{by_path}_{method}")];
    candidates
        .into_iter()
        .chain((2..).map(|n| format!("{by_path}_{method}_{n}")))
        .find(|candidate| !taken.contains(candidate))
        .expect("some number is free")
}

fn config_collision(id: &str, users: &[usize], entries: &[Entry]) -> Error {
    let configured = users
        .iter()
        .map(|&i| &entries[i])
        .find(|e| e.from_config)
        .expect("called for a configured id");
    let others: Vec<String> = users
        .iter()
        .map(|&i| &entries[i])
        .filter(|e| e.key != configured.key)
        .map(|e| format!("`{}`", e.key))
        .collect();
    Error::spec(
        &configured.pointer.join("operationId"),
        format!(
            "the SDK config's `operation_ids` gives `{}` the id `{id}`, which {} also has; \
             choose an id no other operation has",
            configured.key,
            others.join(" and ")
        ),
    )
}

/// The key of an operation in the SDK config's `operation_ids`: the method
/// as the spec spells it (lower case), then the path.
pub(super) fn key(method: Method, path: &str) -> String {
    format!("{} {path}", method.as_str().to_ascii_lowercase())
}

pub(super) fn method_of(name: &str) -> Method {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(yaml: &str) -> OpenAPI {
        let value = crate::load::parse_document(yaml.as_bytes(), "test").expect("parses");
        crate::normalize::normalize(value, &mut Warnings::default())
            .expect("normalizes")
            .document
    }

    const TWICE: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /porting_phone_numbers:
    get: {operationId: listPhoneNumbers, responses: {"204": {description: ok}}}
  /phone_numbers:
    get: {operationId: listPhoneNumbers, responses: {"204": {description: ok}}}
    post: {responses: {"204": {description: ok}}}
  /porting_orders/{id}/comments:
    post: {operationId: CreateComment, responses: {"204": {description: ok}}}
  /comments:
    post: {operationId: CreateComment, responses: {"204": {description: ok}}}
"#;

    #[test]
    fn the_first_path_keeps_a_repeated_id_and_the_others_add_their_path() {
        let mut warnings = Warnings::default();
        let ids = assign(&doc(TWICE), &BTreeMap::new(), &mut warnings).expect("assigned");
        assert_eq!(ids["get /phone_numbers"], "listPhoneNumbers");
        assert_eq!(
            ids["get /porting_phone_numbers"],
            "listPhoneNumbers_porting_phone_numbers"
        );
        assert_eq!(ids["post /comments"], "CreateComment");
        assert_eq!(
            ids["post /porting_orders/{id}/comments"],
            "CreateComment_porting_orders_id_comments"
        );
        assert_eq!(ids["post /phone_numbers"], "POST /phone_numbers");
        let warnings = warnings.into_sorted();
        assert_eq!(warnings.len(), 2);
        assert_eq!(
            warnings[0].pointer.as_str(),
            "/paths/~1porting_orders~1{id}~1comments/post/operationId"
        );
        assert!(
            warnings[1].message.contains("`get /phone_numbers`"),
            "{}",
            warnings[1]
        );
    }

    #[test]
    fn a_config_entry_names_either_and_settles_the_repeat() {
        let config = BTreeMap::from([(
            "get /porting_phone_numbers".to_string(),
            "ListPortingPhoneNumbers".to_string(),
        )]);
        let mut warnings = Warnings::default();
        let ids = assign(&doc(TWICE), &config, &mut warnings).expect("assigned");
        assert_eq!(ids["get /porting_phone_numbers"], "ListPortingPhoneNumbers");
        assert_eq!(ids["get /phone_numbers"], "listPhoneNumbers");
        assert_eq!(
            warnings.into_sorted().len(),
            1,
            "only CreateComment is left"
        );
    }

    #[test]
    fn an_id_the_config_repeats_is_an_error() {
        let config =
            BTreeMap::from([("post /comments".to_string(), "listPhoneNumbers".to_string())]);
        let config_twice = BTreeMap::from([(
            "get /porting_phone_numbers".to_string(),
            "CreateComment".to_string(),
        )]);
        for config in [config, config_twice] {
            let error = assign(&doc(TWICE), &config, &mut Warnings::default()).unwrap_err();
            assert!(
                error
                    .to_string()
                    .contains("choose an id no other operation has"),
                "{error}"
            );
        }
    }

    #[test]
    fn a_told_apart_id_steps_around_ids_in_use() {
        let taken = BTreeSet::from(["A_x".to_string(), "A_x_get".to_string()]);
        assert_eq!(unused("A", "get /x", &taken), "A_x_get_2");
        assert_eq!(unused("A", "get /{y}", &taken), "A_y");
    }
}
