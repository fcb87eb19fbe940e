//! Walks two IRs side by side and records every difference as a [`Change`]: `operation.rs`
//! compares metadata and operations, `shape.rs` shapes, members, enum values and constraints.

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, Constraint, Impact, Kind, ModelDiff, Scope};
use crate::error::Error;
use crate::ir::{Operation, Service, ShapeKind};
use crate::source::ModelFiles;

mod operation;
mod shape;

/// Compares two models.
pub fn compare(old: &ModelFiles, new: &ModelFiles) -> Result<ModelDiff, Error> {
    let (old, _) = crate::lower(old)?;
    let (new, _) = crate::lower(new)?;
    Ok(compare_services(&old, &new))
}

/// Compares two lowered services.
pub fn compare_services(old: &Service, new: &Service) -> ModelDiff {
    let mut out = Changes::default();
    operation::metadata(&mut out, old, new);
    let old_ops: BTreeMap<&str, &Operation> = old
        .operations
        .iter()
        .map(|o| (o.name.as_str(), o))
        .collect();
    let new_ops: BTreeMap<&str, &Operation> = new
        .operations
        .iter()
        .map(|o| (o.name.as_str(), o))
        .collect();
    for name in old_ops
        .keys()
        .chain(new_ops.keys())
        .collect::<BTreeSet<_>>()
    {
        operation::operation(
            &mut out,
            name,
            old_ops.get(name).copied(),
            new_ops.get(name).copied(),
        );
    }
    for name in old
        .shapes
        .keys()
        .chain(new.shapes.keys())
        .collect::<BTreeSet<_>>()
    {
        shape::shape(&mut out, name, old.shape(name), new.shape(name));
    }
    let changes = out.0;
    let changed_shapes: BTreeSet<&str> = changes
        .iter()
        .filter_map(|c| match &c.scope {
            Scope::Shape(name) if c.kind != Kind::Documentation => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let updated_operations = new_ops
        .iter()
        .filter(|(name, op)| {
            old_ops.contains_key(**name)
                && (changes.iter().any(|c| {
                    c.scope == Scope::Operation(name.to_string()) && c.kind != Kind::Documentation
                }) || uses_any(new, op, &changed_shapes))
        })
        .map(|(name, _)| name.to_string())
        .collect();
    ModelDiff {
        service: new.meta.full_name.clone(),
        added_operations: new_ops
            .keys()
            .filter(|n| !old_ops.contains_key(*n))
            .map(|n| n.to_string())
            .collect(),
        removed_operations: old_ops
            .keys()
            .filter(|n| !new_ops.contains_key(*n))
            .map(|n| n.to_string())
            .collect(),
        updated_operations,
        changes,
    }
}

/// Whether the operation's input, output or errors reach any of `shapes`.
fn uses_any(service: &Service, op: &Operation, shapes: &BTreeSet<&str>) -> bool {
    let mut todo: Vec<&str> = op
        .input
        .iter()
        .chain(&op.output)
        .chain(&op.errors)
        .map(String::as_str)
        .collect();
    let mut seen = BTreeSet::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name) {
            continue;
        }
        if shapes.contains(name) {
            return true;
        }
        match service.shape(name).map(|s| &s.kind) {
            Some(ShapeKind::Structure(s)) => {
                todo.extend(s.members.iter().map(|m| m.target.as_str()))
            }
            Some(ShapeKind::Union(u)) => todo.extend(u.members.iter().map(|m| m.target.as_str())),
            Some(ShapeKind::List(l)) => todo.push(&l.member),
            Some(ShapeKind::Map(m)) => todo.extend([m.key.as_str(), m.value.as_str()]),
            _ => {}
        }
    }
    false
}

/// The changes found so far.
#[derive(Default)]
pub(super) struct Changes(Vec<Change>);

impl Changes {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn push(
        &mut self,
        scope: Scope,
        kind: Kind,
        what: String,
        rust: Option<String>,
        impact: Impact,
        wire: Option<String>,
        constraint: Option<Constraint>,
    ) {
        self.0.push(Change {
            scope,
            kind,
            what,
            rust,
            impact,
            wire,
            constraint,
        });
    }

    /// A change of the wire only: the Rust API stays as it is.
    pub(super) fn wire_only(&mut self, scope: Scope, what: String, wire: impl Into<String>) {
        self.push(
            scope,
            Kind::Changed,
            what,
            None,
            Impact::None,
            Some(wire.into()),
            None,
        );
    }

    pub(super) fn docs(&mut self, scope: Scope, what: &str, old: &str, new: &str) {
        if old != new {
            self.push(
                scope,
                Kind::Documentation,
                format!("{what} documentation changed"),
                None,
                Impact::None,
                None,
                None,
            );
        }
    }
}

pub(super) fn code(text: &str) -> String {
    format!("`{text}`")
}
