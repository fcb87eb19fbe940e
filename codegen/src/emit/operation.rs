//! One module per operation: its documentation, its error enum, and the sans-IO functions
//! `serialize_request` (input -> `http::Request`) and `parse_response`
//! (`http::Response` -> output or error).

use proc_macro2::TokenStream;
use quote::quote;

use super::codec::{fn_name, format_tokens, needs_validation, timestamp_format};
use super::protocol::{with_member_value, write_member};
use super::tokens::{deprecation_text, doc_lines, ident, inline_code, inner_doc_lines, paragraphs};
use crate::ir::{
    HttpBinding, Member, Operation, PathSegment, Scalar, Service, Shape, ShapeKind, Structure,
    TimestampFormat,
};

/// The operation's module.
pub fn emit_operation(service: &Service, op: &Operation) -> TokenStream {
    let docs = module_docs(service, op);
    let error = error_enum(service, op);
    let serialize = serialize_request(service, op);
    let parse = parse_response(service, op);
    let take_body = take_body(service, op);
    quote! {
        #docs
        #error
        #serialize
        #take_body
        #parse
    }
}

/// The payload member of `structure` (an operation's input or output) when it is a stream
/// (a `ByteStream`).
pub(super) fn stream_payload<'a>(
    service: &'a Service,
    structure: Option<&str>,
) -> Option<&'a Member> {
    match &service.shape(structure?)?.kind {
        ShapeKind::Structure(s) => s
            .members
            .iter()
            .find(|m| m.binding == HttpBinding::Payload && super::tokens::is_stream(&m.ty)),
        _ => None,
    }
}

/// For an input with a streaming payload, `take_body`: moves the stream out of the input for
/// the client, which sends it as the request body.
fn take_body(service: &Service, op: &Operation) -> TokenStream {
    let Some(member) = stream_payload(service, op.input.as_deref()) else {
        return quote!();
    };
    let Some(ty) = op
        .input
        .as_deref()
        .and_then(|name| service.shape(name)?.item.as_ref())
        .map(|item| ident(&item.type_name))
    else {
        return quote!();
    };
    let field = ident(&member.field);
    let body = if member.optional {
        quote!(input.#field)
    } else {
        quote!(Some(input.#field))
    };
    quote! {
        /// The streaming payload of `input`, which the client sends as the request body.
        #[cfg(feature = "client")]
        pub(crate) fn take_body(input: crate::types::#ty) -> Option<::botogen_runtime::ByteStream> {
            #body
        }
    }
}

fn module_docs(service: &Service, op: &Operation) -> TokenStream {
    let type_link = |shape: &str| match service.shape(shape).and_then(|s| s.item.as_ref()) {
        Some(item) => format!("[`{0}`](crate::types::{0})", item.type_name),
        None => inline_code(shape),
    };
    let mut facts = vec![format!(
        "**HTTP:** {}",
        inline_code(&format!("{} {}", op.method, uri_text(op)))
    )];
    if let Some(input) = &op.input {
        facts.push(format!("**Input:** {}", type_link(input)));
    }
    if let Some(output) = &op.output {
        facts.push(format!("**Output:** {}", type_link(output)));
    }
    if !op.errors.is_empty() {
        let errors: Vec<String> = op.errors.iter().map(|e| type_link(e)).collect();
        facts.push(format!("**Errors:** {}", errors.join(", ")));
    }
    if let Some(prefix) = &op.host_prefix {
        facts.push(format!(
            "**Host prefix:** {} (put before the endpoint's host)",
            inline_code(prefix)
        ));
    }
    match auth_scheme(service, op) {
        Auth::SigV4 => {}
        Auth::SigV4UnsignedPayload => {
            facts.push("**Auth:** SigV4 over an unsigned payload (`UNSIGNED-PAYLOAD`)".to_owned());
        }
        Auth::Bearer => facts.push("**Auth:** a bearer token from the configuration".to_owned()),
        Auth::Unsigned => facts.push("**Auth:** none; the request is sent unsigned".to_owned()),
    }
    if let Some(deprecation) = &op.deprecated {
        facts.push(deprecation_text(deprecation));
    }
    let title = format!("The {} operation.", inline_code(&op.name));
    let facts = facts
        .iter()
        .map(|f| format!("- {f}"))
        .collect::<Vec<_>>()
        .join("\n");
    let module = format!("crate::operation::{}", op.snake_name);
    let usage = format!(
        "Use [`serialize_request`]({module}::serialize_request) to turn the input into an HTTP request (relative to the service endpoint, unsigned) and [`parse_response`]({module}::parse_response) to read the answer."
    );
    let usage = usage.as_str();
    inner_doc_lines(&paragraphs([
        title.as_str(),
        op.docs.as_str(),
        facts.as_str(),
        usage,
    ]))
}

/// The request URI as the model writes it.
pub(super) fn uri_text(op: &Operation) -> String {
    let mut text: String = op
        .uri
        .path
        .iter()
        .map(|segment| match segment {
            PathSegment::Literal(literal) => literal.clone(),
            PathSegment::Label { name, greedy } => {
                format!("{{{name}{}}}", if *greedy { "+" } else { "" })
            }
        })
        .collect();
    for (i, (key, value)) in op.uri.fixed_query.iter().enumerate() {
        text.push(if i == 0 { '?' } else { '&' });
        text.push_str(key);
        if let Some(value) = value {
            text.push('=');
            text.push_str(value);
        }
    }
    text
}

/// How the client authenticates an operation's requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Auth {
    /// SigV4 over the body's hash.
    SigV4,
    /// SigV4 over `UNSIGNED-PAYLOAD`.
    SigV4UnsignedPayload,
    /// A bearer token.
    Bearer,
    /// Unsigned (`NoAuth`).
    Unsigned,
}

impl Auth {
    /// The runtime's `AuthScheme` value.
    pub(super) fn tokens(self) -> TokenStream {
        let variant = match self {
            Auth::SigV4 => quote!(SigV4),
            Auth::SigV4UnsignedPayload => quote!(SigV4UnsignedPayload),
            Auth::Bearer => quote!(Bearer),
            Auth::Unsigned => quote!(NoAuth),
        };
        quote!(::botogen_runtime::client::AuthScheme::#variant)
    }
}

/// The operation's auth: the first scheme of its `auth` list the runtime supports, else its
/// `authtype`, else the service's first supported scheme, else SigV4; SigV4 is over an
/// unsigned payload when the model says so (`unsignedPayload`, `v4-unsigned-body`).
pub(super) fn auth_scheme(service: &Service, op: &Operation) -> Auth {
    let from_id = |id: &String| match id.as_str() {
        "aws.auth#sigv4" => Some(Auth::SigV4),
        "smithy.api#httpBearerAuth" => Some(Auth::Bearer),
        "smithy.api#noAuth" => Some(Auth::Unsigned),
        _ => None,
    };
    let scheme = op
        .auth
        .iter()
        .find_map(from_id)
        .or(match op.authtype.as_deref() {
            Some("none") => Some(Auth::Unsigned),
            Some("bearer") => Some(Auth::Bearer),
            Some("v4" | "v4-unsigned-body") => Some(Auth::SigV4),
            _ => None,
        })
        .or_else(|| service.meta.auth.iter().find_map(from_id))
        .unwrap_or(Auth::SigV4);
    let unsigned = op.unsigned_payload || op.authtype.as_deref() == Some("v4-unsigned-body");
    if scheme == Auth::SigV4 && unsigned {
        Auth::SigV4UnsignedPayload
    } else {
        scheme
    }
}

/// The `{label}`s of a host prefix, in order.
fn host_labels(prefix: &str) -> impl Iterator<Item = &str> {
    prefix
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(label, _)| label))
}

/// Statements setting the request's host prefix, its labels read from the input's
/// `hostLabel` members (lowering checked that each label has one); nothing without a prefix.
fn host_prefix(
    service: &Service,
    op: &Operation,
    input: Option<(&Structure, &str)>,
    error: &proc_macro2::Ident,
) -> TokenStream {
    let Some(prefix) = &op.host_prefix else {
        return quote!();
    };
    let mut bindings = Vec::new();
    let mut pairs = Vec::new();
    for (i, label) in host_labels(prefix).enumerate() {
        let Some((member, root)) = input.and_then(|(s, root)| {
            s.members
                .iter()
                .find(|m| m.host_label && m.name == label)
                .map(|m| (m, root))
        }) else {
            continue;
        };
        let var = ident(&format!("host_label_{i}"));
        let value = member_value(member, root, error);
        let text = text_of(service, member, quote!(value), TimestampFormat::Iso8601);
        let expr = &text.expr;
        bindings.push(quote!(let #var = { #value #expr };));
        pairs.push(if text.owned {
            quote!((#label, #var.as_str()))
        } else {
            quote!((#label, #var))
        });
    }
    quote! {
        #(#bindings)*
        parts.host_prefix(#prefix, &[#(#pairs),*]).map_err(#error::Validation)?;
    }
}

/// The modelled errors of an operation: (variant, type) for each exception shape.
fn error_variants<'a>(
    service: &'a Service,
    op: &'a Operation,
) -> impl Iterator<Item = (&'a Shape, &'a str)> + 'a {
    op.errors.iter().filter_map(|name| {
        let shape = service.shape(name)?;
        match &shape.kind {
            ShapeKind::Structure(Structure {
                error: Some(info), ..
            }) => Some((shape, info.variant.as_str())),
            _ => None,
        }
    })
}

fn error_enum(service: &Service, op: &Operation) -> TokenStream {
    let name = ident(&op.error_type_name);
    let doc = format!(" Errors of the {} operation.", inline_code(&op.name));
    let modelled: Vec<(&Shape, &str)> = error_variants(service, op).collect();
    let variants = modelled.iter().map(|(shape, variant)| {
        let variant = ident(variant);
        let ty = shape.item.as_ref().map(|i| ident(&i.type_name));
        let doc = doc_lines(&first_sentence(&shape.docs, &shape.name));
        quote!(#doc #variant(crate::types::#ty),)
    });
    let names: Vec<_> = modelled.iter().map(|(_, variant)| ident(variant)).collect();
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// An error response this operation does not model; code, message and body are kept.
            Unhandled(::botogen_runtime::error::Unhandled),
            /// The input broke a constraint of the model; nothing was sent.
            Validation(::botogen_runtime::error::ValidationError),
            /// The response could not be read.
            Response(::botogen_runtime::error::ResponseError),
        }
        ::botogen_runtime::error_impls!(#name { #(#names),* });
        // Named by a `use`, outside the macro call, so the path stays an ordinary path.
        use crate::Error;
        ::botogen_runtime::into_service_error!(#name => Error { #(#names),* });
    }
}

/// The first sentence of some docs, for variant docs (or the shape's name).
pub(super) fn first_sentence(docs: &str, name: &str) -> String {
    let first = docs.lines().next().unwrap_or_default();
    let sentence = match first.find(". ") {
        Some(end) => &first[..=end],
        None => first,
    };
    if sentence.trim().is_empty() || sentence.starts_with(['-', '>', '`', '*']) {
        format!("The {} error.", inline_code(name))
    } else {
        sentence.trim().to_owned()
    }
}

fn method_tokens(method: &str) -> TokenStream {
    match method {
        "GET" => quote!(::http::Method::GET),
        "PUT" => quote!(::http::Method::PUT),
        "POST" => quote!(::http::Method::POST),
        "DELETE" => quote!(::http::Method::DELETE),
        "PATCH" => quote!(::http::Method::PATCH),
        "HEAD" => quote!(::http::Method::HEAD),
        _ => quote!(::http::Method::OPTIONS),
    }
}

fn serialize_request(service: &Service, op: &Operation) -> TokenStream {
    let error = ident(&op.error_type_name);
    let allow = large_error_allow(service, op);
    let method = method_tokens(&op.method);
    let input_shape = op.input.as_deref().and_then(|name| service.shape(name));
    let structure = input_shape.and_then(|shape| match &shape.kind {
        ShapeKind::Structure(s) => Some((shape, s)),
        _ => None,
    });
    let fixed_query = op.uri.fixed_query.iter().map(|(key, value)| match value {
        Some(value) => quote!(parts.query.push(#key, #value);),
        None => quote!(parts.query.push_key(#key);),
    });
    let Some((shape, s)) = structure else {
        let path = op.uri.path.iter().map(|segment| match segment {
            PathSegment::Literal(text) => push_literal(text),
            PathSegment::Label { .. } => quote!(),
        });
        let host = host_prefix(service, op, None, &error);
        return quote! {
            /// Builds the HTTP request of this operation, which has no input.
            #allow
            pub fn serialize_request() -> Result<::http::Request<Vec<u8>>, #error> {
                let mut parts = ::botogen_runtime::rest::RequestParts::new(#method);
                #host
                #(#path)*
                #(#fixed_query)*
                parts.finish().map_err(#error::Validation)
            }
        };
    };
    let input_ty = ident(
        &shape
            .item
            .as_ref()
            .map(|i| i.type_name.clone())
            .unwrap_or_default(),
    );
    let root = &shape.name;
    let validate = needs_validation(service, &shape.name, &mut Vec::new()).then(|| {
        let f = fn_name("validate", shape);
        quote! {
            if validation.is_enabled() {
                crate::protocol::#f(input, &::botogen_runtime::validate::Path::Root(#root)).map_err(#error::Validation)?;
            }
        }
    });
    let validation_param = if validate.is_some() {
        quote!(validation)
    } else {
        quote!(_validation)
    };
    let path = op.uri.path.iter().map(|segment| match segment {
        PathSegment::Literal(text) => push_literal(text),
        PathSegment::Label { name, greedy } => {
            let Some(member) = s
                .members
                .iter()
                .find(|m| matches!(&m.binding, HttpBinding::Label { name: n } if n == name))
            else {
                return quote!();
            };
            let value = member_value(member, root, &error);
            let text = text_of(service, member, quote!(value), TimestampFormat::Iso8601).as_str();
            quote!({ #value ::botogen_runtime::rest::push_label(parts.path(), #text, #greedy); })
        }
    });
    let query = s
        .members
        .iter()
        .filter(|m| matches!(m.binding, HttpBinding::Query { .. }))
        .map(|m| query_member(service, m));
    let query_maps = s
        .members
        .iter()
        .filter(|m| m.binding == HttpBinding::QueryMap)
        .map(|m| query_map_member(service, m));
    let headers = s
        .members
        .iter()
        .filter_map(|m| header_member(service, m, &error));
    let body = request_body(service, s);
    let host = host_prefix(service, op, Some((s, root)), &error);
    // An input without members contributes nothing to the request.
    let input_param = if s.members.is_empty() {
        quote!(_input)
    } else {
        quote!(input)
    };
    let stream_doc = stream_payload(service, op.input.as_deref()).map(|m| {
        let doc = format!(
            " The streaming payload {} is the body only when its bytes are in memory ([`ByteStream::as_bytes`](::botogen_runtime::ByteStream::as_bytes)); otherwise the body is left empty for the caller to send from the stream (the client does).",
            inline_code(&m.name)
        );
        quote!(#[doc = ""] #[doc = #doc])
    });
    quote! {
        /// Builds the HTTP request for `input`: method, path and query relative to the service
        /// endpoint, headers and body, unsigned. With [`Validation::Enabled`](::botogen_runtime::validate::Validation)
        /// the input is first checked against the model's constraints.
        #stream_doc
        #allow
        pub fn serialize_request(
            #input_param: &crate::types::#input_ty,
            #validation_param: ::botogen_runtime::validate::Validation,
        ) -> Result<::http::Request<Vec<u8>>, #error> {
            #validate
            let mut parts = ::botogen_runtime::rest::RequestParts::new(#method);
            #host
            #(#path)*
            #(#fixed_query)*
            #(#query)*
            #(#query_maps)*
            #(#headers)*
            #body
            parts.finish().map_err(#error::Validation)
        }
    }
}

/// Appends literal path text (a single character as a `char`, as clippy prefers).
fn push_literal(text: &str) -> TokenStream {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => quote!(parts.path().push(#c);),
        _ => quote!(parts.path().push_str(#text);),
    }
}

/// `let value = &input.<field>;` for a member that must be present (labels).
fn member_value(member: &Member, root: &str, error: &proc_macro2::Ident) -> TokenStream {
    let field = ident(&member.field);
    let name = &member.name;
    if member.optional {
        quote! {
            let Some(value) = &input.#field else {
                return Err(#error::Validation(::botogen_runtime::validate::missing(
                    &::botogen_runtime::validate::Path::Root(#root).member(#name),
                )));
            };
        }
    } else {
        quote!(let value = &input.#field;)
    }
}

/// The text of a scalar value for a label, query value or header.
struct Text {
    /// The expression.
    expr: TokenStream,
    /// It evaluates to a `String` (else to a `&str`).
    owned: bool,
}

impl Text {
    /// The text as a `&str` argument.
    fn as_str(&self) -> TokenStream {
        let expr = &self.expr;
        if self.owned {
            quote!(&#expr)
        } else {
            quote!(#expr)
        }
    }
}

/// The text of a scalar value; `value` is an expression of type `&T`.
fn scalar_text(
    service: &Service,
    shape_name: &str,
    member_format: Option<TimestampFormat>,
    value: TokenStream,
    default: TimestampFormat,
    jsonvalue: bool,
) -> Text {
    let rest = quote!(::botogen_runtime::rest);
    let owned = |expr| Text { expr, owned: true };
    let borrowed = |expr| Text { expr, owned: false };
    let Some(shape) = service.shape(shape_name) else {
        return owned(quote!(String::new()));
    };
    match &shape.kind {
        ShapeKind::Scalar(Scalar::String) if jsonvalue => owned(quote!(#rest::json_header(#value))),
        ShapeKind::Scalar(Scalar::String) => borrowed(quote!(#value.as_str())),
        ShapeKind::Enum(_) => borrowed(quote!(#value.as_str())),
        ShapeKind::Scalar(Scalar::Byte | Scalar::Short | Scalar::Integer | Scalar::Long) => {
            owned(quote!(#value.to_string()))
        }
        ShapeKind::Scalar(Scalar::Float) => owned(quote!(#rest::float32_text(*#value))),
        ShapeKind::Scalar(Scalar::Double) => owned(quote!(#rest::float_text(*#value))),
        ShapeKind::Scalar(Scalar::Boolean) => {
            borrowed(quote!(if *#value { "true" } else { "false" }))
        }
        ShapeKind::Scalar(Scalar::Timestamp { .. }) => {
            let format = format_tokens(timestamp_format(shape, member_format, default));
            owned(quote!(#rest::timestamp_text(#value, #format)))
        }
        ShapeKind::Scalar(Scalar::Blob { .. }) => owned(quote!(#value.to_base64())),
        _ => owned(quote!(String::new())),
    }
}

fn text_of(
    service: &Service,
    member: &Member,
    value: TokenStream,
    default: TimestampFormat,
) -> Text {
    scalar_text(
        service,
        &member.target,
        member.timestamp_format,
        value,
        default,
        member.jsonvalue,
    )
}

/// Statements adding a query member (lists repeat the key).
fn query_member(service: &Service, m: &Member) -> TokenStream {
    let HttpBinding::Query { name } = &m.binding else {
        return quote!();
    };
    let push = match service.shape(&m.target).map(|s| &s.kind) {
        Some(ShapeKind::List(list)) => {
            let text = scalar_text(
                service,
                &list.member,
                None,
                quote!(item),
                TimestampFormat::Iso8601,
                false,
            )
            .expr;
            quote!(for item in value.iter() { parts.query.push(#name, #text); })
        }
        _ => {
            let text = text_of(service, m, quote!(value), TimestampFormat::Iso8601).expr;
            quote!(parts.query.push(#name, #text);)
        }
    };
    with_member_value(m, quote!(input), push)
}

/// Statements spreading a map member into the query, after the named members, which win.
fn query_map_member(service: &Service, m: &Member) -> TokenStream {
    let Some(ShapeKind::Map(map)) = service.shape(&m.target).map(|s| &s.kind) else {
        return quote!();
    };
    let push = match service.shape(&map.value).map(|s| &s.kind) {
        Some(ShapeKind::List(list)) => {
            let text = scalar_text(
                service,
                &list.member,
                None,
                quote!(item),
                TimestampFormat::Iso8601,
                false,
            )
            .expr;
            quote! {
                if !parts.query.contains(key) {
                    for item in item.iter() { parts.query.push(key, #text); }
                }
            }
        }
        _ => {
            let text = scalar_text(
                service,
                &map.value,
                None,
                quote!(item),
                TimestampFormat::Iso8601,
                false,
            )
            .expr;
            quote!(parts.query.push_unless_present(key, #text);)
        }
    };
    let body = quote!(for (key, item) in value.iter() { let key = key.as_str(); #push });
    with_member_value(m, quote!(input), body)
}

/// Statements setting a header member (or a prefix-header map).
fn header_member(service: &Service, m: &Member, error: &proc_macro2::Ident) -> Option<TokenStream> {
    let member_name = &m.name;
    let set = match &m.binding {
        HttpBinding::Header { name } => {
            let text = match service.shape(&m.target).map(|s| &s.kind) {
                Some(ShapeKind::List(list)) => {
                    let element = service.shape(&list.member)?;
                    let is_date =
                        matches!(element.kind, ShapeKind::Scalar(Scalar::Timestamp { .. }))
                            && timestamp_format(element, None, TimestampFormat::HttpDate)
                                == TimestampFormat::HttpDate;
                    let item = scalar_text(
                        service,
                        &list.member,
                        None,
                        quote!(item),
                        TimestampFormat::HttpDate,
                        false,
                    )
                    .expr;
                    let quote_items = !is_date;
                    Text {
                        expr: quote!(::botogen_runtime::rest::header_list(value.iter().map(|item| #item), #quote_items)),
                        owned: true,
                    }
                }
                _ => text_of(service, m, quote!(value), TimestampFormat::HttpDate),
            };
            let text = text.as_str();
            quote! {
                parts.header(#name, #text, #member_name).map_err(#error::Validation)?;
            }
        }
        HttpBinding::PrefixHeaders { prefix } => quote! {
            for (key, item) in value.iter() {
                parts.header(&format!("{}{}", #prefix, key), item.as_str(), #member_name).map_err(#error::Validation)?;
            }
        },
        _ => return None,
    };
    Some(with_member_value(m, quote!(input), set))
}

/// The body: the payload member, or a JSON object of the body members, or nothing.
fn request_body(service: &Service, s: &Structure) -> TokenStream {
    if let Some(payload) = s.members.iter().find(|m| m.binding == HttpBinding::Payload) {
        return payload_body(service, payload);
    }
    let body_members: Vec<&Member> = s
        .members
        .iter()
        .filter(|m| matches!(m.binding, HttpBinding::Body { .. }))
        .collect();
    if body_members.is_empty() {
        return quote!();
    }
    let writes = body_members
        .iter()
        .map(|m| write_member(service, m, quote!(input)));
    quote! {
        let mut writer = ::botogen_runtime::json::JsonWriter::with_capacity(256);
        let w = &mut writer;
        w.begin_object();
        #(#writes)*
        w.end_object();
        parts.body(writer.into_bytes(), "application/json");
    }
}

fn payload_body(service: &Service, m: &Member) -> TokenStream {
    let field = ident(&m.field);
    let Some(target) = service.shape(&m.target) else {
        return quote!();
    };
    // A boxed payload derefs to its target like any reference.
    let value = quote!(value);
    let (set, when_unset) = match &target.kind {
        ShapeKind::Scalar(Scalar::Blob { streaming: true }) => (
            quote! {
                let bytes = #value.as_bytes().map(|bytes| bytes.to_vec()).unwrap_or_default();
                parts.body(bytes, "application/octet-stream");
            },
            quote!(),
        ),
        ShapeKind::Scalar(Scalar::Blob { .. }) => (
            quote!(parts.body(#value.as_ref().to_vec(), "application/octet-stream");),
            quote!(),
        ),
        ShapeKind::Scalar(Scalar::String) => (
            quote!(parts.body(#value.as_bytes().to_vec(), "text/plain");),
            quote!(),
        ),
        ShapeKind::Enum(_) => (
            quote!(parts.body(#value.as_str().as_bytes().to_vec(), "text/plain");),
            quote!(),
        ),
        ShapeKind::Scalar(Scalar::Document) => (
            quote! {
                let mut writer = ::botogen_runtime::json::JsonWriter::new();
                writer.document(#value);
                parts.body(writer.into_bytes(), "application/json");
            },
            quote!(),
        ),
        ShapeKind::Structure(_) | ShapeKind::Union(_) => {
            let f = fn_name("ser", target);
            (
                quote! {
                    let mut writer = ::botogen_runtime::json::JsonWriter::with_capacity(256);
                    crate::protocol::#f(&mut writer, #value);
                    parts.body(writer.into_bytes(), "application/json");
                },
                // An unset structure payload is sent as `{}`; an unset union has no
                // member to send, so the body stays empty.
                if matches!(target.kind, ShapeKind::Union(_)) {
                    quote!()
                } else {
                    quote!(parts.body(b"{}".to_vec(), "application/json");)
                },
            )
        }
        _ => return quote!(),
    };
    if m.optional {
        if when_unset.is_empty() {
            quote!(if let Some(value) = &input.#field { #set })
        } else {
            quote!(match &input.#field { Some(value) => { #set } None => { #when_unset } })
        }
    } else {
        quote!({ let value = &input.#field; #set })
    }
}

/// `#[allow(clippy::result_large_err)]` when some modelled error is big enough to trip the
/// lint: errors carry the model's exception structures by value, so matching on them stays
/// one level deep. The size is estimated from the members (a pointer-sized word for the
/// metadata, three words for most members).
pub(super) fn large_error_allow(service: &Service, op: &Operation) -> Option<TokenStream> {
    let largest = error_variants(service, op)
        .filter_map(|(shape, _)| match &shape.kind {
            ShapeKind::Structure(s) => Some(8 + 24 * s.members.len()),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    (largest >= 120).then(|| quote!(#[allow(clippy::result_large_err)]))
}

fn parse_response(service: &Service, op: &Operation) -> TokenStream {
    let error = ident(&op.error_type_name);
    let allow = large_error_allow(service, op);
    let output_shape = op.output.as_deref().and_then(|name| service.shape(name));
    let (output_ty, read) = match output_shape {
        Some(shape) => {
            let ty = ident(
                &shape
                    .item
                    .as_ref()
                    .map(|i| i.type_name.clone())
                    .unwrap_or_default(),
            );
            let f = fn_name("read", shape);
            let body_arg = if stream_payload(service, op.output.as_deref()).is_some() {
                quote!(::botogen_runtime::ByteStream::copy_from_slice(body))
            } else {
                quote!(body)
            };
            (
                quote!(crate::types::#ty),
                quote! {
                    crate::protocol::#f(status, headers, #body_arg)
                        .map_err(|what| #error::Response(::botogen_runtime::error::ResponseError::new(what, status, headers, body)))
                },
            )
        }
        None => (quote!(()), quote!(Ok(()))),
    };
    let arms = error_variants(service, op).map(|(shape, variant)| {
        let code = match &shape.kind {
            ShapeKind::Structure(Structure {
                error: Some(info), ..
            }) => info.code.clone(),
            _ => shape.name.clone(),
        };
        let variant = ident(variant);
        let f = fn_name("read", shape);
        quote!(Some(#code) => crate::protocol::#f(status, headers, body).map(|e| #error::#variant(e.with_meta(meta))),)
    });
    let arms: Vec<TokenStream> = arms.collect();
    let unhandled =
        quote!(#error::Unhandled(::botogen_runtime::error::Unhandled::new(meta, body.to_vec())));
    let classify = if arms.is_empty() {
        quote!(#unhandled)
    } else {
        quote! {
            let parsed = match meta.code() {
                #(#arms)*
                _ => return #unhandled,
            };
            parsed.unwrap_or_else(|what| #error::Response(::botogen_runtime::error::ResponseError::new(what, status, headers, body)))
        }
    };
    let streaming = output_shape
        .filter(|_| stream_payload(service, op.output.as_deref()).is_some())
        .map(|shape| {
            let f = fn_name("read", shape);
            quote! {
                /// Reads the head of a 2xx response to this operation (status and headers) into
                /// the output, whose streaming payload is `body`, unread: what the client uses so
                /// that the caller reads the body as it arrives. [`parse_response`] reads a
                /// response whose body is in memory, also an error.
                #allow
                pub fn parse_streaming_output(status: u16, headers: &::http::HeaderMap, body: ::botogen_runtime::ByteStream) -> Result<#output_ty, #error> {
                    crate::protocol::#f(status, headers, body)
                        .map_err(|what| #error::Response(::botogen_runtime::error::ResponseError::new(what, status, headers, &[])))
                }
            }
        });
    quote! {
        /// Reads the response to this operation: the output for a 2xx status, else the error
        /// the service returned. A body or header that cannot be read is an error too, never a
        /// panic.
        #allow
        pub fn parse_response<B: AsRef<[u8]>>(response: &::http::Response<B>) -> Result<#output_ty, #error> {
            let (status, headers, body) = (response.status().as_u16(), response.headers(), response.body().as_ref());
            if !(200..300).contains(&status) {
                return Err(parse_error(status, headers, body));
            }
            #read
        }

        #streaming

        /// The error in a non-2xx response, by its code.
        fn parse_error(status: u16, headers: &::http::HeaderMap, body: &[u8]) -> #error {
            let meta = ::botogen_runtime::error::ErrorMeta::from_response(status, headers, body);
            #classify
        }
    }
}
