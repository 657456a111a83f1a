"""Row labels wrapped around their values in space-aligned text (``pdftotext -layout``), joined onto the row's line.

A label too long for its cell wraps over several lines, and the row's values print on one of them, often the
middle one (``1.本机关不掌握相关政府信`` / the values / ``息``), while a group label printed beside the rows
stands in a column of its own further left. The lines right above and below a row's line that hold text only
left of its first value (no value, nothing over the value columns) are the row's label lines; their pieces, and
those of the row's line, form columns where their spans overlap, and the rightmost column is the row's label,
the others group labels. A label line between two rows belongs to one only where it can be told: where it is
set apart from the other row by an empty line, a page break or a line of other text, or where a row label's
number (``2.``) starts the lower row's label there (the lines from it down are the lower row's) or, below a
lone mark, on the lower row's own line. The row's line gets the label joined in reading order (its values as
they were); a label line keeps only its group pieces.
Positions are counted as the text counts them (``columns.value_columns`` tells by its rows; where it cannot,
only rows of one lone mark are read, counted in characters). A label column holding text of one line only is no
wrapped label; a row of one value (a 无 merged across the row) bounds its label area loosely, so its label lines
must read as label and group pieces only (at most two cells a line, nothing of the row's own line outside the
label column). Other rows stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..settings import LayoutSettings
from ..values import is_blank
from .cells import join_lines
from .columns import Metric, char_count, trailing_values, value_rows
from .wrapped import NUMBERED

_CHUNK = re.compile(r"\S+(?: \S+)*")
"""Text set apart by two or more spaces: one cell of an aligned line."""


@dataclass(frozen=True, slots=True)
class _Piece:
    """A run of text on a label line or a row's line, with its span in the line."""
    line: int
    start: int
    end: int
    text: str
    offset: int
    """Where the piece starts in its line (``start`` and ``end`` are positions counted by the text's count)."""
    stop: int


@dataclass(frozen=True, slots=True)
class _Run:
    """The label lines on one side of a row's line, nearest first, and whether they are set apart from any other
    row (an empty line, a page break or other text ends them, not another row's line)."""

    lines: list[int]
    apart: bool


def _run(texts: list[str], kinds: list[str], rows: dict[int, list[re.Match[str]]], i: int, step: int, first: int,
         page_starts: set[int], reach: int, metric: Metric, lone: bool) -> _Run:
    """The text lines going from row line ``i`` by ``step`` that hold text only before position ``first``."""
    found: list[int] = []
    j = i + step
    while 0 <= j < len(texts):
        if (j + 1 if step < 0 else j) in page_starts or kinds[j] == "blank":
            return _Run(found, True)
        if j in rows:  # a lone mark's run is set apart from a row below whose own label starts on its line with a
            # sub-row's number (elsewhere the lines may be a blank row's whole label, ``部分公开``)
            return _Run(found, step > 0 and lone and _starts_own_label(texts[j], rows[j][0].start()))
        text = texts[j].rstrip()
        if kinds[j] != "text" or metric(text)(len(text)) >= first or trailing_values(text) or _counts(text):
            return _Run(found, True)
        if len(found) == reach:
            return _Run([], True)  # more label lines than a cell wraps into: not a label around values
        found.append(j)
        j += step
    return _Run(found, True)


_SUB_ROW = re.compile(r"\d{1,2}[.．、](?!\d)")


def _counts(text: str) -> bool:
    """Whether a line states a number in its text (``注：…主动公开政府信息 287 条``), past the numbers that start its
    cells (``1.属于国``): a note or a sentence under the table, no piece of a label."""
    return any(char.isdigit() for cell in _CHUNK.findall(text) for char in NUMBERED.sub("", cell, count=1))


def _starts_own_label(text: str, first: int) -> bool:
    """Whether the last cell before offset ``first`` starts with a sub-row's number (``3.``): the row's label
    starts on its line (a group label's piece, ``（四）``, may stand before it)."""
    cells = _CHUNK.findall(text[:first])
    return bool(cells) and _SUB_ROW.match(cells[-1]) is not None


def _own(texts: list[str], run: _Run, above: bool) -> _Run:
    """The lines of a run that may be the row's: above it, those from the nearest line holding a sub-row's number
    down (all of them where the run is set apart from any other row); below it, those before the first such line
    (none where the run runs into another row's line with no such line between)."""
    numbered = next((k for k, j in enumerate(run.lines) if any(_SUB_ROW.match(c) for c in _CHUNK.findall(texts[j]))),
                    None)
    if numbered is None:
        return run if run.apart else _Run([], True)
    return _Run(run.lines[:numbered + 1] if above else run.lines[:numbered], True)


def _label_column(pieces: list[_Piece]) -> list[_Piece]:
    """The pieces of the rightmost column their overlapping spans form."""
    ordered = sorted(pieces, key=lambda piece: piece.start)
    column: list[_Piece] = []
    end = -1
    for piece in ordered:
        if piece.start >= end:
            column = []
        column.append(piece)
        end = max(end, piece.end)
    return column


def _starts_label(pieces: list[_Piece], line: int) -> bool:
    return any(piece.line == line and NUMBERED.match(piece.text) for piece in pieces)


def _taken(column: list[_Piece], i: int, above: _Run, below: _Run) -> set[int]:
    """The label lines whose pieces of the label column are the row's (see the module docstring)."""
    taken: set[int] = set()
    if not _starts_label(column, i):
        for j in above.lines:  # nearest first
            if _starts_label(column, j):
                taken.update(above.lines[:above.lines.index(j) + 1])
                break
        else:
            if above.apart:
                taken.update(above.lines)
    for k, j in enumerate(below.lines):
        if _starts_label(column, j):
            taken.update(below.lines[:k])
            break
    else:
        if below.apart:
            taken.update(below.lines)
    return {j for j in taken if any(piece.line == j for piece in column)}


def labels_around(texts: list[str], kinds: list[str], page_starts: set[int], settings: LayoutSettings,
                  count: Callable[[], Metric | None]) -> dict[int, str]:
    """The lines to rewrite (index → new text) so that each row's label wrapped around its values stands on the
    row's line, positions counted by the text's own count (``count``, asked only where a row has a line of text
    next to it: none known, no line is rewritten)."""
    rows = value_rows(texts, kinds, settings)
    if not rows:
        return {}  # no line laid out in columns ends in values (most text): no table to read around
    lone = _lone_marks(texts, kinds)
    rows |= lone
    if not any(0 <= j < len(texts) and kinds[j] == "text" and j not in rows for i in rows for j in (i - 1, i + 1)):
        return {}  # no row with a line of text right next to it (most tables)
    metric = count()
    if metric is None:  # no row shows how the text counts: only lone marks, by characters (one wide each, the
        metric, rows = char_count, lone  # label's pieces too far apart to tell either way), are read
    texts, out = _without_group_marks(texts, kinds, rows, metric)
    claimed: set[int] = set()
    reach = settings.label_wrap_lines
    for i, values in rows.items():
        first = values[0].start()
        at = metric(texts[i])(first)
        above = _run(texts, kinds, rows, i, -1, at, page_starts, reach, metric, i in lone)
        below = _run(texts, kinds, rows, i, 1, at, page_starts, reach, metric, i in lone)
        above, below = _own(texts, above, True), _own(texts, below, False)
        if not above.lines and not below.lines:
            continue
        pieces = [piece for j in (*reversed(above.lines), i, *below.lines)
                  for piece in _pieces(texts[j][:first] if j == i else texts[j], j, metric)]
        column = _label_column(pieces)
        taken = _taken(column, i, above, below)
        if not taken or taken & claimed or len({piece.line for piece in column} & (taken | {i})) < 2 or (
                len(values) == 1 and not _label_like(pieces, column, i, taken)):
            continue
        claimed |= taken
        label = [piece for piece in column if piece.line in taken or piece.line == i]
        out[i] = _row_line(texts[i], first, [p for p in pieces if p.line == i and p not in column], label)
        for j in taken:
            out[j] = _rest(texts[j], [piece for piece in column if piece.line == j])
    return out


def _without_group_marks(texts: list[str], kinds: list[str], rows: dict[int, list[re.Match[str]]], metric: Metric
                         ) -> tuple[list[str], dict[int, str]]:
    """The lines with each row's leading mark of nothing blanked out where it is a piece of a group label printed
    downwards (the 无 of （四）无法提供): a line next to the row's holds label text wholly between the mark and the
    row's other values, and values stand right of labels. The rows keep their other values; the lines rewritten."""
    out: dict[int, str] = {}
    for i, values in list(rows.items()):
        if len(values) < 2 or not is_blank(values[0].group()):
            continue
        at = metric(texts[i])
        mark_end, next_value = at(values[0].end()), at(values[1].start())
        for j in (i - 1, i + 1):
            if 0 <= j < len(texts) and kinds[j] == "text" and j not in rows and (text := texts[j]).strip():
                at_j = metric(text)
                if mark_end <= at_j(len(text) - len(text.lstrip())) and at_j(len(text.rstrip())) <= next_value:
                    out[i] = texts[i][:values[0].start()] + " " * len(values[0].group()) + texts[i][values[0].end():]
                    rows[i] = values[1:]
                    break
    if not out:
        return texts, out
    return [out.get(i, text) for i, text in enumerate(texts)], out


_MARK = re.compile(r"\S+")


def _lone_marks(texts: list[str], kinds: list[str]) -> dict[int, list[re.Match[str]]]:
    """Indented lines holding one mark of nothing (无, a dash): a 无 merged across a row whose label wraps around
    it (a lone number may be a page number or a piece of a wrapped one: no row)."""
    found: dict[int, list[re.Match[str]]] = {}
    for i, line in enumerate(texts):
        if line[:1] == " " and kinds[i] == "text" and len(stripped := line.strip()) <= 2 and is_blank(stripped):
            mark = _MARK.search(line)
            if mark is not None:
                found[i] = [mark]
    return found


def _label_like(pieces: list[_Piece], column: list[_Piece], i: int, taken: set[int]) -> bool:
    """For a row of one value (a 无 merged across the row, standing anywhere right of its label): whether the
    label lines read as a label and a group label only, not as header lines over the value columns — the row's
    line holds no text left of the label column, and each label line at most a group label's piece and the
    label's."""
    if any(piece.line == i and piece not in column for piece in pieces):
        return False
    return all(sum(1 for piece in pieces if piece.line == j) <= 2 for j in taken)


def _pieces(text: str, line: int, metric: Metric) -> list[_Piece]:
    """The line's cells with their spans counted by ``metric`` and their offsets in the line."""
    at = metric(text)
    return [_Piece(line, at(m.start()), at(m.end()), m.group(), m.start(), m.end()) for m in _CHUNK.finditer(text)]


def _row_line(text: str, first: int, groups: list[_Piece], label: list[_Piece]) -> str:
    """The row's line as its group pieces, its whole label and its values, set apart by column gaps."""
    joined = join_lines([piece.text for piece in sorted(label, key=lambda piece: (piece.line, piece.start))])
    return "  ".join([*(piece.text for piece in groups), joined]) + "  " + text[first:]


def _rest(text: str, taken: list[_Piece]) -> str:
    """The line with the label's pieces blanked out (its group pieces where they were)."""
    chars = list(text)
    for piece in taken:
        chars[piece.offset:piece.stop] = " " * (piece.stop - piece.offset)
    return "".join(chars).rstrip()
