//! The document rewritten and typed in pieces on every core: component
//! schemas, path items and webhooks in runs of entries, and the rest of the
//! document on its own. Typing each entry alone also spares `openapiv3`'s
//! flattened `OpenAPI` and `Components` from buffering the whole document.
//!
//! The pieces are typed entry by entry, exactly as the whole document would
//! type them, and put back in document order. When any piece does not type,
//! the caller gets the rewritten document back whole and types it as one,
//! so errors read the same whichever way the document went.

use super::pass::{At, Pass};
use super::quirks::BodySchemas;
use crate::diag::Warnings;
use crate::parallel;
use indexmap::IndexMap;
use openapiv3::{OpenAPI, PathItem, ReferenceOr, Schema};
use serde::Deserialize;
use serde_json::{Map, Value};

/// The document cut apart; [`Pieces::join`] puts it back.
pub(super) struct Pieces {
    /// The document without the entries moved into the runs.
    rest: Value,
    schemas: Vec<Vec<(String, Value)>>,
    paths: Vec<Vec<(String, Value)>>,
    /// For each key of `paths` in document order: whether it is a path
    /// (moved into the runs) or stayed in `rest` (extensions).
    path_keys: Vec<bool>,
    webhooks: Vec<(String, Value)>,
}

/// What the typed pieces make.
pub(super) struct Typed {
    pub document: OpenAPI,
    pub webhooks: IndexMap<String, PathItem>,
}

enum Piece {
    Rest(Value),
    Schemas(Vec<(String, Value)>),
    Paths(Vec<(String, Value)>),
    Webhooks(Vec<(String, Value)>),
}

enum TypedPiece {
    Rest(Box<OpenAPI>),
    Schemas(Vec<ReferenceOr<Schema>>),
    Paths(Vec<ReferenceOr<PathItem>>),
    Webhooks(Vec<PathItem>),
}

impl Pieces {
    /// Cuts `doc` (with `webhooks` already taken out, and a mapping).
    pub fn cut(mut doc: Value, webhooks: Map<String, Value>) -> Pieces {
        let root = doc.as_object_mut().expect("load guarantees a mapping");
        let schemas = match root.get_mut("components") {
            Some(Value::Object(components)) => match components.get_mut("schemas") {
                Some(Value::Object(schemas)) => std::mem::take(schemas).into_iter().collect(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        let mut paths = Vec::new();
        let mut path_keys = Vec::new();
        if let Some(Value::Object(items)) = root.get_mut("paths") {
            let mut kept = Map::new();
            for (key, item) in std::mem::take(items) {
                let is_path = key.starts_with('/');
                path_keys.push(is_path);
                if is_path {
                    paths.push((key, item));
                } else {
                    kept.insert(key, item);
                }
            }
            *items = kept;
        }
        let runs = parallel::cores() * parallel::PIECES_PER_CORE;
        Pieces {
            rest: doc,
            schemas: parallel::runs_of(schemas, runs).collect(),
            paths: parallel::runs_of(paths, runs).collect(),
            path_keys,
            webhooks: webhooks.into_iter().collect(),
        }
    }

    /// Rewrites every piece to 3.0 and types it, on every core. `Err` hands
    /// the rewritten pieces back when one does not type.
    pub fn rewrite_and_type(
        self,
        is_31: bool,
        bodies: &BodySchemas,
        warnings: &mut Warnings,
    ) -> Result<Typed, Box<Pieces>> {
        let Pieces {
            rest,
            schemas,
            paths,
            path_keys,
            webhooks,
        } = self;
        let mut pieces = vec![Piece::Rest(rest), Piece::Webhooks(webhooks)];
        pieces.extend(schemas.into_iter().map(Piece::Schemas));
        pieces.extend(paths.into_iter().map(Piece::Paths));
        let done = parallel::map(pieces, Piece::weight, |mut piece| {
            let mut found = Warnings::default();
            piece.rewrite(is_31, bodies, &mut found);
            let typed = piece.typed();
            (piece, typed, found.into_sorted())
        });
        let mut rewritten = Vec::with_capacity(done.len());
        let mut typed = Vec::with_capacity(done.len());
        for (piece, piece_typed, found) in done {
            warnings.extend(found);
            rewritten.push(piece);
            typed.push(piece_typed);
        }
        match typed.into_iter().collect::<Option<Vec<_>>>() {
            Some(typed) => {
                let result = assemble(&rewritten, typed);
                // The generic document is no longer needed; freeing its
                // millions of nodes is worth a core of its own.
                parallel::map(rewritten, Piece::weight, drop);
                Ok(result)
            }
            None => Err(Box::new(Pieces::from_rewritten(rewritten, path_keys))),
        }
    }

    fn from_rewritten(rewritten: Vec<Piece>, path_keys: Vec<bool>) -> Pieces {
        let mut pieces = Pieces {
            rest: Value::Null,
            schemas: Vec::new(),
            paths: Vec::new(),
            path_keys,
            webhooks: Vec::new(),
        };
        for piece in rewritten {
            match piece {
                Piece::Rest(rest) => pieces.rest = rest,
                Piece::Schemas(run) => pieces.schemas.push(run),
                Piece::Paths(run) => pieces.paths.push(run),
                Piece::Webhooks(webhooks) => pieces.webhooks = webhooks,
            }
        }
        pieces
    }

    /// The document and its webhooks whole again, entries in document order.
    pub fn join(self) -> (Value, Map<String, Value>) {
        let mut doc = self.rest;
        let root = doc.as_object_mut().expect("load guarantees a mapping");
        if let Some(Value::Object(components)) = root.get_mut("components") {
            if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
                schemas.extend(self.schemas.into_iter().flatten());
            }
        }
        if let Some(Value::Object(items)) = root.get_mut("paths") {
            let mut paths = self.paths.into_iter().flatten();
            let mut kept = std::mem::take(items).into_iter();
            for is_path in self.path_keys {
                let entry = if is_path { paths.next() } else { kept.next() };
                if let Some((key, item)) = entry {
                    items.insert(key, item);
                }
            }
        }
        (doc, self.webhooks.into_iter().collect())
    }
}

impl Piece {
    /// Entries it holds: runs are cut to about the same number of entries.
    /// The rest goes first: its size is unknown, and it may be the largest.
    fn weight(&self) -> usize {
        match self {
            Piece::Rest(_) => usize::MAX,
            Piece::Schemas(run) | Piece::Paths(run) | Piece::Webhooks(run) => run.len(),
        }
    }

    fn rewrite(&mut self, is_31: bool, bodies: &BodySchemas, warnings: &mut Warnings) {
        let mut pass = Pass {
            is_31,
            warnings,
            bodies,
            expanding: Vec::new(),
        };
        let is_schema = matches!(self, Piece::Schemas(_));
        let components = At::ROOT.key("components");
        let (run, parent) = match self {
            Piece::Rest(rest) => {
                pass.document(rest.as_object_mut().expect("load guarantees a mapping"));
                return;
            }
            Piece::Schemas(run) => (run, components.key("schemas")),
            Piece::Paths(run) => (run, At::ROOT.key("paths")),
            Piece::Webhooks(run) => (run, At::ROOT.key("webhooks")),
        };
        for (key, value) in run.iter_mut() {
            let at = parent.key(key);
            if is_schema {
                pass.schema(value, &at);
            } else {
                pass.path_item(value, &at);
            }
        }
    }

    /// The piece in the typed model, or `None` when an entry does not type.
    fn typed(&self) -> Option<TypedPiece> {
        Some(match self {
            Piece::Rest(rest) => TypedPiece::Rest(Box::new(OpenAPI::deserialize(rest).ok()?)),
            Piece::Schemas(run) => TypedPiece::Schemas(each(run)?),
            Piece::Paths(run) => TypedPiece::Paths(each(run)?),
            Piece::Webhooks(run) => TypedPiece::Webhooks(each(run)?),
        })
    }
}

fn each<'v, T: Deserialize<'v>>(run: &'v [(String, Value)]) -> Option<Vec<T>> {
    run.iter()
        .map(|(_, value)| T::deserialize(value).ok())
        .collect()
}

/// The typed pieces in document order; `rewritten` gives the keys.
fn assemble(rewritten: &[Piece], typed: Vec<TypedPiece>) -> Typed {
    let mut document = None;
    let mut schemas = IndexMap::new();
    let mut paths = IndexMap::new();
    let mut webhooks = IndexMap::new();
    for (piece, typed) in rewritten.iter().zip(typed) {
        let keys = match piece {
            Piece::Rest(_) => &[][..],
            Piece::Schemas(run) | Piece::Paths(run) | Piece::Webhooks(run) => &run[..],
        };
        let keys = keys.iter().map(|(key, _)| key.clone());
        match typed {
            TypedPiece::Rest(rest) => document = Some(*rest),
            TypedPiece::Schemas(items) => schemas.extend(keys.zip(items)),
            TypedPiece::Paths(items) => paths.extend(keys.zip(items)),
            TypedPiece::Webhooks(items) => webhooks.extend(keys.zip(items)),
        }
    }
    let mut document = document.expect("the rest of the document is one piece");
    if let Some(components) = &mut document.components {
        components.schemas = schemas;
    }
    document.paths.paths = paths;
    Typed { document, webhooks }
}

#[cfg(test)]
mod tests {
    use super::super::{check_version, normalize, typed_whole, Normalized};
    use super::*;
    use crate::diag::{Result, Warning};

    /// The document rewritten and typed whole, the way regen did before it
    /// cut the document into pieces.
    fn normalize_whole(mut doc: Value) -> (Result<Normalized>, Vec<Warning>) {
        let mut warnings = Warnings::default();
        let version = match check_version(&doc) {
            Ok(version) => version,
            Err(e) => return (Err(e), Vec::new()),
        };
        let root = doc.as_object_mut().expect("a mapping");
        let mut webhooks = root.remove("webhooks").unwrap_or(Value::Object(Map::new()));
        root.insert("openapi".into(), Value::String("3.0.3".into()));
        if !root.contains_key("paths") {
            root.insert("paths".into(), Value::Object(Map::new()));
        }
        let bodies = BodySchemas::collect(&doc);
        let root = doc.as_object_mut().expect("a mapping");
        let mut pass = Pass {
            is_31: version.starts_with("3.1"),
            warnings: &mut warnings,
            bodies: &bodies,
            expanding: Vec::new(),
        };
        pass.document(root);
        pass.path_items(&mut webhooks, &At::ROOT.key("webhooks"));
        (typed_whole(doc, webhooks, version), warnings.into_sorted())
    }

    fn assert_same_as_whole(doc: &Value, label: &str) {
        let mut warnings = Warnings::default();
        let pieces = normalize(doc.clone(), &mut warnings);
        let (whole, whole_warnings) = normalize_whole(doc.clone());
        assert_eq!(warnings.into_sorted(), whole_warnings, "{label}: warnings");
        match (pieces, whole) {
            (Ok(pieces), Ok(whole)) => {
                assert!(pieces.document == whole.document, "{label}: document");
                assert_eq!(pieces.webhooks, whole.webhooks, "{label}: webhooks");
                assert_eq!(pieces.declared_version, whole.declared_version);
            }
            (Err(pieces), Err(whole)) => {
                assert_eq!(pieces.to_string(), whole.to_string(), "{label}: error");
            }
            (pieces, whole) => panic!(
                "{label}: pieces {:?} but whole {:?}",
                pieces.err().map(|e| e.to_string()),
                whole.err().map(|e| e.to_string())
            ),
        }
    }

    #[test]
    fn every_fixture_types_the_same_in_pieces_as_whole() {
        let mut checked = 0;
        for path in crate::fixture_specs::paths() {
            let text = std::fs::read(&path).expect("readable");
            let label = path.display().to_string();
            let doc = crate::load::parse_document(&text, &label).expect("fixtures parse");
            assert_same_as_whole(&doc, &label);
            checked += 1;
        }
        assert!(checked >= 15, "only {checked} fixtures");
    }

    #[test]
    fn documents_that_do_not_type_fail_the_same_in_pieces() {
        let broken = [
            // A schema, a path item, a webhook and the rest, each in its piece.
            r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
                "components": {"schemas": {"A": {"type": "object"}, "B": {"type": 5}}}}"#,
            r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                "paths": {"/a": {"get": {"responses": {}}}, "/b": {"parameters": {}}}}"#,
            r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
                "webhooks": {"w": {"post": {"requestBody": 7}}}}"#,
            r#"{"openapi": "3.1.0", "info": {"title": "t"},
                "components": {"schemas": {"A": {"type": "string"}}}}"#,
            r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "webhooks": []}"#,
            r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
                "paths": {"x-note": {"a": 1}, "/a": {"get": {"responses": {}}}}}"#,
        ];
        for (i, json) in broken.iter().enumerate() {
            let doc: Value = serde_json::from_str(json).expect("test JSON");
            assert_same_as_whole(&doc, &format!("document {i}"));
        }
    }
}
