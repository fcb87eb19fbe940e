//! botocore's rest-json protocol-conformance suites, run against generated code.
//!
//! `botogen_tests::conformance` generates every suite into one scratch crate with one test per
//! case and runs it; this test prints the report and fails on any failure that is not in
//! [`KNOWN_FAILURES`], and on any entry of that list that no longer fails.
//!
//! Run with `cargo test -p botogen-tests --test conformance -- --nocapture` to see the report.

use std::path::Path;

use botogen_tests::conformance;

/// Cases that fail because of a known generator or runtime bug: `(case, diagnosis)`, the case
/// as `input:<id>` or `output:<id>`. Remove an entry once the bug is fixed (the test fails
/// while a listed case passes, so the list cannot go stale).
const KNOWN_FAILURES: &[(&str, &str)] = &[];

#[test]
fn botocore_rest_json_conformance() {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("conformance");
    let report = conformance::run(&conformance::data_dir(), &scratch)
        .unwrap_or_else(|e| panic!("conformance harness: {e}"));
    println!("{}", report.render(KNOWN_FAILURES));
    let problems = report.problems(KNOWN_FAILURES);
    assert!(
        problems.is_empty(),
        "conformance problems:\n  {}",
        problems.join("\n  ")
    );
}
