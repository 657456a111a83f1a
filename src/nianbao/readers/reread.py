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
from ..settings import ScanSettings
from .chars import Bbox
from .grid import GridBuilder
from .ocr import Box, box_to_chars, ink_shape, ink_stats, lone_look_alike, recognise
from .pages import Page
from .scanned import is_ideograph

if TYPE_CHECKING:
    from .raster import Pixels
    from .ruling import Scan

CELL_LOOK_ALIKES = {"一": "—"}
"""What a table cell read as this text alone holds: a dash (no table cell holds the ideograph 一 alone)."""
_NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?")
_NOTHING = frozenset({"无", "/"})
"""Tokens stating nothing that a second reading may give (dashes are told by their shape, see ``_dash``)."""


def _print_in(scan: Scan, bbox: Bbox, pt_per_px: float, settings: ScanSettings) -> Box | None:
    """The box (pixels) around the print inside a table cell (its ruling lines and specks left out); None when the
    cell holds none."""
    inset = settings.cell_inset_pt / pt_per_px
    x0, top, x1, bottom = (round(v / pt_per_px + d) for v, d in zip(bbox, (inset, inset, -inset, -inset),
                                                                     strict=True))
    if x1 <= x0 or bottom <= top:
        return None
    stats = ink_stats(scan.text_ink[top:bottom, x0:x1], settings.print_ink_pt2 / pt_per_px**2)
    if not len(stats):
        return None
    left, upper = stats[:, :2].min(axis=0)
    right, lower = (stats[:, :2] + stats[:, 2:4]).max(axis=0)
    return x0 + int(left), top + int(upper), x0 + int(right), top + int(lower)


def _retry_images(pixels: Pixels, box: Box, settings: ScanSettings) -> Iterator[Pixels]:
    """The print of a box cut out with a margin and enlarged, grey and then binarised (Otsu), to be read again."""
    import cv2

    x0, top, x1, bottom = box
    margin = max(2, round((bottom - top) * settings.retry_margin))
    crop = pixels[max(0, top - margin):bottom + margin, max(0, x0 - margin):x1 + margin]
    for scale in settings.retry_scales:
        big = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        yield cv2.cvtColor(big, cv2.COLOR_GRAY2BGR)
        _, black = cv2.threshold(big, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        yield cv2.cvtColor(black, cv2.COLOR_GRAY2BGR)


def _dash(ink: Pixels, box: Box, pt_per_px: float, settings: ScanSettings) -> str | None:
    """The dash a cell's print is when it is one flat bar (``dash_max_pt`` thick at most, ``dash_min_ratio`` times as
    long): — or -."""
    x0, top, x1, bottom = box
    length, thickness = (x1 - x0) * pt_per_px, (bottom - top) * pt_per_px
    blots = ink_stats(ink[top:bottom, x0:x1], settings.print_ink_pt2 / pt_per_px**2)
    if thickness > settings.dash_max_pt or length < settings.dash_min_ratio * thickness or len(blots) != 1:
        return None
    return "—" if length >= settings.em_dash_min_pt else "-"


def _read_again(pixels: Pixels, ink: Pixels, box: Box, pt_per_px: float, path: str, settings: ScanSettings
                ) -> str | None:
    """What OCR reads in the print of a box on a second look: a number, a token stating nothing (无, /) or text
    with an ideograph, read with confidence in print at least ``min_reread_pt`` tall; a lone flat bar is a dash;
    None when no attempt reads such a thing."""
    if (box[3] - box[1]) * pt_per_px < settings.min_reread_pt:
        return _dash(ink, box, pt_per_px, settings)
    shape = ink_shape(ink, box, settings)
    for image in _retry_images(pixels, box, settings):
        [(text, score)] = recognise([image], path, settings)
        text = lone_look_alike(text.strip(), box, shape)
        if score >= settings.text_score and (_NUMBER.fullmatch(text) or text in _NOTHING
                                    or any(map(is_ideograph, text.replace("一", "")))):
            return text
    return None


def reread_blank_cells(scan: Scan, tables: list[GridBuilder], pt_per_px: float, path: str, settings: ScanSettings
                       ) -> list[Bbox]:
    """Read again every table cell OCR left blank although it holds print, filing what is read under the cell;
    return the boxes (points) of the cells whose print stays unread."""
    unread: list[Bbox] = []
    for table in tables:
        for k, position in table.position.items():
            if position in table.chars:
                continue
            box = _print_in(scan, table.cells[k], pt_per_px, settings)
            if box is None:
                continue
            text = _read_again(scan.pixels, scan.text_ink, box, pt_per_px, path, settings)
            if text is None:
                unread.append(table.cells[k])
                continue
            bbox = (box[0] * pt_per_px, box[1] * pt_per_px, box[2] * pt_per_px, box[3] * pt_per_px)
            for char in box_to_chars(text, bbox, settings):
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
