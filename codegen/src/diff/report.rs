//! Rendering a [`ModelDiff`] for a reviewer: a summary with counts, the semver bump and a
//! changelog entry, then every change grouped by operation and by shape.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::files::FileStat;
use super::{Change, Constraint, Impact, Kind, ModelDiff, Scope};

/// The changelog entry, in the style of the AWS SDK changelogs:
/// `2026/11/22 - Amazon Cognito Sync - 1 new 2 updated api methods`, then one line per
/// operation.
pub fn changelog(diff: &ModelDiff, date: &str) -> String {
    let mut counts = Vec::new();
    for (n, word) in [
        (diff.added_operations.len(), "new"),
        (diff.updated_operations.len(), "updated"),
        (diff.removed_operations.len(), "removed"),
    ] {
        if n > 0 {
            counts.push(format!("{n} {word}"));
        }
    }
    let headline = if counts.is_empty() {
        "documentation and metadata updates".to_owned()
    } else {
        format!(
            "{} api method{}",
            counts.join(" "),
            if counts.len() == 1 && counts[0].starts_with("1 ") {
                ""
            } else {
                "s"
            }
        )
    };
    let mut out = format!("{date} - {} - {headline}\n\n", diff.service);
    for (ops, word) in [
        (&diff.added_operations, "new"),
        (&diff.updated_operations, "updated"),
        (&diff.removed_operations, "removed"),
    ] {
        for op in ops {
            let _ = writeln!(out, "* {op} ({word})");
        }
    }
    out
}

fn impact_word(impact: Impact) -> &'static str {
    match impact {
        Impact::Breaking => "**breaking**",
        Impact::Additive => "additive",
        Impact::None => "none",
    }
}

fn constraint_word(constraint: Option<Constraint>) -> &'static str {
    match constraint {
        Some(Constraint::Tightened) => "tightened",
        Some(Constraint::Relaxed) => "relaxed",
        Some(Constraint::Changed) => "changed",
        None => "",
    }
}

fn kind_word(kind: Kind) -> &'static str {
    match kind {
        Kind::Added => "added",
        Kind::Removed => "removed",
        Kind::Changed => "changed",
        Kind::Constraint => "constraint",
        Kind::Deprecation => "deprecation",
        Kind::Documentation => "documentation",
        Kind::Metadata => "metadata",
    }
}

/// A Markdown table cell: pipes escaped, newlines flattened.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The whole Markdown report. `version` is the generated crate's current version, for the
/// bump; `files` the generated-code changes, if computed.
pub fn markdown(
    diff: &ModelDiff,
    old_label: &str,
    new_label: &str,
    version: &str,
    date: &str,
    files: Option<&[FileStat]>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# API diff: {}\n", diff.service);
    let _ = writeln!(out, "`{old_label}` -> `{new_label}`\n");
    if diff.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    let bump = diff.semver_bump(version);
    let next = bump
        .next
        .as_deref()
        .map(|n| format!(" ({version} -> {n})"))
        .unwrap_or_default();
    let _ = writeln!(out, "## Summary\n");
    let _ = writeln!(
        out,
        "- Semver: **{}** bump{next}: {}",
        bump.part, bump.reason
    );
    let mut by_kind: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut by_impact: BTreeMap<Impact, usize> = BTreeMap::new();
    for change in &diff.changes {
        *by_kind.entry(change.kind).or_default() += 1;
        *by_impact.entry(change.impact).or_default() += 1;
    }
    let kinds: Vec<String> = by_kind
        .iter()
        .map(|(k, n)| format!("{n} {}", kind_word(*k)))
        .collect();
    let impacts: Vec<String> = by_impact
        .iter()
        .rev()
        .map(|(i, n)| format!("{n} {}", impact_word(*i)))
        .collect();
    let _ = writeln!(
        out,
        "- Changes: {} ({})",
        diff.changes.len(),
        kinds.join(", ")
    );
    let _ = writeln!(out, "- Impact: {}", impacts.join(", "));
    let wire = diff.changes.iter().filter(|c| c.wire.is_some()).count();
    let _ = writeln!(out, "- Wire effects: {wire}");
    let _ = writeln!(
        out,
        "\n### Changelog entry\n\n```text\n{}```\n",
        changelog(diff, date)
    );

    let mut groups: BTreeMap<&Scope, Vec<&Change>> = BTreeMap::new();
    for change in &diff.changes {
        groups.entry(&change.scope).or_default().push(change);
    }
    for (heading, pick) in [("Metadata", 0), ("Operations", 1), ("Shapes", 2)] {
        let selected: Vec<(&&Scope, &Vec<&Change>)> = groups
            .iter()
            .filter(|(scope, _)| {
                matches!(
                    (scope, pick),
                    (Scope::Metadata, 0) | (Scope::Operation(_), 1) | (Scope::Shape(_), 2)
                )
            })
            .collect();
        if selected.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {heading}\n");
        for (scope, changes) in selected {
            match scope {
                Scope::Metadata => {}
                Scope::Operation(name) | Scope::Shape(name) => {
                    let _ = writeln!(out, "### `{name}`\n");
                }
            }
            out.push_str("| change | Rust API | impact | wire | constraint |\n| --- | --- | --- | --- | --- |\n");
            for c in changes {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    cell(&c.what),
                    cell(c.rust.as_deref().unwrap_or("")),
                    impact_word(c.impact),
                    cell(c.wire.as_deref().unwrap_or("")),
                    constraint_word(c.constraint)
                );
            }
            out.push('\n');
        }
    }
    if let Some(files) = files {
        let _ = writeln!(out, "## Generated code\n");
        if files.is_empty() {
            out.push_str("No generated file changes.\n");
        } else {
            let (ins, del): (usize, usize) = files
                .iter()
                .fold((0, 0), |(i, d), f| (i + f.insertions, d + f.deletions));
            out.push_str("```text\n");
            let width = files.iter().map(|f| f.path.len()).max().unwrap_or(0);
            for f in files {
                let _ = writeln!(
                    out,
                    " {:width$} | {:>5} {} (+{} -{})",
                    f.path,
                    f.insertions + f.deletions,
                    f.status,
                    f.insertions,
                    f.deletions
                );
            }
            let _ = writeln!(
                out,
                " {} files changed, {ins} insertions(+), {del} deletions(-)",
                files.len()
            );
            out.push_str("```\n");
        }
    }
    out
}
