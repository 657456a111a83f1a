"""Which pages of a PDF or OFD are scans: a page is one when it has no text, or when pictures cover most of it and
its text layer holds too few distinct CJK ideographs to be a report page (a page number, a watermark, a scanner
app's caption, an invisible OCR layer of Latin garbage); a page of real text keeps the fast text path. A PDF page
whose text layer is garbage (glyphs of a font embedded without a Unicode mapping) is read from its print too.

Decides only; the PDF and OFD readers render the scans and ``image`` reads them by OCR.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Iterable

from ..settings import ScanSettings
from .chars import Bbox, Char
from .raster import Matrix

CJK_IDEOGRAPHS = (("\u3400", "\u4dbf"), ("\u4e00", "\u9fff"), ("\uf900", "\ufaff"))
UNIT_SQUARE = ((0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0))  # a placed picture's own space
_UNMAPPED_CATEGORIES = ("Cc", "Co", "Cs")
"""Unicode categories text extraction gives a glyph without a mapping: control, private use, lone surrogate."""


def picture_box(matrix: Matrix) -> Bbox:
    """Given the matrix that maps a picture's unit square to the page, return the box the picture covers."""
    a, b, c, d, e, f = matrix
    xs = [a * x + c * y + e for x, y in UNIT_SQUARE]
    ys = [b * x + d * y + f for x, y in UNIT_SQUARE]
    return min(xs), min(ys), max(xs), max(ys)


def covered_share(boxes: Iterable[Bbox], size: tuple[float, float]) -> float:
    """Given boxes and the page's (width, height), return the share of the page their union covers."""
    width, height = size
    clipped = [(max(x0, 0.0), max(top, 0.0), min(x1, width), min(bottom, height)) for x0, top, x1, bottom in boxes]
    clipped = [box for box in clipped if box[0] < box[2] and box[1] < box[3]]
    if width <= 0 or height <= 0 or not clipped:
        return 0.0
    covered = 0.0
    for left, right in itertools.pairwise(sorted({x for box in clipped for x in (box[0], box[2])})):
        spans = sorted((box[1], box[3]) for box in clipped if box[0] <= left and right <= box[2])
        covered += (right - left) * _spans_length(spans)
    return covered / (width * height)


def _spans_length(spans: list[tuple[float, float]]) -> float:
    """The length of the union of sorted (start, end) spans."""
    total, reach = 0.0, -math.inf
    for start, end in spans:
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


def is_ideograph(text: str) -> bool:
    """True for a CJK ideograph."""
    return any(low <= text <= high for low, high in CJK_IDEOGRAPHS)


def is_unmapped(text: str) -> bool:
    """True for a glyph its font maps to no character: PDF text extraction gives a control character, a
    private-use one or the replacement character for it."""
    return unicodedata.category(text) in _UNMAPPED_CATEGORIES or text == "\ufffd"


def has_unmapped_text(chars: list[Char], settings: ScanSettings) -> bool:
    """Whether at least ``max_unmapped_share`` of the chars are glyphs without a Unicode mapping: a font embedded
    without one (a PDF printer's) prints the page right but its text layer is garbage, digits included."""
    unmapped = sum(1 for char in chars if is_unmapped(char.text))
    return bool(chars) and unmapped >= settings.max_unmapped_share * len(chars)


def is_scanned_page(chars: list[Char], pictures: Iterable[Bbox], size: tuple[float, float],
                    settings: ScanSettings) -> bool:
    """Given the characters of a page's text layer, the boxes of its pictures and its (width, height), return
    whether the page is a scan all the same: the text holds fewer than ``min_content_ideographs`` distinct CJK
    ideographs (a page number, a watermark tiled over the page, a scanner app's caption, an OCR layer of Latin
    garbage) and the pictures cover at least ``scan_coverage`` of the page. ``pictures`` is only read for thin text.
    """
    if len({char.text for char in chars if is_ideograph(char.text)}) >= settings.min_content_ideographs:
        return False
    return covered_share(pictures, size) >= settings.scan_coverage
