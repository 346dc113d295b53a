//! Schema-valid JSON values built from the IR, for tests of the generated
//! crate: every property set, taken from the spec's examples, defaults and
//! enums where they fit the type and its constraints (`pattern`, `minimum`,
//! `minItems`, ...), else made up from the type, format and constraints.

mod constrained;

use crate::ir::{
    query, Api, Constraints, Field, Location, Param, Primitive, TypeDef, TypeId, TypeKind, TypeRef,
};
use serde_json::{json, Map, Value};

/// Beyond this nesting only required properties are filled, so recursive
/// schemas end.
const FULL_DEPTH: usize = 8;

/// A cycle of required properties has no finite value at all; the sample
/// is cut there with `null`.
const MAX_DEPTH: usize = 64;

pub struct Sampler<'a> {
    api: &'a Api,
    /// Values a client sends: no `readOnly` properties, and timestamps and
    /// floats that survive a round trip through Rust types unchanged.
    for_requests: bool,
}

/// What the spec suggests for one value, and what it requires of it.
#[derive(Clone, Default)]
struct Hint<'v> {
    example: Option<&'v Value>,
    default: Option<&'v Value>,
    constraints: Constraints,
}

impl<'a> Sampler<'a> {
    /// Values as the API sends them (responses, webhooks).
    pub fn new(api: &'a Api) -> Self {
        Sampler {
            api,
            for_requests: false,
        }
    }

    /// Values as a client sends them.
    pub fn for_requests(api: &'a Api) -> Self {
        Sampler {
            api,
            for_requests: true,
        }
    }

    /// A value of `ty` with every property present.
    pub fn value(&self, ty: &TypeRef) -> Value {
        self.sample(ty, Hint::default(), &mut Vec::new())
    }

    /// A value for a parameter, from its example where that fits. A path
    /// parameter is never empty: the client refuses an empty segment.
    pub fn param(&self, param: &Param) -> Value {
        let mut constraints = param.constraints.clone();
        if param.location == Location::Path {
            constraints.min_length = Some(constraints.min_length.unwrap_or(0).max(1));
        }
        let hint = Hint {
            example: param.example.as_ref(),
            default: None,
            constraints,
        };
        self.sample(&param.ty, hint, &mut Vec::new())
    }

    /// A value for a property, from its example or default where that fits.
    pub fn property(&self, field: &Field) -> Value {
        self.field(field, &mut Vec::new())
    }

    fn sample(&self, ty: &TypeRef, hint: Hint<'_>, path: &mut Vec<TypeId>) -> Value {
        match ty {
            TypeRef::Named(id) => self.named(self.api.type_def(id), hint, path),
            TypeRef::Primitive(p) => primitive(*p, self.exact(*p, hint)),
            TypeRef::Array(inner) => {
                let element = Hint {
                    example: hint.example.and_then(|e| e.as_array()?.first()),
                    default: None,
                    constraints: hint
                        .constraints
                        .items
                        .as_deref()
                        .cloned()
                        .unwrap_or_default(),
                };
                let one = self.sample(inner, element, path);
                let count = hint.constraints.min_items.unwrap_or(1).max(1);
                Value::Array(constrained::elements(one, count))
            }
            TypeRef::Map(inner) => json!({ "key": self.sample(inner, Hint::default(), path) }),
            TypeRef::Any => hint
                .example
                .or(hint.default)
                .cloned()
                .unwrap_or_else(|| json!({})),
        }
    }

    fn named(&self, def: &TypeDef, hint: Hint<'_>, path: &mut Vec<TypeId>) -> Value {
        let constraints = hint.constraints.or(&def.constraints);
        match &def.kind {
            TypeKind::Struct(_) if path.len() >= MAX_DEPTH => Value::Null,
            TypeKind::Struct(s) => {
                let only_required = path.len() >= FULL_DEPTH || path.contains(&def.id);
                path.push(def.id.clone());
                let mut object = Map::new();
                // Optional properties fill up what `minProperties` asks for.
                let mut wanted = constraints.min_properties.unwrap_or(0);
                for field in &s.fields {
                    let writable = !(self.for_requests && field.read_only);
                    let skipped = (only_required && !field.required && wanted == 0)
                        || (!writable && !field.required);
                    if skipped {
                        continue;
                    }
                    object.insert(field.name.clone(), self.field(field, path));
                    wanted = wanted.saturating_sub(1);
                }
                path.pop();
                Value::Object(object)
            }
            TypeKind::Enum(e) => {
                let listed =
                    |v: &&Value| v.as_str().is_some_and(|s| e.values.iter().any(|x| x == s));
                hint.example
                    .filter(listed)
                    .or(hint.default.filter(listed))
                    .cloned()
                    .or_else(|| e.values.first().map(|v| json!(v)))
                    .unwrap_or_else(|| json!("value"))
            }
            TypeKind::TaggedUnion(u) => {
                let Some(variant) = u.variants.first() else {
                    return json!({});
                };
                let mut value = self.sample(&variant.ty, Hint::default(), path);
                if let (Some(object), Some(tag)) = (value.as_object_mut(), variant.tags.first()) {
                    object.insert(u.property.clone(), json!(tag));
                }
                value
            }
            TypeKind::UntaggedUnion(u) => match u.variants.first() {
                Some(first) => self.sample(first, hint, path),
                None => json!({}),
            },
            TypeKind::Alias(inner) => {
                let own = Hint {
                    example: hint.example.or(def.example.as_ref()),
                    default: hint.default.or(def.default.as_ref()),
                    constraints,
                };
                self.sample(inner, own, path)
            }
        }
    }

    /// Request values must serialize back to themselves: an example
    /// timestamp with an offset comes back in UTC, an example float may not
    /// be representable, so those use the canonical made-up values.
    fn exact<'v>(&self, p: Primitive, hint: Hint<'v>) -> Hint<'v> {
        let inexact = matches!(p, Primitive::DateTime | Primitive::F32 | Primitive::F64);
        if self.for_requests && inexact {
            Hint {
                constraints: hint.constraints,
                ..Hint::default()
            }
        } else {
            hint
        }
    }

    fn field(&self, field: &Field, path: &mut Vec<TypeId>) -> Value {
        // A struct-typed example is often partial; build the struct instead.
        let partial = query::struct_of(&self.api.types, &field.ty).is_some();
        let hint = Hint {
            example: field.example.as_ref().filter(|_| !partial),
            default: field.default.as_ref().filter(|_| !partial),
            constraints: field.constraints.clone(),
        };
        self.sample(&field.ty, hint, path)
    }
}

fn primitive(p: Primitive, hint: Hint<'_>) -> Value {
    let c = &hint.constraints;
    let fits = |v: &&Value| fits(p, v) && constrained::satisfies(v, c);
    if let Some(value) = hint.example.filter(fits).or(hint.default.filter(fits)) {
        return value.clone();
    }
    constrained::adjust(made_up(p, c), c)
}

/// A value of the primitive where the spec suggests none that fits.
fn made_up(p: Primitive, c: &Constraints) -> Value {
    if let Some(text) = c
        .pattern
        .as_deref()
        .filter(|_| p.is_text())
        .and_then(constrained::matching)
    {
        return json!(text);
    }
    match p {
        Primitive::String => json!("string"),
        Primitive::DateTime => json!("2024-01-02T03:04:05Z"),
        Primitive::Date => json!("2024-01-02"),
        Primitive::Bytes => json!("aGVsbG8="),
        Primitive::Uuid => json!("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        Primitive::Uri => json!("https://example.com/telnyx"),
        Primitive::Email => json!("user@example.com"),
        Primitive::I32 | Primitive::I64 => json!(1),
        // Exactly representable, and inside the 0..=1 ranges levels use.
        Primitive::F32 | Primitive::F64 => json!(0.5),
        Primitive::Bool => json!(true),
    }
}

/// Whether a spec value is a valid instance of the primitive.
fn fits(p: Primitive, value: &Value) -> bool {
    match p {
        Primitive::String | Primitive::Bytes | Primitive::Email => value.is_string(),
        Primitive::Uuid => value.as_str().is_some_and(looks_like_uuid),
        Primitive::Uri => value.as_str().is_some_and(|s| s.contains("://")),
        Primitive::DateTime => value.as_str().is_some_and(looks_like_date_time),
        Primitive::Date => value.as_str().is_some_and(looks_like_date),
        Primitive::I32 => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        Primitive::I64 => value.is_i64(),
        Primitive::F32 | Primitive::F64 => value.is_number(),
        Primitive::Bool => value.is_boolean(),
    }
}

fn looks_like_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

fn looks_like_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit())
}

/// RFC 3339 with an offset or `Z`: what the generated `DateTime` accepts
/// without leniency.
fn looks_like_date_time(text: &str) -> bool {
    let Some((date, time)) = text.split_once('T') else {
        return false;
    };
    if !looks_like_date(date) || time.len() < 8 || time.as_bytes()[2] != b':' {
        return false;
    }
    time.ends_with('Z') || time.contains('+') || time[1..].contains('-')
}
