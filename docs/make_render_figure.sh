#!/usr/bin/env bash
# Regenerates docs/rendered-docx-page1.png: an example report rendered as DOCX, converted to PDF
# by LibreOffice, page 1 rasterised by pdftoppm (poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
.venv/bin/nianbao parse examples/xinhe-street-2023.txt --json > "$work/report.json" || true
.venv/bin/nianbao render "$work/report.json" --to docx -o "$work/report.docx"
soffice --headless --convert-to pdf --outdir "$work" "$work/report.docx" > /dev/null
pdftoppm -r 90 -png -f 1 -l 1 "$work/report.pdf" "$work/page"
cp "$work/page-1.png" docs/rendered-docx-page1.png
rm -rf "$work"
