"""A unit or a region (and year) → its rectification list (整改清单): every open error and warning of its current
reports with the evidence (cell, raw text, location, message), as rows, XLSX or DOCX.

Dismissed findings are left out, confirmed ones marked; info-level hints are not rectification items. Reads only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from ..schema import catalogue, cell_labels, cell_name
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
DOCX_COLUMNS = (("序号", 1.1), ("问题", 8.2), ("涉及单元格及原文", 7.6), ("位置", 4.4), ("审核状态", 1.9),
                ("整改情况", 3.5))
"""Header and width (cm) of each column of a DOCX list: they fill a landscape A4 page within DOCX_MARGIN_CM."""
DOCX_MARGIN_CM = 1.5
A4_CM = (21.0, 29.7)
DOCX_CELL_CHARS = 240
"""Most characters a cell of a DOCX list shows; the rest is counted (the XLSX list holds every cell in full)."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """One cell a finding involves: its label, the text printed and where (in words, and as the parser recorded
    it: ``at``)."""

    key: str
    label: str
    raw: str
    where: str
    at: tuple[tuple[str, Any], ...] = ()

    @property
    def row(self) -> str:
        """The printed row of the label (all but its last, column part; the whole label when it has none)."""
        return self.label.rpartition("·")[0] or self.label

    @property
    def column(self) -> str:
        """The printed column of the label ("" when it has none)."""
        return self.label.rpartition("·")[2] if "·" in self.label else ""


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
            "SELECT report_id, key, raw, location FROM cells WHERE report_id IN (SELECT unnest(?::BIGINT[]))", [ids])}
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
    if key not in cell_labels():  # a whole table
        return Evidence(key, cell_name(key), "", "整张表")
    if cell is None:
        return Evidence(key, label(key), "", "报告未印制此单元格")
    at: dict[str, Any] = json.loads(cell["location"] or "{}")
    return Evidence(key, label(key), cell["raw"] or "", describe_at(at), tuple(at.items()))


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
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(A4_CM[1]), Cm(A4_CM[0])
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(DOCX_MARGIN_CM)
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


def _clipped(text: str, limit: int = DOCX_CELL_CHARS) -> str:
    """``text`` when it has at most ``limit`` characters, else its beginning and a pointer to the XLSX list."""
    tail = "……（全文见 XLSX 清单）"
    return text if len(text) <= limit else text[:limit - len(tail)] + tail


def _fitted(parts: list[str], what: str) -> str:
    """The distinct ``parts``, one a line, as many as fit in DOCX_CELL_CHARS, then how many ``what`` are left out."""
    distinct = list(dict.fromkeys(parts))
    more = f"……另有 {len(distinct)} {what}（见 XLSX 清单）"
    room = DOCX_CELL_CHARS - len(more) - 1
    kept: list[str] = []
    for part in distinct:
        if sum(len(k) + 1 for k in kept) + len(part) > room:
            break
        kept.append(part)
    if not kept and distinct:
        kept = [_clipped(distinct[0], room)]
    left = len(distinct) - len(kept)
    return "\n".join([*kept, f"……另有 {left} {what}（见 XLSX 清单）"] if left else kept)


def _by_row(evidence: list[Evidence]) -> dict[str, list[Evidence]]:
    rows: dict[str, list[Evidence]] = {}
    for item in evidence:
        rows.setdefault(item.row, []).append(item)
    return rows


def _printed(row: str, cells: list[Evidence]) -> str:
    """One printed row's cells in a line: ``row：column text、…``, or its columns then （空白） when all are blank."""
    columns = [c.column for c in cells if c.column]
    if not any(c.raw for c in cells):
        return f"{row}：{'、'.join(columns)}（空白）" if columns else f"{row}（空白）"
    return f"{row}：" + "、".join(f"{c.column} {c.raw or '空白'}".strip() for c in cells)


def _places(cells: list[Evidence]) -> str:
    """Where one printed row's cells are: ``第 n 行第 a–b、c 格`` for cells of text lines, else each place."""
    lines: dict[Any, list[int]] = {}
    others: list[str] = []
    for cell in cells:
        at = dict(cell.at)
        if "line" in at and isinstance(at.get("cell"), int):
            lines.setdefault(at["line"], []).append(at["cell"] + 1)
        else:
            others.append(cell.where)
    found = [f"第 {line} 行第 {_ranges(numbers)} 格" for line, numbers in lines.items()]
    return "；".join(dict.fromkeys([*found, *others]))


def _ranges(numbers: list[int]) -> str:
    """``2–5、7`` for 2, 3, 4, 5, 7."""
    spans: list[list[int]] = []
    for number in sorted(set(numbers)):
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return "、".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def _docx_table(document: Any, group: list[Item]) -> None:
    from docx.shared import Cm

    table = document.add_table(rows=1, cols=len(DOCX_COLUMNS))
    table.style = "Table Grid"
    table.autofit = False
    for cell, (text, _) in zip(table.rows[0].cells, DOCX_COLUMNS, strict=True):
        cell.text = text
    for n, item in enumerate(group, 1):
        rows = _by_row(item.evidence)
        values = (str(n), _clipped(f"【{SEVERITY_NAMES[item.severity]}】{item.rule} {item.title}\n{item.message}"),
                  _fitted([_printed(row, cells) for row, cells in rows.items()], "行"),
                  _fitted([_places(cells) for cells in rows.values()], "处"), DECISION_NAMES[item.decision], "")
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    for column, (_, width) in zip(table.columns, DOCX_COLUMNS, strict=True):
        column.width = Cm(width)  # the table grid, which LibreOffice and WPS lay out by
        for cell in column.cells:
            cell.width = Cm(width)
