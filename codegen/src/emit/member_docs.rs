//! Documentation of a member: the model's text plus what the model says about its value.

use crate::ir::{Constraints, Member, Service, ShapeKind};

use super::tokens::{deprecation_text, docs_or_name, inline_code, paragraphs};

/// The model's documentation of `member` followed by one line of facts: required, bounds,
/// pattern and deprecation. Members without documentation get a plain sentence instead, so
/// every generated field has docs.
pub fn member_docs(service: &Service, member: &Member) -> String {
    let own = docs_or_name(&member.docs, "member", &member.name);
    let mut facts = Vec::new();
    if member.required {
        facts.push("**Required.**".to_owned());
    }
    let unit = match service.shape(&member.target).map(|s| &s.kind) {
        Some(ShapeKind::List(_)) => Some("Items"),
        Some(ShapeKind::Map(_)) => Some("Entries"),
        Some(ShapeKind::Scalar(scalar)) => match scalar {
            crate::ir::Scalar::String => Some("Length"),
            crate::ir::Scalar::Blob { .. } => Some("Bytes"),
            _ => Some("Value"),
        },
        Some(ShapeKind::Enum(_)) => Some("Length"),
        _ => None,
    };
    if let Some(unit) = unit
        && let Some(range) = range_text(&member.constraints)
    {
        facts.push(format!("{unit}: {range}."));
    }
    if let Some(pattern) = &member.constraints.pattern {
        facts.push(format!("Pattern: {}.", inline_code(pattern)));
    }
    if !member.allowed_values.is_empty() {
        let values: Vec<String> = member
            .allowed_values
            .iter()
            .map(|v| inline_code(v))
            .collect();
        facts.push(format!("Allowed values: {}.", values.join(", ")));
    }
    if let Some(deprecation) = &member.deprecated {
        facts.push(deprecation_text(deprecation));
    }
    paragraphs([own.as_str(), facts.join(" ").as_str()])
}

/// `1..=128`, `..=1048575` or `20..`: the model's bounds as a Rust range.
fn range_text(constraints: &Constraints) -> Option<String> {
    match (&constraints.min, &constraints.max) {
        (None, None) => None,
        (Some(min), None) => Some(format!("`{min}..`")),
        (None, Some(max)) => Some(format!("`..={max}`")),
        (Some(min), Some(max)) => Some(format!("`{min}..={max}`")),
    }
}
