//! Stage 4: Rust names for everything the IR holds, from the SDK config and
//! derivation rules. Emitters only read names from here.

pub mod casing;
mod clashes;
pub mod config;
pub mod features;
mod fields;
mod prelude;
mod resources;
pub mod sdk_map;
mod types;
mod webhooks;

pub use config::SdkConfig;
pub use fields::{enum_variants, field_names, location_key, operation_params, ParamNames};
pub use resources::{builder_base, OpName};
pub use webhooks::EventVariant;

use crate::diag::{Result, Warnings};
use crate::ir::{Api, TypeId};
use std::collections::BTreeMap;

pub struct Names {
    /// Rust name of every IR type.
    pub types: BTreeMap<TypeId, String>,
    /// Types that reuse another's definition → the one emitted.
    pub canonical: BTreeMap<TypeId, TypeId>,
    /// In `api.operations` order.
    pub operations: Vec<OpName>,
    /// The `WebhookEvent` variants, sorted by event type.
    pub events: Vec<EventVariant>,
    /// The crate's cargo features.
    pub features: features::FeatureNames,
    pub words: Vec<String>,
}

pub fn assign(
    api: &Api,
    config: &SdkConfig,
    strict: bool,
    warnings: &mut Warnings,
) -> Result<Names> {
    // Type names are the larger half and depend on nothing else here.
    let (operations, types) = std::thread::scope(|scope| {
        let types = scope.spawn(|| types::assign(api, &config.words));
        let operations = resources::assign(api, config, strict, warnings);
        let types = types
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (operations, types)
    });
    let operations = operations?;
    let features = features::assign(config, &operations, strict, warnings)?;
    Ok(Names {
        features,
        types: types.names,
        canonical: types.canonical,
        operations,
        events: webhooks::assign(api, &config.words),
        words: config.words.clone(),
    })
}

impl Names {
    pub fn type_name(&self, id: &TypeId) -> &str {
        self.types
            .get(id)
            .map(String::as_str)
            .unwrap_or("UnnamedType")
    }

    /// The type actually emitted for `id`.
    pub fn canonical<'a>(&'a self, id: &'a TypeId) -> &'a TypeId {
        self.canonical.get(id).unwrap_or(id)
    }
}
