"""A unit or a region (and year) → its rectification list (整改清单): every open error and warning of its current
reports with the evidence (cell, raw text, location, message), as rows, XLSX or DOCX.

Dismissed findings are left out, confirmed ones marked; info-level hints are not rectification items. Reads only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from ..schema import catalogue
from ..schema import cell_label as label
from ..store.inert import inert
from .corpus import Corpus, Row
from .evidence import describe_at
from .filters import SEVERITY_NAMES, ReportFilter

KINDS = ("error", "warning")
DECISION_NAMES = {"confirmed": "已确认", "dismissed": "已驳回", None: "待审核"}
HEADERS = ("序号", "报告单位", "年度", "行政区划", "规则", "问题类型", "严重程度", "问题说明", "涉及单元格", "原文",
           "位置", "审核状态", "整改情况", "报告编号")
WIDTHS = (6, 28, 7, 20, 18, 26, 9, 48, 36, 14, 26, 10, 24, 9)
FONT = "宋体"
DOCX_COLUMNS = (("序号", 1.2), ("问题", 8.0), ("涉及单元格及原文", 7.5), ("位置", 4.5), ("审核状态", 2.0),
                ("整改情况", 3.5))
"""Header and width (cm, on a landscape A4 page) of each column of a DOCX list."""
DOCX_EVIDENCE_LINES = 8


@dataclass(frozen=True, slots=True)
class Evidence:
    """One cell a finding involves: its label, the text printed and where."""

    key: str
    label: str
    raw: str
    where: str


@dataclass
class Item:
    """One finding to rectify, with its report and evidence."""

    report: Row
    rule: str
    severity: str
    message: str
    decision: str | None
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The rule's title in the catalogue."""
        return next((r.title for r in catalogue().rules if r.id == self.rule), self.rule)

    def cells(self) -> list[str]:
        """Values of the columns of HEADERS from 报告单位 on (the number is added by the writer)."""
        region = "".join(p for p in (self.report["province"], self.report["city"], self.report["county"]) if p)
        return [self.report["agency"] or "", str(self.report["year"] or ""), region, self.rule, self.title,
                SEVERITY_NAMES[self.severity], self.message, "\n".join(e.label for e in self.evidence),
                "\n".join(e.raw or "（空白）" for e in self.evidence), "\n".join(e.where for e in self.evidence),
                DECISION_NAMES[self.decision], "", str(self.report["id"])]


def _reports(corpus: Corpus, unit: str | None, selection: ReportFilter) -> list[Row]:
    where, params = selection.where()
    if unit:
        where, params = f"{where} AND r.unit = ?", [*params, unit]
    return corpus.rows("SELECT r.id, r.agency, r.year, r.province, r.city, r.county FROM current_reports r "
                       f"WHERE {where} ORDER BY r.province, r.city, r.county, r.agency, r.year", params)


def rectification_items(corpus: Corpus, unit: str | None = None, selection: ReportFilter | None = None) -> list[Item]:
    """Open errors and warnings of the current reports of ``unit`` (or all) that ``selection`` keeps."""
    with corpus.locked():
        reports = _reports(corpus, unit, selection or ReportFilter())
        ids = [r["id"] for r in reports]
        findings = corpus.findings(ids)
        cells = {(c["report_id"], c["key"]): c for c in corpus.rows(
            "SELECT report_id, key, raw, location FROM cells WHERE report_id IN (SELECT unnest(?))", [ids])}
    by_id = {r["id"]: r for r in reports}
    items = []
    for stored in findings:
        f = stored.finding
        if f.severity not in KINDS or stored.decision == "dismissed" or stored.report_id not in by_id:
            continue
        evidence = [_evidence(key, cells.get((stored.report_id, key))) for key in f.cells]
        items.append(Item(by_id[stored.report_id], f.rule, f.severity, f.message, stored.decision, evidence))
    order = {r: n for n, r in enumerate(ids)}
    return sorted(items, key=lambda i: (order[i.report["id"]], KINDS.index(i.severity)))


def _evidence(key: str, cell: Row | None) -> Evidence:
    if cell is None:
        return Evidence(key, label(key), "", "报告未印制此单元格")
    at: dict[str, Any] = json.loads(cell["location"] or "{}")
    return Evidence(key, label(key), cell["raw"] or "", describe_at(at))


def items_to_xlsx(items: list[Item], title: str) -> bytes:
    """The list as one XLSX sheet: a title row, a header row, one row per finding."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "整改清单"
    sheet.append([inert(title)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet["A1"].font = Font(name=FONT, size=14, bold=True)
    sheet.append(list(HEADERS))
    for n, item in enumerate(items, 1):
        sheet.append([n, *map(inert, item.cells())])
    header_fill = PatternFill("solid", fgColor="DDE5F0")
    for cell in sheet[2]:
        cell.font, cell.fill = Font(name=FONT, bold=True), header_fill
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for n, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = "A3"
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(HEADERS))}{max(2, len(items) + 2)}"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def items_to_docx(items: list[Item], title: str) -> bytes:
    """The list as a landscape DOCX: per report a heading and a table of its findings with their evidence."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    document.add_heading(title, level=1)
    document.add_paragraph(f"共 {len(items)} 项待整改问题（错误与警告，已驳回的不列入）。")
    for report_id in dict.fromkeys(i.report["id"] for i in items):
        group = [i for i in items if i.report["id"] == report_id]
        first = group[0].report
        document.add_heading(f"{first['agency'] or '未识别单位'} {first['year'] or ''}年度报告（编号 {report_id}）",
                             level=2)
        _docx_table(document, group)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _shown(lines: list[str]) -> str:
    """At most DOCX_EVIDENCE_LINES distinct lines, then how many more there are (the XLSX lists them all)."""
    distinct = list(dict.fromkeys(lines))
    kept = distinct[:DOCX_EVIDENCE_LINES]
    more = len(distinct) - len(kept)
    return "\n".join([*kept, f"……另有 {more} 项（见 XLSX 清单）"] if more else kept)


def _docx_table(document: Any, group: list[Item]) -> None:
    from docx.shared import Cm

    table = document.add_table(rows=1, cols=len(DOCX_COLUMNS))
    table.style = "Table Grid"
    table.autofit = False
    for cell, (text, _) in zip(table.rows[0].cells, DOCX_COLUMNS, strict=True):
        cell.text = text
    for n, item in enumerate(group, 1):
        values = (str(n), f"【{SEVERITY_NAMES[item.severity]}】{item.rule} {item.title}\n{item.message}",
                  _shown([f"{e.label}：{e.raw or '（空白）'}" for e in item.evidence]),
                  _shown([e.where for e in item.evidence]), DECISION_NAMES[item.decision], "")
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    for column, (_, width) in zip(table.columns, DOCX_COLUMNS, strict=True):
        for cell in column.cells:
            cell.width = Cm(width)
