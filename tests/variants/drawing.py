"""How a generated report is drawn: wording of labels and headings, merged 无 cells, page, margins,
column widths and repeated header rows, chosen at random but fixed by the report's content. Labels and
headers may wrap anywhere; a value never wraps (its column is as wide as its longest value needs).

Every form printed from one report shares one drawing, so the LibreOffice PDF of a report is made
once for all the forms read from it. The wording axes are the label and heading variants real
agencies print (formats.json's variants and the ones FORMAT.md §3.3 lists).
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from nianbao.render import Layout
from nianbao.render.grid import Grid, Slot, expand
from nianbao.render.layout import TABLES
from nianbao.render.prose import HEADINGS
from nianbao.report import Report
from nianbao.schema import formats

from .reports import printed_axes
from .wild import draw_last_year, draw_wild

PAGES_CM = {"A4": (21.0, 29.7), "A5": (14.8, 21.0), "B5": (17.6, 25.0), "Letter": (21.59, 27.94),
            "A4-landscape": (29.7, 21.0)}
WIDEST_PAGE = "A4-landscape"
"""The page a table too wide for the drawn one is printed on."""
T3_HEADER_ROWS = T4_HEADER_ROWS = 3
FONT_HALF_POINTS = (14, 16, 18, 20, 22, 24)
PAGE_NUMBERS = (None, None, ("- ", " -"), ("— ", " —"), ("第", "页"), ("", ""))
"""Page furniture printed in the footer (FORMAT.md §6 #14): none, - N -, — N —, 第N页, N."""
DIGIT_EM, PT_CM, CELL_PAD_CM, LABEL_FLOOR_CM, ROW_LABEL_CM = 0.62, 0.03528, 0.5, 0.9, 2.2
"""Digit width in em, cm per point, a cell's left and right padding, the narrowest group-label column
and the narrowest row-label column (the one beside the values: a few characters a line, as printed)."""
_NUMBERING = re.compile(r"^[一二三四五六七八九十]+、")
_ASCII_NUMBER = re.compile(r"^(\([一二三四五六七八九十]+\))")


def _row_variants() -> dict[str, str]:
    """Official row label → the first variant formats.json accepts for it."""
    rows = [*formats().t3_rows, *(r for blocks in formats().t2.values() for b in blocks for r in b.rows)]
    return {r.label: r.variants[0] for r in rows if r.variants}


_SUBSTITUTIONS: dict[str, Callable[[str], str]] = {
    "ascii_brackets": lambda t: _ASCII_NUMBER.sub(r"\1 ", t.replace("（", "(").replace("）", ")").replace("，", ", ")),
    "straight_quotes": lambda t: t.replace("“", '"').replace("”", '"'),
    "no_quotes": lambda t: t.replace("“", "").replace("”", ""),
    "no_numbering": lambda t: _NUMBERING.sub("", t),
    "row_variants": lambda t: _row_variants().get(t, t),
    "other_org": lambda t: {"其他": "其他组织", "法人或其他组织": "法人或者其他组织"}.get(t, t),
    "spaced_headers": lambda t: f"{t[:2]} {t[2:]}" if t in ("商业企业", "科研机构", "结果维持", "结果纠正") else t,
    "total_heji": lambda t: "合计" if t == "总计" else t,
    "change_backslash": lambda t: t.replace("本年增/减", "本年增\\减"),
    "change_fullwidth_slash": lambda t: t.replace("本年增/减", "本年增／减"),
    "carried_forward_yi": lambda t: t.replace("结转下年度", "结转下一年度"),
    "comma_subrows": lambda t: t.replace("不补正、", "不补正，").replace("缴纳费用、", "缴纳费用，"),
    "truncated_subrows": lambda t: t.split("、行政机关不再处理")[0],
}
HEADER_MAX = 8
"""Header cells up to this length may have line breaks typed into them (FORMAT.md §6 #7, #8)."""
WORDINGS = (*_SUBSTITUTIONS, "heading_variants", "broken_headers", "vertical_headers")
"""The wording axis: each file applies a few of these to its labels and headings."""


@dataclass(slots=True)
class Drawing:
    """The layout of one report's documents and the axes it was drawn with (for the bench's records)."""

    layout: Layout
    axes: dict[str, str] = field(default_factory=dict)


def report_rng(report: Report, purpose: str) -> random.Random:
    """A generator fixed by the report's content (and ``purpose``), the same in every form."""
    digest = hashlib.sha256(report.to_json(indent=None).encode()).hexdigest()
    return random.Random(f"{digest}/{purpose}")


def _reword(grid: Grid, wordings: list[str]) -> Grid:
    for row in grid:
        header = not any(slot.value for slot in row)
        for slot in row:
            if slot.value:
                continue
            for name in wordings:
                if name in _SUBSTITUTIONS:
                    slot.text = _SUBSTITUTIONS[name](slot.text)
            if header and 1 < len(slot.text) <= HEADER_MAX:
                slot.text = _break(slot.text, wordings)
    return grid


def _break(text: str, wordings: list[str]) -> str:
    """A header cell's text with line breaks typed into it: one character a line, or cut in the middle."""
    if "vertical_headers" in wordings:
        return "\n".join(text.replace(" ", ""))
    if "broken_headers" in wordings:
        middle = len(text) // 2
        return f"{text[:middle]}\n{text[middle:]}"
    return text


def _headings(rng: random.Random) -> tuple[str, ...]:
    out = []
    for heading, section in zip(HEADINGS, formats().sections, strict=True):
        if section.variants and rng.random() < 0.7:
            heading = f"{section.number}、{rng.choice(section.variants)}"
        out.append(heading)
    return tuple(out)


def _blank(slots: list[Slot]) -> bool:
    return all(s.value and s.text in ("", "无") for s in slots)


def _merge_t3(grid: Grid, rng: random.Random) -> str:
    """Merge the 无 of a unit that received nothing: per row, down the 总计 column, or the whole block."""
    width = len(formats().t3_columns)
    data = [row for row in grid if row and row[-1].value]
    values = [row[-width:] for row in data]
    if not all(_blank(v) for v in values):
        return "none"
    if all(v[-1].text == "无" for v in values) and rng.random() < 0.7:
        for row, cells in zip(data, values, strict=True):
            del row[-width:]
            row.append(Slot("无", colspan=width, value=True, key=cells[-1].key))
        return "row"
    if values[0][-1].text == "无" and all(c.text == "" for v in values[1:] for c in v) and rng.random() < 0.7:
        whole = rng.random() < 0.5
        for index, row in enumerate(data):
            if whole:
                del row[-width:]
            else:
                del row[-1]
            if index == 0:
                row.append(Slot("无", rowspan=len(data), colspan=width if whole else 1, value=True,
                                key=values[0][-1].key))
        return "block" if whole else "total_column"
    return "none"


def _merge_t4(grid: Grid, rng: random.Random) -> str:
    row = grid[-1]
    if not _blank(row) or rng.random() < 0.3:
        return "none"
    texts = [s.text for s in row]
    group = len(row) // 3
    if all(texts[i] == ("无" if i % group == group - 1 else "") for i in range(len(row))):
        grid[-1] = [Slot("无", colspan=group, value=True, key=row[start + group - 1].key)
                    for start in range(0, len(row), group)]
        return "groups"
    if texts[-1] == "无" and not any(texts[:-1]):
        grid[-1] = [Slot("无", colspan=len(row), value=True, key=row[-1].key)]
        return "row"
    return "none"


def _digits(text: str) -> float:
    """The printed width of a value in digits: a unit's Chinese characters (万元) are a whole em each; a lone mark
    (无, a dash) is counted as a digit, its cell's padding holds it."""
    if len(text) == 1:
        return 1.0
    return sum(1 / DIGIT_EM if unicodedata.east_asian_width(char) in "WF" else 1.0 for char in text)


def _fit(grid: Grid, rng: random.Random, half_points: int, text_width: float) -> tuple[float, ...] | None:
    """Random column widths within ``text_width``: label columns narrow enough to wrap (group labels down to a
    character a line), value columns wide enough for their longest value on one line (None: impossible at this
    font size)."""
    placed = expand(grid)
    need = [0.0] * len(placed[0])
    valued = [False] * len(placed[0])
    digit = half_points / 2 * DIGIT_EM * PT_CM
    for row in placed:
        for column, position in enumerate(row):
            if position is not None and position.slot.value:
                valued[column] = True
                share = (_digits(position.slot.text) * digit + CELL_PAD_CM) / position.slot.colspan
                need[column] = max(need[column], share)
    last_label = max((c for c, v in enumerate(valued) if not v), default=-1)
    floor = [0.0 if v else ROW_LABEL_CM if c == last_label else LABEL_FLOOR_CM for c, v in enumerate(valued)]
    widths = [n + rng.uniform(0, 0.8) if v else rng.uniform(f, f + 4.0)
              for n, v, f in zip(need, valued, floor, strict=True)]
    if sum(widths) <= text_width:
        return tuple(widths)
    widths = [n if v else w for n, v, w in zip(need, valued, widths, strict=True)]
    labels = sum(w for w, v in zip(widths, valued, strict=True) if not v)
    room = text_width - sum(n for n, v in zip(need, valued, strict=True) if v)
    if room < sum(floor):
        return None
    scale = room / labels if labels else 1.0
    return tuple(w if v else max(f, w * scale) for w, v, f in zip(widths, valued, floor, strict=True))


def _sizes(grids: dict[int, Grid], rng: random.Random, text_width: float) -> tuple[int, dict[int, tuple[float, ...]]]:
    """The largest table font (from a random start) at which every table fits the text width, and the widths."""
    start = rng.choice(FONT_HALF_POINTS)
    for half_points in sorted((h for h in FONT_HALF_POINTS if h <= start), reverse=True):
        fits = {number: _fit(grid, rng, half_points, text_width) for number, grid in grids.items()}
        if all(fits.values()):
            return half_points, {len(w): w for w in fits.values() if w}
    raise ValueError(f"tables do not fit a text width of {text_width:.1f} cm")


def draw(report: Report) -> Drawing:
    """The drawing of ``report``: the same for every form printed from it."""
    rng = report_rng(report, "drawing")
    wordings = sorted(rng.sample(WORDINGS, rng.choice((0, 0, 1, 2, 3))))
    grids = {number: _reword(make(report), wordings) for number, make in TABLES.items()}
    merged = f"t3:{_merge_t3(grids[2], rng)} t4:{_merge_t4(grids[3], rng)}"
    wild = draw_wild(report, grids, report_rng(report, "wild"))
    last_year = draw_last_year(report, grids, report_rng(report, "last_year"))
    page_name = rng.choice(list(PAGES_CM))
    page = PAGES_CM[page_name]
    margins = tuple(round(rng.uniform(1.0, 3.5), 2) for _ in range(4))
    try:
        half_points, widths = _sizes(grids, rng, page[0] - margins[1] - margins[3])
    except ValueError:
        margins = (margins[0], 1.0, margins[2], 1.0)
        try:
            half_points, widths = _sizes(grids, rng, page[0] - 2.0)
        except ValueError:  # a large body's numbers on a narrow page: the page turned, as an editor would
            page_name = WIDEST_PAGE
            page = PAGES_CM[page_name]
            half_points, widths = _sizes(grids, rng, page[0] - 2.0)
    repeat = rng.random() < 0.6
    page_number = rng.choice(PAGE_NUMBERS)
    layout = Layout(headings=_headings(rng) if "heading_variants" in wordings else HEADINGS, grids=grids,
                    page_cm=page, margins_cm=margins,  # type: ignore[arg-type]
                    widths_cm=widths,
                    header_rows={number: rows + (number in wild.top_rows) for number, rows
                                 in ((2, T3_HEADER_ROWS), (3, T4_HEADER_ROWS))} if repeat else {},
                    table_half_points=half_points, page_number=page_number, notes=wild.notes)
    return Drawing(layout, {"page": page_name, "margins_cm": " ".join(map(str, margins)),
                            "wording": ",".join(wordings) or "official", "merged": merged,
                            "repeat_header": str(repeat), "font_half_points": str(layout.table_half_points),
                            "page_number": "{}N{}".format(*page_number) if page_number else "none",
                            **wild.axes, "last_year": last_year, **printed_axes(report)})
