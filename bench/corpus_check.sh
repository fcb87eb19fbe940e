#!/usr/bin/env bash
# `cargo check` time of one corpus model's generated crate next to smithy's crate for the same
# service from crates.io, on this machine: a clean check (dependencies included, fresh target
# dir, crates fetched beforehand so downloads are not timed) and a check of the service crate
# alone (its dependencies already checked). Default features on both sides.
# Needs `cargo xtask corpus --only SERVICE --no-check` first (it leaves the crate in
# target/corpus/crates/). Usage: bash bench/corpus_check.sh SERVICE-DIR SDK-CRATE SDK-VERSION
# e.g.   bash bench/corpus_check.sh quicksight-2018-04-01 aws-sdk-quicksight 1.130.0
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ours="$root/target/corpus/crates/$1"
sdk_crate="$2"
sdk_version="$3"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
[ -f "$ours/Cargo.toml" ] || { echo "no $ours; run cargo xtask corpus --only ... --no-check" >&2; exit 1; }

# Each side as a one-line package of its own, in its own workspace.
make_package() { # dir, dependency line
    mkdir -p "$1/src"
    printf '[package]\nname = "check-%s"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n%s\n\n[workspace]\n' \
        "$(basename "$1")" "$2" > "$1/Cargo.toml"
    echo 'fn main() {}' > "$1/src/main.rs"
    cp "$root/Cargo.lock" "$1/Cargo.lock" 2>/dev/null || true
    (cd "$1" && cargo fetch -q)
}
ours_name=$(sed -n 's/^name = "\(.*\)"/\1/p' "$ours/Cargo.toml" | head -1)
make_package "$scratch/ours" "$ours_name = { path = \"$ours\" }"
rm -f "$scratch/sdk/Cargo.lock"
make_package "$scratch/sdk" "$sdk_crate = \"=$sdk_version\""

seconds() { # dir, cargo args... ; prints wall seconds of `cargo check`
    local dir="$1"; shift
    local start end
    start=$(date +%s.%N)
    (cd "$dir" && CARGO_INCREMENTAL=0 CARGO_TARGET_DIR="$dir/target" cargo check -q "$@")
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
lines() { find "$1" -name '*.rs' -print0 | xargs -0 cat | wc -l; }
sdk_src=$(find "${CARGO_HOME:-$HOME/.cargo}/registry/src" -maxdepth 1 -mindepth 1 -type d | while read -r d; do [ -d "$d/$sdk_crate-$sdk_version" ] && echo "$d/$sdk_crate-$sdk_version"; done | head -1)

echo "| crate | Rust lines | clean check (with deps) | check of the crate alone |"
echo "| --- | ---: | ---: | ---: |"
for side in ours sdk; do
    dir="$scratch/$side"
    clean=$(seconds "$dir")
    if [ "$side" = ours ]; then pkg="$ours_name"; src="$ours"; else pkg="$sdk_crate"; src="$sdk_src"; fi
    (cd "$dir" && CARGO_TARGET_DIR="$dir/target" cargo clean -q -p "$pkg")
    alone=$(seconds "$dir")
    printf "| %s | %s | %.1f s | %.1f s |\n" "$pkg" "$(lines "$src")" "$clean" "$alone"
    rm -rf "$dir/target"
done
