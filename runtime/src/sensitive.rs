//! Redaction of members the model marks `sensitive`.

use std::fmt;

/// The text printed by `Debug` in place of a sensitive value.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// A `Debug` stand-in for a sensitive value: it prints [`REDACTED`] whatever it wraps.
///
/// Generated `Debug` implementations pass `&Redacted` to `debug_struct().field()` for every
/// member whose shape is sensitive, so secrets never reach logs.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacted_prints_marker_only() {
        assert_eq!(format!("{:?}", Redacted), REDACTED);
        assert_eq!(format!("{:#?}", Redacted), REDACTED);
    }
}
