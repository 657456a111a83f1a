"""Scanned page images (PNG, JPEG, TIFF …) → Document, and the OCR of the pages of a PDF or OFD that are scans.

It knows nothing about annual reports and reads no vector PDF or OFD itself: pdf.py and ofd.py decide which of
their pages are scans (``scanned.is_scanned_page``), hand them over as pixels and have them read by
``ocr_scanned_pages``.

How, for each page: ``raster`` gives it in grey at most ``scan.work_dpi``; ``ruling`` turns it straight and finds
its ruling lines; ``ocr`` reads its other ink into characters; ``grid`` builds the tables from the ruling lines and
files the characters into their cells; ``reread`` reads again the cells OCR left blank, ``confirm`` checks what it
read; ``pages`` assembles the page. Every tolerance comes from the ``page`` and ``scan`` groups of the settings.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from ..document import Document
from ..errors import NianbaoError
from ..settings import Settings
from . import ocr
from .chars import Char
from .confirm import check_cells
from .grid import GridBuilder, edges_to_tables
from .pages import Page, chars_to_page, pages_to_blocks
from .raster import decode_image
from .reread import reread_blank_cells, settle_cells
from .ruling import Scan, find_rules
from .sight import Sight, no_page

if TYPE_CHECKING:
    from .raster import Pixels


def _look(pixels: Pixels, pt_per_px: float, path: str, settings: Settings
          ) -> tuple[Scan, list[Char], list[GridBuilder]]:
    """A grey page turned straight with its ruling lines, the characters OCR reads on it, and its tables."""
    height, width = pixels.shape
    scan = find_rules(pixels, pt_per_px, settings.scan)
    chars = ocr.ocr_to_chars(ocr.read_text(scan, pt_per_px, path, settings.scan), pt_per_px, settings.scan)
    box = (0.0, 0.0, width * pt_per_px, height * pt_per_px)
    return scan, chars, edges_to_tables(scan.edges, box, settings.page) if chars else []


def pixels_to_page(pixels: Pixels, number: int, pt_per_px: float, path: str, settings: Settings) -> Page:
    """Given a grey page, its number and points per pixel, return its tables and text lines; a page without ink
    (no grey value at or below ``scan.ink_level``) is empty.

    A table cell OCR leaves blank although it holds print is read again; when that fails too, the cell is
    flagged unreadable in its ``at``, never left a plain blank. A number read in a table cell whose print contradicts
    its reading (a 1 with the bar of a 7) is flagged unsure.
    """
    height, width = pixels.shape
    size = (width * pt_per_px, height * pt_per_px)
    if int(pixels.min()) > settings.scan.ink_level:
        return Page(number, size[1])
    scan, chars, tables = _look(pixels, pt_per_px, path, settings)
    loose = [c for c in chars if not any(t.take(c) for t in tables)]
    unread = reread_blank_cells(scan, tables, pt_per_px, path, settings.scan)
    checked = check_cells(scan, tables, pt_per_px, settings.scan)
    page = chars_to_page(number, size[1], loose, tables, settings.page)
    page.chars = len(chars)
    settle_cells(page, unread, checked, settings.scan)
    return page


def read_pages(pages: Iterable[tuple[int, Pixels, float]], path: str, settings: Settings) -> Iterator[Page]:
    """Given grey pages (number, pixels, points per pixel), yield them read, in order: ``scan.threads`` pages at
    once, a page drawn from ``pages`` only when one of them is done (so a long scan is never in memory whole)."""
    count = ocr.threads(settings.scan)
    with ThreadPoolExecutor(count, "nianbao-page") as pool:
        reading: deque[Future[Page]] = deque()
        for number, pixels, pt_per_px in pages:
            reading.append(pool.submit(pixels_to_page, pixels, number, pt_per_px, path, settings))
            if len(reading) >= count:
                yield reading.popleft().result()
        while reading:
            yield reading.popleft().result()


def see_pixels(pixels: Pixels, pt_per_px: float, number: int, path: str, settings: Settings) -> Sight:
    """A scanned page (grey pixels, points per pixel) as OCR sees it: turned straight, with OCR's character boxes,
    the ruling lines and the table cells found (before blank cells are read again)."""
    ocr.require_ocr(path)
    height, width = pixels.shape
    size = (width * pt_per_px, height * pt_per_px)
    if int(pixels.min()) > settings.scan.ink_level:
        return Sight(number, size, pixels, pt_per_px, [], [], [], True)
    scan, chars, tables = _look(pixels, pt_per_px, path, settings)
    return Sight(number, size, scan.pixels, pt_per_px, chars, scan.edges, [c for t in tables for c in t.cells], True)


def see_page(data: bytes, path: str, number: int, settings: Settings) -> Sight:
    """The page ``number`` (from 1; a TIFF frame) of an image as OCR sees it."""
    ocr.require_ocr(path)
    frames = decode_image(data, path, settings)
    found = next(itertools.islice(frames, number - 1, None), None)
    if found is None:
        raise no_page(path, number, sum(1 for _ in decode_image(data, path, settings)))
    return see_pixels(*found, number, path, settings)


def _no_text(path: str, pages: int, reason: str) -> NianbaoError:
    return NianbaoError(path, "no_text_layer", f"{pages} page(s) but no text: {reason}")


def ocr_scanned_pages(pages: list[Page], scans: list[int], render: Callable[[int], tuple[Pixels, float]],
                      path: str, kind: str, settings: Settings) -> list[int]:
    """Replace ``pages[i]`` for each index in ``scans`` by its OCR reading and return the numbers of those pages.

    ``render(i)`` gives page i as grey pixels with points per pixel. Without the [ocr] extra the scans keep what
    their text layer gave, and a ``kind`` file (PDF, OFD) all of whose pages are scans is refused.
    """
    if not scans:
        return []
    try:
        ocr.require_ocr(path)
    except NianbaoError as exc:
        if len(scans) < len(pages):
            return []
        raise _no_text(path, len(pages), f"a scanned {kind} without a usable text layer; {exc.reason}") from None
    rendered = ((i + 1, *render(i)) for i in scans)
    for i, page in zip(scans, read_pages(rendered, path, settings), strict=True):
        pages[i] = page
    if not any(page.chars for page in pages):
        raise _no_text(path, len(pages), f"a scanned {kind} in which OCR found no text either")
    return [i + 1 for i in scans]


def read(data: bytes, path: str, settings: Settings) -> Document:
    """Read image bytes (one page, or one per TIFF frame) into a Document by OCR."""
    ocr.require_ocr(path)
    frames = ((k + 1, pixels, scale) for k, (pixels, scale) in enumerate(decode_image(data, path, settings)))
    pages = list(read_pages(frames, path, settings))
    if not any(page.chars for page in pages):
        raise NianbaoError(path, "no_text", f"OCR found no text in the image ({len(pages)} page(s))")
    meta = {"pages": len(pages), "ocr_pages": [page.number for page in pages]}
    return Document(pages_to_blocks(pages, settings), path=path, format="image", meta=meta)
