"""One page of a PDF, OFD or scanned image → what its reader saw there: the page in grey pixels, the characters
(from the text layer, or OCR's boxes on a scan), the ruling lines and the table cells found, in points.

Reads the page as the reader does, with the same settings, but keeps the intermediate steps the reader throws
away; ``nianbao debug`` draws them. Knows nothing about annual reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import NianbaoError
from ..settings import Settings, resolve
from .chars import Bbox, Char
from .edges import Edge

if TYPE_CHECKING:
    from .raster import Pixels

PAGED_FORMATS = ("pdf", "ofd", "image")
"""The formats whose pages have a place for each character."""


@dataclass(slots=True)
class Sight:
    """A page as its reader saw it: its number, (width, height) in points, the page drawn in grey (``pixels``,
    ``pt_per_px`` points per pixel), its characters, ruling lines and table cells in points, and whether OCR
    read it."""

    number: int
    size: tuple[float, float]
    pixels: Pixels
    pt_per_px: float
    chars: list[Char]
    edges: list[Edge]
    cells: list[Bbox]
    ocr: bool


def no_page(path: str, number: int, pages: int) -> NianbaoError:
    """The error for a page number the file does not have."""
    return NianbaoError(path, "no_page", f"文件共 {pages} 页，没有第 {number} 页")


def see_page(data: bytes, path: str, number: int, settings: Settings | dict[str, object] | None = None) -> Sight:
    """The page ``number`` (from 1) of a PDF, OFD or image file as its reader saw it."""
    from . import detect_format

    options = resolve(settings)
    if len(data) > options.reader.max_file_bytes:
        raise NianbaoError(path, "too_large", f"file is larger than the limit of {options.reader.max_file_bytes} bytes")
    fmt = detect_format(data)
    if fmt not in PAGED_FORMATS:
        raise NianbaoError(path, "unsupported", "只有 PDF、OFD 和扫描图片有页面可画，这个文件不是")
    if fmt == "pdf":
        from .pdf import see_page as see_pdf_page

        return see_pdf_page(data, path, number, options)
    if fmt == "ofd":
        from .ofd import see_page as see_ofd_page

        return see_ofd_page(data, path, number, options)
    from .image import see_page as see_image_page

    return see_image_page(data, path, number, options)
