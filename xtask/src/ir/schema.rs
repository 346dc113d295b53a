//! Lowering of schemas into named types and type references.

use super::constraints;
use super::resolve::{dangling, ref_name};
use super::*;
use crate::diag::{Error, Pointer, Result, Warnings};
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, OpenAPI, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use std::collections::BTreeMap;

/// Lowers schemas, registering every named type it meets.
pub(super) struct SchemaLowerer<'a> {
    pub doc: &'a OpenAPI,
    pub types: BTreeMap<TypeId, TypeDef>,
    pub anonymous: BTreeMap<TypeId, Origin>,
    pub warnings: &'a mut Warnings,
    /// Problems met inside a schema whose lowering went on past them (a
    /// property, a variant, ...), so that one run reports them all.
    pub errors: Vec<Error>,
}

/// What a schema becomes before it is known whether it needs a name.
enum Shape {
    Kind(TypeKind),
    Ref(TypeRef),
}

/// Accumulates the fields of an `allOf` (or a plain object).
#[derive(Default)]
struct Fields {
    fields: Vec<Field>,
    required: Vec<String>,
    additional: Option<TypeRef>,
}

impl<'a> SchemaLowerer<'a> {
    pub fn new(doc: &'a OpenAPI, warnings: &'a mut Warnings) -> Self {
        SchemaLowerer {
            doc,
            types: BTreeMap::new(),
            anonymous: BTreeMap::new(),
            warnings,
            errors: Vec::new(),
        }
    }

    /// The type `lowered` gave, or raw JSON in its place with the problem
    /// kept for the report: the run fails, but finds the other problems.
    fn or_recorded(&mut self, lowered: Result<TypeRef>) -> TypeRef {
        lowered.unwrap_or_else(|error| {
            self.errors.push(error);
            TypeRef::Any
        })
    }

    /// Lowers `components.schemas.<name>`: always a named type.
    pub fn component(&mut self, name: &str, schema: &ReferenceOr<Schema>) -> Result<()> {
        let at = Pointer::root()
            .join("components")
            .join("schemas")
            .join(name);
        let id = TypeId(at.clone());
        let (kind, data, constraints) = match schema {
            ReferenceOr::Reference { reference } => (
                TypeKind::Alias(self.schema_ref(reference, &at)?),
                None,
                Constraints::default(),
            ),
            ReferenceOr::Item(s) => {
                let kind = match self.shape(s, &at, &id)? {
                    Shape::Kind(kind) => kind,
                    Shape::Ref(r) => TypeKind::Alias(r),
                };
                (kind, Some(&s.schema_data), constraints::of(s))
            }
        };
        self.register(
            id,
            Origin::Component(name.to_string()),
            data,
            constraints,
            kind,
        );
        Ok(())
    }

    /// Lowers a schema in use: inline structures get a name from `origin`.
    pub fn lower(
        &mut self,
        schema: &ReferenceOr<Schema>,
        at: &Pointer,
        origin: impl FnOnce() -> Origin,
    ) -> Result<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, at),
            ReferenceOr::Item(s) => self.lower_inline(s, at, origin),
        }
    }

    fn lower_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        at: &Pointer,
        origin: impl FnOnce() -> Origin,
    ) -> Result<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, at),
            ReferenceOr::Item(s) => self.lower_inline(s, at, origin),
        }
    }

    fn lower_inline(
        &mut self,
        s: &Schema,
        at: &Pointer,
        origin: impl FnOnce() -> Origin,
    ) -> Result<TypeRef> {
        let id = TypeId(at.clone());
        if self.types.contains_key(&id) {
            return Ok(TypeRef::Named(id));
        }
        let origin = origin();
        match self.shape(s, at, &id)? {
            Shape::Ref(r) => {
                self.anonymous.insert(id, origin);
                Ok(r)
            }
            Shape::Kind(kind) => {
                self.register(
                    id.clone(),
                    origin,
                    Some(&s.schema_data),
                    constraints::of(s),
                    kind,
                );
                Ok(TypeRef::Named(id))
            }
        }
    }

    pub fn schema_ref(&mut self, reference: &str, at: &Pointer) -> Result<TypeRef> {
        let name = ref_name(reference, "schemas", at)?;
        if !self.component_exists(name) {
            return Err(dangling(reference, at));
        }
        Ok(TypeRef::Named(TypeId(
            Pointer::root()
                .join("components")
                .join("schemas")
                .join(name),
        )))
    }

    fn component_exists(&self, name: &str) -> bool {
        self.doc
            .components
            .as_ref()
            .is_some_and(|c| c.schemas.contains_key(name))
    }

    fn component_schema(&self, reference: &str, at: &Pointer) -> Result<(&'a Schema, Pointer)> {
        let mut reference = reference.to_string();
        for _ in 0..64 {
            let name = ref_name(&reference, "schemas", at)?;
            let found = self
                .doc
                .components
                .as_ref()
                .and_then(|c| c.schemas.get(name));
            match found {
                None => return Err(dangling(&reference, at)),
                Some(ReferenceOr::Item(s)) => {
                    return Ok((
                        s,
                        Pointer::root()
                            .join("components")
                            .join("schemas")
                            .join(name),
                    ))
                }
                Some(ReferenceOr::Reference { reference: next }) => reference = next.clone(),
            }
        }
        Err(Error::spec(
            at,
            format!(
                "`$ref: {reference}` is a reference cycle that cannot be resolved; write out \
                 one schema of the chain instead of referring on"
            ),
        ))
    }

    fn register(
        &mut self,
        id: TypeId,
        origin: Origin,
        data: Option<&openapiv3::SchemaData>,
        constraints: Constraints,
        kind: TypeKind,
    ) {
        let docs = data.map(docs_of).unwrap_or_default();
        let def = TypeDef {
            id: id.clone(),
            origin,
            docs,
            deprecated: data.is_some_and(|d| d.deprecated),
            nullable: data.is_some_and(|d| d.nullable),
            example: data.and_then(|d| d.example.clone()),
            default: data.and_then(|d| d.default.clone()),
            constraints,
            kind,
        };
        self.types.entry(id).or_insert(def);
    }

    fn shape(&mut self, s: &Schema, at: &Pointer, id: &TypeId) -> Result<Shape> {
        Ok(match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) => {
                let values: Vec<String> = st.enumeration.iter().flatten().cloned().collect();
                if values.is_empty() {
                    Shape::Ref(TypeRef::Primitive(string_primitive(&st.format)))
                } else {
                    Shape::Kind(string_enum(values, &s.schema_data))
                }
            }
            SchemaKind::Type(Type::Integer(it)) => {
                Shape::Ref(TypeRef::Primitive(match &it.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                        Primitive::I32
                    }
                    _ => Primitive::I64,
                }))
            }
            SchemaKind::Type(Type::Number(nt)) => {
                Shape::Ref(TypeRef::Primitive(match &nt.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => Primitive::F32,
                    _ => Primitive::F64,
                }))
            }
            SchemaKind::Type(Type::Boolean(_)) => Shape::Ref(TypeRef::Primitive(Primitive::Bool)),
            SchemaKind::Type(Type::Array(array)) => {
                Shape::Ref(self.array(array.items.as_ref(), at, id)?)
            }
            SchemaKind::Type(Type::Object(object)) => self.object(
                &object.properties,
                &object.required,
                object.additional_properties.as_ref(),
                at,
                id,
            )?,
            SchemaKind::AllOf { all_of } => self.all_of(all_of, at, id)?,
            SchemaKind::OneOf { one_of } => self.union(one_of, s, at, id, "oneOf")?,
            SchemaKind::AnyOf { any_of } => self.union(any_of, s, at, id, "anyOf")?,
            SchemaKind::Not { .. } => {
                self.warnings.looser(
                    &at.join("not"),
                    "`not` cannot be expressed in Rust types; the value is kept as raw JSON",
                );
                Shape::Ref(TypeRef::Any)
            }
            SchemaKind::Any(any) => self.any(any, s, at, id)?,
        })
    }

    fn array(
        &mut self,
        items: Option<&ReferenceOr<Box<Schema>>>,
        at: &Pointer,
        id: &TypeId,
    ) -> Result<TypeRef> {
        let element = match items {
            Some(items) => {
                let parent = id.clone();
                let lowered =
                    self.lower_boxed(items, &at.join("items"), || Origin::Items { parent });
                self.or_recorded(lowered)
            }
            None => TypeRef::Any,
        };
        Ok(TypeRef::Array(Box::new(element)))
    }

    fn object(
        &mut self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        at: &Pointer,
        id: &TypeId,
    ) -> Result<Shape> {
        let mut fields = Fields::default();
        self.add_fields(&mut fields, properties, required, additional, at, id)?;
        Ok(fields.into_shape())
    }

    fn add_fields(
        &mut self,
        into: &mut Fields,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        at: &Pointer,
        owner: &TypeId,
    ) -> Result<()> {
        for (name, property) in properties {
            let here = at.join("properties").join(name);
            let parent = owner.clone();
            let lowered = self.lower_boxed(property, &here, || Origin::Property {
                parent,
                property: name.clone(),
            });
            let ty = self.or_recorded(lowered);
            let (data, constraints) = match property {
                ReferenceOr::Item(s) => (Some(&s.schema_data), constraints::of(s)),
                ReferenceOr::Reference { .. } => (None, Constraints::default()),
            };
            let field = Field {
                name: name.clone(),
                ty,
                required: required.contains(name),
                nullable: data.is_some_and(|d| d.nullable),
                boxed: false,
                docs: data.map(docs_of).unwrap_or_default(),
                deprecated: data.is_some_and(|d| d.deprecated),
                read_only: data.is_some_and(|d| d.read_only),
                write_only: data.is_some_and(|d| d.write_only),
                default: data.and_then(|d| d.default.clone()),
                example: data.and_then(|d| d.example.clone()),
                constraints,
            };
            into.upsert(field);
        }
        for name in required {
            if let Some(field) = into.fields.iter_mut().find(|f| &f.name == name) {
                field.required = true;
                if !into.required.contains(name) {
                    into.required.push(name.clone());
                }
            }
        }
        match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let parent = owner.clone();
                let lowered = self.lower(schema, &at.join("additionalProperties"), || {
                    Origin::MapValues { parent }
                });
                into.additional = Some(self.or_recorded(lowered));
            }
            Some(AdditionalProperties::Any(true)) => into.additional = Some(TypeRef::Any),
            Some(AdditionalProperties::Any(false)) | None => {}
        }
        Ok(())
    }

    fn all_of(
        &mut self,
        parts: &[ReferenceOr<Schema>],
        at: &Pointer,
        id: &TypeId,
    ) -> Result<Shape> {
        if let [ReferenceOr::Reference { reference }] = parts {
            return Ok(Shape::Ref(
                self.schema_ref(reference, &at.join("allOf").join(0))?,
            ));
        }
        let mut fields = Fields::default();
        let mut trail = Vec::new();
        self.merge_parts(&mut fields, parts, &at.join("allOf"), id, &mut trail)?;
        Ok(Shape::Kind(TypeKind::Struct(Struct {
            fields: fields.fields,
            required: fields.required,
            additional: fields.additional,
        })))
    }

    /// Merges `allOf` parts in order, following references; later parts
    /// refine earlier fields of the same name.
    fn merge_parts(
        &mut self,
        into: &mut Fields,
        parts: &[ReferenceOr<Schema>],
        at: &Pointer,
        owner: &TypeId,
        trail: &mut Vec<String>,
    ) -> Result<()> {
        for (index, part) in parts.iter().enumerate() {
            let part_at = at.join(index);
            let (schema, home, part_owner) = match part {
                ReferenceOr::Reference { reference } => {
                    if trail.contains(reference) {
                        return Err(Error::spec(
                            &part_at,
                            format!(
                                "`allOf` includes `{reference}` inside itself: a cycle that \
                                 cannot be boxed; remove that `allOf` entry, or refer to the \
                                 schema from a property instead"
                            ),
                        ));
                    }
                    let (schema, home) = self.component_schema(reference, &part_at)?;
                    trail.push(reference.clone());
                    (schema, home.clone(), TypeId(home))
                }
                ReferenceOr::Item(schema) => (schema, part_at.clone(), owner.clone()),
            };
            self.merge_schema(into, schema, &home, &part_owner, trail)?;
            if matches!(part, ReferenceOr::Reference { .. }) {
                trail.pop();
            }
        }
        Ok(())
    }

    fn merge_schema(
        &mut self,
        into: &mut Fields,
        s: &Schema,
        at: &Pointer,
        owner: &TypeId,
        trail: &mut Vec<String>,
    ) -> Result<()> {
        match &s.schema_kind {
            SchemaKind::Type(Type::Object(o)) => self.add_fields(
                into,
                &o.properties,
                &o.required,
                o.additional_properties.as_ref(),
                at,
                owner,
            ),
            SchemaKind::Any(any) if any.one_of.is_empty() && any.any_of.is_empty() => {
                self.add_fields(
                    into,
                    &any.properties,
                    &any.required,
                    any.additional_properties.as_ref(),
                    at,
                    owner,
                )?;
                if !any.all_of.is_empty() {
                    self.merge_parts(into, &any.all_of, &at.join("allOf"), owner, trail)?;
                }
                Ok(())
            }
            SchemaKind::AllOf { all_of } => {
                self.merge_parts(into, all_of, &at.join("allOf"), owner, trail)
            }
            _ => {
                self.warnings.looser(
                    at,
                    "an `allOf` part that is not an object is ignored when merging fields",
                );
                Ok(())
            }
        }
    }

    fn union(
        &mut self,
        variants: &[ReferenceOr<Schema>],
        s: &Schema,
        at: &Pointer,
        id: &TypeId,
        keyword: &str,
    ) -> Result<Shape> {
        let list_at = at.join(keyword);
        if let Some(discriminator) = &s.schema_data.discriminator {
            let references: Option<Vec<&str>> = variants.iter().map(as_reference).collect();
            match references {
                Some(references) => {
                    return self
                        .tagged(variants, &references, discriminator, &list_at, id)
                        .map(Shape::Kind)
                }
                None => self.warnings.push(
                    &at.join("discriminator"),
                    format!(
                        "a `discriminator` selects among `$ref` variants by schema name, and \
                         this `{keyword}` has inline ones; read as the union without it, each \
                         variant tried in turn"
                    ),
                ),
            }
        }
        let mut lowered = Vec::new();
        for (index, variant) in variants.iter().enumerate() {
            let parent = id.clone();
            let ty = self.lower(variant, &list_at.join(index), || Origin::Variant {
                parent,
                index,
            });
            let rank = self.specificity(variant, &list_at.join(index));
            match (ty, rank) {
                (Ok(ty), Ok(rank)) => lowered.push((rank, ty)),
                (ty, rank) => self.errors.extend(ty.err().or(rank.err())),
            }
        }
        if let [(_, only)] = lowered.as_slice() {
            return Ok(Shape::Ref(only.clone()));
        }
        lowered.sort_by_key(|entry| entry.0);
        let mut variants: Vec<TypeRef> = Vec::new();
        for (_, ty) in lowered {
            // Rust cannot tell a uuid from a string: one variant holds both.
            let ty = match ty {
                TypeRef::Primitive(p) => TypeRef::Primitive(p.plain()),
                other => other,
            };
            if !variants.contains(&ty) {
                variants.push(ty);
            }
        }
        Ok(Shape::Kind(TypeKind::UntaggedUnion(UntaggedUnion {
            variants,
        })))
    }

    /// `references`: the target of each of `variants`, all `$ref`s.
    fn tagged(
        &mut self,
        variants: &[ReferenceOr<Schema>],
        references: &[&str],
        discriminator: &openapiv3::Discriminator,
        at: &Pointer,
        id: &TypeId,
    ) -> Result<TypeKind> {
        let mut out = Vec::new();
        for (index, (variant, &reference)) in variants.iter().zip(references).enumerate() {
            let here = at.join(index);
            let parent = id.clone();
            let ty = self.lower(variant, &here, || Origin::Variant { parent, index })?;
            let mut tags: Vec<String> = discriminator
                .mapping
                .iter()
                .filter(|(_, target)| *target == reference)
                .map(|(tag, _)| tag.clone())
                .collect();
            if tags.is_empty() {
                tags.push(ref_name(reference, "schemas", &here)?.to_string());
            }
            out.push(TaggedVariant { tags, ty });
        }
        for (tag, target) in &discriminator.mapping {
            if !variants
                .iter()
                .any(|v| as_reference(v) == Some(target.as_str()))
            {
                self.warnings.push(
                    &at.parent().join("discriminator").join("mapping").join(tag),
                    format!("mapping target `{target}` is not one of the union's variants"),
                );
            }
        }
        Ok(TypeKind::TaggedUnion(TaggedUnion {
            property: discriminator.property_name.clone(),
            variants: out,
        }))
    }

    /// Sort key for untagged variants: shapes that accept fewer documents
    /// are tried first, so no variant can swallow another's input.
    fn specificity(
        &self,
        variant: &ReferenceOr<Schema>,
        at: &Pointer,
    ) -> Result<(u8, std::cmp::Reverse<usize>, std::cmp::Reverse<usize>)> {
        use std::cmp::Reverse;
        let schema = match (as_reference(variant), variant) {
            (Some(reference), _) => self.component_schema(reference, at)?.0,
            (None, ReferenceOr::Reference { reference }) => self.component_schema(reference, at)?.0,
            (None, ReferenceOr::Item(s)) => s,
        };
        let (properties, required) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (o.properties.len(), o.required.len()),
            SchemaKind::Any(a) => (a.properties.len(), a.required.len()),
            SchemaKind::AllOf { all_of } => (all_of.len(), all_of.len()),
            _ => (0, 0),
        };
        let rank = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } if required > 0 => 0,
            SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } if properties > 0 => 1,
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => 2,
            SchemaKind::Type(Type::Array(_)) => 3,
            SchemaKind::Type(Type::Object(_)) => 4,
            SchemaKind::Type(Type::Integer(_)) => 5,
            SchemaKind::Type(Type::Number(_)) => 6,
            SchemaKind::Type(Type::Boolean(_)) => 7,
            SchemaKind::Type(Type::String(st)) if !st.enumeration.is_empty() => 8,
            SchemaKind::Type(Type::String(_)) => 9,
            SchemaKind::Any(a) if !a.properties.is_empty() => {
                if required > 0 {
                    0
                } else {
                    1
                }
            }
            _ => 10,
        };
        Ok((rank, Reverse(required), Reverse(properties)))
    }

    /// A schema `openapiv3` could not classify: mixed keywords or no `type`.
    fn any(&mut self, any: &AnySchema, s: &Schema, at: &Pointer, id: &TypeId) -> Result<Shape> {
        if !any.all_of.is_empty() && any.one_of.is_empty() && any.any_of.is_empty() {
            if let Some(reference) = refined_reference(any) {
                // `allOf: [$ref]` beside `type` or an `example` (3.1's `$ref`
                // with siblings, normalized): the referenced schema itself.
                // Merged as an object, a string enum would become an empty
                // struct.
                let (target, _) = self.component_schema(reference, &at.join("allOf").join(0))?;
                if !is_object_like(target) {
                    return Ok(Shape::Ref(
                        self.schema_ref(reference, &at.join("allOf").join(0))?,
                    ));
                }
            }
            let mut fields = Fields::default();
            self.add_fields(
                &mut fields,
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                at,
                id,
            )?;
            let mut trail = Vec::new();
            self.merge_parts(&mut fields, &any.all_of, &at.join("allOf"), id, &mut trail)?;
            return Ok(Shape::Kind(TypeKind::Struct(Struct {
                fields: fields.fields,
                required: fields.required,
                additional: fields.additional,
            })));
        }
        if !any.one_of.is_empty() && !only_required_lists(&any.one_of) {
            return self.union(&any.one_of, s, at, id, "oneOf");
        }
        if !any.any_of.is_empty() && !only_required_lists(&any.any_of) {
            return self.union(&any.any_of, s, at, id, "anyOf");
        }
        let strings: Option<Vec<String>> = any
            .enumeration
            .iter()
            .filter(|v| !v.is_null())
            .map(|v| v.as_str().map(str::to_string))
            .collect();
        match (any.typ.as_deref(), strings) {
            (None | Some("string"), Some(values)) if !values.is_empty() => {
                Ok(Shape::Kind(string_enum(values, &s.schema_data)))
            }
            (Some("string"), _) => {
                let format = any.format.clone().map(|f| {
                    f.parse().map_or(
                        VariantOrUnknownOrEmpty::Unknown(f),
                        VariantOrUnknownOrEmpty::Item,
                    )
                });
                Ok(Shape::Ref(TypeRef::Primitive(string_primitive(
                    &format.unwrap_or(VariantOrUnknownOrEmpty::Empty),
                ))))
            }
            (Some("integer"), _) => Ok(Shape::Ref(TypeRef::Primitive(
                if any.format.as_deref() == Some("int32") {
                    Primitive::I32
                } else {
                    Primitive::I64
                },
            ))),
            (Some("number"), _) => Ok(Shape::Ref(TypeRef::Primitive(
                if any.format.as_deref() == Some("float") {
                    Primitive::F32
                } else {
                    Primitive::F64
                },
            ))),
            (Some("boolean"), _) => Ok(Shape::Ref(TypeRef::Primitive(Primitive::Bool))),
            (Some("array"), _) => Ok(Shape::Ref(self.array(any.items.as_ref(), at, id)?)),
            (Some("object") | None, _)
                if !any.properties.is_empty() || any.additional_properties.is_some() =>
            {
                self.object(
                    &any.properties,
                    &any.required,
                    any.additional_properties.as_ref(),
                    at,
                    id,
                )
            }
            (Some("object"), _) => Ok(Shape::Ref(TypeRef::Map(Box::new(TypeRef::Any)))),
            (None, _) if any.items.is_some() => {
                Ok(Shape::Ref(self.array(any.items.as_ref(), at, id)?))
            }
            (None, _) => Ok(Shape::Ref(TypeRef::Any)),
            (Some(other), _) => {
                self.warnings.push(
                    &at.join("type"),
                    format!("unknown schema type `{other}`; the value is kept as raw JSON"),
                );
                Ok(Shape::Ref(TypeRef::Any))
            }
        }
    }
}

impl Fields {
    fn upsert(&mut self, field: Field) {
        match self.fields.iter_mut().find(|f| f.name == field.name) {
            Some(existing) => {
                let required = existing.required || field.required;
                *existing = Field { required, ..field };
            }
            None => self.fields.push(field),
        }
    }

    fn into_shape(self) -> Shape {
        if self.fields.is_empty() {
            return Shape::Ref(TypeRef::Map(Box::new(
                self.additional.unwrap_or(TypeRef::Any),
            )));
        }
        Shape::Kind(TypeKind::Struct(Struct {
            fields: self.fields,
            required: self.required,
            additional: self.additional,
        }))
    }
}

/// The target of a variant that is a `$ref`, also when 3.1 siblings
/// (a `title`, say) made normalization wrap it as `allOf: [$ref]`.
fn as_reference(schema: &ReferenceOr<Schema>) -> Option<&str> {
    match schema {
        ReferenceOr::Reference { reference } => Some(reference),
        ReferenceOr::Item(s) => match &s.schema_kind {
            SchemaKind::AllOf { all_of } => match all_of.as_slice() {
                [ReferenceOr::Reference { reference }] => Some(reference),
                _ => None,
            },
            _ => None,
        },
    }
}

fn string_enum(values: Vec<String>, data: &openapiv3::SchemaData) -> TypeKind {
    let mut unique: Vec<String> = Vec::with_capacity(values.len());
    for value in values {
        if !unique.contains(&value) {
            unique.push(value);
        }
    }
    let default = data
        .default
        .as_ref()
        .and_then(|d| d.as_str())
        .map(str::to_string);
    TypeKind::Enum(StringEnum {
        values: unique,
        default,
    })
}

/// The one `$ref` of an `allOf` that only refines it (`type`, docs, an
/// example beside it), adding no properties of its own.
fn refined_reference(any: &AnySchema) -> Option<&str> {
    match any.all_of.as_slice() {
        [ReferenceOr::Reference { reference }]
            if any.properties.is_empty()
                && any.additional_properties.is_none()
                && any.required.is_empty()
                && matches!(
                    any.typ.as_deref(),
                    None | Some("string" | "integer" | "number" | "boolean" | "array")
                ) =>
        {
            Some(reference)
        }
        _ => None,
    }
}

/// Whether merging the schema as an `allOf` part yields fields.
fn is_object_like(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => true,
        SchemaKind::Any(a) => !a.properties.is_empty() || !a.all_of.is_empty(),
        _ => false,
    }
}

/// `anyOf: [{required: [a]}, {required: [b]}]` beside `properties` says
/// which properties must be present together, and `oneOf: [{properties:
/// {a: {not: {}}}, required: [b]}, ...]` which ones exclude each other;
/// neither adds a shape, so the schema stays the object its properties
/// describe (the constraint is checked by the API, not by the types).
fn only_required_lists(alternatives: &[ReferenceOr<Schema>]) -> bool {
    alternatives.iter().all(|alternative| match alternative {
        ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::Any(a),
            ..
        }) => {
            (!a.required.is_empty() || !a.properties.is_empty())
                && a.properties.values().all(forbids)
                && a.typ.is_none()
                && a.items.is_none()
                && a.enumeration.is_empty()
                && a.one_of.is_empty()
                && a.any_of.is_empty()
                && a.all_of.is_empty()
                && a.additional_properties.is_none()
        }
        _ => false,
    })
}

/// `not: {}`: the property must be absent.
fn forbids(property: &ReferenceOr<Box<Schema>>) -> bool {
    matches!(property, ReferenceOr::Item(s) if matches!(&s.schema_kind, SchemaKind::Not { not }
        if matches!(not.as_ref(), ReferenceOr::Item(inner) if matches!(&inner.schema_kind, SchemaKind::Any(a) if *a == AnySchema::default()))))
}

fn string_primitive(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Primitive {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Primitive::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Primitive::Date,
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary | StringFormat::Byte) => {
            Primitive::Bytes
        }
        VariantOrUnknownOrEmpty::Unknown(format) => match format.as_str() {
            "uuid" => Primitive::Uuid,
            "uri" | "url" => Primitive::Uri,
            "email" => Primitive::Email,
            _ => Primitive::String,
        },
        _ => Primitive::String,
    }
}

pub(super) fn docs_of(data: &openapiv3::SchemaData) -> Docs {
    Docs {
        title: data.title.clone(),
        summary: None,
        description: data.description.clone(),
    }
}
