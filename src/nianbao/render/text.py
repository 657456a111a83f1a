"""Report → report text, in the official layout, flattened the ways real dumps flatten tables.

Styles: ``cells`` (one TAB-prefixed cell per line, blank line between rows), ``tabs`` (one
TAB-separated row per line), ``pipes`` (``a | b |``), ``markdown`` (``| a | b |`` tables) and
``columns`` (space-aligned, as ``pdftotext -layout`` prints; blank cells vanish there).
"""

from __future__ import annotations

from collections.abc import Callable

from ..report import Cell, Report
from ..schema import formats

STYLES = ("cells", "tabs", "pipes", "markdown", "columns")
_HEADINGS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
             "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")

Grid = list[list[str]]


def _raw(cell: Cell | None) -> str:
    return cell.raw if cell is not None else ""


def _t2_grids(report: Report) -> list[Grid]:
    grids = []
    for block in formats().t2[report.template or "2021"]:
        grid: Grid = [[block.caption], ["信息内容", *[c.label for c in block.columns]]]
        for spec in block.rows:
            cells = report.tables.t2.get(block.key, {}).get(spec.key, {})
            grid.append([spec.label, *[_raw(cells.get(c.key)) for c in block.columns]])
        grids.append(grid)
    return grids


def _t3_label_cells(key: str, level: int, first_in_group: str | None, first_row: bool) -> list[str]:
    spec = next(s for s in formats().t3_rows if s.key == key)
    if level == 1:
        return [spec.label]
    lead = "三、本年度办理结果" if first_row else ""
    if level == 2:
        return [lead, spec.label]
    return [lead, first_in_group or "", spec.label]


def _t3_grid(report: Report) -> Grid:
    columns = formats().t3_columns
    grid: Grid = [
        [formats().t3_note_cell, "申请人情况"],
        ["", columns[0].label, "法人或其他组织", columns[-1].label],
        ["", "", *[c.label for c in columns[1:-1]], ""],
    ]
    group_label: dict[str, str] = {}
    first_outcome = True
    for spec in formats().t3_rows:
        if spec.group or (spec.key == "other_handling" and spec.key not in report.tables.t3):
            if spec.group or report.template == "2021":
                group_label[spec.key] = spec.label
            continue
        if spec.key not in report.tables.t3:
            continue
        level = spec.level
        parent = _parent(spec.key)
        first_child = group_label.pop(parent, None) if level == 3 else None
        labels = _t3_label_cells(spec.key, level, first_child, first_outcome and level > 1)
        first_outcome = first_outcome and level == 1
        cells = report.tables.t3[spec.key]
        grid.append([*labels, *[_raw(cells.get(c.key)) for c in columns]])
    return grid


def _parent(key: str) -> str:
    current = ""
    for spec in formats().t3_rows:
        if spec.level == 2 and (spec.group or spec.key == "other_handling"):
            current = spec.key
        if spec.key == key:
            return current
    return ""


def _t4_grid(report: Report) -> Grid:
    labels = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        ["行政复议", "", "", "", "", "行政诉讼"],
        [*labels, "未经复议直接起诉", "", "", "", "", "复议后起诉"],
        ["", "", "", "", "", *labels, *labels],
        [_raw(report.tables.t4.get(c.key)) for c in formats().t4_columns],
    ]


def _cells_style(grid: Grid) -> list[str]:
    lines: list[str] = []
    for row in grid:
        lines.extend("\t" + cell for cell in row)
        lines.append("")
    return lines


def _tabs_style(grid: Grid) -> list[str]:
    return ["\t".join(row) for row in grid]


def _pipes_style(grid: Grid) -> list[str]:
    return [" | ".join(row) + " |" for row in grid]


def _markdown_style(grid: Grid) -> list[str]:
    width = max(len(r) for r in grid)
    lines = []
    for i, row in enumerate(grid):
        padded = row + [""] * (width - len(row))
        lines.append("| " + " | ".join(padded) + " |")
        if i == 0:
            lines.append("|" + "---|" * width)
    return [*lines, ""]


def _columns_style(grid: Grid) -> list[str]:
    return ["    ".join(cell for cell in row if cell) for row in grid]


_FLATTEN: dict[str, Callable[[Grid], list[str]]] = {
    "cells": _cells_style, "tabs": _tabs_style, "pipes": _pipes_style,
    "markdown": _markdown_style, "columns": _columns_style,
}


def _intro(report: Report) -> str:
    year = report.meta.year or ""
    return (f"本报告依据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室关于政府信息公开工作"
            f"年度报告的有关要求编制，包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
            f"政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分。"
            f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。")


def render_text(report: Report, style: str = "tabs") -> str:
    """The whole report as text, its tables flattened in ``style`` (one of STYLES)."""
    if style not in _FLATTEN:
        raise ValueError(f"unknown text style {style!r}; choose one of {', '.join(STYLES)}")
    flatten = _FLATTEN[style]
    meta = report.meta
    lines = [f"{meta.agency or ''}{meta.year or ''}年政府信息公开工作年度报告", "", _intro(report), "",
             _HEADINGS[0], "", report.sections.get("overview", ""), "", _HEADINGS[1], ""]
    for grid in _t2_grids(report):
        lines += flatten(grid)
    lines += ["", _HEADINGS[2], "", *flatten(_t3_grid(report))]
    lines += ["", _HEADINGS[3], "", *flatten(_t4_grid(report))]
    lines += ["", _HEADINGS[4], "", report.sections.get("problems_improvements", ""), "",
              _HEADINGS[5], "", report.sections.get("other_matters", "") or "无。", ""]
    if meta.agency:
        lines.append(meta.agency)
    if meta.published:
        y, m, d = (int(p) for p in meta.published.split("-"))
        lines.append(f"{y}年{m}月{d}日")
    return "\n".join(lines) + "\n"

