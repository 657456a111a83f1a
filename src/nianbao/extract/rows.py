"""Document rows → labelled value rows: splits each row into label text and value cells, asks a label
index which official rows its labels may name, chooses which cells are a table's columns when
merged-cell gaps pad a row, and turns them into report cells.

Shared by the three table extractors; decides nothing about which table a row is in.
"""

from __future__ import annotations

import enum
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from operator import itemgetter

from ..document import MAYBE_FOLIO, PRINTED_ORDER, UNCERTAIN_ORDER, At, Row, TextCell
from ..report import Cell
from ..values import BLANK, NUMBER, TEXT, cell_kind, parse_value, squash
from .glued import GLUED_RUN
from .labels import NO_MATCH, LabelIndex, Match, is_numbered
from .years import is_caption


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


def cell_kinds(row: Row) -> list[int]:
    """The kind of each of the row's cells (``values.cell_kind``, a run of glued values its own way: see
    ``glued_kind``), read once however many steps ask."""
    if row.kinds is None:
        row.kinds = [glued_kind(cell) if cell.at.get("glued") else cell_kind(cell.text) for cell in row.cells]
    return row.kinds


def glued_kind(cell: TextCell) -> int:
    """The kind of a cell a reader marked as values printed with no separator: a run mixing digits and marks
    of nothing (``25012-1122275``, ``3340—3-40``) reads as no number, yet it is the row's values, so it is a
    NUMBER when it holds a digit and BLANK when it holds only marks; text that is no such run stays TEXT."""
    kind = cell_kind(cell.text)
    if kind != TEXT or not GLUED_RUN.fullmatch(squash(cell.text)):
        return kind
    return NUMBER if any(char.isdigit() for char in cell.text) else BLANK


def blanks_take_no_line(rows: list[Row], width: int) -> bool:
    """Whether rows rebuilt from one cell per line show that their blank cells take no line: some row prints its
    label, then fewer values than its ``width`` columns on the lines right after it, the next row starting on the line
    after them; and no row prints more values than its columns after its label."""
    shown = False
    for i, row in enumerate(rows):
        cells = row.cells
        if len(cells) <= width and (shown or len(cells) < 2 or cells[0].at.get("line") == cells[-1].at.get("line")):
            continue  # a row on one line (most rows) or too short to print more values than its columns
        last = last_label(cell_kinds(row))  # the row as ``split_row`` splits it, without making the Split
        values = cells[last + 1:]
        if len(values) > width:
            return False
        label = cells[last].at.get("line") if last >= 0 and values else None
        after = rows[i + 1] if i + 1 < len(rows) else None
        if shown or after is None or not after.cells or not isinstance(label, int) or len(values) >= width:
            continue  # a row of all its values (most rows) shows nothing
        lines = [cell.at.get("line") for cell in values]
        shown = (lines == list(range(label + 1, label + 1 + len(lines)))
                 and after.cells[0].at.get("line") == label + 1 + len(lines))
    return shown


def last_label(kinds: list[int]) -> int:
    """Index of the last label cell (TEXT) of a row of cells of ``kinds`` (``cell_kinds``); -1 for a row of values
    only."""
    return len(kinds) - 1 - kinds[::-1].index(TEXT) if TEXT in kinds else -1


def split_row(row: Row) -> Split:
    """Label cells are the non-value texts; value cells are those after the last label."""
    cells = row.cells
    kinds = cell_kinds(row)
    if TEXT not in kinds:  # a row of values only
        return Split(row, [], cells[:], NUMBER in kinds)
    if kinds[0] == TEXT and kinds.count(TEXT) == 1:  # one label, then the values (most rows)
        return Split(row, [cells[0]], cells[1:], NUMBER in kinds)
    labels = [cell for cell, kind in zip(cells, kinds, strict=True) if kind == TEXT]
    last = last_label(kinds)
    return Split(row, labels, cells[last + 1:], NUMBER in kinds[last + 1:])


def _nonempty(cells: list[TextCell]) -> list[int]:
    return [i for i, c in enumerate(cells) if c.text and squash(c.text)]


def window_offsets(cells: list[TextCell], width: int) -> list[int]:
    """Offsets of every run of ``width`` cells that holds all non-empty cells."""
    if len(cells) <= width:
        return [0] if len(cells) == width else []  # one run of cells: the whole row
    filled = _nonempty(cells)
    if not filled:
        return list(range(len(cells) - width + 1))
    low = max(0, filled[-1] - width + 1)
    high = min(filled[0], len(cells) - width)
    return list(range(low, high + 1))


def printed_cells(cells: list[TextCell], width: int) -> list[TextCell] | None:
    """The cells a row prints, when merged cells pad it and it prints exactly one cell per column.

    Editors' spans may disagree from row to row (a header label spanning two grid columns above a row
    whose first value spans two), so the grid position of a value does not say its column; the order in
    which the row prints its cells does.
    """
    return _spread(cells, width) if _padded(cells) else None


def _padded(cells: list[TextCell]) -> bool:
    """Whether a cell is covered by another's span or shows blank cells printed around it (most rows have none)."""
    for cell in cells:  # a loop, not any(): asked of every row
        if cell.merged or cell.blank_before or cell.blank_after:
            break
    else:
        return False
    return True


def _spread(cells: list[TextCell], width: int) -> list[TextCell] | None:
    """``printed_cells`` of a row that is ``_padded``."""
    printed: list[TextCell] = []
    for cell in cells:
        printed += [TextCell("", at) for at in cell.blank_before]
        if not cell.merged:
            printed.append(cell)
        printed += [TextCell("", at) for at in cell.blank_after]
    return printed if len(printed) == width else None


Preference = int | Callable[[], int | None] | None
"""The offset a table's habits suggest for a row's values: a number, nothing, or a function asked only of a row
several runs of cells fit (most rows fit one: their habits are not looked up)."""


_LABEL_NUMBER = re.compile(r"\S\s+\d+(?:\.\d+)?(?=\s|$)")
"""A number set apart inside a label's text, after some of it: a value the reader joined to a label wrapped beside it
(its cell drawn over the value's column), whose own cell then reads blank."""


def number_in_label(split: Split) -> bool:
    """Whether a label cell of the row holds a number set apart after its start: the row's values cannot be told."""
    for cell in split.labels:  # a loop, not any(): asked of every row
        if len(cell.text.split(None, 1)) > 1 and _LABEL_NUMBER.search(cell.text):  # a label with no blank holds none
            break
    else:
        return False
    return True


def choose_window(cells: list[TextCell], width: int, preferred: Preference,
                  holds: Callable[[list[TextCell]], bool] | None = None) -> list[TextCell] | None:
    """The ``width`` value cells of a row, or None when they cannot be told apart.

    A row padded by merged cells that prints one cell per column takes its cells in printed order (blanks
    read from positions that may be pieces of wrapped numbers only where ``holds`` does). Where
    several runs of cells hold all its values, those that satisfy the row's own identity (``holds``: its
    总计 is the sum of its parts) are the candidates when any does: a total printed last sits in the last
    column whichever side the padding is on; the table's habits settle what is left, and where they point
    at another run than the one the sum singles out the row is left undecided. A run that takes in a
    position another cell's span covers, as a blank cell, is one only where ``holds`` does: the span may be the
    row's label's (a PDF table whose ruling leaves a column out).
    """
    padded = _padded(cells)
    if not padded and len(cells) == width:
        return cells[:]  # one cell per column and no span (most rows): the only run of cells there is
    printed = _spread(cells, width) if padded else None
    if printed is not None and (holds is None or not any(c.blanks_need_sums for c in cells) or holds(printed)):
        return printed
    offsets = window_offsets(cells, width)
    if holds is not None and padded and any(c.merged for c in cells):
        # a covered position read as a blank cell may be a label's span: only where sums hold
        offsets = [o for o in offsets if not any(c.merged for c in cells[o:o + width]) or holds(cells[o:o + width])]
    if holds is not None and len(offsets) > 1:
        holding = [o for o in offsets if holds(cells[o:o + width])]
        if len(holding) == 1:
            preferred = preferred() if callable(preferred) else preferred
            if preferred in offsets and preferred != holding[0]:
                return None  # the table's habit and the row's sum disagree: a blank 总计 breaks the sum
        offsets = holding or offsets
    if not offsets:
        return None
    if len(offsets) == 1:
        return cells[offsets[0]:offsets[0] + width]
    if callable(preferred):
        preferred = preferred()
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
    settled row has is followed, rows whose own identity (``holds``) settles them counted too: where those put
    their padding on the other side than rows of one cell per column, no side is followed. The habits are counted
    when a row first needs them: in most tables every row fits one offset.
    """

    def __init__(self, rows: list[list[TextCell]], starts: list[int], width: int,
                 holds: Callable[[list[TextCell]], bool] | None = None) -> None:
        self.width = width
        self.rows = rows
        self.starts = starts
        self.holds = holds

    @cached_property
    def _counted(self) -> tuple[dict[tuple[int, int], int], int | None, int | None]:
        """The offset of each row shape, and the leading and trailing gaps every settled row has (or None)."""
        shapes: dict[tuple[int, int], Counter[int]] = {}
        leading: Counter[int] = Counter()
        trailing: Counter[int] = Counter()
        for cells, start in zip(self.rows, self.starts, strict=True):
            offsets = window_offsets(cells, self.width)
            if len(offsets) != 1:
                summed = self._by_sums(cells, offsets)
                if summed is not None:  # the row's sum says which side its padding is on: a habit, no shape
                    leading[summed] += 1
                    trailing[len(cells) - self.width - summed] += 1
                continue
            shape = (start, len(cells))
            if shape not in shapes:  # not setdefault: a Counter is costly to make for every row
                shapes[shape] = Counter()
            shapes[shape][offsets[0]] += 1
            leading[offsets[0]] += 1
            trailing[len(cells) - self.width - offsets[0]] += 1
        return ({shape: max(counts.items(), key=itemgetter(1))[0] for shape, counts in shapes.items()},
                next(iter(leading)) if len(leading) == 1 else None,
                next(iter(trailing)) if len(trailing) == 1 else None)

    def _by_sums(self, cells: list[TextCell], offsets: list[int]) -> int | None:
        """The one offset of several under which the row's own identity holds (``holds``), if there is one."""
        if self.holds is None or len(offsets) < 2:
            return None
        holding = [o for o in offsets if self.holds(cells[o:o + self.width])]
        return holding[0] if len(holding) == 1 else None

    def preferred(self, cells: list[TextCell], start: int) -> Callable[[], int | None]:
        """The offset this table's habits suggest for a row of ``cells`` starting at column ``start``, looked up
        when ``choose_window`` asks (only for a row several offsets fit: there is something to settle)."""
        return lambda: self._preferred(cells, start)

    def _preferred(self, cells: list[TextCell], start: int) -> int | None:
        shapes, leading, trailing = self._counted
        if (start, len(cells)) in shapes:
            return shapes[(start, len(cells))]
        if trailing is not None:
            return len(cells) - self.width - trailing
        return leading


def _last_naming(matches: list[Match]) -> int | None:
    """Index of the rightmost match that names a row; None when none does."""
    for position in range(len(matches) - 1, -1, -1):
        if matches[position].keys:
            return position
    return None


def match_row(split: Split, index: LabelIndex, fuzzy: bool) -> Match:
    """The label cells' text joined, when it is a row's whole label; else the rightmost label cell that names a
    row wins, the cells before it, nearest first, narrowing it down when they agree (a label broken over several
    cells reads right to left). A numbered label after it that
    names no row starts another row, whose values these are: no match then."""
    if len(split.labels) == 1:  # one label (most rows): its match, a fuzzy one when asked for and it has none
        text = split.labels[0].text
        match = index.match(text)
        if fuzzy and not match.keys:
            match = index.match(text, fuzzy=True)
        return match if match.keys else NO_MATCH
    joined = index.match("".join(c.text for c in split.labels))
    if joined.how == "exact":
        return joined  # one label a reader cut across cells (（六）其他 | 处理): not the row a piece names
    matches = [index.match(c.text) for c in split.labels]
    position = _last_naming(matches)
    if fuzzy and position is None:
        matches = [index.match(c.text, fuzzy=True) for c in split.labels]
        position = _last_naming(matches)
    if position is None or (position + 1 < len(matches)
                            and any(is_numbered(cell.text) for cell in split.labels[position + 1:])):
        return NO_MATCH  # a numbered label after the match starts a row no label names (cut short: 2.重复申)
    chosen = matches[position]
    for other in reversed(matches[:position]):
        if len(chosen.keys) == 1:
            break
        common = chosen.keys & other.keys
        if common:
            chosen = Match(common, chosen.how)
    return chosen


def to_cell(cell: TextCell) -> Cell:
    """The report cell of a table cell: its text as printed, the number it states, where it was found."""
    raw, value = _printed_value(cell.text)
    return Cell(raw, value, cell.at)


def printed_values(cells: list[TextCell]) -> tuple[str, ...]:
    """The texts of a row's value cells as printed, whitespace aside: two copies of a row state the same when
    these are equal."""
    return tuple(squash(cell.text) for cell in cells)


@lru_cache(maxsize=4096)
def _printed_value(text: str) -> tuple[str, int | float | None]:
    """A cell's text without the blanks around it, and the number it states (remembered: a table's cells repeat
    the same few texts, 0 and 无 above all)."""
    raw = text.strip()
    return raw, parse_value(raw)[0]


def _lone_cell(row: Row) -> TextCell | None:
    """The row's only non-blank cell; None when it has none or several."""
    found = None
    for cell in row.cells:
        if cell.text and not cell.text.isspace():
            if found is not None:
                return None
            found = cell
    return found


def _joined_values(row: Row, before: TextCell, width: int | None) -> list[TextCell]:
    """The cells of a row that holds fewer than a table row's ``width`` of them, all values or marks of nothing,
    on one line a paragraph after the cell ``before``: cells of a table printed one per paragraph that the dump
    joined where they stood close (plain ``pdftotext`` prints ``— 0`` for two narrow cells side by side), left to
    right. Empty otherwise."""
    line, previous = row.at.get("line"), before.at.get("line")
    if width is None or not isinstance(line, int) or not isinstance(previous, int) or line - previous != DUMP_STEP:
        return []
    cells = [cell for cell in row.cells if cell.text and not cell.text.isspace()]
    return cells if 1 < len(cells) < width and TEXT not in cell_kinds(row) else []


@dataclass(frozen=True, slots=True)
class LabelRoles:
    """What a label line of a table means when its rows are rebuilt: the start of a row's label, or
    a piece of the table's header (column labels, group labels printed beside several rows)."""

    starts_row: Callable[[str], bool]
    is_header: Callable[[str], bool]
    holds: Callable[[list[TextCell]], bool]
    """Whether a row's values in these columns satisfy the table's own row identity."""
    names_row: Callable[[str], bool]
    """Whether a whole label names one row that holds values in the report's template (no group label, no header
    piece)."""
    covered: int = 0
    """How many group labels may stand beside a row (their cells merged down over it): a dump printing a line per
    cell prints an empty line for each before the row's label."""


def regroup_loose(rows: list[Row], least: int, width: int | None = None, roles: LabelRoles | None = None,
                  end: int | None = None) -> list[Row]:
    """Rows of a table printed one cell per line with no marker at all (as plain ``pdftotext`` prints it):
    each run of label lines and the value lines after it, when at least ``least`` of them are bare values and
    one a number (lone 无 lines are read as a table that states nothing), become one row; label lines with no
    values after them stay as they are. With ``width``, a value run holding a whole number of rows of that width more
    than one gives the labels their row and each further ``width`` values a label-less row. With ``roles``,
    header pieces keep rows of their own, and a run whose labels start as many rows as its values fill is
    paired row by row in order; when the counts disagree, no label is given values, and when header pieces
    follow a row's label, or the values were printed column by column, the values are kept together but
    marked as of uncertain order; so are they when the run touches a row short of values (a row whose
    numbers wrapped onto the lines of the run), and so is a row of values that were not printed on
    consecutive lines (where blank cells vanish unseen) unless they satisfy the row identity. When some
    run of loose values does not fill whole rows (a blank cell lost, a number wrapped into pieces that
    float elsewhere), no loose row of the table is trusted, but for groups a dump printing each cell as a paragraph
    shows to be whole rows (``_spaced_rows``). ``end`` is the line of the text after ``rows``
    (the next part's heading): after a run's last row, as after any other, it shows where the row's lines end."""
    out: list[Row] = []
    run: list[tuple[Row, TextCell]] = []
    before: Row | None = None
    regrouped: list[Row] = []
    stray = False
    pieces: dict[int, Row | None] = {}
    for row in [*rows, None]:
        cell = _lone_cell(row) if row is not None else None
        if row is not None and cell is not None:
            run.append((row, cell))
            continue
        joined = _joined_values(row, run[-1][1], width) if run and row is not None else []
        if row is not None and joined:  # a few cells of a run that the dump printed on one line: each its own
            for i, value in enumerate(joined):
                piece = Row([value], value.at, row.in_table)
                pieces[id(piece)] = None if i else row
                run.append((piece, value))
            continue
        if not run:  # no lone cells before the row (most rows of a table): nothing to regroup
            if row is not None:
                out.append(row)
                before = row
            continue
        count = sum(1 for _, c in run if cell_kind(c.text) != TEXT)
        if count >= least and any(cell_kind(c.text) == NUMBER for _, c in run):
            touching = roles is not None and width is not None and (
                _short_next_to(before, run[0][1], width) or _short_next_to(row, run[-1][1], width))
            following = row.at.get("line") if row is not None else end
            made, loose, short = (_uncertain(run), [], False) if touching else _regroup(
                run, width, roles, following if isinstance(following, int) else None,
                (not _has_value(before), not _has_value(row)))
            regrouped += loose
            stray = stray or short
            out.extend(made)
        else:
            out.extend(original for r, _ in run if (original := pieces.get(id(r), r)) is not None)
            stray = stray or (width is not None and count % width != 0)
        run = []
        if row is not None:
            out.append(row)
            before = row
    if roles is not None and stray:
        for row in regrouped:
            row.at = {**row.at, "order": UNCERTAIN_ORDER}
    return out


Group = tuple[list[tuple[Row, TextCell]], list[TextCell], TextCell | None]
"""Label lines of a run, the values after them, and the next label line (None at the run's end)."""


def _one_row(labels: list[tuple[Row, TextCell]], values: list[TextCell], most: int,
             roles: LabelRoles) -> tuple[list[TextCell], int] | None:
    """The label cells (header pieces left out) of the one row ``labels`` start and the line of the last,
    when it has fewer than ``most`` values; None otherwise."""
    own = [cell for _, cell in labels if not roles.is_header(cell.text)]
    last = own[-1].at.get("line") if own else None
    if sum(1 for cell in own if roles.starts_row(cell.text)) != 1 or not 0 < len(values) < most \
            or not isinstance(last, int):
        return None
    return own, last


def _after_headers(labels: list[tuple[Row, TextCell]], roles: LabelRoles, row: Row) -> list[Row]:
    """The header pieces among ``labels`` as rows of their own, then ``row``."""
    return [*(r for r, cell in labels if roles.is_header(cell.text)), row]


def _by_lines(labels: list[tuple[Row, TextCell]], values: list[TextCell], after: object, width: int,
              roles: LabelRoles, proof: LineProof) -> list[Row] | None:
    """One row's label and its values (``width`` at most), printed one cell per line with an empty line for
    each blank cell (LibreOffice's text export): the values' lines say their columns. Only when they fit
    the ``width`` lines after the label, the next label (line ``after``) comes after those lines (with no
    next label, a value stands on the last of them), and the run shows that it prints a line per cell
    (``proof``: a dump that puts a blank line after every cell, or none for a blank cell, says nothing of
    where the blank cells were). Where no row of the run prints all its cells on the lines right after
    its label, the cells so placed must also satisfy the row identity (a dump with blank lines of its own
    between cells may still fit); None otherwise."""
    before = _rows_before(labels, width, roles) if proof is not LineProof.NONE else None
    if before is None:
        return None
    made, labels = before
    found = _one_row(labels, values, width + 1, roles)
    if found is None:
        return None
    own, last = found
    lines = [cell.at.get("line") for cell in values]
    if (proof is LineProof.VANISHED and len(values) < width) or ((after is None and last + width not in lines)
            or (isinstance(after, int) and after <= last + width)
            or not all(isinstance(line, int) and last < line <= last + width for line in lines)):
        return None
    at = {line: cell for line, cell in zip(lines, values, strict=True)}
    cells = [at.get(line, TextCell("", {"line": line})) for line in range(last + 1, last + width + 1)]
    if proof not in (LineProof.FULL_ROWS, LineProof.SPACED) and not roles.holds(cells):
        return None
    return [*made, *_after_headers(labels, roles, Row([*own, *cells], own[0].at, in_table=True))]


def _rows_before(labels: list[tuple[Row, TextCell]], width: int, roles: LabelRoles
                 ) -> tuple[list[Row], list[tuple[Row, TextCell]]] | None:
    """The label lines before the last one that starts a row, read by lines: a label with ``width`` empty
    lines after it is a row of blank cells, one on the line right before the next label a group label
    printed beside it, text above the first that starts a row a heading or caption (rows as they are); and the
    labels left. None when another line stands between."""
    starts = [i for i, (_, cell) in enumerate(labels) if roles.starts_row(cell.text)]
    if len(starts) < 2:
        return [], labels
    made: list[Row] = []
    for i in range(starts[-1]):
        row, cell = labels[i]
        line, following = cell.at.get("line"), labels[i + 1][1].at.get("line")
        if not isinstance(line, int) or not isinstance(following, int):
            return None
        if following == line + 1 or roles.is_header(cell.text) or i < starts[0]:
            made.append(row)
        elif following > line + width and roles.starts_row(cell.text):
            blanks = [TextCell("", {"line": k}) for k in range(line + 1, line + width + 1)]
            made.append(Row([cell, *blanks], cell.at, in_table=True))
        else:
            return None
    return made, labels[starts[-1]:]


def _in_order(labels: list[tuple[Row, TextCell]], values: list[TextCell], after: object, width: int,
              roles: LabelRoles, closing: bool = False) -> list[Row] | None:
    """One row's label and fewer than ``width`` values on the lines right after it, the next label right after
    them (or, ``closing`` the table, the text after it after them, empty lines between): the values are the row's,
    in order, though where its blank cells were is not shown (their lines left out); the row is marked
    ``PRINTED_ORDER`` for the extractor to place them by the table's sums. Labels before the row's (a group
    label printed beside it) are rows as ``_rows_before`` reads them."""
    before = _rows_before(labels, width, roles)
    if before is None:
        return None
    made, labels = before
    found = _one_row(labels, values, width, roles)
    if found is None or not isinstance(after, int):
        return None
    own, last = found
    lines = [cell.at.get("line") for cell in values]
    if lines != list(range(last + 1, last + 1 + len(values))) or not (
            after == last + 1 + len(values) or (closing and after > last + len(values))):
        return None
    return [*made, *_after_headers(labels, roles, Row([*own, *values], {**own[0].at, "order": PRINTED_ORDER},
                                                      in_table=True))]


def _has_value(row: Row | None) -> bool:
    """Whether the row holds a cell that is no text (a value or a mark of nothing)."""
    return row is not None and any(cell.text.strip() and cell_kind(cell.text) != TEXT for cell in row.cells)


def _short_next_to(row: Row | None, cell: TextCell, width: int) -> bool:
    """Whether ``row`` holds some values but fewer than ``width`` and sits on the line next to ``cell``."""
    if row is None:
        return False
    line, other = row.at.get("line"), cell.at.get("line")
    values = sum(1 for c in row.cells if c.text.strip() and cell_kind(c.text) != TEXT)
    return isinstance(line, int) and isinstance(other, int) and abs(line - other) == 1 and 0 < values < width


def _uncertain(run: list[tuple[Row, TextCell]]) -> list[Row]:
    """The run's label lines as they are and all its values as one row of uncertain order."""
    values = [cell for _, cell in run if cell_kind(cell.text) != TEXT]
    return [*(row for row, cell in run if cell_kind(cell.text) == TEXT),
            Row(values, {**values[0].at, "order": UNCERTAIN_ORDER}, in_table=True)]


def _groups(run: list[tuple[Row, TextCell]]) -> Iterator[Group]:
    """The run as (label lines, the values after them, the next label line), in order; the last group has
    no next label, and may have no values."""
    labels: list[tuple[Row, TextCell]] = []
    values: list[TextCell] = []
    for row, cell in run:
        if cell_kind(cell.text) != TEXT:
            values.append(cell)
            continue
        if values:
            yield labels, values, cell
            labels, values = [], []
        labels.append((row, cell))
    yield labels, values, None


def _cell_per_line(groups: list[Group], width: int, roles: LabelRoles) -> bool:
    """Whether the run may print one cell per line with nothing between (LibreOffice's text export): no label
    is wrapped over lines and no row holding all ``width`` values has a line between them or after its label
    (plain ``pdftotext`` puts empty lines of its own between cells, which a blank cell's cannot be told from)."""
    if any(_wrapped(labels, roles) for labels, _, _ in groups):
        return False
    full = [(labels, values) for labels, values, _ in groups if labels and len(values) == width]
    return all(
        [v.at.get("line") for v in values] == list(range(first + 1, first + width + 1))
        for labels, values in full if isinstance(first := labels[-1][1].at.get("line"), int))


def _wrapped(labels: list[tuple[Row, TextCell]], roles: LabelRoles) -> bool:
    """Whether a row's label goes on over the next line (a line neither starting a row nor a header piece nor a
    year caption follows it): the dump breaks cells over lines, as LibreOffice's text export never does."""
    started = False
    for _, cell in labels:
        if roles.starts_row(cell.text):
            started = True
        elif started and not roles.is_header(cell.text) and not is_caption(cell.text):
            return True
    return False


def _regroup(run: list[tuple[Row, TextCell]], width: int | None, roles: LabelRoles | None,
             following: int | None, edges: tuple[bool, bool]) -> tuple[list[Row], list[Row], bool]:
    """The run as rows, those of them made by counting values, and whether the values after some label did not
    fill whole rows; rows whose blank cells show as empty lines (``_by_lines``) are exact, not counted.
    ``following`` is the line of the text after the run (None: not known), which ends its last row where every
    row shows the lines it takes (``LineProof.SPACED``): elsewhere an empty line before it may be the dump's own.
    ``edges`` says whether the text before the run and the text after it hold no value (see ``_spaced_rows``)."""
    out: list[Row] = []
    loose: list[Row] = []
    short = False
    groups = list(_groups(run))
    by_lines = roles is not None and width is not None and _cell_per_line(groups, width, roles)
    proof = _line_proof(groups, width, roles.covered) if by_lines and width is not None and roles else LineProof.NONE
    spaced = _spaced_rows(groups, width, roles, following, edges) if roles is not None and width is not None else {}
    for index, (labels, values, cell) in enumerate(groups):
        if not values:
            out.extend(row for row, _ in labels)
            continue
        after = cell.at.get("line") if cell is not None else following if proof is LineProof.SPACED else None
        folios = [value for value in values if value.at.get(MAYBE_FOLIO)]
        if folios and roles is not None and width is not None and folio_void(values, roles.holds, width):
            values = [replace(value, at=_sure(value.at)) if value.at.get(MAYBE_FOLIO) else value for value in values]
        if any(value.at.get("order") == UNCERTAIN_ORDER for value in values[1:]) \
                or values[0].at.get(MAYBE_FOLIO):
            out += [*(row for row, _ in labels), Row(values, {**values[0].at, "order": UNCERTAIN_ORDER}, in_table=True)]
            continue  # a page break cut the row's values, or its page's number may stand among them: their order
            # is not sure
        exact = None
        if by_lines and roles is not None and width is not None:
            # where blank cells take no line, a text after the values that starts no row (a note) closes the table
            closing = cell is None or (proof is LineProof.VANISHED and not roles.starts_row(cell.text))
            exact = (_by_lines(labels, values, after, width, roles, proof)
                     or _in_order(labels, values, following if cell is None else after, width, roles, closing))
        exact = exact or spaced.get(index)
        if exact is None:
            made = _rows_of(labels, values, width, roles)
            loose += [r for r in made if len(r.cells) > 1]
            short = short or (width is not None and len(values) % width != 0)
        out.extend(exact or made)
    return out, loose, short


def folio_void(values: list[TextCell], holds: Callable[[list[TextCell]], bool], width: int) -> bool:
    """Whether no value of a row that may be its page's number (``MAYBE_FOLIO``) is: the row's ``width`` values hold
    its identity (``holds``) with them, and would not with any of them left out and a blank cell in any column
    instead (a page number amid a row's values fills the place of a blank cell)."""
    if len(values) != width or not holds(values):
        return False
    for k, value in enumerate(values):
        rest = values[:k] + values[k + 1:]
        if value.at.get(MAYBE_FOLIO) and any(holds([*rest[:j], TextCell("", {}), *rest[j:]]) for j in range(width)):
            return False
    return True


def _sure(at: At) -> At:
    """``at`` without the doubt that its value may be its page's number."""
    return {key: item for key, item in at.items() if key not in (MAYBE_FOLIO, "order")}


DUMP_STEP = 2
"""Lines from one cell to the next where a dump prints every cell as a paragraph of its own (plain ``pdftotext``: an
empty line after each)."""


def _spaced_rows(groups: list[Group], width: int, roles: LabelRoles, following: int | None,
                 edges: tuple[bool, bool]) -> dict[int, list[Row]]:
    """The groups of a run printed cell by cell as paragraphs (plain ``pdftotext``) whose values are whole rows, by
    the group's index. A label followed by one row of values and with no other row's label before it in the group
    makes a row with them, the labels before it (group labels, a repeated header) left as they are. Other values
    (after a numbered group label; several rows after a label, or one row after several rows' labels: rows whose
    labels a page break printed ahead of or after their values) are rows of their own, their labels too, for the
    extractor to place by the order and the count of the rows around them; values after a column's header are not
    (a dump reading the header column by column prints their row's values out of order).

    A group is printed as whole rows when its last label lines (one label wrapped over adjacent lines) start a row
    (or a group of rows) and are followed by ``width`` values or a multiple, each ``DUMP_STEP`` lines after the one
    before, the next text no nearer. Such a dump also prints a row's values before its label, or some of them among
    the next row's, so a group is taken only when its label names a row of the report (or a group of rows), each
    row of its values satisfies the row identity, and the groups on either side are printed as whole rows too (at
    the run's ``edges``: the text before or after the run holds no value): values shifted from the row before, or
    spilling into the row after, leave a neighbour with values that fill no whole rows, or none after its label. A
    group of one row needs one such neighbour only: a value shifted into it from the other side keeps its count only
    by pushing one of its own into the whole neighbour, which then fills no whole rows either (a page break's mess
    on one side of a row no longer hides it), or by one of its own cells printing nothing there (a blank cell, or a
    value printed elsewhere). Values so shifted are the next row's printed ahead of its label (its first values
    stand level with its label's first line), so a row whose whole neighbour is the one before it is not taken
    where its last values read as 0 and the rest hold the row identity too (``_may_be_lent``): the sum cannot tell
    them from its own. A group of one row whose values break the row identity (a report's own mistake) is taken
    between two groups whose values hold theirs, or one such group and an edge of the run: values shifted into or out
    of it would break a neighbour's sums or count, or come from text holding no value. Without such neighbours (a row
    whose blank cells print nothing is never whole), a group is taken where each row of its values holds the row
    identity, and neither the first values of its first row nor the last of its last read as 0 with the rest holding
    it too (``_may_be_borrowed``, ``_may_be_lent``): a value shifted in from either side, no 0, breaks the sum but by
    chance."""
    lines = [cell.at.get("line") if cell is not None else following for _, _, cell in groups]
    blocks = [_whole_rows(labels, values, after, width, roles)
              for (labels, values, _), after in zip(groups, lines, strict=True)]
    whole = [block is not None for block in blocks]
    chunked = [[values[start:start + width] for start in range(0, len(values), width)] for _, values, _ in groups]
    holding = [block is not None and all(roles.holds(chunk) for chunk in chunks)
               for block, chunks in zip(blocks, chunked, strict=True)]
    out: dict[int, list[Row]] = {}
    for i, ((labels, values, _), block, chunks) in enumerate(zip(groups, blocks, chunked, strict=True)):
        if block is None:
            continue
        before = whole[i - 1] if i else edges[0]
        after = whole[i + 1] if i + 1 < len(groups) and groups[i + 1][1] else i + 2 >= len(groups) and edges[1]
        one = len(chunks) == 1
        beside = (before and after) or (one and (before or after)
                                        and not (before and _may_be_lent(values, width, roles.holds)))
        between = one and (holding[i - 1] if i else edges[0]) and (
            holding[i + 1] if i + 1 < len(groups) else edges[1])
        alone = holding[i] and not _may_be_lent(chunks[-1], width, roles.holds) \
            and not _may_be_borrowed(chunks[0], width, roles.holds)
        if not ((holding[i] and beside) or between or alone):
            continue
        rows = [Row(chunk, chunk[0].at, in_table=True) for chunk in chunks]
        label = TextCell(_joined_text(block), block[0].at)
        ahead = labels[:len(labels) - len(block)]
        if roles.names_row(label.text) and len(chunks) == 1 and not any(
                roles.starts_row(cell.text) and not roles.is_header(cell.text) for _, cell in ahead):
            out[i] = [*(row for row, _ in ahead), Row([label, *values], block[0].at, in_table=True)]
        elif roles.names_row(label.text) or (is_numbered(label.text) and roles.is_header(label.text)):
            out[i] = [*(row for row, _ in labels), *rows]
    return out


def _may_be_lent(values: list[TextCell], width: int, holds: Callable[[list[TextCell]], bool]) -> bool:
    """Whether the last values of a row may be the next row's, printed ahead of its label: a run of them at the end
    reading as 0 (marks of nothing or 0), without which the rest, blank cells in their stead, satisfy the row
    identity too. Such values add nothing to the sum, which cannot tell them from the row's own."""
    for lent in range(1, width):
        if parse_value(values[-lent].text)[0]:
            return False
        if _holds_with_blanks(values[:width - lent], width, holds):
            return True
    return False


def _may_be_borrowed(values: list[TextCell], width: int, holds: Callable[[list[TextCell]], bool]) -> bool:
    """Whether the first values of a row may be the row before's, printed after this row's label: a run of them at
    the start reading as 0, without which the rest, blank cells in their stead, satisfy the row identity too."""
    for borrowed in range(1, width):
        if parse_value(values[borrowed - 1].text)[0]:
            return False
        if _holds_with_blanks(values[borrowed:], width, holds):
            return True
    return False


def _holds_with_blanks(values: list[TextCell], width: int, holds: Callable[[list[TextCell]], bool]) -> bool:
    """Whether the values, in order, with blank cells put among them to fill ``width`` columns, satisfy ``holds``
    for some placement of the blank cells."""
    for blanks in itertools.combinations(range(width), width - len(values)):
        own = iter(values)
        if holds([TextCell("", {}) if column in blanks else next(own) for column in range(width)]):
            return True
    return False


def _whole_rows(labels: list[tuple[Row, TextCell]], values: list[TextCell], after: object, width: int,
                roles: LabelRoles) -> list[TextCell] | None:
    """The label lines of a group printed cell by cell as whole rows (see ``_spaced_rows``): ``width`` values or a
    multiple (the first row's, then rows whose labels are printed elsewhere); None when it is not so printed."""
    block = _label_block(labels)
    if not values or len(values) % width or not block or not roles.starts_row(_joined_text(block)):
        return None
    last = block[-1].at.get("line")
    lines = [line for line, _ in itertools.groupby(cell.at.get("line") for cell in values)]  # cells joined on a line
    end = last + DUMP_STEP * (len(lines) + 1) if isinstance(last, int) else None
    if end is None or not isinstance(after, int) or after < end \
            or lines != list(range(end - DUMP_STEP * len(lines), end, DUMP_STEP)):
        return None
    return block


def _joined_text(cells: list[TextCell]) -> str:
    """The text of a label wrapped over the cells' lines."""
    return "".join(cell.text.strip() for cell in cells)


def _label_block(labels: list[tuple[Row, TextCell]]) -> list[TextCell]:
    """The last label lines that stand on adjacent lines (a label wrapped over them), in order."""
    block = [labels[-1][1]] if labels else []
    for _, cell in reversed(labels[:-1]):
        line, below = cell.at.get("line"), block[-1].at.get("line")
        if not isinstance(line, int) or not isinstance(below, int) or line + 1 != below:
            break
        block.append(cell)
    return block[::-1]


class LineProof(enum.Enum):
    """What a run printed one cell per line shows of its empty lines: nothing, values on adjacent lines more
    often than apart (no empty lines of the dump's own between cells), also a row holding all its cells
    on the lines right after its label, every row taking a line per cell (``_spaced_by_width``), or a row taking
    fewer (``VANISHED``)."""

    NONE = 0
    ADJACENT = 1
    FULL_ROWS = 2
    SPACED = 3
    VANISHED = 4
    """Values on adjacent lines, and a row whose next label stands fewer lines after its label than a line per
    cell takes (``_fewer_lines``): blank cells take no line, so only rows printing all their cells are read so."""


def mostly_adjacent(runs: list[list[int]]) -> bool:
    """Whether values printed one per line, on these runs of lines, stand on adjacent lines more often than
    apart: a dump with empty lines of its own between cells has them apart almost everywhere, so only
    otherwise does an empty line stand for a blank cell."""
    steps = [b - a for lines in runs for a, b in itertools.pairwise(lines)]
    return sum(step == 1 for step in steps) > sum(step > 1 for step in steps)


def _line_proof(groups: list[Group], width: int, covered: int) -> LineProof:
    """What the run shows of its empty lines: two values on adjacent lines more often than apart (a dump with
    empty lines of its own between cells has them apart almost everywhere), a row taking fewer lines than its
    cells (``_fewer_lines``), and rows holding all their cells; or rows that each take a line per cell (see
    ``_spaced_by_width``)."""
    if _spaced_by_width(groups, width, covered):
        return LineProof.SPACED
    lines = [[line for cell in values if isinstance(line := cell.at.get("line"), int)] for _, values, _ in groups]
    if not mostly_adjacent(lines):
        return LineProof.NONE
    if any(_fewer_lines(group, width) for group in groups):
        return LineProof.VANISHED
    full = any(labels and len(values) == width for labels, values, _ in groups)
    return LineProof.FULL_ROWS if full else LineProof.ADJACENT


def _fewer_lines(group: Group, width: int) -> bool:
    """Whether a row's label and the next label stand fewer lines apart than a row printing a line per cell takes
    (its label's and ``width``): the row's blank cells took no line, so an empty line is none of its cells."""
    labels, values, following = group
    if not labels or not values or following is None:
        return False
    label, after = labels[-1][1].at.get("line"), following.at.get("line")
    return isinstance(label, int) and isinstance(after, int) and after - label < width + 1


SPACED_ROWS = 3
"""The fewest rows that, each taking a line per cell, show that a dump prints one (``_spaced_by_width``)."""


def _spaced_by_width(groups: list[Group], width: int, covered: int) -> bool:
    """Whether every row of the run has its values on the ``width`` lines after its label and the next label after
    those lines, at most ``covered`` empty lines later (a group label's cell merged down over the row, printed
    empty before the next row's label), some row so followed prints fewer values than cells (its empty lines are
    blank cells), and at least ``SPACED_ROWS`` rows have a value on the line right after their label or after
    another value: a dump printing a line per cell, blank ones empty, whatever the share of blank cells (one
    printing an empty line of its own after each cell never puts two cells on adjacent lines)."""
    adjacent = 0
    short = False
    for labels, values, after in groups:
        if not labels or not values:
            continue
        last = labels[-1][1].at.get("line")
        lines = [line for cell in values if isinstance(line := cell.at.get("line"), int)]
        if not isinstance(last, int) or len(lines) != len(values) or not all(
                last < line <= last + width for line in lines):
            return False
        following = after.at.get("line") if after is not None else None
        if after is not None and not (isinstance(following, int)
                                      and last + width < following <= last + width + 1 + covered):
            return False
        short = short or (after is not None and len(values) < width)
        adjacent += any(b == a + 1 for a, b in itertools.pairwise([last, *lines]))
    return short and adjacent >= SPACED_ROWS


def _chunks(values: list[TextCell], width: int | None) -> list[list[TextCell]]:
    """The values as one row, or as rows of ``width`` when they fill several such rows exactly."""
    if width is not None and len(values) > width and not len(values) % width:
        return [values[i:i + width] for i in range(0, len(values), width)]
    return [values]


def _rows_of(labels: list[tuple[Row, TextCell]], values: list[TextCell], width: int | None,
             roles: LabelRoles | None) -> list[Row]:
    """The labels and the values printed after them as rows (see ``regroup_loose``)."""
    chunks = _chunks(values, width)
    if roles is None or width is None:
        return _joined([cell for _, cell in labels], chunks)
    rows = _labelled(labels, values, chunks, width, roles)
    if gapped(values):
        several = len(chunks) > 1  # several rows' values apart on their lines: a column's may sit among another's
        for row in rows:
            found = [c for c in row.cells if cell_kind(c.text) != TEXT]
            if len(found) == width and (several or not roles.holds(found)):
                row.at = {**row.at, "order": UNCERTAIN_ORDER}
    return rows


def gapped(values: list[TextCell]) -> bool:
    """Whether some values are not on the line right after the one before: there a blank cell may have
    been dropped unseen, so a run's count no longer tells where each row's values end."""
    lines = [cell.at.get("line") for cell in values]
    return any(not isinstance(a, int) or not isinstance(b, int) or b - a != 1 for a, b in itertools.pairwise(lines))


def _labelled(labels: list[tuple[Row, TextCell]], values: list[TextCell], chunks: list[list[TextCell]], width: int,
              roles: LabelRoles) -> list[Row]:
    """Header pieces as rows of their own, then the run's labels and values paired (see ``regroup_loose``)."""
    out = [row for row, cell in labels if roles.is_header(cell.text)]
    own = [(row, cell) for row, cell in labels if not roles.is_header(cell.text)]
    heads = [i for i, (_, cell) in enumerate(own) if roles.starts_row(cell.text)]
    if heads and (_interleaved(labels, own[heads[0]][1], roles) or _column_major(values, width)):
        return [*out, *(row for row, _ in own), Row(values, {**values[0].at, "order": UNCERTAIN_ORDER}, in_table=True)]
    if len(heads) <= 1:
        return out + _joined([cell for _, cell in own], chunks)
    if len(heads) != len(chunks):
        return out + [row for row, _ in own] + [Row(chunk, chunk[0].at, in_table=True) for chunk in chunks]
    out += [row for row, _ in own[:heads[0]]]
    for head, end, chunk in zip(heads, [*heads[1:], len(own)], chunks, strict=True):
        cells = [*(cell for _, cell in own[head:end]), *chunk]
        out.append(Row(cells, cells[0].at, in_table=True))
    return out


def _interleaved(labels: list[tuple[Row, TextCell]], head: TextCell, roles: LabelRoles) -> bool:
    """Whether header pieces follow a row's label in the run: the dump read the table column by column
    there, so the order of the values after it is not the order of the columns."""
    after = [cell for _, cell in labels[next(i for i, (_, c) in enumerate(labels) if c is head):]]
    return any(roles.is_header(cell.text) for cell in after)


def _column_major(values: list[TextCell], width: int | None) -> bool:
    """Whether the values come in blocks of adjacent lines shorter than a row (but not single cells): the
    dump printed several rows' values column by column."""
    if width is None:
        return False
    size = 1
    for previous, cell in itertools.pairwise([*values, None]):
        line = cell.at.get("line") if cell else None
        before = previous.at.get("line") if previous else None
        if isinstance(line, int) and isinstance(before, int) and line == before + 1:
            size += 1
            continue
        if 1 < size < width:
            return True
        size = 1
    return False


def _joined(labels: list[TextCell], chunks: list[list[TextCell]]) -> list[Row]:
    """The labels with the first chunk of values, and each further chunk a label-less row."""
    first = [*labels, *chunks[0]]
    return [Row(first, first[0].at, in_table=True), *(Row(chunk, chunk[0].at, in_table=True) for chunk in chunks[1:])]
