"""表三 rows whose values the print set apart from their labels (plain ``pdftotext`` prints a page's labels and its
values in blocks), given to their rows in the order printed where the table's identities confirm it.

The rows are placed only when every value of 表三 left unread comes in whole rows, as many as the rows left without
cells (each run of values printed apart cut into rows, or, where some run fills no whole rows, the header's pieces
printed amid a row's values, all of them in printed order): runs of the table's width, each holding its own row sum
as printed (a run mixing two rows' cells, or one column's, breaks it), given in the order printed to the rows left in
the table's order, with which every identity tying the table's rows together holds (a run given to another row's
place breaks its column sums, but where the runs are equal or the rows are summed alike). Where the report's own
mistakes break some identity, two runs or more are given in the order printed when every other order of them breaks
each identity that order breaks and one more.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from ..document import TextCell
from ..report import Cell
from ..values import parse_value
from .glued import broken_identities

Run = list[TextCell]


def placed_apart(table: dict[str, dict[str, Cell]], runs: Sequence[Run], missing: Sequence[str],
                 columns: Sequence[str], template: str, order: Sequence[str],
                 holds: Callable[[Run], bool]) -> tuple[dict[str, Run], int] | None:
    """The ``missing`` rows of ``table`` (rows of ``order`` it holds no cell of, in that order) each with its run of
    ``runs`` (in the order printed), when the runs are whole rows each satisfying ``holds`` (its own row sum) and
    every identity of the table holds with them so placed, or (two runs or more) every other order of the runs breaks
    each identity they so placed break and one more; with the number of identities they so placed break. None
    otherwise."""
    if not missing or len(runs) != len(missing) or any(len(run) != len(columns) or not holds(run) for run in runs):
        return None
    printed = _broken(table, runs, missing, columns, template, order)
    if printed and not _others_break_more(table, runs, missing, columns, template, order, printed):
        return None
    return dict(zip(missing, runs, strict=True)), len(printed)


MOST_ORDERED = 6
"""The most runs whose other orders are tried against the table's identities."""


def _others_break_more(table: dict[str, dict[str, Cell]], runs: Sequence[Run], missing: Sequence[str],
                       columns: Sequence[str], template: str, order: Sequence[str], printed: frozenset[int]) -> bool:
    """Whether some other order of the runs changes a cell, and every such order breaks each identity the printed
    order breaks (``printed``) and one more."""
    if not 1 < len(runs) <= MOST_ORDERED:
        return False
    texts = [[cell.text for cell in run] for run in runs]
    others = [other for other in itertools.permutations(range(len(runs))) if [texts[i] for i in other] != texts]
    return bool(others) and all(
        printed < _broken(table, [runs[index] for index in other], missing, columns, template, order)
        for other in others)


def _broken(table: dict[str, dict[str, Cell]], runs: Sequence[Run], missing: Sequence[str], columns: Sequence[str],
            template: str, order: Sequence[str]) -> frozenset[int]:
    """The identities of the table broken with the ``runs`` given to the ``missing`` rows in turn."""
    values = {f"t3.{row}.{col}": _value(cell.raw) for row, cells in table.items() for col, cell in cells.items()}
    for key, run in zip(missing, runs, strict=True):
        values.update({f"t3.{key}.{col}": _value(cell.text) for col, cell in zip(columns, run, strict=True)})
    return broken_identities(values, template, tuple(order))


def _value(raw: str) -> float:
    value = parse_value(raw)[0]
    return float(value) if value is not None else 0.0
