//! Unions: one variant per member, plus `Unknown` for members added to the model later.

use proc_macro2::TokenStream;
use quote::quote;

use super::member_docs::member_docs;
use super::tokens::{
    complexity_allow, deprecated_attr, doc_lines, docs_or_name, ident, paragraphs, rust_type,
};
use crate::ir::{ItemName, Service, Shape, Union};

/// The union as an enum; variants that close a cycle are boxed.
pub fn emit_union(service: &Service, shape: &Shape, item: &ItemName, u: &Union) -> TokenStream {
    let name = ident(&item.type_name);
    let own = docs_or_name(&shape.docs, "union", &shape.name);
    let docs = doc_lines(&paragraphs([own.as_str(), "Exactly one variant is set."]));
    let deprecated = deprecated_attr(shape.deprecated.as_ref());
    let needs_custom_debug = shape.sensitive || u.members.iter().any(|m| m.sensitive);
    let derive_debug = (!needs_custom_debug).then(|| quote!(Debug,));
    let complexity = complexity_allow(u.members.iter().map(|m| &m.ty));

    let variants = u.members.iter().map(|m| {
        let variant = ident(&m.variant);
        let ty = rust_type(&m.ty);
        let ty = if m.boxed { quote!(Box<#ty>) } else { ty };
        let docs = doc_lines(&member_docs(service, m));
        let deprecated = deprecated_attr(m.deprecated.as_ref());
        let serde = super::tokens::serde_field(&m.name, false);
        quote!(#docs #deprecated #serde #variant(#ty),)
    });
    let unknown_doc = " A member this version of the crate does not know; its name is kept.";
    let debug = needs_custom_debug.then(|| {
        let arms = u.members.iter().map(|m| {
            let variant = ident(&m.variant);
            let label = &m.variant;
            if m.sensitive || shape.sensitive {
                quote!(Self::#variant(_) => f.debug_tuple(#label).field(&::botogen_runtime::sensitive::Redacted).finish(),)
            } else {
                quote!(Self::#variant(value) => f.debug_tuple(#label).field(value).finish(),)
            }
        });
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        #(#arms)*
                        Self::Unknown(member) => f.debug_tuple("Unknown").field(member).finish(),
                    }
                }
            }
        }
    });

    quote! {
        #docs
        #deprecated
        #[derive(Clone, #derive_debug PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #complexity
        #[cfg_attr(feature = "serde", derive(::serde::Serialize, ::serde::Deserialize))]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = #unknown_doc]
            #[cfg_attr(feature = "serde", serde(skip))]
            Unknown(::botogen_runtime::UnknownValue),
        }

        #debug
    }
}
