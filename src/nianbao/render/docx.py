"""Report → DOCX in the official layout: title, intro, six headings, the three tables with the
official merged cells (gridSpan, vMerge), narrative, signature and date.

Draws what the report holds; checking it is the audit's job. Tables are written as WordprocessingML
directly (python-docx's cell-by-cell merging is quadratic in the table size).
"""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from docx import Document as new_document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

from ..report import Report
from .grid import Grid, Placed, expand
from .layout import DEFAULT, TABLE_BORDERS, TABLES, Layout
from .prose import closing_lines, intro, narrative, title

BODY_FONT, HEADING_FONT, TITLE_FONT, TABLE_FONT = "仿宋", "黑体", "宋体", "宋体"
BODY_SIZE, TITLE_SIZE, TABLE_HALF_POINTS = Pt(16), Pt(22), 18
COLUMN_WIDTHS_CM = {4: (4.6, 3.6, 3.6, 3.6), 10: (1.3, 1.7, 4.8, *[1.2] * 7), 15: (1.03,) * 15}
_TWIPS_PER_CM = 567


def _font(run, name: str, size: Pt, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(doc, text: str, font: str = BODY_FONT, size: Pt = BODY_SIZE, bold: bool = False,
               align: int | None = None, indent: bool = False) -> None:
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)
    _font(paragraph.add_run(text), font, size, bold)


def _cell_xml(position: Placed, widths: list[int], column: int, size: int) -> str:
    slot = position.slot
    width = sum(widths[column:column + slot.colspan])
    span = f'<w:gridSpan w:val="{slot.colspan}"/>' if slot.colspan > 1 else ""
    merge = ('<w:vMerge w:val="restart"/>' if slot.rowspan > 1 else "") if position.origin else "<w:vMerge/>"
    text = escape(slot.text) if position.origin else ""
    lines = '</w:t><w:br/><w:t xml:space="preserve">'.join(text.split("\n"))  # a line break inside the cell
    run = (f'<w:r><w:rPr><w:rFonts w:ascii="{TABLE_FONT}" w:hAnsi="{TABLE_FONT}" w:eastAsia="{TABLE_FONT}"/>'
           f'<w:sz w:val="{size}"/></w:rPr><w:t xml:space="preserve">{lines}</w:t></w:r>') if text else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{merge}<w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr>{run}</w:p></w:tc>')


def _table_xml(grid: Grid, layout: Layout, number: int) -> str:
    placed = expand(grid)
    count = len(placed[0])
    chosen = layout.widths_cm.get(count) or COLUMN_WIDTHS_CM.get(count, (16.0 / count,) * count)
    widths = [round(w * _TWIPS_PER_CM) for w in chosen]
    size = layout.table_half_points or TABLE_HALF_POINTS
    repeat = layout.header_rows.get(number, 0)
    rows = []
    for index, row in enumerate(placed):
        cells = [_cell_xml(p, widths, c, size) for c, p in enumerate(row)
                 if p is not None and p.first_column and (p.origin or p.from_above)]
        header = "<w:trPr><w:tblHeader/></w:trPr>" if index < repeat else ""
        rows.append("<w:tr>" + header + "".join(cells) + "</w:tr>")
    grid_columns = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    drawn = layout.section_borders.get(number, layout.table_borders)
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      if side in drawn else f'<w:{side} w:val="nil"/>' for side in TABLE_BORDERS)
    return (f'<w:tbl {nsdecls("w")}><w:tblPr><w:jc w:val="center"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr>'
            f"<w:tblGrid>{grid_columns}</w:tblGrid>{''.join(rows)}</w:tbl>")


def _page(doc, layout: Layout) -> None:
    top, right, bottom, left = layout.margins_cm or (2.5, 2.6, 2.5, 2.6)
    for section in doc.sections:
        if layout.page_cm:
            section.page_width, section.page_height = Cm(layout.page_cm[0]), Cm(layout.page_cm[1])
        section.top_margin, section.right_margin = Cm(top), Cm(right)
        section.bottom_margin, section.left_margin = Cm(bottom), Cm(left)
        if layout.page_number:
            _page_number(section.footer.paragraphs[0], *layout.page_number)


def _page_number(paragraph, before: str, after: str) -> None:
    """``before`` + the page number field + ``after``, centred."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(before)
    field = f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    paragraph._p.append(parse_xml(field))
    paragraph.add_run(after)


def render_docx(report: Report, layout: Layout = DEFAULT) -> bytes:
    """The report as a DOCX file, drawn as ``layout`` says (the official layout by default)."""
    doc = new_document()
    _page(doc, layout)
    _paragraph(doc, title(report), TITLE_FONT, TITLE_SIZE, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, intro(report), indent=True)
    for number, heading in enumerate(layout.headings):
        _paragraph(doc, heading, HEADING_FONT, indent=True)
        if number in TABLES:
            table = _table_xml(layout.grid(number, report), layout, number)
            doc.add_paragraph()._p.addprevious(parse_xml(table))
            if number in layout.notes:
                _paragraph(doc, layout.notes[number])
            continue
        for line in narrative(report, number).splitlines():
            _paragraph(doc, line, indent=True)
    for line in closing_lines(report):
        _paragraph(doc, line, align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
