"""DOCX bytes → Document: the body's paragraphs and tables in document order, merged cells read once.

It does not interpret the text; which table is which is the extractor's business.

The body XML is walked directly (``w:p``, ``w:tbl``, and the content of ``w:sdt`` / ``w:customXml``
wrappers) instead of python-docx's ``row.cells``, which repeats a merged cell's ``<w:tc>`` at every position
it covers and is slow. Each ``<w:tc>`` is read once, at its own grid position: ``gridSpan`` and
``vMerge``/``hMerge`` continuations become covered positions holding ``TextCell("")``, ``gridBefore``
leaves leading positions empty. A vMerge continuation that does hold text keeps it (nothing is lost).

Text: runs (also inside hyperlinks, insertions, smart tags, fields and content controls); tabs become
spaces, deleted text, hidden runs (``w:vanish``: not printed), text boxes and drawings are left out; digits set as
superscript or subscript are read as such (``cells.RAISED``). A paragraph's line breaks split it into several
Paragraph blocks; the paragraphs and lines of a cell are joined CJK-aware into one line (``html.join_lines``), so
vertically written labels come out whole.

Nested tables: a table that contains other tables is a layout table, as in the HTML reader: its inner
tables become tables of their own and its paragraphs become paragraphs, in document order. Phantom
columns are dropped as in the HTML reader.

Provenance: cells ``{"table": t, "row": r, "col": c}`` (final grid); paragraphs ``{"paragraph": n}``, n
counting every ``w:p`` met in document order (empty ones included), plus ``"line"`` when a paragraph
has several lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO

from lxml import etree

from ..document import Block, Document, Paragraph, Table
from ..errors import NianbaoError
from ..settings import Settings
from .cells import RAISED, Slot, clean_text, dict_rows_to_slots, join_lines, place, slots_to_rows

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _R = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}r"
_VAL = f"{_W}val"
_TR_PR, _TC_PR, _GRID_BEFORE, _GRID_SPAN = f"{_W}trPr", f"{_W}tcPr", f"{_W}gridBefore", f"{_W}gridSpan"
_MERGES = frozenset({f"{_W}vMerge", f"{_W}hMerge"})
_WRAPPERS = frozenset({f"{_W}sdt", f"{_W}customXml", f"{_W}sdtContent"})
_INLINE_CONTAINERS = frozenset(
    f"{_W}{name}" for name in ("hyperlink", "ins", "smartTag", "customXml", "fldSimple", "sdt", "sdtContent",
                               "moveTo", "dir", "bdo")
)
_RUN_TEXT = {f"{_W}t": None, f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}noBreakHyphen": "-"}
_RUN_BREAKS = frozenset({f"{_W}br", f"{_W}cr"})
_LINE = "\n"
_R_PR, _VANISH, _VERT_ALIGN = f"{_W}rPr", f"{_W}vanish", f"{_W}vertAlign"
_OFF = frozenset({"0", "false", "off"})


# --- text ------------------------------------------------------------------------------------------------------


def _hidden(properties: etree._Element) -> bool:
    """Whether a run's properties hide it (``w:vanish``): hidden text is neither shown nor printed."""
    vanish = properties.find(_VANISH)
    return vanish is not None and vanish.get(_VAL, "true") not in _OFF


def _raised(properties: etree._Element) -> dict[int, int] | None:
    """The digits' translation of a run set as superscript or subscript (``w:vertAlign``), or None."""
    align = properties.find(_VERT_ALIGN)
    shift = align.get(_VAL) if align is not None else None
    return RAISED["sup"] if shift == "superscript" else RAISED["sub"] if shift == "subscript" else None


def _run_text(run: etree._Element, out: list[str]) -> None:
    raised = None
    for child in run:
        tag = child.tag
        if tag == _R_PR:
            if _hidden(child):
                return  # the properties come first: nothing of the run is taken yet
            raised = _raised(child)
        elif tag in _RUN_TEXT:
            fixed = _RUN_TEXT[tag]
            text = (child.text or "") if fixed is None else fixed
            out.append(text.translate(raised) if raised else text)
        elif tag in _RUN_BREAKS:
            out.append(_LINE)


def _inline_text(el: etree._Element, out: list[str]) -> None:
    """Append the text of the runs under a paragraph (or an inline container) to ``out``."""
    for child in el:
        tag = child.tag
        if tag == _R:
            _run_text(child, out)
        elif tag in _INLINE_CONTAINERS:
            _inline_text(child, out)


def paragraph_lines(p: etree._Element) -> list[str]:
    """The non-empty cleaned lines of a ``w:p`` (split at line, page and column breaks)."""
    pieces: list[str] = []
    _inline_text(p, pieces)
    return [line for line in map(clean_text, "".join(pieces).split(_LINE)) if line]


def _blocks_in(container: etree._Element) -> Iterator[etree._Element]:
    """The ``w:p`` and ``w:tbl`` children of a body or cell, looking through content-control wrappers."""
    for child in container:
        tag = child.tag
        if tag in (_P, _TBL):
            yield child
        elif tag in _WRAPPERS:
            yield from _blocks_in(child)


def _cell_text(tc: etree._Element) -> str:
    lines: list[str] = []
    for block in _blocks_in(tc):
        if block.tag == _P:
            lines.extend(paragraph_lines(block))
    return join_lines(lines)


# --- tables ----------------------------------------------------------------------------------------------------


def _children(el: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children with ``tag``, looking through ``w:sdt``/``w:customXml`` wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _int_val(el: etree._Element, default: int) -> int:
    try:
        return max(int(el.get(_VAL, default)), 0)
    except ValueError:
        return default


def _grid_before(tr: etree._Element) -> int:
    for child in tr:
        if child.tag == _TR_PR:
            for prop in child:
                if prop.tag == _GRID_BEFORE:
                    return _int_val(prop, 0)
    return 0


def _cell_props(tc: etree._Element) -> tuple[int, bool]:
    """(gridSpan, whether the cell continues a vertical or horizontal merge) from ``w:tcPr``."""
    span, continued = 1, False
    for child in tc:
        if child.tag == _TC_PR:
            for prop in child:
                tag = prop.tag
                if tag == _GRID_SPAN:
                    span = max(_int_val(prop, 1), 1)
                elif tag in _MERGES:
                    continued = continued or prop.get(_VAL) != "restart"
            break
    return span, continued


def table_to_slots(tbl: etree._Element) -> list[list[Slot]]:
    """A ``w:tbl`` without nested tables → its grid of slots (anchor text or None where covered)."""
    trs = list(_children(tbl, _TR))
    rows: list[dict[int, Slot]] = [{} for _ in trs]
    for r, tr in enumerate(trs):
        row = rows[r]
        col = _grid_before(tr)
        for c in range(col):
            row.setdefault(c, None)
        for tc in _children(tr, _TC):
            while col in row:
                col += 1
            span, continued = _cell_props(tc)
            text = _cell_text(tc)
            place(rows, r, col, None if continued and not text else text, 1, span)
            col += span
    return dict_rows_to_slots(rows)


# --- walking ---------------------------------------------------------------------------------------------------


class _Walk:
    """Blocks found so far, with the paragraph and table counters of the provenance."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.paragraphs = 0
        self.tables = 0

    def container(self, container: etree._Element) -> None:
        for block in _blocks_in(container):
            if block.tag == _P:
                self.paragraph(block)
            else:
                self.table(block)

    def paragraph(self, p: etree._Element) -> None:
        lines = paragraph_lines(p)
        for k, line in enumerate(lines):
            at: dict[str, object] = {"paragraph": self.paragraphs}
            if len(lines) > 1:
                at["line"] = k
            self.blocks.append(Paragraph(line, at))
        self.paragraphs += 1

    def table(self, tbl: etree._Element) -> None:
        if next(tbl.iterdescendants(_TBL), None) is not None:
            for tr in _children(tbl, _TR):
                for tc in _children(tr, _TC):
                    self.container(tc)
            return
        rows = slots_to_rows(table_to_slots(tbl), self.tables)
        if rows:
            self.blocks.append(Table(rows, {"table": self.tables, "block": len(self.blocks)}))
            self.tables += 1


def _body(data: bytes, path: str) -> etree._Element:
    import docx

    try:
        body = docx.Document(BytesIO(data)).element.body
    except Exception as exc:  # python-docx raises KeyError, ValueError, BadZipFile, XMLSyntaxError …
        raise NianbaoError(path, "corrupt", f"not a readable .docx file ({type(exc).__name__}: {exc})") from None
    if body is None:
        raise NianbaoError(path, "corrupt", "the .docx file has no document body")
    return body


def read(data: bytes, path: str, settings: Settings) -> Document:
    """Document of a .docx file: body paragraphs and table grids in document order."""
    walk = _Walk()
    walk.container(_body(data, path))
    return Document(walk.blocks, path=path, format="docx")
