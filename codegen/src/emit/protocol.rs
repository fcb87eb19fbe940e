//! `src/protocol.rs` of the generated crate: crate-private functions that write, read and
//! validate the model's structures and unions, and read top-level outputs and errors from an
//! HTTP response. Functions exist only for shapes that need them, so nothing is dead code.

use proc_macro2::TokenStream;
use quote::quote;

use super::codec::{
    fn_name, format_tokens, needs_validation, read_value, reader_fn, shape_nesting,
    timestamp_format, validate_body, validate_call, validator_param, write_value,
};
use super::tokens::{ident, rust_type};
use crate::ir::{
    HttpBinding, Member, Scalar, Service, Shape, ShapeKind, Structure, TimestampFormat, Union,
};

/// The whole `protocol` module.
pub fn emit_protocol(service: &Service) -> TokenStream {
    let mut items = Vec::new();
    for shape in service.shapes.values() {
        if shape.in_input && needs_validation(service, &shape.name, &mut Vec::new()) {
            items.push(validator(service, shape));
        }
    }
    for shape in service.named_shapes() {
        match &shape.kind {
            ShapeKind::Structure(s) => {
                if shape.nested_in_input {
                    items.push(write_structure(service, shape, s));
                }
                if shape.nested_in_output {
                    items.push(read_structure(service, shape, s));
                }
                let listed_error = s.error.is_some()
                    && service
                        .operations
                        .iter()
                        .any(|op| op.errors.contains(&shape.name));
                if !s.output_of.is_empty() || listed_error {
                    items.push(read_response(service, shape, s));
                }
            }
            ShapeKind::Union(u) => {
                if shape.nested_in_input {
                    items.push(write_union(service, shape, u));
                }
                if shape.nested_in_output {
                    items.push(read_union(service, shape, u));
                }
            }
            _ => {}
        }
    }
    quote! {
        //! Writing, reading and validating the shapes of the model (crate-private).
        #(#items)*
    }
}

fn type_path(shape: &Shape) -> TokenStream {
    let name = ident(
        shape
            .item
            .as_ref()
            .map(|i| i.type_name.as_str())
            .unwrap_or("Unnamed"),
    );
    quote!(crate::types::#name)
}

/// Statements writing `key: value` for one member (skipped when an optional member is unset).
pub fn write_member(service: &Service, member: &Member, value_of: TokenStream) -> TokenStream {
    let key = &member.json_name;
    let write = write_value(
        service,
        quote!(value),
        &member.target,
        member.timestamp_format,
        0,
    );
    with_member_value(member, value_of, quote!(w.key(#key); #write))
}

/// Runs `body` with `value` bound to a member's value: skipped when an optional member is
/// unset, except idempotency tokens, which get a fresh token instead.
pub fn with_member_value(member: &Member, value_of: TokenStream, body: TokenStream) -> TokenStream {
    let field = ident(&member.field);
    if member.idempotency_token && member.optional {
        quote!({
            let value = &#value_of.#field.clone().unwrap_or_else(::botogen_runtime::rest::idempotency_token);
            #body
        })
    } else if member.optional {
        quote!(if let Some(value) = &#value_of.#field { #body })
    } else {
        quote!({ let value = &#value_of.#field; #body })
    }
}

fn write_structure(service: &Service, shape: &Shape, s: &Structure) -> TokenStream {
    let f = fn_name("ser", shape);
    let ty = type_path(shape);
    let members = s
        .members
        .iter()
        .map(|m| write_member(service, m, quote!(value)));
    let value = if s.members.is_empty() {
        quote!(_value)
    } else {
        quote!(value)
    };
    quote! {
        pub(crate) fn #f(w: &mut ::botogen_runtime::json::JsonWriter, #value: &#ty) {
            w.begin_object();
            #(#members)*
            w.end_object();
        }
    }
}

/// A match arm setting `out.<field>` from the JSON value of `member` (`null` is unset).
pub fn read_member_arm(service: &Service, member: &Member) -> TokenStream {
    let key = &member.json_name;
    let field = ident(&member.field);
    let read = reader_fn(service, &member.target, member.timestamp_format);
    let boxed = member.boxed.then(|| quote!(.map(Box::new)));
    quote!(#key => out.#field = r.optional(#read)? #boxed,)
}

fn read_structure(service: &Service, shape: &Shape, s: &Structure) -> TokenStream {
    let f = fn_name("de", shape);
    let ty = type_path(shape);
    let arms = s.members.iter().map(|m| read_member_arm(service, m));
    if s.members.is_empty() {
        return quote! {
            pub(crate) fn #f(r: &mut ::botogen_runtime::json::JsonReader<'_>) -> Result<#ty, ::botogen_runtime::json::JsonError> {
                r.object(|r, _| r.skip())?;
                Ok(#ty::builder().build())
            }
        };
    }
    quote! {
        pub(crate) fn #f(r: &mut ::botogen_runtime::json::JsonReader<'_>) -> Result<#ty, ::botogen_runtime::json::JsonError> {
            let mut out = #ty::builder().build();
            r.object(|r, key| {
                match &*key {
                    #(#arms)*
                    _ => r.skip()?,
                }
                Ok(())
            })?;
            Ok(out)
        }
    }
}

fn write_union(service: &Service, shape: &Shape, u: &Union) -> TokenStream {
    let f = fn_name("ser", shape);
    let ty = type_path(shape);
    let arms = u.members.iter().map(|m| {
        let variant = ident(&m.variant);
        let key = &m.json_name;
        let write = write_value(service, quote!(value), &m.target, m.timestamp_format, 0);
        quote!(#ty::#variant(value) => { w.key(#key); #write })
    });
    quote! {
        pub(crate) fn #f(w: &mut ::botogen_runtime::json::JsonWriter, value: &#ty) {
            w.begin_object();
            match value {
                #(#arms)*
                #ty::Unknown(_) => {}
            }
            w.end_object();
        }
    }
}

fn read_union(service: &Service, shape: &Shape, u: &Union) -> TokenStream {
    let f = fn_name("de", shape);
    let ty = type_path(shape);
    let arms = u.members.iter().map(|m| {
        let variant = ident(&m.variant);
        let key = &m.json_name;
        let read = read_value(service, &m.target, m.timestamp_format, 0);
        let read = if m.boxed {
            quote!(Box::new(#read))
        } else {
            read
        };
        quote!(#key => if !r.take_null()? { out = Some(#ty::#variant(#read)); },)
    });
    let message = format!("`{}` has no member set", shape.name);
    quote! {
        pub(crate) fn #f(r: &mut ::botogen_runtime::json::JsonReader<'_>) -> Result<#ty, ::botogen_runtime::json::JsonError> {
            let mut out = None;
            r.object(|r, key| {
                match &*key {
                    "__type" => r.skip()?,
                    #(#arms)*
                    other => {
                        let unknown = #ty::Unknown(::botogen_runtime::UnknownValue::__new(other));
                        if !r.take_null()? {
                            r.skip()?;
                            out = Some(unknown);
                        }
                    }
                }
                Ok(())
            })?;
            out.ok_or_else(|| ::botogen_runtime::json::JsonError::custom(r.offset(), #message))
        }
    }
}

/// `validate_<stem>(value, path)` for any shape with something to check.
fn validator(service: &Service, shape: &Shape) -> TokenStream {
    let f = fn_name("validate", shape);
    let param = validator_param(service, shape);
    let complexity = (shape_nesting(service, &shape.name) >= 4)
        .then(|| quote!(#[allow(clippy::type_complexity)]));
    let body = match &shape.kind {
        ShapeKind::Structure(s) => {
            let checks = s.members.iter().map(|m| validate_member(service, m));
            quote!(#(#checks)*)
        }
        ShapeKind::Union(u) => validate_union(service, shape, u),
        _ => validate_body(service, shape),
    };
    // A shape can need a validator only for its callers' sake (a label member whose checks
    // are all on the caller's side); its own body is then empty.
    let (value, path) = if body.is_empty() {
        (quote!(_value), quote!(_path))
    } else {
        (quote!(value), quote!(path))
    };
    quote! {
        #complexity
        pub(crate) fn #f(#value: #param, #path: &::botogen_runtime::validate::Path<'_>) -> Result<(), ::botogen_runtime::error::ValidationError> {
            #body
            Ok(())
        }
    }
}

fn validate_member(service: &Service, m: &Member) -> TokenStream {
    let field = ident(&m.field);
    let name = &m.name;
    let is_string = matches!(
        service.shape(&m.target).map(|s| &s.kind),
        Some(ShapeKind::Scalar(Scalar::String))
    );
    let label = (matches!(m.binding, HttpBinding::Label { .. }) && is_string)
        .then(|| quote!(::botogen_runtime::validate::check_label(&path.member(#name), value)?;));
    let call = validate_call(
        service,
        quote!(value),
        quote!(&path.member(#name)),
        &m.target,
    );
    let missing = m.optional && m.required && !m.idempotency_token;
    if label.is_none() && call.is_empty() && !missing {
        return quote!();
    }
    if m.optional && label.is_none() && call.is_empty() {
        quote!(if value.#field.is_none() { return Err(::botogen_runtime::validate::missing(&path.member(#name))); })
    } else if m.optional {
        let missing = missing.then(|| quote!(else { return Err(::botogen_runtime::validate::missing(&path.member(#name))); }));
        quote!(if let Some(value) = &value.#field { #label #call } #missing)
    } else {
        quote!({ let value = &value.#field; #label #call })
    }
}

fn validate_union(service: &Service, shape: &Shape, u: &Union) -> TokenStream {
    let ty = type_path(shape);
    let arms = u.members.iter().map(|m| {
        let variant = ident(&m.variant);
        let name = &m.name;
        let call = validate_call(
            service,
            quote!(value),
            quote!(&path.member(#name)),
            &m.target,
        );
        if call.is_empty() {
            quote!(#ty::#variant(_) => {})
        } else {
            quote!(#ty::#variant(value) => { #call })
        }
    });
    quote! {
        match value {
            #(#arms)*
            #ty::Unknown(member) => {
                return Err(path.error(format!("has the unknown member `{}`, which cannot be sent", member.as_str())));
            }
        }
    }
}

/// `read_<shape>(status, headers, body)`: an operation output or error from a response, with
/// members bound to the body, the payload, headers and the status code.
fn read_response(service: &Service, shape: &Shape, s: &Structure) -> TokenStream {
    let f = fn_name("read", shape);
    let ty = type_path(shape);
    // With a streaming payload the body is the stream: no members are read from it.
    let streams = s
        .members
        .iter()
        .any(|m| m.binding == HttpBinding::Payload && super::tokens::is_stream(&m.ty));
    let body_arms: Vec<TokenStream> = s
        .members
        .iter()
        .filter(|m| !streams && matches!(m.binding, HttpBinding::Body { .. }))
        .map(|m| read_member_arm(service, m))
        .collect();
    let body = (!body_arms.is_empty()).then(|| {
        quote! {
            ::botogen_runtime::json::read_object_body(body, |r, key| {
                match &*key {
                    #(#body_arms)*
                    _ => r.skip()?,
                }
                Ok(())
            })?;
        }
    });
    let mut uses_headers = false;
    let mut uses_status = false;
    let mut uses_body = body.is_some();
    let mut uses_blank = false;
    let bound: Vec<TokenStream> = s
        .members
        .iter()
        .filter_map(|m| {
            let field = ident(&m.field);
            match &m.binding {
                HttpBinding::Body { .. } | HttpBinding::Label { .. } | HttpBinding::Query { .. } | HttpBinding::QueryMap => None,
                // A streaming payload is the body as it is, unread (`body: ByteStream`).
                HttpBinding::Payload if super::tokens::is_stream(&m.ty) => {
                    uses_body = true;
                    Some(if m.optional {
                        quote!(out.#field = Some(body);)
                    } else {
                        quote!(out.#field = body;)
                    })
                }
                HttpBinding::Payload => {
                    let (read, json) = read_payload(service, m);
                    uses_blank |= json;
                    uses_body = true;
                    Some(read)
                }
                HttpBinding::Header { name } => {
                    uses_headers = true;
                    let parse = header_parser(service, m);
                    Some(quote!(out.#field = ::botogen_runtime::rest::header_value(headers, #name, #parse)?;))
                }
                HttpBinding::PrefixHeaders { prefix } => {
                    uses_headers = true;
                    Some(quote! {
                        let map = ::botogen_runtime::rest::prefix_headers(headers, #prefix)?;
                        if !map.is_empty() { out.#field = Some(map.into_iter().collect()); }
                    })
                }
                HttpBinding::StatusCode => {
                    uses_status = true;
                    Some(quote!(out.#field = Some(status.into());))
                }
            }
        })
        .collect();
    let status_param = if uses_status {
        quote!(status)
    } else {
        quote!(_status)
    };
    let headers_param = if uses_headers {
        quote!(headers)
    } else {
        quote!(_headers)
    };
    let body_param = if uses_body {
        quote!(body)
    } else {
        quote!(_body)
    };
    let blank = uses_blank.then(|| quote!(let blank = body.iter().all(u8::is_ascii_whitespace);));
    let body_ty = if streams {
        quote!(::botogen_runtime::ByteStream)
    } else {
        quote!(&[u8])
    };
    let mutable = if body.is_some() || !bound.is_empty() {
        quote!(mut)
    } else {
        quote!()
    };
    quote! {
        pub(crate) fn #f(#status_param: u16, #headers_param: &::http::HeaderMap, #body_param: #body_ty) -> Result<#ty, String> {
            let #mutable out = #ty::builder().build();
            #blank
            #body
            #(#bound)*
            Ok(out)
        }
    }
}

/// Reads a non-streaming payload member, and whether it is JSON. A JSON payload is absent
/// when the body is blank (whitespace only); a blob or string payload is the body's bytes as
/// they are, absent only when there are none.
fn read_payload(service: &Service, m: &Member) -> (TokenStream, bool) {
    let field = ident(&m.field);
    let Some(target) = service.shape(&m.target) else {
        return (quote!(), false);
    };
    let (value, json) = match &target.kind {
        ShapeKind::Scalar(Scalar::Blob { .. }) => {
            (quote!(::botogen_runtime::Blob::new(body.to_vec())), false)
        }
        ShapeKind::Scalar(Scalar::String) => (
            quote!(
                String::from_utf8(body.to_vec())
                    .map_err(|_| "the payload is not valid UTF-8".to_owned())?
            ),
            false,
        ),
        ShapeKind::Enum(_) => {
            let ty = rust_type(&m.ty);
            (
                quote!(#ty::from(::std::str::from_utf8(body).map_err(|_| "the payload is not valid UTF-8".to_owned())?)),
                false,
            )
        }
        _ => {
            // The closure returns the reader's own `Result` where it can, so no `Ok(..?)`.
            let read = match (&target.kind, m.boxed) {
                (ShapeKind::Structure(_) | ShapeKind::Union(_), false) => {
                    let f = fn_name("de", target);
                    quote!(crate::protocol::#f(r))
                }
                (ShapeKind::Scalar(Scalar::Document), false) => quote!(r.document()),
                (_, boxed) => {
                    let read = read_value(service, &m.target, m.timestamp_format, 0);
                    if boxed {
                        quote!(Ok(Box::new(#read)))
                    } else {
                        quote!(Ok(#read))
                    }
                }
            };
            (
                quote!(::botogen_runtime::json::read_top_level(body, |r| #read).map_err(|e| e.to_string())?),
                true,
            )
        }
    };
    let present = if json {
        quote!(!blank)
    } else {
        quote!(!body.is_empty())
    };
    (quote!(if #present { out.#field = Some(#value); }), json)
}

/// A closure `|text: &str| -> Option<T>` parsing a header member's value.
fn header_parser(service: &Service, m: &Member) -> TokenStream {
    let Some(target) = service.shape(&m.target) else {
        return quote!(|_: &str| None::<()>);
    };
    match &target.kind {
        ShapeKind::List(list) => {
            let Some(element) = service.shape(&list.member) else {
                return quote!(|_: &str| None::<()>);
            };
            let is_date = matches!(element.kind, ShapeKind::Scalar(Scalar::Timestamp { .. }))
                && timestamp_format(element, None, TimestampFormat::HttpDate)
                    == TimestampFormat::HttpDate;
            let split = if is_date {
                quote!(::botogen_runtime::rest::split_http_date_list(text))
            } else {
                quote!(::botogen_runtime::rest::split_header_list(text))
            };
            let item = scalar_text_parser(element, None, m.jsonvalue);
            quote!(|text: &str| #split.iter().map(|item| (#item)(item.as_str())).collect::<Option<Vec<_>>>())
        }
        _ => scalar_text_parser(target, m.timestamp_format, m.jsonvalue),
    }
}

/// A closure parsing one header item of `shape` from text.
fn scalar_text_parser(
    shape: &Shape,
    member_format: Option<TimestampFormat>,
    jsonvalue: bool,
) -> TokenStream {
    let rest = quote!(::botogen_runtime::rest);
    match &shape.kind {
        ShapeKind::Scalar(Scalar::String) if jsonvalue => quote!(#rest::parse_json_header),
        ShapeKind::Scalar(Scalar::String) => quote!(|text: &str| Some(text.to_owned())),
        ShapeKind::Enum(_) => {
            let ty = type_path(shape);
            quote!(|text: &str| Some(#ty::from(text)))
        }
        ShapeKind::Scalar(Scalar::Boolean) => quote!(#rest::parse_bool),
        ShapeKind::Scalar(Scalar::Byte) => quote!(|text: &str| text.parse::<i8>().ok()),
        ShapeKind::Scalar(Scalar::Short) => quote!(|text: &str| text.parse::<i16>().ok()),
        ShapeKind::Scalar(Scalar::Integer) => quote!(|text: &str| text.parse::<i32>().ok()),
        ShapeKind::Scalar(Scalar::Long) => quote!(|text: &str| text.parse::<i64>().ok()),
        ShapeKind::Scalar(Scalar::Float) => quote!(#rest::parse_f32),
        ShapeKind::Scalar(Scalar::Double) => quote!(#rest::parse_f64),
        ShapeKind::Scalar(Scalar::Timestamp { .. }) => {
            let format = format_tokens(timestamp_format(
                shape,
                member_format,
                TimestampFormat::HttpDate,
            ));
            quote!(|text: &str| #rest::parse_timestamp(text, #format))
        }
        ShapeKind::Scalar(Scalar::Blob { .. }) => {
            quote!(|text: &str| ::botogen_runtime::Blob::from_base64(text).ok())
        }
        _ => quote!(|_: &str| None),
    }
}
