"""PDF bytes → Document: table grids found from ruling lines and running-text lines, each with its page and bbox.

It does not run OCR (a PDF without a text layer is refused) and knows nothing about annual reports:
it only rebuilds what is drawn, in reading order.

How: pypdfium2 (which comes with pdfplumber) reads the characters and the vector paths of each page;
the visible horizontal and vertical strokes become edges, and pdfplumber's ``TableFinder`` turns them
into table cells. Merged cells are expanded into the grid (a covered position holds an empty cell);
characters outside every table become one Paragraph per text line. Tables that run over a page break
are stitched when the next page starts with a table of the same column count. Page numbers and running
headers or footers repeated on most pages are dropped.
"""

from __future__ import annotations

import ctypes
import re
import threading
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.table import TableFinder, merge_edges

from ..document import At, Block, Document, Paragraph, Table, TextCell
from ..errors import NianbaoError
from ..settings import Settings
from .layout import is_page_furniture

Bbox = tuple[float, float, float, float]
"""x0, top, x1, bottom in PDF points, top-left origin of the page as displayed."""
Matrix = tuple[float, float, float, float, float, float]

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
"""pdfplumber TableFinder settings; its default snap/join/intersection tolerances (3 pt) apply."""
SNAP_PT = 3.0  # pdfplumber's default snap tolerance: edges closer than this meet
EOF_TAIL_BYTES = 4096  # a complete PDF has %%EOF within this many bytes of its end
WHITE_LEVEL = 245  # a colour whose R, G and B are all at least this is invisible on paper
THIN_FILL_PT = 2.5  # a filled rectangle at most this thick is a ruling line, thicker ones are shading
AXIS_SLACK_PT = 0.5  # a segment whose ends differ by less than this across its axis is straight
SAME_LINE_SHARE = 0.35  # chars whose baselines differ by less than this share of their height share a line
SPACE_GAP_SHARE = 0.15  # a gap wider than this share of the char height is a space
WIDE_SPACE_GAP_SHARE = 1.5  # between two CJK chars only a gap wider than this share is a space
LOOSE_BOX_MAX_RATIO = 3.0  # a loose char box this many times taller than the page's median one is garbage
DUPLICATE_PT = 1.0  # a copy of the same char within this distance is "fake bold" overprint
MARGIN_SHARE = 0.1  # running headers and footers sit in this share of the page height at the top or bottom
REPEATED_PAGE_SHARE = 0.5  # a margin line found on at least this share of the pages is a running header
MAX_HEADER_ROWS = 4  # at most this many header rows repeated at the top of a continued table are dropped
ROUND_DIGITS = 1

_PDFIUM = threading.Lock()  # PDFium is not thread-safe: one document at a time per process
_PASSWORD_ERRORS = {pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY}
_PDFIUM_HYPHEN = "\ufffe"  # pdfium's stand-in for a hyphen that ends a line
_DIGITS = re.compile(r"\d+")
_NUMBER = re.compile(r"[-+]?\d[\d,.]*%?")
_SPACES = re.compile(r"\s+")


@dataclass(slots=True)
class _Char:
    """One glyph: its text, loose box and baseline, in displayed-page coordinates."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    base: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(slots=True)
class _Line:
    """A text line outside tables."""

    text: str
    bbox: Bbox
    page: int


@dataclass(slots=True)
class _Grid:
    """A table found on one page: rows of cells, merged cells expanded."""

    rows: list[list[TextCell]]
    bbox: Bbox
    page: int


@dataclass(slots=True)
class _Page:
    """What one page holds, in reading order."""

    number: int
    height: float
    items: list[_Line | _Grid] = field(default_factory=list)
    chars: int = 0


class _Frame:
    """Maps PDF user space (bottom-left origin) to the displayed page (top-left origin, rotation applied)."""

    def __init__(self, box: tuple[float, float, float, float], rotation: int) -> None:
        left, bottom, right, top = box
        turned = rotation % 2 == 1
        self.width = (top - bottom) if turned else (right - left)
        self.height = (right - left) if turned else (top - bottom)
        # X = a*x + c*y + e, Y = b*x + d*y + f for /Rotate 0, 90, 180, 270 (clockwise when shown)
        self.matrix: Matrix = (
            (1.0, 0.0, 0.0, -1.0, -left, top),
            (0.0, 1.0, 1.0, 0.0, -bottom, -left),
            (-1.0, 0.0, 0.0, 1.0, right, -bottom),
            (0.0, -1.0, -1.0, 0.0, top, right),
        )[rotation % 4]

    def point(self, x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = self.matrix
        return a * x + c * y + e, b * x + d * y + f

    def box(self, x0: float, y0: float, x1: float, y1: float) -> Bbox:
        a, b, c, d, e, f = self.matrix
        ax, ay, bx, by = a * x0 + c * y0 + e, b * x0 + d * y0 + f, a * x1 + c * y1 + e, b * x1 + d * y1 + f
        return (ax, ay, bx, by) if ax <= bx and ay <= by else (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))


class _EdgePage:
    """The two attributes of a pdfplumber Page that TableFinder reads with the "lines" strategies."""

    def __init__(self, edges: list[dict[str, object]], bbox: Bbox) -> None:
        self.edges = edges
        self.bbox = bbox


# --- opening -------------------------------------------------------------------------------------


def _open(data: bytes, path: str) -> pdfium.PdfDocument:
    """The pdfium document, or a NianbaoError naming why it cannot be read."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in _PASSWORD_ERRORS:
            raise NianbaoError(path, "encrypted", "encrypted PDF (password required)") from None
        raise NianbaoError(path, "corrupt", f"corrupt or truncated PDF: {exc}") from None
    if b"%%EOF" not in data[-EOF_TAIL_BYTES:]:
        pdf.close()
        raise NianbaoError(path, "corrupt", "corrupt or truncated PDF: no %%EOF marker at the end of the file")
    if len(pdf) == 0:
        pdf.close()
        raise NianbaoError(path, "corrupt", "corrupt or truncated PDF: it has no pages")
    return pdf


# --- characters ----------------------------------------------------------------------------------


def _page_text(raw: pdfium_c.FPDF_TEXTPAGE, count: int) -> str:
    """The text of all char slots of a text page, one str char per slot."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(raw, 0, count, buffer)
    text = bytes(buffer)[: 2 * max(written - 1, 0)].decode("utf-16-le", errors="replace")
    if len(text) != count:  # surrogate pairs: ask char by char
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i)) for i in range(count))
    return text.replace(_PDFIUM_HYPHEN, "-")


def textpage_to_chars(textpage: pdfium.PdfTextPage, frame: _Frame) -> list[_Char]:
    """Given a pdfium text page, return its printed characters (no blanks), "fake bold" copies dropped.

    pdfium's generated chars (the spaces and line breaks it infers) are whitespace, so they go too.
    """
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    text = _page_text(raw, count)
    rect = pdfium_c.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    loose_box, origin = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetCharOrigin
    found: list[tuple[int, str, Bbox, float]] = []
    for i, char in enumerate(text):
        if char.isspace() or char == "\x00" or not loose_box(raw, i, rect):
            continue
        origin(raw, i, ox, oy)
        found.append((i, char, frame.box(rect.left, rect.bottom, rect.right, rect.top),
                      frame.point(ox.value, oy.value)[1]))
    if not found:
        return []
    heights = sorted(box[3] - box[1] for _, _, box, _ in found)
    limit = LOOSE_BOX_MAX_RATIO * heights[len(heights) // 2]
    chars = [_Char(char, *(box if box[3] - box[1] <= limit else _ink_box(raw, i, frame, box)), base)
             for i, char, box, base in found]
    return dedupe_chars(chars)


def _ink_box(raw: pdfium_c.FPDF_TEXTPAGE, i: int, frame: _Frame, loose: Bbox) -> Bbox:
    """The glyph's ink box, for the few fonts whose loose boxes come out absurdly large."""
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    if not pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top):
        return loose
    return frame.box(left.value, bottom.value, right.value, top.value)


def dedupe_chars(chars: list[_Char]) -> list[_Char]:
    """Given chars, drop the copies of a char printed again within DUPLICATE_PT of itself ("fake bold")."""
    size = 2 * DUPLICATE_PT  # any copy lies in the char's bucket or a neighbour on its near side
    seen: dict[tuple[str, int, int], list[_Char]] = {}
    kept: list[_Char] = []
    for char in chars:
        fx, fy = char.x0 / size, char.top / size
        bx, by = int(fx), int(fy)
        nx = bx + 1 if fx - bx >= 0.5 else bx - 1
        ny = by + 1 if fy - by >= 0.5 else by - 1
        if not _has_copy(char, seen, ((bx, by), (nx, by), (bx, ny), (nx, ny))):
            seen.setdefault((char.text, bx, by), []).append(char)
            kept.append(char)
    return kept


def _has_copy(char: _Char, seen: dict[tuple[str, int, int], list[_Char]], buckets: tuple[tuple[int, int], ...]) -> bool:
    for bx, by in buckets:
        for other in seen.get((char.text, bx, by), ()):
            if abs(other.x0 - char.x0) <= DUPLICATE_PT and abs(other.top - char.top) <= DUPLICATE_PT:
                return True
    return False


def _is_wide(text: str) -> bool:
    """True for CJK characters and full-width punctuation (no space is written next to them)."""
    return ord(text) >= 0x2E80 or text in "“”‘’—…·"


def chars_to_lines(chars: list[_Char]) -> list[list[_Char]]:
    """Given chars, return them grouped into text lines by baseline, top to bottom, each left to right."""
    lines: list[list[_Char]] = []
    base = height = 0.0
    for char in sorted(chars, key=lambda c: (c.base, c.x0)):
        if lines and char.base - base <= SAME_LINE_SHARE * height:
            lines[-1].append(char)
            continue
        lines.append([char])
        base, height = char.base, max(char.height, 1.0)
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def line_to_text(line: list[_Char]) -> str:
    """Given the chars of one line, return its text with a space where the gap between two chars is wide."""
    parts = [line[0].text]
    for left, right in pairwise(line):
        gap = right.x0 - left.x1
        height = max(left.height, right.height)
        share = WIDE_SPACE_GAP_SHARE if _is_wide(left.text) and _is_wide(right.text) else SPACE_GAP_SHARE
        if gap > share * height:
            parts.append(" ")
        parts.append(right.text)
    return "".join(parts)


def lines_to_text(lines: list[list[_Char]]) -> str:
    """Given the lines of one cell, return one string: lines joined directly next to CJK, else by a space."""
    text = ""
    for line in lines:
        part = line_to_text(line)
        if text and not (_is_wide(text[-1]) or _is_wide(part[0])):
            text += " "
        text += part
    return text


def _bbox_of(chars: list[_Char]) -> Bbox:
    return (min(c.x0 for c in chars), min(c.top for c in chars),
            max(c.x1 for c in chars), max(c.bottom for c in chars))


def _at(page: int, bbox: Bbox) -> At:
    return {"page": page, "bbox": [round(v, ROUND_DIGITS) for v in bbox]}


# --- ruling lines --------------------------------------------------------------------------------


def _multiply(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _matrix(obj: pdfium_c.FPDF_PAGEOBJECT) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def page_to_paths(page: pdfium.PdfPage) -> Iterator[tuple[pdfium_c.FPDF_PAGEOBJECT, Matrix]]:
    """Given a page, yield every path object (also those inside form XObjects) with its matrix to page space."""
    stack = [(page.raw, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), False)]
    while stack:
        parent, outer, is_form = stack.pop()
        count = pdfium_c.FPDFFormObj_CountObjects(parent) if is_form else pdfium_c.FPDFPage_CountObjects(parent)
        for i in range(count):
            obj = pdfium_c.FPDFFormObj_GetObject(parent, i) if is_form else pdfium_c.FPDFPage_GetObject(parent, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                yield obj, _multiply(_matrix(obj), outer)
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                stack.append((obj, _multiply(_matrix(obj), outer), True))


def _visible(obj: pdfium_c.FPDF_PAGEOBJECT, getter: object) -> bool:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, r, g, b, a):  # type: ignore[operator]
        return True  # pattern or unknown colour: assume it shows
    return a.value > 0 and min(r.value, g.value, b.value) < WHITE_LEVEL


def path_to_subpaths(obj: pdfium_c.FPDF_PAGEOBJECT, matrix: Matrix) -> list[list[tuple[float, float, bool]]]:
    """Given a path object, return its subpaths as page-space points, each flagged True when reached by a line."""
    subpaths: list[list[tuple[float, float, bool]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    a, b, c, d, e, f = matrix
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f, kind == pdfium_c.FPDF_SEGMENT_LINETO)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([])
        subpaths[-1].append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment) and subpaths[-1]:
            first = subpaths[-1][0]
            subpaths[-1].append((first[0], first[1], True))
    return subpaths


def _edge(x0: float, top: float, x1: float, bottom: float) -> dict[str, object] | None:
    """A pdfplumber edge dict for an axis-aligned segment (or a thin bar), None when it is neither."""
    width, height = x1 - x0, bottom - top
    if height <= AXIS_SLACK_PT or (height <= THIN_FILL_PT and width > height):
        y = (top + bottom) / 2
        return {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": width, "height": 0.0,
                "orientation": "h", "object_type": "line"}
    if width <= AXIS_SLACK_PT or (width <= THIN_FILL_PT and height > width):
        x = (x0 + x1) / 2
        return {"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0, "height": height,
                "orientation": "v", "object_type": "line"}
    return None


def _stroke_edges(subpaths: list[list[tuple[float, float, bool]]], frame: _Frame) -> Iterator[dict[str, object]]:
    for points in subpaths:
        for (ax, ay, _), (bx, by, straight) in pairwise(points):
            if straight:
                edge = _edge(*frame.box(ax, ay, bx, by))
                if edge and (edge["width"] or edge["height"]):
                    yield edge


def _fill_edges(subpaths: list[list[tuple[float, float, bool]]], frame: _Frame) -> Iterator[dict[str, object]]:
    """Thin filled rectangles are ruling lines; wider fills are shading and give no edge."""
    for points in subpaths:
        xs = {round(p[0], ROUND_DIGITS) for p in points}
        ys = {round(p[1], ROUND_DIGITS) for p in points}
        if len(points) >= 4 and len(xs) <= 2 and len(ys) <= 2 and all(p[2] for p in points[1:]):
            edge = _edge(*frame.box(min(xs), min(ys), max(xs), max(ys)))
            if edge and (edge["width"] or edge["height"]):
                yield edge


def page_to_edges(page: pdfium.PdfPage, frame: _Frame) -> list[dict[str, object]]:
    """Given a page, return the visible horizontal and vertical strokes as pdfplumber edge dicts."""
    edges: list[dict[str, object]] = []
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    for obj, matrix in page_to_paths(page):
        if not pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
            continue
        stroked = bool(stroke.value) and _visible(obj, pdfium_c.FPDFPageObj_GetStrokeColor)
        filled = fill_mode.value != pdfium_c.FPDF_FILLMODE_NONE and _visible(obj, pdfium_c.FPDFPageObj_GetFillColor)
        if not (stroked or filled):
            continue
        subpaths = path_to_subpaths(obj, matrix)
        edges.extend(_stroke_edges(subpaths, frame) if stroked else _fill_edges(subpaths, frame))
    return edges


def _h_edge(x0: float, x1: float, y: float) -> dict[str, object]:
    return {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0,
            "orientation": "h", "object_type": "line"}


def close_open_ends(edges: list[dict[str, Any]]) -> list[dict[str, object]]:
    """Given edges, return the horizontal edges that close rows left open where a table is cut by a page break.

    An open end is the top or bottom of a vertical edge that no horizontal edge crosses. Open ends at
    the same height are joined by a new horizontal edge, and so is an open end with a horizontal edge
    already drawn at its height (a border drawn only under some columns).
    """
    horizontal = sorted((e for e in edges if e["orientation"] == "h"), key=lambda e: e["top"])
    tops = [h["top"] for h in horizontal]

    def near(y: float) -> list[dict[str, Any]]:
        return horizontal[bisect_left(tops, y - SNAP_PT):bisect_right(tops, y + SNAP_PT)]

    ends = [(y, v["x0"]) for v in edges if v["orientation"] == "v" for y in (v["top"], v["bottom"])
            if not any(h["x0"] - SNAP_PT <= v["x0"] <= h["x1"] + SNAP_PT for h in near(y))]
    added: list[dict[str, object]] = []
    for group in _clusters(sorted(ends)):
        y = sum(end[0] for end in group) / len(group)
        xs = [end[1] for end in group] + [x for h in near(y) for x in (h["x0"], h["x1"])]
        if len(xs) >= 2:
            added.append(_h_edge(min(xs), max(xs), y))
    return added


def _clusters(ends: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Sorted (y, x) points grouped by y, neighbours closer than SNAP_PT in one group."""
    groups: list[list[tuple[float, float]]] = []
    for end in ends:
        if groups and end[0] - groups[-1][-1][0] <= SNAP_PT:
            groups[-1].append(end)
        else:
            groups.append([end])
    return groups


# --- tables --------------------------------------------------------------------------------------


def _boundaries(values: list[float]) -> list[float]:
    """Sorted distinct coordinates, values closer than AXIS_SLACK_PT merged."""
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > AXIS_SLACK_PT:
            out.append(value)
    return out


def _index(bounds: list[float], value: float) -> int:
    """Index of the boundary nearest to value."""
    i = bisect_right(bounds, value)
    if i > 0 and (i == len(bounds) or value - bounds[i - 1] <= bounds[i] - value):
        return i - 1
    return i


class _GridBuilder:
    """Turns pdfplumber table cells into a full grid: every position knows the cell covering it."""

    def __init__(self, cells: list[Bbox]) -> None:
        self.cells = cells
        self.xs = _boundaries([c[0] for c in cells] + [c[2] for c in cells])
        self.ys = _boundaries([c[1] for c in cells] + [c[3] for c in cells])
        self.bbox: Bbox = (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])
        rows, cols = len(self.ys) - 1, len(self.xs) - 1
        self.owner = [[-1] * cols for _ in range(rows)]
        self.origin: dict[tuple[int, int], int] = {}  # top-left position of each cell → its index
        self.position: dict[int, tuple[int, int]] = {}  # and back
        for k, (x0, top, x1, bottom) in enumerate(cells):
            r0, r1 = _index(self.ys, top), _index(self.ys, bottom)
            c0, c1 = _index(self.xs, x0), _index(self.xs, x1)
            if r1 <= r0 or c1 <= c0 or self.owner[r0][c0] != -1:
                continue
            self.origin[(r0, c0)] = k
            self.position[k] = (r0, c0)
            for r in range(r0, r1):
                for c in range(c0, c1):
                    if self.owner[r][c] == -1:
                        self.owner[r][c] = k
        self.chars: dict[tuple[int, int], list[_Char]] = {}

    def take(self, char: _Char) -> bool:
        """File a char under the cell (or uncovered position) holding its centre; False when outside."""
        cx, cy = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2
        x0, top, x1, bottom = self.bbox
        if not (x0 <= cx < x1 and top <= cy < bottom):
            return False
        r, c = bisect_right(self.ys, cy) - 1, bisect_right(self.xs, cx) - 1
        k = self.owner[r][c]
        key = (r, c) if k == -1 else self.position[k]
        self.chars.setdefault(key, []).append(char)
        return True

    def to_grid(self, page: int) -> _Grid:
        """The grid with each cell's text; positions covered by a merged cell hold an empty cell."""
        rows: list[list[TextCell]] = []
        for r, owners in enumerate(self.owner):
            row: list[TextCell] = []
            for c, k in enumerate(owners):
                position = (self.xs[c], self.ys[r], self.xs[c + 1], self.ys[r + 1])
                if k != -1 and self.origin.get((r, c)) != k:
                    row.append(TextCell("", _at(page, position)))
                    continue
                chars = self.chars.get((r, c), [])
                text = lines_to_text(chars_to_lines(chars)) if chars else ""
                row.append(TextCell(text, _at(page, self.cells[k] if k != -1 else position)))
            rows.append(row)
        return _Grid(rows, self.bbox, page)


def edges_to_tables(edges: list[dict[str, object]], bbox: Bbox) -> list[_GridBuilder]:
    """Given the page's edges, return the tables pdfplumber's TableFinder sees (two columns or more)."""
    orientations = Counter(e["orientation"] for e in edges)
    if orientations["h"] < 2 or orientations["v"] < 2:
        return []
    edges = merge_edges(edges, SNAP_PT, SNAP_PT, SNAP_PT, SNAP_PT)  # as TableFinder will: fewer, longer edges
    edges += close_open_ends(edges)
    finder = TableFinder(_EdgePage(edges, bbox), TABLE_SETTINGS)  # type: ignore[arg-type]
    builders = [_GridBuilder(table.cells) for table in finder.tables]
    return [b for b in builders if len(b.xs) > 2]


# --- pages ---------------------------------------------------------------------------------------


def read_page(pdf: pdfium.PdfDocument, index: int) -> _Page:
    """Given a document and a page index, return the page's tables and text lines in reading order."""
    page = pdf[index]
    try:
        frame = _Frame(page.get_cropbox(), pdfium_c.FPDFPage_GetRotation(page.raw))
        textpage = page.get_textpage()
        try:
            chars = textpage_to_chars(textpage, frame)
        finally:
            textpage.close()
        tables = edges_to_tables(page_to_edges(page, frame), (0.0, 0.0, frame.width, frame.height)) if chars else []
    finally:
        page.close()
    return chars_to_page(index + 1, frame.height, chars, tables)


def chars_to_page(number: int, height: float, chars: list[_Char], tables: list[_GridBuilder]) -> _Page:
    """Given a page's chars and tables, return the page: grids and text lines sorted top to bottom."""
    loose = [c for c in chars if not any(t.take(c) for t in tables)]
    items: list[_Line | _Grid] = [t.to_grid(number) for t in tables]
    for line in chars_to_lines(loose):
        items.append(_Line(line_to_text(line), _bbox_of(line), number))
    items.sort(key=lambda item: (item.bbox[1], item.bbox[0]))
    return _Page(number, height, items, len(chars))


def _furniture_key(line: _Line, height: float) -> str | None:
    """The digit-blind text of a line in the top or bottom margin, the form running headers repeat in."""
    if line.bbox[3] > MARGIN_SHARE * height and line.bbox[1] < (1 - MARGIN_SHARE) * height:
        return None
    return _DIGITS.sub("#", _SPACES.sub("", line.text))


def drop_furniture(pages: list[_Page]) -> None:
    """Remove page-number lines, and margin lines repeated on most pages (running headers and footers)."""
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_furniture_key(item, page.height) for item in page.items if isinstance(item, _Line)} - {None})
    repeated = {key for key, n in counts.items() if n >= max(2, REPEATED_PAGE_SHARE * len(pages))}
    for page in pages:
        page.items = [item for item in page.items if not (
            isinstance(item, _Line)
            and (is_page_furniture(item.text) or _furniture_key(item, page.height) in repeated)
        )]


def _is_repeated_header(row: list[TextCell], first: list[TextCell]) -> bool:
    """True when a continuation row repeats a header row of its table: same texts, some text, no number."""
    texts = [cell.text for cell in row]
    return (texts == [cell.text for cell in first] and any(texts)
            and not any(_NUMBER.fullmatch(text) for text in texts))


def _drop_repeated_header(rows: list[list[TextCell]], table: Table) -> list[list[TextCell]]:
    """The rows of a continuation without the leading rows that repeat the table's header rows."""
    k = 0
    while k < min(len(rows) - 1, len(table.rows), MAX_HEADER_ROWS) and _is_repeated_header(rows[k], table.rows[k]):
        k += 1
    return rows[k:]


def pages_to_blocks(pages: list[_Page]) -> list[Block]:
    """Given pages in order, return blocks; a table continued at the top of the next page is stitched on."""
    blocks: list[Block] = []
    for page in pages:
        for position, item in enumerate(page.items):
            if isinstance(item, _Line):
                blocks.append(Paragraph(item.text, _at(item.page, item.bbox)))
                continue
            last = blocks[-1] if blocks else None
            if position == 0 and isinstance(last, Table) and len(last.rows[0]) == len(item.rows[0]):
                last.rows.extend(_drop_repeated_header(item.rows, last))
                last.at.setdefault("pages", [last.at["page"]]).append(item.page)
                continue
            blocks.append(Table(item.rows, _at(item.page, item.bbox)))
    return blocks


def pages_to_document(pages: list[_Page], path: str) -> Document:
    """Given the pages read, return the Document; refuse a PDF none of whose pages has text."""
    if not any(page.chars for page in pages):
        raise NianbaoError(path, "no_text_layer",
                           f"{len(pages)} page(s) but no text: a scanned PDF without a text layer; "
                           "OCR needs the [ocr] extra (pip install 'nianbao[ocr]')")
    drop_furniture(pages)
    return Document(pages_to_blocks(pages), path=path, format="pdf", meta={"pages": len(pages)})


def read(data: bytes, path: str, settings: Settings) -> Document:
    """Read PDF bytes into a Document: tables as expanded grids, other text as one Paragraph per line."""
    with _PDFIUM:
        pdf = _open(data, path)
        try:
            pages = [read_page(pdf, i) for i in range(len(pdf))]
        except pdfium.PdfiumError as exc:
            raise NianbaoError(path, "corrupt", f"corrupt or truncated PDF: {exc}") from None
        finally:
            pdf.close()
    return pages_to_document(pages, path)
