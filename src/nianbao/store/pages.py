"""Query → its rows in a given order, a page at a time, with no result left open between pages.

The rows are sorted once into a temp table (which DuckDB spills within its memory limit) and each page is a
query of its own, so the caller may write to the database between pages and Python holds one page at a time.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import duckdb

PAGE_ROWS = 2_000
_TABLE = "_page_rows"


def pages(con: duckdb.DuckDBPyConnection, sql: str, order: str, params: list[Any] | dict[str, Any] | None = None,
          size: int = PAGE_ROWS) -> Iterator[list[dict[str, Any]]]:
    """The rows of ``sql`` sorted by ``order`` (SQL over its columns), ``size`` at a time, as dicts."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_TABLE} AS SELECT * FROM ({sql}) q ORDER BY {order}", params or [])
    try:
        for start in itertools.count(0, size):
            cursor = con.execute(f"SELECT * FROM {_TABLE} WHERE rowid >= ? AND rowid < ? ORDER BY rowid",
                                 [start, start + size])
            names = [d[0] for d in cursor.description]
            page = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            if page:
                yield page
            if len(page) < size:
                return
    finally:
        con.execute(f"DROP TABLE IF EXISTS {_TABLE}")
