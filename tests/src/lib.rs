//! Test-only package: see the files under `tests/`.
