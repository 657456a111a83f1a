"""Positioned characters of a page → text lines: overprinted copies dropped, chars grouped by baseline, spaces
put where the gaps are wide, a cell's lines joined into one string.

Knows no file format: the PDF, OFD and scan readers make the ``Char`` objects (points, top-left origin of the
page as displayed); ``grid`` files them into table cells and ``pages`` turns the others into text lines.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection
from dataclasses import dataclass
from itertools import pairwise

from ..document import At
from ..settings import PageSettings
from .cells import display_width, is_wide, join_lines

Bbox = tuple[float, float, float, float]
"""x0, top, x1, bottom in points, top-left origin of the page as displayed."""

ROUND_DIGITS = 1  # ``at`` boxes are rounded to tenths of a point


@dataclass(slots=True)
class Char:
    """One glyph: its text, box and baseline, in displayed-page coordinates."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    base: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


def dedupe_chars(chars: list[Char], settings: PageSettings) -> list[Char]:
    """Given chars, drop the copies of a char printed again within ``duplicate_pt`` of itself ("fake bold")."""
    near = settings.duplicate_pt
    size = 2 * near if near > 0 else 1.0  # any copy lies in the char's bucket or a neighbour on its near side
    seen: dict[tuple[str, int, int], list[Char]] = {}
    kept: list[Char] = []
    for char in chars:
        fx, fy = char.x0 / size, char.top / size
        bx, by = int(fx), int(fy)
        nx = bx + 1 if fx - bx >= 0.5 else bx - 1
        ny = by + 1 if fy - by >= 0.5 else by - 1
        if not _has_copy(char, seen, ((bx, by), (nx, by), (bx, ny), (nx, ny)), near):
            seen.setdefault((char.text, bx, by), []).append(char)
            kept.append(char)
    return kept


def _has_copy(char: Char, seen: dict[tuple[str, int, int], list[Char]], buckets: tuple[tuple[int, int], ...],
              near: float) -> bool:
    for bx, by in buckets:
        for other in seen.get((char.text, bx, by), ()):
            if abs(other.x0 - char.x0) <= near and abs(other.top - char.top) <= near:
                return True
    return False


def chars_to_lines(chars: list[Char], settings: PageSettings) -> list[list[Char]]:
    """Given chars, return them grouped into text lines by baseline, top to bottom, each left to right."""
    lines: list[list[Char]] = []
    base = height = 0.0
    share = settings.same_line_share
    for char in sorted(chars, key=lambda c: (c.base, c.x0)):
        if lines and char.base - base <= share * height:
            lines[-1].append(char)
            continue
        lines.append([char])
        base, height = char.base, max(char.height, 1.0)
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def _is_space(left: Char, right: Char, settings: PageSettings, digit_share: float | None = None) -> bool:
    """Whether the gap between two chars of a line is a space: wider than ``space_gap_share`` of their height
    (``wide_space_gap_share`` between two CJK chars; ``digit_share``, when given, between two digits)."""
    if digit_share is not None and left.text.isdigit() and right.text.isdigit():
        share = digit_share
    elif is_wide(left.text) and is_wide(right.text):
        share = settings.wide_space_gap_share
    else:
        share = settings.space_gap_share
    return right.x0 - left.x1 > share * max(left.height, right.height)


def line_to_text(line: list[Char], settings: PageSettings) -> str:
    """Given the chars of one line, return its text with a space where the gap between two chars is wide."""
    parts = [line[0].text]
    for left, right in pairwise(line):
        if _is_space(left, right, settings):
            parts.append(" ")
        parts.append(right.text)
    return "".join(parts)


def bbox_of(chars: list[Char]) -> Bbox:
    """The box around chars."""
    return (min(c.x0 for c in chars), min(c.top for c in chars),
            max(c.x1 for c in chars), max(c.bottom for c in chars))


def page_at(page: int, bbox: Bbox) -> At:
    """The ``at`` of a box on a page: its number and the box rounded to ROUND_DIGITS."""
    return {"page": page, "bbox": [round(v, ROUND_DIGITS) for v in bbox]}


def lines_to_text(lines: list[list[Char]], settings: PageSettings) -> str:
    """Given the lines of one cell, return one string joined as ``cells.join_lines`` joins lines."""
    return join_lines([line_to_text(line, settings) for line in lines])


def line_to_spaced(line: list[Char], unit: float, settings: PageSettings,
                   starts: Collection[int] = ()) -> str:
    """Given the chars of one line, return it as a text dump laid out by position prints it (``pdftotext -layout``
    alike): a gap of a column (``unit`` points, a CJK char two columns wide) or more padded with spaces up to the
    column of the next char's left edge, two at least (two spaces set cells apart in a text dump), and so is the
    gap before each char of ``starts`` (their indices: cells ``cell_starts`` found); a narrower one spaced as
    ``line_to_text`` spaces it, but for two digits, which part at ``digit_gap_share`` (a number's own digits
    touch; neighbouring cells' numbers may stand closer)."""
    if not line:
        return ""
    indent = round(line[0].x0 / unit)
    parts = [" " * indent, line[0].text]
    column = indent + display_width(line[0].text)
    for k, (left, right) in enumerate(pairwise(line), start=1):
        if right.x0 - left.x1 >= unit or k in starts:
            padding = max(2, round(right.x0 / unit) - column)
        else:
            padding = int(_is_space(left, right, settings, settings.digit_gap_share))
        parts += [" " * padding, right.text]
        column += padding + display_width(right.text)
    return "".join(parts)


def cell_starts(lines: list[list[Char]], settings: PageSettings) -> list[set[int]]:
    """Given a page's lines, return for each the indices of its chars that start a cell though the gap before
    them is too narrow for a space: a label that fills its column stands a cell's padding (a point or two) from
    the value beside it. Such a gap parts them where the CJK char before it is followed by a narrow char (a
    number, a sign, a mark) that stands where a char after a gap of another line stands (within
    ``axis_slack_pt``): the left edge of a column, which the other rows or the header show."""
    slack = settings.axis_slack_pt
    after_gaps = sorted((right.x0, number) for number, line in enumerate(lines) for left, right in pairwise(line)
                        if _is_gap(left, right, settings))
    xs = [x for x, _ in after_gaps]
    starts: list[set[int]] = []
    for number, line in enumerate(lines):
        found = set()
        for k, (left, right) in enumerate(pairwise(line), start=1):
            if (is_wide(left.text) and not is_wide(right.text) and _is_gap(left, right, settings)
                    and not _is_space(left, right, settings)
                    and any(other != number for _, other in
                            after_gaps[bisect_left(xs, right.x0 - slack):bisect_right(xs, right.x0 + slack)])):
                found.add(k)
        starts.append(found)
    return starts


def _is_gap(left: Char, right: Char, settings: PageSettings) -> bool:
    """Whether two chars of a line stand apart: by more than ``digit_gap_share`` of their height."""
    return right.x0 - left.x1 > settings.digit_gap_share * max(left.height, right.height)
