//! Helpers shared by the integration tests under `tests/`: where the fixtures and the repo
//! are, and how a generated crate is rendered for a snapshot.

use std::path::{Path, PathBuf};

use botogen_codegen::{CrateSettings, Files, ModelFiles};

pub mod cognito_server;
pub mod conformance;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Names of the hand-written model fixtures under `tests/fixtures/`, sorted.
pub fn fixture_names() -> Vec<String> {
    let dir = repo_root().join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .filter(|entry| entry.path().join("service-2.json").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Reads the fixture model `name`.
pub fn fixture_model(name: &str) -> ModelFiles {
    let dir = repo_root().join("tests/fixtures").join(name);
    ModelFiles::read_dir(&dir).unwrap_or_else(|e| panic!("{e}"))
}

/// Settings for a fixture crate; `runtime_path` is where the runtime crate is, seen from the
/// crate's directory.
pub fn fixture_settings(name: &str, runtime_path: Option<String>) -> CrateSettings {
    CrateSettings {
        name: format!("fixture-{name}"),
        version: "0.1.0".to_owned(),
        runtime_version: "0.1.0".to_owned(),
        runtime_path,
    }
}

/// Generates a fixture crate, panicking with the generator's message on failure.
pub fn generate_fixture(name: &str, runtime_path: Option<String>) -> Files {
    let settings = fixture_settings(name, runtime_path);
    botogen_codegen::generate(&fixture_model(name), Some(&settings))
        .unwrap_or_else(|e| panic!("fixture {name}: {e}"))
        .files
}

/// All files of a generated crate as one text, each under a `==> path <==` line.
pub fn render(files: &Files) -> String {
    let mut out = String::new();
    for (path, contents) in files {
        out.push_str(&format!("==> {path} <==\n{contents}\n"));
    }
    out
}
