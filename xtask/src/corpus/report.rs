//! The corpus table: a row per model and a summary of counts and timings.

use std::time::Duration;

use super::{CrateCheck, millis};

/// One model's trip through the generator and the compiler.
#[derive(Clone, Debug)]
pub struct ModelRun {
    /// Service directory name in botocore, such as `cognito-sync`.
    pub service: String,
    /// API version, such as `2014-06-30`.
    pub version: String,
    /// Shapes in the lowered model (0 when lowering failed).
    pub shapes: usize,
    /// Operations the crate offers.
    pub operations: usize,
    /// Operations left out (event streams).
    pub omitted_operations: usize,
    /// Time the generator took, reading the text to having every file in memory.
    pub generation: Duration,
    /// What happened.
    pub outcome: Outcome,
}

/// Generated (and maybe checked), or the generator's error.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// The crate was written.
    Generated {
        /// Its package name.
        crate_name: String,
        /// Lines of Rust in it.
        lines: usize,
        /// What `cargo check` said, when it ran.
        check: Option<CrateCheck>,
    },
    /// The generator refused the model with this error.
    Failed(String),
}

impl ModelRun {
    /// `<service>-<version>`: the crate's directory under `crates/`.
    pub fn dir_name(&self) -> String {
        format!("{}-{}", self.service, self.version)
    }

    /// Generated, and checked clean if it was checked.
    pub fn is_clean(&self) -> bool {
        match &self.outcome {
            Outcome::Generated { check, .. } => check.as_ref().is_none_or(CrateCheck::is_clean),
            Outcome::Failed(_) => false,
        }
    }

    fn lines(&self) -> Option<usize> {
        match &self.outcome {
            Outcome::Generated { lines, .. } => Some(*lines),
            Outcome::Failed(_) => None,
        }
    }
}

/// The Markdown table, the problems in detail, and the summary line.
/// `check` is the command that checked the crates and the wall time it took, when one ran.
pub fn render(runs: &[ModelRun], check: Option<&(String, Duration)>) -> String {
    let mut out = String::from(
        "| service | version | shapes | operations | lines | gen ms | check | notes |\n| --- | --- | ---: | ---: | ---: | ---: | --- | --- |\n",
    );
    for run in runs {
        let (lines, check) = match &run.outcome {
            Outcome::Generated { lines, check, .. } => (
                lines.to_string(),
                check
                    .as_ref()
                    .map_or_else(|| "not run".to_owned(), CrateCheck::summary),
            ),
            Outcome::Failed(_) => ("-".to_owned(), "generation failed".to_owned()),
        };
        let notes = if run.omitted_operations > 0 {
            format!(
                "{} event-stream operation{} left out",
                run.omitted_operations,
                if run.omitted_operations == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            run.service,
            run.version,
            run.shapes,
            run.operations,
            lines,
            super::millis(run.generation),
            check,
            notes
        ));
    }
    let problems = problems(runs);
    if !problems.is_empty() {
        out.push_str("\n## Problems\n\n");
        out.push_str(&problems);
    }
    out.push('\n');
    out.push_str(&summary(runs, check));
    out.push('\n');
    out
}

/// Each failing model with the generator's error or the first compiler message.
fn problems(runs: &[ModelRun]) -> String {
    let mut out = String::new();
    for run in runs {
        match &run.outcome {
            Outcome::Failed(error) => {
                out.push_str(&format!("- {}: {error}\n", run.dir_name()));
            }
            Outcome::Generated {
                check: Some(check), ..
            } if !check.is_clean() => {
                let first = check
                    .first_message
                    .as_deref()
                    .unwrap_or("no message (a dependency failed?)");
                out.push_str(&format!(
                    "- {}: {}\n```text\n{}\n```\n",
                    run.dir_name(),
                    check.summary(),
                    first.trim_end()
                ));
            }
            Outcome::Generated { .. } => {}
        }
    }
    out
}

/// One paragraph of counts and timings.
fn summary(runs: &[ModelRun], check: Option<&(String, Duration)>) -> String {
    let generated: Vec<&ModelRun> = runs
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Generated { .. }))
        .collect();
    let checked: Vec<&CrateCheck> = generated
        .iter()
        .filter_map(|r| match &r.outcome {
            Outcome::Generated { check, .. } => check.as_ref(),
            Outcome::Failed(_) => None,
        })
        .collect();
    let clean = checked.iter().filter(|c| c.is_clean()).count();
    let with_warnings = checked
        .iter()
        .filter(|c| c.errors == 0 && c.warnings > 0)
        .count();
    let with_errors = checked
        .iter()
        .filter(|c| c.errors > 0 || !c.checked)
        .count();
    let omitted_models = runs.iter().filter(|r| r.omitted_operations > 0).count();
    let omitted_ops: usize = runs.iter().map(|r| r.omitted_operations).sum();
    let total: Duration = runs.iter().map(|r| r.generation).sum();
    let mut times: Vec<Duration> = runs.iter().map(|r| r.generation).collect();
    times.sort();
    let slowest = runs.iter().max_by_key(|r| r.generation);
    let mut per_shape: Vec<f64> = generated
        .iter()
        .filter(|r| r.shapes > 0)
        .filter_map(|r| Some(r.lines()? as f64 / r.shapes as f64))
        .collect();
    per_shape.sort_by(f64::total_cmp);
    let largest = generated.iter().max_by_key(|r| r.lines().unwrap_or(0));
    let mut text = format!(
        "**Summary**: {} models; {} generated, {} failed to generate",
        runs.len(),
        generated.len(),
        runs.len() - generated.len()
    );
    if let Some((command, _)) = check {
        text.push_str(&format!(
            "; {command}: {clean} clean, {with_warnings} with warnings, {with_errors} with errors"
        ));
    }
    text.push_str(&format!(
        "; {omitted_ops} event-stream operations left out in {omitted_models} models.\nGeneration: {} ms in all, median {} ms",
        millis(total),
        times.get(times.len() / 2).map_or_else(|| "-".to_owned(), |t| millis(*t)),
    ));
    if let Some(slowest) = slowest {
        text.push_str(&format!(
            ", slowest {} ({} ms)",
            slowest.dir_name(),
            millis(slowest.generation)
        ));
    }
    if let Some(median) = per_shape.get(per_shape.len() / 2) {
        text.push_str(&format!(". Lines per shape: median {median:.1}"));
    }
    if let Some(largest) = largest {
        text.push_str(&format!(
            "; largest crate {} ({} lines, {} shapes, {:.1} per shape)",
            largest.dir_name(),
            largest.lines().unwrap_or(0),
            largest.shapes,
            largest.lines().unwrap_or(0) as f64 / largest.shapes.max(1) as f64
        ));
    }
    if let Some((command, elapsed)) = check {
        text.push_str(&format!(
            ". {command} of all crates: {:.1} s",
            elapsed.as_secs_f64()
        ));
    }
    text.push('.');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(service: &str, outcome: Outcome, omitted: usize) -> ModelRun {
        ModelRun {
            service: service.to_owned(),
            version: "2020-01-01".to_owned(),
            shapes: 10,
            operations: 3,
            omitted_operations: omitted,
            generation: Duration::from_millis(5),
            outcome,
        }
    }

    #[test]
    fn rows_problems_and_summary() {
        let clean = CrateCheck {
            checked: true,
            ..CrateCheck::default()
        };
        let warned = CrateCheck {
            checked: true,
            warnings: 2,
            first_message: Some("warning: unused variable".to_owned()),
            ..CrateCheck::default()
        };
        let runs = vec![
            run(
                "a",
                Outcome::Generated {
                    crate_name: "botogen-a".to_owned(),
                    lines: 100,
                    check: Some(clean),
                },
                1,
            ),
            run(
                "b",
                Outcome::Generated {
                    crate_name: "botogen-b".to_owned(),
                    lines: 300,
                    check: Some(warned),
                },
                0,
            ),
            run(
                "c",
                Outcome::Failed("unsupported construct at `x`".to_owned()),
                0,
            ),
        ];
        let text = render(
            &runs,
            Some(&("cargo check".to_owned(), Duration::from_secs(3))),
        );
        assert!(
            text.contains(
                "| a | 2020-01-01 | 10 | 3 | 100 | 5.0 | ok | 1 event-stream operation left out |"
            ),
            "{text}"
        );
        assert!(
            text.contains("| b | 2020-01-01 | 10 | 3 | 300 | 5.0 | 2 warnings |  |"),
            "{text}"
        );
        assert!(
            text.contains("| c | 2020-01-01 | 10 | 3 | - | 5.0 | generation failed |  |"),
            "{text}"
        );
        assert!(
            text.contains("- c-2020-01-01: unsupported construct at `x`"),
            "{text}"
        );
        assert!(text.contains("warning: unused variable"), "{text}");
        assert!(text.contains("3 models; 2 generated, 1 failed to generate; cargo check: 1 clean, 1 with warnings, 0 with errors; 1 event-stream operations left out in 1 models."), "{text}");
        assert!(
            text.contains("largest crate b-2020-01-01 (300 lines, 10 shapes, 30.0 per shape)"),
            "{text}"
        );
        assert!(!runs[1].is_clean() && runs[0].is_clean() && !runs[2].is_clean());
    }
}
