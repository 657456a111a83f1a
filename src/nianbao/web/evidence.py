"""Cell location (``at``) + stored source file or grid rows → evidence a person can check: the source lines
around a text cell, the neighbourhood of a table cell in an HTML/DOCX grid (from the rows stored at ingest), or
the PDF page (or scanned image) with the cell's box drawn.

Reads what it is given and nothing else (it parses no file); decides nothing about the cell's value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from ..errors import NianbaoError
from ..readers.raster import POINTS_PER_INCH, open_image, stated_dpi
from ..readers.text import decode_text
from ..settings import DEFAULTS

CONTEXT_LINES = 3
CONTEXT_ROWS = 2
PAGE_SCALE = 2.0
BAND_POINTS = 90.0
BAND_SIDE_POINTS = 170.0
BOX_COLOUR = (220, 38, 38)
BOX_WIDTH = 3
BOX_PAD = 2.0
TEXT_FORMATS = ("text", "markdown")
PAGE_FORMATS = ("pdf", "image")
PAGE_MAX_PIXELS = 4_000_000
"""Pixels a page image may have at most (an A4 page at PAGE_SCALE has 2 M): a huge page is drawn smaller."""


def describe_at(at: dict[str, Any]) -> str:
    """Where a cell was found, in words."""
    if not at:
        return "未记录位置"
    if "line" in at:
        cell = f"第 {at['cell'] + 1} 格" if isinstance(at.get("cell"), int) else ""
        return f"第 {at['line']} 行{cell}"
    if "row" in at and "col" in at:
        table = f"第 {at['table'] + 1} 个表格，" if isinstance(at.get("table"), int) else ""
        return f"{table}第 {at['row'] + 1} 行第 {at['col'] + 1} 列"
    if "page" in at:
        box = at.get("bbox")
        where = f"，区域 ({box[0]:g}, {box[1]:g})–({box[2]:g}, {box[3]:g}) 磅" if box else ""
        return f"第 {at['page']} 页{where}"
    if "key" in at:
        return f"取自 {at.get('from', '')} 的 {at['key']}"
    return "，".join(f"{k}={v}" for k, v in at.items())


@dataclass(frozen=True, slots=True)
class Line:
    """One source line: its number (from 1), its text, and whether the cell was found on it."""

    number: int
    text: str
    target: bool


def source_lines(data: bytes, name: str, line: int, context: int = CONTEXT_LINES) -> list[Line]:
    """The lines around ``line`` of a text file, as the text reader numbered them."""
    lines = decode_text(data, name).splitlines()
    first, last = max(1, line - context), min(len(lines), line + context)
    return [Line(n, lines[n - 1], n == line) for n in range(first, last + 1)]


GridRow = list[tuple[str, dict[str, Any]]]
"""One stored row of a table grid: (text, at) per position."""


def table_excerpt(grids: list[list[GridRow]], at: dict[str, Any], context: int = CONTEXT_ROWS
                  ) -> list[list[tuple[str, bool]]] | None:
    """The rows around the cell found at ``at`` in a report's table grids: (text, is the cell) per position."""
    for grid in grids:
        for r, row in enumerate(grid):
            if any(cell_at == at for _, cell_at in row):
                rows = grid[max(0, r - context):r + context + 1]
                return [[(text, cell_at == at) for text, cell_at in cells] for cells in rows]
    return None


def page_png(data: bytes, fmt: str, at: dict[str, Any], band: bool = True,
             max_pixels: int = PAGE_MAX_PIXELS) -> bytes:
    """The page (or the band of it around the cell) holding ``at``, as PNG, the cell's bbox outlined; at most
    ``max_pixels`` pixels are ever drawn, however large the page (the scale shrinks to fit)."""
    from PIL import ImageDraw

    box = at.get("bbox")
    image, scale, (left, top) = _page_image(data, fmt, int(at.get("page", 1)), box if band else None, max_pixels)
    if box:
        x0, y0, x1, y1 = box[0] * scale - left, box[1] * scale - top, box[2] * scale - left, box[3] * scale - top
        pad = BOX_PAD * scale
        ImageDraw.Draw(image).rectangle((x0 - pad, y0 - pad, x1 + pad, y1 + pad), outline=BOX_COLOUR,
                                        width=BOX_WIDTH)
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _band(box: list[float] | None, width: float, height: float) -> tuple[float, float, float, float]:
    """The part of a page (points, top-down: left, top, right, bottom) to draw: the band around ``box``, or all."""
    if not box:
        return 0.0, 0.0, width, height
    return (max(0.0, box[0] - BAND_SIDE_POINTS), max(0.0, box[1] - BAND_POINTS),
            min(width, box[2] + BAND_SIDE_POINTS), min(height, box[3] + BAND_POINTS))


def _fit(scale: float, width: float, height: float, max_pixels: int) -> float:
    """``scale``, shrunk so that a ``width`` × ``height`` area drawn at it has at most ``max_pixels`` pixels."""
    area = max(width, 1.0) * max(height, 1.0)
    return min(scale, math.sqrt(max_pixels / area))


def _page_image(data: bytes, fmt: str, number: int, box: list[float] | None, max_pixels: int
                ) -> tuple[Any, float, tuple[float, float]]:
    """The page, or its band around ``box``, as an RGB Pillow image; its pixels per point; and where the image's
    top-left corner lies on the page, in pixels."""
    if fmt == "pdf":
        return _pdf_page(data, number, box, max_pixels)
    from PIL import ImageOps

    picture = open_image(data, "page", DEFAULTS.reader)
    picture.seek(max(0, min(number - 1, getattr(picture, "n_frames", 1) - 1)))
    scale = stated_dpi(picture, DEFAULTS.scan) / POINTS_PER_INCH
    image = ImageOps.exif_transpose(picture).convert("RGB")
    left, top, right, bottom = (round(v * scale) for v in _band(box, image.width / scale, image.height / scale))
    image = image.crop((left, top, right, bottom))
    shrink = _fit(1.0, image.width, image.height, max_pixels)
    if shrink < 1.0:
        image = image.resize((max(1, int(image.width * shrink)), max(1, int(image.height * shrink))))
    return image, scale * shrink, (left * shrink, top * shrink)


def _pdf_page(data: bytes, number: int, box: list[float] | None, max_pixels: int
              ) -> tuple[Any, float, tuple[float, float]]:
    """The PDF page (or its band) drawn by pdfium at PAGE_SCALE or less, within ``max_pixels``."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        if not 1 <= number <= len(document):
            raise NianbaoError("page", "no_page", f"the file has no page {number}")
        page = document[number - 1]
        width, height = page.get_size()
        left, top, right, bottom = _band(box, width, height)
        scale = _fit(PAGE_SCALE, right - left, bottom - top, max_pixels)
        crop = (left, height - bottom, width - right, top)
        return page.render(scale=scale, crop=crop).to_pil().convert("RGB"), scale, (left * scale, top * scale)
    finally:
        document.close()
