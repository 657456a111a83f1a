"""Scraped page text → report lines: a crawler's dump holds the whole report on one or a few lines, page
chrome around it. This step cuts those lines at section headings, table captions and row labels (found
inside lines, not only at their starts), parts each row's label from its values, puts the title, page
fields (来源, 发布时间) and signature on lines of their own and drops the page chrome (site name,
breadcrumb, share buttons, 字号 大中小, 打印, 关闭, view counts).

A row whose values were printed with no separator keeps them in one cell marked ``glued`` (the extractor
splits it by the table's arithmetic); a row label followed at once by the next text on its line printed
blank cells only, and keeps an empty glued cell. Text that shows neither inline headings nor page chrome is left to
the line layout untouched.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from functools import cache

from ..document import Document, Table
from ..schema import formats
from ..settings import ScrapedSettings, Settings
from ..values import DIGITS_RUN
from .layout import text_to_document

_NUMERAL = "一二三四五六七八九十"
_NUMBERING = rf"(?:[{_NUMERAL}]+[、.．]|[（(][{_NUMERAL}\d]{{1,2}}[)）]|\d[.．、])"
"""Row numbering printed before a label (one digit only: glued values may precede it)."""
_SECTION_NUMBER = re.compile(rf"[{_NUMERAL}][、.．]")

_SHARE_ITEM = r"(?:微信|微博|QQ空间|QQ好友|朋友圈|人人网|豆瓣)"
_NAV = ("网站首页|首页|政务公开|政府信息公开年度报告|政府信息公开工作年度报告|政府信息公开年报|政府信息公开"
        "|信息公开年报|信息公开目录|信息公开|法定主动公开内容|主动公开|工作年报|年度报告|年报|正文")
"""Breadcrumb items that may be printed with no separator between them."""
CHROME_WORDS = ("当前位置", "您的位置", "您现在的位置", "所在位置", "分享到", "字号", "字体：", "打印本页", "关闭窗口",
                 "【打印】", "【关闭】", "扫一扫", "浏览次数", "点击数", "阅读次数", "访问量", "门户网站")
"""Words that only page chrome prints: text holding two of them near its start is a scraped page. None holds another
or begins with the end of another: one search finds every one printed."""
_CHROME_WORD = re.compile("|".join(map(re.escape, CHROME_WORDS)))
_DATETIME = re.compile(r"\s*\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?")
_TITLE_END = re.compile(r"年度报告(?![格》])|(?=本报告依据)")
_DATE = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_VALUES = re.compile(r"(?:\s|[+-]?\d|[.,]|(?<=\d)，(?=\d{3})|(?<=\d)万?元|无|[-—－–/])*$")
"""A row's values ending its text: digits, signs, thousands separators (a full-width one before three digits, which
may run on into the next value when values are glued: ``1，650403``), marks of nothing, an amount's unit
(``251000元``)."""
_CELL_LINE = re.compile(rf"[ \t\u3000]*(?:[+-]?{DIGITS_RUN}(?:\.\d+)?(?:万?元)?|无|[-—－–/])?[ \t\u3000]*")
"""A line holding one value, or nothing (a blank cell when cells are printed one per line)."""
_ONE_VALUE = re.compile(r"\s*(?:[+-]?(?:0|[1-9][\d,]*)(?:\.\d+)?(?:万?元)?|无|[-—－–/])\s*")
"""A run that may be one value: a number with no leading zero (``0.5`` but not ``0700``), a mark of nothing."""


@cache
def _chrome() -> re.Pattern[str]:
    """Page chrome dropped from a scraped page (compiled when a page is cut: most texts are none)."""
    return re.compile("|".join((
        rf"(?:当前位置|您的位置|您现在的位置|现在位置|所在位置)[:：]?\s*"
        rf"(?:(?:{_NAV})\s*[>»＞→]?\s*|[^\s>»＞→]{{1,20}}\s*[>»＞→]\s*)+"
        r"(?:(?:(?<=[>»＞→])|(?<=[>»＞→]\s))[^\s>»＞→]{1,20}(?=\s|$))?",
        r"(?m:^[\u4e00-\u9fff]{2,20}?(?:人民政府门户网站|门户网站|政府网站|人民政府网|政府网)(?!站))",
        r"【?\s*(?:字号|字体)[:：]?\s*【?\s*[大小]\s*中\s*[小大]\s*】?\s*】?",
        r"(?m:^\s*【?\s*[大小]\s*】?\s*【?\s*中\s*】?\s*【?\s*[小大]\s*】?\s*$)",  # the buttons on a line of their own
        rf"分享到[:：]?(?:\s*{_SHARE_ITEM})*",
        rf"{_SHARE_ITEM}(?:\s*{_SHARE_ITEM})+",
        r"(?:浏览次数|点击数|点击量|阅读次数|访问量|浏览量)[:：]\s*\d*",
        r"【\s*(?:打印本页|打印|关闭窗口|关闭|返回顶部)\s*】",
        r"(?:打印本页|打印)\s*(?:关闭窗口|关闭)|打印本页|关闭窗口|扫一扫在手机打开当前页",
    )))


def holds_chrome(text: str) -> bool:
    """Whether the text holds page chrome (breadcrumbs, share buttons, font size, print and close links)."""
    return _chrome().search(text) is not None


@cache
def _field() -> re.Pattern[str]:
    """A page field's name (来源, 发布时间, …) and its colon."""
    return re.compile(r"(?:信息来源|来源|发布机构|发布单位|作者|编辑|发布时间|发布日期|成文日期|更新时间|时间|日期)"
                      r"[:：]")


def _flexible(text: str) -> str:
    """A label as a pattern: brackets of either width."""
    out = re.escape(text)
    for wide, narrow in (("（", "("), ("）", ")")):
        out = out.replace(re.escape(wide), f"[{wide}{narrow}]").replace(re.escape(narrow), f"[{wide}{narrow}]")
    return out


def _body(label: str) -> str:
    return re.sub(rf"^{_NUMBERING}", "", label)


def _alternation(texts: set[str]) -> str:
    return "|".join(_flexible(t) for t in sorted(texts, key=len, reverse=True))


@cache
def _heading() -> re.Pattern[str]:
    labels = {label for s in formats().sections for label in (s.label, *s.variants)}
    return re.compile(rf"[{_NUMERAL}]+[、.．]\s*(?:{_alternation(labels)})")


@cache
def _table_heading() -> re.Pattern[str]:
    """The headings of the sections that hold a table."""
    labels = {label for s in formats().sections if s.kind == "table" for label in (s.label, *s.variants)}
    return re.compile(rf"[{_NUMERAL}]+[、.．]\s*(?:{_alternation(labels)})")


@cache
def _row_start(short_body: int) -> re.Pattern[str]:
    """Where a table line starts inside a table section: a 表二 caption or an official row label (a 表三 label
    shorter than ``short_body`` only with its numbering)."""
    captions = {b.caption for blocks in formats().t2.values() for b in blocks}
    t2 = {label for blocks in formats().t2.values() for b in blocks for r in b.rows for label in (r.label, *r.variants)}
    t3 = {_body(label) for r in formats().t3_rows for label in (r.label, *r.variants)}
    free = {b for b in t3 if len(b) >= short_body}
    numbered = t3 - free
    return re.compile(rf"(?P<caption>{_alternation(captions)})|(?P<label>{_NUMBERING}?(?:{_alternation(free)})"
                      rf"|{_NUMBERING}(?:{_alternation(numbered)})|{_alternation(t2)})")


def is_scraped(text: str, settings: ScrapedSettings) -> bool:
    """True when a long line holds a numbered section heading after other text, or page chrome is printed."""
    heading = _heading()
    for inline in _SECTION_NUMBER.finditer(text):
        at = inline.start()
        if not at or text[at - 1].isspace():
            continue  # a numbering that starts a line or follows a blank (most): no heading run into text
        found = heading.match(text, at)
        if found:
            start = text.rfind("\n", 0, found.start()) + 1
            end = text.find("\n", found.end())
            if (end if end >= 0 else len(text)) - start >= settings.long_line_chars:
                return True
    head = text[:settings.chrome_head_chars]
    return len(set(_CHROME_WORD.findall(head))) >= settings.min_chrome_words


@dataclass(slots=True)
class _Line:
    """A report line cut out of a scraped text."""
    text: str
    start: int
    """Offset in the scraped text where the line's text begins."""
    glued: bool = False


class _Cutter:
    """The scraped text's cut points and dropped spans, then its report lines."""

    def __init__(self, text: str, settings: ScrapedSettings) -> None:
        self.text = text
        self.settings = settings
        self.cuts: set[int] = {0, len(text)}
        self.dropped: list[tuple[int, int]] = []
        self.rows: set[int] = set()
        """Cut points where a row label starts."""
        self.tables: list[tuple[int, int]] = []
        """(start, end) offsets of the table sections."""

    def drop_chrome(self) -> None:
        """Drop the chrome; page fields (来源, 发布时间) and every line break start a line."""
        for found in _chrome().finditer(self.text):
            self.dropped.append(found.span())
            self.cuts.update(found.span())
        for found in _field().finditer(self.text):
            self.cuts.add(found.start())
            stamp = _DATETIME.match(self.text, found.end())
            if stamp and ("时间" in found.group() or "日期" in found.group()):
                self.cuts.add(stamp.end())
        for i, char in enumerate(self.text):
            if char == "\n":
                self.cuts.update((i, i + 1))

    def structure(self) -> None:
        """Cut at headings (before and after), after the title, at 表二 captions and row labels inside the
        table sections, and around the signature."""
        headings = list(_heading().finditer(self.text))
        for found in headings:
            self.cuts.update(found.span())
        front = headings[0].start() if headings else len(self.text)
        for found in _TITLE_END.finditer(self.text, 0, front):
            self.cuts.add(found.end())
        tables = _table_heading()
        for i, found in enumerate(headings):
            if tables.fullmatch(found.group()):
                end = headings[i + 1].start() if i + 1 < len(headings) else len(self.text)
                for row in _row_start(self.settings.short_label_chars).finditer(self.text, found.end(), end):
                    self.cuts.add(row.start())
                    if row.group("label"):
                        self.rows.add(row.start())
                    else:
                        self.cuts.add(row.end())
        self._signature(headings[-1].end() if headings else 0)
        self.tables = [(f.end(), headings[i + 1].start() if i + 1 < len(headings) else len(self.text))
                       for i, f in enumerate(headings) if tables.fullmatch(f.group())]

    def _signature(self, after: int) -> None:
        """The last date after the last heading on a line of its own, and the signing body before it."""
        dates = list(_DATE.finditer(self.text, after))
        if not dates:
            return
        date = dates[-1]
        self.cuts.update(date.span())
        before = self.text[max(after, date.start() - self.settings.signature_reach_chars):date.start()]
        stop = max(before.rfind("。"), before.rfind("；"))
        if stop >= 0:
            self.cuts.add(date.start() - len(before) + stop + 1)

    def _in_table(self, position: int) -> bool:
        return any(start <= position < end for start, end in self.tables)

    def lines(self) -> list[_Line]:
        """The text between cut points, chrome left out, table lines parted into label and values."""
        cuts = sorted(self.cuts)
        dropped = sorted(self.dropped)
        out: list[_Line] = []
        for start, end in itertools.pairwise(cuts):
            if any(a <= start and end <= b for a, b in dropped):
                continue
            piece = self.text[start:end]
            if not piece.strip():
                continue
            if self._in_table(start):
                line_end = self.text[end:end + 1] in ("", "\n")
                whole = (start == 0 or self.text[start - 1] == "\n") and line_end
                out.extend(_table_lines(piece, start, start in self.rows, whole, line_end))
            else:
                out.append(_Line(piece.strip(), start))
        return out


def _value_cells(run: str, labelled: bool, line_end: bool) -> tuple[list[str], bool]:
    """The cells of a row's value run and whether they were glued (printed with no separator). The run
    follows its label's separator (when ``labelled``) and, unless it ends its line, holds the separator
    before the next text."""
    for separator in ("\t", " ", "\u3000"):
        if separator in run.strip("\n"):
            inner = run.strip("\n")
            inner = inner.removeprefix(separator) if labelled else inner
            inner = inner if line_end else inner.removesuffix(separator)
            return [cell.strip() for cell in inner.split(separator)], False
    return [run.strip()], True


def _table_lines(piece: str, start: int, is_row: bool, whole: bool, line_end: bool) -> list[_Line]:
    """A table line: a row label and its values on one TAB-separated line; other text and the values
    after it on lines of their own. Values printed with no separator are glued unless they fill a line as one
    value may (``17772212227—11`` on a line of its own is no value)."""
    run = _VALUES.search(piece)
    assert run is not None
    label, values = piece[:run.start()].strip(), run.group()
    cells, glued = _value_cells(values, bool(label), line_end)
    if not any(cells) and (glued or not is_row):
        if is_row and label and glued and not line_end:
            return [_Line(f"{label}\t", start, True)]  # the next text follows at once: its cells print nothing
        return [_Line(label, start)] if label else []
    glued = glued and not (whole and not label and _ONE_VALUE.fullmatch(values))
    if is_row and label:
        return [_Line("\t".join([label, *cells]), start, glued)]
    lines = [_Line(label, start)] if label else []
    return [*lines, _Line("\t".join(cells) if len(cells) > 1 else cells[0], start + run.start(), glued)]


def _join_cell_lines(text: str, short_body: int) -> str:
    """Tables printed one cell per line (a newline between cells, an empty line for a blank cell): in each
    table section, a run of value lines, with the row label line before it, becomes one TAB-separated line.
    Each joining newline becomes a TAB, so offsets stay those of ``text``."""
    headings = list(_heading().finditer(text))
    tables = _table_heading()
    chars = list(text)
    for i, found in enumerate(headings):
        if not tables.fullmatch(found.group()):
            continue
        end = headings[i + 1].start() if i + 1 < len(headings) else len(text)
        breaks = [k for k in range(found.end(), end) if text[k] == "\n"]
        run: list[tuple[int, str | None]] = []
        for k, stop in itertools.pairwise([*breaks, end]):
            line = text[k + 1:stop]
            if _CELL_LINE.fullmatch(line):
                run.append((k, line))
                continue
            _join(chars, run)
            run = [(k, None)] if _is_label_line(line, short_body) else []
        _join(chars, run)
    return "".join(chars)


def _is_label_line(line: str, short_body: int) -> bool:
    found = _row_start(short_body).fullmatch(line.strip())
    return bool(found and found.group("label"))


def _join(chars: list[str], run: list[tuple[int, str | None]]) -> None:
    """Turn the newlines inside ``run`` (lines after newlines at the given offsets, a row label's line
    first if any, its text None) into TABs when a line of it holds a value or it follows a row label."""
    if len(run) > 1 and (run[0][1] is None or any(line.strip() for _, line in run if line)):
        for k, _ in run[1:]:
            chars[k] = "\t"


def read_scraped(text: str, settings: Settings) -> Document | None:
    """The Document of a scraped page's text; None when the text is not a scraped page."""
    scraped = settings.scraped
    if not is_scraped(text, scraped):
        return None
    cutter = _Cutter(_join_cell_lines(text, scraped.short_label_chars), scraped)
    cutter.drop_chrome()
    cutter.structure()
    lines = cutter.lines()
    document = text_to_document("\n".join(line.text for line in lines), settings.layout)
    breaks = [i for i, char in enumerate(text) if char == "\n"]
    for at in _places(document):
        number = at.get("line")
        if isinstance(number, int) and 0 < number <= len(lines):
            line = lines[number - 1]
            at["line"] = bisect.bisect_right(breaks, line.start) + 1
            if line.glued and ("\t" not in line.text or at.get("cell") != 0):
                at["glued"] = True
    return document


def _places(document: Document) -> list[dict[str, object]]:
    """The ``at`` of every paragraph and table cell (a table's own ``at`` is its first cell's)."""
    found: list[dict[str, object]] = []
    for block in document.blocks:
        if isinstance(block, Table):
            found.extend(cell.at for row in block.rows for cell in row)
        else:
            found.append(block.at)
    return found
