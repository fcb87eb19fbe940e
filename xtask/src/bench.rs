//! `cargo xtask bench-codegen`: times the generator in-process, stage by stage.
//!
//! Each run reads the model directory, parses it, lowers it to the IR and emits every file,
//! exactly as `cargo xtask codegen` does, minus writing. Medians over many runs keep one slow
//! run on a noisy machine from deciding the figure. Build xtask in release mode for figures
//! worth quoting: `cargo run --release -p xtask -- bench-codegen`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use botogen_codegen::{ModelFiles, Provenance, emit, ir, model};

/// Runs the benchmark with its command-line arguments (after `bench-codegen`).
pub fn run(args: &[String]) -> Result<(), String> {
    let mut runs = 50usize;
    let mut model_dir: Option<PathBuf> = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => {
                let value = args.next().ok_or("--runs needs a value")?;
                runs = value
                    .parse()
                    .map_err(|_| format!("--runs: `{value}` is not a count"))?;
            }
            "--model" => {
                model_dir = Some(PathBuf::from(args.next().ok_or("--model needs a value")?))
            }
            other => return Err(format!("unknown option `{other}` for bench-codegen")),
        }
    }
    let model_dir = match model_dir {
        Some(dir) => dir,
        None => crate::codegen::default_model(&crate::codegen::repo_root())?,
    };
    if runs == 0 {
        return Err("--runs must be at least 1".to_owned());
    }

    let mut stages: [Vec<Duration>; 5] = Default::default();
    let mut lines = 0;
    for _ in 0..runs {
        let t0 = Instant::now();
        let files = ModelFiles::read_dir(&model_dir).map_err(|e| e.to_string())?;
        let t1 = Instant::now();
        let (parsed, _) =
            model::parse_service("service-2.json", &files.service).map_err(|e| e.to_string())?;
        let t2 = Instant::now();
        let service = ir::Service::from_model(&parsed).map_err(|e| e.to_string())?;
        let t3 = Instant::now();
        let settings = botogen_codegen::CrateSettings {
            name: botogen_codegen::default_crate_name(&service),
            version: "0.1.0".to_owned(),
            runtime_version: "0.1.0".to_owned(),
            runtime_path: None,
        };
        let provenance = Provenance {
            model: files.label.clone(),
            sha256: files.service_sha256(),
        };
        let rules = botogen_codegen::endpoints::rule_set_text(&files, &service)
            .map_err(|e| e.to_string())?;
        let output = emit::emit_crate(&service, &settings, &provenance, &rules)
            .map_err(|e| e.to_string())?;
        let t4 = Instant::now();
        lines = output.values().map(|text| text.lines().count()).sum();
        for (stage, time) in stages
            .iter_mut()
            .zip([t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0])
        {
            stage.push(time);
        }
    }

    println!(
        "model: {} ({runs} runs, {lines} generated lines)",
        model_dir.display()
    );
    println!(
        "{:<22} {:>10} {:>10} {:>10}",
        "stage", "median", "min", "max"
    );
    let names = [
        "read files",
        "parse JSON",
        "lower to IR",
        "emit + format",
        "total",
    ];
    for (name, times) in names.iter().zip(stages.iter_mut()) {
        times.sort();
        let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1000.0);
        println!(
            "{name:<22} {:>10} {:>10} {:>10}",
            ms(times[times.len() / 2]),
            ms(times[0]),
            ms(times[times.len() - 1])
        );
    }
    Ok(())
}
