"""Cell location (``at``) + stored source file → evidence a person can check: the source lines around a text
cell, the neighbourhood of a table cell in an HTML/DOCX grid, or the PDF page (or scanned image) with the cell's
box drawn.

Reads the file it is given and nothing else; decides nothing about the cell's value.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Any

from ..document import Table
from ..errors import NianbaoError
from ..readers import read_bytes
from ..readers.image import DEFAULT_DPI, MIN_STATED_DPI, POINTS_PER_INCH
from ..readers.text import decode_text

CONTEXT_LINES = 3
CONTEXT_ROWS = 2
PAGE_SCALE = 2.0
BAND_POINTS = 90.0
BAND_SIDE_POINTS = 170.0
BOX_COLOUR = (220, 38, 38)
BOX_WIDTH = 3
BOX_PAD = 2.0
TEXT_FORMATS = ("text", "markdown")
GRID_FORMATS = ("html", "docx", "doc")
PAGE_FORMATS = ("pdf", "image")


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


def table_excerpt(data: bytes, name: str, at: dict[str, Any], context: int = CONTEXT_ROWS
                  ) -> list[list[tuple[str, bool]]] | None:
    """The rows around the cell found at ``at`` in the file's table grids: (text, is the cell) per position."""
    for block in read_bytes(data, name).blocks:
        if not isinstance(block, Table):
            continue
        for r, row in enumerate(block.rows):
            if any(cell.at == at for cell in row):
                rows = block.rows[max(0, r - context):r + context + 1]
                return [[(cell.text, cell.at == at) for cell in cells] for cells in rows]
    return None


def page_png(data: bytes, fmt: str, at: dict[str, Any], band: bool = True) -> bytes:
    """The page (or the part of it around the cell) holding ``at``, as PNG, the cell's bbox outlined."""
    from PIL import ImageDraw

    page = _page_image(data, fmt, int(at.get("page", 1)))
    image, scale = page
    box = at.get("bbox")
    if box:
        x0, top, x1, bottom = (v * scale for v in box)
        pad = BOX_PAD * scale
        ImageDraw.Draw(image).rectangle((x0 - pad, top - pad, x1 + pad, bottom + pad), outline=BOX_COLOUR,
                                        width=BOX_WIDTH)
        if band:
            high, wide = BAND_POINTS * scale, BAND_SIDE_POINTS * scale
            image = image.crop((max(0, int(x0 - wide)), max(0, int(top - high)), min(image.width, int(x1 + wide)),
                                min(image.height, int(bottom + high))))
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _page_image(data: bytes, fmt: str, number: int) -> tuple[Any, float]:
    """The page as an RGB Pillow image and its pixels per point."""
    if fmt == "pdf":
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(data)
        try:
            if not 1 <= number <= len(document):
                raise NianbaoError("page", "no_page", f"the file has no page {number}")
            return document[number - 1].render(scale=PAGE_SCALE).to_pil().convert("RGB"), PAGE_SCALE
        finally:
            document.close()
    from PIL import Image, ImageOps

    picture = Image.open(BytesIO(data))
    picture.seek(max(0, min(number - 1, getattr(picture, "n_frames", 1) - 1)))
    stated = float(picture.info.get("dpi", (0,))[0] or 0)
    dpi = stated if stated >= MIN_STATED_DPI else DEFAULT_DPI
    return ImageOps.exif_transpose(picture).convert("RGB"), dpi / POINTS_PER_INCH
