//! Generator snapshots: each fixture in `tests/fixtures/` isolates one spec
//! construct; its generated types, resources and `API.md` are snapshotted,
//! and the behaviour it exists for is asserted directly. Plus the IR of the
//! pinned spec's voice surface, and determinism of the whole pipeline.
//!
//! Update snapshots with `INSTA_UPDATE=always cargo test -p telnyx-tests --test snapshots`
//! and review the diff. Set `TELNYX_DUMP_FIXTURE_CRATES=<dir>` to also write
//! each fixture's complete crate there (for a manual `cargo check`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use xtask::diag::Pointer;
use xtask::emit::Templates;
use xtask::ir::{Api, EventKey, PageInput, Pagination, TypeKind, TypeRef};
use xtask::naming::{Names, SdkConfig};
use xtask::pipeline::{self, Generated, Options};

const FIXTURES: [&str; 26] = [
    "nullable_30.yaml",
    "openapi_30.yaml",
    "type_lists_31.yaml",
    "const_31.yaml",
    "all_of.yaml",
    "one_of_discriminator.yaml",
    "one_of_untagged.yaml",
    "any_of.yaml",
    "open_enums.yaml",
    "additional_properties.yaml",
    "recursion.yaml",
    "names.yaml",
    "query_params.yaml",
    "webhooks_31.yaml",
    "pagination.yaml",
    "spec_json.json",
    "derived_names.yaml",
    "quirk_required_bool.yaml",
    "quirk_required_bool_31.yaml",
    "quirk_duplicate_ids.yaml",
    "quirk_response_ref.yaml",
    "quirk_response_ref_31.yaml",
    "quirk_event_types_31.yaml",
    "quirk_discriminator_inline.yaml",
    "optional_body.yaml",
    "guides.yaml",
];

fn root() -> &'static Path {
    telnyx_tests::workspace_root()
}

fn templates() -> Templates {
    Templates::load(&root().join("templates")).expect("templates/ loads")
}

fn fixture_path(file: &str) -> PathBuf {
    root().join("tests/fixtures").join(file)
}

fn stem(file: &str) -> &str {
    file.split('.').next().expect("a file name")
}

/// `<stem>.sdk.yml` beside the fixture, else the default config (all
/// operations, derived names).
fn fixture_config(file: &str) -> SdkConfig {
    let path = fixture_path(&format!("{}.sdk.yml", stem(file)));
    if path.exists() {
        SdkConfig::load(&path).unwrap_or_else(|e| panic!("{e}"))
    } else {
        SdkConfig::default()
    }
}

fn generate_fixture(file: &str) -> Generated {
    let bytes = fs::read(fixture_path(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let generated = pipeline::generate(
        &bytes,
        &format!("tests/fixtures/{file}"),
        &fixture_config(file),
        &templates(),
        &Options { strict: false },
    )
    .unwrap_or_else(|e| panic!("{file} does not generate: {e}"));
    if let Some(dir) = std::env::var_os("TELNYX_DUMP_FIXTURE_CRATES") {
        let out = PathBuf::from(dir).join(stem(file));
        for (path, text) in &generated.files {
            let target = out.join(path);
            fs::create_dir_all(target.parent().expect("a file in a directory"))
                .expect("dump directory is writable");
            fs::write(&target, text).expect("dump file is writable");
        }
    }
    generated
}

/// The summary, the warnings, then every snapshotted file behind a separator.
fn render(generated: &Generated) -> String {
    let mut out = format!("// {}\n", generated.summary);
    for warning in &generated.api.warnings {
        let _ = writeln!(out, "// {warning}");
    }
    for (path, text) in &generated.files {
        let wanted = path == "API.md"
            || (path == "src/webhooks.rs" && !generated.api.webhooks.is_empty())
            || path.starts_with("src/types/")
            || path.starts_with("src/resources/");
        if wanted {
            let _ = write!(out, "\n// ---- {path} ----\n{text}");
        }
    }
    out
}

/// Generates the fixture, snapshots it, and returns the rendered text for
/// the fixture's own assertions.
fn snapshot(file: &str) -> (Generated, String) {
    let generated = generate_fixture(file);
    let text = render(&generated);
    insta::assert_snapshot!(stem(file), text);
    (generated, text)
}

/// The text of one generated file.
fn file<'a>(generated: &'a Generated, path: &str) -> &'a str {
    generated
        .files
        .get(path)
        .unwrap_or_else(|| panic!("no {path} in {:?}", generated.files.keys()))
}

/// The struct field of a component schema, from the IR.
fn ir_field<'a>(api: &'a Api, schema: &str, field: &str) -> &'a xtask::ir::Field {
    let def = api
        .types
        .values()
        .find(|d| d.id.0.as_str() == format!("/components/schemas/{schema}"))
        .unwrap_or_else(|| panic!("no schema {schema}"));
    let TypeKind::Struct(s) = &def.kind else {
        panic!("{schema} is not a struct: {:?}", def.kind)
    };
    s.fields
        .iter()
        .find(|f| f.name == field)
        .unwrap_or_else(|| panic!("{schema} has no field {field}"))
}

/// Code without whitespace: the formatter may break a line anywhere.
fn squash(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether `needle` occurs in `haystack`, ignoring whitespace.
fn has(haystack: &str, needle: &str) -> bool {
    squash(haystack).contains(&squash(needle))
}

/// Asserts the needles occur in this order, ignoring whitespace.
fn assert_in_order(haystack: &str, needles: &[&str]) {
    let haystack = squash(haystack);
    let mut from = 0;
    for needle in needles {
        match haystack[from..].find(&squash(needle)) {
            Some(at) => from += at + squash(needle).len(),
            None => {
                panic!("`{needle}` missing or out of order (after byte {from}) in:\n{haystack}")
            }
        }
    }
}

#[test]
fn nullable_30() {
    let (generated, text) = snapshot("nullable_30.yaml");
    assert!(
        generated.api.warnings.is_empty(),
        "{:?}",
        generated.api.warnings
    );
    assert!(has(&text, "pub id: String,"));
    // Required but `nullable: true`: Option, or a `null` fails to decode.
    assert!(has(&text, "pub label: Option<String>,"));
    // ...and always sent, so `None` goes out as `null` instead of vanishing,
    // unlike the optional `count`, sent only when set.
    assert!(has(
        &text,
        "/// Required but may be null.\n    pub label: Option<String>,"
    ));
    assert!(has(&text, "sent.set(1, true);"));
    assert!(has(&text, "sent.set(2, self.count.is_some());"));
    assert!(has(
        &text,
        "1 => state.serialize_field(\"label\", &self.label)?,"
    ));
    // Missing, it decodes as `None` all the same.
    assert!(has(&text, "\"label\" => slot_label = map.next_value()?,"));
    assert!(has(&text, "pub count: Option<i32>,"));
    // A required `$ref` to a nullable schema is nullable too.
    assert!(has(&text, "pub note: Option<Note>,"));
    let label = ir_field(&generated.api, "Widget", "label");
    assert!(label.nullable && label.required);
    assert_eq!(label.example, Some(serde_json::json!("Front door")));
}

#[test]
fn type_lists_31() {
    let (generated, text) = snapshot("type_lists_31.yaml");
    assert!(
        generated.api.warnings.is_empty(),
        "{:?}",
        generated.api.warnings
    );
    assert_eq!(generated.api.source_openapi, "3.1.0");
    assert!(has(&text, "pub name: Option<String>,"));
    assert!(has(&text, "pub retries: Option<i64>,"));
    assert!(has(&text, "pub tags: Option<Vec<String>>,"));
    // `[integer, string]` is a union, integer tried before string.
    assert!(has(&text, "pub limit: SettingsLimit,"));
    assert_in_order(
        &text,
        &["pub enum SettingsLimit {", "Integer(i64)", "String(String)"],
    );
    // `examples` keeps the first as `example`.
    let name = ir_field(&generated.api, "Settings", "name");
    assert_eq!(name.example, Some(serde_json::json!("primary")));
}

#[test]
fn const_31() {
    let (generated, text) = snapshot("const_31.yaml");
    assert!(
        generated.api.warnings.is_empty(),
        "{:?}",
        generated.api.warnings
    );
    assert!(has(&text, "pub record_type: EventRecordType,"));
    assert!(has(&text, "Self::Event => \"event\","));
    assert!(has(&text, "pub version: EventVersion,"));
    assert!(has(&text, "Self::V2 => \"v2\","));
}

#[test]
fn all_of() {
    let (generated, text) = snapshot("all_of.yaml");
    assert!(
        generated.api.warnings.is_empty(),
        "{:?}",
        generated.api.warnings
    );
    // Fields of the `$ref` first, then the inline part's; required sets unite.
    assert_in_order(
        &text,
        &[
            "pub struct CreateWidgetBody {",
            "pub name: String,",
            "pub color: Option<String>,",
            "pub size: i64,",
        ],
    );
    assert_in_order(
        &text,
        &[
            "pub struct Widget {",
            "pub name: String,",
            "/// Refined description of color, now required.",
            "pub color: String,",
            "pub id: String,",
            "pub created_at: Option<crate::runtime::DateTime>,",
        ],
    );
    assert!(has(&text, ".create(name, size)"));
}

#[test]
fn one_of_discriminator() {
    let (generated, text) = snapshot("one_of_discriminator.yaml");
    assert!(
        generated.api.warnings.is_empty(),
        "{:?}",
        generated.api.warnings
    );
    assert!(has(&text, "Some(\"circle\") =>"));
    // Two mapping entries for one variant; the variant missing from
    // `mapping` is selected by its schema name.
    assert!(has(&text, "Some(\"square\" | \"box\") =>"));
    assert!(has(&text, "Some(\"Triangle\") =>"));
    assert!(has(&text, "Unknown(serde_json::Value),"));
}

#[test]
fn one_of_untagged() {
    let (generated, text) = snapshot("one_of_untagged.yaml");
    assert!(
        generated.api.warnings.is_empty(),
        "{:?}",
        generated.api.warnings
    );
    // Most specific first: two required fields, one, none, array, string.
    assert_in_order(
        &text,
        &[
            "pub enum Target {",
            "(SipTarget)",
            "(PhoneTarget)",
            "(TargetLabelled)",
            "(Vec<String>)",
            "(String)",
            "Unknown(serde_json::Value)",
        ],
    );
    assert!(has(&text, "impl From<&str> for Target"));
}

#[test]
fn any_of() {
    let (generated, text) = snapshot("any_of.yaml");
    assert!(
        generated.api.warnings.is_empty(),
        "{:?}",
        generated.api.warnings
    );
    assert_in_order(
        &text,
        &[
            "pub enum PromptRequestPrompt {",
            "(TextPrompt)",
            "(AudioPrompt)",
            "(bool)",
        ],
    );
    // A single-variant anyOf is just that variant.
    assert!(has(&text, "pub voice: Option<Voice>,"));
}

#[test]
fn open_enums() {
    let (generated, text) = snapshot("open_enums.yaml");
    assert!(
        generated.api.warnings.is_empty(),
        "{:?}",
        generated.api.warnings
    );
    assert_in_order(
        &text,
        &[
            "pub fn as_str(&self) -> &str {",
            "Self::SelfValue => \"self\",",
            "Self::SelfValue2 => \"Self\",",
            "Self::UnknownValue => \"Unknown\",",
            "Self::EnUs => \"en-US\",",
            "Self::EnUs2 => \"en_us\",",
            "Self::EnUs3 => \"EN-US\",",
            "Self::Plus => \"+\",",
            "Self::Minus => \"-\",",
            "Self::Empty => \"\",",
            "Self::V1080p => \"1080p\",",
            "Self::CallAnswered => \"call.answered\",",
        ],
    );
    // Duplicates in the spec are listed once.
    assert_eq!(text.matches("=> Some(Self::CallAnswered)").count(), 1);
    assert_eq!(text.matches("Self::CallAnswered =>").count(), 1);
    assert!(has(&text, "pub direction: GreetingDirection,"));
    // Enums with one value list are one type: the component schema's is
    // defined, the others keep their names as aliases of it.
    assert!(has(&text, "pub enum Leg {"));
    assert!(has(&text, "pub type GreetingDirection = Leg;"));
    assert!(has(&text, "pub type GreetingReplyDirection = Leg;"));
    assert!(has(&text, "pub enum GreetingOrder {"));
}

#[test]
fn additional_properties() {
    let (generated, text) = snapshot("additional_properties.yaml");
    assert!(
        generated.api.warnings.is_empty(),
        "{:?}",
        generated.api.warnings
    );
    assert!(has(
        &text,
        "pub type Labels = std::collections::BTreeMap<String, String>;"
    ));
    assert!(has(
        &text,
        "pub metadata: Option<std::collections::BTreeMap<String, serde_json::Value>>,"
    ));
    assert!(has(
        &text,
        "pub extras: Option<std::collections::BTreeMap<String, serde_json::Value>>,"
    ));
    assert!(has(
        &text,
        "pub scores: Option<std::collections::BTreeMap<String, RecordScoresValue>>,"
    ));
    assert!(has(&text, "pub struct RecordScoresValue {"));
    assert_in_order(
        &text,
        &[
            "pub struct Record {",
            "#[serde(flatten)]",
            "pub additional_properties: std::collections::BTreeMap<String, i64>,",
        ],
    );
}

#[test]
fn recursion() {
    let (generated, text) = snapshot("recursion.yaml");
    assert!(
        generated.api.warnings.is_empty(),
        "{:?}",
        generated.api.warnings
    );
    assert!(has(&text, "Box<"));
    assert!(has(&text, "pub parent: Option<Box<TreeNode>>,"));
    // `Vec` and maps are indirection already.
    assert!(has(&text, "pub children: Option<Vec<TreeNode>>,"));
    assert!(has(
        &text,
        "pub attributes: Option<std::collections::BTreeMap<String, TreeNode>>,"
    ));
    // A cycle through another type is broken too.
    assert!(ir_field(&generated.api, "TreeNode", "annotation").boxed);
    assert!(ir_field(&generated.api, "Annotation", "about").boxed);
}

#[test]
fn names() {
    let (generated, text) = snapshot("names.yaml");
    assert!(
        generated.api.warnings.is_empty(),
        "{:?}",
        generated.api.warnings
    );
    // Keyword fields keep their JSON name.
    assert_in_order(
        &text,
        &[
            "pub type_: Option<String>,",
            "state.serialize_field(\"type\", &self.type_)?",
            "\"type\" => slot_type_ = map.next_value()?,",
        ],
    );
    assert!(has(&text, "pub ref_: Option<String>,"));
    assert!(has(&text, "pub match_: Option<String>,"));
    assert!(has(&text, "pub self_: Option<String>,"));
    // Acronyms and configured words.
    assert!(has(&text, "pub struct SendDtmfRequest {"));
    assert!(has(&text, "pub struct TexmlApplication {"));
    assert!(has(&text, "pub inbound_fqdns: Option<Vec<String>>,"));
    assert!(has(&text, "pub voice_url: Option<String>,"));
    assert!(has(&text, "pub dns_record_type: Option<String>,"));
    assert!(has(&text, "client.texml_applications().retrieve(id)"));
    // Path parameter and body field share a JSON name: the body one moves.
    assert!(has(
        &text,
        "client.calls().actions().send_dtmf(call_control_id, body_call_control_id, digits)"
    ));
    // A body field named like a builder method is renamed.
    assert!(has(&text, "pub fn body_send("));
}

#[test]
fn query_params() {
    let (generated, text) = snapshot("query_params.yaml");
    assert!(
        generated.api.warnings.is_empty(),
        "{:?}",
        generated.api.warnings
    );
    let op = &generated.api.operations[0];
    let styles: Vec<String> = op
        .params
        .iter()
        .map(|p| format!("{} {:?} {:?} {}", p.name, p.location, p.style, p.explode))
        .collect();
    assert_eq!(
        styles,
        [
            "q Query Form true",
            "filter Query DeepObject true",
            "page Query DeepObject true",
            "tags Query Form true",
            "ids Query Form false",
            "X-Account-Id Header Simple false",
            "X-Request-Tag Header Simple false",
        ]
    );
    assert!(has(
        &text,
        "request.query(\"filter\", crate::runtime::QueryStyle::DeepObject"
    ));
    assert!(has(
        &text,
        "request.query(\"tags\", crate::runtime::QueryStyle::Form { explode: true"
    ));
    assert!(has(
        &text,
        "request.query(\"ids\", crate::runtime::QueryStyle::Form { explode: false"
    ));
    assert!(has(&text, "request.header(\"X-Account-Id\""));
    // Required inputs are positional, optional ones setters.
    assert!(has(&text, "client.records().list(q, x_account_id)"));
    assert!(has(&text, "pub fn x_request_tag("));
}

#[test]
fn webhooks_31() {
    let (generated, text) = snapshot("webhooks_31.yaml");
    assert!(
        generated.api.warnings.is_empty(),
        "{:?}",
        generated.api.warnings
    );
    let webhooks: Vec<(String, String, Option<EventKey>)> = generated
        .api
        .webhooks
        .iter()
        .map(|w| {
            let payload = type_text(&generated.names, &w.payload);
            (w.name.clone(), payload, w.event_key.clone())
        })
        .collect();
    insta::assert_debug_snapshot!("webhooks_31_events", (webhooks, &generated.names.events));
    assert_eq!(generated.summary.webhooks, 5);
    // The routing path is required once a body was routed by it.
    assert!(has(&text, "pub data: CallAnsweredEventData,"));
    assert!(has(
        &text,
        "crate::runtime::EventTypeAt::Data => { crate::runtime::decode_event_data::<"
    ));
    assert!(has(
        &text,
        "- `campaignUpdate`: [`CampaignUpdate`](crate::types::CampaignUpdate)"
    ));
    assert!(has(&text, "pub is_alive: Option<bool>,"));
}

#[test]
fn pagination() {
    let (generated, text) = snapshot("pagination.yaml");
    assert!(
        generated.api.warnings.is_empty(),
        "{:?}",
        generated.api.warnings
    );
    let kinds: Vec<String> = generated
        .api
        .operations
        .iter()
        .map(|op| {
            format!(
                "{} {}",
                op.id,
                pagination_text(&generated.names, &op.pagination)
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "ListEvents cursor(page.after → ListEventsResponseDataItem)",
            "ListWidgets page_number(page.number → Widget)",
        ]
    );
    assert!(has(
        &text,
        "impl crate::runtime::Page for ListWidgetsResponse {"
    ));
    assert!(has(
        &text,
        "impl crate::runtime::Page for ListEventsResponse {"
    ));
    assert_eq!(
        text.matches("impl crate::runtime::PagedRequest for")
            .count(),
        2
    );
    assert_eq!(text.matches("pub fn into_stream(").count(), 2);
}

#[test]
fn spec_json() {
    let (generated, text) = snapshot("spec_json.json");
    assert!(
        generated.api.warnings.is_empty(),
        "{:?}",
        generated.api.warnings
    );
    assert_eq!(generated.summary.operations, 1);
    assert!(has(&text, "client.ping().list()"));
    assert!(has(&text, "pub status: PongStatus,"));
}

#[test]
fn openapi_30() {
    let (generated, text) = snapshot("openapi_30.yaml");
    assert!(
        generated.api.warnings.is_empty(),
        "{:?}",
        generated.api.warnings
    );
    assert_eq!(generated.api.source_openapi, "3.0.0");
    // No `webhooks` in 3.0: no events, and the crate still builds.
    assert!(generated.api.webhooks.is_empty());
    assert_eq!(generated.summary.webhooks, 0);
    // `nullable: true` on a property, on `allOf: [$ref]` (3.0 ignores
    // siblings of a bare `$ref`), on an array, a union and a schema.
    assert!(has(&text, "pub duration_secs: Option<f32>,"));
    assert!(has(&text, "pub channel: Option<Channel>,"));
    assert!(has(&text, "pub layout: Option<Channel>,"));
    assert!(has(&text, "pub tags: Option<Vec<String>>,"));
    assert!(has(&text, "pub source: Option<RecordingSource>,"));
    assert!(has(&text, "pub note: Option<Note>,"));
    let channel = ir_field(&generated.api, "Recording", "channel");
    assert!(channel.nullable && channel.required);
    // A `null` in a nullable enum is no value of it.
    assert_in_order(
        &text,
        &["pub enum CreateRecordingBodyTrim {", "TrimSilence,", "}"],
    );
    assert!(!has(&text, "Self::Null"));
    // Boolean `exclusiveMinimum`/`exclusiveMaximum` are 3.0's own spelling.
    assert!(has(&text, "pub max_length_secs: Option<i64>,"));
    // Singular `example` on schemas, properties and parameters reaches the IR.
    let recording = generated
        .api
        .types
        .values()
        .find(|d| d.id.0.as_str() == "/components/schemas/Recording")
        .expect("Recording");
    assert_eq!(
        recording.example,
        Some(serde_json::json!({"id": "rec_123", "channel": "single", "duration_secs": 3.5}))
    );
    let op = &generated.api.operations[0];
    assert_eq!(op.id, "CreateRecording");
    let get = &generated.api.operations[1];
    assert_eq!(get.params[0].example, Some(serde_json::json!("rec_123")));
    assert_eq!(
        get.params[1].example,
        Some(serde_json::json!(2)),
        "a parameter without an example of its own takes its schema's"
    );

    // 3.0's `x-webhooks` extension is not read, and says so.
    let spec = fs::read_to_string(fixture_path("openapi_30.yaml")).expect("the fixture");
    let with_extension = format!("{spec}x-webhooks:\n  recordingSaved:\n    post: {{}}\n");
    let (api, _) = pipeline::lower_and_name(
        with_extension.as_bytes(),
        "openapi_30.yaml",
        &SdkConfig::default(),
        &Options { strict: false },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(api.webhooks.is_empty());
    let warnings: Vec<String> = api.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("note: #/x-webhooks: OpenAPI 3.0 has no webhooks"),
        "{warnings:?}"
    );
}

#[test]
fn derived_names() {
    let (generated, text) = snapshot("derived_names.yaml");
    assert!(
        generated.api.warnings.is_empty(),
        "{:?}",
        generated.api.warnings
    );
    let chains: Vec<String> = generated
        .names
        .operations
        .iter()
        .map(|name| name.chain())
        .collect();
    assert_eq!(
        chains,
        [
            // `Client::builder` and `Client::webhooks` exist already.
            "builder_resource().delete",
            // A segment without letters or digits names nothing.
            "gadgets().retrieve",
            // `things().actions()` is the sub-resource's accessor...
            "things().actions_post",
            "things().actions().start",
            // ...and every resource has its own `new`.
            "things().new_post",
            // `step_2` and `step2` would share the request builder `Step2`.
            "things().step_2",
            "things().step2_post",
            "webhooks_resource().list",
        ]
    );
    // Names without letters or digits get a placeholder, not an empty identifier.
    assert!(has(&text, "pub field: Option<String>,"));
    assert!(has(&text, "pub field_2: Option<i64>,"));
    assert!(has(&text, "pub fn query_value("));
}

// ---- quirks: read as intended, with a warning; --strict refuses them -------

/// The pointers of the warnings, in order.
fn warning_places(generated: &Generated) -> Vec<&str> {
    generated
        .api
        .warnings
        .iter()
        .map(|w| w.pointer.as_str())
        .collect()
}

#[test]
fn quirk_required_bool() {
    let (generated, text) = snapshot("quirk_required_bool.yaml");
    let body = "/paths/~1queues/post/requestBody/content/application~1json/schema/properties";
    assert_eq!(
        warning_places(&generated),
        [
            "/components/schemas/Owner/required".to_string(),
            "/components/schemas/Queue/properties/id/required".into(),
            "/components/schemas/Queue/properties/name/required".into(),
            "/components/schemas/Queue/properties/size/required".into(),
            "/paths/~1queues/get/parameters/0/schema/required".into(),
            format!("{body}/max_size/required"),
            format!("{body}/owner/required"),
            format!("{body}/queue_name/required"),
            format!("{body}/tags/required"),
        ]
    );
    // `true` joins the parent's `required`, after the ones it lists.
    assert!(has(
        &text,
        "pub fn create(&self, max_size: impl Into<i64>, queue_name: impl Into<String>, \
         owner: impl Into<crate::types::Owner>,) -> Create"
    ));
    assert!(ir_field(&generated.api, "Queue", "id").required);
    assert!(has(&text, "pub id: String,"));
    // Required and nullable: always sent, `null` allowed.
    let name = ir_field(&generated.api, "Queue", "name");
    assert!(name.required && name.nullable);
    // `false` changes nothing: optional, as unlisted properties are.
    assert!(!ir_field(&generated.api, "Queue", "size").required);
    assert!(has(&text, "pub size: Option<i64>,"));
    assert!(has(&text, "pub tags: Option<Vec<String>>,"));
    // In a parameter's schema, `true` is the parameter's own.
    assert!(has(
        &text,
        "pub fn list(&self, filter: impl Into<String>) -> List"
    ));
}

#[test]
fn optional_body() {
    let (generated, text) = snapshot("optional_body.yaml");
    assert_eq!(
        warning_places(&generated),
        ["/paths/~1messages/post/requestBody"]
    );
    assert!(has(
        &text,
        "pub fn create(&self, to: impl Into<String>) -> Create"
    ));
    assert!(has(&text, "pub fn create(&self) -> Create"));
}

#[test]
fn quirk_required_bool_31() {
    let (generated, text) = snapshot("quirk_required_bool_31.yaml");
    assert_eq!(
        generated.api.warnings.len(),
        5,
        "{:?}",
        generated.api.warnings
    );
    // Beside a `$ref` with another sibling: required, and still the `$ref`'s type.
    assert!(has(
        &text,
        "pub fn update(&self, queue_name: impl Into<String>, owner: impl \
         Into<crate::types::Owner>,) -> Update"
    ));
    assert!(has(&text, "/// Who owns the queue.\n    pub owner: Owner,"));
    // Beside a type list with "null": required and nullable.
    assert!(has(&text, "pub max_size: Option<i64>,"));
    assert!(has(&text, "sent.set(0, true);"));
    assert!(has(&text, "pub labels: Option<Vec<String>>,"));
    // Beside `const`: a required one-value enum.
    assert!(has(&text, "pub record_type: QueueRecordType,"));
    assert!(has(&text, "pub name: String,"));
}

#[test]
fn quirk_duplicate_ids() {
    let (generated, text) = snapshot("quirk_duplicate_ids.yaml");
    assert_eq!(
        warning_places(&generated),
        [
            "/paths/~1porting_orders~1{id}~1comments/post/operationId",
            "/paths/~1porting_phone_numbers/get/operationId",
        ]
    );
    let ids: BTreeMap<&str, &str> = generated
        .api
        .operations
        .iter()
        .map(|op| (op.path.as_str(), op.id.as_str()))
        .collect();
    assert_eq!(ids["/phone_numbers"], "listPhoneNumbers");
    assert_eq!(
        ids["/porting_phone_numbers"],
        "listPhoneNumbers_porting_phone_numbers"
    );
    assert_eq!(ids["/comments"], "CreateComment");
    assert_eq!(
        ids["/porting_orders/{id}/comments"],
        "CreateComment_porting_orders_id_comments"
    );
    // Inline bodies are named after the told-apart ids, not numbered.
    assert!(has(&text, "pub struct CreateCommentBody {"));
    assert!(has(
        &text,
        "pub struct CreateCommentPortingOrdersIdCommentsBody {"
    ));
    // The SDK config named each operation of both pairs.
    for call in [
        "phone_numbers().list",
        "porting_phone_numbers().list",
        "comments().create",
        "porting_orders().comments().create",
    ] {
        assert!(text.contains(call), "{call}");
    }
    assert!(generated
        .names
        .operations
        .iter()
        .all(|name| name.configured));
}

#[test]
fn quirk_response_ref() {
    let (generated, text) = snapshot("quirk_response_ref.yaml");
    assert_eq!(
        warning_places(&generated),
        [
            "/components/responses/ThingListResponse/content/application~1json/schema/\
             properties/data/items/$ref",
            "/paths/~1things~1{id}/get/responses/200/content/application~1json/schema/$ref",
            "/paths/~1things~1{id}/get/responses/404/content/application~1json/schema/$ref",
        ]
    );
    let get = generated
        .api
        .operations
        .iter()
        .find(|op| op.id == "GetThing")
        .expect("GetThing");
    // The response's schema is a `$ref`: the use is that `$ref`.
    assert_eq!(
        get.success.as_ref().and_then(|r| r.ty.clone()),
        Some(TypeRef::Named(xtask::ir::TypeId(Pointer::parse(
            "/components/schemas/Thing"
        ))))
    );
    assert!(has(&text, "pub data: Option<Vec<Thing>>,"));
    // An inline schema is read from the response, JSON before text, and
    // typed where the `$ref` was.
    let gone = get.errors.iter().find(|r| r.status == "404").expect("404");
    let Some(TypeRef::Named(id)) = &gone.ty else {
        panic!("404 reads as {:?}", gone.ty)
    };
    assert_eq!(
        id.0.as_str(),
        "/paths/~1things~1{id}/get/responses/404/content/application~1json/schema"
    );
    let TypeKind::Struct(error) = &generated.api.type_def(id).kind else {
        panic!("not a struct")
    };
    assert_eq!(error.fields[0].name, "errors");
}

#[test]
fn quirk_response_ref_31() {
    let (generated, text) = snapshot("quirk_response_ref_31.yaml");
    assert_eq!(
        warning_places(&generated),
        ["/paths/~1things~1{id}/get/responses/200/content/application~1json/schema/$ref"]
    );
    // Through the chain to the inline schema; the sibling description stays.
    assert_in_order(
        &text,
        &[
            "/// The thing, as a response schema.",
            "pub struct GetThingResponse {",
        ],
    );
    assert!(has(&text, "pub data: Option<Thing>,"));
    assert!(has(&text, "pub note: Option<String>,"));
}

#[test]
fn quirk_event_types_31() {
    let (generated, text) = snapshot("quirk_event_types_31.yaml");
    assert_eq!(
        warning_places(&generated),
        ["/webhooks/callStreamingFailed"]
    );
    let warning = &generated.api.warnings[0].message;
    assert!(warning.contains("`streamingFailed`"), "{warning}");
    assert!(warning.contains("`callStreamingFailed`"), "{warning}");
    // The first webhook in spec order gets the event type...
    let events: Vec<(&str, &str)> = generated
        .names
        .events
        .iter()
        .map(|e| {
            (
                e.event_type.as_str(),
                generated.api.webhooks[e.webhook].name.as_str(),
            )
        })
        .collect();
    assert_eq!(
        events,
        [
            ("call.streaming.failed", "callStreamingFailed"),
            ("streaming.failed", "streamingFailed"),
            ("streaming.started", "streamingStarted"),
        ]
    );
    let decoder = file(&generated, "src/webhooks.rs");
    assert_eq!(decoder.matches("\"streaming.failed\" => {").count(), 1);
    // ...and the other's payload still decodes through `unwrap_as`.
    assert!(has(
        &text,
        "impl DecodeWebhook for crate::types::CallStreamingFailedEvent {"
    ));
}

#[test]
fn quirk_discriminator_inline() {
    let (generated, text) = snapshot("quirk_discriminator_inline.yaml");
    assert_eq!(
        warning_places(&generated),
        ["/components/schemas/Shape/discriminator"]
    );
    assert_in_order(
        &text,
        &[
            "pub enum Shape {",
            "(ShapeVariant0)",
            "(ShapeVariant1)",
            "Unknown(serde_json::Value)",
        ],
    );
}

/// `regen --strict` as a maintainer runs it, in-process: the exit status
/// and the message, and whether it wrote anything.
fn regen_strict(file: &str) -> (u8, String, bool) {
    let scratch = std::env::temp_dir().join(format!(
        "quirk-strict-{}-{}",
        std::process::id(),
        stem(file)
    ));
    let out = scratch.join("out");
    let config_path = fixture_path(&format!("{}.sdk.yml", stem(file)));
    let config = if config_path.exists() {
        config_path
    } else {
        fs::create_dir_all(&scratch).expect("scratch dir");
        let empty = scratch.join("empty.sdk.yml");
        fs::write(&empty, "{}\n").expect("scratch config");
        empty
    };
    let args = [
        "regen".into(),
        "--strict".into(),
        "--spec".into(),
        fixture_path(file).into_os_string(),
        "--config".into(),
        config.into_os_string(),
        "--out".into(),
        out.clone().into_os_string(),
    ];
    let result = xtask::cli::run(root(), args.to_vec());
    let message = result
        .as_ref()
        .err()
        .map(ToString::to_string)
        .unwrap_or_default();
    let wrote = out.exists();
    let _ = fs::remove_dir_all(&scratch);
    (xtask::cli::exit_code(&result), message, wrote)
}

#[test]
fn strict_refuses_each_quirk_fixture_naming_every_warning() {
    let quirks: Vec<&str> = FIXTURES
        .iter()
        .copied()
        .filter(|f| f.starts_with("quirk_"))
        .collect();
    assert!(quirks.len() >= 6, "{quirks:?}");
    for file in quirks {
        let warnings = generate_fixture(file).api.warnings;
        assert!(!warnings.is_empty(), "{file} shows no quirk");
        let (status, message, wrote) = regen_strict(file);
        assert_eq!(status, 2, "{file}: {message}");
        assert!(!wrote, "{file}: --strict wrote a crate");
        assert!(message.starts_with(&format!("tests/fixtures/{file}")) || message.contains(file));
        for warning in &warnings {
            let as_error = format!(
                "{}: {} (a warning; --strict makes it an error)",
                warning.pointer, warning.message
            );
            assert!(
                message.contains(&as_error),
                "{file}: missing `{as_error}` in\n{message}"
            );
        }
        assert_eq!(
            message
                .matches("(a warning; --strict makes it an error)")
                .count(),
            warnings.len(),
            "{file}: {message}"
        );
    }
}

#[test]
fn fixtures_are_all_snapshotted() {
    let mut on_disk: Vec<String> = fs::read_dir(root().join("tests/fixtures"))
        .expect("tests/fixtures exists")
        .map(|e| {
            e.expect("readable")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| !n.ends_with(".sdk.yml"))
        // The spec pairs of `api_diff.rs` are snapshotted there.
        .filter(|n| !n.starts_with("api_diff_"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = FIXTURES.iter().map(|f| f.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "every fixture needs a test above");
}

/// The guides of a small spec: a curated guide and its pointer, a feature
/// group's guide, snippets spelling out enum, union, map, date and JSON
/// inputs, the crate docs including the curated guide.
#[test]
fn guides() {
    let generated = generate_fixture("guides.yaml");
    assert!(
        generated.api.warnings.is_empty(),
        "{:?}",
        generated.api.warnings
    );
    let mut text = String::new();
    for (path, body) in &generated.files {
        if path.starts_with("guides/") || path.starts_with("tests/guides/") {
            let _ = write!(text, "\n// ---- {path} ----\n{body}");
        }
    }
    insta::assert_snapshot!("guides", text);
    let guides: Vec<&String> = generated
        .files
        .keys()
        .filter(|p| p.starts_with("guides/"))
        .collect();
    // Every `voice` operation is in a curated guide, so the group has none.
    assert_eq!(
        guides,
        [
            "guides/telnyx-things.md",
            "guides/telnyx-voice-advanced.md",
            "guides/telnyx-voice.md"
        ]
    );
    let voice = file(&generated, "guides/telnyx-voice.md");
    assert_in_order(
        voice,
        &[
            "## Reject a call",
            "`POST /calls/{call_control_id}/actions/reject`",
            ".reject(\"call_control_id\", RejectCallBodyCause::CallRejected)",
            ".client_state(\"aGVsbG8=\")",
            "## Dial",
            // A union with a string variant takes the string.
            ".dial(\"connection_id\", \"to\", \"+18005550101\")",
            "## Webhooks",
            "WebhookEvent::CallAnswered(event)",
            "| `data.payload.call_control_id` | string | The call's id for Call Control commands. |",
        ],
    );
    let advanced = file(&generated, "guides/telnyx-voice-advanced.md");
    assert!(advanced.contains(
        "`POST /calls`: this operation's section is in the guide [telnyx-voice](telnyx-voice.md)"
    ));
    let things = file(&generated, "guides/telnyx-things.md");
    assert_in_order(
        things,
        &[
            "# Widgets in Rust",
            "features = [\"things\"]",
            "serde_json = \"1\"",
            "## `client.widgets()`",
            "### Delete a widget",
            "send_with_response().await?",
            "### List widgets",
            "into_stream()",
            "### Update a widget",
            // Free-form and typed maps, spelled out.
            "(\"key\".to_string(), serde_json::json!({}))",
            "std::collections::BTreeMap::from([(\"key\".to_string(), 1i64)])",
        ],
    );
    assert!(has(
        file(&generated, "src/lib.rs"),
        "#![doc = include_str!(\"../guides/telnyx-voice.md\")]"
    ));
    assert!(file(&generated, "Cargo.toml").contains("path = \"tests/guides/main.rs\""));
}

// ---- the pinned spec ------------------------------------------------------

use telnyx_tests::{pinned_config, pinned_spec};

fn type_text(names: &Names, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => names.type_name(names.canonical(id)).to_string(),
        TypeRef::Primitive(p) => format!("{p:?}"),
        TypeRef::Array(inner) => format!("Vec<{}>", type_text(names, inner)),
        TypeRef::Map(inner) => format!("Map<{}>", type_text(names, inner)),
        TypeRef::Any => "Value".to_string(),
    }
}

fn pagination_text(names: &Names, pagination: &Pagination) -> String {
    let (kind, shape) = match pagination {
        Pagination::None => return "none".to_string(),
        Pagination::PageNumber(shape) => ("page_number", shape),
        Pagination::Cursor(shape) => ("cursor", shape),
    };
    let input = match &shape.input {
        PageInput::Field { param, field } => format!("{param}.{field}"),
        PageInput::Param(name) => name.clone(),
    };
    format!("{kind}({input} → {})", type_text(names, &shape.item))
}

/// `METHOD path` → `chain(positional, ..)`, as the generated `API.md` lists them.
fn api_md_calls(generated: &Generated) -> BTreeMap<String, String> {
    file(generated, "API.md")
        .lines()
        .filter_map(|line| {
            line.strip_prefix("- `")?
                .trim_end_matches('`')
                .split_once("` → `client.")
        })
        .map(|(endpoint, call)| (endpoint.to_string(), call.to_string()))
        .collect()
}

#[test]
fn pinned_voice_surface() {
    let spec = pinned_spec();
    let config = pinned_config();
    let generated = pipeline::generate(
        &spec,
        "spec/spec3.yml",
        &config,
        &templates(),
        &Options { strict: false },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (api, names) = (&generated.api, &generated.names);
    let calls = api_md_calls(&generated);
    // The `voice` group: the 81 operations of the voice guides' resources,
    // and the two other operations of `connections` (list and retrieve).
    let group = &names.features.groups["voice"];
    let voice: Vec<usize> = (0..api.operations.len())
        .filter(|&i| group.contains(&names.operations[i].resource[0]))
        .collect();
    assert_eq!(voice.len(), 83, "the voice group has 83 operations");

    let mut out = String::new();
    for &i in &voice {
        let op = &api.operations[i];
        let name = &names.operations[i];
        assert!(
            name.configured,
            "{} {} is not in spec/sdk.yml",
            op.method.as_str(),
            op.path
        );
        let body = op
            .body
            .as_ref()
            .map_or("-".to_string(), |b| type_text(names, &b.ty));
        let returns = match &op.success {
            None => "-".to_string(),
            Some(reply) => reply
                .ty
                .as_ref()
                .map_or("()".to_string(), |t| type_text(names, t)),
        };
        let endpoint = format!("{} {}", op.method.as_str(), op.path);
        let call = calls
            .get(&endpoint)
            .unwrap_or_else(|| panic!("API.md does not list {endpoint}"));
        let _ = writeln!(
            out,
            "{endpoint} → {call} | body: {body} | returns: {returns} | pagination: {}",
            pagination_text(names, &op.pagination),
        );
    }

    let voice_items: Vec<Pointer> = voice
        .iter()
        .map(|&i| Pointer::root().join("paths").join(&api.operations[i].path))
        .collect();
    let voice_warnings: Vec<String> = api
        .warnings
        .iter()
        .filter(|w| voice_items.iter().any(|p| w.pointer.starts_with(p)))
        .map(ToString::to_string)
        .collect();
    let _ = writeln!(
        out,
        "\ntotals: {} operations ({} voice), {} schemas, {} webhooks, {} warnings",
        api.operations.len(),
        voice.len(),
        api.component_schema_count,
        api.webhooks.len(),
        api.warnings.len(),
    );
    let _ = writeln!(out, "warnings inside voice paths: {}", voice_warnings.len());
    for warning in &voice_warnings {
        let _ = writeln!(out, "  {warning}");
    }
    insta::assert_snapshot!("pinned_voice_surface", out);
    // Notes (where the client reads the spec as the SDKs do) may be listed;
    // a quirk warning inside the voice surface may not.
    assert!(
        voice_warnings.iter().all(|w| w.starts_with("note: ")),
        "warnings inside voice paths: {voice_warnings:#?}"
    );
}

// ---- determinism ------------------------------------------------------------

#[test]
fn generation_is_deterministic_for_fixtures() {
    for file in FIXTURES {
        let first = generate_fixture(file);
        let second = generate_fixture(file);
        assert_eq!(
            first.files, second.files,
            "{file}: files differ between runs"
        );
        assert_eq!(
            first.api.warnings, second.api.warnings,
            "{file}: warnings differ"
        );
    }
}

#[test]
fn generation_is_deterministic_for_pinned_spec() {
    let spec = pinned_spec();
    let config = pinned_config();
    let templates = templates();
    let run = || {
        pipeline::generate(
            &spec,
            "spec/spec3.yml",
            &config,
            &templates,
            &Options { strict: false },
        )
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let (first, second) = (run(), run());
    assert_eq!(
        first.files.keys().collect::<Vec<_>>(),
        second.files.keys().collect::<Vec<_>>()
    );
    for (path, text) in &first.files {
        assert!(
            *text == second.files[path],
            "{path} differs between two runs on the pinned spec"
        );
    }
    assert_eq!(first.api.warnings, second.api.warnings);
    // API.md lists every operation of the spec.
    let api_md = file(&first, "API.md");
    assert!(api_md.contains("\n1156 methods."), "{api_md}");
    assert_eq!(api_md_calls(&first).len(), 1156);
}
