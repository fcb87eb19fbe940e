//! `cargo xtask corpus`: every botocore model of a protocol through the generator and
//! `cargo check`, as a table.
//!
//! The models come from the pinned botocore wheel (`wheel::URL`, checked against
//! `wheel::SHA256`), downloaded once into `target/corpus/` or read from `--wheel PATH`.
//! Each model is generated in-process (timed) into `target/corpus/crates/<service>-<version>/`,
//! the crates form one scratch workspace, and a single `cargo check --workspace` with a shared
//! target dir checks them all. Nothing here is committed.

mod check;
mod report;
mod wheel;
mod zip;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use botogen_codegen::CrateSettings;

pub use check::{CheckCommand, CrateCheck};
pub use report::{ModelRun, Outcome};

/// Options of the `corpus` task.
#[derive(Debug)]
struct Options {
    protocol: String,
    only: Option<Vec<String>>,
    wheel: Option<PathBuf>,
    dir: Option<PathBuf>,
    check: bool,
    command: CheckCommand,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        protocol: "rest-json".to_owned(),
        only: None,
        wheel: None,
        dir: None,
        check: true,
        command: CheckCommand::default(),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match arg.as_str() {
            "--protocol" => options.protocol = value("--protocol")?,
            "--only" => {
                let list = value("--only")?;
                options.only = Some(
                    list.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect(),
                );
            }
            "--wheel" => options.wheel = Some(PathBuf::from(value("--wheel")?)),
            "--dir" => options.dir = Some(PathBuf::from(value("--dir")?)),
            "--no-check" => options.check = false,
            "--clippy" => options.command.clippy = true,
            "--all-features" => options.command.all_features = true,
            other => return Err(format!("unknown option `{other}` for corpus")),
        }
    }
    if options.protocol != "rest-json" {
        return Err(format!(
            "--protocol {}: this generator supports rest-json only",
            options.protocol
        ));
    }
    Ok(options)
}

/// Whether `--only` selects the model: by service (`lambda`) or service and version
/// (`lambda/2015-03-31`).
fn selected(only: &Option<Vec<String>>, service: &str, version: &str) -> bool {
    only.as_ref().is_none_or(|names| {
        names
            .iter()
            .any(|name| name == service || *name == format!("{service}/{version}"))
    })
}

/// Runs the task with its command-line arguments (after `corpus`).
pub fn run(args: &[String]) -> Result<(), String> {
    let options = parse(args)?;
    let root = crate::codegen::repo_root();
    let dir = options
        .dir
        .clone()
        .unwrap_or_else(|| wheel::default_dir(&root));
    let wheel = wheel::load(options.wheel.as_deref(), &dir)?;
    let mut models = wheel::models(&wheel, &options.protocol)?;
    drop(wheel);
    models.retain(|m| selected(&options.only, &m.service, &m.version));
    if let Some(only) = &options.only {
        for name in only {
            let known = models
                .iter()
                .any(|m| *name == m.service || *name == format!("{}/{}", m.service, m.version));
            if !known {
                return Err(format!(
                    "--only {name}: no {} model of that name in botocore {}",
                    options.protocol,
                    wheel::VERSION
                ));
            }
        }
    }
    eprintln!(
        "{} {} models from botocore {}",
        models.len(),
        options.protocol,
        wheel::VERSION
    );

    let crates_dir = dir.join("crates");
    if crates_dir.exists() {
        std::fs::remove_dir_all(&crates_dir)
            .map_err(|e| format!("{}: {e}", crates_dir.display()))?;
    }
    let runtime = root.join("runtime");
    let mut runs = Vec::with_capacity(models.len());
    for model in &models {
        runs.push(generate_one(model, &crates_dir, &runtime)?);
    }
    give_unique_names(&mut runs, &crates_dir)?;

    let mut check_run = None;
    if options.check {
        let members: Vec<String> = runs
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Generated { .. }))
            .map(|r| format!("crates/{}", r.dir_name()))
            .collect();
        if !members.is_empty() {
            check::write_workspace(&dir, &members, &root.join("Cargo.lock"))?;
            let (results, elapsed) = check::run(&dir, &dir.join("target"), options.command)?;
            for run in &mut runs {
                if let Outcome::Generated {
                    crate_name, check, ..
                } = &mut run.outcome
                {
                    *check = Some(
                        results
                            .get(crate_name.as_str())
                            .cloned()
                            .unwrap_or_default(),
                    );
                }
            }
            check_run = Some((options.command.label(), elapsed));
        }
    }
    let table = report::render(&runs, check_run.as_ref());
    println!("{table}");
    let path = dir.join("report.md");
    std::fs::write(&path, &table).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("report written to {}", path.display());
    let bad = runs.iter().filter(|r| !r.is_clean()).count();
    if bad > 0 {
        return Err(format!("{bad} of {} models are not clean", runs.len()));
    }
    Ok(())
}

/// Generates one model into `crates_dir/<service>-<version>/`, timing the generator alone.
fn generate_one(
    model: &wheel::CorpusModel,
    crates_dir: &Path,
    runtime: &Path,
) -> Result<ModelRun, String> {
    let mut counts = (0, 0, 0);
    let started = Instant::now();
    let generated = botogen_codegen::generate_with(&model.files, |service| {
        counts = (
            service.shapes.len(),
            service.operations.len(),
            service.omitted_operations.len(),
        );
        CrateSettings {
            name: botogen_codegen::default_crate_name(service),
            version: "0.1.0".to_owned(),
            runtime_version: "0.1.0".to_owned(),
            runtime_path: Some(runtime.display().to_string()),
        }
    });
    let elapsed = started.elapsed();
    let mut run = ModelRun {
        service: model.service.clone(),
        version: model.version.clone(),
        shapes: counts.0,
        operations: counts.1,
        omitted_operations: counts.2,
        generation: elapsed,
        outcome: Outcome::Failed(String::new()),
    };
    match generated {
        Ok(generated) => {
            let out = crates_dir.join(run.dir_name());
            let mut lines = 0;
            for (path, text) in &generated.files {
                let file = out.join(path);
                if let Some(parent) = file.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| format!("{}: {e}", parent.display()))?;
                }
                std::fs::write(&file, text).map_err(|e| format!("{}: {e}", file.display()))?;
                if path.ends_with(".rs") {
                    lines += text.lines().count();
                }
            }
            let crate_name = crate_name_of(&generated.files).unwrap_or_default();
            run.outcome = Outcome::Generated {
                crate_name,
                lines,
                check: None,
            };
        }
        Err(error) => run.outcome = Outcome::Failed(error.to_string()),
    }
    Ok(run)
}

/// The `name = "..."` of the generated `Cargo.toml`.
fn crate_name_of(files: &botogen_codegen::Files) -> Option<String> {
    let manifest = files.get("Cargo.toml")?;
    manifest.lines().find_map(|line| {
        line.strip_prefix("name = \"")
            .and_then(|rest| rest.strip_suffix('"'))
            .map(str::to_owned)
    })
}

/// Services with two model versions (`appmesh`, `clouddirectory`) or two services with one
/// service id would give two packages one name; the later ones get their version appended.
fn give_unique_names(runs: &mut [ModelRun], crates_dir: &Path) -> Result<(), String> {
    let mut seen = std::collections::BTreeSet::new();
    for run in runs.iter_mut() {
        let dir_name = run.dir_name();
        let Outcome::Generated { crate_name, .. } = &mut run.outcome else {
            continue;
        };
        if seen.insert(crate_name.clone()) {
            continue;
        }
        let unique = format!("{crate_name}-{}", run.version);
        let manifest = crates_dir.join(&dir_name).join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest)
            .map_err(|e| format!("{}: {e}", manifest.display()))?;
        let text = text.replacen(
            &format!("name = \"{crate_name}\""),
            &format!("name = \"{unique}\""),
            1,
        );
        std::fs::write(&manifest, text).map_err(|e| format!("{}: {e}", manifest.display()))?;
        seen.insert(unique.clone());
        *crate_name = unique;
    }
    Ok(())
}

/// Milliseconds with one decimal, for the table.
fn millis(duration: Duration) -> String {
    format!("{:.1}", duration.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_selects_by_service_or_service_and_version() {
        let only = Some(vec!["lambda/2015-03-31".to_owned(), "eks".to_owned()]);
        assert!(selected(&only, "lambda", "2015-03-31"));
        assert!(!selected(&only, "lambda", "2014-11-11"));
        assert!(selected(&only, "eks", "2017-11-01"));
        assert!(!selected(&only, "polly", "2016-06-10"));
        assert!(selected(&None, "polly", "2016-06-10"));
    }

    #[test]
    fn options_are_checked() {
        let args = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let options = parse(&args(&["--only", "eks, polly", "--no-check"])).unwrap();
        assert_eq!(
            options.only,
            Some(vec!["eks".to_owned(), "polly".to_owned()])
        );
        assert!(!options.check);
        assert!(
            parse(&args(&["--protocol", "json"]))
                .unwrap_err()
                .contains("rest-json only")
        );
        assert!(
            parse(&args(&["--only"]))
                .unwrap_err()
                .contains("needs a value")
        );
        assert!(
            parse(&args(&["--bogus"]))
                .unwrap_err()
                .contains("unknown option")
        );
    }
}
