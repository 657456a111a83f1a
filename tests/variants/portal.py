"""Portal pages: the report as a government website publishes it, wrapped in the site's chrome.

``portal-page`` varies what surrounds the report: the ``<title>`` with a site-name suffix of several
kinds, navigation, breadcrumbs (on their own line or glued to the heading), the 来源/发布时间 line or
the 信息公开 attribute table (发布机构, 成文日期, 发布日期), a heading with or without the agency,
a signature with or without its date, related links and the site footer. The page keeps the truth
of the report it is given: the agency is printed in full somewhere, and when the signature carries
no date, the page's 成文日期 (or its only date field) is the report's date.

``portal-spans`` prints the tables as portal editors leave them: in every table each row is one grid
column wider than the official layout, the extra column given to a different cell from row to row
(a header label in one row, the first or another value in the next), so the grid columns of a header
and of the values under it disagree while each row still prints one cell per column.
"""

from __future__ import annotations

import random
from dataclasses import replace
from html import escape

from nianbao.render.grid import Grid, Slot, t2_grid, t3_grid, t4_grid
from nianbao.render.prose import HEADINGS, intro, title
from nianbao.report import Report

from . import form

_NARRATIVE = {0: "overview", 4: "problems_improvements", 5: "other_matters"}
_WEB_KINDS = ("人民政府门户网站", "人民政府网", "政府网", "政务网")
_SITE_KINDS = (*_WEB_KINDS, "人民政府")
_SUFFIX_STYLES = ("_{site}", "-{site}", " - {site}", "|{site}", "｜{site}", "——{site}", "")
_CRUMB_SEPARATORS = (">", " > ", "&gt;&gt;", "»", "＞", " / ")
_CRUMB_LEADS = ("当前位置：", "您当前的位置：", "您现在的位置：", "所在位置：", "")
_COLUMNS = ("政府信息公开年报", "政府信息公开年度报告", "年度报告", "信息公开年报", "法定主动公开内容")
_NAV = ("首页", "走进{place}", "政务公开", "政务服务", "互动交流", "数据开放", "专题专栏")
_TOOLS = ("【字体：大 中 小】", "字号：大 中 小", "【打印】", "【关闭】", "分享到：微信 微博 QQ空间",
          "打印本页 关闭窗口")
_OFFICE = "人民政府办公室"


def _place(agency: str) -> str:
    """The county (or city) the agency belongs to: the site of its portal."""
    for end in ("县", "区", "市", "旗"):
        cut = agency.find(end)
        if 0 < cut <= 12:
            return agency[:cut + 1]
    return agency[:3]


def _date_words(iso: str) -> tuple[int, int, int]:
    year, month, day = (int(p) for p in iso.split("-"))
    return year, month, day


def _page_date(iso: str, rng: random.Random, later: int = 0) -> str:
    year, month, day = _date_words(iso)
    day = min(day + later, 28) if later else day
    style = rng.choice(("{y}-{m:02d}-{d:02d}", "{y}-{m:02d}-{d:02d} {h:02d}:{mi:02d}", "{y}年{m}月{d}日",
                        "{y}/{m:02d}/{d:02d}", "{y}-{m:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d}"))
    return style.format(y=year, m=month, d=day, h=rng.randint(8, 18), mi=rng.randint(0, 59), s=rng.randint(0, 59))


def _heading(report: Report, rng: random.Random, named: bool) -> str:
    agency, year = report.meta.agency or "", report.meta.year
    if not named:
        return rng.choice((f"{year}年政府信息公开工作年度报告", f"{year}年度政府信息公开工作年度报告"))
    return rng.choice((title(report), f"{agency}{year}年度政府信息公开工作年度报告",
                       f"{year}年{agency}政府信息公开工作年度报告", f"{agency}关于{year}年政府信息公开工作的年度报告",
                       f"{agency}{year}年政府信息公开年度报告"))


def _page_title(heading: str, site: str, rng: random.Random) -> str:
    suffix = rng.choice(_SUFFIX_STYLES).format(site=site)
    return heading + suffix if rng.random() < 0.85 else f"{site}-{heading}"


def _crumbs(rng: random.Random, column: str) -> str:
    sep = rng.choice(_CRUMB_SEPARATORS)
    path = ["首页", rng.choice(("政务公开", "信息公开", "政府信息公开")), column]
    return rng.choice(_CRUMB_LEADS) + sep.join(f'<a href="#">{p}</a>' for p in path)


# --- tables ----------------------------------------------------------------------------------------------------


def _td(slot: Slot, rng: random.Random, word: bool) -> str:
    spans = (f' rowspan="{slot.rowspan}"' if slot.rowspan > 1 else "") + (
        f' colspan="{slot.colspan}"' if slot.colspan > 1 else "")
    text = escape(slot.text)
    if word:
        style = ' style="border:solid windowtext 1.0pt;padding:0cm 5.4pt"'
        inner = f'<p class="MsoNormal" align="center"><span style="font-size:10.5pt">{text}<o:p></o:p></span></p>'
        return f'<td width="{rng.randint(40, 160)}"{spans}{style}>{inner}</td>'
    return f"<td{spans}>{text}</td>"


def _table(grid: Grid, rng: random.Random, word: bool) -> str:
    head = '<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0">' if word else \
        '<table border="1" cellspacing="0" style="border-collapse:collapse">'
    rows = ["<tr>" + "".join(_td(slot, rng, word) for slot in row) + "</tr>" for row in grid]
    return head + "\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"


def widen(grid: Grid, rng: random.Random) -> Grid:
    """The grid with one more grid column, given in every row to a cell chosen at random.

    A value row gives it to one of its values, another row to any of its cells; a cell spanning
    several rows widens all of them, so every row gains exactly one grid column.
    """
    out = [[replace(slot) for slot in row] for row in grid]
    widened = [False] * len(out)
    for r, row in enumerate(out):
        if widened[r]:
            continue
        pool = [s for s in row if s.value] or row
        eligible = [s for s in pool if not any(widened[r:r + s.rowspan])]
        chosen = rng.choice(eligible)
        chosen.colspan += 1
        for covered in range(r, min(r + chosen.rowspan, len(out))):
            widened[covered] = True
    return out


# --- pages -----------------------------------------------------------------------------------------------------


def _body(report: Report, rng: random.Random, spans: bool) -> list[str]:
    word = rng.random() < 0.5
    tables = {1: t2_grid, 2: t3_grid, 3: t4_grid}
    parts = [f"<p>{escape(intro(report))}</p>"]
    for number, heading in enumerate(HEADINGS):
        parts.append(f'<p><strong>{escape(heading)}</strong></p>' if rng.random() < 0.5 else
                     f"<h2>{escape(heading)}</h2>")
        if number in tables:
            grid = tables[number](report)
            parts.append(_table(widen(grid, rng) if spans else grid, rng, word))
        else:
            text = report.sections.get(_NARRATIVE[number], "") or "无。"
            parts += [f"<p>{escape(line)}</p>" for line in text.splitlines()]
    return parts


def _signature(report: Report, rng: random.Random, signed: bool, dated: bool) -> list[str]:
    lines = [report.meta.agency or ""] if signed else []
    if dated and report.meta.published:
        year, month, day = _date_words(report.meta.published)
        lines.append(rng.choice((f"{year}年{month}月{day}日", report.meta.published)))
    return [f'<p style="text-align:right">{escape(line)}</p>' for line in lines]


def _info(report: Report, rng: random.Random, dated: bool, source: str) -> str:
    """The 来源/发布时间 line or the 信息公开 attribute table; carries the report's date when the body does not."""
    published = report.meta.published or ""
    if rng.random() < 0.5:
        posted = _page_date(published, rng, later=0 if not dated else rng.randint(0, 9))
        label = rng.choice(("发布时间", "发布日期", "时间"))
        if not dated and label == "时间":
            label = "发布时间"
        views = f"浏览次数：{rng.randint(10, 9999)}" if rng.random() < 0.5 else ""
        return (f'<div class="info"><span>{rng.choice(("来源", "信息来源"))}：{escape(source)}</span> '
                f"<span>{label}：{posted}</span> <span>{views}</span> <span>{rng.choice(_TOOLS)}</span></div>")
    written = _page_date(published, rng)
    posted = _page_date(published, rng, later=rng.randint(0, 9))
    index = f"{rng.randint(10**8, 10**9)}/{report.meta.year or 2023}-{rng.randint(1, 999):05d}"
    rows = [("索引号", index, "主题分类", "政务公开"), ("发布机构", escape(source), "成文日期", written),
            ("名称", escape(title(report)), "", ""), ("文号", "", "发布日期", posted)]
    cells = "".join(f"<tr><th>{a}</th><td>{b}</td><th>{c}</th><td>{d}</td></tr>" for a, b, c, d in rows)
    return f'<table class="xxgk">{cells}</table>'


def _page(report: Report, rng: random.Random, spans: bool) -> bytes:
    agency = report.meta.agency or ""
    place = _place(agency)
    site = place + rng.choice(_SITE_KINDS)
    named, dated, signed = rng.random() < 0.8, rng.random() < 0.6, rng.random() < 0.8
    heading = _heading(report, rng, named)
    page_title = _page_title(heading if rng.random() < 0.8 else title(report), site, rng)
    web = place + rng.choice(_WEB_KINDS)
    others = ("本网", web, f"{place}{_OFFICE}") if named else ("本网", web)  # a body other than the agency
    source = agency if rng.random() < 0.6 else rng.choice(others)  # is named only under a title naming it
    if not (named or agency in page_title or source == agency):
        signed = True  # the agency is printed in full somewhere
    crumbs = _crumbs(rng, rng.choice(_COLUMNS))
    nav = "".join(f'<li><a href="#">{escape(n.format(place=place))}</a></li>' for n in _NAV)
    head = [f'<div class="top">{escape(site)} 无障碍 长者模式 {rng.choice(("登录", "注册", ""))}</div>',
            f'<ul class="nav">{nav}</ul>']
    if rng.random() < 0.25:
        head.append(f'<div class="position">{crumbs}<span class="title">{escape(heading)}</span></div>')
    else:
        head += [f'<div class="position">{crumbs}</div>', f"<h1>{escape(heading)}</h1>"]
    info = _info(report, rng, dated, source)
    footer_info = rng.random() < 0.2
    if not footer_info:
        head.insert(len(head) - (rng.random() < 0.5), info)
    body = _body(report, rng, spans) + _signature(report, rng, signed, dated)
    links = "".join(f'<li><a href="#">{escape(place)}关于{n}的通知</a></li>'
                    for n in ("做好春节期间工作", "开展安全检查"))
    foot = [info] if footer_info else []
    foot += [f'<div class="related">相关链接<ul>{links}</ul></div>', f'<div class="tools">{rng.choice(_TOOLS)}</div>',
            f'<div class="footer">主办：{escape(place)}{_OFFICE} 网站标识码：{rng.randint(10**9, 10**10)} '
            f"备案号：ICP备{rng.randint(10**7, 10**8)}号</div>"]
    charset = rng.choice(("utf-8", "gb2312"))
    html = ("<!DOCTYPE html>\n<html>\n<head>\n"
            f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
            f"<title>{escape(page_title)}</title>\n<script>var _hmt = _hmt || [];</script>\n</head>\n<body>\n"
            + "\n".join([*head, '<div class="content">', *body, "</div>", *foot]) + "\n</body>\n</html>\n")
    return html.encode("gb18030" if charset == "gb2312" else "utf-8")


@form("portal-page", ".html")
def portal_page(report: Report, rng: random.Random) -> bytes:
    """The report inside a portal page's chrome, its metadata printed the ways sites print it."""
    return _page(report, rng, spans=False)


@form("portal-spans", ".html")
def portal_spans(report: Report, rng: random.Random) -> bytes:
    """A portal page whose tables carry editor-made spans that disagree from row to row."""
    return _page(report, rng, spans=True)
