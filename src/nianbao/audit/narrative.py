"""Narrative text vs tables: numbers the report states in words compared with its own tables.

Heuristic by nature: every finding quotes the sentence fragment it read, and a sentence that
gives no number is never taken as a statement about the tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..findings import finding
from ..report import Finding, Report
from ..values import squash

_COUNT = r"(\d{1,3}(?:[,，]\d{3})+|\d+|[零〇两一二三四五六七八九十百千万]+)"
"""A count as the text writes it: digits (thousands separators allowed) or Chinese numerals."""
_N = rf"{_COUNT}\s*件"
_STOP = r"[^。；;0-9]"
_INCLUDES_CARRY = re.compile(r"^[（(]?(?:含|包括|其中)上年(?:度)?结转")
_NEGATED_OUTCOME = re.compile(r"纠错|纠正|败诉|撤销|确认违法")


@dataclass(frozen=True, slots=True)
class _Claim:
    rule: str
    pattern: re.Pattern[str]
    keys: tuple[str, ...]
    where: str = ""


_CLAIMS = (
    _Claim("X.received", re.compile(rf"(?:收到|受理|新收){_STOP}{{0,20}}?申请{_STOP}{{0,10}}?{_N}"),
           ("t3.new_received.total",), "本年新收总计"),
    _Claim("X.concluded", re.compile(rf"(?:办结|共答复|共办理){_STOP}{{0,10}}?{_N}"), ("t3.result_total.total",)),
    _Claim("X.carried_forward", re.compile(rf"转(?:至|入)?下一?年度?{_STOP}{{0,12}}?{_N}"),
           ("t3.carried_forward.total",)),
    _Claim("X.review_litigation",
           re.compile(rf"行政复议(?:和|、|及|与)行政诉讼(?:案件)?{_STOP}{{0,8}}?{_COUNT}\s*(?:件|起)"),
           ("t4.review_total", "t4.lit_direct_total", "t4.lit_after_review_total")),
    _Claim("X.review", re.compile(rf"行政复议(?!(?:和|、|及|与)行政诉讼){_STOP}{{0,10}}?{_COUNT}\s*(?:件|起)"),
           ("t4.review_total",)),
    _Claim("X.review", re.compile(rf"{_COUNT}\s*(?:件|起){_STOP}{{0,12}}?行政复议(?!机关)"), ("t4.review_total",)),
    _Claim("X.litigation", re.compile(rf"(?<!、)行政诉讼{_STOP}{{0,10}}?{_COUNT}\s*(?:件|起)"),
           ("t4.lit_direct_total", "t4.lit_after_review_total")),
)
_OUTCOMES = (
    ("予以公开及部分公开", re.compile(rf"予以公开(?:及|和|与)部分公开{_STOP}{{0,4}}?{_N}"),
     ("granted", "partially_granted")),
    ("予以公开", re.compile(rf"(?:予以公开|同意公开)(?!(?:及|和|与)部分){_STOP}{{0,4}}?{_N}"), ("granted",)),
    ("部分公开", re.compile(rf"(?<![及和与])部分公开{_STOP}{{0,4}}?{_N}"), ("partially_granted",)),
    ("不予公开", re.compile(rf"不予公开{_STOP}{{0,4}}?{_N}"), ("denied_",)),
    ("无法提供", re.compile(rf"无法提供{_STOP}{{0,4}}?{_N}"), ("unable_",)),
    ("不予处理", re.compile(rf"不予处理{_STOP}{{0,4}}?{_N}"), ("rejected_",)),
    ("其他处理", re.compile(rf"其他处理{_STOP}{{0,4}}?{_N}"), ("other_",)),
)
_PEOPLE = re.compile(rf"自然人(?:申请|提出)?{_STOP}{{0,4}}?{_N}")
_ORGANISATIONS = re.compile(rf"法人(?:或|和|及)?其他组织(?:申请|提出)?{_STOP}{{0,4}}?{_N}")
_ORGANISATION_COLUMNS = ("commercial_enterprise", "research_institution", "social_welfare_org",
                         "legal_service_org", "other_org")
_NONE_RECEIVED = re.compile(r"未(?:收到|受理)[^。；;]{0,15}申请|依申请公开\s*0\s*件")
_NO_CASES = re.compile(r"(?:未|没有)(?:发生|出现|收到)?[^。；;，,]{0,10}(?:行政复议|行政诉讼)[^。；;]{0,12}")
_NORMATIVE = re.compile(rf"(?<!行政)(?:行政)?规范性文件\s*{_N}")
_REGULATIONS = re.compile(rf"规章\s*{_N}")


def count(text: str) -> int | None:
    """The number a count states: ``1,234`` → 1234, ``十二`` → 12; None for malformed numerals."""
    if text[0].isdigit():
        return int(re.sub(r"[,，]", "", text))
    import cn2an  # slow to import; only needed for counts written in Chinese numerals

    try:
        return int(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, IndexError):
        return None


def _total(report: Report, keys: tuple[str, ...]) -> int | None:
    cells = [report.cell(k) for k in keys]
    if any(c is None for c in cells):
        return None
    return int(sum(c.value or 0 for c in cells if c is not None))


def _claims(text: str, report: Report) -> Iterator[Finding]:
    seen: set[str] = set()
    for claim in _CLAIMS:
        if claim.rule in seen:
            continue
        for match in claim.pattern.finditer(text):
            stated = count(match.group(1))
            if stated is None:
                continue
            keys = claim.keys
            table = _total(report, keys)
            if table is None:
                break
            accepted = {table}
            if claim.rule == "X.received":
                with_carry = _total(report, (*keys, "t3.carried_over.total"))
                if _INCLUDES_CARRY.match(text[match.end():match.end() + 8]):
                    accepted = {with_carry}
                    keys = (*keys, "t3.carried_over.total")
                elif with_carry is not None and "受理" in match.group(0):
                    accepted.add(with_carry)
            seen.add(claim.rule)
            if stated not in accepted:
                yield finding(claim.rule, cells=list(keys), expected=table, actual=stated, where=claim.where,
                              at=[{"text": match.group(0)}])
            elif claim.rule == "X.received":
                rows = ("new_received",) if stated == table else ("new_received", "carried_over")
                yield from _applicant_split(text[match.end():], stated, rows, report)
            break


def _sentence(text: str) -> str:
    end = min((i for i in (text.find("。"), text.find("；")) if i >= 0), default=len(text))
    return text[:end]


def _applicant_split(rest: str, stated: int, rows: tuple[str, ...], report: Report) -> Iterator[Finding]:
    """``其中自然人N件，法人或其他组织M件`` after a received count: the text's own sum, then the table."""
    sentence = _sentence(rest)
    people = _PEOPLE.search(sentence)
    organisations = _ORGANISATIONS.search(sentence)
    if not people or not organisations:
        return
    n, m = count(people.group(1)), count(organisations.group(1))
    if n is None or m is None:
        return
    if n + m != stated:
        yield finding("X.text_sum", actual=n + m, expected=stated, where="自然人与法人或其他组织申请数之和",
                      at=[{"text": sentence}])
        return
    for stated_part, columns in ((n, ("natural_person",)), (m, _ORGANISATION_COLUMNS)):
        keys = tuple(f"t3.{row}.{c}" for row in rows for c in columns)
        table = _total(report, keys)
        if table is not None and table != stated_part:
            yield finding("X.received", cells=list(keys), expected=table, actual=stated_part,
                          where="自然人" if columns == ("natural_person",) else "法人或其他组织",
                          at=[{"text": sentence}])


def _outcomes(text: str, report: Report) -> Iterator[Finding]:
    t3 = report.tables.t3
    for name, pattern, prefixes in _OUTCOMES:
        match = pattern.search(text)
        if not match:
            continue
        rows = [r for r in t3 if any(r == p or (p.endswith("_") and r.startswith(p)) for p in prefixes)]
        if not rows:
            continue
        keys = [f"t3.{r}.total" for r in rows]
        table = _total(report, tuple(keys))
        stated = count(match.group(1))
        if table is not None and stated is not None and table != stated:
            yield finding("X.outcomes", cells=keys, expected=table, actual=stated, where=name,
                          at=[{"text": match.group(0)}])


def _absences(text: str, report: Report) -> Iterator[Finding]:
    received = _total(report, ("t3.new_received.total",))
    if _NONE_RECEIVED.search(text) and received:
        yield finding("X.none_received", cells=["t3.new_received.total"], expected=received, actual=0)
    cases = _total(report, ("t4.review_total", "t4.lit_direct_total", "t4.lit_after_review_total"))
    for match in _NO_CASES.finditer(text):
        if _NEGATED_OUTCOME.search(match.group(0)):
            continue
        if cases:
            yield finding("X.no_review_litigation", cells=["t4.review_total", "t4.lit_direct_total",
                                                           "t4.lit_after_review_total"],
                          expected=cases, actual=0, at=[{"text": match.group(0)}])
        break


def _documents(text: str, report: Report) -> Iterator[Finding]:
    column = "issued" if report.template == "2021" else "new_published"
    for rule, pattern, row in (("X.normative_docs", _NORMATIVE, "normative_doc"),
                               ("X.regulations", _REGULATIONS, "regulation")):
        match = pattern.search(text)
        key = f"t2.art20_1.{row}.{column}"
        cell = report.cell(key)
        stated = count(match.group(1)) if match else None
        if match and cell is not None and stated is not None and stated != (cell.value or 0):
            yield finding(rule, cells=[key], expected=cell.value or 0, actual=stated,
                          where="第二十条第（一）项", at=[{"text": match.group(0)}])


def narrative_findings(report: Report) -> list[Finding]:
    """Findings where the report's words and its tables disagree."""
    text = squash(report.sections.get("overview", ""))
    everything = squash("".join(report.sections.values()))
    found = list(_claims(text or everything, report))
    found += _outcomes(text, report)
    found += _absences(everything, report)
    found += _documents(text, report)
    return found
