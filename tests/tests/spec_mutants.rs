//! Structural mutants of one small spec, each run through `cargo xtask
//! regen` as a maintainer would run it (in-process, through the CLI): the
//! four quirks regen reads as intended and their neighbours, wrong types in
//! keywords, misplaced and dangling `$ref`s, missing `responses`, empty
//! `content`. Every mutant must end one of two ways:
//!
//! - exit 2 with a message naming a JSON pointer into the spec (`file#/…`,
//!   or `file#` for the document itself), or
//! - exit 0 with a crate, and every such crate type-checks (`cargo check`,
//!   all features). The crates are checked in one scratch workspace in one
//!   run, sharing this workspace's target directory and `Cargo.lock`, so
//!   the dependencies are not built again.
//!
//! None may panic. Each mutant also states which way it must end, and
//! whether regen must warn, so the policy in the README is held here.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The spec every mutant starts from: one operation with a path parameter,
/// a query parameter, a body and responses, component schemas, responses
/// and request bodies, and two webhooks (3.1, so `webhooks` exists).
fn base() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Mutant base", "version": "1.0.0"},
        "paths": {
            "/things/{thing_id}": {
                "post": {
                    "operationId": "UpdateThing",
                    "parameters": [
                        {"name": "thing_id", "in": "path", "required": true,
                         "schema": {"type": "string"}},
                        {"name": "verbose", "in": "query", "schema": {"type": "boolean"}}
                    ],
                    "requestBody": {
                        "required": true,
                        "content": {"application/json": {"schema": {
                            "type": "object",
                            "required": ["name"],
                            "properties": {
                                "name": {"type": "string"},
                                "size": {"type": "integer"},
                                "tags": {"type": "array", "items": {"type": "string"}}
                            }
                        }}}
                    },
                    "responses": {
                        "200": {
                            "description": "The thing.",
                            "content": {"application/json": {"schema": {
                                "$ref": "#/components/schemas/Thing"
                            }}}
                        },
                        "404": {"$ref": "#/components/responses/NotFound"}
                    }
                }
            },
            "/things": {
                "get": {
                    "operationId": "ListThings",
                    "responses": {
                        "200": {
                            "description": "Things.",
                            "content": {"application/json": {"schema": {
                                "type": "object",
                                "properties": {
                                    "data": {"type": "array",
                                             "items": {"$ref": "#/components/schemas/Thing"}}
                                }
                            }}}
                        }
                    }
                }
            }
        },
        "webhooks": {
            "thingCreated": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/ThingCreatedEvent"
                }}}},
                "responses": {"200": {"description": "ok"}}
            }},
            "thingDeleted": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/ThingDeletedEvent"
                }}}},
                "responses": {"200": {"description": "ok"}}
            }}
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": ["string", "null"]},
                        "owner": {"$ref": "#/components/schemas/Owner"},
                        "kind": {"type": "string", "enum": ["big", "small"]}
                    }
                },
                "Owner": {
                    "type": "object",
                    "properties": {"email": {"type": "string"}}
                },
                "ThingCreatedEvent": event_schema("thing.created"),
                "ThingDeletedEvent": event_schema("thing.deleted")
            },
            "responses": {
                "NotFound": {
                    "description": "No such thing.",
                    "content": {"application/json": {"schema": {
                        "type": "object",
                        "properties": {"errors": {"type": "array", "items": {"type": "object"}}}
                    }}}
                },
                "ThingResponse": {
                    "description": "One thing.",
                    "content": {"application/json": {"schema": {
                        "$ref": "#/components/schemas/Thing"
                    }}}
                },
                "Empty": {"description": "Nothing."}
            },
            "requestBodies": {
                "ThingBody": {"content": {"application/json": {"schema": {
                    "type": "object", "properties": {"name": {"type": "string"}}
                }}}}
            }
        }
    })
}

fn event_schema(event_type: &str) -> Value {
    json!({
        "type": "object",
        "properties": {"data": {
            "type": "object",
            "properties": {
                "event_type": {"type": "string", "enum": [event_type]},
                "payload": {"type": "object", "properties": {"id": {"type": "string"}}}
            }
        }}
    })
}

/// How a mutant must end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Exit 0, no quirk warning: standard OpenAPI, or nothing wrong.
    Generates,
    /// Exit 0 with at least one warning: a quirk read as intended.
    Quirk,
    /// Exit 2, naming a JSON pointer.
    Refused,
}

use Expect::{Generates, Quirk, Refused};

/// One edit of the document: `Some` sets the value at the pointer (the
/// parent must exist), `None` removes it.
type Edit = (&'static str, Option<Value>);

struct Mutant {
    name: &'static str,
    edits: Vec<Edit>,
    expect: Expect,
}

fn set(pointer: &'static str, value: Value) -> Edit {
    (pointer, Some(value))
}

fn remove(pointer: &'static str) -> Edit {
    (pointer, None)
}

fn mutant(name: &'static str, expect: Expect, edits: Vec<Edit>) -> Mutant {
    Mutant {
        name,
        edits,
        expect,
    }
}

const BODY: &str = "/paths/~1things~1{thing_id}/post/requestBody/content/application~1json/schema";
const OK_SCHEMA: &str =
    "/paths/~1things~1{thing_id}/post/responses/200/content/application~1json/schema";

fn mutants() -> Vec<Mutant> {
    vec![
        // ---- boolean `required` and its neighbours
        mutant("required true on a property", Quirk, vec![set("/components/schemas/Thing/properties/name/required", json!(true))]),
        mutant("required false on an array property", Quirk, vec![set("/paths/~1things~1{thing_id}/post/requestBody/content/application~1json/schema/properties/tags/required", json!(false))]),
        mutant("required true beside a $ref", Quirk, vec![set("/components/schemas/Thing/properties/owner/required", json!(true))]),
        mutant("required true on a whole schema", Quirk, vec![set("/components/schemas/Owner/required", json!(true))]),
        mutant("required true on array items", Quirk, vec![set("/paths/~1things~1{thing_id}/post/requestBody/content/application~1json/schema/properties/tags/items/required", json!(true))]),
        mutant("required true in a parameter's schema", Quirk, vec![set("/paths/~1things~1{thing_id}/post/parameters/1/schema/required", json!(true))]),
        mutant("required as a string", Refused, vec![set("/components/schemas/Thing/required", json!("id"))]),
        mutant("required as a number on a property", Refused, vec![set("/components/schemas/Thing/properties/name/required", json!(1))]),
        mutant("required lists a property that is not there", Generates, vec![set("/components/schemas/Thing/required", json!(["id", "nowhere"]))]),
        mutant("required list empty", Generates, vec![set("/components/schemas/Thing/required", json!([]))]),
        // ---- operationIds
        mutant("operationId repeated on two paths", Quirk, vec![set("/paths/~1things/get/operationId", json!("UpdateThing"))]),
        mutant("operationId repeated on three operations", Quirk, vec![
            set("/paths/~1things/get/operationId", json!("Same")),
            set("/paths/~1things/post", json!({"operationId": "Same", "responses": {"204": {"description": "ok"}}})),
            set("/paths/~1things~1{thing_id}/post/operationId", json!("Same")),
        ]),
        mutant("operationId missing", Generates, vec![remove("/paths/~1things/get/operationId")]),
        mutant("operationId a number", Refused, vec![set("/paths/~1things/get/operationId", json!(5))]),
        mutant("operationId only punctuation", Generates, vec![set("/paths/~1things/get/operationId", json!("--"))]),
        // ---- `$ref`s: the response-as-schema quirk and misplaced ones
        mutant("schema $ref to a component response", Quirk, vec![set(OK_SCHEMA, json!({"$ref": "#/components/responses/ThingResponse"}))]),
        mutant("schema $ref to a response with an inline schema", Quirk, vec![set(OK_SCHEMA, json!({"$ref": "#/components/responses/NotFound"}))]),
        mutant("schema $ref to a component request body", Quirk, vec![set(BODY, json!({"$ref": "#/components/requestBodies/ThingBody"}))]),
        mutant("property $ref to a component response", Quirk, vec![set("/components/schemas/Thing/properties/owner", json!({"$ref": "#/components/responses/ThingResponse"}))]),
        mutant("schema $ref to a response whose schema contains it", Refused, vec![
            set("/components/responses/NotFound/content/application~1json/schema/properties/again", json!({"$ref": "#/components/responses/NotFound"})),
            set(OK_SCHEMA, json!({"$ref": "#/components/responses/NotFound"})),
        ]),
        mutant("schema $ref to a response without content", Refused, vec![set(OK_SCHEMA, json!({"$ref": "#/components/responses/Empty"}))]),
        mutant("schema $ref to a missing response", Refused, vec![set(OK_SCHEMA, json!({"$ref": "#/components/responses/Missing"}))]),
        mutant("schema $ref dangling", Refused, vec![set("/components/schemas/Thing/properties/owner", json!({"$ref": "#/components/schemas/Nobody"}))]),
        mutant("schema $ref to a parameter", Refused, vec![set("/components/schemas/Thing/properties/owner", json!({"$ref": "#/components/parameters/Owner"}))]),
        mutant("schema $ref into a schema's middle", Refused, vec![set("/components/schemas/Thing/properties/owner", json!({"$ref": "#/components/schemas/Owner/properties/email"}))]),
        mutant("schema $ref to another file", Refused, vec![set("/components/schemas/Thing/properties/owner", json!({"$ref": "other.yaml#/components/schemas/Owner"}))]),
        mutant("schema $ref a number", Refused, vec![set("/components/schemas/Thing/properties/owner", json!({"$ref": 7}))]),
        mutant("response $ref to a schema", Refused, vec![set("/paths/~1things~1{thing_id}/post/responses/404", json!({"$ref": "#/components/schemas/Thing"}))]),
        mutant("response $ref dangling", Refused, vec![set("/paths/~1things~1{thing_id}/post/responses/404", json!({"$ref": "#/components/responses/Gone"}))]),
        mutant("parameter $ref to a schema", Refused, vec![set("/paths/~1things~1{thing_id}/post/parameters/1", json!({"$ref": "#/components/schemas/Owner"}))]),
        mutant("requestBody $ref to a component body", Generates, vec![set("/paths/~1things~1{thing_id}/post/requestBody", json!({"$ref": "#/components/requestBodies/ThingBody"}))]),
        mutant("path item $ref", Refused, vec![set("/paths/~1things", json!({"$ref": "#/paths/~1things~1{thing_id}"}))]),
        mutant("schema $ref chain back to itself", Refused, vec![set("/components/schemas/Owner", json!({"$ref": "#/components/schemas/Owner"}))]),
        mutant("property $ref to its own schema", Generates, vec![set("/components/schemas/Thing/properties/parent", json!({"$ref": "#/components/schemas/Thing"}))]),
        mutant("$ref with a sibling description", Generates, vec![set("/components/schemas/Thing/properties/owner/description", json!("Who owns it."))]),
        // ---- webhooks and event types
        mutant("event type of two webhooks", Quirk, vec![set("/components/schemas/ThingDeletedEvent/properties/data/properties/event_type/enum", json!(["thing.created"]))]),
        mutant("event type twice, and one of its own", Quirk, vec![set("/components/schemas/ThingDeletedEvent/properties/data/properties/event_type/enum", json!(["thing.deleted", "thing.created"]))]),
        mutant("event type listed twice in one webhook", Generates, vec![set("/components/schemas/ThingCreatedEvent/properties/data/properties/event_type/enum", json!(["thing.created", "thing.created"]))]),
        mutant("webhook without an operation", Quirk, vec![set("/webhooks/thingDeleted", json!({}))]),
        mutant("webhook without a requestBody", Quirk, vec![remove("/webhooks/thingDeleted/post/requestBody")]),
        mutant("webhook requestBody with empty content", Quirk, vec![set("/webhooks/thingDeleted/post/requestBody/content", json!({}))]),
        mutant("webhook requestBody $ref to a component body", Generates, vec![set("/webhooks/thingDeleted/post/requestBody", json!({"$ref": "#/components/requestBodies/ThingBody"}))]),
        mutant("webhook requestBody $ref dangling", Refused, vec![set("/webhooks/thingDeleted/post/requestBody", json!({"$ref": "#/components/requestBodies/Nope"}))]),
        mutant("webhooks a list", Refused, vec![set("/webhooks", json!([]))]),
        // ---- responses and content
        mutant("responses missing", Refused, vec![remove("/paths/~1things/get/responses")]),
        mutant("responses empty", Generates, vec![set("/paths/~1things/get/responses", json!({}))]),
        mutant("responses a list", Refused, vec![set("/paths/~1things/get/responses", json!([]))]),
        mutant("response content empty", Generates, vec![set("/paths/~1things/get/responses/200/content", json!({}))]),
        mutant("response media type without a schema", Generates, vec![set("/paths/~1things/get/responses/200/content/application~1json", json!({}))]),
        mutant("response content a string", Refused, vec![set("/paths/~1things/get/responses/200/content", json!("application/json"))]),
        mutant("response description missing", Refused, vec![remove("/paths/~1things/get/responses/200/description")]),
        mutant("requestBody content empty", Quirk, vec![set("/paths/~1things~1{thing_id}/post/requestBody/content", json!({}))]),
        mutant("requestBody only text/plain", Generates, vec![set("/paths/~1things~1{thing_id}/post/requestBody/content", json!({"text/plain": {"schema": {"type": "string"}}}))]),
        // ---- wrong types in schema keywords
        mutant("type a number", Refused, vec![set("/components/schemas/Owner/type", json!(5))]),
        mutant("type unknown", Quirk, vec![set("/components/schemas/Thing/properties/id/type", json!("strnig"))]),
        mutant("properties a list", Refused, vec![set("/components/schemas/Owner/properties", json!([]))]),
        mutant("items a list", Refused, vec![set("/paths/~1things~1{thing_id}/post/requestBody/content/application~1json/schema/properties/tags/items", json!([{"type": "string"}]))]),
        mutant("array without items", Generates, vec![remove("/paths/~1things~1{thing_id}/post/requestBody/content/application~1json/schema/properties/tags/items")]),
        mutant("enum not a list", Refused, vec![set("/components/schemas/Thing/properties/kind/enum", json!("big"))]),
        mutant("enum empty", Generates, vec![set("/components/schemas/Thing/properties/kind/enum", json!([]))]),
        mutant("nullable a string", Refused, vec![set("/components/schemas/Owner/nullable", json!("yes"))]),
        mutant("additionalProperties a string", Refused, vec![set("/components/schemas/Owner/additionalProperties", json!("string"))]),
        mutant("allOf an object", Refused, vec![set("/components/schemas/Owner/allOf", json!({"$ref": "#/components/schemas/Thing"}))]),
        mutant("allOf empty", Generates, vec![set("/components/schemas/Owner", json!({"allOf": []}))]),
        mutant("allOf containing itself", Refused, vec![set("/components/schemas/Owner", json!({"allOf": [{"$ref": "#/components/schemas/Owner"}]}))]),
        mutant("oneOf of itself", Refused, vec![set("/components/schemas/Owner", json!({"oneOf": [{"$ref": "#/components/schemas/Owner"}, {"type": "string"}]}))]),
        mutant("discriminator over inline variants", Quirk, vec![set("/components/schemas/Owner", json!({
            "discriminator": {"propertyName": "kind"},
            "oneOf": [
                {"type": "object", "properties": {"kind": {"type": "string"}, "a": {"type": "string"}}},
                {"type": "object", "properties": {"kind": {"type": "string"}, "b": {"type": "integer"}}}
            ]
        }))]),
        mutant("discriminator a string", Refused, vec![set("/components/schemas/Owner", json!({"discriminator": "kind", "oneOf": [{"$ref": "#/components/schemas/Thing"}]}))]),
        mutant("discriminator mapping to no variant", Quirk, vec![set("/components/schemas/Owner", json!({
            "discriminator": {"propertyName": "kind", "mapping": {"x": "#/components/schemas/Nowhere"}},
            "oneOf": [{"$ref": "#/components/schemas/Thing"}]
        }))]),
        mutant("not", Generates, vec![set("/components/schemas/Owner/properties/email/not", json!({"type": "integer"}))]),
        mutant("unsupported keyword", Generates, vec![set("/components/schemas/Owner/patternProperties", json!({"^x": {"type": "string"}}))]),
        // ---- paths and parameters
        mutant("path parameter missing from the template", Refused, vec![remove("/paths/~1things~1{thing_id}/post/parameters/0")]),
        mutant("path parameter the template lacks", Refused, vec![set("/paths/~1things/get/parameters", json!([{"name": "x", "in": "path", "required": true, "schema": {"type": "string"}}]))]),
        mutant("unclosed placeholder", Refused, vec![set("/paths/~1things~1{open", json!({"get": {"responses": {"204": {"description": "ok"}}}}))]),
        mutant("parameters an object", Refused, vec![set("/paths/~1things~1{thing_id}/post/parameters", json!({"name": "x"}))]),
        mutant("parameter in body (Swagger 2)", Refused, vec![set("/paths/~1things~1{thing_id}/post/parameters/1/in", json!("body"))]),
        mutant("parameter without a name", Refused, vec![remove("/paths/~1things~1{thing_id}/post/parameters/1/name")]),
        mutant("parameter by content", Generates, vec![set("/paths/~1things~1{thing_id}/post/parameters/1", json!({"name": "filter", "in": "query", "content": {"application/json": {"schema": {"type": "object"}}}}))]),
        // ---- the document
        mutant("openapi 3.2", Refused, vec![set("/openapi", json!("3.2.0"))]),
        mutant("openapi a number", Refused, vec![set("/openapi", json!(3.1))]),
        mutant("openapi 3.0 spelling of the same spec", Refused, vec![set("/openapi", json!("3.0.3"))]),
        mutant("paths missing", Generates, vec![remove("/paths")]),
        mutant("component schemas a list", Refused, vec![set("/components/schemas", json!([]))]),
        mutant("info missing", Refused, vec![remove("/info")]),
        mutant("extensions everywhere", Generates, vec![
            set("/x-root", json!({"a": 1})),
            set("/paths/x-note", json!("hi")),
            set("/components/schemas/Owner/x-thing", json!([1, 2])),
        ]),
    ]
}

/// Applies the edits; a pointer whose parent is missing is a bug in the table.
fn apply(doc: &mut Value, edits: &[Edit]) {
    for (pointer, value) in edits {
        let (parent, last) = pointer.rsplit_once('/').expect("a pointer below the root");
        let key = last.replace("~1", "/").replace("~0", "~");
        let parent = doc
            .pointer_mut(parent)
            .unwrap_or_else(|| panic!("no parent for {pointer}"));
        match (parent, value) {
            (Value::Object(map), Some(value)) => {
                map.insert(key, value.clone());
            }
            (Value::Object(map), None) => {
                map.remove(&key)
                    .unwrap_or_else(|| panic!("nothing at {pointer}"));
            }
            (Value::Array(list), None) => {
                list.remove(key.parse::<usize>().expect("an index"));
            }
            (Value::Array(list), Some(value)) => {
                list[key.parse::<usize>().expect("an index")] = value.clone();
            }
            _ => panic!("{pointer}: the parent is no container"),
        }
    }
}

struct Outcome {
    status: Option<u8>,
    message: String,
    warnings: usize,
}

/// `cargo xtask regen --spec <mutant> --config <empty> --out <out>`, in
/// process; `status` is `None` for a panic.
fn regen(spec: &Path, config: &Path, out: &Path) -> Outcome {
    let args: Vec<OsString> = vec![
        "regen".into(),
        "--spec".into(),
        spec.into(),
        "--config".into(),
        config.into(),
        "--out".into(),
        out.into(),
    ];
    let root = telnyx_tests::workspace_root();
    match catch_unwind(AssertUnwindSafe(|| xtask::cli::run(root, args))) {
        Ok(result) => Outcome {
            status: Some(xtask::cli::exit_code(&result)),
            message: result
                .as_ref()
                .err()
                .map(ToString::to_string)
                .unwrap_or_default(),
            warnings: 0,
        },
        Err(_) => Outcome {
            status: None,
            message: "panicked".into(),
            warnings: 0,
        },
    }
}

/// The quirk warnings the pipeline gives for `spec` (the CLI prints them).
fn quirk_warnings(bytes: &[u8]) -> usize {
    let templates = xtask::emit::Templates::load(&telnyx_tests::workspace_root().join("templates"))
        .expect("templates load");
    xtask::pipeline::generate(
        bytes,
        "mutant.yaml",
        &xtask::naming::SdkConfig::default(),
        &templates,
        &xtask::pipeline::Options { strict: false },
    )
    .map(|g| {
        g.api
            .warnings
            .iter()
            .filter(|w| w.kind == xtask::diag::WarningKind::Quirk)
            .count()
    })
    .unwrap_or(0)
}

fn judge(mutant: &Mutant, spec_file: &str, outcome: &Outcome) -> Option<String> {
    let wrong = match (outcome.status, mutant.expect) {
        (None, _) => "panicked".to_string(),
        (Some(2), Refused) if outcome.message.contains(&format!("{spec_file}#")) => return None,
        (Some(2), Refused) => format!("exit 2 without a JSON pointer: {}", outcome.message),
        (Some(0), Generates) if outcome.warnings == 0 => return None,
        (Some(0), Quirk) if outcome.warnings > 0 => return None,
        (Some(0), Generates) => format!("{} quirk warnings, expected none", outcome.warnings),
        (Some(0), Quirk) => "generated without a warning".to_string(),
        (Some(status), expect) => {
            format!("exit {status}, expected {expect:?}: {}", outcome.message)
        }
    };
    Some(format!("{}: {wrong}", mutant.name))
}

#[test]
fn every_mutant_is_refused_with_a_pointer_or_generates_a_crate_that_type_checks() {
    let mutants = mutants();
    assert!(mutants.len() >= 50, "only {} mutants", mutants.len());
    let scratch = Scratch::new();
    let config = scratch.dir.join("empty.sdk.yml");
    fs::write(&config, "{}\n").expect("scratch config");
    let mut failures = Vec::new();
    let mut crates: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (i, mutant) in mutants.iter().enumerate() {
        let mut doc = base();
        apply(&mut doc, &mutant.edits);
        let bytes = serde_json::to_vec_pretty(&doc).expect("serializes");
        let spec = scratch.dir.join(format!("mutant_{i:02}.json"));
        fs::write(&spec, &bytes).expect("scratch spec");
        let out = scratch.dir.join(format!("crates/m{i:02}"));
        let mut outcome = regen(&spec, &config, &out);
        if outcome.status == Some(0) {
            outcome.warnings = quirk_warnings(&bytes);
            let files = crate_text(&out);
            crates.entry(files).or_insert(out.clone());
        } else if out.exists() {
            failures.push(format!(
                "{}: refused, yet wrote {}",
                mutant.name,
                out.display()
            ));
        }
        *counts.entry(format!("{:?}", mutant.expect)).or_default() += 1;
        failures.extend(judge(mutant, &spec.display().to_string(), &outcome));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        counts.values().all(|&n| n >= 10),
        "each way is exercised: {counts:?}"
    );
    let started = std::time::Instant::now();
    type_check(&scratch.dir, crates.values());
    eprintln!(
        "{} mutants {counts:?}; {} distinct crates type-checked in {:.1?}",
        mutants.len(),
        crates.len(),
        started.elapsed()
    );
}

/// A crate's files, for telling apart mutants that generate the same crate.
fn crate_text(dir: &Path) -> String {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("the crate directory").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
        .iter()
        .map(|path| {
            let relative = path.strip_prefix(dir).expect("below the crate");
            format!(
                "{}\n{}",
                relative.display(),
                fs::read_to_string(path).unwrap_or_default()
            )
        })
        .collect()
}

/// One workspace of every distinct generated crate, each renamed, checked
/// in one `cargo check` with this workspace's lock file and target dir.
fn type_check<'a>(scratch: &Path, crates: impl Iterator<Item = &'a PathBuf>) {
    let root = telnyx_tests::workspace_root();
    let mut members = Vec::new();
    for dir in crates {
        let name = dir
            .file_name()
            .expect("a crate dir")
            .to_string_lossy()
            .into_owned();
        let manifest = dir.join("Cargo.toml");
        let text = fs::read_to_string(&manifest).expect("a manifest");
        let renamed = text.replacen(
            "name = \"telnyx-api\"",
            &format!("name = \"mutant-{name}\""),
            1,
        );
        assert_ne!(
            text, renamed,
            "the generated manifest names the package telnyx-api"
        );
        fs::write(&manifest, renamed).expect("writable");
        members.push(format!("\"crates/{name}\""));
    }
    assert!(
        members.len() >= 10,
        "only {} distinct crates",
        members.len()
    );
    fs::write(
        scratch.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("workspace manifest");
    fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).expect("the lock file");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(scratch)
        .args([
            "check",
            "--quiet",
            "--workspace",
            "--all-features",
            "--target-dir",
        ])
        .arg(target)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the generated crates of {} mutants do not type-check:\n{}",
        members.len(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A scratch directory removed when the test ends, whatever the outcome.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new() -> Scratch {
        let dir = std::env::temp_dir().join(format!("telnyx-mutants-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("scratch dir");
        Scratch { dir }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}
