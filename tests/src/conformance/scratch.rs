//! The scratch crate: every generated suite as a module (`src/suite_<in|out>_<n>/`), the case
//! tests (`src/cases.rs`) and their helpers (`src/support.rs`), built and tested once.
//!
//! A generated crate refers to its own items only as `crate::...` (runtime macros get the
//! paths they need as arguments), so moving it into a module means rewriting those paths to
//! `crate::suite_x::...`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::cases::Plan;
use super::model::PreparedSuite;

/// The helpers of the scratch tests, as source.
const SUPPORT: &str = include_str!("scratch_support.rs");

/// How many lines of compiler output a build failure shows.
const COMPILER_LINES: usize = 60;

/// The verdict of one scratch test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TestOutcome {
    /// The test passed.
    Passed,
    /// The test failed; the panic message.
    Failed(String),
}

/// Writes the scratch crate into `dir`, runs its tests and returns each test's outcome by
/// function name. `Err` when the crate does not compile or cargo cannot run.
pub fn write_and_test(
    dir: &Path,
    suites: &[PreparedSuite],
    plan: &Plan,
) -> Result<BTreeMap<String, TestOutcome>, String> {
    let files = crate_files(suites, plan);
    write_tree(dir, &files)?;
    let lock = crate::repo_root().join("Cargo.lock");
    std::fs::copy(&lock, dir.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy {}: {e}", lock.display()))?;
    let stdout = run_tests(dir)?;
    Ok(parse_libtest(&stdout))
}

/// Every file of the scratch crate, by path relative to its root.
fn crate_files(suites: &[PreparedSuite], plan: &Plan) -> BTreeMap<PathBuf, String> {
    let mut files = BTreeMap::new();
    files.insert(PathBuf::from("Cargo.toml"), manifest());
    let mut modules = Vec::new();
    for prepared in suites {
        let Ok(generated) = &prepared.generated else {
            continue;
        };
        let module = prepared.suite.module();
        for (path, text) in &generated.files {
            if let Some(target) = module_file(&module, path) {
                files.insert(target, rewrite_crate_paths(text, &module));
            }
        }
        modules.push(module);
    }
    files.insert(PathBuf::from("src/lib.rs"), lib_rs(&modules));
    files.insert(PathBuf::from("src/support.rs"), SUPPORT.to_owned());
    files.insert(PathBuf::from("src/cases.rs"), plan.source.clone());
    files
}

/// The scratch crate's manifest: its own workspace, the runtime from this checkout.
fn manifest() -> String {
    let runtime = crate::repo_root().join("runtime");
    format!(
        r#"[package]
name = "botogen-conformance-scratch"
version = "0.0.0"
edition = "2024"
publish = false

[lib]
doctest = false

[features]
# Declared so the generated `cfg_attr(feature = "serde", ..)` attributes are expected cfgs.
serde = []

[dependencies]
botogen-runtime = {{ path = {runtime:?} }}
http = "1.3"
serde_json = "1"

[workspace]
"#,
        runtime = runtime.display().to_string()
    )
}

/// The scratch `lib.rs`: one module per suite, the helpers and the tests.
fn lib_rs(modules: &[String]) -> String {
    let mut out = String::from(
        "//! botogen conformance scratch crate (written by tests/src/conformance).\n\
         #![allow(dead_code, unused, non_snake_case, missing_docs, clippy::all)]\n\n",
    );
    for module in modules {
        out.push_str(&format!("pub mod {module};\n"));
    }
    out.push_str("mod support;\n#[cfg(test)]\nmod cases;\n");
    out
}

/// Where a generated file goes: `src/lib.rs` -> `src/<module>/mod.rs`, `src/x.rs` ->
/// `src/<module>/x.rs`; files outside `src/` (manifest, README) are dropped.
fn module_file(module: &str, path: &str) -> Option<PathBuf> {
    let rest = path.strip_prefix("src/")?;
    let rest = if rest == "lib.rs" { "mod.rs" } else { rest };
    Some(Path::new("src").join(module).join(rest))
}

/// Replaces each `crate::` that starts a path (not part of a longer identifier) with
/// `crate::<module>::`.
fn rewrite_crate_paths(text: &str, module: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut last = 0;
    for (at, _) in text.match_indices("crate::") {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        out.push_str(&text[last..at]);
        out.push_str(&format!("crate::{module}::"));
        last = at + "crate::".len();
    }
    out.push_str(&text[last..]);
    out
}

/// Writes `files` under `dir`, leaving unchanged files untouched (so cargo can skip the
/// build) and deleting files under `src/` that are no longer produced.
fn write_tree(dir: &Path, files: &BTreeMap<PathBuf, String>) -> Result<(), String> {
    for (path, text) in files {
        let target = dir.join(path);
        if std::fs::read_to_string(&target).is_ok_and(|old| &old == text) {
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&target, text)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    }
    let wanted: BTreeSet<PathBuf> = files.keys().map(|p| dir.join(p)).collect();
    remove_stale(&dir.join("src"), &wanted)
}

/// Deletes files under `root` that are not in `wanted`, and directories left empty.
fn remove_stale(root: &Path, wanted: &BTreeSet<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(root).map_err(|e| format!("cannot list {}: {e}", root.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            remove_stale(&path, wanted)?;
            if std::fs::read_dir(&path).is_ok_and(|mut d| d.next().is_none()) {
                std::fs::remove_dir(&path)
                    .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
            }
        } else if !wanted.contains(&path) {
            std::fs::remove_file(&path)
                .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// Runs `cargo test` in the scratch crate and returns libtest's stdout. A crate that does not
/// compile is an `Err` with the first compiler errors.
fn run_tests(dir: &Path) -> Result<String, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command
        .args([
            "test",
            "--offline",
            "--no-fail-fast",
            "--",
            "--test-threads=2",
        ])
        .current_dir(dir);
    for var in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTDOCFLAGS",
        "CARGO_BUILD_TARGET_DIR",
        "CARGO_TARGET_DIR",
        "CARGO_MANIFEST_DIR",
        "CARGO_PKG_NAME",
    ] {
        command.env_remove(var);
    }
    command.env("CARGO_TARGET_DIR", dir.join("target"));
    command.env("RUST_BACKTRACE", "0");
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo in {}: {e}", dir.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if !stdout.lines().any(|line| line.starts_with("running ")) {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "the conformance scratch crate in {} did not build (a harness or generator bug):\n{}",
            dir.display(),
            first_errors(&stderr)
        ));
    }
    Ok(stdout)
}

/// The compiler output from the first `error` on, at most [`COMPILER_LINES`] lines.
fn first_errors(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    let start = lines
        .iter()
        .position(|line| line.starts_with("error"))
        .unwrap_or(0);
    lines[start..]
        .iter()
        .take(COMPILER_LINES)
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads `test cases::<name> ... ok|FAILED` lines and the failure messages that follow
/// `---- cases::<name> stdout ----`.
pub fn parse_libtest(stdout: &str) -> BTreeMap<String, TestOutcome> {
    let mut outcomes = BTreeMap::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test cases::") else {
            continue;
        };
        if let Some(name) = rest.strip_suffix(" ... ok") {
            outcomes.insert(name.to_owned(), TestOutcome::Passed);
        } else if let Some(name) = rest.strip_suffix(" ... FAILED") {
            outcomes.insert(name.to_owned(), TestOutcome::Failed(String::new()));
        }
    }
    for (name, message) in failure_messages(stdout) {
        if let Some(TestOutcome::Failed(text)) = outcomes.get_mut(&name) {
            *text = message;
        }
    }
    outcomes
}

/// The captured output of each failed test, without backtraces and the hint about them.
fn failure_messages(stdout: &str) -> BTreeMap<String, String> {
    let mut messages = BTreeMap::new();
    // The test whose output is being read, its lines, and whether a backtrace started.
    let mut current: Option<(String, Vec<&str>, bool)> = None;
    for line in stdout.lines() {
        let header = line
            .strip_prefix("---- cases::")
            .and_then(|rest| rest.strip_suffix(" stdout ----"));
        if header.is_some() || line == "failures:" {
            if let Some((name, lines, _)) = current.take() {
                messages.insert(name, lines.join("\n"));
            }
            current = header.map(|name| (name.to_owned(), Vec::new(), false));
            continue;
        }
        let Some((_, lines, in_backtrace)) = current.as_mut() else {
            continue;
        };
        *in_backtrace |= line == "stack backtrace:";
        if !*in_backtrace && !line.trim().is_empty() && !line.starts_with("note: ") {
            lines.push(line);
        }
    }
    if let Some((name, lines, _)) = current {
        messages.insert(name, lines.join("\n"));
    }
    messages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_paths_move_under_the_module() {
        let text =
            "use crate::types::A; // see [`X`](crate::error::X)\nlet c = my_crate::x; $crate::y;";
        assert_eq!(
            rewrite_crate_paths(text, "suite_in_1"),
            "use crate::suite_in_1::types::A; // see [`X`](crate::suite_in_1::error::X)\n\
             let c = my_crate::x; $crate::y;"
        );
    }

    #[test]
    fn generated_files_map_into_the_module() {
        assert_eq!(
            module_file("suite_out_2", "src/lib.rs"),
            Some(PathBuf::from("src/suite_out_2/mod.rs"))
        );
        assert_eq!(
            module_file("suite_out_2", "src/types/a.rs"),
            Some(PathBuf::from("src/suite_out_2/types/a.rs"))
        );
        assert_eq!(module_file("suite_out_2", "Cargo.toml"), None);
    }

    #[test]
    fn libtest_verdicts_and_messages_are_read() {
        let stdout = "\nrunning 2 tests\ntest cases::input__A ... ok\ntest cases::output__B ... FAILED\n\n\
            failures:\n\n---- cases::output__B stdout ----\n\n\
            thread 'cases::output__B' (7) panicked at src/support.rs:49:5:\n\
            assertion `left == right` failed: path\n  left: \"/a\"\n right: \"/b\"\n\
            stack backtrace:\n   0: core::panicking\n\
            note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n\
            failures:\n    cases::output__B\n\ntest result: FAILED. 1 passed; 1 failed\n";
        let outcomes = parse_libtest(stdout);
        assert_eq!(outcomes.get("input__A"), Some(&TestOutcome::Passed));
        assert_eq!(
            outcomes.get("output__B"),
            Some(&TestOutcome::Failed(
                "thread 'cases::output__B' (7) panicked at src/support.rs:49:5:\n\
                 assertion `left == right` failed: path\n  left: \"/a\"\n right: \"/b\""
                    .to_owned()
            ))
        );
    }
}
