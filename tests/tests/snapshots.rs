//! Snapshots of every generated file, for each hand-written fixture and for Cognito Sync.
//!
//! Review changes with `cargo insta review`; a snapshot that changes is a change to what users
//! of the generated crates see.

use botogen_codegen::ModelFiles;
use botogen_tests::{fixture_names, generate_fixture, render, repo_root};

#[test]
fn fixture_crates_match_snapshots() {
    let names = fixture_names();
    assert!(
        names.len() >= 8,
        "expected the hand-written fixtures, found {names:?}"
    );
    for name in names {
        let files = generate_fixture(&name, None);
        insta::assert_snapshot!(format!("fixture_{name}"), render(&files));
    }
}

#[test]
fn cognito_sync_crate_matches_snapshot() {
    let dir = repo_root().join("models/cognito-sync/2014-06-30");
    let model = ModelFiles::read_dir(&dir).expect("the committed Cognito Sync model");
    let generated = botogen_codegen::generate(&model, None).expect("Cognito Sync generates");
    assert!(
        generated.warnings.is_empty(),
        "unexpected warnings: {:?}",
        generated.warnings
    );
    insta::assert_snapshot!("cognito_sync", render(&generated.files));
}

#[test]
fn generation_is_byte_identical_across_runs() {
    for name in fixture_names() {
        let first = generate_fixture(&name, None);
        let second = generate_fixture(&name, None);
        assert_eq!(first, second, "fixture {name} generated differently twice");
    }
}
