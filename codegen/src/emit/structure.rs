//! Structures (including exceptions) and their builders.

use proc_macro2::TokenStream;
use quote::quote;

use super::member_docs::member_docs;
use super::tokens::{
    collection_item_type, complexity_allow, deprecated_attr, doc_lines, docs_or_name, ident,
    inline_code, paragraphs, rust_type, serde_derive, serde_field,
};
use crate::ir::{ItemName, Member, Service, Shape, Structure};

/// The struct, its builder, and `Debug` implementations that redact sensitive members.
pub fn emit_structure(
    service: &Service,
    shape: &Shape,
    item: &ItemName,
    s: &Structure,
) -> TokenStream {
    let name = ident(&item.type_name);
    let builder = ident(&item.builder_name);
    let docs = doc_lines(&structure_docs(service, shape, s));
    let needs_custom_debug = shape.sensitive || s.members.iter().any(|m| m.sensitive);
    let derive_debug = (!needs_custom_debug).then(|| quote!(Debug,));
    // A streaming payload (`ByteStream`) cannot be cloned, compared or serialized.
    let streams = s.members.iter().any(|m| super::tokens::is_stream(&m.ty));
    let value_derives = (!streams).then(|| quote!(Clone,));
    let eq_derive = (!streams).then(|| quote!(PartialEq));
    let struct_derive = (!streams || derive_debug.is_some())
        .then(|| quote!(#[derive(#value_derives #derive_debug #eq_derive)]));
    let deprecated = deprecated_attr(shape.deprecated.as_ref());

    let fields = s.members.iter().map(|m| {
        let field = ident(&m.field);
        let ty = field_type(m);
        let docs = doc_lines(&member_docs(service, m));
        let deprecated = deprecated_attr(m.deprecated.as_ref());
        let serde = (!streams).then(|| serde_field(&m.name, m.optional));
        quote! { #docs #deprecated #serde pub #field: #ty, }
    });
    let builder_fields = s.members.iter().map(|m| {
        let field = ident(&m.field);
        let ty = stored_type(m);
        quote! { #field: Option<#ty>, }
    });
    let setters = s.members.iter().map(|m| setter(&item.type_name, m));
    let build = build_fn(&item.type_name, s);
    let listed = service
        .operations
        .iter()
        .any(|op| op.errors.contains(&shape.name));
    let exception = s
        .error
        .as_ref()
        .map(|_| exception_parts(shape, item, s, listed));
    let (meta_field, meta_builder_field, meta_setter, exception_impls) = match exception {
        Some(parts) => (
            Some(parts.field),
            Some(parts.builder_field),
            Some(parts.setter),
            Some(parts.impls),
        ),
        None => (None, None, None, None),
    };
    let builder_doc = format!(
        " A builder for [`{0}`]; start one with [`{0}::builder`].",
        item.type_name
    );
    let builder_fn_doc = format!(" Starts building a [`{}`].", item.type_name);
    let debug_impls = needs_custom_debug.then(|| {
        let struct_debug = debug_impl(&item.type_name, &name, shape.sensitive, &s.members);
        let builder_debug = debug_impl(&item.builder_name, &builder, shape.sensitive, &s.members);
        quote! { #struct_debug #builder_debug }
    });
    let lint_allows = setter_lint_allows(&s.members);
    let complexity = complexity_allow(s.members.iter().map(|m| &m.ty));
    let serde = (!streams).then(serde_derive);

    quote! {
        #docs
        #deprecated
        #struct_derive
        #serde
        #[non_exhaustive]
        #complexity
        pub struct #name {
            #(#fields)*
            #meta_field
        }

        impl #name {
            #[doc = #builder_fn_doc]
            pub fn builder() -> #builder {
                #builder::default()
            }
        }

        #[doc = #builder_doc]
        #[derive(#value_derives #derive_debug Default, #eq_derive)]
        #complexity
        pub struct #builder {
            #(#builder_fields)*
            #meta_builder_field
        }

        #lint_allows
        #complexity
        impl #builder {
            #(#setters)*
            #meta_setter
            #build
        }

        #debug_impls
        #exception_impls
    }
}

/// The pieces an exception adds to its struct: the response's error metadata, a builder
/// setter for it, and the `ServiceError`, `Display` and `Error` implementations.
struct ExceptionParts {
    field: TokenStream,
    builder_field: TokenStream,
    setter: TokenStream,
    impls: TokenStream,
}

fn exception_parts(shape: &Shape, item: &ItemName, s: &Structure, listed: bool) -> ExceptionParts {
    let name = ident(&item.type_name);
    let code = s
        .error
        .as_ref()
        .map(|e| e.code.as_str())
        .unwrap_or(shape.name.as_str());
    let message_member = s.members.iter().find(|m| {
        m.name.eq_ignore_ascii_case("message")
            && m.ty == crate::ir::RustType::Scalar(crate::ir::Scalar::String)
    });
    let message = match message_member {
        Some(m) if m.optional => {
            let field = ident(&m.field);
            quote! {
                fn message(&self) -> Option<&str> {
                    self.#field.as_deref().or(self.meta.message())
                }
            }
        }
        Some(m) => {
            let field = ident(&m.field);
            quote! {
                fn message(&self) -> Option<&str> {
                    Some(self.#field.as_str())
                }
            }
        }
        None => quote!(),
    };
    let retryable = s.error.as_ref().and_then(|e| e.retryable).map(|_| {
        quote! {
            fn is_retryable(&self) -> bool {
                true
            }
        }
    });
    // Response parsers attach the metadata; only errors some operation lists are parsed.
    let with_meta = listed.then(|| {
        quote! {
            impl #name {
                pub(crate) fn with_meta(mut self, meta: ::botogen_runtime::error::ErrorMeta) -> Self {
                    self.meta = meta;
                    self
                }
            }
        }
    });
    ExceptionParts {
        field: quote! {
            #[cfg_attr(feature = "serde", serde(skip))]
            meta: ::botogen_runtime::error::ErrorMeta,
        },
        builder_field: quote!(meta: ::botogen_runtime::error::ErrorMeta,),
        setter: quote! {
            /// Sets the response's error metadata (code, message, request id, status), for
            /// tests and custom transports; parsed errors carry it already.
            pub fn meta(mut self, meta: ::botogen_runtime::error::ErrorMeta) -> Self {
                self.meta = meta;
                self
            }
        },
        impls: quote! {
            #with_meta
            impl ::botogen_runtime::error::ServiceError for #name {
                fn meta(&self) -> &::botogen_runtime::error::ErrorMeta {
                    &self.meta
                }
                fn code(&self) -> &str {
                    self.meta.code().unwrap_or(#code)
                }
                #message
                #retryable
            }

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    use ::botogen_runtime::error::ServiceError as _;
                    ::botogen_runtime::error::write_service_error(f, &self.meta, self.code(), self.message())
                }
            }

            impl ::std::error::Error for #name {}
        },
    }
}

/// The struct's docs: the model's text, and its role (operation input/output, error).
fn structure_docs(service: &Service, shape: &Shape, s: &Structure) -> String {
    let mut roles = Vec::new();
    for op in &s.input_of {
        roles.push(format!(
            "Input of the {} operation ([`crate::operation::{}`]).",
            inline_code(op),
            snake_of(service, op)
        ));
    }
    for op in &s.output_of {
        roles.push(format!(
            "Output of the {} operation ([`crate::operation::{}`]).",
            inline_code(op),
            snake_of(service, op)
        ));
    }
    if let Some(error) = &s.error {
        let status = error
            .http_status
            .map(|code| format!(", HTTP status {code}"))
            .unwrap_or_default();
        roles.push(format!(
            "An error: code {}{status}.",
            inline_code(&error.code)
        ));
    }
    let own = docs_or_name(&shape.docs, "shape", &shape.name);
    paragraphs([own.as_str(), roles.join(" ").as_str()])
}

fn snake_of<'a>(service: &'a Service, op: &str) -> &'a str {
    service
        .operations
        .iter()
        .find(|o| o.name == op)
        .map(|o| o.snake_name.as_str())
        .unwrap_or_default()
}

/// The type a member's value is stored as, before `Option`: boxed when it closes a cycle.
fn stored_type(m: &Member) -> TokenStream {
    let ty = rust_type(&m.ty);
    if m.boxed { quote!(Box<#ty>) } else { ty }
}

/// The field's type in the struct.
fn field_type(m: &Member) -> TokenStream {
    let ty = stored_type(m);
    if m.optional { quote!(Option<#ty>) } else { ty }
}

/// The two setters of a member: one taking a value, one taking an `Option`.
fn setter(type_name: &str, m: &Member) -> TokenStream {
    let field = ident(&m.field);
    let setter = ident(&m.setter);
    let option_setter = ident(&m.option_setter);
    let plain = crate::ir::naming::unraw(&m.field);
    let doc = format!(" Sets the `{plain}` member of [`{type_name}`].");
    let option_doc = format!(" Sets or clears the `{plain}` member of [`{type_name}`].");
    let value_ty = rust_type(&m.ty);
    let boxed = |value: TokenStream| {
        if m.boxed {
            quote!(Box::new(#value))
        } else {
            value
        }
    };
    let param = setter_param(m);
    let store = match collection_item_type(&m.ty) {
        Some(_) => quote!(value.into_iter().collect()),
        None => boxed(quote!(value.into())),
    };
    let option_store = if m.boxed {
        quote!(value.map(Box::new))
    } else {
        quote!(value)
    };
    quote! {
        #[doc = #doc]
        pub fn #setter(mut self, value: #param) -> Self {
            self.#field = Some(#store);
            self
        }
        #[doc = #option_doc]
        pub fn #option_setter(mut self, value: Option<#value_ty>) -> Self {
            self.#field = #option_store;
            self
        }
    }
}

/// The parameter type of a member's plain setter: `impl IntoIterator<Item = _>` for lists
/// and maps, `impl Into<T>` otherwise.
pub(super) fn setter_param(m: &Member) -> TokenStream {
    match collection_item_type(&m.ty) {
        Some(item) => quote!(impl IntoIterator<Item = #item>),
        None => {
            let value_ty = rust_type(&m.ty);
            quote!(impl Into<#value_ty>)
        }
    }
}

/// `build()`: infallible unless some member is required and stored without `Option`.
fn build_fn(type_name: &str, s: &Structure) -> TokenStream {
    let name = ident(type_name);
    let inits = s.members.iter().map(|m| {
        let field = ident(&m.field);
        if m.optional {
            quote!(#field: self.#field,)
        } else {
            let member = crate::ir::naming::unraw(&m.field);
            quote!(#field: self.#field.ok_or_else(|| missing(#member))?,)
        }
    });
    let meta = s.error.as_ref().map(|_| quote!(meta: self.meta,));
    if s.has_strict_members() {
        let doc = format!(
            " Builds the [`{type_name}`], or names the first required member that is not set."
        );
        quote! {
            #[doc = #doc]
            pub fn build(self) -> Result<#name, ::botogen_runtime::BuildError> {
                let missing = |member| ::botogen_runtime::BuildError::missing_member(#type_name, member);
                Ok(#name { #(#inits)* #meta })
            }
        }
    } else {
        let doc = format!(" Builds the [`{type_name}`].");
        quote! {
            #[doc = #doc]
            pub fn build(self) -> #name {
                #name { #(#inits)* #meta }
            }
        }
    }
}

/// A `Debug` implementation printing sensitive members (or the whole value) as redacted.
fn debug_impl(
    type_name: &str,
    name: &proc_macro2::Ident,
    all_sensitive: bool,
    members: &[Member],
) -> TokenStream {
    let body = if all_sensitive {
        quote!(f.debug_tuple(#type_name).field(&::botogen_runtime::sensitive::Redacted).finish())
    } else {
        let fields = members.iter().map(|m| {
            let field = ident(&m.field);
            let label = crate::ir::naming::unraw(&m.field);
            if m.sensitive {
                quote!(.field(#label, &::botogen_runtime::sensitive::Redacted))
            } else {
                quote!(.field(#label, &self.#field))
            }
        });
        quote!(f.debug_struct(#type_name) #(#fields)* .finish())
    };
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #body
            }
        }
    }
}

/// Setter names such as `to_port`, `is_default` or `next` trip clippy's method-naming lints,
/// which do not apply to builder setters; allow them only where such a name occurs.
pub(super) fn setter_lint_allows(members: &[Member]) -> Option<TokenStream> {
    const TRAIT_METHODS: &[&str] = &[
        "add",
        "as_mut",
        "as_ref",
        "borrow",
        "borrow_mut",
        "clone",
        "cmp",
        "default",
        "deref",
        "deref_mut",
        "div",
        "drop",
        "eq",
        "from_iter",
        "from_str",
        "hash",
        "index",
        "index_mut",
        "into_iter",
        "mul",
        "neg",
        "next",
        "not",
        "rem",
        "shl",
        "shr",
        "sub",
    ];
    let names = members
        .iter()
        .flat_map(|m| [m.setter.as_str(), m.option_setter.as_str()]);
    let mut lints = Vec::new();
    let names: Vec<&str> = names.map(crate::ir::naming::unraw).collect();
    if names.iter().any(|n| {
        ["to_", "into_", "as_", "is_", "from_"]
            .iter()
            .any(|p| n.starts_with(p))
    }) {
        lints.push(quote!(clippy::wrong_self_convention));
    }
    if names.iter().any(|n| TRAIT_METHODS.contains(n)) {
        lints.push(quote!(clippy::should_implement_trait));
    }
    (!lints.is_empty()).then(|| quote!(#[allow(#(#lints),*)]))
}
