#!/usr/bin/env bash
# Benchmark (release build, printed figures; never a timed test):
#   coverage-synth write of N units (default 1 000 000, about 2 member records per unit),
#   then coverage run on it, then coverage-synth evaluate against the truth.
# Usage: bash bench/synth_and_run.sh [UNITS] [MESSINESS]
set -euo pipefail
cd "$(dirname "$0")/.."
units="${1:-1000000}"
messiness="${2:-default}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/coverage-target}"
cargo build --release --locked -q --workspace
bin="$CARGO_TARGET_DIR/release/coverage"
synth="$CARGO_TARGET_DIR/release/coverage-synth"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "== synth: $units units, messiness $messiness"
/usr/bin/time -f "synth wall %e s, peak RSS %M KiB" \
    "$synth" write --out "$dir" --units "$units" --seed 1 --period 2026-11 --messiness "$messiness" | tail -n 1
echo "== resolve + link alone (after extract)"
cargo run --release --locked -q --example resolve_link -- "$dir/pipeline.toml" 2026-11
echo "== run"
/usr/bin/time -f "run wall %e s, peak RSS %M KiB" \
    "$bin" run --pipeline "$dir/pipeline.toml" --period 2026-11 --out "$dir/out" | grep -E "^rows:|^stages:"
echo "== evaluate"
"$synth" evaluate --truth "$dir" --run "$dir/out" --period 2026-11 | head -n 4
