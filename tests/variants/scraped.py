"""Scraped text dumps: the page text a web crawler saves, HTML tags dropped.

The report sits on one or a few lines between page chrome (breadcrumb, source and time, share buttons,
字号 大中小, 打印, 关闭); every text node, table cells included, is joined by one separator: nothing,
a space, a TAB or a newline. A blank cell leaves nothing in a dump without separator. The forms dump the
report they are given; ``varied_report`` makes consistent ones (some zero cells blank or 无, decimals in
表二, the overview maybe stating how many applications came in) for the tests.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from nianbao.render.grid import Grid, t2_grid, t3_grid, t4_grid
from nianbao.render.prose import HEADINGS, closing_lines, intro, title
from nianbao.report import Cell, Report
from nianbao.synth import consistent_report

from . import form

SEPARATORS = {"nosep": "", "space": " ", "tab": "\t", "newline": "\n"}

_SITES = ("人民政府门户网站", "政府网", "人民政府网")
_NAV = ("首页", "政务公开", "信息公开", "政府信息公开", "法定主动公开内容")
_LAST_NAV = ("政府信息公开年报", "年度报告", "政府信息公开年度报告", "正文")
_ARROWS = (">", "»", "＞", " > ", "→", "")
_FONT_SIZES = (("字号：", "大", "中", "小"), ("【字体：大 中 小】",), ("字号", "大中小"))
_SHARES = (("分享到：", "微信", "微博"), ("微信", "微博", "QQ空间"), ())


@dataclass(slots=True)
class _Node:
    """One text node of the page: its text and whether a line break may follow it."""

    text: str
    breakable: bool = False


def _vary_cells(report: Report, rng: random.Random) -> None:
    """Turn some zero cells blank or 无 (both read as 0, so every identity still holds)."""
    style = rng.choice(("digits", "digits", "none_word", "blank", "mixed"))
    if style == "digits":
        return
    cells: list[Cell] = [c for cols in report.tables.t3.values() for c in cols.values()]
    cells += report.tables.t4.values()
    cells += [c for rows in report.tables.t2.values() for cols in rows.values() for c in cols.values()]
    for cell in cells:
        if cell.value == 0 and cell.raw == "0" and rng.random() < 0.5:
            word = {"none_word": "无", "blank": ""}.get(style, rng.choice(("无", "")))
            cell.raw, cell.value = word, None


def varied_report(rng: random.Random) -> Report:
    """A consistent report of either template, some zero cells blank or 无, the overview maybe stating
    how many applications it received."""
    template = rng.choice(("2019", "2021"))
    report = consistent_report(template, seed=rng.randrange(1 << 30),
                               agency=rng.choice(("青石县人民政府办公室", "白河市自然资源和规划局",
                                                  "东湖区人民政府", "临江镇人民政府")))
    _vary_cells(report, rng)
    received = report.tables.t3.get("new_received", {}).get("total")
    if received is not None and received.value is not None and rng.random() < 0.6:
        report.sections["overview"] = (f"本年度共收到政府信息公开申请{int(received.value)}件。"
                                       + report.sections.get("overview", ""))
    return report


def _front(report: Report, rng: random.Random) -> list[_Node]:
    agency = report.meta.agency or ""
    nodes = [_Node(agency[:3] + rng.choice(_SITES), True)]
    if rng.random() < 0.8:
        arrow = rng.choice(_ARROWS)
        trail = [*rng.sample(_NAV, rng.randint(1, 3)), rng.choice(_LAST_NAV)]
        nodes.append(_Node(rng.choice(("当前位置：", "您的位置：", "您现在的位置：")) + arrow.join(trail), True))
    nodes.append(_Node(title(report), True))
    info = [f"来源：{agency}", f"{rng.choice(('发布时间', '时间', '发布日期'))}：{report.meta.published} "
            f"{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}", f"浏览次数：{rng.randint(1, 999)}"]
    rng.shuffle(info)
    nodes += [_Node(text) for text in info]
    nodes += [_Node(text) for text in rng.choice(_FONT_SIZES)]
    nodes += [_Node(text) for text in rng.choice(_SHARES)]
    nodes[-1].breakable = True
    return nodes


def _back(rng: random.Random) -> list[_Node]:
    nodes = [_Node(text) for text in rng.choice((["【打印本页】", "【关闭窗口】"], ["打印", "关闭"],
                                                  ["【打印】", "【关闭】"], ["打印本页", "关闭窗口"]))]
    if rng.random() < 0.5:
        nodes.append(_Node("扫一扫在手机打开当前页"))
    return nodes


def _table(grid: Grid, rng: random.Random) -> list[_Node]:
    """A grid's anchor cells in reading order, as an HTML page prints them; a row end may break."""
    nodes = []
    for row in grid:
        nodes += [_Node(slot.text) for slot in row]
        nodes[-1].breakable = rng.random() < 0.3
    return nodes


def _page(report: Report, rng: random.Random) -> list[_Node]:
    nodes = _front(report, rng)
    if rng.random() < 0.5:
        nodes.append(_Node(title(report), True))
    nodes.append(_Node(intro(report), True))
    narrative = {0: "overview", 4: "problems_improvements", 5: "other_matters"}
    tables = {1: t2_grid, 2: t3_grid, 3: t4_grid}
    for number, heading in enumerate(HEADINGS):
        nodes.append(_Node(heading, rng.random() < 0.3))
        if number in tables:
            nodes += _table(tables[number](report), rng)
        else:
            nodes.append(_Node(report.sections.get(narrative[number], "") or "无。", True))
    nodes += [_Node(line, True) for line in closing_lines(report)]
    return nodes + _back(rng)


def dump(report: Report, separator: str, rng: random.Random, breaks: float | None = None) -> str:
    """The page's text nodes joined by ``separator``; a share of the breakable joints (``breaks``, drawn when
    None) become line breaks."""
    nodes = _page(report, rng)
    share = breaks if breaks is not None else 0.0 if separator == "\n" else rng.choice((0.0, 0.0, 0.1, 0.3))
    out: list[str] = []
    for node in nodes:
        out.append(node.text)
        out.append("\n" if node.breakable and rng.random() < share else separator)
    return "".join(out[:-1]) + "\n"


def _register(style: str) -> None:
    @form(f"scraped-{style}", ".txt")
    def make(report: Report, rng: random.Random) -> bytes:
        return dump(report, SEPARATORS[style], rng).encode("utf-8")


for _style in SEPARATORS:
    _register(_style)
