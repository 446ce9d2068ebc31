#!/usr/bin/env bash
# Whether a change kept every figure: the same synthetic months run by a baseline binary
# (e.g. built from the commit before the change, in a checkout of its own) and by this
# one, every table compared row for row and every CSV report byte for byte
# (release build; prints figures):
#
#   bash bench/same_outputs.sh BASELINE_BINARY [UNITS] [LAYOUT] [MONTHS]
#        (default 1 000 000 units, the standard layout, one month: 2026-11; with MONTHS
#        above 1, months from 2026-01 with the districts' returned workbooks, run as one
#        `coverage run --period 2026-01..` by each binary)
baseline="$(realpath "$1")"
units="${2:-1000000}"
layout="${3:-standard}"
months="${4:-1}"
source "$(dirname "$0")/common.sh"
work="${WORK:-/tmp/coverage-same-$units-$layout-$months}"
if [ "$months" = 1 ]; then
    periods=2026-11
    if [ ! -f "$work/pipeline.toml" ]; then
        "$bin/coverage-synth" write --layout "$layout" --out "$work" --units "$units" --seed 7 \
            --period 2026-11 > /dev/null
    fi
else
    if [ ! -f "$work/pipeline.toml" ]; then
        "$bin/coverage-synth" write --layout "$layout" --out "$work" --units "$units" --seed 7 \
            --period 2026-01 --months "$months" > /dev/null
    fi
    periods="2026-01..$(ls "$work" | grep -E '^[0-9]{4}-[0-9]{2}$' | tail -1)"
fi
echo "== $layout: $units units, period(s) $periods"
rm -rf "$work/baseline" "$work/current"
/usr/bin/time -f "baseline run wall %e s, peak RSS %M KiB" \
    "$baseline" run --pipeline "$work/pipeline.toml" --period "$periods" --out "$work/baseline" | grep -E '^stages' || true
/usr/bin/time -f "current run wall %e s, peak RSS %M KiB" \
    "$bin/coverage" run --pipeline "$work/pipeline.toml" --period "$periods" --out "$work/current" | grep -E '^stages|^peak' || true
"$bin/examples/same_outputs" "$work/baseline" "$work/current"
