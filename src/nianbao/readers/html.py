"""HTML page bytes → Document: every innermost ``<table>`` as a rectangular grid, other text as paragraphs.

It does not decide which table or paragraph belongs to the report; the extractor does.

Decoding: byte-order mark, UTF-16 told by its NUL bytes, then UTF-8 if the bytes are valid UTF-8, then the ``<meta>`` /
XML-declaration charset, then GB18030 and charset-normalizer (see ``decode_html``). Skipped: ``head``,
``script``, ``style``, ``nav`` and similar non-content elements.

Tables: rowspan/colspan are expanded; the anchor cell holds the text and the positions it covers hold
``TextCell("")``. A table that contains other tables is a layout table: its inner tables become tables
and its own text becomes paragraphs. Columns that are empty in every row and covered by a merged cell
(or missing) in at least one row are dropped: converters such as LibreOffice add such "phantom" grid
columns, while a genuinely blank value column (its cells present but empty) is kept so values do not
shift. ``at`` gives positions in that grid: ``{"table": t, "row": r, "col": c}`` (row = the table's n-th
``<tr>``, col = position after phantom columns are dropped).
Paragraphs are lines between block boundaries and ``<br>``; ``at = {"block": n}`` (index in ``blocks``).

Text of a cell or line: inline elements are concatenated, whitespace runs become one space, and a
run holding a line break between two CJK characters disappears; the lines of a cell are joined
without a separator when both sides are CJK, else with a space (the helpers of ``readers.cells``,
shared with the DOCX reader).
"""

from __future__ import annotations

import codecs
import re

from lxml import etree

from ..document import Block, Document, Paragraph, Table
from ..errors import NianbaoError
from ..settings import Settings
from .cells import RAISED, Slot, clean_text, dict_rows_to_slots, join_lines, place, slots_to_rows
from .text import utf16_encoding

_SKIP = frozenset({
    "head", "script", "style", "nav", "noscript", "template", "title", "select", "textarea", "button",
    "iframe", "object", "svg", "math", "map",
})
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "hr", "html", "li", "main", "menu", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_NUMBER = re.compile(r"\s*(\d+)")
_SECTIONS = frozenset({"thead", "tbody", "tfoot"})
_TABLE_PARTS = ("table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th")
_FLOW_BLOCK = tuple(sorted(_BLOCK - frozenset(_TABLE_PARTS)))
_MAX_COLSPAN = 1000
_MAX_ROWSPAN = 65534

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([a-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_GB_NAMES = frozenset({"gb2312", "gbk", "gb18030", "cp936", "x-gbk", "euc-cn", "gb_2312-80", "x-euc-cn"})
_UNRELIABLE = frozenset({"ascii", "us-ascii", "iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252"})
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_SNIFF_BYTES = 4096
_BREAK = "\ue000"
"""Marks a block boundary or <br> in the tree (private-use characters are removed from pages before parsing)."""
_TABLE = "\ue001"
"""Starts the marker left where a table was read, followed by the table's index."""


# --- decoding --------------------------------------------------------------------------------------------------


def _codec(name: bytes) -> str | None:
    label = name.decode("ascii", "ignore").strip().lower()
    if label in _GB_NAMES:
        return "gb18030"
    if not label or label in _UNRELIABLE:
        return None
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _declared(data: bytes) -> str | None:
    head = data[:_SNIFF_BYTES]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return _codec(match.group(1)) if match else None


def decode_html(data: bytes) -> tuple[str, str]:
    """Page bytes → (text, encoding used): BOM, UTF-16 without one, UTF-8, declared charset, GB18030, then
    charset-normalizer.

    Valid UTF-8 wins over the declaration: saved and re-served pages often keep ``charset=gb2312`` while
    their bytes are UTF-8, and GB18030 would decode those bytes without error into nonsense, whereas
    GBK text is practically never valid UTF-8.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    utf16 = utf16_encoding(data)  # without a BOM: NUL bytes, which UTF-8 would keep
    if utf16:
        return data.decode(utf16, errors="replace"), utf16
    tried: list[str] = []
    for candidate in ("utf-8", _declared(data), "gb18030"):
        encoding = candidate or ""
        if encoding and encoding not in tried:
            tried.append(encoding)
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        return str(best), best.encoding
    return data.decode("utf-8", errors="replace"), "utf-8"


def _without_markers(text: str) -> str:
    for marker in (_BREAK, _TABLE, "\x00"):
        if marker in text:
            text = text.replace(marker, "")
    return text


def _parse(text: str, path: str) -> etree._Element:
    """lxml's HTML parser (libxml2) without lxml.html's element classes, which triple the walking time."""
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = etree.fromstring(_XML_DECLARATION.sub("", _without_markers(text), count=1), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise NianbaoError(path, "corrupt", f"not a readable HTML page ({exc})") from None
    if root is None:
        raise NianbaoError(path, "empty", "the HTML page has no content")
    return root


# --- walking ---------------------------------------------------------------------------------------------------
# The text is serialised by libxml2 (tostring method="text"), which is ten times faster than walking the tree
_STRUCK = frozenset({"del", "s", "strike"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# in Python: block boundaries are first marked in the tree with _BREAK, and every innermost table, once read,
# is replaced by a _TABLE marker, so the text of the page splits into paragraphs and table places in order.


def _mark(el: etree._Element) -> None:
    el.text = _BREAK + el.text if el.text else _BREAK
    el.tail = _BREAK + el.tail if el.tail else _BREAK


def _drop(el: etree._Element) -> None:
    """Remove ``el`` and its content, keeping the text after it."""
    parent, previous = el.getparent(), el.getprevious()
    if parent is None:
        return
    if el.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _unprinted_in_tables(root: etree._Element) -> None:
    """In tables, drop what a reader of the page does not see as the cell's text: hidden elements (``hidden``,
    ``display:none``, ``visibility:hidden``) and deleted or struck-out text (an editor's revision); print
    superscript and subscript digits as such (a note mark after a value, not one of its digits)."""
    for el in root.xpath("//table//*[@hidden or @style or self::del or self::s or self::strike]"):
        if el.tag in _STRUCK or el.get("hidden") is not None or _HIDDEN_STYLE.search(el.get("style") or ""):
            _drop(el)
    for el in root.xpath("//table//sup|//table//sub"):
        digits = RAISED[el.tag]
        for node in el.iter():
            node.text = node.text.translate(digits) if node.text else node.text
            if node is not el and node.tail:
                node.tail = node.tail.translate(digits)


def _mark_breaks(root: etree._Element) -> None:
    """Drop non-content elements and put _BREAK around every block-level element except table parts."""
    etree.strip_elements(root, *_SKIP, with_tail=False)
    _unprinted_in_tables(root)
    for el in root.iter(*_FLOW_BLOCK):
        _mark(el)


def _mark_layout_tables(root: etree._Element) -> None:
    """Put _BREAK around the parts of the tables left after the innermost ones were taken."""
    for el in root.iter(*_TABLE_PARTS):
        _mark(el)


def _text_of(el: etree._Element) -> str:
    """The lines of a marked element, cleaned and joined CJK-aware."""
    text = etree.tostring(el, method="text", encoding=str, with_tail=False)
    parts = [part for part in text.split(_BREAK) if part and not part.isspace()]
    if len(parts) == 1:
        return clean_text(parts[0])
    return join_lines([line for line in map(clean_text, parts) if line])


def _span(value: str | None, limit: int) -> int:
    if value is None:
        return 1
    match = _NUMBER.match(value)
    return min(int(match.group(1)), limit) if match else 1


def _table_rows(table: etree._Element) -> list[etree._Element]:
    rows: list[etree._Element] = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in _SECTIONS:
            rows.extend(child.iterchildren("tr"))
    return rows


def table_to_slots(table: etree._Element) -> list[list[Slot]]:
    """A marked HTML table without nested tables → its expanded grid of slots."""
    trs = _table_rows(table)
    rows: list[dict[int, Slot]] = [{} for _ in trs]
    for r, tr in enumerate(trs):
        row = rows[r]
        col = 0
        for cell in tr.iterchildren("td", "th"):
            while col in row:
                col += 1
            rowspan, colspan = cell.get("rowspan"), cell.get("colspan")
            if rowspan is None and colspan is None:
                row[col] = _text_of(cell)
                col += 1
                continue
            height = _span(rowspan, _MAX_ROWSPAN) or len(trs) - r
            width = max(_span(colspan, _MAX_COLSPAN), 1)
            place(rows, r, col, _text_of(cell), height, width)
            col += width
    return dict_rows_to_slots(rows)


def _take_tables(root: etree._Element) -> list[list[list[Slot]]]:
    """Read every innermost table and leave in its place its caption and a marker holding its index."""
    grids: list[list[list[Slot]]] = []
    for table in [t for t in root.iter("table") if next(t.iterdescendants("table"), None) is None]:
        caption = " ".join(_text_of(c) for c in table.iterchildren("caption"))
        grids.append(table_to_slots(table))
        tail = table.tail
        table.clear()
        table.text = f"{_BREAK}{caption}{_BREAK}{_TABLE}{len(grids) - 1}{_BREAK}"
        table.tail = _BREAK + tail if tail else _BREAK
    return grids


def _blocks(root: etree._Element, grids: list[list[list[Slot]]]) -> list[Block]:
    """Paragraphs and tables of a marked page whose tables were taken, in document order."""
    blocks: list[Block] = []
    tables = 0
    for line in etree.tostring(root, method="text", encoding=str).split(_BREAK):
        if line.startswith(_TABLE):
            rows = slots_to_rows(grids[int(line[1:])], tables)
            if rows:
                blocks.append(Table(rows, {"table": tables, "block": len(blocks)}))
                tables += 1
            continue
        text = clean_text(line)
        if text:
            blocks.append(Paragraph(text, {"block": len(blocks)}))
    return blocks


def _title(root: etree._Element) -> str:
    title = root.find(".//title")
    return clean_text("".join(title.itertext())) if title is not None else ""


def read(data: bytes, path: str, settings: Settings) -> Document:
    """Document of an HTML page: paragraphs and table grids in document order."""
    text, encoding = decode_html(data)
    root = _parse(text, path)
    meta: dict[str, object] = {"encoding": encoding}
    title = _title(root)
    if title:
        meta["title"] = title
    _mark_breaks(root)
    grids = _take_tables(root)
    _mark_layout_tables(root)
    blocks = _blocks(root, grids)
    return Document(blocks, path=path, format="html", meta=meta)
