"""The readings OCR gave table cells → checked against the cells' print: a lone mark by its shape, a number's 1s
and 7s by theirs.

A cell read as one character whose print is one blot is what the blot's shape says when it is a mark: a flat bar
is a dash; a letter read where the print is a stroke leaning right is a slash (OCR reads them as 一, 二, T …). A
misread digit makes a wrong number, worse than a missing one, and the digit OCR misreads most is a 7 read as 1 (a
thin bar) or the other way: where the print of a cell read as a number parts into one blot per character read,
each 1 must be shaped like a 1 and each 7 like a 7 (``ocr.is_seven``: a bar across its top overhanging its foot).
A cell whose reading its print contradicts is emptied and returned with the reading and what its print shows: the
page flags it (``UNREADABLE``: ``UNSURE``) and the extractor leaves it missing with a finding pointing at its place
in the image. So is a cell read as a mark from a print the edge of the cell's inside cuts, whose whole
shape is no such mark (``CUT``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import TYPE_CHECKING, NamedTuple

from ..settings import ScanSettings
from ..values import is_blank, squash
from .chars import Bbox, Char, chars_to_lines, lines_to_text
from .grid import GridBuilder
from .ocr import Box, box_to_chars, ink_shape, ink_stats, is_seven
from .reread import dash_in, print_in, whole_print
from .scanned import is_ideograph

if TYPE_CHECKING:
    from .ruling import Scan

_NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?")

Read = tuple[GridBuilder, tuple[int, int], Bbox, str]
"""A table cell OCR read: its table, position, box (points) and text."""


def _read_cells(table: GridBuilder) -> list[Read]:
    """The cells of a table that hold a reading."""
    found = []
    for position, chars in table.chars.items():
        k = table.origin.get(position)
        r, c = position
        bbox = table.cells[k] if k is not None else (table.xs[c], table.ys[r], table.xs[c + 1], table.ys[r + 1])
        found.append((table, position, bbox, lines_to_text(chars_to_lines(chars, table.settings), table.settings)))
    return found


def _read_box(chars: list[Char], pt_per_px: float) -> Box:
    """The box (pixels) around the characters read in a cell: the print OCR read."""
    return (math.floor(min(c.x0 for c in chars) / pt_per_px), math.floor(min(c.top for c in chars) / pt_per_px),
            math.ceil(max(c.x1 for c in chars) / pt_per_px), math.ceil(max(c.bottom for c in chars) / pt_per_px))


def _mark(scan: Scan, box: Box, text: str, pt_per_px: float, settings: ScanSettings) -> str | None:
    """The mark a cell's print is when it is one blot shaped like one and was read as no digit: a flat bar (a dash),
    or a stroke leaning right (a slash) read as a character that is no ideograph; None otherwise."""
    if text.isdigit():
        return None  # a digit read stays a digit (its 1s and 7s are checked by shape): a mark would make it blank
    dash = dash_in(scan.text_ink, box, pt_per_px, settings)
    if dash is not None or is_ideograph(text):
        return dash
    x0, top, x1, bottom = box
    lone = len(ink_stats(scan.text_ink[top:bottom, x0:x1], settings.print_ink_pt2 / pt_per_px**2)) == 1
    return "/" if lone and ink_shape(scan.text_ink, box, settings) == "slanted" else None


def _settle_marks(scan: Scan, cells: list[Read], pt_per_px: float, settings: ScanSettings
                  ) -> tuple[list[Read], list[Read]]:
    """Read each cell read as one character whose print is a mark (``_mark``) as that mark; return those cells, with
    the mark, and the others."""
    settled, others = [], []
    for table, position, bbox, text in cells:
        box = print_in(scan, bbox, pt_per_px, settings) if len(text.strip()) == 1 else None
        mark = _mark(scan, box, text.strip(), pt_per_px, settings) if box is not None else None
        if mark is None or box is None:
            others.append((table, position, bbox, text))
            continue
        x0, top, x1, bottom = box
        table.chars[position] = box_to_chars(mark, (x0 * pt_per_px, top * pt_per_px, x1 * pt_per_px,
                                                    bottom * pt_per_px), settings)
        settled.append((table, position, bbox, mark))
    return settled, others


def _as_printed(scan: Scan, chars: list[Char], read: str, pt_per_px: float, settings: ScanSettings) -> str:
    """A number's reading (``read``, width-folded, without spaces) with each 1 or 7 as the shape of its blot shows it
    (``ocr.is_seven``), where the print in the box read parts into one blot per character read; else
    the reading as it is."""
    x0, top, x1, bottom = _read_box(chars, pt_per_px)
    blots = ink_stats(scan.text_ink[top:bottom, x0:x1], settings.min_ink_pt2 / pt_per_px**2)
    if len(blots) != len(read):
        return read
    shown = []
    for ch, (left, upper, width, height, _) in zip(read, sorted(blots.tolist()), strict=True):
        box = (x0 + left, top + upper, x0 + left + width, top + upper + height)
        shown.append(("7" if is_seven(scan.text_ink, box, settings) else "1") if ch in "17" else ch)
    return "".join(shown)


class Checked(NamedTuple):
    """The cells ``check_cells`` emptied, by box (points, rounded as ``at`` boxes are): a number whose print
    contradicts it (the reading and what the print shows), and a mark whose print runs into a ruling line (the
    reading)."""

    unsure: dict[Bbox, tuple[str, str]]
    cut: dict[Bbox, str]


def _rounded(bbox: Bbox) -> Bbox:
    return (round(bbox[0], 1), round(bbox[1], 1), round(bbox[2], 1), round(bbox[3], 1))


def _cut_marks(scan: Scan, cells: list[Read], pt_per_px: float, settings: ScanSettings) -> dict[Bbox, str]:
    """Empty each cell read as a lone mark of nothing (a dash, a slash: no 无) whose print is cut by the edge of the
    cell's inside and whose whole print is no such mark by its shape (``_mark``: the bar of a 7 set close to the
    ruling line above, cut off, leaves a slash); return their boxes with the reading."""
    cut = {}
    for table, position, bbox, text in cells:
        mark = text.strip()
        if not mark or not is_blank(mark) or is_ideograph(mark):
            continue
        box = print_in(scan, bbox, pt_per_px, settings)
        whole = whole_print(scan, bbox, box, pt_per_px, settings) if box is not None else None
        if whole is not None and whole != box and _mark(scan, whole, mark, pt_per_px, settings) is None:
            del table.chars[position]
            cut[_rounded(bbox)] = mark
    return cut


def check_cells(scan: Scan, tables: list[GridBuilder], pt_per_px: float, settings: ScanSettings) -> Checked:
    """Read each cell read as a lone mark's look-alike as the mark, and check the 1s and 7s of every cell read as a
    number against their print, and each mark against its whole print; empty the cells their print contradicts."""
    cells = [cell for table in tables for cell in _read_cells(table)]
    unsure: dict[Bbox, tuple[str, str]] = {}
    settled, others = _settle_marks(scan, cells, pt_per_px, settings)
    cut = _cut_marks(scan, [*settled, *others], pt_per_px, settings)
    for table, position, bbox, text in others:
        if position not in table.chars:
            continue
        read = squash(unicodedata.normalize("NFKC", text))
        if not (_NUMBER.fullmatch(read.replace(",", "")) and ("1" in read or "7" in read)):
            continue
        shown = _as_printed(scan, table.chars[position], read, pt_per_px, settings)
        if shown != read:
            del table.chars[position]
            unsure[_rounded(bbox)] = (text, shown)
    return Checked(unsure, cut)
