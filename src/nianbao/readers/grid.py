"""Ruling-line edges → table grids: pdfplumber's table finder gives the cells, merged cells are expanded into a full
grid, and each char is filed under the cell holding its centre.

Knows no file format. The cells are found by pdfplumber's ``TableFinder`` through a stand-in page that has only
``edges`` and ``bbox``; a position a merged cell covers holds an empty cell.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pdfplumber.table import TableFinder, merge_edges

from ..document import TextCell
from ..settings import PageSettings
from .chars import Bbox, Char, chars_to_lines, lines_to_text, page_at
from .edges import Edge, cell_sides, close_open_ends, close_open_sides


@dataclass(slots=True)
class Grid:
    """A table found on one page: rows of cells, merged cells expanded."""

    rows: list[list[TextCell]]
    bbox: Bbox
    page: int
    xs: tuple[float, ...] = ()
    """The x of its column boundaries, left to right."""


class _EdgePage:
    """The two attributes of a pdfplumber Page that TableFinder reads with the "lines" strategies."""

    def __init__(self, edges: list[Edge], bbox: Bbox) -> None:
        self.edges = edges
        self.bbox = bbox


def _boundaries(values: list[float], slack: float) -> list[float]:
    """Sorted distinct coordinates, values closer than ``slack`` merged."""
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > slack:
            out.append(value)
    return out


def _index(bounds: list[float], value: float) -> int:
    """Index of the boundary nearest to value."""
    i = bisect_right(bounds, value)
    if i > 0 and (i == len(bounds) or value - bounds[i - 1] <= bounds[i] - value):
        return i - 1
    return i


def _area(box: Bbox) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


class GridBuilder:
    """Turns pdfplumber table cells into a full grid: every position knows the cell covering it.

    Smaller cells are placed first: where a page break leaves a table's outer border open below its last row,
    the closing line makes one more "cell" around that row's cells, which must not swallow them.
    """

    def __init__(self, cells: list[Bbox], settings: PageSettings) -> None:
        self.cells = cells
        self.settings = settings
        self.xs = _boundaries([c[0] for c in cells] + [c[2] for c in cells], settings.axis_slack_pt)
        self.ys = _boundaries([c[1] for c in cells] + [c[3] for c in cells], settings.axis_slack_pt)
        self.bbox: Bbox = (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])
        rows, cols = len(self.ys) - 1, len(self.xs) - 1
        self.owner = [[-1] * cols for _ in range(rows)]
        self.origin: dict[tuple[int, int], int] = {}  # top-left position of each cell → its index
        self.position: dict[int, tuple[int, int]] = {}  # and back
        for k in sorted(range(len(cells)), key=lambda k: _area(cells[k])):
            x0, top, x1, bottom = cells[k]
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
                    row.append(TextCell("", page_at(page, position), merged=True))
                    continue
                chars = self.chars.get((r, c), [])
                text = lines_to_text(chars_to_lines(chars, self.settings), self.settings) if chars else ""
                row.append(TextCell(text, page_at(page, self.cells[k] if k != -1 else position)))
            rows.append(row)
        return Grid(rows, self.bbox, page, tuple(self.xs))


def _cuts(side: Edge, chars: Sequence[Char]) -> bool:
    """Whether a vertical edge runs through a char (one whose centre lies between its top and bottom)."""
    x, top, bottom = side["x0"], side["top"], side["bottom"]
    return any(c.x0 < x < c.x1 and top < (c.top + c.bottom) / 2 < bottom for c in chars)  # type: ignore[operator]


def table_settings(settings: PageSettings) -> dict[str, object]:
    """pdfplumber's TableFinder settings: cells from ruling lines only, lines within ``snap_pt`` meeting."""
    snap = settings.snap_pt
    return {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": snap,
            "join_tolerance": snap, "intersection_tolerance": snap}


def edges_to_tables(edges: list[Edge], bbox: Bbox, settings: PageSettings,
                    chars: Sequence[Char] = ()) -> list[GridBuilder]:
    """Given the page's edges (and its chars), return the tables pdfplumber's TableFinder sees (two columns or
    more); the sides of cells that only the ends of their horizontal borders show (``edges.cell_sides``) are
    added where no char stands across them."""
    orientations = Counter(e["orientation"] for e in edges)
    if orientations["h"] < 2 or orientations["v"] < 2:
        return []
    snap = settings.snap_pt
    sides = cell_sides(edges, snap, settings.axis_slack_pt, settings.sides_max_segments)
    edges = edges + [side for side in sides if not _cuts(side, chars)]
    edges = merge_edges(edges, snap, snap, snap, snap)  # as TableFinder will: fewer, longer edges
    edges += close_open_ends(edges, snap)
    edges += close_open_sides(edges, snap)
    finder = TableFinder(_EdgePage(edges, bbox), table_settings(settings))  # type: ignore[arg-type]
    builders = [GridBuilder(table.cells, settings) for table in finder.tables]
    return [b for b in builders if len(b.xs) > 2]
