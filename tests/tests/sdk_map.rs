//! The official SDK's names: `spec/sdk_map.yml` is what the pinned Python
//! SDK (`tests/python/requirements.txt`) has, and `generated/API.md` calls
//! every operation the SDK has by the SDK's call chain.

mod common;

use std::collections::BTreeMap;
use xtask::naming::sdk_map::SdkMap;

fn committed_map() -> SdkMap {
    let path = telnyx_tests::workspace_root().join(xtask::sdk_map::MAP_PATH);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    SdkMap::parse(&text, "spec/sdk_map.yml").unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_committed_map_is_what_the_pinned_sdk_has() {
    let derived =
        xtask::sdk_map::derive(telnyx_tests::workspace_root()).unwrap_or_else(|e| panic!("{e}"));
    let committed = committed_map();
    assert_eq!(committed.sdk, derived.sdk, "fix: cargo xtask sdk-map");
    let differing: Vec<String> = derived
        .endpoints
        .keys()
        .chain(committed.endpoints.keys())
        .filter(|key| derived.endpoints.get(*key) != committed.endpoints.get(*key))
        .map(|key| {
            format!(
                "{key}: SDK {:?}, committed {:?}",
                derived.endpoints.get(key),
                committed.endpoints.get(key)
            )
        })
        .collect();
    assert!(
        differing.is_empty(),
        "spec/sdk_map.yml and the SDK disagree (fix: cargo xtask sdk-map):\n{}",
        differing.join("\n")
    );
    // The file is exactly what the command writes.
    let path = telnyx_tests::workspace_root().join(xtask::sdk_map::MAP_PATH);
    assert_eq!(std::fs::read_to_string(path).unwrap(), derived.render());
}

/// `- `POST /calls` → `client.calls().dial(…)`` lines of API.md, by endpoint.
fn api_md_calls() -> BTreeMap<String, String> {
    let path = telnyx_tests::workspace_root().join("generated/API.md");
    std::fs::read_to_string(path)
        .expect("generated/API.md")
        .lines()
        .filter_map(|line| {
            let (endpoint, call) = line.strip_prefix("- `")?.split_once("` → `client.")?;
            Some((endpoint.to_string(), call.trim_end_matches('`').to_string()))
        })
        .collect()
}

/// `calls.actions.answer` → `calls().actions().answer(`, Rust keywords
/// escaped with a trailing `_` as everywhere in the crate.
fn rust_call(chain: &str) -> String {
    let escape = |s: &str| {
        if xtask::naming::casing::is_keyword(s) {
            format!("{s}_")
        } else {
            s.to_string()
        }
    };
    let parts: Vec<String> = chain.split('.').map(escape).collect();
    let (method, resources) = parts.split_last().expect("a chain has a method");
    let mut call: String = resources.iter().map(|r| format!("{r}().")).collect();
    call.push_str(method);
    call.push('(');
    call
}

#[test]
fn api_md_calls_every_operation_the_sdk_has_by_the_sdks_chain() {
    let (api, _) = telnyx_tests::pinned_api();
    let sdk =
        xtask::sdk_map::derive(telnyx_tests::workspace_root()).unwrap_or_else(|e| panic!("{e}"));
    let calls = api_md_calls();
    assert_eq!(
        calls.len(),
        api.operations.len(),
        "API.md lists every operation"
    );
    let mut with_sdk_name = 0;
    let mut wrong = Vec::new();
    for op in &api.operations {
        let endpoint = format!("{} {}", op.method.as_str(), op.path);
        let Some((resources, method)) = sdk.chain(op.method.as_str(), &op.path) else {
            continue;
        };
        with_sdk_name += 1;
        let chain = format!("{}.{method}", resources.join("."));
        let call = &calls[&endpoint];
        if !call.starts_with(&rust_call(&chain)) {
            wrong.push(format!("{endpoint}: SDK `{chain}`, API.md `{call}`"));
        }
    }
    assert!(
        wrong.is_empty(),
        "not under the SDK's names:\n{}",
        wrong.join("\n")
    );
    // telnyx 4.189.0 has a method for 1151 of the pinned spec's 1156
    // operations (spec/quirks.md, "Operations the SDK lacks").
    assert_eq!(with_sdk_name, 1151);
}
