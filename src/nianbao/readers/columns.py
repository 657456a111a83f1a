"""Space-aligned table rows (``pdftotext -layout``): which column each printed value stands in.

Where a table's blank cells print as nothing, a row shows fewer values than the table has columns, and
only where each value stands says which column it fills. Over one stretch of rows (the part of a table
one page holds), the values' spans, widened by a character for the jitter of layout, form columns:
values that overlap share one. When no row puts two values in one column, each row's values name their
columns, and the columns a row leaves out between them are its blank cells. A lone number on a line of
its own (a page number, maybe) takes no part, and no row is placed that has values on the line right above
or below it (pieces of numbers too wide for their cells print so).

Positions are counted in characters (``pdftotext -layout`` sets one character per cell) and in display
columns (a Chinese character two wide, as editors align text). A stretch is read by whichever count
gives such columns; where both do and disagree on a row, the row is left as it was. A stretch ends at a
page break, a page number line or a section heading, so that tables and pages with other columns do not
mix. The placement is a reading of positions only: the extractor takes it where the row's table has as
many columns as the stretch.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from ..settings import LayoutSettings
from ..values import is_value_like, squash

_TOKEN = re.compile(r"\S+")
_HEADING = re.compile(r"\s*[一二三四五六七八九十]+、")
_WIDE = frozenset({"W", "F"})


@dataclass(frozen=True, slots=True)
class Placement:
    """The columns of a row's trailing values, left to right, among the ``width`` columns of its stretch."""

    columns: tuple[int, ...]
    width: int
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Value:
    text: str
    start: int
    end: int


def _char_count(line: str, end: int) -> int:
    return end


def _display_width(line: str, end: int) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in _WIDE else 1 for char in line[:end])


_METRICS: tuple[Callable[[str, int], int], ...] = (_char_count, _display_width)


def _trailing_values(line: str) -> list[re.Match[str]]:
    """The value tokens the line ends with (after a label, or the whole line)."""
    tokens = list(_TOKEN.finditer(line))
    count = 0
    for token in reversed(tokens):
        if not is_value_like(token.group()):
            break
        count += 1
    return tokens[len(tokens) - count:] if count else []


def _ends_stretch(line: str, kind: str, settings: LayoutSettings) -> bool:
    """A page number line or a section heading (numbered, long, no value after it) ends a stretch."""
    if kind == "furniture":
        return True
    return (kind == "text" and bool(_HEADING.match(line))
            and len(squash(line)) >= settings.columns_heading_chars and not _trailing_values(line))


def _stretches(texts: list[str], kinds: list[str], page_starts: set[int], settings: LayoutSettings
               ) -> list[dict[int, list[re.Match[str]]]]:
    """The value lines of each stretch: line index → its trailing value tokens."""
    stretches: list[dict[int, list[re.Match[str]]]] = [{}]
    for i, (line, kind) in enumerate(zip(texts, kinds, strict=True)):
        if i in page_starts or _ends_stretch(line, kind, settings):
            stretches.append({})
        if kind == "text" and "  " in line.strip():
            values = _trailing_values(line)
            if len(values) > 1 or (values and len(values) < len(line.split())):
                stretches[-1][i] = values  # a lone number with no label may be a page number
    return [stretch for stretch in stretches if len(stretch) >= settings.columns_min_rows]


def _columns(rows: dict[int, list[_Value]], jitter: int) -> list[tuple[int, int]]:
    """Spans of the columns the values form: widened spans that overlap are one column."""
    spans = sorted((value.start - jitter, value.end + jitter) for values in rows.values() for value in values)
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _column_of(value: _Value, columns: list[tuple[int, int]]) -> int:
    return next(k for k, (start, end) in enumerate(columns) if start <= value.start and value.end <= end)


def _placements(rows: dict[int, list[_Value]], settings: LayoutSettings) -> dict[int, Placement] | None:
    """Each row's placement among the stretch's columns, or None when the columns do not hold."""
    columns = _columns(rows, settings.columns_jitter)
    found = {i: [_column_of(value, columns) for value in values] for i, values in rows.items()}
    if any(len(set(placed)) < len(placed) for placed in found.values()):
        return None  # two values of one row in one column: not laid out in columns
    if len(columns) < settings.columns_min_width:
        return None
    return {i: Placement(tuple(placed), len(columns), tuple(v.text for v in rows[i])) for i, placed in found.items()}


def _touches(texts: list[str], i: int) -> bool:
    """Whether the line right above or below holds values too: a number too wide for its cell wraps so, its
    pieces printed just above and below its row, and such lines are not rows of their own."""
    return any(0 <= j < len(texts) and _trailing_values(texts[j]) for j in (i - 1, i + 1))


def _read(texts: list[str], stretch: dict[int, list[re.Match[str]]], metric: Callable[[str, int], int],
          settings: LayoutSettings) -> dict[int, Placement] | None:
    rows = {i: [_Value(m.group(), metric(texts[i], m.start()), metric(texts[i], m.end())) for m in values]
            for i, values in stretch.items()}
    placed = _placements(rows, settings)
    return None if placed is None else {i: found for i, found in placed.items() if not _touches(texts, i)}


def value_columns(texts: list[str], kinds: list[str], page_starts: set[int],
                  settings: LayoutSettings) -> dict[int, Placement]:
    """Line index → the placement of its trailing values, for the rows of stretches laid out in columns."""
    placed: dict[int, Placement] = {}
    for stretch in _stretches(texts, kinds, page_starts, settings):
        readings = [r for r in (_read(texts, stretch, metric, settings) for metric in _METRICS) if r is not None]
        for i in stretch:
            found = {reading[i] for reading in readings if i in reading}
            if len(found) == 1:
                placed[i] = found.pop()
    return placed
