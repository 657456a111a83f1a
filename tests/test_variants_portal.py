"""Portal pages and pandoc markdown made by the variation generator: every cell, the agency and the date
come back as the page prints them."""

from __future__ import annotations

import random
import shutil
import subprocess
from functools import cache

import pytest

from nianbao import parse_bytes
from nianbao.render import render
from nianbao.report import Report
from nianbao.synth import consistent_report, unit_names

from .cells import cells_of
from .variants import FORMS
from .variants import portal as _portal  # noqa: F401  (registers the portal forms)

SAMPLE = 40


@cache
def _agencies() -> list[str]:
    return unit_names(200, seed=12)


def _report(seed: int) -> Report:
    rng = random.Random(seed)
    template = rng.choice(("2019", "2021"))
    year = rng.choice((2019, 2020) if template == "2019" else (2021, 2022, 2023, 2024))
    return consistent_report(template, seed, agency=rng.choice(_agencies()), year=year)


def _wrong_and_missing(truth: Report, got: Report) -> tuple[list[str], list[str]]:
    want, have = cells_of(truth), cells_of(got)
    return [k for k in want if k in have and have[k] != want[k]], [k for k in want if k not in have]


@pytest.mark.parametrize("name", ["portal-page", "portal-spans"])
def test_generated_portal_pages_read_exactly(name: str) -> None:
    for seed in range(SAMPLE):
        truth = _report(seed)
        got = parse_bytes(FORMS[name].make(truth, random.Random(seed)), f"page{seed}.html")
        wrong, missing = _wrong_and_missing(truth, got)
        assert (wrong, missing) == ([], []), seed
        assert (got.meta.agency, got.meta.year, got.meta.published) == (
            truth.meta.agency, truth.meta.year, truth.meta.published), seed


def _page(head: str, body: str = "", title: str = "") -> bytes:
    report = consistent_report("2021", 1, agency="秭归县磨坪乡人民政府")
    report.meta.published = None
    html = render(report, "html").decode()
    html = html.replace("<title>", f"<title>{title}", 1) if title else html.replace(
        html[html.index("<title>"):html.index("</title>") + 8], "")
    html = html.replace(html[html.index("<h1>"):html.index("</h1>") + 5], head, 1)
    return html.replace("</body>", f"{body}</body>").encode()


@pytest.mark.parametrize(("head", "title", "agency"), [
    ("<div>当前位置：首页&gt;政务公开&gt;政府信息公开年报</div><h1>2023年政府信息公开工作年度报告</h1>",
     "2023年政府信息公开工作年度报告_宜昌市人民政府门户网站", "秭归县磨坪乡人民政府"),
    ("<div>当前位置：首页&gt;政务公开&gt;政府信息公开年报<span>寥廓街道办事处2023年政府信息公开工作年度报告</span></div>",
     "", "寥廓街道办事处"),
    ("<div>政府信息公开年报</div><h1>秭归县磨坪乡人民政府2023年政府信息公开工作年度报告</h1>", "",
     "秭归县磨坪乡人民政府"),
    ("<div>来源：本网 发布机构：秭归县磨坪乡人民政府</div><h1>2023年度政府信息公开工作年度报告</h1>",
     "宜昌市人民政府门户网站", "秭归县磨坪乡人民政府"),
    ("<h1>2023年度政府信息公开工作年度报告</h1>", "磨坪乡人民政府2023年政府信息公开工作年度报告-秭归网",
     "秭归县磨坪乡人民政府"),  # the signing body ends with the title's name: it is that name in full
])
def test_agency_of_a_portal_page(head: str, title: str, agency: str) -> None:
    report = parse_bytes(_page(head, title=title), "page.html")
    assert report.meta.agency == agency


@pytest.mark.parametrize(("head", "published", "source"), [
    ("<div>来源：本网 发布时间：2025-01-15 16:34 浏览次数：12</div><h1>磨坪乡2024年政府信息公开工作年度报告</h1>",
     "2025-01-15", "page"),
    ("<table><tr><th>发布机构</th><td>磨坪乡人民政府</td><th>成文日期</th><td>2025-01-10</td></tr>"
     "<tr><th>发布日期</th><td>2025-01-15</td></tr></table><h1>磨坪乡2024年政府信息公开工作年度报告</h1>",
     "2025-01-10", "page"),
    ("<h1>磨坪乡2024年政府信息公开工作年度报告</h1>", None, None),
])
def test_publication_date_of_a_page_without_a_signed_date(head: str, published: str | None,
                                                           source: str | None) -> None:
    report = parse_bytes(_page(head), "page.html")
    assert (report.meta.published, report.meta.published_from) == (published, source)


def test_page_footer_after_an_undated_signature() -> None:
    footer = "<p>相关链接</p><p>关于做好春节期间工作的通知</p><p>主办：秭归县人民政府办公室</p>"
    report = parse_bytes(_page("<h1>2023年度政府信息公开工作年度报告</h1>", footer), "page.html")
    assert report.meta.agency == "秭归县磨坪乡人民政府"


def test_markdown_bold_markers_are_not_part_of_the_agency() -> None:
    text = render(consistent_report("2021", 2, agency="曲靖市人民政府"), "txt", "markdown").decode()
    lines = text.splitlines()
    lines[0] = f"**{lines[0].lstrip('# ')}**"
    lines[-2:] = [f"**{line}**" for line in lines[-2:]]
    report = parse_bytes("\n".join(lines).encode(), "report.md")
    assert (report.meta.agency, report.meta.published_from) == ("曲靖市人民政府", "signature")


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_markdown_of_a_rendered_docx(tmp_path) -> None:  # type: ignore[no-untyped-def]
    truth = consistent_report("2019", 5, agency="曲靖市麒麟区寥廓街道办事处")
    (tmp_path / "r.docx").write_bytes(render(truth, "docx"))
    markdown = subprocess.run(["pandoc", "-f", "docx", "-t", "markdown", str(tmp_path / "r.docx")],
                              capture_output=True, check=True, timeout=60).stdout
    got = parse_bytes(markdown, "r.md")
    assert _wrong_and_missing(truth, got) == ([], [])
    assert (got.meta.agency, got.meta.published) == (truth.meta.agency, truth.meta.published)


def test_rows_whose_spans_disagree_with_the_header_read_in_printed_order() -> None:
    html = ("<h1>青石县人民政府2020年政府信息公开工作年度报告</h1><h2>二、主动公开政府信息情况</h2><table>"
            "<tr><td colspan=5>第二十条第（一）项</td></tr>"
            "<tr><td>信息内容</td><td>本年新制作数量</td><td colspan=2>本年新公开数量</td><td>对外公开总数量</td></tr>"
            "<tr><td>规章</td><td colspan=2>5</td><td>5</td><td>60</td></tr>"
            "<tr><td>规范性文件</td><td>3</td><td></td><td colspan=2>9</td></tr></table>"
            "<h2>三、收到和处理政府信息公开申请情况</h2>")
    t2 = parse_bytes(html.encode(), "page.html").tables.t2["art20_1"]
    printed = {row: [cells[c].raw for c in ("new_made", "new_published", "total_published")]
               for row, cells in t2.items()}
    assert printed == {"regulation": ["5", "5", "60"], "normative_doc": ["3", "", "9"]}


def test_a_blank_cell_printed_last_in_a_column_only_a_span_draws_keeps_its_place() -> None:
    """A row printing a blank spanning two columns, a value, then a blank in the column only the header's span
    draws: read in printed order, the value is the second column's (by grid position it fell under the third)."""
    html = ("<h1>青石县人民政府2021年政府信息公开工作年度报告</h1><h2>二、主动公开政府信息情况</h2><table>"
            "<tr><td colspan=5>第二十条第（一）项</td></tr>"
            "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td colspan=2>现行有效件数</td></tr>"
            "<tr><td>规章</td><td colspan=2></td><td>0</td><td></td></tr>"
            "<tr><td>行政规范性文件</td><td>7</td><td>1</td><td colspan=2>39</td></tr></table>"
            "<h2>三、收到和处理政府信息公开申请情况</h2>")
    t2 = parse_bytes(html.encode(), "page.html").tables.t2["art20_1"]
    printed = {row: [cells[c].raw for c in ("issued", "repealed", "in_force")] for row, cells in t2.items()}
    assert printed == {"regulation": ["", "0", ""], "normative_doc": ["7", "1", "39"]}


def test_page_fields_printed_after_the_report() -> None:
    footer = "<div>来源：秭归县磨坪乡人民政府 发布日期：2024-01-01</div><p>主办：秭归县人民政府办公室</p>"
    report = parse_bytes(_page("<h1>2023年度政府信息公开工作年度报告</h1>", footer), "page.html")
    assert (report.meta.agency, report.meta.year, report.meta.published, report.meta.published_from) == (
        "秭归县磨坪乡人民政府", 2023, "2024-01-01", "page")
