"""The readings OCR gave table cells → checked against the cells' print: a lone mark by its shape, a number by a
second reading.

A cell read as one character whose print is one blot is what the blot's shape says when it is a mark: a flat bar
is a dash, a stroke leaning right a slash (OCR reads them as 一, 二, T …). A misread digit makes a wrong number,
worse than a missing one: the print of every cell read as a number is cut out with a margin, enlarged
``confirm_scale`` times, binarised and read again alone, and the number stands only when that second look reads the
same digits. A cell whose two readings differ is emptied and returned with both: the page flags it (``UNREADABLE``:
``UNSURE``) and the extractor leaves it missing with a finding pointing at its place in the image.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from ..settings import ScanSettings
from .chars import Bbox, chars_to_lines, lines_to_text
from .grid import GridBuilder
from .ocr import Box, box_to_chars, ink_shape, ink_stats, recognise
from .reread import dash_in, print_in, retry_image

if TYPE_CHECKING:
    from .ruling import Scan

_NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?")
_SEPARATORS = re.compile(r"[\s,]")

Read = tuple[GridBuilder, tuple[int, int], Bbox, str]
"""A table cell OCR read: its table, position, box (points) and text."""


def _digits(text: str) -> str:
    """A reading as numbers are compared: width-folded, without spaces and thousands separators."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text))


def _read_cells(table: GridBuilder) -> list[Read]:
    """The cells of a table that hold a reading."""
    found = []
    for position, chars in table.chars.items():
        k = table.origin.get(position)
        r, c = position
        bbox = table.cells[k] if k is not None else (table.xs[c], table.ys[r], table.xs[c + 1], table.ys[r + 1])
        found.append((table, position, bbox, lines_to_text(chars_to_lines(chars, table.settings), table.settings)))
    return found


def _mark(scan: Scan, box: Box, pt_per_px: float, settings: ScanSettings) -> str | None:
    """The mark a cell's print is when it is one blot shaped like one: a flat bar (a dash) or a stroke leaning
    right (a slash); None otherwise."""
    dash = dash_in(scan.text_ink, box, pt_per_px, settings)
    if dash is not None:
        return dash
    x0, top, x1, bottom = box
    lone = len(ink_stats(scan.text_ink[top:bottom, x0:x1], settings.print_ink_pt2 / pt_per_px**2)) == 1
    return "/" if lone and ink_shape(scan.text_ink, box, settings) == "slanted" else None


def _settle_marks(scan: Scan, cells: list[Read], pt_per_px: float, settings: ScanSettings) -> list[Read]:
    """Read each cell read as one character whose print is a mark (``_mark``) as that mark; return the others."""
    others = []
    for table, position, bbox, text in cells:
        box = print_in(scan, bbox, pt_per_px, settings) if len(text.strip()) == 1 else None
        mark = _mark(scan, box, pt_per_px, settings) if box is not None else None
        if mark is None or box is None:
            others.append((table, position, bbox, text))
            continue
        x0, top, x1, bottom = box
        table.chars[position] = box_to_chars(mark, (x0 * pt_per_px, top * pt_per_px, x1 * pt_per_px,
                                                    bottom * pt_per_px), settings)
    return others


def check_cells(scan: Scan, tables: list[GridBuilder], pt_per_px: float, path: str, settings: ScanSettings
                ) -> dict[Bbox, tuple[str, str]]:
    """Read each cell read as a lone mark's look-alike as the mark, and read again the print of every cell read as
    a number; empty the cells the second reading does not confirm and return their boxes (points, rounded as
    ``at`` boxes are) with both readings."""
    cells = [cell for table in tables for cell in _read_cells(table)]
    numbers = [cell for cell in _settle_marks(scan, cells, pt_per_px, settings) if _NUMBER.fullmatch(_digits(cell[3]))]
    boxes = [print_in(scan, bbox, pt_per_px, settings) for _, _, bbox, _ in numbers]
    looked = [(cell, box) for cell, box in zip(numbers, boxes, strict=True) if box is not None]
    images = [retry_image(scan.pixels, box, settings.confirm_scale, True, settings) for _, box in looked]
    unsure: dict[Bbox, tuple[str, str]] = {}
    for ((table, position, bbox, text), _), (again, score) in zip(looked, recognise(images, path, settings),
                                                                   strict=True):
        if _digits(again) != _digits(text) or score < settings.text_score:
            del table.chars[position]
            unsure[(round(bbox[0], 1), round(bbox[1], 1), round(bbox[2], 1), round(bbox[3], 1))] = (text, again.strip())
    return unsure
