"""Corpus → cross-year findings (Y.*): each unit's report against its report of the year before.

Carry-over per column, the 2021 in-force chain, the 2019 item-count chain and year-over-year jumps, over
the ``year_pairs`` view; units with two different reports for one year (Q.duplicate_unit_year) are left
out of the pairing and reported instead.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import duckdb

from ..schema import cell_label as label
from ..schema import formats
from .corpus_findings import CorpusFinding, corpus_finding
from .names import report_names
from .pages import pages
from .scope import Scope
from .settings import CorpusSettings


def _rows(con: duckdb.DuckDBPyConnection, sql: str, order: str,
          params: list[Any] | dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """The rows of a query in ``order``, read a page at a time (``pages``): a rule's findings go to the
    database as they come, and Python never holds all of them."""
    return itertools.chain.from_iterable(pages(con, sql, order, params))


def _named(con: duckdb.DuckDBPyConnection, sql: str, order: str,
           params: list[Any] | dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """``_rows`` of a query over year pairs, each row of a report in the panel with the report's ``agency``
    (``report_names``, a page at a time)."""
    for page in pages(con, sql, order, params):
        names = report_names(con, (row["report_id"] for row in page))
        for row in page:
            if row["report_id"] in names:
                row["agency"] = names[row["report_id"]][0]
                yield row


def _position(values: tuple[str, ...] | list[str], column: str) -> str:
    """SQL: the 1-based position of ``column`` among ``values`` (NULL where absent), to order by their order."""
    return f"list_position([{_literals(tuple(values))}], {column})"


def _literals(values: tuple[str, ...]) -> str:
    """SQL string literals of ``values``, comma-separated (constants let the scan skip row groups by key)."""
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values) or "NULL"


def _at(text: str | None) -> list[dict[str, Any]]:
    return [json.loads(text)] if text else []


def duplicate_unit_years(con: duckdb.DuckDBPyConnection, scope: Scope) -> Iterator[CorpusFinding]:
    """Q.duplicate_unit_year: a unit with several different current reports for one year. The groups are counted
    first, and only those of several reports gather their ids and agency (gathering them for every group of the
    panel held a list per report)."""
    rows = _rows(con, "WITH twice AS (SELECT unit, year FROM current_reports c WHERE unit IS NOT NULL "
                      f"AND year IS NOT NULL AND {scope.groups('c')} GROUP BY unit, year HAVING count(*) > 1) "
                      "SELECT c.unit, c.year, list(c.id ORDER BY c.id) AS ids, arg_min(c.agency, c.id) AS agency "
                      "FROM current_reports c SEMI JOIN twice t ON t.unit = c.unit AND t.year = c.year "
                      "GROUP BY c.unit, c.year", "ids[1]")
    return (corpus_finding("Q.duplicate_unit_year", r["ids"][0], related=r["ids"][1:], unit=r["agency"],
                           year=r["year"], count=len(r["ids"])) for r in rows)


def carry_over(con: duckdb.DuckDBPyConnection, scope: Scope) -> Iterator[CorpusFinding]:
    """Y.T3.carry: 二、上年结转 (Y) = 四、结转下年度继续办理 (Y−1), per column."""
    columns = formats().t3_columns
    names = {c.key: c.label for c in columns}
    carried = next(r for r in formats().t3_rows if r.from_previous)
    rows = _named(con, f"""
        SELECT p.report_id, p.previous_id, p.year, a.col_key, a.location,
               coalesce(a.value, 0) AS actual, coalesce(b.value, 0) AS expected
        FROM {scope.pairs()} p
        JOIN cells a ON a.report_id = p.report_id AND a.tbl = 't3' AND a.row_key = ?
        JOIN cells b ON b.report_id = p.previous_id AND b.tbl = 't3' AND b.row_key = ?
                    AND b.col_key = a.col_key
        WHERE coalesce(a.value, 0) <> coalesce(b.value, 0)""",
                 f"report_id, coalesce({_position([c.key for c in columns], 'col_key')}, {len(columns) + 1})",
                 [carried.key, carried.from_previous])
    return (corpus_finding("Y.T3.carry", r["report_id"], related=[r["previous_id"]], unit=r["agency"],
                           year=r["year"], cells=[f"t3.{carried.key}.{r['col_key']}"], expected=r["expected"],
                           actual=r["actual"], at=_at(r["location"]),
                           where=f"{names.get(r['col_key'], r['col_key'])}列",
                           previous_year=r["year"] - 1) for r in rows)


def in_force_chain(con: duckdb.DuckDBPyConnection, scope: Scope) -> Iterator[CorpusFinding]:
    """Y.T2.2021.in_force: 现行有效件数 (Y) = 现行有效件数 (Y−1) + 本年制发件数 (Y) − 本年废止件数 (Y), in the
    formats whose 表二 has an ``in_force`` column, both years."""
    fmt = formats()
    templates = fmt.t2_templates_with("in_force")
    chained = _literals(templates)
    stock, added, removed = (fmt.t2_column_with(role, templates)
                             for role in ("in_force", "new_documents", "repealed_documents"))
    rows = _named(con, f"""
        WITH w AS (
            SELECT report_id, block, row_key, any_value(location) FILTER (WHERE col_key = $stock) AS location,
                   coalesce(max(value) FILTER (WHERE col_key = $stock), 0) AS in_force,
                   coalesce(max(value) FILTER (WHERE col_key = $added), 0) AS issued,
                   coalesce(max(value) FILTER (WHERE col_key = $removed), 0) AS repealed
            FROM cells WHERE tbl = 't2' AND block IN ({_literals(fmt.t2_blocks_with("in_force"))})
              AND {scope.paired('report_id')}
            GROUP BY report_id, block, row_key)
        SELECT p.report_id, p.previous_id, p.year, a.block, a.row_key, a.location, a.in_force, a.issued,
               a.repealed, b.in_force AS previous
        FROM {scope.pairs()} p
        JOIN w a ON a.report_id = p.report_id
        JOIN w b ON b.report_id = p.previous_id AND b.block = a.block AND b.row_key = a.row_key
        WHERE p.template IN ({chained}) AND p.previous_template IN ({chained})
          AND a.in_force <> b.in_force + a.issued - a.repealed""", "report_id, row_key DESC",
                 {"stock": stock, "added": added, "removed": removed})
    return (corpus_finding("Y.T2.2021.in_force", r["report_id"], related=[r["previous_id"]], unit=r["agency"],
                           year=r["year"], cells=[f"t2.{r['block']}.{r['row_key']}.{c}" for c in (stock, added,
                                                                                                  removed)],
                           expected=r["previous"] + r["issued"] - r["repealed"], actual=r["in_force"],
                           at=_at(r["location"]),
                           where=label(f"t2.{r['block']}.{r['row_key']}.{stock}").split("·")[0],
                           previous_year=r["year"] - 1, previous=r["previous"], issued=r["issued"],
                           repealed=r["repealed"]) for r in rows
            if f"{r['block']}.{r['row_key']}" in fmt.t2_rows_with("in_force"))


def items_chain(con: duckdb.DuckDBPyConnection, scope: Scope) -> Iterator[CorpusFinding]:
    """Y.T2.2019.items: 上一年项目数量 (Y) = 上一年项目数量 (Y−1) + 本年增/减 (Y−1), in the formats whose 表二 has a
    ``previous_items`` column, both years."""
    fmt = formats()
    templates = fmt.t2_templates_with("previous_items")
    chained = _literals(templates)
    opening, change = (fmt.t2_column_with(role, templates) for role in ("previous_items", "items_change"))
    items = fmt.t2_rows_with("previous_items")
    rows = _named(con, f"""
        WITH w AS (
            SELECT report_id, block || '.' || row_key AS item,
                   any_value(location) FILTER (WHERE col_key = $opening) AS location,
                   coalesce(max(value) FILTER (WHERE col_key = $opening), 0) AS items,
                   coalesce(max(value) FILTER (WHERE col_key = $change), 0) AS change
            FROM cells WHERE tbl = 't2' AND block IN ({_literals(fmt.t2_blocks_with("previous_items"))})
              AND {scope.paired('report_id')}
            GROUP BY report_id, item)
        SELECT p.report_id, p.previous_id, p.year, a.item, a.location, a.items,
               b.items + b.change AS expected
        FROM {scope.pairs()} p
        JOIN w a ON a.report_id = p.report_id JOIN w b ON b.report_id = p.previous_id AND b.item = a.item
        WHERE p.template IN ({chained}) AND p.previous_template IN ({chained}) AND a.items <> b.items + b.change
          AND a.item IN ({_literals(tuple(items))})""", f"report_id, {_position(items, 'item')}",
                 {"opening": opening, "change": change})
    return (corpus_finding("Y.T2.2019.items", r["report_id"], related=[r["previous_id"]], unit=r["agency"],
                           year=r["year"], cells=[f"t2.{r['item']}.{opening}"], expected=r["expected"],
                           actual=r["items"], at=_at(r["location"]),
                           where=label(f"t2.{r['item']}.{opening}").split("·")[0],
                           previous_year=r["year"] - 1) for r in rows)


def jumps(con: duckdb.DuckDBPyConnection, options: CorpusSettings, scope: Scope) -> Iterator[CorpusFinding]:
    """Y.jump: a key cell that is ``jump_factor`` times its value of the year before (or a tenth of it)."""
    rows = _named(con, f"""
        SELECT p.report_id, p.previous_id, p.year, a.key, a.location,
               coalesce(a.value, 0) AS actual, coalesce(b.value, 0) AS expected
        FROM {scope.pairs()} p
        JOIN cells a ON a.report_id = p.report_id AND a.key IN ({_literals(options.jump_keys)})
        JOIN cells b ON b.report_id = p.previous_id AND b.key = a.key AND b.key IN ({_literals(options.jump_keys)})
        WHERE greatest(coalesce(a.value, 0), coalesce(b.value, 0))
              >= ? * greatest(least(coalesce(a.value, 0), coalesce(b.value, 0)), 1)
          AND abs(coalesce(a.value, 0) - coalesce(b.value, 0)) >= ?""",
                 f"report_id, {_position(options.jump_keys, 'key')}", [options.jump_factor, options.jump_min_delta])
    return (corpus_finding("Y.jump", r["report_id"], related=[r["previous_id"]], unit=r["agency"], year=r["year"],
                           cells=[r["key"]], expected=r["expected"], actual=r["actual"], at=_at(r["location"]),
                           where=label(r["key"]), previous_year=r["year"] - 1, factor=options.jump_factor)
            for r in rows)


def cross_year_findings(con: duckdb.DuckDBPyConnection, options: CorpusSettings, scope: Scope
                        ) -> Iterator[CorpusFinding]:
    """Every Y.* finding and Q.duplicate_unit_year of the scope, rule by rule, each rule's query run when the
    findings before it have been taken."""
    yield from duplicate_unit_years(con, scope)
    yield from carry_over(con, scope)
    yield from in_force_chain(con, scope)
    yield from items_chain(con, scope)
    yield from jumps(con, options, scope)
