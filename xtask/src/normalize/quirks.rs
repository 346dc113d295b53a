//! Spec quirks whose meaning is plain, rewritten into standard OpenAPI on
//! the generic document before typed parsing, each with a warning that
//! names its place (`--strict` makes those errors):
//!
//! - `required: true|false` on a property schema (a Swagger 2 habit): `true`
//!   lists the property in its parent's `required`; `false` is what an
//!   unlisted property means already, so it goes. Inside a parameter's
//!   schema, `true` makes the parameter required. Anywhere else the flag
//!   says nothing and goes.
//! - A `$ref` to `#/components/responses/X` (or `requestBodies/X`) where a
//!   schema belongs: the schema of that response's (or body's) JSON content.

use super::pass::At;
use crate::diag::Warnings;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// How many `$ref`s from one component body to another are followed.
const MAX_BODY_HOPS: usize = 16;

/// The schema each component response and request body carries (JSON
/// content if it has any, else its first media type with a schema), keyed
/// by the reference that names it, as the spec wrote it before rewriting.
#[derive(Default)]
pub(super) struct BodySchemas(HashMap<String, Value>);

impl BodySchemas {
    pub(super) fn collect(doc: &Value) -> BodySchemas {
        let mut found = HashMap::new();
        for kind in ["responses", "requestBodies"] {
            let Some(Value::Object(entries)) = doc.pointer(&format!("/components/{kind}")) else {
                continue;
            };
            for (name, body) in entries {
                let reference = format!("#/components/{kind}/{name}");
                if let Some(schema) = body_schema(body) {
                    found.insert(reference, schema.clone());
                } else if let Some(Value::String(next)) = body.get("$ref") {
                    // Resolved below, once every entry is known.
                    found.insert(reference, Value::String(next.clone()));
                }
            }
        }
        let aliases: Vec<(String, String)> = found
            .iter()
            .filter_map(|(k, v)| v.as_str().map(|next| (k.clone(), next.to_string())))
            .collect();
        for (reference, mut next) in aliases {
            let mut resolved = None;
            for _ in 0..MAX_BODY_HOPS {
                match found.get(&next) {
                    Some(Value::String(further)) => next = further.clone(),
                    Some(schema) => {
                        resolved = Some(schema.clone());
                        break;
                    }
                    None => break,
                }
            }
            match resolved {
                Some(schema) => found.insert(reference, schema),
                None => found.remove(&reference),
            };
        }
        BodySchemas(found)
    }

    fn schema_of(&self, reference: &str) -> Option<&Value> {
        self.0.get(reference)
    }
}

fn body_schema(body: &Value) -> Option<&Value> {
    let Some(Value::Object(content)) = body.get("content") else {
        return None;
    };
    let with_schema = |media: &&Value| media.get("schema").is_some();
    content
        .iter()
        .find(|(media_type, media)| is_json(media_type) && with_schema(media))
        .map(|(_, media)| media)
        .or_else(|| content.values().find(with_schema))
        .and_then(|media| media.get("schema"))
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// A schema that is a `$ref` to a component response or request body
/// becomes that body's schema; keywords beside the `$ref` stay. Returns the
/// bodies whose inline schema was copied here; one already in `expanding`
/// (it would contain itself) is left as the `$ref`, which lowering refuses.
pub(super) fn body_ref_as_schema(
    s: &mut Map<String, Value>,
    at: &At<'_>,
    bodies: &BodySchemas,
    expanding: &[String],
    warnings: &mut Warnings,
) -> Vec<String> {
    let mut expanded = Vec::new();
    for _ in 0..MAX_BODY_HOPS {
        let Some(Value::String(reference)) = s.get("$ref") else {
            break;
        };
        if expanding.contains(reference) || expanded.contains(reference) {
            break;
        }
        let kind = if reference.starts_with("#/components/responses/") {
            "response"
        } else if reference.starts_with("#/components/requestBodies/") {
            "request body"
        } else {
            break;
        };
        // Left as written, the `$ref` fails lowering, which names it.
        let Some(schema) = bodies.schema_of(reference) else {
            break;
        };
        let reading = match schema.get("$ref").and_then(Value::as_str) {
            Some(target) => format!("`{target}`"),
            None => {
                expanded.push(reference.clone());
                "its inline schema".to_string()
            }
        };
        warnings.push(
            &at.key("$ref").pointer(),
            format!(
                "`$ref: {reference}` names a component {kind} where a schema belongs; read as \
                 the schema of that {kind}'s content, {reading}"
            ),
        );
        s.remove("$ref");
        if let Value::Object(target) = schema {
            for (key, value) in target {
                s.entry(key.clone()).or_insert_with(|| value.clone());
            }
        }
    }
    expanded
}

/// A boolean `required` on the schema of each property moves into the
/// object's `required` list (`true`) or goes (`false`).
pub(super) fn property_required_flags(
    s: &mut Map<String, Value>,
    at: &At<'_>,
    warnings: &mut Warnings,
) {
    let Some(Value::Object(properties)) = s.get_mut("properties") else {
        return;
    };
    let properties_at = at.key("properties");
    let mut now_required = Vec::new();
    for (name, property) in properties.iter_mut() {
        let Some(flag) = take_flag(property) else {
            continue;
        };
        let flag_at = properties_at.key(name);
        let flag_at = flag_at.key("required").pointer();
        if flag {
            warnings.push(
                &flag_at,
                format!(
                    "`required: true` on the property `{name}` (a Swagger 2 habit): read as \
                     `{name}` listed in the object's `required`"
                ),
            );
            now_required.push(Value::String(name.clone()));
        } else {
            warnings.push(
                &flag_at,
                format!(
                    "`required: false` on the property `{name}` (a Swagger 2 habit): ignored, \
                     as a property the object's `required` does not list is optional already"
                ),
            );
        }
    }
    if now_required.is_empty() {
        return;
    }
    // A `required` that is no list fails typing with its own pointer.
    if let Value::Array(listed) = s
        .entry("required")
        .or_insert_with(|| Value::Array(Vec::new()))
    {
        for name in now_required {
            if !listed.contains(&name) {
                listed.push(name);
            }
        }
    }
}

/// A boolean `required` in a parameter's schema is the parameter's own
/// `required`, unless the parameter states that itself.
pub(super) fn parameter_schema_flag(
    parameter: &mut Map<String, Value>,
    at: &At<'_>,
    warnings: &mut Warnings,
) {
    let Some(flag) = parameter.get_mut("schema").and_then(take_flag) else {
        return;
    };
    let schema_at = at.key("schema");
    let flag_at = schema_at.key("required").pointer();
    if parameter.contains_key("required") {
        warnings.push(
            &flag_at,
            format!(
                "`required: {flag}` inside a parameter's schema (a Swagger 2 habit): ignored, \
                 as the parameter states its own `required`"
            ),
        );
    } else if flag {
        warnings.push(
            &flag_at,
            "`required: true` inside a parameter's schema (a Swagger 2 habit): read as the \
             parameter's own `required: true`",
        );
        parameter.insert("required".into(), Value::Bool(true));
    } else {
        warnings.push(
            &flag_at,
            "`required: false` inside a parameter's schema (a Swagger 2 habit): ignored, as a \
             parameter is optional unless it says otherwise",
        );
    }
}

/// A boolean `required` on a schema that is not a property (nor a
/// parameter's): it says nothing in OpenAPI 3, so it goes.
pub(super) fn stray_required_flag(
    s: &mut Map<String, Value>,
    at: &At<'_>,
    warnings: &mut Warnings,
) {
    let Some(flag) = s.get("required").and_then(Value::as_bool) else {
        return;
    };
    s.remove("required");
    warnings.push(
        &at.key("required").pointer(),
        format!(
            "`required: {flag}` on a schema that is not an object's property says nothing in \
             OpenAPI 3; ignored"
        ),
    );
}

/// Removes a boolean `required` from a property schema and returns it.
fn take_flag(property: &mut Value) -> Option<bool> {
    let Value::Object(property) = property else {
        return None;
    };
    let flag = property.get("required")?.as_bool()?;
    property.remove("required");
    Some(flag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => panic!("an object"),
        }
    }

    #[test]
    fn property_flags_join_the_required_list_in_property_order() {
        let mut s = object(json!({
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string", "required": true},
                "queue_name": {"type": "string", "required": true},
                "tags": {"type": "array", "required": false, "items": {"type": "string"}},
                "note": {"$ref": "#/components/schemas/Note", "required": true},
            }
        }));
        let mut warnings = Warnings::default();
        property_required_flags(&mut s, &At::ROOT.key("S"), &mut warnings);
        assert_eq!(s["required"], json!(["id", "queue_name", "note"]));
        assert_eq!(
            s["properties"]["tags"],
            json!({"type": "array", "items": {"type": "string"}})
        );
        assert_eq!(
            s["properties"]["note"],
            json!({"$ref": "#/components/schemas/Note"})
        );
        let pointers: Vec<String> = warnings
            .into_sorted()
            .iter()
            .map(|w| w.pointer.to_string())
            .collect();
        assert_eq!(
            pointers,
            [
                "#/S/properties/id/required",
                "#/S/properties/note/required",
                "#/S/properties/queue_name/required",
                "#/S/properties/tags/required",
            ]
        );
    }

    #[test]
    fn a_list_valued_required_is_left_to_the_standard_reading() {
        let mut s = object(json!({"properties": {"a": {"type": "object", "required": ["b"]}}}));
        let before = s.clone();
        let mut warnings = Warnings::default();
        property_required_flags(&mut s, &At::ROOT, &mut warnings);
        assert_eq!(s, before);
        assert!(warnings.into_sorted().is_empty());
    }

    #[test]
    fn a_flag_in_a_parameter_schema_is_the_parameters_own() {
        let mut warnings = Warnings::default();
        let mut parameter = object(json!({
            "name": "q", "in": "query", "schema": {"type": "string", "required": true},
        }));
        parameter_schema_flag(&mut parameter, &At::ROOT, &mut warnings);
        assert_eq!(parameter["required"], json!(true));
        assert_eq!(parameter["schema"], json!({"type": "string"}));
        let mut stated = object(json!({
            "name": "q", "in": "query", "required": false,
            "schema": {"type": "string", "required": true},
        }));
        parameter_schema_flag(&mut stated, &At::ROOT, &mut warnings);
        assert_eq!(stated["required"], json!(false));
        assert_eq!(stated["schema"], json!({"type": "string"}));
        let mut not_bool = object(json!({"schema": {"type": "object", "required": ["a"]}}));
        let before = not_bool.clone();
        parameter_schema_flag(&mut not_bool, &At::ROOT, &mut warnings);
        assert_eq!(not_bool, before);
        assert_eq!(warnings.into_sorted().len(), 2);
    }

    #[test]
    fn body_refs_resolve_through_chains_and_keep_siblings() {
        let doc = json!({"components": {
            "responses": {
                "Thing": {"description": "d", "content": {
                    "text/plain": {"schema": {"type": "string"}},
                    "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}},
                }},
                "Alias": {"$ref": "#/components/responses/Thing"},
                "Loop": {"$ref": "#/components/responses/Loop"},
                "Empty": {"description": "no content"},
            },
            "requestBodies": {
                "Inline": {"content": {"application/json": {"schema": {"type": "object"}}}},
            },
        }});
        let bodies = BodySchemas::collect(&doc);
        let mut warnings = Warnings::default();
        let mut s = object(json!({"$ref": "#/components/responses/Alias", "description": "x"}));
        body_ref_as_schema(&mut s, &At::ROOT, &bodies, &[], &mut warnings);
        assert_eq!(
            Value::Object(s),
            json!({"$ref": "#/components/schemas/Thing", "description": "x"})
        );
        let mut s = object(json!({"$ref": "#/components/requestBodies/Inline"}));
        body_ref_as_schema(&mut s, &At::ROOT, &bodies, &[], &mut warnings);
        assert_eq!(Value::Object(s), json!({"type": "object"}));
        for unresolved in ["Loop", "Empty", "Missing"] {
            let reference = format!("#/components/responses/{unresolved}");
            let mut s = object(json!({ "$ref": reference }));
            body_ref_as_schema(&mut s, &At::ROOT, &bodies, &[], &mut warnings);
            assert_eq!(
                Value::Object(s),
                json!({ "$ref": reference }),
                "{unresolved}"
            );
        }
        let mut s = object(json!({"$ref": "#/components/requestBodies/Inline"}));
        let inline = "#/components/requestBodies/Inline".to_string();
        body_ref_as_schema(
            &mut s,
            &At::ROOT,
            &bodies,
            std::slice::from_ref(&inline),
            &mut warnings,
        );
        assert_eq!(
            Value::Object(s),
            json!({"$ref": inline}),
            "it contains itself"
        );
        assert_eq!(warnings.into_sorted().len(), 2);
    }
}
