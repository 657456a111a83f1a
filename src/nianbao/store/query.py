"""SQL text → column names and rows, over a sandboxed read-only connection to the corpus.

Runs what it is given and nothing else; it cannot change the database, nor read or write any other file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from .db import sandboxed, user_sql_error


def query(db_path: str | Path, sql: str, params: list[Any] | None = None) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of ``sql`` run on the corpus at ``db_path`` (read-only, no access to anything else)."""
    con = sandboxed(db_path)
    try:
        cursor = con.execute(sql, params or [])
        if cursor.description is None:
            return [], []
        return [d[0] for d in cursor.description], cursor.fetchall()
    except duckdb.Error as exc:
        raise user_sql_error(db_path, exc) from None
    finally:
        con.close()
