"""Cell text → the number it states (or None), and whether text looks like a table value.

Shared by the text layout step and the extractor; knows nothing about report structure.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"[\s\u3000\u00a0\ufeff\u200b]+")
_NUMBER = re.compile(
    r"(?P<num>[+-]?\d+(?:\.\d+)?)(?:件|个|项|条|次|篇|万元|元)?(?:[（(].*[)）])?"
)
_NULL_TOKENS = frozenset({"", "无", "-", "—", "–", "－", "/", "／", "——", "--", "---", "\\", "\\-"})
"""Texts that state nothing; ``\\-`` is a dash as pandoc escapes it in markdown."""
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?:\D|$))")
WIDE_SEPARATOR = r"(?<=\d)，(?=\d{3}(?!\d))"
"""A full-width comma inside a number (``2，400``): a thousands separator only between a digit and a group of three
(elsewhere it is the punctuation of a sentence)."""
CUT_NUMBER = re.compile(r"(?:^|\d)[,，]$")
"""A cell's text ending in a thousands separator (or holding one alone): a number a narrow cell wrapped there."""
CUT_NUMBER = re.compile(r"(?:\d{1,3}(?:[,，]\d{3})*)?[,，]")
"""A word that is a number cut at a thousands separator (``1，`` over ``674``: a narrow cell wrapped it there), or the
separator alone."""
DIGITS_RUN = rf"\d(?:[\d,]|{WIDE_SEPARATOR})*"
"""The digits of a number as printed, with its thousands separators (an ASCII comma anywhere, see ``WIDE_SEPARATOR``
for a full-width one); what readers take as one value token."""
_MARK_TAGS = ("<super>", "<sub>", "<circle>")
_MARK_CHARS = "".join(chr(c) for c in (*range(0xB2, 0xBA), *range(0x2070, 0x20A0), *range(0x2460, 0x2500),
                                       *range(0x3251, 0x32C0))
                      if unicodedata.decomposition(chr(c)).startswith(_MARK_TAGS))
_MARK = re.compile(f"[{re.escape(_MARK_CHARS)}]")
_TRAILING_MARKS = re.compile(f"[{re.escape(_MARK_CHARS)}]+$")
"""Superscript, subscript and circled digits (¹ ₂ ①), which NFKC would make digits: after a value they are a note's
mark, not digits of it; anywhere else the text is no value."""


@lru_cache(maxsize=8192)
def squash(text: str) -> str:
    """Remove every kind of whitespace (full-width, NBSP, zero-width included). Cached: for the short texts met
    again and again (labels, cells, names); a long text read once goes through ``unspaced``. The cache is small
    enough that what the texts it keeps hold stays a few MB in a worker that parses thousands of reports."""
    return _SPACE.sub("", text)


@lru_cache(maxsize=32)
def unspaced(text: str) -> str:
    """``squash`` for a long text (a report's narrative, its front matter): only the last few are kept, which the
    rules of one report read several times; ``squash``'s cache would keep thousands."""
    return _SPACE.sub("", text)


@lru_cache(maxsize=4096)
def parse_value(raw: str) -> tuple[int | float | None, bool]:
    """Return (value, looks_like_value) for a cell's raw text.

    ``value`` is the leading number (thousands separators dropped, unit suffix, a trailing parenthetical note and
    a trailing note mark (¹, ①) allowed, sign kept) or None; ``looks_like_value`` is True for numbers
    and for the tokens that state nothing (blank, 无, -, —, /).
    """
    text = squash(raw)
    if _MARK.search(text):
        text = _TRAILING_MARKS.sub("", text)
        if not text or _MARK.search(text):
            return None, False
    text = unicodedata.normalize("NFKC", text)
    if text in _NULL_TOKENS:
        return None, True
    text = _THOUSANDS.sub("", text)
    match = _NUMBER.fullmatch(text)
    if not match:
        return None, False
    num = match.group("num")
    value: int | float = float(num) if "." in num else int(num)
    return value, True


def is_value_like(raw: str) -> bool:
    """True when the text is a number or a token meaning "nothing reported"."""
    return parse_value(raw)[1]


def is_blank(raw: str) -> bool:
    """True when the text states no number (blank, 无, dashes, slashes)."""
    value, like = parse_value(raw)
    return like and value is None


BLANK, NUMBER, TEXT = 0, 1, 2


@lru_cache(maxsize=65536)
def cell_kind(raw: str) -> int:
    """BLANK for text stating nothing (also 无, dashes), NUMBER for a value, TEXT otherwise."""
    value, like = parse_value(raw)
    if not like:
        return TEXT
    return BLANK if value is None else NUMBER
