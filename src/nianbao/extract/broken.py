"""Table rows whose label was broken → one row.

A PDF table row that crosses a page break comes out as two grid rows: the head of the label with the
row's values on one page, the tail of the label over empty cells on the next (or the other way round).
Neither half names a row exactly; joined, they do. The two rows become one only then, and only when at
most one of them holds values, so no value is ever moved between rows.

Text dumps that print a table in the order its text was drawn (``pdftotext -raw``) put a label wrapped in
its cell on lines of its own, the row's values on the line right after them. The last label lines that,
joined, name a row exactly (none of them alone does) take the values of that line, when they are a whole
row that satisfies its identity.

Text laid out in columns prints a row of blank cells as its label alone, wrapped in its cell onto lines of its
own: those lines, joined, name a row exactly (none of their first alone does) and no values follow them; they
become one label line. A label wrapped around its values (its head on the line above them, its rest on the line
below, as text laid out in columns prints a cell's lines centred on the row) is joined to them when head and
rest together name a row exactly and neither alone does.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..document import Row, TextCell
from ..values import BLANK, TEXT, cell_kind
from .labels import LabelIndex, is_numbered
from .rows import cell_kinds, last_label


def _label_columns(row: Row) -> list[int]:
    return [i for i, kind in enumerate(cell_kinds(row)) if kind == TEXT]


def _holds_values(row: Row, labels: list[int]) -> bool:
    return any(cell.text.strip() and cell_kind(cell.text) != BLANK
               for i, cell in enumerate(row.cells) if i not in labels)


def _text(row: Row, column: int) -> str:
    return row.cells[column].text.strip() if 0 <= column < len(row.cells) else ""


def _names_row_exactly(text: str, index: LabelIndex) -> bool:
    match = index.match(text)
    return match.how == "exact" and match.unique is not None


def _joined(head: Row, tail: Row, index: LabelIndex) -> Row | None:
    """``head`` and ``tail`` as one row, when they are the two halves of one broken row: the label texts of each
    column joined, the values of the half that has any. Where the two pages' grids differ in width (a page whose grid
    shows a column more at its left, where a span covers the group labels), the columns are matched from the right,
    the values' side."""
    column = last_label(cell_kinds(head))
    if column < 0 or TEXT not in cell_kinds(tail):
        return None
    first = head.cells[column].text.strip()
    if _names_row_exactly(first, index):
        return None  # the head names its row on its own (most rows): asked first, it settles most pairs
    head_labels, tail_labels = _label_columns(head), _label_columns(tail)
    shift = len(tail.cells) - len(head.cells)  # a tail column i is the head's i - shift
    if tail_labels[-1] - shift not in _span(head, column) \
            or any(not 0 <= i - shift < len(head.cells) for i in tail_labels) \
            or any(i - shift not in head_labels and not head.cells[i - shift].merged for i in tail_labels):
        return None  # a label of the tail's own stands only where a span covers the head (a group label's piece)
    if shift and _holds_values(tail, tail_labels):
        return None  # the grids of two pages may differ in width: only a tail of labels over nothing joins then
    second = _tail_text(head, tail, column, shift)
    if _names_row_exactly(second, index) or not _names_row_exactly(first + second, index):
        return None
    if _holds_values(head, head_labels) and _holds_values(tail, tail_labels):
        return None
    values_from = tail if _holds_values(tail, tail_labels) else head
    cells = [TextCell(head.cells[i].text.strip() + _tail_text(head, tail, i, shift), head.cells[i].at)
             if i in head_labels else values_from.cells[i] for i in range(len(values_from.cells))]
    return Row(cells, head.at, in_table=True)


def _span(row: Row, column: int) -> range:
    """The columns the cell in ``column`` covers: itself and the merged positions right of it."""
    end = column + 1
    while end < len(row.cells) and row.cells[end].merged:
        end += 1
    return range(column, end)


def _tail_text(head: Row, tail: Row, column: int, shift: int) -> str:
    """The tail's text under the head's label cell in ``column``, over all the columns that cell spans (the next
    page's grid may set the label's rest in another column of the span)."""
    return "".join(_text(tail, i + shift) for i in _span(head, column))


def join_broken_labels(rows: list[Row], index: LabelIndex) -> list[Row]:
    """The rows with every pair of halves of a row broken by a page joined into one row."""
    out: list[Row] = []
    i = 0
    while i < len(rows):
        joined = _joined(rows[i], rows[i + 1], index) \
            if i + 1 < len(rows) and rows[i].in_table and rows[i + 1].in_table else None
        out.append(joined or rows[i])
        i += 2 if joined else 1
    return out


_GAP = re.compile(r"[ \t]{2,}|\u3000+")
"""Wide gaps between the pieces of a line laid out in columns."""


def _wrapped(rows: list[Row], i: int, index: LabelIndex, most: int) -> tuple[Row, int] | None:
    """Row ``i`` with its label's rest from the lines right below it, and how many lines it took (see
    ``join_wrapped_labels``); None when they do not make its last label name a row exactly."""
    row, line = rows[i], _line(rows[i])
    if line is None or i + 1 == len(rows) or rows[i + 1].in_table or _line(rows[i + 1]) != line + 1:
        return None  # no line of text right below: most rows
    labels = _label_columns(row)
    if not labels or not any(cell.text.strip() for cell in row.cells[labels[-1] + 1:]) \
            or _names_row_exactly(row.cells[labels[-1]].text.strip(), index):
        return None
    texts = {column: row.cells[column].text.strip() for column in labels}
    for k in range(i + 1, len(rows)):
        below = rows[k]
        parts = [part for part in _GAP.split(below.cells[0].text.strip()) if part] \
            if not below.in_table and len(below.cells) == 1 and _line(below) == line + k - i else []
        if not parts or any(cell_kind(part) != TEXT or is_numbered(part) for part in parts) \
                or len(parts) not in (1, len(labels)):
            return None
        for column, part in zip(labels[-len(parts):], parts, strict=True):
            texts[column] += part
        if len(texts[labels[-1]]) > most:
            return None
        if _names_row_exactly(texts[labels[-1]], index):
            cells = [TextCell(texts[c], cell.at) if c in texts else cell for c, cell in enumerate(row.cells)]
            return Row(cells, row.at, in_table=True), k - i
    return None


def join_wrapped_labels(rows: list[Row], index: LabelIndex, most: int) -> list[Row]:
    """The rows with each label wrapped in its column onto lines of its own below its row (text laid out in
    columns prints the row's values on its first line) joined to its row: a row of values whose last label
    names no row exactly takes the text lines right below it, each piece on the label it goes on (one piece:
    the last label's; as many as the row's labels: one each), when they make its last label name a row exactly
    within ``most`` characters."""
    out: list[Row] = []
    i = 0
    while i < len(rows):
        found = _wrapped(rows, i, index, most) \
            if rows[i].in_table and i + 1 < len(rows) and not rows[i + 1].in_table else None  # text right below
        out.append(found[0] if found else rows[i])
        i += 1 + (found[1] if found else 0)
    return out


def _line(row: Row) -> int | None:
    line = row.at.get("line")
    return line if isinstance(line, int) else None


def _bare_values(row: Row) -> bool:
    """A table row of values only (numbers or marks of nothing such as 无), at least two of them."""
    return row.in_table and TEXT not in cell_kinds(row) and sum(1 for cell in row.cells if cell.text.strip()) > 1


_SUB_NUMBER = re.compile(r"\d{1,2}[.．、](?!\d)")
"""A numbered row's number (``2.``) anywhere in a line: the line holds (a piece of) another row's label."""


def _label_lines_above(rows: list[Row], end: int) -> int:
    """Where the run of label lines right above ``rows[end]`` starts (lines of text on consecutive lines; a mark
    of nothing on a line of its own is another row's cell)."""
    start = end
    while start > 0 and _is_label_line(rows[start - 1]):
        above, below = _line(rows[start - 1]), _line(rows[start])
        if above is None or below is None or below - above != 1:
            break
        start -= 1
    return start


def _label_above(rows: list[Row], end: int, index: LabelIndex, group: Callable[[str], bool]) -> int | None:
    """Where the label lines just above ``rows[end]`` start that, joined, name a row exactly while their
    first line alone names no other (a wording cut short may name the same row), when no other row's label (nor
    a row's number) stands in the run of label lines above them (a dump listing several rows' labels before their
    values); a ``group`` label printed beside the rows under it may. Lines naming a row without its number may be
    the rest of a label whose number stands on the line above (``3. “`` / ``危及 三安全”一稳定``): the lines from
    there are tried too. None otherwise."""
    first = _label_lines_above(rows, end)
    text = ""
    for start in range(end - 1, first - 1, -1):
        line = rows[start].cells[0].text.strip()
        text = line + text
        if start < end - 1 and _names_row_exactly(_numbered_tail(text), index) \
                and _names_no_other(_numbered_tail(line), _numbered_tail(text), index):
            others = (rows[k].cells[0].text.strip() for k in range(first, start))
            if not any(not group(t) and (_SUB_NUMBER.search(t) or (is_numbered(t) and index.match(t).keys))
                       for t in others):
                return start
    return None


def _names_no_other(head: str, whole: str, index: LabelIndex) -> bool:
    """Whether ``head`` names no row exactly, or only the row ``whole`` names."""
    match = index.match(head)
    return match.how != "exact" or match.keys == index.match(whole).keys


def _lone_nil(row: Row) -> bool:
    """A line holding one mark of nothing (无, a dash) and nothing else: a row's cells merged into one 无."""
    return len(row.cells) == 1 and bool(row.cells[0].text.strip()) and cell_kind(row.cells[0].text) == BLANK


_BEFORE_NUMBER = re.compile(r"\s+(?=\S)")


def _numbered_tail(text: str) -> str:
    """The text from its last numbered part after a space (a group label printed on the line of its first row's
    label, ``（六）其他处理 1.申请人…``: the row's label is that part), or the whole text."""
    parts = _BEFORE_NUMBER.split(text)
    for k in range(len(parts) - 1, 0, -1):
        if is_numbered(parts[k]):
            return "".join(parts[k:])
    return text


def join_labels_over_values(rows: list[Row], index: LabelIndex, holds: Callable[[list[TextCell], bool], bool],
                            group: Callable[[str], bool]) -> list[Row]:
    """The rows with each label printed over lines of its own right above its values joined to them, when
    the values ``hold`` or are one mark of nothing (a 无 merged across the row). ``holds`` is asked of a line of
    values and whether it ends its row (no line of values follows it): such dumps also print the pieces of
    numbers too wide for their cells on lines of their own, after their row's first line of values, so only a
    line no values follow is surely all the row prints. ``group`` tells the label of a group of rows, which may
    stand above a row's label. A line of values whose order a reader doubts keeps the doubt when joined."""
    out: list[Row] = []
    for end, row in enumerate(rows):
        start = _label_above(rows, end, index, group) \
            if (_values_only(row) and holds(row.cells, _ends_row(rows, end))) or _lone_nil(row) else None
        if start is None or len(out) < end - start:
            out.append(row)
            continue
        del out[len(out) - (end - start):]
        label = TextCell("".join(r.cells[0].text.strip() for r in rows[start:end]), rows[start].at)
        order = row.at.get("order")
        at = {**rows[start].at, "order": order} if order is not None else rows[start].at
        out.append(Row([label, *row.cells], at, in_table=True))
    return out


def _values_only(row: Row) -> bool:
    """A line of values only (numbers or marks of nothing such as 无), at least one of them."""
    return TEXT not in cell_kinds(row) and any(cell.text.strip() for cell in row.cells)


def _ends_row(rows: list[Row], end: int) -> bool:
    """Whether no line of values follows the line of values ``rows[end]``: the rest of its row's cells (a number
    wrapped in its cell, the cells drawn after it) would stand on such lines."""
    return end + 1 == len(rows) or not _values_only(rows[end + 1])


def join_label_lines(rows: list[Row], index: LabelIndex) -> list[Row]:
    """The rows with each label printed alone over lines of its own (a row of blank cells in text laid out in
    columns) as one line: a numbered line naming no row exactly and the unnumbered lines right below it that,
    joined, make it name one, when no values follow them (those would be the row's: ``join_labels_over_values``
    decides them)."""
    out: list[Row] = []
    i = 0
    while i < len(rows):
        end = _label_run_end(rows, i, index)
        if end is None:
            out.append(rows[i])
            i += 1
            continue
        label = TextCell("".join(r.cells[0].text.strip() for r in rows[i:end]), rows[i].at)
        out.append(Row([label], rows[i].at, in_table=False))
        i = end
    return out


def _is_label_line(row: Row) -> bool:
    return not row.in_table and len(row.cells) == 1 and cell_kind(row.cells[0].text) == TEXT


def _continues(text: str) -> bool:
    """Whether a line of label text may go on a label above it: it starts no row's number and holds none."""
    return not is_numbered(text) and not _SUB_NUMBER.search(text)


def _label_run_end(rows: list[Row], start: int, index: LabelIndex) -> int | None:
    """Where the lines continuing the label that starts at ``rows[start]`` end, when they make it name a row
    exactly and no values follow them; None otherwise."""
    first = rows[start]
    if not _is_label_line(first) or not is_numbered(first.cells[0].text) \
            or _names_row_exactly(first.cells[0].text.strip(), index):
        return None
    text = first.cells[0].text.strip()
    end = start + 1
    while end < len(rows) and _is_label_line(rows[end]) and _continues(rows[end].cells[0].text):
        above, below = _line(rows[end - 1]), _line(rows[end])
        if above is None or below is None or below - above != 1:
            break
        text += rows[end].cells[0].text.strip()
        end += 1
        if _names_row_exactly(text, index):
            after = rows[end] if end < len(rows) else None
            return None if after is not None and (_bare_values(after) or _lone_nil(after)) else end
    return None


def join_labels_around_values(rows: list[Row], index: LabelIndex) -> list[Row]:
    """The rows with each label wrapped around its row's values (its head on the line right above them, its rest
    on the line right below) joined to them, when together they name a row exactly and neither alone does; a
    group label's pieces set apart in front of them (``（四）无    2.没有现成信息需``) stay a line of their own
    before the row."""
    out: list[Row] = []
    free = 0  # rows from here on are not taken by a joined row
    i = 0
    while i < len(rows):
        joined = _around(rows, i, index) if free < i < len(rows) - 1 else None
        if joined is None:
            out.append(rows[i])
            i += 1
            continue
        out.pop()  # the line above, now the label's head
        out.extend(joined)
        free = i + 2
        i += 2
    return out


def _values_beyond(rows: list[Row], i: int, line: int) -> bool:
    """Whether values stand on the line above the label's head or below its rest: pieces of numbers wrapped in
    narrow cells print so, around their row's line, and the line of values is then no whole row."""
    near = (*rows[max(i - 3, 0):i - 1], *rows[i + 2:i + 4])
    return any(_line(row) in (line - 2, line + 2) and row.in_table and TEXT not in cell_kinds(row)
               and any(cell.text.strip() for cell in row.cells) for row in near)


def _around(rows: list[Row], i: int, index: LabelIndex) -> list[Row] | None:
    """Row ``i`` of values with its label's head from the line above and rest from the line below (and a line
    of the group label's pieces before it), or None when they do not make one label naming a row exactly."""
    above, values, below = rows[i - 1], rows[i], rows[i + 1]
    line = _line(values)
    if line is None or not _bare_values(values) or not (_is_label_line(above) and _is_label_line(below)) \
            or _line(above) != line - 1 or _line(below) != line + 1 or _values_beyond(rows, i, line):
        return None
    heads = [part for part in _GAP.split(above.cells[0].text.strip()) if part]
    rests = [part for part in _GAP.split(below.cells[0].text.strip()) if part]
    if not 1 <= len(heads) <= 2 or not 1 <= len(rests) <= 2 or not _continues(rests[-1]):
        return None
    head, rest = heads[-1], rests[-1]
    if _names_row_exactly(head, index) or _names_row_exactly(rest, index) \
            or not _names_row_exactly(head + rest, index):
        return None
    label = Row([TextCell(head + rest, above.at), *values.cells], above.at, in_table=True)
    group = "".join([*heads[:-1], *rests[:-1]])
    return [Row([TextCell(group, above.at)], above.at, in_table=False), label] if group else [label]
