"""Document rows → metadata: reporting body (title, contact sentence or signature), report year
(title or statistics period), publication date and where it was read, and the body's level.

The date is the one signed under the report (``published_from = "signature"``), else a date line
printed under the title (``"heading"``), else the date field of the page that published it
(成文日期, then 发布日期 / 发布时间 / 公开日期: ``"page"``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..document import Row
from ..readers.inline import holds_chrome
from ..regions import find_mentions
from ..settings import ExtractSettings
from ..values import squash, unspaced
from .sections import heading_key, row_text

_TITLE_PART_MIN_CHARS = 3
_FIELD_LABELS = "文件名称|信息名称|标题|题目|名称"
_FIELD_LABEL = re.compile(rf"^(?:{_FIELD_LABELS})(?:[:：]|(?=.))")
"""A page's field label printed before the title it holds (no title starts with one)."""
_FIELD_LABEL_ONLY = re.compile(rf"(?:{_FIELD_LABELS})[:：]?")
_YEAR = r"((?:19|20)\d{2})"
_TITLE_PATTERNS = (
    re.compile(rf"{_YEAR}年度?(?P<agency>[^\d年]{{2,40}}?)政府信息公开"),
    re.compile(rf"(?P<agency>[^年]{{2,40}}?){_YEAR}年度?(?:政府信息公开|政务公开)"),
    re.compile(rf"(?P<agency>.{{2,40}}?)政府信息公开(?:工作)?{_YEAR}年度?"),
    re.compile(r"(?P<agency>[^\d]{2,40}?)政府信息公开(?:工作)?年度报告"),
)
_CONTACT = re.compile(
    r"(?:请与|请联系|联系单位[:：]|联系机关[:：])(?P<agency>[^，,。；;（(：:]{3,30}?)(?:联系|[（(，,。])"
)
_PERIOD = re.compile(rf"{_YEAR}年\s*1\s*月\s*1\s*日")
_ANY_YEAR = re.compile(rf"{_YEAR}\s*年")
_DATE = re.compile(rf"{_YEAR}(?:年(\d{{1,2}})月(\d{{1,2}})日|(?P<sep>[-./])(\d{{1,2}})(?P=sep)(\d{{1,2}}))")
_CN_ZEROS = "〇○零OoＯΟ"  # the letter O and the Greek Omicron stand in for 〇 in many typed dates
_CN_YEAR_DIGITS = rf"[{_CN_ZEROS}一二三四五六七八九]{{4}}"
_CN_DATE = re.compile(rf"({_CN_YEAR_DIGITS})年([元一二三四五六七八九十]{{1,3}})月([一二三四五六七八九十]{{1,3}})日")
_CN_DIGITS = str.maketrans(_CN_ZEROS + "一二三四五六七八九", "0" * len(_CN_ZEROS) + "123456789")
_DATE_START = frozenset("12" + _CN_ZEROS + "一二三四五六七八九")
"""The characters a date of ``_DATE`` (a year 19xx or 20xx) or ``_CN_DATE`` starts with."""
_ORG_END = re.compile(
    r"(?:人民政府|办公室|办公厅|委员会|办事处|局|厅|委|办|中心|院|所|署|会|街道|乡|镇|处|部|队|站|馆|台|关|社|司|校)$"
)
_AGENCY_JUNK = re.compile(r"^(?:关于|《)|(?:》|关于)$")
_CN_YEAR = re.compile(rf"{_CN_YEAR_DIGITS}(?=年)")
_PAGE_DATE = re.compile(
    rf"(?P<label>成文日期|发布日期|发布时间|公开日期|发文日期|印发日期)[:：]?\s*"
    rf"(?P<date>{_YEAR}(?:年\d{{1,2}}月\d{{1,2}}日|(?P<sep>[-./])\d{{1,2}}(?P=sep)\d{{1,2}}))"
)
_PAGE_DATE_FIRST = "成文日期"
"""The page field that dates the document itself; the others date its posting on the site."""
_MARKUP = re.compile(r"\*\*|__|^#+")
"""Markdown emphasis and heading markers left in text dumps (pandoc keeps ``**`` around bold titles)."""
_NAME_LOOKAHEAD = 24
"""Characters of a title's start searched for the division name a piece above it begins."""
_CRUMB_SEPARATORS = "[>＞»›/]"
_CRUMBS = re.compile(rf"^.*(?:{_CRUMB_SEPARATORS}|(?:当前|现在|所在)的?位置[:：])")
_COLUMN = re.compile(r"^[^\d]{0,12}(?:年报|年度报告|公开|内容|专栏)")
"""The site column a breadcrumb ends with, when the title follows it on the same line."""
_PAGE_FIELDS = "索引号|主题分类|发布机构|成文日期|发布日期|文号"
_NOT_TITLE_PART = re.compile(rf"报告|年报|[)）]$|。|[:：]|{_CRUMB_SEPARATORS}|(?:19|20)\d\d[-/.]\d|{_PAGE_FIELDS}")
_LABEL_PIECES = re.compile(f"[{(_PAGE_FIELDS + _FIELD_LABELS).replace('|', '')}]+")
"""A line of nothing but pieces of page field labels (a narrow field table wraps ``发布机构`` as ``发布机``, ``构``)."""
_TITLE_SEPARATOR = re.compile(r"_|\||｜|——|—|-|–")
_NOT_AGENCY = re.compile(rf"^(?:年|度|报|告|公开)|[:：/《》“”，。；]|{_CRUMB_SEPARATORS}|网站|网$|本网|http|www|\d")
_SOURCE = re.compile(
    r"(?:信息来源|来源单位|来源|发布机构|发布单位|发文机关|发文单位)[:：]?\s*(?P<agency>[^\s:：]{2,40}?)"
    r"(?=\s|$|【|\[|(?:发布|成文|公开|浏览|点击|阅读|作者|索引|时间|日期))"
)
_SENTENCE = re.compile(r"[，。；、！？,;!?]")


@dataclass(slots=True)
class MetaFound:
    """What the text says of the report: agency, years, date of publication and where it was read, level."""
    agency: str | None = None
    title_year: int | None = None
    period_year: int | None = None
    published: str | None = None
    published_from: str | None = None
    level: str | None = None

    @property
    def year(self) -> int | None:
        return self.title_year or self.period_year


def _title_cell(row: Row) -> str:
    """The text of a row that may hold a title: a paragraph's, or the table cell that names a report."""
    texts = [squash(c.text) for c in row.cells if c.text]
    if len(texts) > 1 and not all(t.isdigit() for t in texts[1:]):  # a title line ending in its year stays
        texts = [t for t in texts if "报告" in t][:1]
    return _FIELD_LABEL.sub("", _MARKUP.sub("", "".join(texts)))


def _field_label(row: Row) -> bool:
    """A line holding only a page field's label (a field table printed without its ruling sets the label of a
    title wrapped over two lines between them)."""
    return _FIELD_LABEL_ONLY.fullmatch(squash(row_text(row))) is not None


def _joinable(text: str, most: int) -> bool:
    """A line that may be the first part of a title broken over lines: three characters or more besides digits
    (fewer: pieces of labels and values a narrow field table wrapped), never a page field, pieces of its labels or
    page chrome (share buttons, breadcrumbs)."""
    return (len(text) - sum(c.isdigit() for c in text) >= _TITLE_PART_MIN_CHARS and len(text) <= most
            and not _NOT_TITLE_PART.search(text) and not _LABEL_PIECES.fullmatch(text) and not holds_chrome(text))


def _title(rows: list[Row], first_heading: int, settings: ExtractSettings) -> str | None:
    """The report's title as printed above its first heading, its broken lines joined, breadcrumbs cut: the first
    that names the reporting body, else the first that names a year (a page's heading naming the year only,
    above the field table whose 名称 holds the title in full)."""
    first = None
    for title, names_body in _titles(rows, first_heading, settings):
        if names_body:
            return title
        first = first or title
    return first


def _titles(rows: list[Row], first_heading: int, settings: ExtractSettings) -> Iterator[tuple[str, bool]]:
    """The lines above the first heading that read as a report's title (naming its body or year), in order, each
    with whether it names the body."""
    most = settings.title_max_chars
    limit = min(len(rows), first_heading if first_heading >= 0 else settings.title_lookahead_rows,
                settings.head_rows_max)
    head = rows[:limit]
    texts = [_title_cell(r) for r in head]
    labels = [_field_label(r) for r in head]
    for i, text in enumerate(texts):
        after = i + 2 if i + 2 < len(texts) and labels[i + 1] else i + 1  # a field's label set between its lines
        end = after if after < len(texts) and _word_broken(text, texts[after]) else None
        if ("报告" in text or end is not None) and len(text) <= most:
            parts = [*_lines_before(texts, labels, i, most), text, *([texts[end]] if end is not None else [])]
            title = _without_crumbs("".join(parts))
            agency, year = _title_fields(title)
            if agency or year:
                yield title, agency is not None


def _lines_before(texts: list[str], labels: list[bool], i: int, most: int) -> list[str]:
    """The lines a title's line ``i`` goes on from (a title broken over lines): up to two lines above it (more while
    a division's name runs across their breaks) and the end of a breadcrumb line above those, or the one line above
    a field label that a narrow field table sets between the lines of its value."""
    if i >= 2 and labels[i - 1]:
        return [texts[i - 2]] if _joinable(texts[i - 2], most) else []
    start = i
    while (start > 0 and not labels[start - 1] and _joinable(texts[start - 1], most)
           and (i - start < 2 or _name_across(texts[start - 1], texts[start]) is not None)
           and not texts[i].startswith(texts[start - 1])):  # a field's value printed again above its title
        start -= 1
    if start >= 1 and (cut := _without_crumbs(texts[start - 1])) != texts[start - 1] and (
            _joinable(cut, most) or _name_across(cut, texts[start]) == 0):  # a name's first characters
        return [cut, *texts[start:i]]  # a breadcrumb line ending in the title's first part
    return texts[start:i]


def _name_across(above: str, below: str) -> int | None:
    """Where in ``above`` a division's name starts that runs onto ``below`` (``…积石山保安`` / ``族东乡族…``; ``赤峰``
    left after a breadcrumb / ``市敖汉旗…``); None when no name runs across the break."""
    head, tail = above[-_NAME_LOOKAHEAD:], below[:_NAME_LOOKAHEAD]
    at = 0
    for name in find_mentions(head + tail):
        at = (head + tail).index(name, at)
        if at < len(head) < at + len(name):
            return len(above) - len(head) + at
        at += len(name)
    return None


def _word_broken(line: str, following: str) -> bool:
    """Whether a title line breaks inside the word 报告 (``…年度报`` then ``告``)."""
    return "报告" not in line and line.endswith("报") and following.startswith("告")


def _without_crumbs(title: str) -> str:
    """A title with the breadcrumb printed before it cut off, with the site's column name it ends in."""
    cut = _CRUMBS.sub("", title)
    return _COLUMN.sub("", cut) if cut != title else title


def page_title_fields(page_title: str) -> tuple[str | None, int | None]:
    """Agency and year of a page's ``<title>``, its site-name part (``_XX人民政府门户网站``, ``-XX网``) dropped."""
    parts = [p for p in _TITLE_SEPARATOR.split(_MARKUP.sub("", squash(page_title))) if "报告" in p]
    return _title_fields(parts[0]) if parts else (None, None)


def _title_fields(title: str) -> tuple[str | None, int | None]:
    title = _CN_YEAR.sub(lambda m: m.group().translate(_CN_DIGITS), title)
    for pattern in _TITLE_PATTERNS:
        found = pattern.search(title)
        if found:
            agency = _AGENCY_JUNK.sub("", found.group("agency"))
            years = [g for g in found.groups() if g and re.fullmatch(_YEAR, g)]
            year = years[0] if years else _title_year(title)
            return agency if _plausible(agency) else None, int(year) if year else None
    return None, None


def _title_year(title: str) -> str | None:
    """The year a report title names outside its agency pattern (``2025年度政府信息公开工作年度报告``)."""
    found = _ANY_YEAR.search(title)
    return found.group(1) if found else None


def _plausible(agency: str) -> bool:
    """Whether a name read off a title, a page field or a signature can be a reporting body's name: it ends
    like one."""
    return len(agency) >= 2 and not _NOT_AGENCY.search(agency) and _ORG_END.search(agency) is not None


def _source_field(rows: list[Row], settings: ExtractSettings) -> str | None:
    """The body named by the page's 来源 / 发布机构 field among ``rows`` (a site name or 本网 is no body)."""
    # the rows' texts in one string, each row's apart from the next by a line break and a colon, which no field's
    # value may hold or start with: one search over them finds the fields row by row, as a search of each row would
    joined = "\n:".join([_unmarked(row_text(row)) for row in rows[:settings.head_rows_max]])
    for found in _SOURCE.finditer(joined):
        name = found.group("agency")
        if _plausible(name):
            return name
    return None


def _clean_date(year: str, month: str, day: str) -> str | None:
    y, m, d = int(year), int(month), int(day)
    if 1 <= m <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{m:02d}-{d:02d}"
    return None


def parse_date(text: str, most: int) -> str | None:
    """ISO date of a standalone date line of at most ``most`` chars (YYYY年M月D日, also in Chinese numerals;
    YYYY-M-D, YYYY.M.D, YYYY/M/D)."""
    squashed = squash(text).strip("()（）")
    if len(squashed) > most or squashed[:1] not in _DATE_START:
        return None  # most lines: too long for a date line, or not starting with a year
    found = _DATE.fullmatch(squashed)
    if found:
        year, month, day, _, dotted_month, dotted_day = found.groups()
        return _clean_date(year, month or dotted_month, day or dotted_day)
    found = _CN_DATE.fullmatch(squashed)
    if found:
        import cn2an  # slow to import; only needed for dates written in Chinese numerals

        year = found.group(1).translate(_CN_DIGITS)
        month = str(cn2an.cn2an(found.group(2).replace("元", "一"), "smart"))
        day = str(cn2an.cn2an(found.group(3), "smart"))
        return _clean_date(year, month, day)
    return None


def _signing_body(text: str, settings: ExtractSettings) -> str | None:
    """The line as a signing body's name, when it reads as one."""
    name = squash(text)
    fits = settings.signing_body_min_chars <= len(name) <= settings.signing_body_max_chars
    return name if fits and _plausible(name) and not _SENTENCE.search(name) else None


def _unmarked(text: str) -> str:
    """The text without markdown emphasis and heading markers (most lines have none: not searched then)."""
    return _MARKUP.sub("", text) if "**" in text or "__" in text or text.startswith("#") else text


def _last_lines(rows: list[Row]) -> Iterator[tuple[str, Row]]:
    """The rows holding text, last first, each with its text unmarked (read only as far as they are asked for:
    the date is most often on one of the last lines)."""
    for row in reversed(rows):
        if squash(text := row_text(row)):
            yield _unmarked(text), row


def _signed(rows: list[Row], first_heading: int, settings: ExtractSettings) -> tuple[str | None, str | None, str]:
    """Date and signing body from the last lines after the first heading (a page's footer may follow them),
    and the two lines above the date joined (a long name broken over two lines).

    The body is the line above the date; with no date, the last line that reads as a body's name.
    """
    start = max(first_heading + 1, len(rows) - settings.signature_rows, 0)
    lines = _last_lines(rows[start:])
    seen: list[tuple[str, Row]] = []
    for text, row in lines:
        date = parse_date(text, settings.date_line_max_chars)
        if date:
            above = list(itertools.islice(lines, 2))  # the nearest first
            joined = unspaced("".join(text for text, _ in reversed(above)))
            return date, _signing_body(above[0][0], settings) if above else None, joined
        seen.append((text, row))
    for text, row in seen:
        body = None if row.in_table else _signing_body(text, settings)
        if body and not heading_key(row, settings):
            return None, body, ""
    return None, None, ""


def _page_date(rows: list[Row], settings: ExtractSettings) -> str | None:
    """The page's own date field among ``rows`` (成文日期 before the posting dates)."""
    dates: dict[str, str] = {}
    # the rows' texts in one string, each row's apart from the next by a character no field may hold: one
    # search over them finds the fields row by row, as a search of each row would
    joined = "\x00".join([squash(row_text(row)) for row in rows[:settings.head_rows_max]])
    for found in _PAGE_DATE.finditer(joined):
        date = parse_date(found.group("date"), settings.date_line_max_chars)
        if date:
            dates.setdefault(found.group("label"), date)
    return dates.get(_PAGE_DATE_FIRST) or next(iter(dates.values()), None)


def _published(rows: list[Row], head: int, signed: str | None, settings: ExtractSettings
               ) -> tuple[str | None, str | None]:
    """(date, where it was read): the signed date, a date line under the title, or the page's date field
    printed before the report or in the page's footer after it."""
    if signed:
        return signed, "signature"
    lookahead = settings.title_lookahead_rows
    for row in rows[:min(head, lookahead) if head > 0 else lookahead]:
        date = parse_date(row_text(row), settings.date_line_max_chars)
        if date:
            return date, "heading"
    page = (_page_date(rows[:head] if head > 0 else rows, settings)
            or _page_date(rows[max(head, 0):][-settings.signature_rows:], settings))
    return (page, "page") if page else (None, None)


def _in_full(agency: str | None, signed: list[str], settings: ExtractSettings) -> str | None:
    """The agency, or the first signing body (the line above the date, then the two lines above it joined)
    ending with it when longer: a title whose first line was cut off (a long name broken over many lines)
    names the body by its tail. A line that already ends with the agency settles it: the line above is
    something else (a table's last word)."""
    for name in signed:
        if agency and name.endswith(agency):
            return name if len(name) > len(agency) and _signing_body(name, settings) else agency
    return agency


def level_of(agency: str | None) -> str | None:
    """Administrative level suggested by the body's name."""
    if not agency:
        return None
    if re.search(r"(街道|乡|镇)(人民政府|办事处)?$", agency):
        return "township"
    if re.search(r"(县|区|旗|县级市)人民政府$", agency):
        return "county"
    if re.search(r"(自治州|地区|盟|市)人民政府$", agency):
        return "city"
    if re.search(r"(省|自治区)人民政府$", agency):
        return "province"
    return "department"


def extract_meta(rows: list[Row], first_heading: int, intro_end: int, settings: ExtractSettings,
                 page_title: str = "") -> MetaFound:
    """Agency, years, date and level, each from the best place it is printed.

    The agency is read, in order of trust, from the page's ``<title>``, the title printed above the
    report, the page's 来源 / 发布机构 field, the contact sentence and the signature; a signing body that
    ends with the name found before it is that name in full.
    """
    meta = MetaFound()
    title = _title(rows, first_heading, settings)
    meta.agency, page_year = page_title_fields(page_title) if page_title else (None, None)
    if title:
        agency, meta.title_year = _title_fields(title)
        if meta.agency is None and agency:
            meta.agency = agency
    meta.title_year = meta.title_year or page_year
    if meta.agency is None:
        meta.agency = (_source_field(rows[:first_heading] if first_heading > 0 else rows, settings)
                       or _source_field(rows[max(first_heading, 0):][-settings.signature_rows:], settings))
    front = " ".join([row_text(r) for r in rows[:max(intro_end, 1)]])
    period = (_PERIOD.search(unspaced(front))
              or _PERIOD.search(" ".join([row_text(r) for r in rows[:settings.period_rows]])))
    meta.period_year = int(period.group(1)) if period else None
    signed, signed_by, above = _signed(rows, first_heading, settings)
    meta.agency = _in_full(meta.agency, [signed_by or "", above], settings)
    meta.published, meta.published_from = _published(rows, first_heading, signed, settings)
    if meta.agency is None:
        contact = _CONTACT.search(unspaced(front))
        meta.agency = contact.group("agency") if contact else signed_by
    if meta.year is None:
        first = _ANY_YEAR.search(front)
        meta.period_year = int(first.group(1)) if first else None
    meta.level = level_of(meta.agency)
    return meta
