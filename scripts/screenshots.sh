#!/usr/bin/env bash
# Pictures of what a period's reader sees, for looking at the layout by eye:
#   the HTML dashboard rendered by headless Chromium (a PNG of the screen and a PDF as
#   printed on A4 landscape), and each XLSX report printed by LibreOffice to PDF, its
#   first page as a PNG (pdftoppm).
#
#   scripts/screenshots.sh OUT PERIOD [DEST]
#     OUT     an output folder of `coverage run`
#     PERIOD  YYYY-MM
#     DEST    where the pictures go (default OUT/screenshots/PERIOD)
#
# A tool that is not installed is skipped with the reason printed (apt-get install
# chromium libreoffice-calc poppler-utils fonts-noto-cjk); not needed by CI.
set -euo pipefail
out=${1:?usage: scripts/screenshots.sh OUT PERIOD [DEST]}
period=${2:?usage: scripts/screenshots.sh OUT PERIOD [DEST]}
dest=${3:-$out/screenshots/$period}
reports="$out/reports/$period"
html="$reports/两个覆盖报告_$period.html"
[ -f "$html" ] || { echo "no dashboard at $html: run coverage run (or coverage report) first" >&2; exit 1; }
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

chromium_bin=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$chromium_bin" ]; then
  echo "skipped the dashboard: Chromium is not installed (apt-get install chromium)"
else
  profile=$(mktemp -d)
  # The flags keep Chromium from reaching for the network at all (this machine has none).
  flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
         --disable-background-networking --disable-component-update --disable-sync
         --user-data-dir="$profile" --hide-scrollbars)
  "$chromium_bin" "${flags[@]}" --window-size=1280,4000 \
    --screenshot="$dest/dashboard.png" "file://$(realpath "$html")" >/dev/null 2>&1
  "$chromium_bin" "${flags[@]}" --no-pdf-header-footer \
    --print-to-pdf="$dest/dashboard.pdf" "file://$(realpath "$html")" >/dev/null 2>&1
  rm -rf "$profile"
  echo "dashboard: $dest/dashboard.png, $dest/dashboard.pdf"
  if command -v pdftoppm >/dev/null; then
    pdftoppm -png -r 60 "$dest/dashboard.pdf" "$dest/dashboard-print"
    echo "dashboard as printed: $(ls "$dest"/dashboard-print*.png | wc -l) A4 pages, $dest/dashboard-print-*.png"
  fi
fi

lo_bin=$(command -v libreoffice || command -v soffice || true)
if [ -z "$lo_bin" ]; then
  echo "skipped the workbooks: LibreOffice is not installed (apt-get install libreoffice-calc)"
elif ! command -v pdftoppm >/dev/null; then
  echo "skipped the workbooks: pdftoppm is not installed (apt-get install poppler-utils)"
else
  for book in "$reports"/*.xlsx; do
    name=$(basename "$book" .xlsx)
    "$lo_bin" --headless --convert-to pdf --outdir "$dest" "$book" >/dev/null 2>&1
    pdftoppm -png -r 70 -f 1 -l 1 "$dest/$name.pdf" "$dest/$name"
    pages=$(pdfinfo "$dest/$name.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
    echo "$name: $dest/$name.pdf (${pages:-?} pages), first page $dest/$name-1.png"
  done
fi
