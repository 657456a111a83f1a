"""PDF bytes → Document: table grids found from ruling lines and running-text lines, each with its page and bbox.

It knows nothing about annual reports and does not read scanned pixels itself: pages without a text layer, and
pages that pictures cover whose text layer does not carry the content (``scanned.is_scanned_page``: a page number
or a watermark over a scan), are rendered and handed to the OCR of the scan reader (the optional [ocr] extra);
a PDF all of whose pages are scans is refused when that extra is missing.

How: pypdfium2 (which comes with pdfplumber) reads the characters and the vector paths of each page;
the visible horizontal and vertical strokes become edges (``edges``). The shared grid engine turns chars and edges
into table grids (``grid``) and text lines (``chars``), drops page furniture and stitches tables over page breaks
(``pages``).
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..document import Document
from ..errors import NianbaoError
from ..settings import PageSettings, Settings
from . import image
from .chars import Bbox, Char, dedupe_chars
from .edges import Edge, Subpath, subpaths_to_edges
from .grid import edges_to_tables
from .pages import Page, chars_to_page, pages_to_document
from .raster import Matrix, pixels_per_point
from .scanned import has_unmapped_text, is_scanned_page, picture_box
from .sight import Sight, no_page

if TYPE_CHECKING:
    from .raster import Pixels

_PDFIUM = threading.Lock()  # PDFium is not thread-safe: one call at a time per process
_PASSWORD_ERRORS = {pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY}
_PDFIUM_HYPHEN = "\ufffe"  # pdfium's stand-in for a hyphen that ends a line


class _Frame:
    """Maps PDF user space (bottom-left origin) to the displayed page (top-left origin, rotation applied)."""

    def __init__(self, box: tuple[float, float, float, float], rotation: int) -> None:
        left, bottom, right, top = box
        turned = rotation % 2 == 1
        self.width = (top - bottom) if turned else (right - left)
        self.height = (right - left) if turned else (top - bottom)
        # X = a*x + c*y + e, Y = b*x + d*y + f for /Rotate 0, 90, 180, 270 (clockwise when shown)
        self.matrix: Matrix = (
            (1.0, 0.0, 0.0, -1.0, -left, top),
            (0.0, 1.0, 1.0, 0.0, -bottom, -left),
            (-1.0, 0.0, 0.0, 1.0, right, -bottom),
            (0.0, -1.0, -1.0, 0.0, top, right),
        )[rotation % 4]

    def point(self, x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = self.matrix
        return a * x + c * y + e, b * x + d * y + f

    def box(self, x0: float, y0: float, x1: float, y1: float) -> Bbox:
        a, b, c, d, e, f = self.matrix
        ax, ay, bx, by = a * x0 + c * y0 + e, b * x0 + d * y0 + f, a * x1 + c * y1 + e, b * x1 + d * y1 + f
        return (ax, ay, bx, by) if ax <= bx and ay <= by else (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))


# --- opening -------------------------------------------------------------------------------------


def _open(data: bytes, path: str, settings: PageSettings) -> pdfium.PdfDocument:
    """The pdfium document, or a NianbaoError naming why it cannot be read."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in _PASSWORD_ERRORS:
            raise NianbaoError(path, "encrypted", "encrypted PDF (password required)") from None
        raise NianbaoError(path, "corrupt", f"corrupt or truncated PDF: {exc}") from None
    if b"%%EOF" not in data[-settings.eof_tail_bytes:]:
        pdf.close()
        raise NianbaoError(path, "corrupt", "corrupt or truncated PDF: no %%EOF marker at the end of the file")
    if len(pdf) == 0:
        pdf.close()
        raise NianbaoError(path, "corrupt", "corrupt or truncated PDF: it has no pages")
    return pdf


# --- characters ----------------------------------------------------------------------------------


def _page_text(raw: pdfium_c.FPDF_TEXTPAGE, count: int) -> str:
    """The text of all char slots of a text page, one str char per slot."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(raw, 0, count, buffer)
    text = bytes(buffer)[: 2 * max(written - 1, 0)].decode("utf-16-le", errors="replace")
    if len(text) != count:  # surrogate pairs: ask char by char
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i)) for i in range(count))
    return text.replace(_PDFIUM_HYPHEN, "-")


def textpage_to_chars(textpage: pdfium.PdfTextPage, frame: _Frame, settings: PageSettings) -> list[Char]:
    """Given a pdfium text page, return its printed characters (no blanks), "fake bold" copies dropped; a char
    whose loose box is ``loose_box_max_ratio`` times taller than the median one gets its ink box.

    pdfium's generated chars (the spaces and line breaks it infers) are whitespace, so they go too.
    """
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    text = _page_text(raw, count)
    rect = pdfium_c.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    loose_box, origin = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetCharOrigin
    found: list[tuple[int, str, Bbox, float]] = []
    for i, char in enumerate(text):
        if char.isspace() or char == "\x00" or not loose_box(raw, i, rect):
            continue
        origin(raw, i, ox, oy)
        found.append((i, char, frame.box(rect.left, rect.bottom, rect.right, rect.top),
                      frame.point(ox.value, oy.value)[1]))
    if not found:
        return []
    heights = sorted(box[3] - box[1] for _, _, box, _ in found)
    limit = settings.loose_box_max_ratio * heights[len(heights) // 2]
    chars = [Char(char, *(box if box[3] - box[1] <= limit else _ink_box(raw, i, frame, box)), base)
             for i, char, box, base in found]
    return dedupe_chars(chars, settings)


def _ink_box(raw: pdfium_c.FPDF_TEXTPAGE, i: int, frame: _Frame, loose: Bbox) -> Bbox:
    """The glyph's ink box, for the few fonts whose loose boxes come out absurdly large."""
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    if not pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top):
        return loose
    return frame.box(left.value, bottom.value, right.value, top.value)


# --- ruling lines --------------------------------------------------------------------------------


def _multiply(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _matrix(obj: pdfium_c.FPDF_PAGEOBJECT) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def page_objects(page: pdfium.PdfPage, kind: int) -> Iterator[tuple[pdfium_c.FPDF_PAGEOBJECT, Matrix]]:
    """Given a page, yield every object of a kind (also those inside form XObjects) with its matrix to page space."""
    stack = [(page.raw, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), False)]
    while stack:
        parent, outer, is_form = stack.pop()
        count = pdfium_c.FPDFFormObj_CountObjects(parent) if is_form else pdfium_c.FPDFPage_CountObjects(parent)
        for i in range(count):
            obj = pdfium_c.FPDFFormObj_GetObject(parent, i) if is_form else pdfium_c.FPDFPage_GetObject(parent, i)
            found = pdfium_c.FPDFPageObj_GetType(obj)
            if found == kind:
                yield obj, _multiply(_matrix(obj), outer)
            elif found == pdfium_c.FPDF_PAGEOBJ_FORM:
                stack.append((obj, _multiply(_matrix(obj), outer), True))


def _visible(obj: pdfium_c.FPDF_PAGEOBJECT, getter: object, white: int) -> bool:
    """Whether a path's colour shows on paper: not transparent, and not all of R, G and B at least ``white``."""
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, r, g, b, a):  # type: ignore[operator]
        return True  # pattern or unknown colour: assume it shows
    return a.value > 0 and min(r.value, g.value, b.value) < white


def path_to_subpaths(obj: pdfium_c.FPDF_PAGEOBJECT, matrix: Matrix) -> list[Subpath]:
    """Given a path object and its matrix to the displayed page, return its subpaths in displayed-page points."""
    subpaths: list[Subpath] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    a, b, c, d, e, f = matrix
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f, kind == pdfium_c.FPDF_SEGMENT_LINETO)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([])
        subpaths[-1].append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment) and subpaths[-1]:
            first = subpaths[-1][0]
            subpaths[-1].append((first[0], first[1], True))
    return subpaths


def page_to_edges(page: pdfium.PdfPage, frame: _Frame, settings: PageSettings) -> list[Edge]:
    """Given a page, return the visible horizontal and vertical strokes as pdfplumber edge dicts."""
    white = settings.white_level
    edges: list[Edge] = []
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    for obj, matrix in page_objects(page, pdfium_c.FPDF_PAGEOBJ_PATH):
        if not pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
            continue
        stroked = bool(stroke.value) and _visible(obj, pdfium_c.FPDFPageObj_GetStrokeColor, white)
        filled = (fill_mode.value != pdfium_c.FPDF_FILLMODE_NONE
                  and _visible(obj, pdfium_c.FPDFPageObj_GetFillColor, white))
        if not (stroked or filled):
            continue
        edges.extend(subpaths_to_edges(path_to_subpaths(obj, _multiply(matrix, frame.matrix)), stroked, settings))
    return edges


def page_to_pictures(page: pdfium.PdfPage, frame: _Frame) -> Iterator[Bbox]:
    """Given a page, yield the displayed-page box of each image on it (an image fills its matrix's unit square)."""
    for _, matrix in page_objects(page, pdfium_c.FPDF_PAGEOBJ_IMAGE):
        yield picture_box(_multiply(matrix, frame.matrix))


# --- pages ---------------------------------------------------------------------------------------


def page_geometry(pdf: pdfium.PdfDocument, index: int, settings: Settings
                  ) -> tuple[tuple[float, float], list[Char], list[Edge], bool]:
    """Given a document and a page index, return the page's (width, height), the chars of its text layer, its
    ruling lines, and whether it is a scan to OCR: no text, text of glyphs without a Unicode mapping, or text that
    does not carry the content over pictures covering the page (a scan's ruling lines are not read)."""
    page = pdf[index]
    try:
        frame = _Frame(page.get_cropbox(), pdfium_c.FPDFPage_GetRotation(page.raw))
        size = (frame.width, frame.height)
        textpage = page.get_textpage()
        try:
            chars = textpage_to_chars(textpage, frame, settings.page)
        finally:
            textpage.close()
        scan = (not chars or has_unmapped_text(chars, settings.scan)
                or is_scanned_page(chars, page_to_pictures(page, frame), size, settings.scan))
        edges = [] if scan else page_to_edges(page, frame, settings.page)
    finally:
        page.close()
    return size, chars, edges, scan


def inspect_page(pdf: pdfium.PdfDocument, index: int, settings: Settings) -> tuple[Page, bool]:
    """Given a document and a page index, return the page read from its text layer, and whether it is a scan
    to OCR."""
    size, chars, edges, scan = page_geometry(pdf, index, settings)
    tables = edges_to_tables(edges, (0.0, 0.0, *size), settings.page, chars) if edges else []
    return chars_to_page(index + 1, size[1], chars, tables, settings.page), scan


def render_scale(size: tuple[float, float], settings: Settings) -> float:
    """Pixels per point for rendering a page of (width, height) points for OCR: ``scan.render_dpi``, less for a
    page so large that it would pass ``reader.max_image_pixels``."""
    return pixels_per_point(size, settings.scan.render_dpi, settings.reader)


def render_page(pdf: pdfium.PdfDocument, index: int, settings: Settings) -> Pixels:
    """Given a document and a page index, return the page as displayed, in grey pixels at ``render_scale``."""
    page = pdf[index]
    try:
        bitmap = page.render(scale=render_scale(page.get_size(), settings), grayscale=True)
        try:
            pixels: Pixels = bitmap.to_numpy().copy()  # the bitmap's buffer is freed on close
            return pixels
        finally:
            bitmap.close()
    finally:
        page.close()


def render_scan(pdf: pdfium.PdfDocument, index: int, settings: Settings) -> tuple[Pixels, float]:
    """Given a document and a page index, return the page rendered for OCR, with points per pixel."""
    with _PDFIUM:
        scale = render_scale(pdf.get_page_size(index), settings)
        return render_page(pdf, index, settings), 1 / scale


def see_page(data: bytes, path: str, number: int, settings: Settings) -> Sight:
    """The page ``number`` (from 1) as this reader sees it, drawn at ``scan.render_dpi``; a scan is read by OCR."""
    with _PDFIUM:
        pdf = _open(data, path, settings.page)
    try:
        if not 1 <= number <= len(pdf):
            raise no_page(path, number, len(pdf))
        with _PDFIUM:
            size, chars, edges, scan = page_geometry(pdf, number - 1, settings)
        pixels, pt_per_px = render_scan(pdf, number - 1, settings)
    except pdfium.PdfiumError as exc:
        raise NianbaoError(path, "corrupt", f"corrupt or truncated PDF: {exc}") from None
    finally:
        with _PDFIUM:
            pdf.close()
    if scan:
        return image.see_pixels(pixels, pt_per_px, number, path, settings)
    tables = edges_to_tables(edges, (0.0, 0.0, *size), settings.page, chars) if chars else []
    return Sight(number, size, pixels, pt_per_px, chars, edges, [cell for t in tables for cell in t.cells], False)


def read(data: bytes, path: str, settings: Settings) -> Document:
    """Read PDF bytes into a Document: tables as expanded grids, other text as one Paragraph per line.

    Scanned pages are OCR'd when the [ocr] extra is installed (their numbers go to meta["ocr_pages"]).
    """
    with _PDFIUM:
        pdf = _open(data, path, settings.page)
    try:
        with _PDFIUM:
            inspected = [inspect_page(pdf, i, settings) for i in range(len(pdf))]
        pages = [page for page, _ in inspected]
        scans = [i for i, (_, scan) in enumerate(inspected) if scan]
        ocr_pages = image.ocr_scanned_pages(pages, scans, lambda i: render_scan(pdf, i, settings), path, "PDF",
                                            settings)
    except pdfium.PdfiumError as exc:
        raise NianbaoError(path, "corrupt", f"corrupt or truncated PDF: {exc}") from None
    finally:
        with _PDFIUM:
            pdf.close()
    document = pages_to_document(pages, path, "pdf", settings, scanned=bool(ocr_pages))
    if ocr_pages:
        document.meta["ocr_pages"] = ocr_pages
    return document
