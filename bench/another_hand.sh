#!/usr/bin/env bash
# A month as another export system writes it (bench/another_hand.py: other headers,
# 工作单位及职务, districts as codes and without 区, a ledger of questions, no 组建方式
# column, a tab-separated file, a totals row …), its pipeline file drafted by `coverage
# init` with only the districts' decision taken, run, and evaluated against the truth
# beside the same month as the generator wrote it (release build; prints figures).
#   bash bench/another_hand.sh [UNITS] [SEED]   (default 20 000 units, seed 11)
source "$(dirname "$0")/common.sh"
units="${1:-20000}"
seed="${2:-11}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bin/coverage-synth" write --out "$work/month" --units "$units" --seed "$seed" --period 2026-11 > /dev/null
python3 bench/another_hand.py "$work/month" "$work/other"
"$bin/coverage" init --exports "$work/other" --out "$work/other/pipeline.toml" \
    | sed -n '/left to decide/,$p'
for month in month other; do
    echo "== $month"
    "$bin/coverage" --quiet run --pipeline "$work/$month/pipeline.toml" --period 2026-11 --out "$work/$month/out"
    "$bin/coverage-synth" evaluate --truth "$work/$month" --run "$work/$month/out" --period 2026-11 \
        | grep -E '^unit dedup|rows lost|^member links|coverage_by_district|social_org_target|^list_items'
done
