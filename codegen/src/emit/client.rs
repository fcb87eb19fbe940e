//! The client side of the generated crate (feature `client`): `src/client.rs` with the
//! service marker, `Config`, and `Client` with a method per operation; and, in each
//! operation's module, its fluent builder ending in `send()` and, for operations that page,
//! its paginator. Everything here is a thin layer over `botogen_runtime::client` and
//! `botogen_runtime::paginate`, so the per-operation code stays a few lines.

use proc_macro2::TokenStream;
use quote::quote;

use super::examples::required_member_calls;
use super::structure::setter_param;
use super::tokens::{deprecated_attr, doc_lines, ident, inline_code, inner_doc_lines, rust_type};
use crate::ir::{Member, Operation, Paginator, RustType, Service, ShapeKind, Structure};

/// Client method names that would clash with the `Client`'s own methods get this suffix.
const CLIENT_METHODS: &[&str] = &["new", "from_env", "config"];

/// `src/client.rs`.
pub fn client_rs(service: &Service, krate: &str) -> TokenStream {
    let meta = &service.meta;
    let name = &meta.full_name;
    let signing_name = &meta.signing_name;
    let module_docs = inner_doc_lines(&format!(
        "The client for {}: [`Client`] has a method per operation, each returning a fluent builder whose `send().await` signs the request, sends it, retries it when that is safe and parses the answer.\n\n[`Config`] holds the settings: region, credentials, endpoint override, retries, timeouts and HTTP client. [`Config::builder`] falls back on the environment for what is not set (`AWS_REGION`, the credential chain of environment variables and shared profile files, and the default HTTP client of the `reqwest` feature).\n\n```no_run\n# async fn example() -> Result<(), Box<dyn std::error::Error>> {{\nuse {krate}::{{Client, Config}};\n\nlet config = Config::builder().region(\"us-east-1\").build()?;\nlet client = Client::new(config);\n# let _ = client;\n# Ok(())\n# }}\n```",
        inline_code_free(name)
    ));
    let methods = service
        .operations
        .iter()
        .map(|op| client_method(service, op, krate));
    let waiter_methods = super::waiter::client_methods(service, krate);
    let waiter_reexport = super::waiter::client_reexport(service);
    let marker_doc = format!(
        " Marks configurations of {}; see [`Config`].",
        inline_code_free(name)
    );
    quote! {
        #module_docs

        #[doc = #marker_doc]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub struct Service;

        impl ::botogen_runtime::client::Service for Service {
            const NAME: &'static str = #name;
            const SIGNING_NAME: &'static str = #signing_name;
            const ENDPOINT_RULES: &'static str = include_str!("endpoint_rules.json");
        }

        /// The client's configuration; build it with [`Config::builder`].
        pub type Config = ::botogen_runtime::client::Config<Service>;

        /// Builds a [`Config`].
        pub type ConfigBuilder = ::botogen_runtime::client::ConfigBuilder<Service>;

        /// Why a call failed: the operation's error (modelled, unhandled, invalid input or an
        /// unreadable response), a transport failure, the call timeout, or a failure to
        /// resolve the endpoint, get credentials or sign.
        pub type SdkError<E> = ::botogen_runtime::client::InvokeError<E>;

        pub use ::botogen_runtime::client::ConfigError;
        pub use ::botogen_runtime::credentials::{Credentials, ProvideCredentials, ProvideToken, Token};
        pub use ::botogen_runtime::paginate::{Items, Pages};
        pub use ::botogen_runtime::retry::RetryConfig;
        pub use ::botogen_runtime::transport::{HttpClient, ReplayClient, Timeouts};
        #waiter_reexport

        /// Sends requests to the service; cheap to clone (clones share the configuration,
        /// its retry quota and connection pool).
        #[derive(Clone, Debug)]
        pub struct Client {
            config: Config,
        }

        impl Client {
            /// A client with `config`.
            pub fn new(config: Config) -> Self {
                Self { config }
            }

            /// A client configured from the environment alone (region, credentials, default
            /// HTTP client); see [`Config::builder`].
            ///
            /// # Errors
            ///
            /// A setting the environment does not provide, such as the region.
            pub fn from_env() -> Result<Self, ConfigError> {
                Config::builder().build().map(Self::new)
            }

            /// The client's configuration.
            pub fn config(&self) -> &Config {
                &self.config
            }

            #(#methods)*
            #waiter_methods
        }
    }
}

/// Text for a doc comment, with backticks and brackets neutralised.
fn inline_code_free(text: &str) -> String {
    super::tokens::inline_text(text)
}

/// The client method's name for `op`.
fn method_name(op: &Operation) -> String {
    let plain = crate::ir::naming::unraw(&op.snake_name);
    if CLIENT_METHODS.contains(&plain) {
        format!("{plain}_operation")
    } else {
        op.snake_name.clone()
    }
}

fn client_method(service: &Service, op: &Operation, krate: &str) -> TokenStream {
    let method = ident(&method_name(op));
    let module = ident(&op.snake_name);
    let builder = ident(&fluent_name(op));
    let summary = super::operation::first_sentence(&op.docs, &op.name);
    let mut docs = format!(
        "Calls {}: {summary}\n\nSet the input's members on the returned builder, then `send().await` it.",
        inline_code(&op.name)
    );
    if op.paginator.is_some() {
        docs.push_str(" The operation pages: `into_paginator()` walks every page.");
    }
    docs.push_str(&format!(
        " See [`operation::{plain}`](crate::operation::{plain}) for the input, output and errors.\n\n```no_run\n# async fn example(client: &{krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{\nlet output = client\n    .{call}(){calls}\n    .send()\n    .await?;\n# let _ = output;\n# Ok(())\n# }}\n```",
        plain = crate::ir::naming::unraw(&op.snake_name),
        call = crate::ir::naming::unraw(&method_name(op)),
        calls = input_structure(service, op)
            .and_then(|s| required_member_calls(service, s, krate))
            .unwrap_or_default(),
    ));
    let docs = doc_lines(&docs);
    let deprecated = deprecated_attr(op.deprecated.as_ref());
    quote! {
        #docs
        #deprecated
        pub fn #method(&self) -> crate::operation::#module::#builder {
            crate::operation::#module::#builder::new(self.config.clone())
        }
    }
}

fn fluent_name(op: &Operation) -> String {
    format!("{}FluentBuilder", crate::ir::naming::unraw(&type_stem(op)))
}

fn paginator_name(op: &Operation) -> String {
    format!("{}Paginator", crate::ir::naming::unraw(&type_stem(op)))
}

/// `ListRecords` for the operation whose error enum is `ListRecordsError`.
fn type_stem(op: &Operation) -> String {
    op.error_type_name
        .strip_suffix("Error")
        .unwrap_or(&op.error_type_name)
        .to_owned()
}

/// The structure named `name`, if it is one.
fn structure<'a>(service: &'a Service, name: Option<&str>) -> Option<&'a Structure> {
    match &service.shape(name?)?.kind {
        ShapeKind::Structure(s) => Some(s),
        _ => None,
    }
}

fn input_structure<'a>(service: &'a Service, op: &Operation) -> Option<&'a Structure> {
    structure(service, op.input.as_deref())
}

fn output_structure<'a>(service: &'a Service, op: &Operation) -> Option<&'a Structure> {
    structure(service, op.output.as_deref())
}

/// The type name of a shape's generated item, as tokens under `crate::types`.
fn item_type(service: &Service, shape: Option<&str>) -> Option<(TokenStream, TokenStream)> {
    let item = service.shape(shape?)?.item.as_ref()?;
    let ty = ident(&item.type_name);
    let builder = ident(&item.builder_name);
    Some((
        quote!(crate::types::#ty),
        quote!(crate::types::builders::#builder),
    ))
}

/// The fluent builder (and paginator) of `op`, for its operation module.
pub fn fluent(service: &Service, op: &Operation) -> TokenStream {
    let name = ident(&fluent_name(op));
    let error = ident(&op.error_type_name);
    let auth = super::operation::auth_scheme(service, op).tokens();
    let op_name = &op.name;
    let op_name = quote!(::botogen_runtime::client::OperationSpec::new(#op_name, #auth));
    let output_ty =
        item_type(service, op.output.as_deref()).map_or_else(|| quote!(()), |(ty, _)| ty);
    let doc = format!(
        " Sends {} through a [`Client`](crate::Client): set the input's members, then call [`send`](Self::send).",
        inline_code(&op.name)
    );
    let input = input_structure(service, op).zip(item_type(service, op.input.as_deref()));
    let (input_field, input_init, setters, send_input, input_access) = match input {
        Some((s, (_, builder))) => {
            let setters = s.members.iter().map(forwarding_setters);
            let build = if s.has_strict_members() {
                quote!(self.input.build())
            } else {
                quote!(Ok(self.input.build()))
            };
            (
                quote!(input: #builder,),
                quote!(input: #builder::default(),),
                quote!(#(#setters)*),
                match streaming_send(service, op) {
                    Some(call) => call(&op_name, &build),
                    None => quote! {
                        ::botogen_runtime::client::send(
                            self.config.client_config(), #op_name, #build, self.validation,
                            serialize_request, parse_response::<Vec<u8>>,
                        ).await
                    },
                },
                quote! {
                    /// Replaces the whole input with `input`.
                    pub fn input(mut self, input: #builder) -> Self {
                        self.input = input;
                        self
                    }

                    /// The input as set so far.
                    pub fn as_input(&self) -> &#builder {
                        &self.input
                    }
                },
            )
        }
        None => (
            quote!(),
            quote!(),
            quote!(),
            match streaming_send(service, op) {
                Some(call) => call(&op_name, &quote!(Ok(()))),
                None => quote! {
                    ::botogen_runtime::client::send(
                        self.config.client_config(), #op_name, Ok(()), self.validation,
                        |_: &(), _| serialize_request(), parse_response::<Vec<u8>>,
                    ).await
                },
            },
            quote!(),
        ),
    };
    // A no-input operation passes a closure returning the error enum, which clippy checks
    // for `result_large_err` as a function of its own.
    let send_allow = op
        .input
        .is_none()
        .then(|| super::operation::large_error_allow(service, op))
        .flatten();
    let lint_allows =
        input_structure(service, op).and_then(|s| super::structure::setter_lint_allows(&s.members));
    let complexity = input_structure(service, op)
        .and_then(|s| super::tokens::complexity_allow(s.members.iter().map(|m| &m.ty)));
    let paginator = op
        .paginator
        .as_ref()
        .and_then(|p| paginator(service, op, p, &output_ty));
    // An input holding a stream (`ByteStream`) cannot be cloned.
    let clone = super::operation::stream_payload(service, op.input.as_deref())
        .is_none()
        .then(|| quote!(Clone,));
    quote! {
        #[doc = #doc]
        #[cfg(feature = "client")]
        #[derive(#clone Debug)]
        #[must_use = "nothing is sent until `send()` is awaited"]
        pub struct #name {
            config: crate::client::Config,
            #input_field
            validation: ::botogen_runtime::validate::Validation,
        }

        #[cfg(feature = "client")]
        #lint_allows
        #complexity
        impl #name {
            pub(crate) fn new(config: crate::client::Config) -> Self {
                Self {
                    config,
                    #input_init
                    validation: ::botogen_runtime::validate::Validation::Enabled,
                }
            }

            #setters
            #input_access

            /// Whether the input is checked against the model's constraints before anything is
            /// sent; on by default.
            pub fn validation(mut self, validation: ::botogen_runtime::validate::Validation) -> Self {
                self.validation = validation;
                self
            }

            /// Sends the request and parses the answer, retrying throttling errors, 5xx
            /// responses and transient I/O failures as the configuration allows.
            ///
            /// # Errors
            ///
            /// [`SdkError::Service`](crate::client::SdkError::Service) holds this operation's
            /// error enum: a modelled error, an unhandled one, input rejected before sending, or
            /// a response that could not be read; the other variants are failures to reach the
            /// service.
            #send_allow
            pub async fn send(self) -> Result<#output_ty, crate::client::SdkError<#error>> {
                #send_input
            }
        }

        #paginator
    }
}

/// For an operation with a streaming payload (input or output), a function making the call
/// of `botogen_runtime::client::send_streaming` from the operation spec and the built input.
#[allow(clippy::type_complexity)]
fn streaming_send(
    service: &Service,
    op: &Operation,
) -> Option<Box<dyn Fn(&TokenStream, &TokenStream) -> TokenStream>> {
    let input = super::operation::stream_payload(service, op.input.as_deref()).is_some();
    let output = super::operation::stream_payload(service, op.output.as_deref()).is_some();
    if !input && !output {
        return None;
    }
    let serialize = if op.input.is_some() {
        quote!(serialize_request)
    } else {
        quote!(|_: &(), _| serialize_request())
    };
    let take_body = if input {
        quote!(take_body)
    } else {
        quote!(|_| None)
    };
    let parse_streaming = if output {
        quote!(Some(parse_streaming_output))
    } else {
        quote!(None)
    };
    Some(Box::new(move |op_name, build| {
        quote! {
            ::botogen_runtime::client::send_streaming(
                self.config.client_config(), #op_name, #build, self.validation,
                #serialize, #take_body, parse_response::<Vec<u8>>, #parse_streaming,
            ).await
        }
    }))
}

/// `items()` (or `items_<key>()`) of a paginator: the list at `path` (member names from the
/// output down) of every page, as one stream.
fn items_method(
    service: &Service,
    output: &Structure,
    path: &[String],
    method: &str,
    output_ty: &TokenStream,
    error: &proc_macro2::Ident,
) -> Option<TokenStream> {
    let mut holder = output;
    // An `Option` of the value reached so far.
    let mut reach = quote!();
    let mut list = None;
    for (i, name) in path.iter().enumerate() {
        let m = holder.members.iter().find(|m| &m.name == name)?;
        let field = ident(&m.field);
        reach = match (i, m.optional) {
            (0, true) => quote!(output.#field),
            (0, false) => quote!(Some(output.#field)),
            (_, true) => quote!(#reach.and_then(|value| value.#field)),
            (_, false) => quote!(#reach.map(|value| value.#field)),
        };
        if i + 1 == path.len() {
            list = Some(m);
        } else {
            holder = match &service.shape(&m.target)?.kind {
                ShapeKind::Structure(s) => s,
                _ => return None,
            };
        }
    }
    let list = list?;
    let RustType::List { element, .. } = &list.ty else {
        return None;
    };
    let item_ty = rust_type(element);
    let take = if path.len() == 1 && !list.optional {
        let field = ident(&list.field);
        quote!(output.#field)
    } else {
        quote!(#reach.unwrap_or_default())
    };
    let method = ident(method);
    let doc = format!(
        " The items of every page (the output's `{}`), as a stream; the first page is requested when the stream is first polled.",
        path.join(".")
    );
    Some(quote! {
        #[doc = #doc]
        pub fn #method(self) -> ::botogen_runtime::paginate::Items<#output_ty, #item_ty, crate::client::SdkError<#error>> {
            self.send().items(|output| #take)
        }
    })
}

/// The two setters of `m`, forwarding to the input builder's.
fn forwarding_setters(m: &Member) -> TokenStream {
    let setter = ident(&m.setter);
    let option_setter = ident(&m.option_setter);
    let plain = crate::ir::naming::unraw(&m.name);
    let doc = format!(" Sets the input's `{plain}`.");
    let option_doc = format!(" Sets or clears the input's `{plain}`.");
    let param = setter_param(m);
    let value_ty = rust_type(&m.ty);
    quote! {
        #[doc = #doc]
        pub fn #setter(mut self, value: #param) -> Self {
            self.input = self.input.#setter(value);
            self
        }

        #[doc = #option_doc]
        pub fn #option_setter(mut self, value: Option<#value_ty>) -> Self {
            self.input = self.input.#option_setter(value);
            self
        }
    }
}

/// The paginator of `op`: `into_paginator()` on the fluent builder and the paginator type.
fn paginator(
    service: &Service,
    op: &Operation,
    p: &Paginator,
    output_ty: &TokenStream,
) -> Option<TokenStream> {
    let input = input_structure(service, op)?;
    let output = output_structure(service, op)?;
    let member = |s: &'_ Structure, name: &str| s.members.iter().find(|m| m.name == name).cloned();
    let input_token = member(input, &p.input_token)?;
    let output_token = member(output, &p.output_token)?;
    let fluent = ident(&fluent_name(op));
    let name = ident(&paginator_name(op));
    let error = ident(&op.error_type_name);
    let token_setter = ident(&input_token.option_setter);
    let token_field = ident(&output_token.field);
    let read_token = if output_token.optional {
        quote!(output.#token_field.as_deref())
    } else {
        quote!(Some(output.#token_field.as_str()))
    };
    let how = if p.inferred {
        format!(
            "inferred from the shapes: the input's {} and the output's {}",
            inline_code(&p.input_token),
            inline_code(&p.output_token)
        )
    } else {
        format!(
            "from the model's `paginators-1.json`: the input's {} and the output's {}",
            inline_code(&p.input_token),
            inline_code(&p.output_token)
        )
    };
    let doc = doc_lines(&format!(
        "Pages through {}, sending the token each response hands back ({how}).\n\nPaging stops after a response without a token (or with the token just sent) and after the first error. Start one with [`{}::into_paginator`].",
        inline_code(&op.name),
        fluent_name(op)
    ));
    let page_size = p.limit.as_ref().and_then(|limit| {
        let m = member(input, limit)?;
        let setter = ident(&m.setter);
        let ty = setter_param(&m);
        let doc = format!(
            " Asks for at most `size` results per page (the input's `{}`).",
            m.name
        );
        Some(quote! {
            #[doc = #doc]
            pub fn page_size(mut self, size: #ty) -> Self {
                self.builder = self.builder.#setter(size);
                self
            }
        })
    });
    let items = p.items.iter().filter_map(|path| {
        let method = match p.items.as_slice() {
            [_] => "items".to_owned(),
            _ => format!("items_{}", crate::ir::naming::snake(path.last()?)),
        };
        items_method(service, output, path, &method, output_ty, &error)
    });
    let items = quote!(#(#items)*);
    Some(quote! {
        #[cfg(feature = "client")]
        impl #fluent {
            /// Pages through every result, starting from the token set on this builder (if
            /// any); see the paginator's documentation.
            pub fn into_paginator(self) -> #name {
                #name { builder: self }
            }
        }

        #doc
        #[cfg(feature = "client")]
        #[derive(Clone, Debug)]
        #[must_use = "pages are fetched only when the stream is polled"]
        pub struct #name {
            builder: #fluent,
        }

        #[cfg(feature = "client")]
        impl #name {
            #page_size

            /// The pages, as a stream; the first page is requested when the stream is first
            /// polled.
            pub fn send(self) -> ::botogen_runtime::paginate::Pages<#output_ty, crate::client::SdkError<#error>> {
                let builder = self.builder;
                ::botogen_runtime::paginate::Pages::new(
                    move |token: Option<String>| -> ::botogen_runtime::transport::BoxFuture<'static, Result<#output_ty, crate::client::SdkError<#error>>> {
                        let mut request = builder.clone();
                        if token.is_some() {
                            request = request.#token_setter(token);
                        }
                        Box::pin(request.send())
                    },
                    |output: &#output_ty| #read_token,
                )
            }

            #items
        }
    })
}
