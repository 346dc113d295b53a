//! The documented kinds of difference between the SDK's request and ours,
//! each a change that turns one into the other where it applies. The kinds
//! and their counts are listed in `spec/quirks.md` ("SDK equivalence:
//! differences"); `explain` says which kinds a pair needed, and whatever
//! remains after them is a difference of no known kind.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use xtask::ir::{BodyEncoding, Operation};

use crate::common::captured::{Body, Captured};

/// A kind of difference, named as in the table of `spec/quirks.md`.
pub type Kind = &'static str;

pub const GENERATED_COMMAND_ID: Kind = "generated command_id";
pub const SDK_LACKS_INPUT: Kind = "input the SDK does not take";
pub const SDK_REQUIRES_INPUT: Kind = "input the SDK requires";
pub const FORM_AS_JSON: Kind = "form body sent as JSON";
pub const EMPTY_BODY: Kind = "empty JSON body";
pub const NEWER_QUERY_NAMES: Kind = "query names of the newer SDK";
pub const NEWER_PATH: Kind = "path of the newer SDK";

/// The query names `telnyx` 4.189.0 sends where the pinned spec names the
/// parameter otherwise (its spec is later), as (SDK, pinned spec).
const RENAMED_QUERY: [(&str, &str); 5] = [
    ("page[cursor]", "page_cursor"),
    ("StartTime>", "StartTime_gt"),
    ("StartTime<", "StartTime_lt"),
    ("EndTime>", "EndTime_gt"),
    ("EndTime<", "EndTime_lt"),
];

/// One SDK call and the suite's request for the same case.
pub struct Pair<'a> {
    pub op: &'a Operation,
    pub ours: &'a Captured,
    pub theirs: &'a Captured,
    /// Inputs the SDK method has no parameter for (`query.filter`).
    pub unmapped: &'a [String],
    /// Inputs the SDK requires that the case leaves unset, which the driver
    /// took from the operation's every-input case.
    pub added: &'a [String],
}

/// The kinds that make the SDK's request ours, in the order applied, or
/// what still differs.
pub fn explain(pair: &Pair<'_>) -> Result<Vec<Kind>, String> {
    let mut ours = pair.ours.clone();
    let mut theirs = pair.theirs.clone();
    let mut kinds = Vec::new();
    let mut apply = |kind: Kind, changed: bool| {
        if changed {
            kinds.push(kind);
        }
    };
    let mut required = remove_inputs(&mut theirs, pair.added);
    // What is left of a body the SDK needed only for those inputs.
    if required && pair.ours.body == Body::None && is_empty_object(&theirs.body) {
        theirs.body = Body::None;
    }
    apply(SDK_REQUIRES_INPUT, std::mem::take(&mut required));
    apply(SDK_LACKS_INPUT, remove_inputs(&mut ours, pair.unmapped));
    apply(
        GENERATED_COMMAND_ID,
        drop_generated_command_id(&mut ours, &theirs),
    );
    apply(NEWER_QUERY_NAMES, rename_query(&mut theirs));
    apply(NEWER_PATH, under_base_path(&mut theirs, &ours));
    let form = pair
        .op
        .body
        .as_ref()
        .is_some_and(|b| b.encoding() == BodyEncoding::Form);
    apply(FORM_AS_JSON, form && json_as_fields(&mut theirs));
    apply(EMPTY_BODY, empty_json_as_none(&mut ours, &theirs));
    if ours == theirs {
        return Ok(kinds);
    }
    Err(format!(
        "{}    (after the kinds {kinds:?}; the SDK had no parameter for {:?})",
        theirs.diff(&ours, "python", "rust"),
        pair.unmapped
    ))
}

/// Removes the inputs named `<at>.<name>[.<key>]` from a request: query
/// pairs of that name (or under it, `name[key]`), body properties.
fn remove_inputs(request: &mut Captured, inputs: &[String]) -> bool {
    let before = request.clone();
    for input in inputs {
        let (at, name) = input.split_once('.').unwrap_or((input, ""));
        let under =
            |pair_name: &str| pair_name == name || pair_name.starts_with(&format!("{name}["));
        match at {
            "query" => request.query.retain(|(n, _)| !under(n)),
            "field" => match &mut request.body {
                Body::Json(Value::Object(object)) => {
                    object.remove(name);
                }
                Body::Fields(fields) => fields.retain(|(n, _)| !under(n)),
                _ => {}
            },
            "body" => request.body = Body::None,
            _ => {}
        }
    }
    *request != before
}

/// The crate makes up a `command_id` (a UUID v4) when the caller sets none,
/// so Telnyx runs a retried command once; the SDK sends none.
fn drop_generated_command_id(ours: &mut Captured, theirs: &Captured) -> bool {
    let theirs_has_one =
        matches!(&theirs.body, Body::Json(body) if body.get("command_id").is_some());
    let Body::Json(Value::Object(body)) = &mut ours.body else {
        return false;
    };
    let generated = matches!(body.get("command_id"), Some(Value::String(id)) if id.len() == 36 && &id[14..15] == "4");
    if theirs_has_one || !generated {
        return false;
    }
    body.remove("command_id");
    true
}

fn rename_query(theirs: &mut Captured) -> bool {
    let mut changed = false;
    for (name, _) in &mut theirs.query {
        if let Some((_, pinned)) = RENAMED_QUERY.iter().find(|(sdk, _)| sdk == name) {
            *name = (*pinned).to_owned();
            changed = true;
        }
    }
    theirs.query.sort();
    changed
}

/// The pinned spec writes a few paths under the base URL's own `/v2`
/// again (`/v2/x402/credit_account`); the SDK, made from a later spec,
/// calls some of them without it.
fn under_base_path(theirs: &mut Captured, ours: &Captured) -> bool {
    if ours.path == format!("/v2{}", theirs.path) {
        theirs.path = ours.path.clone();
        return true;
    }
    false
}

/// The SDK sends a JSON object where the spec says form: its fields as a
/// form carries them (nested values under `qs` bracket names).
fn json_as_fields(theirs: &mut Captured) -> bool {
    let Body::Json(Value::Object(object)) = &theirs.body else {
        return false;
    };
    let mut fields = Vec::new();
    for (name, value) in object {
        bracketed(name.clone(), value, &mut fields);
    }
    fields.sort();
    theirs.body = if fields.is_empty() {
        Body::None
    } else {
        Body::Fields(fields)
    };
    true
}

fn bracketed(name: String, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Object(object) => {
            for (key, inner) in object {
                bracketed(format!("{name}[{key}]"), inner, out);
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                bracketed(format!("{name}[{index}]"), inner, out);
            }
        }
        Value::String(text) => out.push((name, text.clone())),
        other => out.push((name, other.to_string())),
    }
}

fn is_empty_object(body: &Body) -> bool {
    matches!(body, Body::Json(Value::Object(o)) if o.is_empty())
}

/// The crate sends `{}` for a body with nothing set where the SDK sends
/// no body; both mean no properties.
fn empty_json_as_none(ours: &mut Captured, theirs: &Captured) -> bool {
    if is_empty_object(&ours.body) && theirs.body == Body::None {
        ours.body = Body::None;
        return true;
    }
    false
}

/// The counts the table under `## SDK equivalence: differences` in
/// `spec/quirks.md` lists, by kind, and each kind's example call.
pub fn documented(quirks: &Path) -> BTreeMap<String, (usize, String)> {
    let text = std::fs::read_to_string(quirks).expect("spec/quirks.md");
    let section = text
        .split("\n## SDK equivalence: differences\n")
        .nth(1)
        .expect("a `## SDK equivalence: differences` section in spec/quirks.md");
    let section = section.split("\n## ").next().unwrap_or_default();
    section
        .lines()
        .filter(|line| {
            line.starts_with("| ") && !line.starts_with("| kind") && !line.starts_with("| ---")
        })
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            let kind = cells[0].trim_matches('`').to_owned();
            let count = cells[1]
                .parse()
                .unwrap_or_else(|_| panic!("a count in `{line}`"));
            let example = cells[2].trim_matches('`').to_owned();
            (kind, (count, example))
        })
        .collect()
}
