"""OFD bytes (GB/T 33190) → Document: text objects as chars and path objects as ruling lines, through the grid engine.

It knows nothing about annual reports and reads no pixels itself: a scanned page (ImageObjects and no text, or a
text layer that does not carry the content over pictures covering the page, see ``scanned.is_scanned_page``) has its
pictures drawn on a blank page and read by the OCR of the scan reader (the optional [ocr] extra). Embedded font
metrics, clip areas and composite objects are not read, and an OFD without any text is refused.

How: the zip package is opened in memory within the reader settings' limits (unpacked size, member count),
no path may leave the package, and its XML is parsed by lxml without DTDs, entities or network. OFD.xml names
the document, Document.xml its pages and template pages; each page's template layers (ZOrder Background, then the page,
then Foreground) are walked, PageBlocks included. A TextCode's X/Y and DeltaX/DeltaY (with the ``g n d``
repeat form) place each glyph; glyph boxes come from the font size (the em square, ``page.ofd_ascent`` above the
baseline).
A PathObject's AbbreviatedData (S/M/L/Q/B/A/C/Z) gives subpaths: visible strokes, or thin filled bars, become
edges. Coordinates go through the object's CTM and Boundary origin, and millimetres become points (72/25.4),
so ``at`` bboxes are in points, top-left origin, like the PDF reader's. A stroke counts as its centre line:
the line width does not matter. An ImageObject fills the unit square of its space (CTM, then Boundary origin;
its whole Boundary when it has no CTM); its ResourceID names a MultiMedia of the document's PublicRes or
DocumentRes or of a page's PageRes, whose MediaFile lies under that resource file's BaseLoc folder.
"""

from __future__ import annotations

import functools
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING, TypeVar

from lxml import etree

from ..document import Document
from ..errors import NianbaoError
from ..settings import PageSettings, ReaderSettings, ScanSettings, Settings
from . import image
from .archive import refuse_zip_bomb
from .cells import is_wide
from .chars import Char, dedupe_chars
from .edges import Edge, Subpath, subpaths_to_edges
from .grid import edges_to_tables
from .pages import Page, geometry_to_page, pages_to_document
from .raster import Matrix, compose, decode_picture
from .scanned import is_scanned_page, picture_box
from .sight import Sight, no_page

if TYPE_CHECKING:
    from .raster import Pixels

Box = tuple[float, float, float, float]
"""x, y, width, height in millimetres, as OFD writes boxes."""

PT_PER_MM = 72 / 25.4
ENCRYPTION_PART = "Encryptions.xml"

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                          dtd_validation=False, remove_comments=True)
_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_PATH_ARGS = {"S": 2, "M": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0, "Z": 0}
"""AbbreviatedData operators and how many numbers each takes."""
_ORDER = {"Background": 0, "Body": 1, "Foreground": 2}
_UNITS = ("TextObject", "PathObject", "ImageObject")
T = TypeVar("T")
Media = dict[str, tuple[str, str, str]]
"""MultiMedia ID → (a part inside its resource file's BaseLoc folder, the resource file, its MediaFile)."""


class _Corrupt(Exception):
    """A malformed part or value; ``read`` turns it into a NianbaoError naming the file."""


# --- the package ---------------------------------------------------------------------------------


class Package:
    """The parts of an OFD zip, parsed on demand; refuses zip bombs (``reader.max_unzipped_bytes``,
    ``reader.max_archive_members``) and paths that leave the package."""

    def __init__(self, data: bytes, path: str, limits: ReaderSettings) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
            raise NianbaoError(path, "corrupt", f"corrupt OFD package: {exc}") from None
        infos = self.zip.infolist()
        refuse_zip_bomb(infos, path, limits)
        self.parts: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = info.filename.replace("\\", "/")
            if name.startswith("/") or ".." in name.split("/") or re.match(r"^[A-Za-z]:", name):
                raise NianbaoError(path, "corrupt", f"OFD package has a file outside the package: {info.filename!r}")
            self.parts[name] = info
        if ENCRYPTION_PART in self.parts:
            raise NianbaoError(path, "encrypted", "encrypted OFD (GM/T 0099 encryption is not supported)")

    def resolve(self, base: str, location: str) -> str:
        """The part a location names: absolute from the package root, else relative to ``base``'s folder."""
        location = location.strip().replace("\\", "/")
        candidates = [location.lstrip("/")] if location.startswith("/") else [
            posixpath.join(posixpath.dirname(base), location), location]
        for candidate in candidates:
            name = posixpath.normpath(candidate)
            if name.startswith("../") or name == "..":
                raise _Corrupt(f"{base} refers outside the package: {location!r}")
            if name in self.parts:
                return name
        raise _Corrupt(f"{base} refers to a missing part: {location!r}")

    def read(self, name: str) -> bytes:
        """The bytes of a part."""
        try:
            with self.zip.open(self.parts[name]) as member:
                return member.read()  # zipfile stops at the declared size, checked above, and verifies the CRC
        except RuntimeError as exc:  # zipfile's "File is encrypted, password required"
            raise NianbaoError(self.path, "encrypted", f"encrypted OFD package: {exc}") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            raise _Corrupt(f"{name}: {exc}") from None

    def xml(self, name: str) -> etree._Element:
        """The parsed XML of a part."""
        data = self.read(name)
        try:
            return etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as exc:
            raise _Corrupt(f"{name} is not well-formed XML: {exc}") from None


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return element.find(f"{{*}}{name}")


def _text_of(element: etree._Element, path: str) -> str | None:
    """The stripped text of the first element at a slash-separated path of local names."""
    found = element.find("/".join(f"{{*}}{part}" for part in path.split("/")))
    return found.text.strip() if found is not None and found.text and found.text.strip() else None


def _numbers(text: str, count: int) -> list[float]:
    values = [float(token) for token in text.split()]
    if len(values) != count:
        raise ValueError(f"expected {count} numbers in {text!r}")
    return values


def _box(text: str) -> Box:
    x, y, w, h = _numbers(text, 4)
    return x, y, w, h


def _flag(element: etree._Element, name: str, default: bool) -> bool:
    value = element.get(name)
    return default if value is None else value.strip().lower() in ("true", "1")


# --- document structure --------------------------------------------------------------------------


class _Template:
    """A template page: its Content element and whether it is drawn under or over the page."""

    def __init__(self, content: etree._Element | None, order: str) -> None:
        self.content = content
        self.order = order


def document_location(package: Package) -> str:
    """The Document.xml part named by OFD.xml's first DocBody."""
    root_name = next((name for name in package.parts if name.lower() == "ofd.xml"), None)
    if root_name is None:
        raise _Corrupt("no OFD.xml at the package root")
    doc_root = _text_of(package.xml(root_name), "DocBody/DocRoot")
    if doc_root is None:
        raise _Corrupt("OFD.xml names no DocBody/DocRoot")
    return package.resolve(root_name, doc_root)


def page_locations(package: Package, document: etree._Element, location: str) -> list[str]:
    """The content part of each page, in page order."""
    pages = document.find("{*}Pages")
    entries = [] if pages is None else pages.findall("{*}Page")
    if not entries:
        raise _Corrupt(f"{location} lists no pages")
    return [package.resolve(location, entry.get("BaseLoc", "")) for entry in entries]


def templates(package: Package, document: etree._Element, location: str) -> dict[str, _Template]:
    """The template pages of the document, by ID, each parsed once."""
    found = {}
    for entry in document.iterfind("{*}CommonData/{*}TemplatePage"):
        template = package.xml(package.resolve(location, entry.get("BaseLoc", "")))
        found[entry.get("ID", "")] = _Template(_child(template, "Content"), entry.get("ZOrder", "Background"))
    return found


def resource_names(element: etree._Element, tags: tuple[str, ...]) -> list[str]:
    """The resource locations an element names in its children of the given tags (PublicRes, PageRes …)."""
    return [child.text.strip() for tag in tags for child in element.iterfind(f"{{*}}{tag}")
            if child.text and child.text.strip()]


def document_resources(package: Package, document: etree._Element, location: str) -> list[str]:
    """The document-wide resource parts: CommonData's PublicRes and DocumentRes, and the template pages' PageRes."""
    common = document.find("{*}CommonData")
    if common is None:
        return []
    found = [package.resolve(location, name) for name in resource_names(common, ("PublicRes", "DocumentRes"))]
    for entry in common.iterfind("{*}TemplatePage"):
        template = package.resolve(location, entry.get("BaseLoc", ""))
        found += [package.resolve(template, name) for name in resource_names(package.xml(template), ("PageRes",))]
    return found


def media_files(package: Package, resources: list[str]) -> Media:
    """The MultiMedia entries of the given resource parts, by ID."""
    found: Media = {}
    for location in resources:
        res = package.xml(location)
        base_loc = res.get("BaseLoc", "").strip().replace("\\", "/")
        folder = base_loc.lstrip("/") if base_loc.startswith("/") else posixpath.join(posixpath.dirname(location),
                                                                                       base_loc)
        for media in res.iterfind("{*}MultiMedias/{*}MultiMedia"):
            name = _text_of(media, "MediaFile")
            if name:
                found[media.get("ID", "").strip()] = (posixpath.join(folder, "_"), location, name)
    return found


def media_part(package: Package, media: Media, resource_id: str) -> str:
    """The part of a MultiMedia's file: under its BaseLoc folder, else beside its resource file, else from the root."""
    if resource_id not in media:
        raise _Corrupt(f"an ImageObject refers to an undeclared resource {resource_id!r}")
    inside, location, name = media[resource_id]
    try:
        return package.resolve(inside, name)
    except _Corrupt:
        return package.resolve(location, name)


def page_box(page: etree._Element, default: Box) -> Box:
    """The page's displayed box: its ApplicationBox, else its PhysicalBox, else the document's PageArea."""
    for path in ("Area/ApplicationBox", "Area/PhysicalBox"):
        text = _text_of(page, path)
        if text:
            return _box(text)
    return default


def default_box(document: etree._Element) -> Box:
    """The document's PageArea (ApplicationBox, else PhysicalBox)."""
    for path in ("CommonData/PageArea/ApplicationBox", "CommonData/PageArea/PhysicalBox"):
        text = _text_of(document, path)
        if text:
            return _box(text)
    raise _Corrupt("Document.xml has no CommonData/PageArea/PhysicalBox")


def page_layers(location: str, page: etree._Element, known: dict[str, _Template]) -> list[etree._Element]:
    """The Content elements drawn on a page, bottom first: background templates, the page, foreground ones."""
    stacked: list[tuple[int, etree._Element]] = []
    for use in page.iterfind("{*}Template"):
        template = known.get(use.get("TemplateID", ""))
        if template is None:
            raise _Corrupt(f"{location} uses an undeclared template {use.get('TemplateID')!r}")
        if template.content is not None:
            stacked.append((_ORDER.get(use.get("ZOrder", template.order), 0), template.content))
    content = _child(page, "Content")
    if content is not None:
        stacked.append((_ORDER["Body"], content))
    return [content for _, content in sorted(stacked, key=lambda pair: pair[0])]


def graphic_units(content: etree._Element) -> Iterator[etree._Element]:
    """The Text-, Path- and ImageObjects of a Content element in drawing order, inside PageBlocks too."""
    for element in content.iter(*(f"{{*}}{unit}" for unit in _UNITS)):
        if all(_flag(ancestor, "Visible", True) for ancestor in (element, *element.iterancestors())):
            yield element


# --- coordinates ---------------------------------------------------------------------------------


def object_matrix(element: etree._Element) -> Matrix:
    """The matrix from a graphic unit's own space to page points: its CTM, then its Boundary origin, then mm → pt."""
    x, y, _, _ = _box(element.get("Boundary", "0 0 0 0"))
    ctm = element.get("CTM")
    a, b, c, d, e, f = _numbers(ctm, 6) if ctm else IDENTITY
    s = PT_PER_MM
    return (a * s, b * s, c * s, d * s, (e + x) * s, (f + y) * s)


def picture_matrix(element: etree._Element) -> Matrix:
    """The matrix from an ImageObject's unit square to page points; without a CTM the picture fills its Boundary,
    as OFD readers draw it."""
    if element.get("CTM"):
        return object_matrix(element)
    x, y, w, h = (v * PT_PER_MM for v in _box(element.get("Boundary", "0 0 0 0")))
    return (w, 0.0, 0.0, h, x, y)


def _point(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


# --- text ----------------------------------------------------------------------------------------


def deltas(text: str | None, count: int) -> list[float | None]:
    """The ``count`` offsets of a DeltaX/DeltaY attribute, ``g n d`` expanded; missing ones are None."""
    values: list[float | None] = []
    tokens = (text or "").split()
    i = 0
    while i < len(tokens) and len(values) < count:
        if tokens[i] == "g":
            repeat, value = int(tokens[i + 1]), float(tokens[i + 2])
            values.extend([value] * min(repeat, count - len(values)))
            i += 3
        else:
            values.append(float(tokens[i]))
            i += 1
    return values + [None] * (count - len(values))


def _advance(char: str, size: float, settings: PageSettings) -> float:
    """The estimated advance of a glyph: the font size for CJK, ``ofd_narrow_advance`` of it for others."""
    return size if is_wide(char) else settings.ofd_narrow_advance * size


def _glyph(char: str, origin: tuple[float, float], width: float, size: float, matrix: Matrix,
           settings: PageSettings) -> Char:
    """The Char of a glyph ``width`` wide whose origin (on the baseline) is at x, y in its object's space."""
    x, y = origin
    ascent, descent = settings.ofd_ascent * size, settings.ofd_descent * size
    corners = [_point(matrix, gx, gy) for gx in (x, x + width) for gy in (y - ascent, y + descent)]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    return Char(char, min(xs), min(ys), max(xs), max(ys), _point(matrix, x, y)[1])


def text_to_chars(element: etree._Element, settings: PageSettings) -> list[Char]:
    """Given a TextObject, return its glyphs as Chars in page points (spaces dropped)."""
    size = float(element.get("Size", "0"))
    matrix = object_matrix(element)
    chars: list[Char] = []
    x = y = 0.0
    for code in element.iterfind("{*}TextCode"):
        text = "".join(code.itertext())  # an entity reference stays as written: entities are never expanded
        x, y = float(code.get("X", x)), float(code.get("Y", y))
        steps = zip(deltas(code.get("DeltaX"), len(text)), deltas(code.get("DeltaY"), len(text)), strict=True)
        for char, (dx, dy) in zip(text, steps, strict=True):
            if not char.isspace():  # the glyph reaches the next one (at most one em away): no gap is read as a space
                width = min(dx, size) if dx and dx > 0 else _advance(char, size, settings)
                chars.append(_glyph(char, (x, y), width, size, matrix, settings))
            x += dx if dx is not None else _advance(char, size, settings)
            y += dy or 0.0
    return chars


# --- paths ---------------------------------------------------------------------------------------


def _colour_visible(colour: etree._Element | None, white: int) -> bool:
    """False for a fully transparent or white colour (every level at least ``white``); True when unset (black) or
    not plain RGB/grey."""
    if colour is None:
        return True
    if int(colour.get("Alpha", "255")) == 0:
        return False
    tokens = (colour.get("Value") or "").split()
    try:
        levels = [int(t[1:], 16) if t.startswith("#") else float(t) for t in tokens]
    except ValueError:
        return True
    return not levels or min(levels) < white


def abbreviated_to_subpaths(data: str, matrix: Matrix) -> list[Subpath]:
    """Given AbbreviatedData and the object's matrix, return its subpaths in page points.

    Each point is flagged True when a straight line (L, or the closing of C/Z) reaches it; curves and arcs
    only move the current point.
    """
    tokens = _PATH_TOKEN.findall(data)
    subpaths: list[Subpath] = []
    i = 0
    while i < len(tokens):
        op, count = tokens[i], _PATH_ARGS.get(tokens[i])
        if count is None or len(tokens) - i - 1 < count:
            raise ValueError(f"path data has a bad operator or too few numbers at {op!r}")
        args = [float(t) for t in tokens[i + 1: i + 1 + count]]
        i += 1 + count
        if op in "CZ":
            if subpaths and subpaths[-1]:
                first = subpaths[-1][0]
                subpaths[-1].append((first[0], first[1], True))
            continue
        x, y = _point(matrix, args[-2], args[-1])
        if op in "SM" or not subpaths:
            subpaths.append([])
        subpaths[-1].append((x, y, op == "L"))
    return subpaths


def path_to_edges(element: etree._Element, settings: PageSettings) -> list[Edge]:
    """Given a PathObject, return its edges: visible straight strokes, or thin bars when only filled."""
    white = settings.white_level
    stroked = _flag(element, "Stroke", True) and _colour_visible(_child(element, "StrokeColor"), white)
    filled = _flag(element, "Fill", False) and _colour_visible(_child(element, "FillColor"), white)
    data = _child(element, "AbbreviatedData")
    if not (stroked or filled) or data is None or not data.text:
        return []
    return subpaths_to_edges(abbreviated_to_subpaths(data.text, object_matrix(element)), stroked, settings)


# --- pages ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class Sheet:
    """What one page draws, in page points: glyphs, ruling lines, pictures (an ImageObject's ResourceID and its
    matrix from the unit square) and its (width, height); and its part with the resources it names (PageRes)."""

    chars: list[Char]
    edges: list[Edge]
    pictures: list[tuple[str, Matrix]]
    size: tuple[float, float]
    location: str = ""
    resources: tuple[str, ...] = ()

    def is_scan(self, settings: ScanSettings) -> bool:
        """Whether the page is read by OCR: it has pictures, and no text or text that does not carry the content."""
        boxes = (picture_box(matrix) for _, matrix in self.pictures)
        return bool(self.pictures) and (not self.chars or is_scanned_page(self.chars, boxes, self.size, settings))

    def to_page(self, number: int, scan: bool, settings: PageSettings) -> Page:
        """The page read from its text objects and path objects (without tables when it is a scan)."""
        return geometry_to_page(number, self.size, self.chars, [] if scan else self.edges, settings)


def _inside(char: Char, box: Box) -> bool:
    x, y, w, h = (v * PT_PER_MM for v in box)
    cx, cy = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2
    return x <= cx <= x + w and y <= cy <= y + h


def page_to_sheet(page: etree._Element, location: str, known: dict[str, _Template], default: Box,
                  settings: PageSettings) -> Sheet:
    """Given a parsed page, return what it draws (templates included)."""
    box = page_box(page, default)
    sheet = Sheet([], [], [], ((box[0] + box[2]) * PT_PER_MM, (box[1] + box[3]) * PT_PER_MM), location,
                  tuple(resource_names(page, ("PageRes",))))
    for content in page_layers(location, page, known):
        for unit in graphic_units(content):
            kind = etree.QName(unit).localname
            if kind == "TextObject":
                sheet.chars.extend(text_to_chars(unit, settings))
            elif kind == "PathObject":
                sheet.edges.extend(path_to_edges(unit, settings))
            else:
                sheet.pictures.append((unit.get("ResourceID", "").strip(), picture_matrix(unit)))
    sheet.chars = [char for char in dedupe_chars(sheet.chars, settings) if _inside(char, box)]
    return sheet


def read_sheets(package: Package, settings: PageSettings) -> tuple[list[Sheet], Callable[[], Media]]:
    """Every page of the package's first document, in order, and the document-wide media (read when called)."""
    location = document_location(package)
    document = package.xml(location)
    known = templates(package, document, location)
    default = default_box(document)
    sheets = [page_to_sheet(package.xml(page), page, known, default, settings)
              for page in page_locations(package, document, location)]
    return sheets, functools.cache(lambda: media_files(package, document_resources(package, document, location)))


def render_sheet(package: Package, sheet: Sheet, shared: Media, settings: Settings) -> tuple[Pixels, float]:
    """Given a scanned page and the document-wide media, return the page's pictures drawn on a blank page in grey,
    with points per pixel."""
    own = [package.resolve(sheet.location, name) for name in sheet.resources]
    media = {**shared, **media_files(package, own)}

    def pictures() -> Iterator[tuple[Pixels, Matrix]]:
        for resource_id, matrix in sheet.pictures:
            part = media_part(package, media, resource_id)
            data = package.read(part)
            try:
                yield decode_picture(data, package.path, settings.reader), matrix
            except NianbaoError as exc:
                raise NianbaoError(package.path, exc.code, f"OFD image {part}: {exc.reason}") from None

    return compose(sheet.size, pictures(), settings)


def see_page(data: bytes, path: str, number: int, settings: Settings) -> Sight:
    """The page ``number`` (from 1) as this reader sees it: a scan read by OCR; else its text objects and path
    objects over its pictures (text itself is not drawn: glyphs are not rendered)."""
    package = Package(data, path, settings.reader)
    sheets, shared = _guarded(path, lambda: read_sheets(package, settings.page))
    if not 1 <= number <= len(sheets):
        raise no_page(path, number, len(sheets))
    sheet = sheets[number - 1]
    pixels, pt_per_px = _guarded(path, lambda: render_sheet(package, sheet, shared(), settings))
    if sheet.is_scan(settings.scan):
        return image.see_pixels(pixels, pt_per_px, number, path, settings)
    tables = edges_to_tables(sheet.edges, (0.0, 0.0, *sheet.size), settings.page) if sheet.chars else []
    cells = [cell for table in tables for cell in table.cells]
    return Sight(number, sheet.size, pixels, pt_per_px, sheet.chars, sheet.edges, cells, False)


def _guarded(path: str, call: Callable[[], T]) -> T:
    """The result of ``call``, a malformed part or value turned into a NianbaoError naming the file."""
    try:
        return call()
    except (_Corrupt, ValueError, IndexError) as exc:
        raise NianbaoError(path, "corrupt", f"corrupt OFD: {exc}") from None


def read(data: bytes, path: str, settings: Settings) -> Document:
    """Read OFD bytes into a Document: tables as expanded grids, other text as one Paragraph per line.

    Scanned pages are OCR'd when the [ocr] extra is installed (their numbers go to meta["ocr_pages"]).
    """
    package = Package(data, path, settings.reader)
    sheets, shared = _guarded(path, lambda: read_sheets(package, settings.page))
    scanned = [sheet.is_scan(settings.scan) for sheet in sheets]
    pages = [sheet.to_page(k + 1, scan, settings.page)
             for k, (sheet, scan) in enumerate(zip(sheets, scanned, strict=True))]
    scans = [k for k, scan in enumerate(scanned) if scan]

    def render(k: int) -> tuple[Pixels, float]:
        return _guarded(path, lambda: render_sheet(package, sheets[k], shared(), settings))

    ocr_pages = image.ocr_scanned_pages(pages, scans, render, path, "OFD", settings)
    if not any(page.chars for page in pages):
        raise NianbaoError(path, "no_text", f"{len(pages)} page(s) but no text objects and no scanned images")
    document = pages_to_document(pages, path, "ofd", settings, scanned=bool(ocr_pages))
    if ocr_pages:
        document.meta["ocr_pages"] = ocr_pages
    return document
