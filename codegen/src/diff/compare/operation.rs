//! Metadata and operations.

use super::{Changes, code};
use crate::diff::{Impact, Kind, Scope};
use crate::ir::{Operation, Service};

pub(super) fn metadata(out: &mut Changes, old: &Service, new: &Service) {
    let (o, n) = (&old.meta, &new.meta);
    let mut wire = |field: &str,
                    a: &str,
                    b: &str,
                    impact: Impact,
                    rust: Option<String>,
                    wire: Option<&str>| {
        if a != b {
            out.push(
                Scope::Metadata,
                Kind::Metadata,
                format!("{field}: {} -> {}", code(a), code(b)),
                rust,
                impact,
                wire.map(str::to_owned),
                None,
            );
        }
    };
    wire(
        "protocol",
        &format!("{:?}", o.protocol),
        &format!("{:?}", n.protocol),
        Impact::Breaking,
        None,
        Some("every request and response is encoded differently"),
    );
    wire(
        "apiVersion",
        &o.api_version,
        &n.api_version,
        Impact::None,
        None,
        None,
    );
    wire(
        "endpointPrefix",
        &o.endpoint_prefix,
        &n.endpoint_prefix,
        Impact::None,
        None,
        Some("requests go to a different host"),
    );
    wire(
        "signingName",
        &o.signing_name,
        &n.signing_name,
        Impact::None,
        None,
        Some("requests are signed for a different service name"),
    );
    wire(
        "serviceId",
        &o.service_id,
        &n.service_id,
        Impact::Breaking,
        Some("the default crate name is derived from the service id".to_owned()),
        None,
    );
    wire(
        "serviceFullName",
        &o.full_name,
        &n.full_name,
        Impact::None,
        None,
        None,
    );
    wire(
        "auth",
        &o.auth.join(", "),
        &n.auth.join(", "),
        Impact::None,
        None,
        Some("requests are authorized differently"),
    );
    if o.deprecated.is_some() != n.deprecated.is_some() {
        let what = if n.deprecated.is_some() {
            "the service is now deprecated"
        } else {
            "the service is no longer deprecated"
        };
        out.push(
            Scope::Metadata,
            Kind::Deprecation,
            what.to_owned(),
            None,
            Impact::None,
            None,
            None,
        );
    }
    out.docs(Scope::Metadata, "service", &o.docs, &n.docs);
}

pub(super) fn operation(
    out: &mut Changes,
    name: &str,
    old: Option<&Operation>,
    new: Option<&Operation>,
) {
    let scope = || Scope::Operation(name.to_owned());
    let (old, new) = match (old, new) {
        (None, Some(new)) => {
            out.push(
                scope(),
                Kind::Added,
                format!("operation `{name}` added ({} {})", new.method, uri(new)),
                Some(format!(
                    "new module `operation::{}` with `serialize_request`/`parse_response` and `{}`",
                    new.snake_name, new.error_type_name
                )),
                Impact::Additive,
                None,
                None,
            );
            return;
        }
        (Some(old), None) => {
            out.push(
                scope(),
                Kind::Removed,
                format!("operation `{name}` removed"),
                Some(format!(
                    "module `operation::{}` and `{}` removed",
                    old.snake_name, old.error_type_name
                )),
                Impact::Breaking,
                Some("the request can no longer be built".to_owned()),
                None,
            );
            return;
        }
        (Some(old), Some(new)) => (old, new),
        (None, None) => return,
    };
    if old.snake_name != new.snake_name || old.error_type_name != new.error_type_name {
        out.push(
            scope(),
            Kind::Changed,
            "Rust names of the operation changed".to_owned(),
            Some(format!(
                "`operation::{}` / `{}` -> `operation::{}` / `{}`",
                old.snake_name, old.error_type_name, new.snake_name, new.error_type_name
            )),
            Impact::Breaking,
            None,
            None,
        );
    }
    if old.method != new.method || uri(old) != uri(new) {
        out.wire_only(
            scope(),
            format!(
                "HTTP binding `{} {}` -> `{} {}`",
                old.method,
                uri(old),
                new.method,
                uri(new)
            ),
            "requests use a different method or path".to_owned(),
        );
    }
    if old.response_code != new.response_code {
        out.wire_only(
            scope(),
            format!(
                "success status {} -> {}",
                old.response_code, new.response_code
            ),
            "any 2xx is accepted either way".to_owned(),
        );
    }
    for (what, a, b) in [
        ("input", &old.input, &new.input),
        ("output", &old.output, &new.output),
    ] {
        if a != b {
            out.push(
                scope(),
                Kind::Changed,
                format!("{what} shape {} -> {}", shown(a), shown(b)),
                Some(format!(
                    "the {what} type of `operation::{}` changes",
                    new.snake_name
                )),
                Impact::Breaking,
                None,
                None,
            );
        }
    }
    for error in new.errors.iter().filter(|e| !old.errors.contains(e)) {
        out.push(
            scope(),
            Kind::Added,
            format!("error `{error}` added"),
            Some(format!("new variant `{}::{error}`", new.error_type_name)),
            Impact::Additive,
            Some(format!(
                "responses with this error's code now parse as `{error}` instead of `Unhandled`"
            )),
            None,
        );
    }
    for error in old.errors.iter().filter(|e| !new.errors.contains(e)) {
        out.push(
            scope(),
            Kind::Removed,
            format!("error `{error}` removed"),
            Some(format!(
                "variant `{}::{error}` removed",
                old.error_type_name
            )),
            Impact::Breaking,
            Some("responses with this error's code now parse as `Unhandled`".to_owned()),
            None,
        );
    }
    let (a, b) = (
        old.authtype.as_deref().unwrap_or("-"),
        new.authtype.as_deref().unwrap_or("-"),
    );
    if a != b || old.auth != new.auth {
        out.wire_only(
            scope(),
            format!("auth `{a}` {:?} -> `{b}` {:?}", old.auth, new.auth),
            "the request is authorized differently".to_owned(),
        );
    }
    if old.host_prefix != new.host_prefix {
        out.wire_only(
            scope(),
            format!(
                "host prefix {} -> {}",
                shown(&old.host_prefix),
                shown(&new.host_prefix)
            ),
            "requests go to a different host".to_owned(),
        );
    }
    if old.deprecated.is_some() != new.deprecated.is_some() {
        let what = if new.deprecated.is_some() {
            "operation deprecated"
        } else {
            "operation no longer deprecated"
        };
        out.push(
            scope(),
            Kind::Deprecation,
            what.to_owned(),
            None,
            Impact::None,
            None,
            None,
        );
    }
    out.docs(scope(), "operation", &old.docs, &new.docs);
}

pub(super) fn shown(value: &Option<String>) -> String {
    value
        .as_deref()
        .map(code)
        .unwrap_or_else(|| "none".to_owned())
}

fn uri(op: &Operation) -> String {
    let mut text = String::new();
    for segment in &op.uri.path {
        match segment {
            crate::ir::PathSegment::Literal(l) => text.push_str(l),
            crate::ir::PathSegment::Label { name, greedy } => {
                text.push_str(&format!("{{{name}{}}}", if *greedy { "+" } else { "" }));
            }
        }
    }
    for (i, (k, v)) in op.uri.fixed_query.iter().enumerate() {
        text.push(if i == 0 { '?' } else { '&' });
        text.push_str(k);
        if let Some(v) = v {
            text.push('=');
            text.push_str(v);
        }
    }
    text
}
