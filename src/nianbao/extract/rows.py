"""Document rows → labelled value rows: splits each row into label text and value cells, asks a label
index which official rows its labels may name, chooses which cells are a table's columns when
merged-cell gaps pad a row, and turns them into report cells.

Shared by the three table extractors; decides nothing about which table a row is in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..document import Row, TextCell
from ..report import Cell
from ..values import BLANK, NUMBER, TEXT, cell_kind, parse_value, squash
from .labels import NO_MATCH, LabelIndex, Match


@dataclass(slots=True)
class Split:
    """A row as label texts (left) and the candidate value cells after the last label."""

    row: Row
    labels: list[TextCell]
    values: list[TextCell]
    has_number: bool
    """Whether a value cell states a number."""

    @property
    def start(self) -> int:
        """Column where the value cells begin."""
        return len(self.row.cells) - len(self.values)

    @property
    def line(self) -> int | None:
        line = self.row.at.get("line")
        return line if isinstance(line, int) else None


def split_row(row: Row) -> Split:
    """Label cells are the non-value texts; value cells are those after the last label."""
    labels: list[TextCell] = []
    last = -1
    kinds = [cell_kind(cell.text) if cell.text else BLANK for cell in row.cells]
    for i, kind in enumerate(kinds):
        if kind == TEXT:
            labels.append(row.cells[i])
            last = i
    return Split(row, labels, row.cells[last + 1:], NUMBER in kinds[last + 1:])


def _nonempty(cells: list[TextCell]) -> list[int]:
    return [i for i, c in enumerate(cells) if c.text and squash(c.text)]


def window_offsets(cells: list[TextCell], width: int) -> list[int]:
    """Offsets of every run of ``width`` cells that holds all non-empty cells."""
    if len(cells) < width:
        return []
    filled = _nonempty(cells)
    if not filled:
        return list(range(len(cells) - width + 1))
    low = max(0, filled[-1] - width + 1)
    high = min(filled[0], len(cells) - width)
    return list(range(low, high + 1))


def choose_window(cells: list[TextCell], width: int, preferred: int | None) -> list[TextCell] | None:
    """The ``width`` value cells of a row, or None when they cannot be told apart."""
    offsets = window_offsets(cells, width)
    if not offsets:
        return None
    if len(offsets) == 1:
        return cells[offsets[0]:offsets[0] + width]
    if preferred in offsets:
        return cells[preferred:preferred + width]
    texts = {tuple(squash(c.text) for c in cells[o:o + width]) for o in offsets}
    if len(texts) == 1:
        return cells[offsets[0]:offsets[0] + width]
    return None


class OffsetHabits:
    """Where a table's rows put their values when only one offset fits them, to settle rows where several fit.

    Rows whose values start at the same column and span the same number of cells share their merged-cell
    geometry, so they share their offset; failing that, a trailing gap (or a leading one) that every
    settled row has is followed.
    """

    def __init__(self, rows: list[list[TextCell]], starts: list[int], width: int) -> None:
        self.width = width
        shapes: dict[tuple[int, int], Counter[int]] = {}
        leading: Counter[int] = Counter()
        trailing: Counter[int] = Counter()
        for cells, start in zip(rows, starts, strict=True):
            offsets = window_offsets(cells, width)
            if len(offsets) != 1:
                continue
            shapes.setdefault((start, len(cells)), Counter())[offsets[0]] += 1
            leading[offsets[0]] += 1
            trailing[len(cells) - width - offsets[0]] += 1
        self.shapes = {shape: counts.most_common(1)[0][0] for shape, counts in shapes.items()}
        self.leading = next(iter(leading)) if len(leading) == 1 else None
        self.trailing = next(iter(trailing)) if len(trailing) == 1 else None

    def preferred(self, cells: list[TextCell], start: int) -> int | None:
        """The offset this table's habits suggest for a row of ``cells`` starting at column ``start``."""
        if (start, len(cells)) in self.shapes:
            return self.shapes[(start, len(cells))]
        if self.trailing is not None:
            return len(cells) - self.width - self.trailing
        return self.leading


def match_row(split: Split, index: LabelIndex, fuzzy: bool) -> Match:
    """Rightmost label cell that names a row wins; other cells narrow it down when they agree."""
    matches = [index.match(c.text) for c in split.labels]
    if fuzzy and not any(m.keys for m in matches):
        matches = [index.match(c.text, fuzzy=True) for c in split.labels]
    chosen = next((m for m in reversed(matches) if m.keys), NO_MATCH)
    if len(chosen.keys) > 1:
        for other in matches:
            common = chosen.keys & other.keys
            if other is not chosen and common:
                chosen = Match(common, chosen.how)
    return chosen


def to_cell(cell: TextCell) -> Cell:
    raw = cell.text.strip()
    return Cell(raw, parse_value(raw)[0], cell.at)
