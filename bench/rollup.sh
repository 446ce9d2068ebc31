#!/usr/bin/env bash
# The roll-up benchmark (release build; prints figures, asserts nothing):
#
#   bash bench/rollup.sh [UNITS_PER_DEPLOYMENT] [SPARK_MASTER]
#       (default 1000000 units, i.e. 31 million over the 31 mainland provinces; local[2])
#
# Writes 31 synthetic deployments (bench/rollup/deployment.sql: the published
# unit_status and coverage_by_district a run would leave, and a manifest) unless they
# are there, then rolls them up with `coverage rollup` on DuckDB and on Spark, printing
# each engine's wall time and peak memory (GNU time: the largest process, Spark's JVM
# for Spark) and whether the two engines' tables are equal.
units="${1:-1000000}"
master="${2:-local[2]}"
source "$(dirname "$0")/common.sh"
work="${WORK:-/tmp/coverage-rollup-$units}"
provinces=(11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65)
inputs=()
for p in "${provinces[@]}"; do
    d="$work/p$p"
    inputs+=(--input "$d")
    [ -f "$d/runs/2026-11/manifest.json" ] && continue
    mkdir -p "$d/parquet/unit_status/period=2026-11" "$d/parquet/coverage_by_district/period=2026-11" "$d/runs/2026-11"
    "$bin/examples/run_sql" bench/rollup/deployment.sql "DIR=$d" "PROVINCE=$p" "UNITS=$units" "SEED=$p"
    printf '{"pipeline": {"city_code": "%s0100", "city_name": "%s01市"}, "rules": {"rate_denominator": "in_scope", "social_org_target_rate": 0.4}}\n' "$p" "$p" \
        > "$d/runs/2026-11/manifest.json"
done
echo "== ${#provinces[@]} deployments × $units units = $(( ${#provinces[@]} * units )) units, $(nproc) cores, $(date -u +%FT%TZ)"
spark_submit="${COVERAGE_SPARK_SUBMIT:-$HOME/.cache/coverage-spark/bin/spark-submit}"
for engine in duckdb spark; do
    rm -rf "$work/out-$engine"
    /usr/bin/time -f "%e %M" -o "$work/$engine.time" env COVERAGE_SPARK_SUBMIT="$spark_submit" \
        "$bin/coverage" rollup "${inputs[@]}" --period 2026-11 --out "$work/out-$engine" \
        --engine "$engine" --spark-master "$master" > "$work/$engine.log"
    read -r wall kib < "$work/$engine.time"
    printf '%-7s wall %7.2f s  peak %6d MiB  (%s)\n' "$engine" "$wall" "$((kib / 1024))" \
        "$(head -1 "$work/$engine.log")"
done
cat > "$work/same.sql" <<SQL
ATTACH '$work/out-duckdb/coverage.duckdb' AS a (READ_ONLY);
ATTACH '$work/out-spark/coverage.duckdb' AS b (READ_ONLY);
COPY (SELECT 'rows of coverage_by_region in one engine only: ' || (SELECT count(*) FROM (SELECT * FROM a.coverage_by_region EXCEPT ALL SELECT * FROM b.coverage_by_region))
      + (SELECT count(*) FROM (SELECT * FROM b.coverage_by_region EXCEPT ALL SELECT * FROM a.coverage_by_region))
      || ', national units in scope: ' || (SELECT sum(units_in_scope) FROM a.coverage_by_region WHERE level = 'national')) TO '$work/same.txt' (FORMAT csv, HEADER false, QUOTE '');
SQL
"$bin/examples/run_sql" "$work/same.sql"
cat "$work/same.txt"
