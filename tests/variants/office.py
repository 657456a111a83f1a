"""Forms made by office tools from the renderer's DOCX: the DOCX itself, LibreOffice's PDF and its
``pdftotext`` texts (-layout, -raw, plain), LibreOffice's text and HTML exports, and pandoc's plain
text and Markdown (of the DOCX and of the renderer's HTML page).

LibreOffice starts slowly, so its conversions run in batches (one soffice call for many files, with
a private profile) and are cached by the DOCX's digest: the PDF of one report serves every form read
from it. The cache lives under the system temp directory (``NIANBAO_VARIANTS_CACHE`` overrides it).
"""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import replace
from io import BytesIO
from pathlib import Path

from nianbao.render import render_html
from nianbao.render.docx import render_docx
from nianbao.render.layout import TABLE_BORDERS, TABLES
from nianbao.report import Report

from . import batch, form
from .drawing import draw

SOFFICE_TIMEOUT_S = 900
TOOL_TIMEOUT_S = 60
_FILTERS = {"pdf": "pdf:writer_pdf_Export", "txt": "txt:Text (encoded):UTF8", "html": "html:HTML (StarWriter)"}


def cache_dir() -> Path:
    """Where converted files are kept between runs."""
    root = Path(os.environ.get("NIANBAO_VARIANTS_CACHE") or Path(tempfile.gettempdir()) / "nianbao-variants")
    root.mkdir(parents=True, exist_ok=True)
    return root


def docx_of(report: Report) -> bytes:
    """The renderer's DOCX of ``report`` in its drawing (page, widths, wording, merges)."""
    return render_docx(report, draw(report).layout)


def _digest(document: bytes) -> str:
    """The digest of a DOCX's content (its zip also holds save times, which must not matter)."""
    with zipfile.ZipFile(BytesIO(document)) as archive:
        return hashlib.sha256(archive.read("word/document.xml")).hexdigest()


def libreoffice(documents: Sequence[bytes], target: str) -> list[bytes]:
    """Each DOCX converted by LibreOffice to ``target`` (pdf, txt or html), in one soffice run."""
    root = cache_dir()
    digests = [_digest(d) for d in documents]
    todo = {d: doc for d, doc in zip(digests, documents, strict=True) if not (root / f"{d}.{target}").exists()}
    if todo:
        with tempfile.TemporaryDirectory(prefix="convert-", dir=root) as work:  # same file system as root
            inputs = []
            for digest, document in todo.items():
                path = Path(work) / f"{digest}.docx"
                path.write_bytes(document)
                inputs.append(str(path))
            profile, out = Path(work) / "profile", Path(work) / "out"
            subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                            "--convert-to", _FILTERS[target], "--outdir", str(out), *inputs],
                           check=True, capture_output=True, timeout=SOFFICE_TIMEOUT_S)
            for digest in todo:  # whole files only: another run may read the cache meanwhile
                os.replace(out / f"{digest}.{target}", root / f"{digest}.{target}")
    return [(root / f"{d}.{target}").read_bytes() for d in digests]


def _run(command: list[str], data: bytes) -> bytes:
    return subprocess.run(command, input=data, check=True, capture_output=True, timeout=TOOL_TIMEOUT_S).stdout


def _pdftotext(pdf: bytes, *options: str) -> bytes:
    return _run(["pdftotext", *options, "-enc", "UTF-8", "-", "-"], pdf)


BORDER_STYLES = {"frame": ("top", "left", "bottom", "right"), "horizontal": ("top", "bottom", "insideH"),
                 "inner": ("insideH", "insideV"), "none": ()}
"""Table borders agencies draw instead of the full grid: a frame without inner lines, only the horizontal
lines, the inner lines without a frame, no lines at all."""
MIXED_SHARE = 1 / 3
"""The share of files whose tables are drawn each its own way (all lines or one of ``BORDER_STYLES``)."""


@batch("lo-pdf-rules")
def make_ruled_pdfs(jobs: Sequence[tuple[Report, random.Random]]) -> list[bytes]:
    """LibreOffice's PDF of each DOCX, its tables drawn with one of ``BORDER_STYLES`` (drawn at random), or in a
    third of the files each table its own way, some with all their lines."""
    documents = []
    for report, rng in jobs:
        layout = replace(draw(report).layout, table_borders=BORDER_STYLES[rng.choice(sorted(BORDER_STYLES))])
        if rng.random() < MIXED_SHARE:
            styles = [TABLE_BORDERS, *(BORDER_STYLES[name] for name in sorted(BORDER_STYLES))]
            layout = replace(layout, section_borders={number: rng.choice(styles) for number in TABLES})
        documents.append(render_docx(report, layout))
    return libreoffice(documents, "pdf")


@form("lo-pdf-rules", ".pdf", ("soffice",))
def make_ruled_pdf(report: Report, rng: random.Random) -> bytes:
    """A PDF whose tables lack some or all of their ruling lines."""
    return make_ruled_pdfs([(report, rng)])[0]


def pdfs_of(jobs: Sequence[tuple[Report, random.Random]]) -> list[bytes]:
    """LibreOffice's PDF of each report's DOCX (batched and cached)."""
    return libreoffice([docx_of(report) for report, _ in jobs], "pdf")


@form("docx", ".docx")
def make_docx(report: Report, rng: random.Random) -> bytes:
    """The renderer's DOCX."""
    return docx_of(report)


_PDF_FORMS = {"lo-pdf": (".pdf", None), "pdftotext-layout": (".txt", ("-layout",)),
              "pdftotext-raw": (".txt", ("-raw",)), "pdftotext": (".txt", ())}


def _pdf_form(name: str, suffix: str, options: tuple[str, ...] | None) -> None:
    needs = ("soffice",) if options is None else ("soffice", "pdftotext")

    def make_many(jobs: Sequence[tuple[Report, random.Random]]) -> list[bytes]:
        pdfs = pdfs_of(jobs)
        return pdfs if options is None else [_pdftotext(pdf, *options) for pdf in pdfs]

    @form(name, suffix, needs)
    def make(report: Report, rng: random.Random) -> bytes:
        return make_many([(report, rng)])[0]

    batch(name)(make_many)


for _name, (_suffix, _options) in _PDF_FORMS.items():
    _pdf_form(_name, _suffix, _options)


@batch("lo-txt")
def make_lo_texts(jobs: Sequence[tuple[Report, random.Random]]) -> list[bytes]:
    """LibreOffice "save as text" of each DOCX."""
    return libreoffice([docx_of(report) for report, _ in jobs], "txt")


@form("lo-txt", ".txt", ("soffice",))
def make_lo_txt(report: Report, rng: random.Random) -> bytes:
    """LibreOffice "save as text" of the DOCX."""
    return make_lo_texts([(report, rng)])[0]


@batch("lo-html")
def make_lo_htmls(jobs: Sequence[tuple[Report, random.Random]]) -> list[bytes]:
    """LibreOffice's HTML export of each DOCX."""
    return libreoffice([docx_of(report) for report, _ in jobs], "html")


@form("lo-html", ".html", ("soffice",))
def make_lo_html(report: Report, rng: random.Random) -> bytes:
    """LibreOffice's HTML export of the DOCX."""
    return make_lo_htmls([(report, rng)])[0]


@form("pandoc-plain", ".txt", ("pandoc",))
def make_pandoc_plain(report: Report, rng: random.Random) -> bytes:
    """``pandoc -t plain`` of the DOCX (its grid tables drawn in ASCII)."""
    return _run(["pandoc", "-f", "docx", "-t", "plain", "--wrap=none"], docx_of(report))


def _html(report: Report) -> bytes:
    return render_html(report, draw(report).layout).encode("utf-8")


@form("pandoc-plain-html", ".txt", ("pandoc",))
def make_pandoc_plain_html(report: Report, rng: random.Random) -> bytes:
    """``pandoc -t plain`` of the renderer's HTML page."""
    return _run(["pandoc", "-f", "html", "-t", "plain", "--wrap=none"], _html(report))


@form("pandoc-md-html", ".md", ("pandoc",))
def make_pandoc_md_html(report: Report, rng: random.Random) -> bytes:
    """``pandoc -t markdown`` of the renderer's HTML page."""
    return _run(["pandoc", "-f", "html", "-t", "markdown", "--wrap=none"], _html(report))


@form("pandoc-md", ".md", ("pandoc",))
def make_pandoc_md(report: Report, rng: random.Random) -> bytes:
    """``pandoc -t markdown`` of the DOCX."""
    return _run(["pandoc", "-f", "docx", "-t", "markdown", "--wrap=none"], docx_of(report))
