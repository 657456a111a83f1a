"""Artefacts of real published reports that the official layout lacks (FORMAT.md §2 and §6), drawn into a
report's tables: regional extra 表二 rows with values of their own, long parenthetical notes in 表二's
headers and labels, a free note line after a table, whitespace junk around values (NBSP, full-width spaces,
a cell holding only a full-width space, trailing spaces), the table's caption repeated as its first row and
an empty header row in 表二, last year's rows printed in a table beside this year's.

None of them but the last changes what a careful reader takes from the official cells: extra rows carry no key
(their values belong to no cell of the format), notes and junk leave every value's text as it was, whitespace
aside. Last year's rows make the cells they repeat undecidable (which copy is this year's?), unless both copies
print the same values. Each artefact is drawn for a fraction of the files, from a generator of its own, so
that the other axes of a drawing stay as they were.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from nianbao.render.grid import Grid, Slot
from nianbao.report import Report
from nianbao.schema import Block, formats

from . import reports

if TYPE_CHECKING:
    import pytest

SHARE = 0.25
"""The share of files that meet each artefact."""
LAST_YEAR_SHARE = 0.06
CAPTIONED = "_captioned"
"""The suffix of the ``last_year`` axis where a caption row names each copy's year: the print then says which copy
is the report's (``extract.years``); without it, it does not."""
"""The share of files printing last year's rows in a table of this year's (``draw_last_year``)."""
EXTRA_ROWS = {"other_docs": ("art20_1", ("其他主动公开文件",)), "split": ("art20_5", ("行政检查", "行政确认")),
              "split_late": ("art20_6", ("行政检查", "行政确认"))}
"""Extra rows printed at the end of a 表二 block: Hubei's 其他主动公开文件, Tongzhou's rows split off
其他对外管理服务事项 (after 行政强制 under the 2021 format, whose block (五) has one row)."""
LABEL_NOTES = ("（含以本机关名义印发的文件）", "（按本年度实际发生数填写）", "（不含内部管理事项，单位：件）",
               "（单位：个）")
HEADER_NOTES = {"change_this_year": "（减少的用负值表示，如-8）", "procurement_amount": "（单位：万元，保留4位小数）",
                "fee_amount": "（保留4位小数）"}
"""Notes agencies append to a column header (Hubei, Henan); other count columns may get ``（单位：件）``."""
NOTES = ("{year}年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、消息类）：{count}条",
         "注：{year}年本机关通过政府网站主动公开政府信息{count}条，其中政策解读{other}篇。",
         "注：本表中“0”表示本年度未发生相关事项，空白表示不适用。",
         "注：统计期限为{year}年1月1日至{year}年12月31日，共{count}条。")
JUNK = ("\u00a0{}", "{}\u3000", "\u3000{}\u3000", "{}  ", "\u00a0{}\u00a0", " {}")
"""Ways whitespace clings to a value; a blank cell may hold a lone full-width space or NBSP instead."""


@dataclass(slots=True)
class Wild:
    """What the artefacts added: the axes drawn, notes after tables, tables that gained a top row."""

    axes: dict[str, str] = field(default_factory=dict)
    notes: dict[int, str] = field(default_factory=dict)
    top_rows: set[int] = field(default_factory=set)


def _blocks(report: Report) -> tuple[Block, ...]:
    return formats().t2[report.template or formats().latest]


def _block_rows(grid: Grid, block: str) -> list[int]:
    """Indexes of the grid rows holding values of ``block``."""
    prefix = f"t2.{block}."
    return [i for i, row in enumerate(grid) if any(s.value and s.key.startswith(prefix) for s in row)]


def _extra_rows(report: Report, grid: Grid, rng: random.Random) -> str:
    names = [n for n in EXTRA_ROWS if n != ("split" if report.template == "2021" else "split_late")]
    name = rng.choice(names)
    block, labels = EXTRA_ROWS[name]
    rows = _block_rows(grid, block)
    shape = [s for s in grid[rows[-1]] if s.value]
    at = rows[-1] + 1
    for label in labels:
        values = [Slot(str(rng.choice((0, 0, rng.randint(1, 60)))), colspan=s.colspan, value=True) for s in shape]
        grid.insert(at, [Slot(label), *values])
        at += 1
    return name


def _label_notes(report: Report, grid: Grid, rng: random.Random) -> None:
    """Notes appended to some 表二 column headers and row labels (grid rows as the official layout lays them)."""
    index = 0
    for block in _blocks(report):
        header = grid[index + 1]
        for slot, column in zip(header[1:], block.columns, strict=True):
            note = HEADER_NOTES.get(column.key) or ("（单位：件）" if column.type == "count" else "")
            if note and rng.random() < 0.5:
                slot.text += note
        for offset in range(len(block.rows)):
            if rng.random() < 0.3:
                grid[index + 2 + offset][0].text += rng.choice(LABEL_NOTES)
        index += 2 + len(block.rows)


def _junk(grids: dict[int, Grid], rng: random.Random) -> None:
    for grid in grids.values():
        for slot in (s for row in grid for s in row if s.value):
            if rng.random() < 0.3:
                slot.text = rng.choice(("\u3000", "\u00a0")) if not slot.text else rng.choice(JUNK).format(slot.text)


def _note(report: Report, rng: random.Random) -> str:
    return rng.choice(NOTES).format(year=report.meta.year, count=rng.randint(12, 900), other=rng.randint(0, 40))


def _captions(grids: dict[int, Grid], rng: random.Random) -> set[int]:
    """The section's label as a first row spanning each table (FORMAT.md §6 #15), for some tables."""
    chosen = {number for number in grids if rng.random() < 0.6} or {min(grids)}
    for number in chosen:
        width = sum(s.colspan for s in grids[number][0])
        grids[number].insert(0, [Slot(formats().sections[number].label, colspan=width)])
    return chosen


def _empty_header_row(grid: Grid) -> None:
    """A row of empty cells after 表二's first header row, the grid's second (FORMAT.md §6 #16)."""
    grid.insert(2, [Slot("") for _ in range(sum(s.colspan for s in grid[1]))])


def draw_wild(report: Report, grids: dict[int, Grid], rng: random.Random) -> Wild:
    """Draw the artefacts into ``grids`` (section number → grid, as the official layout lays them)."""
    out = Wild()
    t2 = grids[1]
    labelled = rng.random() < SHARE
    if labelled:
        _label_notes(report, t2, rng)
    noted = rng.random() < SHARE
    if noted:
        out.notes[rng.choice((1, 1, 2, 3))] = _note(report, rng)
    out.axes["notes"] = {(False, False): "none", (True, False): "labels", (False, True): "after",
                         (True, True): "both"}[labelled, noted]
    out.axes["extra_rows"] = _extra_rows(report, t2, rng) if rng.random() < SHARE else "none"
    junk = rng.random() < SHARE
    if junk:
        _junk(grids, rng)
    out.axes["junk"] = "spaces" if junk else "none"
    captioned = rng.random() < SHARE / 2
    empty_row = rng.random() < SHARE / 2
    if empty_row:
        _empty_header_row(t2)
    if captioned:
        out.top_rows = _captions(grids, rng)
    out.axes["caption"] = {(False, False): "none", (True, False): "caption", (False, True): "empty_row",
                           (True, True): "both"}[captioned, empty_row]
    return out


def _other_year(rows: Grid, rng: random.Random) -> Grid:
    """Copies of ``rows`` as another year's table prints them: some counts differ (at least one, where the rows
    print any)."""
    copies = [[replace(slot) for slot in row] for row in rows]
    counts = [slot for row in copies for slot in row if slot.value and slot.text.strip().isdigit()]
    changed = [slot for slot in counts if rng.random() < 0.5] or counts[:1]
    for slot in changed:
        slot.text = str(int(slot.text) + rng.randint(1, 9))
    return copies


def draw_last_year(report: Report, grids: dict[int, Grid], rng: random.Random) -> str:
    """Last year's rows printed in this year's table, before or after its own rows, under a caption row naming the
    year or not (a comparison the report adds): 表三's rows, 表四's row or the rows of a 表二 block. The rows of
    either year name the same cells: which copy is this year's only the captions say (unless both print the same
    values); uncaptioned, those cells are left missing. Drawn for a share of the files (``LAST_YEAR_SHARE``)."""
    if rng.random() >= LAST_YEAR_SHARE:
        return "none"
    number, where = rng.choice(((2, "after"), (2, "before"), (3, "after"), (3, "before"), (1, "after")))
    grid = grids[number]
    prefix = f"t2.{rng.choice(_blocks(report)).key}." if number == 1 else ""
    rows = [i for i, row in enumerate(grid) if any(s.value and s.key.startswith(prefix) for s in row)]
    first, end = rows[0], rows[-1] + 1
    copies = _other_year(grid[first:end], rng)
    width = sum(slot.colspan for slot in grid[first])
    captioned = rng.random() < 0.5
    if captioned:
        year = report.meta.year or 0
        copies.insert(0, [Slot(f"{year - 1}年度", colspan=width)])
        if where == "after":
            grid.insert(first, [Slot(f"{year}年度", colspan=width)])
            end += 1
    at = end if where == "after" else first
    grid[at:at] = copies
    return f"t{number + 1}_{where}{CAPTIONED if captioned else ''}"


def tame(monkeypatch: pytest.MonkeyPatch) -> None:
    """Draw none of these artefacts, nor amounts with units, blank 总计 cells or large bodies' numbers, for the tests
    that pin files of the bench as it was drawn before they were added (each pinned for an artefact of its own)."""
    monkeypatch.setattr(__name__ + ".SHARE", 0.0)
    monkeypatch.setattr(__name__ + ".LAST_YEAR_SHARE", 0.0)
    monkeypatch.setattr(reports, "UNIT_SHARE", 0.0)
    monkeypatch.setattr(reports, "BLANK_TOTALS_SHARE", 0.0)
    monkeypatch.setattr(reports, "LARGE_SHARE", 0.0)
