"""Agency, year and the report's own text → the division it belongs to (``nianbao.regions``), and the
contract's ``meta.region`` of it.

Reads nothing but the rows already read: the agency's name first, then the narrative, then the opening and
the close of the document settle a name that fits several divisions.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..document import Row
from ..regions import Resolution, resolve_region
from ..report import Region
from ..settings import ExtractSettings
from .sections import row_text


def _edge_text(rows: list[Row], settings: ExtractSettings) -> str:
    """The text of the document's first ``region_front_rows`` and last ``region_back_rows`` rows (title,
    signature, page fields: where a report names its place)."""
    front, back = settings.region_front_rows, settings.region_back_rows
    picked = rows[:front] + rows[max(front, len(rows) - back):]
    return "\n".join(row_text(row) for row in picked)


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
