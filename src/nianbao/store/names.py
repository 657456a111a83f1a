"""Report ids → the agency, year and unit the panel (``current_reports``) holds for each, read a part of the ids at a
time.

A cross-report rule names the reports it found once it has their ids, rather than joining ``current_reports`` in
the query that finds them: the hash table of that join holds the names of every report of the panel, memory that
grows with the corpus and that DuckDB does not count against its limit (300 MB at a million reports).
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

_PART = 10_000
"""Ids looked up by one query."""

Names = tuple[str | None, int | None, str | None]
"""(agency, year, unit) of a report."""


def report_names(con: duckdb.DuckDBPyConnection, ids: Iterable[int]) -> dict[int, Names]:
    """The names of the reports ``ids`` that are in the panel, by id. The bounds of each part of the ids let the
    scan skip the row groups of other reports."""
    wanted = sorted(set(ids))
    found: dict[int, Names] = {}
    for start in range(0, len(wanted), _PART):
        part = wanted[start:start + _PART]
        found.update({i: (agency, year, unit) for i, agency, year, unit in con.execute(
            "SELECT id, agency, year, unit FROM current_reports WHERE id BETWEEN ? AND ? "
            "AND id IN (SELECT unnest(?::BIGINT[]))", [part[0], part[-1], part]).fetchall()})
    return found
