//! Resource files: accessor structs (`client.calls().actions()`) and one
//! request builder per operation. Required inputs are positional, so the
//! compiler enforces them; optional ones are setters, so a later spec can
//! add more without breaking callers.

use super::docs::{doc_attrs, field_paragraphs, paragraphs};
use super::fields::{field_views, find, FieldView};
use super::rust_type::{is_string, rust_type, Site};
use crate::ir::{
    query, Api, BodyEncoding, Location, Operation, PageInput, Pagination, Param, PathPiece,
    Primitive, Style, TypeKind, TypeRef,
};
use crate::naming::{location_key, operation_params, Names, OpName, ParamNames};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

pub struct OperationEmitter<'a> {
    pub api: &'a Api,
    pub names: &'a Names,
}

/// A generated method and its builder.
pub struct Emitted<'a> {
    pub method: TokenStream,
    pub builder: TokenStream,
    /// `call_control_id, to, from` for API.md.
    pub positional: Vec<String>,
    /// How to call it, for emitters of code that calls the API.
    pub plan: CallPlan<'a>,
}

/// The inputs of a generated method: positional arguments in order, then
/// setters.
#[derive(Default)]
pub struct CallPlan<'a> {
    pub positional: Vec<PlanInput<'a>>,
    pub setters: Vec<PlanInput<'a>>,
    /// Setters a caller must use anyway (see `ConformanceConfig`).
    pub required_setters: Vec<PlanInput<'a>>,
    /// The builder has `into_stream()`: the operation lists pages.
    pub streams: bool,
}

/// One input: the argument or setter name, the concrete Rust type a value
/// for it has, and where it goes in the request.
pub struct PlanInput<'a> {
    pub ident: Ident,
    pub ty: TokenStream,
    pub target: PlanTarget<'a>,
}

pub enum PlanTarget<'a> {
    Param(&'a Param),
    BodyField(&'a crate::ir::Field),
    Body(&'a crate::ir::Body),
}

impl PlanTarget<'_> {
    /// The input's name in the spec (`body` for a whole body).
    pub fn spec_name(&self) -> &str {
        match self {
            PlanTarget::Param(p) => &p.name,
            PlanTarget::BodyField(f) => &f.name,
            PlanTarget::Body(_) => "body",
        }
    }

    /// The input's type in the IR.
    pub fn ty(&self) -> &TypeRef {
        match self {
            PlanTarget::Param(p) => &p.ty,
            PlanTarget::BodyField(f) => &f.ty,
            PlanTarget::Body(b) => &b.ty,
        }
    }
}

/// How the request body reaches the builder.
enum BodyMode<'a> {
    None,
    /// A struct: required fields positional, optional ones setters.
    Fields {
        ty: TokenStream,
        views: Vec<FieldView<'a>>,
        has_new: bool,
        shape: &'a crate::ir::Struct,
    },
    /// Anything else, or an optional struct with required fields: one value.
    Whole {
        ty: TokenStream,
        required: bool,
    },
}

struct Input {
    ident: Ident,
    /// Parameter type in the method signature.
    arg: TokenStream,
    /// Builder field type.
    stored: TokenStream,
    /// Expression turning the argument into the stored value.
    convert: TokenStream,
}

impl<'a> OperationEmitter<'a> {
    pub fn operation<'o>(
        &self,
        op: &'o Operation,
        name: &OpName,
        resource_struct: &Ident,
    ) -> Emitted<'o>
    where
        'a: 'o,
    {
        let mut plan = CallPlan::default();
        let body = self.body_mode(op);
        let body_fields: Vec<crate::ir::Field> = match &body {
            BodyMode::Fields { views, .. } => views.iter().map(|v| v.field.clone()).collect(),
            _ => Vec::new(),
        };
        let params = operation_params(op, &body_fields, &name.renames, &self.names.words);
        let builder_name = builder_ident(name, resource_struct);
        let method_ident = format_ident!("{}", name.method);

        let mut positional: Vec<Input> = Vec::new();
        let mut stored_fields: Vec<TokenStream> = Vec::new();
        let mut inits: Vec<TokenStream> = Vec::new();
        let mut setters: Vec<TokenStream> = Vec::new();
        let mut sends: Vec<TokenStream> = Vec::new();
        // Set in `send`, not `request`, so inspecting a builder stays
        // deterministic while each logical call gets one id for all retries.
        let mut command_id = TokenStream::new();

        let path_params = path_params_in_order(op);
        for &p in &path_params {
            let input = self.path_input(p, &params);
            plan.positional.push(PlanInput {
                ident: input.ident.clone(),
                ty: self.path_value_type(p),
                target: PlanTarget::Param(p),
            });
            positional.push(input);
        }
        if !positional.is_empty() {
            sends.push(path_parts(op, &path_params, &positional));
        }
        for p in op
            .params
            .iter()
            .filter(|p| matches!(p.location, Location::Query | Location::Header))
        {
            let ident = format_ident!("{}", params.get(location_key(p.location), &p.name));
            let ty = rust_type(self.names, &p.ty, Site::Elsewhere);
            sends.push(self.send_param(p, &ident));
            let planned = PlanInput {
                ident: ident.clone(),
                ty: ty.clone(),
                target: PlanTarget::Param(p),
            };
            if p.required {
                plan.positional.push(planned);
                positional.push(Input {
                    ident: ident.clone(),
                    arg: quote!(impl Into<#ty>),
                    stored: ty,
                    convert: quote!(#ident.into()),
                });
            } else {
                plan.setters.push(planned);
                stored_fields.push(quote!(#ident: Option<#ty>,));
                inits.push(quote!(#ident: None,));
                let docs = doc_attrs(&field_paragraphs(
                    self.api, self.names, &p.name, &p.docs, &p.ty,
                ));
                setters.push(quote! {
                    #docs
                    pub fn #ident(mut self, value: impl Into<#ty>) -> Self {
                        self.#ident = Some(value.into());
                        self
                    }
                });
            }
        }
        match &body {
            BodyMode::None => {}
            BodyMode::Fields {
                ty,
                views,
                has_new,
                shape,
            } => {
                let mut args = Vec::new();
                for view in super::fields::required_in_order(views, shape) {
                    let ident = format_ident!("{}", params.get("body", &view.field.name));
                    let value_type = &view.value_type;
                    plan.positional.push(PlanInput {
                        ident: ident.clone(),
                        ty: value_type.clone(),
                        target: PlanTarget::BodyField(view.field),
                    });
                    args.push(ident.clone());
                    positional.push(Input {
                        ident: ident.clone(),
                        arg: quote!(impl Into<#value_type>),
                        stored: TokenStream::new(),
                        convert: TokenStream::new(),
                    });
                }
                // A `readOnly` property is the server's to set (OpenAPI: it
                // "SHOULD NOT be sent as part of the request"): no setter.
                for view in views.iter().filter(|v| v.optional && !v.field.read_only) {
                    let ident = format_ident!("{}", params.get("body", &view.field.name));
                    let field = &view.ident;
                    let value_type = &view.value_type;
                    plan.setters.push(PlanInput {
                        ident: ident.clone(),
                        ty: value_type.clone(),
                        target: PlanTarget::BodyField(view.field),
                    });
                    let docs = doc_attrs(&field_paragraphs(
                        self.api,
                        self.names,
                        &view.field.name,
                        &view.field.docs,
                        &view.field.ty,
                    ));
                    let value = super::fields::wrap_value(view, quote!(value));
                    let json = &view.field.name;
                    let keep_value = view
                        .clearable
                        .then(|| quote!(self.options.send_null(#json, false);));
                    setters.push(quote! {
                        #docs
                        pub fn #ident(mut self, value: impl Into<#value_type>) -> Self {
                            self.body.#field = #value;
                            #keep_value
                            self
                        }
                    });
                    if view.clearable {
                        setters.push(clear_setter(&ident, field, json));
                    }
                }
                if let Some(field) = generated_command_id(self.api, views) {
                    command_id = quote! {
                        if self.body.#field.is_none() {
                            self.body.#field = Some(crate::runtime::new_command_id());
                        }
                    };
                }
                stored_fields.push(quote!(body: #ty,));
                inits.push(if *has_new {
                    quote!(body: #ty::new(#(#args),*),)
                } else {
                    quote!(body: <#ty>::default(),)
                });
                sends.push(self.send_body(op, quote!(&self.body)));
            }
            BodyMode::Whole { ty, required: true } => {
                plan.positional.push(PlanInput {
                    ident: format_ident!("body"),
                    ty: ty.clone(),
                    target: PlanTarget::Body(op.body.as_ref().expect("a body")),
                });
                positional.push(Input {
                    ident: format_ident!("body"),
                    arg: quote!(impl Into<#ty>),
                    stored: ty.clone(),
                    convert: quote!(body.into()),
                });
                sends.push(self.send_body(op, quote!(&self.body)));
            }
            BodyMode::Whole {
                ty,
                required: false,
            } => {
                plan.setters.push(PlanInput {
                    ident: format_ident!("body"),
                    ty: ty.clone(),
                    target: PlanTarget::Body(op.body.as_ref().expect("a body")),
                });
                stored_fields.push(quote!(body: Option<#ty>,));
                inits.push(quote!(body: None,));
                setters.push(quote! {
                    /// The request body.
                    pub fn body(mut self, value: impl Into<#ty>) -> Self {
                        self.body = Some(value.into());
                        self
                    }
                });
                let send = self.send_body(op, quote!(body));
                sends.push(quote!(if let Some(body) = &self.body {
                    #send
                }));
            }
        }

        let positional_stored = positional.iter().filter(|i| !i.stored.is_empty()).map(|i| {
            let (ident, stored) = (&i.ident, &i.stored);
            quote!(#ident: #stored,)
        });
        let positional_inits = positional.iter().filter(|i| !i.stored.is_empty()).map(|i| {
            let (ident, convert) = (&i.ident, &i.convert);
            quote!(#ident: #convert,)
        });
        let args = positional.iter().map(|i| {
            let (ident, arg) = (&i.ident, &i.arg);
            quote!(#ident: #arg)
        });
        let (output, execute) = match (
            op.success.as_ref().and_then(|s| s.ty.as_ref()),
            op.raw_response(),
        ) {
            (Some(ty), _) => (
                rust_type(self.names, ty, Site::Elsewhere),
                quote!(self.client.execute_with_response(request)),
            ),
            (None, Some(media_type)) => {
                let accept = accept_header(media_type);
                sends.push(quote!(request.accept(#accept);));
                if is_text(media_type) {
                    (
                        quote!(String),
                        quote!(self.client.execute_text_with_response(request)),
                    )
                } else {
                    (
                        quote!(bytes::Bytes),
                        quote!(self.client.execute_bytes_with_response(request)),
                    )
                }
            }
            (None, None) => (
                quote!(()),
                quote!(self.client.execute_empty_with_response(request)),
            ),
        };
        let http = format_ident!("{}", op.method.as_str());
        let path = &op.path;
        let endpoint = format!("`{} {}`", op.method.as_str(), op.path);
        let mut method_docs = paragraphs(&op.docs);
        method_docs.push(endpoint.clone());
        if op.deprecated {
            method_docs.push("**Deprecated** by the API.".into());
        }
        let method_docs = doc_attrs(&method_docs);
        let builder_doc = format!(
            " Request builder for [`{resource_struct}::{}`] ({endpoint}): set optional inputs, then `.await` it, or call [`send_with_response`](Self::send_with_response) for the status and headers too.",
            name.method
        );
        let many = (positional.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let paging = self.paging(op, &builder_name, &params, &output);
        plan.streams = !paging.is_empty();
        let method = quote! {
            #method_docs
            #many
            pub fn #method_ident(&self, #(#args),*) -> #builder_name {
                #builder_name {
                    client: self.client.clone(),
                    #(#positional_inits)*
                    #(#inits)*
                    options: Default::default(),
                }
            }
        };
        let new_request =
            quote!(crate::runtime::ApiRequest::new(crate::runtime::Method::#http, #path));
        let build_request = quote! {
            let mut request = #new_request;
            #(#sends)*
            request.options(&self.options);
            request
        };
        // `send` and `IntoFuture` come from a runtime macro and call
        // `send_with_response`, so the `command_id` rule is written once.
        // The request is built before the future is, so the future carries
        // the request and not the builder with every optional input.
        let (send_self, send_docs, send_impls) = if command_id.is_empty() {
            (
                quote!(self),
                quote!(#[doc = " Sends the request; returns the decoded response with its status and headers."]),
                quote!(crate::runtime::request_send!(#builder_name, #output);),
            )
        } else {
            (
                quote!(mut self),
                quote! {
                    #[doc = " Sends the request; returns the decoded response with its status and headers."]
                    #[doc = ""]
                    #[doc = " Without a `command_id` set, a fresh one is generated here and repeated"]
                    #[doc = " on every retry, so Telnyx carries out the command at most once."]
                },
                quote!(crate::runtime::request_send!(#builder_name, #output, generates_command_id);),
            )
        };
        let builder = quote! {
            #[doc = #builder_doc]
            #[derive(Debug, Clone)]
            #[must_use = "a request does nothing until it is sent or awaited"]
            pub struct #builder_name {
                client: crate::Client,
                #(#positional_stored)*
                #(#stored_fields)*
                options: crate::runtime::RequestOptions,
            }

            impl #builder_name {
                #(#setters)*

                #send_docs
                // `#[inline]` here and on `request`, `send` and `into_future`:
                // a send path's code (its body's serialization, its
                // response's decoding) is then generated in the crate that
                // calls it, for the operations it calls, instead of for
                // every operation in this crate's own build.
                #[inline]
                pub fn send_with_response(#send_self) -> impl std::future::Future<Output = Result<crate::ApiResponse<#output>, crate::Error>> + Send + 'static {
                    #command_id
                    let request = self.request();
                    #execute
                }

                /// The request this builder sends, for inspection in tests.
                #[doc(hidden)]
                #[inline]
                pub fn request(&self) -> crate::runtime::ApiRequest {
                    #build_request
                }
            }

            crate::runtime::request_options!(#builder_name);
            #send_impls
            #paging
        };
        Emitted {
            method,
            builder,
            positional: positional.iter().map(|i| i.ident.to_string()).collect(),
            plan,
        }
    }

    fn body_mode(&self, op: &Operation) -> BodyMode<'a> {
        let Some(body) = &op.body else {
            return BodyMode::None;
        };
        let ty = rust_type(self.names, &body.ty, Site::Elsewhere);
        let def = match &body.ty {
            TypeRef::Named(_) => query::resolve(&self.api.types, &body.ty),
            _ => None,
        };
        match def.map(|d| (d, &d.kind)) {
            Some((def, TypeKind::Struct(s))) => {
                let views = field_views(self.api, self.names, s, Site::Elsewhere);
                let has_new = views.iter().any(|v| !v.optional);
                if has_new && !body.required {
                    return BodyMode::Whole {
                        ty,
                        required: false,
                    };
                }
                let named = rust_type(self.names, &TypeRef::Named(def.id.clone()), Site::Elsewhere);
                BodyMode::Fields {
                    ty: named,
                    views,
                    has_new,
                    shape: s,
                }
            }
            _ => BodyMode::Whole {
                ty,
                required: body.required,
            },
        }
    }

    /// Sets the request body `body` (a reference to the stored body) in the
    /// encoding its media type asks for.
    fn send_body(&self, op: &Operation, body: TokenStream) -> TokenStream {
        let spec = op.body.as_ref().expect("an operation with a body");
        match spec.encoding() {
            BodyEncoding::Json => quote!(request.json_body(#body);),
            BodyEncoding::Form => quote!(request.form_body(#body);),
            BodyEncoding::Multipart => {
                let files = file_properties(self.api, &spec.ty);
                quote!(request.multipart_body(#body, &[#(#files),*]);)
            }
            BodyEncoding::Binary if is_string(self.api, &spec.ty) => {
                let media_type = &spec.media_type;
                quote!(request.binary_body(Clone::clone(#body), #media_type);)
            }
            // A structured body under another media type: JSON is all the
            // types can say.
            BodyEncoding::Binary => quote!(request.json_body(#body);),
        }
    }

    /// A concrete type for a path value (the argument is generic).
    fn path_value_type(&self, p: &Param) -> TokenStream {
        if is_string(self.api, &p.ty) {
            quote!(String)
        } else {
            rust_type(self.names, &p.ty, Site::Elsewhere)
        }
    }

    fn path_input(&self, p: &Param, params: &ParamNames) -> Input {
        let ident = format_ident!("{}", params.get("path", &p.name));
        if is_string(self.api, &p.ty) {
            Input {
                arg: quote!(impl Into<String>),
                stored: quote!(String),
                convert: quote!(#ident.into()),
                ident,
            }
        } else {
            Input {
                arg: quote!(impl std::fmt::Display),
                stored: quote!(String),
                convert: quote!(#ident.to_string()),
                ident,
            }
        }
    }

    fn send_param(&self, p: &Param, ident: &Ident) -> TokenStream {
        let json = &p.name;
        match p.location {
            Location::Header => {
                let value = if is_string(self.api, &p.ty) {
                    quote!(value)
                } else {
                    quote!(&value.to_string())
                };
                if p.required {
                    quote!({ let value = &self.#ident; request.header(#json, #value); })
                } else {
                    quote!(if let Some(value) = &self.#ident { request.header(#json, #value); })
                }
            }
            _ => {
                let style = match (p.style, p.explode) {
                    (Style::DeepObject, _) => quote!(crate::runtime::QueryStyle::DeepObject),
                    (Style::SpaceDelimited, _) => {
                        quote!(crate::runtime::QueryStyle::SpaceDelimited)
                    }
                    (Style::PipeDelimited, _) => quote!(crate::runtime::QueryStyle::PipeDelimited),
                    (_, explode) => quote!(crate::runtime::QueryStyle::Form { explode: #explode }),
                };
                quote!(request.query(#json, #style, &self.#ident);)
            }
        }
    }

    /// `PagedRequest` + `into_stream` for list operations.
    fn paging(
        &self,
        op: &Operation,
        builder: &Ident,
        params: &ParamNames,
        output: &TokenStream,
    ) -> TokenStream {
        let (shape, cursor) = match &op.pagination {
            Pagination::PageNumber(shape) => (shape, false),
            Pagination::Cursor(shape) => (shape, true),
            Pagination::None => return TokenStream::new(),
        };
        let Some((place, number_type)) = self.page_place(op, &shape.input, params) else {
            return TokenStream::new();
        };
        let item = rust_type(self.names, &shape.item, Site::Elsewhere);
        let set = if cursor {
            quote! {
                if let crate::runtime::NextPage::After(cursor) = next {
                    #place = Some(cursor.clone());
                }
            }
        } else {
            // The page number is an `i64` in the runtime; the spec types it
            // `int32` in some operations and `number` in a few.
            let number = match number_type {
                TypeRef::Primitive(Primitive::I32) => {
                    quote!(i32::try_from(*number).unwrap_or(i32::MAX))
                }
                TypeRef::Primitive(Primitive::F64) => quote!(*number as f64),
                TypeRef::Primitive(Primitive::F32) => quote!(*number as f32),
                _ => quote!(*number),
            };
            quote! {
                if let crate::runtime::NextPage::Number(number) = next {
                    #place = Some(#number);
                }
            }
        };
        quote! {
            impl crate::runtime::PagedRequest for #builder {
                type Page = #output;
                #[inline]
                fn with_next_page(mut self, next: &crate::runtime::NextPage) -> Self {
                    #set
                    self
                }
                #[inline]
                fn fetch_page(self) -> impl std::future::Future<Output = Result<Self::Page, crate::Error>> + Send {
                    self.send()
                }
            }

            impl #builder {
                /// Every item of every page, fetched lazily page after page.
                #[inline]
                pub fn into_stream(self) -> impl futures_util::Stream<Item = Result<#item, crate::Error>> + Send {
                    crate::runtime::into_stream(self)
                }
            }
        }
    }

    /// The builder place the next page is written to, and its type: the
    /// deepObject's field (the object created on demand) or the flat
    /// parameter. `None` when the input is not an optional place.
    fn page_place(
        &self,
        op: &'a Operation,
        input: &PageInput,
        params: &ParamNames,
    ) -> Option<(TokenStream, &'a TypeRef)> {
        match input {
            PageInput::Param(name) => {
                let param = query_param(op, name)?;
                let ident = format_ident!("{}", params.get("query", name));
                Some((
                    quote!(self.#ident),
                    query::unalias(&self.api.types, &param.ty),
                ))
            }
            PageInput::Field { param, field } => {
                let param = query_param(op, param)?;
                let page_struct = query::struct_of(&self.api.types, &param.ty)?;
                let views = field_views(self.api, self.names, page_struct, Site::Elsewhere);
                if views.iter().any(|v| !v.optional) {
                    return None;
                }
                let target = find(&views, field)?;
                let page_ident = format_ident!("{}", params.get("query", &param.name));
                let field_ident = &target.ident;
                Some((
                    quote!(self.#page_ident.get_or_insert_with(Default::default).#field_ident),
                    query::unalias(&self.api.types, &target.field.ty),
                ))
            }
        }
    }
}

/// `clear_<setter>()`: sends the field as `null`, which is how the API is
/// told to remove a value; leaving the field out keeps it.
fn clear_setter(setter: &Ident, field: &Ident, json: &str) -> TokenStream {
    let ident = format_ident!("clear_{}", setter.to_string().trim_start_matches("r#"));
    let doc = format!(
        " Sends `{json}` as `null`, which removes its value; unless this or [`{setter}`](Self::{setter}) is called, the field is left out and its value kept."
    );
    quote! {
        #[doc = #doc]
        pub fn #ident(mut self) -> Self {
            self.body.#field = None;
            self.options.send_null(#json, true);
            self
        }
    }
}

/// The body's optional string `command_id` field, which Telnyx uses to
/// ignore a repeated command, so generating one makes retries safe.
fn generated_command_id<'v>(api: &Api, views: &'v [FieldView<'_>]) -> Option<&'v Ident> {
    let view = find(views, "command_id")?;
    (view.optional && !view.field.boxed && is_string(api, &view.field.ty)).then_some(&view.ident)
}

fn query_param<'o>(op: &'o Operation, name: &str) -> Option<&'o Param> {
    op.params
        .iter()
        .find(|p| p.location == Location::Query && p.name == name && !p.required)
}

/// `request.path(..)` with the path template split into its literal text
/// and the builder's fields for its placeholders, so that the runtime
/// parses no template. `path_params` and `positional` are in the same
/// order.
fn path_parts(op: &Operation, path_params: &[&Param], positional: &[Input]) -> TokenStream {
    let parts = op.path_pieces.iter().map(|piece| match piece {
        PathPiece::Literal(text) => quote!(crate::runtime::PathPart::Literal(#text)),
        PathPiece::Placeholder(name) => {
            let index = path_params
                .iter()
                .position(|p| p.name == *name)
                .expect("IR invariant: every placeholder is a path parameter");
            let ident = &positional[index].ident;
            quote!(crate::runtime::PathPart::Param(#name, &self.#ident))
        }
    });
    quote!(request.path(&[#(#parts),*]);)
}

fn path_params_in_order(op: &Operation) -> Vec<&Param> {
    let order: Vec<&str> = op.path_placeholders().collect();
    let mut params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == Location::Path)
        .collect();
    params.sort_by_key(|p| order.iter().position(|n| n == &p.name));
    params
}

/// The properties of a multipart body (any of its union's variants) that
/// are files: `format: binary` (or `byte`) strings.
fn file_properties(api: &Api, body: &TypeRef) -> Vec<String> {
    let mut files = Vec::new();
    let structs = query::body_structs(&api.types, body);
    for field in structs.into_iter().flat_map(|s| &s.fields) {
        let binary = matches!(
            query::unalias(&api.types, &field.ty),
            TypeRef::Primitive(Primitive::Bytes)
        );
        if binary && !files.contains(&field.name) {
            files.push(field.name.clone());
        }
    }
    files
}

/// `Accept` for a response of `media_type`: the spec's `*` is `*/*`.
fn accept_header(media_type: &str) -> String {
    match media_type.trim() {
        "*" => "*/*".to_owned(),
        other => other.to_owned(),
    }
}

/// A `text/*` response is handed over as a `String`, any other as bytes.
fn is_text(media_type: &str) -> bool {
    media_type.trim().starts_with("text/")
}

/// `Answer` for `answer`; never the resource struct's own name.
pub fn builder_ident(name: &OpName, resource_struct: &Ident) -> Ident {
    let base = crate::naming::builder_base(&name.method);
    if *resource_struct == base {
        format_ident!("{base}Request")
    } else {
        format_ident!("{base}")
    }
}
