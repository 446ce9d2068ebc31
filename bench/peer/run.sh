#!/usr/bin/env bash
# The peer: the plain DuckDB pipeline an analyst writes for a month of the synthetic
# standard layout (coverage-synth write), for bench/compare.sh to time beside coverage.
#
#   bash bench/peer/run.sh DATA_DIR OUT_DIR
#
# Steps, all counted in its time: the GBK district exports to UTF-8 (iconv; this DuckDB
# has no encodings extension), the social-organization workbook to CSV (python3 with
# openpyxl; no excel extension offline), then bench/peer/peer.sql, which writes
# OUT_DIR/coverage_by_district.csv (per district name and sector).
set -euo pipefail
data="$1"
out="$2"
here="$(cd "$(dirname "$0")" && pwd)"
: "${CARGO_TARGET_DIR:=$HOME/.cache/coverage-target}"
mkdir -p "$out"
for f in enterprises_a enterprises_b; do
    iconv -f GBK -t UTF-8 "$data/$f.csv" > "$out/$f.csv"
done
python3 - "$data/social_orgs.xlsx" "$out/social_orgs.csv" <<'PY'
import csv, sys
import openpyxl
book = openpyxl.load_workbook(sys.argv[1], read_only=True)
rows = book.worksheets[0].iter_rows(values_only=True)
next(rows)  # the title row above the header
with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
PY
"$CARGO_TARGET_DIR/release/examples/run_sql" "$here/peer.sql" "data=$data" "tmp=$out"
