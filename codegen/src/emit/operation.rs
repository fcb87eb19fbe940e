//! One module per operation. For now it documents the operation: its HTTP binding, input,
//! output and errors; the protocol emitters add the request and response code here.

use proc_macro2::TokenStream;

use super::tokens::{deprecation_text, inline_code, inner_doc_lines, paragraphs};
use crate::ir::{Operation, PathSegment, Service};

/// The operation's module: its documentation as inner doc attributes.
pub fn emit_operation(service: &Service, op: &Operation) -> TokenStream {
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
    if let Some(deprecation) = &op.deprecated {
        facts.push(deprecation_text(deprecation));
    }
    let title = format!("The {} operation.", inline_code(&op.name));
    let facts = facts
        .iter()
        .map(|f| format!("- {f}"))
        .collect::<Vec<_>>()
        .join("\n");
    inner_doc_lines(&paragraphs([
        title.as_str(),
        op.docs.as_str(),
        facts.as_str(),
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
