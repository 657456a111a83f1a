"""Agency, year and the report's own text → the division it belongs to (``nianbao.regions``), and the
contract's ``meta.region`` of it.

Reads nothing but the rows already read: the agency's name first, then the narrative, then the opening and
the close of the document settle a name that fits several divisions. A township name read by OCR that its
county does not have is checked against the county's townships one character off (OCR's usual slip on a rare
character): exactly one such township is taken, with a finding; several are listed in a finding. So is a name of
a division above the townships that the list lacks, checked against every division's name one character off and
the other names of the agency's.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..document import Row
from ..findings import finding
from ..regions import (
    Resolution,
    leading_names,
    names_one_off,
    resolve_region,
    strip_division_names,
    townships_one_off,
)
from ..report import Finding, Region
from ..settings import ExtractSettings
from .sections import row_text


def _edge_text(rows: list[Row], settings: ExtractSettings) -> str:
    """The text of the document's first ``region_front_rows`` and last ``region_back_rows`` rows (title,
    signature, page fields: where a report names its place)."""
    front, back = settings.region_front_rows, settings.region_back_rows
    picked = rows[:front] + rows[max(front, len(rows) - back):]
    return "\n".join([row_text(row) for row in picked])


def region_of(agency: str | None, year: int | None, narratives: Iterable[str], rows: list[Row],
              settings: ExtractSettings) -> Resolution:
    """The report's division: from the agency's name, then its narrative, then the edges of the document."""
    found = resolve_region(agency, year)
    if found.status != "resolved":
        found = resolve_region(agency, year, "\n".join(narratives))
    if found.status != "resolved":
        found = resolve_region(agency, year, _edge_text(rows, settings))
    return found


def contract_region(found: Resolution) -> Region | None:
    """``meta.region`` of the contract: the resolved division's names and code, none while it is not resolved."""
    division = found.division
    if division is None:
        return None
    return Region(province=division.province, city=division.city, county=division.county, code=division.code)


_PLACES_SHOWN = 3


def _printed_at(rows: list[Row], piece: str) -> list[dict[str, object]]:
    """Where the first rows printing ``piece`` are (the evidence of a name read by OCR)."""
    return [row.at for row in rows if piece in "".join(row_text(row).split())][:_PLACES_SHOWN]


def ocr_township(agency: str, level: str | None, year: int | None, found: Resolution, rows: list[Row]
                 ) -> tuple[str, Resolution, list[Finding]]:
    """A township agency read by OCR whose county ``found`` resolved but whose township the county lacks: the
    agency and its division with the one township of the county one character off the name as read (and an
    info finding pointing at the ``rows`` that print it), or as they were with a warning listing the several
    townships that fit."""
    division = found.division
    if level != "township" or division is None or division.township or not division.county_code:
        return agency, found, []
    read = "".join(agency.split())
    rest = strip_division_names(read, division)
    near = townships_one_off(division.county_code, rest)
    if len(near) > 1:
        return agency, found, [finding("S.ocr_township_unsure", read=read, county=division.county,
                                       near="、".join(near), at=_printed_at(rows, read))]
    if not near:
        return agency, found, []
    township = near[0]
    corrected = read[:len(read) - len(rest)] + township + rest[len(township):]
    again = resolve_region(corrected, year)
    if again.division is None or again.division.township != township:
        return agency, found, []
    seen = rest[:len(township)]
    return corrected, again, [finding("S.ocr_township", read=read, seen=seen, county=division.county,
                                      township=township, at=_printed_at(rows, seen))]


def _fits(read: str, at: int, name: str, year: int | None, found: Resolution) -> Resolution | None:
    """The division of the agency ``read`` with ``name`` put in at ``at`` in place of the name as read, when it
    resolves to one holding ``name`` and every name printed before it and right after it, and names more than
    ``name`` alone or ``found`` holds ``name`` too; else None."""
    mended = read[:at] + name + read[at + len(name):]
    again = resolve_region(mended, year)
    if again.division is None:
        return None
    names = [*leading_names(read[:at]), name, *leading_names(mended[at + len(name):])]
    held = again.division.clue_names()
    alone = len(names) == 1 and (found.division is None or name not in found.division.clue_names())
    return None if alone or not set(names) <= held else again


def ocr_division(agency: str, year: int | None, found: Resolution, rows: list[Row]
                 ) -> tuple[str, Resolution, list[Finding]]:
    """An agency read by OCR whose run of leading place names breaks on a name the division list lacks: the agency
    and its division with the one division name one character off it (never its last, which names the level)
    that its other names agree with (and an info finding pointing at the ``rows`` that print it), or as they were
    with a warning listing the several names that fit."""
    read = "".join(agency.split())
    at = len("".join(leading_names(read)))
    fits = {name: again for name in names_one_off(read[at:]) if (again := _fits(read, at, name, year, found))}
    if len(fits) > 1:
        unsure = finding("S.ocr_place_unsure", read=read, near="、".join(fits), at=_printed_at(rows, read))
        return agency, found, [unsure]
    if not fits:
        return agency, found, []
    ((name, again),) = fits.items()
    seen = read[at:at + len(name)]
    mended = read[:at] + name + read[at + len(name):]
    more, again, after = ocr_division(mended, year, again, rows)
    return more, again, [finding("S.ocr_place", read=read, seen=seen, named=name, at=_printed_at(rows, seen)),
                         *after]
