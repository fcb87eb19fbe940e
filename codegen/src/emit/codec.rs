//! Value-level code for the JSON body: how one value of a shape is written, read and
//! validated. `protocol.rs` puts these pieces into per-shape functions and the operation
//! emitter into request serializers and response parsers.
//!
//! Every function here returns tokens that use fixed names from the surrounding code: `w`
//! (a `JsonWriter`), `r` (a `JsonReader`) and `?` on `JsonError` (reading) or
//! `ValidationError` (validating).

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::tokens::ident;
use crate::ir::{HttpBinding, Scalar, Service, Shape, ShapeKind, TimestampFormat};

/// The name of a shape's protocol function, such as `ser_record_patch`.
pub fn fn_name(prefix: &str, shape: &Shape) -> Ident {
    format_ident!("{prefix}_{}", shape.fn_stem)
}

/// A timestamp format as the runtime's `Format`.
pub fn format_tokens(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::Iso8601 => quote!(::botogen_runtime::datetime::Format::DateTime),
        TimestampFormat::HttpDate => quote!(::botogen_runtime::datetime::Format::HttpDate),
        TimestampFormat::EpochSeconds => quote!(::botogen_runtime::datetime::Format::EpochSeconds),
    }
}

/// The effective timestamp format of a value of `shape`: `member_format` (from the member or
/// its shape), else the shape's own, else `default` for where the value travels.
pub fn timestamp_format(
    shape: &Shape,
    member_format: Option<TimestampFormat>,
    default: TimestampFormat,
) -> TimestampFormat {
    match shape.kind {
        ShapeKind::Scalar(Scalar::Timestamp { format }) => {
            member_format.or(format).unwrap_or(default)
        }
        _ => member_format.unwrap_or(default),
    }
}

fn loop_var(depth: usize) -> Ident {
    Ident::new(&format!("item{depth}"), Span::call_site())
}

fn key_var(depth: usize) -> Ident {
    Ident::new(&format!("key{depth}"), Span::call_site())
}

/// Statements writing the value `value` (an expression of type `&T`) of shape `shape_name`.
pub fn write_value(
    service: &Service,
    value: TokenStream,
    shape_name: &str,
    member_format: Option<TimestampFormat>,
    depth: usize,
) -> TokenStream {
    let Some(shape) = service.shape(shape_name) else {
        return quote!();
    };
    match &shape.kind {
        ShapeKind::Scalar(scalar) => match scalar {
            Scalar::String => quote!(w.string(#value);),
            Scalar::Byte | Scalar::Short | Scalar::Integer => quote!(w.i64(i64::from(*#value));),
            Scalar::Long => quote!(w.i64(*#value);),
            Scalar::Float => quote!(w.f32(*#value);),
            Scalar::Double => quote!(w.f64(*#value);),
            Scalar::Boolean => quote!(w.bool(*#value);),
            Scalar::Blob { .. } => quote!(w.blob(#value.as_ref());),
            Scalar::Document => quote!(w.document(#value);),
            Scalar::Timestamp { .. } => {
                match timestamp_format(shape, member_format, TimestampFormat::EpochSeconds) {
                    TimestampFormat::EpochSeconds => quote!(w.epoch_seconds(#value);),
                    other => {
                        let format = format_tokens(other);
                        quote!(w.timestamp_string(#value, #format);)
                    }
                }
            }
        },
        ShapeKind::Enum(_) => quote!(w.string(#value.as_str());),
        ShapeKind::Structure(_) | ShapeKind::Union(_) => {
            let f = fn_name("ser", shape);
            quote!(crate::protocol::#f(w, #value);)
        }
        ShapeKind::List(list) => {
            let item = loop_var(depth);
            let inner = write_value(service, quote!(#item), &list.member, None, depth + 1);
            let body = if list.sparse {
                quote!(match #item { Some(#item) => { #inner } None => w.null(), })
            } else {
                inner
            };
            quote! {
                w.begin_array();
                for #item in #value.iter() { #body }
                w.end_array();
            }
        }
        ShapeKind::Map(map) => {
            let (key, item) = (key_var(depth), loop_var(depth));
            let key_text = match service.shape(&map.key).map(|s| &s.kind) {
                Some(ShapeKind::Enum(_)) => quote!(#key.as_str()),
                _ => quote!(#key),
            };
            let inner = write_value(service, quote!(#item), &map.value, None, depth + 1);
            let body = if map.sparse {
                quote!(match #item { Some(#item) => { #inner } None => w.null(), })
            } else {
                inner
            };
            quote! {
                w.begin_object();
                for (#key, #item) in #value.iter() { w.key(#key_text); #body }
                w.end_object();
            }
        }
    }
}

/// An expression reading a value of shape `shape_name` with `r` (the next value is known not
/// to be `null`), evaluating to the value's Rust type.
pub fn read_value(
    service: &Service,
    shape_name: &str,
    member_format: Option<TimestampFormat>,
    depth: usize,
) -> TokenStream {
    let Some(shape) = service.shape(shape_name) else {
        return quote!(r.skip()?);
    };
    match &shape.kind {
        ShapeKind::Scalar(scalar) => match scalar {
            Scalar::String => quote!(r.string()?),
            Scalar::Byte => quote!(r.i8()?),
            Scalar::Short => quote!(r.i16()?),
            Scalar::Integer => quote!(r.i32()?),
            Scalar::Long => quote!(r.i64()?),
            Scalar::Float => quote!(r.f32()?),
            Scalar::Double => quote!(r.f64()?),
            Scalar::Boolean => quote!(r.bool()?),
            Scalar::Blob { .. } => quote!(r.blob()?),
            Scalar::Document => quote!(r.document()?),
            Scalar::Timestamp { .. } => {
                match timestamp_format(shape, member_format, TimestampFormat::EpochSeconds) {
                    TimestampFormat::EpochSeconds => quote!(r.epoch_seconds()?),
                    other => {
                        let format = format_tokens(other);
                        quote!(r.timestamp_string(#format)?)
                    }
                }
            }
        },
        ShapeKind::Enum(_) => {
            let ty = enum_type(shape);
            quote!(#ty::from(r.string()?))
        }
        ShapeKind::Structure(_) | ShapeKind::Union(_) => {
            let f = fn_name("de", shape);
            quote!(crate::protocol::#f(r)?)
        }
        ShapeKind::List(list) => {
            let items = format_ident!("items{depth}");
            let inner = read_value(service, &list.member, None, depth + 1);
            let push = if list.sparse {
                quote!(#items.push(if r.take_null()? { None } else { Some(#inner) });)
            } else {
                quote!(if !r.take_null()? { #items.push(#inner); })
            };
            quote!({
                let mut #items = Vec::new();
                r.array(|r| { #push Ok(()) })?;
                #items
            })
        }
        ShapeKind::Map(map) => {
            let entries = format_ident!("entries{depth}");
            let key = key_var(depth);
            let key_value = match service.shape(&map.key) {
                Some(key_shape) if matches!(key_shape.kind, ShapeKind::Enum(_)) => {
                    let ty = enum_type(key_shape);
                    quote!(#ty::from(&*#key))
                }
                _ => quote!(#key.into_owned()),
            };
            let inner = read_value(service, &map.value, None, depth + 1);
            let insert = if map.sparse {
                quote!(#entries.insert(#key_value, if r.take_null()? { None } else { Some(#inner) });)
            } else {
                quote!(if !r.take_null()? { #entries.insert(#key_value, #inner); })
            };
            quote!({
                let mut #entries = ::std::collections::BTreeMap::new();
                r.object(|r, #key| { #insert Ok(()) })?;
                #entries
            })
        }
    }
}

/// Something callable as `FnOnce(&mut JsonReader) -> Result<T, JsonError>` that reads a value
/// of `shape_name`: a reader method or protocol function when there is one, else a closure.
pub fn reader_fn(
    service: &Service,
    shape_name: &str,
    member_format: Option<TimestampFormat>,
) -> TokenStream {
    let reader = quote!(::botogen_runtime::json::JsonReader);
    let Some(shape) = service.shape(shape_name) else {
        return quote!(#reader::skip);
    };
    match &shape.kind {
        ShapeKind::Scalar(scalar) => match scalar {
            Scalar::String => quote!(#reader::string),
            Scalar::Byte => quote!(#reader::i8),
            Scalar::Short => quote!(#reader::i16),
            Scalar::Integer => quote!(#reader::i32),
            Scalar::Long => quote!(#reader::i64),
            Scalar::Float => quote!(#reader::f32),
            Scalar::Double => quote!(#reader::f64),
            Scalar::Boolean => quote!(#reader::bool),
            Scalar::Blob { .. } => quote!(#reader::blob),
            Scalar::Document => quote!(#reader::document),
            Scalar::Timestamp { .. } => {
                match timestamp_format(shape, member_format, TimestampFormat::EpochSeconds) {
                    TimestampFormat::EpochSeconds => quote!(#reader::epoch_seconds),
                    other => {
                        let format = format_tokens(other);
                        quote!(|r| r.timestamp_string(#format))
                    }
                }
            }
        },
        ShapeKind::Enum(_) => {
            let ty = enum_type(shape);
            quote!(|r| r.string().map(#ty::from))
        }
        ShapeKind::Structure(_) | ShapeKind::Union(_) => {
            let f = fn_name("de", shape);
            quote!(crate::protocol::#f)
        }
        ShapeKind::List(_) | ShapeKind::Map(_) => {
            let read = read_value(service, shape_name, member_format, 0);
            quote!(|r| Ok(#read))
        }
    }
}

fn enum_type(shape: &Shape) -> TokenStream {
    match &shape.item {
        Some(item) => {
            let name = ident(&item.type_name);
            quote!(crate::types::#name)
        }
        None => quote!(String),
    }
}

/// Whether values of `shape_name` have anything to validate: bounds, patterns, required
/// members stored as `Option`, union variants, or any of these further down.
pub fn needs_validation(service: &Service, shape_name: &str, visiting: &mut Vec<String>) -> bool {
    let Some(shape) = service.shape(shape_name) else {
        return false;
    };
    if visiting.iter().any(|v| v == shape_name) {
        return false;
    }
    visiting.push(shape_name.to_owned());
    let own = match &shape.kind {
        // A stream's length is not known before it is read: its bounds are not checked.
        ShapeKind::Scalar(Scalar::Blob { streaming: true }) => false,
        ShapeKind::Scalar(Scalar::String | Scalar::Blob { .. }) => has_bounds_or_pattern(shape),
        ShapeKind::Scalar(_) => shape.constraints.min.is_some() || shape.constraints.max.is_some(),
        ShapeKind::Enum(_) => false,
        ShapeKind::List(list) => {
            has_bounds_or_pattern(shape) || needs_validation(service, &list.member, visiting)
        }
        ShapeKind::Map(map) => {
            has_bounds_or_pattern(shape)
                || needs_validation(service, &map.key, visiting)
                || needs_validation(service, &map.value, visiting)
        }
        ShapeKind::Union(_) => true,
        ShapeKind::Structure(s) => s.members.iter().any(|m| {
            (m.required && m.optional && !m.idempotency_token)
                || matches!(m.binding, HttpBinding::Label { .. })
                || needs_validation(service, &m.target, visiting)
        }),
    };
    visiting.pop();
    own
}

fn has_bounds_or_pattern(shape: &Shape) -> bool {
    !shape.constraints.is_empty()
}

fn bound(number: &Option<serde_json::Number>) -> TokenStream {
    match number.as_ref().and_then(serde_json::Number::as_u64) {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    }
}

fn float_bound(number: &Option<serde_json::Number>) -> TokenStream {
    match number.as_ref().and_then(serde_json::Number::as_f64) {
        Some(n) if n.is_finite() => {
            let literal = proc_macro2::Literal::f64_suffixed(n);
            quote!(Some(#literal))
        }
        _ => quote!(None),
    }
}

/// A statement validating `value` (an expression of type `&T`, or anything that coerces to
/// the validator's parameter) of shape `shape_name` at `path` (an expression of type
/// `&Path`), or nothing when the shape has nothing to check.
pub fn validate_call(
    service: &Service,
    value: TokenStream,
    path: TokenStream,
    shape_name: &str,
) -> TokenStream {
    match service.shape(shape_name) {
        Some(shape) if needs_validation(service, shape_name, &mut Vec::new()) => {
            let f = fn_name("validate", shape);
            quote!(crate::protocol::#f(#value, #path)?;)
        }
        _ => quote!(),
    }
}

/// The parameter type of a shape's validator: `&str`, `&[T]`, `&BTreeMap<K, V>`, `&T`.
pub fn validator_param(service: &Service, shape: &Shape) -> TokenStream {
    match &shape.kind {
        ShapeKind::Scalar(Scalar::String) => quote!(&str),
        ShapeKind::List(list) => {
            let element = value_type(service, &list.member);
            let element = if list.sparse {
                quote!(Option<#element>)
            } else {
                element
            };
            quote!(&[#element])
        }
        _ => {
            let ty = value_type(service, &shape.name);
            quote!(&#ty)
        }
    }
}

/// The Rust type of a value of `shape_name`.
pub fn value_type(service: &Service, shape_name: &str) -> TokenStream {
    let Some(shape) = service.shape(shape_name) else {
        return quote!(());
    };
    if let Some(item) = &shape.item {
        let name = ident(&item.type_name);
        return quote!(crate::types::#name);
    }
    match &shape.kind {
        ShapeKind::Scalar(scalar) => super::tokens::scalar_type(*scalar),
        ShapeKind::List(list) => {
            let element = value_type(service, &list.member);
            let element = if list.sparse {
                quote!(Option<#element>)
            } else {
                element
            };
            quote!(Vec<#element>)
        }
        ShapeKind::Map(map) => {
            let key = value_type(service, &map.key);
            let value = value_type(service, &map.value);
            let value = if map.sparse {
                quote!(Option<#value>)
            } else {
                value
            };
            quote!(::std::collections::BTreeMap<#key, #value>)
        }
        _ => quote!(()),
    }
}

/// The checks of a non-structure shape's validator body, on `value` at `path`: its own
/// bounds and pattern, then its elements, keys or values.
pub fn validate_body(service: &Service, shape: &Shape) -> TokenStream {
    let c = &shape.constraints;
    let (min, max) = (bound(&c.min), bound(&c.max));
    let rt = quote!(::botogen_runtime::validate);
    let has_bounds = c.min.is_some() || c.max.is_some();
    match &shape.kind {
        ShapeKind::Scalar(Scalar::String) => {
            let length = has_bounds.then(|| quote!(#rt::check_bounds(path, "length", #rt::string_length(value), #min, #max)?;));
            let pattern = c.pattern.as_ref().map(|source| {
                quote! {
                    static PATTERN: ::std::sync::OnceLock<Option<::botogen_runtime::pattern::Pattern>> = ::std::sync::OnceLock::new();
                    #rt::check_pattern(path, value, &PATTERN, #source)?;
                }
            });
            quote!(#length #pattern)
        }
        ShapeKind::Scalar(Scalar::Blob { streaming: false }) if has_bounds => {
            quote!(#rt::check_bounds(path, "length", value.len() as u64, #min, #max)?;)
        }
        ShapeKind::Scalar(Scalar::Byte | Scalar::Short | Scalar::Integer | Scalar::Float)
            if has_bounds =>
        {
            let (min, max) = (float_bound(&c.min), float_bound(&c.max));
            quote!(#rt::check_range(path, f64::from(*value), #min, #max)?;)
        }
        ShapeKind::Scalar(Scalar::Long) if has_bounds => {
            let (min, max) = (float_bound(&c.min), float_bound(&c.max));
            quote!(#rt::check_range(path, *value as f64, #min, #max)?;)
        }
        ShapeKind::Scalar(Scalar::Double) if has_bounds => {
            let (min, max) = (float_bound(&c.min), float_bound(&c.max));
            quote!(#rt::check_range(path, *value, #min, #max)?;)
        }
        ShapeKind::List(list) => {
            let size = has_bounds
                .then(|| quote!(#rt::check_bounds(path, "size", value.len() as u64, #min, #max)?;));
            let call = validate_call(
                service,
                quote!(item),
                quote!(&path.index(index)),
                &list.member,
            );
            let each = (!call.is_empty()).then(|| {
                let call = if list.sparse {
                    quote!(if let Some(item) = item { #call })
                } else {
                    call
                };
                quote!(for (index, item) in value.iter().enumerate() { #call })
            });
            quote!(#size #each)
        }
        ShapeKind::Map(map) => {
            let size = has_bounds
                .then(|| quote!(#rt::check_bounds(path, "size", value.len() as u64, #min, #max)?;));
            let key_call = validate_call(service, quote!(key), quote!(&path), &map.key);
            let value_call = validate_call(service, quote!(item), quote!(&path), &map.value);
            let value_call = if map.sparse && !value_call.is_empty() {
                quote!(if let Some(item) = item { #value_call })
            } else {
                value_call
            };
            let each = (!key_call.is_empty() || !value_call.is_empty()).then(|| {
                let item = if value_call.is_empty() {
                    quote!(_)
                } else {
                    quote!(item)
                };
                quote! {
                    for (key, #item) in value.iter() {
                        let path = path.key(key.as_str());
                        #key_call
                        #value_call
                    }
                }
            });
            quote!(#size #each)
        }
        _ => quote!(),
    }
}

/// How many list/map/`Option` layers the type of `shape_name` nests (a scalar or named type
/// is 1), to decide where `clippy::type_complexity` must be allowed.
pub fn shape_nesting(service: &Service, shape_name: &str) -> usize {
    match service.shape(shape_name).map(|s| &s.kind) {
        Some(ShapeKind::List(list)) => {
            1 + usize::from(list.sparse) + shape_nesting(service, &list.member)
        }
        Some(ShapeKind::Map(map)) => {
            1 + usize::from(map.sparse)
                + shape_nesting(service, &map.key).max(shape_nesting(service, &map.value))
        }
        _ => 1,
    }
}
