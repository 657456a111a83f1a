"""Flattened report text → Document: rebuilds table rows from the ways dumps flatten tables.

Handles one cell per line (TAB-prefixed, blank lines between rows, cells broken over lines),
TAB-separated rows, pipe and markdown rows, cells separated by lines holding only ``|``,
space-aligned columns, and drops page furniture and markdown rule lines. It does not know
which table a row belongs to; that is the extractor's job.
"""

from __future__ import annotations

import itertools
import re
from functools import cached_property

from ..document import DOUBTED_BESIDE, MAYBE_FOLIO, UNCERTAIN_ORDER, At, Block, Document, Paragraph, Table, TextCell
from ..settings import LayoutSettings
from ..values import DIGITS_RUN, is_value_like, squash
from .aligned import aligned_to_tabs
from .around import labels_around
from .cells import text_width
from .columns import Columns, Placement, Wrapping, value_columns, wrapped_labels
from .wrapped import unwrap_numbers

_FURNITURE = re.compile(
    r"(?:[-—–－]\s*[1-9]\d{0,3}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页|page\s*\d{1,4}\b.*|p\.\s*\d{1,4}|[1-9]\d{0,3}\s*/\s*[1-9]\d{0,3})",
    re.IGNORECASE,
)
"""A page number line; no page is numbered 0 (``— 0 —``, ``0 / 0`` are a row's values printed alone)."""
_RULE_CELL = re.compile(r":?-{3,}:?")
_RULE_CHARS = re.compile(r"[\s|:-]*")
"""What a rule line is made of (dashes, colons, bars, blanks): a line holding anything else is no rule line."""


def is_page_furniture(text: str, max_chars: int) -> bool:
    """True for a page number line (``- 4 -``, ``— 5 —``, ``第 2 页 共 4 页``, ``Page 3``) of at most ``max_chars``."""
    stripped = text.strip()
    return len(stripped) <= max_chars and bool(_FURNITURE.fullmatch(stripped))


_HEADING_START = re.compile(r"[一二三四五六七八九十]+、")
_MARKDOWN_PREFIX = re.compile(r"^(?:#{1,6}\s+|[-*+]\s+(?=\S))")
_SPACE_COLUMNS = re.compile(r"[ \t]{2,}|\u3000+")
_ANY_SPACE = re.compile(r"\s")
_VALUE_TOKEN = rf"(?:[+-]?{DIGITS_RUN}(?:\.\d+)?(?:件|个|项|条|万元|元)?|无|—|-|/)"
_LABEL_THEN_VALUES = re.compile(rf"(.*?[^\d\s,.+-])\s+({_VALUE_TOKEN}(?:\s+{_VALUE_TOKEN})*)")
_ONLY_VALUES = re.compile(rf"{_VALUE_TOKEN}(?:\s+{_VALUE_TOKEN})+")
_ONE_VALUE = re.compile(_VALUE_TOKEN)
_UNIT_APART = re.compile(r"(?<=\d) (万元|元)(?!\S)")
"""An amount's unit a space apart from its number (a PDF's text runs change font between them)."""


def _classify(text: str, furniture_max: int) -> str:
    """The kind of a line that is no cell of a dump printing a cell per line (``_Lines`` tells those)."""
    stripped = text.strip()
    if not stripped:
        return "blank"
    if stripped == "|":
        return "bar"
    if len(stripped) <= furniture_max and _FURNITURE.fullmatch(stripped):  # is_page_furniture, the line stripped once
        return "furniture"
    if "\t" in text.lstrip(" ").removeprefix("\t"):
        # some cell holds text (the line is not blank): a rule line only if it holds dashes
        if "-" in text and _RULE_CHARS.fullmatch(text) \
                and all(not p or _RULE_CELL.fullmatch(p) for p in (p.strip() for p in text.split("\t"))):
            return "rule"
        return "tabrow"
    if "|" in stripped and (stripped.startswith("|") or stripped.count("|") >= 2):
        inner = stripped.strip("|")
        if _RULE_CHARS.fullmatch(inner) \
                and all(not p.strip() or _RULE_CELL.fullmatch(p.strip()) for p in inner.split("|")):
            return "rule"
        return "pipe"
    return "text"


def _one_cell_pipe_rows(texts: list[str], kinds: list[str]) -> None:
    """Mark as pipe rows the lines of one cell and its closing bar (``无 |``, a cell merged across a whole row)
    that follow a pipe row or the last line of one whose cells wrap over lines (``计 |``), empty lines aside:
    alone, one bar does not make a row."""
    previous = ""
    for i, kind in enumerate(kinds):
        closed = texts[i].rstrip().endswith("|")
        if kind == "text" and previous == "pipe" and closed:
            kinds[i] = "pipe"
        if kind != "blank":
            previous = "pipe" if kinds[i] == "pipe" or (kind == "text" and closed) else kinds[i]


def _pipe_cells(text: str, outer_bars: bool = True) -> list[str]:
    """Cells of a pipe row. Without ``outer_bars`` (a table whose rows print ``a | b |``), a bar the row
    starts with closes a blank first cell instead of opening the row."""
    stripped = text.strip()
    if stripped.startswith("|") and outer_bars:
        stripped = stripped[1:]
    if stripped.endswith("|"):
        stripped = stripped[:-1]
    return [part.strip() for part in stripped.split("|")]


def _outer_bars(texts: list[str], kinds: list[str]) -> list[bool]:
    """Line index → whether the pipe table a row on that line belongs to opens its rows with a bar: a line of the
    table before it (the lines up to an empty one, those of cells wrapped over lines included) that starts with a
    cell's text and goes on past a bar says no; otherwise yes. One pass, each line's answer carried to the next."""
    found: list[bool] = []
    opened = True
    for line, kind in zip(texts, kinds, strict=True):
        found.append(opened)
        text = line.strip()
        if kind == "blank" or not text:
            opened = True
        elif "|" in text[1:] and not text.startswith("|"):
            opened = False
    return found


def _columns(text: str) -> list[str]:
    """The parts of a line between gaps of blanks (two or more, or full-width ones)."""
    if "\t" not in text and "  " not in text and "\u3000" not in text:
        return [text] if text else []  # no gap (most lines of prose): the line is not scanned for one
    return [p for p in _SPACE_COLUMNS.split(text) if p.strip()]  # a part of only NBSP is no cell


def _gapless(text: str) -> bool:
    """Whether the text holds no blank (every way of splitting a row needs a gap between cells)."""
    return len(text.split(None, 1)) < 2


def _text_to_cells(text: str) -> list[str] | None:
    """Split a plain text line into cells when it reads as a table row; None otherwise."""
    stripped = text.strip()
    if "元" in stripped:
        stripped = _UNIT_APART.sub(r"\1", stripped)
    if _gapless(stripped):
        return None  # most lines of prose
    if not _ONLY_VALUES.fullmatch(stripped):  # a row of values may start with a dash, not a list bullet
        stripped = _MARKDOWN_PREFIX.sub("", stripped)
        if _gapless(stripped):
            return None
    parts = _columns(stripped)
    if len(parts) >= 2 and any(is_value_like(p) and p.strip() for p in parts[1:]):
        return [cell for p in parts for cell in (p.split() if _ONLY_VALUES.fullmatch(p) else [p])]  # "— 0" is two cells
    if not _ONE_VALUE.fullmatch(stripped.rsplit(None, 1)[-1]):
        return None  # both readings below end the row with a value: a line whose last word is none is prose
    if _ONLY_VALUES.fullmatch(stripped):
        return stripped.split()
    match = _LABEL_THEN_VALUES.fullmatch(stripped)
    if match and not match.group(1).endswith(("年", "月", "日")):
        return [match.group(1).strip(), *match.group(2).split()]
    return None


class _Builder:
    """Collects blocks; consecutive table rows share one Table."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._rows: list[list[TextCell]] | None = None

    def row(self, cells: list[TextCell]) -> None:
        if self._rows is None:
            self._rows = []
            self.blocks.append(Table(self._rows, cells[0].at if cells else {}))
        self._rows.append(cells)

    def paragraph(self, text: str, number: int, uncertain: bool = False, folio: bool = False) -> None:
        self._rows = None
        at: At = {"line": number}
        if uncertain or folio:
            at["order"] = UNCERTAIN_ORDER
        if folio:
            at[MAYBE_FOLIO] = True
        self.blocks.append(Paragraph(text, at))

    def end_table(self) -> None:
        self._rows = None


class _Lines:
    """The text's lines with their kinds, by index (line number = index + 1)."""

    def __init__(self, text: str, settings: LayoutSettings, by_display: bool, apart: frozenset[int]) -> None:
        self.settings = settings
        self.apart = apart
        self.texts = text.splitlines()
        furniture_max = settings.page_number_max_chars
        # a cell of a dump printing a cell per line (a TAB, then the cell's text) and an empty line are told without a
        # call: most lines of such a dump
        self.kinds = ["cell" if t[:1] == "\t" and t.count("\t") == 1 else _classify(t, furniture_max) if t else "blank"
                      for t in self.texts]
        page_starts = {i + 1 for i, line in enumerate(text.splitlines(keepends=True)) if line.endswith("\f")} \
            if "\f" in text else set()  # most text has no page break: not split again to find none
        numbers, self.folios = _page_numbers(self.texts, self.kinds, page_starts, settings.page_number_blank_lines,
                                             settings.wrap_reach)
        for i in numbers:
            self.kinds[i] = "furniture"
        if "|" in text:
            _one_cell_pipe_rows(self.texts, self.kinds)
        self.printed = list(self.texts)
        self.page_starts = page_starts
        unwrapped = unwrap_numbers(text, self.texts, self.kinds, settings, by_display)
        self.cut = unwrapped.cut
        self.beside = unwrapped.beside
        joined = {i for i, line in enumerate(self.printed) if self.texts[i] != line} \
            if self.printed != self.texts else set()
        self.wrapping = Wrapping(unwrapped.pieces, unwrapped.cut | joined)
        self.after_break = _after_breaks(self.kinds, page_starts)
        self.by_display = by_display
        self.placing_kinds = self.kinds
        around = labels_around(self.texts, self.kinds, page_starts, settings, lambda: self.columns.metric)
        if around:
            self.placing_kinds = list(self.kinds)  # the rows are placed on the lines as printed
            for i, line in around.items():
                self.texts[i] = line
                if not line.strip():
                    self.kinds[i] = "blank"

    @cached_property
    def columns(self) -> Columns:
        """Where the rows put their values (see ``value_columns``), read when a line first reads as a row of cells
        or has a label wrapped around it: most text has none."""
        return value_columns(self.printed, self.placing_kinds, self.page_starts, self.settings, self.wrapping,
                             self.by_display)

    @cached_property
    def outer_bars(self) -> list[bool]:
        """Line index → whether a pipe row there opens its cells with a bar (``_outer_bars``), read when a line
        first reads as a pipe row: most text has none."""
        return _outer_bars(self.texts, self.kinds)

    @property
    def placed(self) -> dict[int, Placement]:
        """Line index → the placement of its trailing values."""
        return self.columns.placed

    def kind(self, i: int) -> str | None:
        return self.kinds[i] if 0 <= i < len(self.kinds) else None


_PAGE_NUMBER = re.compile(r"\s*\d{1,4}\s*")


def _after_breaks(kinds: list[str], page_starts: set[int]) -> set[int]:
    """The first line holding text after each page break or page number line: where a dump printing one
    cell per line may go on with a row the page cut, its cells' order no longer sure."""
    found: set[int] = set()
    if not page_starts and "furniture" not in kinds:
        return found  # most text has neither: no line to look for
    broken = False
    for i, kind in enumerate(kinds):
        broken = broken or i in page_starts or kind == "furniture"
        if kind not in ("blank", "furniture"):
            if broken:
                found.add(i)
            broken = False
    return found


def _page_numbers(texts: list[str], kinds: list[str], page_starts: set[int], gap: int,
                  reach: int) -> tuple[list[int], set[int]]:
    """Lines holding only a bare number at a page's edge (the last line before a page break or the first
    after it) that is the page's own number, or that ``gap`` blank lines set apart from the page's body:
    page numbers printed without marks (a wrapped piece of a cell's number sits right next to its row). Where
    no value stands on a line of its own elsewhere in its columns (the rows there print their label and values on
    one line; a 无 merged across another table's row stands elsewhere), one that no digit stands above or below
    either, within the ``reach`` of a wrapped number's pieces (which stay in their number's column). Then the lines
    that may be a page's number amid its cells, none of them sure (``_numbered_inside``)."""
    edges: list[tuple[int, bool]] = []
    for page, start in enumerate(sorted(page_starts), start=1):
        for edge, step, number in ((start - 1, -1, page), (start, 1, page + 1)):
            while 0 <= edge < len(texts) and kinds[edge] == "blank":
                edge += step
            if not (0 <= edge < len(texts) and _PAGE_NUMBER.fullmatch(texts[edge])):
                continue
            body = [edge + step * k for k in range(1, gap + 1)]
            edges.append((edge, int(texts[edge]) == number
                          or all(0 <= k < len(texts) and kinds[k] == "blank" for k in body)))
    inside, doubted = _numbered_inside(texts, kinds, page_starts) if any(sure for _, sure in edges) else ([], [])
    if all(sure for _, sure in edges):
        taken = [edge for edge, _ in edges]
    else:
        skip = {edge for edge, _ in edges}
        taken = [edge for edge, sure in edges
                 if sure or not (_lone_values(texts, skip, edge) or _digits_over(texts, edge, reach))]
    return taken + inside, {line for lines in doubted if not lines & set(taken) for line in lines}


def _numbered_inside(texts: list[str], kinds: list[str], page_starts: set[int]) -> tuple[list[int], list[set[int]]]:
    """Bare page numbers off their page's edge, in text whose every page holds a line reading its own number and
    that prints no other page furniture: a dump that prints a page's blocks in its own order (plain ``pdftotext``)
    may print the footer amid the page's cells. On a page with two such lines, a value reads as its number too:
    neither is taken, and each page's such lines come second (``MAYBE_FOLIO``)."""
    if "furniture" in kinds:
        return [], []  # pages numbered with marks (``- 3 -``, ``第3页``): a bare number is no page number
    bounds = [0, *sorted(page_starts), len(texts)]
    found: list[int] = []
    doubted: list[set[int]] = []
    for page, (start, end) in enumerate(itertools.pairwise(bounds), start=1):
        own = [i for i in range(start, end) if texts[i].strip() == str(page)]
        if not own:
            if any(texts[i].strip() for i in range(start, end)):
                return [], []  # a page printing text without its number: the text numbers no page bare
            continue
        if len(own) == 1:
            found.append(own[0])
        else:
            doubted.append(set(own))
    return found, doubted


def _lone_values(texts: list[str], skip: set[int], line: int) -> bool:
    """Whether a line other than those in ``skip`` holds a value alone (a number, 无, a dash) in the columns of
    ``line``'s number (or the next column on either side): a column whose values print on lines of their own."""
    number = _number_span(texts[line])
    if number is None:
        return False
    low, high = number
    return any(i not in skip and (text := printed.strip()) and not _ANY_SPACE.search(text) and is_value_like(text)
               and _overlaps(_span(printed, len(printed) - len(printed.lstrip()), len(printed.rstrip())), low, high)
               for i, printed in enumerate(texts))


def _number_span(text: str) -> tuple[int, int] | None:
    """Display columns of the first number of ``text``, if it holds one."""
    number = _DIGITS.search(text)
    return None if number is None else _span(text, number.start(), number.end())


def _overlaps(span: tuple[int, int], low: int, high: int) -> bool:
    """Whether ``span`` meets the columns ``low`` to ``high`` or the next column on either side."""
    return span[0] <= high and span[1] >= low


_DIGITS = re.compile(r"\d+")


def _span(text: str, start: int, end: int) -> tuple[int, int]:
    """Display columns of ``text[start:end]`` (a Chinese character two wide)."""
    before = text_width(text[:start])
    return before, before + text_width(text[start:end])


def _digits_over(texts: list[str], line: int, reach: int) -> bool:
    """Whether a line within ``reach`` of ``line`` (on either side) holds digits in the columns of its number
    (or the next column on either side)."""
    number = _number_span(texts[line])
    if number is None:
        return False
    low, high = number
    return any(_overlaps(_span(texts[k], found.start(), found.end()), low, high)
               for k in range(max(0, line - reach), min(len(texts), line + reach + 1)) if k != line
               for found in _DIGITS.finditer(texts[k]))


def _is_continuation(text: str, kind: str, previous: TextCell, settings: LayoutSettings) -> bool:
    if kind != "text":
        return False
    text = text.strip()
    return (
        len(squash(text)) <= settings.continuation_max_chars
        and not is_value_like(previous.text)
        and not _HEADING_START.match(text)
    )


def text_to_document(text: str, settings: LayoutSettings | None = None, by_display: bool = False,
                     apart: frozenset[int] = frozenset()) -> Document:
    """Rebuild paragraphs and table rows from report text (any flattening style); ``by_display``: the text is laid
    out by position in display columns, a CJK char two wide (``chars.line_to_spaced``); ``apart``: the lines (by
    index) its positions show standing too far below the line above to continue its wrapped text."""
    settings = settings or LayoutSettings()
    lines = _Lines(aligned_to_tabs(text), settings, by_display, apart)
    texts, kinds = lines.texts, lines.kinds
    out = _Builder()
    row: list[TextCell] = []
    i = 0
    while i < len(texts):
        kind = kinds[i]
        if kind == "cell":
            row.append(TextCell(texts[i].strip(), {"line": i + 1}))  # the TAB the line starts with is stripped too
        elif kind == "text" and row and _is_continuation(texts[i], kind, row[-1], settings):
            row[-1].text += texts[i].strip()
        elif kind == "blank" and row:
            inside_cell = lines.kind(i + 1) == "text" and lines.kind(i + 2) == "cell" \
                and _is_continuation(texts[i + 1], kinds[i + 1], row[-1], settings)  # most lines after: a cell
            if not inside_cell:
                out.row(row)
                row = []
        elif kind not in ("furniture", "rule"):
            if row:
                out.row(row)
                row = []
            i = _other_line(lines, i, out)
        i += 1
    if row:
        out.row(row)
    return Document(out.blocks)


def _other_line(lines: _Lines, i: int, out: _Builder) -> int:
    """Handle a line outside a cell-per-line run; return the index of the last line consumed."""
    texts, kind = lines.texts, lines.kinds[i]
    text, number = texts[i], i + 1
    if kind == "tabrow":
        out.row([TextCell(p.strip(), {"line": number, "cell": k}) for k, p in enumerate(text.split("\t"))])
    elif kind == "pipe":
        parts = _pipe_cells(text, lines.outer_bars[i])
        out.row([TextCell(p, {"line": number, "cell": k}) for k, p in enumerate(parts)])
    elif kind == "text" and lines.kind(i + 1) == "bar":
        barred = [TextCell(text.strip(), {"line": number})]
        while lines.kind(i + 1) == "bar" and lines.kind(i + 2) == "text":
            i += 2
            barred.append(TextCell(texts[i].strip(), {"line": i + 1}))
        out.row(barred)
        if lines.kind(i + 1) == "bar":
            i += 1
    elif kind == "text":
        cells = _text_to_cells(text)
        if cells:
            first = {"line": number, "cell": 0, **(_doubt(lines, i) if i in lines.cut else {})}
            labels = len(cells) - len(lines.placed[i].values) if i in lines.placed else 0
            if labels > 0:
                cells[:labels], i = wrapped_labels(texts, lines.kinds, i, cells[:labels], lines.settings, lines.apart)
            row = [TextCell(c, first if k == 0 else {"line": number, "cell": k}) for k, c in enumerate(cells)]
            if number - 1 in lines.placed:
                _mark_blanks(row, lines.placed[number - 1], number)
            out.row(row)
        else:
            out.paragraph(_MARKDOWN_PREFIX.sub("", text.strip()), number,
                          i in lines.after_break and is_value_like(text.strip()), i in lines.folios)
    elif kind == "blank":
        out.end_table()
    return i


def _doubt(lines: _Lines, i: int) -> At:
    """What a row line the reader of wrapped numbers cut is marked with: its order uncertain, and the lines it was cut
    for alone, if any (see ``DOUBTED_BESIDE``)."""
    beside = lines.beside.get(i)
    return {"order": UNCERTAIN_ORDER, **({DOUBTED_BESIDE: tuple(k + 1 for k in sorted(beside))} if beside else {})}


def _mark_blanks(row: list[TextCell], placement: Placement, number: int) -> None:
    """Remember, on each of the row's trailing values, the blank columns its position shows just before it,
    and on the last, those after it up to the stretch's last column."""
    values = row[len(row) - len(placement.values):]
    if (len(values) != len(placement.values)
            or [squash(cell.text) for cell in values] != [squash(text) for text in placement.values]):
        return
    previous = -1
    for cell, column in zip(values, placement.columns, strict=True):
        cell.blank_before = tuple({"line": number, "column": k} for k in range(previous + 1, column))
        cell.blanks_need_sums = placement.need_sums
        previous = column
    values[-1].blank_after = tuple({"line": number, "column": k} for k in range(previous + 1, placement.width))
