"""A page as its reader saw it → PNG: the characters, ruling lines and table cells found drawn over the page, and the
cells the report placed, framed by the official row they were matched to, so that one can see why a cell was missed.

Draws what ``readers.sight`` and the report give; decides nothing. Colours: characters blue, ruling lines red, table
cells found green, cells placed in the report purple with their row's label.
"""

from __future__ import annotations

import math
from io import BytesIO
from typing import TYPE_CHECKING, Any

from ..report import Report, table_cells
from ..schema import cell_label

if TYPE_CHECKING:
    from PIL import ImageFont

    from ..readers.sight import Sight

CHAR_COLOUR = (37, 99, 235)
RULE_COLOUR = (220, 38, 38)
CELL_COLOUR = (22, 163, 74)
ROW_COLOUR = (147, 51, 234)
PLACED_FILL = (147, 51, 234, 48)
MAX_PIXELS = 4_000_000
"""Pixels the drawing may have at most: a page rendered finer is drawn smaller."""
LABEL_FONT = "NotoSansCJK-Regular.ttc"
LABEL_PT = 6.0
Box = tuple[float, float, float, float]


def placed_rows(report: Report, page: int) -> dict[str, tuple[str, list[Box]]]:
    """The cells the report placed on ``page``, by official row: row key → (the row's printed label, cell boxes)."""
    rows: dict[str, tuple[str, list[Box]]] = {}
    for key, *_, cell in table_cells(report):
        bbox = cell.at.get("bbox")
        if cell.at.get("page") != page or not bbox:
            continue
        row = key.rsplit(".", 1)[0]
        label = cell_label(key).rsplit("·", 1)[0]
        rows.setdefault(row, (label, []))[1].append((bbox[0], bbox[1], bbox[2], bbox[3]))
    return rows


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A CJK font for the row labels, or Pillow's own (which has no Chinese: the labels then show their keys)."""
    from PIL import ImageFont

    try:
        return ImageFont.truetype(LABEL_FONT, size)
    except OSError:
        return ImageFont.load_default()


def sight_png(sight: Sight, report: Report | None = None) -> bytes:
    """The page of ``sight`` as PNG (at the reader's resolution, smaller within MAX_PIXELS) with what the reader
    saw drawn over it, and the cells ``report`` placed on the page framed by their row."""
    from PIL import Image, ImageDraw

    picture = Image.fromarray(sight.pixels).convert("RGB")
    shrink = min(1.0, math.sqrt(MAX_PIXELS / max(picture.width * picture.height, 1)))
    if shrink < 1.0:
        picture = picture.resize((max(1, int(picture.width * shrink)), max(1, int(picture.height * shrink))))
    scale = shrink / sight.pt_per_px

    def px(box: Box) -> tuple[float, float, float, float]:
        return box[0] * scale, box[1] * scale, box[2] * scale, box[3] * scale

    draw = ImageDraw.Draw(picture, "RGBA")
    for char in sight.chars:
        draw.rectangle(px((char.x0, char.top, char.x1, char.bottom)), outline=CHAR_COLOUR)
    for edge in sight.edges:
        x0, top, x1, bottom = (float(edge[k]) for k in ("x0", "top", "x1", "bottom"))  # type: ignore[arg-type]
        draw.line(px((x0, top, x1, bottom)), fill=RULE_COLOUR, width=max(1, round(scale)))
    for cell in sight.cells:
        draw.rectangle(px(cell), outline=CELL_COLOUR, width=max(1, round(scale / 2)))
    if report is not None:
        _draw_rows(draw, placed_rows(report, sight.number), scale, _font(max(8, round(LABEL_PT * scale))))
    out = BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def _draw_rows(draw: Any, rows: dict[str, tuple[str, list[Box]]], scale: float,
               font: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> None:
    """Each placed cell filled, each row's cells framed together, the row's label written left of the frame."""
    from PIL import ImageFont

    chinese = isinstance(font, ImageFont.FreeTypeFont)
    for key, (label, boxes) in rows.items():
        for box in boxes:
            draw.rectangle(tuple(v * scale for v in box), fill=PLACED_FILL)
        x0, top = min(b[0] for b in boxes) * scale, min(b[1] for b in boxes) * scale
        x1, bottom = max(b[2] for b in boxes) * scale, max(b[3] for b in boxes) * scale
        draw.rectangle((x0, top, x1, bottom), outline=ROW_COLOUR, width=max(2, round(scale)))
        text = label if chinese else key
        draw.text((max(0.0, x0 - draw.textlength(text, font=font) - 4), top + 1), text, fill=ROW_COLOUR, font=font)
