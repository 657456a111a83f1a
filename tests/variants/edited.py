"""Forms an editor's revisions leave behind, none of it printed: ``html-edited`` is the renderer's HTML page as a
portal's editor leaves it (old values struck out or deleted before the new, spans hidden by ``display:none``,
``visibility:hidden`` or the ``hidden`` attribute holding digits, data cells written as ``<th>``, the page
inside a layout table), saved in UTF-8 with CRLF line ends, GB18030 or UTF-16 with or without a BOM;
``docx-edited`` is the renderer's DOCX with tracked changes (an old value deleted, the new one inserted), hidden
runs holding digits and content controls around cells. A reader of the printed page sees the values as the
truth has them.
"""

from __future__ import annotations

import copy
import random
import re
import zipfile
from io import BytesIO

from lxml import etree
from lxml import html as lxml_html

from nianbao.report import Report

from . import form
from .office import docx_of
from .rendered import make_html

SHARE = 0.3
"""The share of value cells an artefact touches in a file drawing it."""
HIDDEN = ('<span style="display:none">{}</span>', '<span style="DISPLAY: none;">{}</span>',
          '<span style="visibility:hidden">{}</span>', "<span hidden>{}</span>")
STRUCK = ("<del>{}</del>", "<s>{}</s>", "<strike>{}</strike>")
ENCODINGS = (("utf-8", "\r\n", b""), ("gb18030", "\n", b""), ("utf-16-le", "\n", b"\xff\xfe"),
             ("utf-16-le", "\r\n", b""))
"""(codec, line end, byte-order mark) of the saved page."""
_VALUE = re.compile(r"<td>([+-]?\d+(?:\.\d+)?)</td>")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _other(value: str, rng: random.Random) -> str:
    """A number printed instead of ``value`` once (an old value, a hidden leftover)."""
    return str(rng.randint(1, 9)) if not value.lstrip("+-").isdigit() else str(abs(int(value)) + rng.randint(1, 50))


def _revised_cells(page: str, rng: random.Random) -> str:
    """Some value cells with an old value struck out or deleted, or hidden digits, before or after the value."""
    artefacts = [a for a in (HIDDEN, STRUCK) if rng.random() < 0.7] or [HIDDEN]

    def revise(match: re.Match[str]) -> str:
        value = match.group(1)
        if rng.random() >= SHARE:
            return match.group(0)
        extra = rng.choice(rng.choice(artefacts)).format(_other(value, rng))
        return f"<td>{extra}{value}</td>" if rng.random() < 0.7 else f"<td>{value}{extra}</td>"

    return _VALUE.sub(revise, page)


def _rewrapped(page: str, rng: random.Random) -> str:
    """The page with its data cells written as ``<th>`` or its body inside a one-cell layout table, or both."""
    if rng.random() < 0.5:
        page = page.replace("<td>", "<th>").replace("</td>", "</th>")
    if rng.random() < 0.5:
        root = lxml_html.document_fromstring(page)
        body = root.find("body")
        cell = etree.SubElement(etree.SubElement(etree.Element("table"), "tr"), "td")
        for child in list(body):
            cell.append(child)
        body.append(cell.getparent().getparent())
        page = lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
    return page


@form("html-edited", ".html")
def make_html_edited(report: Report, rng: random.Random) -> bytes:
    """The renderer's HTML page with an editor's unprinted revisions, saved in one of ``ENCODINGS``."""
    page = _rewrapped(_revised_cells(make_html(report, rng).decode("utf-8"), rng), rng)
    codec, line_end, mark = rng.choice(ENCODINGS)
    charset = "utf-16" if codec.startswith("utf-16") else codec
    page = page.replace('charset="utf-8"', f'charset="{charset}"').replace("\n", line_end)
    return mark + page.encode(codec)


def _digits(run: etree._Element) -> str | None:
    """The text of a run printing a value alone (digits, maybe signed), or None."""
    texts = run.findall(f"{_W}t")
    text = "".join(t.text or "" for t in texts)
    return text if len(texts) == 1 and re.fullmatch(r"[+-]?\d+", text) else None


def _tracked(run: etree._Element, rng: random.Random) -> None:
    """An old value deleted before the run's (``w:del``), the run itself inserted (``w:ins``)."""
    deleted = copy.deepcopy(run)
    old = deleted.find(f"{_W}t")
    old.tag = f"{_W}delText"
    old.text = _other(old.text or "0", rng)
    wrapper, inserted = etree.Element(f"{_W}del"), etree.Element(f"{_W}ins")
    wrapper.append(deleted)
    run.addprevious(wrapper)
    run.addprevious(inserted)
    inserted.append(run)


def _hidden_run(run: etree._Element, rng: random.Random) -> None:
    """A hidden run (``w:vanish``) holding other digits before or after the run."""
    hidden = copy.deepcopy(run)
    properties = hidden.find(f"{_W}rPr")
    if properties is None:
        properties = etree.Element(f"{_W}rPr")
        hidden.insert(0, properties)
    etree.SubElement(properties, f"{_W}vanish")
    hidden.find(f"{_W}t").text = _other(_digits(run) or "0", rng)
    (run.addprevious if rng.random() < 0.5 else run.addnext)(hidden)


def _controlled(cell: etree._Element) -> None:
    """The cell wrapped in a content control (``w:sdt``)."""
    control = etree.Element(f"{_W}sdt")
    etree.SubElement(control, f"{_W}sdtPr")
    cell.addprevious(control)
    etree.SubElement(control, f"{_W}sdtContent").append(cell)


def _edited_body(xml: bytes, rng: random.Random) -> bytes:
    root = etree.fromstring(xml)
    runs = [r for r in root.iter(f"{_W}r") if _digits(r) is not None and r.getparent().tag == f"{_W}p"]
    for run in runs:
        if rng.random() < SHARE:
            (_tracked if rng.random() < 0.5 else _hidden_run)(run, rng)
    if rng.random() < 0.5:
        for cell in list(root.iter(f"{_W}tc")):
            if rng.random() < SHARE:
                _controlled(cell)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@form("docx-edited", ".docx")
def make_docx_edited(report: Report, rng: random.Random) -> bytes:
    """The renderer's DOCX with tracked changes, hidden runs and content controls in its tables."""
    source = zipfile.ZipFile(BytesIO(docx_of(report)))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, _edited_body(data, rng) if info.filename == "word/document.xml" else data)
    return out.getvalue()
