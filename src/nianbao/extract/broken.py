"""Table rows whose label a page break cut in two → one row.

A PDF table row that crosses a page break comes out as two grid rows: the head of the label with the
row's values on one page, the tail of the label over empty cells on the next (or the other way round).
Neither half names a row exactly; joined, they do. The two rows become one only then, and only when at
most one of them holds values, so no value is ever moved between rows.
"""

from __future__ import annotations

from ..document import Row, TextCell
from ..values import BLANK, TEXT, cell_kind
from .labels import LabelIndex


def _label_columns(row: Row) -> list[int]:
    return [i for i, cell in enumerate(row.cells) if cell.text and cell_kind(cell.text) == TEXT]


def _holds_values(row: Row, labels: list[int]) -> bool:
    return any(cell.text.strip() and cell_kind(cell.text) != BLANK
               for i, cell in enumerate(row.cells) if i not in labels)


def _text(row: Row, column: int) -> str:
    return row.cells[column].text.strip() if column < len(row.cells) else ""


def _names_row_exactly(text: str, index: LabelIndex) -> bool:
    match = index.match(text)
    return match.how == "exact" and match.unique is not None


def _joined(head: Row, tail: Row, head_labels: list[int], tail_labels: list[int], index: LabelIndex) -> Row | None:
    """``head`` and ``tail`` (whose label cells are in columns ``head_labels`` and ``tail_labels``) as one row,
    when they are the two halves of one broken row: the label texts of each column joined, the values of the
    half that has any."""
    if not tail_labels or not head_labels or tail_labels[-1] != head_labels[-1] \
            or not set(tail_labels) <= set(head_labels):
        return None
    if len(head.cells) != len(tail.cells) and _holds_values(tail, tail_labels):
        return None  # the grids of two pages may differ in width: only a tail of labels over nothing joins then
    column = head_labels[-1]
    first, second = head.cells[column].text.strip(), tail.cells[column].text.strip()
    if _names_row_exactly(first, index) or _names_row_exactly(second, index) \
            or not _names_row_exactly(first + second, index):
        return None
    if _holds_values(head, head_labels) and _holds_values(tail, tail_labels):
        return None
    values_from = tail if _holds_values(tail, tail_labels) else head
    cells = [TextCell(head.cells[i].text.strip() + _text(tail, i), head.cells[i].at)
             if i in head_labels else values_from.cells[i] for i in range(len(values_from.cells))]
    return Row(cells, head.at, in_table=True)


def join_broken_labels(rows: list[Row], index: LabelIndex) -> list[Row]:
    """The rows with every pair of halves of a row broken by a page joined into one row."""
    labels = [_label_columns(row) if row.in_table else [] for row in rows]  # each row's read once
    out: list[Row] = []
    i = 0
    while i < len(rows):
        joined = _joined(rows[i], rows[i + 1], labels[i], labels[i + 1], index) \
            if i + 1 < len(rows) and rows[i].in_table and rows[i + 1].in_table else None
        out.append(joined or rows[i])
        i += 2 if joined else 1
    return out
