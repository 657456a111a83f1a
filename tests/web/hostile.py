"""Hostile inputs the web tests build themselves: a report PDF drawn on huge pages, a DOCX whose document.xml
inflates to hundreds of megabytes from a small file; and a busy morning on a served app (the load test and
``bench/bench_web_load.py``): one worker parses the DOCX, another draws the huge pages, clients upload, and page
requests are timed."""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nianbao.render import render
from nianbao.render.text import render_text
from nianbao.report import Report
from nianbao.synth import consistent_report

HUGE_POINTS = 14_000
_COLUMN_POINTS = 450
_LINE_POINTS = 14
_MARGIN = 500
_FILLER = b"<w:p><w:r><w:t>" + "\u3000".encode() * 300 + b"</w:t></w:r></w:p>"
_CHUNK = 1 << 20


def huge_page_pdf(report: Report) -> bytes:
    """``report`` as a PDF whose pages are HUGE_POINTS × HUGE_POINTS: its text lines drawn at the top of the
    one page, each tab-separated field in a ruled box (so the PDF reader finds the tables)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(HUGE_POINTS, HUGE_POINTS))
    y = HUGE_POINTS - _MARGIN
    for line in render_text(report).splitlines():
        canvas.setFont("STSong-Light", 10)
        for i, text in enumerate(line.split("\t")):
            x = _MARGIN + _COLUMN_POINTS * i
            canvas.drawString(x, y, text)
            if "\t" in line:
                canvas.rect(x - 5, y - 4, _COLUMN_POINTS, _LINE_POINTS)
        y -= _LINE_POINTS
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def inflated_docx(report: Report, xml_bytes: int) -> bytes:
    """``report`` as DOCX with empty paragraphs added to its document.xml until that holds ``xml_bytes``
    (written in chunks: the whole never sits in memory here; it compresses about 400 to 1)."""
    source = zipfile.ZipFile(io.BytesIO(bytes(render(report, "docx"))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename != "word/document.xml":
                target.writestr(item, data)
                continue
            head, tail = re.split(rb"(?=<w:sectPr)", data, maxsplit=1)
            with target.open("word/document.xml", "w", force_zip64=True) as member:
                member.write(head)
                block = _FILLER * (_CHUNK // len(_FILLER))
                for _ in range(max(0, xml_bytes - len(data)) // len(block)):
                    member.write(block)
                member.write(tail)
    return out.getvalue()


HOSTILE_XML_BYTES = 200 << 20
PAGE_REQUESTS = 50
IMAGES = 40
UPLOADS = 6
DISTINCT_UPLOADS = 3
TIMEOUT_SECONDS = 300


@dataclass
class Morning:
    """What a busy morning saw: each page request (path, status, seconds, when it ended), when the hostile parse
    ended, the statuses of the hostile upload, of the drawn images and of the ordinary uploads."""

    answers: list[tuple[str, int, float, float]] = field(default_factory=list)
    parse_done: float = 0.0
    bomb_status: int = 0
    images: list[int] = field(default_factory=list)
    uploads: list[int] = field(default_factory=list)
    distinct: int = 0


def _report(seed: int, agency: str) -> Report:
    return consistent_report("2021", seed, agency=agency, year=2023)


def _post(base: str, name: str, data: bytes) -> Any:
    import httpx2

    return httpx2.post(f"{base}/api/reports", files={"file": (name, data, "application/octet-stream")},
                       headers={"Origin": base}, timeout=TIMEOUT_SECONDS)


def _timed(base: str, path: str) -> tuple[str, int, float, float]:
    import httpx2

    started = time.monotonic()
    code = httpx2.get(f"{base}{path}", headers={"accept": "text/html"}, timeout=TIMEOUT_SECONDS).status_code
    ended = time.monotonic()
    return path, code, ended - started, ended


def _page_keys(report: dict[str, Any]) -> list[str]:
    tables = report["tables"]
    found = [(f"t4.{k}", c) for k, c in tables["t4"].items()]
    found += [(f"t3.{r}.{k}", c) for r, row in tables["t3"].items() for k, c in row.items()]
    return [key for key, cell in found if cell.get("at", {}).get("page")][:IMAGES]


def busy_morning(db: Path, serving: Callable[[Path], AbstractContextManager[str]]) -> Morning:
    """Serve ``db``; while a worker parses a hostile 200 MB-XML DOCX and another draws the pages of a huge-page PDF
    (and clients upload ordinary reports, some twice), time PAGE_REQUESTS page requests one after another."""
    import httpx2

    bomb = inflated_docx(_report(7, "负载测试炸弹街道办事处"), HOSTILE_XML_BYTES)
    huge = huge_page_pdf(_report(8, "负载测试大页面街道办事处"))
    payloads = [bytes(render(_report(n % DISTINCT_UPLOADS, f"负载测试第{n % DISTINCT_UPLOADS}街道办事处"), "txt"))
                for n in range(UPLOADS)]
    run = Morning(distinct=DISTINCT_UPLOADS + 2)
    with serving(db) as base, ThreadPoolExecutor(4) as pool:
        drawn = _post(base, "huge.pdf", huge).json()
        keys = _page_keys(drawn["report"])
        parsing = pool.submit(_post, base, "bomb.docx", bomb)
        parsing.add_done_callback(lambda _: setattr(run, "parse_done", time.monotonic()))
        drawing = pool.submit(lambda: [httpx2.get(f"{base}/reports/{drawn['id']}/cells/{key}/page.png",
                                                  params={"full": 1}, timeout=TIMEOUT_SECONDS).status_code
                                       for key in keys])
        uploads = [pool.submit(_post, base, f"r{n}.txt", data) for n, data in enumerate(payloads)]
        paths = ["/", f"/reports/{drawn['id']}", "/api/reports", "/upload"]
        run.answers = [_timed(base, paths[n % len(paths)]) for n in range(PAGE_REQUESTS)]
        run.uploads = [u.result(timeout=TIMEOUT_SECONDS).status_code for u in uploads]
        run.bomb_status = parsing.result(timeout=TIMEOUT_SECONDS).status_code
        run.images = drawing.result(timeout=TIMEOUT_SECONDS)
    return run
