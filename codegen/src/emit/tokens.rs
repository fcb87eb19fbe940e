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

/// The item type of a list (`E` or `Option<E>`) or map (`(K, V)` or `(K, Option<V>)`), for
/// setters that take any `IntoIterator`; `None` for other types.
pub fn collection_item_type(ty: &RustType) -> Option<TokenStream> {
    match ty {
        RustType::List { element, sparse } => Some(option_if(rust_type(element), *sparse)),
        RustType::Map { key, value, sparse } => {
            let key = rust_type(key);
            let value = option_if(rust_type(value), *sparse);
            Some(quote!((#key, #value)))
        }
        RustType::Scalar(_) | RustType::Named(_) => None,
    }
}

/// How many list/map/`Option` layers a type nests (a scalar or named type is 1).
pub fn nesting(ty: &RustType) -> usize {
    match ty {
        RustType::Scalar(_) | RustType::Named(_) => 1,
        RustType::List { element, sparse } => 1 + usize::from(*sparse) + nesting(element),
        RustType::Map { key, value, sparse } => {
            1 + usize::from(*sparse) + nesting(key).max(nesting(value))
        }
    }
}

/// `#[allow(clippy::type_complexity)]` when some member's type nests containers deeply: the
/// type is the model's, and a type alias would only hide it.
pub fn complexity_allow<'a>(types: impl IntoIterator<Item = &'a RustType>) -> Option<TokenStream> {
    // `Option<Vec<BTreeMap<String, Vec<String>>>>` and deeper trips clippy's default threshold.
    types
        .into_iter()
        .any(|ty| nesting(ty) >= 4)
        .then(|| quote!(#[allow(clippy::type_complexity)]))
}

/// A streaming blob (`"streaming": true`), a `ByteStream` rather than a `Blob`: not
/// `Clone`, `PartialEq` or serde, so neither is a structure that holds one.
pub fn is_stream(ty: &RustType) -> bool {
    matches!(ty, RustType::Scalar(Scalar::Blob { streaming: true }))
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
        Scalar::Blob { streaming: true } => quote!(::botogen_runtime::ByteStream),
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

/// `#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]` for generated types.
pub fn serde_derive() -> TokenStream {
    quote!(#[cfg_attr(feature = "serde", derive(::serde::Serialize, ::serde::Deserialize))])
}

/// The serde attribute of a field or variant: the model's member name on the wire of serde
/// (the JSON botocore takes as parameters), and unset options left out.
pub fn serde_field(model_name: &str, optional: bool) -> TokenStream {
    if optional {
        quote!(#[cfg_attr(feature = "serde", serde(rename = #model_name, skip_serializing_if = "Option::is_none"))])
    } else {
        quote!(#[cfg_attr(feature = "serde", serde(rename = #model_name))])
    }
}

/// `#[doc = "..."]` attributes, one per line of `markdown`, so they print as `///` lines.
pub fn doc_lines(markdown: &str) -> TokenStream {
    let lines = doc_line_texts(markdown);
    quote!(#(#[doc = #lines])*)
}

/// `#![doc = "..."]` attributes, one per line, so they print as `//!` lines.
pub fn inner_doc_lines(markdown: &str) -> TokenStream {
    let lines = doc_line_texts(markdown);
    quote!(#(#![doc = #lines])*)
}

/// Lines of doc text with the conventional space after `///`.
fn doc_line_texts(markdown: &str) -> Vec<String> {
    markdown
        .lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
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

/// The shape's own documentation, or a sentence naming it when the model has none.
pub fn docs_or_name(docs: &str, kind: &str, name: &str) -> String {
    if docs.is_empty() {
        format!("The {} {kind}.", inline_code(name))
    } else {
        docs.to_owned()
    }
}

/// "**Deprecated:** message" (or just "**Deprecated.**") for docs.
pub fn deprecation_text(deprecation: &crate::ir::Deprecation) -> String {
    match &deprecation.message {
        Some(message) => format!("**Deprecated:** {}", crate::docs::inline_text(message)),
        None => "**Deprecated.**".to_owned(),
    }
}

pub use crate::docs::{inline_code, inline_text};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_identifiers_round_trip() {
        assert_eq!(ident("r#type").to_string(), "r#type");
        assert_eq!(ident("records").to_string(), "records");
    }
}
