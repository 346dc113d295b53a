//! Type definitions: structs, open enums, unions and aliases, one module
//! file per resource (plus `shared`).

use super::docs::{doc_attrs, field_paragraphs, type_paragraphs, variant_doc};
use super::fields::{field_views, find, wrap_value, FieldView};
use super::rust_type::{rust_shape, rust_type, Site};
use super::serde_impls::{sent_only_when_set, struct_deserialize, struct_serialize, Directions};
use crate::ir::{
    query, Api, Pagination, Primitive, PrimitiveKind, Struct, TaggedUnion, TypeDef, TypeId,
    TypeKind, TypeRef, UntaggedUnion,
};
use crate::naming::{enum_variants, Names};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::{BTreeMap, BTreeSet};

pub struct TypeEmitter<'a> {
    pub api: &'a Api,
    pub names: &'a Names,
    pub request_types: &'a BTreeSet<TypeId>,
    pub response_types: &'a BTreeSet<TypeId>,
    /// Emitted types → the cargo features that compile them.
    pub type_features: &'a BTreeMap<TypeId, BTreeSet<String>>,
    /// Response types of paginated operations → how they page.
    pub pages: &'a BTreeMap<TypeId, Pagination>,
    /// Open enums that are an alias of another with the same values.
    pub enum_aliases: &'a BTreeMap<TypeId, TypeId>,
}

impl TypeEmitter<'_> {
    /// The definitions of a module's types, sorted by name.
    pub fn definitions<'i>(&self, ids: &'i [TypeId]) -> Vec<(&'i TypeId, TokenStream)> {
        let mut sorted: Vec<&TypeId> = ids.iter().collect();
        sorted.sort_by_key(|id| self.names.type_name(id));
        sorted
            .into_iter()
            .map(|id| (id, self.type_def(self.api.type_def(id))))
            .collect()
    }

    fn type_def(&self, def: &TypeDef) -> TokenStream {
        let name = format_ident!("{}", self.names.type_name(&def.id));
        // A doc link must resolve wherever this type compiles: the target
        // is emitted, under features that include all of this type's.
        let features = self.type_features.get(&def.id);
        let linkable = |target: &TypeId| match (
            features,
            self.type_features.get(self.names.canonical(target)),
        ) {
            (Some(own), Some(theirs)) => own.is_subset(theirs),
            _ => false,
        };
        let mut docs = type_paragraphs(self.api, self.names, def, &linkable);
        if def.deprecated {
            docs.push("**Deprecated** by the API.".into());
        }
        if matches!(def.kind, TypeKind::UntaggedUnion(_)) {
            docs.push("Variants are tried in order, most specific first.".into());
        }
        let shared_enum = self
            .enum_aliases
            .get(&def.id)
            .map(|definition| self.names.type_name(definition));
        if let Some(definition) = shared_enum {
            docs.push(format!(
                "The same type as [`{definition}`]: the API lists the same values for both."
            ));
        }
        let docs = doc_attrs(&docs);
        let directions = Directions::of(&def.id, self.request_types, self.response_types);
        let body = match &def.kind {
            TypeKind::Struct(s) => self.struct_def(def, s, &name, docs, directions),
            TypeKind::Enum(e) => match shared_enum {
                Some(definition) => {
                    let definition = format_ident!("{}", definition);
                    quote! { #docs pub type #name = #definition; }
                }
                None => open_enum(&name, &e.values, &self.names.words, docs, directions),
            },
            TypeKind::TaggedUnion(u) => self.tagged_union(u, &name, docs, directions),
            TypeKind::UntaggedUnion(u) => self.untagged_union(u, &name, docs, directions),
            TypeKind::Alias(ty) => {
                let target = rust_type(self.names, ty, Site::Types);
                quote! { #docs pub type #name = #target; }
            }
        };
        let page = self
            .pages
            .get(&def.id)
            .map(|p| self.page_impl(def, p))
            .unwrap_or_default();
        quote! { #body #page }
    }

    fn struct_def(
        &self,
        def: &TypeDef,
        s: &Struct,
        name: &proc_macro2::Ident,
        docs: TokenStream,
        directions: Directions,
    ) -> TokenStream {
        let views = field_views(self.api, self.names, s, Site::Types);
        // Flattening the additional properties takes serde's derive; every
        // other struct has its `Serialize` written out.
        let derived_serialize = s.additional.is_some();
        let fields = views
            .iter()
            .map(|v| field_decl(self.api, self.names, v, directions, derived_serialize));
        let additional = s.additional.as_ref().map(|ty| {
            let ty = rust_type(self.names, ty, Site::Types);
            let flatten = directions.serialize_attr(quote!(serde(flatten)));
            quote! {
                /// Properties the schema does not name.
                #flatten
                pub additional_properties: std::collections::BTreeMap<String, #ty>,
            }
        });
        let all_optional = views.iter().all(|v| v.optional);
        let derive_default = all_optional.then(|| quote!(Default,));
        let constructor = (!all_optional && self.request_types.contains(&def.id))
            .then(|| constructor(name, &views, s));
        let derive_list = quote!(Debug, Clone, PartialEq, #derive_default);
        let (derives, serialize) = if derived_serialize {
            (directions.derive_with_serialize(derive_list), None)
        } else {
            let serialize = struct_serialize(name, &views, directions.serialize_gate().as_ref());
            (quote!(#[derive(#derive_list)]), Some(serialize))
        };
        let deserialize = struct_deserialize(
            name,
            &views,
            s.additional.is_some(),
            directions.deserialize_gate().as_ref(),
        );
        quote! {
            #docs
            #derives
            pub struct #name {
                #(#fields)*
                #additional
            }
            #serialize
            #deserialize
            #constructor
        }
    }

    fn tagged_union(
        &self,
        u: &TaggedUnion,
        name: &proc_macro2::Ident,
        docs: TokenStream,
        directions: Directions,
    ) -> TokenStream {
        let first_tags: Vec<String> = u.variants.iter().map(|v| v.tags[0].clone()).collect();
        let variant_names: Vec<_> = enum_variants(&first_tags, &self.names.words)
            .into_iter()
            .map(|v| format_ident!("{}", v))
            .collect();
        let types: Vec<_> = u
            .variants
            .iter()
            .map(|v| rust_type(self.names, &v.ty, Site::Types))
            .collect();
        let property = &u.property;
        let arms = u.variants.iter().zip(&variant_names).map(|(v, variant)| {
            let tags = &v.tags;
            quote! { Some(#(#tags)|*) => crate::runtime::decode_variant(value).map(Self::#variant), }
        });
        let tag_docs = u.variants.iter().map(|v| {
            let list = v
                .tags
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ");
            format!(" `{property}` = {list}")
        });
        let unknown_doc = format!(
            " A `{property}` value this version of the crate does not know; the raw JSON is kept."
        );
        let derives = directions.derive_with_serialize(quote!(Debug, Clone, PartialEq,));
        let untagged = directions.serialize_attr(quote!(serde(untagged)));
        let deserialize_gate = directions.deserialize_gate();
        quote! {
            #docs
            #derives
            #untagged
            // Variants are API payloads of very different sizes; boxing them
            // would make every match clumsier for a few bytes saved.
            #[allow(clippy::large_enum_variant)]
            pub enum #name {
                #( #[doc = #tag_docs] #variant_names(#types), )*
                #[doc = #unknown_doc]
                Unknown(serde_json::Value),
            }
            #deserialize_gate
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                    match value.get(#property).and_then(serde_json::Value::as_str) {
                        #(#arms)*
                        _ => Ok(Self::Unknown(value)),
                    }
                }
            }
        }
    }

    fn untagged_union(
        &self,
        u: &UntaggedUnion,
        name: &proc_macro2::Ident,
        docs: TokenStream,
        directions: Directions,
    ) -> TokenStream {
        let variant_names: Vec<_> = untagged_variant_names(self.names, u, &name.to_string())
            .into_iter()
            .map(|v| format_ident!("{}", v))
            .collect();
        let types: Vec<_> = u
            .variants
            .iter()
            .map(|v| rust_type(self.names, v, Site::Types))
            .collect();
        let variant_docs = u.variants.iter().map(|v| variant_doc(self.names, v));
        let keeps_anything = u.variants.contains(&TypeRef::Any);
        let unknown = (!keeps_anything).then(|| {
            quote! {
                /// A shape none of the variants match; the raw JSON is kept.
                Unknown(serde_json::Value),
            }
        });
        // Variants that are one Rust type under different aliases share one
        // `From`: the first variant, which is also the one decoding picks.
        let mut seen = std::collections::BTreeSet::new();
        let firsts: Vec<bool> = u
            .variants
            .iter()
            .map(|v| seen.insert(rust_shape(self.api, self.names, v)))
            .collect();
        let froms = types
            .iter()
            .zip(&variant_names)
            .zip(firsts)
            .filter(|(_, first)| *first)
            .map(|((ty, variant), _)| {
                quote! {
                    impl From<#ty> for #name {
                        fn from(value: #ty) -> Self { Self::#variant(value) }
                    }
                }
            });
        let from_str = u
            .variants
            .iter()
            .position(|v| matches!(v, TypeRef::Primitive(Primitive::String)))
            .map(|i| {
                let variant = &variant_names[i];
                quote! {
                    impl From<&str> for #name {
                        fn from(value: &str) -> Self { Self::#variant(value.to_string()) }
                    }
                }
            });
        let derives = directions.derive_with_serialize(quote!(Debug, Clone, PartialEq,));
        let derive_deserialize = directions.derive_deserialize();
        quote! {
            #docs
            #derives
            #derive_deserialize
            // One of the two derives is always present to read it.
            #[serde(untagged)]
            #[allow(clippy::large_enum_variant)]
            pub enum #name {
                #( #[doc = #variant_docs] #variant_names(#types), )*
                #unknown
            }
            #(#froms)*
            #from_str
        }
    }

    /// `Page` for a list response: `data` holds the items, `meta` says what is next.
    fn page_impl(&self, def: &TypeDef, pagination: &Pagination) -> TokenStream {
        let TypeKind::Struct(s) = &def.kind else {
            return TokenStream::new();
        };
        let (item, cursor) = match pagination {
            Pagination::PageNumber(shape) => (&shape.item, false),
            Pagination::Cursor(shape) => (&shape.item, true),
            Pagination::None => return TokenStream::new(),
        };
        let views = field_views(self.api, self.names, s, Site::Types);
        let (Some(data), Some(meta)) = (find(&views, "data"), find(&views, "meta")) else {
            return TokenStream::new();
        };
        let Some(TypeKind::Struct(meta_struct)) =
            query::resolve(&self.api.types, &meta.field.ty).map(|d| &d.kind)
        else {
            return TokenStream::new();
        };
        let meta_views = field_views(self.api, self.names, meta_struct, Site::Types);
        let item = rust_type(self.names, item, Site::Types);
        let name = format_ident!("{}", self.names.type_name(&def.id));
        let data_ident = &data.ident;
        let items = if data.optional {
            quote!(self.#data_ident.unwrap_or_default())
        } else {
            quote!(self.#data_ident)
        };
        let meta_ident = &meta.ident;
        let meta_binding = if meta.optional {
            quote!(let meta = self.#meta_ident.as_ref()?;)
        } else {
            quote!(let meta = &self.#meta_ident;)
        };
        let next = if cursor {
            self.next_cursor(&meta_views)
        } else {
            next_number(self.api, &meta_views)
        };
        let Some(next) = next else {
            return TokenStream::new();
        };
        quote! {
            impl crate::runtime::Page for #name {
                type Item = #item;
                fn next_page(&self) -> Option<crate::runtime::NextPage> {
                    #meta_binding
                    #next
                }
                fn into_items(self) -> Vec<Self::Item> {
                    #items
                }
            }
        }
    }

    fn next_cursor(&self, meta: &[FieldView<'_>]) -> Option<TokenStream> {
        let cursors = find(meta, "cursors")?;
        let TypeKind::Struct(s) = &query::resolve(&self.api.types, &cursors.field.ty)?.kind else {
            return None;
        };
        let views = field_views(self.api, self.names, s, Site::Types);
        let after = find(&views, "after")?;
        let cursors_ident = &cursors.ident;
        let after_ident = &after.ident;
        let binding = if cursors.optional {
            quote!(let cursors = meta.#cursors_ident.as_ref()?;)
        } else {
            quote!(let cursors = &meta.#cursors_ident;)
        };
        let value = if after.optional {
            quote!(cursors.#after_ident.as_deref())
        } else {
            quote!(Some(cursors.#after_ident.as_str()))
        };
        Some(quote! { #binding crate::runtime::next_cursor(#value) })
    }
}

/// The Rust variant names of an untagged union, in variant order: a named
/// variant by its type name less the union's prefix, others by their shape.
pub(crate) fn untagged_variant_names(
    names: &Names,
    u: &UntaggedUnion,
    union_name: &str,
) -> Vec<String> {
    let raw: Vec<String> = u
        .variants
        .iter()
        .map(|v| variant_name(names, v, union_name))
        .collect();
    enum_variants(&raw, &[])
}

fn variant_name(names: &Names, ty: &TypeRef, union_name: &str) -> String {
    match ty {
        TypeRef::Named(id) => {
            let name = names.type_name(names.canonical(id));
            match name.strip_prefix(union_name) {
                Some(rest)
                    if !rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit()) =>
                {
                    rest.to_string()
                }
                _ => name.to_string(),
            }
        }
        TypeRef::Primitive(p) => match p.kind() {
            PrimitiveKind::Text => "String",
            PrimitiveKind::DateTime => "DateTime",
            PrimitiveKind::Date => "Date",
            PrimitiveKind::Integer => "Integer",
            PrimitiveKind::Number => "Number",
            PrimitiveKind::Bool => "Bool",
        }
        .into(),
        TypeRef::Array(inner) => format!("{}List", variant_name(names, inner, union_name)),
        TypeRef::Map(_) => "Map".into(),
        TypeRef::Any => "Value".into(),
    }
}

fn next_number(api: &Api, meta: &[FieldView<'_>]) -> Option<TokenStream> {
    let number = find(meta, "page_number")?;
    let total = find(meta, "total_pages")?;
    let read = |v: &FieldView<'_>| {
        let ident = &v.ident;
        // Page counters are integers in most schemas, `number` in a few.
        let widened = match query::unalias(&api.types, &v.field.ty) {
            TypeRef::Primitive(Primitive::I32) => quote!(.map(i64::from)),
            TypeRef::Primitive(Primitive::F32 | Primitive::F64) => quote!(.map(|n| n as i64)),
            _ => quote!(),
        };
        if v.optional {
            quote!(meta.#ident #widened)
        } else {
            quote!(Some(meta.#ident) #widened)
        }
    };
    let (number, total) = (read(number), read(total));
    Some(quote! { crate::runtime::next_page_number(#number, #total) })
}

/// An open string enum: the variants and the value mapping written out,
/// the trait impls derived from them by `crate::runtime::open_enum!`.
fn open_enum(
    name: &proc_macro2::Ident,
    values: &[String],
    words: &[String],
    docs: TokenStream,
    directions: Directions,
) -> TokenStream {
    let serialize_gate = directions.serialize_gate();
    let deserialize_gate = directions.deserialize_gate();
    let variants: Vec<_> = enum_variants(values, words)
        .into_iter()
        .map(|v| format_ident!("{}", v))
        .collect();
    let value_docs = values.iter().map(|v| format!(" `{v}`"));
    quote! {
        #docs
        // `Eq` comes from `open_enum!`.
        #[derive(Debug, Clone, PartialEq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #value_docs] #variants, )*
            /// A value this version of the crate does not know.
            Unknown(String),
        }

        impl #name {
            /// The value as the API writes it.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #values, )*
                    Self::Unknown(value) => value,
                }
            }

            #[inline]
            fn known(value: &str) -> Option<Self> {
                match value {
                    #( #values => Some(Self::#variants), )*
                    _ => None,
                }
            }
        }

        crate::runtime::open_enum!(#name);
        #serialize_gate
        crate::runtime::open_enum_serialize!(#name);
        #deserialize_gate
        crate::runtime::open_enum_deserialize!(#name);
    }
}

fn field_decl(
    api: &Api,
    names: &Names,
    view: &FieldView<'_>,
    directions: Directions,
    derived_serialize: bool,
) -> TokenStream {
    let mut docs = field_paragraphs(
        api,
        names,
        &view.field.name,
        &view.field.docs,
        &view.field.ty,
    );
    if view.field.deprecated {
        docs.push("**Deprecated** by the API.".into());
    }
    let docs = doc_attrs(&docs);
    let ident = &view.ident;
    let ty = &view.declared_type;
    let json = &view.field.name;
    let rename = (*ident != json).then(|| quote!(rename = #json,));
    let skip = sent_only_when_set(view).then(|| quote!(skip_serializing_if = "Option::is_none",));
    let attr = (derived_serialize && (rename.is_some() || skip.is_some()))
        .then(|| directions.serialize_attr(quote!(serde(#rename #skip))));
    quote! {
        #docs
        #attr
        pub #ident: #ty,
    }
}

/// `new(required...)` for types callers build; optional fields start empty.
fn constructor(name: &proc_macro2::Ident, views: &[FieldView<'_>], s: &Struct) -> TokenStream {
    let has_additional = s.additional.is_some();
    let required = super::fields::required_in_order(views, s);
    let params = required.iter().map(|v| {
        let ident = &v.ident;
        let ty = &v.value_type;
        quote!(#ident: impl Into<#ty>)
    });
    let inits = views.iter().map(|v| {
        let ident = &v.ident;
        if v.optional {
            quote!(#ident: None)
        } else {
            let value = wrap_value(v, quote!(#ident));
            quote!(#ident: #value)
        }
    });
    let additional = has_additional.then(|| quote!(additional_properties: Default::default(),));
    let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        impl #name {
            /// Creates a value with the required fields; optional ones start empty.
            #many
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits,)* #additional }
            }
        }
    }
}
