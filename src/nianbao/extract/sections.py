"""Document rows → the six sections: where each heading is, and the narrative text of each.

Headings are found by their label (numbering optional, wording variants accepted) or, when
numbered 一、二、…, by the cue words of the section in any wording; never by their numeral, so
reports with their own numbering or a missing heading still split. A sub-topic numbered （一）
inside a part never starts a section.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache

from ..document import Row
from ..schema import formats
from ..settings import ExtractSettings
from .labels import norm_label

_TOP_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+\s*[、.,]|第[一二三四五六七八九十]+部分)")
_SUB_NUMBER = re.compile(r"^(?:[(][一二三四五六七八九十\d]+[)]|\d{1,2}\s*[.、](?!\d))")
_SENTENCE_END = re.compile(r"[。;!?]")


@dataclass(slots=True)
class Sections:
    """Row index of each heading found (first occurrence, in order), keyed by section key,
    with the heading as printed."""

    starts: dict[str, int]
    total_rows: int
    printed: dict[str, str] = field(default_factory=dict)
    wrapped: set[str] = field(default_factory=set)
    """Sections whose heading wraps onto the row after its start."""

    def span(self, key: str) -> tuple[int, int] | None:
        """Rows from the heading to the next heading found after it."""
        start = self.starts.get(key)
        if start is None:
            return None
        later = [i for i in self.starts.values() if i > start]
        return start, min(later, default=self.total_rows)


@cache
def _heading_labels() -> list[tuple[str, str]]:
    pairs = []
    for section in formats().sections:
        for label in (section.label, *section.variants):
            pairs.append((section.key, norm_label(label)))
    return pairs


@cache
def _heading_starts() -> tuple[str, ...]:
    return tuple(label for _, label in _heading_labels())


_NUMBER_STARTS = frozenset("一二三四五六七八九十第(0123456789")
"""The characters a numbered line starts with once folded (see ``_TOP_NUMBER`` and ``_SUB_NUMBER``)."""


@lru_cache(maxsize=4096)
def numbering_level(text: str) -> str:
    """How a line is numbered: ``top`` (一、), ``sub`` (（一）, 1.) or ``none`` (remembered: headings repeat, and
    folding their widths is slow)."""
    head = text.lstrip()[:1]
    if head not in _NUMBER_STARTS and (head.isascii() or "\u4e00" <= head <= "\u9fff"):
        return "none"  # an ASCII character or a CJK ideograph folds to itself: no numbering (most lines)
    folded = unicodedata.normalize("NFKC", text).strip()
    if _TOP_NUMBER.match(folded):
        return "top"
    return "sub" if _SUB_NUMBER.match(folded) else "none"


def _by_label(normed: str, slack: int) -> str | None:
    if not normed.startswith(_heading_starts()):
        return None
    for key, label in _heading_labels():
        if normed == label or (normed.startswith(label) and len(normed) - len(label) <= slack
                               and not normed[len(label):].isdigit()):
            return key
    return None


def _by_cues(normed: str, most: int) -> str | None:
    """The one section whose cue words a numbered heading of at most ``most`` chars contains (None if several)."""
    if len(normed) > most:
        return None
    keys = [key for key, cues in _cues() if cues.match(normed)]
    return keys[0] if len(keys) == 1 else None


@cache
def _cues() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(section key, a match of a text holding a word of each of its groups of cue words) of the sections that
    have cue words (a group of no word is held by no text)."""
    return tuple((s.key, re.compile("".join(f"(?=.*?(?:{'|'.join(map(re.escape, group)) if group else '(?!)'}))"
                                            for group in s.cues), re.DOTALL))
                 for s in formats().sections if s.cues)


def _lone_text(row: Row) -> str:
    """The text of the row's one filled cell; empty for a row of several (a table row) or none."""
    text = ""
    for cell in row.cells:  # a table row's second filled cell ends the search
        if cell.text:
            if text:
                return ""
            text = cell.text
    return text


def _heading(text: str, settings: ExtractSettings) -> tuple[str, str] | None:
    """(section key, numbering level) of a row whose lone filled cell holds ``text`` (``_lone_text``), a short line
    naming a section."""
    if not text or len(text) > settings.heading_max_chars:
        return None
    normed = norm_label(text)
    if not normed or len(normed) > settings.heading_label_max_chars:
        return None
    key = _by_label(normed, settings.heading_slack_chars)
    if key is not None:
        return key, numbering_level(text)
    if _SENTENCE_END.search(text) or numbering_level(text) != "top":
        return None
    key = _by_cues(normed, settings.cue_heading_max_chars)
    return (key, "top") if key else None


def heading_key(row: Row, settings: ExtractSettings) -> str | None:
    """The section a row heads, when it is a lone short line naming a section."""
    found = _heading(_lone_text(row), settings)
    return found[0] if found else None


def find_sections(rows: list[Row], settings: ExtractSettings) -> Sections:
    """First heading of each section, in document order. A heading numbered as a sub-topic
    (（一）, 1.) does not start a section when the report numbers its parts 一、二、…, nor does a line without
    a number when a numbered heading names the same part (the line is a paragraph's, which may list the
    parts' names)."""
    lone = [_lone_text(row) for row in rows]  # read once: a row's lone text is asked of it and of the row before
    headings = [_heading(text, settings) if text else None for text in lone]
    candidates = [(i, *found) for i, found in enumerate(headings) if found]
    wrapped = {i: key for i in range(len(rows) - 1)
               if headings[i] is None and lone[i] and lone[i + 1]
               and (key := _wrapped_heading(lone[i], lone[i + 1], settings))}
    candidates = sorted([*candidates, *((i, key, "top") for i, key in wrapped.items())])
    has_top = any(level == "top" for _, _, level in candidates)
    numbered = {key for _, key, level in candidates if level == "top"}
    sections = Sections({}, len(rows))
    for i, key, level in candidates:
        if key in sections.starts or (has_top and level == "sub") or (level == "none" and key in numbered):
            continue
        sections.starts[key] = i
        sections.printed[key] = row_text(rows[i])
        if i in wrapped:
            sections.wrapped.add(key)
            sections.printed[key] += row_text(rows[i + 1])
    return sections


def _wrapped_heading(text: str, rest: str, settings: ExtractSettings) -> str | None:
    """The section a heading numbered 一、 names when it wraps onto the next line: ``text``, a row's lone line naming
    no section (the caller knows: no ``_heading``), and ``rest``, the lone unnumbered line of the row after it, name
    one by its label or a wording of it (a long heading on a narrow page)."""
    if numbering_level(text) != "top" or numbering_level(rest) != "none" or _SENTENCE_END.search(text + rest):
        return None
    joined = text + rest
    normed = norm_label(joined)
    if len(joined) > settings.heading_max_chars or len(normed) > settings.heading_label_max_chars:
        return None
    return _by_label(normed, settings.heading_slack_chars)


def row_text(row: Row) -> str:
    """A row's text as one line (cells joined by a space)."""
    cells = row.cells
    if len(cells) == 1:  # a paragraph: most rows, and row_text is asked for often
        return cells[0].text.strip()
    if row.joined is None:  # a table row's text is asked for by several steps: joined once
        row.joined = " ".join([text for c in cells if (text := c.text.strip())])
    return row.joined


def narrative(rows: list[Row], sections: Sections, key: str) -> str:
    """Text of a narrative section without its heading; empty when the section is absent."""
    span = sections.span(key)
    if span is None:
        return ""
    lines = [row_text(r) for r in rows[span[0] + 1 + (key in sections.wrapped):span[1]]]
    return "\n".join(line for line in lines if line)
