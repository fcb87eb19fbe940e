//! Tallying the cases and judging them against the allow-list of known failures.

use std::collections::BTreeMap;

use super::cases::{Plan, Planned};
use super::scratch::TestOutcome;
use super::suites::Direction;

/// What became of one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Its test passed.
    Passed,
    /// Its test failed, with libtest's message.
    Failed(String),
    /// It was not run, for this reason.
    Skipped(String),
}

/// One case's outcome.
#[derive(Clone, Debug)]
pub struct Entry {
    /// `input:<id>` or `output:<id>`.
    pub key: String,
    /// Which file the case comes from.
    pub direction: Direction,
    /// The outcome.
    pub status: Status,
    /// The case expects a `host`, which could not be checked (no `clientEndpoint`).
    pub host_unchecked: bool,
    /// botocore's ignore list names the case.
    pub ignored_by_botocore: bool,
}

/// The outcome of every case, in file order.
#[derive(Clone, Debug)]
pub struct Report {
    /// One entry per case.
    pub entries: Vec<Entry>,
}

impl Report {
    /// Joins the plan with libtest's outcomes (a planned test libtest never reported fails).
    pub fn new(plan: &Plan, outcomes: &BTreeMap<String, TestOutcome>) -> Self {
        let entries = plan
            .cases
            .iter()
            .map(|case| Entry {
                key: case.key.clone(),
                direction: case.direction,
                host_unchecked: case.host_unchecked,
                ignored_by_botocore: case.ignored_by_botocore,
                status: match &case.planned {
                    Planned::Skip(reason) => Status::Skipped(reason.clone()),
                    Planned::Test { fn_name } => match outcomes.get(fn_name) {
                        Some(TestOutcome::Passed) => Status::Passed,
                        Some(TestOutcome::Failed(message)) => Status::Failed(message.clone()),
                        None => Status::Failed(format!("libtest reported no result for {fn_name}")),
                    },
                },
            })
            .collect();
        Report { entries }
    }

    /// Problems that fail the test: failures not in `known`, and `known` entries that are
    /// stale (the case passes, is skipped, or does not exist).
    pub fn problems(&self, known: &[(&str, &str)]) -> Vec<String> {
        let mut problems: Vec<String> = self
            .entries
            .iter()
            .filter(|e| matches!(e.status, Status::Failed(_)) && !is_known(known, &e.key))
            .map(|e| format!("{} failed", e.key))
            .collect();
        for (key, _) in known {
            match self
                .entries
                .iter()
                .find(|e| e.key == *key)
                .map(|e| &e.status)
            {
                Some(Status::Failed(_)) => {}
                Some(Status::Passed) => {
                    problems.push(format!("{key} passes now: remove it from KNOWN_FAILURES"))
                }
                Some(Status::Skipped(_)) => problems.push(format!(
                    "{key} is skipped, not failing: remove it from KNOWN_FAILURES"
                )),
                None => problems.push(format!(
                    "{key} is no conformance case: remove it from KNOWN_FAILURES"
                )),
            }
        }
        problems
    }

    /// The human-readable report: counts, failures, known failures, skips, unchecked hosts.
    pub fn render(&self, known: &[(&str, &str)]) -> String {
        let mut out = String::from("conformance:");
        for direction in [Direction::Input, Direction::Output] {
            out.push_str(&self.counts_line(direction, known));
        }
        out.push('\n');
        self.render_failures(&mut out, known);
        self.render_skips(&mut out);
        let hosts: Vec<&str> = self
            .entries
            .iter()
            .filter(|e| e.host_unchecked)
            .map(|e| e.key.as_str())
            .collect();
        let beyond_botocore: Vec<&str> = self
            .entries
            .iter()
            .filter(|e| e.ignored_by_botocore && matches!(e.status, Status::Passed))
            .map(|e| e.key.as_str())
            .collect();
        if !beyond_botocore.is_empty() {
            out.push_str(&format!(
                "
passing though botocore's ignore list skips them ({}): {}\n",
                beyond_botocore.len(),
                beyond_botocore.join(", ")
            ));
        }
        if !hosts.is_empty() {
            out.push_str(&format!(
                "\n`host` not checked (the suite has no `clientEndpoint`; everything else was): {}\n",
                hosts.join(", ")
            ));
        }
        out
    }

    /// ` input N passed, M failed, K known failures, S skipped;`
    fn counts_line(&self, direction: Direction, known: &[(&str, &str)]) -> String {
        let (mut passed, mut failed, mut known_failed, mut skipped) = (0, 0, 0, 0);
        for entry in self.entries.iter().filter(|e| e.direction == direction) {
            match &entry.status {
                Status::Passed => passed += 1,
                Status::Failed(_) if is_known(known, &entry.key) => known_failed += 1,
                Status::Failed(_) => failed += 1,
                Status::Skipped(_) => skipped += 1,
            }
        }
        format!(
            " {} {passed} passed, {failed} failed, {known_failed} known failures, {skipped} skipped;",
            direction.dir_name()
        )
    }

    fn render_failures(&self, out: &mut String, known: &[(&str, &str)]) {
        for entry in &self.entries {
            let Status::Failed(message) = &entry.status else {
                continue;
            };
            let label = match known.iter().find(|(key, _)| *key == entry.key) {
                Some((_, why)) => format!("known failure ({why})"),
                None => "FAILED".to_owned(),
            };
            out.push_str(&format!("\n{} {label}:\n", entry.key));
            for line in message.lines() {
                out.push_str(&format!("    {line}\n"));
            }
        }
    }

    fn render_skips(&self, out: &mut String) {
        let mut by_reason: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for entry in &self.entries {
            if let Status::Skipped(reason) = &entry.status {
                by_reason.entry(reason).or_default().push(&entry.key);
            }
        }
        for (reason, keys) in by_reason {
            out.push_str(&format!(
                "\nskipped ({}): {reason}\n    {}\n",
                keys.len(),
                keys.join(", ")
            ));
        }
    }
}

fn is_known(known: &[(&str, &str)], key: &str) -> bool {
    known.iter().any(|(k, _)| *k == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, status: Status) -> Entry {
        Entry {
            key: key.to_owned(),
            direction: Direction::Input,
            status,
            host_unchecked: false,
            ignored_by_botocore: false,
        }
    }

    fn report() -> Report {
        Report {
            entries: vec![
                entry("input:A", Status::Passed),
                entry("input:B", Status::Failed("boom".to_owned())),
                entry("input:C", Status::Skipped("why".to_owned())),
            ],
        }
    }

    #[test]
    fn known_failures_are_tolerated_and_must_stay_failing() {
        assert_eq!(
            report().problems(&[("input:B", "bug")]),
            Vec::<String>::new()
        );
        assert_eq!(report().problems(&[]), vec!["input:B failed".to_owned()]);
        assert_eq!(
            report().problems(&[
                ("input:B", "bug"),
                ("input:A", "fixed"),
                ("input:Z", "gone")
            ]),
            vec![
                "input:A passes now: remove it from KNOWN_FAILURES".to_owned(),
                "input:Z is no conformance case: remove it from KNOWN_FAILURES".to_owned(),
            ]
        );
    }

    #[test]
    fn the_summary_counts_each_kind() {
        let text = report().render(&[("input:B", "bug")]);
        assert!(text.starts_with(
            "conformance: input 1 passed, 0 failed, 1 known failures, 1 skipped; \
             output 0 passed, 0 failed, 0 known failures, 0 skipped;"
        ));
        assert!(text.contains("input:B known failure (bug):\n    boom\n"));
    }
}
