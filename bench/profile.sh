#!/usr/bin/env bash
# Where one run's time and memory go (release build, printed figures; never a timed test):
# a synthetic month of UNITS units in LAYOUT is written once, run, and the run's manifest
# printed as a profile — each stage's wall and CPU time and the peak memory when it
# ended, the commit, and the definitions of sql/ that took longest in the aggregate stage.
#
#   bash bench/profile.sh [UNITS] [LAYOUT] [TOP]
#        (default 200 000 units, the standard layout, the 12 slowest definitions)
set -euo pipefail
units="${1:-200000}"
layout="${2:-standard}"
top="${3:-12}"
source "$(dirname "$0")/common.sh"
work="${WORK:-/tmp/coverage-profile-$units-$layout}"
if [ ! -f "$work/pipeline.toml" ]; then
    "$bin/coverage-synth" write --layout "$layout" --out "$work" --units "$units" --seed 7 \
        --period 2026-11 > /dev/null
fi
rm -rf "$work/out"
echo "== $layout: $units units, $(nproc) cores, $(date -u +%FT%TZ)"
/usr/bin/time -f "run wall %e s, peak RSS %M KiB" \
    "$bin/coverage" run --pipeline "$work/pipeline.toml" --period 2026-11 --out "$work/out" \
    | grep -E '^stages|^peak' || true
python3 - "$work/out/runs/2026-11/manifest.json" "$top" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
top = int(sys.argv[2])
print("stage            wall s    cpu s   peak MiB")
cpu = dict(m["stage_cpu_seconds"]); peak = dict(m["stage_peak_mib"])
for stage, wall in m["stage_seconds"]:
    print(f"{stage:<14} {wall:8.2f} {cpu.get(stage, 0):8.2f} {peak.get(stage, 0):10.0f}")
defs = sorted(m.get("definition_seconds", []), key=lambda d: -d[1])
total = sum(s for _, s in defs)
print(f"definitions of sql/: {len(defs)}, {total:.2f} s in all; the slowest {top}:")
for name, s in defs[:top]:
    print(f"  {name:<34} {s:7.3f} s  {100 * s / total if total else 0:5.1f}%")
PY
