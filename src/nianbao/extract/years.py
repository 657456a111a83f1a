"""Rows printed twice, the report's own and another year's (a comparison the report adds): which copy is the
report's, read from the caption row right above each copy (``2023年度``).

A copy is decided only by what the print says: exactly one copy is captioned with the report's year and every other
with another year, or every copy but one is captioned with another year and that one has no caption. Anything else
(no captions, a caption naming no year, two copies named alike) leaves the copies undecided: then a cell is read
only where every copy states it alike (``agreed``), the others are missing with their candidates.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..document import At, Row
from ..findings import BLANK, finding
from ..report import Cell, Finding
from ..schema import cell_name
from ..values import squash

_SHOWN = 8
"""Cells whose candidates a finding on undecided copies shows, at most."""
_CAPTION = re.compile(r"((?:19|20)\d{2})年度?(?:数据|情况)?")
"""A caption row's text, whitespace removed: a year alone (``2023年度``, ``2022年``)."""


def is_caption(text: str) -> bool:
    """Whether a cell's text is nothing but a year caption."""
    return _CAPTION.fullmatch(squash(text)) is not None


def caption_year(row: Row) -> int | None:
    """The year a row holding nothing but a year caption names (its pieces may stand in cells of their own, as a
    reader of a PDF's words splits ``2021 年度``); None for any other row."""
    found = _CAPTION.fullmatch("".join(squash(cell.text) for cell in row.cells))
    return int(found.group(1)) if found else None


def _own_copy(years: Sequence[int | None], year: int) -> int | None:
    """The index of the copy the report's ``year`` is printed for, given the year each copy's caption names (None:
    no caption); None when the captions do not decide it."""
    own = [k for k, named in enumerate(years) if named == year]
    unnamed = [k for k, named in enumerate(years) if named is None]
    others = len(years) - len(own) - len(unnamed)
    if len(own) == 1 and others == len(years) - 1:
        return own[0]
    if not own and len(unnamed) == 1 and others == len(years) - 1:
        return unnamed[0]
    return None


@dataclass(frozen=True)
class Choice:
    """The copy the captions decide: where the others (and their captions) stand, and the years they name."""

    dropped: frozenset[int]
    where: dict[str, int]
    own_at: At
    year: int
    others: tuple[int, ...]

    def drops(self, at: At) -> bool:
        """Whether a row at ``at`` (rebuilt from ``rows``) stands in a copy of another year."""
        return self.where.get(at_key(at)) in self.dropped

    def finding(self, cells: list[str], where: str) -> Finding:
        """S.other_year: the ``cells`` of table ``where`` read from the report's year's copy."""
        return finding("S.other_year", cells=cells, where=where, year=self.year,
                       other_years="、".join(f"{named}年度" for named in self.others), at=[self.own_at])


def choose_copy(copies: Sequence[Sequence[At]], rows: Sequence[Row], year: int | None) -> Choice | None:
    """The copy of rows printed more than once that is the report's ``year``'s, each copy given by the locations of
    its rows (copy after copy in printed order, every copy holding the same rows), found among ``rows``; None when a
    row is not found there, the copies interleave or the captions do not decide (``_own_copy``). A copy spans from its
    first row to the row before the next copy (the last one to its last row)."""
    where = {at_key(row.at): i for i, row in reversed(list(enumerate(rows)))}
    spans: list[tuple[int, int]] = []
    for copy in copies:
        found = [where.get(at_key(at), -1) for at in copy]
        if not found or min(found) < 0:
            return None
        spans.append((min(found), max(found)))
    spans.sort()
    if any(end >= start for (_, end), (start, _) in itertools.pairwise(spans)):
        return None
    firsts = [first for first, _ in spans]
    if year is None or len(firsts) < 2:
        return None
    captions = [_caption(rows, first) for first in firsts]
    own = _own_copy([named for _, named in captions], year)
    if own is None:
        return None
    tops = [top for top, _ in captions]
    ends = [*(top - 1 for top in tops[1:]), spans[-1][1]]
    dropped = frozenset(p for k, (top, end) in enumerate(zip(tops, ends, strict=True)) if k != own
                        for p in range(top, end + 1))
    others = tuple(named for k, (_, named) in enumerate(captions) if k != own and named is not None)
    return Choice(dropped, where, rows[firsts[own]].at, year, others)


def _caption(rows: Sequence[Row], first: int) -> tuple[int, int | None]:
    """Where the copy whose first row is ``rows[first]`` begins, and the year its caption names (None: no caption).
    The caption is the row above, rows of blank cells between them (a page break's) passed over, or a cell of the
    first row itself printed before the row's label (a dump of one cell a line joins it to the row)."""
    above = first - 1
    while above >= 0 and not any(squash(cell.text) for cell in rows[above].cells):
        above -= 1
    if above >= 0 and (named := caption_year(rows[above])) is not None:
        return above, named
    return first, _leading_caption(rows[first])


def _leading_caption(row: Row) -> int | None:
    """The year a cell of ``row`` names when it holds nothing but a year caption and a label follows it."""
    texts = [squash(cell.text) for cell in row.cells]
    for text, after in itertools.pairwise(texts):
        found = _CAPTION.fullmatch(text)
        if found and after and not after[0].isdigit():
            return int(found.group(1))
    return None


def at_key(at: At) -> str:
    """A location as a hashable key."""
    return repr(sorted(at.items()))


def agreed(readings: Sequence[Mapping[str, Cell]], where: str, at: list[At]) -> tuple[dict[str, Cell], Finding | None]:
    """The cells every reading of undecided copies (one reading per copy, in printed order) states alike, a blank and
    无 alike, as the first copy prints them; and S.copies_differ naming the others (cells some copy lacks or states
    otherwise) with what each copy prints, None when there are none."""
    keys = [key for key in readings[0] if all(key in reading for reading in readings)]
    read = {key: readings[0][key] for key in keys if len({reading[key].value for reading in readings}) == 1}
    differ = list(dict.fromkeys(key for reading in readings for key in reading if key not in read))
    if not differ:
        return read, None
    shown = "；".join(f"{cell_name(key)}：" + "或".join(_shown(reading.get(key)) for reading in readings)
                     for key in differ[:_SHOWN])
    return read, finding("S.copies_differ", cells=differ, where=where, count=len(readings),
                         readings=shown + ("等" if len(differ) > _SHOWN else ""), at=at)


def _shown(cell: Cell | None) -> str:
    """A copy's text of a cell in a finding: as printed, a blank cell as the rules read it."""
    if cell is None:
        return "未读出"
    return squash(cell.raw) or BLANK
