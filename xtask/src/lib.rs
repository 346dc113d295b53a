//! The Telnyx client generator: spec → IR → formatted Rust crate.
//!
//! Stages, one module each: [`load`] → [`normalize`] → [`ir`] → [`naming`]
//! → [`emit`] → [`format`] → [`write`]; [`pipeline`] runs them in order.
//! [`pin`] and [`fetch`] manage the pinned upstream spec; [`sample`] builds
//! schema-valid values for tests of the generated crate; [`conformance`]
//! runs the generated crate's conformance suite against the Prism mock;
//! [`diff`] reports what a new spec changes for the crate's callers.

pub mod bench;
pub mod check_features;
pub mod cli;
pub mod conformance;
pub mod diag;
pub mod diff;
pub mod emit;
pub mod fetch;
#[cfg(test)]
mod fixture_specs;
pub mod format;
pub mod ir;
pub mod load;
pub mod naming;
pub mod normalize;
pub mod parallel;
pub mod pin;
pub mod pipeline;
pub mod sample;
pub mod sdk_map;
pub mod write;
