//! Shapes: kinds, members, enum values, error traits and constraints.

use std::collections::BTreeMap;

use super::operation::shown;
use super::{Changes, code};
use crate::diff::{Constraint, Impact, Kind, Scope};
use crate::ir::{
    Constraints, EnumShape, HttpBinding, Member, RustType, Shape, ShapeKind, Structure,
};

/// A shape's kind in the model's words.
fn kind_name(shape: &Shape) -> &'static str {
    match &shape.kind {
        ShapeKind::Scalar(_) => "scalar",
        ShapeKind::Enum(_) => "enum",
        ShapeKind::Structure(s) if s.error.is_some() => "error structure",
        ShapeKind::Structure(_) => "structure",
        ShapeKind::Union(_) => "union",
        ShapeKind::List(_) => "list",
        ShapeKind::Map(_) => "map",
    }
}

fn type_of(shape: &Shape) -> Option<String> {
    shape
        .item
        .as_ref()
        .map(|i| format!("types::{}", i.type_name))
}

pub(super) fn shape(out: &mut Changes, name: &str, old: Option<&Shape>, new: Option<&Shape>) {
    let scope = || Scope::Shape(name.to_owned());
    let (old, new) = match (old, new) {
        (None, Some(new)) => {
            let rust = type_of(new).map(|t| format!("new type `{t}`"));
            let impact = if rust.is_some() {
                Impact::Additive
            } else {
                Impact::None
            };
            out.push(
                scope(),
                Kind::Added,
                format!("{} shape `{name}` added", kind_name(new)),
                rust,
                impact,
                None,
                None,
            );
            return;
        }
        (Some(old), None) => {
            let rust = type_of(old).map(|t| format!("type `{t}` removed"));
            let impact = if rust.is_some() {
                Impact::Breaking
            } else {
                Impact::None
            };
            out.push(
                scope(),
                Kind::Removed,
                format!("{} shape `{name}` removed", kind_name(old)),
                rust,
                impact,
                None,
                None,
            );
            return;
        }
        (Some(old), Some(new)) => (old, new),
        (None, None) => return,
    };
    if type_of(old) != type_of(new) || kind_name(old) != kind_name(new) {
        out.push(
            scope(),
            Kind::Changed,
            format!(
                "shape `{name}` changed from {} to {}",
                kind_name(old),
                kind_name(new)
            ),
            Some(format!(
                "{} -> {}",
                type_of(old)
                    .map(|t| code(&t))
                    .unwrap_or_else(|| "no type".into()),
                type_of(new)
                    .map(|t| code(&t))
                    .unwrap_or_else(|| "no type".into())
            )),
            Impact::Breaking,
            None,
            None,
        );
        return;
    }
    match (&old.kind, &new.kind) {
        (ShapeKind::Structure(a), ShapeKind::Structure(b)) => {
            members(out, name, new, &a.members, &b.members, false);
            errors(out, name, a, b);
        }
        (ShapeKind::Union(a), ShapeKind::Union(b)) => {
            members(out, name, new, &a.members, &b.members, true)
        }
        (ShapeKind::Enum(a), ShapeKind::Enum(b)) => enum_values(out, name, new, a, b),
        _ => {}
    }
    let unit = match &new.kind {
        ShapeKind::Scalar(crate::ir::Scalar::String | crate::ir::Scalar::Blob { .. })
        | ShapeKind::Enum(_) => "length ",
        ShapeKind::List(_) | ShapeKind::Map(_) => "size ",
        ShapeKind::Scalar(_) => "value ",
        _ => "",
    };
    constraints(out, scope(), unit, &old.constraints, &new.constraints);
    if old.deprecated.is_some() != new.deprecated.is_some() {
        let what = if new.deprecated.is_some() {
            "shape deprecated"
        } else {
            "shape no longer deprecated"
        };
        out.push(
            scope(),
            Kind::Deprecation,
            what.to_owned(),
            type_of(new).map(|t| format!("`#[deprecated]` on `{t}`")),
            Impact::None,
            None,
            None,
        );
    }
    if old.sensitive != new.sensitive {
        let what = if new.sensitive {
            "shape marked sensitive"
        } else {
            "shape no longer sensitive"
        };
        out.push(
            scope(),
            Kind::Changed,
            what.to_owned(),
            Some("`Debug` output redacts differently".to_owned()),
            Impact::None,
            None,
            None,
        );
    }
    out.docs(scope(), "shape", &old.docs, &new.docs);
}

fn errors(out: &mut Changes, name: &str, old: &Structure, new: &Structure) {
    let scope = || Scope::Shape(name.to_owned());
    match (&old.error, &new.error) {
        (Some(a), Some(b)) => {
            if a.code != b.code {
                out.wire_only(
                    scope(),
                    format!("error code `{}` -> `{}`", a.code, b.code),
                    "responses are matched to this error by the new code".to_owned(),
                );
            }
            if a.http_status != b.http_status {
                out.push(
                    scope(),
                    Kind::Changed,
                    format!(
                        "error HTTP status {:?} -> {:?}",
                        a.http_status, b.http_status
                    ),
                    None,
                    Impact::None,
                    None,
                    None,
                );
            }
            if a.retryable != b.retryable || a.fault != b.fault {
                out.push(
                    scope(),
                    Kind::Changed,
                    "error retry or fault classification changed".to_owned(),
                    Some("`is_retryable()` may answer differently".to_owned()),
                    Impact::None,
                    None,
                    None,
                );
            }
        }
        (None, Some(_)) => out.push(
            scope(),
            Kind::Changed,
            "structure became an error".to_owned(),
            None,
            Impact::Breaking,
            None,
            None,
        ),
        (Some(_), None) => out.push(
            scope(),
            Kind::Changed,
            "structure is no longer an error".to_owned(),
            None,
            Impact::Breaking,
            None,
            None,
        ),
        (None, None) => {}
    }
}

/// The Rust path of a member: `types::T::field` or `types::T::Variant`.
fn member_path(holder: &Shape, m: &Member, union: bool) -> String {
    let ty = type_of(holder).unwrap_or_default();
    if union {
        format!("{ty}::{}", m.variant)
    } else {
        format!("{ty}::{}", m.field)
    }
}

fn rust_type_text(ty: &RustType, optional: bool, boxed: bool) -> String {
    let inner = match ty {
        RustType::Scalar(s) => format!("{s:?}"),
        RustType::Named(n) => n.clone(),
        RustType::List { element, sparse } => {
            format!("Vec<{}>", rust_type_text(element, *sparse, false))
        }
        RustType::Map { key, value, sparse } => format!(
            "BTreeMap<{}, {}>",
            rust_type_text(key, false, false),
            rust_type_text(value, *sparse, false)
        ),
    };
    let inner = if boxed {
        format!("Box<{inner}>")
    } else {
        inner
    };
    if optional {
        format!("Option<{inner}>")
    } else {
        inner
    }
}

fn members(
    out: &mut Changes,
    holder: &str,
    shape: &Shape,
    old: &[Member],
    new: &[Member],
    union: bool,
) {
    let scope = || Scope::Shape(holder.to_owned());
    let word = if union { "union member" } else { "member" };
    let old_by_name: BTreeMap<&str, &Member> = old.iter().map(|m| (m.name.as_str(), m)).collect();
    let new_by_name: BTreeMap<&str, &Member> = new.iter().map(|m| (m.name.as_str(), m)).collect();
    for m in new
        .iter()
        .filter(|m| !old_by_name.contains_key(m.name.as_str()))
    {
        let path = member_path(shape, m, union);
        let (impact, rust) = if union {
            (Impact::Additive, format!("new variant `{path}`"))
        } else if m.optional {
            (
                Impact::Additive,
                format!("new field `{path}` and its setters"),
            )
        } else {
            (
                Impact::Breaking,
                format!("new required field `{path}`: existing builders now fail until it is set"),
            )
        };
        let wire = format!("new {} `{}`", binding_words(&m.binding), wire_name(m));
        out.push(
            scope(),
            Kind::Added,
            format!("{word} `{}` added (shape `{}`)", m.name, m.target),
            Some(rust),
            impact,
            Some(wire),
            None,
        );
    }
    for m in old
        .iter()
        .filter(|m| !new_by_name.contains_key(m.name.as_str()))
    {
        let path = member_path(shape, m, union);
        out.push(
            scope(),
            Kind::Removed,
            format!("{word} `{}` removed", m.name),
            Some(format!("`{path}` removed")),
            Impact::Breaking,
            Some(format!(
                "{} `{}` no longer sent or read",
                binding_words(&m.binding),
                wire_name(m)
            )),
            None,
        );
    }
    for b in new {
        let Some(a) = old_by_name.get(b.name.as_str()) else {
            continue;
        };
        member(out, holder, shape, a, b, union);
    }
}

fn binding_words(binding: &HttpBinding) -> &'static str {
    match binding {
        HttpBinding::Body { .. } => "JSON key",
        HttpBinding::Payload => "payload",
        HttpBinding::Label { .. } => "URI label",
        HttpBinding::Query { .. } => "query parameter",
        HttpBinding::QueryMap => "query map",
        HttpBinding::Header { .. } => "header",
        HttpBinding::PrefixHeaders { .. } => "prefix headers",
        HttpBinding::StatusCode => "status code",
    }
}

fn wire_name(m: &Member) -> String {
    match &m.binding {
        HttpBinding::Body { json_name } => json_name.clone(),
        HttpBinding::Label { name }
        | HttpBinding::Query { name }
        | HttpBinding::Header { name } => name.clone(),
        HttpBinding::PrefixHeaders { prefix } => format!("{prefix}*"),
        _ => m.name.clone(),
    }
}

fn member(out: &mut Changes, holder: &str, shape: &Shape, a: &Member, b: &Member, union: bool) {
    let scope = || Scope::Shape(holder.to_owned());
    let name = &b.name;
    let (path_a, path_b) = (member_path(shape, a, union), member_path(shape, b, union));
    if path_a != path_b {
        out.push(
            scope(),
            Kind::Changed,
            format!("member `{name}`: Rust name changed"),
            Some(format!("`{path_a}` -> `{path_b}`")),
            Impact::Breaking,
            None,
            None,
        );
    }
    let (ty_a, ty_b) = (
        rust_type_text(&a.ty, a.optional, a.boxed),
        rust_type_text(&b.ty, b.optional, b.boxed),
    );
    if ty_a != ty_b {
        let why = if a.ty == b.ty && a.optional != b.optional {
            if b.optional {
                " (no longer required, or the structure is now also read from responses)"
            } else {
                " (now required)"
            }
        } else {
            ""
        };
        out.push(
            scope(),
            Kind::Changed,
            format!(
                "member `{name}`: type `{}` -> `{}`{why}",
                a.target, b.target
            ),
            Some(format!("`{path_b}`: `{ty_a}` -> `{ty_b}`")),
            Impact::Breaking,
            None,
            None,
        );
    } else if a.target != b.target {
        out.push(
            scope(),
            Kind::Changed,
            format!(
                "member `{name}`: shape `{}` -> `{}` (same Rust type)",
                a.target, b.target
            ),
            None,
            Impact::None,
            None,
            None,
        );
    }
    if a.required != b.required && a.optional == b.optional {
        let what = if b.required {
            "now required"
        } else {
            "no longer required"
        };
        out.push(
            scope(),
            Kind::Changed,
            format!("member `{name}` {what} (not enforced for structures read from responses)"),
            None,
            Impact::None,
            None,
            None,
        );
    }
    if a.binding != b.binding || a.json_name != b.json_name {
        out.wire_only(
            scope(),
            format!(
                "member `{name}`: {} `{}` -> {} `{}`",
                binding_words(&a.binding),
                wire_name(a),
                binding_words(&b.binding),
                wire_name(b)
            ),
            "the value travels under a different name or place".to_owned(),
        );
    }
    if a.timestamp_format != b.timestamp_format {
        out.wire_only(
            scope(),
            format!(
                "member `{name}`: timestamp format {:?} -> {:?}",
                a.timestamp_format, b.timestamp_format
            ),
            "timestamps are written and read in another format".to_owned(),
        );
    }
    if a.jsonvalue != b.jsonvalue || a.idempotency_token != b.idempotency_token {
        out.wire_only(
            scope(),
            format!("member `{name}`: jsonvalue/idempotency trait changed"),
            "the value is encoded or filled in differently".to_owned(),
        );
    }
    if a.sensitive != b.sensitive {
        out.push(
            scope(),
            Kind::Changed,
            format!("member `{name}`: sensitivity changed"),
            Some("`Debug` output redacts differently".to_owned()),
            Impact::None,
            None,
            None,
        );
    }
    if a.deprecated.is_some() != b.deprecated.is_some() {
        let what = if b.deprecated.is_some() {
            "deprecated"
        } else {
            "no longer deprecated"
        };
        out.push(
            scope(),
            Kind::Deprecation,
            format!("member `{name}` {what}"),
            Some(format!("`#[deprecated]` on `{path_b}`")),
            Impact::None,
            None,
            None,
        );
    }
    // Bounds of the same target shape are reported once, on that shape.
    if a.target != b.target {
        constraints(
            out,
            Scope::Shape(holder.to_owned()),
            &format!("member `{name}`: "),
            &a.constraints,
            &b.constraints,
        );
    }
    if a.allowed_values != b.allowed_values {
        out.push(
            scope(),
            Kind::Constraint,
            format!(
                "member `{name}`: allowed values {:?} -> {:?}",
                a.allowed_values, b.allowed_values
            ),
            None,
            Impact::None,
            None,
            Some(set_direction(&a.allowed_values, &b.allowed_values)),
        );
    }
    if a.docs != b.docs {
        out.push(
            scope(),
            Kind::Documentation,
            format!("member `{name}` documentation changed"),
            None,
            Impact::None,
            None,
            None,
        );
    }
}

fn set_direction(old: &[String], new: &[String]) -> Constraint {
    let lost = old.iter().any(|v| !new.contains(v));
    let gained = new.iter().any(|v| !old.contains(v));
    match (lost, gained) {
        (true, false) => Constraint::Tightened,
        (false, true) => Constraint::Relaxed,
        _ => Constraint::Changed,
    }
}

fn number(n: &Option<serde_json::Number>) -> Option<f64> {
    n.as_ref().and_then(serde_json::Number::as_f64)
}

fn constraints(out: &mut Changes, scope: Scope, prefix: &str, a: &Constraints, b: &Constraints) {
    let scope = || scope.clone();
    let bound =
        |what: &str, x: Option<f64>, y: Option<f64>, tighter_if_larger: bool, out: &mut Changes| {
            if x == y {
                return;
            }
            let direction = match (x, y) {
                (None, Some(_)) => Constraint::Tightened,
                (Some(_), None) => Constraint::Relaxed,
                (Some(x), Some(y)) if (y > x) == tighter_if_larger => Constraint::Tightened,
                _ => Constraint::Relaxed,
            };
            let show = |v: Option<f64>| {
                v.map(|v| v.to_string())
                    .unwrap_or_else(|| "none".to_owned())
            };
            out.push(
                scope(),
                Kind::Constraint,
                format!("{prefix}{what} {} -> {}", show(x), show(y)),
                None,
                Impact::None,
                None,
                Some(direction),
            );
        };
    bound("min", number(&a.min), number(&b.min), true, out);
    bound("max", number(&a.max), number(&b.max), false, out);
    if a.pattern != b.pattern {
        let direction = match (&a.pattern, &b.pattern) {
            (None, Some(_)) => Constraint::Tightened,
            (Some(_), None) => Constraint::Relaxed,
            _ => Constraint::Changed,
        };
        out.push(
            scope(),
            Kind::Constraint,
            format!(
                "{prefix}pattern {} -> {}",
                shown(&a.pattern),
                shown(&b.pattern)
            ),
            None,
            Impact::None,
            None,
            Some(direction),
        );
    }
}

fn enum_values(out: &mut Changes, name: &str, shape: &Shape, old: &EnumShape, new: &EnumShape) {
    let scope = || Scope::Shape(name.to_owned());
    let ty = type_of(shape).unwrap_or_default();
    let old_by_wire: BTreeMap<&str, &str> = old
        .values
        .iter()
        .map(|v| (v.wire.as_str(), v.variant.as_str()))
        .collect();
    let new_by_wire: BTreeMap<&str, &str> = new
        .values
        .iter()
        .map(|v| (v.wire.as_str(), v.variant.as_str()))
        .collect();
    for (wire, variant) in &new_by_wire {
        match old_by_wire.get(wire) {
            None => out.push(
                scope(),
                Kind::Added,
                format!("enum value `{wire}` added"),
                Some(format!("new variant `{ty}::{variant}`")),
                Impact::Additive,
                Some(format!(
                    "`{wire}` was read as `Unknown` before; it is now `{variant}`"
                )),
                Some(Constraint::Relaxed),
            ),
            Some(old_variant) if old_variant != variant => out.push(
                scope(),
                Kind::Changed,
                format!("enum value `{wire}`: variant renamed"),
                Some(format!("`{ty}::{old_variant}` -> `{ty}::{variant}`")),
                Impact::Breaking,
                None,
                None,
            ),
            Some(_) => {}
        }
    }
    for (wire, variant) in old_by_wire
        .iter()
        .filter(|(w, _)| !new_by_wire.contains_key(*w))
    {
        out.push(
            scope(),
            Kind::Removed,
            format!("enum value `{wire}` removed"),
            Some(format!("variant `{ty}::{variant}` removed")),
            Impact::Breaking,
            Some(format!("`{wire}` is read as `Unknown` from now on")),
            Some(Constraint::Tightened),
        );
    }
}
