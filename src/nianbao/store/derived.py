"""A report's sections → the rows derived from them that the cross-report audit reads: its sentence shingles
(``shingles``) and the portals it names (``portals``).

Computed where a report is parsed (the ingest's worker), and here for a corpus written before such a table
existed (``fill``), reading its stored sections.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from .portals import joined_narrative, portal_mentions
from .shingles import shingles
from .tables import PORTALS, SHINGLES, Spec

DERIVED = (SHINGLES, PORTALS)
_FILL_REPORTS = 2_000


def derived_rows(report_id: int, sections: list[tuple[str, str]]) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of each ``DERIVED`` table for one report, from its non-empty sections (key, text), in column
    order."""
    found = shingles([text for _, text in sections])
    return {SHINGLES.name: [(report_id, h, chars) for h, (chars, _) in found.items()],
            PORTALS.name: [(report_id, *mention) for mention in portal_mentions(joined_narrative(sections))]}


def fill(con: duckdb.DuckDBPyConnection, spec: Spec, table: str) -> None:
    """Compute the rows of ``spec`` (one of ``DERIVED``) of every report with sections into ``table``."""
    ids = [row[0] for row in con.execute("SELECT DISTINCT report_id FROM sections ORDER BY 1").fetchall()]
    schema = spec.arrow_schema()
    for start in range(0, len(ids), _FILL_REPORTS):
        sections: dict[int, list[tuple[str, str]]] = {}
        for report_id, key, text in con.execute(
                "SELECT report_id, key, text FROM sections WHERE report_id IN (SELECT unnest(?::BIGINT[])) "
                "ORDER BY report_id, key", [ids[start:start + _FILL_REPORTS]]).fetchall():
            sections.setdefault(report_id, []).append((key, text))
        rows = [row for i, parts in sections.items() for row in derived_rows(i, parts)[spec.name]]
        con.register("_derived", pa.Table.from_pylist([dict(zip(schema.names, row, strict=True)) for row in rows],
                                                      schema=schema))
        con.execute(f"INSERT INTO {table} SELECT * FROM _derived")
        con.unregister("_derived")
