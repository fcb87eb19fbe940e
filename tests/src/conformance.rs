//! The botocore protocol-conformance harness for rest-json.
//!
//! botocore ships the Smithy `restJson1` compliance tests as data: suites of cases, each suite
//! a mini service model (`shapes`, with every case naming its operation in `given`). The harness
//! runs them against generated code in five steps:
//!
//! 1. [`suites`] reads the input (serialization) and output (parsing) suite files and
//!    botocore's ignore list, and decides which cases are skipped and why.
//! 2. [`model`] turns each suite into a `service-2.json` model, generates its crate with
//!    `botogen_codegen::generate` and lowers it to the IR, where every Rust name lives.
//! 3. [`cases`] writes one `#[test]` per case, building values with [`values`] and checking
//!    requests and responses with the helpers of `scratch_support.rs`.
//! 4. [`scratch`] writes one scratch crate holding every suite as a module plus the tests,
//!    runs `cargo test` in it once, and reads libtest's verdicts.
//! 5. [`report`] tallies passed, failed, known-failure and skipped cases and prints them.
//!
//! Cases are named `input:<id>` or `output:<id>`: botocore reuses ids between the two files.

pub mod cases;
pub mod model;
pub mod report;
pub mod scratch;
pub mod suites;
pub mod values;

use std::path::{Path, PathBuf};

pub use report::Report;
pub use suites::Direction;

/// Where the conformance data lives: `tests/conformance/` (botocore's files, copied).
pub fn data_dir() -> PathBuf {
    crate::repo_root().join("tests/conformance")
}

/// Runs the whole harness: reads the suites under `data`, writes and tests the scratch crate
/// in `scratch_dir`, and returns the outcome of every case. `Err` means the harness itself
/// could not run (missing data, a scratch crate that does not compile, cargo failing to start).
pub fn run(data: &Path, scratch_dir: &Path) -> Result<Report, String> {
    let protocols = data.join("protocols");
    if !protocols.is_dir() {
        return Err(format!(
            "conformance data not found: looked for {} (expected botocore's protocol test files \
             under tests/conformance in the repository)",
            protocols.display()
        ));
    }
    let ignore = suites::IgnoreList::read(&protocols.join("protocol-tests-ignore-list.json"))?;
    let mut prepared = Vec::new();
    for direction in [Direction::Input, Direction::Output] {
        let file = protocols.join(direction.dir_name()).join("rest-json.json");
        for suite in suites::read_suites(&file, direction, &ignore)? {
            prepared.push(model::prepare(suite));
        }
    }
    let plan = cases::plan(&prepared)?;
    let outcomes = scratch::write_and_test(scratch_dir, &prepared, &plan)?;
    Ok(Report::new(&plan, &outcomes))
}
