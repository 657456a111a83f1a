"""Database path → DuckDB connection holding the corpus tables and views (created when missing).

Opens and describes the database; reads and writes no rows, except to fill a table derived from the sections
(``derived``) once for a corpus written before that table existed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb

from ..errors import NianbaoError
from .derived import DERIVED, fill
from .tables import AUDITED, CELLS, CORRECTIONS, STORED, views

ROW_GROUP_ROWS = 16_384
"""Rows per row group of tables written through ``connect``: small enough that the rows of one cell key (each
batch stores its cells sorted by key) fill whole row groups, which a query for that key alone reads."""
ALIAS = "corpus"
T = TypeVar("T")


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables when missing and (re)create the views."""
    missing = [spec for spec in DERIVED if not has_table(con, spec.name)]
    for spec in (*STORED, AUDITED, CORRECTIONS):
        con.execute(spec.ddl())
    for column in CELLS.columns:  # a corpus written before a column existed gains it, empty
        con.execute(f"ALTER TABLE {CELLS.name} ADD COLUMN IF NOT EXISTS {column.name} {column.sql}")
    for spec in views():
        con.execute(spec.ddl())
    for spec in missing:
        fill(con, spec, spec.name)


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """True when the database (or this session) has a table called ``name``."""
    (count,), = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name]).fetchall()
    return bool(count)


def _open_writer(path: Path) -> duckdb.DuckDBPyConnection:
    """A connection whose default database is the corpus file, attached with ``ROW_GROUP_ROWS`` row groups
    (spills to ``<file>.tmp``, as a directly opened file would)."""
    con = duckdb.connect()
    quoted = str(path).replace("'", "''")
    try:
        con.execute(f"ATTACH '{quoted}' AS {ALIAS} (ROW_GROUP_SIZE {ROW_GROUP_ROWS})")
    except duckdb.Error:
        con.close()
        raise
    con.execute(f"USE {ALIAS}")
    con.execute(f"SET temp_directory = '{quoted}.tmp'")
    return con


LOCKED = "报告库正被另一个程序（例如 nianbao ingest 或 nianbao serve）写入，请稍后再试"
_FIRST_PAUSE = 0.05
_LONGEST_PAUSE = 1.0
REFUSED = "查询只能读取报告库：不得读写文件、访问网络或更改设置"


def sandboxed(db_path: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the corpus for SQL written by a user: a DuckDB instance of its own (so no other
    connection of this process shares its settings), external access disabled (no file read or written, no
    network, no extension) and the configuration locked so that the query cannot enable it again."""
    path = Path(db_path)
    if not path.exists():
        raise NianbaoError(str(path), "no_database", "no such corpus database; create it with nianbao ingest")
    con = duckdb.connect(":memory:")
    quoted = str(path).replace("'", "''")
    try:
        con.execute(f"ATTACH '{quoted}' AS {ALIAS} (READ_ONLY)")
    except duckdb.Error as exc:
        con.close()
        raise NianbaoError(str(path), "database", str(exc).splitlines()[0]) from None
    con.execute(f"USE {ALIAS}")
    for setting in ("enable_progress_bar = false", "enable_external_access = false", "lock_configuration = true"):
        con.execute(f"SET {setting}")
    return con


def user_sql_error(db_path: str | Path, exc: duckdb.Error, what: str = "") -> NianbaoError:
    """The NianbaoError of user SQL that failed: a refusal in Chinese when it tried to leave the corpus."""
    if isinstance(exc, duckdb.PermissionException) or "configuration has been locked" in str(exc):
        return NianbaoError(str(db_path), "refused", REFUSED)
    return NianbaoError(str(db_path), "bad_query", f"{what}{str(exc).splitlines()[0]}")


def is_locked(exc: duckdb.Error) -> bool:
    """True when ``exc`` says another process holds the database file."""
    return isinstance(exc, duckdb.IOException) and "Could not set lock" in str(exc)


def open_database(path: Path, read_only: bool, wait: float, waiting: Callable[[], None] | None = None
                  ) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying while another process holds it, for up to ``wait`` seconds (``waiting`` is called
    once, when the first attempt finds it held)."""
    return _retrying(lambda: duckdb.connect(str(path), read_only=True) if read_only else _open_writer(path), path,
                     wait, waiting)


def attach_reader(con: duckdb.DuckDBPyConnection, path: Path, wait: float) -> None:
    """Make the corpus file, attached read-only, the default database of ``con`` (an in-memory connection kept
    between reads: attaching costs a tenth of opening a connection), retrying as ``open_database`` does."""
    if not path.exists():
        raise NianbaoError(str(path), "no_database", "no such corpus database; create it with nianbao ingest")
    quoted = str(path).replace("'", "''")
    _retrying(lambda: con.execute(f"ATTACH '{quoted}' AS {ALIAS} (READ_ONLY)"), path, wait)
    con.execute(f"USE {ALIAS}")


def detach_reader(con: duckdb.DuckDBPyConnection) -> None:
    """Let the file attached by ``attach_reader`` go (a writer may open it then)."""
    con.execute("USE memory")
    con.execute(f"DETACH {ALIAS}")


def _retrying(opened: Callable[[], T], path: Path, wait: float, waiting: Callable[[], None] | None = None) -> T:
    """What ``opened`` returns, called again while another process holds the file, for up to ``wait`` seconds."""
    deadline = time.monotonic() + wait
    pause = _FIRST_PAUSE
    while True:
        try:
            return opened()
        except duckdb.Error as exc:
            if not is_locked(exc):
                raise NianbaoError(str(path), "database", str(exc).splitlines()[0]) from None
            if time.monotonic() + pause > deadline:
                raise NianbaoError(str(path), "locked", LOCKED) from None
        if waiting is not None and pause == _FIRST_PAUSE:
            waiting()
        time.sleep(pause)
        pause = min(pause * 2, _LONGEST_PAUSE)


RETURN_FREED_MEMORY = ("SET allocator_flush_threshold = '8MB'", "SET allocator_background_threads = true")
"""Where a connection is held to a memory limit, DuckDB also hands the memory its queries freed back to the system
(by default it keeps up to 128 MB for later queries): the audit of a million-report corpus peaks 45 MB lower."""


def connect(db_path: str | Path, read_only: bool = False, memory_limit: str | None = None, wait: float = 0.0,
            waiting: Callable[[], None] | None = None) -> duckdb.DuckDBPyConnection:
    """A connection to the corpus; read-only connections need an existing database. While another process holds
    the file, retries for up to ``wait`` seconds (``waiting`` is told once), then raises NianbaoError ``locked``."""
    path = Path(db_path)
    if read_only and not path.exists():
        raise NianbaoError(str(path), "no_database", "no such corpus database; create it with nianbao ingest")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = open_database(path, read_only, wait, waiting)
    con.execute("SET enable_progress_bar = false")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
        for setting in RETURN_FREED_MEMORY:
            con.execute(setting)
    if not read_only:
        create_schema(con)
    return con
