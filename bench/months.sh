#!/usr/bin/env bash
# Twelve (or MONTHS) consecutive synthetic months of UNITS units into one output folder
# (release build): prints, per month, the publish time from the run's manifest and the
# size of coverage.duckdb, then month 1 against the last month, and how each month's
# changes compare with the truth (coverage-synth evaluate). Prints figures; asserts nothing.
#   bash bench/months.sh [UNITS] [MONTHS] [MESSINESS]
set -euo pipefail
cd "$(dirname "$0")/.."
UNITS="${1:-100000}"
MONTHS="${2:-12}"
MESS="${3:-default}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/coverage-target}"
cargo build --release --locked --quiet --workspace
BIN="$CARGO_TARGET_DIR/release/coverage"
SYNTH="$CARGO_TARGET_DIR/release/coverage-synth"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$SYNTH" write --units "$UNITS" --seed 7 --period 2026-01 --months "$MONTHS" --messiness "$MESS" --out "$WORK" > /dev/null
first_publish=""
for P in $(python3 -c "
m=int('$MONTHS')
for k in range(m): print(f'{2026 + k // 12}-{k % 12 + 1:02d}')"); do
    "$BIN" run --pipeline "$WORK/pipeline.toml" --period "$P" --out "$WORK/out" > /dev/null
    publish=$(python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print(dict(m['stage_seconds'])['publish'])" "$WORK/out/runs/$P/manifest.json")
    size=$(stat -c %s "$WORK/out/coverage.duckdb")
    printf 'month %s: publish %6.2f s, coverage.duckdb %6.1f MB\n' "$P" "$publish" "$(python3 -c "print($size / 1e6)")"
    [ -z "$first_publish" ] && first_publish=$publish
    last_publish=$publish
    if [ "$P" != "2026-01" ]; then
        "$SYNTH" evaluate --truth "$WORK/$P" --run "$WORK/out" --period "$P" | sed -n '/^since/,$p' | sed 's/^/    /'
    fi
done
python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'publish: month 1 {a:.2f} s, month $MONTHS {b:.2f} s, ratio {b/a:.2f}')" "$first_publish" "$last_publish"
