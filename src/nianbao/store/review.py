"""Finding + decision → the ``reviews`` table of the corpus: confirm or dismiss a finding (with the reviewer and a
note), read the decisions back.

Adds one table beside the corpus tables (created when missing); never changes reports, cells or findings. A
decision is keyed by what identifies the finding (its rule, its report, its cells and, for a cross-report finding,
the other reports; the unit and year for a finding about no report), never by its message or row id: it survives
the corpus audit renumbering its findings after each ingest and a change of the numbers its message quotes.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

import duckdb

from ..errors import NianbaoError

DECISIONS = ("confirmed", "dismissed")
REVIEWS_DDL = ("CREATE TABLE IF NOT EXISTS reviews (finding_key VARCHAR PRIMARY KEY, report_id BIGINT, "
               "rule VARCHAR, decision VARCHAR NOT NULL, note VARCHAR, decided_at TIMESTAMP, reviewer VARCHAR)")
NOTE_MAX_CHARS = 2000
SHARED_RULES = ("Q.duplicate_unit_year",)
"""Cross-report rules whose finding is about every report it names alike (its report and its related ones)."""
_KEY_CHARS = 20
_MIGRATE_PART = 1000


def finding_key_sql(alias: str = "f") -> str:
    """SQL of the stable key of a finding row ``alias``: a digest of its report, rule, cells (as stored), the other
    reports of a cross-report finding (sorted) and, for a finding about no report, its unit and year."""
    f = alias
    return (f"left(sha256(concat_ws(chr(31), coalesce({f}.report_id::VARCHAR, ''), {f}.rule, "
            f"coalesce({f}.cells::VARCHAR, '[]'), coalesce(list_sort(CAST({f}.related AS BIGINT[]))::VARCHAR, '[]'), "
            f"CASE WHEN {f}.report_id IS NULL THEN concat_ws(chr(31), {f}.unit, {f}.year::VARCHAR) ELSE '' END)), "
            f"{_KEY_CHARS})")


_SHARED = ", ".join(f"'{rule}'" for rule in SHARED_RULES)
_DISMISSED = "SELECT finding_key FROM reviews WHERE decision = 'dismissed'"


def _findings_about(key_sql: str) -> str:
    return (f"SELECT f.report_id AS about, {key_sql} AS finding_key, f.* FROM findings f "
            f"WHERE f.report_id IS NOT NULL UNION ALL "
            f"SELECT unnest(CAST(f.related AS BIGINT[])) AS about, {key_sql} AS finding_key, f.* FROM findings f "
            f"WHERE f.rule IN ({_SHARED})")


FINDINGS_ABOUT_SQL = _findings_about(finding_key_sql())
"""Every finding with each report it is about (``about``) and its key: a report's own and corpus findings, and
the findings of SHARED_RULES on each report they name."""
_KEY_WHILE_DISMISSED = f"CASE WHEN EXISTS ({_DISMISSED}) THEN {finding_key_sql()} END"
OPEN_FINDINGS_SQL = (f"SELECT * FROM ({_findings_about(_KEY_WHILE_DISMISSED)}) a "
                     f"WHERE a.finding_key IS NULL OR a.finding_key NOT IN ({_DISMISSED})")
"""The rows of FINDINGS_ABOUT_SQL that no decision dismissed. Their ``finding_key`` is computed only while some
decision dismisses a finding (it is NULL otherwise: the digest of every finding would cost each page that counts
them more than the rest of its reads): only for telling the dismissed ones apart, never to show."""
OPEN_COUNTS_SQL = (
    "SELECT a.about AS report_id, count(*) FILTER (WHERE a.severity = 'error') AS n_errors, "
    "count(*) FILTER (WHERE a.severity = 'warning') AS n_warnings, "
    "count(*) FILTER (WHERE a.severity = 'info') AS n_infos "
    f"FROM ({OPEN_FINDINGS_SQL}) a GROUP BY a.about")
"""The one count of a report's findings by severity that every page shows: its own and cross-report findings,
dismissed ones left out."""


def message_key(report_id: int | None, rule: str, cells: str | None, message: str) -> str:
    """The key decisions had before: report, rule, cells and message (only to carry old decisions over)."""
    text = f"{report_id}\x1f{rule}\x1f{cells or '[]'}\x1f{message}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_KEY_CHARS]


def ensure_reviews(con: duckdb.DuckDBPyConnection) -> None:
    """Create the ``reviews`` table when missing (adding the reviewer column to an older one), and carry decisions
    keyed by message over to the finding they were about, over a writing connection to the corpus."""
    con.execute(REVIEWS_DDL)
    con.execute("ALTER TABLE reviews ADD COLUMN IF NOT EXISTS reviewer VARCHAR")
    _carry_over(con)


def _carry_over(con: duckdb.DuckDBPyConnection) -> None:
    """Rekey each decision whose key is an old, message-based key of a stored finding."""
    reviewed = con.execute("SELECT finding_key, report_id FROM reviews").fetchall()
    if not reviewed:
        return
    ids = sorted({r for _, r in reviewed if r is not None})
    found: dict[str, str] = {}
    for start in range(0, len(ids), _MIGRATE_PART):
        rows = con.execute(f"SELECT report_id, rule, cells, message, {finding_key_sql()} FROM findings f "
                           "WHERE report_id IN (SELECT unnest(?::BIGINT[]))",
                           [ids[start:start + _MIGRATE_PART]]).fetchall()
        for report_id, rule, cells, message, key in rows:
            found[message_key(report_id, rule, cells, message)] = key
    taken = {key for key, _ in reviewed}
    moves: dict[str, str] = {}
    for key, _ in reviewed:
        new = found.get(key)
        if new is not None and new not in taken:
            moves[key] = new
            taken.add(new)
    if not moves:
        return
    con.begin()
    try:
        con.execute("CREATE TEMP TABLE _moves (old VARCHAR, new VARCHAR)")
        con.executemany("INSERT INTO _moves VALUES (?, ?)", list(moves.items()))
        con.execute("CREATE TEMP TABLE _moved AS SELECT m.new AS finding_key, r.* EXCLUDE (finding_key) "
                    "FROM reviews r JOIN _moves m ON r.finding_key = m.old")
        con.execute("DELETE FROM reviews WHERE finding_key IN (SELECT old FROM _moves)")
        con.execute("INSERT INTO reviews BY NAME SELECT * FROM _moved")
        con.execute("DROP TABLE _moves")
        con.execute("DROP TABLE _moved")
        con.commit()
    except BaseException:
        con.rollback()
        raise


def decide(con: duckdb.DuckDBPyConnection, key: str, report_id: int | None, rule: str, decision: str | None,
           note: str | None = None, reviewer: str | None = None) -> None:
    """Record ``decision`` (confirmed or dismissed) for the finding ``key``, by ``reviewer`` with ``note``; None
    withdraws the decision."""
    if decision is not None and decision not in DECISIONS:
        raise NianbaoError(key, "bad_option", f"unknown decision {decision!r}; use {' or '.join(DECISIONS)}")
    con.begin()
    try:
        con.execute("DELETE FROM reviews WHERE finding_key = ?", [key])
        if decision is not None:
            con.execute("INSERT INTO reviews (finding_key, report_id, rule, decision, note, decided_at, reviewer) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [key, report_id, rule, decision, (note or "")[:NOTE_MAX_CHARS] or None, datetime.now(),
                         reviewer])
        con.commit()
    except BaseException:
        con.rollback()
        raise
