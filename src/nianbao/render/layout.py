"""How a rendered report is drawn beyond its content: page, margins, column widths, wording, merges.

Every field left at its default draws the official layout the renderers print without a Layout;
other values reproduce what agencies' own documents do (another paper size, narrow columns whose
labels wrap, a heading worded differently, a 无 printed once across merged cells).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .grid import Grid, t2_grid, t3_grid, t4_grid
from .prose import HEADINGS

if TYPE_CHECKING:
    from ..report import Report

TABLES: dict[int, Callable[[Report], Grid]] = {1: t2_grid, 2: t3_grid, 3: t4_grid}
"""Section number (0-based, as in HEADINGS) → the grid of the table printed under it."""
TABLE_BORDERS = ("top", "left", "bottom", "right", "insideH", "insideV")
"""The borders of a DOCX table (``w:tblBorders``), all drawn in the official form."""


@dataclass(frozen=True, slots=True)
class Layout:
    """Drawing options; ``None`` keeps the official default of each renderer."""

    headings: tuple[str, ...] = HEADINGS
    grids: dict[int, Grid] = field(default_factory=dict)
    """Section number → the grid to print there instead of the report's official one."""
    page_cm: tuple[float, float] | None = None
    """(width, height) of the DOCX page."""
    margins_cm: tuple[float, float, float, float] | None = None
    """(top, right, bottom, left) DOCX margins."""
    widths_cm: dict[int, tuple[float, ...]] = field(default_factory=dict)
    """Number of grid columns → DOCX column widths."""
    header_rows: dict[int, int] = field(default_factory=dict)
    """Section number → how many top rows of its table repeat on every page (DOCX)."""
    table_half_points: int | None = None
    """DOCX table font size in half points."""
    page_number: tuple[str, str] | None = None
    """Text before and after the page number printed centred in the DOCX footer, e.g. ("- ", " -")."""
    table_borders: tuple[str, ...] = TABLE_BORDERS
    """The DOCX table borders drawn, of ``TABLE_BORDERS``: all of them (the official form), or fewer (a frame
    without inner lines, only the horizontal lines, none)."""
    section_borders: dict[int, tuple[str, ...]] = field(default_factory=dict)
    """Section number → the borders of its table, instead of ``table_borders`` (tables drawn alike or not)."""
    notes: dict[int, str] = field(default_factory=dict)
    """Section number → a free line printed after its table, before the next heading (a ``注：`` note)."""

    def grid(self, number: int, report: Report) -> Grid:
        """The grid printed under section ``number``."""
        return self.grids[number] if number in self.grids else TABLES[number](report)


DEFAULT = Layout()
