//! `cargo xtask diff [OLD [NEW]]`: what a model update changes, for a reviewer.
//!
//! Each side is a model file (`service-2.json`), a directory holding one, or a git revision
//! (`HEAD~1`, a tag) at which the repository's model is read. With no sides, the working
//! tree's model is compared with `HEAD`'s. Prints Markdown (or JSON with `--json`) and, with
//! `--fail-on breaking`, fails when the generated crate's API would break.

use std::path::{Path, PathBuf};
use std::process::Command;

use botogen_codegen::ModelFiles;
use botogen_codegen::diff::{self, Impact};

/// Options of the `diff` task.
#[derive(Debug, Default)]
struct Options {
    sides: Vec<String>,
    json: bool,
    fail_on: Option<Impact>,
    date: Option<String>,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--json" => options.json = true,
            "--fail-on" => {
                options.fail_on = Some(match args.next().map(String::as_str) {
                    Some("breaking") => Impact::Breaking,
                    Some("any") => Impact::Additive,
                    other => {
                        return Err(format!(
                            "--fail-on takes `breaking` or `any`, not {other:?}"
                        ));
                    }
                })
            }
            "--date" => {
                options.date = Some(
                    args.next()
                        .cloned()
                        .ok_or("--date needs a value (YYYY/MM/DD)")?,
                )
            }
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option `{flag}` for diff"));
            }
            side => options.sides.push(side.to_owned()),
        }
    }
    if options.sides.len() > 2 {
        return Err("diff takes at most two sides: OLD NEW".to_owned());
    }
    Ok(options)
}

/// Runs the task with its command-line arguments (after `diff`).
pub fn run(args: &[String]) -> Result<(), String> {
    let options = parse(args)?;
    let root = crate::codegen::repo_root();
    let (old_spec, new_spec) = match options.sides.as_slice() {
        [] => ("HEAD".to_owned(), None),
        [old] => (old.clone(), None),
        [old, new] => (old.clone(), Some(new.clone())),
        _ => unreachable!("checked in parse"),
    };
    let old = resolve(&root, &old_spec)?;
    let new = match &new_spec {
        Some(spec) => resolve(&root, spec)?,
        None => {
            let dir = crate::codegen::default_model(&root)?;
            (
                ModelFiles::read_dir(&dir).map_err(|e| e.to_string())?,
                format!("{} (working tree)", dir.display()),
            )
        }
    };
    let report = diff_report(
        &old.0,
        &old.1,
        &new.0,
        &new.1,
        &crate_version(&root),
        &options,
    )?;
    println!("{}", report.text);
    if let Some(threshold) = options.fail_on
        && report.impact >= threshold
    {
        return Err(format!(
            "the model change has {:?} impact (--fail-on)",
            report.impact
        )
        .to_lowercase());
    }
    Ok(())
}

/// A rendered report and the impact it found.
pub struct Report {
    /// Markdown or JSON.
    pub text: String,
    /// The strongest impact.
    pub impact: Impact,
}

/// Compares two models and renders the report, including the generated-code changes.
fn diff_report(
    old: &ModelFiles,
    old_label: &str,
    new: &ModelFiles,
    new_label: &str,
    version: &str,
    options: &Options,
) -> Result<Report, String> {
    let old_files = botogen_codegen::generate(old, None)
        .map_err(|e| format!("in {old_label}: {e}"))?
        .files;
    let new_files = botogen_codegen::generate(new, None)
        .map_err(|e| format!("in {new_label}: {e}"))?
        .files;
    let model_diff = diff::compare(old, new).map_err(|e| e.to_string())?;
    let files = diff::files::stat(&old_files, &new_files);
    let date = options.date.clone().unwrap_or_else(today);
    let text = if options.json {
        serde_json_report(&model_diff, version, &date, &files)
    } else {
        diff::report::markdown(
            &model_diff,
            old_label,
            new_label,
            version,
            &date,
            Some(&files),
        )
    };
    Ok(Report {
        text,
        impact: model_diff.impact(),
    })
}

/// The JSON form: the diff, the semver bump, the changelog entry and the file stats.
fn serde_json_report(
    model_diff: &diff::ModelDiff,
    version: &str,
    date: &str,
    files: &[diff::files::FileStat],
) -> String {
    #[derive(serde::Serialize)]
    struct Json<'a> {
        diff: &'a diff::ModelDiff,
        impact: Impact,
        semver: diff::SemverBump,
        changelog: String,
        generated_files: &'a [diff::files::FileStat],
    }
    let json = Json {
        diff: model_diff,
        impact: model_diff.impact(),
        semver: model_diff.semver_bump(version),
        changelog: diff::report::changelog(model_diff, date),
        generated_files: files,
    };
    serde_json::to_string_pretty(&json).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// Reads one side: a file, a directory, or the repository's model at a git revision.
fn resolve(root: &Path, spec: &str) -> Result<(ModelFiles, String), String> {
    let path = PathBuf::from(spec);
    if path.is_file() {
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{spec}: {e}"))?;
        return Ok((ModelFiles::from_service_json(spec, &text), spec.to_owned()));
    }
    if path.is_dir() {
        let dir = if path.join("service-2.json").is_file() {
            path
        } else {
            crate::codegen::default_model(&path.join(".."))
                .or_else(|_| crate::codegen::default_model(&path))?
        };
        let files = ModelFiles::read_dir(&dir).map_err(|e| e.to_string())?;
        return Ok((files, dir.display().to_string()));
    }
    let model_dir = crate::codegen::default_model(root)?;
    let relative = model_dir
        .strip_prefix(root)
        .map_err(|_| "the model is outside the repository".to_owned())?;
    let git_path = format!(
        "{}/service-2.json",
        relative.to_string_lossy().replace('\\', "/")
    );
    let output = Command::new("git")
        .args(["show", &format!("{spec}:{git_path}")])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git to read `{spec}`: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`{spec}` is not a model file, a directory holding one, or a git revision with {git_path}: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let text =
        String::from_utf8(output.stdout).map_err(|_| format!("{spec}:{git_path} is not UTF-8"))?;
    Ok((
        ModelFiles::from_service_json(&relative.to_string_lossy(), &text),
        format!("{spec}:{git_path}"),
    ))
}

/// The generated crate's version, from `generated/Cargo.toml` (`0.1.0` when unreadable).
fn crate_version(root: &Path) -> String {
    std::fs::read_to_string(root.join("generated/Cargo.toml"))
        .ok()
        .and_then(|text| {
            text.lines().find_map(|line| {
                line.strip_prefix("version = \"")
                    .and_then(|rest| rest.strip_suffix('"'))
                    .map(str::to_owned)
            })
        })
        .unwrap_or_else(|| "0.1.0".to_owned())
}

/// Today's date as `YYYY/MM/DD` (UTC), for the changelog entry.
fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or_default() as i64;
    // Civil-from-days (proleptic Gregorian), after Howard Hinnant's public-domain algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}/{month:02}/{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse() {
        let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let o = parse(&args(&["a", "b", "--json", "--fail-on", "breaking"])).unwrap();
        assert_eq!(o.sides, ["a", "b"]);
        assert!(o.json);
        assert_eq!(o.fail_on, Some(Impact::Breaking));
        assert!(parse(&args(&["--fail-on", "sometimes"])).is_err());
        assert!(parse(&args(&["a", "b", "c"])).is_err());
        assert!(parse(&args(&["--what"])).is_err());
        assert_eq!(today().len(), 10);
    }
}
