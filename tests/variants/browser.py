"""Browser forms: a report's web page saved as PDF by a browser's print (headless Chromium), as a user keeps a
page a portal publishes. The paper size and margins are drawn at random, so that page breaks fall inside the
tables at random rows and narrow pages wrap labels and headers; some pages' stylesheets drop the tables'
borders, or all but the horizontal ones (tables whose spans agree between rows); the page's chrome
(navigation, the field table of 索引号 / 发布机构 / 名称, links, footer) is printed with it.

Printed files are kept in the variants cache (``office.cache_dir``) under the digest of the page printed.
"""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import tempfile
from pathlib import Path

from nianbao.report import Report

from . import form
from .office import cache_dir
from .portal import portal_page, portal_spans

CHROMIUM_TIMEOUT_S = 120
PAPERS_MM = ((210, 297), (176, 250), (148, 210), (297, 210), (216, 279))
"""A4, B5, A5, A4 landscape, US letter."""


TABLE_STYLES = ("", "", "table, td { border: none !important; }",
                "td { border-left: none !important; border-right: none !important; }")
"""The page's own table borders, none (a page whose stylesheet drops them) or only the horizontal ones."""


def _style(rng: random.Random, spans: bool) -> bytes:
    """The page's paper and, for tables whose spans agree between rows, its table borders: where spans disagree,
    values sit between the columns of the rows around them, which only the cells' borders tell apart."""
    width, height = rng.choice(PAPERS_MM)
    margin = rng.choice((5, 10, 15, 20))
    borders = "" if spans else rng.choice(TABLE_STYLES)
    return f"<style>@page {{ size: {width}mm {height}mm; margin: {margin}mm; }} {borders}</style>".encode()


def print_pdf(page: bytes) -> bytes:
    """The page as Chromium prints it to PDF (no header or footer of the browser's own)."""
    digest = hashlib.sha256(page).hexdigest()
    kept = cache_dir() / f"{digest}.browser.pdf"
    if not kept.exists():
        with tempfile.TemporaryDirectory(prefix="print-", dir=cache_dir()) as work:
            source, out = Path(work) / "page.html", Path(work) / "page.pdf"
            source.write_bytes(page)
            subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                            f"--user-data-dir={work}/profile", f"--print-to-pdf={out}", source.as_uri()],
                           check=True, capture_output=True, timeout=CHROMIUM_TIMEOUT_S)
            os.replace(out, kept)  # whole files only: another run may read the cache meanwhile
    return kept.read_bytes()


@form("browser-pdf", ".pdf", ("chromium",), sample=2)
def browser_pdf(report: Report, rng: random.Random) -> bytes:
    """A portal page (its tables with or without editors' spans, with all, some or none of their borders) printed
    to PDF on a random paper size."""
    spans = rng.random() < 0.5
    page = (portal_spans if spans else portal_page)(report, rng)
    return print_pdf(page.replace(b"</head>", _style(rng, spans) + b"</head>", 1))
