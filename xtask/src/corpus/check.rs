//! `cargo check` of the generated crates: one scratch workspace, one shared target dir, and
//! compiler messages attributed to the crate that produced them.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What `cargo check` said about one crate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CrateCheck {
    /// Errors reported while checking it.
    pub errors: usize,
    /// Warnings reported while checking it.
    pub warnings: usize,
    /// Cargo produced its metadata (it type-checked).
    pub checked: bool,
    /// The first error or warning, rendered as rustc shows it.
    pub first_message: Option<String>,
}

impl CrateCheck {
    /// Checked with no errors and no warnings.
    pub fn is_clean(&self) -> bool {
        self.checked && self.errors == 0 && self.warnings == 0
    }

    /// The table cell: `ok`, `N warnings`, `N errors`, or `not checked`.
    pub fn summary(&self) -> String {
        match (self.checked, self.errors, self.warnings) {
            (true, 0, 0) => "ok".to_owned(),
            (_, 0, w) if w > 0 => format!("{w} warning{}", plural(w)),
            (_, e, _) if e > 0 => format!("{e} error{}", plural(e)),
            _ => "not checked".to_owned(),
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Writes the workspace manifest listing `members` (directories under `dir`).
pub fn write_workspace(dir: &Path, members: &[String], lockfile: &Path) -> Result<(), String> {
    let mut manifest = String::from(
        "# Written by `cargo xtask corpus`: every generated crate of the corpus run.\n[workspace]\nresolver = \"3\"\nmembers = [\n",
    );
    for member in members {
        manifest.push_str(&format!("    \"{member}\",\n"));
    }
    manifest.push_str("]\n");
    let path = dir.join("Cargo.toml");
    std::fs::write(&path, manifest).map_err(|e| format!("{}: {e}", path.display()))?;
    // Same dependency versions as the repository's own build, and no index lookups for them.
    if lockfile.is_file() && !dir.join("Cargo.lock").is_file() {
        std::fs::copy(lockfile, dir.join("Cargo.lock"))
            .map_err(|e| format!("{}: {e}", lockfile.display()))?;
    }
    Ok(())
}

/// Which cargo command checks the crates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CheckCommand {
    /// `cargo clippy` (its lints count as warnings) rather than `cargo check`.
    pub clippy: bool,
    /// Every feature of the generated crates (`serde` too), not just the defaults.
    pub all_features: bool,
}

impl CheckCommand {
    /// The command as the report names it, such as `cargo clippy --all-features`.
    pub fn label(&self) -> String {
        format!(
            "cargo {}{}",
            if self.clippy { "clippy" } else { "check" },
            if self.all_features {
                " --all-features"
            } else {
                ""
            }
        )
    }
}

/// Runs `command` on the workspace in `dir` (continuing past failing crates) and returns
/// what it said per package name, with the wall time it took.
pub fn run(
    dir: &Path,
    target: &Path,
    command: CheckCommand,
) -> Result<(BTreeMap<String, CrateCheck>, Duration), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let started = Instant::now();
    let mut cargo = Command::new(cargo);
    cargo.current_dir(dir).args([
        if command.clippy { "clippy" } else { "check" },
        "--workspace",
        "--keep-going",
        "--message-format=json-diagnostic-rendered-ansi",
    ]);
    if command.all_features {
        cargo.arg("--all-features");
    }
    let mut child = cargo
        .arg("--target-dir")
        .arg(target)
        .env("CARGO_TERM_COLOR", "never")
        // Incremental caches of millions of generated lines would take gigabytes of disk
        // for a build that is never repeated as is.
        .env("CARGO_INCREMENTAL", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = child.stdout.take().ok_or("cargo gave no stdout")?;
    let mut results: BTreeMap<String, CrateCheck> = BTreeMap::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| format!("reading cargo's output: {e}"))?;
        record(&line, &mut results);
    }
    child
        .wait()
        .map_err(|e| format!("waiting for cargo: {e}"))?;
    Ok((results, started.elapsed()))
}

/// Adds one line of cargo's JSON output to `results`; other lines are ignored.
fn record(line: &str, results: &mut BTreeMap<String, CrateCheck>) {
    let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
        return;
    };
    let Some(package) = message["package_id"].as_str().and_then(package_name) else {
        return;
    };
    match message["reason"].as_str() {
        Some("compiler-artifact") => {
            results.entry(package).or_default().checked = true;
        }
        Some("compiler-message") => {
            let diagnostic = &message["message"];
            let entry = results.entry(package).or_default();
            match diagnostic["level"].as_str() {
                Some("error") => entry.errors += 1,
                Some("warning") => entry.warnings += 1,
                _ => return,
            }
            if entry.first_message.is_none() {
                entry.first_message = diagnostic["rendered"].as_str().map(strip_ansi);
            }
        }
        _ => {}
    }
}

/// The package name in a cargo package id: `path+file:///x/y#name@0.1.0` or the older
/// `name 0.1.0 (path+file:///x/y)`.
fn package_name(id: &str) -> Option<String> {
    if let Some((_, rest)) = id.rsplit_once('#') {
        let name = rest.split('@').next()?;
        // `...#0.1.0` (no name) means the directory name is the package name.
        if name.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            let (path, _) = id.rsplit_once('#')?;
            return path.rsplit('/').next().map(str::to_owned);
        }
        return Some(name.to_owned());
    }
    id.split(' ').next().map(str::to_owned)
}

/// `text` without ANSI colour sequences.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_from_both_id_formats() {
        assert_eq!(
            package_name("path+file:///tmp/c/out/eks#botogen-eks@0.1.0").as_deref(),
            Some("botogen-eks")
        );
        assert_eq!(
            package_name("path+file:///tmp/c/crates/botogen-eks#0.1.0").as_deref(),
            Some("botogen-eks")
        );
        assert_eq!(
            package_name("botogen-eks 0.1.0 (path+file:///tmp/c)").as_deref(),
            Some("botogen-eks")
        );
    }

    #[test]
    fn messages_are_counted_per_crate() {
        let mut results = BTreeMap::new();
        let warning = r#"{"reason":"compiler-message","package_id":"path+file:///c#a@0.1.0","message":{"level":"warning","rendered":"\u001b[33mwarning\u001b[0m: unused"}}"#;
        let error = r#"{"reason":"compiler-message","package_id":"path+file:///c#b@0.1.0","message":{"level":"error","rendered":"error: bad"}}"#;
        let note = r#"{"reason":"compiler-message","package_id":"path+file:///c#a@0.1.0","message":{"level":"note","rendered":"note"}}"#;
        let artifact = r#"{"reason":"compiler-artifact","package_id":"path+file:///c#a@0.1.0"}"#;
        for line in [
            warning,
            error,
            note,
            artifact,
            "not json",
            r#"{"reason":"build-finished","success":false}"#,
        ] {
            record(line, &mut results);
        }
        assert_eq!(results["a"].warnings, 1);
        assert!(results["a"].checked);
        assert_eq!(
            results["a"].first_message.as_deref(),
            Some("warning: unused")
        );
        assert_eq!(results["a"].summary(), "1 warning");
        assert_eq!(results["b"].errors, 1);
        assert!(!results["b"].checked);
        assert_eq!(results["b"].summary(), "1 error");
        assert!(!results["a"].is_clean());
    }

    #[test]
    fn a_checked_crate_without_messages_is_clean() {
        let check = CrateCheck {
            checked: true,
            ..CrateCheck::default()
        };
        assert!(check.is_clean());
        assert_eq!(check.summary(), "ok");
        assert_eq!(CrateCheck::default().summary(), "not checked");
    }
}
