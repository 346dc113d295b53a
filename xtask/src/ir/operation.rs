//! Lowering of paths into operations: parameters, bodies, responses.

use super::query;
use super::resolve::component;
use super::schema::SchemaLowerer;
use super::*;
use crate::diag::{Error, Pointer, Result};
use indexmap::IndexMap;
use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr, StatusCode};

/// Lowers one operation found at `pointer` (`/paths/<path>/<method>`),
/// with `id` from [`super::operation_ids`]. Fails with every problem of
/// its parameters, path, body and responses.
pub(super) fn lower_operation(
    lowerer: &mut SchemaLowerer<'_>,
    path: &str,
    method: Method,
    shared_params: &[ReferenceOr<Parameter>],
    op: &openapiv3::Operation,
    id: String,
    pointer: Pointer,
) -> Result<Operation> {
    let mut problems = Vec::new();
    let params = lower_params(lowerer, &id, shared_params, &op.parameters, &pointer);
    let params = params.unwrap_or_else(|(params, error)| {
        problems.push(error);
        params
    });
    let path_pieces = match template_pieces(path, &pointer) {
        Ok(pieces) => pieces,
        Err(error) => {
            problems.push(error);
            Vec::new()
        }
    };
    // A parameter that did not lower would read as missing from the path.
    if problems.is_empty() {
        problems.extend(check_path_params(path, &path_pieces, &params, &pointer));
    }
    let body = match &op.request_body {
        Some(body) => {
            lower_body(lowerer, &id, body, &pointer.join("requestBody")).unwrap_or_else(|error| {
                problems.push(error);
                None
            })
        }
        None => None,
    };
    let responses_at = pointer.join("responses");
    let (success, errors) = lower_responses(lowerer, &id, &op.responses, &responses_at)
        .unwrap_or_else(|error| {
            problems.push(error);
            (None, Vec::new())
        });
    if let Some(error) = Error::all(problems) {
        return Err(error);
    }
    Ok(Operation {
        id,
        pointer,
        method,
        path: path.to_string(),
        path_pieces,
        docs: Docs {
            title: None,
            summary: op.summary.clone(),
            description: op.description.clone(),
        },
        tags: op.tags.clone(),
        deprecated: op.deprecated,
        params,
        body,
        success,
        errors,
        pagination: Pagination::None,
    })
}

/// The parameters that lowered; `Err` holds them with every problem of
/// the others.
fn lower_params(
    lowerer: &mut SchemaLowerer<'_>,
    op_id: &str,
    shared: &[ReferenceOr<Parameter>],
    own: &[ReferenceOr<Parameter>],
    at: &Pointer,
) -> Result<Vec<Param>, (Vec<Param>, Error)> {
    let mut out: Vec<Param> = Vec::new();
    let mut problems = Vec::new();
    let shared_at = at.parent().join("parameters");
    let own_at = at.join("parameters");
    let all = shared
        .iter()
        .enumerate()
        .map(|(i, p)| (p, shared_at.join(i)))
        .chain(own.iter().enumerate().map(|(i, p)| (p, own_at.join(i))));
    for (param, here) in all {
        let lowered = match lower_param(lowerer, op_id, param, &here) {
            Ok(lowered) => lowered,
            Err(error) => {
                problems.push(error);
                continue;
            }
        };
        match out
            .iter_mut()
            .find(|p| p.name == lowered.name && p.location == lowered.location)
        {
            Some(existing) => *existing = lowered,
            None => out.push(lowered),
        }
    }
    match Error::all(problems) {
        Some(error) => Err((out, error)),
        None => Ok(out),
    }
}

fn lower_param(
    lowerer: &mut SchemaLowerer<'_>,
    op_id: &str,
    param: &ReferenceOr<Parameter>,
    at: &Pointer,
) -> Result<Param> {
    let doc = lowerer.doc;
    let (resolved, home) = component(doc, "parameters", |c| &c.parameters, param, at)?;
    let data = resolved.parameter_data_ref();
    let (owner, base) = match &home {
        Some(home) => (home.last_token(), home.clone()),
        None => (op_id.to_string(), at.clone()),
    };
    let (location, style, explode_default) = match resolved {
        Parameter::Query { style, .. } => {
            let style = match style {
                openapiv3::QueryStyle::Form => Style::Form,
                openapiv3::QueryStyle::SpaceDelimited => Style::SpaceDelimited,
                openapiv3::QueryStyle::PipeDelimited => Style::PipeDelimited,
                openapiv3::QueryStyle::DeepObject => Style::DeepObject,
            };
            (
                Location::Query,
                style,
                matches!(style, Style::Form | Style::DeepObject),
            )
        }
        Parameter::Path { style, .. } => {
            let style = match style {
                openapiv3::PathStyle::Simple => Style::Simple,
                openapiv3::PathStyle::Label => Style::Label,
                openapiv3::PathStyle::Matrix => Style::Matrix,
            };
            (Location::Path, style, false)
        }
        Parameter::Header { .. } => (Location::Header, Style::Simple, false),
        Parameter::Cookie { .. } => (Location::Cookie, Style::Form, true),
    };
    let name = data.name.clone();
    let (constraints, schema_example) = match &data.format {
        ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => (
            super::constraints::of(schema),
            schema.schema_data.example.clone(),
        ),
        _ => (Constraints::default(), None),
    };
    let ty = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => {
            let parameter = name.clone();
            lowerer.lower(schema, &base.join("schema"), || Origin::Parameter {
                owner,
                parameter,
            })?
        }
        ParameterSchemaOrContent::Content(_) => {
            lowerer.warnings.looser(
                &base.join("content"),
                "a parameter described by `content` is passed as raw JSON",
            );
            TypeRef::Any
        }
    };
    Ok(Param {
        name,
        location,
        required: data.required || location == Location::Path,
        style,
        explode: data.explode.unwrap_or(explode_default),
        ty,
        docs: Docs {
            title: None,
            summary: None,
            description: data.description.clone(),
        },
        deprecated: data.deprecated.unwrap_or(false),
        example: data.example.clone().or(schema_example),
        constraints,
    })
}

/// Every `{name}` in the template is declared as a path parameter, and
/// back: one error for each that is not.
fn check_path_params(
    path: &str,
    pieces: &[PathPiece],
    params: &[Param],
    at: &Pointer,
) -> Vec<Error> {
    let mut problems = Vec::new();
    let placeholders: Vec<&str> = placeholder_names(pieces).collect();
    for name in &placeholders {
        if !params
            .iter()
            .any(|p| p.location == Location::Path && p.name == *name)
        {
            problems.push(Error::spec(
                &at.join("parameters"),
                format!(
                    "path `{path}` uses `{{{name}}}` but declares no path parameter `{name}`; \
                     add `{{name: {name}, in: path, required: true, schema: {{type: string}}}}` \
                     to the operation's or the path item's `parameters`, or remove `{{{name}}}` \
                     from the path"
                ),
            ));
        }
    }
    for p in params.iter().filter(|p| p.location == Location::Path) {
        if !placeholders.contains(&p.name.as_str()) {
            problems.push(Error::spec(
                &at.join("parameters"),
                format!(
                    "path parameter `{name}` is declared but `{path}` has no `{{{name}}}`; \
                     add `{{{name}}}` to the path, or remove the parameter (or make it \
                     `in: query`)",
                    name = p.name
                ),
            ));
        }
    }
    problems
}

/// The placeholder names among `pieces`, in order.
pub(super) fn placeholder_names(pieces: &[PathPiece]) -> impl Iterator<Item = &str> {
    pieces.iter().filter_map(|piece| match piece {
        PathPiece::Placeholder(name) => Some(name.as_str()),
        PathPiece::Literal(_) => None,
    })
}

/// The pieces of `path` in order, such as `/calls/`, `call_control_id` and
/// `/actions/answer` for `/calls/{call_control_id}/actions/answer`.
fn template_pieces(path: &str, at: &Pointer) -> Result<Vec<PathPiece>> {
    let mut pieces = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            return Err(Error::spec(
                at,
                format!("path `{path}` has an unclosed `{{`; close it with `}}`"),
            ));
        };
        if open > 0 {
            pieces.push(PathPiece::Literal(rest[..open].to_string()));
        }
        pieces.push(PathPiece::Placeholder(
            rest[open + 1..open + close].to_string(),
        ));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(PathPiece::Literal(rest.to_string()));
    }
    Ok(pieces)
}

/// The request body; `None` (with a warning) when it lists no media
/// type, as then nothing says what to send.
fn lower_body(
    lowerer: &mut SchemaLowerer<'_>,
    op_id: &str,
    body: &ReferenceOr<openapiv3::RequestBody>,
    at: &Pointer,
) -> Result<Option<Body>> {
    let doc = lowerer.doc;
    let (resolved, home) = component(doc, "requestBodies", |c| &c.request_bodies, body, at)?;
    let base = home.clone().unwrap_or_else(|| at.clone());
    let Some((media_type, media)) = pick_media(&resolved.content) else {
        lowerer.warnings.push(
            &base.join("content"),
            "a request body with no media type in `content` says nothing to send; the \
             operation is generated without a body",
        );
        return Ok(None);
    };
    let origin = || match &home {
        Some(home) => Origin::ComponentBody {
            name: home.last_token(),
        },
        None => Origin::RequestBody {
            operation: op_id.to_string(),
        },
    };
    let ty = match &media.schema {
        Some(schema) => lowerer.lower(
            schema,
            &base.join("content").join(media_type).join("schema"),
            origin,
        )?,
        None => TypeRef::Any,
    };
    Ok(Some(Body {
        media_type: media_type.clone(),
        ty,
        required: resolved.required,
        docs: Docs {
            title: None,
            summary: None,
            description: resolved.description.clone(),
        },
    }))
}

fn lower_responses(
    lowerer: &mut SchemaLowerer<'_>,
    op_id: &str,
    responses: &openapiv3::Responses,
    at: &Pointer,
) -> Result<(Option<Reply>, Vec<Reply>)> {
    let mut success: Option<(u16, Reply)> = None;
    let mut errors = Vec::new();
    let mut problems = Vec::new();
    for (code, response) in &responses.responses {
        let status = code.to_string();
        let reply = match lower_reply(lowerer, op_id, &status, response, &at.join(&status)) {
            Ok(reply) => reply,
            Err(error) => {
                problems.push(error);
                continue;
            }
        };
        let rank = match code {
            StatusCode::Code(n) if (200..300).contains(n) => Some(*n),
            StatusCode::Range(2) => Some(299),
            _ => None,
        };
        match rank {
            Some(rank) if success.as_ref().is_none_or(|(best, _)| rank < *best) => {
                success = Some((rank, reply))
            }
            Some(_) => {}
            None => errors.push(reply),
        }
    }
    if let Some(default) = &responses.default {
        match lower_reply(lowerer, op_id, "default", default, &at.join("default")) {
            Ok(reply) => errors.push(reply),
            Err(error) => problems.push(error),
        }
    }
    match Error::all(problems) {
        Some(error) => Err(error),
        None => Ok((success.map(|(_, r)| r), errors)),
    }
}

fn lower_reply(
    lowerer: &mut SchemaLowerer<'_>,
    op_id: &str,
    status: &str,
    response: &ReferenceOr<openapiv3::Response>,
    at: &Pointer,
) -> Result<Reply> {
    let doc = lowerer.doc;
    let (resolved, home) = component(doc, "responses", |c| &c.responses, response, at)?;
    let base = home.clone().unwrap_or_else(|| at.clone());
    let docs = Docs {
        title: None,
        summary: None,
        description: Some(resolved.description.clone()).filter(|d| !d.is_empty()),
    };
    let Some((media_type, media)) = pick_media(&resolved.content) else {
        return Ok(Reply {
            status: status.to_string(),
            media_type: None,
            ty: None,
            docs,
        });
    };
    let origin = || match &home {
        Some(home) => Origin::ComponentBody {
            name: home.last_token(),
        },
        None => Origin::Response {
            operation: op_id.to_string(),
            status: status.to_string(),
        },
    };
    let ty = match (&media.schema, is_json(media_type)) {
        (Some(schema), true) => Some(lowerer.lower(
            schema,
            &base.join("content").join(media_type).join("schema"),
            origin,
        )?),
        _ => None,
    };
    Ok(Reply {
        status: status.to_string(),
        media_type: Some(media_type.clone()),
        ty,
        docs,
    })
}

/// JSON if offered, else the first media type.
fn pick_media(
    content: &IndexMap<String, openapiv3::MediaType>,
) -> Option<(&String, &openapiv3::MediaType)> {
    content
        .iter()
        .find(|(mt, _)| is_json(mt))
        .or_else(|| content.iter().next())
}

pub(super) fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// Recognizes Telnyx's two paging schemes from the lowered types.
pub(super) fn detect_pagination(op: &Operation, types: &BTreeMap<TypeId, TypeDef>) -> Pagination {
    let Some(response) = op.success.as_ref().and_then(|s| s.ty.as_ref()) else {
        return Pagination::None;
    };
    let Some(TypeRef::Array(item)) = query::field_type(types, response, "data") else {
        return Pagination::None;
    };
    let meta = query::field_type(types, response, "meta").and_then(|m| query::struct_of(types, m));
    let Some(meta) = meta else {
        return Pagination::None;
    };
    let has = |s: &Struct, name: &str| s.fields.iter().any(|f| f.name == name);
    let shape = |input| PageShape {
        input,
        item: (**item).clone(),
    };
    if has(meta, "total_pages") && has(meta, "page_number") {
        if let Some(input) = page_input(op, types, "number") {
            return Pagination::PageNumber(shape(input));
        }
    }
    if has(meta, "cursors") {
        if let Some(input) = page_input(op, types, "after") {
            return Pagination::Cursor(shape(input));
        }
    }
    Pagination::None
}

/// The optional query input carrying `page[<field>]`, in either spelling.
fn page_input(op: &Operation, types: &BTreeMap<TypeId, TypeDef>, field: &str) -> Option<PageInput> {
    let flat = format!("page[{field}]");
    op.params
        .iter()
        .filter(|p| p.location == Location::Query && !p.required)
        .find_map(|p| {
            if p.name == flat {
                return Some(PageInput::Param(flat.clone()));
            }
            let deep = p.name == "page"
                && p.style == Style::DeepObject
                && query::struct_of(types, &p.ty)
                    .is_some_and(|s| s.fields.iter().any(|f| f.name == field));
            deep.then(|| PageInput::Field {
                param: p.name.clone(),
                field: field.to_string(),
            })
        })
}
