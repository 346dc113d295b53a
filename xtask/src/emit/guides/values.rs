//! A sampled JSON value (`crate::sample`) → the Rust expression a user
//! would write for it: string literals, enum variants, `Type::new(..)` with
//! the required fields, `vec![..]`. What the conformance suite decodes from
//! JSON, a guide spells out, so that the snippet reads as real code.

use crate::emit::fields::{field_views, required_in_order};
use crate::emit::rust_type::Site;
use crate::emit::types::untagged_variant_names;
use crate::ir::{Api, Primitive, PrimitiveKind, TypeKind, TypeRef};
use crate::naming::{enum_variants, Names};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;
use std::collections::BTreeSet;

/// Where the expression goes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// An `impl Into<T>` argument (or `impl Display` for a path value):
    /// `"text"` will do for a `String`.
    Into,
    /// A place of type `T` exactly, such as a `vec![..]` element or a union
    /// variant's content.
    Exact,
}

/// What a snippet's expressions need beyond the crate itself.
#[derive(Default)]
pub struct Uses {
    /// Types imported with `use telnyx_api::types::{..}`.
    pub types: BTreeSet<String>,
    /// `serde_json::json!` for free-form JSON.
    pub serde_json: bool,
}

/// Names a snippet never imports, so the prelude and the snippet's own
/// code keep their meaning; such a type is written with its full path.
const NOT_IMPORTED: [&str; 11] = [
    "Option", "Result", "String", "Vec", "Box", "Some", "None", "Ok", "Err", "Default", "Client",
];

pub struct Values<'a> {
    pub api: &'a Api,
    pub names: &'a Names,
}

impl Values<'_> {
    /// The expression for `value` as a `ty`; `Err` says why there is none
    /// (a value the sample cut short, or one the type does not admit).
    pub fn expr(
        &self,
        ty: &TypeRef,
        value: &Value,
        place: Place,
        uses: &mut Uses,
    ) -> Result<TokenStream, String> {
        match ty {
            TypeRef::Primitive(p) => primitive(*p, value, place),
            TypeRef::Array(inner) => {
                let items = value
                    .as_array()
                    .ok_or_else(|| format!("expected an array, the sample is {value}"))?
                    .iter()
                    .map(|item| self.expr(inner, item, Place::Exact, uses))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(quote!(vec![#(#items),*]))
            }
            TypeRef::Map(inner) => {
                let object = value
                    .as_object()
                    .ok_or_else(|| format!("expected an object, the sample is {value}"))?;
                let entries = object
                    .iter()
                    .map(|(key, item)| {
                        let item = self.expr(inner, item, Place::Exact, uses)?;
                        Ok(quote!((#key.to_string(), #item)))
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                Ok(quote!(std::collections::BTreeMap::from([#(#entries),*])))
            }
            TypeRef::Any => {
                uses.serde_json = true;
                let json = json_tokens(value);
                Ok(quote!(serde_json::json!(#json)))
            }
            TypeRef::Named(id) => {
                let id = self.names.canonical(id);
                let def = self.api.type_def(id);
                let name = self.names.type_name(id).to_string();
                match &def.kind {
                    TypeKind::Alias(inner) => self.expr(inner, value, place, uses),
                    TypeKind::Enum(e) => {
                        let text = value.as_str().ok_or_else(|| {
                            format!("expected a string for `{name}`, the sample is {value}")
                        })?;
                        let index = e.values.iter().position(|v| v == text).unwrap_or(0);
                        let variants = enum_variants(&e.values, &self.names.words);
                        let variant = variants
                            .get(index)
                            .ok_or_else(|| format!("`{name}` lists no values"))?;
                        let path = type_path(&name, uses);
                        let variant = format_ident!("{}", variant);
                        Ok(quote!(#path::#variant))
                    }
                    TypeKind::Struct(s) => {
                        let views = field_views(self.api, self.names, s, Site::Elsewhere);
                        let path = type_path(&name, uses);
                        if views.iter().all(|v| v.optional) {
                            return Ok(quote!(#path::default()));
                        }
                        let args = required_in_order(&views, s)
                            .into_iter()
                            .map(|view| {
                                let item = value.get(&view.field.name).ok_or_else(|| {
                                    format!("the sample of `{name}` lacks `{}`", view.field.name)
                                })?;
                                self.expr(&view.field.ty, item, Place::Into, uses)
                            })
                            .collect::<Result<Vec<_>, _>>()?;
                        Ok(quote!(#path::new(#(#args),*)))
                    }
                    TypeKind::TaggedUnion(u) => {
                        let tag = value.get(&u.property).and_then(Value::as_str);
                        let index = u
                            .variants
                            .iter()
                            .position(|v| tag.is_some_and(|t| v.tags.iter().any(|x| x == t)))
                            .unwrap_or(0);
                        let first_tags: Vec<String> =
                            u.variants.iter().map(|v| v.tags[0].clone()).collect();
                        let variants = enum_variants(&first_tags, &self.names.words);
                        let (Some(variant), Some(inner)) =
                            (variants.get(index), u.variants.get(index))
                        else {
                            return Err(format!("`{name}` has no variants"));
                        };
                        let content = self.expr(&inner.ty, value, Place::Exact, uses)?;
                        let path = type_path(&name, uses);
                        let variant = format_ident!("{}", variant);
                        Ok(quote!(#path::#variant(#content)))
                    }
                    TypeKind::UntaggedUnion(u) => {
                        // A union with a plain string variant takes a `&str`
                        // (`impl From<&str>`): a caller writes `"+1800…"`
                        // rather than a one-element list.
                        let takes_text =
                            u.variants.contains(&TypeRef::Primitive(Primitive::String));
                        let text = value
                            .as_str()
                            .or_else(|| value.as_array()?.first()?.as_str());
                        if let (true, Place::Into, Some(text)) = (takes_text, place, text) {
                            return Ok(quote!(#text));
                        }
                        // The sampler fills in the first variant; the others
                        // are tried for a value that came from an example.
                        let variants = untagged_variant_names(self.names, u, &name);
                        let mut reasons = Vec::new();
                        for (variant, inner) in variants.iter().zip(&u.variants) {
                            match self.expr(inner, value, Place::Exact, uses) {
                                Ok(content) => {
                                    let path = type_path(&name, uses);
                                    let variant = format_ident!("{}", variant);
                                    return Ok(quote!(#path::#variant(#content)));
                                }
                                Err(reason) => reasons.push(reason),
                            }
                        }
                        Err(format!(
                            "no variant of `{name}` fits: {}",
                            reasons.join("; ")
                        ))
                    }
                }
            }
        }
    }
}

/// `Name`, imported, or `telnyx_api::types::Name` where importing it would
/// shadow a name the snippet uses.
fn type_path(name: &str, uses: &mut Uses) -> TokenStream {
    let ident = format_ident!("{}", name);
    if NOT_IMPORTED.contains(&name) {
        quote!(telnyx_api::types::#ident)
    } else {
        uses.types.insert(name.to_string());
        quote!(#ident)
    }
}

fn primitive(p: Primitive, value: &Value, place: Place) -> Result<TokenStream, String> {
    let mismatch = || format!("expected {:?}, the sample is {value}", p.kind());
    match p.kind() {
        PrimitiveKind::Text => {
            let text = value.as_str().ok_or_else(mismatch)?;
            Ok(match place {
                Place::Into => quote!(#text),
                Place::Exact => quote!(#text.to_string()),
            })
        }
        // A timestamp a caller passes is usually "now"; any one is valid.
        PrimitiveKind::DateTime => Ok(quote!(telnyx_api::DateTime::now())),
        PrimitiveKind::Date => {
            let text = value.as_str().ok_or_else(mismatch)?;
            let mut parts = text.splitn(3, '-').map(|n| n.parse::<u32>().ok());
            let (Some(Some(year)), Some(Some(month)), Some(Some(day))) =
                (parts.next(), parts.next(), parts.next())
            else {
                return Err(mismatch());
            };
            let year = Literal::i32_unsuffixed(i32::try_from(year).map_err(|_| mismatch())?);
            let (month, day) = (Literal::u32_unsuffixed(month), Literal::u32_unsuffixed(day));
            Ok(quote!(telnyx_api::Date::from_ymd_opt(#year, #month, #day).unwrap_or_default()))
        }
        PrimitiveKind::Integer => {
            let number = value.as_i64().ok_or_else(mismatch)?;
            // An unsuffixed literal is an `i32`, which converts into `i64`.
            let fits_i32 = i32::try_from(number).is_ok();
            Ok(match (p, place, fits_i32) {
                (Primitive::I64, Place::Exact, _) | (_, _, false) => {
                    let literal = Literal::i64_suffixed(number);
                    quote!(#literal)
                }
                _ => {
                    let literal = Literal::i64_unsuffixed(number);
                    quote!(#literal)
                }
            })
        }
        PrimitiveKind::Number => {
            let number = value.as_f64().ok_or_else(mismatch)?;
            Ok(if p == Primitive::F32 {
                let literal = Literal::f32_suffixed(number as f32);
                quote!(#literal)
            } else {
                let literal = Literal::f64_unsuffixed(number);
                quote!(#literal)
            })
        }
        PrimitiveKind::Bool => {
            let flag = value.as_bool().ok_or_else(mismatch)?;
            Ok(quote!(#flag))
        }
    }
}

/// The tokens of `serde_json::json!(..)` for a value: JSON's own syntax.
fn json_tokens(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(null),
        Value::Bool(flag) => quote!(#flag),
        Value::Number(number) => match (number.as_i64(), number.as_f64()) {
            (Some(int), _) => {
                let literal = Literal::i64_unsuffixed(int);
                quote!(#literal)
            }
            (None, Some(float)) => {
                let literal = Literal::f64_unsuffixed(float);
                quote!(#literal)
            }
            (None, None) => quote!(null),
        },
        Value::String(text) => quote!(#text),
        Value::Array(items) => {
            let items = items.iter().map(json_tokens);
            quote!([#(#items),*])
        }
        Value::Object(object) => {
            let entries = object.iter().map(|(key, item)| {
                let item = json_tokens(item);
                quote!(#key: #item)
            });
            quote!({ #(#entries),* })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(tokens: Result<TokenStream, String>) -> String {
        tokens.expect("a value").to_string()
    }

    #[test]
    fn numbers_take_a_suffix_only_where_inference_needs_one() {
        let int = |p, v, place| text(primitive(p, &json!(v), place));
        assert_eq!(int(Primitive::I64, 30, Place::Into), "30");
        assert_eq!(int(Primitive::I64, 30, Place::Exact), "30i64");
        assert_eq!(
            int(Primitive::I64, 5_000_000_000i64, Place::Into),
            "5000000000i64"
        );
        assert_eq!(int(Primitive::I32, 7, Place::Exact), "7");
        assert_eq!(
            text(primitive(Primitive::F32, &json!(0.5), Place::Into)),
            "0.5f32"
        );
        assert_eq!(
            text(primitive(Primitive::F64, &json!(1), Place::Into)),
            "1.0"
        );
    }

    #[test]
    fn strings_dates_and_mismatches() {
        assert_eq!(
            text(primitive(Primitive::Uuid, &json!("a"), Place::Into)),
            "\"a\""
        );
        assert_eq!(
            text(primitive(Primitive::String, &json!("a"), Place::Exact)),
            "\"a\" . to_string ()"
        );
        assert_eq!(
            text(primitive(
                Primitive::Date,
                &json!("2024-01-02"),
                Place::Into
            )),
            "telnyx_api :: Date :: from_ymd_opt (2024 , 1 , 2) . unwrap_or_default ()"
        );
        assert!(primitive(Primitive::Date, &json!("soon"), Place::Into).is_err());
        assert!(primitive(Primitive::Bool, &json!("yes"), Place::Into).is_err());
    }

    #[test]
    fn free_json_is_written_as_json() {
        let value = json!({"a": [1, 2.5, null, true], "b": "x"});
        assert_eq!(
            json_tokens(&value).to_string(),
            "{ \"a\" : [1 , 2.5 , null , true] , \"b\" : \"x\" }"
        );
    }
}
