"""Table cells OCR left blank although they hold print → read again, enlarged, or flagged unreadable.

A cell's print (its ink inside the ruling lines, specks left out) is cut out with a margin, enlarged and read again,
grey and then binarised; a lone flat bar is a dash by its shape. What is read is filed under the cell; a cell whose
print stays unread is flagged in its ``at`` (``UNREADABLE``), never left a plain blank.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..document import UNREADABLE
from .chars import Bbox
from .grid import GridBuilder
from .ocr import TEXT_SCORE, Box, box_to_chars, ink_shape, ink_stats, lone_look_alike, recognise
from .pages import Page
from .scanned import is_ideograph

if TYPE_CHECKING:
    from .raster import Pixels
    from .ruling import Scan

CELL_LOOK_ALIKES = {"一": "—"}
"""What a table cell read as this text alone holds: a dash (no table cell holds the ideograph 一 alone)."""
CELL_INSET_PT = 2.0  # a table cell's inside: its box less this much on every side (ruling lines and their blur)
PRINT_INK_PT2 = 3.0  # a blot at least this large (square points) inside a cell OCR left blank is print, not a speck
RETRY_MARGIN = 0.5  # a blank cell's ink is cut out with this share of its height as margin before it is read again
RETRY_SCALES = (2.0, 3.0)  # the ink of a cell OCR left blank is read again enlarged this many times, grey then black
MIN_REREAD_PT = 3.0  # a second reading is taken only from print at least this tall (a digit; not a dash or a smudge)
DASH_MAX_PT = 2.5  # a cell's print that is one bar at most this thick …
DASH_MIN_RATIO = 1.5  # … and at least this many times as long is a dash, …
EM_DASH_MIN_PT = 6.0  # … an em dash (—) when at least this long (one em of a table's type), else a hyphen (-)
_NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?")
_NOTHING = frozenset({"无", "/"})
"""Tokens stating nothing that a second reading may give (dashes are told by their shape, see ``_dash``)."""


def _print_in(scan: Scan, bbox: Bbox, pt_per_px: float) -> Box | None:
    """The box (pixels) around the print inside a table cell (its ruling lines and specks left out); None when the
    cell holds none."""
    inset = CELL_INSET_PT / pt_per_px
    x0, top, x1, bottom = (round(v / pt_per_px + d) for v, d in zip(bbox, (inset, inset, -inset, -inset),
                                                                     strict=True))
    if x1 <= x0 or bottom <= top:
        return None
    stats = ink_stats(scan.text_ink[top:bottom, x0:x1], PRINT_INK_PT2 / pt_per_px**2)
    if not len(stats):
        return None
    left, upper = stats[:, :2].min(axis=0)
    right, lower = (stats[:, :2] + stats[:, 2:4]).max(axis=0)
    return x0 + int(left), top + int(upper), x0 + int(right), top + int(lower)


def _retry_images(pixels: Pixels, box: Box) -> Iterator[Pixels]:
    """The print of a box cut out with a margin and enlarged, grey and then binarised (Otsu), to be read again."""
    import cv2

    x0, top, x1, bottom = box
    margin = max(2, round((bottom - top) * RETRY_MARGIN))
    crop = pixels[max(0, top - margin):bottom + margin, max(0, x0 - margin):x1 + margin]
    for scale in RETRY_SCALES:
        big = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        yield cv2.cvtColor(big, cv2.COLOR_GRAY2BGR)
        _, black = cv2.threshold(big, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        yield cv2.cvtColor(black, cv2.COLOR_GRAY2BGR)


def _dash(ink: Pixels, box: Box, pt_per_px: float) -> str | None:
    """The dash a cell's print is when it is one flat bar (DASH_MAX_PT thick at most, DASH_MIN_RATIO times as long):
    — or -."""
    x0, top, x1, bottom = box
    length, thickness = (x1 - x0) * pt_per_px, (bottom - top) * pt_per_px
    blots = ink_stats(ink[top:bottom, x0:x1], PRINT_INK_PT2 / pt_per_px**2)
    if thickness > DASH_MAX_PT or length < DASH_MIN_RATIO * thickness or len(blots) != 1:
        return None
    return "—" if length >= EM_DASH_MIN_PT else "-"


def _read_again(pixels: Pixels, ink: Pixels, box: Box, pt_per_px: float, path: str) -> str | None:
    """What OCR reads in the print of a box on a second look: a number, a token stating nothing (无, /) or text
    with an ideograph, read with confidence in print at least MIN_REREAD_PT tall; a lone flat bar is a dash;
    None when no attempt reads such a thing."""
    if (box[3] - box[1]) * pt_per_px < MIN_REREAD_PT:
        return _dash(ink, box, pt_per_px)
    shape = ink_shape(ink, box)
    for image in _retry_images(pixels, box):
        [(text, score)] = recognise([image], path)
        text = lone_look_alike(text.strip(), box, shape)
        if score >= TEXT_SCORE and (_NUMBER.fullmatch(text) or text in _NOTHING
                                    or any(map(is_ideograph, text.replace("一", "")))):
            return text
    return None


def reread_blank_cells(scan: Scan, tables: list[GridBuilder], pt_per_px: float, path: str) -> list[Bbox]:
    """Read again every table cell OCR left blank although it holds print, filing what is read under the cell;
    return the boxes (points) of the cells whose print stays unread."""
    unread: list[Bbox] = []
    for table in tables:
        for k, position in table.position.items():
            if position in table.chars:
                continue
            box = _print_in(scan, table.cells[k], pt_per_px)
            if box is None:
                continue
            text = _read_again(scan.pixels, scan.text_ink, box, pt_per_px, path)
            if text is None:
                unread.append(table.cells[k])
                continue
            bbox = (box[0] * pt_per_px, box[1] * pt_per_px, box[2] * pt_per_px, box[3] * pt_per_px)
            for char in box_to_chars(text, bbox):
                table.take(char)
    return unread


def settle_cells(page: Page, unread: list[Bbox]) -> None:
    """Flag in their ``at`` the table cells of a page whose print OCR could not read, and read the cells that
    hold a look-alike alone (CELL_LOOK_ALIKES) as what they hold."""
    boxes = {tuple(round(v, 1) for v in bbox) for bbox in unread}
    for item in page.items:
        for row in getattr(item, "rows", []):
            for cell in row:
                if not cell.text and tuple(cell.at.get("bbox", ())) in boxes:
                    cell.at[UNREADABLE] = True
                cell.text = CELL_LOOK_ALIKES.get(cell.text, cell.text)
