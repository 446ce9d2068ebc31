#!/usr/bin/env bash
# Whether a change kept every figure: the same synthetic month run by a baseline binary
# (e.g. built from the commit before the change, in a checkout of its own) and by this
# one, every table compared row for row and every CSV report byte for byte
# (release build; prints figures):
#
#   bash bench/same_outputs.sh BASELINE_BINARY [UNITS]     (default 1000000 units)
baseline="$(realpath "$1")"
units="${2:-1000000}"
source "$(dirname "$0")/common.sh"
work="${WORK:-/tmp/coverage-same-$units}"
month_in "$work" "$units" 7
rm -rf "$work/baseline" "$work/current"
/usr/bin/time -f "baseline run wall %e s, peak RSS %M KiB" \
    "$baseline" run --pipeline "$work/pipeline.toml" --period 2026-11 --out "$work/baseline" | grep -E '^stages'
/usr/bin/time -f "current run wall %e s, peak RSS %M KiB" \
    "$bin/coverage" run --pipeline "$work/pipeline.toml" --period 2026-11 --out "$work/current" | grep -E '^stages|^peak'
"$bin/examples/same_outputs" "$work/baseline" "$work/current"
