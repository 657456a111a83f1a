"""Report → DOCX in the official layout: title, intro, six headings, the three tables with the
official merged cells, narrative, signature and date. Needs python-docx (extra ``[docx]``).

Draws what the report holds; checking it is the audit's job.
"""

from __future__ import annotations

from io import BytesIO

from docx import Document as new_document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table

from ..report import Report
from .grid import Grid, expand, t2_grid, t3_grid, t4_grid
from .prose import HEADINGS, closing_lines, intro, title

BODY_FONT, HEADING_FONT, TITLE_FONT, TABLE_FONT = "仿宋", "黑体", "宋体", "宋体"
BODY_SIZE, TITLE_SIZE, TABLE_SIZE = Pt(16), Pt(22), Pt(9)
_NARRATIVE = {0: "overview", 4: "problems_improvements", 5: "other_matters"}
COLUMN_WIDTHS_CM = {4: (4.6, 3.6, 3.6, 3.6), 10: (1.3, 1.7, 4.8, *[1.2] * 7), 15: (1.03,) * 15}


def _font(run, name: str, size: Pt, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(doc, text: str, font: str = BODY_FONT, size: Pt = BODY_SIZE, bold: bool = False,  # type: ignore[no-untyped-def]
               align: int | None = None, indent: bool = False) -> None:
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)
    _font(paragraph.add_run(text), font, size, bold)


def _table(doc, grid: Grid) -> Table:  # type: ignore[no-untyped-def]
    placed = expand(grid)
    table = doc.add_table(rows=len(placed), cols=len(placed[0]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = COLUMN_WIDTHS_CM.get(len(placed[0]))
    if widths:
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
    for r, row in enumerate(placed):
        for c, (slot, _) in enumerate(row):
            if slot is None:
                continue
            cell = table.cell(r, c)
            if slot.rowspan > 1 or slot.colspan > 1:
                cell = cell.merge(table.cell(r + slot.rowspan - 1, c + slot.colspan - 1))
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(paragraph.add_run(slot.text), TABLE_FONT, TABLE_SIZE)
    return table


def render_docx(report: Report) -> bytes:
    """The report as a DOCX file."""
    doc = new_document()
    for section in doc.sections:
        section.top_margin = section.bottom_margin = Cm(3.7 - 1.2)
        section.left_margin = section.right_margin = Cm(2.6)
    _paragraph(doc, title(report), TITLE_FONT, TITLE_SIZE, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, intro(report), indent=True)
    tables = {1: t2_grid, 2: t3_grid, 3: t4_grid}
    for number, heading in enumerate(HEADINGS):
        _paragraph(doc, heading, HEADING_FONT, indent=True)
        if number in tables:
            _table(doc, tables[number](report))
            continue
        for line in (report.sections.get(_NARRATIVE[number], "") or "无。").splitlines():
            _paragraph(doc, line, indent=True)
    for line in closing_lines(report):
        _paragraph(doc, line, align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
