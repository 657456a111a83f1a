"""Positioned characters and ruling-line edges of pages → Document blocks: table grids and text lines in reading order.

It does not open any file format: the PDF, OFD and scan readers turn their pages into ``Char`` objects and
pdfplumber-style edge dicts (points, top-left origin) and hand them here. It knows nothing about annual reports.

How: edges are merged and handed to pdfplumber's ``TableFinder`` (through a stand-in page that has only ``edges``
and ``bbox``), which finds the table cells. Merged cells are expanded into the grid (a covered position holds an
empty cell); characters outside every table become one text line per baseline. Tables that run over a page
break are stitched when the next page starts with a table of the same column count, and page numbers and
running headers or footers repeated on most pages are dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from pdfplumber.table import TableFinder, merge_edges

from ..document import At, Block, Paragraph, Table, TextCell
from .layout import is_page_furniture

Bbox = tuple[float, float, float, float]
"""x0, top, x1, bottom in points, top-left origin of the page as displayed."""
Edge = dict[str, object]
"""A pdfplumber edge: x0, x1, top, bottom, width, height, orientation ("h" or "v"), object_type."""
Subpath = list[tuple[float, float, bool]]
"""Points of one subpath in page space, each flagged True when a straight line reaches it."""

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
"""pdfplumber TableFinder settings; its default snap/join/intersection tolerances (3 pt) apply."""
SNAP_PT = 3.0  # pdfplumber's default snap tolerance: edges closer than this meet
THIN_FILL_PT = 2.5  # a filled rectangle at most this thick is a ruling line, thicker ones are shading
AXIS_SLACK_PT = 0.5  # a segment whose ends differ by less than this across its axis is straight
SAME_LINE_SHARE = 0.35  # chars whose baselines differ by less than this share of their height share a line
SPACE_GAP_SHARE = 0.15  # a gap wider than this share of the char height is a space
WIDE_SPACE_GAP_SHARE = 1.5  # between two CJK chars only a gap wider than this share is a space
DUPLICATE_PT = 1.0  # a copy of the same char within this distance is "fake bold" overprint
MARGIN_SHARE = 0.1  # running headers and footers sit in this share of the page height at the top or bottom
REPEATED_PAGE_SHARE = 0.5  # a margin line found on at least this share of the pages is a running header
MAX_HEADER_ROWS = 4  # at most this many header rows repeated at the top of a continued table are dropped
ROUND_DIGITS = 1

_DIGITS = re.compile(r"\d+")
_NUMBER = re.compile(r"[-+]?\d[\d,.]*%?")
_SPACES = re.compile(r"\s+")


@dataclass(slots=True)
class Char:
    """One glyph: its text, box and baseline, in displayed-page coordinates."""

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
class TextLine:
    """A text line outside tables."""

    text: str
    bbox: Bbox
    page: int


@dataclass(slots=True)
class Grid:
    """A table found on one page: rows of cells, merged cells expanded."""

    rows: list[list[TextCell]]
    bbox: Bbox
    page: int


@dataclass(slots=True)
class Page:
    """What one page holds, in reading order."""

    number: int
    height: float
    items: list[TextLine | Grid] = field(default_factory=list)
    chars: int = 0


class _EdgePage:
    """The two attributes of a pdfplumber Page that TableFinder reads with the "lines" strategies."""

    def __init__(self, edges: list[Edge], bbox: Bbox) -> None:
        self.edges = edges
        self.bbox = bbox


# --- characters and text lines -------------------------------------------------------------------


def dedupe_chars(chars: list[Char]) -> list[Char]:
    """Given chars, drop the copies of a char printed again within DUPLICATE_PT of itself ("fake bold")."""
    size = 2 * DUPLICATE_PT  # any copy lies in the char's bucket or a neighbour on its near side
    seen: dict[tuple[str, int, int], list[Char]] = {}
    kept: list[Char] = []
    for char in chars:
        fx, fy = char.x0 / size, char.top / size
        bx, by = int(fx), int(fy)
        nx = bx + 1 if fx - bx >= 0.5 else bx - 1
        ny = by + 1 if fy - by >= 0.5 else by - 1
        if not _has_copy(char, seen, ((bx, by), (nx, by), (bx, ny), (nx, ny))):
            seen.setdefault((char.text, bx, by), []).append(char)
            kept.append(char)
    return kept


def _has_copy(char: Char, seen: dict[tuple[str, int, int], list[Char]], buckets: tuple[tuple[int, int], ...]) -> bool:
    for bx, by in buckets:
        for other in seen.get((char.text, bx, by), ()):
            if abs(other.x0 - char.x0) <= DUPLICATE_PT and abs(other.top - char.top) <= DUPLICATE_PT:
                return True
    return False


def is_wide(text: str) -> bool:
    """True for CJK characters and full-width punctuation (no space is written next to them)."""
    return ord(text) >= 0x2E80 or text in "“”‘’—…·"


def chars_to_lines(chars: list[Char]) -> list[list[Char]]:
    """Given chars, return them grouped into text lines by baseline, top to bottom, each left to right."""
    lines: list[list[Char]] = []
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


def line_to_text(line: list[Char]) -> str:
    """Given the chars of one line, return its text with a space where the gap between two chars is wide."""
    parts = [line[0].text]
    for left, right in pairwise(line):
        gap = right.x0 - left.x1
        height = max(left.height, right.height)
        share = WIDE_SPACE_GAP_SHARE if is_wide(left.text) and is_wide(right.text) else SPACE_GAP_SHARE
        if gap > share * height:
            parts.append(" ")
        parts.append(right.text)
    return "".join(parts)


def lines_to_text(lines: list[list[Char]]) -> str:
    """Given the lines of one cell, return one string: lines joined directly next to CJK, else by a space."""
    text = ""
    for line in lines:
        part = line_to_text(line)
        if text and not (is_wide(text[-1]) or is_wide(part[0])):
            text += " "
        text += part
    return text


def _bbox_of(chars: list[Char]) -> Bbox:
    return (min(c.x0 for c in chars), min(c.top for c in chars),
            max(c.x1 for c in chars), max(c.bottom for c in chars))


def _at(page: int, bbox: Bbox) -> At:
    return {"page": page, "bbox": [round(v, ROUND_DIGITS) for v in bbox]}


# --- ruling lines --------------------------------------------------------------------------------


def h_edge(x0: float, x1: float, y: float) -> Edge:
    """A horizontal edge from x0 to x1 at height y."""
    return {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0,
            "orientation": "h", "object_type": "line"}


def v_edge(x: float, top: float, bottom: float) -> Edge:
    """A vertical edge from top to bottom at x."""
    return {"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top,
            "orientation": "v", "object_type": "line"}


def box_to_edge(x0: float, top: float, x1: float, bottom: float) -> Edge | None:
    """Given the box of a segment or a bar, return its edge: None when it is neither thin nor axis-aligned."""
    width, height = x1 - x0, bottom - top
    if height <= AXIS_SLACK_PT or (height <= THIN_FILL_PT and width > height):
        return h_edge(x0, x1, (top + bottom) / 2)
    if width <= AXIS_SLACK_PT or (width <= THIN_FILL_PT and height > width):
        return v_edge((x0 + x1) / 2, top, bottom)
    return None


def _box(ax: float, ay: float, bx: float, by: float) -> Bbox:
    return (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))


def _stroke_edges(subpaths: list[Subpath]) -> list[Edge]:
    edges = []
    for points in subpaths:
        for (ax, ay, _), (bx, by, straight) in pairwise(points):
            if straight:
                edge = box_to_edge(*_box(ax, ay, bx, by))
                if edge and (edge["width"] or edge["height"]):
                    edges.append(edge)
    return edges


def _fill_edges(subpaths: list[Subpath]) -> list[Edge]:
    """Thin filled rectangles are ruling lines; wider fills are shading and give no edge."""
    edges = []
    for points in subpaths:
        xs = {round(p[0], ROUND_DIGITS) for p in points}
        ys = {round(p[1], ROUND_DIGITS) for p in points}
        if len(points) >= 4 and len(xs) <= 2 and len(ys) <= 2 and all(p[2] for p in points[1:]):
            edge = box_to_edge(min(xs), min(ys), max(xs), max(ys))
            if edge and (edge["width"] or edge["height"]):
                edges.append(edge)
    return edges


def subpaths_to_edges(subpaths: list[Subpath], stroked: bool) -> list[Edge]:
    """Given a visible path's subpaths in page space, return its edges: every straight axis-aligned stroke
    when stroked, else each thin filled rectangle."""
    return _stroke_edges(subpaths) if stroked else _fill_edges(subpaths)


def close_open_ends(edges: list[dict[str, Any]]) -> list[Edge]:
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
    added: list[Edge] = []
    for group in _clusters(sorted(ends)):
        y = sum(end[0] for end in group) / len(group)
        xs = [end[1] for end in group] + [x for h in near(y) for x in (h["x0"], h["x1"])]
        if len(xs) >= 2:
            added.append(h_edge(min(xs), max(xs), y))
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


class GridBuilder:
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
        self.chars: dict[tuple[int, int], list[Char]] = {}

    def take(self, char: Char) -> bool:
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

    def to_grid(self, page: int) -> Grid:
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
        return Grid(rows, self.bbox, page)


def edges_to_tables(edges: list[Edge], bbox: Bbox) -> list[GridBuilder]:
    """Given the page's edges, return the tables pdfplumber's TableFinder sees (two columns or more)."""
    orientations = Counter(e["orientation"] for e in edges)
    if orientations["h"] < 2 or orientations["v"] < 2:
        return []
    edges = merge_edges(edges, SNAP_PT, SNAP_PT, SNAP_PT, SNAP_PT)  # as TableFinder will: fewer, longer edges
    edges += close_open_ends(edges)
    finder = TableFinder(_EdgePage(edges, bbox), TABLE_SETTINGS)  # type: ignore[arg-type]
    builders = [GridBuilder(table.cells) for table in finder.tables]
    return [b for b in builders if len(b.xs) > 2]


# --- pages ---------------------------------------------------------------------------------------


def chars_to_page(number: int, height: float, chars: list[Char], tables: list[GridBuilder]) -> Page:
    """Given a page's chars and tables, return the page: grids and text lines sorted top to bottom."""
    loose = [c for c in chars if not any(t.take(c) for t in tables)]
    items: list[TextLine | Grid] = [t.to_grid(number) for t in tables]
    for line in chars_to_lines(loose):
        items.append(TextLine(line_to_text(line), _bbox_of(line), number))
    items.sort(key=lambda item: (item.bbox[1], item.bbox[0]))
    return Page(number, height, items, len(chars))


def geometry_to_page(number: int, size: tuple[float, float], chars: list[Char], edges: list[Edge]) -> Page:
    """Given a page's number, (width, height), chars and edges, return the page; no text means no tables."""
    width, height = size
    tables = edges_to_tables(edges, (0.0, 0.0, width, height)) if chars else []
    return chars_to_page(number, height, chars, tables)


def _furniture_key(line: TextLine, height: float) -> str | None:
    """The digit-blind text of a line in the top or bottom margin, the form running headers repeat in."""
    if line.bbox[3] > MARGIN_SHARE * height and line.bbox[1] < (1 - MARGIN_SHARE) * height:
        return None
    return _DIGITS.sub("#", _SPACES.sub("", line.text))


def drop_furniture(pages: list[Page]) -> None:
    """Remove page-number lines, and margin lines repeated on most pages (running headers and footers)."""
    counts: Counter[str] = Counter()
    for page in pages:
        keys = {_furniture_key(item, page.height) for item in page.items if isinstance(item, TextLine)}
        counts.update(key for key in keys if key is not None)
    repeated = {key for key, n in counts.items() if n >= max(2, REPEATED_PAGE_SHARE * len(pages))}
    for page in pages:
        page.items = [item for item in page.items if not (
            isinstance(item, TextLine)
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


def pages_to_blocks(pages: list[Page]) -> list[Block]:
    """Given all pages of a file in order, drop their furniture and return the blocks in reading order.

    A table continued at the top of the next page is stitched on to the table before it.
    """
    drop_furniture(pages)
    blocks: list[Block] = []
    for page in pages:
        for position, item in enumerate(page.items):
            if isinstance(item, TextLine):
                blocks.append(Paragraph(item.text, _at(item.page, item.bbox)))
                continue
            last = blocks[-1] if blocks else None
            if position == 0 and isinstance(last, Table) and len(last.rows[0]) == len(item.rows[0]):
                last.rows.extend(_drop_repeated_header(item.rows, last))
                last.at.setdefault("pages", [last.at["page"]]).append(item.page)
                continue
            blocks.append(Table(item.rows, _at(item.page, item.bbox)))
    return blocks

