"""Report → report text in the official layout, its tables flattened the ways real dumps flatten them.

Styles: ``cells`` (one TAB-prefixed cell per line, blank line between rows), ``tabs`` (one
TAB-separated row per line), ``pipes`` (``a | b |``), ``markdown`` (``| a | b |`` tables and
``#`` headings), ``columns`` (space-aligned, as ``pdftotext -layout`` prints) and ``lines``
(each cell on a line of its own with no marker, as plain ``pdftotext`` prints). Blank cells (whitespace
only, too) vanish in the last two. A vertically merged cell prints as an empty cell on the rows it covers; a
horizontally merged one prints once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..options import STYLES
from .grid import Grid, expand
from .layout import DEFAULT, TABLES, Layout
from .prose import closing_lines, intro, narrative, title

if TYPE_CHECKING:
    from ..report import Report


Rows = list[list[str]]


def flatten(grid: Grid) -> Rows:
    """Rows of cell texts as a Word-to-text conversion prints them."""
    rows: Rows = []
    for placed in expand(grid):
        row = []
        for position in placed:
            if position is not None and position.origin:
                row.append(position.slot.text)
            elif position is not None and position.from_above:
                row.append("")
        rows.append(row)
    return rows


def _cells_style(rows: Rows) -> list[str]:
    lines: list[str] = []
    for row in rows:
        lines.extend("\t" + cell for cell in row)
        lines.append("")
    return lines


def _tabs_style(rows: Rows) -> list[str]:
    return ["\t".join(row) for row in rows]


def _pipes_style(rows: Rows) -> list[str]:
    return [" | ".join(row) + " |" for row in rows]


def _markdown_style(rows: Rows) -> list[str]:
    width = max(len(r) for r in rows)
    lines = []
    for i, row in enumerate(rows):
        lines.append("| " + " | ".join(row + [""] * (width - len(row))) + " |")
        if i == 0:
            lines.append("|" + "---|" * width)
    return [*lines, ""]


def _columns_style(rows: Rows) -> list[str]:
    return ["    ".join(cell for cell in row if cell.strip()) for row in rows]


def _lines_style(rows: Rows) -> list[str]:
    return [cell for row in rows for cell in row if cell.strip()]


_FLATTEN: dict[str, Callable[[Rows], list[str]]] = {
    "cells": _cells_style, "tabs": _tabs_style, "pipes": _pipes_style,
    "markdown": _markdown_style, "columns": _columns_style, "lines": _lines_style,
}


def render_text(report: Report, style: str = "tabs", layout: Layout = DEFAULT) -> str:
    """The whole report as text, its tables flattened in ``style`` (one of STYLES), drawn as ``layout`` says."""
    if style not in _FLATTEN:
        raise ValueError(f"unknown text style {style!r}; choose one of {', '.join(STYLES)}")
    draw = _FLATTEN[style]
    heading = "## " if style == "markdown" else ""
    lines = [("# " if style == "markdown" else "") + title(report), "", intro(report), ""]
    for number, text in enumerate(layout.headings):
        lines += [heading + text, ""]
        if number in TABLES:
            lines += [*draw(flatten(layout.grid(number, report))), ""]
            lines += [layout.notes[number], ""] if number in layout.notes else []
        else:
            lines += [narrative(report, number), ""]
    return "\n".join(lines + closing_lines(report)) + "\n"
