"""SQL text → column names and rows, over a read-only connection to the corpus.

Runs what it is given and nothing else; it cannot change the database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from ..errors import NianbaoError
from .db import connect


def query(db_path: str | Path, sql: str, params: list[Any] | None = None) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of ``sql`` run on the corpus at ``db_path`` (read-only)."""
    con = connect(db_path, read_only=True)
    try:
        cursor = con.execute(sql, params or [])
        if cursor.description is None:
            return [], []
        return [d[0] for d in cursor.description], cursor.fetchall()
    except duckdb.Error as exc:
        raise NianbaoError(str(db_path), "bad_query", str(exc).splitlines()[0]) from None
    finally:
        con.close()
