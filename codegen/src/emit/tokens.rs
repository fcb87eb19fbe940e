//! Small token helpers shared by the emitters: identifiers, Rust types and doc attributes.
//!
//! Generated code names prelude items (`Option`, `String`, `Vec`, `Box`, `Result`, `Into`,
//! ...) by their short names. That is safe because the IR never gives a generated type a
//! prelude name ([`crate::ir::naming::RESERVED_TYPE_NAMES`]) and every generated file defines
//! only generated types; everything else is named by absolute path.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{RustType, Scalar};

/// An identifier from a name the IR chose; `r#`-prefixed names become raw identifiers.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type of a value, with generated types named relative to the `types` module.
pub fn rust_type(ty: &RustType) -> TokenStream {
    match ty {
        RustType::Scalar(scalar) => scalar_type(*scalar),
        RustType::Named(name) => {
            let name = ident(name);
            quote!(crate::types::#name)
        }
        RustType::List { element, sparse } => {
            let element = option_if(rust_type(element), *sparse);
            quote!(Vec<#element>)
        }
        RustType::Map { key, value, sparse } => {
            let key = rust_type(key);
            let value = option_if(rust_type(value), *sparse);
            quote!(::std::collections::BTreeMap<#key, #value>)
        }
    }
}

fn option_if(ty: TokenStream, optional: bool) -> TokenStream {
    if optional { quote!(Option<#ty>) } else { ty }
}

/// The Rust type of a scalar.
pub fn scalar_type(scalar: Scalar) -> TokenStream {
    match scalar {
        Scalar::String => quote!(String),
        Scalar::Byte => quote!(i8),
        Scalar::Short => quote!(i16),
        Scalar::Integer => quote!(i32),
        Scalar::Long => quote!(i64),
        Scalar::Float => quote!(f32),
        Scalar::Double => quote!(f64),
        Scalar::Boolean => quote!(bool),
        Scalar::Blob { .. } => quote!(::botogen_runtime::Blob),
        Scalar::Timestamp { .. } => quote!(::botogen_runtime::DateTime),
        Scalar::Document => quote!(::botogen_runtime::Document),
    }
}

/// `#[deprecated]`, with the model's message as the note when it has one.
pub fn deprecated_attr(deprecation: Option<&crate::ir::Deprecation>) -> Option<TokenStream> {
    let deprecation = deprecation?;
    Some(match &deprecation.message {
        Some(note) => quote!(#[deprecated(note = #note)]),
        None => quote!(#[deprecated]),
    })
}

/// `#[doc = "..."]` attributes, one per line of `markdown`, so they print as `///` lines.
pub fn doc_lines(markdown: &str) -> TokenStream {
    let lines = markdown.lines().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    });
    quote!(#(#[doc = #lines])*)
}

/// Joins documentation paragraphs, skipping empty ones.
pub fn paragraphs<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// An inline code span for arbitrary text, with a fence longer than any backtick run inside.
pub fn code_span(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if longest == 0 {
        format!("{fence}{text}{fence}")
    } else {
        format!("{fence} {text} {fence}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_span_fences_backticks() {
        assert_eq!(code_span("a+"), "`a+`");
        assert_eq!(code_span("a`b"), "`` a`b ``");
    }

    #[test]
    fn raw_identifiers_round_trip() {
        assert_eq!(ident("r#type").to_string(), "r#type");
        assert_eq!(ident("records").to_string(), "records");
    }
}
