"""Report → the official tables as merged-cell grids (anchor cells with rowspan and colspan).

One description of the official geometry, shared by every output format; knows nothing about
how a format draws it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..schema import Block, Column, formats, runs

if TYPE_CHECKING:
    from ..report import Cell, Report

T2_WIDTH = 4
T3_LABEL_COLUMNS = 3


@dataclass(slots=True)
class Slot:
    """An anchor cell: its text, how far it spans, and whether it holds a value or a label."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    value: bool = False
    key: str = ""


Grid = list[list[Slot]]
"""Rows of anchor cells; positions covered by a span are simply absent."""


def _raw(cell: Cell | None) -> str:
    return cell.raw if cell is not None else ""


def _t2_block(report: Report, block: Block) -> Grid:
    spare = T2_WIDTH - 1 - len(block.columns)
    labels = [Slot(c.label) for c in block.columns]
    labels[-1].colspan += spare
    grid: Grid = [[Slot(block.caption, colspan=T2_WIDTH)], [Slot(formats().table("t2").row_header), *labels]]
    for spec in block.rows:
        cells = report.tables.t2.get(block.key, {}).get(spec.key, {})
        values = [Slot(_raw(cells.get(c.key)), value=True, key=f"t2.{block.key}.{spec.key}.{c.key}")
                  for c in block.columns]
        values[-1].colspan += spare
        grid.append([Slot(spec.label), *values])
    return grid


def t2_grid(report: Report) -> Grid:
    """表二: the blocks of the report's template one under another, 4 columns wide."""
    grid: Grid = []
    for block in formats().t2[report.template or formats().latest]:
        grid += _t2_block(report, block)
    return grid


def _t3_rows(report: Report) -> list[str]:
    """Data rows the report prints, in order."""
    return [s.key for s in formats().t3_rows if not s.group and s.key in report.tables.t3]


def _t3_groups(rows: list[str]) -> dict[str, tuple[str, int]]:
    """First printed child of each level-2 group → (group label, number of its printed rows).

    A row that one format prints as data and the other as a group is a group unless the report prints it."""
    members: dict[str, list[str]] = {}
    label: str | None = None
    for spec in formats().t3_rows:
        if spec.level == 2:
            is_group = spec.group or (bool(spec.group_in) and spec.key not in rows)
            label = spec.label if is_group else None
        elif spec.level == 3 and label and spec.key in rows:
            members.setdefault(label, []).append(spec.key)
        elif spec.level == 1:
            label = None
    return {keys[0]: (group, len(keys)) for group, keys in members.items()}


def t3_grid(report: Report) -> Grid:
    """表三: 3 label columns and 7 applicant columns, with the official merges."""
    spec = formats()
    columns = spec.t3_columns
    grid: Grid = [
        [Slot(spec.t3_note_cell, rowspan=3, colspan=T3_LABEL_COLUMNS), Slot(spec.t3_applicants_cell,
                                                                              colspan=len(columns))],
        *_header(columns),
    ]
    rows = _t3_rows(report)
    outcome_rows = [k for k in rows if _level(k) > 1]
    results = next(s for s in spec.t3_rows if s.group and s.level == 1)
    groups = _t3_groups(rows)
    for key in rows:
        level = _level(key)
        labels: list[Slot] = []
        if level > 1 and key == outcome_rows[0]:
            labels.append(Slot(results.label, rowspan=len(outcome_rows)))
        if level == 1:
            labels.append(Slot(_label(key), colspan=T3_LABEL_COLUMNS))
        elif level == 2:
            labels.append(Slot(_label(key), colspan=2))
        else:
            if key in groups:
                labels.append(Slot(groups[key][0], rowspan=groups[key][1]))
            labels.append(Slot(_label(key)))
        cells = report.tables.t3[key]
        grid.append([*labels, *[Slot(_raw(cells.get(c.key)), value=True, key=f"t3.{key}.{c.key}")
                                 for c in columns]])
    return grid


def _level(key: str) -> int:
    return next(s.level for s in formats().t3_rows if s.key == key)


def _label(key: str) -> str:
    return next(s.label for s in formats().t3_rows if s.key == key)


def _header(columns: tuple[Column, ...], depth: int = 1) -> Grid:
    """Header rows from ``depth`` down: a column without a header cell at a depth has its label span the rest."""
    height = max(2 if c.subgroup else 1 if c.group else 0 for c in columns) + 1 - depth
    if height <= 0:
        return [[Slot(c.label) for c in columns]]
    row: list[Slot] = []
    for label, run in runs(columns, depth):
        row += [Slot(label, colspan=len(run))] if label else [Slot(c.label, rowspan=height + 1) for c in run]
    below = tuple(c for label, run in runs(columns, depth) if label for c in run)
    return [row, *_header(below, depth + 1)] if below else [row]


def t4_grid(report: Report) -> Grid:
    """表四: 15 value columns under a two-level header."""
    columns = formats().t4_columns
    return [*_header(columns), [Slot(_raw(report.tables.t4.get(c.key)), value=True, key=f"t4.{c.key}")
                                for c in columns]]


@dataclass(slots=True)
class Placed:
    """One position of the rectangular grid: the slot that covers it and how."""

    slot: Slot
    origin: bool
    from_above: bool
    first_column: bool


def expand(grid: Grid) -> list[list[Placed | None]]:
    """Place anchors on a rectangular grid; every position names the slot covering it (None: nothing)."""
    width = sum(s.colspan for s in grid[0])
    out: list[list[Placed | None]] = [[None] * width for _ in grid]
    for r, row in enumerate(grid):
        c = 0
        for slot in row:
            while c < width and out[r][c] is not None:
                c += 1
            for dr in range(min(slot.rowspan, len(grid) - r)):
                for dc in range(min(slot.colspan, width - c)):
                    out[r + dr][c + dc] = Placed(slot, dr == 0 and dc == 0, dr > 0, dc == 0)
            c += slot.colspan
    return out
