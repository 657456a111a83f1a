"""Image bytes and pictures placed on a page → grey page pixels at the working resolution, with points per pixel.

Decodes PNG, JPEG, TIFF … with Pillow (one TIFF frame at a time, decompression bombs refused, EXIF orientation
applied, transparency on white) and scales a page to at most WORK_DPI; draws the pictures of a scanned OFD page
on a blank page. Knows nothing about text or tables.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from io import BytesIO
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from ..errors import NianbaoError

if TYPE_CHECKING:
    from numpy.typing import NDArray

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

