"""Report → HTML a government CMS can take: plain tables with rowspan/colspan, no scripts.

Every text is escaped; the page has a minimal inline style and no external resources.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .grid import Grid
from .layout import DEFAULT, TABLES, Layout
from .prose import closing_lines, intro, narrative, title

if TYPE_CHECKING:
    from ..report import Report

_STYLE = ("body{font-family:'FangSong','仿宋',serif;max-width:60em;margin:2em auto;line-height:1.8}"
          "h1{text-align:center;font-family:'SimSun','宋体',serif}h2{font-family:'SimHei','黑体',sans-serif;font-size:1.1em}"
          "table{border-collapse:collapse;margin:1em auto;font-size:.85em}td{border:1px solid #000;padding:.2em .4em;"
          "text-align:center}p.sign{text-align:right}")


def _lines(text: str) -> str:
    """Cell text escaped, its line breaks kept."""
    return "<br>".join(escape(line) for line in text.split("\n"))


def _table(grid: Grid) -> str:
    rows = []
    for row in grid:
        cells = []
        for slot in row:
            spans = (f' rowspan="{slot.rowspan}"' if slot.rowspan > 1 else "") + (
                f' colspan="{slot.colspan}"' if slot.colspan > 1 else "")
            cells.append(f"<td{spans}>{_lines(slot.text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "<table>\n" + "\n".join(rows) + "\n</table>"


def render_html(report: Report, layout: Layout = DEFAULT) -> str:
    """The report as one HTML page (headings and tables as ``layout`` says)."""
    parts = [f"<h1>{escape(title(report))}</h1>", f"<p>{escape(intro(report))}</p>"]
    for number, heading in enumerate(layout.headings):
        parts.append(f"<h2>{escape(heading)}</h2>")
        if number in TABLES:
            parts.append(_table(layout.grid(number, report)))
            parts += [f"<p>{escape(layout.notes[number])}</p>"] if number in layout.notes else []
        else:
            parts += [f"<p>{escape(line)}</p>" for line in narrative(report, number).splitlines()]
    parts += [f'<p class="sign">{escape(line)}</p>' for line in closing_lines(report)]
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{escape(title(report))}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
            + "\n".join(parts) + "\n</body>\n</html>\n")
