//! `cargo xtask sdk-map`: reads the official Python SDK's resource tree
//! (`tests/python/sdk_map.py`, with the interpreter that has the pinned
//! `telnyx` package) and writes `spec/sdk_map.yml`, the names regen gives
//! the operations the SDK has. `--check` writes nothing and fails when the
//! committed file and the SDK disagree.

use crate::bench::python;
use crate::cli::Outcome;
use crate::diag::{Error, Result};
use crate::naming::sdk_map::{endpoint_key, Chains, SdkMap};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

pub const MAP_PATH: &str = "spec/sdk_map.yml";

#[derive(Deserialize)]
struct Walked {
    sdk: String,
    methods: Vec<WalkedMethod>,
}

#[derive(Deserialize)]
struct WalkedMethod {
    chain: String,
    method: String,
    path: String,
}

/// The map as the installed SDK has it.
pub fn derive(root: &Path) -> Result<SdkMap> {
    let printed = python::run_script(root, "sdk_map.py", &serde_json::Value::Null)?;
    let walked: Walked = serde_json::from_value(printed)
        .map_err(|e| Error::Bench(format!("tests/python/sdk_map.py: unexpected output: {e}")))?;
    let mut endpoints: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for method in walked.methods {
        endpoints
            .entry(endpoint_key(&method.method, &method.path))
            .or_default()
            .push(method.chain);
    }
    Ok(SdkMap {
        sdk: walked.sdk,
        endpoints: endpoints
            .into_iter()
            .map(|(key, mut chains)| {
                let chains = match chains.len() {
                    1 => Chains::One(chains.remove(0)),
                    _ => Chains::Several(chains),
                };
                (key, chains)
            })
            .collect(),
    })
}

pub fn run(root: &Path, check: bool) -> Result<Outcome> {
    let map = derive(root)?;
    let text = map.render();
    let path = root.join(MAP_PATH);
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if check {
        if committed == text {
            println!("{MAP_PATH} agrees with the installed SDK");
            return Ok(Outcome::Done);
        }
        eprintln!("{MAP_PATH} differs from the installed SDK; fix: cargo xtask sdk-map");
        return Ok(Outcome::Stale);
    }
    std::fs::write(&path, &text).map_err(|source| Error::Write {
        path: path.clone(),
        source,
    })?;
    println!("wrote {MAP_PATH} ({} endpoints)", map.endpoints.len());
    Ok(Outcome::Done)
}
