"""Labels wrapped around a row's values in a table drawn without lines (read by position) → the row's label cells.

A cell's text is set in the middle of its cell: a label of two lines prints one line above the row's values and
one below, a label of three lines its middle line beside them. Read line by line, such a row is a line of bare
values between lines of text that no rule line ties to it. A line of text nearer one row's values than the
next row's, closer to them than rows stand to each other, left of both rows' values, is a piece of that row's
label; a row takes its pieces when, in its label's column, as many stand above its values as below, as far (a
row of blank cells prints its label alone, on one side; a group label's lines, in a column further left, stand
centred over the group's rows). The pieces and the row's own label text are set into columns by their positions
(the columns of a group label and of the row's label stand apart), each column's pieces joined top to bottom
into one cell.

Knows no file format and nothing about reports; ``pages`` hands it the blocks it read from lines laid out by
position, with the chars of each line.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

from ..document import Block, Paragraph, Table, TextCell
from ..values import is_value_like, squash
from .chars import Char, bbox_of, page_at


@dataclass(frozen=True, slots=True)
class Line:
    """A text line as read by position: its page, column unit (points) and chars."""

    page: int
    unit: float
    chars: list[Char]

    @property
    def middle(self) -> float:
        return (min(c.top for c in self.chars) + max(c.bottom for c in self.chars)) / 2


_Fragment = list[Char]


def _fragments(line: Line) -> list[_Fragment]:
    """The chars of a line split where a gap of a column unit or more sets them apart (cells of a text dump)."""
    out: list[_Fragment] = []
    for char in line.chars:
        if out and char.x0 - out[-1][-1].x1 < line.unit:
            out[-1].append(char)
        else:
            out.append([char])
    return out


def _height(line: Line) -> float:
    return max(c.bottom for c in line.chars) - min(c.top for c in line.chars)


def _text(fragment: _Fragment) -> str:
    return "".join(c.text for c in fragment)


def _values_start(line: Line) -> float | None:
    """The left edge of the line's first value (a number or a mark of nothing), None when it holds none."""
    return next((f[0].x0 for f in _fragments(line) if is_value_like(_text(f))), None)


@dataclass(slots=True)
class _Row:
    """A table row read from one line of values: where it is in the blocks, its line, and the label pieces found
    between it and the rows above and below it (None where a line there may be no label's piece)."""

    table: Table
    index: int
    line: Line
    values_start: float
    above: list[tuple[int, Line]] | None = None
    below: list[tuple[int, Line]] | None = None


def _line_of(cells: list[TextCell], lines: Mapping[int, Line]) -> Line | None:
    numbers = {cell.at.get("line") for cell in cells}
    number = numbers.pop() if len(numbers) == 1 else None
    return lines.get(number) if isinstance(number, int) else None


def _piece(block: Block, lines: Mapping[int, Line]) -> Line | None:
    """The line of a paragraph that may be a piece of a label: text, no value in it."""
    if not isinstance(block, Paragraph):
        return None
    line = _line_of([TextCell(block.text, block.at)], lines)
    return line if line is not None and _values_start(line) is None else None


_Item = _Row | tuple[int, Line | None]
"""A row of values, or a paragraph (its block's index, and its line when it may be a piece of a label)."""


def _stream(blocks: list[Block], lines: Mapping[int, Line]) -> list[_Item]:
    """The blocks as rows of values and paragraphs, in reading order."""
    out: list[_Item] = []
    for k, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            out.append((k, _piece(block, lines)))
            continue
        for index, cells in enumerate(block.rows):
            line = _line_of(cells, lines)
            start = _values_start(line) if line is not None else None
            if line is None or start is None:
                out.append((k, None))
            else:
                out.append(_Row(block, index, line, start))
    return out


def _split(above: _Row, below: _Row, between: list[_Item], reach: dict[int, float]) -> None:
    """Give each line between two rows of one page to the row it stands nearer, within ``reach`` points of it
    (by page), when all of them are pieces of labels left of both rows' values; a line farther from both goes to
    none. Where a page break or other lines (a header repeated on the next page) stand between, each row takes
    the pieces next to it on its own side (``_next_to``)."""
    lines = [(k, line) for item in between if isinstance(item, tuple) for k, line in [item] if line is not None]
    limit = min(above.values_start, below.values_start)
    if len(lines) != len(between) or above.line.page != below.line.page or any(
            line.page != above.line.page or max(c.x1 for c in line.chars) > limit for _, line in lines):
        above.below = _next_to(above, between, reach, 1)
        below.above = _next_to(below, between[::-1], reach, -1)
        return
    above.below, below.above = [], []
    reach_here = reach.get(above.line.page, 0.0)
    for k, line in lines:
        up, down = line.middle - above.line.middle, below.line.middle - line.middle
        if up < down and up <= reach_here:
            above.below.append((k, line))
        elif down < up and down <= reach_here:
            below.above.append((k, line))


def _next_to(row: _Row, items: list[_Item], reach: dict[int, float], side: int) -> list[tuple[int, Line]] | None:
    """The pieces of labels on the row's page that follow one another from the row on (``items`` in that order,
    ``side`` 1 below it, -1 above), each left of its values and within its page's ``reach`` of them, up to the
    first line that is none (a header line, a page break, a line farther away); None when a line that may be
    a piece stands farther on among the items, so where the row's pieces end is not shown."""
    found: list[tuple[int, Line]] = []
    limit = reach.get(row.line.page, 0.0)
    for item in items:
        line = item[1] if isinstance(item, tuple) else None
        if line is None or line.page != row.line.page or max(c.x1 for c in line.chars) > row.values_start \
                or not 0 < side * (line.middle - row.line.middle) <= limit:
            break
        found.append((item[0], line))  # type: ignore[index]
    return found


def _balanced(row: _Row, slack: float) -> bool:
    """Whether the row's pieces in its label's column (the one right of the others: a group label's column
    stands left of it, its lines centred over the group's rows) stand as a label set in the middle of its cell
    does: as many above its values as below, each pair as far from them (within ``slack`` points)."""
    if row.above is None or row.below is None:
        return False
    pieces = [line for _, line in row.above + row.below]
    fragments = _fragments_left_of(row.line, row.values_start) + [f for line in pieces for f in _fragments(line)]
    if not fragments:
        return False
    column = _columns(fragments)[-1]
    start = min(f[0].x0 for f in column)

    def in_column(line: Line) -> bool:
        return any(f[-1].x1 > start for f in _fragments(line))

    ups = sorted(row.line.middle - line.middle for _, line in row.above if in_column(line))
    downs = sorted(line.middle - row.line.middle for _, line in row.below if in_column(line))
    return len(ups) == len(downs) and all(abs(up - down) <= slack for up, down in zip(ups, downs, strict=True))


def _pitch(rows: list[_Row]) -> dict[int, float]:
    """Each page's smallest distance between the lines of two rows of values one after the other."""
    pitch: dict[int, float] = {}
    for above, below in itertools.pairwise(rows):
        if above.line.page == below.line.page and below.line.middle > above.line.middle:
            step = below.line.middle - above.line.middle
            pitch[above.line.page] = min(pitch.get(above.line.page, step), step)
    return pitch


def _columns(fragments: list[_Fragment]) -> list[list[_Fragment]]:
    """Fragments grouped into columns: those whose spans overlap share one, left to right."""
    columns: list[tuple[float, float, list[_Fragment]]] = []
    for fragment in sorted(fragments, key=lambda f: f[0].x0):
        x0, x1 = fragment[0].x0, fragment[-1].x1
        if columns and x0 < columns[-1][1]:
            left, right, members = columns[-1]
            columns[-1] = (left, max(right, x1), [*members, fragment])
        else:
            columns.append((x0, x1, [fragment]))
    return [members for _, _, members in columns]


def _fragments_left_of(line: Line, x: float) -> list[_Fragment]:
    return [f for f in _fragments(line) if f[-1].x1 <= x]


def _own_text(row: _Row) -> str:
    """The label text the row prints on its own line."""
    return "".join(_text(f) for f in _fragments_left_of(row.line, row.values_start))


def _label_cells(row: _Row, pieces: list[Line], at: dict[str, object]) -> list[TextCell]:
    """The row's label cells: its own label text and its pieces, one cell per column, read top to bottom; the
    first keeps the ``at`` of the row's first cell."""
    own = _fragments_left_of(row.line, row.values_start)
    cells: list[TextCell] = []
    for column in _columns(own + [f for line in pieces for f in _fragments(line)]):
        chars = [c for fragment in sorted(column, key=lambda f: f[0].top) for c in fragment]
        where = at if not cells else dict(at)
        where.update(page_at(row.line.page, bbox_of(chars)))
        cells.append(TextCell("".join(c.text for c in chars), where))
    return cells


def join_stacked_labels(blocks: list[Block], lines: Mapping[int, Line], share: float, slack: float) -> list[Block]:
    """The blocks read by position with the label pieces printed above and below each row's values (or beside
    them) set into that row's label cells, their paragraphs dropped. A line is a piece of a row's label when it
    stands nearer that row's values than the next row's, within ``share`` of the page's smallest distance between
    two rows of values (a row of blank cells prints its label alone a row's distance away), and when all the lines
    between the two rows are text left of their values; a row takes its pieces only where they balance
    (``_balanced``, within ``slack`` of its line's height), as a label set in the middle of its cell does.
    ``lines`` maps a text line's number (the ``line`` of a cell's ``at``) to the line it was read from."""
    stream = _stream(blocks, lines)
    rows = [k for k, item in enumerate(stream) if isinstance(item, _Row)]
    reach = {page: share * step for page, step in _pitch([item for item in stream if isinstance(item, _Row)]).items()}
    for first, second in itertools.pairwise(rows):
        above, below = stream[first], stream[second]
        assert isinstance(above, _Row) and isinstance(below, _Row)
        _split(above, below, stream[first + 1:second], reach)
    taken: set[int] = set()
    for item in stream:
        if isinstance(item, _Row) and item.above and _balanced(item, slack * _height(item.line)):
            cells = item.table.rows[item.index]
            labels = next((k for k, cell in enumerate(cells) if is_value_like(cell.text)), len(cells))
            if squash("".join(c.text for c in cells[:labels])) != squash(_own_text(item)):
                continue  # the text reader joined label lines onto the row already
            pieces = item.above + (item.below or [])
            item.table.rows[item.index] = _label_cells(item, [line for _, line in pieces], cells[0].at) + cells[labels:]
            taken |= {k for k, _ in pieces}
    return [block for k, block in enumerate(blocks) if k not in taken]
