"""Forms nianbao's own renderer prints: HTML, Markdown, the text styles, and TAB rows with every merged
cell expanded to its grid positions (as a spreadsheet export prints a table)."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable

from nianbao.render import STYLES, Layout, render_html, render_text
from nianbao.render.grid import Placed, expand
from nianbao.render.layout import TABLES
from nianbao.render.prose import closing_lines, intro, title
from nianbao.report import Report

from . import form
from .drawing import draw

_NARRATIVE = {0: "overview", 4: "problems_improvements", 5: "other_matters"}


@form("html", ".html")
def make_html(report: Report, rng: random.Random) -> bytes:
    """The renderer's HTML page."""
    return render_html(report, draw(report).layout).encode("utf-8")


def _style_form(style: str) -> None:
    suffix = ".md" if style == "markdown" else ".txt"
    name = "md" if style == "markdown" else f"txt-{style}"

    @form(name, suffix)
    def make(report: Report, rng: random.Random) -> bytes:
        return render_text(report, style, draw(report).layout).encode("utf-8")


for _style in STYLES:
    _style_form(_style)


def _dump(report: Report, table: Callable[[Layout, int], list[str]]) -> bytes:
    """The report as text: title, introduction, each part's heading with its table's lines (``table``) and the
    note after it, or its narrative, and the closing lines."""
    layout = draw(report).layout
    lines = [title(report), "", intro(report), ""]
    for number, heading in enumerate(layout.headings):
        lines.append(heading)
        lines += table(layout, number) if number in TABLES else [report.sections.get(_NARRATIVE[number], "") or "无。"]
        lines += [layout.notes[number]] if number in layout.notes else []
    return ("\n".join(lines + closing_lines(report)) + "\n").encode("utf-8")


@form("tab-rows", ".txt")
def make_tab_rows(report: Report, rng: random.Random) -> bytes:
    """One TAB-separated line per table row, every grid position printed (a merged cell's text at its
    top-left position, the positions it covers empty)."""
    return _dump(report, lambda layout, number: [
        "\t".join(p.slot.text if p is not None and p.origin else "" for p in row)
        for row in expand(layout.grid(number, report))])


@form("cell-lines", ".txt")
def make_cell_lines(report: Report, rng: random.Random) -> bytes:
    """One line per table cell, an empty line for a blank cell and for each row a cell merged from above
    covers, nothing for a cell merged from the left (as an office suite's plain-text export prints a
    table)."""
    return _dump(report, lambda layout, number: [
        p.slot.text if p.origin else "" for row in expand(layout.grid(number, report)) for p in row
        if p is not None and (p.origin or (p.from_above and p.first_column))])


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _wrap(text: str, width: int) -> list[str]:
    """The text in pieces of at most ``width`` display columns (a label wrapped in its cell)."""
    pieces = [""]
    for char in text:
        if pieces[-1] and _display_width(pieces[-1] + char) > width:
            pieces.append("")
        pieces[-1] += char
    return pieces


def _aligned_rows(grid: list[list[Placed | None]], rng: random.Random) -> list[list[str]]:
    """Each grid row as its printed lines, every grid column starting at one display column: labels to the
    left and wrapped onto further lines when longer than their column, values right-aligned or centred, a
    blank cell as spaces; text spanning columns runs over the columns it spans."""
    texts = [[p.slot.text if p is not None and p.origin else "" for p in row] for row in grid]
    spans = [[p.slot.colspan if p is not None and p.origin else 1 for p in row] for row in grid]
    cap = rng.randint(8, 24)
    widths = [min(cap, max((_display_width(t[c]) for t, n in zip(texts, spans, strict=True) if n[c] == 1),
                           default=0)) for c in range(len(texts[0]))]
    gap, centred = " " * rng.randint(2, 4), rng.random() < 0.5
    out = []
    for row, cells, span in zip(grid, texts, spans, strict=True):
        room = [sum(widths[c:c + span[c]]) + len(gap) * (span[c] - 1) for c in range(len(cells))]
        wrapped = [_wrap(text, room[c]) if text and not (row[c] and row[c].slot.value) else [text]
                   for c, text in enumerate(cells)]
        lines = []
        for k in range(max(len(w) for w in wrapped)):
            printed, c = [], 0
            while c < len(cells):
                text = wrapped[c][k] if k < len(wrapped[c]) else ""
                pad = max(0, room[c] - _display_width(text))
                value = row[c] is not None and row[c].slot.value
                left = (pad // 2 if centred else pad) if value else 0
                printed.append(" " * left + text + " " * (pad - left))
                c += span[c]
            lines.append(gap.join(printed).rstrip())
        out.append(lines)
    return out


@form("txt-aligned", ".txt")
def make_aligned(report: Report, rng: random.Random) -> bytes:
    """Tables as space-aligned columns, as an editor or a layout-keeping converter prints them: blank cells
    are spaces, long labels wrap in their column, rows are set apart by an empty line or not, and a page
    break (a form feed, maybe a page number, maybe the header rows again) may fall inside a table."""
    spaced = rng.random() < 0.7

    def table(layout: Layout, number: int) -> list[str]:
        rows = _aligned_rows(expand(layout.grid(number, report)), rng)
        header = layout.header_rows.get(number, 0)
        cut = rng.randint(header + 1, len(rows) - 1) if len(rows) > header + 2 and rng.random() < 0.5 else None
        lines: list[str] = []
        for index, printed in enumerate(rows):
            if index == cut:
                page = [str(rng.randint(2, 9))] if rng.random() < 0.5 else []
                lines += ["", *page, "\f", *(line for row in rows[:header] for line in row)]
            lines += printed
            if spaced:
                lines.append("")
        return lines

    return _dump(report, table)
