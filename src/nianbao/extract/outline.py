"""Document rows + sections found → outline findings: the six parts numbered 一 to 六, in order, each under
its own heading, and no sub-topic numbered like a part.

Works on the headings ``find_sections`` found (as printed) and on the lines numbered 一、二、… inside the
narrative parts; one finding per defect, naming the printed heading. A part not found at all is
``S.missing_section``'s finding, not this module's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache

from ..document import Row
from ..findings import finding
from ..report import Finding
from ..schema import Section, formats
from ..settings import ExtractSettings
from .labels import norm_label
from .sections import Sections, numbering_level, row_text

_NUMERALS = "一二三四五六七八九十"
_PART_NUMBER = re.compile(rf"^(?:第\s*([{_NUMERALS}]+)\s*部分|([{_NUMERALS}]+)\s*[、.,]|(\d{{1,2}})\s*[、.](?!\d))")
_TABLE_CAPTION = re.compile(rf"^表\s*[{_NUMERALS}\d]+")


def _numeral_value(numeral: str) -> int:
    """一 → 1 … 十 → 10, 十一 → 11 (parts never go further)."""
    if numeral.startswith("十"):
        return 10 + (_NUMERALS.index(numeral[1]) + 1 if len(numeral) > 1 else 0)
    return _NUMERALS.index(numeral[0]) + 1


@lru_cache(maxsize=1024)
def _printed_number(text: str) -> tuple[str, int] | None:
    """The numbering a heading is printed with (``一、``, ``第一部分``, ``1.``) and the number it gives (remembered:
    headings repeat)."""
    folded = unicodedata.normalize("NFKC", text).strip()
    found = _PART_NUMBER.match(folded)
    if not found:
        return None
    chinese, arabic = found.group(1) or found.group(2), found.group(3)
    return found.group(0).strip(), _numeral_value(chinese) if chinese else int(arabic)


@cache
def _parts() -> dict[str, tuple[int, Section]]:
    return {s.key: (i + 1, s) for i, s in enumerate(formats().sections)}


@cache
def _labels() -> dict[str, re.Pattern[str]]:
    """Section key → one search for any of its labels (normalised)."""
    return {s.key: re.compile("|".join(re.escape(norm_label(label)) for label in (s.label, *s.variants)))
            for s in formats().sections}


@cache
def _table_row_labels() -> tuple[str, ...]:
    return tuple(norm_label(label) for r in formats().t3_rows for label in (r.label, *r.variants))


def _short(text: str, most: int) -> str:
    return text if len(text) <= most else text[:most] + "…"


def _heading_findings(key: str, printed: str, numbered: tuple[str, int] | None, restarts: bool) -> Iterator[Finding]:
    """Numbering and merging of one part's heading, ``numbered`` as printed (a heading where numbering starts again
    has its own finding and no second one for its number)."""
    number, section = _parts()[key]
    if numbered is None:
        rule = "S.outline_table_heading" if _TABLE_CAPTION.match(printed.strip()) else "S.outline_unnumbered"
        yield finding(rule, heading=printed, number=section.number, label=section.label)
    elif (numbered[1] != number or numbered[0][0].isdigit()) and not restarts:
        yield finding("S.outline_number", heading=printed, actual=numbered[0], expected=f"{section.number}、",
                      printed=numbered[0], official=f"{section.number}、")
    for other in _labels_in(key, norm_label(printed)):
        yield finding("S.outline_merged", heading=printed, number=section.number,
                      other_number=_parts()[other][1].number)


@lru_cache(maxsize=1024)
def _labels_in(key: str, normed: str) -> tuple[str, ...]:
    """The other parts whose label the heading of part ``key`` (``normed``) holds (remembered: headings repeat)."""
    return tuple(other for other, labels in _labels().items() if other != key and labels.search(normed))


def _order_findings(found: list[tuple[int, str, str]]) -> Iterator[Finding]:
    """Parts out of the official order."""
    highest: tuple[int, str] | None = None
    for _, key, printed in found:
        number, section = _parts()[key]
        if highest is not None and number < highest[0]:
            yield finding("S.outline_order", heading=printed, number=section.number, earlier=highest[1],
                          earlier_number=_parts_by_number()[highest[0]])
        if highest is None or number > highest[0]:
            highest = (number, printed)


def _restarts(found: list[tuple[int, str, str]], numbers: dict[str, tuple[str, int] | None]) -> dict[str, Finding]:
    """Headings whose number (``numbers``: by printed heading) is not above the number of the heading before them,
    by printed heading."""
    out: dict[str, Finding] = {}
    previous: tuple[int, str] | None = None
    for _, _, printed in found:
        numbered = numbers[printed]
        if numbered is None:
            continue
        if previous is not None and numbered[1] <= previous[0]:
            out[printed] = finding("S.outline_restart", heading=printed, actual=numbered[0], printed=numbered[0],
                                   earlier=previous[1])
        previous = (numbered[1], printed)
    return out


@cache
def _parts_by_number() -> dict[int, str]:
    return {number: section.number for number, section in _parts().values()}


def _subtopics(rows: list[Row], sections: Sections, settings: ExtractSettings) -> Iterator[Finding]:
    """Lines numbered 一、二、… inside a narrative part, listed once per part. A line whose number is that of
    a part not found is left alone: it may be that part's heading in a wording not recognised."""
    missing = {number for number, s in _parts().values() if s.key not in sections.starts}
    start_chars, quote_chars = settings.numbering_start_chars, settings.outline_quote_chars
    for key, (_, section) in _parts().items():
        span = sections.span(key)
        if section.kind != "narrative" or span is None:
            continue
        listed = []
        for row in rows[span[0] + 1:span[1]]:
            text = row_text(row)
            start = text[:start_chars]  # numbering is read from the start of a line only
            if start[:1] not in _NUMERALS or numbering_level(start) != "top":
                continue
            numbered = _printed_number(start)
            if numbered is None or numbered[1] in missing:
                continue
            if norm_label(text).startswith(_table_row_labels()):
                continue
            listed.append(f"“{_short(text, quote_chars)}”")
        if listed:
            yield finding("S.outline_subtopic", number=section.number, label=section.label, headings="、".join(listed))


def outline_findings(rows: list[Row], sections: Sections, settings: ExtractSettings) -> list[Finding]:
    """Every outline defect of the report, one finding each."""
    found = sorted((i, key, sections.printed.get(key, row_text(rows[i]))) for key, i in sections.starts.items())
    numbers = {printed: _printed_number(printed) for _, _, printed in found}
    restarts = _restarts(found, numbers)
    out: list[Finding] = []
    for _, key, printed in found:
        out += _heading_findings(key, printed, numbers[printed], printed in restarts)
    return [*out, *_order_findings(found), *restarts.values(), *_subtopics(rows, sections, settings)]
