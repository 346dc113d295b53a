//! Places every operation on a resource with a method name: from the SDK
//! config where it lists the operation, derived from path and verb elsewhere.

use super::casing::{pascal, snake};
use super::clashes;
use super::config::{split_endpoint, MethodConfig, ResourceConfig, SdkConfig};
use crate::diag::{Error, Pointer, Result, Warnings};
use crate::ir::{Api, Method, Operation};
use std::collections::{BTreeMap, BTreeSet};

/// Where an operation lives in the client: `client.calls().actions().answer(..)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpName {
    /// Resource path in snake case, e.g. `["calls", "actions"]`.
    pub resource: Vec<String>,
    pub method: String,
    /// Rust names for parameters, keyed `path.<json>`, `query.<json>`, `body.<json>`.
    pub renames: BTreeMap<String, String>,
    /// Whether the SDK config named it (rather than derivation).
    pub configured: bool,
}

impl OpName {
    /// `calls().actions().answer`
    pub fn chain(&self) -> String {
        let mut out: String = self.resource.iter().map(|r| format!("{r}().")).collect();
        out.push_str(&self.method);
        out
    }
}

/// One entry per operation, in `api.operations` order.
pub fn assign(
    api: &Api,
    config: &SdkConfig,
    strict: bool,
    warnings: &mut Warnings,
) -> Result<Vec<OpName>> {
    let index: BTreeMap<(String, &str), usize> = api
        .operations
        .iter()
        .enumerate()
        .map(|(i, op)| {
            (
                (op.method.as_str().to_ascii_lowercase(), op.path.as_str()),
                i,
            )
        })
        .collect();
    clashes::check_config(config)?;
    let mut names: Vec<Option<OpName>> = vec![None; api.operations.len()];
    let mut taken = BTreeSet::new();
    let mut unmatched = Vec::new();
    for (resource, tree) in &config.resources {
        configured(
            config,
            tree,
            &mut vec![resource.clone()],
            &index,
            &mut names,
            &mut taken,
            &mut unmatched,
        )?;
    }
    let find = |endpoint: &str| {
        crate::naming::config::split_endpoint(endpoint)
            .and_then(|(method, path)| index.get(&(method, path)).copied())
    };
    for (entry, endpoint) in config.conformance.endpoints() {
        if find(endpoint).is_none() {
            unmatched.push(format!(
                "{}: conformance.{entry} `{endpoint}`",
                config.origin()
            ));
        }
    }
    for (endpoint, params) in &config.deep_object_params {
        let op = find(endpoint).map(|i| &api.operations[i]);
        for param in params {
            let found = op.is_some_and(|op| {
                op.params
                    .iter()
                    .any(|p| p.location == crate::ir::Location::Query && &p.name == param)
            });
            if !found {
                unmatched.push(format!(
                    "{}: deep_object_params `{endpoint}` `{param}`",
                    config.origin()
                ));
            }
        }
    }
    report_unmatched(config, unmatched, strict, warnings)?;
    from_sdk(api, config, &mut names, &mut taken)?;
    let derived: Vec<(usize, OpName)> = (0..names.len())
        .filter(|&i| names[i].is_none())
        .map(|i| {
            let mut name = derive(&api.operations[i], &config.words);
            step_aside(&mut name.resource, &taken);
            (i, name)
        })
        .collect();
    reserve_accessors(
        names.iter().flatten().chain(derived.iter().map(|(_, n)| n)),
        &mut taken,
    );
    for (i, mut name) in derived {
        disambiguate(&mut name, &api.operations[i], &taken);
        taken.insert((name.resource.clone(), builder_key(&name.method)));
        taken.insert((name.resource.clone(), name.method.clone()));
        names[i] = Some(name);
    }
    Ok(names
        .into_iter()
        .map(|n| n.expect("every operation was named above"))
        .collect())
}

/// A derived resource segment named like a configured method or a built-in
/// one of its parent gets a suffix; every operation below it follows.
fn step_aside(resource: &mut [String], taken: &BTreeSet<(Vec<String>, String)>) {
    for depth in 0..resource.len() {
        let (parent, rest) = resource.split_at_mut(depth);
        let segment = &mut rest[0];
        while clashes::is_built_in(parent, segment)
            || taken.contains(&(parent.to_vec(), segment.clone()))
        {
            segment.push_str("_resource");
        }
    }
}

/// Sub-resource accessors and each resource's `new` are names too: a
/// derived method must not take one.
fn reserve_accessors<'n>(
    names: impl Iterator<Item = &'n OpName>,
    taken: &mut BTreeSet<(Vec<String>, String)>,
) {
    for name in names {
        for depth in 1..=name.resource.len() {
            let node = &name.resource[..depth];
            taken.insert((node.to_vec(), "new".to_string()));
            if depth < name.resource.len() {
                taken.insert((node.to_vec(), name.resource[depth].clone()));
            }
        }
    }
}

fn configured(
    config: &SdkConfig,
    tree: &ResourceConfig,
    path: &mut Vec<String>,
    index: &BTreeMap<(String, &str), usize>,
    names: &mut [Option<OpName>],
    taken: &mut BTreeSet<(Vec<String>, String)>,
    unmatched: &mut Vec<String>,
) -> Result<()> {
    for (method, entry) in &tree.methods {
        let endpoint = entry.endpoint();
        let place = format!("{}: resources.{}.{method}", config.origin(), path.join("."));
        let Some((verb, route)) = split_endpoint(endpoint) else {
            return Err(Error::Config {
                origin: place,
                message: format!("`{endpoint}` is not `<method> <path>`"),
            });
        };
        let Some(&i) = index.get(&(verb, route)) else {
            unmatched.push(format!("{place} = `{endpoint}`"));
            continue;
        };
        if let Some(existing) = &names[i] {
            return Err(Error::Config {
                origin: place,
                message: format!("`{endpoint}` is already named `{}`", existing.chain()),
            });
        }
        if !taken.insert((path.clone(), method.clone())) {
            return Err(Error::Config {
                origin: place,
                message: "two operations share this Rust name".into(),
            });
        }
        if !taken.insert((path.clone(), builder_key(method))) {
            return Err(Error::Config {
                origin: place,
                message: format!(
                    "`{method}` and another method of `{}` get one request builder, `{}`; \
                     rename one of them",
                    path.join("."),
                    pascal(method, &[])
                ),
            });
        }
        names[i] = Some(OpName {
            resource: path.clone(),
            method: method.clone(),
            renames: renames(entry),
            configured: true,
        });
    }
    for (child, subtree) in &tree.subresources {
        path.push(child.clone());
        configured(config, subtree, path, index, names, taken, unmatched)?;
        path.pop();
    }
    Ok(())
}

/// Operations the config does not list take the official SDK's call chain,
/// Rust keywords escaped as everywhere else. Two operations on one chain is
/// an error, as in the config: only a person can choose between them.
fn from_sdk(
    api: &Api,
    config: &SdkConfig,
    names: &mut [Option<OpName>],
    taken: &mut BTreeSet<(Vec<String>, String)>,
) -> Result<()> {
    for (i, op) in api.operations.iter().enumerate() {
        if names[i].is_some() {
            continue;
        }
        let Some((resource, method)) = config.sdk_names.chain(op.method.as_str(), &op.path) else {
            continue;
        };
        let resource: Vec<String> = resource.iter().map(|s| escape_keyword(s)).collect();
        let method = escape_keyword(method);
        let clash = |what: String| Error::Config {
            origin: format!(
                "{}: endpoint of {} {}",
                config.origin(),
                op.method.as_str(),
                op.path
            ),
            message: format!(
                "the SDK's `{}.{method}` {what}; name one of them in `resources`",
                resource.join(".")
            ),
        };
        if !taken.insert((resource.clone(), method.clone())) {
            return Err(clash("is already another operation's name".into()));
        }
        if !taken.insert((resource.clone(), builder_key(&method))) {
            return Err(clash(format!(
                "gets the request builder `{}` of another method",
                builder_base(&method)
            )));
        }
        names[i] = Some(OpName {
            resource,
            method,
            renames: BTreeMap::new(),
            configured: true,
        });
    }
    Ok(())
}

fn escape_keyword(name: &str) -> String {
    if super::casing::is_keyword(name) {
        format!("{name}_")
    } else {
        name.to_string()
    }
}

fn renames(entry: &MethodConfig) -> BTreeMap<String, String> {
    entry.param_renames().cloned().unwrap_or_default()
}

fn report_unmatched(
    config: &SdkConfig,
    unmatched: Vec<String>,
    strict: bool,
    warnings: &mut Warnings,
) -> Result<()> {
    if unmatched.is_empty() {
        return Ok(());
    }
    if strict {
        return Err(Error::Config {
            origin: config.origin().to_string(),
            message: format!(
                "entries match no operation of this spec (--strict):\n  {}\nfix: point each \
                 at the operation's new `<method> <path>`, or remove it (without --strict \
                 these are warnings)",
                unmatched.join("\n  ")
            ),
        });
    }
    for entry in unmatched {
        warnings.push(
            &Pointer::root(),
            format!(
                "{entry} matches no operation of this spec; update or remove it \
                 (--strict makes this an error)"
            ),
        );
    }
    Ok(())
}

/// `GET /things` → `things.list`; `POST /things/{id}/actions/go` →
/// `things.actions.go`; `GET /things/{id}/parts` → `things.list_parts`.
fn derive(op: &Operation, words: &[String]) -> OpName {
    let segments: Vec<&str> = op.path.split('/').filter(|s| !s.is_empty()).collect();
    let segments: &[&str] = match segments.split_first() {
        Some((first, rest)) if is_version(first) => rest,
        _ => &segments,
    };
    let is_param = |s: &&str| s.starts_with('{');
    let statics: Vec<String> = segments
        .iter()
        .filter(|s| !is_param(s))
        .map(|s| snake(s, words))
        // A segment without letters or digits (`/-/`) names nothing.
        .filter(|s| !s.is_empty())
        .collect();
    let ends_with_param = segments.last().is_some_and(is_param);
    let has_param = segments.iter().any(is_param);
    let (resource, method) = if ends_with_param || !has_param || statics.len() < 2 {
        let verb = match (op.method, ends_with_param) {
            (Method::Get, false) => "list",
            (Method::Get, true) => "retrieve",
            (Method::Post, false) => "create",
            (Method::Put | Method::Patch | Method::Post, _) => "update",
            (Method::Delete, _) => "delete",
            (other, _) => return named(statics, other.as_str().to_ascii_lowercase()),
        };
        (statics, verb.to_string())
    } else {
        let mut resource = statics;
        let last = resource.pop().expect("at least two statics");
        let method = match op.method {
            Method::Post => last,
            Method::Get => format!("retrieve_{last}"),
            Method::Put | Method::Patch => format!("update_{last}"),
            Method::Delete => format!("delete_{last}"),
            other => format!("{}_{last}", other.as_str().to_ascii_lowercase()),
        };
        (resource, method)
    };
    named(
        if resource.is_empty() {
            vec!["root".into()]
        } else {
            resource
        },
        method,
    )
}

fn named(resource: Vec<String>, method: String) -> OpName {
    OpName {
        resource,
        method,
        renames: BTreeMap::new(),
        configured: false,
    }
}

fn is_version(segment: &str) -> bool {
    segment.len() > 1
        && segment.starts_with('v')
        && segment[1..].chars().all(|c| c.is_ascii_digit())
}

/// The name a request builder's struct is made from: the method in Pascal
/// case (`Answer` for `answer`), `SendRequest` where that is a prelude name.
pub fn builder_base(method: &str) -> String {
    let base = pascal(method, &[]);
    if super::prelude::is_prelude(&base) {
        base + "Request"
    } else {
        base
    }
}

/// Builders are named by [`builder_base`], so `a_1` and `a1` would share
/// one; `#` keeps these keys apart from method names in the same set.
fn builder_key(method: &str) -> String {
    format!("#{}", builder_base(method))
}

/// Derived names never collide: add the verb, then a counter.
fn disambiguate(name: &mut OpName, op: &Operation, taken: &BTreeSet<(Vec<String>, String)>) {
    let free = |m: &str| {
        !taken.contains(&(name.resource.clone(), m.to_string()))
            && !taken.contains(&(name.resource.clone(), builder_key(m)))
    };
    if free(&name.method) {
        return;
    }
    let with_verb = format!(
        "{}_{}",
        name.method,
        op.method.as_str().to_ascii_lowercase()
    );
    if free(&with_verb) {
        name.method = with_verb;
        return;
    }
    let mut n = 2;
    while !free(&format!("{with_verb}_{n}")) {
        n += 1;
    }
    name.method = format!("{with_verb}_{n}");
}
