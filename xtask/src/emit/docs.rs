//! Spec prose → rustdoc that renders well and builds without warnings.
//!
//! The spec's descriptions mix Markdown with HTML, bare URLs and bracketed
//! text. Rustdoc would read fences as doctests, brackets as intra-doc links
//! and stray tags as broken HTML; each is rewritten to its safe spelling.

use crate::ir::{Api, Docs, Origin, TypeDef, TypeId, TypeRef};
use crate::naming::Names;
use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes, one per line, for the given paragraphs.
pub fn doc_attrs(paragraphs: &[String]) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in paragraphs.iter().filter(|p| !p.trim().is_empty()) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(
            paragraph
                .lines()
                .map(|l| format!(" {l}").trim_end().to_string()),
        );
    }
    quote! { #( #[doc = #lines] )* }
}

/// The summary and description of a spec object, sanitized.
pub fn paragraphs(docs: &Docs) -> Vec<String> {
    let mut out = Vec::new();
    for text in [&docs.summary, &docs.description].into_iter().flatten() {
        let clean = sanitize(text);
        if !clean.is_empty() && !out.contains(&clean) {
            out.push(clean);
        }
    }
    out
}

/// Docs of a field, or of the type it refers to, or a line naming it:
/// every public item gets documentation even where the spec is silent.
pub fn field_paragraphs(
    api: &Api,
    names: &Names,
    json_name: &str,
    docs: &Docs,
    ty: &TypeRef,
) -> Vec<String> {
    let own = paragraphs(docs);
    if !own.is_empty() {
        return own;
    }
    if let TypeRef::Named(id) = ty {
        let target = paragraphs(&api.type_def(names.canonical(id)).docs);
        if !target.is_empty() {
            return target;
        }
        return vec![format!(
            "The `{json_name}` property; see {}.",
            type_link(names, id)
        )];
    }
    vec![format!("The `{json_name}` property.")]
}

/// Docs of a type, or a line saying where in the API it comes from.
/// `linkable` says which types a doc link may point to from `def`.
pub fn type_paragraphs(
    api: &Api,
    names: &Names,
    def: &TypeDef,
    linkable: &dyn Fn(&TypeId) -> bool,
) -> Vec<String> {
    let own = paragraphs(&def.docs);
    if !own.is_empty() {
        return own;
    }
    let mut line = origin_phrase(api, names, &def.origin, linkable);
    if let Some(first) = line.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    vec![format!("{line}.")]
}

/// "the `to` property of [`CallRequest`]": where a schema sits, linking
/// the nearest ancestor that has a Rust name.
fn origin_phrase(
    api: &Api,
    names: &Names,
    origin: &Origin,
    linkable: &dyn Fn(&TypeId) -> bool,
) -> String {
    let parent = |id: &TypeId| match names.types.get(names.canonical(id)) {
        Some(_) if linkable(id) => type_link(names, id),
        Some(_) => format!("`{}`", names.type_name(names.canonical(id))),
        None => api.origin(id).map_or_else(
            || "an inline schema".to_string(),
            |o| origin_phrase(api, names, o, linkable),
        ),
    };
    match origin {
        Origin::Component(name) => format!("the `{name}` schema"),
        Origin::Property {
            parent: p,
            property,
        } => format!("the `{property}` property of {}", parent(p)),
        Origin::Items { parent: p } => format!("an element of {}", parent(p)),
        Origin::MapValues { parent: p } => format!("a value of {}", parent(p)),
        Origin::Variant { parent: p, .. } => format!("one shape of {}", parent(p)),
        Origin::Parameter { owner, parameter } => {
            format!("the `{parameter}` parameter of `{owner}`")
        }
        Origin::RequestBody { operation } => format!("the request body of `{operation}`"),
        Origin::Response { operation, status } => {
            format!("the `{status}` response of `{operation}`")
        }
        Origin::ComponentBody { name } => format!("the `{name}` body"),
        Origin::Webhook { name } => format!("the payload of the `{name}` webhook"),
    }
}

/// An intra-doc link that resolves from any module of the crate.
fn type_link(names: &Names, id: &TypeId) -> String {
    let name = names.type_name(names.canonical(id));
    format!("[`{name}`](crate::types::{name})")
}

/// What an untagged-union variant matches.
pub fn variant_doc(names: &Names, ty: &TypeRef) -> String {
    use crate::ir::PrimitiveKind as Kind;
    let shape = match ty {
        TypeRef::Named(id) => return format!(" When the value matches {}.", type_link(names, id)),
        TypeRef::Primitive(p) => match p.kind() {
            Kind::Bool => "a boolean",
            Kind::Integer => "an integer",
            Kind::Number => "a number",
            Kind::DateTime => "a timestamp",
            Kind::Date => "a date",
            Kind::Text => "a string",
        },
        TypeRef::Array(_) => "an array",
        TypeRef::Map(_) => "an object",
        TypeRef::Any => "any other JSON value",
    };
    format!(" When the value is {shape}.")
}

pub fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    // Width of the open list item's marker: its wrapped lines are indented
    // under it, as rustdoc (and clippy's `doc_lazy_continuation`) expect.
    let mut item_indent = 0;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            if in_fence {
                out.push("```".to_string());
            } else {
                let lang = trimmed.trim_start_matches('`').trim();
                let lang = if lang.is_empty() || lang == "rust" {
                    "text"
                } else {
                    lang
                };
                out.push(format!("```{lang}"));
            }
            in_fence = !in_fence;
            item_indent = 0;
            continue;
        }
        if in_fence {
            out.push(line.to_string());
            continue;
        }
        let text = inline(&html(trimmed));
        if let Some(width) = list_marker_width(&text) {
            item_indent = width;
            out.push(text);
        } else if text.is_empty() || text.starts_with('#') {
            item_indent = 0;
            out.push(text);
        } else {
            out.push(format!("{:item_indent$}{text}", ""));
        }
    }
    if in_fence {
        out.push("```".to_string());
    }
    let joined = out.join("\n");
    collapse_blank_lines(joined.trim())
}

/// `- `, `* `, `+ ` or `12. ` at the start of a line: the marker's width.
fn list_marker_width(line: &str) -> Option<usize> {
    if ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m)) {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let ordered = (1..=9).contains(&digits) && line[digits..].starts_with(". ");
    ordered.then_some(digits + 2)
}

fn collapse_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// Common HTML to Markdown; any other `<`/`>` is escaped.
fn html(line: &str) -> String {
    if !line.contains('<') {
        // Every tag below starts with `<`; the one line is only trimmed.
        return line.trim().to_string();
    }
    let replacements = [
        ("<code>", "`"),
        ("</code>", "`"),
        ("<br/>", "\n"),
        ("<br />", "\n"),
        ("<br>", "\n"),
        ("<b>", "**"),
        ("</b>", "**"),
        ("<strong>", "**"),
        ("</strong>", "**"),
        ("<i>", "*"),
        ("</i>", "*"),
        ("<em>", "*"),
        ("</em>", "*"),
        ("<p>", "\n"),
        ("</p>", "\n"),
        ("<ul>", "\n"),
        ("</ul>", "\n"),
        ("<ol>", "\n"),
        ("</ol>", "\n"),
        ("<li>", "\n- "),
        ("</li>", ""),
    ];
    let mut s = line.to_string();
    for (from, to) in replacements {
        s = s.replace(from, to);
    }
    s.lines().map(str::trim).collect::<Vec<_>>().join("\n")
}

/// Escapes what rustdoc would misread outside code spans: brackets that are
/// not links, bare URLs, and angle brackets.
fn inline(line: &str) -> String {
    if line.matches('`').count() % 2 == 1 {
        // An unbalanced backtick would swallow the rest of the paragraph.
        return prose(&line.replace('`', "'"));
    }
    let mut out = String::with_capacity(line.len() + 8);
    for (i, part) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
        } else {
            out.push_str(&prose(part));
        }
    }
    out
}

fn prose(text: &str) -> String {
    let escaped = text.replace('<', "&lt;").replace('>', "&gt;");
    let mut out = String::with_capacity(escaped.len());
    let chars: Vec<char> = escaped.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if starts_with(&chars[i..], "http://") || starts_with(&chars[i..], "https://") {
            let end = (i..chars.len())
                .find(|&j| chars[j].is_whitespace() || matches!(chars[j], ')' | '"' | '\''))
                .unwrap_or(chars.len());
            let mut url: String = chars[i..end].iter().collect();
            let trailing: String = url
                .chars()
                .rev()
                .take_while(|c| matches!(c, '.' | ',' | ';' | ':'))
                .collect();
            url.truncate(url.len() - trailing.len());
            let inside_link = i >= 1 && chars[i - 1] == '(';
            if inside_link {
                out.push_str(&url);
            } else {
                out.push('<');
                out.push_str(&url);
                out.push('>');
            }
            out.extend(trailing.chars().rev());
            i = end;
            continue;
        }
        match chars[i] {
            '[' if !is_markdown_link(&chars, i) => out.push_str("\\["),
            ']' if !closes_markdown_link(&chars, i) => out.push_str("\\]"),
            c => out.push(c),
        }
        i += 1;
    }
    out
}

fn starts_with(chars: &[char], prefix: &str) -> bool {
    chars.len() >= prefix.len() && prefix.chars().zip(chars).all(|(p, &c)| p == c)
}

fn is_markdown_link(chars: &[char], open: usize) -> bool {
    let Some(close) = chars[open..]
        .iter()
        .position(|&c| c == ']')
        .map(|p| p + open)
    else {
        return false;
    };
    chars.get(close + 1) == Some(&'(') && !chars[open + 1..close].contains(&'[')
}

fn closes_markdown_link(chars: &[char], close: usize) -> bool {
    chars.get(close + 1) == Some(&'(')
        && chars[..close]
            .iter()
            .rposition(|&c| c == '[')
            .is_some_and(|open| is_markdown_link(chars, open))
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn makes_prose_safe_for_rustdoc() {
        assert_eq!(
            sanitize("See https://telnyx.com."),
            "See <https://telnyx.com>."
        );
        assert_eq!(sanitize("[docs](https://x.y/z)"), "[docs](https://x.y/z)");
        assert_eq!(sanitize("filter[status]"), "filter\\[status\\]");
        assert_eq!(sanitize("use `filter[status]`"), "use `filter[status]`");
        assert_eq!(sanitize("a <code>b</code> <E.164>"), "a `b` &lt;E.164&gt;");
        assert_eq!(sanitize("```\n{}\n```"), "```text\n{}\n```");
        assert_eq!(sanitize("para\n\n    indented"), "para\n\nindented");
    }

    #[test]
    fn indents_wrapped_list_items_under_their_marker() {
        assert_eq!(
            sanitize("- one\nwrapped\n10. two\nwrapped\n\nafter"),
            "- one\n  wrapped\n10. two\n    wrapped\n\nafter"
        );
    }
}
