#!/usr/bin/env bash
# Pictures of a district's returned workbook (反馈_<区名>_<period>.xlsx) as LibreOffice
# Calc shows it, for checking by eye that the decision columns offer their drop-downs
# and the tool's columns are protected: the 党员工作单位待确认 sheet with the 确认结果
# drop-down open, and the warning LibreOffice gives on typing into a grey (protected)
# cell. Runs Calc on a virtual screen (Xvfb) and drives it with xdotool.
#
#   scripts/pack_screenshots.sh PACK.xlsx [DEST]
#     PACK  a pack of `coverage run`, e.g. OUT/reports/2026-11/各区/东城区/反馈_东城区_2026-11.xlsx
#     DEST  where the pictures go (default: scripts/)
#
# Needs: apt-get install libreoffice-calc xvfb xdotool imagemagick fonts-noto-cjk (not CI).
# The clicks assume the small fixture's pack (three candidates, 确认结果 in column I).
set -euo pipefail
pack=${1:?usage: scripts/pack_screenshots.sh PACK.xlsx [DEST]}
dest=${2:-$(dirname "$0")}
for tool in soffice Xvfb xdotool import; do
  command -v "$tool" >/dev/null || { echo "needs $tool (see the comment at the top)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'kill "$calc" "$xvfb" 2>/dev/null || true; rm -rf "$work"' EXIT
cp "$pack" "$work/pack.xlsx"
export DISPLAY=:97
Xvfb "$DISPLAY" -screen 0 1600x900x24 >/dev/null 2>&1 & xvfb=$!
sleep 2
soffice -env:UserInstallation="file://$work/profile" --calc --norestore --nologo \
  "$work/pack.xlsx" >/dev/null 2>&1 & calc=$!
sleep 25
# The third sheet (党员工作单位待确认), its first 确认结果 cell, the drop-down opened.
xdotool key ctrl+Next; sleep 1; xdotool key ctrl+Next; sleep 2
xdotool key ctrl+Home; sleep 1
for _ in 1 2; do xdotool key Down; done
for _ in $(seq 1 8); do xdotool key Right; done
sleep 1; xdotool key alt+Down; sleep 2
import -window root "$dest/pack_dropdown.png"
# A grey cell (候选单位名称) typed into: Calc refuses, the sheet is protected.
xdotool key Escape; sleep 1
for _ in $(seq 1 4); do xdotool key Left; done
xdotool type x; sleep 2
import -window root "$dest/pack_protected.png"
echo "wrote $dest/pack_dropdown.png and $dest/pack_protected.png"
