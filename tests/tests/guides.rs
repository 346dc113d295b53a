//! The guides in `generated/guides/` against what they follow and what
//! they cover:
//!
//! - each official voice guide in `../shared/seeds/` has its Rust
//!   counterpart, with the seed's operations in the seed's order, each under
//!   its spec summary as title, and the seed's webhook events;
//! - every operation the crate emits has its section in exactly one guide;
//! - every section has a snippet, and the guide shows each snippet exactly
//!   as `generated/tests/guides/` compiles and runs it.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use common::seeds::{calls_in, seeds_dir};
use xtask::ir::Api;
use xtask::naming::Names;

/// The guides' directory in the generated crate.
fn guides_dir() -> PathBuf {
    telnyx_tests::workspace_root().join("generated/guides")
}

/// One heading of a guide with the endpoint line under it.
#[derive(Debug)]
struct Section {
    title: String,
    /// `POST /calls`.
    endpoint: String,
    /// The body of its ```rust block, if it has one.
    snippet: Option<String>,
    /// Only points to the guide that has the operation's section.
    pointer: bool,
}

/// A guide's sections, in order, and the text of its webhooks section.
struct Guide {
    sections: Vec<Section>,
    webhooks: String,
    text: String,
}

fn read_guide(path: &Path) -> Guide {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut sections: Vec<Section> = Vec::new();
    let mut title: Option<String> = None;
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(heading) = line.strip_prefix("## ").or(line.strip_prefix("### ")) {
            title = Some(heading.to_string());
            continue;
        }
        if line.starts_with("```rust") {
            let mut code = String::new();
            for inner in lines.by_ref() {
                if inner == "```" {
                    break;
                }
                code.push_str(inner);
                code.push('\n');
            }
            if let Some(section) = sections.last_mut() {
                if section.snippet.is_none() && section.title == title.clone().unwrap_or_default() {
                    section.snippet = Some(code);
                }
            }
            continue;
        }
        let Some(endpoint) = endpoint_line(line) else {
            continue;
        };
        let Some(heading) = title.clone() else {
            panic!("{}: `{endpoint}` under no heading", path.display());
        };
        sections.push(Section {
            title: heading,
            endpoint,
            snippet: None,
            pointer: line.contains("this operation's section is in the guide"),
        });
    }
    let webhooks = text
        .split_once("\n## Webhooks\n")
        .map(|(_, rest)| rest.to_string())
        .unwrap_or_default();
    Guide {
        sections,
        webhooks,
        text,
    }
}

/// `` `POST /calls` `` (alone, or before the pointer's text) → `POST /calls`.
fn endpoint_line(line: &str) -> Option<String> {
    let rest = line.strip_prefix('`')?;
    let (endpoint, _) = rest.split_once('`')?;
    let (method, path) = endpoint.split_once(' ')?;
    let is_method = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"].contains(&method);
    (is_method && path.starts_with('/')).then(|| endpoint.to_string())
}

fn all_guides() -> BTreeMap<String, Guide> {
    let mut guides = BTreeMap::new();
    for entry in fs::read_dir(guides_dir()).expect("generated/guides") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            let name = path
                .file_stem()
                .expect("a name")
                .to_string_lossy()
                .into_owned();
            guides.insert(name, read_guide(&path));
        }
    }
    guides
}

/// Each operation's dotted call chain → (endpoint, spec summary).
fn operations(api: &Api, names: &Names) -> BTreeMap<String, (String, String)> {
    api.operations
        .iter()
        .zip(&names.operations)
        .map(|(op, name)| {
            let mut chain = name.resource.join(".");
            chain.push('.');
            chain.push_str(&name.method);
            let endpoint = format!("{} {}", op.method.as_str(), op.path);
            (
                chain,
                (endpoint, op.docs.summary.clone().unwrap_or_default()),
            )
        })
        .collect()
}

/// One seed capture: the guide it is, its operations in order of first
/// mention, and the webhooks it names.
struct Seed {
    file: String,
    guide: String,
    calls: Vec<String>,
    webhooks: BTreeSet<String>,
}

fn read_seeds(
    api: &Api,
    guides: &BTreeMap<String, Guide>,
    ops: &BTreeMap<String, (String, String)>,
) -> Vec<Seed> {
    let webhook_names: BTreeSet<&str> = api.webhooks.iter().map(|w| w.name.as_str()).collect();
    let mut files: Vec<PathBuf> = fs::read_dir(seeds_dir())
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e}; the seeds live in ../shared",
                seeds_dir().display()
            )
        })
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let text = fs::read_to_string(path).expect("seed text");
            let mut calls: Vec<String> = Vec::new();
            for call in calls_in(&text) {
                // `webhooks.unwrap` is the webhooks section's, not an operation.
                if call != "webhooks.unwrap" && !calls.contains(&call) {
                    calls.push(call);
                }
            }
            let webhooks = text
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|word| webhook_names.contains(word))
                .map(str::to_string)
                .collect();
            let file = path
                .file_name()
                .expect("a name")
                .to_string_lossy()
                .into_owned();
            let guide = seed_guide(&text, &calls, guides, ops)
                .unwrap_or_else(|| panic!("{file}: no generated guide follows this seed"));
            Seed {
                file,
                guide,
                calls,
                webhooks,
            }
        })
        .collect()
}

/// The guide a seed is a capture of: `telnyx-voice-advanced-python` →
/// `telnyx-voice-advanced`; a capture that lost its name is the guide with
/// its first operation's section.
fn seed_guide(
    text: &str,
    calls: &[String],
    guides: &BTreeMap<String, Guide>,
    ops: &BTreeMap<String, (String, String)>,
) -> Option<String> {
    let named = text.split_whitespace().find_map(|word| {
        let name = word.strip_suffix("-python")?;
        name.starts_with("telnyx-voice").then(|| name.to_string())
    });
    if named.is_some() {
        return named;
    }
    let (endpoint, _) = ops.get(calls.first()?)?;
    guides
        .iter()
        .find(|(_, g)| {
            g.sections
                .iter()
                .any(|s| !s.pointer && &s.endpoint == endpoint)
        })
        .map(|(name, _)| name.clone())
}

#[test]
fn each_seed_guide_has_its_operations_in_order_under_their_spec_summaries() {
    let (api, names) = telnyx_tests::pinned_api();
    let ops = operations(&api, &names);
    let guides = all_guides();
    let seeds = read_seeds(&api, &guides, &ops);
    assert_eq!(
        seeds.len(),
        5,
        "five captures of four guides in ../shared/seeds"
    );
    let covered: BTreeSet<&str> = seeds.iter().map(|s| s.guide.as_str()).collect();
    assert_eq!(
        covered,
        BTreeSet::from([
            "telnyx-voice",
            "telnyx-voice-advanced",
            "telnyx-voice-conferencing",
            "telnyx-voice-streaming"
        ])
    );
    for seed in &seeds {
        let guide = &guides[&seed.guide];
        let mut positions = Vec::new();
        for call in &seed.calls {
            let (endpoint, summary) = ops
                .get(call)
                .unwrap_or_else(|| panic!("{}: `{call}` is no operation of the crate", seed.file));
            let at = guide
                .sections
                .iter()
                .position(|s| &s.endpoint == endpoint)
                .unwrap_or_else(|| {
                    panic!(
                        "{}: `{call}` ({endpoint}) is not in {}.md",
                        seed.file, seed.guide
                    )
                });
            assert_eq!(
                guide.sections[at].title, *summary,
                "{}: `{call}` in {}.md is titled with the spec summary",
                seed.file, seed.guide
            );
            positions.push((call.as_str(), at));
        }
        // Every pair the seed orders, the guide orders alike, unless another
        // capture of the same guide orders the pair the other way.
        for (i, &(a, at_a)) in positions.iter().enumerate() {
            for &(b, at_b) in &positions[i + 1..] {
                let disputed = seeds
                    .iter()
                    .any(|other| other.guide == seed.guide && orders(&other.calls, b, a));
                assert!(
                    at_a < at_b || disputed,
                    "{}: `{a}` comes before `{b}` in the seed but not in {}.md",
                    seed.file,
                    seed.guide
                );
            }
        }
        for webhook in &seed.webhooks {
            assert!(
                guide.webhooks.contains(&format!("`{webhook}`")),
                "{}: webhook `{webhook}` is not in the webhooks section of {}.md",
                seed.file,
                seed.guide
            );
        }
    }
    // The two captures of telnyx-voice do disagree: the exemption above is
    // used, not idle.
    let voice: Vec<&Seed> = seeds.iter().filter(|s| s.guide == "telnyx-voice").collect();
    assert_eq!(voice.len(), 2);
    assert!(orders(
        &voice[0].calls,
        "calls.actions.answer",
        "calls.dial"
    ));
    assert!(orders(
        &voice[1].calls,
        "calls.dial",
        "calls.actions.answer"
    ));
}

/// Whether `calls` names `a` before `b`.
fn orders(calls: &[String], a: &str, b: &str) -> bool {
    let at = |x: &str| calls.iter().position(|c| c == x);
    matches!((at(a), at(b)), (Some(a), Some(b)) if a < b)
}

#[test]
fn every_emitted_operation_has_its_section_in_exactly_one_guide() {
    let api_md = fs::read_to_string(telnyx_tests::workspace_root().join("generated/API.md"))
        .expect("generated/API.md");
    let emitted: BTreeSet<String> = api_md
        .lines()
        .filter_map(|line| Some(line.strip_prefix("- `")?.split_once("` → ")?.0.to_string()))
        .collect();
    assert_eq!(emitted.len(), 1156, "API.md lists every operation once");
    let guides = all_guides();
    assert_eq!(
        guides.len(),
        22,
        "4 curated guides and 18 feature groups' guides"
    );
    let mut homes: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, guide) in &guides {
        for section in guide.sections.iter().filter(|s| !s.pointer) {
            homes.entry(&section.endpoint).or_default().push(name);
        }
    }
    let twice: Vec<_> = homes.iter().filter(|(_, g)| g.len() > 1).collect();
    assert!(twice.is_empty(), "operations with two sections: {twice:?}");
    let missing: Vec<&String> = emitted
        .iter()
        .filter(|e| !homes.contains_key(e.as_str()))
        .collect();
    assert!(missing.is_empty(), "operations in no guide: {missing:?}");
    let unknown: Vec<&&str> = homes.keys().filter(|e| !emitted.contains(**e)).collect();
    assert!(
        unknown.is_empty(),
        "sections of no emitted operation: {unknown:?}"
    );
    // A pointer leads to the guide that has the section.
    for (name, guide) in &guides {
        for section in guide.sections.iter().filter(|s| s.pointer) {
            let home = homes[section.endpoint.as_str()][0];
            assert!(
                guide.text.contains(&format!("[{home}]({home}.md)")),
                "{name}.md points {} elsewhere than {home}",
                section.endpoint
            );
        }
    }
}

#[test]
fn every_section_shows_the_snippet_the_test_target_runs() {
    let modules = telnyx_tests::workspace_root().join("generated/tests/guides");
    let mut snippets = 0;
    for (name, guide) in all_guides() {
        let module = modules.join(format!("{}.rs", name.replace('-', "_")));
        let compiled =
            fs::read_to_string(&module).unwrap_or_else(|e| panic!("{}: {e}", module.display()));
        for section in guide.sections.iter().filter(|s| !s.pointer) {
            let snippet = section
                .snippet
                .as_ref()
                .unwrap_or_else(|| panic!("{name}.md: section `{}` has no snippet", section.title));
            assert!(
                compiled.contains(&format!("§ {}\n{snippet}", section.title)),
                "{name}.md: the snippet of `{}` is not what {} compiles",
                section.title,
                module.display()
            );
            snippets += 1;
        }
        assert!(
            guide.text.contains("```rust,ignore\nfn connect()"),
            "{name}.md: no setup snippet"
        );
    }
    assert_eq!(snippets, 1156, "one snippet per operation");
}
