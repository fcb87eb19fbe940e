//! Generates a crate from every fixture into one scratch workspace and builds it for real:
//! clippy and rustc with warnings denied, rustdoc with warnings denied, and `cargo test`, which
//! runs each fixture's `behaviour.rs` (copied in as an integration test) and the doctests.
//!
//! A snapshot that does not compile proves little; this is what proves the output is valid,
//! warning-free Rust that behaves as documented.

use std::path::{Path, PathBuf};
use std::process::Command;

use botogen_tests::{fixture_names, generate_fixture, repo_root};

/// Writes every fixture crate under `dir` and a workspace manifest listing them.
fn write_workspace(dir: &Path) -> Vec<String> {
    let names = fixture_names();
    let runtime = repo_root().join("runtime");
    for name in &names {
        let crate_dir = dir.join(name);
        if crate_dir.exists() {
            std::fs::remove_dir_all(&crate_dir).unwrap();
        }
        let files = generate_fixture(name, Some(runtime.to_string_lossy().replace('\\', "/")));
        for (path, contents) in &files {
            let path = crate_dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, contents).unwrap();
        }
        let behaviour = repo_root()
            .join("tests/fixtures")
            .join(name)
            .join("behaviour.rs");
        if behaviour.is_file() {
            std::fs::create_dir_all(crate_dir.join("tests")).unwrap();
            std::fs::copy(&behaviour, crate_dir.join("tests/behaviour.rs")).unwrap();
            // The behaviour tests check the `serde` feature's JSON with serde_json.
            let manifest = crate_dir.join("Cargo.toml");
            let mut text = std::fs::read_to_string(&manifest).unwrap();
            text = text.replacen(
                "[dev-dependencies]\n",
                "[dev-dependencies]\nhttp = \"1\"\nserde_json = \"1\"\n",
                1,
            );
            std::fs::write(&manifest, text).unwrap();
        }
    }
    let members: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    // The repository's dependency versions, not whatever is newest in the local registry.
    std::fs::copy(repo_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    names
}

/// Runs cargo in the scratch workspace with its own target dir and the given flags.
fn cargo(dir: &Path, args: &[&str], env: &[(&str, &str)]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command.args(args).current_dir(dir);
    for var in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTDOCFLAGS",
        "CARGO_BUILD_TARGET_DIR",
    ] {
        command.env_remove(var);
    }
    command.env("CARGO_TARGET_DIR", dir.join("target"));
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo {} failed in {}:\n{}{}",
        args.join(" "),
        dir.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn scratch_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-crates");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn fixture_crates_build_lint_document_and_behave() {
    let dir = scratch_dir();
    let names = write_workspace(&dir);
    assert!(names.len() >= 8);
    let deny = [("RUSTFLAGS", "-D warnings")];
    cargo(
        &dir,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--offline",
            "--",
            "-D",
            "warnings",
        ],
        &deny,
    );
    cargo(
        &dir,
        // The default HTTP client (reqwest) is checked by clippy above; the tests need only
        // the client layer, so its TLS stack is not built twice.
        &[
            "test",
            "--workspace",
            "--offline",
            "--no-default-features",
            "--features",
            "serde,client,tracing",
        ],
        &deny,
    );
    cargo(
        &dir,
        &["doc", "--workspace", "--no-deps", "--offline"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    );
}
