#!/usr/bin/env bash
# Instructions per operation (Ir, from valgrind's callgrind) for every row and side of
# botogen-bench. Each row/side runs twice, with 1 and with 11 timed iterations and no
# warm-up; (Ir(11) - Ir(1)) / 10 is the cost of one operation, with process start,
# fixtures, verification, tokio and SDK client construction cancelled out.
#
# Usage: bash callgrind.sh            (from bench/; CARGO_TARGET_DIR defaults to /tmp/bench-target)
# The callgrind out files stay in $OUT (default /tmp/bench-callgrind) for callgrind_annotate.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/tmp/bench-target}"
OUT="${OUT:-/tmp/bench-callgrind}"
mkdir -p "$OUT"
cargo build --release --quiet
BIN="$CARGO_TARGET_DIR/release/botogen-bench"

# Ir total of one run.
ir() { # row side iterations
    local file="$OUT/callgrind.$1.$2.$3.out"
    valgrind --tool=callgrind --callgrind-out-file="$file" "$BIN" \
        --iterations "$3" --warmup 0 --row "$1" --side "$2" >/dev/null 2>"$file.log"
    awk '/^(summary|totals):/ { print $2; exit }' "$file"
}

printf '| row | side | Ir per operation | vs ours |\n| --- | --- | ---: | ---: |\n'
for row in update_records_request list_records_response_1000 error_response; do
    ours=""
    for side in ours sdk sdk-unsigned; do
        one=$(ir "$row" "$side" 1)
        eleven=$(ir "$row" "$side" 11)
        per=$(( (eleven - one) / 10 ))
        if [ -z "$ours" ]; then ours=$per; fi
        ratio=$(awk -v a="$per" -v b="$ours" 'BEGIN { printf "%.1fx", a / b }')
        printf '| %s | %s | %d | %s |\n' "$row" "$side" "$per" "$ratio"
    done
done
