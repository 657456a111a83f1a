"""Finding + decision → the ``reviews`` table of the corpus: confirm or dismiss a finding, read the decisions back.

Adds one table beside the corpus tables (created when missing); never changes reports, cells or findings. A
decision is keyed by what the finding says (report, rule, cells, message), not by its row id, so it survives the
corpus audit renumbering its findings after each ingest.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

import duckdb

from ..errors import NianbaoError

DECISIONS = ("confirmed", "dismissed")
REVIEWS_DDL = ("CREATE TABLE IF NOT EXISTS reviews (finding_key VARCHAR PRIMARY KEY, report_id BIGINT, "
               "rule VARCHAR, decision VARCHAR NOT NULL, note VARCHAR, decided_at TIMESTAMP)")
DECISIONS_SQL = "SELECT finding_key, decision FROM reviews WHERE report_id IN (SELECT unnest(?))"
"""The decisions about the findings of a list of reports (parameter: the report ids)."""
_KEY_CHARS = 20


def finding_key(report_id: int | None, rule: str, cells: str | None, message: str) -> str:
    """A stable key of one finding: its report, rule, cells (as stored, JSON) and message."""
    text = f"{report_id}\x1f{rule}\x1f{cells or '[]'}\x1f{message}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_KEY_CHARS]


def ensure_reviews(con: duckdb.DuckDBPyConnection) -> None:
    """Create the ``reviews`` table when missing, over a writing connection to the corpus."""
    con.execute(REVIEWS_DDL)


def decide(con: duckdb.DuckDBPyConnection, key: str, report_id: int | None, rule: str, decision: str | None,
           note: str | None = None) -> None:
    """Record ``decision`` (confirmed or dismissed) for the finding ``key``; None withdraws the decision."""
    if decision is not None and decision not in DECISIONS:
        raise NianbaoError(key, "bad_option", f"unknown decision {decision!r}; use {' or '.join(DECISIONS)}")
    con.begin()
    try:
        con.execute("DELETE FROM reviews WHERE finding_key = ?", [key])
        if decision is not None:
            con.execute("INSERT INTO reviews VALUES (?, ?, ?, ?, ?, ?)",
                        [key, report_id, rule, decision, note, datetime.now()])
        con.commit()
    except BaseException:
        con.rollback()
        raise
