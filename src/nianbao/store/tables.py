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

from ..schema import TEMPLATES, formats
from .portals import AFTER_CHARS, BEFORE_CHARS

SEVERITIES = ["error", "warning", "info"]
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
    insert_order: tuple[str, ...] = ()
    """Columns whose order (ascending) each inserted batch is sorted by, where the storage layout needs one."""

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


def _narrative_keys() -> str:
    """The keys of the narrative sections, each with its heading."""
    named = [f"{s.key}（{s.heading}）" for s in formats().sections if s.kind == "narrative"]
    return f"{'、'.join(named[:-1])}或 {named[-1]}。"


REPORT_ID = _c("report_id", "BIGINT", "报告编号", "所属报告在 `reports` 中的编号。", required=True)

REPORTS = Spec(
    "reports", "报告", "`nianbao ingest` 见到的每个输入文件一行，无论其处理结果如何。",
    (
        _c("id", "BIGINT", "报告编号", "行编号，首次安排处理该输入时按路径顺序分配。",
           required=True, unique=True),
        _c("path", "VARCHAR", "文件路径", "输入文件的绝对路径。", required=True),
        _c("sha256", "VARCHAR", "内容哈希", "文件字节内容的 SHA-256；据此识别输入。"),
        _c("size", "BIGINT", "文件大小", "文件大小（字节）。", minimum=0),
        _c("format", "VARCHAR", "文件格式", "按内容识别的文件格式：text、markdown、html、docx、doc、pdf、"
                                            "ofd、image 或 zip。"),
        _c("status", "VARCHAR", "处理状态", "parsed（已解析）；failed（失败，见 error_code、error）；duplicate（重复："
                                            "内容与报告 `duplicate_of` 相同，存于另一路径，不再解析）。",
           required=True, enum=STATUSES),
        _c("error_code", "VARCHAR", "错误代码", "失败的输入：NianbaoError 的错误代码（unreadable、"
                                               "unsupported、not_a_report 等）或 `internal`。"),
        _c("error", "VARCHAR", "错误说明", "失败的输入：错误信息。"),
        _c("duplicate_of", "BIGINT", "重复于", "重复的输入：内容相同的已存报告的编号。"),
        _c("version", "INTEGER", "版本", "该路径首次见到的内容为 1，内容每变化一次加 1。",
           required=True, minimum=1),
        _c("is_current", "BOOLEAN", "当前版本", "每个路径的最新版本为 true。", required=True),
        _c("template", "VARCHAR", "格式版本", "表格所依照的官方格式：2019（试行）或 2021。",
           enum=list(formats().templates)),
        _c("agency", "VARCHAR", "报告单位", "报告中所写的报告单位名称。"),
        _c("unit", "VARCHAR", "单位标识", "跨年度识别同一单位的标识：行政区划代码加去掉地名的机关名称"
                                          "（淮安市洪泽区人民政府与洪泽区人民政府为同一单位）。"),
        _c("year", "INTEGER", "报告年度", "报告所属年度。", minimum=1990, maximum=2100),
        _c("published", "DATE", "成文日期", "落款处印制的日期。"),
        _c("level", "VARCHAR", "层级", "由报告单位名称推断的行政层级。", enum=list(formats().levels)),
        _c("province", "VARCHAR", "省", "识别出的行政区划所属的省。"),
        _c("city", "VARCHAR", "市", "地级市（直辖市的区为空）。"),
        _c("county", "VARCHAR", "县（区）", "县级行政区划。"),
        _c("township", "VARCHAR", formats().levels["township"].label, "乡镇或街道（报告单位为乡镇或街道时）。"),
        _c("region_code", "VARCHAR", "行政区划代码", "乡镇以上最具体一级行政区划的六位代码"
                                                   "（县级，否则市级，否则省级）。",
           pattern="[0-9]{6}"),
        _c("township_code", "VARCHAR", "乡镇代码", "乡镇的十二位统计用区划代码。",
           pattern="[0-9]{12}"),
        _c("region_status", "VARCHAR", "区划识别", "resolved（已识别）、ambiguous（有歧义，见 region_candidates）"
                                           "或 unresolved（未识别）。",
           enum=["resolved", "ambiguous", "unresolved"]),
        _c("region_candidates", "JSON", "候选区划", "名称有歧义时：该名称可能指的行政区划"
                                                   "（至多 10 个，按代码排序），JSON 列表。"),
        _c("n_errors", "INTEGER", "错误数", "报告中严重程度为 error（错误）的审核发现数。", minimum=0),
        _c("n_warnings", "INTEGER", "警告数", "报告中严重程度为 warning（警告）的审核发现数。", minimum=0),
        _c("n_infos", "INTEGER", "提示数", "报告中严重程度为 info（提示）的审核发现数。", minimum=0),
        _c("meta", "JSON", "元数据", "报告的完整 `meta` 对象（见 README 的 *The report contract* 一节），JSON。"),
        Column("ingested_at", "TIMESTAMP", "入库时间", "该行写入的时间（不导出）。", exported=False),
    ),
    ("id",), "id", foreign_key=None,
)

CELLS = Spec(
    "cells", "单元格", "每份已解析报告的每个表格单元格一行（长格式）。",
    (
        REPORT_ID,
        _c("key", "VARCHAR", "单元格键", "点分键：t2.<block>.<row>.<column>、t3.<row>.<column> 或 "
                                         "t4.<column>（src/nianbao/schema/formats.json 中的键）。", required=True),
        _c("tbl", "VARCHAR", "表", "所属表格：t2（表二）、t3（表三）或 t4（表四）。", required=True,
           enum=["t2", "t3", "t4"]),
        _c("block", "VARCHAR", "条目", "表二的栏目（第二十条的某一项），如 art20_1；t3、t4 为空。"),
        _c("row_key", "VARCHAR", "行", "行键；t4 为空。"),
        _c("col_key", "VARCHAR", "列", "列键。", required=True),
        _c("raw", "VARCHAR", "原文", "单元格的原样文字；空白单元格为空。"),
        _c("value", "DOUBLE", "数值", "单元格所载的数值；未载数值时（空白、无、-、/）为空。"
                                      "空白与“无”在 raw 中仍可区分。"),
        _c("location", "JSON", "位置", "单元格所在位置（页、行、bbox、HTML 单元格等），JSON。"),
        _c("corrected", "BOOLEAN", "已修正", "value 为现行修正值（见 corrections）而非原印数值时为 "
                                            "true。"),
        _c("printed", "DOUBLE", "原数值", "已修正的单元格：原印的数值（raw 保留其文字）；"
                                         "其他单元格为空。"),
    ),
    ("report_id", "key"), "report_id, key",
    # a key's rows lie together in few row groups (db.ROW_GROUP_ROWS): a query for a few keys skips the rest
    insert_order=("key", "report_id"),
)

FINDINGS = Spec(
    "findings", "审核发现", "各报告自身审核（scope 为 report）与跨报告审核"
                          "（scope 为 corpus：Y.* 跨年度、H.* 上下级、Q.* 质量）的审核发现。",
    (
        _c("id", "VARCHAR", "编号", "报告审核发现为 <报告编号>.<n>，语料审核发现为 corpus.<n>。",
           required=True, unique=True),
        Column("report_id", "BIGINT", "报告编号", "审核发现所涉的报告；报告缺失时为空。"),
        _c("scope", "VARCHAR", "范围", "report（单份报告审核）或 corpus（跨报告审核）。",
           required=True, enum=["report", "corpus"]),
        _c("rule", "VARCHAR", "规则", "规则目录中的规则编号（见 `nianbao rules`）。", required=True),
        _c("severity", "VARCHAR", "严重程度", "error（错误）、warning（警告）或 info（提示）。",
           required=True, enum=SEVERITIES),
        _c("cells", "JSON", "涉及单元格", "所涉单元格的键，JSON 列表。"),
        _c("expected", "JSON", "应为", "应有的值，JSON。"),
        _c("actual", "JSON", "实为", "实际所见的值，JSON。"),
        _c("message", "VARCHAR", "说明", "按规则模板生成的说明。", required=True),
        _c("location", "JSON", "位置", "所涉单元格所在位置，JSON 列表。"),
        _c("related", "JSON", "相关报告", "语料审核发现：所涉其他报告的编号，JSON 列表。"),
        _c("unit", "VARCHAR", "单位", "语料审核发现：所涉单位（报告单位或名录中的名称）。"),
        _c("year", "INTEGER", "年度", "语料审核发现：所涉报告年度。"),
    ),
    ("id",), "scope DESC, report_id, id",
)

SECTIONS = Spec(
    "sections", "正文", "每份已解析报告的正文文字，按章节分行。",
    (
        REPORT_ID,
        _c("key", "VARCHAR", "章节", _narrative_keys(), required=True),
        _c("text", "VARCHAR", "正文", "该章节的文字。", required=True),
    ),
    ("report_id", "key"), "report_id, key",
)

CORRECTIONS = Spec(
    "corrections", "修正记录", "单元格修正的历史，每次操作（修正或撤销修正）一行，"
    "写入后不再改动。修正属于某一文件内容（sha256）：该内容仍在库中时修正一直有效，"
    "对该文件的新版本只作为候选修正。",
    (
        _c("id", "BIGINT", "序号", "操作的先后序号。", required=True, unique=True),
        _c("report_id", "BIGINT", "报告编号", "操作所针对的报告。", required=True),
        _c("sha256", "VARCHAR", "内容哈希", "修正所属的文件内容。", required=True),
        _c("path", "VARCHAR", "文件路径", "操作时该文件的路径。"),
        _c("key", "VARCHAR", "单元格键", "单元格的点分键。", required=True),
        _c("action", "VARCHAR", "操作", "correct（使一个值生效）或 withdraw（恢复原印数值）。",
           required=True, enum=["correct", "withdraw"]),
        _c("raw", "VARCHAR", "原文", "单元格的原样文字（未读出时为空）。"),
        _c("printed", "DOUBLE", "原数值", "单元格原印的数值（未载数值时为空）。"),
        _c("value", "DOUBLE", "修正值", "修正后的数值（撤销时为空）。"),
        _c("who", "VARCHAR", "修正人", "操作人，按所填写（网页上为已登录的审核人）。"),
        _c("made_at", "TIMESTAMP", "时间", "操作的时间。"),
        _c("why", "VARCHAR", "理由", "理由，按所填写。", required=True),
    ),
    ("id",), "id",
)

TABLES = (REPORTS, CELLS, FINDINGS, SECTIONS, CORRECTIONS)
"""The tables of the corpus that exports write."""

SHINGLES = Spec(
    "shingles", "句子指纹", "每份已解析报告正文中互不相同的规范化句子的哈希："
    "正文雷同规则比较的就是它们（与报告一同写入；不导出）。",
    (REPORT_ID,
     _c("hash", "BIGINT", "句子哈希", "句子的 64 位哈希（去除空白，每段连续数字记为同一个符号）。",
        required=True),
     _c("chars", "INTEGER", "字数", "报告中具有此哈希的最长句子的字数。", minimum=1)),
    ("report_id", "hash"), "report_id, hash",
)
PORTALS = Spec(
    "portals", "门户网站提及", "每份已解析报告正文（各章节按键名顺序相接，去除空白）中提到的门户网站、政府网站，"
    "各带其前后一段文字：他处门户网站规则读的就是它们（与报告一同写入；不导出）。",
    (REPORT_ID,
     _c("at_char", "INTEGER", "位置", "网站名称在相接正文中的起始字序（从 0 起）。", required=True, minimum=0),
     _c("text_before", "VARCHAR", "前文", f"网站名称之前的文字（至多 {BEFORE_CHARS} 字）。", required=True),
     _c("portal", "VARCHAR", "网站名称", "所提到的网站名称，如“人民政府门户网站”。", required=True),
     _c("text_after", "VARCHAR", "后文", f"网站名称之后的文字（至多 {AFTER_CHARS} 字）。", required=True)),
    ("report_id", "at_char"), "report_id, at_char",
)
GRID_ROWS = Spec(
    "grid_rows", "原文表格行", "HTML、DOCX、DOC 报告中读出单元格的表格的各行原文：网页上单击单元格时显示其周围各行，"
    "不必重新读取文件（与报告一同写入；不导出）。",
    (REPORT_ID,
     _c("grid", "INTEGER", "表格序号", "该报告保留的表格中的序号（从 0 起）。", required=True, minimum=0),
     _c("row", "INTEGER", "行序号", "表格中的行序号（从 0 起）。", required=True, minimum=0),
     _c("cells", "JSON", "各格", "该行各格的 [原文, 位置]，位置与 `cells.location` 的写法相同。", required=True)),
    ("report_id", "grid", "row"), "report_id, grid, row",
)
STORED = (REPORTS, CELLS, FINDINGS, SECTIONS, SHINGLES, PORTALS, GRID_ROWS)
"""Every table an ingest batch writes, in one transaction."""

AUDITED = Spec(
    "audited_reports", "已审核报告", "上一次跨报告审核时的当前报告：入库后的审核"
    "只重新计算自那以后进入或离开分析面板的报告可能改变的部分。",
    (REPORT_ID,), ("report_id",), "report_id",
)

CURRENT_SQL = ("SELECT * FROM reports WHERE status = 'parsed' AND (is_current OR id IN "
               "(SELECT duplicate_of FROM reports WHERE is_current AND duplicate_of IS NOT NULL))")
"""A parsed row that is current, or whose content a current duplicate row (at another path) points to: the lookup
holds the few duplicates, not every current row (a group-by over the panel reads ``reports`` once)."""
CURRENT = Spec("current_reports", "当前报告", "内容为某一路径当前版本的已解析报告"
               "（分析面板：去除了旧版本和重复）。",
               REPORTS.columns, ("id",), "id", foreign_key=None, view_sql=CURRENT_SQL)

_PAIRS_SQL = ("WITH u AS (SELECT id, unit, year, template, count(*) OVER (PARTITION BY unit, year) AS n "
              "FROM current_reports WHERE unit IS NOT NULL AND year IS NOT NULL) "
              "SELECT a.id AS report_id, b.id AS previous_id, a.unit, a.year, a.template, "
              "b.template AS previous_template FROM u a JOIN u b ON a.unit = b.unit AND b.year = a.year - 1 "
              "WHERE a.n = 1 AND b.n = 1")
YEAR_PAIRS = Spec(
    "year_pairs", "相邻年度报告", "每份当前报告及同一单位上一年度的报告，限于该单位"
    "在这两年各恰有一份当前报告的情形（跨年度规则比较的就是这些报告对）。",
    (REPORT_ID,
     _c("previous_id", "BIGINT", "上年报告编号", "该单位上一年度的报告。", required=True),
     _c("unit", "VARCHAR", "单位标识", "单位标识（见 reports.unit）。", required=True),
     _c("year", "INTEGER", "报告年度", "report_id 的报告年度。", required=True),
     _c("template", "VARCHAR", "格式版本", "report_id 的格式版本。"),
     _c("previous_template", "VARCHAR", "上年格式版本", "previous_id 的格式版本。")),
    ("report_id",), "report_id", view_sql=_PAIRS_SQL)

_PANEL = (
    REPORT_ID,
    _c("agency", "VARCHAR", "报告单位", "报告单位。"),
    _c("unit", "VARCHAR", "单位标识", "单位标识（见 reports.unit）。"),
    _c("year", "INTEGER", "报告年度", "报告所属年度。"),
    _c("template", "VARCHAR", "格式版本", f"格式版本：{' 或 '.join(TEMPLATES)}。", enum=list(TEMPLATES)),
    _c("province", "VARCHAR", "省", "省。"),
    _c("city", "VARCHAR", "市", "市。"),
    _c("county", "VARCHAR", "县（区）", "县（区）。"),
    _c("region_code", "VARCHAR", "行政区划代码", "六位行政区划代码。", pattern="[0-9]{6}"),
)
_PANEL_SQL = "r.id AS report_id, r.agency, r.unit, r.year, r.template, r.province, r.city, r.county, r.region_code"


def _value(label: str, description: str, name: str, signed: bool = False) -> Column:
    return Column(name, "DOUBLE", label, description, {} if signed else dict(COUNT))


def _pivot(columns: list[tuple[str, str]]) -> str:
    return ", ".join(f"max(c.value) FILTER (WHERE c.col_key = '{col}') AS {name}" for name, col in columns)


CORRECTED_SQL = "string_agg(c.key, ',' ORDER BY c.key) FILTER (WHERE c.corrected) AS corrected"
CORRECTED = _c("corrected", "VARCHAR", "已修正单元格", "本行中值为现行修正值的单元格的键"
               "（逗号分隔）；没有修正时为空。")


def _t3_wide() -> Spec:
    fmt = formats()
    rows = [r for r in fmt.t3_rows if not r.group]
    order = " ".join(f"WHEN '{r.key}' THEN {i}" for i, r in enumerate(rows, 1))
    labels = " ".join(f"WHEN '{r.key}' THEN '{r.label}'" for r in rows)
    values = [_value(c.label, f"表三“{c.label}”列" + (f"（{c.group}）" if c.group else ""), c.key)
              for c in fmt.t3_columns]
    sql = (f"SELECT {_PANEL_SQL}, c.row_key, CASE c.row_key {order} END AS row_order, "
           f"CASE c.row_key {labels} END AS row_label, {_pivot([(c.key, c.key) for c in fmt.t3_columns])}, "
           f"{CORRECTED_SQL} "
           "FROM current_reports r JOIN cells c ON c.report_id = r.id AND c.tbl = 't3' GROUP BY ALL")
    extra = (_c("row_key", "VARCHAR", "行", "表三的行键。", required=True),
             _c("row_order", "INTEGER", "行序", "该行在官方表格中的位次。", minimum=1),
             _c("row_label", "VARCHAR", "行标签", "该行在官方表格中的行名。"))
    return Spec("t3_wide", "表三（宽表）", "每份当前报告的表三：每份报告的每个表格行一行，"
                "七个申请人列并排。", (*_PANEL, *extra, *values, CORRECTED),
                ("report_id", "row_key"), "report_id, row_order", view_sql=sql)


def _t4_wide() -> Spec:
    columns = formats().t4_columns
    values = [_value("·".join(p for p in (c.group, c.subgroup, c.label) if p), "表四单元格", c.key) for c in columns]
    sql = (f"SELECT {_PANEL_SQL}, {_pivot([(c.key, c.key) for c in columns])}, {CORRECTED_SQL} FROM current_reports r "
           f"JOIN cells c ON c.report_id = r.id AND c.tbl = 't4' GROUP BY ALL")
    return Spec("t4_wide", "表四（宽表）", "每份当前报告的表四：每份报告一行，15 个单元格。",
                (*_PANEL, *values, CORRECTED), ("report_id",), "report_id", view_sql=sql)


def t2_columns() -> Iterator[tuple[str, str, str, bool]]:
    """(wide column name, dotted key without t2., printed label, signed) for 表二 of both templates."""
    seen = set()
    for template in reversed(TEMPLATES):  # the newest format's cells first
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
    values = [_value(label, f"表二单元格 t2.{key}", name, signed) for name, key, label, signed in columns]
    pivot = ", ".join(f"max(c.value) FILTER (WHERE c.key = 't2.{key}') AS {name}" for name, key, _, _ in columns)
    sql = (f"SELECT {_PANEL_SQL}, {pivot}, {CORRECTED_SQL} FROM current_reports r "
           f"JOIN cells c ON c.report_id = r.id AND c.tbl = 't2' GROUP BY ALL")
    return Spec("t2_wide", "表二（宽表）", "每份当前报告的表二：每份报告一行；列为两种格式版本的 "
                "<block>__<row>__<column>（报告只填其所用版本的列）。",
                (*_PANEL, *values, CORRECTED), ("report_id",), "report_id", view_sql=sql)


@cache
def views() -> tuple[Spec, ...]:
    """The views, in creation order (current_reports first: the wide views read it)."""
    return CURRENT, YEAR_PAIRS, _t2_wide(), _t3_wide(), _t4_wide()


def exported_specs() -> tuple[Spec, ...]:
    """Tables and views written by ``nianbao export``, in order."""
    return (*TABLES, *views()[2:])
