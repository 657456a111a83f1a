"""Finding + decision → the ``reviews`` table of the corpus: confirm or dismiss a finding (with the reviewer and a
note), read the decisions back.

Adds one table beside the corpus tables (created when missing); never changes reports, cells or findings. A
decision is keyed by what identifies the finding (its rule, its report, its cells and, for a cross-report finding,
the other reports; the unit and year for a finding about no report), never by its message or row id: it survives
the corpus audit renumbering its findings after each ingest and a change of the numbers its message quotes.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

import duckdb

from ..errors import NianbaoError

DECISIONS = ("confirmed", "dismissed")
REVIEWS_DDL = ("CREATE TABLE IF NOT EXISTS reviews (finding_key VARCHAR PRIMARY KEY, report_id BIGINT, "
               "rule VARCHAR, decision VARCHAR NOT NULL, note VARCHAR, decided_at TIMESTAMP, reviewer VARCHAR)")
DECISIONS_SQL = "SELECT finding_key, decision FROM reviews WHERE report_id IN (SELECT unnest(?))"
"""The decisions about the findings of a list of reports (parameter: the report ids)."""
NOTE_MAX_CHARS = 2000
_KEY_CHARS = 20
_MIGRATE_PART = 1000


def _digest(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:_KEY_CHARS]


def finding_key(report_id: int | None, rule: str, cells: str | None, related: str | None = None,
                unit: str | None = None, year: int | None = None) -> str:
    """A stable key of one finding: its report, rule, cells (as stored, JSON), the other reports of a cross-report
    finding (JSON) and, for a finding about no report, its unit and year."""
    others = sorted(json.loads(related or "[]"))
    about = (unit, year) if report_id is None else ()
    return _digest(report_id, rule, cells or "[]", others, *about)


def message_key(report_id: int | None, rule: str, cells: str | None, message: str) -> str:
    """The key decisions had before: report, rule, cells and message (only to carry old decisions over)."""
    return _digest(report_id, rule, cells or "[]", message)


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
        rows = con.execute("SELECT report_id, rule, cells, message, related, unit, year FROM findings "
                           "WHERE report_id IN (SELECT unnest(?))", [ids[start:start + _MIGRATE_PART]]).fetchall()
        for report_id, rule, cells, message, related, unit, year in rows:
            found[message_key(report_id, rule, cells, message)] = finding_key(report_id, rule, cells, related,
                                                                              unit, year)
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
