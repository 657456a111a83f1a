"""Corpus PDFs → OFD ms/page and OCR s/page, per stage, with agreement against the PDF; prints figures, asserts nothing.

OFD: each corpus PDF page's characters and ruling lines (as the PDF reader finds them) are written out as an OFD
page (a TextObject with DeltaX per text line, a PathObject per ruling line), and the OFD reader reads the package.
Stages: parse (unzip and XML), objects (text and path objects to chars and edges), tables (TableFinder and grids),
assemble (text lines, furniture, stitching).
OCR: the first pages of each corpus PDF are rendered at the PDF reader's RENDER_DPI, as a scanner would, and read
as the PDF reader reads scanned pages (several at once, blank cells read again): seconds per page, wall on all cores
and CPU. The same pages are then read again one at a time, split into stages: render, rules (OpenCV ruling lines
and deskew), det (rapidocr's detector at DET_DPI), crop (boxes fitted to their ink, line images cut out and
narrowed), rec (rapidocr's recognizer), split (chars from boxes), grid (tables, text lines); each as wall/cpu
seconds per page, "cpu" being the process's CPU time, all threads. "load" is the 1-minute load average after the
file: other processes slow every wall figure down.
"agree" counts the table cells (OFD), or the table cells and the numeric ones among them (OCR), equal to those read
from the PDF's text layer.
Run: .venv/bin/python bench/bench_formats.py [--runs N] [--ocr-pages N] [--skip-ocr] [PDF ...]
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import re
import statistics
import time
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import TypeVar
from xml.sax.saxutils import escape

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from bench_pdf import _timed, corpus_files  # the PDF bench's corpus list and stage timer
from figures import figure

from nianbao.document import Document, Table
from nianbao.readers import image, ocr, ofd, pdf
from nianbao.readers.chars import Char, chars_to_lines
from nianbao.readers.edges import Edge
from nianbao.readers.grid import edges_to_tables
from nianbao.readers.pages import Page, chars_to_page, geometry_to_page, pages_to_blocks
from nianbao.readers.raster import POINTS_PER_INCH
from nianbao.readers.ruling import find_rules
from nianbao.settings import DEFAULTS

PAGE, SCAN = DEFAULTS.page, DEFAULTS.scan

OFD_STAGES = ("parse", "objects", "tables", "assemble")
OCR_GOAL_S = 1.0
"""Issue 17's goal: seconds per scanned page on the two cores."""
OCR_STAGES = ("render", "rules", "det", "crop", "rec", "split", "grid")
NS = "http://www.ofdspec.org/2016"
NUMBER = re.compile(r"[-+]?\d[\d,.]*%?")
T = TypeVar("T")

def _cells(document: Document) -> list[str]:
    """Every table cell's text, NFKC and without spaces, in reading order."""
    return [unicodedata.normalize("NFKC", cell.text).replace(" ", "")
            for block in document.blocks if isinstance(block, Table) for row in block.rows for cell in row]


def _agree(ours: list[str], truth: list[str]) -> tuple[int, int]:
    """How many of the truth's cells (as a multiset) are found among ours."""
    return sum((Counter(truth) & Counter(ours)).values()), len(truth)


# --- OFD -----------------------------------------------------------------------------------------


def _mm(value: float) -> str:
    return f"{value / ofd.PT_PER_MM:.3f}"


def _text_object(line: list[Char]) -> str:
    size = statistics.median(c.height for c in line) / (PAGE.ofd_ascent + PAGE.ofd_descent)
    deltas = " ".join(_mm(b.x0 - a.x0) for a, b in pairwise(line))
    return (f'<ofd:TextObject ID="0" Boundary="0 0 1000 1000" Font="1" Size="{_mm(size)}">'
            f'<ofd:TextCode X="{_mm(line[0].x0)}" Y="{_mm(line[0].base)}" DeltaX="{deltas}">'
            f'{escape("".join(c.text for c in line))}</ofd:TextCode></ofd:TextObject>')


def _path_object(edge: Edge) -> str:
    x0, top, x1, bottom = (float(edge[k]) for k in ("x0", "top", "x1", "bottom"))
    return (f'<ofd:PathObject ID="0" Boundary="0 0 1000 1000" LineWidth="0.25">'
            f'<ofd:AbbreviatedData>M {_mm(x0)} {_mm(top)} L {_mm(x1)} {_mm(bottom)}</ofd:AbbreviatedData>'
            f'</ofd:PathObject>')


def pdf_to_ofd(data: bytes) -> bytes:
    """An OFD package holding what the PDF reader sees on each page of a PDF: its text lines and ruling lines."""
    document = pdfium.PdfDocument(data)
    pages = []
    for index in range(len(document)):
        page = document[index]
        frame = pdf._Frame(page.get_cropbox(), pdfium_c.FPDFPage_GetRotation(page.raw))
        textpage = page.get_textpage()
        lines = chars_to_lines(pdf.textpage_to_chars(textpage, frame, PAGE), PAGE)
        edges = pdf.page_to_edges(page, frame, PAGE)
        drawn = [_text_object(line) for line in lines] + [_path_object(e) for e in edges]
        pages.append((f"0 0 {_mm(frame.width)} {_mm(frame.height)}", "".join(drawn)))
        textpage.close()
        page.close()
    document.close()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("OFD.xml", f'<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody>'
                                    f'<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        entries = "".join(f'<ofd:Page ID="{k + 1}" BaseLoc="Pages/Page_{k}/Content.xml"/>' for k in range(len(pages)))
        package.writestr("Doc_0/Document.xml", f'<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData><ofd:PageArea>'
                                               f'<ofd:PhysicalBox>{pages[0][0]}</ofd:PhysicalBox></ofd:PageArea>'
                                               f'</ofd:CommonData><ofd:Pages>{entries}</ofd:Pages></ofd:Document>')
        for k, (box, objects) in enumerate(pages):
            package.writestr(f"Doc_0/Pages/Page_{k}/Content.xml",
                             f'<ofd:Page xmlns:ofd="{NS}"><ofd:Area><ofd:PhysicalBox>{box}</ofd:PhysicalBox>'
                             f'</ofd:Area><ofd:Content><ofd:Layer ID="0">{objects}</ofd:Layer></ofd:Content>'
                             f'</ofd:Page>')
    return out.getvalue()


def ofd_stage_times(data: bytes) -> tuple[int, dict[str, float]]:
    """One read of an OFD split into the reader's stages: (pages, seconds per stage)."""
    spent: dict[str, float] = {}
    package = _timed(spent, "parse", lambda: ofd.Package(data, "bench", DEFAULTS.reader))
    location = _timed(spent, "parse", lambda: ofd.document_location(package))
    document = _timed(spent, "parse", lambda: package.xml(location))
    known = ofd.templates(package, document, location)
    default = ofd.default_box(document)
    pages = []
    for number, part in enumerate(ofd.page_locations(package, document, location), start=1):
        page = _timed(spent, "parse", lambda p=part: package.xml(p))
        sheet = _timed(spent, "objects", lambda pg=page, p=part: ofd.page_to_sheet(pg, p, known, default, PAGE))
        chars, edges, (width, height) = sheet.chars, sheet.edges, sheet.size
        box = (0.0, 0.0, width, height)
        tables = _timed(spent, "tables", lambda e=edges, b=box, c=chars: edges_to_tables(e, b, PAGE) if c else [])
        pages.append(_timed(spent, "assemble",
                            lambda n=number, c=chars, t=tables, h=height: chars_to_page(n, h, c, t, PAGE)))
    _timed(spent, "assemble", lambda: pages_to_blocks(pages, DEFAULTS))
    return len(pages), spent


def bench_ofd(paths: list[Path], runs: int) -> None:
    print(f"\nOFD (written from each PDF's text and ruling lines), median of {runs} runs")
    print(f"{'file':<28} {'pages':>5} {'ms/page':>8}  " + " ".join(f"{s:>8}" for s in OFD_STAGES)
          + "  slowest   agree")
    for path in paths:
        data = pdf_to_ofd(path.read_bytes())
        truth = _cells(pdf.read(path.read_bytes(), str(path), DEFAULTS))
        ours = _cells(ofd.read(data, str(path), DEFAULTS))
        totals = []
        for _ in range(runs):
            start = time.perf_counter()
            ofd.read(data, "bench", DEFAULTS)
            totals.append(time.perf_counter() - start)
        timings = [ofd_stage_times(data) for _ in range(runs)]
        n_pages = timings[0][0]
        stages = {s: statistics.median(t[1].get(s, 0.0) for t in timings) * 1000 / n_pages for s in OFD_STAGES}
        slowest = max(stages, key=stages.__getitem__)
        found, total = _agree(ours, truth)
        print(f"{path.name:<28} {n_pages:>5} {statistics.median(totals) * 1000 / n_pages:>8.1f}  "
              + " ".join(f"{stages[s]:>8.1f}" for s in OFD_STAGES) + f"  {slowest:<8} {found}/{total} cells")


# --- OCR -----------------------------------------------------------------------------------------


def _stage(spent: dict[str, list[float]], stage: str, call: Callable[[], T]) -> T:
    """Call and add its wall and CPU (process, all threads) seconds to ``spent[stage]``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    total = spent.setdefault(stage, [0.0, 0.0])
    total[0] += time.perf_counter() - wall
    total[1] += time.process_time() - cpu
    return result


def ocr_page(document: pdfium.PdfDocument, index: int, spent: dict[str, list[float]]) -> Page:
    """One corpus page rendered and read by the scan reader, each stage's wall and CPU seconds added to ``spent``."""
    pixels = _stage(spent, "render", lambda: pdf.render_page(document, index, DEFAULTS))
    scale = POINTS_PER_INCH / SCAN.render_dpi
    scan = _stage(spent, "rules", lambda: find_rules(pixels, scale, SCAN))
    corners = _stage(spent, "det", lambda: ocr.detect(scan, scale, "bench", SCAN))
    boxes, lines = _stage(spent, "crop", lambda: ocr.line_images(scan, corners, scale, SCAN))
    read = _stage(spent, "rec", lambda: ocr.recognise(lines, "bench", SCAN))
    chars = _stage(spent, "split", lambda: ocr.ocr_to_chars(ocr.text_boxes(boxes, read, SCAN), scale, SCAN))
    height, width = pixels.shape
    return _stage(spent, "grid", lambda: geometry_to_page(
        index + 1, (width * scale, height * scale), chars, scan.edges, PAGE))


def read_scans(document: pdfium.PdfDocument, count: int) -> list[Page]:
    """The first ``count`` pages of a PDF read as the PDF reader reads scanned pages: rendered, then read by OCR
    ``scan.threads`` pages at once (blank cells read again)."""
    pages = [Page(index + 1, 0.0) for index in range(count)]
    image.ocr_scanned_pages(pages, list(range(count)), lambda i: pdf.render_scan(document, i, DEFAULTS), "bench",
                            "PDF", DEFAULTS)
    return pages


def bench_ocr(paths: list[Path], max_pages: int | None) -> None:
    print(f"\nOCR (each page rendered at {SCAN.render_dpi} dpi, detected at {SCAN.det_dpi} dpi, "
          f"{ocr.threads(SCAN)} threads), seconds per page as wall/cpu; settings: {ocr.OCR_SETTINGS}")
    print("s/page and cpu s: the pages read as the PDF reader reads them; stages: the same pages again, one at a time")
    first = pdfium.PdfDocument(paths[0].read_bytes())
    read_scans(first, 1)  # loads the models
    first.close()
    print(f"{'file':<28} {'pages':>5} {'s/page':>7} {'cpu s':>6}  " + " ".join(f"{s:>9}" for s in OCR_STAGES)
          + "  load  agree")
    per_page = []
    for path in paths:
        document = pdfium.PdfDocument(path.read_bytes())
        count = min(len(document), max_pages or len(document))
        text_layer = Document(pages_to_blocks([pdf.inspect_page(document, index, DEFAULTS)[0]
                                               for index in range(count)], DEFAULTS))
        start, cpu = time.perf_counter(), time.process_time()
        pages = read_scans(document, count)
        total, cpu = time.perf_counter() - start, time.process_time() - cpu
        spent: dict[str, list[float]] = {}
        for index in range(count):
            ocr_page(document, index, spent)
        document.close()
        truth, ours = _cells(text_layer), _cells(Document(pages_to_blocks(pages, DEFAULTS)))
        found, expected = _agree(ours, truth)
        numbers = _agree([c for c in ours if NUMBER.fullmatch(c)], [c for c in truth if NUMBER.fullmatch(c)])
        stages = {s: spent.get(s, [0.0, 0.0]) for s in OCR_STAGES}
        print(f"{path.name:<28} {count:>5} {total / count:>7.2f} {cpu / count:>6.2f}  "
              + " ".join(f"{w / count:>4.2f}/{c / count:<4.2f}" for w, c in stages.values())
              + f"  {os.getloadavg()[0]:>4.1f}  {found}/{expected} cells, {numbers[0]}/{numbers[1]} numbers")
        per_page.append((total / count, cpu / count))
    figure("scan (OCR) per page", statistics.median(w for w, _ in per_page), "s", OCR_GOAL_S,
           f"wall on all cores, median over {len(paths)} PDFs rendered as scans and read as the PDF reader reads "
           f"them; CPU {statistics.median(c for _, c in per_page):.2f} s, load average {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="OFD runs per file; the median is shown")
    parser.add_argument("--ocr-pages", type=int, default=None, help="OCR at most this many pages per file")
    parser.add_argument("--skip-ocr", action="store_true", help="only the OFD figures")
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    paths = corpus_files(args.files)
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at the start (other processes slow every figure down)")
    bench_ofd(paths, args.runs)
    if not args.skip_ocr:
        ocr.require_ocr("bench")
        bench_ocr(paths, args.ocr_pages)


if __name__ == "__main__":
    main()
