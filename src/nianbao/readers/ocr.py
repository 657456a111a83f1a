"""A straightened page's text ink → the text boxes OCR finds and reads → characters with boxes in points.

OCR needs the optional [ocr] extra (rapidocr, onnxruntime, opencv-python-headless); without it a scan is refused
with a message naming the file and the install command. The OCR models are the ones inside the rapidocr wheel,
loaded by path: nothing is ever downloaded.

How: rapidocr's detector finds the text boxes on the page scaled down to ``scan.det_dpi``; each box is fitted to its ink
along the line (ruling lines and specks left out; a box without ink is dropped) and read by rapidocr's recognizer,
long lines narrowed first; each box is split into per-character boxes in proportion to the characters' widths.
Pixels become points (72 per inch), so ``at`` bboxes are in points like the PDF reader's.

Each model run uses one core; the runs of a process share a pool of ``scan.threads`` threads, so that a page's
recognition batches, and the pages read at once, keep every core busy without ever asking for more.
"""

from __future__ import annotations

import functools
import math
import os
import re
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from ..errors import NianbaoError
from ..settings import ScanSettings
from .cells import is_wide
from .chars import Char
from .raster import POINTS_PER_INCH

if TYPE_CHECKING:
    from rapidocr.ch_ppocr_det import TextDetector
    from rapidocr.ch_ppocr_rec import TextRecognizer

    from .raster import Pixels
    from .ruling import Scan

LOOK_ALIKES = {("一", "tall"): "1", ("1", "slanted"): "/", ("7", "slanted"): "/",
               **{(digit, "flat"): "-" for digit in "0123456789"}}
"""What a box read alone as the text holds, by the shape of its ink: an upright stroke read as 一 is the digit 1, a
stroke leaning right read as 1 or 7 is a slash, and ink wider than tall read as one digit is a dash (a digit's ink
is taller than wide)."""
OCR_SETTINGS: dict[str, Any] = {
    "Global.log_level": "error",  # not "text detection result is empty" for each blank region
    "EngineConfig.onnxruntime.intra_op_num_threads": 1,  # one core per run: the runs themselves go in parallel
    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    "EngineConfig.onnxruntime.enable_cpu_mem_arena": True,  # memory kept for the next run: a fifth less CPU
    "Det.limit_type": "max",  # pages come scaled to scan.det_dpi: only a side over scan.max_det_side is scaled again
    "Rec.rec_img_shape": [3, 48, 64],  # pad each recognition batch to its widest box, not to 320 px: half the time
    "Rec.rec_batch_num": 6,  # boxes sorted by width, six at a time: larger batches pad more and were no faster
}
"""rapidocr parameters, tuned for speed on report pages at ``scan.work_dpi`` (see bench/bench_formats.py)."""
OCR_MODELS = {"Det": "PP-OCRv6_det_small.onnx", "Rec": "PP-OCRv6_rec_small.onnx"}
"""The model files the rapidocr wheel ships, by the task that uses them."""
INSTALL_HINT = "pip install 'nianbao[ocr]'"

_ENGINE: dict[int, Models] = {}  # by the longest side the detector sees
_ENGINE_LOCK = threading.Lock()  # guards the creation of the engine and of the pools
_POOLS: dict[int, ThreadPoolExecutor] = {}  # the threads model runs go to, by their number
T = TypeVar("T")


class Models(NamedTuple):
    """rapidocr's text detector and text recognizer, loaded from the model files inside its wheel."""

    detector: TextDetector
    recognizer: TextRecognizer


Box = tuple[int, int, int, int]
"""x0, top, x1, bottom in pixels."""


class TextBox(NamedTuple):
    """A text box OCR read: its text, its box fitted to its ink along the line, whether the line runs down
    (the detected box is at least ``scan.vertical_ratio`` times taller than wide), and the shape of its ink ("tall",
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


def _engine(path: str, settings: ScanSettings) -> Models:
    """The process's OCR models, loaded on first use from the model files inside the rapidocr wheel; the detector
    scales a page whose side is longer than ``max_det_side`` down to it.

    They are loaded by rapidocr's own loaders, so that they are configured as its pipeline would configure them;
    the pipeline itself is not used: this module scales, crops and narrows the images they see.
    """
    require_ocr(path)
    with _ENGINE_LOCK:
        if settings.max_det_side not in _ENGINE:
            import rapidocr

            models = Path(rapidocr.__file__).parent / "models"
            paths = {task: models / name for task, name in OCR_MODELS.items()}
            absent = [str(p) for p in paths.values() if not p.is_file()]
            if absent:
                raise NianbaoError(path, "missing_dependency",
                                   f"the rapidocr package has no model file {', '.join(absent)}: {INSTALL_HINT}")
            params = {**OCR_SETTINGS, "Det.limit_side_len": settings.max_det_side}
            params.update({f"{task}.model_path": str(p) for task, p in paths.items()})
            engine = rapidocr.RapidOCR(params=params)
            _ENGINE[settings.max_det_side] = Models(engine._load_det_model(), engine._load_rec_model())
        return _ENGINE[settings.max_det_side]


def threads(settings: ScanSettings) -> int:
    """How many model runs, and pages, go at once: ``scan.threads``, or one per core this process may use."""
    if settings.threads:
        return settings.threads
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return len(usable) if usable else os.cpu_count() or 1


def _run_all(calls: list[Callable[[], T]], settings: ScanSettings) -> list[T]:
    """The results of model runs, made by the process's pool of ``threads`` threads (at most that many at once)."""
    count = threads(settings)
    if count == 1 or len(calls) == 1:
        return [call() for call in calls]
    with _ENGINE_LOCK:
        pool = _POOLS.get(count) or _POOLS.setdefault(count, ThreadPoolExecutor(count, "nianbao-ocr"))
    return [future.result() for future in [pool.submit(call) for call in calls]]


def _width(text: str, i: int, narrow: float) -> float:
    """The relative width of ``text[i]`` in an OCR box, a CJK character counting as 1."""
    if is_wide(text[i]):
        return 1.0
    if not text[i].isspace():
        return narrow
    inside = 0 < i < len(text) - 1
    return narrow if inside and not (is_wide(text[i - 1]) or is_wide(text[i + 1])) else 0.0


def box_to_chars(text: str, bbox: tuple[float, float, float, float], settings: ScanSettings,
                 vertical: bool | None = None) -> list[Char]:
    """Given an OCR box's text and bbox, return one Char per character, the box split in proportion to widths.

    A CJK character counts as one width and any other character as ``narrow_width``; a box holding a column of
    characters (``vertical``; when not given, a box ``vertical_ratio`` times taller than wide) is split from top
    to bottom instead.
    A space gives no Char; it takes room between two Latin letters or digits (``51 75``) and none next to CJK,
    where OCR puts spurious ones.
    """
    x0, top, x1, bottom = bbox
    weights = [_width(text, i, settings.narrow_width) for i in range(len(text))]
    if vertical is None:
        vertical = bottom - top >= settings.vertical_ratio * (x1 - x0)
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


def detect(scan: Scan, pt_per_px: float, path: str, settings: ScanSettings) -> list[Pixels]:
    """Given a straightened page and its points per pixel, return the text boxes rapidocr's detector finds,
    each as its four corners in the page's pixels. The detector sees the extent of the page's text ink (with
    ``det_margin_pt`` around it) scaled down to ``det_dpi``."""
    import cv2
    import numpy as np

    extent = _text_extent(scan.text_ink, settings.min_ink_pt2 / pt_per_px**2,
                          round(settings.det_margin_pt / pt_per_px))
    if extent is None:
        return []
    x0, top, x1, bottom = extent
    scale = min(1.0, settings.det_dpi * pt_per_px / POINTS_PER_INCH)
    size = (max(1, round((x1 - x0) * scale)), max(1, round((bottom - top) * scale)))
    small = cv2.resize(scan.pixels[top:bottom, x0:x1], size, interpolation=cv2.INTER_AREA)
    detector = _engine(path, settings).detector
    [found] = _run_all([functools.partial(detector, cv2.cvtColor(small, cv2.COLOR_GRAY2BGR))], settings)
    if found.boxes is None:
        return []
    back = np.array([(x1 - x0) / size[0], (bottom - top) / size[1]], np.float32)
    return [box.astype(np.float32) * back + np.array([x0, top], np.float32) for box in found.boxes]


def _fit_to_ink(corners: Pixels, ink: Pixels, min_area: float, settings: ScanSettings) -> Fitted | None:
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
    shape = ink_shape(ink, inked, settings)
    if bottom - top >= settings.vertical_ratio * (x1 - x0):  # a column of characters: cut from top to bottom
        return (x0, inked[1], x1, inked[3]), True, shape
    return (inked[0], top, inked[2], bottom), False, shape


def ink_shape(ink: Pixels, box: Box, settings: ScanSettings) -> str:
    """Whether the ink in a box is "flat" (wider than tall), "tall", or tall and "slanted" like a slash: its
    centre moving left by ``slash_lean`` of its drop, top to bottom, and no row of its top quarter inked across
    ``bar_share`` of its width (the bar of a 7)."""
    import numpy as np

    x0, top, x1, bottom = box
    if bottom - top <= x1 - x0:
        return "flat"
    inked = ink[top:bottom, x0:x1]
    ys, xs = np.nonzero(inked)
    spread = float(np.var(ys)) if len(ys) > 1 else 0.0
    lean = float(np.cov(xs, ys)[0, 1]) / spread if spread else 0.0
    return "slanted" if lean <= -settings.slash_lean and not has_bar(ink, box, settings) else "tall"


def has_bar(ink: Pixels, box: Box, settings: ScanSettings) -> bool:
    """Whether a row of the top quarter of the ink in a box is inked across ``bar_share`` of its width: the bar of a
    7, which a 1 or a slash has not."""
    import numpy as np

    x0, top, x1, bottom = box
    head = ink[top:top + max(1, (bottom - top) // 4), x0:x1]
    return bool(np.count_nonzero(head, axis=1).max() >= settings.bar_share * (x1 - x0))


def is_seven(ink: Pixels, box: Box, settings: ScanSettings) -> bool:
    """Whether the ink in a box (one digit's blot) is shaped like a 7, not a 1: a bar across its top (``has_bar``)
    reaching ``seven_overhang`` of its width further right than the ink of its bottom quarter (a 7's foot lies left
    of its bar's end; a 1's stem, or its base, ends under its top, however its blurred flag fills the top rows)."""
    import numpy as np

    x0, top, x1, bottom = box
    quarter = max(1, (bottom - top) // 4)
    head, foot = ink[top:top + quarter, x0:x1], ink[bottom - quarter:bottom, x0:x1]
    if not (head.any() and foot.any()):
        return False
    reach = int(np.nonzero(head.any(axis=0))[0].max()) - int(np.nonzero(foot.any(axis=0))[0].max())
    return has_bar(ink, box, settings) and reach >= settings.seven_overhang * (x1 - x0)


def _line_image(pixels: Pixels, corners: Pixels, settings: ScanSettings) -> Pixels:
    """A text box cut out of the grey page as rapidocr cuts it (a column turned to run left to right), in colour;
    narrowed to ``line_squeeze`` of its length when it is longer than ``squeeze_from`` times its height."""
    import cv2
    from rapidocr.utils.process_img import get_rotate_crop_image

    crop = get_rotate_crop_image(pixels, corners.copy())
    height, width = crop.shape[:2]
    if width > settings.squeeze_from * height:
        narrow = round(max(settings.squeeze_from * height, width * settings.line_squeeze))
        crop = cv2.resize(crop, (narrow, height), interpolation=cv2.INTER_AREA)
    return cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR)


def line_images(scan: Scan, corners: list[Pixels], pt_per_px: float, settings: ScanSettings
                ) -> tuple[list[Fitted], list[Pixels]]:
    """Given a straightened page and its detected text boxes, return the boxes that hold ink, fitted to it and
    flagged when they run down and when their ink is taller than wide, and the images to read for them."""
    min_area = settings.min_ink_pt2 / pt_per_px**2
    boxes, images = [], []
    for box_corners in corners:
        fitted = _fit_to_ink(box_corners, scan.text_ink, min_area, settings)
        if fitted is not None:
            boxes.append(fitted)
            images.append(_line_image(scan.pixels, box_corners, settings))
    return boxes, images


def recognise(images: list[Pixels], path: str, settings: ScanSettings, alone: bool = False
              ) -> list[tuple[str, float]]:
    """Given line images, return what rapidocr's recognizer reads in each, with its confidence.

    The images go by batches of images of like widths (rapidocr's ``rec_batch_num`` images each, as it would make
    them; ``alone``: one image each), the batches in parallel.
    """
    import numpy as np
    from rapidocr.ch_ppocr_rec import TextRecInput

    if not images:
        return []
    recognizer = _engine(path, settings).recognizer
    size = 1 if alone else recognizer.rec_batch_num
    order = [int(i) for i in np.argsort(np.array([image.shape[1] / image.shape[0] for image in images]))]
    batches = [order[k:k + size] for k in range(0, len(order), size)]
    results = _run_all([functools.partial(recognizer, TextRecInput(img=[images[i] for i in batch]))
                        for batch in batches], settings)
    read: list[tuple[str, float]] = [("", 0.0)] * len(images)
    for batch, result in zip(batches, results, strict=True):
        scores = result.scores if result.scores is not None else ()
        for i, text, score in zip(batch, result.txts or (), scores, strict=True):
            read[i] = (text, score)
    return read


def text_boxes(boxes: list[Fitted], read: list[tuple[str, float]], settings: ScanSettings) -> list[TextBox]:
    """The boxes whose reading is not empty and at least ``text_score`` confident, with their text."""
    return [TextBox(text.strip(), box, vertical, tall)
            for (box, vertical, tall), (text, score) in zip(boxes, read, strict=True)
            if score >= settings.text_score and text.strip()]


def read_text(scan: Scan, pt_per_px: float, path: str, settings: ScanSettings) -> list[TextBox]:
    """Given a straightened page and its points per pixel, return the text boxes OCR finds and reads on it, a
    number's thousands separators as wide as their print (``separators``)."""
    boxes, images = line_images(scan, detect(scan, pt_per_px, path, settings), pt_per_px, settings)
    return [found._replace(text=separators(found.text, scan.text_ink, found.box, settings)) if not found.vertical
            else found for found in text_boxes(boxes, recognise(images, path, settings), settings)]


_GROUPED = re.compile(r"\d{1,3}(?:[,，]\d{3})+")
"""A whole number printed in groups of three digits."""


def separators(text: str, ink: Pixels, box: Box, settings: ScanSettings) -> str:
    """A number OCR read with thousands separators (``2,370``), each comma full-width (，) or ASCII (,) as its
    print is, which OCR reads alike: the ink of its box shows a gap of ``wide_comma_gap`` of its height at least
    for each separator (a full-width comma's glyph stands at the left of a character's width) or none (an ASCII
    comma is as narrow as it prints). Any other count of wide gaps, or other text, is left as read."""
    import numpy as np

    if not _GROUPED.fullmatch(text):
        return text
    x0, top, x1, bottom = box
    inked = ink[top:bottom, x0:x1]
    rows, columns = np.nonzero(inked.any(axis=1))[0], np.nonzero(inked.any(axis=0))[0]
    if not len(columns):
        return text
    gaps = np.diff(columns) - 1
    wide = int(np.count_nonzero(gaps >= settings.wide_comma_gap * (int(rows[-1]) - int(rows[0]) + 1)))
    count = len(re.findall("[,，]", text))
    if count <= wide <= 2 * count:
        return re.sub(",", "，", text)
    return re.sub("，", ",", text) if wide == 0 else text


def ocr_to_chars(boxes: Iterable[TextBox], pt_per_px: float, settings: ScanSettings) -> list[Char]:
    """Given a page's text boxes, return its characters with boxes in points."""
    chars = []
    for text, box, vertical, shape in boxes:
        bbox = (box[0] * pt_per_px, box[1] * pt_per_px, box[2] * pt_per_px, box[3] * pt_per_px)
        chars.extend(box_to_chars(lone_look_alike(text, box, shape), bbox, settings, vertical))
    return chars


def lone_look_alike(text: str, box: Box, shape: str | None) -> str:
    """What a box read alone as ``text`` holds, by the shape of its ink (LOOK_ALIKES): ``7 一 0`` is ``7 1 0``.
    Without its ink's shape, a box taller than wide counts as tall ink."""
    x0, top, x1, bottom = box
    if shape is None:
        shape = "tall" if bottom - top > x1 - x0 else "flat"
    return LOOK_ALIKES.get((text, shape), text)
