//! Mutation fuzz of the whole generator: the small valid fixture specs
//! (OpenAPI 3.0 and 3.1) are damaged the ways a hand edit or a new upstream
//! release could damage them — keys dropped, duplicated, renamed or retyped,
//! `$ref`s pointed elsewhere or nowhere, maps emptied or reordered, the text
//! cut short — and each result goes through load → normalize → IR → naming
//! → emit → format. Whatever the input, the generator must answer with files
//! or with an error that says where; it must never panic.
//!
//! 10,000 cases by default, spread over the cores (about 70 CPU-seconds in
//! the debug profile); `PROPTEST_CASES=200000` for a longer run,
//! `PROPTEST_RNG_SEED=<n>` to replay one. A 200,000-case run took 1,166
//! CPU-seconds (37 minutes on a busy 2-core machine): no panic, 61,723 specs
//! generated, 138,277 refused with an error naming their place.

use proptest::prelude::*;
use proptest::test_runner::{contextualize_config, Config, RngSeed, TestCaseError, TestRunner};
use serde_json::{json, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once, OnceLock};
use xtask::emit::Templates;
use xtask::naming::SdkConfig;
use xtask::pipeline::{self, Options};

const DEFAULT_CASES: u32 = 10_000;

/// A fixture spec to start from, as a generic value, with its SDK config.
struct Seed {
    name: String,
    spec: Value,
    config: SdkConfig,
}

fn fixtures_dir() -> &'static Path {
    static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    DIR.get_or_init(|| telnyx_tests::workspace_root().join("tests/fixtures"))
}

fn seeds() -> &'static [Seed] {
    static SEEDS: OnceLock<Vec<Seed>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut names: Vec<String> = std::fs::read_dir(fixtures_dir())
            .expect("tests/fixtures exists")
            .map(|entry| {
                entry
                    .expect("readable")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter(|name| {
                (name.ends_with(".yaml") || name.ends_with(".json")) && !name.ends_with(".sdk.yml")
            })
            .collect();
        names.sort();
        names.into_iter().map(|name| seed(&name)).collect()
    })
}

fn seed(name: &str) -> Seed {
    let bytes = std::fs::read(fixtures_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let spec = xtask::load::parse_document(&bytes, name).unwrap_or_else(|e| panic!("{e}"));
    let stem = name.split('.').next().expect("a file name");
    let config_path = fixtures_dir().join(format!("{stem}.sdk.yml"));
    let config = if config_path.exists() {
        SdkConfig::load(&config_path).unwrap_or_else(|e| panic!("{e}"))
    } else {
        SdkConfig::default()
    };
    Seed {
        name: name.to_string(),
        spec,
        config,
    }
}

fn templates() -> &'static Templates {
    static TEMPLATES: OnceLock<Templates> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        Templates::load(&telnyx_tests::workspace_root().join("templates")).expect("templates load")
    })
}

// ---- mutations --------------------------------------------------------------

/// Keys and strings that mean something to the generator or to Rust.
const NAMES: [&str; 40] = [
    "",
    "-",
    "_",
    "x",
    "type",
    "self",
    "Self",
    "new",
    "list",
    "123",
    "a b",
    "{id}",
    "{",
    "}",
    "/things/{id}",
    "/things/{id}/actions",
    "/{a}/{a}",
    "get",
    "post",
    "$ref",
    "properties",
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "discriminator",
    "nullable",
    "required",
    "enum",
    "ü",
    "x-extra",
    "data",
    "meta",
    "event_type",
    "a/b~c",
    "3.0.3",
    "3.1.0",
    "null",
    "array",
    "object",
];

/// `$ref` targets that resolve nowhere or to the wrong kind of thing.
const BAD_REFS: [&str; 8] = [
    "#/components/schemas/Nope",
    "#/components/schemas/",
    "#/components/parameters/Nope",
    "#/components/responses/Nope",
    "#/",
    "",
    "other.yaml#/components/schemas/X",
    "#/paths/~1things",
];

#[derive(Debug, Clone)]
enum Mutation {
    /// Remove one key of a mapping.
    Drop { node: usize, key: usize },
    /// Copy one entry of a mapping under another key.
    Duplicate {
        node: usize,
        key: usize,
        name: usize,
    },
    /// Move one entry of a mapping to another key.
    Rename {
        node: usize,
        key: usize,
        name: usize,
    },
    /// Replace a value with one of another JSON type.
    Retype { node: usize, to: usize },
    /// Point a `$ref` at another component (itself included) or at nothing.
    Retarget { node: usize, to: usize },
    /// Rotate the entries of a mapping or the items of a list.
    Shuffle { node: usize, by: usize },
    /// Empty a mapping or a list.
    Empty { node: usize },
    /// Replace a string with one that means something to the generator.
    Text { node: usize, to: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let n = any::<usize>;
    prop_oneof![
        1 => (n(), n()).prop_map(|(node, key)| Mutation::Drop { node, key }),
        1 => (n(), n(), n()).prop_map(|(node, key, name)| Mutation::Duplicate { node, key, name }),
        1 => (n(), n(), n()).prop_map(|(node, key, name)| Mutation::Rename { node, key, name }),
        1 => (n(), n()).prop_map(|(node, to)| Mutation::Retype { node, to }),
        2 => (n(), n()).prop_map(|(node, to)| Mutation::Retarget { node, to }),
        1 => (n(), n()).prop_map(|(node, by)| Mutation::Shuffle { node, by }),
        1 => (n()).prop_map(|node| Mutation::Empty { node }),
        1 => (n(), n()).prop_map(|(node, to)| Mutation::Text { node, to }),
    ]
}

#[derive(Debug, Clone)]
struct Case {
    seed: usize,
    mutations: Vec<Mutation>,
    /// Cut the serialized text to this fraction (per mille) of its length.
    truncate: Option<u16>,
    yaml_like: bool,
    strict: bool,
    /// Name one operation in the SDK config instead of using the seed's:
    /// (resource name, method name, which operation), names from [`NAMES`].
    naming: Option<(usize, usize, usize)>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        any::<usize>(),
        proptest::collection::vec(mutation(), 1..=4),
        prop_oneof![9 => Just(None), 1 => (0u16..1000).prop_map(Some)],
        any::<bool>(),
        any::<bool>(),
        prop_oneof![4 => Just(None), 1 => any::<(usize, usize, usize)>().prop_map(Some)],
    )
        .prop_map(
            |(seed, mutations, truncate, yaml_like, strict, naming)| Case {
                seed: seed % seeds().len(),
                mutations,
                truncate,
                yaml_like,
                strict,
                naming,
            },
        )
}

/// How many nodes of the document `accept` takes.
fn count(value: &Value, accept: &dyn Fn(&Value) -> bool) -> usize {
    let children: usize = match value {
        Value::Object(map) => map.values().map(|child| count(child, accept)).sum(),
        Value::Array(items) => items.iter().map(|child| count(child, accept)).sum(),
        _ => 0,
    };
    usize::from(accept(value)) + children
}

/// The `index`-th node (in document order) that `accept` takes.
fn nth<'v>(
    value: &'v mut Value,
    accept: &dyn Fn(&Value) -> bool,
    index: &mut usize,
) -> Option<&'v mut Value> {
    if accept(value) {
        if *index == 0 {
            return Some(value);
        }
        *index -= 1;
    }
    match value {
        Value::Object(map) => map.values_mut().find_map(|child| nth(child, accept, index)),
        Value::Array(items) => items.iter_mut().find_map(|child| nth(child, accept, index)),
        _ => None,
    }
}

/// One of the nodes `accept` takes, chosen by `selector`, if any.
fn pick<'v>(
    doc: &'v mut Value,
    selector: usize,
    accept: &dyn Fn(&Value) -> bool,
) -> Option<&'v mut Value> {
    let candidates = count(doc, accept);
    if candidates == 0 {
        return None;
    }
    nth(doc, accept, &mut (selector % candidates))
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// A value of another JSON type, or the old value wrapped in a schema
/// construct of either OpenAPI version.
fn retyped(old: &Value, to: usize) -> Value {
    let options = [
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(3.5),
        json!(u64::MAX),
        json!(""),
        json!("string"),
        json!([]),
        json!({}),
        json!([old]),
        json!({ "type": "string" }),
        json!({ "type": "object", "properties": { "x": old } }),
        json!({ "$ref": "#/components/schemas/Nope" }),
        json!({ "type": ["string", "null"] }),
        json!({ "type": ["integer", "string", "null"], "examples": [old, 1] }),
        json!({ "const": old }),
        json!({ "$ref": "#/components/schemas/Nope", "description": "sibling" }),
        json!({ "allOf": [old] }),
        json!({ "oneOf": [old, { "type": "null" }] }),
        json!({ "anyOf": [old, { "type": "string" }] }),
        json!({ "type": "array", "items": old }),
        json!({ "type": "object", "additionalProperties": old }),
        json!({ "not": old }),
        json!({ "type": "string", "enum": [old, null, ""], "nullable": true }),
        json!({ "type": "number", "minimum": 0, "exclusiveMinimum": true }),
        json!({ "type": "number", "exclusiveMaximum": 10 }),
        json!({ "oneOf": [old], "discriminator": { "propertyName": "type" } }),
    ];
    let mut choice = options[to % options.len()].clone();
    if choice == *old {
        choice = options[(to + 1) % options.len()].clone();
    }
    choice
}

/// Every `#/components/<kind>/<name>` the document defines.
fn component_refs(doc: &Value) -> Vec<String> {
    let Some(Value::Object(components)) = doc.get("components") else {
        return Vec::new();
    };
    components
        .iter()
        .filter_map(|(kind, entries)| Some((kind, entries.as_object()?)))
        .flat_map(|(kind, entries)| {
            entries
                .keys()
                .map(move |name| format!("#/components/{kind}/{}", escape(name)))
        })
        .collect()
}

fn apply(doc: &mut Value, mutation: &Mutation) {
    let is_map = |v: &Value| v.as_object().is_some_and(|m| !m.is_empty());
    let non_empty = |v: &Value| match v {
        Value::Object(m) => !m.is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => false,
    };
    match *mutation {
        Mutation::Drop { node, key } => {
            if let Some(Value::Object(map)) = pick(doc, node, &is_map) {
                let name = map.keys().nth(key % map.len()).cloned().expect("a key");
                map.shift_remove(&name);
            }
        }
        Mutation::Duplicate { node, key, name } | Mutation::Rename { node, key, name } => {
            if let Some(Value::Object(map)) = pick(doc, node, &is_map) {
                let old = map.keys().nth(key % map.len()).cloned().expect("a key");
                let value = if matches!(mutation, Mutation::Rename { .. }) {
                    map.shift_remove(&old).expect("present")
                } else {
                    map[&old].clone()
                };
                map.insert(NAMES[name % NAMES.len()].to_string(), value);
            }
        }
        Mutation::Retype { node, to } => {
            if let Some(target) = pick(doc, node, &|_| true) {
                *target = retyped(target, to);
            }
        }
        Mutation::Retarget { node, to } => {
            let mut targets: Vec<String> = component_refs(doc);
            targets.extend(BAD_REFS.iter().map(|r| r.to_string()));
            let has_ref = |v: &Value| v.get("$ref").is_some_and(Value::is_string);
            if let Some(target) = pick(doc, node, &has_ref) {
                target["$ref"] = Value::String(targets[to % targets.len()].clone());
            }
        }
        Mutation::Shuffle { node, by } => {
            let shuffles = |v: &Value| match v {
                Value::Object(m) => m.len() > 1,
                Value::Array(a) => a.len() > 1,
                _ => false,
            };
            match pick(doc, node, &shuffles) {
                Some(Value::Object(map)) => {
                    let mut entries: Vec<(String, Value)> =
                        std::mem::take(map).into_iter().collect();
                    let len = entries.len();
                    entries.rotate_left(by % len);
                    map.extend(entries);
                }
                Some(Value::Array(items)) => {
                    let len = items.len();
                    items.rotate_left(by % len);
                }
                _ => {}
            }
        }
        Mutation::Empty { node } => {
            if let Some(target) = pick(doc, node, &non_empty) {
                *target = if target.is_object() {
                    json!({})
                } else {
                    json!([])
                };
            }
        }
        Mutation::Text { node, to } => {
            if let Some(target) = pick(doc, node, &Value::is_string) {
                *target = json!(NAMES[to % NAMES.len()]);
            }
        }
    }
}

/// The mutated spec's bytes: JSON, either compact or pretty (which, being
/// valid YAML too, also reaches the YAML parser once cut before the `{`).
fn render(case: &Case) -> (Vec<u8>, SdkConfig) {
    let mut doc = seeds()[case.seed].spec.clone();
    for mutation in &case.mutations {
        apply(&mut doc, mutation);
    }
    let config = match case.naming {
        Some(naming) => naming_config(&doc, naming),
        None => seeds()[case.seed].config.clone(),
    };
    let mut text = if case.yaml_like {
        // A leading comment sends the text to the YAML parser: JSON is YAML.
        format!(
            "# mutated\n{}",
            serde_json::to_string_pretty(&doc).expect("serializes")
        )
    } else {
        serde_json::to_string(&doc).expect("serializes")
    };
    if let Some(per_mille) = case.truncate {
        let mut end = text.len() * usize::from(per_mille) / 1000;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    (text.into_bytes(), config)
}

/// An SDK config that names one of the document's operations (or a made-up
/// one) with names that mean something to Rust or to the generator.
fn naming_config(doc: &Value, (resource, method, operation): (usize, usize, usize)) -> SdkConfig {
    let endpoints: Vec<String> = doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            let methods = item.as_object().into_iter().flatten().map(|(m, _)| m);
            methods.map(move |m| format!("{m} {path}"))
        })
        .chain(["get /nowhere".to_string()])
        .collect();
    let text = format!(
        "resources:\n  {}:\n    methods:\n      {}: {}\n",
        json!(NAMES[resource % NAMES.len()]),
        json!(NAMES[method % NAMES.len()]),
        json!(endpoints[operation % endpoints.len()]),
    );
    SdkConfig::parse(&text, "fuzz.sdk.yml").expect("the config is valid YAML")
}

// ---- running a case ---------------------------------------------------------

/// The last panic's message and place, recorded by the hook (from any
/// thread: formatting runs on worker threads).
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Records each panic, then prints it as usual.
fn record_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let print = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some(info.to_string());
            print(info);
        }));
    });
}

/// How the cases ended: the fuzz means something only if many mutated specs
/// still generate and many are refused.
static GENERATED: AtomicUsize = AtomicUsize::new(0);
static REJECTED: AtomicUsize = AtomicUsize::new(0);

/// Runs the whole pipeline on `spec`. A panic fails, and so does an error
/// that does not start with the place it is about (the spec or the config).
fn check(spec: &[u8], config: &SdkConfig, strict: bool) -> Result<(), String> {
    record_panics();
    let origin = "mutated.yaml";
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        pipeline::generate(spec, origin, config, templates(), &Options { strict })
    }));
    match outcome {
        Ok(Ok(_)) => {
            GENERATED.fetch_add(1, Ordering::Relaxed);
            Ok(())
        }
        Ok(Err(error)) => {
            REJECTED.fetch_add(1, Ordering::Relaxed);
            let message = error.to_string();
            // The guides file is a config file of its own (`guides:` in the SDK config).
            let guides = config.guide_config.origin.as_str();
            if message.starts_with(origin)
                || message.starts_with(config.origin())
                || (!guides.is_empty() && message.starts_with(guides))
            {
                Ok(())
            } else {
                Err(format!("the error does not name its place: {message}"))
            }
        }
        Err(_) => {
            let panic = LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()).take();
            Err(format!("panicked: {}", panic.unwrap_or_default()))
        }
    }
}

fn config() -> Config {
    contextualize_config(Config {
        cases: DEFAULT_CASES,
        max_shrink_iters: 4096,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Specs that once crashed the generator, each found by this fuzz, and
/// the error each must give now (`None`: it generates).
const REGRESSIONS: [(&str, Option<&str>); 5] = [
    // A property without letters or digits became an empty identifier.
    (
        r#"
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /widgets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {'{': {type: string}}}
"#,
        None,
    ),
    // So did a path segment without them.
    (
        r#"
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /-/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'204': {description: ok}}
"#,
        None,
    ),
    // A union containing itself overflowed the stack.
    (
        r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /shapes:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Shape'}
      responses: {'204': {description: ok}}
components:
  schemas:
    Shape:
      oneOf:
        - $ref: '#/components/schemas/Shape'
        - {type: object, properties: {side: {type: number}}}
"#,
        Some("mutated.yaml#/components/schemas/Shape: this schema contains itself"),
    ),
    // So did sampling a cycle of required properties for the conformance suite.
    (
        r#"
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /nodes:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Node'}
      responses: {'204': {description: ok}}
components:
  schemas:
    Node:
      type: object
      required: [next]
      properties:
        next: {$ref: '#/components/schemas/Node'}
"#,
        None,
    ),
    // A webhook event type without ASCII letters or digits named an empty
    // module of the types tree.
    (
        r#"
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
webhooks:
  changed:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                data:
                  type: object
                  properties:
                    event_type: {type: string, enum: ["ü"]}
                    payload: {type: object, properties: {level: {type: integer}}}
      responses: {'200': {description: ok}}
"#,
        None,
    ),
];

#[test]
fn regressions_end_as_they_should() {
    let config = SdkConfig::default();
    for (spec, error) in REGRESSIONS {
        assert_eq!(check(spec.as_bytes(), &config, false), Ok(()), "{spec}");
        let outcome = pipeline::generate(
            spec.as_bytes(),
            "mutated.yaml",
            &config,
            templates(),
            &Options { strict: false },
        );
        match (outcome, error) {
            (Ok(_), None) => {}
            (Err(e), Some(expected)) => assert!(e.to_string().contains(expected), "{e}"),
            (Ok(_), Some(expected)) => panic!("generated, expected `{expected}`:{spec}"),
            (Err(e), None) => panic!("{e}{spec}"),
        }
    }
}

#[test]
fn every_seed_generates() {
    assert!(seeds().len() >= 10, "the fixtures went missing");
    let versions: Vec<&str> = seeds()
        .iter()
        .filter_map(|s| s.spec["openapi"].as_str())
        .collect();
    assert!(
        versions.iter().any(|v| v.starts_with("3.0.")),
        "no 3.0 seed"
    );
    assert!(
        versions.iter().any(|v| v.starts_with("3.1.")),
        "no 3.1 seed"
    );
    for seed in seeds() {
        let bytes = serde_json::to_vec(&seed.spec).expect("serializes");
        pipeline::generate(
            &bytes,
            &seed.name,
            &seed.config,
            templates(),
            &Options { strict: false },
        )
        .unwrap_or_else(|e| panic!("{}: {e}", seed.name));
    }
}

/// The cases run on every core, each worker with its own runner (and
/// seed: a fixed `PROPTEST_RNG_SEED` is offset per worker).
#[test]
fn mutated_specs_never_panic() {
    let config = config();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()) as u32;
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|worker| {
                let mut config = config.clone();
                config.cases = config.cases / workers + u32::from(worker < config.cases % workers);
                if let RngSeed::Fixed(seed) = config.rng_seed {
                    config.rng_seed = RngSeed::Fixed(seed.wrapping_add(u64::from(worker)));
                }
                scope.spawn(move || run_cases(config))
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|h| h.join().expect("a worker reports, it does not panic").err())
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let generated = GENERATED.load(Ordering::Relaxed);
    let rejected = REJECTED.load(Ordering::Relaxed);
    eprintln!(
        "{} mutated specs on {workers} workers, no panic: {generated} generated, {rejected} refused",
        config.cases
    );
    let tenth = config.cases as usize / 10;
    assert!(
        generated >= tenth && rejected >= tenth,
        "the mutations are too mild or too harsh"
    );
}

fn run_cases(config: Config) -> Result<(), String> {
    TestRunner::new(config)
        .run(&case(), |case| {
            let (spec, config) = render(&case);
            check(&spec, &config, case.strict).map_err(|failure| {
                TestCaseError::fail(format!(
                    "{failure}\nseed: {}\nconfig: {config:?}\nspec:\n{}",
                    seeds()[case.seed].name,
                    String::from_utf8_lossy(&spec)
                ))
            })
        })
        .map_err(|e| e.to_string())
}
