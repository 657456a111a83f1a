"""Narrative text vs tables: numbers the report states in words compared with its own tables.

Heuristic by nature, so strict: a statement is read clause by clause, only in the wordings
written out here, and anything else between the subject and its count (a qualifier such as
败诉, 现行有效, 修订, an applicant type) either chooses the cells compared or makes the clause
skipped. Every finding quotes the sentence it read; a clause that gives no number is never
taken as a statement about the tables (except the explicit denials 未收到, 未发生, 全部办结).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..findings import BLANK, finding
from ..report import Finding, Report
from ..schema import Column, catalogue, cell_name, formats, lexicon
from ..settings import AuditSettings
from ..values import unspaced

_COUNT = r"(\d{1,3}(?:[,，]\d{3})+|\d+|[零〇两一二三四五六七八九十百千万]+)"
"""A count as the text writes it: digits (thousands separators allowed) or Chinese numerals."""
_N = rf"{_COUNT}\s*件"
_STOP = r"[^。；;0-9]"
_SENTENCE_ENDS = "。；;！!？?"
"""The marks that end a sentence."""
_CLAUSE_BREAK = re.compile(r"[，,：:]")
_INCLUDES_CARRY = re.compile(r"^[（(]?(?:含|包括|其中)上一?年(?:度)?结转")
_COMPARED = re.compile(r"较|比|与|上一?年|去年|同期")
"""Words before a count in its clause that make it last year's figure or a term of comparison."""


@dataclass(frozen=True, slots=True)
class _Claim:
    """A count stated in the narrative, the pattern that finds it and the rule that compares it with 表三."""
    rule: str
    pattern: re.Pattern[str]
    skip: re.Pattern[str] | None = None
    needs: str = ""
    """A word the sentence must hold for the count to be about 表三 (办结 of 申请, not of 提案)."""




@cache
def _claim_patterns() -> tuple[_Claim, ...]:
    """A count of 表三 stated in the text; the cells it is compared with are the rule's ``cells`` in the catalogue.
    The patterns of counts are compiled when a text first states one (many state none)."""
    return (
        _Claim("X.received", re.compile(rf"(?:收到|受理|新收){_STOP}{{0,20}}?申请{_STOP}{{0,10}}?{_N}"),
               re.compile(r"复议|诉讼|上一?年(?:度)?结转")),
        _Claim("X.concluded", re.compile(rf"(?:办结|共答复|共办理){_STOP}{{0,10}}?{_N}"),
               re.compile(r"复议|诉讼|上一?年(?:度)?结转|建议|提案|信访|投诉|热线|留言|来信"), "申请"),
        _Claim("X.carried_forward", re.compile(rf"转(?:至|入)?下一?年度?{_STOP}{{0,12}}?{_N}")),
        _Claim("X.carried_over", re.compile(rf"上一?年(?:度)?结转{_STOP}{{0,10}}?{_N}"),
               re.compile(r"复议|诉讼|下一?年")),
    )


@cache
def _outcome_patterns() -> tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...]:
    """A count of one outcome of 表三: its name, its pattern and the prefixes of its rows."""
    return (
        ("予以公开及部分公开", re.compile(rf"予以公开(?:及|和|与)部分公开{_STOP}{{0,4}}?{_N}"),
         ("granted", "partially_granted")),
        ("予以公开", re.compile(rf"(?:予以公开|同意公开)(?!(?:及|和|与)部分){_STOP}{{0,4}}?{_N}"), ("granted",)),
        ("部分公开", re.compile(rf"(?<![及和与])部分公开{_STOP}{{0,4}}?{_N}"), ("partially_granted",)),
        ("不予公开", re.compile(rf"不予公开{_STOP}{{0,4}}?{_N}"), ("denied_",)),
        ("无法提供", re.compile(rf"无法提供{_STOP}{{0,4}}?{_N}"), ("unable_",)),
        ("不予处理", re.compile(rf"不予处理{_STOP}{{0,4}}?{_N}"), ("rejected_",)),
        ("其他处理", re.compile(rf"其他处理{_STOP}{{0,4}}?{_N}"), ("other_",)),
    )


@cache
def _applicant_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The counts of 自然人 and of 法人或其他组织 after a count of applications."""
    return (re.compile(rf"自然人(?:申请|提出)?{_STOP}{{0,4}}?{_N}"),
            re.compile(rf"法人(?:或|和|及)?其他组织(?:申请|提出)?{_STOP}{{0,4}}?{_N}"))


# 表四: the subject (复议, 诉讼 or both), the outcome between subject and count, and the cells.
_BOTH = r"(?:行政)?复议(?:和|、|及|与|或)(?:行政)?诉讼"
_SUBJECT = re.compile(rf"(?P<both>{_BOTH})|(?<!未经)(?<!未经行政)(?P<review>(?:行政)?复议)(?!机关|后起诉)"
                      r"|(?P<lit>(?:行政)?诉讼)")
_CASE_COUNT = re.compile(rf"{_COUNT}\s*(?:件|起)")
_CASE_FILLER = re.compile(r"案件|案|总数|数量|共计|合计|总计|共|计|发生|收到|受理|办理|涉及|被|申请|提起|提出|"
                          r"的|了|为|有|政府信息公开|因|类|各|均|其中|中")
_CASE_OUTCOMES = {"corrected": re.compile(r"^(?:结果)?(?:被)?(?:纠错|纠正|撤销|确认违法|败诉)$"),
                  "upheld": re.compile(r"^(?:结果)?(?:维持|胜诉|驳回)$"),
                  "pending": re.compile(r"^(?:尚未审结|未审结|审理中|未结|尚在审理)$"),
                  "other": re.compile(r"^其他结果$")}
_CASE_PREFIX = {"review": ("review",), "lit": ("lit_direct", "lit_after_review"),
                "both": ("review", "lit_direct", "lit_after_review")}
_DIRECT = re.compile(r"直接起诉|未经复议")
_CASE_SKIP = re.compile(r"上一?年|结转|去年|同比|增长|下降|减少")
_DENIAL = re.compile(r"(?<![尚经])(?:未|没有|无)(?!法|论|正当|需|经)")
_OUTCOME_WORDS = re.compile(r"纠错|纠正|败诉|撤销|确认违法|维持|胜诉|审结")
_MANY = re.compile(r"较多|增多|多发|频发|高发|(?:大幅|明显|有所)(?:增加|上升|增长)")

# 表三 statements without a count.
_NONE_RECEIVED = re.compile(r"(?:未|没有)(?:收到|受理|接到|发生)[^，,]{0,25}(?:申请|依申请公开)"
                            r"|依申请公开(?:数量)?(?:为)?[0零](?:件|$)")
_ALL_CONCLUDED = re.compile(r"(?:所有|全部|均已|已全部|全部已|均已经)[^，,]{0,6}办结|申请均(?:已)?办结")
_ALL_CONCLUDED_SKIP = re.compile(r"按时|按期|法定期限|期限内|时限|规定时间|上一?年|结转|办结率|复议|诉讼")

# The text's own breakdown: ``共…N条，其中A n1条、B n2条``.
_TOTAL = re.compile(rf"(?:共|合计|总计|累计)[^，,。；;（(]{{0,20}}?{_COUNT}\s*(?P<unit>条|件|篇|个|项)")
_PARTS_START = re.compile(r"^[，,：:]?(?:其中|包括|分别为|分别是|含)")
_EXHAUSTIVE = re.compile(r"分别为|分别是|其他|其余|其它")
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")
_ABSENCE_WORDS = ("复议", "诉讼", "申请", "办结")
"""Words without one of which a sentence (or a clause of it) cannot hold a denial, a 全部办结 or a 较多 claim."""


def _may_deny(text: str) -> bool:
    """Whether the text holds one of the ``_ABSENCE_WORDS`` (asked of every sentence: a loop of substring tests, which
    is faster than a search for any of them)."""
    for word in _ABSENCE_WORDS:
        if word in text:
            break
    else:
        return False
    return True

# 表二 第二十条第（一）项.
_BETWEEN = r"\s*(?P<between>[^，,。；;0-9]{0,8}?)"
_DOC_SKIP = re.compile(r"修订|修改|清理|审查|审核|备案|评估|解读|起草|征求|报送|宣传|合法性|梳理|涉及|总数|总量|累计")
_DOC_PUBLISHED = ("出台", "发布", "公开", "制发", "印发", "制定", "新制")
"""Words that make a count of documents the year's new ones when no column's own note word is there."""


def count(text: str, most: int) -> int | None:
    """The number a count states: ``1,234`` → 1234, ``十二`` → 12; None for malformed numerals and for
    runs too long to be a count."""
    if len(text) > most:
        return None
    if text[0].isdigit():
        return int(re.sub(r"[,，]", "", text))
    import cn2an  # slow to import; only for counts in Chinese numerals

    try:
        return int(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, IndexError):
        return None


@dataclass(slots=True)
class _Reading:
    """One report's narrative being checked: the audit settings, and the statements already compared (each is
    compared once, in the first sentence that makes it)."""

    settings: AuditSettings
    seen: set[str] = field(default_factory=set)

    def count(self, text: str) -> int | None:
        return count(text, self.settings.count_max_chars)


def sentences(text: str) -> list[str]:
    """The sentences of a narrative, whitespace and line breaks removed (a line break in a PDF is
    where the page wrapped, not where a sentence ends), split at 。；！？: each run of text with the mark that ends it
    (marks that end no text are left out)."""
    squashed = unspaced(text)
    marked = squashed  # every end mark as the first: one split finds them all (faster than a search for any)
    for mark in _SENTENCE_ENDS[1:]:
        marked = marked.replace(mark, _SENTENCE_ENDS[0])
    found, start = [], 0
    for run in marked.split(_SENTENCE_ENDS[0]):
        end = start + len(run)
        if run:
            found.append(squashed[start:end + 1])  # with its mark (none at the end of the text)
        start = end + 1
    return found


def _quote(sentence: str, most: int) -> str:
    return sentence if len(sentence) <= most else sentence[:most - 1] + "…"


def _x(reading: _Reading, rule: str, sentence: str, report: Report | None = None, **fields: Any) -> Finding:
    """A narrative finding quoting its sentence; the table side is shown as 空白（按0计） when every
    cell compared is blank."""
    cells = [report.cell(k) for k in fields.get("cells", ())] if report else []
    blank = bool(cells) and all(c is not None and c.value is None for c in cells)
    table = BLANK if blank else f"{_show(fields.get('expected'))}件"
    return finding(rule, at=[{"text": sentence}], quote=_quote(sentence, reading.settings.quote_max_chars), table=table,
                   **fields)


def _show(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _total(report: Report, keys: tuple[str, ...]) -> int | None:
    cells = [report.cell(k) for k in keys]
    if any(c is None for c in cells):
        return None
    return int(sum(c.value or 0 for c in cells if c is not None))


def _named(keys: tuple[str, ...] | list[str], summed: bool = True) -> str:
    """The cells as printed; several read as their sum."""
    names = "、".join(cell_name(k) for k in keys)
    return f"{names}之和" if summed and len(keys) > 1 else names


def _claims(sentence: str, report: Report, reading: _Reading) -> Iterator[Finding]:
    for claim in _claim_patterns():
        if claim.rule in reading.seen:
            continue
        match = claim.pattern.search(sentence)
        if not match or (claim.skip and claim.skip.search(match.group(0))) or claim.needs not in sentence \
                or _COMPARED.search(_CLAUSE_BREAK.split(sentence[:match.start()])[-1]):
            continue
        stated = reading.count(match.group(1))
        rule = catalogue().get(claim.rule)
        keys = rule.cells
        table = _total(report, keys)
        if stated is None or table is None:
            continue
        accepted = {table}
        extra = tuple(rule.params.get("may_include", ()))
        with_extra = _total(report, (*keys, *extra)) if extra else None
        if with_extra is not None and _INCLUDES_CARRY.match(sentence[match.end():match.end() + 8]):
            accepted = {with_extra}
            keys = (*keys, *extra)
        elif with_extra is not None and "受理" in match.group(0):
            accepted.add(with_extra)
        reading.seen.add(claim.rule)
        if stated not in accepted:
            yield _x(reading, claim.rule, sentence, report, cells=list(keys), expected=table, actual=stated,
                     where=_named(keys))
        elif rule.params.get("split_by_applicant"):
            counted = rule.cells if stated == table else (*rule.cells, *extra)
            rows = tuple(key.split(".")[1] for key in counted)
            yield from _applicant_split(sentence, sentence[match.end():], stated, rows, report, reading)


@cache
def _applicant_words() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, lexicon()["applicant_words"])))


@cache
def _t4_column(key: str) -> Column:
    return next(c for c in formats().t4_columns if c.key == key)


@cache
def _after_review() -> re.Pattern[str]:
    """The subgroup of 表四 for suits brought after a review (复议后起诉)."""
    return re.compile(re.escape(_t4_column("lit_after_review_total").subgroup or ""))


@cache
def _applicant_names() -> tuple[str, str]:
    """The 表三 headers of applicants who are people (自然人) and of those who are organisations."""
    columns = formats().t3_applicant_columns
    return next(c.label for c in columns if not c.group), next(c.group for c in columns if c.group)


def _applicant_columns() -> dict[str, tuple[str, ...]]:
    """Applicant word → 表三 columns: each column label, and its group's label for the group."""
    columns: dict[str, tuple[str, ...]] = {}
    for column in formats().t3_columns:
        if column.key == "total":
            continue
        columns[column.label] = (column.key,)
        if column.group:
            columns[column.group] = (*columns.get(column.group, ()), column.key)
    return columns


def _applicant_split(sentence: str, rest: str, stated: int, rows: tuple[str, ...],
                     report: Report, reading: _Reading) -> Iterator[Finding]:
    """``其中自然人N件，法人或其他组织M件`` after a received count: the text's own sum, then the table."""
    people_pattern, organisations_pattern = _applicant_patterns()
    people, organisations = people_pattern.search(rest), organisations_pattern.search(rest)
    if not people or not organisations:
        return
    n, m = reading.count(people.group(1)), reading.count(organisations.group(1))
    if n is None or m is None:
        return
    person, organisation = _applicant_names()
    if n + m != stated:
        yield _x(reading, "X.text_sum", sentence, actual=n + m, expected=stated,
                 where=f"{person}与{organisation}申请数之和", unit="件")
        return
    columns = _applicant_columns()
    for stated_part, who in ((n, person), (m, organisation)):
        keys = tuple(f"t3.{row}.{c}" for row in rows for c in columns[who])
        table = _total(report, keys)
        if table is not None and table != stated_part:
            yield _x(reading, "X.received", sentence, report, cells=list(keys), expected=table, actual=stated_part,
                     where=_named(keys))


def _outcomes(sentence: str, report: Report, reading: _Reading) -> Iterator[Finding]:
    t3 = report.tables.t3
    for name, pattern, prefixes in _outcome_patterns():
        match = pattern.search(sentence) if name not in reading.seen else None  # each outcome compared once
        if not match:
            continue
        rows = [r for r in t3 if any(r == p or (p.endswith("_") and r.startswith(p)) for p in prefixes)]
        if not rows:
            continue
        reading.seen.add(name)
        keys = [f"t3.{r}.total" for r in rows]
        table = _total(report, tuple(keys))
        stated = reading.count(match.group(1))
        if table is not None and stated is not None and table != stated:
            yield _x(reading, "X.outcomes", sentence, report, cells=keys, expected=table, actual=stated, what=name,
                     where=_named(keys))


def _clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSE_BREAK.split(sentence) if c]


def _case_keys(subject: str, outcome: str, between: str) -> tuple[str, ...]:
    prefixes = _CASE_PREFIX[subject]
    if subject == "lit" and _DIRECT.search(between):
        prefixes = ("lit_direct",)
    elif subject == "lit" and _after_review().search(between):
        prefixes = ("lit_after_review",)
    return tuple(f"t4.{p}_{outcome}" for p in prefixes)


def _case_outcome(between: str) -> str | None:
    """``total`` when only filler words stand between subject and count, an outcome when one does."""
    rest = _CASE_FILLER.sub("", _DIRECT.sub("", _after_review().sub("", between)))
    rest = rest.strip("、:：“”\"'")
    if not rest:
        return "total"
    return next((name for name, pattern in _CASE_OUTCOMES.items() if pattern.match(rest)), None)


_CASE_RULES = {"review": "X.review", "lit": "X.litigation", "both": "X.review_litigation"}


@cache
def _case_words() -> dict[str, str]:
    """Subject of a case count → its name in 表四's header."""
    review, lit = (_t4_column(f"{prefix}_total").group or "" for prefix in ("review", "lit_direct"))
    return {"review": review, "lit": lit, "both": f"{review}和{lit}"}


@cache
def _outcome_names() -> dict[str, str]:
    """Outcome of a case count → its column label in 表四 (纠正 with the words a text uses for it)."""
    names = {outcome: _t4_column(f"review_{outcome}").label for outcome in ("corrected", "upheld", "pending", "other")}
    return {**names, "total": "", "corrected": f"{names['corrected']}（纠错、败诉）"}


def _case_claims(sentence: str, report: Report, reading: _Reading) -> Iterator[Finding]:
    """``行政复议2件``, ``行政诉讼败诉0件``, ``行政复议和行政诉讼共3起`` against 表四."""
    for clause in _clauses(sentence):
        if _CASE_SKIP.search(clause):
            continue
        subjects = list(_SUBJECT.finditer(clause))
        for number in _CASE_COUNT.finditer(clause):
            before = [s for s in subjects if s.end() <= number.start()]
            if not before:
                continue
            subject = before[-1]
            between = clause[subject.end():number.start()]
            if re.search(r"\d", between):
                continue
            kind = subject.lastgroup or ""
            outcome = _case_outcome(between)
            stated = reading.count(number.group(1))
            if outcome is None or stated is None:
                continue
            qualifier = clause[:number.start()]
            for each in (("review", "lit") if kind == "both" and "各" in between else (kind,)):
                yield from _case_compare(sentence, report, reading, each, outcome, qualifier, stated)


def _case_compare(sentence: str, report: Report, reading: _Reading, kind: str, outcome: str, between: str,
                  stated: int) -> Iterator[Finding]:
    keys = _case_keys(kind, outcome, between)
    table = _total(report, keys)
    rule = _CASE_RULES[kind]
    if table is None or f"{rule}:{outcome}" in reading.seen:
        return
    reading.seen.add(f"{rule}:{outcome}")
    if stated != table:
        what = _case_words()[kind] + _outcome_names()[outcome]
        yield _x(reading, rule, sentence, report, cells=list(keys), expected=table, actual=stated, what=what,
                 where=_named(keys))


def _denied_subjects(clause: str) -> str | None:
    """Which cases a clause denies (未发生行政诉讼 → ``lit``); None when it denies none."""
    denial = _DENIAL.search(clause)
    if not denial or _OUTCOME_WORDS.search(clause) or _CASE_COUNT.search(clause):
        return None
    found = {s.lastgroup for s in _SUBJECT.finditer(clause, denial.end())}
    if not found:
        return None
    if "both" in found or found == {"review", "lit"}:
        return "both"
    return found.pop()


def _absences(sentence: str, report: Report, reading: _Reading) -> Iterator[Finding]:
    for clause in _clauses(sentence):
        if not _may_deny(clause):
            continue
        kind = _denied_subjects(clause)
        if kind and "X.no_review_litigation" not in reading.seen:
            keys = tuple(f"t4.{p}_total" for p in _CASE_PREFIX[kind])
            cases = _total(report, keys)
            if cases is not None:
                reading.seen.add("X.no_review_litigation")
                if cases:
                    yield _x(reading, "X.no_review_litigation", sentence, report, cells=list(keys), expected=cases,
                             actual=0, what=_case_words()[kind].replace("和", "或"), where=_named(keys))
        if "X.none_received" not in reading.seen and _NONE_RECEIVED.search(clause) and not _SUBJECT.search(clause):
            yield from _none_received(sentence, clause, report, reading)
        if "X.all_concluded" not in reading.seen and _ALL_CONCLUDED.search(clause) \
                and not _ALL_CONCLUDED_SKIP.search(clause):
            reading.seen.add("X.all_concluded")
            pending = _total(report, ("t3.carried_forward.total",))
            if pending:
                yield _x(reading, "X.all_concluded", sentence, report, cells=["t3.carried_forward.total"],
                         expected=pending, actual=0, where=cell_name("t3.carried_forward.total"))
        if "X.cases_claimed" not in reading.seen and _MANY.search(clause) and not _CASE_COUNT.search(clause):
            yield from _cases_claimed(sentence, clause, report, reading)


def _none_received(sentence: str, clause: str, report: Report, reading: _Reading) -> Iterator[Finding]:
    """``未收到政府信息公开申请``: 表三 本年新收 of the applicants the clause names (all when it names none)."""
    columns = _applicant_columns()
    named = [word for word in _applicant_words().findall(clause)]
    if not named:
        keys: tuple[str, ...] = ("t3.new_received.total",)
        who = ""
    else:
        group = next((c.group for c in formats().t3_columns if c.group), "")
        words = [group if word in ("法人", "其他组织") else word for word in named]
        words = [next((label for label in columns if word in label), word) for word in words]
        if any(word not in columns for word in words):
            return
        keys = tuple(dict.fromkeys(f"t3.new_received.{c}" for word in words for c in columns[word]))
        who = "、".join(dict.fromkeys(words))
    received = _total(report, keys)
    if received is None:
        return
    reading.seen.add("X.none_received")
    if received:
        yield _x(reading, "X.none_received", sentence, report, cells=list(keys), expected=received, actual=0, who=who,
                 where=_named(keys))


def _cases_claimed(sentence: str, clause: str, report: Report, reading: _Reading) -> Iterator[Finding]:
    """``复议、诉讼案件较多`` while 表四 has no case at all."""
    kinds = {s.lastgroup for s in _SUBJECT.finditer(clause)}
    if not kinds:
        return
    kind = "both" if "both" in kinds or kinds == {"review", "lit"} else kinds.pop() or ""
    keys = tuple(f"t4.{p}_total" for p in _CASE_PREFIX[kind])
    cases = _total(report, keys)
    if cases is None:
        return
    reading.seen.add("X.cases_claimed")
    if cases == 0:
        yield _x(reading, "X.cases_claimed", sentence, report, cells=list(keys), expected=0, what=_case_words()[kind],
                 where=_named(keys, summed=False))


def _text_sums(sentence: str, reading: _Reading) -> Iterator[Finding]:
    """``全年共发布信息383条，其中…`` whose listed parts, in the same unit, do not add up."""
    for total in _TOTAL.finditer(sentence):
        rest = sentence[total.end():]
        if not _PARTS_START.match(rest):
            continue
        unit = total.group("unit")
        listed = _BRACKETS.sub("", rest)
        parts = [reading.count(m.group(1)) for m in re.finditer(rf"{_COUNT}\s*{unit}", listed)]
        stated = reading.count(total.group(1))
        if len(parts) < 2 or stated is None or any(p is None for p in parts):
            continue
        numbers = [p for p in parts if p is not None]
        summed = sum(numbers)
        slip = 0 < stated - summed <= max(1, stated // 1000)
        if (summed > stated or (summed != stated and (slip or _EXHAUSTIVE.search(listed)))) \
                and not _overlap(numbers, stated, reading.settings.narrative_max_parts):
            yield _x(reading, "X.text_sum", sentence, actual=summed, expected=stated, where="各分项之和", unit=unit)
        return


def _overlap(parts: list[int], stated: int, most: int) -> bool:
    """Some of the parts alone make the total: the others are sub-items of them (解读类 within 政务信息),
    not a slip; also True when there are too many parts to tell."""
    if len(parts) > most:
        return True
    reachable = {0}
    for part in parts:
        reachable |= {r + part for r in reachable if r + part <= stated}
    return stated in reachable


def _document_column(report: Report, words: str) -> str | None:
    """The 表二 第二十条第（一）项 column the words before a count name; None when they name none
    (or name a column the report's template does not have, such as 现行有效 in the 2019 format)."""
    block = next((b for b in formats().t2.get(report.template or "", ()) if b.key == "art20_1"), None)
    if block is None or _DOC_SKIP.search(words):
        return None
    own = {c.key for c in block.columns}
    named = {c.key for template in formats().t2 for b in formats().t2[template] if b.key == "art20_1"
             for c in b.columns if c.key not in own
             and any(word in words and word not in _DOC_PUBLISHED for word in c.note_words)}
    named |= {c.key for c in block.columns if any(word in words for word in c.note_words)}
    if named:
        return next(iter(named)) if len(named) == 1 and named <= own else None
    if any(word in words for word in _DOC_PUBLISHED):
        return next((c.key for c in block.columns if c.role == "new_documents"), None)
    return None


@cache
def _document_patterns() -> tuple[tuple[str, re.Pattern[str], str], ...]:
    """A count of 规范性文件 or 规章 stated in the text: its rule, its pattern and its row of 表二."""
    return (("X.normative_docs", re.compile(rf"(?<!行政)(?:行政)?规范性文件{_BETWEEN}{_N}"), "normative_doc"),
            ("X.regulations", re.compile(rf"规章(?!制度){_BETWEEN}{_N}"), "regulation"))


@cache
def _document_words() -> re.Pattern[str]:
    """The printed labels of 表二's 第二十条第（一）项 rows (规章, 规范性文件…) in either format, as one search."""
    labels = {label for blocks in formats().t2.values() for block in blocks if block.key == "art20_1"
              for row in block.rows for label in (row.label, *row.variants)}
    return re.compile("|".join(re.escape(label) for label in sorted(labels)))


def _documents(sentence: str, report: Report, reading: _Reading) -> Iterator[Finding]:
    for clause in _clauses(sentence):
        for rule, pattern, row in _document_patterns():
            match = pattern.search(clause)
            if not match:
                continue
            column = _document_column(report, clause[:match.start()][-10:] + match.group("between"))
            if column is None or f"{rule}:{column}" in reading.seen:
                continue
            key = f"t2.art20_1.{row}.{column}"
            cell = report.cell(key)
            stated = reading.count(match.group(2))
            if cell is None or stated is None:
                continue
            reading.seen.add(f"{rule}:{column}")
            if stated != (cell.value or 0):
                yield _x(reading, rule, sentence, report, cells=[key], expected=cell.value or 0, actual=stated,
                         where=cell_name(key))


def narrative_findings(report: Report, settings: AuditSettings) -> list[Finding]:
    """Findings where the report's words and its tables disagree (or the words disagree with themselves).
    Counts are read in 一、总体情况 (the whole text when it is missing); denials and sums everywhere."""
    by_section = {key: sentences(text) for key, text in report.sections.items()}
    everything = [s for found in by_section.values() for s in found]
    found: list[Finding] = []
    reading = _Reading(settings)
    for sentence in by_section.get("overview") or everything:
        if "件" not in sentence and "起" not in sentence:
            continue
        found += _claims(sentence, report, reading)
        found += _outcomes(sentence, report, reading)
        if "复议" in sentence or "诉讼" in sentence:
            found += _case_claims(sentence, report, reading)
        if _document_words().search(sentence):
            found += _documents(sentence, report, reading)
    for sentence in everything:
        if _may_deny(sentence):
            found += _absences(sentence, report, reading)
        if "共" in sentence or "计" in sentence:  # the words a total is stated with (see ``_TOTAL``)
            found += _text_sums(sentence, reading)
    unique = {(f.rule, f.actual, f.expected, str(f.at)): f for f in found}
    return list(unique.values())
