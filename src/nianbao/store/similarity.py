"""Sentence shingles of the panel → copied-narrative findings (雷同): between different units of one year
(Q.copied_narrative) and against the unit's own report of the year before (Q.copied_own_narrative).

Each report's distinct normalised sentences are hashed once, when it is ingested (``shingles``). Reports meet
only through the sentences they share, bucketed by (year, hash); a sentence found in more than ``max_bucket``
reports of a year is boilerplate and skipped, so the work grows with the shared sentences, not with the square
of the corpus. The pairs are summed inside DuckDB; the passages quoted in a finding are taken from the two
reports' sections.

A scoped audit compares only the reports of ``_scope_similar``: those that entered or left the panel, and
those holding a sentence whose count in its year crossed ``max_bucket`` because of them (their other pairs
change too), plus the year pairs of the scope.
"""

from __future__ import annotations

from typing import Any

import duckdb

from .corpus_findings import CorpusFinding, corpus_finding
from .names import report_names
from .scope import Scope
from .settings import CorpusSettings
from .shingles import shingles
from .tables import AUDITED

_ROWS = ("SELECT s.report_id, r.year, s.hash AS h, s.chars AS len FROM shingles s "
         "JOIN current_reports r ON r.id = s.report_id WHERE r.year IS NOT NULL AND s.chars >= {min_chars}")

_PASSAGE_PAIRS = 1_000
_SIMILAR_SQL = f"""
    CREATE OR REPLACE TEMP TABLE _scope_similar AS
    WITH hashes AS (
        SELECT DISTINCT r.year, s.hash FROM shingles s JOIN reports r ON r.id = s.report_id
        WHERE s.report_id IN (SELECT id FROM _scope_changed) AND r.year IS NOT NULL AND s.chars >= {{min_chars}}),
    holders AS (
        SELECT s.report_id, r.year, s.hash FROM shingles s JOIN reports r ON r.id = s.report_id
        JOIN hashes h ON h.year = r.year AND h.hash = s.hash WHERE s.chars >= {{min_chars}}),
    counted AS (
        SELECT year, hash, count(*) FILTER (WHERE report_id IN (SELECT id FROM current_reports)) AS now,
               count(*) FILTER (WHERE report_id IN (SELECT report_id FROM {AUDITED.name})) AS before
        FROM holders GROUP BY year, hash),
    crossed AS (SELECT year, hash FROM counted WHERE (now <= {{max_bucket}}) <> (before <= {{max_bucket}}))
    SELECT report_id AS id FROM holders SEMI JOIN crossed USING (year, hash)
    WHERE report_id IN (SELECT id FROM current_reports)
    UNION SELECT id FROM _scope_changed"""


def _own_pairs(con: duckdb.DuckDBPyConnection, scope: Scope) -> None:
    """Temp table of the year pairs whose narratives are compared."""
    source = "_scope_pairs" if scope.full else (
        f"_all_pairs WHERE {scope.pair_keys('_all_pairs')} OR {scope.similar('report_id')} "
        f"OR {scope.similar('previous_id')}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _own_pairs AS SELECT report_id, previous_id FROM {source}")


def _sentences(con: duckdb.DuckDBPyConnection, options: CorpusSettings, scope: Scope) -> None:
    """Temp tables of the sentences the audit compares (in a scoped audit: those of the reports in scope and every
    sentence of the panel sharing their (year, hash)), with the document frequency of each in its year; and of
    each of their reports' total length."""
    least = int(options.sentence_min_chars)
    rows = _ROWS.format(min_chars=least)
    if not scope.full:
        rows = (f"WITH base AS ({rows}), focus AS (SELECT DISTINCT year, h FROM base WHERE {scope.similar('report_id')}"
                " OR report_id IN (SELECT report_id FROM _own_pairs UNION SELECT previous_id FROM _own_pairs)) "
                "SELECT * FROM base SEMI JOIN focus USING (year, h)")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _sentences AS
        WITH picked AS MATERIALIZED ({rows}),
        frequency AS (SELECT year, h, count(*) AS df FROM picked GROUP BY year, h)
        SELECT picked.*, frequency.df FROM picked JOIN frequency USING (year, h)""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _totals AS
        SELECT report_id, sum(chars) AS total FROM shingles WHERE chars >= {least}
          AND report_id IN (SELECT DISTINCT report_id FROM _sentences) GROUP BY report_id""")


def _flagged(con: duckdb.DuckDBPyConnection, pairs_sql: str, options: CorpusSettings) -> list[dict[str, Any]]:
    """Pairs (a_id, b_id, shared) of ``pairs_sql`` that share enough text, with the share and the reports' names.
    The pairs' sums are kept in a temp table first: summed and joined in one query, their hash tables and those of
    the joins took DuckDB past its memory limit at a million reports. The names are read for the pairs kept
    (``report_names``)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _pair_sums AS {pairs_sql}")
    kept = con.execute("""
        SELECT p.a_id, p.b_id, p.shared, round(100.0 * p.shared / least(ta.total, tb.total)) AS similarity
        FROM _pair_sums p JOIN _totals ta ON ta.report_id = p.a_id JOIN _totals tb ON tb.report_id = p.b_id
        WHERE p.shared >= ? AND p.shared >= ? * least(ta.total, tb.total)
        ORDER BY p.a_id, p.b_id""", [options.shared_min_chars, options.similarity_min]).fetchall()
    con.execute("DROP TABLE _pair_sums")
    names = report_names(con, (i for a_id, b_id, _, _ in kept for i in (a_id, b_id)))
    return [{"a_id": a_id, "b_id": b_id, "a_agency": names[a_id][0], "b_agency": names[b_id][0],
             "a_year": names[a_id][1], "b_year": names[b_id][1], "a_unit": names[a_id][2], "b_unit": names[b_id][2],
             "shared": shared, "similarity": similarity}
            for a_id, b_id, shared, similarity in kept if a_id in names and b_id in names]


def _passages(con: duckdb.DuckDBPyConnection, pairs: list[dict[str, Any]], options: CorpusSettings) -> None:
    """The longest sentences each pair shares (``passages``), from the two reports' sections, read
    ``_PASSAGE_PAIRS`` pairs at a time (the sections and sentences of every flagged report at once grew with the
    corpus)."""
    least = int(options.sentence_min_chars)
    for start in range(0, len(pairs), _PASSAGE_PAIRS):
        page = pairs[start:start + _PASSAGE_PAIRS]
        ids = sorted({i for p in page for i in (p["a_id"], p["b_id"])})
        texts: dict[int, list[str]] = {}
        for report_id, text in con.execute("SELECT report_id, text FROM sections WHERE report_id IN "
                                           "(SELECT unnest(?::BIGINT[])) ORDER BY report_id, key", [ids]).fetchall():
            texts.setdefault(report_id, []).append(text)
        found = {i: {h: v for h, v in shingles(t).items() if v[0] >= least} for i, t in texts.items()}
        for pair in page:
            mine, theirs = found.get(pair["a_id"], {}), found.get(pair["b_id"], {})
            shared = sorted((-chars, sentence) for h, (chars, sentence) in mine.items() if h in theirs)
            pair["passages"] = [sentence for _, sentence in shared[:int(options.passages_shown)]]


def _evidence(row: dict[str, Any], options: CorpusSettings) -> dict[str, Any]:
    passages = sorted(row["passages"], key=lambda s: (-len(s), s))
    most = options.passage_max_chars
    return {"actual": int(row["similarity"]), "shared": int(row["shared"]), "similarity": int(row["similarity"]),
            "passages": "”“".join(p[:most] for p in passages),
            "at": [{"report_id": row["b_id"], "passage": p} for p in passages]}


def copied_between_units(con: duckdb.DuckDBPyConnection, options: CorpusSettings, scope: Scope) -> list[CorpusFinding]:
    """Q.copied_narrative: two units' reports of one year sharing most of their narrative."""
    bucket = int(options.max_bucket)
    pairs = ("SELECT a.report_id AS a_id, b.report_id AS b_id, sum(a.len) AS shared FROM _sentences a "
             "JOIN _sentences b ON a.year = b.year AND a.h = b.h AND a.report_id < b.report_id "
             f"WHERE a.df BETWEEN 2 AND {bucket} AND b.df BETWEEN 2 AND {bucket} "
             f"AND ({scope.similar('a.report_id')} OR {scope.similar('b.report_id')}) "
             "GROUP BY a.report_id, b.report_id")
    rows = [r for r in _flagged(con, pairs, options) if r["a_unit"] is None or r["a_unit"] != r["b_unit"]]
    _passages(con, rows, options)
    return [corpus_finding("Q.copied_narrative", r["a_id"], related=[r["b_id"]], unit=r["a_agency"],
                           year=r["a_year"], other=r["b_agency"] or f"编号{r['b_id']}（单位未识别）的",
                           **_evidence(r, options))
            for r in rows]


def copied_from_last_year(con: duckdb.DuckDBPyConnection, options: CorpusSettings, scope: Scope) -> list[CorpusFinding]:
    """Q.copied_own_narrative: a report repeating most of the unit's narrative of the year before."""
    bucket = int(options.max_bucket)
    pairs = (f"WITH mine AS (SELECT p.report_id AS a_id, p.previous_id AS b_id, a.h, a.len FROM _own_pairs p "
             f"JOIN _sentences a ON a.report_id = p.report_id WHERE a.df <= {bucket}) "
             "SELECT a_id, b_id, sum(len) AS shared FROM mine "
             f"SEMI JOIN (SELECT report_id, h FROM _sentences WHERE df <= {bucket}) b ON b.report_id = mine.b_id "
             "AND b.h = mine.h GROUP BY a_id, b_id")
    rows = _flagged(con, pairs, options)
    _passages(con, rows, options)
    return [corpus_finding("Q.copied_own_narrative", r["a_id"], related=[r["b_id"]], unit=r["a_agency"],
                           year=r["a_year"], previous_year=r["b_year"], **_evidence(r, options))
            for r in rows]


def copied_narratives(con: duckdb.DuckDBPyConnection, options: CorpusSettings, scope: Scope) -> list[CorpusFinding]:
    """Both copied-narrative rules."""
    if not scope.full:
        con.execute(_SIMILAR_SQL.format(min_chars=int(options.sentence_min_chars),
                                        max_bucket=int(options.max_bucket)))
    _own_pairs(con, scope)
    _sentences(con, options, scope)
    try:
        return [*copied_between_units(con, options, scope), *copied_from_last_year(con, options, scope)]
    finally:
        for table in ("_sentences", "_totals", "_own_pairs", "_pair_sums"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
