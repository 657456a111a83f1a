"""Table cells OCR left blank although they hold print → read again, enlarged, or flagged unreadable.

A cell's print (its ink inside the ruling lines, specks left out) is cut out with a margin, enlarged and read again,
grey and then binarised; a lone flat bar is a dash by its shape. What is read is filed under the cell; a cell whose
print stays unread is flagged in its ``at`` (``UNREADABLE``), never left a plain blank.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from ..document import CUT, READINGS, THIN, UNREADABLE, UNSURE
from ..settings import ScanSettings
from .chars import Bbox
from .grid import GridBuilder
from .ocr import Box, box_to_chars, ink_shape, ink_stats, lone_look_alike, recognise, threads
from .pages import Page
from .scanned import is_ideograph

if TYPE_CHECKING:
    from .confirm import Checked
    from .raster import Pixels
    from .ruling import Scan

CELL_LOOK_ALIKES = {"一": "—"}
"""What a table cell read as this text alone holds: a dash (no table cell holds the ideograph 一 alone)."""
_NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?")
_NOTHING = frozenset({"无", "/"})
"""Tokens stating nothing that a second reading may give (dashes are told by their shape, see ``dash_in``)."""


def print_in(scan: Scan, bbox: Bbox, pt_per_px: float, settings: ScanSettings) -> Box | None:
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


def whole_print(scan: Scan, bbox: Bbox, box: Box, pt_per_px: float, settings: ScanSettings) -> Box:
    """The box (pixels) around the blots of ink that reach into a cell's print box (``print_in``), whole: they may
    cross the edge of the cell's inside, up to ``max_rule_pt`` beyond the cell (a glyph set close to a ruling line)."""
    import cv2
    import numpy as np

    reach = round(settings.max_rule_pt / pt_per_px)
    x0, y0 = (max(0, round(v / pt_per_px) - reach) for v in bbox[:2])
    x1, y1 = (round(v / pt_per_px) + reach for v in bbox[2:])
    _, labels = cv2.connectedComponents(scan.text_ink[y0:y1, x0:x1], connectivity=8)
    blots = np.unique(labels[box[1] - y0:box[3] - y0, box[0] - x0:box[2] - x0])
    ys, xs = np.nonzero(np.isin(labels, blots[blots > 0]))
    return x0 + int(xs.min()), y0 + int(ys.min()), x0 + int(xs.max()) + 1, y0 + int(ys.max()) + 1


def retry_image(pixels: Pixels, box: Box, scale: float, binarised: bool, settings: ScanSettings) -> Pixels:
    """The print of a box cut out with a margin and enlarged ``scale`` times, grey or binarised (Otsu), to be read
    again."""
    import cv2

    x0, top, x1, bottom = box
    margin = max(2, round((bottom - top) * settings.retry_margin))
    crop = pixels[max(0, top - margin):bottom + margin, max(0, x0 - margin):x1 + margin]
    big = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    if binarised:
        _, big = cv2.threshold(big, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return cv2.cvtColor(big, cv2.COLOR_GRAY2BGR)


def dash_in(ink: Pixels, box: Box, pt_per_px: float, settings: ScanSettings) -> str | None:
    """The dash a cell's print is when it is one flat bar (``dash_max_pt`` thick at most, ``dash_min_ratio`` times as
    long): — or -."""
    x0, top, x1, bottom = box
    length, thickness = (x1 - x0) * pt_per_px, (bottom - top) * pt_per_px
    blots = ink_stats(ink[top:bottom, x0:x1], settings.print_ink_pt2 / pt_per_px**2)
    if thickness > settings.dash_max_pt or length < settings.dash_min_ratio * thickness or len(blots) != 1:
        return None
    return "—" if length >= settings.em_dash_min_pt else "-"


def _too_low(box: Box, pt_per_px: float, settings: ScanSettings) -> bool:
    """Whether a print is too low to be read again (``min_reread_pt``): only its shape tells a dash."""
    return (box[3] - box[1]) * pt_per_px < settings.min_reread_pt


def _read_again(pixels: Pixels, ink: Pixels, boxes: list[Box], cut: list[bool], pt_per_px: float, path: str,
                settings: ScanSettings) -> list[str | None]:
    """What OCR reads in the print of each box on a second look: a number, a token stating nothing (无, /) or text
    with an ideograph, read with confidence in print at least ``min_reread_pt`` tall; a lone flat bar is a dash,
    unless the print is ``cut`` by the edge of its cell's inside (it may be what is left of a glyph); None when no
    attempt reads such a thing.

    The attempts go in turns (each of ``retry_scales``, grey then binarised), each turn taking the boxes still
    unread, ``scan.threads`` images at once, each image read alone.
    """
    found: list[str | None] = [None] * len(boxes)
    pending = []
    for i, box in enumerate(boxes):
        if _too_low(box, pt_per_px, settings):
            found[i] = None if cut[i] else dash_in(ink, box, pt_per_px, settings)
        else:
            pending.append(i)
    shapes = {i: ink_shape(ink, boxes[i], settings) for i in pending}
    step = threads(settings)
    for scale, binarised in itertools.product(settings.retry_scales, (False, True)):
        for start in range(0, len(pending), step):
            group = pending[start:start + step]
            images = [retry_image(pixels, boxes[i], scale, binarised, settings) for i in group]
            for i, (raw, score) in zip(group, recognise(images, path, settings, alone=True), strict=True):
                text = lone_look_alike(raw.strip(), boxes[i], shapes[i])
                if score >= settings.text_score and (_NUMBER.fullmatch(text) or text in _NOTHING
                                                     or any(map(is_ideograph, text.replace("一", "")))):
                    found[i] = text
        pending = [i for i in pending if found[i] is None]
    return found


LETTERS_MAX = 2
"""A cell read as this many Latin letters at most, and nothing else, was misread: no cell of a report's tables holds
such a thing, and OCR takes digits for letters (0 for O, 1 for l or I)."""


def _drop_letters(tables: list[GridBuilder]) -> None:
    """Empty the table cells read as a Latin letter or two alone, so that they are read again."""
    for table in tables:
        for position, chars in list(table.chars.items()):
            text = "".join(char.text for char in chars).strip()
            if len(text) <= LETTERS_MAX and text.isascii() and text.isalpha():
                del table.chars[position]


def reread_blank_cells(scan: Scan, tables: list[GridBuilder], pt_per_px: float, path: str, settings: ScanSettings
                       ) -> list[Bbox]:
    """Read again every table cell OCR left blank although it holds print, or read as a Latin letter or two alone
    (``LETTERS_MAX``), filing what is read under the cell; return the boxes (points) of the cells whose print stays
    unread."""
    _drop_letters(tables)
    empty = [(table, k) for table in tables for k, position in table.position.items() if position not in table.chars]
    blanks = [(table, k, box) for table, k in empty if not too_thin(table.cells[k], settings)
              and (box := print_in(scan, table.cells[k], pt_per_px, settings))]
    cut = [_too_low(box, pt_per_px, settings) and whole_print(scan, table.cells[k], box, pt_per_px, settings) != box
           for table, k, box in blanks]  # asked only of the print read by its shape
    texts = _read_again(scan.pixels, scan.text_ink, [box for _, _, box in blanks], cut, pt_per_px, path, settings)
    unread: list[Bbox] = []
    for (table, k, box), text in zip(blanks, texts, strict=True):
        if text is None:
            unread.append(table.cells[k])
            continue
        bbox = (box[0] * pt_per_px, box[1] * pt_per_px, box[2] * pt_per_px, box[3] * pt_per_px)
        for char in box_to_chars(text, bbox, settings):
            table.take(char)
    return unread


def too_thin(bbox: Bbox, settings: ScanSettings) -> bool:
    """Whether a cell's inside is too low to show print that could be read (a sliver between two ruling lines a
    scan drew apart): its being blank is no fact."""
    return bbox[3] - bbox[1] - 2 * settings.cell_inset_pt < settings.min_reread_pt


def settle_cells(page: Page, unread: list[Bbox], checked: Checked, settings: ScanSettings) -> None:
    """Flag in their ``at`` the table cells of a page whose print OCR could not read (``UNREADABLE``: True), whose
    number two readings read differently (``checked.unsure``, by box: ``UNSURE``, with both readings), read as a mark
    whose print runs into a ruling line (``checked.cut``: ``CUT``, with the reading) or that are too thin to tell
    (``THIN``), and read the cells that hold a look-alike alone (CELL_LOOK_ALIKES) as what they hold."""
    boxes = {tuple(round(v, 1) for v in bbox) for bbox in unread}
    for item in page.items:
        for row in getattr(item, "rows", []):
            for cell in row:
                bbox = tuple(cell.at.get("bbox", ()))
                if not cell.text and bbox in boxes:
                    cell.at[UNREADABLE] = True
                elif not cell.text and bbox in checked.unsure:
                    cell.at[UNREADABLE], cell.at[READINGS] = UNSURE, list(checked.unsure[bbox])
                elif not cell.text and bbox in checked.cut:
                    cell.at[UNREADABLE], cell.at[READINGS] = CUT, [checked.cut[bbox]]
                elif not cell.text and len(bbox) == 4 and too_thin(bbox, settings):
                    cell.at[UNREADABLE] = THIN
                cell.text = CELL_LOOK_ALIKES.get(cell.text, cell.text)
