"""Report tables → findings of the arithmetic and plausibility rules of the catalogue.

Evaluates each rule's expression (or named check) for every binding of its ``for_each``; one
finding per broken instance, and one warning listing the blank cells the rules read as 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from ..findings import BLANK, finding
from ..report import Cell, Finding, Report
from ..schema import Rule, catalogue, cell_label, cell_labels, cell_name, formats
from ..schema.expressions import evaluate, instances
from ..settings import AuditSettings
from ..values import squash


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
    for block in formats().t2.get(report.template or "2021", ()):
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
        outcome = evaluate(comparison, cells, rows)
        if outcome is None:
            continue
        blank.update(outcome.blank)
        if outcome.holds:
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


@lru_cache(maxsize=4)
def _cell_types(template: str | None) -> dict[str, str]:
    """Column type of every 表二 cell key of a template (表三 and 表四 hold counts)."""
    return {f"t2.{b.key}.{r.key}.{c.key}": c.type for b in formats().t2.get(template or "", ())
            for r in b.rows for c in b.columns}


def _bad_number(value: float, kind: str) -> bool:
    if kind == "signed_count":
        return not float(value).is_integer()
    if kind == "amount":
        return value < 0
    return value < 0 or not float(value).is_integer()


def _check_rule(rule: Rule, report: Report, tables: dict[str, dict[str, Cell]],
                settings: AuditSettings) -> Iterator[Finding]:
    if rule.check in ("nonneg_integer", "nonneg_by_type"):
        table = rule.for_each["cell"].split(".")[0]
        types = _cell_types(report.template) if table == "t2" else {}
        for key, cell in tables.get(table, {}).items():
            if cell.value is not None and _bad_number(cell.value, types.get(key, "count")):
                yield finding(rule.id, cells=[key], actual=cell.raw, at=[cell.at], where=cell_name(key))
    elif rule.check == "zero_together":
        items, amount = (report.cell(k) for k in rule.cells)
        if items and amount and items.value is not None and amount.value is not None \
                and (items.value == 0) != (amount.value == 0):
            yield finding(rule.id, cells=list(rule.cells), lhs=items.raw, rhs=amount.raw,
                          at=[items.at, amount.at])
    elif rule.check == "regulation_power":
        yield from _regulation_power(rule, report)
    elif rule.check == "amount_unit":
        yield from _amount_unit(rule, report, settings)


_COUNTY_DIVISION = re.compile(r"^(?:.{1,10}?(?:省|自治区|市|自治州|州|盟|地区))?"
                              r"(?P<county>[^省市州盟区县旗]{1,8}?(?:县|旗|(?<!自治)(?<![地社小景校片])区))(?!人民政府$)"
                              r".{2,}(?:局|委员会|委|办公室|办|中心|所|院|队|处|站)$")
"""A department named after a county-level division: 沭阳县发展和改革局, 四平市铁西区人民政府办公室."""
_NO_RULE_LEVELS = ("county", "township")


def _without_rule_power(report: Report) -> str | None:
    """The kind of body the report's is when it cannot make 规章 (立法法: only the governments of 设区的市 and
    above make them); None when it may, or when its level cannot be told from its name."""
    level = report.meta.level
    if level in _NO_RULE_LEVELS:
        return formats().body(level)
    if level == "department" and _COUNTY_DIVISION.match(squash(report.meta.agency or "")):
        return formats().body("county", "department")
    return None


def _regulation_power(rule: Rule, report: Report) -> Iterator[Finding]:
    body = _without_rule_power(report)
    if body is None:
        return
    row = report.tables.t2.get("art20_1", {}).get("regulation", {})
    nonzero = [(f"t2.art20_1.regulation.{col}", cell) for col, cell in row.items() if cell.value]
    if nonzero:
        yield finding(rule.id, cells=[k for k, _ in nonzero], at=[c.at for _, c in nonzero],
                      where=cell_label(nonzero[0][0]).split("·")[0], body=body)


def _amount_unit(rule: Rule, report: Report, settings: AuditSettings) -> Iterator[Finding]:
    keys = ("t2.art20_9.central_procurement.procurement_amount", "t2.art20_8.admin_fee.fee_amount")
    for key in keys:
        cell = report.cell(key)
        if cell is None or cell.value is None or "元" in cell.raw:
            continue
        if cell.value >= settings.amount_wan_yuan_suspect and report.meta.level in ("county", "township", None):
            yield finding(rule.id, cells=[key], actual=cell.raw, at=[cell.at], where=cell_name(key),
                          amount_yi=round(cell.value / 10000, 2))


def table_findings(report: Report, settings: AuditSettings) -> list[Finding]:
    """Every table rule of the catalogue that applies to the report's template."""
    found: list[Finding] = []
    blank: set[str] = set()
    tables = cells_by_table(report)
    cells = {**tables["t2"], **tables["t3"], **tables["t4"]}
    rows = _rows(report)
    t3_rows = tuple(report.tables.t3)
    for rule in catalogue().rules:
        if rule.family != "table" or (report.template and report.template not in rule.templates):
            continue
        if rule.expr:
            found.extend(_expr_rule(rule, report, cells, rows, blank, t3_rows))
        elif rule.check:
            found.extend(_check_rule(rule, report, tables, settings))
    for table in ("t3", "t4"):
        values = tables[table].values()
        if values and all(cell.value is None for cell in values):
            found.append(finding("S.blank_table", cells=[table], label=formats().table(table).name))
    if blank:
        order = {key: i for i, key in enumerate(cell_labels())}
        keys = sorted(blank, key=lambda k: (order.get(k, len(order)), k))
        found.append(finding("S.blank_cells", cells=keys, at=_ats(cells, keys), count=len(keys),
                             where="、".join(cell_name(k) for k in keys[:10]) + ("等" if len(keys) > 10 else "")))
    return found
