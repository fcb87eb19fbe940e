//! Rust expressions that build a value of a shape from botocore's JSON (`params`, `result`,
//! `error`), using the names the generator chose (from the IR).
//!
//! Every expression has exactly the Rust type of the value (`String::from("..")`, `5i32`,
//! `vec![..]`, `BTreeMap::from([..])`), so it fits a builder setter and a container alike.
//! botocore's conventions: timestamps are epoch seconds, blobs are their raw text, special
//! floats are the strings `NaN`, `Infinity` and `-Infinity`, and `null` means "not set".

use botogen_codegen::ir::{self, Scalar, ShapeKind};
use serde_json::Value;

/// Writes value expressions for one generated suite, living in scratch module `module`.
#[derive(Clone, Copy, Debug)]
pub struct ValueWriter<'a> {
    service: &'a ir::Service,
    module: &'a str,
}

impl<'a> ValueWriter<'a> {
    /// A writer for `service`, generated into `crate::<module>`.
    pub fn new(service: &'a ir::Service, module: &'a str) -> Self {
        Self { service, module }
    }

    /// The scratch module of the suite.
    pub fn module(&self) -> &'a str {
        self.module
    }

    /// The path of generated type `type_name`.
    pub fn type_path(&self, type_name: &str) -> String {
        format!("crate::{}::types::{type_name}", self.module)
    }

    /// The shape `name`, or an error naming it.
    pub fn shape(&self, name: &str) -> Result<&'a ir::Shape, String> {
        self.service
            .shape(name)
            .ok_or_else(|| format!("shape `{name}` not in the IR"))
    }

    /// An expression of shape `shape` holding `value`.
    pub fn value(&self, shape: &str, value: &Value) -> Result<String, String> {
        let target = self.shape(shape)?;
        match &target.kind {
            ShapeKind::Scalar(scalar) => scalar_value(*scalar, value),
            ShapeKind::Enum(_) => self.enum_value(target, value),
            ShapeKind::Structure(structure) => self.structure(target, structure, value),
            ShapeKind::Union(union) => self.union(target, union, value),
            ShapeKind::List(list) => self.list(list, value),
            ShapeKind::Map(map) => self.map(map, value),
        }
        .map_err(|e| format!("{shape}: {e}"))
    }

    /// `T::builder().<setter>(..)...build()` for a structure, members taken from `value`.
    pub fn structure(
        &self,
        shape: &ir::Shape,
        structure: &ir::Structure,
        value: &Value,
    ) -> Result<String, String> {
        let object = value
            .as_object()
            .ok_or_else(|| format!("expected an object, got {value}"))?;
        let mut out = format!("{}::builder()", self.type_path(&item(shape)?.type_name));
        for (name, member_value) in object {
            if member_value.is_null() {
                continue;
            }
            let member = find_member(&structure.members, name)?;
            let expr = self.value(&member.target, member_value)?;
            out.push_str(&format!(".{}({expr})", member.setter));
        }
        out.push_str(".build()");
        if structure.has_strict_members() {
            out.push_str(&format!(
                ".expect(\"building {} from the case's values\")",
                shape.name
            ));
        }
        Ok(out)
    }

    fn enum_value(&self, shape: &ir::Shape, value: &Value) -> Result<String, String> {
        let text = value
            .as_str()
            .ok_or_else(|| format!("expected an enum string, got {value}"))?;
        Ok(format!(
            "{}::from({text:?})",
            self.type_path(&item(shape)?.type_name)
        ))
    }

    fn union(&self, shape: &ir::Shape, union: &ir::Union, value: &Value) -> Result<String, String> {
        let object = value
            .as_object()
            .ok_or_else(|| format!("expected an object, got {value}"))?;
        let mut set = object.iter().filter(|(_, v)| !v.is_null());
        let (Some((name, member_value)), None) = (set.next(), set.next()) else {
            return Err(format!(
                "a union value needs exactly one member, got {value}"
            ));
        };
        let member = find_member(&union.members, name)?;
        let mut inner = self.value(&member.target, member_value)?;
        if member.boxed {
            inner = format!("Box::new({inner})");
        }
        Ok(format!(
            "{}::{}({inner})",
            self.type_path(&item(shape)?.type_name),
            member.variant
        ))
    }

    fn list(&self, list: &ir::ListShape, value: &Value) -> Result<String, String> {
        let items = value
            .as_array()
            .ok_or_else(|| format!("expected an array, got {value}"))?;
        let elements = items
            .iter()
            .map(|item| self.element(&list.member, list.sparse, item))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(format!("vec![{}]", elements.join(", ")))
    }

    fn map(&self, map: &ir::MapShape, value: &Value) -> Result<String, String> {
        let object = value
            .as_object()
            .ok_or_else(|| format!("expected an object, got {value}"))?;
        let entries = object
            .iter()
            .map(|(key, item)| {
                let key = self.value(&map.key, &Value::String(key.clone()))?;
                let item = self.element(&map.value, map.sparse, item)?;
                Ok(format!("({key}, {item})"))
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(format!(
            "::std::collections::BTreeMap::from([{}])",
            entries.join(", ")
        ))
    }

    /// A list element or map value: `Some(..)`/`None` when the container is sparse.
    fn element(&self, shape: &str, sparse: bool, value: &Value) -> Result<String, String> {
        match (sparse, value.is_null()) {
            (true, true) => Ok("None".to_owned()),
            (true, false) => Ok(format!("Some({})", self.value(shape, value)?)),
            (false, _) => self.value(shape, value),
        }
    }
}

/// The Rust names of a shape that becomes an item.
fn item(shape: &ir::Shape) -> Result<&ir::ItemName, String> {
    shape
        .item
        .as_ref()
        .ok_or_else(|| format!("shape `{}` has no Rust item", shape.name))
}

/// The member with model name `name`.
pub fn find_member<'m>(members: &'m [ir::Member], name: &str) -> Result<&'m ir::Member, String> {
    members
        .iter()
        .find(|m| m.name == name)
        .ok_or_else(|| format!("no member `{name}`"))
}

/// An expression of a scalar type.
fn scalar_value(scalar: Scalar, value: &Value) -> Result<String, String> {
    let number = || {
        value
            .as_number()
            .map(ToString::to_string)
            .ok_or_else(|| format!("expected a number, got {value}"))
    };
    let text = || {
        value
            .as_str()
            .ok_or_else(|| format!("expected a string, got {value}"))
    };
    Ok(match scalar {
        Scalar::String => format!("String::from({:?})", text()?),
        Scalar::Byte => format!("{}i8", number()?),
        Scalar::Short => format!("{}i16", number()?),
        Scalar::Integer => format!("{}i32", number()?),
        Scalar::Long => format!("{}i64", number()?),
        Scalar::Float => float_value("f32", value)?,
        Scalar::Double => float_value("f64", value)?,
        Scalar::Boolean => value
            .as_bool()
            .ok_or_else(|| format!("expected a boolean, got {value}"))?
            .to_string(),
        Scalar::Blob { .. } => format!("::botogen_runtime::Blob::from({:?})", text()?),
        Scalar::Timestamp { .. } => format!(
            "::botogen_runtime::DateTime::parse_epoch_seconds({:?}).expect(\"epoch seconds\")",
            number()?
        ),
        Scalar::Document => format!(
            "::botogen_runtime::Document::from_json({:?}).expect(\"document JSON\")",
            value.to_string()
        ),
    })
}

/// A float literal of type `ty` (`f32`/`f64`), or one of its special values.
fn float_value(ty: &str, value: &Value) -> Result<String, String> {
    match value {
        Value::Number(number) => {
            let text = number.to_string();
            // `1e300f64` and `2f64` are valid literals; keep the number's own text.
            Ok(format!("{text}{ty}"))
        }
        Value::String(special) => match special.as_str() {
            "NaN" => Ok(format!("{ty}::NAN")),
            "Infinity" => Ok(format!("{ty}::INFINITY")),
            "-Infinity" => Ok(format!("{ty}::NEG_INFINITY")),
            other => Err(format!("`{other}` is not a float")),
        },
        other => Err(format!("expected a float, got {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_become_typed_literals() {
        let cases = [
            (
                Scalar::String,
                json!("a \"q\" \\ é"),
                r#"String::from("a \"q\" \\ é")"#,
            ),
            (Scalar::Byte, json!(-1), "-1i8"),
            (Scalar::Long, json!(4), "4i64"),
            (Scalar::Float, json!(5.5), "5.5f32"),
            (Scalar::Double, json!("-Infinity"), "f64::NEG_INFINITY"),
            (Scalar::Boolean, json!(false), "false"),
            (
                Scalar::Timestamp { format: None },
                json!(1398796238.123),
                r#"::botogen_runtime::DateTime::parse_epoch_seconds("1398796238.123").expect("epoch seconds")"#,
            ),
        ];
        for (scalar, value, expected) in cases {
            assert_eq!(scalar_value(scalar, &value).as_deref(), Ok(expected));
        }
    }

    #[test]
    fn wrong_json_kinds_are_errors() {
        assert!(scalar_value(Scalar::Integer, &json!("3")).is_err());
        assert!(float_value("f64", &json!("nan")).is_err());
    }
}
