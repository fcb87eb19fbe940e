//! Client-side checks of the model's constraints, run before a request is built.
//!
//! Generated `validate` functions walk an input and call these checks; a failure names the
//! member path in the model's own names (`RecordPatches[2].Key`) and the rule broken. The
//! path is a chain of borrowed [`Path`] links on the stack, turned into text only when a check
//! fails, so validating a valid input allocates nothing.

use std::fmt;
use std::sync::OnceLock;

use crate::error::ValidationError;
use crate::pattern::{self, Pattern};

/// Whether a serializer checks the input against the model's constraints first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Validation {
    /// Check, and refuse to build a request from invalid input (the default).
    #[default]
    Enabled,
    /// Build the request from whatever the input holds; the service will judge it.
    Disabled,
}

impl Validation {
    /// Whether checks run.
    pub fn is_enabled(self) -> bool {
        self == Validation::Enabled
    }
}

/// Where a value sits in the input: `Root`, then members, list indexes and map keys.
#[derive(Clone, Copy, Debug)]
pub enum Path<'a> {
    /// The input itself, named by its shape.
    Root(&'static str),
    /// A member of the structure at the parent path.
    Member(&'a Path<'a>, &'static str),
    /// An element of the list at the parent path.
    Index(&'a Path<'a>, usize),
    /// A value of the map at the parent path.
    Key(&'a Path<'a>, &'a str),
}

impl<'a> Path<'a> {
    /// The path of member `name` under this one.
    pub fn member(&'a self, name: &'static str) -> Path<'a> {
        Path::Member(self, name)
    }

    /// The path of element `index` under this one.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }

    /// The path of the map value under `key`.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }

    /// A validation error at this path.
    pub fn error(&self, rule: impl Into<String>) -> ValidationError {
        ValidationError::new(self.to_string(), rule)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root(name) => f.write_str(name),
            Path::Member(parent, name) => {
                if matches!(parent, Path::Root(_)) {
                    f.write_str(name)
                } else {
                    write!(f, "{parent}.{name}")
                }
            }
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
            Path::Key(parent, key) => write!(f, "{parent}[{key:?}]"),
        }
    }
}

/// A required member that is not set.
pub fn missing(path: &Path<'_>) -> ValidationError {
    path.error("is required but not set")
}

/// Length of a string as the model counts it: Unicode scalar values.
pub fn string_length(value: &str) -> u64 {
    value.chars().count() as u64
}

/// `what` (`length`, `size`, `value`) must be within `min..=max`.
pub fn check_bounds(
    path: &Path<'_>,
    what: &str,
    actual: u64,
    min: Option<u64>,
    max: Option<u64>,
) -> Result<(), ValidationError> {
    if let Some(min) = min
        && actual < min
    {
        return Err(path.error(format!("{what} {actual} is below the minimum {min}")));
    }
    if let Some(max) = max
        && actual > max
    {
        return Err(path.error(format!("{what} {actual} is above the maximum {max}")));
    }
    Ok(())
}

/// A number must be within `min..=max`.
pub fn check_range(
    path: &Path<'_>,
    value: f64,
    min: Option<f64>,
    max: Option<f64>,
) -> Result<(), ValidationError> {
    if let Some(min) = min
        && value < min
    {
        return Err(path.error(format!("value {value} is below the minimum {min}")));
    }
    if let Some(max) = max
        && value > max
    {
        return Err(path.error(format!("value {value} is above the maximum {max}")));
    }
    Ok(())
}

/// A string must match the model's pattern (search semantics). Patterns this runtime's engine
/// cannot compile are not checked: rejecting valid input would be worse than sending it.
pub fn check_pattern(
    path: &Path<'_>,
    value: &str,
    cache: &'static OnceLock<Option<Pattern>>,
    source: &'static str,
) -> Result<(), ValidationError> {
    if pattern::matches(cache, source, value) == Some(false) {
        return Err(path.error(format!("does not match the pattern `{source}`")));
    }
    Ok(())
}

/// A URI label must not be empty: the request would address a different resource.
pub fn check_label(path: &Path<'_>, value: &str) -> Result<(), ValidationError> {
    if value.is_empty() {
        return Err(path.error("is bound to the request path and must not be empty"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_render_in_model_names() {
        let root = Path::Root("UpdateRecordsRequest");
        let patches = root.member("RecordPatches");
        let third = patches.index(2);
        let key = third.member("Key");
        assert_eq!(key.to_string(), "RecordPatches[2].Key");
        let events = root.member("Events");
        assert_eq!(
            events.key("SyncTrigger").to_string(),
            "Events[\"SyncTrigger\"]"
        );
        assert_eq!(root.to_string(), "UpdateRecordsRequest");
    }

    #[test]
    fn bounds_and_ranges_name_the_rule() {
        let root = Path::Root("R");
        let p = root.member("Key");
        assert!(check_bounds(&p, "length", 1, Some(1), Some(1024)).is_ok());
        let err = check_bounds(&p, "length", 0, Some(1), Some(1024)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid input: Key: length 0 is below the minimum 1"
        );
        let err = check_range(&p, 11.0, None, Some(10.0)).unwrap_err();
        assert_eq!(err.rule(), "value 11 is above the maximum 10");
        assert_eq!(string_length("né"), 2);
        assert!(check_label(&p, "").is_err());
        assert_eq!(missing(&p).rule(), "is required but not set");
    }

    #[test]
    fn patterns_are_checked_when_supported() {
        static P: OnceLock<Option<Pattern>> = OnceLock::new();
        let root = Path::Root("R");
        let p = root.member("IdentityId");
        assert!(check_pattern(&p, "us-east-1:0c2f7fa0-0000", &P, r"[\w-]+:[0-9a-f-]+").is_ok());
        let err = check_pattern(&p, "no colon here", &P, r"[\w-]+:[0-9a-f-]+").unwrap_err();
        assert!(err.rule().contains("does not match"), "{err}");
    }
}
