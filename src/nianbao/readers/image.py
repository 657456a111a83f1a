"""Scanned page images (PNG, JPEG, TIFF …) → Document: OCR'd text and ruling lines fed to the shared grid engine.

It knows nothing about annual reports and reads no vector PDF or OFD itself: pdf.py and ofd.py decide which of
their pages are scans (``is_scanned_page``), hand them over as pixels and have them read by ``ocr_scanned_pages``.
OCR needs the optional [ocr] extra (rapidocr, onnxruntime, opencv-python-headless); without it a scan is refused
with a message naming the file and the install command. The OCR models are the ones inside the rapidocr wheel,
loaded by path: nothing is ever downloaded.

How: each page is turned to grey and scaled to at most WORK_DPI. OpenCV morphology keeps the long horizontal and
vertical strokes; they give the skew angle (the page is turned straight) and then the ruling-line edges. rapidocr's
detector finds the text boxes on the page scaled down to DET_DPI; each box is fitted to its ink along the line
(ruling lines and specks left out; a box without ink is dropped) and read by rapidocr's recognizer, long lines
narrowed first; each box is split into per-character boxes in proportion to the characters' widths. Pixels become
points (72 per inch), so ``at`` bboxes are in points like the PDF reader's.

A page of a PDF or OFD is a scan when it has no text, or when pictures cover most of it and its text layer holds
too few distinct CJK ideographs to be a report page (a page number, a watermark, a scanner app's caption, an
invisible OCR layer of Latin garbage); a page of real text keeps the fast text path.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import statistics
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from ..document import UNREADABLE, Document
from ..errors import NianbaoError
from ..settings import Settings
from .geometry import (
    Bbox,
    Char,
    Edge,
    GridBuilder,
    Page,
    chars_to_page,
    edges_to_tables,
    h_edge,
    is_wide,
    pages_to_blocks,
    v_edge,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray
    from rapidocr.ch_ppocr_det import TextDetector
    from rapidocr.ch_ppocr_rec import TextRecognizer

    Pixels = NDArray[Any]
    """A grey page: rows of uint8 values, 0 (black) … 255 (white)."""

Matrix = tuple[float, float, float, float, float, float]
"""X = a*x + c*y + e, Y = b*x + d*y + f, as PDF and OFD write matrices."""

POINTS_PER_INCH = 72
WORK_DPI = 200  # pages are OCR'd at this resolution at most (finer scans are scaled down first)
DEFAULT_DPI = 200  # the resolution assumed for an image that does not state a plausible one
MIN_STATED_DPI = 100  # a stated resolution below this is a screen default (72/96 dpi), not the scan's
MAX_PIXELS = 120_000_000  # larger images are refused (decompression bombs); an A4 page at 600 dpi is 35 M
MAX_FRAMES = 500  # at most this many pages of a multi-page TIFF are read
INK_LEVEL = 160  # a grey value at or below this is ink; a page without any is blank and skipped
BINARY_BLOCK_PT = 18.0  # window of the adaptive threshold that separates ink from paper
BINARY_OFFSET = 15  # how much darker than its surroundings a pixel must be to count as ink
MIN_RULE_PT = 24.0  # a straight stroke at least this long is a ruling line (longer than any glyph stroke)
MAX_RULE_PT = 4.0  # a stroke thicker than this is a filled area, not a ruling line
SKEW_LINE_SHARE = 0.25  # lines at least this share of the page width long give the skew angle
MIN_SKEW_DEG = 0.05  # pages skewed less than this are left as they are
MAX_SKEW_DEG = 5.0  # a larger angle is not skew: nothing is turned
NARROW_WIDTH = 0.5  # width of a Latin letter, digit or space relative to a CJK character, for splitting boxes
VERTICAL_RATIO = 1.5  # a text box at least this many times taller than wide holds a column of characters
LOOK_ALIKES = {("一", "tall"): "1", ("1", "slanted"): "/"}
"""What a box read alone as the text holds, by the shape of its ink: an upright stroke read as 一 is the digit 1,
a stroke leaning right read as 1 is a slash."""
CELL_LOOK_ALIKES = {"一": "—"}
"""What a table cell read as this text alone holds: a dash (no table cell holds the ideograph 一 alone)."""
SLASH_LEAN = 0.25  # ink whose centre moves left by at least this share of its drop, top to bottom, leans right
SCAN_COVERAGE = 0.5  # pictures covering at least this share of a page make it a scan unless its text says otherwise
MIN_CONTENT_IDEOGRAPHS = 20  # a text layer with fewer distinct ideographs (a tiled watermark counts once) is no page
CJK_IDEOGRAPHS = (("\u3400", "\u4dbf"), ("\u4e00", "\u9fff"), ("\uf900", "\ufaff"))
UNIT_SQUARE = ((0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0))  # a placed picture's own space
DET_DPI = 140  # text is detected at this resolution: 7 pt digits are still found, and half the pixels of WORK_DPI
MAX_DET_SIDE = 4000  # a page whose side at DET_DPI would be longer is detected smaller still (memory)
SQUEEZE_FROM = 4.0  # a line image longer than this many times its height is narrowed before it is read …
LINE_SQUEEZE = 0.7  # … to this share of its length, never below SQUEEZE_FROM heights: recognition costs per column
MIN_INK_PT2 = 0.75  # an ink speck smaller than this (square points) is noise, not text
DET_MARGIN_PT = 12.0  # the detector sees the extent of the page's text and this much paper around it, not the margins
TEXT_SCORE = 0.5  # a line read with less confidence is dropped (rapidocr's own default)
CELL_INSET_PT = 2.0  # a table cell's inside: its box less this much on every side (ruling lines and their blur)
PRINT_INK_PT2 = 3.0  # a blot at least this large (square points) inside a cell OCR left blank is print, not a speck
RETRY_MARGIN = 0.5  # a blank cell's ink is cut out with this share of its height as margin before it is read again
RETRY_SCALES = (2.0, 3.0)  # the ink of a cell OCR left blank is read again enlarged this many times, grey then black
MIN_REREAD_PT = 3.0  # a second reading is taken only from print at least this tall (a digit; not a dash or a smudge)
DASH_MAX_PT = 2.5  # a cell's print that is one bar at most this thick …
DASH_MIN_RATIO = 1.5  # … and at least this many times as long is a dash, …
EM_DASH_MIN_PT = 6.0  # … an em dash (—) when at least this long (one em of a table's type), else a hyphen (-)
OCR_SETTINGS: dict[str, Any] = {
    "Global.log_level": "error",  # not "text detection result is empty" for each blank region
    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    "Det.limit_type": "max",  # pages come scaled to DET_DPI: only a side over MAX_DET_SIDE is scaled again
    "Det.limit_side_len": MAX_DET_SIDE,
    "Rec.rec_img_shape": [3, 48, 64],  # pad each recognition batch to its widest box, not to 320 px: half the time
    "Rec.rec_batch_num": 6,  # boxes sorted by width, six at a time: larger batches pad more and were no faster
}
"""rapidocr parameters, tuned for speed on report pages at WORK_DPI (see bench/bench_formats.py)."""
OCR_MODELS = {"Det": "PP-OCRv6_det_small.onnx", "Rec": "PP-OCRv6_rec_small.onnx"}
"""The model files the rapidocr wheel ships, by the task that uses them."""
INSTALL_HINT = "pip install 'nianbao[ocr]'"
_NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?")
_NOTHING = frozenset({"无", "/"})
"""Tokens stating nothing that a second reading may give (dashes are told by their shape, see ``_dash``)."""

_ENGINE: dict[str, Models] = {}
_ENGINE_LOCK = threading.Lock()  # guards the creation of the engine
_OCR_LOCK = threading.Lock()  # one model run at a time: onnxruntime already uses every core


class Models(NamedTuple):
    """rapidocr's text detector and text recognizer, loaded from the model files inside its wheel."""

    detector: TextDetector
    recognizer: TextRecognizer


Box = tuple[int, int, int, int]
"""x0, top, x1, bottom in pixels."""


class TextBox(NamedTuple):
    """A text box OCR read: its text, its box fitted to its ink along the line, whether the line runs down
    (the detected box is at least VERTICAL_RATIO times taller than wide), and the shape of its ink ("tall",
    "flat" or "slanted"; None: judge by the box)."""

    text: str
    box: Box
    vertical: bool = False
    shape: str | None = None


Fitted = tuple[Box, bool, str]
"""A text box fitted to its ink along the line, whether the line runs down, and the shape of its ink."""


# --- the OCR extra ------------------------------------------------------------------------------


def require_ocr(path: str) -> None:
    """Raise a NianbaoError naming the file when the [ocr] extra is not installed."""
    try:
        import cv2  # noqa: F401
        import onnxruntime  # noqa: F401
        import rapidocr  # noqa: F401
    except ImportError as exc:
        reason = f"reading scans needs OCR, and the package '{exc.name}' is missing: {INSTALL_HINT}"
        raise NianbaoError(path, "missing_dependency", reason) from None


def _engine(path: str) -> Models:
    """The process's OCR models, loaded on first use from the model files inside the rapidocr wheel.

    They are loaded by rapidocr's own loaders, so that they are configured as its pipeline would configure them;
    the pipeline itself is not used: this module scales, crops and narrows the images they see.
    """
    require_ocr(path)
    with _ENGINE_LOCK:
        if "ocr" not in _ENGINE:
            import rapidocr

            models = Path(rapidocr.__file__).parent / "models"
            paths = {task: models / name for task, name in OCR_MODELS.items()}
            absent = [str(p) for p in paths.values() if not p.is_file()]
            if absent:
                raise NianbaoError(path, "missing_dependency",
                                   f"the rapidocr package has no model file {', '.join(absent)}: {INSTALL_HINT}")
            params = {**OCR_SETTINGS, "EngineConfig.onnxruntime.intra_op_num_threads": os.cpu_count() or 1}
            params.update({f"{task}.model_path": str(p) for task, p in paths.items()})
            engine = rapidocr.RapidOCR(params=params)
            _ENGINE["ocr"] = Models(engine._load_det_model(), engine._load_rec_model())
        return _ENGINE["ocr"]


# --- images --------------------------------------------------------------------------------------


def decode_image(data: bytes, path: str) -> Iterator[tuple[Pixels, float]]:
    """Given image bytes, yield each page (TIFF frame) as grey pixels at WORK_DPI at most, with points per pixel.

    Frames are decoded one at a time, so a long multi-page scan never sits in memory whole.
    """
    with _decoding(path):
        picture = _open(data, path)
        dpi = _stated_dpi(picture)
        for frame in itertools.islice(ImageSequence.Iterator(picture), MAX_FRAMES):
            yield _at_most_work_dpi(_grey(frame), dpi)


def decode_picture(data: bytes, path: str) -> Pixels:
    """Given image bytes, return the (first) picture as grey pixels at its own resolution: a picture on a page."""
    import numpy as np

    with _decoding(path):
        return np.asarray(_grey(_open(data, path)), dtype=np.uint8)


@contextmanager
def _decoding(path: str) -> Iterator[None]:
    """Turns the errors of decoding an image into a NianbaoError naming the file."""
    try:
        yield
    except Image.DecompressionBombError as exc:
        raise NianbaoError(path, "too_large", f"image refused as a decompression bomb: {exc}") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise NianbaoError(path, "corrupt", f"corrupt or truncated image: {exc}") from None


def _open(data: bytes, path: str) -> Image.Image:
    """The image, not yet decoded; refused when it has more than MAX_PIXELS pixels."""
    picture = Image.open(BytesIO(data))
    if picture.width * picture.height > MAX_PIXELS:
        raise NianbaoError(path, "too_large", f"image of {picture.width}×{picture.height} pixels is larger than "
                                              f"the limit of {MAX_PIXELS} pixels")
    return picture


def _stated_dpi(picture: Image.Image) -> float:
    """The horizontal resolution the file states, or DEFAULT_DPI when it states none or a screen default."""
    stated = picture.info.get("dpi", (0, 0))[0]
    return float(stated) if stated and float(stated) >= MIN_STATED_DPI else float(DEFAULT_DPI)


def _grey(frame: Image.Image) -> Image.Image:
    """A frame upright (EXIF orientation), on white where it is transparent, in grey."""
    frame = ImageOps.exif_transpose(frame)
    if frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info:
        frame = Image.alpha_composite(Image.new("RGBA", frame.size, "white"), frame.convert("RGBA"))
    return frame.convert("L")


def _at_most_work_dpi(grey: Image.Image, dpi: float) -> tuple[Pixels, float]:
    """A grey frame scanned at ``dpi`` as pixels scaled to at most WORK_DPI, with points per pixel."""
    import numpy as np

    if dpi > WORK_DPI:
        scale = WORK_DPI / dpi
        grey = grey.resize((max(1, round(grey.width * scale)), max(1, round(grey.height * scale))),
                           Image.Resampling.LANCZOS)
        dpi = WORK_DPI
    return np.asarray(grey, dtype=np.uint8), POINTS_PER_INCH / dpi


# --- pictures placed on a page -------------------------------------------------------------------


def picture_box(matrix: Matrix) -> Bbox:
    """Given the matrix that maps a picture's unit square to the page, return the box the picture covers."""
    a, b, c, d, e, f = matrix
    xs = [a * x + c * y + e for x, y in UNIT_SQUARE]
    ys = [b * x + d * y + f for x, y in UNIT_SQUARE]
    return min(xs), min(ys), max(xs), max(ys)


def covered_share(boxes: Iterable[Bbox], size: tuple[float, float]) -> float:
    """Given boxes and the page's (width, height), return the share of the page their union covers."""
    width, height = size
    clipped = [(max(x0, 0.0), max(top, 0.0), min(x1, width), min(bottom, height)) for x0, top, x1, bottom in boxes]
    clipped = [box for box in clipped if box[0] < box[2] and box[1] < box[3]]
    if width <= 0 or height <= 0 or not clipped:
        return 0.0
    covered = 0.0
    for left, right in itertools.pairwise(sorted({x for box in clipped for x in (box[0], box[2])})):
        spans = sorted((box[1], box[3]) for box in clipped if box[0] <= left and right <= box[2])
        covered += (right - left) * _spans_length(spans)
    return covered / (width * height)


def _spans_length(spans: list[tuple[float, float]]) -> float:
    """The length of the union of sorted (start, end) spans."""
    total, reach = 0.0, -math.inf
    for start, end in spans:
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


def _is_ideograph(text: str) -> bool:
    return any(low <= text <= high for low, high in CJK_IDEOGRAPHS)


def is_scanned_page(chars: list[Char], pictures: Iterable[Bbox], size: tuple[float, float]) -> bool:
    """Given the characters of a page's text layer, the boxes of its pictures and its (width, height), return
    whether the page is a scan all the same: the text holds fewer than MIN_CONTENT_IDEOGRAPHS distinct CJK
    ideographs (a page number, a watermark tiled over the page, a scanner app's caption, an OCR layer of Latin
    garbage) and the pictures cover at least SCAN_COVERAGE of the page. ``pictures`` is only read for thin text.
    """
    if len({char.text for char in chars if _is_ideograph(char.text)}) >= MIN_CONTENT_IDEOGRAPHS:
        return False
    return covered_share(pictures, size) >= SCAN_COVERAGE


def compose(size: tuple[float, float], pictures: Iterable[tuple[Pixels, Matrix]]) -> tuple[Pixels, float]:
    """Given a page's (width, height) in points and grey pictures, each with the matrix mapping its unit square
    to page points, return the page drawn on white at WORK_DPI (coarser where that would pass MAX_PIXELS), and
    its points per pixel."""
    import numpy as np

    width, height = size
    px_per_pt = min(WORK_DPI / POINTS_PER_INCH, math.sqrt(MAX_PIXELS / max(width * height, 1.0)))
    canvas = np.full((max(1, round(height * px_per_pt)), max(1, round(width * px_per_pt))), 255, np.uint8)
    for pixels, matrix in pictures:
        a, b, c, d, e, f = (v * px_per_pt for v in matrix)
        _place(canvas, pixels, (a, b, c, d, e, f))
    return canvas, 1 / px_per_pt


def _place(canvas: Pixels, pixels: Pixels, matrix: Matrix) -> None:
    """Draw a grey picture on the canvas where ``matrix`` maps its unit square (to canvas pixels); a picture
    finer than the canvas is first shrunk by area averaging."""
    import cv2
    import numpy as np

    a, b, c, d, e, f = matrix
    if abs(a * d - b * c) < 1.0:  # the picture would cover less than a pixel
        return
    height, width = pixels.shape
    shrink_x, shrink_y = min(1.0, math.hypot(a, b) / width), min(1.0, math.hypot(c, d) / height)
    if shrink_x < 1.0 or shrink_y < 1.0:
        size = (max(1, round(width * shrink_x)), max(1, round(height * shrink_y)))
        pixels = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
        height, width = pixels.shape
    ax, cx, ay, cy = a / width, c / height, b / width, d / height  # per picture pixel; centres sit at +0.5
    forward = np.array([[ax, cx, e + (ax + cx - 1) / 2], [ay, cy, f + (ay + cy - 1) / 2]])
    cv2.warpAffine(pixels, forward, (canvas.shape[1], canvas.shape[0]), dst=canvas, flags=cv2.INTER_LINEAR,
                   borderMode=cv2.BORDER_TRANSPARENT)


# --- ruling lines --------------------------------------------------------------------------------


def _odd(n: float) -> int:
    return max(3, round(n) | 1)


def _rule_masks(pixels: Pixels, pt_per_px: float) -> tuple[Pixels, Pixels, Pixels]:
    """The ink, and of it the horizontal and the vertical ruling-line pixels: straight runs at least MIN_RULE_PT long.

    Ink is first thickened by a pixel across each direction, so that a thin line still makes long runs
    when the page is slightly skewed.
    """
    import cv2
    import numpy as np

    ink = cv2.adaptiveThreshold(pixels, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                _odd(BINARY_BLOCK_PT / pt_per_px), BINARY_OFFSET)
    length = max(2, round(MIN_RULE_PT / pt_per_px))
    across = np.ones((3, 1), np.uint8)
    rect = cv2.MORPH_RECT
    horizontal = cv2.morphologyEx(cv2.dilate(ink, across), cv2.MORPH_OPEN, cv2.getStructuringElement(rect, (length, 1)))
    vertical = cv2.morphologyEx(cv2.dilate(ink, across.T), cv2.MORPH_OPEN, cv2.getStructuringElement(rect, (1, length)))
    return ink, horizontal, vertical


def skew_angle(horizontal: Pixels) -> float:
    """Given the horizontal-line mask, return the median angle of its long lines in degrees (clockwise > 0)."""
    import cv2

    angles = []
    contours, _ = cv2.findContours(horizontal, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    for contour in contours:
        if cv2.boundingRect(contour)[2] >= SKEW_LINE_SHARE * horizontal.shape[1]:
            vx, vy, _, _ = cv2.fitLine(contour, cv2.DIST_L2, 0, 0.01, 0.01).ravel()
            angles.append(math.degrees(math.atan2(vy, vx) if vx >= 0 else math.atan2(-vy, -vx)))
    return statistics.median(angles) if angles else 0.0


def _turn(pixels: Pixels, angle: float) -> Pixels:
    """The page turned about its centre by ``angle`` degrees counter-clockwise, new corners white."""
    import cv2

    height, width = pixels.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(pixels, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)


def _mask_to_edges(mask: Pixels, horizontal: bool, pt_per_px: float) -> list[Edge]:
    """Each thin connected stroke of a line mask as one edge along its centre, in points."""
    import cv2

    edges = []
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    for x, y, w, h, _ in stats[1:].tolist():
        thickness = (h if horizontal else w) * pt_per_px
        if thickness > MAX_RULE_PT:
            continue
        x0, top, x1, bottom = (v * pt_per_px for v in (x, y, x + w, y + h))
        edges.append(h_edge(x0, x1, (top + bottom) / 2) if horizontal else v_edge((x0 + x1) / 2, top, bottom))
    return edges


class Scan(NamedTuple):
    """A grey page turned straight, its ruling lines as edges in points, and its ink without the ruling lines."""

    pixels: Pixels
    edges: list[Edge]
    text_ink: Pixels


def find_rules(pixels: Pixels, pt_per_px: float) -> Scan:
    """Given a grey page, return it turned straight when skewed, with its ruling lines and its other ink."""
    ink, horizontal, vertical = _rule_masks(pixels, pt_per_px)
    angle = skew_angle(horizontal)
    if MIN_SKEW_DEG <= abs(angle) <= MAX_SKEW_DEG:
        pixels = _turn(pixels, angle)
        ink, horizontal, vertical = _rule_masks(pixels, pt_per_px)
    ink[(horizontal | vertical) > 0] = 0
    edges = _mask_to_edges(horizontal, True, pt_per_px) + _mask_to_edges(vertical, False, pt_per_px)
    return Scan(pixels, edges, ink)


# --- text ----------------------------------------------------------------------------------------


def _width(text: str, i: int) -> float:
    """The relative width of ``text[i]`` in an OCR box."""
    if is_wide(text[i]):
        return 1.0
    if not text[i].isspace():
        return NARROW_WIDTH
    inside = 0 < i < len(text) - 1
    return NARROW_WIDTH if inside and not (is_wide(text[i - 1]) or is_wide(text[i + 1])) else 0.0


def box_to_chars(text: str, bbox: tuple[float, float, float, float], vertical: bool | None = None) -> list[Char]:
    """Given an OCR box's text and bbox, return one Char per character, the box split in proportion to widths.

    A CJK character counts as one width and any other character as NARROW_WIDTH; a box holding a column of
    characters (``vertical``; when not given, a box much taller than wide) is split from top to bottom instead.
    A space gives no Char; it takes room between two Latin letters or digits (``51 75``) and none next to CJK,
    where OCR puts spurious ones.
    """
    x0, top, x1, bottom = bbox
    weights = [_width(text, i) for i in range(len(text))]
    if vertical is None:
        vertical = bottom - top >= VERTICAL_RATIO * (x1 - x0)
    vertical = vertical and len(text) > 1
    start, length = (top, bottom - top) if vertical else (x0, x1 - x0)
    total = sum(weights)
    unit = length / total if total else 0.0
    chars = []
    for ch, weight in zip(text, weights, strict=True):
        end = start + weight * unit
        if not ch.isspace():
            chars.append(Char(ch, x0, start, x1, end, end) if vertical else Char(ch, start, top, end, bottom, bottom))
        start = end
    return chars


def _ink_stats(ink: Pixels, min_area: float) -> Pixels:
    """OpenCV's stats (left, top, width, height, area) of each connected blot of ink, specks of fewer than
    ``min_area`` pixels left out."""
    import cv2
    import numpy as np

    _, _, stats, _ = cv2.connectedComponentsWithStats(np.ascontiguousarray(ink), connectivity=8)
    kept: Pixels = stats[1:][stats[1:, cv2.CC_STAT_AREA] >= min_area]
    return kept


def _text_extent(ink: Pixels, min_area: float, margin: int) -> Box | None:
    """The box around the text ink of a page (specks left out) widened by ``margin`` pixels; None without ink."""
    stats = _ink_stats(ink, min_area)
    if not len(stats):
        return None
    height, width = ink.shape
    x0, top = (max(0, int(v) - margin) for v in stats[:, :2].min(axis=0))
    x1, bottom = (int(v) + margin for v in (stats[:, :2] + stats[:, 2:4]).max(axis=0))
    return x0, top, min(width, x1), min(height, bottom)


def detect(scan: Scan, pt_per_px: float, path: str) -> list[Pixels]:
    """Given a straightened page and its points per pixel, return the text boxes rapidocr's detector finds,
    each as its four corners in the page's pixels. The detector sees the extent of the page's text ink (with
    DET_MARGIN_PT around it) scaled down to DET_DPI."""
    import cv2
    import numpy as np

    extent = _text_extent(scan.text_ink, MIN_INK_PT2 / pt_per_px**2, round(DET_MARGIN_PT / pt_per_px))
    if extent is None:
        return []
    x0, top, x1, bottom = extent
    scale = min(1.0, DET_DPI * pt_per_px / POINTS_PER_INCH)
    size = (max(1, round((x1 - x0) * scale)), max(1, round((bottom - top) * scale)))
    small = cv2.resize(scan.pixels[top:bottom, x0:x1], size, interpolation=cv2.INTER_AREA)
    detector = _engine(path).detector
    with _OCR_LOCK:
        found = detector(cv2.cvtColor(small, cv2.COLOR_GRAY2BGR))
    if found.boxes is None:
        return []
    back = np.array([(x1 - x0) / size[0], (bottom - top) / size[1]], np.float32)
    return [box.astype(np.float32) * back + np.array([x0, top], np.float32) for box in found.boxes]


def _fit_to_ink(corners: Pixels, ink: Pixels, min_area: float) -> Fitted | None:
    """The box around a text box's corners cut along its line to the ink inside it, specks of fewer than
    ``min_area`` pixels left out, whether the line runs down and whether the ink is taller than wide; None when
    it holds no ink."""
    import cv2

    x0, top = (max(0, math.floor(v)) for v in corners.min(axis=0))
    x1, bottom = (min(limit, math.ceil(v)) for v, limit in zip(corners.max(axis=0), ink.shape[::-1], strict=True))
    if x1 <= x0 or bottom <= top:
        return None
    stats = _ink_stats(ink[top:bottom, x0:x1], min_area)
    if not len(stats):
        return None
    lefts, tops = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    rights, bottoms = lefts + stats[:, cv2.CC_STAT_WIDTH], tops + stats[:, cv2.CC_STAT_HEIGHT]
    inked = (x0 + int(lefts.min()), top + int(tops.min()), x0 + int(rights.max()), top + int(bottoms.max()))
    shape = ink_shape(ink, inked)
    if bottom - top >= VERTICAL_RATIO * (x1 - x0):  # a column of characters: cut from top to bottom
        return (x0, inked[1], x1, inked[3]), True, shape
    return (inked[0], top, inked[2], bottom), False, shape


def ink_shape(ink: Pixels, box: Box) -> str:
    """Whether the ink in a box is "flat" (wider than tall), "tall", or tall and "slanted" like a slash (its
    centre moving left by SLASH_LEAN of its drop, top to bottom)."""
    import numpy as np

    x0, top, x1, bottom = box
    if bottom - top <= x1 - x0:
        return "flat"
    ys, xs = np.nonzero(ink[top:bottom, x0:x1])
    spread = float(np.var(ys)) if len(ys) > 1 else 0.0
    lean = float(np.cov(xs, ys)[0, 1]) / spread if spread else 0.0
    return "slanted" if lean <= -SLASH_LEAN else "tall"


def _line_image(pixels: Pixels, corners: Pixels) -> Pixels:
    """A text box cut out of the grey page as rapidocr cuts it (a column turned to run left to right), in colour;
    narrowed to LINE_SQUEEZE of its length when it is longer than SQUEEZE_FROM times its height."""
    import cv2
    from rapidocr.utils.process_img import get_rotate_crop_image

    crop = get_rotate_crop_image(pixels, corners.copy())
    height, width = crop.shape[:2]
    if width > SQUEEZE_FROM * height:
        narrow = round(max(SQUEEZE_FROM * height, width * LINE_SQUEEZE))
        crop = cv2.resize(crop, (narrow, height), interpolation=cv2.INTER_AREA)
    return cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR)


def line_images(scan: Scan, corners: list[Pixels], pt_per_px: float) -> tuple[list[Fitted], list[Pixels]]:
    """Given a straightened page and its detected text boxes, return the boxes that hold ink, fitted to it and
    flagged when they run down and when their ink is taller than wide, and the images to read for them."""
    min_area = MIN_INK_PT2 / pt_per_px**2
    boxes, images = [], []
    for box_corners in corners:
        fitted = _fit_to_ink(box_corners, scan.text_ink, min_area)
        if fitted is not None:
            boxes.append(fitted)
            images.append(_line_image(scan.pixels, box_corners))
    return boxes, images


def recognise(images: list[Pixels], path: str) -> list[tuple[str, float]]:
    """Given line images, return what rapidocr's recognizer reads in each, with its confidence."""
    from rapidocr.ch_ppocr_rec import TextRecInput

    if not images:
        return []
    recognizer = _engine(path).recognizer
    with _OCR_LOCK:
        result = recognizer(TextRecInput(img=images))
    return list(zip(result.txts or (), result.scores if result.scores is not None else (), strict=True))


def text_boxes(boxes: list[Fitted], read: list[tuple[str, float]]) -> list[TextBox]:
    """The boxes whose reading is not empty and at least TEXT_SCORE confident, with their text."""
    return [TextBox(text.strip(), box, vertical, tall)
            for (box, vertical, tall), (text, score) in zip(boxes, read, strict=True)
            if score >= TEXT_SCORE and text.strip()]


def read_text(scan: Scan, pt_per_px: float, path: str) -> list[TextBox]:
    """Given a straightened page and its points per pixel, return the text boxes OCR finds and reads on it."""
    boxes, images = line_images(scan, detect(scan, pt_per_px, path), pt_per_px)
    return text_boxes(boxes, recognise(images, path))


def ocr_to_chars(boxes: Iterable[TextBox], pt_per_px: float) -> list[Char]:
    """Given a page's text boxes, return its characters with boxes in points."""
    chars = []
    for text, box, vertical, shape in boxes:
        bbox = (box[0] * pt_per_px, box[1] * pt_per_px, box[2] * pt_per_px, box[3] * pt_per_px)
        chars.extend(box_to_chars(_lone_look_alike(text, box, shape), bbox, vertical))
    return chars


def _lone_look_alike(text: str, box: Box, shape: str | None) -> str:
    """What a box read alone as ``text`` holds, by the shape of its ink (LOOK_ALIKES): ``7 一 0`` is ``7 1 0``.
    Without its ink's shape, a box taller than wide counts as tall ink."""
    x0, top, x1, bottom = box
    if shape is None:
        shape = "tall" if bottom - top > x1 - x0 else "flat"
    return LOOK_ALIKES.get((text, shape), text)


# --- cells OCR left blank ------------------------------------------------------------------------


def _print_in(scan: Scan, bbox: Bbox, pt_per_px: float) -> Box | None:
    """The box (pixels) around the print inside a table cell (its ruling lines and specks left out); None when the
    cell holds none."""
    inset = CELL_INSET_PT / pt_per_px
    x0, top, x1, bottom = (round(v / pt_per_px + d) for v, d in zip(bbox, (inset, inset, -inset, -inset),
                                                                     strict=True))
    if x1 <= x0 or bottom <= top:
        return None
    stats = _ink_stats(scan.text_ink[top:bottom, x0:x1], PRINT_INK_PT2 / pt_per_px**2)
    if not len(stats):
        return None
    left, upper = stats[:, :2].min(axis=0)
    right, lower = (stats[:, :2] + stats[:, 2:4]).max(axis=0)
    return x0 + int(left), top + int(upper), x0 + int(right), top + int(lower)


def _retry_images(pixels: Pixels, box: Box) -> Iterator[Pixels]:
    """The print of a box cut out with a margin and enlarged, grey and then binarised (Otsu), to be read again."""
    import cv2

    x0, top, x1, bottom = box
    margin = max(2, round((bottom - top) * RETRY_MARGIN))
    crop = pixels[max(0, top - margin):bottom + margin, max(0, x0 - margin):x1 + margin]
    for scale in RETRY_SCALES:
        big = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        yield cv2.cvtColor(big, cv2.COLOR_GRAY2BGR)
        _, black = cv2.threshold(big, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        yield cv2.cvtColor(black, cv2.COLOR_GRAY2BGR)


def _dash(ink: Pixels, box: Box, pt_per_px: float) -> str | None:
    """The dash a cell's print is when it is one flat bar (DASH_MAX_PT thick at most, DASH_MIN_RATIO times as long):
    — or -."""
    x0, top, x1, bottom = box
    length, thickness = (x1 - x0) * pt_per_px, (bottom - top) * pt_per_px
    blots = _ink_stats(ink[top:bottom, x0:x1], PRINT_INK_PT2 / pt_per_px**2)
    if thickness > DASH_MAX_PT or length < DASH_MIN_RATIO * thickness or len(blots) != 1:
        return None
    return "—" if length >= EM_DASH_MIN_PT else "-"


def _read_again(pixels: Pixels, ink: Pixels, box: Box, pt_per_px: float, path: str) -> str | None:
    """What OCR reads in the print of a box on a second look: a number, a token stating nothing (无, /) or text
    with an ideograph, read with confidence in print at least MIN_REREAD_PT tall; a lone flat bar is a dash;
    None when no attempt reads such a thing."""
    if (box[3] - box[1]) * pt_per_px < MIN_REREAD_PT:
        return _dash(ink, box, pt_per_px)
    shape = ink_shape(ink, box)
    for image in _retry_images(pixels, box):
        [(text, score)] = recognise([image], path)
        text = _lone_look_alike(text.strip(), box, shape)
        if score >= TEXT_SCORE and (_NUMBER.fullmatch(text) or text in _NOTHING
                                    or any(map(_is_ideograph, text.replace("一", "")))):
            return text
    return None


def _reread_blank_cells(scan: Scan, tables: list[GridBuilder], pt_per_px: float, path: str) -> list[Bbox]:
    """Read again every table cell OCR left blank although it holds print, filing what is read under the cell;
    return the boxes (points) of the cells whose print stays unread."""
    unread: list[Bbox] = []
    for table in tables:
        for k, position in table.position.items():
            if position in table.chars:
                continue
            box = _print_in(scan, table.cells[k], pt_per_px)
            if box is None:
                continue
            text = _read_again(scan.pixels, scan.text_ink, box, pt_per_px, path)
            if text is None:
                unread.append(table.cells[k])
                continue
            bbox = (box[0] * pt_per_px, box[1] * pt_per_px, box[2] * pt_per_px, box[3] * pt_per_px)
            for char in box_to_chars(text, bbox):
                table.take(char)
    return unread


def _settle_cells(page: Page, unread: list[Bbox]) -> None:
    """Flag in their ``at`` the table cells of a page whose print OCR could not read, and read the cells that
    hold a look-alike alone (CELL_LOOK_ALIKES) as what they hold."""
    boxes = {tuple(round(v, 1) for v in bbox) for bbox in unread}
    for item in page.items:
        for row in getattr(item, "rows", []):
            for cell in row:
                if not cell.text and tuple(cell.at.get("bbox", ())) in boxes:
                    cell.at[UNREADABLE] = True
                cell.text = CELL_LOOK_ALIKES.get(cell.text, cell.text)


# --- pages ---------------------------------------------------------------------------------------


def pixels_to_page(pixels: Pixels, number: int, pt_per_px: float, path: str) -> Page:
    """Given a grey page, its number and points per pixel, return its tables and text lines; blank pages are empty.

    A table cell OCR leaves blank although it holds print is read again; when that fails too, the cell is
    flagged unreadable in its ``at``, never left a plain blank.
    """
    height, width = pixels.shape
    size = (width * pt_per_px, height * pt_per_px)
    if int(pixels.min()) > INK_LEVEL:
        return Page(number, size[1])
    scan = find_rules(pixels, pt_per_px)
    chars = ocr_to_chars(read_text(scan, pt_per_px, path), pt_per_px)
    tables = edges_to_tables(scan.edges, (0.0, 0.0, *size)) if chars else []
    loose = [c for c in chars if not any(t.take(c) for t in tables)]
    unread = _reread_blank_cells(scan, tables, pt_per_px, path)
    page = chars_to_page(number, size[1], loose, tables)
    page.chars = len(chars)
    _settle_cells(page, unread)
    return page


def _no_text(path: str, pages: int, reason: str) -> NianbaoError:
    return NianbaoError(path, "no_text_layer", f"{pages} page(s) but no text: {reason}")


def ocr_scanned_pages(pages: list[Page], scans: list[int], render: Callable[[int], tuple[Pixels, float]],
                      path: str, kind: str) -> list[int]:
    """Replace ``pages[i]`` for each index in ``scans`` by its OCR reading and return the numbers of those pages.

    ``render(i)`` gives page i as grey pixels with points per pixel. Without the [ocr] extra the scans keep what
    their text layer gave, and a ``kind`` file (PDF, OFD) all of whose pages are scans is refused.
    """
    if not scans:
        return []
    try:
        require_ocr(path)
    except NianbaoError as exc:
        if len(scans) < len(pages):
            return []
        raise _no_text(path, len(pages), f"a scanned {kind} without a usable text layer; {exc.reason}") from None
    for i in scans:
        pixels, pt_per_px = render(i)
        pages[i] = pixels_to_page(pixels, i + 1, pt_per_px, path)
    if not any(page.chars for page in pages):
        raise _no_text(path, len(pages), f"a scanned {kind} in which OCR found no text either")
    return [i + 1 for i in scans]


def read(data: bytes, path: str, settings: Settings) -> Document:
    """Read image bytes (one page, or one per TIFF frame) into a Document by OCR."""
    require_ocr(path)
    pages = [pixels_to_page(pixels, k + 1, scale, path) for k, (pixels, scale) in enumerate(decode_image(data, path))]
    if not any(page.chars for page in pages):
        raise NianbaoError(path, "no_text", f"OCR found no text in the image ({len(pages)} page(s))")
    meta = {"pages": len(pages), "ocr_pages": [page.number for page in pages]}
    return Document(pages_to_blocks(pages), path=path, format="image", meta=meta)
