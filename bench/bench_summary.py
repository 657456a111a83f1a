"""Summary report at scale: generate a region of N units (default 200, of 江苏省) over two years, ingest them with
a roster listing a few more, then time the summary's SQL, the DOCX and the HTML, convert the DOCX with LibreOffice
and print the figures; with --page1 PATH, also write page 1 of the PDF as a PNG (pdftoppm). Prints figures only;
asserts nothing.

    python bench/bench_summary.py --units 200 --page1 docs/summary-page1.png
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from nianbao.render.summary import cjk_font, to_docx, to_html
from nianbao.render.text import render_text
from nianbao.store import audit_corpus, ingest
from nianbao.store.summary import summary
from nianbao.synth import panel, unit_names

REGION, YEAR = "江苏省", 2024
MISSING = 5
PAGE_DPI = 60


def _corpus(directory: Path, units: int) -> Path:
    names = unit_names(units + MISSING, seed=1, within=REGION)
    reports = directory / "reports"
    reports.mkdir(parents=True)
    for report in panel(names[:units], (YEAR - 1, YEAR), seed=1):
        (reports / f"{report.meta.agency}{report.meta.year}.txt").write_text(render_text(report), encoding="utf-8")
    database = directory / "corpus.duckdb"
    ingest([reports], database)
    roster = directory / "roster.csv"
    roster.write_text("unit\n" + "".join(f"{n}\n" for n in names), encoding="utf-8")
    audit_corpus(database, roster=roster)
    return database


def _timed(label: str, work):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = work()
    print(f"{label:<28}{time.perf_counter() - started:8.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--page1", type=Path, help="write page 1 of the converted PDF here (PNG)")
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="nianbao-summary-"))
    try:
        database = _timed(f"corpus ({args.units} units × 2 years)", lambda: _corpus(directory, args.units))
        print(f"CJK font for charts: {cjk_font() or 'none (charts left out)'}")
        started = time.perf_counter()
        data = _timed("summary SQL", lambda: summary(database, REGION, YEAR))
        docx = _timed("DOCX", lambda: to_docx(data))
        print(f"{'summary → DOCX total':<28}{time.perf_counter() - started:8.2f} s   ({len(docx):,} bytes)")
        _timed("HTML", lambda: to_html(data))
        target = directory / "汇总分析.docx"
        target.write_bytes(docx)
        soffice = shutil.which("soffice")
        if soffice is None:
            print("LibreOffice not installed: no PDF")
            return
        _timed("LibreOffice → PDF", lambda: subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation=file://{directory}/lo", "--convert-to", "pdf",
             "--outdir", str(directory), str(target)], check=True, capture_output=True, timeout=600))
        pdf = target.with_suffix(".pdf")
        pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        print(next((line for line in pages.splitlines() if line.startswith("Pages")), "Pages: ?"))
        if args.page1:
            subprocess.run(["pdftoppm", "-png", "-r", str(PAGE_DPI), "-f", "1", "-l", "1", "-singlefile", str(pdf),
                            str(args.page1.with_suffix(""))], check=True)
            print(f"page 1 → {args.page1}")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
