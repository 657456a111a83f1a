"""Corpus PDFs → ms per page of the PDF reader, in total and per stage; prints figures, asserts nothing.

Times are CPU time of this process (one core; a loaded machine does not inflate them).

Stages: open (pdfium document), text (loading each page and its characters), lines (ruling lines from vector paths),
tables (pdfplumber's TableFinder and the grids), assemble (text lines, furniture, stitching).
A generated report of about ``--pages`` pages (default 50: a synthetic report whose narrative is repeated, printed
by LibreOffice from the renderer's DOCX) is timed beside the corpus PDFs when LibreOffice is installed.
Run: .venv/bin/python bench/bench_pdf.py [--runs N] [--pages N] [PDF ...]
"""

from __future__ import annotations

import argparse
import importlib
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from figures import figure

from nianbao.render.docx import render_docx
from nianbao.settings import DEFAULTS
from nianbao.synth import panel, unit_names

_START = time.perf_counter()
reader = importlib.import_module("nianbao.readers.pdf")  # pulls in pdfplumber, pdfminer and pypdfium2
IMPORT_MS = (time.perf_counter() - _START) * 1000
pdfium_c = reader.pdfium_c

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
CORPUS = SHARED / "corpus" / "raw"
FILES = (
    "zxj6827111-blip__KIROGOVCOMPARE/sample_pdfs_v1/hzq2023_working.pdf",
    "zxj6827111-blip__KIROGOVCOMPARE/sample_pdfs_v1/hzq2024_working.pdf",
    "zxj6827111-blip__govnianbao/szfgs2024.pdf",
)
CHARS_PER_PAGE = 1000
"""About how many characters of narrative LibreOffice prints on a page of the renderer's DOCX."""
SOFFICE_TIMEOUT_S = 600
GOAL_MS = 10
"""Issue 17's goal: median ms per page of a PDF with a text layer."""
STAGES = ("open", "text", "lines", "tables", "assemble")
T = TypeVar("T")


def _timed(spent: dict[str, float], stage: str, call: Callable[[], T]) -> T:
    start = time.process_time()
    result = call()
    spent[stage] = spent.get(stage, 0.0) + time.process_time() - start
    return result


def stage_times(data: bytes) -> tuple[int, dict[str, float]]:
    """One read of a PDF split into the reader's stages: (pages, seconds per stage)."""
    spent: dict[str, float] = {}
    page_settings = DEFAULTS.page
    pdf = _timed(spent, "open", lambda: reader._open(data, "bench", page_settings))
    pages = []
    for index in range(len(pdf)):
        page = _timed(spent, "text", lambda i=index: pdf[i])
        frame = reader._Frame(page.get_cropbox(), pdfium_c.FPDFPage_GetRotation(page.raw))
        textpage = _timed(spent, "text", page.get_textpage)
        chars = _timed(spent, "text", lambda tp=textpage, fr=frame: reader.textpage_to_chars(tp, fr, page_settings))
        edges = _timed(spent, "lines", lambda pg=page, fr=frame: reader.page_to_edges(pg, fr, page_settings))
        box = (0.0, 0.0, frame.width, frame.height)
        tables = _timed(spent, "tables", lambda e=edges, b=box: reader.edges_to_tables(e, b, page_settings))
        pages.append(_timed(spent, "assemble", lambda n=index + 1, c=chars, t=tables, h=frame.height:
                            reader.chars_to_page(n, h, c, t, page_settings)))
        textpage.close()
        page.close()
    _timed(spent, "assemble", lambda: reader.pages_to_document(pages, "bench", "pdf", DEFAULTS))
    pdf.close()
    return len(pages), spent


def whole_read(data: bytes) -> float:
    """CPU seconds of one call of the reader's public read()."""
    start = time.process_time()
    reader.read(data, "bench", DEFAULTS)
    return time.process_time() - start


def generated_pdf(pages: int, directory: Path) -> Path | None:
    """A synthetic report whose overview is repeated to fill about ``pages`` pages, printed to PDF by LibreOffice
    from the renderer's DOCX; None when LibreOffice is not installed."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    report = next(panel(unit_names(1, seed=7), (2023,), seed=7))
    overview = report.sections["overview"]
    report.sections["overview"] = "\n".join([overview] * max(1, pages * CHARS_PER_PAGE // len(overview)))
    source = directory / "generated.docx"
    source.write_bytes(render_docx(report))
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{directory}/profile", "--convert-to",
                    "pdf", "--outdir", str(directory), str(source)], check=True, capture_output=True,
                   timeout=SOFFICE_TIMEOUT_S)
    return source.with_suffix(".pdf")


def corpus_files(given: list[Path]) -> list[Path]:
    """The files named on the command line, else the shared corpus PDFs; exits naming any that are missing."""
    paths = given or [CORPUS / name for name in FILES]
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise SystemExit(f"missing: {', '.join(map(str, missing))} (the corpus lives in ../shared)")
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per file; the median is shown")
    parser.add_argument("--pages", type=int, default=50, help="pages of the generated report (0: none)")
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    paths = corpus_files(args.files)
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-pdf-") as directory:
        generated = generated_pdf(args.pages, Path(directory)) if args.pages else None
        if args.pages and generated is None:
            print("LibreOffice not installed: no generated report")
        bench(paths + ([generated] if generated else []), args.runs)


def bench(paths: list[Path], runs: int) -> None:
    """Print each PDF's ms per page, in total and per stage, and the median over the PDFs."""
    whole_read(paths[0].read_bytes())  # warm-up: pdfium initialisation
    print(f"python {platform.python_version()} on {platform.machine()}, median of {runs} runs; "
          f"importing the reader took {IMPORT_MS:.0f} ms (once per process, not counted below)")
    print(f"{'file':<28} {'pages':>5} {'ms/page':>8}  " + " ".join(f"{s:>8}" for s in STAGES) + "  slowest")
    per_page = []
    for path in paths:
        data = path.read_bytes()
        total = statistics.median(whole_read(data) for _ in range(runs))
        timed = [stage_times(data) for _ in range(runs)]
        n_pages = timed[0][0]
        stages = {s: statistics.median(r[1].get(s, 0.0) for r in timed) * 1000 / n_pages for s in STAGES}
        slowest = max(stages, key=stages.__getitem__)
        print(f"{path.name:<28} {n_pages:>5} {total * 1000 / n_pages:>8.1f}  "
              + " ".join(f"{stages[s]:>8.1f}" for s in STAGES) + f"  {slowest}")
        per_page.append(total * 1000 / n_pages)
    figure("PDF with a text layer, per page", statistics.median(per_page), "ms", GOAL_MS,
           f"CPU, median over {len(paths)} PDFs of the median of {runs} reads")


if __name__ == "__main__":
    main()
