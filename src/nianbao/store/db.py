"""Database path → DuckDB connection holding the corpus tables and views (created when missing).

Opens and describes the database; reads and writes no rows.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..errors import NianbaoError
from .tables import TABLES, views


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables when missing and (re)create the views."""
    for spec in (*TABLES, *views()):
        con.execute(spec.ddl())


def connect(db_path: str | Path, read_only: bool = False, memory_limit: str | None = None
            ) -> duckdb.DuckDBPyConnection:
    """A connection to the corpus; read-only connections need an existing database."""
    path = Path(db_path)
    if read_only and not path.exists():
        raise NianbaoError(str(path), "no_database", "no such corpus database; create it with nianbao ingest")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise NianbaoError(str(path), "database", str(exc).splitlines()[0]) from None
    con.execute("SET enable_progress_bar = false")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    if not read_only:
        create_schema(con)
    return con
