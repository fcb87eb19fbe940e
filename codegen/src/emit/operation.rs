//! One module per operation. For now it documents the operation: its HTTP binding, input,
//! output and errors; the protocol emitters add the request and response code here.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{code_span, paragraphs};
use crate::ir::{Operation, PathSegment, Service};

/// The operation's module: its documentation as inner doc attributes.
pub fn emit_operation(service: &Service, op: &Operation) -> TokenStream {
    let type_link = |shape: &str| match service.shape(shape).and_then(|s| s.item.as_ref()) {
        Some(item) => format!("[`{0}`](crate::types::{0})", item.type_name),
        None => code_span(shape),
    };
    let mut facts = vec![format!(
        "**HTTP:** {}",
        code_span(&format!("{} {}", op.method, uri_text(op)))
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
    if let Some(deprecation) = &op.deprecated {
        facts.push(match &deprecation.message {
            Some(message) => format!("**Deprecated:** {}", code_span(message)),
            None => "**Deprecated.**".to_owned(),
        });
    }
    let title = format!("The `{}` operation.", op.name);
    let facts = facts
        .iter()
        .map(|f| format!("- {f}"))
        .collect::<Vec<_>>()
        .join("\n");
    let docs = paragraphs([title.as_str(), op.docs.as_str(), facts.as_str()]);
    let lines = docs.lines().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    });
    quote!(#(#![doc = #lines])*)
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
