"""Hostile inputs the web tests build themselves: a report PDF drawn on huge pages, and a DOCX whose
document.xml inflates to hundreds of megabytes from a small file."""

from __future__ import annotations

import io
import re
import zipfile

from nianbao.render import render
from nianbao.render.text import render_text
from nianbao.report import Report

HUGE_POINTS = 14_000
_COLUMN_POINTS = 450
_LINE_POINTS = 14
_MARGIN = 500
_FILLER = b"<w:p><w:r><w:t>" + "\u3000".encode() * 300 + b"</w:t></w:r></w:p>"
_CHUNK = 1 << 20


def huge_page_pdf(report: Report) -> bytes:
    """``report`` as a PDF whose pages are HUGE_POINTS × HUGE_POINTS: its text lines drawn at the top of the
    one page, each tab-separated field in a ruled box (so the PDF reader finds the tables)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(HUGE_POINTS, HUGE_POINTS))
    y = HUGE_POINTS - _MARGIN
    for line in render_text(report).splitlines():
        canvas.setFont("STSong-Light", 10)
        for i, text in enumerate(line.split("\t")):
            x = _MARGIN + _COLUMN_POINTS * i
            canvas.drawString(x, y, text)
            if "\t" in line:
                canvas.rect(x - 5, y - 4, _COLUMN_POINTS, _LINE_POINTS)
        y -= _LINE_POINTS
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def inflated_docx(report: Report, xml_bytes: int) -> bytes:
    """``report`` as DOCX with empty paragraphs added to its document.xml until that holds ``xml_bytes``
    (written in chunks: the whole never sits in memory here; it compresses about 400 to 1)."""
    source = zipfile.ZipFile(io.BytesIO(bytes(render(report, "docx"))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename != "word/document.xml":
                target.writestr(item, data)
                continue
            head, tail = re.split(rb"(?=<w:sectPr)", data, maxsplit=1)
            with target.open("word/document.xml", "w", force_zip64=True) as member:
                member.write(head)
                block = _FILLER * (_CHUNK // len(_FILLER))
                for _ in range(max(0, xml_bytes - len(data)) // len(block)):
                    member.write(block)
                member.write(tail)
    return out.getvalue()
