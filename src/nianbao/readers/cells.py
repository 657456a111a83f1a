"""Anchor texts and merged positions → rows of TextCell, and the cell-text cleaning and line joining shared by
the readers (which characters are wide, how a cell's lines become one string). Knows no file format.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from ..document import TextCell

Slot = str | None
"""One grid position while a table is built: the anchor's text, or None when a merged cell covers it."""

_WIDE_FROM = "\u2e80"
"""CJK characters and full-width forms and punctuation: every character from this one on."""
_WIDE_PUNCTUATION = "\u2018\u2019\u201c\u201d\u2014\u2026\u00b7"
"""The quotes and dashes CJK text sets full width. No space is written next to these or the CJK characters."""
_DISPLAY_WIDE = frozenset({"W", "F"})
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
RAISED = {"sup": str.maketrans("0123456789+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻"), "sub": str.maketrans("0123456789+-", "₀₁₂₃₄₅₆₇₈₉₊₋")}
"""Digits set as superscript or subscript (a note's mark after a value) → the characters that print them so, which
``values.parse_value`` does not take for digits of the value."""


@cache
def _soft_break() -> re.Pattern[str]:
    """A line break between two wide characters, with the blanks around it (compiled on first use: a class of
    every wide character takes milliseconds to compile, and most inputs print no line break inside a cell)."""
    wide = f"[{_WIDE_FROM}-\U0010ffff{_WIDE_PUNCTUATION}]"
    return re.compile(rf"(?<={wide})[^\S\xa0\u3000]*\n[^\S\xa0\u3000]*(?={wide})")


# --- text ------------------------------------------------------------------------------------------------------


def clean_text(raw: str) -> str:
    """One line of text: invisible characters removed, soft line breaks between CJK dropped, spaces collapsed."""
    text = raw.strip()
    if not text:
        return ""
    text = text.translate(_INVISIBLE)
    if "\n" in text or "\r" in text:
        text = _soft_break().sub("", text.replace("\r", "\n"))
    return " ".join(text.split())


def display_width(char: str) -> int:
    """The columns a char takes in a text dump laid out for the eye: two for a wide or full-width one (East
    Asian Width W or F), else one."""
    return 2 if unicodedata.east_asian_width(char) in _DISPLAY_WIDE else 1


def text_width(text: str) -> int:
    """The columns a text takes in a text dump laid out for the eye (``display_width`` of each char)."""
    return sum(map(display_width, text))


def is_wide(char: str) -> bool:
    """True for a CJK character or full-width punctuation (no space is written next to it); of a longer text,
    whether its first character is one."""
    first = char[:1]
    return first >= _WIDE_FROM or (first != "" and first in _WIDE_PUNCTUATION)


def join_lines(lines: list[str]) -> str:
    """Cleaned lines as one text: no separator where both sides are CJK, else one space."""
    out = ""
    for line in lines:
        if not line:
            continue
        if out and not (is_wide(out[-1]) and is_wide(line[0])):
            out += " "
        out += line
    return out


# --- grids -----------------------------------------------------------------------------------------------------


def _is_phantom(slots: list[list[Slot]], col: int) -> bool:
    """Empty in every row and covered by a merged cell (or missing) in at least one."""
    return all(not row[col] for row in slots) and any(row[col] is None for row in slots)


def slots_to_rows(slots: list[list[Slot]], table: int) -> list[list[TextCell]]:
    """Grid of anchor texts / covered positions → rows of TextCell, without phantom columns.

    Covered positions are ``merged``; an empty cell a row prints in a dropped column is remembered by
    the next cell kept in that row (``blank_before``), or by its last cell after it (``blank_after``), since
    spans that disagree between rows can make a printed blank look like a phantom.
    """
    width = max((len(row) for row in slots), default=0)
    square = [row + [None] * (width - len(row)) for row in slots]
    phantom = [_is_phantom(square, c) for c in range(width)]
    if all(phantom):
        return []
    rows: list[list[TextCell]] = []
    for r, row in enumerate(square):
        cells: list[TextCell] = []
        dropped: list[dict[str, int]] = []
        for c, slot in enumerate(row):
            if phantom[c]:
                if slot is not None:
                    dropped.append({"table": table, "row": r, "grid_col": c})
                continue
            cells.append(TextCell(slot or "", {"table": table, "row": r, "col": len(cells)}, slot is None,
                                  tuple(dropped)))
            dropped = []
        if dropped and cells:
            cells[-1].blank_after = tuple(dropped)
        rows.append(cells)
    return rows


def place(rows: list[dict[int, Slot]], r: int, col: int, text: Slot, rowspan: int, colspan: int) -> None:
    """Put an anchor at (r, col) and mark the positions its spans cover (earlier cells win overlaps)."""
    if rowspan > 1 or colspan > 1:
        for target in rows[r:r + rowspan]:
            for c in range(col, col + colspan):
                target.setdefault(c, None)
    rows[r][col] = text


def dict_rows_to_slots(rows: list[dict[int, Slot]]) -> list[list[Slot]]:
    """Sparse rows (column → slot) → dense rows; missing positions are None."""
    width = max((max(row) + 1 for row in rows if row), default=0)
    return [[row.get(c) for c in range(width)] for row in rows]
