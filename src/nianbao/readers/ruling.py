"""A grey page → the page turned straight, its ruling lines as edges in points, and its ink without them.

OpenCV morphology keeps the long horizontal and vertical strokes of the ink (adaptive threshold); the long
horizontal ones give the skew angle (the page is turned straight when it is skewed a little), and then each thin
stroke becomes one edge along its centre. Shorter vertical strokes that close a row between two horizontal lines
at both its ends are its sides (a table of one row). ``grid`` turns the edges into tables, ``ocr`` reads the other
ink.
"""

from __future__ import annotations

import math
import statistics
from typing import TYPE_CHECKING, NamedTuple, cast

from ..settings import ScanSettings
from .edges import Edge, h_edge, v_edge

if TYPE_CHECKING:
    from .raster import Pixels

def _odd(n: float) -> int:
    return max(3, round(n) | 1)


def _rule_masks(pixels: Pixels, pt_per_px: float, settings: ScanSettings) -> tuple[Pixels, Pixels, Pixels]:
    """The ink, and of it the horizontal and the vertical ruling-line pixels: straight runs at least ``min_rule_pt``
    long.

    Ink is first thickened by a pixel across each direction, so that a thin line still makes long runs
    when the page is slightly skewed.
    """
    import cv2
    import numpy as np

    ink = cv2.adaptiveThreshold(pixels, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                _odd(settings.binary_block_pt / pt_per_px), settings.binary_offset)
    length = max(2, round(settings.min_rule_pt / pt_per_px))
    across = np.ones((3, 1), np.uint8)
    rect = cv2.MORPH_RECT
    horizontal = cv2.morphologyEx(cv2.dilate(ink, across), cv2.MORPH_OPEN, cv2.getStructuringElement(rect, (length, 1)))
    vertical = cv2.morphologyEx(cv2.dilate(ink, across.T), cv2.MORPH_OPEN, cv2.getStructuringElement(rect, (1, length)))
    return ink, horizontal, vertical


def skew_angle(horizontal: Pixels, settings: ScanSettings) -> float:
    """Given the horizontal-line mask, return the median angle of its long lines (``skew_line_share`` of the page
    width at least) in degrees (clockwise > 0)."""
    import cv2

    angles = []
    contours, _ = cv2.findContours(horizontal, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    for contour in contours:
        if cv2.boundingRect(contour)[2] >= settings.skew_line_share * horizontal.shape[1]:
            vx, vy, _, _ = cv2.fitLine(contour, cv2.DIST_L2, 0, 0.01, 0.01).ravel()
            angles.append(math.degrees(math.atan2(vy, vx) if vx >= 0 else math.atan2(-vy, -vx)))
    return statistics.median(angles) if angles else 0.0


def _turn(pixels: Pixels, angle: float) -> Pixels:
    """The page turned about its centre by ``angle`` degrees counter-clockwise, new corners white."""
    import cv2

    height, width = pixels.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(pixels, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)


def _mask_to_edges(mask: Pixels, horizontal: bool, pt_per_px: float, thickest: float) -> list[Edge]:
    """Each thin connected stroke (``thickest`` points at most) of a line mask as one edge along its centre, in
    points."""
    import cv2

    edges = []
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    for x, y, w, h, _ in stats[1:].tolist():
        thickness = (h if horizontal else w) * pt_per_px
        if thickness > thickest:
            continue
        x0, top, x1, bottom = (v * pt_per_px for v in (x, y, x + w, y + h))
        edges.append(h_edge(x0, x1, (top + bottom) / 2) if horizontal else v_edge((x0 + x1) / 2, top, bottom))
    return edges


class Scan(NamedTuple):
    """A grey page turned straight, its ruling lines as edges in points, and its ink without the ruling lines."""

    pixels: Pixels
    edges: list[Edge]
    text_ink: Pixels


def find_rules(pixels: Pixels, pt_per_px: float, settings: ScanSettings) -> Scan:
    """Given a grey page, return it turned straight when skewed (between ``min_skew_deg`` and ``max_skew_deg``),
    with its ruling lines and its other ink."""
    ink, horizontal, vertical = _rule_masks(pixels, pt_per_px, settings)
    angle = skew_angle(horizontal, settings)
    if settings.min_skew_deg <= abs(angle) <= settings.max_skew_deg:
        pixels = _turn(pixels, angle)
        ink, horizontal, vertical = _rule_masks(pixels, pt_per_px, settings)
    thickest = settings.max_rule_pt
    rules = _mask_to_edges(horizontal, True, pt_per_px, thickest)
    sides, side_pixels = _row_sides(ink, rules, pt_per_px, settings)
    ink[(horizontal | vertical | side_pixels) > 0] = 0
    edges = rules + _mask_to_edges(vertical, False, pt_per_px, thickest) + sides
    return Scan(pixels, edges, ink)


def _row_sides(ink: Pixels, rules: list[Edge], pt_per_px: float, settings: ScanSettings) -> tuple[list[Edge], Pixels]:
    """The side lines of rows too short to be told from glyph strokes by length (``min_rule_pt``; a table of one
    row, alone at the top of a page): vertical strokes of ``min_row_side_pt`` at least that run from one horizontal
    ruling line to the next, between two lines that such strokes close at both ends. Their edges, and their
    pixels (to take out of the text's ink)."""
    import cv2
    import numpy as np

    length = max(2, round(settings.min_row_side_pt / pt_per_px))
    rect = cv2.getStructuringElement(cv2.MORPH_RECT, (1, length))
    strokes = cv2.morphologyEx(cv2.dilate(ink, np.ones((1, 3), np.uint8)), cv2.MORPH_OPEN, rect)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(strokes, connectivity=8)
    slack = settings.max_rule_pt
    by_pair: dict[tuple[int, int], list[tuple[int, Edge]]] = {}
    for label in range(1, count):
        x, y, w, h, _ = stats[label].tolist()
        if w * pt_per_px > slack or h * pt_per_px >= settings.min_rule_pt:
            continue  # a filled area, or a side long enough to be found as a ruling line
        edge = v_edge((x + w / 2) * pt_per_px, y * pt_per_px, (y + h) * pt_per_px)
        top, bottom = (_rule_at(rules, _at(edge, "x0"), _at(edge, end), slack) for end in ("top", "bottom"))
        if top is not None and bottom is not None and top != bottom:
            by_pair.setdefault((top, bottom), []).append((label, edge))
    kept = [(label, edge) for pair, found in by_pair.items() if _closed(rules, pair, found, slack)
            for label, edge in found]
    return [edge for _, edge in kept], np.isin(labels, [label for label, _ in kept]).astype(np.uint8)


def _at(edge: Edge, key: str) -> float:
    return cast(float, edge[key])


def _rule_at(rules: list[Edge], x: float, y: float, slack: float) -> int | None:
    """The index of the horizontal ruling line that passes within ``slack`` of (x, y), if any."""
    for i, rule in enumerate(rules):
        if abs(_at(rule, "top") - y) <= slack and _at(rule, "x0") - slack <= x <= _at(rule, "x1") + slack:
            return i
    return None


def _closed(rules: list[Edge], pair: tuple[int, int], strokes: list[tuple[int, Edge]], slack: float) -> bool:
    """Whether strokes between the two ruling lines of ``pair`` stand at both ends of each: a row's two sides."""
    xs = [_at(edge, "x0") for _, edge in strokes]
    return len(xs) >= 2 and all(abs(min(xs) - _at(rules[i], "x0")) <= slack
                                and abs(max(xs) - _at(rules[i], "x1")) <= slack for i in pair)
