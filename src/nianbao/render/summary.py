"""Summary data → the supervisor's summary report (汇总分析) as DOCX or HTML: templates filled with the numbers of
``store.summary``, tables, and charts drawn by matplotlib with a CJK font found on the system (left out, with a note
saying so, where matplotlib or such a font is missing; no browser involved).

The document is built once as a list of blocks (headings, paragraphs, tables, images); the two writers only lay them
out. Tables are written as WordprocessingML directly (python-docx's row-by-row building is slow for long lists).
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from docx.oxml.ns import qn

from ..report import Report, table_cells
from ..schema import formats
from ..schema.metrics import Metric
from ..store.rollup import number_text
from ..store.summary import Summary

SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
CJK_FONT_NAMES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "Source Han Serif SC",
                  "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "SimSun", "Noto Sans CJK", "Noto Serif CJK",
                  "Droid Sans Fallback", "AR PL UMing CN")
FONT = "宋体"
CHART_DPI = 110
TABLE_TWIPS = 9000
WIDEST = 24
CHART_SIZE = (6.4, 3.2)
TOP_PROBLEMS_CHARTED = 10


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


@dataclass(frozen=True)
class Image:
    png: bytes
    caption: str


Block = Heading | Para | Table | Image


def _n(value: float | None) -> str:
    return "—" if value is None else number_text(value)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}%"


@cache
def cjk_font() -> str | None:
    """The name of a CJK font matplotlib can use, or None (no matplotlib, or no such font on the system)."""
    try:
        from matplotlib import font_manager
    except ModuleNotFoundError:
        return None
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in CJK_FONT_NAMES if n in names), None)


def _chart(kind: str, labels: list[str], values: list[float], title: str, unit: str) -> bytes:
    """A bar chart (``bar`` or ``barh``) as PNG bytes, in the CJK font."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with rc_context({"font.family": "sans-serif", "font.sans-serif": [cjk_font()], "axes.unicode_minus": False}):
        figure = Figure(figsize=CHART_SIZE, dpi=CHART_DPI)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        if kind == "barh":
            axes.barh(labels[::-1], values[::-1], color="#1d4ed8")
            axes.set_xlabel(unit)
        else:
            axes.bar(labels, values, color="#1d4ed8")
            axes.set_ylabel(unit)
        axes.set_title(title)
        axes.tick_params(labelsize=8)
        figure.tight_layout()
        buffer = BytesIO()
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _charts(data: Summary) -> list[Block]:
    """The charts, or a note saying why there are none."""
    if cjk_font() is None:
        return [Para("（本机未找到可用的中文字体或绘图组件 matplotlib，图表从略；表中数字不受影响。）")]
    blocks: list[Block] = []
    new = [(y, v["new_received"]) for y, v in data.series if v["new_received"] is not None]
    if new:
        title = f"{data.region}各年度本年新收申请数"
        blocks.append(Image(_chart("bar", [str(y) for y, _ in new], [float(v or 0) for _, v in new], title, "件"),
                            f"图1 {title}"))
    ranked = next((r for r in data.rankings if r.metric.key == "new_received"), None)
    if ranked and ranked.rows:
        blocks.append(Image(_chart("barh", [a for a, _, _ in ranked.rows], [v for _, _, v in ranked.rows],
                                   f"{ranked.metric.name}前{len(ranked.rows)}名", ranked.metric.unit),
                            f"图2 {ranked.metric.name}前{len(ranked.rows)}名（{data.metrics_label}）"))
    problems = data.problems[:TOP_PROBLEMS_CHARTED]
    if problems:
        blocks.append(Image(_chart("barh", [p.rule for p in problems], [float(p.reports) for p in problems],
                                   "问题报告数（按规则）", "份"), "图3 各规则涉及的报告数"))
    return blocks


def table_rows(report: Report) -> dict[str, list[tuple[str, ...]]]:
    """The region's 表二, 表三 and 表四 as rows of text: 表三 one row per printed row with the seven applicant
    columns, 表二 and 表四 one row per cell."""
    fmt = formats()
    t3: list[tuple[str, ...]] = [
        (row.label, *(_n(_value(report, f"t3.{row.key}.{c.key}")) for c in fmt.t3_columns))
        for row in fmt.t3_data_rows(report.template or fmt.latest)]
    t4: list[tuple[str, ...]] = [
        ("·".join(p for p in (c.group, c.subgroup, c.label) if p), _n(_value(report, f"t4.{c.key}")))
        for c in fmt.t4_columns]
    labels = {b.key: b for b in fmt.t2[report.template or fmt.latest]}
    t2: list[tuple[str, ...]] = []
    for key, _, block, row, column, _ in table_cells(report):
        if key.startswith("t2.") and block in labels:
            spec = labels[block]
            row_label = next(r.label for r in spec.rows if r.key == row)
            column_label = next(c.label for c in spec.columns if c.key == column)
            t2.append((spec.caption, row_label, column_label, _n(_value(report, key))))
    return {"t2": t2, "t3": t3, "t4": t4}


def _value(report: Report, key: str) -> float | None:
    cell = report.cell(key)
    return None if cell is None or cell.value is None else float(cell.value)


def blocks(data: Summary) -> list[Block]:
    """The whole document as blocks, in order."""
    cov, label = data.coverage, data.metrics_label
    out: list[Block] = [Heading(f"{data.region}{data.year}年度政府信息公开工作年度报告汇总分析", 0),
                        Para(f"本报告根据报告库中{data.region}{data.year}年度的 {cov.received} 份当前报告生成，"
                             f"所有数字均由报告库查询得出，各项指标采用{label}（见指标字典）。"),
                        Heading("一、报送情况")]
    expected = "名录未提供" if cov.expected is None else str(cov.expected)
    out.append(Table(("名录应报送", "已收到", "逾期报送", "未报送"),
                     ((expected, str(cov.received), str(len(cov.late)), str(len(cov.missing))),), "表1 报送情况"))
    if cov.missing:
        out.append(Para(f"未报送的单位（{len(cov.missing)} 个）：{'、'.join(cov.missing)}。"))
    if cov.late:
        out.append(Table(("单位", "说明"), tuple(cov.late), "表2 逾期报送的报告"))
    rows = table_rows(data.tables)
    fmt = formats()
    out += [Heading("二、全地区汇总数据"),
            Para(f"以下三张表由{data.region} {cov.received} 份报告的对应单元格逐项相加（采用已生效的修正值）。"),
            Table(("项目", *(c.label for c in fmt.t3_columns)), tuple(rows["t3"]), fmt.table("t3").title),
            Table(("项目", "数值"), tuple(rows["t4"]), fmt.table("t4").title),
            Table(("条目", "行", "列", "数值"), tuple(rows["t2"]), fmt.table("t2").title)]
    out.append(Heading("三、主要指标排名"))
    for ranking in data.rankings:
        m = ranking.metric
        if not ranking.count:
            out.append(Para(f"{m.name}：没有单位具备计算条件（{m.definition}）"))
            continue
        out.append(Table(("名次", "单位", f"{m.name}（{m.unit}）"),
                         tuple((str(i), a, _n(v)) for i, (a, _, v) in enumerate(ranking.rows, 1)),
                         f"{m.name}前 {len(ranking.rows)} 名（共 {ranking.count} 个单位有此指标；{label}，{m.key} 第 "
                         f"{m.version} 版）"))
    out.append(Heading("四、问题分布"))
    out.append(Table(("规则", "问题", "严重程度", "报告数", "涉及单位"),
                     tuple((p.rule, p.title, SEVERITY_NAMES.get(p.severity, p.severity), str(p.reports),
                            "、".join(p.units) + ("等" if p.reports > len(p.units) else "")) for p in data.problems),
                     "各规则的问题报告数"))
    out.append(Heading("五、各单位错误和警告"))
    if not data.units:
        out.append(Para("各单位报告均无未驳回的错误和警告。"))
    for unit in data.units:
        out.append(Heading(f"{unit.agency}（报告 {unit.report_id}，{len(unit.issues)} 条）", 2))
        out.append(Table(("严重程度", "规则", "说明", "单元格", "原文", "所读语句"),
                         tuple((SEVERITY_NAMES[i.severity], i.rule, i.message, i.cell, i.printed, i.sentence)
                               for i in unit.issues)))
    out.append(Heading("六、同比变化"))
    out.append(Table(("指标", f"{data.year}年", f"{data.year - 1}年", "变化"),
                     tuple((_change_label(c.metric), _n(c.this), _n(c.last), _pct(c.change))
                           for c in data.changes), f"主要指标同比（{label}）"))
    out.append(Heading("七、图表"))
    out += _charts(data)
    return out


def _change_label(metric: Metric) -> str:
    """A row of the year-over-year table: a change metric compares counts of the units that reported both years."""
    if metric.kind == "change":
        return f"{metric.name}（两年均有报告的单位，件）"
    return f"{metric.name}（{metric.unit}）"


def _run(text: str, size: int, bold: bool = False) -> str:
    weight = "<w:b/>" if bold else ""
    return (f'<w:r><w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}"/>{weight}'
            f'<w:sz w:val="{size}"/></w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>')


def _widths(table: Table) -> list[int]:
    """Column widths in twips, in proportion to each column's longest text (capped)."""
    weights = [min(max(len(r[i]) for r in (table.header, *table.rows)), WIDEST) + 2 for i in range(len(table.header))]
    return [TABLE_TWIPS * w // sum(weights) for w in weights]


def _table_xml(table: Table) -> str:
    widths = _widths(table)

    def row(cells: tuple[str, ...], bold: bool) -> str:
        return "<w:tr>" + "".join(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr><w:p>{_run(c, 18, bold)}'
                                  f"</w:p></w:tc>" for c, w in zip(cells, widths, strict=True)) + "</w:tr>"
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (f'<w:tbl {_NS}><w:tblPr><w:tblW w:w="{TABLE_TWIPS}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            f'<w:tblBorders>{borders}</w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
            f'{row(table.header, True)}{"".join(row(r, False) for r in table.rows)}</w:tbl>')


_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def to_docx(data: Summary) -> bytes:
    """The summary report as DOCX bytes."""
    from docx import Document
    from docx.oxml import parse_xml
    from docx.shared import Cm, Pt

    doc = Document()
    body = doc.element.body
    for block in blocks(data):
        if isinstance(block, Heading):
            heading = doc.add_heading(level=block.level)
            heading.add_run(block.text).font.size = Pt(18 if block.level == 0 else 14 if block.level == 1 else 12)
        elif isinstance(block, Para):
            doc.add_paragraph(block.text)
        elif isinstance(block, Table):
            if block.caption:
                doc.add_paragraph(block.caption).runs[0].bold = True
            _before_section(body, parse_xml(_table_xml(block)))
            doc.add_paragraph()
        else:
            doc.add_picture(BytesIO(block.png), width=Cm(15))
            doc.add_paragraph(block.caption)
    for style in ("Normal", "Heading 1", "Heading 2", "Title"):
        doc.styles[style].element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _before_section(body: Any, element: Any) -> None:
    """Put ``element`` at the end of the body, before its section properties."""
    section = body.find(qn("w:sectPr"))
    if section is None:
        body.append(element)
    else:
        section.addprevious(element)


def to_html(data: Summary) -> str:
    """The summary report as one self-contained HTML page (charts embedded as data URIs)."""
    parts = []
    for block in blocks(data):
        if isinstance(block, Heading):
            level = block.level + 1
            parts.append(f"<h{level}>{html.escape(block.text)}</h{level}>")
        elif isinstance(block, Para):
            parts.append(f"<p>{html.escape(block.text)}</p>")
        elif isinstance(block, Table):
            head = "".join(f"<th>{html.escape(c)}</th>" for c in block.header)
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in block.rows)
            caption = f"<caption>{html.escape(block.caption)}</caption>" if block.caption else ""
            parts.append(f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        else:
            data_uri = base64.b64encode(block.png).decode("ascii")
            parts.append(f'<figure><img src="data:image/png;base64,{data_uri}" alt="{html.escape(block.caption)}">'
                         f"<figcaption>{html.escape(block.caption)}</figcaption></figure>")
    title = html.escape(f"{data.region}{data.year}年度汇总分析")
    style = ("body{font-family:'Noto Serif CJK SC','SimSun',serif;max-width:60em;margin:2em auto;padding:0 1em}"
             "table{border-collapse:collapse;margin:.5em 0 1.5em;width:100%}th,td{border:1px solid #444;"
             "padding:.2em .4em;font-size:.9em}caption{font-weight:bold;text-align:left}img{max-width:100%}")
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{style}</style></head><body>{''.join(parts)}</body></html>\n")
