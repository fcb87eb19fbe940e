//! `cargo xtask`: the project's tasks.
//!
//! - `cargo xtask codegen` regenerates `generated/` from the model under `models/`.
//! - `cargo xtask codegen --check` fails, naming the files, when `generated/` is stale.
//! - `cargo xtask codegen --model DIR --out DIR` generates a crate for any model directory.

mod codegen;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task> [options]

tasks:
  codegen [--check] [--model DIR --out DIR] [--name CRATE]
      Generate the SDK crate. Without --model, uses the single model under models/
      and writes generated/. With --check, writes nothing and fails if any file
      differs from what the model gives.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen::run(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown task `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
