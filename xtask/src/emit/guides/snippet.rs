//! The Rust of a guide: one function per snippet, written once and used
//! twice — shown in the guide and compiled into the test target that runs
//! it against the mock, so what a reader copies is what was run.

use super::values::{Place, Uses, Values};
use crate::emit::conformance::names_input;
use crate::emit::fields::{field_views, FieldView};
use crate::emit::operations::{CallPlan, PlanInput, PlanTarget};
use crate::emit::rust_type::Site;
use crate::ir::{query, Api, Location, Primitive, TypeKind, TypeRef};
use crate::naming::{Names, OpName};
use crate::sample::Sampler;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

/// One function of a guide.
pub struct Snippet {
    /// Its name, unique within the guide.
    pub function: String,
    /// The function, formatted: what the guide shows and the test compiles.
    pub code: String,
    pub needs_futures_util: bool,
    pub needs_serde_json: bool,
}

/// What a snippet needs to call an operation: the builder expression.
pub struct Call {
    pub builder: TokenStream,
    pub uses: Uses,
}

pub struct SnippetWriter<'a> {
    pub api: &'a Api,
    pub names: &'a Names,
    pub sampler: Sampler<'a>,
}

impl<'a> SnippetWriter<'a> {
    pub fn new(api: &'a Api, names: &'a Names) -> Self {
        SnippetWriter {
            api,
            names,
            sampler: Sampler::for_requests(api),
        }
    }

    fn values(&self) -> Values<'_> {
        Values {
            api: self.api,
            names: self.names,
        }
    }

    /// `client.calls().actions().answer("…")` with the required inputs,
    /// the setters the conformance config makes required, and the named
    /// optional input (a spec name).
    /// `also_required` are optional inputs (spec names) the operation needs
    /// all the same, as `conformance.also_required` in `spec/sdk.yml` lists.
    pub fn call(
        &self,
        name: &OpName,
        plan: &CallPlan<'_>,
        optional: Option<&str>,
        also_required: &[String],
    ) -> Result<Call, String> {
        let mut uses = Uses::default();
        let args = plan
            .positional
            .iter()
            .map(|input| self.input_value(input, &mut uses))
            .collect::<Result<Vec<_>, _>>()?;
        let needed = plan
            .setters
            .iter()
            .filter(|s| names_input(s, also_required) && optional != Some(s.target.spec_name()));
        let chosen = optional.and_then(|spec_name| {
            plan.setters
                .iter()
                .find(|s| s.target.spec_name() == spec_name)
        });
        let setters = plan
            .required_setters
            .iter()
            .chain(needed)
            .chain(chosen)
            .map(|input| {
                let ident = &input.ident;
                let value = self.input_value(input, &mut uses)?;
                Ok(quote!(.#ident(#value)))
            })
            .collect::<Result<Vec<_>, String>>()?;
        let resources = name.resource.iter().map(|r| format_ident!("{}", r));
        let method = format_ident!("{}", name.method);
        Ok(Call {
            builder: quote!(client #(.#resources())* .#method(#(#args),*) #(#setters)*),
            uses,
        })
    }

    fn input_value(&self, input: &PlanInput<'_>, uses: &mut Uses) -> Result<TokenStream, String> {
        if let Some(text) = self.text_example(&input.target) {
            return Ok(quote!(#text));
        }
        let sample = match &input.target {
            PlanTarget::Param(p) => self.sampler.param(p),
            PlanTarget::BodyField(f) => self.sampler.property(f),
            PlanTarget::Body(b) => self.sampler.value(&b.ty),
        };
        let sample = match (&input.target, sample) {
            // A path value must not be empty; the spec's example sometimes is.
            (PlanTarget::Param(p), Value::String(text))
                if p.location == Location::Path && text.is_empty() =>
            {
                Value::String(p.name.clone())
            }
            (_, sample) => named_placeholders(sample, input.target.spec_name()),
        };
        self.values()
            .expr(input.target.ty(), &sample, Place::Into, uses)
            .map_err(|reason| format!("input `{}`: {reason}", input.target.spec_name()))
    }

    /// The spec's example string for an input that is a union with a
    /// plain string variant (`to`: one number or a list): the union takes
    /// a `&str`, and the example reads better than the sampled variant.
    fn text_example(&self, target: &PlanTarget<'_>) -> Option<String> {
        let example = match target {
            PlanTarget::Param(p) => p.example.as_ref(),
            PlanTarget::BodyField(f) => f.example.as_ref(),
            PlanTarget::Body(_) => None,
        }?;
        let def = query::resolve(&self.api.types, target.ty())?;
        let TypeKind::UntaggedUnion(u) = &def.kind else {
            return None;
        };
        let has_text = u
            .variants
            .iter()
            .any(|v| matches!(v, TypeRef::Primitive(Primitive::String)));
        has_text.then(|| example.as_str().map(str::to_string))?
    }

    /// A section's function: the call, then one field of what came back.
    pub fn section(
        &self,
        function: &str,
        op: usize,
        plan: &CallPlan<'_>,
        call: Call,
    ) -> Result<Snippet, String> {
        let builder = &call.builder;
        let success = self.api.operations[op]
            .success
            .as_ref()
            .and_then(|s| s.ty.as_ref());
        let (body, streams) = match success {
            Some(page) if plan.streams => (self.first_item(builder, page), true),
            Some(ty) => {
                let show = self.show(&format_ident!("response"), ty);
                (quote! { let response = #builder.await?; #show }, false)
            }
            None => (
                quote! {
                    let response = #builder.send_with_response().await?;
                    println!("{}", response.status());
                },
                false,
            ),
        };
        let stream_use = streams.then(|| {
            quote!(
                use futures_util::TryStreamExt;
            )
        });
        let type_uses = type_uses(&call.uses);
        let ident = format_ident!("{}", function);
        let tokens = quote! {
            async fn #ident(client: &telnyx_api::Client) -> Result<(), telnyx_api::Error> {
                #stream_use
                #type_uses
                #body
                Ok(())
            }
        };
        Ok(Snippet {
            function: function.to_string(),
            code: format_item(tokens)?,
            needs_futures_util: streams,
            needs_serde_json: call.uses.serde_json,
        })
    }

    /// The first item of a list, through `into_stream()`, which fetches
    /// further pages only when they are read.
    fn first_item(&self, builder: &TokenStream, page: &TypeRef) -> TokenStream {
        let item = format_ident!("item");
        let show = match self.page_item(page) {
            Some(ty) => self.show_field(&item, &ty),
            None => print_whole(&item),
        };
        quote! {
            let mut items = std::pin::pin!(#builder.into_stream());
            if let Some(#item) = items.try_next().await? {
                #show
            }
        }
    }

    /// The item type of a page: its `data` array's element.
    fn page_item(&self, page: &TypeRef) -> Option<TypeRef> {
        let page = query::struct_of(&self.api.types, page)?;
        let data = page.fields.iter().find(|f| f.name == "data")?;
        match query::unalias(&self.api.types, &data.ty) {
            TypeRef::Array(item) => Some((**item).clone()),
            _ => None,
        }
    }

    /// Prints what matters in a response: its `data`'s telling field, or
    /// its own, or the whole value when it is no struct.
    fn show(&self, value: &Ident, ty: &TypeRef) -> TokenStream {
        let Some(s) = query::struct_of(&self.api.types, ty) else {
            return print_whole(value);
        };
        let views = field_views(self.api, self.names, s, Site::Elsewhere);
        let Some(data) = views.iter().find(|v| v.field.name == "data") else {
            return self.show_field(value, ty);
        };
        let data_ident = &data.ident;
        let inner = format_ident!("data");
        let show_inner = match query::unalias(&self.api.types, &data.field.ty) {
            TypeRef::Array(_) => quote!(println!("{} items", #inner.len());),
            other => self.show_field(&inner, other),
        };
        if data.optional {
            quote! {
                if let Some(#inner) = &#value.#data_ident {
                    #show_inner
                }
            }
        } else {
            self.show_place(&quote!(#value.#data_ident), &data.field.ty)
        }
    }

    /// `println!("{:?}", value.id)`: the field a reader looks for first.
    fn show_field(&self, value: &Ident, ty: &TypeRef) -> TokenStream {
        match self.telling_ident(ty) {
            Some(field) => quote!(println!("{:?}", #value.#field);),
            None => print_whole(value),
        }
    }

    /// As [`show_field`](Self::show_field), for a place such as
    /// `response.data`, which cannot go inside a format string.
    fn show_place(&self, place: &TokenStream, ty: &TypeRef) -> TokenStream {
        match query::unalias(&self.api.types, ty) {
            TypeRef::Array(_) => quote!(println!("{} items", #place.len());),
            _ => match self.telling_ident(ty) {
                Some(field) => quote!(println!("{:?}", #place.#field);),
                None => quote!(println!("{:?}", #place);),
            },
        }
    }

    fn telling_ident(&self, ty: &TypeRef) -> Option<Ident> {
        let s = query::struct_of(&self.api.types, ty)?;
        let views = field_views(self.api, self.names, s, Site::Elsewhere);
        telling_field(&views).map(|v| v.ident.clone())
    }
}

/// The sampler's filler for a string without example, `"string"`, is
/// replaced by the name of the property or input it fills, as a reader
/// would write a placeholder: `answer("call_control_id")`.
fn named_placeholders(value: Value, name: &str) -> Value {
    match value {
        Value::String(text) if text == FILLER => Value::String(name.to_string()),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|item| named_placeholders(item, name))
                .collect(),
        ),
        Value::Object(object) => Value::Object(
            object
                .into_iter()
                .map(|(key, item)| {
                    let item = named_placeholders(item, &key);
                    (key, item)
                })
                .collect(),
        ),
        other => other,
    }
}

/// What `crate::sample` makes up for a string it knows nothing about.
const FILLER: &str = "string";

/// `println!("{value:?}")`: a plain variable goes inside the format
/// string, as clippy's `uninlined_format_args` asks.
fn print_whole(value: &Ident) -> TokenStream {
    let format = format!("{{{value}:?}}");
    quote!(println!(#format);)
}

/// Fields a reader of a response looks for first, in this order.
const TELLING_FIELDS: [&str; 9] = [
    "id",
    "call_control_id",
    "result",
    "status",
    "name",
    "phone_number",
    "record_type",
    "created_at",
    "url",
];

/// The field a snippet prints: a telling one, else the first required,
/// else the first. Only fields a struct types with a known JSON name count.
fn telling_field<'v, 'a>(views: &'v [FieldView<'a>]) -> Option<&'v FieldView<'a>> {
    TELLING_FIELDS
        .iter()
        .find_map(|name| views.iter().find(|v| v.field.name == *name))
        .or_else(|| views.iter().find(|v| !v.optional))
        .or_else(|| views.first())
}

/// `use telnyx_api::types::{A, B};` for what the values named.
pub fn type_uses(uses: &Uses) -> TokenStream {
    let names: Vec<Ident> = uses.types.iter().map(|n| format_ident!("{}", n)).collect();
    match names.as_slice() {
        [] => TokenStream::new(),
        [one] => quote!(use telnyx_api::types::#one;),
        many => quote!(use telnyx_api::types::{#(#many),*};),
    }
}

/// One item, formatted as every generated file is (prettyplease).
pub fn format_item(tokens: TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| format!("the snippet does not parse ({e}); this is a generator bug"))?;
    Ok(prettyplease::unparse(&file))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn made_up_strings_become_the_names_of_what_they_fill() {
        let sample = json!({"to": "string", "tags": ["string"], "from": "+18005550101", "n": 1});
        assert_eq!(
            named_placeholders(sample, "body"),
            json!({"to": "to", "tags": ["tags"], "from": "+18005550101", "n": 1})
        );
        assert_eq!(named_placeholders(json!("string"), "id"), json!("id"));
    }
}
