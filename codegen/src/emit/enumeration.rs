//! String enums: known values as variants, anything else kept in `Unknown`.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{deprecated_attr, doc_lines, docs_or_name, ident, inline_code, paragraphs};
use crate::ir::{EnumShape, ItemName, Shape};

/// The enum with `as_str`, `values`, `From<&str>`, `From<String>`, `FromStr`, `AsRef<str>`
/// and `Display`.
pub fn emit_enum(shape: &Shape, item: &ItemName, e: &EnumShape) -> TokenStream {
    let name = ident(&item.type_name);
    let values_list = e
        .values
        .iter()
        .map(|v| shown_value(&v.wire))
        .collect::<Vec<_>>()
        .join(", ");
    let own = docs_or_name(&shape.docs, "enumeration", &shape.name);
    let known = format!(
        "Known values: {values_list}. Any other string is kept in [`{0}::Unknown`], so values added to the service later round-trip unchanged.",
        item.type_name
    );
    let docs = doc_lines(&paragraphs([own.as_str(), known.as_str()]));
    let deprecated = deprecated_attr(shape.deprecated.as_ref());

    let variants = e.values.iter().map(|v| {
        let variant = ident(&v.variant);
        let doc = format!(" {}", shown_value(&v.wire));
        quote!(#[doc = #doc] #variant,)
    });
    let as_str_arms = e.values.iter().map(|v| {
        let variant = ident(&v.variant);
        let wire = &v.wire;
        quote!(Self::#variant => #wire,)
    });
    let from_arms = e.values.iter().map(|v| {
        let variant = ident(&v.variant);
        let wire = &v.wire;
        quote!(#wire => Self::#variant,)
    });
    let wires = e.values.iter().map(|v| &v.wire);
    let unknown_doc = format!(
        " A value this version of the crate does not know; [`{}::as_str`] returns it unchanged.",
        item.type_name
    );

    quote! {
        #docs
        #deprecated
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "serde", derive(::serde::Serialize, ::serde::Deserialize), serde(into = "String", from = "String"))]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = #unknown_doc]
            Unknown(::botogen_runtime::UnknownValue),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str_arms)*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Every value known when this crate was generated, in model order.
            pub const fn values() -> &'static [&'static str] {
                &[#(#wires),*]
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_arms)*
                    other => Self::Unknown(::botogen_runtime::UnknownValue::__new(other)),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl From<#name> for String {
            fn from(value: #name) -> Self {
                value.as_str().to_owned()
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

/// A wire value for docs; the empty string is spelled out.
fn shown_value(wire: &str) -> String {
    if wire.trim().is_empty() {
        format!("the empty string {}", inline_code(&format!("{wire:?}")))
    } else {
        inline_code(wire)
    }
}
