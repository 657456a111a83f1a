"""Space-aligned table rows (``pdftotext -layout``): which column each printed value stands in.

Where a table's blank cells print as nothing, a row shows fewer values than the table has columns, and
only where each value stands says which column it fills. Over one stretch of rows (the part of a table
one page holds), the values' spans, widened by a character for the jitter of layout, form columns:
values that overlap share one. When no row puts two values in one column, each row's values name their
columns, and the columns a row leaves out between them are its blank cells. A lone number on a line of
its own (a page number, maybe) takes no part. In a stretch where ``wrapped`` found pieces of numbers too
wide for their cells, no row is placed that has values on the line right above or below it, nor a row
whose numbers were joined from pieces; a line it took for pieces it could not join (which may as well be
a row's values printed between the lines of its label) is placed for the extractor to take only where
the row's sums hold.

Positions are counted in characters (``pdftotext -layout`` sets one character per cell) and in display
columns (a Chinese character two wide, as editors align text). A stretch is read by whichever count
gives such columns; where both do, by the one that gives fewer (counted the wrong way, labels of other
lengths shift a column's values apart); where they give as many and disagree on a row, the row is left as
it was. A stretch ends at a page break, a page number line or a section heading, so that tables and pages
with other columns do not mix. The placement is a reading of positions only: the extractor takes it where
the row's table has as many columns as the stretch.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ..settings import LayoutSettings
from ..values import is_value_like, squash
from .wrapped import NUMBERED

_TOKEN = re.compile(r"\S+")
_CHUNK = re.compile(r"\S+(?: \S+)*")
"""Text set apart by two or more spaces: one cell of an aligned row."""
_HEADING = re.compile(r"\s*[一二三四五六七八九十]+、")
_WIDE = frozenset({"W", "F"})


@dataclass(frozen=True, slots=True)
class Placement:
    """The columns of a row's trailing values, left to right, among the ``width`` columns of its stretch."""

    columns: tuple[int, ...]
    width: int
    values: tuple[str, ...]
    need_sums: bool = False
    """The line may hold pieces of wrapped numbers rather than a row's values: the placement holds only
    where the row's sums do."""


@dataclass(frozen=True, slots=True)
class Wrapping:
    """What the reader of wrapped numbers found: lines holding pieces of numbers too wide for their cells,
    and row lines whose numbers it joined from pieces or cannot trust."""

    pieces: set[int]
    untrusted: set[int]


@dataclass(slots=True)
class _Stretch:
    rows: dict[int, list[re.Match[str]]]
    doubtful: set[int] = field(default_factory=set)
    """Lines the reader of wrapped numbers took for pieces it could not join (they may be a row's values)."""
    wrapping: bool = False
    """Whether pieces of wrapped numbers lie inside: then no row next to a line of values is placed."""


@dataclass(frozen=True, slots=True)
class _Value:
    text: str
    start: int
    end: int


def _char_count(line: str) -> Callable[[int], int]:
    """Positions in characters: an offset is its own position."""
    return lambda offset: offset


def _display_width(line: str) -> Callable[[int], int]:
    """Positions in display columns (a Chinese character two wide), summed once per line."""
    widths = [0, *itertools.accumulate(2 if unicodedata.east_asian_width(char) in _WIDE else 1 for char in line)]
    return widths.__getitem__


Metric = Callable[[str], Callable[[int], int]]
"""A way to count positions along a line: the line → its offset → position function."""
_METRICS: tuple[Metric, ...] = (_char_count, _display_width)


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


def _stretches(texts: list[str], kinds: list[str], page_starts: set[int], settings: LayoutSettings,
               wrapping: Wrapping) -> list[_Stretch]:
    """The value lines of each stretch (line index → its trailing value tokens); lines the wrapped-number
    reader took for pieces are marked doubtful and make the stretch one where numbers wrap."""
    stretches = [_Stretch({})]
    for i, (line, kind) in enumerate(zip(texts, kinds, strict=True)):
        if i in page_starts or _ends_stretch(line, kind, settings):
            stretches.append(_Stretch({}))
        if i in wrapping.pieces:
            stretches[-1].wrapping = True
            stretches[-1].doubtful.add(i)
        if kind == "text" and " " * settings.column_gap in line.strip():
            values = _trailing_values(line)
            if len(values) > 1 or (values and len(values) < len(line.split())):
                stretches[-1].rows[i] = values  # a lone number with no label may be a page number
    return [stretch for stretch in stretches if len(stretch.rows) >= settings.columns_min_rows]


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


def _placements(rows: dict[int, list[_Value]], settings: LayoutSettings) -> dict[int, Placement] | None:
    """Each row's placement among the stretch's columns, or None when the columns do not hold."""
    columns = _columns(rows, settings.columns_jitter)
    starts = [start for start, _ in columns]
    found = {i: [bisect.bisect_right(starts, value.start) - 1 for value in values] for i, values in rows.items()}
    if any(len(set(placed)) < len(placed) for placed in found.values()):
        return None  # two values of one row in one column: not laid out in columns
    if len(columns) < settings.columns_min_width:
        return None
    return {i: Placement(tuple(placed), len(columns), tuple(v.text for v in rows[i])) for i, placed in found.items()}


def _values(tokens: list[re.Match[str]], position: Callable[[int], int]) -> list[_Value]:
    return [_Value(m.group(), position(m.start()), position(m.end())) for m in tokens]


def _touches(texts: list[str], i: int) -> bool:
    """Whether the line right above or below holds values too (where numbers wrap, their pieces print so)."""
    return any(0 <= j < len(texts) and _trailing_values(texts[j]) for j in (i - 1, i + 1))


def _read(texts: list[str], stretch: _Stretch, metric: Metric, settings: LayoutSettings
          ) -> dict[int, Placement] | None:
    rows = {i: _values(values, metric(texts[i])) for i, values in stretch.rows.items()}
    placed = _placements(rows, settings)
    if placed is None or not stretch.wrapping:
        return placed
    return {i: found for i, found in placed.items() if not _touches(texts, i)}


def value_columns(texts: list[str], kinds: list[str], page_starts: set[int], settings: LayoutSettings,
                  wrapping: Wrapping) -> dict[int, Placement]:
    """Line index → the placement of its trailing values, for the rows of stretches laid out in columns
    (``texts`` as printed, before wrapped numbers were joined)."""
    gap = " " * settings.column_gap
    if not any(kind == "text" and gap in line for line, kind in zip(texts, kinds, strict=True)):
        return {}  # no line laid out in columns (most text): no stretch to read
    placed: dict[int, Placement] = {}
    for stretch in _stretches(texts, kinds, page_starts, settings, wrapping):
        readings = [r for r in (_read(texts, stretch, metric, settings) for metric in _METRICS) if r]
        fewest = min((_width(reading) for reading in readings), default=0)
        readings = [reading for reading in readings if _width(reading) == fewest]
        for i in stretch.rows:
            found = {reading[i] for reading in readings if i in reading}
            if len(found) == 1 and i not in wrapping.untrusted:
                placed[i] = replace(found.pop(), need_sums=i in stretch.doubtful)
    return placed


def _width(reading: dict[int, Placement]) -> int:
    return next(iter(reading.values())).width


def wrapped_labels(texts: list[str], kinds: list[str], i: int, labels: list[str], settings: LayoutSettings
                   ) -> tuple[list[str], int]:
    """The label cells of row line ``i`` with the rest of each, wrapped in its column onto the lines right
    below (text only, short, not starting a row's number, every piece starting where one of the row's
    label cells starts); and the index of the last line taken."""
    chunks = list(_CHUNK.finditer(texts[i]))[:len(labels)]
    if [squash(chunk.group()) for chunk in chunks] != [squash(label) for label in labels]:
        return labels, i
    out, j = list(labels), i + 1
    while j < len(texts) and kinds[j] == "text" and not NUMBERED.match(texts[j]) and not _trailing_values(texts[j]):
        parts = next((p for p in (_under(texts[i], chunks, texts[j], metric) for metric in _METRICS) if p), None)
        if parts is None or any(len(squash(text)) > settings.continuation_max_chars for _, text in parts):
            break
        for k, text in parts:
            out[k] += text
        j += 1
    return out, j - 1


def _under(row: str, chunks: list[re.Match[str]], line: str, metric: Metric) -> list[tuple[int, str]] | None:
    """The pieces of ``line`` by the label cell each starts under, or None when one starts elsewhere."""
    in_row, in_line = metric(row), metric(line)
    starts = {in_row(chunk.start()): k for k, chunk in enumerate(chunks)}
    parts = [(starts.get(in_line(m.start())), m.group()) for m in _CHUNK.finditer(line)]
    if not parts or any(k is None for k, _ in parts):
        return None
    return [(k, text) for k, text in parts if k is not None]
