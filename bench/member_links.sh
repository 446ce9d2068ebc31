#!/usr/bin/env bash
# Accuracy of member links on synthetic months (release build, printed figures): one
# month of each layout (standard, samr) at default messiness, run, then evaluated
# against its truth — member-link precision / recall overall and per link rule, and
# every figure of coverage_by_district (units_with_members, units_3plus_formal,
# members_not_transferred …) as the largest absolute and relative difference by district,
# and coverage_breakdown's counts by park.
# Usage: bash bench/member_links.sh [UNITS] [SEED]   (default 100 000 units, seed 7)
source "$(dirname "$0")/common.sh"
units="${1:-100000}"
seed="${2:-7}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for layout in standard samr; do
    dir="$work/$layout"
    echo "== $layout: $units units, seed $seed, messiness default"
    "$bin/coverage-synth" write --layout "$layout" --out "$dir" --units "$units" --seed "$seed" \
        --period 2026-11 > /dev/null
    "$bin/coverage" --quiet run --pipeline "$dir/pipeline.toml" --period 2026-11 --out "$dir/out"
    "$bin/coverage-synth" evaluate --truth "$dir" --run "$dir/out" --period 2026-11 \
        | sed -n '/^member links/,/^largest/p;/coverage_by_district/p;/coverage_breakdown/p'
done
