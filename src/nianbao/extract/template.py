"""Document rows → which official format the tables follow, judged by the printed labels.

Counts the labels that exist in only one of the two formats; the year decides only when no
such label is printed, and says so.
"""

from __future__ import annotations

from functools import cache

from ..document import Row
from ..schema import formats
from ..settings import ExtractSettings
from .labels import norm_label


@cache
def _markers() -> dict[str, tuple[str, ...]]:
    return {tpl: tuple(norm_label(m) for m in marks) for tpl, marks in formats().markers.items()}


def count_markers(rows: list[Row], settings: ExtractSettings) -> dict[str, int]:
    """How many distinct markers of each format the rows print (a cell of digits names none: not looked at)."""
    most = settings.template_cell_max_chars
    texts = {cell.text for row in rows for cell in row.cells}  # each text once: a table repeats its 0s and 无s
    printed = "\n".join([norm_label(text) for text in texts if text and len(text) <= most and not text.isdigit()])
    return {tpl: sum(1 for m in marks if m in printed) for tpl, marks in _markers().items()}


def template_by_year(year: int | None) -> str | None:
    """The format in force for a report year."""
    if year is None:
        return None
    template = formats().template_for_year(year)
    return template.key if template else None


def detect_template(rows: list[Row], settings: ExtractSettings) -> str | None:
    """The format whose markers the rows print more of; None when neither (or a tie)."""
    counts = count_markers(rows, settings)
    most = max(counts.values(), default=0)
    leaders = [template for template, count in counts.items() if count == most]
    return leaders[0] if most and len(leaders) == 1 else None
