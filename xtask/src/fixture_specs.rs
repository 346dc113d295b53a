//! The fixture specs in `tests/fixtures`, for unit tests that hold a stage
//! to the same result on every one of them.

use std::path::{Path, PathBuf};

/// Every fixture spec, YAML or JSON, without the SDK naming configs beside
/// them (`*.sdk.yml`), in name order.
pub fn paths() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the fixtures are there")
        .map(|entry| entry.expect("a fixture").path())
        .filter(|path| {
            !path
                .file_name()
                .is_some_and(|name| name.to_string_lossy().ends_with(".sdk.yml"))
        })
        .collect();
    paths.sort();
    paths
}
