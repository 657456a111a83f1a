"""Report narrative → findings on what sections 五 and 六 say and on copy-paste traces in the text.

五: empty or a mere ``无``; problems written in stock phrases; no account of last year's problems (2021 format).
六: the 信息处理费 statement the 2021 format expects (required once fee notices went unpaid).
Copy-paste: the previous year named as the report's own, template placeholders left in the text.
The wording looked for is data (``schema/lexicon.json``); every finding quotes what it read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from ..findings import finding
from ..report import Finding, Report
from ..schema import catalogue, formats, lexicon
from ..settings import AuditSettings
from ..values import squash, unspaced

_CLAUSE = re.compile(r"[，,。；;：:、！!？?\n]|(?:[一二三四五六七八九十]是)")
_FEE_ROW = "t3.other_fee_unpaid.total"


@cache
def _label(key: str) -> str:
    return next(s.label for s in formats().sections if s.key == key)


def _missing(report: Report, key: str) -> bool:
    """True when extraction reported the section's heading missing (its text is then not the section's)."""
    label = _label(key)
    return any(f.rule == "S.missing_section" and f"“{label}”" in f.message for f in report.findings)


def _quote(text: str, most: int, start: int = 0, end: int | None = None) -> str:
    """The sentence around ``text[start:end]``, at most ``most`` characters."""
    end = start if end is None else end
    left = max((text.rfind(p, 0, start) for p in "。；;\n"), default=-1) + 1
    rights = [i for i in (text.find(p, end) for p in "。；;\n") if i >= 0]
    right = min(rights, default=len(text))
    left = max(left, start - most // 2)
    return text[left:min(right, left + most)].strip()


def _applies(rule: str, report: Report) -> bool:
    """Whether the report's format is one the rule checks (``templates`` of the catalogue)."""
    return report.template in _formats_checked(rule)


@cache
def _formats_checked(rule: str) -> frozenset[str]:
    return frozenset(catalogue().get(rule).templates)


def _clauses(text: str) -> list[str]:
    minimum = lexicon()["clause_min_chars"]
    return [c for c in _CLAUSE.split(text) if len(c) >= minimum]


def problems_part(text: str) -> str:
    """The text of 五 before its improvement measures begin (all of it when no marker is found)."""
    cuts = [i for i in (text.find(m) for m in lexicon()["improvement_markers"]) if i > 0]
    return text[:min(cuts)] if cuts else text


@cache
def _patterns(kind: str, previous: int | None) -> list[re.Pattern[str]]:
    """The lexicon's patterns of ``kind`` with ``{previous}`` filled (any year when the report's is unknown)."""
    year = str(previous) if previous else r"\d{4}"
    return [re.compile(p.replace("{previous}", year)) for p in lexicon()[kind]]


def problems_findings(report: Report, settings: AuditSettings) -> Iterator[Finding]:
    """五 empty or ``无``; mostly stock phrases; no account of last year's problems (the last two in the formats
    their rules check)."""
    if _missing(report, "problems_improvements"):
        return
    text = unspaced(report.sections.get("problems_improvements", ""))
    words = lexicon()
    if text.strip("。.") in {w.strip("。.") for w in words["empty_words"]} or len(text) < words["empty_min_chars"]:
        bare = text.strip("。.")
        reason = ("为空" if not text else f"只写了“{bare}”" if bare in words["empty_words"]
                  else f"只有寥寥数语：“{text[:settings.substance_quote_chars]}”")
        yield finding("C.problems_empty", actual=len(text), reason=reason)
        return
    if _applies("C.problems_stock", report):
        clauses = _clauses(problems_part(text))
        hits = [m.group(0) for c in clauses if (m := _stock_pattern().search(c))]
        if len(hits) >= words["stock_min_clauses"] and len(hits) >= words["stock_share"] * len(clauses):
            yield finding("C.problems_stock", actual=len(hits), expected=len(clauses), stock=len(hits),
                          clauses=len(clauses), phrases="”“".join(dict.fromkeys(hits)))
    if _applies("C.problems_no_followup", report) and not _accounts_for_last_year(
            text, report.meta.year - 1 if report.meta.year else None):
        yield finding("C.problems_no_followup")


def _accounts_for_last_year(text: str, previous: int | None) -> bool:
    """True when a sentence of 五 tells what became of the problems of the year before."""
    anchors = _anchors(previous)
    patterns = _patterns("followup", previous)
    return anchors is not None and any(any(p.search(s) for p in patterns) for s in re.split(r"[。；;]", text)
                                       if anchors.search(s))


@cache
def _anchors(previous: int | None) -> re.Pattern[str] | None:
    """One search for the lexicon's words that speak of the year before (``{previous}``: the year itself, left
    out when the report's is unknown); None when there is none."""
    words = [a.replace("{previous}", str(previous or "")) for a in lexicon()["followup_anchors"]]
    return re.compile("|".join(re.escape(w) for w in words if w)) if any(words) else None


@cache
def _fee_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    words = lexicon()
    return re.compile(words["fee_subject"]), re.compile("|".join(f"(?:{p})" for p in words["fee_statement"]))


@cache
def _stock_pattern() -> re.Pattern[str]:
    phrases = sorted(lexicon()["stock_phrases"], key=len, reverse=True)
    return re.compile("|".join(re.escape(p) for p in phrases))


def _states_fee(text: str) -> bool:
    subject, statement = _fee_patterns()
    return any(subject.search(s) and statement.search(s) for s in re.split(r"[。；;\n]", text))


def fee_findings(report: Report) -> Iterator[Finding]:
    """六 states the 信息处理费 charged; required when 表三（六）2 counts unpaid fee notices (in the formats the two
    rules check)."""
    required, expected = _applies("C.fee_statement_required", report), _applies("C.fee_statement", report)
    if not (required or expected):
        return
    text = squash(report.sections.get("other_matters", ""))
    if _states_fee(text):
        return
    unpaid = report.cell(_FEE_ROW)
    if unpaid is not None and unpaid.value:
        if required:
            yield finding("C.fee_statement_required", cells=[_FEE_ROW], actual=unpaid.raw, unpaid=unpaid.raw,
                          at=[unpaid.at])
    elif expected and not _missing(report, "other_matters"):
        yield finding("C.fee_statement")


@cache
def _leftover_pattern() -> re.Pattern[str]:
    words = lexicon()  # the look-ahead on the characters a leftover starts with keeps the scan fast
    return re.compile(f"(?={words['leftover_first']})(?:" + "|".join(f"(?:{p})" for p in words["leftovers"]) + ")")


@cache
def _leftover_start() -> re.Pattern[str]:
    """The characters a template leftover starts with."""
    return re.compile(lexicon()["leftover_first"])


def _leftover(text: str) -> re.Match[str] | None:
    """The first template leftover in ``text``, as a search of ``_leftover_pattern`` finds it: the pattern is tried
    only where one of the characters a leftover starts with stands (a search would try it at every character)."""
    pattern = _leftover_pattern()
    for start in _leftover_start().finditer(text):
        found = pattern.match(text, start.start())
        if found:
            return found
    return None


def copy_paste_findings(report: Report, settings: AuditSettings) -> Iterator[Finding]:
    """The previous year written as the report's own (outside 五, which may speak of last year's problems);
    template placeholders left anywhere in the text."""
    most = settings.substance_quote_chars
    year = report.meta.year
    texts = {key: unspaced(text) for key, text in report.sections.items()}
    if year:
        for key in ("overview", "other_matters"):
            text = texts.get(key, "")
            if str(year - 1) not in text:
                continue
            match = next((m for p in _patterns("stale_year", year - 1) if (m := p.search(text))), None)
            if match:
                yield finding("C.stale_year", actual=year - 1, expected=year, year=year, previous_year=year - 1,
                              quote=_quote(text, most, match.start(), match.end()), at=[{"text": match.group(0)}])
                break
    for text in texts.values():
        match = _leftover(text)
        if match:
            yield finding("C.template_leftover", actual=match.group(0), leftover=match.group(0),
                          quote=_quote(text, most, match.start(), match.end()), at=[{"text": match.group(0)}])
            return


def substance_findings(report: Report, settings: AuditSettings) -> list[Finding]:
    """Findings on the substance of 五 and 六 and on copy-paste traces."""
    return [*problems_findings(report, settings), *fee_findings(report), *copy_paste_findings(report, settings)]
