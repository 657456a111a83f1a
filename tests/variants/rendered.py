"""Forms nianbao's own renderer prints: HTML, Markdown, the text styles, and TAB rows with every merged
cell expanded to its grid positions (as a spreadsheet export prints a table)."""

from __future__ import annotations

import random

from nianbao.render import STYLES, render_html, render_text
from nianbao.render.grid import expand
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


@form("tab-rows", ".txt")
def make_tab_rows(report: Report, rng: random.Random) -> bytes:
    """One TAB-separated line per table row, every grid position printed (a merged cell's text at its
    top-left position, the positions it covers empty)."""
    layout = draw(report).layout
    lines = [title(report), "", intro(report), ""]
    for number, heading in enumerate(layout.headings):
        lines.append(heading)
        if number in TABLES:
            for row in expand(layout.grid(number, report)):
                lines.append("\t".join(p.slot.text if p is not None and p.origin else "" for p in row))
        else:
            lines.append(report.sections.get(_NARRATIVE[number], "") or "无。")
    return ("\n".join(lines + closing_lines(report)) + "\n").encode("utf-8")
