"""Text file bytes → str: detects the encoding (UTF-8 with or without BOM, UTF-16, GB18030/GBK).

Refuses empty and binary input with a NianbaoError; does not look at the content's meaning.
"""

from __future__ import annotations

import codecs

from ..errors import NianbaoError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 32))
_MAX_CONTROL_SHARE = 0.05
_SNIFF_BYTES = 65536


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:_SNIFF_BYTES]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_nuls > half * 0.3 and even_nuls < half * 0.05:
        return "utf-16-le"
    if even_nuls > half * 0.3 and odd_nuls < half * 0.05:
        return "utf-16-be"
    return None


def _newlines(text: str) -> str:
    """Lines ended by LF: CRLF (Windows) made LF, and CR too in a text whose lines end by CR alone (classic Mac OS)."""
    text = text.replace("\r\n", "\n")
    return text if "\n" in text else text.replace("\r", "\n")


def utf16_encoding(data: bytes) -> str | None:
    """The UTF-16 codec of ``data`` when it is UTF-16 text, with or without a BOM (None otherwise)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(codecs.BOM_UTF32_LE):
        return "utf-16"
    return _utf16_without_bom(data) if 0 in data[:_SNIFF_BYTES] else None


def decode_text(data: bytes, path: str) -> str:
    """Decode report text; raise NianbaoError for empty, binary or undecodable input."""
    if not data.strip():
        raise NianbaoError(path, "empty", "the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _newlines(data.decode(encoding, errors="replace"))
    sample = data[:_SNIFF_BYTES]
    if 0 in sample:  # only UTF-16 without a BOM, or binary data, holds NUL bytes
        utf16 = _utf16_without_bom(data)
        if utf16:
            return _newlines(data.decode(utf16, errors="replace"))
        raise NianbaoError(path, "binary", "binary data, not text (unknown or unsupported file type)")
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))  # one pass over the sample
    if controls > len(sample) * _MAX_CONTROL_SHARE:
        raise NianbaoError(path, "binary", "binary data, not text (unknown or unsupported file type)")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _newlines(text) if b"\r" in data else text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        return _newlines(str(best))
    return _line_by_line(data, path)


def _line_by_line(data: bytes, path: str) -> str:
    """Text whose lines use different encodings (pasted together): each line decoded on its own."""
    lines = []
    for raw in data.split(b"\n"):
        for encoding in ("utf-8", "gb18030"):
            try:
                lines.append(raw.decode(encoding))
                break
            except UnicodeDecodeError:
                continue
        else:
            raise NianbaoError(path, "encoding", "text in an unknown encoding")
    return "\n".join(lines).replace("\r", "")
