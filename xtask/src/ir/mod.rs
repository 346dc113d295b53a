//! Stage 3: the intermediate representation.
//!
//! A plain data model of what the API offers, free of OpenAPI spelling and of
//! Rust naming: operations, types and webhook events. Lowering from the typed
//! spec lives in the sibling modules; naming and emission read only this.

mod constraints;
mod lower;
mod operation;
mod operation_ids;
pub mod query;
mod recursion;
mod required_body;
mod resolve;
mod schema;
mod summary;
mod webhook;

pub use lower::lower;
pub use summary::Summary;

use crate::diag::{Pointer, Warning};
use serde_json::Value;
use std::collections::BTreeMap;

/// The whole API, lowered.
#[derive(Debug, Clone)]
pub struct Api {
    pub title: String,
    pub version: String,
    /// The `openapi` version the source declared (3.0.x or 3.1.x).
    pub source_openapi: String,
    /// In path order, then method order: stable for diffs.
    pub operations: Vec<Operation>,
    /// Every named type: component schemas and the inline schemas that need a name.
    pub types: BTreeMap<TypeId, TypeDef>,
    /// Origins of inline schemas that needed no name (arrays, maps, single
    /// variants) but parent named ones; naming walks through them.
    pub anonymous: BTreeMap<TypeId, Origin>,
    pub webhooks: Vec<Webhook>,
    /// How many entries `components.schemas` had.
    pub component_schema_count: usize,
    pub warnings: Vec<Warning>,
}

/// Identifies a named type by the JSON pointer of the schema it came from.
/// Pointers survive unrelated spec edits, so names derived from them do too.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub Pointer);

/// Where a named type was found; naming derives Rust names from this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `components.schemas.<name>`.
    Component(String),
    /// A property of another type.
    Property { parent: TypeId, property: String },
    /// The element schema of an array-typed type or property.
    Items { parent: TypeId },
    /// The value schema of a map.
    MapValues { parent: TypeId },
    /// A `oneOf`/`anyOf` alternative.
    Variant { parent: TypeId, index: usize },
    /// The schema of an operation's parameter (`owner` is an operation id or
    /// a `components.parameters` key).
    Parameter { owner: String, parameter: String },
    /// An operation's inline request body.
    RequestBody { operation: String },
    /// An operation's inline response body.
    Response { operation: String, status: String },
    /// A component request body or response (`components.<kind>.<name>`).
    ComponentBody { name: String },
    /// A webhook's inline payload.
    Webhook { name: String },
}

/// Text from the spec, kept verbatim; emitters sanitize it for their target.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Docs {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub id: TypeId,
    pub origin: Origin,
    pub docs: Docs,
    pub deprecated: bool,
    /// The schema itself admits `null` (3.0 `nullable`, 3.1 `type: [.., null]`).
    pub nullable: bool,
    /// The schema's own `example` and `default`, for values made up in tests.
    pub example: Option<Value>,
    pub default: Option<Value>,
    /// What a valid value must also satisfy (`pattern`, `minimum`, ...).
    pub constraints: Constraints,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    /// An open string enum: values the spec does not list are kept.
    Enum(StringEnum),
    /// `oneOf`/`anyOf` with a discriminator property.
    TaggedUnion(TaggedUnion),
    /// `oneOf`/`anyOf` without one; variants ordered most specific first.
    UntaggedUnion(UntaggedUnion),
    /// A named schema that is a primitive, array, map or free-form value.
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Required properties in the order the spec lists them: the order of
    /// positional arguments in constructors and request methods.
    pub required: Vec<String>,
    /// `additionalProperties` with a schema: extra keys are kept in a map.
    pub additional: Option<TypeRef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The JSON property name.
    pub name: String,
    pub ty: TypeRef,
    pub required: bool,
    /// `null` is a valid value (from the property schema or the type it refers to).
    pub nullable: bool,
    /// The field closes a cycle of types and must be behind a `Box`.
    pub boxed: bool,
    pub docs: Docs,
    pub deprecated: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub default: Option<Value>,
    pub example: Option<Value>,
    /// The property schema's own validation keywords (a named type's are
    /// on its [`TypeDef`]).
    pub constraints: Constraints,
}

/// Validation keywords the Rust types cannot carry; test values made up
/// from the spec respect them. Exclusive bounds are OpenAPI 3.0's flags.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub multiple_of: Option<f64>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<String>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub min_properties: Option<usize>,
    /// Those of an inline array's elements.
    pub items: Option<Box<Constraints>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StringEnum {
    pub values: Vec<String>,
    pub default: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaggedUnion {
    /// The JSON property holding the tag, e.g. `type`.
    pub property: String,
    pub variants: Vec<TaggedVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaggedVariant {
    /// Tag values selecting this variant (from `mapping`, else the schema name).
    pub tags: Vec<String>,
    pub ty: TypeRef,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedUnion {
    pub variants: Vec<TypeRef>,
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    Named(TypeId),
    Primitive(Primitive),
    Array(Box<TypeRef>),
    /// A JSON object with arbitrary keys and values of one type.
    Map(Box<TypeRef>),
    /// Any JSON value.
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Primitive {
    String,
    /// `format: date-time`.
    DateTime,
    /// `format: date`.
    Date,
    /// `format: binary` or `byte`: kept as text, as it travels in JSON.
    Bytes,
    /// `format: uuid`, `uri` and `email`: `String` in Rust; kept apart so
    /// that values made up for tests satisfy the format.
    Uuid,
    Uri,
    Email,
    I32,
    I64,
    F32,
    F64,
    Bool,
}

/// What a primitive is to a reader of the Rust API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrimitiveKind {
    Text,
    DateTime,
    Date,
    Integer,
    Number,
    Bool,
}

impl Primitive {
    pub fn kind(self) -> PrimitiveKind {
        match self {
            Primitive::String
            | Primitive::Bytes
            | Primitive::Uuid
            | Primitive::Uri
            | Primitive::Email => PrimitiveKind::Text,
            Primitive::DateTime => PrimitiveKind::DateTime,
            Primitive::Date => PrimitiveKind::Date,
            Primitive::I32 | Primitive::I64 => PrimitiveKind::Integer,
            Primitive::F32 | Primitive::F64 => PrimitiveKind::Number,
            Primitive::Bool => PrimitiveKind::Bool,
        }
    }

    /// Travels as a JSON string and is `String` in Rust.
    pub fn is_text(self) -> bool {
        self.kind() == PrimitiveKind::Text
    }

    /// The primitive with string formats that Rust does not distinguish
    /// folded into `String`.
    pub fn plain(self) -> Primitive {
        match self {
            Primitive::Uuid | Primitive::Uri | Primitive::Email => Primitive::String,
            other => other,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

/// A piece of a path template: literal text, or the name of a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPiece {
    Literal(String),
    Placeholder(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`, or `METHOD path` when the spec has none.
    pub id: String,
    pub pointer: Pointer,
    pub method: Method,
    /// The path template, e.g. `/calls/{call_control_id}/actions/answer`.
    pub path: String,
    /// `path` split into its literal text and placeholders, each placeholder
    /// checked to name a path parameter and each path parameter to have one.
    pub path_pieces: Vec<PathPiece>,
    pub docs: Docs,
    pub tags: Vec<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    /// The lowest 2xx response.
    pub success: Option<Reply>,
    /// Documented non-2xx responses, `default` last.
    pub errors: Vec<Reply>,
    pub pagination: Pagination,
}

impl Operation {
    /// The `{name}` placeholders of the path, in order.
    pub fn path_placeholders(&self) -> impl Iterator<Item = &str> {
        operation::placeholder_names(&self.path_pieces)
    }

    /// The success response's media type when it is not JSON (a PDF, a
    /// CSV file, audio): the body is then handed over as it arrives.
    pub fn raw_response(&self) -> Option<&str> {
        let success = self.success.as_ref()?;
        let media_type = success.media_type.as_deref()?;
        (success.ty.is_none() && !operation::is_json(media_type)).then_some(media_type)
    }
}

/// How a request body travels, from its media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON, also for `*/*` and the like, which accept it.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// Any other concrete media type (`application/octet-stream`): the
    /// bytes as they are.
    Binary,
}

impl Body {
    pub fn encoding(&self) -> BodyEncoding {
        let essence = self.media_type.split(';').next().unwrap_or_default().trim();
        match essence {
            "application/x-www-form-urlencoded" => BodyEncoding::Form,
            "multipart/form-data" => BodyEncoding::Multipart,
            _ if operation::is_json(essence) || essence.contains('*') => BodyEncoding::Json,
            _ => BodyEncoding::Binary,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

/// OpenAPI parameter serialization styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    Simple,
    Form,
    DeepObject,
    SpaceDelimited,
    PipeDelimited,
    Label,
    Matrix,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub location: Location,
    pub required: bool,
    pub style: Style,
    pub explode: bool,
    pub ty: TypeRef,
    pub docs: Docs,
    pub deprecated: bool,
    pub example: Option<Value>,
    /// The parameter schema's own validation keywords.
    pub constraints: Constraints,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub media_type: String,
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// `200`, `4XX`, `default`, ...
    pub status: String,
    pub media_type: Option<String>,
    /// `None` when the response has no body (e.g. 204).
    pub ty: Option<TypeRef>,
    pub docs: Docs,
}

/// How a list operation pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pagination {
    None,
    /// A page number in, `meta.page_number`/`meta.total_pages` out.
    PageNumber(PageShape),
    /// A cursor in, `meta.cursors.after` out.
    Cursor(PageShape),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageShape {
    /// Where the request says which page to fetch.
    pub input: PageInput,
    /// The element type of `data`.
    pub item: TypeRef,
}

/// Telnyx spells the page input two ways.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageInput {
    /// A property of a deepObject parameter: `page` + `number` → `page[number]=2`.
    Field { param: String, field: String },
    /// A query parameter of its own, named `page[number]` or `page[after]`.
    Param(String),
}

/// One webhook Telnyx posts to the application.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    pub name: String,
    pub pointer: Pointer,
    pub docs: Docs,
    pub payload: TypeRef,
    /// How a receiver tells this webhook's bodies apart from the others;
    /// `None` when the payload carries no `event_type` at all.
    pub event_key: Option<EventKey>,
    /// Event types of `event_key` that a webhook earlier in the spec
    /// declares too: `WebhookEvent` routes them there, and this webhook's
    /// payload is reached with `Webhooks::unwrap_as` instead.
    pub shadowed_events: Vec<String>,
}

/// The `event_type` values a webhook's bodies carry and where they sit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventKey {
    pub values: Vec<String>,
    pub at: EventTypeAt,
    /// The property is a free string; its `example` is the value, since
    /// the spec lists no enum.
    pub from_example: bool,
}

/// Where the `event_type` property is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventTypeAt {
    /// `data.event_type`: the envelope Telnyx sends.
    Data,
    /// A top-level `event_type`: the schema describes only the inner object.
    Root,
}

impl EventTypeAt {
    /// The JSON path of the property.
    pub fn path(self) -> &'static [&'static str] {
        match self {
            EventTypeAt::Data => &["data", "event_type"],
            EventTypeAt::Root => &["event_type"],
        }
    }
}

impl Api {
    /// Where a schema came from, named or not.
    pub fn origin(&self, id: &TypeId) -> Option<&Origin> {
        self.types
            .get(id)
            .map(|d| &d.origin)
            .or_else(|| self.anonymous.get(id))
    }

    pub fn type_def(&self, id: &TypeId) -> &TypeDef {
        self.types
            .get(id)
            .unwrap_or_else(|| panic!("IR invariant: unknown type {}", id.0))
    }
}
