//! The opaque value carried by the `Unknown` variant of generated enums.

use std::fmt;

/// A string the service sent (or the caller passed) that matches none of the values the model
/// listed when the crate was generated.
///
/// It can be read with [`as_str`](Self::as_str) but not built directly: generated enums create
/// it only from strings they do not recognise. This keeps matching honest across model
/// updates: code cannot match `Unknown("NEW_VALUE")`, which would silently stop matching once
/// a later release adds `NEW_VALUE` as a proper variant.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(Box<str>);

impl UnknownValue {
    /// Wraps a string that matched no known value. Called by generated code only.
    #[doc(hidden)]
    pub fn __new(value: &str) -> Self {
        Self(value.into())
    }

    /// The string exactly as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_exact_string() {
        let v = UnknownValue::__new("NEW_value 1");
        assert_eq!(v.as_str(), "NEW_value 1");
        assert_eq!(v.to_string(), "NEW_value 1");
        assert_eq!(format!("{v:?}"), "\"NEW_value 1\"");
    }
}
