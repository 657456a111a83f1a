"""Narrative sections of the corpus → copied-narrative findings (雷同): between different units of one year
(Q.copied_narrative) and against the unit's own report of the year before (Q.copied_own_narrative).

Sentence shingles: each section is cut into sentences, normalised (whitespace dropped, digit runs read as
one symbol) and hashed. Reports meet only through the sentences they share, bucketed by (year, hash);
a sentence found in more than ``max_bucket`` reports of a year is boilerplate and skipped, so the work
grows with the shared sentences, not with the square of the corpus. Everything runs inside DuckDB.
"""

from __future__ import annotations

from typing import Any

import duckdb

from .corpus_findings import CorpusFinding, corpus_finding
from .settings import CorpusSettings

_SPLIT = r"[。！？；!?;\n]"
_PASSAGE_CHARS = 40


def _sentences(con: duckdb.DuckDBPyConnection, options: CorpusSettings) -> None:
    """Temp table of each report's distinct normalised sentences, with their document frequency in the year and
    the report's total length (plain aggregates and joins, which DuckDB can spill to disk)."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _sentences AS
        WITH pieces AS (
            SELECT r.id AS report_id, r.unit, r.year,
                   regexp_replace(unnest(string_split_regex(s.text, '{_SPLIT}')), '\\s+', '', 'g') AS sentence
            FROM current_reports r JOIN sections s ON s.report_id = r.id WHERE r.year IS NOT NULL),
        hashed AS (
            SELECT report_id, any_value(unit) AS unit, any_value(year) AS year, min(sentence) AS sentence,
                   max(length(sentence)) AS len, h
            FROM (SELECT *, hash(regexp_replace(sentence, '[0-9０-９]+', '#', 'g')) AS h FROM pieces
                  WHERE length(sentence) >= {int(options.sentence_min_chars)})
            GROUP BY report_id, h),
        frequency AS (SELECT year, h, count(*) AS df FROM hashed GROUP BY year, h),
        totals AS (SELECT report_id, sum(len) AS total FROM hashed GROUP BY report_id)
        SELECT hashed.*, frequency.df, totals.total
        FROM hashed JOIN frequency USING (year, h) JOIN totals USING (report_id)""")


def _flagged(con: duckdb.DuckDBPyConnection, pairs_sql: str, options: CorpusSettings) -> list[dict[str, Any]]:
    """Pairs (a_id, b_id) sharing enough text, with the share, the shared length and the longest passages.

    The pairs are summed first (one number per pair); passages are gathered only for the pairs kept."""
    cursor = con.execute(f"""
        WITH pairs AS ({pairs_sql}),
        kept AS (SELECT * FROM pairs WHERE shared >= ? AND shared >= ? * least(a_total, b_total)),
        passages AS (
            SELECT k.a_id, k.b_id, max_by(x.sentence, x.len, {int(options.passages_shown)}) AS passages
            FROM kept k JOIN _sentences x ON x.report_id = k.a_id
            JOIN _sentences y ON y.report_id = k.b_id AND y.h = x.h GROUP BY k.a_id, k.b_id)
        SELECT k.a_id, k.b_id, ra.agency AS a_agency, rb.agency AS b_agency, ra.year AS a_year, rb.year AS b_year,
               k.shared, round(100.0 * k.shared / least(k.a_total, k.b_total)) AS similarity, p.passages
        FROM kept k JOIN passages p USING (a_id, b_id)
        JOIN current_reports ra ON ra.id = k.a_id JOIN current_reports rb ON rb.id = k.b_id
        ORDER BY k.a_id, k.b_id""", [options.shared_min_chars, options.similarity_min])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _pairs_sql(join: str, options: CorpusSettings) -> str:
    return (f"SELECT a.report_id AS a_id, b.report_id AS b_id, any_value(a.total) AS a_total, "
            f"any_value(b.total) AS b_total, sum(a.len) AS shared {join} "
            f"AND a.df <= {int(options.max_bucket)} AND b.df <= {int(options.max_bucket)} "
            "GROUP BY a.report_id, b.report_id")


def _evidence(row: dict[str, Any]) -> dict[str, Any]:
    passages = sorted(row["passages"], key=lambda s: (-len(s), s))
    return {"actual": int(row["similarity"]), "shared": int(row["shared"]), "similarity": int(row["similarity"]),
            "passages": "”“".join(p[:_PASSAGE_CHARS] for p in passages),
            "at": [{"report_id": row["b_id"], "passage": p} for p in passages]}


def copied_between_units(con: duckdb.DuckDBPyConnection, options: CorpusSettings) -> list[CorpusFinding]:
    """Q.copied_narrative: two units' reports of one year sharing most of their narrative."""
    join = ("FROM _sentences a JOIN _sentences b ON a.year = b.year AND a.h = b.h AND a.report_id < b.report_id "
            "WHERE (a.unit IS NULL OR a.unit IS DISTINCT FROM b.unit)")
    return [corpus_finding("Q.copied_narrative", r["a_id"], related=[r["b_id"]], unit=r["a_agency"],
                           year=r["a_year"], other=r["b_agency"] or f"报告{r['b_id']}", **_evidence(r))
            for r in _flagged(con, _pairs_sql(join, options), options)]


def copied_from_last_year(con: duckdb.DuckDBPyConnection, options: CorpusSettings) -> list[CorpusFinding]:
    """Q.copied_own_narrative: a report repeating most of the unit's narrative of the year before."""
    join = ("FROM year_pairs p JOIN _sentences a ON a.report_id = p.report_id "
            "JOIN _sentences b ON b.report_id = p.previous_id AND b.h = a.h WHERE true")
    return [corpus_finding("Q.copied_own_narrative", r["a_id"], related=[r["b_id"]], unit=r["a_agency"],
                           year=r["a_year"], previous_year=r["b_year"], **_evidence(r))
            for r in _flagged(con, _pairs_sql(join, options), options)]


def copied_narratives(con: duckdb.DuckDBPyConnection, options: CorpusSettings) -> list[CorpusFinding]:
    """Both copied-narrative rules."""
    _sentences(con, options)
    try:
        return [*copied_between_units(con, options), *copied_from_last_year(con, options)]
    finally:
        con.execute("DROP TABLE IF EXISTS _sentences")
