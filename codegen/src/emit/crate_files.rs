//! Crate-level files: `lib.rs`, the `types` and `operation` module roots, `Cargo.toml` and
//! `README.md`.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{ident, inline_code, inline_text, inner_doc_lines};
use super::{CrateSettings, Provenance};
use crate::ir::{Service, ShapeKind};

/// `src/types/mod.rs`: a private module per item, re-exported, plus the `builders` module.
pub fn types_mod(service: &Service) -> TokenStream {
    let mut mods = Vec::new();
    let mut builders = Vec::new();
    for shape in service.named_shapes() {
        let Some(item) = &shape.item else { continue };
        let module = ident(&item.module);
        let name = ident(&item.type_name);
        mods.push(quote!(mod #module; pub use #module::#name;));
        if matches!(shape.kind, ShapeKind::Structure(_)) {
            let builder = ident(&item.builder_name);
            builders.push(quote!(pub use super::#module::#builder;));
        }
    }
    let doc = format!(
        " The shapes of the {} model: structures, enums, unions and errors.",
        inline_text(&service.meta.full_name)
    );
    quote! {
        #![doc = #doc]
        //!
        //! Structures are built with their `builder()`; their fields are public for reading.
        //! Scalars, lists and maps of the model map to Rust types (`String`, `i64`,
        //! `Vec`, `BTreeMap`, [`DateTime`](crate::primitives::DateTime), ...).
        #(#mods)*

        /// Builders for the structures of this module, returned by their `builder()` functions.
        pub mod builders {
            #(#builders)*
        }
    }
}

/// `src/error.rs`: the service-wide error type, with a variant for every error any operation
/// models, and the runtime's error types users match on.
pub fn error_rs(service: &Service) -> TokenStream {
    let mut variants = std::collections::BTreeMap::new();
    for op in &service.operations {
        for name in &op.errors {
            let Some(shape) = service.shape(name) else {
                continue;
            };
            let (ShapeKind::Structure(s), Some(item)) = (&shape.kind, &shape.item) else {
                continue;
            };
            let Some(info) = &s.error else { continue };
            let doc = super::operation::first_sentence(&shape.docs, &shape.name);
            let doc = super::tokens::doc_lines(&doc);
            let variant = ident(&info.variant);
            let ty = ident(&item.type_name);
            variants.insert(
                info.variant.clone(),
                quote!(#doc #variant(crate::types::#ty),),
            );
        }
    }
    let names: Vec<_> = variants.keys().map(|v| ident(v)).collect();
    let variants = variants.values();
    let doc = format!(
        " Any error of {}: every operation's error converts into it, for handling errors in one place.",
        inline_text(&service.meta.full_name)
    );
    quote! {
        //! Errors: the service-wide [`Error`], and the runtime types its variants carry.
        pub use ::botogen_runtime::error::{ErrorMeta, ResponseError, ServiceError, Unhandled, ValidationError};

        #[doc = #doc]
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum Error {
            #(#variants)*
            /// An error response no operation models; code, message and body are kept.
            Unhandled(Unhandled),
            /// The input broke a constraint of the model; nothing was sent.
            Validation(ValidationError),
            /// The response could not be read.
            Response(ResponseError),
        }
        ::botogen_runtime::error_impls!(Error { #(#names),* });
    }
}

/// `src/operation/mod.rs`: one public module per operation.
pub fn operation_mod(service: &Service) -> TokenStream {
    let mods = service.operations.iter().map(|op| {
        let module = ident(&op.snake_name);
        let doc = format!(" The {} operation.", inline_code(&op.name));
        quote!(#[doc = #doc] pub mod #module;)
    });
    quote! {
        //! The operations of the service, one module each.
        #(#mods)*
    }
}

/// How the crate is used; the same for every service.
const USAGE: &str = "# Using this crate

- [`Client`] (feature `client`, on by default) calls the service: a method per operation returns a fluent builder; set the input's members and `send().await` it. The client signs requests (SigV4), resolves the endpoint from the model's rule set, retries throttling errors, 5xx responses and transient I/O failures, and bounds each attempt with timeouts. Operations that page have `into_paginator()`, a stream of pages or items. [`Config`] sets region, credentials, endpoint override, retries, timeouts and the HTTP client; unset settings come from the environment.
- [`types`] holds every shape of the model. Structures are built with `builder()` and read through their public fields; enums keep values they do not know in an `Unknown` variant.
- [`operation`] has a module per operation with two sans-IO functions: `serialize_request` turns the input into an `http::Request` (checking the model's constraints first unless told not to) and `parse_response` turns an `http::Response` into the output or the operation's error enum.
- Errors: each operation's error enum has a variant per modelled error plus `Unhandled` (an error code the model does not list), `Validation` (input rejected before sending) and `Response` (a response that could not be read); all offer `code()`, `message()`, `request_id()` and `is_retryable()`, and convert into the service-wide [`Error`].
- The `serde` feature adds `Serialize`/`Deserialize` to every shape, keyed by the model's member names.";

/// `src/lib.rs`: crate docs, lints, modules and re-exports of the runtime types.
pub fn lib_rs(service: &Service, settings: &CrateSettings) -> TokenStream {
    let meta = &service.meta;
    let intro = format!(
        "A Rust SDK for **{}** (API version {}), generated from the AWS botocore model.",
        inline_text(&meta.full_name),
        inline_code(&meta.api_version)
    );
    let mut docs = vec![intro];
    if !meta.docs.is_empty() {
        docs.push(meta.docs.clone());
    }
    docs.push(USAGE.to_owned());
    if let Some(omitted) = omitted_section(service) {
        docs.push(omitted);
    }
    if let Some(example) = example(service, settings) {
        docs.push(example);
    }
    let docs = inner_doc_lines(&docs.join("\n\n"));
    let allow_deprecated = has_deprecations(service).then(|| {
        quote! {
            // The model deprecates some items; uses inside the crate are generated, not chosen.
            #![allow(deprecated)]
        }
    });
    quote! {
        #docs
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        #allow_deprecated

        #[cfg(feature = "client")]
        pub mod client;
        pub mod error;
        pub mod operation;
        mod protocol;
        pub mod types;

        #[cfg(feature = "client")]
        pub use client::{Client, Config};
        pub use error::Error;

        /// Value types used by the shapes: timestamps, blobs, documents and unknown enum values.
        pub mod primitives {
            pub use ::botogen_runtime::{Blob, DateTime, Document, UnknownValue};
        }

        pub use ::botogen_runtime::BuildError;

        /// Whether `serialize_request` checks input against the model's constraints.
        pub use ::botogen_runtime::validate::Validation;
    }
}

fn has_deprecations(service: &Service) -> bool {
    service.shapes.values().any(|s| {
        s.deprecated.is_some()
            || match &s.kind {
                ShapeKind::Structure(st) => st.members.iter().any(|m| m.deprecated.is_some()),
                ShapeKind::Union(u) => u.members.iter().any(|m| m.deprecated.is_some()),
                _ => false,
            }
    })
}

/// A doctest that builds the input of the first operation whose required members all have
/// simple types, so the crate docs show (and test) the builder API.
fn example(service: &Service, settings: &CrateSettings) -> Option<String> {
    let krate = settings.name.replace('-', "_");
    service.operations.iter().find_map(|op| {
        let shape = service.shape(op.input.as_deref()?)?;
        let item = shape.item.as_ref()?;
        let ShapeKind::Structure(s) = &shape.kind else { return None };
        if !s.has_strict_members() {
            return None;
        }
        let calls = super::examples::required_member_calls(service, s, &krate)?;
        let type_name = &item.type_name;
        Some(format!(
            "# Example\n\nBuilding the input of {op} (`build()` names any required member left unset) and the HTTP request for it, relative to the service endpoint and unsigned:\n\n```\nuse {krate}::operation::{snake};\nuse {krate}::types::*;\n\n# fn main() -> Result<(), Box<dyn std::error::Error>> {{\nlet input = {type_name}::builder(){calls}\n    .build()?;\nlet request = {snake}::serialize_request(&input, {krate}::Validation::Disabled)?;\nassert_eq!(request.method(), \"{method}\");\n# Ok(())\n# }}\n```",
            op = inline_code(&op.name),
            snake = op.snake_name,
            method = op.method
        ))
    })
}

/// The crate's manifest.
pub fn cargo_toml(service: &Service, settings: &CrateSettings, provenance: &Provenance) -> String {
    let meta = &service.meta;
    let runtime = match &settings.runtime_path {
        Some(path) => format!(
            "{{ version = \"{}\", path = \"{}\", default-features = false }}",
            settings.runtime_version, path
        ),
        None => format!(
            "{{ version = \"{}\", default-features = false }}",
            settings.runtime_version
        ),
    };
    format!(
        r#"# @generated by botogen from {model}/service-2.json (sha256 {sha}).
# Do not edit by hand: change the model or the generator and run `cargo xtask codegen`.

[package]
name = "{name}"
version = "{version}"
edition = "2024"
rust-version = "1.88"
description = {description}
license = "Apache-2.0"
readme = "README.md"
keywords = {keywords}
categories = ["api-bindings"]

[dependencies]
botogen-runtime = {runtime}
http = "1.3"
serde = {{ version = "1.0", features = ["derive"], optional = true }}

[dev-dependencies]
# The async runtime of the crate's examples (`examples/`, kept by the generator).
tokio = {{ version = "1", features = ["macros", "rt"] }}

[features]
default = ["client", "reqwest", "tracing"]
# `Client` and `Config`: SigV4 signing, credentials, endpoints, retries, timeouts, paginators.
client = ["botogen-runtime/client"]
# The default HTTP client (reqwest on rustls with the ring provider); without it, give
# `Config` an `http_client`.
reqwest = ["client", "botogen-runtime/reqwest"]
# A `tracing` span per call and events per attempt (no secrets).
tracing = ["botogen-runtime/tracing"]
# Serialize/Deserialize on every shape, with the model's member names as keys.
serde = ["dep:serde", "botogen-runtime/serde"]

[package.metadata.docs.rs]
all-features = true
"#,
        model = provenance.model,
        sha = provenance.sha256,
        name = settings.name,
        version = settings.version,
        description = toml_string(&format!(
            "{} (API {}) for Rust, generated by botogen from the AWS botocore model",
            meta.full_name, meta.api_version
        )),
        keywords = keywords(&meta.endpoint_prefix),
    )
}

/// A TOML basic string: quotes, backslashes and control characters escaped.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// crates.io keywords: `aws`, `sdk` and the endpoint prefix when it is a valid keyword
/// (ASCII letters, digits, `-` and `_`, starting with a letter, at most 20 characters).
fn keywords(endpoint_prefix: &str) -> String {
    let valid = endpoint_prefix.len() <= 20
        && endpoint_prefix.starts_with(|c: char| c.is_ascii_alphabetic())
        && endpoint_prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let mut words = vec!["aws", "sdk"];
    if valid && !words.contains(&endpoint_prefix) {
        words.insert(1, endpoint_prefix);
    }
    let quoted: Vec<String> = words.iter().map(|w| toml_string(w)).collect();
    format!("[{}]", quoted.join(", "))
}

/// `rustfmt.toml`: the generator formats its output with prettyplease, deterministically;
/// this keeps `cargo fmt` from reformatting it into something the next `codegen` undoes.
pub fn rustfmt_toml(provenance: &Provenance) -> String {
    format!(
        "# @generated by botogen from {}/service-2.json (sha256 {}).\n# Formatted by the generator (prettyplease); rustfmt leaves it as generated.\ndisable_all_formatting = true\n",
        provenance.model, provenance.sha256
    )
}

/// `# Operations left out`: the model's operations this crate does not offer, and why.
fn omitted_section(service: &Service) -> Option<String> {
    if service.omitted_operations.is_empty() {
        return None;
    }
    let mut text = String::from(
        "# Operations left out\n\nThe model has these operations, which this crate does not offer:\n",
    );
    for op in &service.omitted_operations {
        text.push_str(&format!(
            "\n- {}: {} (shape {}).",
            inline_code(&op.name),
            inline_text(&op.reason),
            inline_code(&op.shape)
        ));
    }
    Some(text)
}

/// The crate's README: what it is, where it came from, and what it contains.
pub fn readme(service: &Service, settings: &CrateSettings, provenance: &Provenance) -> String {
    let meta = &service.meta;
    let mut ops = String::new();
    for op in &service.operations {
        let http = format!("{} {}", op.method, super::operation::uri_text(op));
        let cell = |text: &str| inline_code(text).replace('|', "\\|");
        ops.push_str(&format!("| {} | {} |\n", cell(&op.name), cell(&http)));
    }
    let items = service.named_shapes().count();
    format!(
        r#"<!-- @generated by botogen from {model}/service-2.json (sha256 {sha}). Do not edit by hand. -->

# {name}

A Rust SDK for **{full_name}** (`{service_id}`, API version `{api}`), generated by
botogen from the AWS botocore service model: every shape as a Rust type with a builder,
and for every operation a request serializer and a response parser that need no network
(`operation::<name>::serialize_request` / `parse_response`), with typed errors. The optional
`serde` feature adds `Serialize`/`Deserialize` to every shape.

- Model: `{model}/service-2.json`, sha256 `{sha}`
- Protocol: rest-json; signing name `{signing}`
- {op_count} operations, {items} generated types

Regenerate with `cargo xtask codegen`; never edit these files by hand.

## Operations

| Operation | HTTP |
| --- | --- |
{ops}{omitted}
## License

Apache-2.0, like the botocore model it is generated from.
"#,
        model = provenance.model,
        sha = provenance.sha256,
        name = settings.name,
        full_name = meta.full_name,
        service_id = meta.service_id,
        api = meta.api_version,
        signing = meta.signing_name,
        op_count = service.operations.len(),
        omitted = omitted_section(service)
            .map(|text| format!("\n#{text}\n"))
            .unwrap_or_default(),
    )
}
