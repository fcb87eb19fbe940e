//! Model diffs: what a model update changes in the generated crate's API and on the wire.
//!
//! [`compare`] lowers both models to the IR and walks them side by side: metadata, then
//! operations, then shapes, member by member. Every difference becomes a [`Change`] saying
//! what changed in the model's terms and in the crate's Rust names, its semver impact on the
//! generated API ([`Impact`]), its effect on the wire, and whether a constraint got tighter
//! or looser. [`report`] renders the result as Markdown for a pull request, with a summary,
//! the semver bump and a changelog entry; [`files`] compares the generated files themselves.

mod compare;
pub mod files;
pub mod report;

use serde::Serialize;

pub use compare::compare;

/// How a change affects code written against the generated crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Nothing in the Rust API changes (documentation, wire-only or validation changes).
    None,
    /// New API that existing code does not notice (new operations, types, optional members,
    /// enum values and errors: generated enums and structures are `#[non_exhaustive]`).
    Additive,
    /// Existing code may stop compiling or change meaning: a removal, a rename, a type change.
    Breaking,
}

/// The direction of a constraint change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Constraint {
    /// Values that were valid may now be rejected.
    Tightened,
    /// Values that were rejected may now be valid.
    Relaxed,
    /// Neither clearly (a different pattern).
    Changed,
}

/// What kind of change it is, for the summary counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Something new: an operation, shape, member, error, enum value.
    Added,
    /// Something gone.
    Removed,
    /// A type, name, binding or trait that changed.
    Changed,
    /// A bound or pattern that changed.
    Constraint,
    /// A deprecation added or removed.
    Deprecation,
    /// Documentation only.
    Documentation,
    /// Service metadata.
    Metadata,
}

/// Where a change is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "scope", content = "name", rename_all = "snake_case")]
pub enum Scope {
    /// The service's metadata.
    Metadata,
    /// An operation, by model name.
    Operation(String),
    /// A shape, by model name.
    Shape(String),
}

/// One difference between two models.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Where it is.
    #[serde(flatten)]
    pub scope: Scope,
    /// What kind of change it is.
    pub kind: Kind,
    /// What changed, in the model's terms.
    pub what: String,
    /// The same in the generated crate's Rust names, when the Rust API is concerned.
    pub rust: Option<String>,
    /// The semver impact on the generated crate.
    pub impact: Impact,
    /// What changes in the requests sent or the responses accepted, if anything.
    pub wire: Option<String>,
    /// Whether a constraint got tighter or looser.
    pub constraint: Option<Constraint>,
}

/// The differences between two models.
#[derive(Clone, Debug, Serialize)]
pub struct ModelDiff {
    /// The service's full name (from the new model).
    pub service: String,
    /// Every change: metadata first, then operations and shapes by name.
    pub changes: Vec<Change>,
    /// Operations added, by model name.
    pub added_operations: Vec<String>,
    /// Operations removed, by model name.
    pub removed_operations: Vec<String>,
    /// Operations present in both whose own definition or any shape they use changed.
    pub updated_operations: Vec<String>,
}

impl ModelDiff {
    /// The strongest impact of any change.
    pub fn impact(&self) -> Impact {
        self.changes
            .iter()
            .map(|c| c.impact)
            .max()
            .unwrap_or(Impact::None)
    }

    /// Whether nothing changed at all.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The semver bump the generated crate needs for `version` (such as `0.1.0`): breaking
    /// changes bump the major version (the minor one before 1.0), additive ones the minor
    /// (the patch before 1.0), anything else the patch.
    pub fn semver_bump(&self, version: &str) -> SemverBump {
        let pre_1 = version.starts_with("0.");
        let (part, reason) = match self.impact() {
            Impact::Breaking => (if pre_1 { "minor" } else { "major" }, "breaking changes"),
            Impact::Additive => (
                if pre_1 { "patch" } else { "minor" },
                "additive changes only",
            ),
            Impact::None => ("patch", "no API changes"),
        };
        SemverBump {
            part,
            reason,
            next: bump(version, part),
        }
    }
}

/// The version bump a diff calls for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SemverBump {
    /// `major`, `minor` or `patch`.
    pub part: &'static str,
    /// Why.
    pub reason: &'static str,
    /// The next version, when the current one parses as `x.y.z`.
    pub next: Option<String>,
}

fn bump(version: &str, part: &str) -> Option<String> {
    let mut numbers = version.split('.').map(|n| n.parse::<u64>().ok());
    let (major, minor, patch) = (numbers.next()??, numbers.next()??, numbers.next()??);
    Some(match part {
        "major" => format!("{}.0.0", major + 1),
        "minor" => format!("{major}.{}.0", minor + 1),
        _ => format!("{major}.{minor}.{}", patch + 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_bump_by_impact_and_pre_1_rules() {
        assert_eq!(bump("0.1.0", "minor").as_deref(), Some("0.2.0"));
        assert_eq!(bump("1.4.2", "major").as_deref(), Some("2.0.0"));
        assert_eq!(bump("1.4.2", "patch").as_deref(), Some("1.4.3"));
        assert_eq!(bump("not-a-version", "patch"), None);
    }
}
