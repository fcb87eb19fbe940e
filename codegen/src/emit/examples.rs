//! Example values for doc examples: builder calls that set an input's required members.

use crate::ir::{RustType, Scalar, Service, ShapeKind, Structure};

/// `\n    .setter(value)` for each required member of `s`, with a placeholder value (enum
/// values named by their path in crate `krate`); `None`
/// when a required member has a type without a simple literal (a structure, list, blob...).
pub fn required_member_calls(service: &Service, s: &Structure, krate: &str) -> Option<String> {
    let mut calls = String::new();
    for member in s.members.iter().filter(|m| !m.optional) {
        let value = match &member.ty {
            RustType::Scalar(Scalar::String) => "\"example\"".to_owned(),
            RustType::Scalar(Scalar::Byte) => "1i8".to_owned(),
            RustType::Scalar(Scalar::Short) => "1i16".to_owned(),
            RustType::Scalar(Scalar::Integer) => "1i32".to_owned(),
            RustType::Scalar(Scalar::Long) => "1i64".to_owned(),
            RustType::Scalar(Scalar::Boolean) => "true".to_owned(),
            RustType::Named(name) => match &service.shape(&member.target)?.kind {
                ShapeKind::Enum(e) => format!(
                    "{krate}::types::{}::{}",
                    crate::ir::naming::unraw(name),
                    crate::ir::naming::unraw(&e.values.first()?.variant)
                ),
                _ => return None,
            },
            _ => return None,
        };
        calls.push_str(&format!("\n    .{}({value})", member.setter));
    }
    Some(calls)
}
