//! Tests live in `tests/`: generator snapshots over small fixture specs and
//! integration tests of the generated client against local mocks. This
//! library holds what several test files need from the pinned spec.

use std::path::Path;
use xtask::ir::Api;
use xtask::naming::{Names, SdkConfig};
use xtask::pipeline::{self, Options};

pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives in the workspace root")
}

/// The pinned spec's bytes: the file `spec/upstream.yml` pins, which is
/// git-ignored and fetched by the test command (the panic says how).
pub fn pinned_spec() -> Vec<u8> {
    xtask::pin::read_pinned_spec(workspace_root())
        .unwrap_or_else(|e| panic!("{e}"))
        .1
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
