"""A grey page → the page turned straight, its ruling lines as edges in points, and its ink without them.

OpenCV morphology keeps the long horizontal and vertical strokes of the ink (adaptive threshold); the long
horizontal ones give the skew angle (the page is turned straight when it is skewed a little), and then each thin
stroke becomes one edge along its centre. ``grid`` turns the edges into tables, ``ocr`` reads the other ink.
"""

from __future__ import annotations

import math
import statistics
from typing import TYPE_CHECKING, NamedTuple

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
    ink[(horizontal | vertical) > 0] = 0
    thickest = settings.max_rule_pt
    edges = _mask_to_edges(horizontal, True, pt_per_px, thickest) + _mask_to_edges(vertical, False, pt_per_px, thickest)
    return Scan(pixels, edges, ink)
