"""Corpus + supervisors' reference lists → timeliness (Q.late), roster (Q.roster_*) and hierarchy (H.*) findings.

The lists live in the tables ``deadlines`` (level, deadline[, year][, region]), ``roster`` (unit[, year]) and
``hierarchy`` (unit, parent), loaded from CSV by ``load_reference``. Unit names are matched to reports by
agency name or by unit key (division code + name without place names), so 淮安市洪泽区人民政府 in the roster
finds a report signed 洪泽区人民政府.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import duckdb
import pyarrow as pa

from ..audit.timeliness import level_bodies
from ..regions import resolve_region
from ..schema import cell_labels
from .corpus_findings import CorpusFinding, corpus_finding
from .db import has_table
from .scope import Scope
from .settings import CorpusSettings
from .worker import unit_key

FETCH_ROWS = 2_000
"""Rows of a long result (every report of the scope) turned into Python at a time."""


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _streamed(con: duckdb.DuckDBPyConnection, sql: str) -> Iterator[dict[str, Any]]:
    """The rows of ``sql``, fetched ``FETCH_ROWS`` at a time (no other query may run on ``con`` meanwhile)."""
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    while rows := cursor.fetchmany(FETCH_ROWS):
        yield from (dict(zip(names, row, strict=True)) for row in rows)


def _squash(text: str | None) -> str:
    return "".join((text or "").split())


@cache
def _name_key(name: str) -> str | None:
    return unit_key(name, resolve_region(name))


@dataclass
class Matcher:
    """The current reports of the units named in the reference lists, by (agency, year) and by (unit key, year),
    and the years of the scope: what matching the lists needs, however many reports the corpus holds."""

    by_agency: dict[tuple[str, int], list[int]]
    by_unit: dict[tuple[str, int], list[int]]
    agency: dict[int, str]
    years: list[int]
    """Every year (of the scope) some current report is about."""
    where: str
    scope: tuple[int, ...] | None = None

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection, scope: Scope, names: Iterable[str | None]) -> Matcher:
        """The current reports of the years in ``scope`` (all of them in a full audit) that the unit ``names``
        can find, read ``FETCH_ROWS`` at a time."""
        squashed = {_squash(name) for name in names}
        keys = {key for key in map(_name_key, squashed) if key}
        by_agency: dict[tuple[str, int], list[int]] = defaultdict(list)
        by_unit: dict[tuple[str, int], list[int]] = defaultdict(list)
        agency = {}
        where = "" if scope.years is None else f"AND year IN ({', '.join(map(str, scope.years)) or 'NULL'})"
        for r in _streamed(con, f"SELECT id, agency, unit, year FROM current_reports WHERE year IS NOT NULL {where} "
                                "ORDER BY id"):
            name = _squash(r["agency"])
            if name not in squashed and r["unit"] not in keys:
                continue
            by_agency[(name, r["year"])].append(r["id"])
            if r["unit"]:
                by_unit[(r["unit"], r["year"])].append(r["id"])
            agency[r["id"]] = r["agency"]
        years = [y for (y,) in con.execute(f"SELECT DISTINCT year FROM current_reports WHERE year IS NOT NULL {where} "
                                           "ORDER BY year").fetchall()]
        return cls(by_agency, by_unit, agency, years, where, scope.years)

    def covers(self, year: int) -> bool:
        """True when the audit covers ``year``."""
        return self.scope is None or year in self.scope

    def find(self, name: str, year: int) -> list[int]:
        """Ids of the reports of the unit called ``name`` for ``year`` (a name given to ``load``)."""
        found = self.by_agency.get((_squash(name), year))
        key = _name_key(_squash(name))
        return found or (self.by_unit.get((key, year), []) if key else [])

    def others(self, con: duckdb.DuckDBPyConnection, found: set[int], years: set[int]) -> Iterator[dict[str, Any]]:
        """(id, agency, year) of the current reports of ``years`` not in ``found``, by id, read ``FETCH_ROWS`` at a
        time."""
        for r in _streamed(con, f"SELECT id, agency, year FROM current_reports WHERE year IS NOT NULL {self.where} "
                                "ORDER BY id"):
            if r["id"] not in found and r["year"] in years:
                yield r


def _deadline(row: dict[str, Any], options: CorpusSettings, overrides: list[dict[str, Any]]) -> date:
    best, rank = options.deadlines[row["level"]], (-1, -1)
    for o in overrides:
        region = o.get("region") or ""
        if (o["level"] in ("", "*", row["level"]) and str(o.get("year") or row["year"]) == str(row["year"])
                and (row["region_code"] or "").startswith(region)):
            here = (len(region), 1 if o.get("year") else 0)
            if here > rank:
                best, rank = o["deadline"], here
    month, day = (int(p) for p in best.split("-"))
    return date(row["year"] + 1, month, day)


def late_reports(con: duckdb.DuckDBPyConnection, options: CorpusSettings, scope: Scope) -> list[CorpusFinding]:
    """Q.late: signed after the deadline of the body's level (默认 1月31日 departments, 3月31日 governments). The
    reports are read ``FETCH_ROWS`` at a time, so that memory holds the late ones only."""
    overrides = _rows(con, "SELECT * FROM deadlines") if has_table(con, "deadlines") else []
    rows = _streamed(con, "SELECT id, agency, year, level, published, region_code FROM current_reports "
                          "WHERE published IS NOT NULL AND year IS NOT NULL AND level IS NOT NULL "
                          f"AND {scope.changed('id')} ORDER BY id")
    out = []
    for row in rows:
        deadline = _deadline(row, options, overrides)
        if row["published"] > deadline:
            out.append(corpus_finding("Q.late", row["id"], unit=row["agency"], year=row["year"],
                                      expected=deadline.isoformat(), actual=row["published"].isoformat(),
                                      level=level_bodies(row["level"]), days=(row["published"] - deadline).days))
    return out


def _roster(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The entries of the roster (none without one)."""
    return _rows(con, "SELECT * FROM roster") if has_table(con, "roster") else []


def _edges(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The (unit, parent) links of the hierarchy (none without one)."""
    if not has_table(con, "hierarchy"):
        return []
    return _rows(con, "SELECT unit, parent FROM hierarchy WHERE unit IS NOT NULL AND parent IS NOT NULL")


def roster_findings(con: duckdb.DuckDBPyConnection, matcher: Matcher, entries: list[dict[str, Any]]
                    ) -> list[CorpusFinding]:
    """Q.roster_missing for listed units (``entries`` of the roster) without a report, Q.roster_unlisted for
    reports of unlisted units."""
    if not entries:
        return []
    missing, matched, covered = [], set(), set()
    for entry in entries:
        years = [y for y in [int(entry["year"])] if matcher.covers(y)] if entry.get("year") else matcher.years
        covered.update(years)
        for year in years:
            ids = matcher.find(entry["unit"], year)
            matched.update(ids)
            if not ids:
                missing.append(corpus_finding("Q.roster_missing", None, unit=entry["unit"], year=year))
    missing.sort(key=lambda f: (f.year or 0, f.unit or ""))
    unlisted = [corpus_finding("Q.roster_unlisted", r["id"], unit=r["agency"] or f"报告{r['id']}", year=r["year"])
                for r in matcher.others(con, matched, covered)]
    return missing + unlisted


@dataclass
class _Family:
    parent_id: int
    year: int
    children: list[int]
    missing: list[str]


def _families(matcher: Matcher, edges: list[dict[str, Any]]) -> list[_Family]:
    """Each parent report with the reports of its listed children that year, and the children without one."""
    families: dict[int, _Family] = {}
    for year in matcher.years:
        for edge in edges:
            parents = matcher.find(edge["parent"], year)
            if not parents:
                continue
            family = families.setdefault(parents[0], _Family(parents[0], year, [], []))
            children = matcher.find(edge["unit"], year)
            if not children:
                family.missing.append(edge["unit"])
            elif children[0] not in family.children:
                family.children.append(children[0])
    return [families[i] for i in sorted(families)]


def children_of(con: duckdb.DuckDBPyConnection, parent: str, year: int) -> tuple[list[tuple[str, int]], list[str]]:
    """The units the ``hierarchy`` lists under ``parent`` (matched as the hierarchy rules match them): (unit,
    report id) of those with a current report for ``year``, and the units without one."""
    edges = _edges(con)
    matcher = Matcher.load(con, Scope(full=False, years=(year,)), (e["unit"] for e in edges))
    found, missing = [], []
    for unit in dict.fromkeys(e["unit"] for e in edges if _squash(e["parent"]) == _squash(parent)):
        ids = matcher.find(unit, year)
        if ids:
            found.append((unit, ids[0]))
        else:
            missing.append(unit)
    return found, missing


def roster_expected(con: duckdb.DuckDBPyConnection, region: str, year: int) -> tuple[int | None, list[str]]:
    """How many reports the roster expects from units of ``region`` (province, city or county of the name) for
    ``year``, and those without a current report (None, [] without a roster)."""
    if not has_table(con, "roster"):
        return None, []
    entries = _rows(con, "SELECT * FROM roster WHERE unit IS NOT NULL")
    matcher = Matcher.load(con, Scope(full=False, years=(year,)), (e["unit"] for e in entries))
    inside = {i for (i,) in con.execute("SELECT id FROM current_reports WHERE year = ? AND (province = ? OR city = ? "
                                        "OR county = ?)", [year, region, region, region]).fetchall()}
    expected, missing = 0, []
    for entry in entries:
        if entry.get("year") and str(entry["year"]).strip() != str(year):
            continue
        ids = matcher.find(entry["unit"], year)
        if ids:  # a unit that reported is where its report is
            expected += bool(inside.intersection(ids))
            continue
        division = resolve_region(entry["unit"]).division
        if division is not None and region in (division.province, division.city, division.county):
            expected += 1
            missing.append(entry["unit"])
    return expected, missing


def roster_population(con: duckdb.DuckDBPyConnection, year: int) -> dict[int, float]:
    """Report id → the population the roster gives its unit (column ``population``), for the reports of ``year``."""
    if not has_table(con, "roster") or "population" not in {
            c for (c,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'roster'")
            .fetchall()}:
        return {}
    entries = _rows(con, "SELECT unit, population FROM roster WHERE unit IS NOT NULL AND population IS NOT NULL")
    matcher = Matcher.load(con, Scope(full=False, years=(year,)), (e["unit"] for e in entries))
    found: dict[int, float] = {}
    for entry in entries:
        try:
            population = float(str(entry["population"]).replace(",", ""))
        except ValueError:
            continue
        for report_id in matcher.find(entry["unit"], year)[:1]:
            if population > 0:
                found[report_id] = population
    return found


def _sum_deltas(con: duckdb.DuckDBPyConnection, families: list[_Family]) -> list[dict[str, Any]]:
    links = pa.table({"parent_id": [f.parent_id for f in families for _ in f.children],
                      "child_id": [c for f in families for c in f.children]})
    con.register("_family", links)
    try:
        return _rows(con, """
            WITH kids AS (
                SELECT l.parent_id, c.key, sum(coalesce(c.value, 0)) AS total FROM _family l
                JOIN cells c ON c.report_id = l.child_id AND c.tbl IN ('t3', 't4') GROUP BY l.parent_id, c.key)
            SELECT p.report_id, p.key, p.location, coalesce(p.value, 0) AS actual, k.total AS expected
            FROM cells p JOIN kids k ON k.parent_id = p.report_id AND k.key = p.key
            WHERE coalesce(p.value, 0) <> k.total""")
    finally:
        con.unregister("_family")


def hierarchy_findings(con: duckdb.DuckDBPyConnection, matcher: Matcher, edges: list[dict[str, Any]]
                       ) -> list[CorpusFinding]:
    """H.missing_child for each listed child (``edges`` of the hierarchy) without a report; H.children_sum per
    表三/表四 cell that differs from the sum over the children that reported."""
    if not edges:
        return []
    families = _families(matcher, edges)
    by_parent = {f.parent_id: f for f in families if f.children}
    order = {key: i for i, key in enumerate(cell_labels())}
    deltas = sorted(_sum_deltas(con, list(by_parent.values())) if by_parent else [],
                    key=lambda r: (r["report_id"], order.get(r["key"], len(order))))
    out = [corpus_finding("H.missing_child", f.parent_id, unit=matcher.agency[f.parent_id], year=f.year, child=c)
           for f in families for c in sorted(f.missing)]
    out += [corpus_finding("H.children_sum", r["report_id"], related=by_parent[r["report_id"]].children,
                           unit=matcher.agency[r["report_id"]], year=by_parent[r["report_id"]].year,
                           cells=[r["key"]], expected=r["expected"], actual=r["actual"],
                           at=[json.loads(r["location"])] if r["location"] else [],
                           where=cell_labels().get(r["key"], r["key"]),
                           count=len(by_parent[r["report_id"]].children), delta=r["actual"] - r["expected"])
            for r in deltas]
    return out


def oversight_findings(con: duckdb.DuckDBPyConnection, options: CorpusSettings, scope: Scope
                       ) -> list[CorpusFinding]:
    """Q.late, the roster rules and the hierarchy rules, over the scope."""
    late = late_reports(con, options, scope)
    if not (has_table(con, "roster") or has_table(con, "hierarchy")):
        return late
    entries, edges = _roster(con), _edges(con)
    names = [e["unit"] for e in entries] + [n for e in edges for n in (e["unit"], e["parent"])]
    matcher = Matcher.load(con, scope, names)
    return [*late, *roster_findings(con, matcher, entries), *hierarchy_findings(con, matcher, edges)]
