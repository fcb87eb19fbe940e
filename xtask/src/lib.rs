//! `cargo xtask`: the project's tasks, as a library so tests can run them in-process.
//!
//! - `cargo xtask codegen` regenerates `generated/` from the model under `models/`.
//! - `cargo xtask codegen --check` fails, naming the files, when `generated/` is stale.
//! - `cargo xtask codegen --model DIR --out DIR` generates a crate for any model directory.
//! - `cargo xtask diff [OLD [NEW]]` explains a model update for review.
//! - `cargo xtask bench-codegen` times the generator, stage by stage.
//! - `cargo xtask corpus` generates and checks every botocore rest-json model.

pub mod bench;
pub mod codegen;
pub mod corpus;
pub mod diff;

/// Usage text printed by `cargo xtask help`.
pub const USAGE: &str = "\
usage: cargo xtask <task> [options]

tasks:
  codegen [--check] [--model DIR --out DIR] [--name CRATE]
      Generate the SDK crate. Without --model, uses the single model under models/
      and writes generated/. With --check, writes nothing and fails if any file
      differs from what the model gives.
  diff [OLD [NEW]] [--json] [--fail-on breaking|any] [--date YYYY/MM/DD]
      Explain a model update: every change with its semver impact and wire effect,
      a changelog entry, and the generated files it changes. A side is a model file,
      a directory holding one, or a git revision (HEAD~1, a tag); with no sides the
      working tree's model is compared with HEAD's.
  corpus [--protocol rest-json] [--only SVC[/VERSION],...] [--wheel PATH] [--dir DIR]
         [--no-check] [--clippy] [--all-features]
      Generate a crate for every model of the protocol in the pinned botocore wheel
      (downloaded from PyPI with curl into target/corpus/ unless --wheel is given; sha256
      checked), `cargo check` them in one scratch workspace (`cargo clippy` with --clippy;
      every feature, serde too, with --all-features), and print a table per model with a
      summary (also written to DIR/report.md). Fails unless every model is clean.
  bench-codegen [--runs N] [--model DIR]
      Time the generator in-process (read, parse, lower, emit), median of N runs.
      Build with --release for meaningful figures.
";

/// Runs the task named by `args[0]`; an error is the message to print.
pub fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("codegen") => codegen::run(&args[1..]),
        Some("bench-codegen") => bench::run(&args[1..]),
        Some("diff") => diff::run(&args[1..]),
        Some("corpus") => corpus::run(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown task `{other}`\n\n{USAGE}")),
    }
}
