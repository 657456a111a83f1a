"""表三 rows whose values the print set apart from their labels (plain ``pdftotext`` prints a page's labels and its
values in blocks), given to their rows in the order printed where the table's identities confirm it.

The rows are placed only when every value of 表三 left unread comes in whole rows, as many as the rows left without
cells (each run of values printed apart cut into rows, or, where some run fills no whole rows, the header's pieces
printed amid a row's values, all of them in printed order): runs of the table's width, each holding its own row sum
as printed (a run mixing two rows' cells, or one column's, breaks it), given in the order printed to the rows left in
the table's order, with which every identity tying the table's rows together holds (a run given to another row's
place breaks its column sums, but where the runs are equal or the rows are summed alike).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..document import TextCell
from ..report import Cell
from ..values import parse_value
from .glued import table_holds

Run = list[TextCell]


def placed_apart(table: dict[str, dict[str, Cell]], runs: Sequence[Run], missing: Sequence[str],
                 columns: Sequence[str], template: str, order: Sequence[str],
                 holds: Callable[[Run], bool]) -> dict[str, Run] | None:
    """The ``missing`` rows of ``table`` (rows of ``order`` it holds no cell of, in that order) each with its run of
    ``runs`` (in the order printed), when the runs are whole rows each satisfying ``holds`` (its own row sum) and
    every identity of the table holds with them so placed; None otherwise."""
    if not missing or len(runs) != len(missing) or any(len(run) != len(columns) or not holds(run) for run in runs):
        return None
    values = {f"t3.{row}.{col}": _value(cell.raw) for row, cells in table.items() for col, cell in cells.items()}
    for key, run in zip(missing, runs, strict=True):
        values.update({f"t3.{key}.{col}": _value(cell.text) for col, cell in zip(columns, run, strict=True)})
    if not table_holds(values, template, tuple(order)):
        return None
    return dict(zip(missing, runs, strict=True))


def _value(raw: str) -> float:
    value = parse_value(raw)[0]
    return float(value) if value is not None else 0.0
