//! The checked-in SDK config (`spec/sdk.yml`): which operations become which
//! methods on which resources, plus the few renames the spec needs.

use super::sdk_map::SdkMap;
use crate::diag::Result;
use indexmap::IndexMap;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkConfig {
    /// Mixed-case words kept whole when splitting identifiers (`TeXML`, `FQDNs`).
    #[serde(default)]
    pub words: Vec<String>,
    /// Which operations the crate emits; empty means all.
    #[serde(default)]
    pub emit: EmitScope,
    /// Upstream `operationId`s replaced before lowering, keyed by
    /// `"<method> <path>"`; used where the spec repeats an id.
    #[serde(default)]
    pub operation_ids: BTreeMap<String, String>,
    /// Query parameters read as `style: deepObject` although the spec
    /// declares none, keyed by `"<method> <path>"`: consolidated objects
    /// whose description says deepObject (spec/quirks.md).
    #[serde(default)]
    pub deep_object_params: BTreeMap<String, Vec<String>>,
    /// The resource tree. Operations not listed take the official SDK's
    /// names (`sdk_map`), else derived ones.
    #[serde(default)]
    pub resources: IndexMap<String, ResourceConfig>,
    /// The file of the SDK's names (`spec/sdk_map.yml`), relative to this one.
    #[serde(default)]
    pub sdk_map: Option<String>,
    /// What `sdk_map` holds; empty without one.
    #[serde(skip)]
    pub sdk_names: SdkMap,
    /// Cargo features beyond one per top-level resource.
    #[serde(default)]
    pub features: FeatureConfig,
    /// Overrides for the generated conformance suite, each explained in
    /// `spec/quirks.md`.
    #[serde(default)]
    pub conformance: ConformanceConfig,
    /// The file the config was read from, for errors that point into it.
    #[serde(skip)]
    origin: String,
}

/// Group features (each a list of top-level resources; a group may share
/// its name with one of them, whose feature it then is) and the defaults.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureConfig {
    /// The crate's default features; without any, `full`.
    #[serde(default)]
    pub default: Vec<String>,
    #[serde(default)]
    pub groups: IndexMap<String, Vec<String>>,
}

/// Each entry is keyed by `"<method> <path>"` and explained in
/// `spec/quirks.md`. Inputs are named like body properties (`url`) or as
/// `<location>.<name>` for parameters (`query.filter`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConformanceConfig {
    /// Optional inputs the "required inputs" case must set too: for
    /// constraints such as `anyOf` of `required` lists, which the
    /// generated types cannot express.
    #[serde(default)]
    pub also_required: BTreeMap<String, Vec<String>>,
    /// Optional inputs the "every input" case leaves unset: ones that
    /// exclude each other, or that no value can satisfy.
    #[serde(default)]
    pub left_out: BTreeMap<String, Vec<String>>,
    /// Operations whose mocked response breaks the spec's own schema, so
    /// that Prism's `--errors` refuses it: a second Prism, without
    /// `--errors`, answers them from the schema (`--dynamic`). The value
    /// says what breaks.
    #[serde(default)]
    pub generated_responses: BTreeMap<String, String>,
    /// Required query parameters Prism 5.14.2 cannot match because their
    /// names hold brackets: the case also sends each under the encoded
    /// name Prism looks up.
    #[serde(default)]
    pub prism_query_names: BTreeMap<String, Vec<String>>,
}

impl ConformanceConfig {
    /// Every endpoint an entry names, with the entry's name for messages.
    pub fn endpoints(&self) -> impl Iterator<Item = (&'static str, &String)> {
        self.also_required
            .keys()
            .map(|k| ("also_required", k))
            .chain(self.left_out.keys().map(|k| ("left_out", k)))
            .chain(
                self.generated_responses
                    .keys()
                    .map(|k| ("generated_responses", k)),
            )
            .chain(
                self.prism_query_names
                    .keys()
                    .map(|k| ("prism_query_names", k)),
            )
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmitScope {
    /// An operation is emitted when its path equals one of these or starts
    /// with one followed by `/`.
    #[serde(default)]
    pub paths: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceConfig {
    #[serde(default)]
    pub methods: IndexMap<String, MethodConfig>,
    #[serde(default)]
    pub subresources: IndexMap<String, ResourceConfig>,
}

/// `answer: post /calls/{call_control_id}/actions/answer`, or the long form
/// with parameter renames.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum MethodConfig {
    Endpoint(String),
    Detailed(DetailedMethod),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetailedMethod {
    pub endpoint: String,
    /// Rust names for parameters, keyed by `path.<name>`, `query.<name>`,
    /// `header.<name>` or `body.<name>` (the JSON name stays on the wire).
    #[serde(default)]
    pub params: BTreeMap<String, String>,
}

impl MethodConfig {
    pub fn endpoint(&self) -> &str {
        match self {
            MethodConfig::Endpoint(e) => e,
            MethodConfig::Detailed(d) => &d.endpoint,
        }
    }

    pub fn param_renames(&self) -> Option<&BTreeMap<String, String>> {
        match self {
            MethodConfig::Endpoint(_) => None,
            MethodConfig::Detailed(d) => Some(&d.params),
        }
    }
}

impl SdkConfig {
    /// `origin` is the config's path: `sdk_map` is read relative to it.
    pub fn parse(text: &str, origin: &str) -> Result<Self> {
        let mut config: SdkConfig = crate::load::yaml_config(text, origin)?;
        config.origin = origin.to_string();
        if let Some(file) = &config.sdk_map {
            let dir = std::path::Path::new(origin)
                .parent()
                .unwrap_or(std::path::Path::new(""));
            let path = dir.join(file);
            let text = crate::diag::read_text(&path)?;
            config.sdk_names = SdkMap::parse(&text, &path.display().to_string())?;
        }
        Ok(config)
    }

    /// Where the config came from, as errors name it.
    pub fn origin(&self) -> &str {
        if self.origin.is_empty() {
            "the SDK config"
        } else {
            &self.origin
        }
    }

    pub fn load(path: &std::path::Path) -> Result<Self> {
        Self::parse(&crate::diag::read_text(path)?, &path.display().to_string())
    }

    /// Whether the operation at `path` is part of the emitted crate.
    pub fn emits(&self, path: &str) -> bool {
        self.emit.paths.is_empty()
            || self.emit.paths.iter().any(|p| {
                path == p
                    || path
                        .strip_prefix(p.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            })
    }
}

/// `"post /calls"` → (`post`, `/calls`), with the method lower-cased.
pub fn split_endpoint(endpoint: &str) -> Option<(String, &str)> {
    let (method, path) = endpoint.trim().split_once(' ')?;
    Some((method.to_ascii_lowercase(), path.trim()))
}
