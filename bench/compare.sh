#!/usr/bin/env bash
# coverage beside its peers on one synthetic month of the standard layout (release build;
# prints figures, asserts nothing): bench/peer/careful.py (DuckDB plus a little Python:
# code checks, deduplication by every identifier, members by code, code-in-text, normal
# name and their organization's host) and, as a second reference, bench/peer/peer.sql
# (the naive SQL: code and exact name only).
#
#   bash bench/compare.sh [UNITS] [THREADS]     (default 200000 units, all cores)
#
# Prints each side's wall time and peak memory (GNU time), the wall-time ratios, and each
# side's distance from the month's truth for every coverage_by_district metric.
units="${1:-200000}"
threads="${2:-$(nproc)}"
source "$(dirname "$0")/common.sh"
work="${WORK:-/tmp/coverage-compare-$units}"
month_in "$work" "$units" 3
rm -rf "$work/out" "$work/peer" "$work/careful"
mkdir -p "$work/careful"
timed() { # label, command…: prints "label wall_s peak_kib"
    local label="$1"; shift
    /usr/bin/time -f "$label %e %M" -o "$work/$label.time" "$@" > "$work/$label.log"
    cat "$work/$label.time"
}
echo "== $units units, $(nproc) cores, --threads $threads, $(date -u +%FT%TZ)"
read -r _ ours_s ours_kib < <(timed coverage "$bin/coverage" run --threads "$threads" \
    --pipeline "$work/pipeline.toml" --period 2026-11 --out "$work/out")
read -r _ careful_s careful_kib < <(timed careful python3 bench/peer/careful.py "$work" "$work/careful")
read -r _ peer_s peer_kib < <(timed peer bash bench/peer/run.sh "$work" "$work/peer")
grep '^stages' "$work/coverage.log" | sed 's/^/coverage /'
printf 'coverage  wall %6.2f s  peak %6.0f MiB\n' "$ours_s" "$((ours_kib / 1024))"
printf 'careful   wall %6.2f s  peak %6.0f MiB\n' "$careful_s" "$((careful_kib / 1024))"
printf 'naive     wall %6.2f s  peak %6.0f MiB\n' "$peer_s" "$((peer_kib / 1024))"
awk -v a="$ours_s" -v b="$careful_s" 'BEGIN { printf "wall-time ratio coverage / careful peer: %.2f\n", a / b }'
awk -v a="$ours_s" -v b="$peer_s" 'BEGIN { printf "wall-time ratio coverage / naive peer: %.2f\n", a / b }'
for side in careful peer; do
    echo "== distance from the truth (district × sector rows): coverage beside the ${side/peer/naive} peer"
    "$bin/examples/run_sql" bench/peer/accuracy.sql \
        "truth=$work/truth/coverage_by_district.csv" \
        "ours=$work/out/parquet/coverage_by_district/period=2026-11/data.parquet" \
        "peer=$work/$side/coverage_by_district.csv" | column -t -s,
done
