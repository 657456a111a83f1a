"""File path or bytes → Document: detects the format from the content and calls its reader.

Readers know nothing about annual reports; they only rebuild paragraphs and table grids.
"""

from __future__ import annotations

import hashlib
import importlib
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from ..collector import collection_paused
from ..document import Document
from ..errors import NianbaoError
from ..settings import Settings, resolve
from .archive import refuse_zip_bomb
from .inline import read_scraped
from .layout import text_to_document
from .text import decode_text, utf16_encoding

_HTML_HINTS = (b"<html", b"<!doctype html", b"<head", b"<body", b"<table", b"<meta", b"<div", b"<p")


def detect_format(data: bytes) -> str:
    """Format name from the first bytes: pdf, docx, ofd, doc, html, image, zip or text."""
    head = data[:2048].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError):
            return "broken-zip"
        if "word/document.xml" in names:
            return "docx"
        if "OFD.xml" in names or any(n.lower().endswith("ofd.xml") for n in names):
            return "ofd"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        return "image"
    utf16 = utf16_encoding(data)
    if utf16:  # a page saved as UTF-16 (Windows' "Unicode"): its markup is text to look at, not bytes
        head = data[:2048].decode(utf16, errors="ignore").encode("utf-8").lstrip()
    lowered = head[:1024].lower()
    if lowered.lstrip(b"\xef\xbb\xbf").startswith(b"<") and any(hint in lowered for hint in _HTML_HINTS):
        return "html"
    return "text"


def _check_archive(data: bytes, path: str, settings: Settings) -> None:
    """Refuse a ZIP container whose members would unpack past the limits (a zip bomb)."""
    refuse_zip_bomb(zipfile.ZipFile(BytesIO(data)).infolist(), path, settings.reader)


def _refuse_zip(data: bytes, path: str, settings: Settings) -> Document:
    raise NianbaoError(path, "unsupported", "a ZIP archive that is neither DOCX nor OFD")


def _refuse_broken_zip(data: bytes, path: str, settings: Settings) -> Document:
    raise NianbaoError(path, "corrupt", "corrupt or truncated ZIP container (DOCX/OFD): the archive cannot be opened")


@collection_paused
def _read_text(data: bytes, path: str, settings: Settings) -> Document:
    text = decode_text(data, path)
    document = read_scraped(text, settings) or text_to_document(text, settings.layout)
    document.format = "markdown" if path.lower().endswith((".md", ".markdown")) else "text"
    return document


Reader = Callable[[bytes, str, Settings], Document]
_READERS: dict[str, Reader] = {"text": _read_text, "zip": _refuse_zip, "broken-zip": _refuse_broken_zip}
FORMAT_SUFFIXES: dict[str, tuple[str, ...]] = {
    "text": (".txt", ".md", ".markdown"), "html": (".html", ".htm"), "pdf": (".pdf",), "docx": (".docx",),
    "doc": (".doc",), "ofd": (".ofd",), "image": (".png", ".jpg", ".jpeg", ".tif", ".tiff"),
}
"""The file name suffixes of each readable format, the first being the usual one."""
SUFFIXES = frozenset(suffix for suffixes in FORMAT_SUFFIXES.values() for suffix in suffixes)
"""Suffixes of the files a directory search picks up (the content decides the format, not the suffix)."""
_MODULES = frozenset(FORMAT_SUFFIXES) - {"text"}
"""Formats read by a module of the same name, imported on first use."""


def register(fmt: str, reader: Reader) -> None:
    """Make ``reader`` handle files detected as ``fmt``."""
    _READERS[fmt] = reader


def _reader(fmt: str, path: str) -> Reader:
    """The reader of a format; format modules are imported on first use (their libraries are heavy)."""
    if fmt not in _READERS and fmt in _MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{fmt}")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith("nianbao"):
                raise  # a broken import inside the package is a bug, not an unsupported format
            raise NianbaoError(path, "missing_dependency",
                               f"reading {fmt} files needs the package '{exc.name}': "
                               f"pip install 'nianbao[{fmt}]'") from None
        _READERS[fmt] = module.read
    reader = _READERS.get(fmt)
    if reader is None:
        raise NianbaoError(path, "unsupported", f"{fmt} files are not supported")
    return reader


def read_bytes(data: bytes, path: str = "<bytes>", settings: Settings | dict[str, object] | None = None) -> Document:
    """Document of in-memory file content; ``path`` only names it in messages."""
    options = resolve(settings)
    if len(data) > options.reader.max_file_bytes:
        raise NianbaoError(path, "too_large", f"file is larger than the limit of {options.reader.max_file_bytes} bytes")
    fmt = detect_format(data)
    if fmt in ("docx", "ofd"):
        _check_archive(data, path, options)
    document = _reader(fmt, path)(data, path, options)
    document.path = path
    document.sha256 = hashlib.sha256(data).hexdigest()
    return document


def read(path: str | Path, settings: Settings | dict[str, object] | None = None) -> Document:
    """Document of a file on disk."""
    name = str(path)
    limit = resolve(settings).reader.max_file_bytes
    try:
        if Path(path).stat().st_size > limit:
            raise NianbaoError(name, "too_large", f"file is larger than the limit of {limit} bytes")
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise NianbaoError(name, "unreadable", "is a directory, not a file") from None
    except FileNotFoundError:
        raise NianbaoError(name, "unreadable", "no such file") from None
    except OSError as exc:
        raise NianbaoError(name, "unreadable", exc.strerror or str(exc)) from None
    return read_bytes(data, name, settings)
