"""Corpus tables and views → DDL, Arrow schemas and field descriptions: the one definition of the database.

The DuckDB tables, the Parquet shards of cluster runs and the exported data package are all generated from
the specs here; nothing else spells out a column.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pyarrow as pa

from ..schema import formats

SEVERITIES = ["error", "warning", "info"]
LEVELS = ["province", "city", "county", "township", "department"]
STATUSES = ["parsed", "failed", "duplicate"]
COUNT = {"minimum": 0}

_ARROW = {"BIGINT": pa.int64(), "INTEGER": pa.int32(), "VARCHAR": pa.string(), "DOUBLE": pa.float64(),
          "BOOLEAN": pa.bool_(), "DATE": pa.date32(), "JSON": pa.string(), "TIMESTAMP": pa.timestamp("us")}
_FRICTIONLESS = {"BIGINT": "integer", "INTEGER": "integer", "VARCHAR": "string", "DOUBLE": "number",
                 "BOOLEAN": "boolean", "DATE": "date", "JSON": "any", "TIMESTAMP": "datetime"}


@dataclass(frozen=True, slots=True)
class Column:
    """One column: SQL type, the printed label (title) where one exists, and what it holds."""

    name: str
    sql: str
    title: str
    description: str
    constraints: dict[str, Any] = field(default_factory=dict)
    exported: bool = True

    @property
    def kind(self) -> str:
        """Frictionless field type."""
        return _FRICTIONLESS[self.sql]


@dataclass(frozen=True, slots=True)
class Spec:
    """A table or view of the corpus and how it is exported."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    order_by: str
    foreign_key: str | None = "report_id"
    view_sql: str | None = None
    insert_order: str | None = None
    """Row order of each inserted batch, where the storage layout needs one."""

    def exported(self) -> tuple[Column, ...]:
        """The columns written by exports (deterministic ones only)."""
        return tuple(c for c in self.columns if c.exported)

    def arrow_schema(self) -> pa.Schema:
        """Arrow schema of the table (Parquet shards and batch inserts)."""
        return pa.schema([pa.field(c.name, _ARROW[c.sql]) for c in self.columns])

    def ddl(self) -> str:
        """CREATE TABLE or CREATE VIEW statement."""
        if self.view_sql is not None:
            return f"CREATE OR REPLACE VIEW {self.name} AS {self.view_sql}"
        columns = ", ".join(f"{c.name} {c.sql}" for c in self.columns)
        return f"CREATE TABLE IF NOT EXISTS {self.name} ({columns})"


def _c(name: str, sql: str, title: str, description: str, **constraints: Any) -> Column:
    return Column(name, sql, title, description, constraints)


REPORT_ID = _c("report_id", "BIGINT", "报告编号", "The report's id in `reports`.", required=True)

REPORTS = Spec(
    "reports", "报告", "One row per input file seen by `nianbao ingest`, whatever became of it.",
    (
        _c("id", "BIGINT", "报告编号", "Row id, assigned in path order when the input is first planned.",
           required=True, unique=True),
        _c("path", "VARCHAR", "文件路径", "Absolute path of the input file.", required=True),
        _c("sha256", "VARCHAR", "内容哈希", "SHA-256 of the file's bytes; inputs are recognised by it."),
        _c("size", "BIGINT", "文件大小", "Size of the file in bytes.", minimum=0),
        _c("format", "VARCHAR", "文件格式", "Format detected from the content: text, markdown, html, docx, doc, "
                                            "pdf, ofd, image or zip."),
        _c("status", "VARCHAR", "处理状态", "parsed; failed (see error_code, error); duplicate (same content as "
                                            "the report `duplicate_of`, stored at another path, not parsed again).",
           required=True, enum=STATUSES),
        _c("error_code", "VARCHAR", "错误代码", "For failed inputs: the NianbaoError code (unreadable, "
                                               "unsupported, not_a_report, …) or `internal`."),
        _c("error", "VARCHAR", "错误说明", "For failed inputs: the error message."),
        _c("duplicate_of", "BIGINT", "重复于", "For duplicates: id of the stored report with the same content."),
        _c("version", "INTEGER", "版本", "1 for the first content seen at this path, +1 each time it changed.",
           required=True, minimum=1),
        _c("is_current", "BOOLEAN", "当前版本", "True for the latest version of each path.", required=True),
        _c("template", "VARCHAR", "格式版本", "Official format the tables follow: 2019 (trial) or 2021.",
           enum=["2019", "2021"]),
        _c("agency", "VARCHAR", "报告单位", "Reporting body as the report names it."),
        _c("unit", "VARCHAR", "单位标识", "Key that identifies the body across years: division code and the "
                                          "agency name without its place names (淮安市洪泽区人民政府 and "
                                          "洪泽区人民政府 are one unit)."),
        _c("year", "INTEGER", "报告年度", "Year the report is about.", minimum=1990, maximum=2100),
        _c("published", "DATE", "成文日期", "Date printed under the signature."),
        _c("level", "VARCHAR", "层级", "Administrative level suggested by the agency's name.", enum=LEVELS),
        _c("province", "VARCHAR", "省", "Province of the resolved division."),
        _c("city", "VARCHAR", "市", "Prefecture-level city (empty for municipalities' districts)."),
        _c("county", "VARCHAR", "县（区）", "County-level division."),
        _c("township", "VARCHAR", "乡镇（街道）", "Township or street, when the agency is one."),
        _c("region_code", "VARCHAR", "行政区划代码", "Six-digit code of the most specific division below the "
                                                   "township (county, else city, else province).",
           pattern="[0-9]{6}"),
        _c("township_code", "VARCHAR", "乡镇代码", "Twelve-digit statistical code of the township.",
           pattern="[0-9]{12}"),
        _c("region_status", "VARCHAR", "区划识别", "resolved, ambiguous (see region_candidates) or unresolved.",
           enum=["resolved", "ambiguous", "unresolved"]),
        _c("region_candidates", "JSON", "候选区划", "For ambiguous names: the divisions the name could mean "
                                                   "(at most 10, sorted by code), as a JSON list."),
        _c("n_errors", "INTEGER", "错误数", "Findings of severity error in the report.", minimum=0),
        _c("n_warnings", "INTEGER", "警告数", "Findings of severity warning in the report.", minimum=0),
        _c("n_infos", "INTEGER", "提示数", "Findings of severity info in the report.", minimum=0),
        _c("meta", "JSON", "元数据", "The report's whole `meta` object (README, *The report contract*), JSON."),
        Column("ingested_at", "TIMESTAMP", "入库时间", "When the row was written (not exported).", exported=False),
    ),
    ("id",), "id", foreign_key=None,
)

CELLS = Spec(
    "cells", "单元格", "One row per table cell of each parsed report (long format).",
    (
        REPORT_ID,
        _c("key", "VARCHAR", "单元格键", "Dotted key: t2.<block>.<row>.<column>, t3.<row>.<column> or "
                                         "t4.<column> (keys of src/nianbao/schema/formats.json).", required=True),
        _c("tbl", "VARCHAR", "表", "Which table: t2 (表二), t3 (表三) or t4 (表四).", required=True,
           enum=["t2", "t3", "t4"]),
        _c("block", "VARCHAR", "条目", "表二 block (article 20 item), e.g. art20_1; empty for t3, t4."),
        _c("row_key", "VARCHAR", "行", "Row key; empty for t4."),
        _c("col_key", "VARCHAR", "列", "Column key.", required=True),
        _c("raw", "VARCHAR", "原文", "The cell as printed; empty for a blank cell."),
        _c("value", "DOUBLE", "数值", "The number the cell states; empty when it states none (blank, 无, -, /). "
                                      "Blank and 无 stay distinguishable in raw."),
        _c("location", "JSON", "位置", "Where the cell was found (page, line, bbox, HTML cell…), JSON."),
        _c("corrected", "BOOLEAN", "已修正", "True when value is a correction in force (see corrections), not the "
                                            "number printed."),
        _c("printed", "DOUBLE", "原数值", "For a corrected cell: the number as printed (raw keeps its text); "
                                         "empty otherwise."),
    ),
    ("report_id", "key"), "report_id, key",
    # a key's rows lie together in few row groups (db.ROW_GROUP_ROWS): a query for a few keys skips the rest
    insert_order="key, report_id",
)

FINDINGS = Spec(
    "findings", "审核发现", "Findings of each report's own audit (scope report) and of the cross-report "
                          "audit (scope corpus: Y.* cross-year, H.* hierarchy, Q.* quality).",
    (
        _c("id", "VARCHAR", "编号", "<report id>.<n> for report findings, corpus.<n> for corpus findings.",
           required=True, unique=True),
        Column("report_id", "BIGINT", "报告编号", "The report the finding is about; empty for a missing report."),
        _c("scope", "VARCHAR", "范围", "report (per-report audit) or corpus (cross-report audit).",
           required=True, enum=["report", "corpus"]),
        _c("rule", "VARCHAR", "规则", "Rule id of the catalogue (`nianbao rules`).", required=True),
        _c("severity", "VARCHAR", "严重程度", "error, warning or info.", required=True, enum=SEVERITIES),
        _c("cells", "JSON", "涉及单元格", "Keys of the cells involved, JSON list."),
        _c("expected", "JSON", "应为", "Expected value, JSON."),
        _c("actual", "JSON", "实为", "Value found, JSON."),
        _c("message", "VARCHAR", "说明", "Message rendered from the rule's template.", required=True),
        _c("location", "JSON", "位置", "Where the cells involved were found, JSON list."),
        _c("related", "JSON", "相关报告", "Corpus findings: ids of the other reports involved, JSON list."),
        _c("unit", "VARCHAR", "单位", "Corpus findings: the unit concerned (agency or roster name)."),
        _c("year", "INTEGER", "年度", "Corpus findings: the report year concerned."),
    ),
    ("id",), "scope DESC, report_id, id",
)

SECTIONS = Spec(
    "sections", "正文", "Narrative text of each parsed report by section.",
    (
        REPORT_ID,
        _c("key", "VARCHAR", "章节", "overview (一、总体情况), problems_improvements (五、存在的主要问题及改进情况) "
                                     "or other_matters (六、其他需要报告的事项).", required=True),
        _c("text", "VARCHAR", "正文", "The section's text.", required=True),
    ),
    ("report_id", "key"), "report_id, key",
)

CORRECTIONS = Spec(
    "corrections", "修正记录", "The history of corrections of cells, one row per act (a correction or its "
    "withdrawal), never changed once written. A correction belongs to the content of a file (sha256): it stays in "
    "force while that content is stored, and is only a candidate for a new version of the file.",
    (
        _c("id", "BIGINT", "序号", "Order of the act.", required=True, unique=True),
        _c("report_id", "BIGINT", "报告编号", "The report the act was made on.", required=True),
        _c("sha256", "VARCHAR", "内容哈希", "Content of the file the correction belongs to.", required=True),
        _c("path", "VARCHAR", "文件路径", "Path of that file when the act was made."),
        _c("key", "VARCHAR", "单元格键", "Dotted key of the cell.", required=True),
        _c("action", "VARCHAR", "操作", "correct (a value put in force) or withdraw (the printed value restored).",
           required=True, enum=["correct", "withdraw"]),
        _c("raw", "VARCHAR", "原文", "The cell as printed (empty when it was not read)."),
        _c("printed", "DOUBLE", "原数值", "The number the cell printed (empty when it states none)."),
        _c("value", "DOUBLE", "修正值", "The corrected number (empty for a withdrawal)."),
        _c("who", "VARCHAR", "修正人", "Who made the act, as given (the signed-in reviewer on the web)."),
        _c("made_at", "TIMESTAMP", "时间", "When the act was made."),
        _c("why", "VARCHAR", "理由", "Why, as given.", required=True),
    ),
    ("id",), "id",
)

TABLES = (REPORTS, CELLS, FINDINGS, SECTIONS, CORRECTIONS)
"""The tables of the corpus that exports write."""

SHINGLES = Spec(
    "shingles", "句子指纹", "The distinct normalised sentences of each parsed report's narrative, hashed: what the "
    "copied-narrative rules compare (written with the report; not exported).",
    (REPORT_ID,
     _c("hash", "BIGINT", "句子哈希", "64-bit hash of the sentence (whitespace removed, digit runs as one symbol).",
        required=True),
     _c("chars", "INTEGER", "字数", "Characters of the longest sentence of the report with this hash.", minimum=1)),
    ("report_id", "hash"), "report_id, hash",
)
STORED = (REPORTS, CELLS, FINDINGS, SECTIONS, SHINGLES)
"""Every table an ingest batch writes, in one transaction."""

AUDITED = Spec(
    "audited_reports", "已审核报告", "The current reports as of the last cross-report audit: the audit after an "
    "ingest recomputes only what the reports that entered or left the panel since then can change.",
    (REPORT_ID,), ("report_id",), "report_id",
)

CURRENT_SQL = ("SELECT * FROM reports WHERE status = 'parsed' "
               "AND id IN (SELECT coalesce(duplicate_of, id) FROM reports WHERE is_current)")
CURRENT = Spec("current_reports", "当前报告", "Parsed reports whose content is the current version of some "
               "path (the analysis panel: old versions and duplicates removed).",
               REPORTS.columns, ("id",), "id", foreign_key=None, view_sql=CURRENT_SQL)

_PAIRS_SQL = ("WITH u AS (SELECT id, unit, year, template, count(*) OVER (PARTITION BY unit, year) AS n "
              "FROM current_reports WHERE unit IS NOT NULL AND year IS NOT NULL) "
              "SELECT a.id AS report_id, b.id AS previous_id, a.unit, a.year, a.template, "
              "b.template AS previous_template FROM u a JOIN u b ON a.unit = b.unit AND b.year = a.year - 1 "
              "WHERE a.n = 1 AND b.n = 1")
YEAR_PAIRS = Spec(
    "year_pairs", "相邻年度报告", "Each current report with the same unit's report of the year before, where the "
    "unit has exactly one current report in each of the two years (what the cross-year rules compare).",
    (REPORT_ID,
     _c("previous_id", "BIGINT", "上年报告编号", "The unit's report of the year before.", required=True),
     _c("unit", "VARCHAR", "单位标识", "Unit key (see reports.unit).", required=True),
     _c("year", "INTEGER", "报告年度", "Year of report_id.", required=True),
     _c("template", "VARCHAR", "格式版本", "Template of report_id."),
     _c("previous_template", "VARCHAR", "上年格式版本", "Template of previous_id.")),
    ("report_id",), "report_id", view_sql=_PAIRS_SQL)

_PANEL = (
    REPORT_ID,
    _c("agency", "VARCHAR", "报告单位", "Reporting body."),
    _c("unit", "VARCHAR", "单位标识", "Unit key (see reports.unit)."),
    _c("year", "INTEGER", "报告年度", "Year the report is about."),
    _c("template", "VARCHAR", "格式版本", "2019 or 2021.", enum=["2019", "2021"]),
    _c("province", "VARCHAR", "省", "Province."),
    _c("city", "VARCHAR", "市", "City."),
    _c("county", "VARCHAR", "县（区）", "County."),
    _c("region_code", "VARCHAR", "行政区划代码", "Six-digit division code.", pattern="[0-9]{6}"),
)
_PANEL_SQL = "r.id AS report_id, r.agency, r.unit, r.year, r.template, r.province, r.city, r.county, r.region_code"


def _value(label: str, description: str, name: str, signed: bool = False) -> Column:
    return Column(name, "DOUBLE", label, description, {} if signed else dict(COUNT))


def _pivot(columns: list[tuple[str, str]]) -> str:
    return ", ".join(f"max(c.value) FILTER (WHERE c.col_key = '{col}') AS {name}" for name, col in columns)


CORRECTED_SQL = "string_agg(c.key, ',' ORDER BY c.key) FILTER (WHERE c.corrected) AS corrected"
CORRECTED = _c("corrected", "VARCHAR", "已修正单元格", "Keys of the cells of this row whose value is a correction "
               "in force (comma-separated); empty when none is corrected.")


def _t3_wide() -> Spec:
    fmt = formats()
    rows = [r for r in fmt.t3_rows if not r.group]
    order = " ".join(f"WHEN '{r.key}' THEN {i}" for i, r in enumerate(rows, 1))
    labels = " ".join(f"WHEN '{r.key}' THEN '{r.label}'" for r in rows)
    values = [_value(c.label, f"表三 column {c.label}" + (f" ({c.group})" if c.group else ""), c.key)
              for c in fmt.t3_columns]
    sql = (f"SELECT {_PANEL_SQL}, c.row_key, CASE c.row_key {order} END AS row_order, "
           f"CASE c.row_key {labels} END AS row_label, {_pivot([(c.key, c.key) for c in fmt.t3_columns])}, "
           f"{CORRECTED_SQL} "
           "FROM current_reports r JOIN cells c ON c.report_id = r.id AND c.tbl = 't3' GROUP BY ALL")
    extra = (_c("row_key", "VARCHAR", "行", "表三 row key.", required=True),
             _c("row_order", "INTEGER", "行序", "Position of the row in the official table.", minimum=1),
             _c("row_label", "VARCHAR", "行标签", "The row's official label."))
    return Spec("t3_wide", "表三（宽表）", "表三 of each current report: one row per report and table row, "
                "the seven applicant columns side by side.", (*_PANEL, *extra, *values, CORRECTED),
                ("report_id", "row_key"), "report_id, row_order", view_sql=sql)


def _t4_wide() -> Spec:
    columns = formats().t4_columns
    values = [_value("·".join(p for p in (c.group, c.subgroup, c.label) if p), "表四 cell", c.key) for c in columns]
    sql = (f"SELECT {_PANEL_SQL}, {_pivot([(c.key, c.key) for c in columns])}, {CORRECTED_SQL} FROM current_reports r "
           f"JOIN cells c ON c.report_id = r.id AND c.tbl = 't4' GROUP BY ALL")
    return Spec("t4_wide", "表四（宽表）", "表四 of each current report: one row per report, 15 cells.",
                (*_PANEL, *values, CORRECTED), ("report_id",), "report_id", view_sql=sql)


def t2_columns() -> Iterator[tuple[str, str, str, bool]]:
    """(wide column name, dotted key without t2., printed label, signed) for 表二 of both templates."""
    seen = set()
    for template in ("2021", "2019"):
        for block in formats().t2[template]:
            for row in block.rows:
                for col in block.columns:
                    key = f"{block.key}.{row.key}.{col.key}"
                    if key not in seen:
                        seen.add(key)
                        label = f"{block.caption}·{row.label}·{col.label}"
                        yield key.replace(".", "__"), key, label, col.type == "signed_count"


def _t2_wide() -> Spec:
    columns = list(t2_columns())
    values = [_value(label, f"表二 cell t2.{key}", name, signed) for name, key, label, signed in columns]
    pivot = ", ".join(f"max(c.value) FILTER (WHERE c.key = 't2.{key}') AS {name}" for name, key, _, _ in columns)
    sql = (f"SELECT {_PANEL_SQL}, {pivot}, {CORRECTED_SQL} FROM current_reports r "
           f"JOIN cells c ON c.report_id = r.id AND c.tbl = 't2' GROUP BY ALL")
    return Spec("t2_wide", "表二（宽表）", "表二 of each current report: one row per report; columns "
                "<block>__<row>__<column> of both templates (a report fills those of its own).",
                (*_PANEL, *values, CORRECTED), ("report_id",), "report_id", view_sql=sql)


@cache
def views() -> tuple[Spec, ...]:
    """The views, in creation order (current_reports first: the wide views read it)."""
    return CURRENT, YEAR_PAIRS, _t2_wide(), _t3_wide(), _t4_wide()


def exported_specs() -> tuple[Spec, ...]:
    """Tables and views written by ``nianbao export``, in order."""
    return (*TABLES, *views()[2:])
