"""A straightened page's text ink → the text boxes OCR finds and reads → characters with boxes in points.

OCR needs the optional [ocr] extra (rapidocr, onnxruntime, opencv-python-headless); without it a scan is refused
with a message naming the file and the install command. The OCR models are the ones inside the rapidocr wheel,
loaded by path: nothing is ever downloaded.

How: rapidocr's detector finds the text boxes on the page scaled down to DET_DPI; each box is fitted to its ink
along the line (ruling lines and specks left out; a box without ink is dropped) and read by rapidocr's recognizer,
long lines narrowed first; each box is split into per-character boxes in proportion to the characters' widths.
Pixels become points (72 per inch), so ``at`` bboxes are in points like the PDF reader's.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import NianbaoError
from .cells import is_wide
from .chars import Char
from .raster import POINTS_PER_INCH

if TYPE_CHECKING:
    from rapidocr.ch_ppocr_det import TextDetector
    from rapidocr.ch_ppocr_rec import TextRecognizer

    from .raster import Pixels
    from .ruling import Scan

NARROW_WIDTH = 0.5  # width of a Latin letter, digit or space relative to a CJK character, for splitting boxes
VERTICAL_RATIO = 1.5  # a text box at least this many times taller than wide holds a column of characters
LOOK_ALIKES = {("一", "tall"): "1", ("1", "slanted"): "/"}
"""What a box read alone as the text holds, by the shape of its ink: an upright stroke read as 一 is the digit 1,
a stroke leaning right read as 1 is a slash."""
SLASH_LEAN = 0.25  # ink whose centre moves left by at least this share of its drop, top to bottom, leans right
DET_DPI = 140  # text is detected at this resolution: 7 pt digits are still found, and half the pixels of WORK_DPI
MAX_DET_SIDE = 4000  # a page whose side at DET_DPI would be longer is detected smaller still (memory)
SQUEEZE_FROM = 4.0  # a line image longer than this many times its height is narrowed before it is read …
LINE_SQUEEZE = 0.7  # … to this share of its length, never below SQUEEZE_FROM heights: recognition costs per column
MIN_INK_PT2 = 0.75  # an ink speck smaller than this (square points) is noise, not text
DET_MARGIN_PT = 12.0  # the detector sees the extent of the page's text and this much paper around it, not the margins
TEXT_SCORE = 0.5  # a line read with less confidence is dropped (rapidocr's own default)
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


def ink_stats(ink: Pixels, min_area: float) -> Pixels:
    """OpenCV's stats (left, top, width, height, area) of each connected blot of ink, specks of fewer than
    ``min_area`` pixels left out."""
    import cv2
    import numpy as np

    _, _, stats, _ = cv2.connectedComponentsWithStats(np.ascontiguousarray(ink), connectivity=8)
    kept: Pixels = stats[1:][stats[1:, cv2.CC_STAT_AREA] >= min_area]
    return kept


def _text_extent(ink: Pixels, min_area: float, margin: int) -> Box | None:
    """The box around the text ink of a page (specks left out) widened by ``margin`` pixels; None without ink."""
    stats = ink_stats(ink, min_area)
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
    stats = ink_stats(ink[top:bottom, x0:x1], min_area)
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
        chars.extend(box_to_chars(lone_look_alike(text, box, shape), bbox, vertical))
    return chars


def lone_look_alike(text: str, box: Box, shape: str | None) -> str:
    """What a box read alone as ``text`` holds, by the shape of its ink (LOOK_ALIKES): ``7 一 0`` is ``7 1 0``.
    Without its ink's shape, a box taller than wide counts as tall ink."""
    x0, top, x1, bottom = box
    if shape is None:
        shape = "tall" if bottom - top > x1 - x0 else "flat"
    return LOOK_ALIKES.get((text, shape), text)
