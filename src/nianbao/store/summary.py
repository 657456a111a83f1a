"""Corpus + a region + a year → the supervisor's summary (汇总分析) as data: coverage against the roster, the region's
three tables, units ranked by the dictionary's metrics, problems by rule, each unit's errors and warnings with their
evidence, and the year-over-year changes.

Every number is the result of SQL over the corpus (cells in force, findings not dismissed); drawing the document is
``render.summary``'s job.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from ..errors import NianbaoError
from ..report import Report
from ..schema import catalogue, cell_label
from ..schema.metrics import Metric, metric_dictionary
from .db import connect, has_table
from .measures import change_sql, metrics, sums_sql, value
from .oversight import roster_expected, roster_population
from .review import FINDINGS_ABOUT_SQL
from .rollup import Child, summed_report

REGION_SQL = "(r.province = ? OR r.city = ? OR r.county = ?)"
RANKED = ("new_received", "disclosure_rate", "refusal_rate", "review_correction_rate", "litigation_correction_rate",
          "applications_yoy", "applications_per_10k")
COMPARED = ("new_received", "result_total", "disclosure_rate", "refusal_rate", "review_total", "litigation_total",
            "review_correction_rate", "litigation_correction_rate")
SERIES = ("new_received", "result_total")
TOP = 10
UNITS_NAMED = 20
KINDS = ("error", "warning")


@dataclass
class Coverage:
    """Reports expected by the roster (None without a roster), received, late, and the listed units missing."""

    expected: int | None
    received: int
    late: list[tuple[str, str]]
    missing: list[str]


@dataclass
class Ranking:
    """Units ranked by one metric (highest first, the TOP first kept) out of ``count`` units that have it."""

    metric: Metric
    rows: list[tuple[str, int, float]]
    count: int


@dataclass
class Problem:
    """One rule: how many reports of the region have it, and which units (the first UNITS_NAMED)."""

    rule: str
    title: str
    severity: str
    reports: int
    units: list[str]


@dataclass
class Issue:
    """One error or warning of a unit's report with its evidence."""

    severity: str
    rule: str
    message: str
    cell: str
    printed: str
    sentence: str


@dataclass
class UnitIssues:
    """A unit's report and its errors and warnings."""

    agency: str
    report_id: int
    issues: list[Issue] = field(default_factory=list)


@dataclass
class Change:
    """A metric of the region this year and the year before."""

    metric: Metric
    this: float | None
    last: float | None

    @property
    def change(self) -> float | None:
        """Relative change in percent (None when last year's value is 0 or missing)."""
        if self.this is None or not self.last:
            return None
        return round(100 * (self.this - self.last) / self.last, 1)


@dataclass
class Summary:
    """Everything the summary report shows."""

    region: str
    year: int
    metrics_label: str
    coverage: Coverage
    tables: Report
    rankings: list[Ranking]
    problems: list[Problem]
    units: list[UnitIssues]
    changes: list[Change]
    series: list[tuple[int, dict[str, float | None]]]


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _reports(con: duckdb.DuckDBPyConnection, region: str, year: int) -> list[dict[str, Any]]:
    return _rows(con, f"SELECT r.id, r.agency, r.unit FROM current_reports r WHERE r.year = ? AND {REGION_SQL} "
                      "ORDER BY r.agency, r.id", [year, region, region, region])


def _ids_sql(year: int) -> str:
    return f"SELECT r.id FROM current_reports r WHERE r.year = {int(year)} AND {REGION_SQL}"


def _open_findings(con: duckdb.DuckDBPyConnection) -> str:
    """SQL of the findings about each report (``about``), dismissed ones left out where reviews exist."""
    if not has_table(con, "reviews"):
        return f"SELECT * FROM ({FINDINGS_ABOUT_SQL})"
    return (f"SELECT a.* FROM ({FINDINGS_ABOUT_SQL}) a LEFT JOIN reviews v ON v.finding_key = a.finding_key "
            "WHERE v.decision IS DISTINCT FROM 'dismissed'")


def _coverage(con: duckdb.DuckDBPyConnection, region: str, year: int, reports: list[dict[str, Any]]) -> Coverage:
    ids = [r["id"] for r in reports]
    late = [(agency, message) for agency, message in con.execute(
        "SELECT r.agency, f.message FROM findings f JOIN reports r ON r.id = f.report_id WHERE f.rule = 'Q.late' "
        "AND f.report_id IN (SELECT unnest(?::BIGINT[])) ORDER BY r.agency", [ids]).fetchall()]
    expected, missing = roster_expected(con, region, year)
    return Coverage(expected, len(reports), late, missing)


def _unit_values(con: duckdb.DuckDBPyConnection, metric: Metric, region: str, year: int,
                 population: dict[int, float]) -> list[tuple[int, float | None, float | None]]:
    """(report id, numerator, denominator) of each report of the region for one metric: sums of its cells, this and
    last year's for a change, the roster's population for a rate per population."""
    if metric.kind == "change":
        rows = _rows(con, change_sql(metric, _ids_sql(year)), [region] * 3)
    else:
        rows = _rows(con, sums_sql([metric], _ids_sql(year), "report_id"), [region] * 3)
    found = []
    for row in rows:
        bottom = population.get(row["report_id"]) if metric.kind == "per_population" else row.get(f"{metric.key}__den")
        found.append((row["report_id"], row[f"{metric.key}__num"], bottom))
    return found


def _rankings(con: duckdb.DuckDBPyConnection, region: str, year: int, names: dict[int, str]) -> list[Ranking]:
    population = roster_population(con, year)
    out = []
    for metric in metrics(RANKED):
        values = [(names[i], i, metric.value(top, bottom)) for i, top, bottom in
                  _unit_values(con, metric, region, year, population)]
        ranked = sorted(((a, i, v) for a, i, v in values if v is not None), key=lambda t: (-t[2], t[0]))
        out.append(Ranking(metric, ranked[:TOP], len(ranked)))
    return out


def _problems(con: duckdb.DuckDBPyConnection, ids: list[int], names: dict[int, str]) -> list[Problem]:
    rows = con.execute(f"SELECT rule, any_value(severity), list(DISTINCT about ORDER BY about) FROM "
                       f"({_open_findings(con)}) WHERE about IN (SELECT unnest(?::BIGINT[])) GROUP BY rule",
                       [ids]).fetchall()
    titles = {r.id: r.title for r in catalogue().rules}
    problems = [Problem(rule, titles.get(rule, rule), severity, len(about),
                        sorted(names[i] for i in about)[:UNITS_NAMED]) for rule, severity, about in rows]
    return sorted(problems, key=lambda p: (KINDS.index(p.severity) if p.severity in KINDS else 2, -p.reports, p.rule))


def _issues(con: duckdb.DuckDBPyConnection, ids: list[int], names: dict[int, str]) -> list[UnitIssues]:
    rows = con.execute(
        f"SELECT f.about, f.severity, f.rule, f.message, f.cells, f.location, c.raw FROM ({_open_findings(con)}) f "
        "LEFT JOIN cells c ON c.report_id = f.about AND c.key = json_extract_string(f.cells, '$[0]') "
        "WHERE f.about IN (SELECT unnest(?::BIGINT[])) AND f.severity IN ('error', 'warning') "
        "ORDER BY f.about, f.severity, f.rule, f.id", [ids]).fetchall()
    units: dict[int, UnitIssues] = {}
    for about, severity, rule, message, cells, location, raw in rows:
        keys = json.loads(cells or "[]")
        sentence = next((at.get("text", "") for at in json.loads(location or "[]") if isinstance(at, dict)
                         and at.get("text")), "")
        unit = units.setdefault(about, UnitIssues(names[about], about))
        unit.issues.append(Issue(severity, rule, message, cell_label(keys[0]) if keys else "",
                                 "" if raw is None or not keys else raw, sentence))
    return sorted(units.values(), key=lambda u: (u.agency, u.report_id))


def _metric_values(con: duckdb.DuckDBPyConnection, region: str, year: int, keys: tuple[str, ...]
                   ) -> dict[str, float | None]:
    chosen = metrics(keys)
    found = _rows(con, sums_sql(chosen, _ids_sql(year)), [region] * 3)
    return {m.key: value(m, found[0]) if found else None for m in chosen}


def _changes(con: duckdb.DuckDBPyConnection, region: str, year: int) -> list[Change]:
    """The region's metrics this year and last; then the dictionary's change metric over the units that reported
    both years (pooled)."""
    this, last = (_metric_values(con, region, y, COMPARED) for y in (year, year - 1))
    changes = [Change(m, this[m.key], last[m.key]) for m in metrics(COMPARED)]
    yoy = metric_dictionary()["applications_yoy"]
    pairs = _unit_values(con, yoy, region, year, {})
    if pairs:
        changes.append(Change(yoy, sum(t or 0 for _, t, _ in pairs), sum(b or 0 for _, _, b in pairs)))
    return changes


def _series(con: duckdb.DuckDBPyConnection, region: str) -> list[tuple[int, dict[str, float | None]]]:
    years = [y for (y,) in con.execute(f"SELECT DISTINCT r.year FROM current_reports r WHERE r.year IS NOT NULL "
                                       f"AND {REGION_SQL} ORDER BY 1", [region] * 3).fetchall()]
    return [(y, _metric_values(con, region, y, SERIES)) for y in years]


def build_summary(con: duckdb.DuckDBPyConnection, region: str, year: int) -> Summary:
    """The summary of ``region`` for ``year`` over an open corpus."""
    reports = _reports(con, region, year)
    if not reports:
        raise NianbaoError(region, "no_reports", f"报告库中没有“{region}”{year}年度的当前报告")
    names = {r["id"]: r["agency"] or f"报告{r['id']}" for r in reports}
    ids = list(names)
    children = [Child(r["unit"] or names[r["id"]], r["id"], r["agency"], 0) for r in reports]
    tables = summed_report(con, f"{region}（汇总）", year, children)
    return Summary(region, year, metric_dictionary().label, _coverage(con, region, year, reports), tables,
                   _rankings(con, region, year, names), _problems(con, ids, names), _issues(con, ids, names),
                   _changes(con, region, year), _series(con, region))


def summary(db_path: str | Path, region: str, year: int) -> Summary:
    """The summary of ``region`` for ``year`` from the corpus at ``db_path``."""
    con = connect(db_path, read_only=True)
    try:
        return build_summary(con, region, year)
    finally:
        con.close()
