"""Checked register + report year → the report contract with 表三 and 表四 counted, then audited.

本年新收 counts applications received in the year, 上年结转 those received before it and still open on
1 January (or the previous report's 结转下年度 when one is given), the outcome rows those answered in the year,
结转下年度 those still open on 31 December; 表四 counts the cases received in the year. Every cell's ``at``
lists the register rows it counts. 表二 is not in a register and is left absent.
"""

from __future__ import annotations

from datetime import date

from ..audit import audit
from ..report import Cell, Finding, Meta, Report, Source, Tables
from ..schema import formats
from .check import Application, Checked
from .sheets import APPLICATIONS, CASES, applicant_columns, case_totals, check_year, template_for

NEW, CARRIED_OVER, RESULT_TOTAL, CARRIED_FORWARD = "new_received", "carried_over", "result_total", "carried_forward"
TOTAL = "total"
SOURCE_FORMAT = "register"


def _cell(sheet: str, rows: list[int], extra: dict[str, object] | None = None) -> Cell:
    ordered = sorted(set(rows))
    return Cell(raw=str(len(ordered)), value=len(ordered), at={"sheet": sheet, "rows": ordered, **(extra or {})})


def _t3_rows(apps: list[Application], year: int) -> dict[str, list[Application]]:
    """表三 row key → the applications it counts (outcome rows, totals and carry-overs)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    rows: dict[str, list[Application]] = {}
    for app in apps:
        open_at_start = app.received < start and (app.replied is None or app.replied >= start)
        if start <= app.received <= end:
            rows.setdefault(NEW, []).append(app)
        elif open_at_start:
            rows.setdefault(CARRIED_OVER, []).append(app)
        if app.received > end:
            continue
        if app.replied is None or app.replied > end:
            rows.setdefault(CARRIED_FORWARD, []).append(app)
        elif app.replied >= start and app.outcome is not None:
            rows.setdefault(app.outcome, []).append(app)
            rows.setdefault(RESULT_TOTAL, []).append(app)
    return rows


def _t3(apps: list[Application], year: int, template: str) -> dict[str, dict[str, Cell]]:
    counted = _t3_rows(apps, year)
    columns = applicant_columns().values()
    table: dict[str, dict[str, Cell]] = {}
    for spec in formats().t3_data_rows(template):
        mine = counted.get(spec.key, [])
        table[spec.key] = {c: _cell(APPLICATIONS, [a.row for a in mine if a.applicant == c]) for c in columns}
        table[spec.key][TOTAL] = _cell(APPLICATIONS, [a.row for a in mine])
    return table


def _t4(checked: Checked, year: int) -> dict[str, Cell]:
    cases = [c for c in checked.cases if c.received.year == year]
    totals = case_totals()
    table: dict[str, Cell] = {}
    for column in formats().t4_columns:
        if column.key in totals.values():
            continue
        table[column.key] = _cell(CASES, [c.row for c in cases if c.column == column.key])
    for kind, key in totals.items():
        members = [c.key for c in formats().t4_columns if (c.subgroup or c.group) == kind and c.key != key]
        table[key] = _cell(CASES, [r for m in members for r in table[m].at["rows"]])
    return table


def _carry_from(report: Report, previous: Report, name: str) -> list[Finding]:
    """上年结转 taken from the previous report's 结转下年度, each column compared with the register's rows."""
    findings: list[Finding] = []
    last = previous.tables.t3.get(CARRIED_FORWARD, {})
    if previous.meta.year is not None and report.meta.year is not None and previous.meta.year != report.meta.year - 1:
        findings.append(Finding(rule="REG.previous_year", severity="warning", message=(
            f"上年报告 {name} 的年度是 {previous.meta.year}，不是 {report.meta.year - 1}")))
    labels = {c.key: c.label for c in formats().t3_columns}
    for column, cell in report.tables.t3[CARRIED_OVER].items():
        stated = last.get(column)
        if stated is None or not isinstance(stated.value, int | float):
            continue
        rows = cell.at["rows"]
        report.tables.t3[CARRIED_OVER][column] = Cell(
            raw=stated.raw or str(stated.value), value=stated.value,
            at={"sheet": APPLICATIONS, "rows": rows, "from": name, "key": f"t3.{CARRIED_FORWARD}.{column}"})
        if stated.value != len(rows):
            findings.append(Finding(
                rule="REG.carry_mismatch", severity="warning", cells=[f"t3.{CARRIED_OVER}.{column}"],
                expected=len(rows), actual=stated.value,
                message=(f"上年报告结转下年度（{labels[column]}）为 {stated.value:g}，"
                         f"台账中上年收到、年初仍未办结的申请为 {len(rows)} 件"
                         f"（「{APPLICATIONS}」第 {'、'.join(map(str, rows)) or '—'} 行）"),
                at=[{"sheet": APPLICATIONS, "rows": rows}]))
    return findings


def tally(checked: Checked, year: int, agency: str | None = None, previous: Report | None = None,
          previous_name: str = "") -> Report:
    """The audited report of ``year`` counted from a checked register."""
    check_year(year, checked.name)
    template = template_for(year)
    report = Report(source=Source(path=checked.name, sha256=checked.sha256, format=SOURCE_FORMAT),
                    template=template,
                    meta=Meta(agency=agency, year=year),
                    tables=Tables(t3=_t3(checked.applications, year, template), t4=_t4(checked, year)))
    report.findings = list(checked.findings)
    if previous is not None:
        report.findings += _carry_from(report, previous, previous_name)
    return audit(report)
