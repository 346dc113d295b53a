//! Parses a large YAML document on every core. The document is cut into
//! pieces at mapping keys, each piece a run of sibling entries that is a
//! YAML document of its own (a mapping may sit at any indentation), and the
//! pieces are parsed in parallel and put back together in document order.
//!
//! Only block mappings with plain keys are cut, never inside a scalar or a
//! flow collection: a cut there would leave a piece unterminated, and any
//! piece that fails to parse, or a key that two pieces share, makes the
//! caller parse the whole document instead (which reports the error with
//! the document's own line numbers). Aliases to anchors in another piece
//! fail the same way.

use super::unique::UniqueKeys;
use crate::parallel;
use serde_json::{Map, Value};

/// Documents smaller than this parse faster than threads start.
const MIN_PARALLEL_BYTES: usize = 256 * 1024;
/// How deep a mapping is cut (`components` → `schemas` → each schema).
const MAX_DEPTH: usize = 3;

/// The document parsed piecewise on every core, or `None` when it cannot
/// be cut or a piece does not parse on its own.
pub fn parse(text: &str) -> Option<Value> {
    let cores = parallel::cores();
    if cores < 2 || text.len() < MIN_PARALLEL_BYTES {
        return None;
    }
    parse_in_pieces(text, text.len() / (cores * parallel::PIECES_PER_CORE))
}

/// `text` cut into pieces of about `target` bytes, parsed on every core.
fn parse_in_pieces(text: &str, target: usize) -> Option<Value> {
    let lines = content_lines(text)?;
    let cutter = Cutter {
        text,
        lines: &lines,
        target,
    };
    let mut pieces = Vec::new();
    let parts = cutter.block(0..lines.len(), 0, text.len(), 0, 0, &mut pieces)?;
    if pieces.len() < 2 {
        return None;
    }
    let mut parsed = parse_pieces(&pieces)?;
    assemble(&parts, &mut parsed).map(Value::Object)
}

/// One part of a mapping, in document order.
enum Part<'t> {
    /// Sibling entries parsed together: an index into the pieces.
    Run(usize),
    /// One entry whose mapping value was cut further.
    Nested { key: &'t str, parts: Vec<Part<'t>> },
}

/// A line with content (not blank, not only a comment).
struct Line {
    start: usize,
    /// Without the line break.
    end: usize,
    column: usize,
}

/// Every line with content, or `None` when the text has document markers
/// (`---`, `...`) or directives, which change how the lines around them read.
fn content_lines(text: &str) -> Option<Vec<Line>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if body.starts_with("---") || body.starts_with("...") || body.starts_with('%') {
            return None;
        }
        let column = body.len() - body.trim_start_matches(' ').len();
        if !matches!(body.as_bytes().get(column), None | Some(b'#')) && !body.trim_end().is_empty()
        {
            lines.push(Line {
                start,
                end: start + body.len(),
                column,
            });
        }
        start += line.len();
    }
    Some(lines)
}

struct Cutter<'t> {
    text: &'t str,
    lines: &'t [Line],
    /// Bytes a piece should have.
    target: usize,
}

impl<'t> Cutter<'t> {
    fn line(&self, i: usize) -> &'t str {
        let line = &self.lines[i];
        &self.text[line.start..line.end]
    }

    /// Cuts the block mapping whose entries start at column `indent`: its
    /// content lines are `lines`, its text `start..end`.
    fn block(
        &self,
        lines: std::ops::Range<usize>,
        start: usize,
        end: usize,
        indent: usize,
        depth: usize,
        pieces: &mut Vec<&'t str>,
    ) -> Option<Vec<Part<'t>>> {
        let entries = self.entries(lines, indent)?;
        let mut parts = Vec::new();
        let mut run: Option<(usize, usize)> = None;
        for (n, entry) in entries.iter().enumerate() {
            let entry_start = if n == 0 {
                start
            } else {
                self.lines[entry.start].start
            };
            let entry_end = entries
                .get(n + 1)
                .map_or(end, |next| self.lines[next.start].start);
            let nested = if entry_end - entry_start > self.target && depth < MAX_DEPTH {
                self.nested(entry.clone(), entry_end, indent, depth)
            } else {
                None
            };
            if let Some((key, mut child_parts, inner)) = nested {
                flush(&mut run, self.text, &mut parts, pieces);
                renumber(&mut child_parts, pieces.len());
                pieces.extend(inner);
                parts.push(Part::Nested {
                    key,
                    parts: child_parts,
                });
                continue;
            }
            let (run_start, _) = *run.get_or_insert((entry_start, entry_start));
            run = Some((run_start, entry_end));
            if entry_end - run_start >= self.target {
                flush(&mut run, self.text, &mut parts, pieces);
            }
        }
        flush(&mut run, self.text, &mut parts, pieces);
        Some(parts)
    }

    /// The entries of a block mapping at column `indent`, as ranges of its
    /// content lines. Continuation lines and sequences written at the key's
    /// own column belong to the entry before them.
    fn entries(
        &self,
        lines: std::ops::Range<usize>,
        indent: usize,
    ) -> Option<Vec<std::ops::Range<usize>>> {
        let mut starts = Vec::new();
        for i in lines.clone() {
            let column = self.lines[i].column;
            if column < indent {
                return None;
            }
            if column == indent && is_plain_key_line(&self.line(i)[column..]) {
                starts.push(i);
            } else if starts.is_empty() {
                return None;
            }
        }
        let ends = starts.iter().skip(1).copied().chain([lines.end]);
        Some(
            starts
                .iter()
                .copied()
                .zip(ends)
                .map(|(a, b)| a..b)
                .collect(),
        )
    }

    /// For an entry `key:` whose value is a block mapping on the lines
    /// below, that mapping cut apart: the key, its parts and their pieces.
    #[allow(clippy::type_complexity)]
    fn nested(
        &self,
        entry: std::ops::Range<usize>,
        end: usize,
        indent: usize,
        depth: usize,
    ) -> Option<(&'t str, Vec<Part<'t>>, Vec<&'t str>)> {
        let key = self.line(entry.start)[indent..]
            .trim_end()
            .strip_suffix(':')
            .filter(|k| is_identifier_key(k))?;
        let children = entry.start + 1..entry.end;
        let child_indent = self.lines.get(children.start)?.column;
        if children.is_empty() || child_indent <= indent {
            return None;
        }
        let start = self.lines[entry.start].end + 1;
        let mut inner = Vec::new();
        let parts = self.block(children, start, end, child_indent, depth + 1, &mut inner)?;
        Some((key, parts, inner))
    }
}

fn flush<'t>(
    run: &mut Option<(usize, usize)>,
    text: &'t str,
    parts: &mut Vec<Part<'t>>,
    pieces: &mut Vec<&'t str>,
) {
    if let Some((start, end)) = run.take() {
        parts.push(Part::Run(pieces.len()));
        pieces.push(&text[start..end]);
    }
}

/// Shifts the piece indices of a nested split made with its own list.
fn renumber(parts: &mut [Part<'_>], offset: usize) {
    for part in parts {
        match part {
            Part::Run(i) => *i += offset,
            Part::Nested { parts, .. } => renumber(parts, offset),
        }
    }
}

/// `name: ...` with a plain key: quoted, complex (`?`), anchored, tagged
/// and flow keys, sequence entries and tabs never start a cut.
fn is_plain_key_line(content: &str) -> bool {
    let Some(first) = content.chars().next() else {
        return false;
    };
    (first.is_ascii_alphanumeric() || matches!(first, '_' | '/' | '$' | '.'))
        && content
            .find(':')
            .is_some_and(|i| content[i + 1..].starts_with([' ', '\r']) || i + 1 == content.len())
        && !content.contains('\t')
}

/// A key YAML reads as this very string, so it can be put back by name.
fn is_identifier_key(key: &str) -> bool {
    const SPECIAL: [&str; 12] = [
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "nan", "inf", "_",
    ];
    key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !SPECIAL.contains(&key.to_ascii_lowercase().as_str())
}

/// Parses the pieces on every core; `None` when one does not parse alone.
fn parse_pieces(pieces: &[&str]) -> Option<Vec<Option<Map<String, Value>>>> {
    let parsed = parallel::map(
        pieces.to_vec(),
        |piece| piece.len(),
        |piece| match yaml_serde::from_str::<UniqueKeys>(piece) {
            Ok(UniqueKeys(Value::Object(map))) => Some(Some(map)),
            _ => None,
        },
    );
    parsed.into_iter().collect()
}

/// Puts the parsed pieces back into one mapping; `None` when two pieces
/// hold the same key (the whole parse then reports the duplicate).
fn assemble(
    parts: &[Part<'_>],
    parsed: &mut [Option<Map<String, Value>>],
) -> Option<Map<String, Value>> {
    let mut map = Map::new();
    for part in parts {
        match part {
            Part::Run(i) => {
                for (key, value) in parsed[*i].take()? {
                    if map.insert(key, value).is_some() {
                        return None;
                    }
                }
            }
            Part::Nested { key, parts } => {
                let child = assemble(parts, parsed)?;
                if map
                    .insert((*key).to_string(), Value::Object(child))
                    .is_some()
                {
                    return None;
                }
            }
        }
    }
    Some(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(text: &str) -> Value {
        yaml_serde::from_str::<UniqueKeys>(text)
            .expect("the test document parses whole")
            .0
    }

    /// Cut as finely as the text allows, and as the real size would.
    fn assert_same_as_whole(text: &str) -> bool {
        let mut was_cut = false;
        for target in [1, 16, 64, 256, text.len() / 3] {
            if let Some(value) = parse_in_pieces(text, target) {
                was_cut = true;
                // Key order matters: `preserve_order` keeps document order.
                assert_eq!(
                    serde_json::to_string(&value).unwrap(),
                    serde_json::to_string(&whole(text)).unwrap(),
                    "cut at {target} bytes"
                );
            }
        }
        was_cut
    }

    const NESTED: &str = "\
# leading comment
components:
  parameters:
    Limit: {in: query, name: limit}
  schemas:
    # a comment between entries
    A:
      type: object
      properties:
        x: {type: string}
    B:
      description: |
        B: a block scalar whose lines
        look: like keys
      type: string
    C:
      enum:
      - a
      - b
info: {title: t, version: '1'}
openapi: 3.1.0
paths:
  /calls:
    get:
      parameters:
      - name: q
        in: query
  /calls/{id}:
    post: {}
tags:
- name: calls
";

    #[test]
    fn nested_mappings_cut_and_put_back_in_document_order() {
        assert!(assert_same_as_whole(NESTED));
        assert!(assert_same_as_whole(&NESTED.replace('\n', "\r\n")));
    }

    #[test]
    fn every_yaml_fixture_parses_the_same_cut_or_whole() {
        let mut cut = 0;
        for path in crate::fixture_specs::paths() {
            if path.extension().is_some_and(|e| e == "yaml") {
                let text = std::fs::read_to_string(&path).expect("fixtures are text");
                cut += usize::from(assert_same_as_whole(&text));
            }
        }
        assert!(cut >= 10, "only {cut} fixtures were cut at all");
    }

    #[test]
    fn a_cut_through_a_quoted_scalar_or_flow_mapping_falls_back() {
        // libyaml lets both continue at the key's column; a piece would end
        // inside them and fail to parse on its own.
        for text in ["a: \"one\nb: two\"\nc: 1\n", "a: {x: 1,\nb: 2}\nc: 1\n"] {
            assert_eq!(parse_in_pieces(text, 1), None, "{text:?}");
            whole(text);
        }
    }

    #[test]
    fn aliases_across_pieces_and_keys_twice_fall_back() {
        assert_eq!(parse_in_pieces("a: &x {k: 1}\nb: *x\n", 1), None);
        assert_eq!(parse_in_pieces("a:\n  k: 1\nb: 2\na: 3\n", 1), None);
        assert!(yaml_serde::from_str::<UniqueKeys>("a:\n  k: 1\nb: 2\na: 3\n").is_err());
    }

    #[test]
    fn document_markers_and_directives_are_never_cut() {
        for text in [
            "a: 1\n---\nb: 2\n",
            "%YAML 1.2\n---\na: 1\nb: 2\n",
            "a: 1\nb: 2\n...\n",
        ] {
            assert_eq!(parse_in_pieces(text, 1), None, "{text:?}");
        }
    }

    #[test]
    fn keys_yaml_reads_otherwise_are_not_cut_into() {
        let text = "true:\n  a: 1\n  b: 2\nnull:\n  c: 3\n  d: 4\n";
        if let Some(value) = parse_in_pieces(text, 1) {
            assert_eq!(value, whole(text));
        }
        assert!(!is_identifier_key("true") && !is_identifier_key("No") && !is_identifier_key("1a"));
        assert!(is_identifier_key("components") && is_identifier_key("schemas"));
    }
}
