//! The error a generated builder returns when it cannot produce a value.

use std::fmt;

/// A value could not be built because a required member was never set.
///
/// Generated builders return this from `build()` instead of panicking. It names the type
/// being built and the member that is missing, using the Rust names of the generated crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    type_name: &'static str,
    member: &'static str,
}

impl BuildError {
    /// A required member `member` of the type `type_name` was not set.
    pub const fn missing_member(type_name: &'static str, member: &'static str) -> Self {
        Self { type_name, member }
    }

    /// The Rust name of the type whose builder failed.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The Rust name of the required member that was not set.
    pub fn member(&self) -> &'static str {
        self.member
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot build `{}`: required member `{}` was not set",
            self.type_name, self.member
        )
    }
}

impl std::error::Error for BuildError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_type_and_member() {
        let err = BuildError::missing_member("RecordPatch", "sync_count");
        assert_eq!(
            err.to_string(),
            "cannot build `RecordPatch`: required member `sync_count` was not set"
        );
        assert_eq!(err.type_name(), "RecordPatch");
        assert_eq!(err.member(), "sync_count");
    }
}
