//! Tests live in `tests/`: generator snapshots over small fixture specs and
//! integration tests of the generated client against local mocks. This
//! library holds what several test files need from the pinned spec.

use std::path::Path;
use xtask::ir::Api;
use xtask::naming::{Names, SdkConfig};
use xtask::pipeline::{self, Options};

pub const FETCH_HINT: &str =
    "run `cargo xtask fetch-spec --from ../shared/spec/telnyx-spec3-12de4dd.yml` first";

pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives in the workspace root")
}

/// The pinned spec's bytes (git-ignored; fetched by the test command).
pub fn pinned_spec() -> Vec<u8> {
    let path = workspace_root().join("spec/spec3.yml");
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}. The pinned spec is git-ignored and must be fetched: {FETCH_HINT}",
            path.display()
        )
    })
}

pub fn pinned_config() -> SdkConfig {
    SdkConfig::load(&workspace_root().join("spec/sdk.yml")).unwrap_or_else(|e| panic!("{e}"))
}

/// The IR and names `generated/` was built from.
pub fn pinned_api() -> (Api, Names) {
    pipeline::lower_and_name(
        &pinned_spec(),
        "spec/spec3.yml",
        &pinned_config(),
        &Options { strict: true },
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The README's code blocks, compiled as doctests of this crate so the
/// examples users copy keep building.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
