"""Corpus database → cross-report findings (Y.* cross-year, H.* hierarchy, Q.* quality), stored with scope corpus.

Supervisors' reference lists (hierarchy, roster, deadline calendar) are loaded from CSV into tables of the
same names and kept, so every later audit of that database (the one after each ingest too) uses them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from ..errors import NianbaoError
from .corpus_findings import CorpusFinding, findings_table
from .crossyear import cross_year_findings
from .db import connect
from .oversight import oversight_findings
from .settings import CorpusSettings, resolve_corpus
from .similarity import copied_narratives

REFERENCES = {"hierarchy": ("unit", "parent"), "roster": ("unit",), "deadlines": ("level", "deadline")}
"""Reference list → the columns its CSV must have (roster may add ``year``; deadlines ``year`` and ``region``)."""


def load_reference(con: duckdb.DuckDBPyConnection, kind: str, csv_path: str | Path, temporary: bool = False) -> int:
    """Replace the reference table ``kind`` with the rows of a CSV file (header row, UTF-8); returns the row count."""
    path = Path(csv_path)
    if not path.is_file():
        raise NianbaoError(str(path), "unreadable", "no such file")
    relation = con.read_csv(str(path), header=True, all_varchar=True)
    missing = [c for c in REFERENCES[kind] if c not in relation.columns]
    if missing:
        needed = ", ".join(REFERENCES[kind])
        raise NianbaoError(str(path), "bad_reference", f"a {kind} list needs the columns {needed}; "
                                                       f"missing {', '.join(missing)}")
    trimmed = ", ".join(f"nullif(trim({c}), '') AS {c}" for c in relation.columns)
    con.register("_reference", relation)
    try:
        con.execute(f"CREATE OR REPLACE {'TEMP ' if temporary else ''}TABLE {kind} AS "
                    f"SELECT {trimmed} FROM _reference")
    finally:
        con.unregister("_reference")
    count = con.execute(f"SELECT count(*) FROM {kind}").fetchone()
    return count[0] if count else 0


def audit_connection(con: duckdb.DuckDBPyConnection, options: CorpusSettings, write: bool) -> list[CorpusFinding]:
    """Run every cross-report rule on an open corpus; with ``write``, replace the stored corpus findings."""
    try:
        findings = [*cross_year_findings(con, options), *copied_narratives(con, options),
                    *oversight_findings(con, options)]
    except duckdb.Error as exc:
        raise NianbaoError("<corpus>", "audit", f"the cross-report audit failed ({str(exc).splitlines()[0]}); the "
                           "reports are stored: run nianbao audit --db again (setting memory_limit)") from None
    if write:
        con.begin()
        con.execute("DELETE FROM findings WHERE scope = 'corpus'")
        con.register("_corpus_findings", findings_table(findings))
        con.execute("INSERT INTO findings SELECT * FROM _corpus_findings")
        con.unregister("_corpus_findings")
        con.commit()
    return findings


def audit_corpus(db_path: str | Path, settings: CorpusSettings | dict[str, Any] | None = None, *,
                 hierarchy: str | Path | None = None, roster: str | Path | None = None,
                 deadlines: str | Path | None = None, write: bool = True) -> list[CorpusFinding]:
    """The cross-report findings of the corpus at ``db_path``.

    Reference CSVs given here replace the stored lists (kept for later audits when ``write``; used for
    this audit only otherwise). With ``write``, the findings replace the corpus findings in the database.
    """
    options = resolve_corpus(settings)
    con = connect(db_path, read_only=not write, memory_limit=options.memory_limit)
    try:
        for kind, path in (("hierarchy", hierarchy), ("roster", roster), ("deadlines", deadlines)):
            if path is not None:
                load_reference(con, kind, path, temporary=not write)
        return audit_connection(con, options, write)
    finally:
        con.close()
