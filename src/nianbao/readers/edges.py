"""Vector paths → ruling-line edges: straight axis-aligned strokes and thin filled bars as pdfplumber edge dicts,
the edges that close the rows a page break leaves open, and the cell sides that the ends of cells' own borders
show in a table drawn without lines between its columns.

Knows no file format: the PDF and OFD readers give each visible path's subpaths in page points (top-left origin);
the scan reader makes its edges from pixels (``ruling``). ``grid`` turns the edges into tables.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from itertools import pairwise
from typing import Any

from ..settings import PageSettings
from .chars import ROUND_DIGITS, Bbox

Edge = dict[str, object]
"""A pdfplumber edge: x0, x1, top, bottom, width, height, orientation ("h" or "v"), object_type."""
Subpath = list[tuple[float, float, bool]]
"""Points of one subpath in page space, each flagged True when a straight line reaches it."""


def h_edge(x0: float, x1: float, y: float) -> Edge:
    """A horizontal edge from x0 to x1 at height y."""
    return {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0,
            "orientation": "h", "object_type": "line"}


def v_edge(x: float, top: float, bottom: float) -> Edge:
    """A vertical edge from top to bottom at x."""
    return {"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top,
            "orientation": "v", "object_type": "line"}


def box_to_edge(box: Bbox, settings: PageSettings) -> Edge | None:
    """Given the box of a segment or a bar, return its edge: None when it is neither thin nor axis-aligned."""
    x0, top, x1, bottom = box
    width, height = x1 - x0, bottom - top
    slack, thin = settings.axis_slack_pt, settings.thin_fill_pt
    if height <= slack or (height <= thin and width > height):
        return h_edge(x0, x1, (top + bottom) / 2)
    if width <= slack or (width <= thin and height > width):
        return v_edge((x0 + x1) / 2, top, bottom)
    return None


def _box(ax: float, ay: float, bx: float, by: float) -> Bbox:
    return (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))


def _stroke_edges(subpaths: list[Subpath], settings: PageSettings) -> list[Edge]:
    edges = []
    for points in subpaths:
        for (ax, ay, _), (bx, by, straight) in pairwise(points):
            if straight:
                edge = box_to_edge(_box(ax, ay, bx, by), settings)
                if edge and (edge["width"] or edge["height"]):
                    edges.append(edge)
    return edges


def _fill_edges(subpaths: list[Subpath], settings: PageSettings) -> list[Edge]:
    """Thin filled rectangles are ruling lines, and so are thin bars with mitred ends (a table's outset or inset
    border side, whose corners are cut on the diagonal); wider fills are shading and give no edge."""
    edges = []
    for points in subpaths:
        xs = {round(p[0], ROUND_DIGITS) for p in points}
        ys = {round(p[1], ROUND_DIGITS) for p in points}
        if len(points) >= 4 and min(len(xs), len(ys)) <= 2 and all(p[2] for p in points[1:]):
            edge = box_to_edge((min(xs), min(ys), max(xs), max(ys)), settings)
            if edge and (edge["width"] or edge["height"]):
                edges.append(edge)
    return edges


def subpaths_to_edges(subpaths: list[Subpath], stroked: bool, settings: PageSettings) -> list[Edge]:
    """Given a visible path's subpaths in page space, return its edges: every straight axis-aligned stroke
    when stroked, else each thin filled rectangle."""
    return _stroke_edges(subpaths, settings) if stroked else _fill_edges(subpaths, settings)


_End = tuple[float, float, float, float]
"""An open end: its (y, x) and the top and bottom of the line it ends."""


def _coverage(edges: list[dict[str, Any]], snap: float) -> list[tuple[float, float]]:
    """The spans of height the vertical edges cover, overlapping ones (within ``snap``) merged, top to bottom."""
    spans: list[tuple[float, float]] = []
    for top, bottom in sorted((e["top"], e["bottom"]) for e in edges if e["orientation"] == "v"):
        if spans and top <= spans[-1][1] + snap:
            spans[-1] = (spans[-1][0], max(spans[-1][1], bottom))
        else:
            spans.append((top, bottom))
    return spans


def _bridged(spans: list[tuple[float, float]], starts: list[float], top: float, bottom: float, snap: float) -> bool:
    """Whether one covered span (of ``spans``, which start at ``starts``) holds the heights from top to bottom."""
    at = bisect_right(starts, top + snap) - 1
    return at >= 0 and spans[at][1] + snap >= bottom


def _turned(edge: dict[str, Any]) -> Edge:
    """The edge mirrored over the diagonal (x and y swapped): a horizontal edge becomes a vertical one."""
    if edge["orientation"] == "h":
        return v_edge(edge["top"], edge["x0"], edge["x1"])
    return h_edge(edge["top"], edge["bottom"], edge["x0"])


def close_open_sides(edges: list[dict[str, Any]], snap: float) -> list[Edge]:
    """Given edges, return the vertical edges that close a table's sides left undrawn (a table ruled by its inner
    lines only): the left and right ends of horizontal edges that no vertical edge crosses (``_open_ends`` of the
    edges turned over), at the same x, joined where vertical lines cover the heights between them (the rows of
    one table; never the gap between two tables)."""
    ends, _ = _open_ends([_turned(e) for e in edges], snap)
    spans = _coverage(edges, snap)
    starts = [start for start, _ in spans]
    added: list[Edge] = []
    for group in _clusters(sorted(ends), snap):
        x = sum(end[0] for end in group) / len(group)
        ys = sorted(end[1] for end in group)
        start = ys[0]
        for upper, lower in pairwise(ys):
            if not _bridged(spans, starts, upper, lower, snap):
                added += [v_edge(x, start, upper)] if upper > start else []
                start = lower
        added += [v_edge(x, start, ys[-1])] if ys[-1] > start else []
    return added


def _open_ends(edges: list[dict[str, Any]], snap: float
               ) -> tuple[list[_End], Callable[[float, float], list[dict[str, Any]]]]:
    """The (y, x, top, bottom) of the tops and bottoms of vertical edges (from top to bottom) that no horizontal
    edge crosses, of the vertical edges that meet a horizontal one somewhere (one that meets none, a dash of a
    dashed border, a scanner's shadow along the paper's edge, a bar in the margin, is no table's line); and the
    horizontal edges near a span of height."""
    horizontal = sorted((e for e in edges if e["orientation"] == "h"), key=lambda e: e["top"])
    tops = [h["top"] for h in horizontal]

    def near(top: float, bottom: float) -> list[dict[str, Any]]:
        return horizontal[bisect_left(tops, top - snap):bisect_right(tops, bottom + snap)]

    def meets(v: dict[str, Any], top: float, bottom: float) -> bool:
        return any(h["x0"] - snap <= v["x0"] <= h["x1"] + snap for h in near(top, bottom))

    ends = [(y, v["x0"], v["top"], v["bottom"]) for v in edges if v["orientation"] == "v"
            and meets(v, v["top"], v["bottom"]) for y in (v["top"], v["bottom"]) if not meets(v, y, y)]
    return ends, near


def close_open_ends(edges: list[dict[str, Any]], snap: float) -> list[Edge]:
    """Given edges, return the horizontal edges that close rows left open where a table is cut by a page break.

    An open end is the top or bottom of a vertical edge that no horizontal edge crosses. Open ends at
    the same height are joined by a new horizontal edge, and so is an open end with a horizontal edge
    already drawn at its height (a border drawn only under some columns). Ends within ``snap`` meet.
    Only a vertical edge that meets a horizontal edge somewhere is a table's line: one that meets none (a
    dash of a dashed border, a scanner's shadow along the paper's edge, a bar in the margin) closes nothing,
    else its ends would join the table's rows across the blank paper between them and add a column. The new
    edge is at least as wide as the horizontal edges its vertical edges cross: a table drawn with its inner
    lines only (no frame) is closed under its last row across all its columns, and the one inner line of a
    two-column table closes it too.
    """
    ends, near = _open_ends(edges, snap)
    added: list[Edge] = []
    for group in _clusters(sorted(ends), snap):
        y = sum(end[0] for end in group) / len(group)
        xs = [end[1] for end in group] + [x for h in near(y, y) for x in (h["x0"], h["x1"])]
        xs += [x for _, at, top, bottom in group for h in near(top, bottom)
               if h["x0"] - snap <= at <= h["x1"] + snap for x in (h["x0"], h["x1"])]
        if len(xs) >= 2:
            added.append(h_edge(min(xs), max(xs), y))
    return added


def _clusters(ends: list[_End], snap: float) -> list[list[_End]]:
    """Sorted open ends grouped by y, neighbours closer than ``snap`` in one group."""
    groups: list[list[_End]] = []
    for end in ends:
        if groups and end[0] - groups[-1][-1][0] <= snap:
            groups[-1].append(end)
        else:
            groups.append([end])
    return groups


_Line = tuple[float, list[tuple[float, float]]]
"""A row of horizontal edges at one height: its y and the (x0, x1) of its edges."""


def cell_sides(edges: list[dict[str, Any]], snap: float, slack: float, most: int) -> list[Edge]:
    """Given the edges as drawn (before they are merged), return the vertical edges of the cell sides that the
    horizontal rules' ends show where a framed table draws no line between its columns: a browser prints each
    cell's top and bottom borders as a segment of its own width, so an end of a segment stands at a side of its
    cell.

    Rules closer than ``snap`` form one border; where it is drawn twice (the cells above and below each draw
    their own), its upper line belongs to the cells above and its lower line to those below, a single line to
    both. An end counts where another segment of its line meets it (within ``slack``) or where its line holds
    nothing beyond it (a rule that stops at a cell spanning rows); the ends of a dashed line's dashes do not.
    Only a frame whose vertical lines stand at its two sides and whose rules are drawn cell by cell (segments
    meeting end to end: a rule of one piece shows no cell's side) gets sides. From each end, a side runs to
    the nearest border beyond it, on its cells' side, that reaches that x; where none does within the frame (a
    page break cuts the cell), to the end of the frame. A frame whose rules hold more than ``most`` segments gets
    no sides (the work grows with their square; a crafted page must not stall the reader)."""
    borders = _borders(edges, snap)
    frames = [frame for frame in _coverage(edges, snap) if _bare(edges, frame, snap)
              and _cell_by_cell(inside := [b for b in borders if _inside(b, frame, snap)], slack)
              and sum(len(spans) for border in inside for _, spans in border) <= most]
    added: list[Edge] = []
    for at, border in enumerate(borders):
        frame = next((frame for frame in frames if _inside(border, frame, snap)), None)
        if frame is None:
            continue
        lines = [(border[0], True, True)] if len(border) == 1 else [(border[0], True, False), (border[-1], False, True)]
        for (y, spans), up, down in lines:
            for x in _corners(spans, slack):
                if up and (top := _facing(reversed(borders[:at]), x, snap, frame[0], down=False)) < y - snap:
                    added.append(v_edge(x, top, y))
                if down and (bottom := _facing(borders[at + 1:], x, snap, frame[1], down=True)) > y + snap:
                    added.append(v_edge(x, y, bottom))
    return added


def _inside(border: list[_Line], frame: tuple[float, float], snap: float) -> bool:
    """Whether a border lies within the heights of a frame."""
    return frame[0] - snap <= border[0][0] <= frame[1] + snap


def _cell_by_cell(borders: list[list[_Line]], slack: float) -> bool:
    """Whether the borders are drawn cell by cell: one of their lines is segments meeting end to end."""
    return any(start - end <= slack for border in borders for _, spans in border
               for (_, end), (start, _) in pairwise(spans))


def _bare(edges: list[dict[str, Any]], frame: tuple[float, float], snap: float) -> bool:
    """Whether the vertical edges over a span of height stand at two x at most (a frame's sides, no column lines)."""
    xs = sorted(e["x0"] for e in edges if e["orientation"] == "v" and frame[0] - snap <= e["top"] <= frame[1] + snap)
    return len(_boundaries_of(xs, snap)) <= 2


def _boundaries_of(values: list[float], snap: float) -> list[float]:
    """Sorted values, those closer than ``snap`` to the one before counted once."""
    return [v for i, v in enumerate(values) if i == 0 or v - values[i - 1] > snap]


def _borders(edges: list[dict[str, Any]], snap: float) -> list[list[_Line]]:
    """The horizontal edges as lines (one height each), lines closer than ``snap`` grouped, top down."""
    rows: dict[float, list[tuple[float, float]]] = {}
    for e in edges:
        if e["orientation"] == "h":
            rows.setdefault(round(e["top"], ROUND_DIGITS), []).append((e["x0"], e["x1"]))
    borders: list[list[_Line]] = []
    for y in sorted(rows):
        if borders and y - borders[-1][-1][0] <= snap:
            borders[-1].append((y, sorted(rows[y])))
        else:
            borders.append([(y, sorted(rows[y]))])
    return borders


def _corners(spans: list[tuple[float, float]], slack: float) -> set[float]:
    """The ends of a line's segments (sorted) that another one meets within ``slack``, or that nothing lies beyond."""
    corners = {spans[0][0], spans[-1][1]}
    for (_, end), (start, _) in pairwise(spans):
        if start - end <= slack:
            corners.add(end)
    return corners


def _facing(borders: Iterable[list[_Line]], x: float, snap: float, limit: float, down: bool) -> float:
    """The y of the first of the borders (in order, going ``down`` or up, to ``limit``) that reaches x: of its
    line nearest the start; ``limit`` when none does before it."""
    for border in borders:
        near = border[0][0] if down else border[-1][0]
        if (near > limit) if down else (near < limit):
            break
        if any(x0 - snap <= x <= x1 + snap for _, spans in border for x0, x1 in spans):
            return near
    return limit
