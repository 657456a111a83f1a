"""Corpus database → cross-report findings (Y.* cross-year, H.* hierarchy, Q.* quality), stored with scope corpus.

Supervisors' reference lists (hierarchy, roster, deadline calendar) are loaded from CSV into tables of the
same names and kept, so every later audit of that database (the one after each ingest too) uses them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import duckdb

from ..errors import NianbaoError
from .corpus_findings import CorpusFinding, findings_table
from .crossyear import cross_year_findings
from .db import connect, has_table
from .derived import DERIVED, fill
from .oversight import oversight_findings
from .scope import Scope, close_scope, delete_stored, is_empty, never_audited, open_scope, record_panel
from .settings import CorpusSettings, resolve_corpus
from .similarity import copied_narratives
from .wording import wording_findings

FAMILIES: tuple[Callable[[duckdb.DuckDBPyConnection, CorpusSettings, Scope], Iterable[CorpusFinding]], ...] = (
    cross_year_findings, copied_narratives, wording_findings, oversight_findings)
"""The cross-report rules by family, in the order their findings are numbered."""
REFERENCES = {"hierarchy": ("unit", "parent"), "roster": ("unit",), "deadlines": ("level", "deadline")}
"""Reference list → the columns its CSV must have (roster may add ``year``; deadlines ``year`` and ``region``)."""
_INSERT_FINDINGS = 2_000
"""Findings turned into rows and inserted at a time (the rows of all of them would double what they hold)."""
_PENDING = "_pending_corpus_findings"
_NUMBER = "{}(TRY_CAST(split_part({}, '.', 2) AS BIGINT))"
"""The number of a corpus finding's id (``corpus.N``), inside an aggregate or none."""


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
    (count,), = con.execute(f"SELECT count(*) FROM {kind}").fetchall()
    return int(count)


def audit_connection(con: duckdb.DuckDBPyConnection, options: CorpusSettings, write: bool, full: bool = True,
                     keep: bool = True) -> list[CorpusFinding]:
    """Run the cross-report rules on an open corpus: over everything (``full``, or a corpus never audited), or
    over what the reports that entered or left the panel since the last audit can change (see ``scope``).
    With ``write``, replace the stored corpus findings of that scope and record the panel as audited. The
    findings go to the database ``_INSERT_FINDINGS`` at a time as the rules (``FAMILIES``) give them; the
    cross-year rules, which find the most, give theirs a page at a time. Returns the findings, or none without
    ``keep`` (an ingest that only stores them then holds no list growing with the corpus)."""
    _ensure_derived(con)
    kept: list[CorpusFinding] = []
    try:
        scope = open_scope(con, full or never_audited(con))
        if is_empty(con, scope):
            return []
        pending = _Pending(con) if write else None
        for family in FAMILIES:
            for part in _parts(family(con, options, scope)):
                if pending:
                    pending.add(part)
                if keep:
                    kept += part
        if pending:
            pending.replace(scope)
    except duckdb.Error as exc:
        raise NianbaoError("<corpus>", "audit", f"the cross-report audit failed ({str(exc).splitlines()[0]}); the "
                           "reports are stored: run nianbao audit --db again (setting memory_limit)") from None
    finally:
        if write:
            con.execute(f"DROP TABLE IF EXISTS {_PENDING}")
        close_scope(con)
    return kept


def _ensure_derived(con: duckdb.DuckDBPyConnection) -> None:
    """A session copy of each table derived from the sections for a read-only corpus written before it existed."""
    for spec in DERIVED:
        if not has_table(con, spec.name):
            con.execute(spec.ddl().replace("CREATE TABLE", "CREATE TEMP TABLE", 1))
            fill(con, spec, spec.name)


def _parts(findings: Iterable[CorpusFinding]) -> Iterator[list[CorpusFinding]]:
    """Findings ``_INSERT_FINDINGS`` at a time."""
    found = iter(findings)
    while part := list(itertools.islice(found, _INSERT_FINDINGS)):
        yield part


class _Pending:
    """The new findings of an audit, held in a temp table (``_PENDING``) numbered from 1 in their order until
    they replace the stored ones of the audit's scope."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.count = 0
        con.execute(f"CREATE OR REPLACE TEMP TABLE {_PENDING} AS SELECT * FROM findings LIMIT 0")

    def add(self, findings: list[CorpusFinding]) -> None:
        """Append findings, numbered on."""
        self.con.register("_corpus_findings", findings_table(findings, first=self.count + 1))
        self.con.execute(f"INSERT INTO {_PENDING} SELECT * FROM _corpus_findings")
        self.con.unregister("_corpus_findings")
        self.count += len(findings)

    def replace(self, scope: Scope) -> None:
        """In one transaction: the stored findings of the scope deleted, the pending ones inserted numbered on
        from the stored ones left, the panel recorded."""
        self.con.begin()
        try:
            delete_stored(self.con, scope)
            (last,), = self.con.execute(f"SELECT {_NUMBER.format('max', 'id')} FROM findings "
                                        "WHERE scope = 'corpus'").fetchall()
            self.con.execute(f"INSERT INTO findings SELECT * REPLACE ('corpus.' || ({_NUMBER.format('', 'id')} + "
                             f"{int(last or 0)}) AS id) FROM {_PENDING} ORDER BY {_NUMBER.format('', 'id')}")
            record_panel(self.con, scope)
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise


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
