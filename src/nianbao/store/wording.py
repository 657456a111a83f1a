"""Corpus narratives → Q.copied_problems (section 五 listing the problems of the unit's report of the year before)
and Q.foreign_place (a report citing another place's portal as its own, e.g. a 西工区 street office
publishing on 高新区门户网站).

Both need what only the corpus has: the unit's previous report, and the division each report was resolved to.
The first reads the year pairs ``PAGE_REPORTS`` at a time, with their sections 五; the second the portals the
reports name (``portals``, found when each report was parsed) ``PAGE_MENTIONS`` at a time: the memory of an audit
does not grow with the corpus.
"""

from __future__ import annotations

import re
from typing import Any

import duckdb

from ..audit.substance import problems_part
from ..regions import find_mentions, resolve_region
from ..schema import catalogue
from ..values import squash, unspaced
from .corpus_findings import CorpusFinding, corpus_finding
from .names import report_names
from .pages import pages
from .scope import Scope
from .settings import CorpusSettings
from .shingles import sentence_key, sentences

_ZONE = re.compile(r"(?:高新技术产业开发区|经济技术开发区|高新区|经开区|开发区)$")
PAGE_REPORTS = 2_000
PAGE_MENTIONS = 10_000
_NAMING = "_naming_windows"


def _sections(con: duckdb.DuckDBPyConnection, ids: list[int], key: str) -> dict[int, str]:
    """The section ``key`` of each report that has it, whitespace removed. The bounds of the ids let the scan skip
    the row groups of other reports."""
    if not ids:
        return {}
    rows = con.execute(f"SELECT report_id, text FROM sections WHERE report_id BETWEEN {min(ids)} AND {max(ids)} "
                       "AND report_id IN (SELECT unnest(?::BIGINT[])) AND key = ?", [ids, key]).fetchall()
    return {report_id: unspaced(text) for report_id, text in rows}


def copied_problems(con: duckdb.DuckDBPyConnection, options: CorpusSettings, scope: Scope) -> list[CorpusFinding]:
    """Q.copied_problems: (in the formats the rule checks) most of the problems 五 lists are sentences of the unit's
    五 of the year before (years and other numbers aside)."""
    checked = ", ".join("'" + t.replace("'", "''") + "'" for t in catalogue().get("Q.copied_problems").templates)
    sql = (f"SELECT p.report_id, p.previous_id, p.year, p.year - 1 AS previous_year FROM {scope.pairs()} p "
           f"WHERE p.template IN ({checked})")
    out = []
    for page in pages(con, sql, "report_id", size=PAGE_REPORTS):
        names = report_names(con, (i for p in page for i in (p["report_id"], p["previous_id"])))
        pairs = [{**p, "agency": names[p["report_id"]][0]} for p in page
                 if p["report_id"] in names and p["previous_id"] in names]
        ids = sorted({i for p in pairs for i in (p["report_id"], p["previous_id"])})
        out += _copied_problems(pairs, _sections(con, ids, "problems_improvements"), options)
    return out


def _copied_problems(pairs: list[dict[str, Any]], texts: dict[int, str], options: CorpusSettings
                     ) -> list[CorpusFinding]:
    """Q.copied_problems of some year pairs, given the section 五 of their reports."""
    least = int(options.sentence_min_chars)
    out = []
    for pair in pairs:
        mine = [s for s in sentences([problems_part(texts.get(pair["report_id"], ""))]) if len(s) >= least]
        before = set(map(sentence_key, sentences([texts.get(pair["previous_id"], "")])))
        shared = [s for s in mine if sentence_key(s) in before]
        total = sum(map(len, mine))
        if shared and sum(map(len, shared)) >= options.similarity_min * total:
            passages = sorted(shared, key=lambda s: (-len(s), s))[:int(options.passages_shown)]
            out.append(corpus_finding("Q.copied_problems", pair["report_id"], related=[pair["previous_id"]],
                                      unit=pair["agency"], year=pair["year"], previous_year=pair["previous_year"],
                                      actual=len(shared), expected=len(mine),
                                      passages="”“".join(p[:options.passage_max_chars] for p in passages),
                                      at=[{"report_id": pair["previous_id"], "passage": p} for p in passages]))
    return out


def _home(row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(n for n in (row["province"], row["city"], row["county"]) if n)


def _related(name: str, year: int | None, home: tuple[str, ...]) -> bool:
    """True when some division called ``name`` is the home division, one above it or one below it."""
    candidates = resolve_region(name, year).candidates
    return not candidates or any(d.names[:len(home)] == home or home[:len(d.names)] == d.names
                                 for d in candidates)


def _names_county(before: str, county: str) -> bool:
    """True when the text just before a zone's name is the unit's county (沭阳高新区 in a 沭阳县 report)."""
    short = county[:-1] if len(county) > 2 else county
    return before.endswith(county) or before.endswith(short)


def _division_before(window: str) -> str | None:
    """The division's name of 3 or more characters that ``window`` (the text before a portal) ends with."""
    mentions = find_mentions(window)
    return mentions[-1] if mentions and window.endswith(mentions[-1]) and len(mentions[-1]) >= 3 else None


def _names_place(window: str) -> bool:
    """True when the text before a portal ends with a development zone's or a division's name."""
    return bool(_ZONE.search(window)) or _division_before(window) is not None


def _cited_place(window: str, agency: str, home: tuple[str, ...], year: int | None) -> str | None:
    """The place named just before a portal, when it is not the unit's own (nor above or below it)."""
    zone = _ZONE.search(window)
    if zone:
        own = len(home) == 3 and (zone.group(0) in agency or _names_county(window[:zone.start()], home[-1]))
        return zone.group(0) if len(home) == 3 and not own else None
    name = _division_before(window)
    return None if name is None or _related(name, year, home) else name


def foreign_places(con: duckdb.DuckDBPyConnection, options: CorpusSettings, scope: Scope) -> list[CorpusFinding]:
    """Q.foreign_place: the narrative cites another place's portal (门户网站、政府网站) as where the unit publishes;
    one finding per report, at its first such portal.

    Reads the portals each report names (``portals``, found when it was parsed), not its narrative: first each
    distinct text before a portal (most are set phrases), to keep those that end with a place's name; then only
    the portals after those, report by report."""
    mentions = (f"FROM portals p JOIN current_reports r ON r.id = p.report_id WHERE r.province IS NOT NULL AND "
                f"{scope.changed('r.id')}")
    window = f"right(p.text_before, {int(options.place_window_chars)})"
    try:
        _keep_naming_windows(con, f"SELECT DISTINCT {window} AS window_text {mentions}")
        sql = (f"SELECT p.report_id, p.at_char, p.text_before, p.portal, p.text_after, r.agency, r.year, "
               f"r.province, r.city, r.county {mentions} AND {window} IN (SELECT window_text FROM {_NAMING})")
        out: list[CorpusFinding] = []
        found: set[int] = set()
        for page in pages(con, sql, "report_id, at_char", size=PAGE_MENTIONS):
            for mention in page:
                if mention["report_id"] not in found and (finding := _foreign_place(mention, options)):
                    found.add(mention["report_id"])
                    out.append(finding)
        return out
    finally:
        con.execute(f"DROP TABLE IF EXISTS {_NAMING}")


def _keep_naming_windows(con: duckdb.DuckDBPyConnection, distinct_windows: str) -> None:
    """The texts before a portal (``distinct_windows``, a query) that end with a place's name, into ``_NAMING``."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_NAMING} (window_text VARCHAR)")
    for windows in pages(con, distinct_windows, "window_text", size=PAGE_MENTIONS):
        naming = [w["window_text"] for w in windows if _names_place(w["window_text"])]
        con.execute(f"INSERT INTO {_NAMING} SELECT unnest(?::VARCHAR[])", [naming])


def _foreign_place(mention: dict[str, Any], options: CorpusSettings) -> CorpusFinding | None:
    """Q.foreign_place at one portal a report names, when the place named just before it is not the unit's."""
    before, portal, home = mention["text_before"], mention["portal"], _home(mention)
    window, quoted = options.place_window_chars, options.place_quote_chars
    place = _cited_place(before[max(0, len(before) - window):], squash(mention["agency"] or ""), home,
                         mention["year"])
    if not place:
        return None
    quote = before[max(0, len(before) - quoted):] + portal + mention["text_after"][:quoted // 2]
    return corpus_finding("Q.foreign_place", mention["report_id"], unit=mention["agency"], year=mention["year"],
                          actual=place, place=place + portal, home="".join(home[1:] or home), quote=quote,
                          at=[{"text": place + portal}])


def wording_findings(con: duckdb.DuckDBPyConnection, options: CorpusSettings, scope: Scope) -> list[CorpusFinding]:
    """Both rules over the scope."""
    return [*copied_problems(con, options, scope), *foreign_places(con, options, scope)]
