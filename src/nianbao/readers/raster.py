"""Image bytes and pictures placed on a page → grey page pixels at the working resolution, with points per pixel.

Decodes PNG, JPEG, TIFF … with Pillow (one TIFF frame at a time, decompression bombs refused, EXIF orientation
applied, transparency on white) and scales a page to at most ``scan.work_dpi``; draws the pictures of a scanned OFD page
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
from ..settings import ReaderSettings, ScanSettings, Settings

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Pixels = NDArray[Any]
    """A grey page: rows of uint8 values, 0 (black) … 255 (white)."""

Matrix = tuple[float, float, float, float, float, float]
"""X = a*x + c*y + e, Y = b*x + d*y + f, as PDF and OFD write matrices."""

POINTS_PER_INCH = 72


def decode_image(data: bytes, path: str, settings: Settings) -> Iterator[tuple[Pixels, float]]:
    """Given image bytes, yield each page (TIFF frame, ``reader.max_image_frames`` at most) as grey pixels at
    ``scan.work_dpi`` at most, with points per pixel.

    Frames are decoded one at a time, so a long multi-page scan never sits in memory whole.
    """
    with _decoding(path):
        picture = open_image(data, path, settings.reader)
        dpi = stated_dpi(picture, settings.scan)
        for frame in itertools.islice(ImageSequence.Iterator(picture), settings.reader.max_image_frames):
            yield _at_most_work_dpi(_grey(frame), dpi, settings.scan.work_dpi)


def decode_picture(data: bytes, path: str, limits: ReaderSettings) -> Pixels:
    """Given image bytes, return the (first) picture as grey pixels at its own resolution: a picture on a page."""
    import numpy as np

    with _decoding(path):
        return np.asarray(_grey(open_image(data, path, limits)), dtype=np.uint8)


@contextmanager
def _decoding(path: str) -> Iterator[None]:
    """Turns the errors of decoding an image into a NianbaoError naming the file."""
    try:
        yield
    except Image.DecompressionBombError as exc:
        raise NianbaoError(path, "too_large", f"image refused as a decompression bomb: {exc}") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise NianbaoError(path, "corrupt", f"corrupt or truncated image: {exc}") from None


def open_image(data: bytes, path: str, limits: ReaderSettings) -> Image.Image:
    """The image, not yet decoded; refused when it has more than ``reader.max_image_pixels`` pixels."""
    picture = Image.open(BytesIO(data))
    if picture.width * picture.height > limits.max_image_pixels:
        raise NianbaoError(path, "too_large", f"image of {picture.width}×{picture.height} pixels is larger than "
                                              f"the limit of {limits.max_image_pixels} pixels")
    return picture


def stated_dpi(picture: Image.Image, settings: ScanSettings) -> float:
    """The horizontal resolution the file states, or ``default_dpi`` when it states none or a screen default
    (below ``min_stated_dpi``)."""
    stated = picture.info.get("dpi", (0, 0))[0]
    return float(stated) if stated and float(stated) >= settings.min_stated_dpi else float(settings.default_dpi)


def _grey(frame: Image.Image) -> Image.Image:
    """A frame upright (EXIF orientation), on white where it is transparent, in grey."""
    frame = ImageOps.exif_transpose(frame)
    if frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info:
        frame = Image.alpha_composite(Image.new("RGBA", frame.size, "white"), frame.convert("RGBA"))
    return frame.convert("L")


def _at_most_work_dpi(grey: Image.Image, dpi: float, work_dpi: int) -> tuple[Pixels, float]:
    """A grey frame scanned at ``dpi`` as pixels scaled to at most ``work_dpi``, with points per pixel."""
    import numpy as np

    if dpi > work_dpi:
        scale = work_dpi / dpi
        grey = grey.resize((max(1, round(grey.width * scale)), max(1, round(grey.height * scale))),
                           Image.Resampling.LANCZOS)
        dpi = work_dpi
    return np.asarray(grey, dtype=np.uint8), POINTS_PER_INCH / dpi


# --- pictures placed on a page -------------------------------------------------------------------


def compose(size: tuple[float, float], pictures: Iterable[tuple[Pixels, Matrix]], settings: Settings
            ) -> tuple[Pixels, float]:
    """Given a page's (width, height) in points and grey pictures, each with the matrix mapping its unit square
    to page points, return the page drawn on white at ``scan.work_dpi`` (coarser where that would pass
    ``reader.max_image_pixels``), and its points per pixel."""
    import numpy as np

    width, height = size
    px_per_pt = pixels_per_point(size, settings.scan.work_dpi, settings.reader)
    canvas = np.full((max(1, round(height * px_per_pt)), max(1, round(width * px_per_pt))), 255, np.uint8)
    for pixels, matrix in pictures:
        a, b, c, d, e, f = (v * px_per_pt for v in matrix)
        _place(canvas, pixels, (a, b, c, d, e, f))
    return canvas, 1 / px_per_pt


def pixels_per_point(size: tuple[float, float], dpi: float, limits: ReaderSettings) -> float:
    """Pixels per point to draw a page of (width, height) points at ``dpi``, less for a page so large that it would
    pass ``reader.max_image_pixels`` (a crafted 14,000 pt page would otherwise need gigabytes)."""
    width, height = size
    return min(dpi / POINTS_PER_INCH, math.sqrt(limits.max_image_pixels / max(width * height, 1.0)))


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

