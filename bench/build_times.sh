#!/usr/bin/env bash
# Clean debug-build time and dependency count of the generated crate and of
# aws-sdk-cognitosync 1.120.0, each with default features and with --no-default-features,
# on this machine. Each build gets a fresh target directory; crates are fetched beforehand
# so downloads are not timed. Usage: bash bench/build_times.sh [JOBS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jobs="${1:-$(nproc)}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# A one-line crate that depends on the SDK, so both are built from a package of their own.
mkdir -p "$scratch/sdk/src"
cat > "$scratch/sdk/Cargo.toml" <<'TOML'
[package]
name = "sdk-build"
version = "0.1.0"
edition = "2021"

[dependencies]
aws-sdk-cognitosync = { version = "=1.120.0", default-features = false }

[features]
default = ["sdk-default"]
sdk-default = ["aws-sdk-cognitosync/default"]
TOML
echo 'fn main() {}' > "$scratch/sdk/src/main.rs"
(cd "$scratch/sdk" && cargo fetch -q)
(cd "$root" && cargo fetch -q)

measure() { # label, dir, cargo args...
    local label="$1" dir="$2"
    shift 2
    local target="$scratch/target-$RANDOM"
    local start end deps
    start=$(date +%s.%N)
    (cd "$dir" && CARGO_TARGET_DIR="$target" cargo build -q -j "$jobs" "$@")
    end=$(date +%s.%N)
    deps=$(cd "$dir" && cargo tree -q -e normal --prefix none "$@" | sed 's/ (\*)//' | sort -u | wc -l)
    printf "| %s | %.1f s | %d |\n" "$label" "$(echo "$end - $start" | bc)" "$((deps - 1))"
    rm -rf "$target"
}

echo "| build | clean build | crates in the dependency tree |"
echo "| --- | ---: | ---: |"
measure "botogen-cognito-sync (default: client, reqwest, tracing)" "$root" -p botogen-cognito-sync
measure "botogen-cognito-sync --no-default-features" "$root" -p botogen-cognito-sync --no-default-features
measure "botogen-cognito-sync --no-default-features --features client" "$root" -p botogen-cognito-sync --no-default-features --features client
measure "aws-sdk-cognitosync (default)" "$scratch/sdk"
measure "aws-sdk-cognitosync --no-default-features" "$scratch/sdk" --no-default-features
