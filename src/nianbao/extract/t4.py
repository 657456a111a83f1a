"""表四 rows → cells: the 15 values of its one unlabelled row, gathered in order from the value
rows under its heading (one row, or one row per group when a dump splits the table).
"""

from __future__ import annotations

from ..document import Row, TextCell
from ..findings import finding
from ..report import Cell, Finding
from ..schema import formats
from ..values import squash
from .rows import choose_window, split_row
from .t3 import to_cell


def extract_t4(rows: list[Row]) -> tuple[dict[str, Cell], list[Finding]]:
    """Cells of 表四 found in ``rows`` and the problems met."""
    columns = formats().t4_columns
    width = len(columns)
    gathered: list[TextCell] = []
    first_at = None
    for row in rows:
        split = split_row(row)
        if split.labels or not split.values:
            continue
        filled = any(squash(c.text) for c in split.values)
        if not filled and (gathered or len(split.values) != width):
            continue
        first_at = first_at or row.at
        gathered.extend(split.values)
        if len(gathered) >= width:
            break
    if not gathered:
        return {}, []
    cells = choose_window(gathered, width, 0)
    if cells is None:
        found = sum(1 for c in gathered if squash(c.text))
        return {}, [finding("S.ambiguous_row", cells=["t4"], where="表四", found=found, expected=width,
                            at=[first_at] if first_at else [])]
    return {col.key: to_cell(cell) for col, cell in zip(columns, cells, strict=True)}, []
