"""Report tables → findings of the arithmetic and plausibility rules of the catalogue.

Evaluates each rule's expression (or named check) for every binding of its ``for_each``; one
finding per broken instance, and one warning listing the blank cells the rules read as 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from ..findings import BLANK, finding
from ..report import Cell, Finding, Report
from ..schema import Rule, catalogue, cell_name, cell_order, formats
from ..schema.expressions import broken, instances
from ..settings import AuditSettings
from .checks import Subject, run_check


def _t3_column_label(key: str) -> str:
    return next(c.label for c in formats().t3_columns if c.key == key)


def _t3_row_label(key: str) -> str:
    return next(r.label for r in formats().t3_rows if r.key == key)


def _where(name: str, value: str, report: Report) -> str:
    if name == "c":
        return _t3_column_label(value) + "列"
    if name == "r":
        if report.tables.t3.get(value) is not None and value in {r.key for r in formats().t3_rows}:
            return _t3_row_label(value)
        return _t2_row_label(report, value)
    if name == "b.r":
        return _t2_row_label(report, value.split(".")[1])
    return value


def _t2_row_label(report: Report, row_key: str) -> str:
    for block in formats().t2.get(report.template or formats().latest, ()):
        for spec in block.rows:
            if spec.key == row_key:
                return f"{block.caption}{spec.label}"
    return row_key


def cells_by_table(report: Report) -> dict[str, dict[str, Cell]]:
    """Every cell of the report by its dotted key, per table (``t2``, ``t3``, ``t4``)."""
    return {
        "t2": {f"t2.{block}.{row}.{col}": cell for block, rows in report.tables.t2.items()
               for row, cols in rows.items() for col, cell in cols.items()},
        "t3": {f"t3.{row}.{col}": cell for row, cols in report.tables.t3.items() for col, cell in cols.items()},
        "t4": {f"t4.{col}": cell for col, cell in report.tables.t4.items()},
    }


def _rows(report: Report) -> set[str]:
    """The rows that hold a cell, as ``row_of`` names them."""
    tables = report.tables
    rows = {f"t2.{block}.{row}" for block, block_rows in tables.t2.items() for row, cols in block_rows.items() if cols}
    rows.update(f"t3.{row}" for row, cols in tables.t3.items() if cols)
    if tables.t4:
        rows.add("t4")
    return rows


def _expr_rule(rule: Rule, report: Report, cells: dict[str, Cell], rows: set[str],
               blank: set[str], t3_rows: tuple[str, ...]) -> Iterator[Finding]:
    for name, value, comparison in instances(rule.id, t3_rows):
        outcome = broken(comparison, cells, rows, blank)
        if outcome is None:
            continue
        expected, actual = (outcome.lhs, outcome.rhs) if rule.expected_side == "lhs" else (outcome.rhs, outcome.lhs)
        shown: dict[str, Any] = {side: BLANK if side in outcome.blank_sides else _num(number)
                 for side, number in (("lhs", outcome.lhs), ("rhs", outcome.rhs))}
        yield finding(rule.id, cells=outcome.keys, expected=_num(expected), actual=_num(actual),
                      at=_ats(cells, outcome.keys), where=_where(name, value, report) if name else "", **shown)


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 4)


def _ats(cells: dict[str, Cell], keys: list[str]) -> list[dict[str, Any]]:
    return [cells[k].at for k in keys if k in cells]


@cache
def _table_rules(template: str | None) -> tuple[Rule, ...]:
    """The table rules of the catalogue that apply to a report of ``template`` (all of them without one)."""
    return tuple(rule for rule in catalogue().rules
                 if rule.family == "table" and (not template or template in rule.templates))


def table_findings(report: Report, settings: AuditSettings) -> list[Finding]:
    """Every table rule of the catalogue that applies to the report's template."""
    found: list[Finding] = []
    blank: set[str] = set()
    tables = cells_by_table(report)
    cells = {**tables["t2"], **tables["t3"], **tables["t4"]}
    rows = _rows(report)
    t3_rows = tuple(report.tables.t3)
    subject = Subject(report, tables, settings)
    for rule in _table_rules(report.template):
        if rule.expr:
            found.extend(_expr_rule(rule, report, cells, rows, blank, t3_rows))
        elif rule.check:
            found.extend(run_check(rule, subject))
    for table in ("t3", "t4"):
        values = tables[table].values()
        if values and all(cell.value is None for cell in values):
            found.append(finding("S.blank_table", cells=[table], label=formats().table(table).name))
    if blank:
        order = cell_order()
        known = sorted(blank & order.keys(), key=order.__getitem__)  # the format's cells, in order
        keys = known + sorted(blank - order.keys())
        found.append(finding("S.blank_cells", cells=keys, at=_ats(cells, keys), count=len(keys),
                             where="、".join(cell_name(k) for k in keys[:10]) + ("等" if len(keys) > 10 else "")))
    return found
