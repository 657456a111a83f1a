"""Document rows → the six sections: where each heading is, and the narrative text of each.

Headings are found by their label (numbering optional, wording variants accepted), never by
their numeral, so reports with their own numbering or a missing heading still split.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..document import Row
from ..schema import formats
from .labels import norm_label

_HEADING_SLACK = 12
_HEADING_MAX_CHARS = 60


@dataclass(slots=True)
class Sections:
    """Row index of each heading found (first occurrence, in order), keyed by section key."""

    starts: dict[str, int]
    total_rows: int

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


def heading_key(row: Row) -> str | None:
    """The section a row heads, when it is a lone short line naming a section."""
    texts = [c.text for c in row.cells if c.text]
    if len(texts) != 1 or len(texts[0]) > _HEADING_MAX_CHARS:
        return None
    normed = norm_label(texts[0])
    if not normed or len(normed) > 40 or not normed.startswith(_heading_starts()):
        return None
    for key, label in _heading_labels():
        if normed == label or (normed.startswith(label) and len(normed) - len(label) <= _HEADING_SLACK
                               and not normed[len(label):].isdigit()):
            return key
    return None


def find_sections(rows: list[Row]) -> Sections:
    """First heading of each section, in document order."""
    starts: dict[str, int] = {}
    for i, row in enumerate(rows):
        key = heading_key(row)
        if key and key not in starts:
            starts[key] = i
    return Sections(starts, len(rows))


def row_text(row: Row) -> str:
    """A row's text as one line (cells joined by a space)."""
    return " ".join(c.text.strip() for c in row.cells if c.text.strip())


def narrative(rows: list[Row], sections: Sections, key: str) -> str:
    """Text of a narrative section without its heading; empty when the section is absent."""
    span = sections.span(key)
    if span is None:
        return ""
    lines = [row_text(r) for r in rows[span[0] + 1:span[1]]]
    return "\n".join(line for line in lines if line)
