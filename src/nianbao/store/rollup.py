"""Corpus + a parent unit + a year → the region's roll-up: 表二, 表三 and 表四 summed over the parent's children (as
the ``hierarchy`` lists them, the way the hierarchy rules match them), as a report contract that ``nianbao render``
draws like any report.

Each summed cell's ``at`` lists the reports and cells it adds up; children without a report that year and children
whose report has errors are listed (``rollup`` key of the JSON, and the 其他需要报告的事项 section, a template filled
with those lists). Numbers come from SQL over ``cells`` (corrections in force count).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from ..errors import NianbaoError
from ..report import Meta, Report, Source, table_cells
from ..schema import formats
from ..schema.metrics import metric_dictionary
from ..skeleton import skeleton
from .corpus_audit import load_reference
from .db import connect, has_table
from .oversight import children_of

SUM_DECIMALS = 6


@dataclass
class Child:
    """A child unit of the roll-up and its report."""

    unit: str
    report_id: int
    agency: str | None
    n_errors: int


@dataclass
class Rollup:
    """The roll-up of a parent for a year: the summed report and who is in it."""

    parent: str
    year: int
    report: Report
    children: list[Child] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The report contract with a ``rollup`` key (children, missing, with errors; ignored by readers of the
        contract)."""
        data = json.loads(self.report.to_json())
        data["rollup"] = {"parent": self.parent, "year": self.year, "metrics_version": metric_dictionary().version,
                          "children": [vars(c) for c in self.children], "missing": self.missing,
                          "with_errors": [vars(c) for c in self.children if c.n_errors]}
        return data


def number_text(value: float) -> str:
    """A summed number as printed: an integer without decimals, an amount without trailing zeros."""
    rounded = round(float(value), SUM_DECIMALS)
    if rounded.is_integer():
        return str(int(rounded))
    return f"{rounded:.{SUM_DECIMALS}f}".rstrip("0").rstrip(".")


def _template(year: int) -> str:
    template = formats().template_for_year(year)
    if template is None:
        raise NianbaoError(str(year), "bad_option", f"{year} 年没有适用的年报格式")
    return template.key


def _children(con: duckdb.DuckDBPyConnection, parent: str, year: int) -> tuple[list[Child], list[str]]:
    if not has_table(con, "hierarchy"):
        raise NianbaoError("hierarchy", "no_hierarchy", "报告库没有单位层级表；请用 --hierarchy 给出（列 unit,parent）")
    found, missing = children_of(con, parent, year)
    if not found and not missing:
        raise NianbaoError(parent, "no_children", f"单位层级表中没有“{parent}”的下级单位")
    ids = [i for _, i in found]
    facts = {i: (a, n) for i, a, n in con.execute(
        "SELECT id, agency, coalesce(n_errors, 0) FROM reports WHERE id IN (SELECT unnest(?::BIGINT[]))",
        [ids]).fetchall()}
    return [Child(unit, i, facts[i][0], int(facts[i][1])) for unit, i in found], missing


def _sums(con: duckdb.DuckDBPyConnection, children: list[Child]) -> dict[str, tuple[float, list[dict[str, Any]]]]:
    """Cell key → (sum, the cells summed) over the children's stated cells."""
    rows = con.execute(
        "SELECT c.key, sum(c.value) AS total, list({'report_id': c.report_id, 'key': c.key, 'value': c.value} "
        "ORDER BY c.report_id) AS parts FROM cells c WHERE c.report_id IN (SELECT unnest(?::BIGINT[])) "
        "AND c.value IS NOT NULL "
        "GROUP BY c.key", [[c.report_id for c in children]]).fetchall()
    return {key: (float(total), list(parts)) for key, total, parts in rows}


def _sections(parent: str, year: int, children: list[Child], missing: list[str]) -> dict[str, str]:
    """The roll-up's own sections: templates filled with the counts and the lists."""
    with_errors = [c.agency or c.unit for c in children if c.n_errors]
    overview = (f"本表由{parent}所属 {len(children) + len(missing)} 个下级单位中已报送 {len(children)} 份"
                f"{year}年度报告的表二、表三、表四逐项相加而成。")
    other = (f"未报送年度报告的下级单位（{len(missing)} 个）：{'、'.join(missing) or '无'}。"
             f"报告存在错误级审核发现的下级单位（{len(with_errors)} 个）：{'、'.join(with_errors) or '无'}。")
    return {"overview": overview, "other_matters": other}


def summed_report(con: duckdb.DuckDBPyConnection, title: str, year: int, children: list[Child]) -> Report:
    """A report of the year's format whose every cell is the sum of the children's stated cells (``at.sum`` lists
    them; a cell none of them states stays empty)."""
    report = skeleton(_template(year), title, year, default=None)
    sums = _sums(con, children) if children else {}
    agencies = {c.report_id: c.agency for c in children}
    for key, _, _, _, _, cell in table_cells(report):
        if key in sums:
            total, parts = sums[key]
            cell.raw, cell.value = number_text(total), _plain(total)
            cell.at = {"sum": [{**p, "agency": agencies[p["report_id"]]} for p in parts]}
        else:
            cell.at = {"sum": []}
    digest = hashlib.sha256("\n".join(str(c.report_id) for c in children).encode()).hexdigest()
    report.source = Source(path=f"rollup:{title}:{year}", sha256=digest, format="rollup")
    report.meta = Meta(agency=title, year=year)
    return report


def build_rollup(con: duckdb.DuckDBPyConnection, parent: str, year: int) -> Rollup:
    """The roll-up of ``parent``'s children for ``year`` over an open corpus."""
    children, missing = _children(con, parent, year)
    report = summed_report(con, f"{parent}（汇总）", year, children)
    report.sections = _sections(parent, year, children, missing)
    return Rollup(parent, year, report, children, missing)


def _plain(value: float) -> int | float:
    rounded = round(value, SUM_DECIMALS)
    return int(rounded) if rounded.is_integer() else rounded


def rollup(db_path: str | Path, parent: str, year: int, hierarchy: str | Path | None = None) -> Rollup:
    """The roll-up of ``parent`` for ``year`` from the corpus at ``db_path`` (``hierarchy``: a CSV used for this
    roll-up instead of the stored list)."""
    con = connect(db_path, read_only=True)
    try:
        if hierarchy is not None:
            load_reference(con, "hierarchy", hierarchy, temporary=True)
        return build_rollup(con, parent, year)
    finally:
        con.close()

