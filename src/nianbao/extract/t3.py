"""表三 rows → cells: rows found by their labels, label-less rows placed only between labelled
neighbours when the count leaves no doubt, columns taken from the right of each row.

Reports what it could not place as findings; never fills a position by counting numbers.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ..document import DOUBTED_BESIDE, PRINTED_ORDER, UNCERTAIN_ORDER, Row, TextCell
from ..findings import finding
from ..report import Cell, Finding
from ..schema import formats
from ..schema.expressions import instances
from ..settings import ExtractSettings
from ..values import BLANK, NUMBER, TEXT, cell_kind, is_blank, parse_value, squash
from .apart import placed_apart
from .broken import (
    join_broken_labels,
    join_label_lines,
    join_labels_around_values,
    join_labels_over_values,
    join_wrapped_labels,
)
from .glued import Glued, gapped_row, glued_text, is_glued, is_short, solve
from .labels import NO_MATCH, LabelIndex, Match, is_numbered
from .rows import (
    LabelRoles,
    OffsetHabits,
    Split,
    cell_kinds,
    choose_window,
    match_row,
    number_in_label,
    printed_cells,
    printed_values,
    split_row,
    to_cell,
    window_offsets,
)
from .years import agreed, at_key, choose_copy


@dataclass(slots=True)
class _Item:
    """A row of 表三 as read: its printed label and values, the official row it matches and its kind."""
    split: Split
    match: Match
    kind: str  # "data" (label and values), "label" (label only), "values" (values only), "uncertain" (see rows),
    # "group" (values beside a group label)


@lru_cache(maxsize=8)
def label_index(settings: ExtractSettings) -> LabelIndex:
    """The labels of 表三's rows (and their variants) to match printed labels against."""
    labels: list[tuple[str, str]] = []
    for spec in formats().t3_rows:
        labels.extend((spec.key, label) for label in (spec.label, *spec.variants))
    return LabelIndex(labels, settings.min_fragment_chars, settings.fuzzy_min_ratio, settings.label_max_chars,
                      _group_rows())


@lru_cache(maxsize=1)
def _header_texts() -> tuple[str, ...]:
    """Texts of 表三's header and of its group labels printed beside several rows, width-folded."""
    spec = formats()
    texts = {spec.t3_note_cell, spec.t3_applicants_cell}
    texts.update(text for col in spec.t3_columns for text in (col.label, col.group, *col.variants) if text)
    texts.update(row.label for row in spec.t3_rows if row.group)
    return tuple(_fold(text) for text in texts)


def _fold(text: str) -> str:
    return squash(unicodedata.normalize("NFKC", text))


def is_header_piece(text: str) -> bool:
    """Whether the text is a header cell of 表三 or a piece of one (a wrapped or vertical label)."""
    folded = _fold(text)
    return bool(folded) and any(folded in header for header in _header_texts())


@lru_cache(maxsize=1)
def _split_labels() -> tuple[str, ...]:
    """Labels of the rows of 表三 printed as a group of rows in some format (（六）其他处理), width-folded."""
    return tuple(_fold(row.label) for row in formats().t3_split_rows)


def is_group_piece(text: str) -> bool:
    """Whether the text is a header piece of 表三 (``is_header_piece``) or a piece of the label of a row some format
    prints as a group of rows: above a label of a row under it, it is that group's."""
    folded = _fold(text)
    return is_header_piece(text) or (bool(folded) and any(folded in label for label in _split_labels()))


ROW_IDENTITY = "T3.row_sum"
"""The rule every row of 表三 satisfies on its own (its 总计 is the sum of the applicant columns)."""


@lru_cache(maxsize=1)
def _row_terms() -> tuple[tuple[tuple[int, int], ...], float]:
    """The row identity as signed column positions and a constant whose sum is 0."""
    (_, _, comparison), = instances(ROW_IDENTITY, (order()[0],))
    terms = [(sign, key) for sign, key, _ in comparison.lhs.operands]
    terms += [(-sign, key) for sign, key, _ in comparison.rhs.operands]
    constant = comparison.lhs.constant - comparison.rhs.constant
    position = {col.key: i for i, col in enumerate(formats().t3_columns)}
    return tuple((sign, position[key.rsplit(".", 1)[1]]) for sign, key in terms), constant


ROUNDING = 1e-6


def row_holds(cells: list[TextCell]) -> bool:
    """Whether values in 表三's columns satisfy the row identity (blank and 无 read as 0)."""
    if len(cells) != len(formats().t3_columns):
        raise ValueError(f"a row of 表三 has {len(formats().t3_columns)} cells, not {len(cells)}")
    terms, constant = _row_terms()
    return abs(sum(sign * (parse_value(cells[i].text)[0] or 0) for sign, i in terms) + constant) <= ROUNDING


def label_roles(settings: ExtractSettings, template: str | None) -> LabelRoles:
    """How 表三's label lines read when its rows are rebuilt from one cell per line: a row starts at a
    numbered label naming a row, or at a whole label printed without its number; a whole label names a row of
    ``template`` that holds values (of every format when it is not known)."""
    index = label_index(settings)
    rows = _value_rows(template)

    def starts_row(text: str) -> bool:
        match = index.match(text)
        return bool(match.keys) and (is_numbered(text) or match.how == "exact")

    def names_row(text: str) -> bool:
        match = index.match(text)
        return match.how == "exact" and match.unique in rows and not is_header_piece(text)

    return LabelRoles(starts_row, is_header_piece, row_holds, names_row,
                      max(row.level for row in formats().t3_rows) - 1)


@lru_cache(maxsize=4)
def _value_rows(template: str | None) -> frozenset[str]:
    """Keys of the rows of 表三 that hold values in ``template``; with None, those that do in every format."""
    spec = formats()
    templates = [template] if template is not None else list(spec.templates)
    keys = [{row.key for row in spec.t3_data_rows(each)} for each in templates]
    return frozenset(set.intersection(*keys))


def order() -> list[str]:
    """Data rows of 表三 in printed order, both formats merged."""
    return [s.key for s in formats().t3_rows if not s.group]


@lru_cache(maxsize=1)
def _positions() -> dict[str, int]:
    """Each data row's place in ``order``."""
    return {key: i for i, key in enumerate(order())}


@lru_cache(maxsize=1)
def _group_rows() -> frozenset[str]:
    """Group rows (（三）不予公开 …): a subtotal printed on one is neither a data row nor a loose row."""
    return frozenset(s.key for s in formats().t3_rows if s.group)


_WIDE_GAP = re.compile(r"[ \t]{2,}|\u3000+")


def _spaced_labels(row: Row) -> Row:
    """A paragraph of labels set apart by wide gaps (a group label printed in front of a row's label, as
    column-aligned text prints a row with no value) as one label cell each."""
    if row.in_table or len(row.cells) != 1:
        return row
    parts = [part for part in _WIDE_GAP.split(row.cells[0].text.strip()) if part]
    if len(parts) < 2:
        return row
    return Row([TextCell(part, row.at) for part in parts], row.at, in_table=False)


_SPACE = re.compile(r"[ \t\u3000]+")


def _numbered_pieces(cell: TextCell) -> list[TextCell]:
    """A label cell as its pieces, a new piece at each numbered part after a space: a group label printed on
    the line of its first row's label (``三、本年度办理结果 （一）予以公开``, as text drawn in order prints it)
    is two labels, and the row's is the numbered one after the space (the group's would outweigh a row's label
    cut short in a match on the whole)."""
    parts = _SPACE.split(cell.text.strip())
    if len(parts) < 2:
        return [cell]
    pieces = [parts[0]]
    for part in parts[1:]:
        if is_numbered(part):
            pieces.append(part)
        else:
            pieces[-1] += f" {part}"
    return [cell] if len(pieces) == 1 else [TextCell(piece, cell.at) for piece in pieces]


_SPACED_NUMBER = re.compile(r"\S[ \t\u3000]+[(（一二三四五六七八九十\d]")
"""A space, then what may start a numbered label, after some text: where a label cell may hold two labels."""


def _labelled(split: Split) -> Split:
    """``split`` with its label cells in their numbered pieces (its row and values as they are)."""
    for cell in split.labels:  # a loop, not any(): asked of every row, and most labels hold no such space
        text = cell.text
        if (" " in text or "\t" in text or "\u3000" in text) and _SPACED_NUMBER.search(text):
            break
    else:
        return split
    return Split(split.row, [piece for cell in split.labels for piece in _numbered_pieces(cell)], split.values,
                 split.has_number)


def _row_of_cells(item: _Item, width: int) -> bool:
    """Whether the item prints a row's cells: a number, or a row's worth of marks or blanks beside a whole label (a
    piece of a label names its row only with a number: the tail a page break cut off from its values)."""
    split = item.split
    return split.has_number or (item.match.how != "fragment" and (
        len(split.values) >= width or printed_cells(split.values, width) is not None))


def _items(rows: list[Row], index: LabelIndex, width: int) -> list[_Item]:
    items = []
    groups = _group_rows()
    for row in rows:
        split = _labelled(split_row(_spaced_labels(row)))
        match = match_row(split, index, fuzzy=bool(split.values) and split.has_number)
        if match.unique in groups:
            if split.has_number:  # values beside a group label: a row's, printed off its own label's line
                items.append(_Item(split, match, "group"))
            continue
        if row.at.get("order") == UNCERTAIN_ORDER and not (match.unique and split.has_number):
            items.append(_Item(split, NO_MATCH, "uncertain"))
            continue
        if match.keys:
            # a row of blank cells names its row only by a whole label: a piece of one is the tail of a label
            # a page break cut off from its values; its marks fill the row, or show where its blank cells are
            item = _Item(split, match, "label")
            item.kind = "data" if _row_of_cells(item, width) else "label"
            items.append(item)
        elif split.has_number and len(split.values) >= 1:
            items.append(_Item(split, NO_MATCH, "values"))
    return items


class _Placer:
    """Assigns items to row keys: labelled anchors first, then gaps between them."""

    def __init__(self, items: list[_Item], template: str | None, width: int, rows: list[Row]) -> None:
        self.items = items
        self.width = width
        self.rows = rows
        """The rows the items were read from: where a row printing marks of nothing alone stands (no item)."""
        self.order = order()
        self.assigned: dict[str, _Item] = {}
        self.findings: list[Finding] = []
        self.template = template
        self.twice: dict[str, list[_Item]] = {}
        """The rows printed twice with values, the values differing (another year's rows printed beside this year's):
        which copy is this year's the print does not say, nor whether a row printed once is this year's. A copy is a
        whole label with the row's cells: pieces of a wrapped label each beside a value's wrapped digits are one row.
        One row whose copies a dump printed in an uncertain order is not counted: one may be another label read as
        its."""

    def run(self) -> None:
        anchors = self._anchors()
        expected = self.expected()
        bounds = [(-1, -1), *anchors, (len(self.items), len(self.order))]
        for (pos_a, idx_a), (pos_b, idx_b) in itertools.pairwise(bounds):
            if pos_b > pos_a + 1:  # items between two anchors (most anchors are next to each other)
                self._fill_gap(pos_a, pos_b, [k for k in self.order[idx_a + 1:idx_b]
                                              if k in expected and k not in self.assigned])
        copies: dict[str, list[_Item]] = {}
        for item in self.items:
            if item.match.unique in self.assigned and item.match.how != "fragment" and _row_of_cells(item, self.width):
                copies.setdefault(item.match.unique, []).append(item)
        twice = {key: items for key, items in copies.items()
                 if len(items) > 1 and len({printed_values(item.split.values) for item in items}) > 1}
        if len(twice) > 1 or any(item.split.row.at.get("order") != UNCERTAIN_ORDER
                                 for items in twice.values() for item in items):
            self.twice = twice
        if not self.twice:
            self.findings += [finding("S.duplicate_row", cells=[f"t3.{key}"], where=_label(key),
                                      at=[item.split.row.at for item in items[1:]])
                              for key, items in copies.items() if len(items) > 1]

    def _anchors(self) -> list[tuple[int, int]]:
        anchors: list[tuple[int, int]] = []
        for pos, item in enumerate(self.items):
            key = item.match.unique
            if item.kind != "data" or key is None:
                continue
            if key in self.assigned:
                item.kind = "used"
                continue
            idx = _positions()[key]
            self.assigned[key] = item
            item.kind = "used"
            if not anchors or idx > anchors[-1][1]:
                anchors.append((pos, idx))
        return anchors

    def expected(self) -> set[str]:
        """The rows of 表三 the table holds values in, by the rows it printed (a group row or its sub-rows)."""
        keys = set(self.order)
        for row in formats().t3_split_rows:
            subrows = _sub_rows(row.key)
            as_data = self.template is not None and not row.is_group(self.template)
            if row.key in self.assigned or (as_data and not subrows & set(self.assigned)):
                keys -= subrows - set(self.assigned)
            else:
                keys.discard(row.key)
        return keys

    def _fill_gap(self, start: int, end: int, missing: list[str]) -> None:
        if self._marks_between(start, end):
            for it in self.items[start + 1:end]:
                if it.kind == "values":
                    it.kind = "unplaced"
                    self.findings.append(_unplaced(it, missing))
            return  # a row of marks alone may be any missing row's: the gap's values are not placed by their order
        below = _values_below_label(self.items[start + 1:end], missing)
        if below is not None:
            key, values = below
            self.assigned[key] = values
            values.kind = "used"
            return
        loose = [it for it in self.items[start + 1:end]
                 if (it.kind == "values" and (len(it.split.values) >= self.width
                                              or printed_cells(it.split.values, self.width) is not None))
                 or it.kind == "data"]
        if not loose:
            return
        fits = len(loose) == len(missing) and all(
            it.kind == "values" or key in it.match.keys for it, key in zip(loose, missing, strict=True))
        if fits:
            for it, key in zip(loose, missing, strict=True):
                self.assigned[key] = it
                if it.kind == "values":
                    self.findings.append(finding("S.row_by_order", cells=[f"t3.{key}"], where=_label(key),
                                                 at=[it.split.row.at]))
                it.kind = "used"
            return
        for it in loose:
            it.kind = "unplaced"
            self.findings.append(_unplaced(it, missing))

    def _marks_between(self, start: int, end: int) -> bool:
        """Whether a row printing marks of nothing alone (no label, no number) stands between the items at ``start``
        and ``end`` (the ends of the items for -1 and their count)."""
        low = self.items[start].split.row.at.get("line") if start >= 0 else 0
        high = self.items[end].split.row.at.get("line") if end < len(self.items) else None
        if not isinstance(low, int) or not (high is None or isinstance(high, int)):
            return False
        return any(low < line and (high is None or line < high) for line in self._marks_lines)

    @cached_property
    def _marks_lines(self) -> list[int]:
        """The lines of the rows printing marks of nothing alone, found when a gap is first filled."""
        return [line for run in _marks_alone(self.rows) if run and isinstance(line := run[0].at.get("line"), int)]

    def candidates(self, position: int) -> list[str]:
        """The rows the values at ``position`` among the items may belong to: those left without a
        printed row between the nearest rows placed before and after it, in the format's order."""
        positions = _positions()
        placed = {id(item): positions[key] for key, item in self.assigned.items()}
        before = max((placed[id(it)] for it in self.items[:position] if id(it) in placed), default=-1)
        after = min((placed[id(it)] for it in self.items[position + 1:] if id(it) in placed),
                    default=len(self.order))
        expected = self.expected()
        return [key for key in self.order[before + 1:after] if key in expected and key not in self.assigned]


def _values_below_label(gap: list[_Item], missing: list[str]) -> tuple[str, _Item] | None:
    """The row and the line of values under it, for a row the gap lacks, when the gap holds that row's label (its
    lines, however wrapped) and then that line alone: the row printed its label above its values. Labels of rows the
    gap lacks before that row's may come first (rows printing their label alone, every cell blank: the line of values is
    printed after the next row's label, not theirs). A page break may cut the label, its rest printed after the
    values, past the repeated header: lines of the label after the values, and header pieces anywhere, leave the
    values the row's."""
    if not missing or len(gap) < 2:
        return None
    own = [it for it in gap if not _header_item(it)]
    values = [it for it in own if it.kind == "values"]
    if len(values) != 1 or own[0].kind != "label":
        return None
    at = own.index(values[0])
    before, after = own[:at], own[at + 1:]
    keys = before[-1].match.keys & set(missing) if before else frozenset()
    if len(keys) != 1:
        return None
    key = next(iter(keys))
    if not all(it.kind == "label" and key in it.match.keys for it in after):
        return None
    ends = len(before)
    while ends and key in before[ends - 1].match.keys:
        ends -= 1
    return (key, values[0]) if _blank_rows_before(before[:ends], missing[:missing.index(key)]) else None


def _blank_rows_before(labels: list[_Item], earlier: list[str]) -> bool:
    """Whether ``labels`` are lines of the labels of rows among ``earlier`` (rows lacking a line of values), in
    their order."""
    last = -1
    for item in labels:
        key = item.match.unique
        if item.kind != "label" or key not in earlier or earlier.index(key) < last:
            return False
        last = earlier.index(key)
    return True


def _header_item(item: _Item) -> bool:
    """Whether an item is a label made of pieces of 表三's header (a header repeated after a page break)."""
    return item.kind == "label" and all(is_header_piece(cell.text) for cell in item.split.labels)


def _unplaced(item: _Item, candidates: list[str]) -> Finding:
    """Values no row could be given, naming the rows they may belong to."""
    shown = " ".join(c.text for c in item.split.row.cells if c.text)
    names = "、".join(f"“{_label(key)}”" for key in candidates[:3]) + ("等" if len(candidates) > 3 else "")
    return finding("S.unplaced_row", cells=[f"t3.{key}" for key in candidates], actual=shown,
                   line=item.split.line or "?", candidates=f"（可能属于{names}）" if candidates else "",
                   at=[item.split.row.at])


@lru_cache(maxsize=8)
def _sub_rows(parent: str) -> frozenset[str]:
    """The rows printed under ``parent`` (deeper level, up to the next row of its level)."""
    return frozenset(row.key for row in formats().t3_children(parent))


def _subtotal_rows_dropped(items: list[_Item]) -> list[_Item]:
    """Without a row printed as data in one format (（六）其他处理) when its sub-rows are printed too: it is then
    their group row."""
    for row in formats().t3_split_rows:
        if any(it.match.unique in _sub_rows(row.key) and it.kind == "data" for it in items):
            items = [it for it in items if it.match.unique != row.key]
    return items


def _label(key: str) -> str:
    spec = next(s for s in formats().t3_rows if s.key == key)
    return spec.label


def _solve_glued(table: dict[str, dict[str, Cell]], glued: list[Glued], template: str | None,
                 order: list[str], settings: ExtractSettings) -> tuple[dict[str, dict[str, Cell]], list[Finding]]:
    """The table with the glued rows the identities split, in printed order, and the findings."""
    fixed = {f"t3.{row}.{col}": cell for row, cols in table.items() for col, cell in cols.items()}
    rows = tuple(k for k in order if k in table or any(g.keys[0].startswith(f"t3.{k}.") for g in glued))
    cells, findings = solve(glued, fixed, template, settings, rows)
    for key, cell in cells.items():
        _, row, col = key.split(".")
        table.setdefault(row, {})[col] = cell
    columns = [c.key for c in formats().t3_columns]
    return {k: {c: table[k][c] for c in columns if c in table[k]} for k in order if k in table}, findings


def _sandwiched(rows: list[Row], kept: set[object]) -> dict[object, TextCell] | None:
    """Lone tokens of nothing on a line of their own (or beside a group label, on a line no item ``kept``),
    by the lines of the label just above them and of the line below when it continues that label (a
    two-line label with its 无 printed between the lines); after a whole label, a label starting the next
    row (or nothing) below, the token is the label's (a dump printing one cell per line). A token that is a
    character of a label printed one character per line (（四）无法提供's 无, ``_vertical_character``) is none. None
    when such a token is anywhere else."""
    splits: dict[int, Split] = {}

    def split_at(i: int) -> Split:  # split when looked at: most tables end the search at their first number
        if i not in splits:
            splits[i] = split_row(rows[i])
        return splits[i]

    found: dict[object, TextCell] = {}
    for i in range(len(rows)):
        split = split_at(i)
        filled = [c for c in split.values if squash(c.text)]
        if not filled or (split.labels and split.row.at.get("line") in kept):
            continue
        above, below = (split_at(i - 1) if i else None), (split_at(i + 1) if i + 1 < len(rows) else None)
        if not split.labels and _vertical_character(above, filled, below):
            continue
        if (len(filled) > 1 or split.has_number or above is None or not above.labels
                or any(squash(c.text) for c in above.values)
                or (below is not None and (not below.labels or any(squash(c.text) for c in below.values)))):
            return None
        found[above.row.at.get("line")] = filled[0]
        if below is not None and not is_numbered(below.labels[0].text):
            found[below.row.at.get("line")] = filled[0]
    return found


def _vertical_character(above: Split | None, filled: list[TextCell], below: Split | None) -> bool:
    """Whether a line's lone mark stands between two lines of one character each that, joined with it, read a piece
    of 表三's header or group labels (``）`` / ``无`` / ``法``): a character of a label printed one per line."""
    if above is None or below is None or len(filled) != 1 or len(above.row.cells) != 1 or len(below.row.cells) != 1:
        return False
    before, after = above.row.cells[0].text.strip(), below.row.cells[0].text.strip()
    return len(before) == len(after) == 1 and is_header_piece(before + filled[0].text.strip() + after)


def _vertical_lines(rows: list[Row]) -> set[object]:
    """The lines whose lone mark is a character of a label printed one per line (``_vertical_character``): joined to
    the label above it, it is no value of that row."""
    found: set[object] = set()
    for i in range(1, len(rows) - 1):
        row = rows[i]
        if len(row.cells) == 1 and len(row.cells[0].text.strip()) == 1 and _vertical_character(
                split_row(rows[i - 1]), [row.cells[0]], split_row(rows[i + 1])):
            found.add(row.at.get("line"))
    return found


def _nil_rows(rows: list[Row], items: list[_Item], template: str | None) -> dict[str, TextCell | None] | None:
    """Rows of a table stating no number at all, as its labelled rows print them: each row's lone 无 (or
    other token of nothing) beside its label, between the lines of its label or on a line of its own under it
    (``_sandwiched``, however the label's lines were joined), or None for a row printed bare; a character of a label
    printed one per line joined to the label above it is none. None when the table states a number, has other values
    without a label, a row with more than one value or a value off its label's line, two rows of one label with a
    value each, or a value between the lines of a label that names no single row (between two labels that together
    name none, it is the label's above)."""
    if any(item.kind != "label" or item.split.has_number for item in items):
        return None  # a row with values or a number: most tables end here, before their rows are read again
    between = _sandwiched(rows, {item.split.row.at.get("line") for item in items})
    if between is None:
        return None
    keys = {r.key for r in formats().t3_data_rows(template)} if template else set(order())
    vertical = _vertical_lines(rows)
    alone = {token.at.get("line"): token for token in between.values()}
    found: dict[str, TextCell | None] = {}
    placed: dict[int, set[str]] = {}
    tokens: dict[int, TextCell] = {}
    for item in items:
        filled = [c for c in item.split.values if squash(c.text) and c.at.get("line") not in vertical]
        under = [alone[line] for c in filled if (line := c.at.get("line")) in alone]
        filled = [c for c in filled if c.at.get("line") not in alone]  # a token on its own line, joined under
        if len(filled) > 1 or (filled and filled[0].at.get("line") != item.split.labels[-1].at.get("line")):
            return None
        key = item.match.unique
        token = under[0] if len(under) == 1 and not filled else None if filled or under else between.get(
            item.split.row.at.get("line"))
        if token is not None:
            named = {k for k in item.match.keys if k in keys}
            both = placed.get(id(token), named) & named
            placed[id(token)] = both or placed.get(id(token), named)  # the label above's when the two name none
            tokens[id(token)] = token
        if key is None or key not in keys:
            continue
        if filled and found.get(key) is not None:
            return None
        if filled or key not in found:
            found[key] = filled[0] if filled else None
    printed = {id(token) for token in between.values()}
    if len(placed) != len(printed) or any(len(named) != 1 for named in placed.values()):
        return None
    for token_id, named in placed.items():
        key = next(iter(named))
        if found.get(key) is not None:
            return None
        found[key] = tokens[token_id]
    return found if any(found.values()) else None


def _marks_per_row(rows: list[Row], template: str | None, values_after: bool) -> dict[str, TextCell | None] | None:
    """Each row of a table stating no number with its mark of nothing, however the dump scattered the marks and
    labels (plain ``pdftotext`` prints a page's labels and its cells apart, a page break cutting labels around
    them): when the table prints no number and as many marks of one text as ``template`` has rows holding values,
    each row printed one (a unit that received nothing prints 无 in every 总计 cell, merged across its row or
    not), and every cell states nothing wherever the marks stand. A mark that is a character of a label printed
    one per line is none. None otherwise, or when some values may be printed after the section."""
    if template is None or values_after:
        return None
    marks: list[TextCell] = []
    for i, row in enumerate(rows):
        kinds = cell_kinds(row)
        if NUMBER in kinds:
            return None  # a table stating a number (most tables): read by its rows
        filled = [cell for cell, kind in zip(row.cells, kinds, strict=True) if kind == BLANK and squash(cell.text)]
        if len(filled) == 1 and len(row.cells) == 1 and 0 < i < len(rows) - 1 \
                and _vertical_character(split_row(rows[i - 1]), filled, split_row(rows[i + 1])):
            continue
        marks += filled
    keys = [row.key for row in formats().t3_data_rows(template)]
    if len(marks) != len(keys) or len({squash(cell.text) for cell in marks}) != 1:
        return None
    return dict(zip(keys, marks, strict=True))


def _nil_table(rows: dict[str, TextCell | None]) -> tuple[dict[str, dict[str, Cell]], list[Finding]]:
    """The cells of a table that states no number: a row's lone 无 is its 总计 (as a 无 merged across the
    row is read), the other cells blank. A single 无 printed off the first row may be a 无 merged down
    the 总计 column or over the whole table, printed where the merged cell's middle falls: not read."""
    columns = formats().t3_columns
    printed = [(key, nil) for key, nil in rows.items() if nil is not None]
    first = next(k for k in order() if k in rows)
    if len(printed) == 1 and printed[0][0] != first:
        lone = printed[0][1]
        return {}, [finding("S.lone_nil", cells=[f"t3.{k}" for k in rows], where=formats().table("t3").name,
                            actual=lone.text.strip(), line=lone.at.get("line", "?"), at=[lone.at])]
    table = {}
    for key, cell in rows.items():
        at = cell.at if cell is not None else {}
        table[key] = {col.key: Cell("", None, at) for col in columns[:-1]}
        table[key][columns[-1].key] = to_cell(cell) if cell is not None else Cell("", None, at)
    return table, []


def _stating_nothing(rows: list[Row], items: list[_Item], template: str | None, values_after: bool
                     ) -> tuple[dict[str, dict[str, Cell]], list[Finding]] | None:
    """A table read no cell of that prints every row's label, marks of nothing (无, dashes) and no number anywhere in
    its section, the marks too few or too scattered to give each row its own (plain ``pdftotext`` prints a page's
    labels and its cells apart, blank cells vanished): every cell states nothing wherever a mark stands, so each is
    read blank. None when a number is printed, some values may be printed after the section, some row's label is not
    found, or no mark is printed (labels alone may have their values printed elsewhere)."""
    if template is None or values_after or any(NUMBER in cell_kinds(row) for row in rows):
        return None
    labels = {item.match.unique: item.split.row.at for item in items if item.match.unique}
    keys = [row.key for row in formats().t3_data_rows(template)]
    marks = [cell for row in rows for cell in row.cells if cell_kind(cell.text) == BLANK and squash(cell.text)]
    if not marks or any(key not in labels for key in keys):
        return None
    columns = formats().t3_columns
    table = {key: {col.key: Cell("", None, labels[key]) for col in columns} for key in keys}
    return table, [finding("S.nothing_stated", cells=["t3"], where=formats().table("t3").name, found=len(marks),
                           at=[labels[keys[0]]])]


def _keys_and_types(key: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The cell keys of 表三's row ``key`` and their column types, as the solver takes them."""
    columns = formats().t3_columns
    return tuple(f"t3.{key}.{c.key}" for c in columns), ("count",) * len(columns)


def _gapped(key: str, item: _Item) -> Glued:
    """Row ``key`` of ``item``'s values, its blank cells vanished, for the solver to place."""
    return gapped_row(*_keys_and_types(key), item.split.values, _label(key), item.split.row.at)


def _nil_label_rows(items: list[_Item], assigned: dict[str, _Item], width: int, template: str | None,
                    beside: bool) -> list[Glued]:
    """Rows printed as their label and a lone mark stating nothing (a 无 merged across the row, or across
    the whole table and printed on its first row), as their label and marks or nothing printed with no
    separator, as their label and cells stating nothing, no more than the table's columns (a grid that lost a line
    between two of them, a label cut by a page break), or as their label alone in a table that printed other rows'
    values ``beside`` their labels and
    placed every row printing values (a row of blank cells where blank cells print nothing; a row of values left
    unplaced may be this one's), that took no values: each of their cells states no
    number, wherever the marks stand, and the solver reads them so when the table's identities hold. A table
    whose every label stands alone printed its values elsewhere (plain pdftotext prints columns apart)."""
    keys = {r.key for r in formats().t3_data_rows(template)} if template else set(order())
    out: dict[str, Glued] = {}
    for item in items:
        key = item.match.unique
        if (item.kind == "label" and key in keys and key not in assigned and key not in out
                and not item.split.has_number):
            marks = [cell for cell in item.split.values if squash(cell.text)]
            if is_glued(item.split.values) or is_short(item.split.values, width):
                out[key] = _gapped(key, item)
            elif beside and _whole_label(item) and not marks:
                out[key] = gapped_row(*_keys_and_types(key), [], _label(key), item.split.row.at)
            elif marks and len(item.split.values) <= width and all(is_blank(cell.text) for cell in marks):
                out[key] = gapped_row(*_keys_and_types(key), marks, _label(key), item.split.row.at)
    return list(out.values())


def _whole_label(item: _Item) -> bool:
    """Whether the item's label is a row's whole label and no piece of the header (``其他`` names a column too)."""
    return item.match.how == "exact" and not any(is_header_piece(cell.text) for cell in item.split.labels)


def _overfull(split: Split, width: int) -> bool:
    """Whether the row prints more values than the table has columns: some are another row's."""
    return len(split.values) > width and sum(1 for cell in split.values if squash(cell.text)) > width


def _whole_or_most(cells: list[TextCell], width: int, ends: bool) -> bool:
    """Whether a line of values printed under its row's label is the row's: all its cells satisfying the row
    identity, or fewer (its blank cells vanished; the table's sums place them): most of them, or any number when
    the line ``ends`` its row (no line of values follows it), never a piece or two of wrapped numbers."""
    if len(cells) == width:
        return row_holds(cells)
    return 0 < len(cells) < width and (ends or len(cells) > width // 2)


def _rows_at(assigned: dict[str, _Item]) -> dict[int, str]:
    """Line → the row printed on it, for the rows placed by a whole label that names them exactly."""
    return {line: key for key, item in assigned.items() if item.match.how == "exact" and item.match.unique == key
            for cell in item.split.row.cells if isinstance(line := cell.at.get("line"), int)}


def _whole_beside(item: _Item, assigned: dict[str, _Item]) -> bool:
    """Whether each line a reader doubted the row's numbers for (``DOUBTED_BESIDE``: lines that may hold pieces of
    them) holds another row of its own (among the ``assigned``): its label names that row whole, so its numbers are
    no pieces of this one."""
    lines = item.split.row.at.get(DOUBTED_BESIDE)
    if not isinstance(lines, tuple) or not lines:
        return False
    rows_at = _rows_at(assigned)  # asked of a doubted row only (few)
    return all(rows_at.get(line) not in (None, item.match.unique) for line in lines)


@lru_cache(maxsize=1)
def _column_labels() -> dict[str, int]:
    """表三's applicant columns by their label, whitespace removed."""
    return {squash(column.label): i for i, column in enumerate(formats().t3_columns)}


def _header_grid(rows: list[Row], placed: list[_Item], width: int) -> tuple[int, int] | None:
    """(cells per row, position of the first applicant column) where the table prints as a grid: every header row
    naming applicant columns prints as many cells as the others, each column's label in a cell of its own at
    consecutive positions, no cell covered by a span; None otherwise, or where a row whose values only one run of
    cells holds sits elsewhere. A row of as many cells then has its values under the header (``_in_grid``): the
    blank cells around them, a label's span or a blank value, cannot shift them."""
    labels = _column_labels()
    positions: dict[int, int] = {}
    sizes: set[int] = set()
    for row in rows:
        if len(row.cells) <= width:
            continue
        if NUMBER in cell_kinds(row):
            break  # the header ends where the values begin
        named = [(labels[text], p) for p, cell in enumerate(row.cells) if (text := squash(cell.text)) in labels]
        if named:
            sizes.add(len(row.cells))
            for column, p in named:
                if positions.setdefault(column, p) != p or any(cell.merged for cell in row.cells):
                    return None
    first = positions.get(0)
    if len(sizes) != 1 or first is None or any(positions.get(i) != first + i for i in range(width)):
        return None
    grid = (sizes.pop(), first)
    for item in placed:
        if len(item.split.row.cells) != grid[0]:
            continue
        offsets = window_offsets(item.split.values, width)
        if len(offsets) == 1 and item.split.start + offsets[0] != first:
            return None
    return grid


def _in_grid(split: Split, header_grid: Callable[[], tuple[int, int] | None], width: int) -> list[TextCell] | None:
    """The row's cells under the header's columns, where the table prints as a grid (``header_grid``, asked of a row
    printing more value cells than columns only) and the row as many cells, none covered by a span, its labels before
    the first column and only values from it on."""
    grid = header_grid()
    if grid is None or len(split.row.cells) != grid[0] or split.start > grid[1]:
        return None
    cells = split.row.cells
    if any(cell.merged for cell in cells) or any(cell_kind(cell.text) == TEXT for cell in cells[grid[1]:]):
        return None
    return cells[grid[1]:grid[1] + width]


def _copies(items: list[_Item], width: int) -> dict[str, list[_Item]]:
    """The rows printed more than once, whole (a label and the row's cells), with their copies in printed order."""
    copies: dict[str, list[_Item]] = {}
    for item in items:
        if item.match.unique is not None and item.match.how != "fragment" and _row_of_cells(item, width):
            copies.setdefault(item.match.unique, []).append(item)
    return {key: found for key, found in copies.items() if len(found) > 1}


def _own_year(joined: list[Row], rows: list[Row], twice: dict[str, list[_Item]], year: int | None
              ) -> tuple[list[Row], Finding] | None:
    """The rows ``joined`` from ``rows`` without the copies of another year, when the caption above each copy of the
    rows printed more than once (``twice``) decides which copy is the report's ``year``'s; with a finding saying
    so."""
    counts = {len(items) for items in twice.values()}
    if len(counts) != 1:
        return None
    copies = [[items[k].split.row.at for items in twice.values()] for k in range(counts.pop())]
    choice = choose_copy(copies, rows, year)
    if choice is None:
        return None
    return [row for row in joined if not choice.drops(row.at)], choice.finding(["t3"], formats().table("t3").name)


def _alike(joined: list[Row], items: list[_Item], copies: dict[str, list[_Item]]) -> list[list[Row]] | None:
    """One list of rows per copy, when every whole row is printed as often (``copies``): ``joined`` holding only
    that copy of each row printed more than once. None where some row is printed once (which copy it belongs to the
    print does not say)."""
    counts = {len(found) for found in copies.values()}
    whole = [item for item in items if item.kind in ("data", "used") and item.split.has_number]
    if len(counts) != 1 or any(item.match.unique not in copies for item in whole):
        return None
    readings = []
    for own in range(counts.pop()):
        dropped = {at_key(item.split.row.at) for found in copies.values() for k, item in enumerate(found) if k != own}
        readings.append([row for row in joined if at_key(row.at) not in dropped])
    return readings


def _agreed(read: list[tuple[dict[str, dict[str, Cell]], list[Finding]]], copies: dict[str, list[_Item]]
            ) -> tuple[dict[str, dict[str, Cell]], list[Finding]]:
    """The cells every copy's reading (``read``) states alike, with the first reading's findings and one naming the
    cells the copies state otherwise."""
    flat = [{f"t3.{row}.{col}": cell for row, cells in table.items() for col, cell in cells.items()}
            for table, _ in read]
    at = [item.split.row.at for found in copies.values() for item in found]
    cells, differ = agreed(flat, formats().table("t3").name, at)
    table: dict[str, dict[str, Cell]] = {}
    for key, cell in cells.items():
        _, row, col = key.split(".")
        table.setdefault(row, {})[col] = cell
    return table, [*read[0][1], *([differ] if differ else [])]


def extract_t3(rows: list[Row], template: str | None, settings: ExtractSettings,
               values_after: bool = False, year: int | None = None) -> tuple[dict[str, dict[str, Cell]], list[Finding]]:
    """Cells of 表三 found in ``rows`` (the rows of its section) and the problems met; ``values_after``: some of
    its values may be printed after its section (a row printing its label alone is then no row of blank cells).
    Rows printed twice, another year's beside the report's (``year``), are read from the copy its caption names
    (``years``); where no caption decides, a cell is read where every copy states it alike (``years.agreed``)."""
    width = len(formats().t3_columns)
    index = label_index(settings)
    wrapped = join_labels_around_values(
        join_wrapped_labels(join_broken_labels(rows, index), index, settings.label_max_chars), index)
    joined = join_label_lines(join_labels_over_values(
        wrapped, index, lambda cells, ends: _whole_or_most(cells, width, ends), is_group_piece), index)
    table, findings = _read(joined, rows, template, settings, values_after, year)
    if not table and not any(found.rule == "S.lone_nil" for found in findings):  # a lone 无 beside a row: reported
        items = _subtotal_rows_dropped(_items(joined, index, width))
        return _stating_nothing(rows, items, template, values_after) or (table, findings)
    return table, findings


def _read(joined: list[Row], rows: list[Row], template: str | None, settings: ExtractSettings, values_after: bool,
          year: int | None, one_copy: bool = False) -> tuple[dict[str, dict[str, Cell]], list[Finding]]:
    """``extract_t3`` on the rows ``joined`` from ``rows``; ``one_copy``: ``joined`` holds one copy of the rows
    printed more than once (their copies are not read again)."""
    keys = [col.key for col in formats().t3_columns]
    width = len(keys)
    index = label_index(settings)
    items = _subtotal_rows_dropped(_items(joined, index, width))
    nil = _nil_rows(rows, items, template)
    if nil is None:
        nil = _marks_per_row(rows, template, values_after)
    if nil is not None:
        return _nil_table(nil)
    placer = _Placer(items, template, width, joined)
    placer.run()
    chosen: list[Finding] = []
    copies = _copies(items, width) if placer.twice else {}
    kept = _own_year(joined, rows, copies, year) if copies else None
    readings = _alike(joined, items, copies) if kept is None and copies and not one_copy else None
    if readings is not None:
        read = [_read(own, rows, template, settings, values_after, None, True) for own in readings]
        if all(table for table, _ in read):
            return _agreed(read, copies)
    if kept is not None:
        again = _Placer(_subtotal_rows_dropped(_items(kept[0], index, width)), template, width, kept[0])
        again.run()
        if not again.twice:
            items, placer, chosen = again.items, again, [kept[1]]
    if placer.twice:
        printed = "、".join(f"“{_label(key)}”" for key in placer.twice)
        return {}, [finding("S.table_twice", cells=["t3"], where=formats().table("t3").name, rows=printed,
                            at=[item.split.row.at for items in placer.twice.values() for item in items])]
    findings = placer.findings + chosen
    placed = list(placer.assigned.values())
    habits = OffsetHabits([it.split.values for it in placed], [it.split.start for it in placed], width, row_holds)
    table: dict[str, dict[str, Cell]] = {}
    glued: list[Glued] = []
    # a row's values may sit elsewhere: printed apart from any label, where the order could not place them, or
    # after another row's own
    floating = any(item.kind in ("values", "uncertain", "unplaced") or _overfull(item.split, width) for item in items)
    grid = lru_cache(maxsize=1)(lambda: _header_grid(rows, placed, width))  # asked only where a row is ambiguous
    for key in placer.order:
        item = placer.assigned.get(key)
        if item is None:
            continue
        uncertain = (item.split.row.at.get("order") == UNCERTAIN_ORDER and not _whole_beside(item, placer.assigned)) \
            or number_in_label(item.split)
        gridded = _in_grid(item.split, grid, width) if len(item.split.values) > width and not uncertain else None
        cells = None if uncertain else gridded or choose_window(
            item.split.values, width, habits.preferred(item.split.values, item.split.start), row_holds)
        if cells is None and not uncertain and is_glued(item.split.values):
            glued.append(Glued(*_keys_and_types(key), glued_text(item.split.values), _label(key), item.split.row.at))
            continue
        if cells is None and not uncertain and not floating \
                and is_short(item.split.values, width, item.split.row.at.get("order") == PRINTED_ORDER):
            glued.append(_gapped(key, item))
            continue
        if cells is None:
            found = sum(1 for c in item.split.values if squash(c.text))
            findings.append(finding("S.ambiguous_row", cells=[f"t3.{key}"], where=_label(key), found=found,
                                    expected=width, at=[item.split.row.at]))
            continue
        table[key] = dict(zip(keys, map(to_cell, cells), strict=True))
    placed_ids = {id(item) for item in placed}
    beside = (not values_after and (bool(table) or any(row.values for row in glued))
              and not any(item.kind == "group" for item in items)
              and all(id(item) in placed_ids for item in items if item.kind == "data" and item.split.has_number))
    glued += [] if floating else _nil_label_rows(items, placer.assigned, width, template, beside)
    if glued:
        table, found_glued = _solve_glued(table, glued, template, placer.order, settings)
        findings += found_glued
    for position, item in enumerate(items):
        if item.kind == "uncertain" or (item.kind == "values" and len(item.split.values) < width):
            findings.append(_unplaced(item, [key for key in placer.candidates(position) if key not in table]))
    if template is not None and not values_after:
        return _with_rows_apart(table, findings, joined, items, placer, template)
    return table, findings


def _with_rows_apart(table: dict[str, dict[str, Cell]], findings: list[Finding], rows: list[Row], items: list[_Item],
                     placer: _Placer, template: str) -> tuple[dict[str, dict[str, Cell]], list[Finding]]:
    """The table with the rows left without cells given the runs of values the print set apart from their labels (the
    values of ``items`` that no row placed in it holds, and the marks of nothing ``rows`` print with no label), where
    the table's identities place them (``apart.placed_apart``); the findings on those rows and runs replaced by one
    for each row so placed."""
    columns = [col.key for col in formats().t3_columns]
    width = len(columns)
    expected = placer.expected()
    missing = [key for key in placer.order if key in expected and key not in table]
    if not missing or any(len(table[key]) != width for key in table):
        return table, findings
    kept = {id(item) for key, item in placer.assigned.items() if key in table}
    kept |= {id(item) for item in items if item.kind == "label" and item.match.unique in table}
    printed = [[cell for cell in item.split.values if squash(cell.text)] for item in items if id(item) not in kept]
    runs = _in_rows(printed, width)
    if len(runs) < len(missing):  # rows of blank cells whose labels stand apart print their marks alone
        runs = _in_rows([*printed, *_marks_alone(rows)], width)
    outcome = placed_apart(table, runs, missing, columns, template, placer.order, row_holds)
    if outcome is None:
        return table, findings
    placed, broken = outcome
    for key, run in placed.items():
        table[key] = dict(zip(columns, map(to_cell, run), strict=True))
    cells = {f"t3.{key}" for key in placed}
    kept_findings = [found for found in findings if found.rule not in ("S.ambiguous_row", "S.unplaced_row")
                     and not (found.cells and all(".".join(cell.split(".")[:2]) in cells for cell in found.cells))]
    rule = "S.row_by_fewest_breaks" if broken else "S.row_by_sums"
    kept_findings += [finding(rule, cells=[f"t3.{key}"], where=_label(key), line=run[0].at.get("line", "?"),
                              actual=broken or None, at=[run[0].at]) for key, run in placed.items()]
    return {key: table[key] for key in placer.order if key in table}, kept_findings


def _marks_alone(rows: list[Row]) -> list[list[TextCell]]:
    """The marks of nothing each of ``rows`` prints with no label and no number, in a certain order (no item of the
    table: a row of blank cells whose label the print set apart)."""
    out = []
    for row in rows:
        split = split_row(_spaced_labels(row))
        if not split.labels and not split.has_number and row.at.get("order") != UNCERTAIN_ORDER:
            out.append([cell for cell in split.values if squash(cell.text)])
    return out


def _in_rows(runs: list[list[TextCell]], width: int) -> list[list[TextCell]]:
    """The values of ``runs`` in printed order (by line), as rows of ``width``: each run cut into rows where every run
    fills whole rows, else all of them in one (a row's values cut into runs by the header's pieces printed among
    them); none where they fill no whole rows, two runs share a line (their order is not shown), or runs joined so cut
    a row of zeros and marks of nothing (which keeps every sum however the cut falls: a value floating after another
    row's may shift it)."""
    lines = [run[0].at.get("line") for run in runs if run]
    if not all(isinstance(line, int) for line in lines) or len(set(lines)) != len(lines):
        return []
    ordered = sorted((run for run in runs if run), key=lambda run: run[0].at["line"])
    joined = any(len(run) % width for run in ordered)
    if joined:
        ordered = [[cell for run in ordered for cell in run]]
        if len(ordered[0]) % width:
            return []
    rows = [run[start:start + width] for run in ordered for start in range(0, len(run), width)]
    if joined and not all(any(parse_value(cell.text)[0] for cell in row) for row in rows):
        return []
    return rows
