#!/usr/bin/env bash
# The campaign's loop on synthetic months (issue 21): `coverage-synth write --months N`
# with the districts' returned workbooks, one `coverage run` over the months, then each
# month evaluated against its truth — member links (overall, those kept where the same
# person was last period, those left for review, and of the 工作单位 texts the districts
# reviewed, and the joint lists' rows covered by the names they decided), the returned
# rows applied or rejected as their truth says
# (and counted in the manifest), corrections and plans in force, and the 销号 ledger
# (list_items_by_district) cell by cell.
# Usage: bash bench/campaign_months.sh [UNITS] [MONTHS] [LAYOUT] [SEED] [MESSINESS]
#        (default 100 000 units, 12 months, standard, seed 7, messiness default)
source "$(dirname "$0")/common.sh"
units="${1:-100000}"
months="${2:-12}"
layout="${3:-standard}"
seed="${4:-7}"
messiness="${5:-default}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bin/coverage-synth" write --layout "$layout" --out "$work" --units "$units" --seed "$seed" \
    --messiness "$messiness" --period 2026-01 --months "$months" > /dev/null
last=$(ls "$work" | grep -E '^[0-9]{4}-[0-9]{2}$' | tail -1)
echo "== $layout: $units units, $months months (2026-01..$last), seed $seed, messiness $messiness"
start=$(date +%s)
"$bin/coverage" --quiet run --pipeline "$work/pipeline.toml" --period "2026-01..$last" --out "$work/out"
echo "run of $months months: $(( $(date +%s) - start )) s"
for dir in "$work"/20*; do
    period=$(basename "$dir")
    echo "-- $period"
    "$bin/coverage-synth" evaluate --truth "$dir" --run "$work/out" --period "$period" \
        | grep -E '^member links|^  (previous_period|review) |returned workbooks|reviewed texts|reviewed joint-list|^    |list_items_by_district'
done
