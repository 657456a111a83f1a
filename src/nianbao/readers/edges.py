"""Vector paths → ruling-line edges: straight axis-aligned strokes and thin filled bars as pdfplumber edge dicts,
and the edges that close the rows a page break leaves open.

Knows no file format: the PDF and OFD readers give each visible path's subpaths in page points (top-left origin);
the scan reader makes its edges from pixels (``ruling``). ``grid`` turns the edges into tables.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
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
    """Thin filled rectangles are ruling lines; wider fills are shading and give no edge."""
    edges = []
    for points in subpaths:
        xs = {round(p[0], ROUND_DIGITS) for p in points}
        ys = {round(p[1], ROUND_DIGITS) for p in points}
        if len(points) >= 4 and len(xs) <= 2 and len(ys) <= 2 and all(p[2] for p in points[1:]):
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
