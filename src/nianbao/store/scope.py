"""Panel now vs panel at the last audit → the scope of a cross-report audit, as temp tables the rules read.

A full audit (``nianbao audit --db``, or a corpus never audited) covers everything. The audit after an ingest
covers only what the reports that entered or left the panel (``current_reports``) since the last audit can
change: their (unit, year) groups (Q.duplicate_unit_year), the year pairs touching those groups (Y.*,
Q.copied_own_narrative), the copied-narrative pairs involving them (``similarity`` widens that set to the
reports whose boilerplate sentences crossed ``max_bucket``), their own timeliness (Q.late) and their years
(roster and hierarchy rules). The stored findings of that scope are replaced; every other stored finding is
what a full audit would find again.

Temp tables of a scoped audit: ``_scope_changed(id)``, ``_scope_groups(unit, year)``,
``_scope_pair_keys(unit, year)`` (the groups and the years after them), ``_all_pairs`` (``year_pairs``, read
once) and ``_scope_pairs`` (its rows of those keys); ``similarity`` adds ``_scope_similar(id)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .tables import AUDITED

_TABLES = ("_scope_changed", "_scope_groups", "_scope_pair_keys", "_all_pairs", "_scope_pairs", "_scope_similar")

_CHANGED_SQL = f"""
    CREATE OR REPLACE TEMP TABLE _scope_changed AS
    SELECT id FROM current_reports WHERE id NOT IN (SELECT report_id FROM {AUDITED.name})
    UNION SELECT report_id FROM {AUDITED.name} WHERE report_id NOT IN (SELECT id FROM current_reports)"""
_GROUPS_SQL = """
    CREATE OR REPLACE TEMP TABLE _scope_groups AS
    SELECT DISTINCT r.unit, r.year FROM reports r JOIN _scope_changed c ON c.id = r.id
    WHERE r.unit IS NOT NULL AND r.year IS NOT NULL"""
_PAIR_KEYS_SQL = """
    CREATE OR REPLACE TEMP TABLE _scope_pair_keys AS
    SELECT unit, year FROM _scope_groups UNION SELECT unit, year + 1 FROM _scope_groups"""
_ALL_PAIRS_SQL = "CREATE OR REPLACE TEMP TABLE _all_pairs AS SELECT * FROM year_pairs"
_PAIRS_SQL = """
    CREATE OR REPLACE TEMP TABLE _scope_pairs AS
    SELECT p.* FROM _all_pairs p SEMI JOIN _scope_pair_keys k ON k.unit = p.unit AND k.year = p.year"""

_IDS_IN = "SELECT r.id FROM reports r SEMI JOIN {table} k ON k.unit = r.unit AND k.year = r.year"
_RELATED = "TRY_CAST(json_extract_string(related, '$[0]') AS BIGINT)"
_STORED_IN_SCOPE = f"""
    (rule = 'Q.duplicate_unit_year' AND report_id IN ({_IDS_IN.format(table="_scope_groups")}))
    OR ((rule LIKE 'Y.%' OR rule IN ('Q.copied_own_narrative', 'Q.copied_problems'))
        AND report_id IN ({_IDS_IN.format(table="_scope_pair_keys")}))
    OR (rule IN ('Q.copied_narrative', 'Q.copied_own_narrative')
        AND (report_id IN (SELECT id FROM _scope_similar) OR {_RELATED} IN (SELECT id FROM _scope_similar)))
    OR (rule IN ('Q.late', 'Q.foreign_place') AND report_id IN (SELECT id FROM _scope_changed))
    OR ((rule LIKE 'Q.roster_%' OR rule LIKE 'H.%') AND year IN (SELECT DISTINCT r.year FROM reports r
                                                                 JOIN _scope_changed c ON c.id = r.id))"""


@dataclass(frozen=True)
class Scope:
    """What one audit covers: everything (``full``), or what changed since the last audit."""

    full: bool
    years: tuple[int, ...] | None = None
    """The report years a scoped audit covers (roster and hierarchy rules); None for a full audit."""

    def pairs(self) -> str:
        """The table of the year pairs the cross-year rules check (a copy of the ``year_pairs`` rows in scope)."""
        return "_scope_pairs"

    def groups(self, alias: str) -> str:
        """SQL condition: the (unit, year) of the rows of ``alias`` is one the audit covers."""
        if self.full:
            return "true"
        return f"EXISTS (SELECT 1 FROM _scope_groups g WHERE g.unit = {alias}.unit AND g.year = {alias}.year)"

    def pair_keys(self, alias: str) -> str:
        """SQL condition: the (unit, year) of the rows of ``alias`` is a group of the scope or the year after one."""
        if self.full:
            return "true"
        return f"EXISTS (SELECT 1 FROM _scope_pair_keys k WHERE k.unit = {alias}.unit AND k.year = {alias}.year)"

    def paired(self, column: str) -> str:
        """SQL condition: the report ``column`` is one of the year pairs checked (always true in a full audit)."""
        if self.full:
            return "true"
        return f"{column} IN (SELECT report_id FROM _scope_pairs UNION ALL SELECT previous_id FROM _scope_pairs)"

    def changed(self, column: str) -> str:
        """SQL condition: the report ``column`` entered or left the panel (always true in a full audit)."""
        return "true" if self.full else f"{column} IN (SELECT id FROM _scope_changed)"

    def similar(self, column: str) -> str:
        """SQL condition: the report ``column`` is one whose copied-narrative pairs are recomputed."""
        return "true" if self.full else f"{column} IN (SELECT id FROM _scope_similar)"


def never_audited(con: duckdb.DuckDBPyConnection) -> bool:
    """True when no audit has recorded its panel (a new or pre-scoping corpus): the audit must be full."""
    (count,), = con.execute(f"SELECT count(*) FROM {AUDITED.name}").fetchall()
    return not count


def open_scope(con: duckdb.DuckDBPyConnection, full: bool) -> Scope:
    """The scope of an audit, its temp tables created."""
    if full:
        con.execute("CREATE OR REPLACE TEMP TABLE _scope_pairs AS SELECT * FROM year_pairs")
        return Scope(True)
    for sql in (_CHANGED_SQL, _GROUPS_SQL, _PAIR_KEYS_SQL, _ALL_PAIRS_SQL, _PAIRS_SQL):
        con.execute(sql)
    years = con.execute("SELECT DISTINCT r.year FROM reports r JOIN _scope_changed c ON c.id = r.id "
                        "WHERE r.year IS NOT NULL ORDER BY 1").fetchall()
    return Scope(False, tuple(y for (y,) in years))


def is_empty(con: duckdb.DuckDBPyConnection, scope: Scope) -> bool:
    """True when a scoped audit has nothing to recompute (no report entered or left the panel)."""
    if scope.full:
        return False
    (count,), = con.execute("SELECT count(*) FROM _scope_changed").fetchall()
    return not count


def delete_stored(con: duckdb.DuckDBPyConnection, scope: Scope) -> None:
    """Delete the stored corpus findings the audit recomputes (all of them in a full audit)."""
    condition = "true" if scope.full else _STORED_IN_SCOPE
    con.execute(f"DELETE FROM findings WHERE scope = 'corpus' AND ({condition})")


def record_panel(con: duckdb.DuckDBPyConnection, scope: Scope) -> None:
    """Make ``audited_reports`` the current panel (what the next scoped audit compares against)."""
    if scope.full:
        con.execute(f"DELETE FROM {AUDITED.name}")
        con.execute(f"INSERT INTO {AUDITED.name} SELECT id FROM current_reports")
        return
    con.execute(f"DELETE FROM {AUDITED.name} WHERE report_id IN (SELECT id FROM _scope_changed)")
    con.execute(f"INSERT INTO {AUDITED.name} SELECT id FROM current_reports "
                "WHERE id IN (SELECT id FROM _scope_changed)")


def close_scope(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the scope's temp tables."""
    for table in _TABLES:
        con.execute(f"DROP TABLE IF EXISTS {table}")
