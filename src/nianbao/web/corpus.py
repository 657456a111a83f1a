"""Corpus database → what the web pages show: report rows, a stored report rebuilt as the contract, its findings
with their review decisions, and the bytes of its source file.

Reads over read-only connections only; writes go through ``ingest`` and ``store.review``, inside ``writing()``.
A read answered before is answered again from what it returned then, without waiting for the database, as long as
the database files are as they were then (or, while a write of this server holds them, were when the write began).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from ..errors import NianbaoError
from ..report import Finding, Meta, Report, Source
from ..store.db import attach_reader, detach_reader, open_database
from ..store.review import FINDINGS_ABOUT_SQL, OPEN_COUNTS_SQL
from ..store.rows import rows_to_tables

Row = dict[str, Any]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
OPEN_COUNTS_COLUMNS = ", ".join(f"CASE WHEN r.status = 'parsed' THEN coalesce(c.{n}, 0) END AS {n}"
                                for n in ("n_errors", "n_warnings", "n_infos"))
"""The count columns of a report row ``r`` joined with OPEN_COUNTS_SQL as ``c``: the counts every page shows."""
FILE_NAME_SQL = r"regexp_extract(r.path, '[^/\\]+$')"
"""The file name of a report row ``r``'s stored path: what pages show (never the server's directories)."""
WRITER_YIELD_SECONDS = 2.0
_YIELD_PAUSE = 0.005
WAIT_SECONDS = 3.0
"""How long a request waits for another process (an ingest) to let go of the database before it answers 503."""
KEPT_ROWS = 50_000
"""How many rows of recent read results are kept, in all, to answer the same reads again."""
KEPT_READ_ROWS = 2_000
"""Reads returning more rows than this are not kept."""
Stamp = tuple[tuple[int, int, int] | None, ...]
_FINDING_COLUMNS = "a.id, a.scope, a.rule, a.severity, a.cells, a.expected, a.actual, a.message, a.location"


@dataclass
class StoredFinding:
    """A finding as stored: its row id, scope, review key and decision, and the contract Finding."""

    id: str
    scope: str
    key: str
    finding: Finding
    report_id: int | None = None
    decision: str | None = None


@dataclass
class StoredReport:
    """One row of ``reports``, with the report rebuilt from its rows when it was parsed."""

    row: Row
    report: Report | None
    findings: list[StoredFinding] = field(default_factory=list)

    @property
    def id(self) -> int:
        """The report's id."""
        return int(self.row["id"])

    def marks(self) -> dict[str, str]:
        """The worst severity of the findings on each cell, dismissed findings left out."""
        marks: dict[str, str] = {}
        for item in self.findings:
            if item.decision == "dismissed":
                continue
            for key in item.finding.cells:
                if SEVERITY_ORDER[item.finding.severity] < SEVERITY_ORDER.get(marks.get(key, "none"), 9):
                    marks[key] = item.finding.severity
        return marks


class Corpus:
    """The corpus database behind the app, the directory of uploaded files beside it, and the lock both share.

    Within ``locked()`` all reads share the file attached read-only to the kept in-memory DuckDB, attached on the
    first read and detached when the outermost block ends (so other processes can write between requests);
    ``writing()`` detaches it first, because DuckDB refuses a read-only and a writing connection to one file in the
    same process.

    Each read result is kept with the stamp (inode, size, modification time) of the database files it was read
    from, and answers the same read again while the files carry that stamp, or while a ``writer()`` of this server
    holds them and they carried it when the writer opened them (the reader sees the database as it was before that
    write, as a transaction begun before it would). Such reads neither wait for the lock nor open a connection; a
    block's first read that is not answered so holds the database for the rest of the block.
    """

    def __init__(self, db_path: str | Path) -> None:
        self.db = Path(db_path).resolve()
        self.files = self.db.with_name(self.db.name + ".files")
        self.lock = threading.RLock()
        self._con: duckdb.DuckDBPyConnection | None = None
        """An in-memory DuckDB kept for the server's life: the corpus file is attached to it for a block of reads
        (opening a connection for each would cost a request more than its reads)."""
        self._attached = False
        self._depth = 0
        self._waiting = 0
        self._owner: int | None = None
        self._counter = threading.Lock()
        self._kept: OrderedDict[tuple[str, str], tuple[Stamp, list[Row]]] = OrderedDict()
        self._kept_rows_count = 0
        self._kept_lock = threading.Lock()
        self._before_write: Stamp | None = None
        self._local = threading.local()

    @contextmanager
    def locked(self) -> Iterator[None]:
        """A sequence of reads: answered from kept results until one is not kept, which then waits for the database
        (counted while it waits, see ``writing``) and holds it to the end of the block."""
        if self._owner == threading.get_ident():
            with self._held(reading=True):
                yield
            return
        if getattr(self._local, "deferred", None) is not None:
            yield  # within an outer block of this thread
            return
        with ExitStack() as deferred:
            self._local.deferred = deferred
            try:
                yield
            finally:
                self._local.deferred = None

    @contextmanager
    def _held(self, reading: bool) -> Iterator[None]:
        if reading:
            with self._counter:
                self._waiting += 1
        try:
            self.lock.acquire()
        finally:
            if reading:
                with self._counter:
                    self._waiting -= 1
        try:
            self._depth += 1
            self._owner = threading.get_ident()
            try:
                yield
            finally:
                self._depth -= 1
                if not self._depth:
                    self._owner = None
                    self._before_write = None
                    self._close()
        finally:
            self.lock.release()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the database with no read-only connection open, for a writer to connect; first letting the reads
        already waiting go (up to WRITER_YIELD_SECONDS), so that a queue of writes cannot starve pages."""
        if self._owner != threading.get_ident():
            deadline = time.monotonic() + WRITER_YIELD_SECONDS
            while self._waiting and time.monotonic() < deadline:
                time.sleep(_YIELD_PAUSE)
        with self._held(reading=False):
            self._close()
            yield

    @contextmanager
    def writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A writing connection to the corpus (its tables exist: the app created them at start)."""
        with self.writing():
            con = open_database(self.db, False, WAIT_SECONDS)
            if self._before_write is None:
                self._before_write = _stamp(self.db)
            try:
                yield con
            finally:
                con.close()

    def _close(self) -> None:
        if self._attached and self._con is not None:
            detach_reader(self._con)
        self._attached = False

    def rows(self, sql: str, params: list[Any] | None = None) -> list[Row]:
        """Rows of a read-only query as dicts (the caller's own: changing them changes nothing kept)."""
        key = (sql, repr(params))
        with ExitStack() as held:
            if self._owner != threading.get_ident():
                found = self._kept_rows(key)
                if found is not None:
                    return found
                holder: ExitStack = getattr(self._local, "deferred", None) or held
                holder.enter_context(self._held(reading=True))
            if self._con is None:
                self._con = duckdb.connect(":memory:")
                self._con.execute("SET enable_progress_bar = false")
            if not self._attached:
                attach_reader(self._con, self.db, WAIT_SECONDS)
                self._attached = True
            try:
                cursor = self._con.execute(sql, params or [])
            except duckdb.Error as exc:
                raise NianbaoError(str(self.db), "bad_query", str(exc).splitlines()[0]) from None
            columns = [d[0] for d in cursor.description or ()]
            found = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
            self._keep(key, _stamp(self.db), found)
            return found

    def _keep(self, key: tuple[str, str], stamp: Stamp, found: list[Row]) -> None:
        if len(found) > KEPT_READ_ROWS:
            return
        with self._kept_lock:
            replaced = self._kept.pop(key, None)
            self._kept_rows_count -= len(replaced[1]) if replaced else 0
            self._kept[key] = (stamp, [dict(row) for row in found])
            self._kept_rows_count += len(found)
            while self._kept_rows_count > KEPT_ROWS:
                _, (_, dropped) = self._kept.popitem(last=False)
                self._kept_rows_count -= len(dropped)

    def _kept_rows(self, key: tuple[str, str]) -> list[Row] | None:
        """The kept result of ``key`` when it was read from the files as they are now, or as they were when the
        writer now holding them opened them."""
        with self._kept_lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
        if kept is None or kept[0] != (self._before_write or _stamp(self.db)):
            return None
        return [dict(row) for row in kept[1]]

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        """The first column of the first row (None when there is none)."""
        found = self.rows(sql, params)
        return next(iter(found[0].values())) if found else None

    def report_row(self, report_id: int) -> Row | None:
        """The ``reports`` row of ``report_id`` with the uploaded file's name, or None."""
        found = self.rows(f"SELECT r.* REPLACE ({OPEN_COUNTS_COLUMNS}), coalesce(u.name, {FILE_NAME_SQL}) "
                          "AS upload_name FROM reports r "
                          f"LEFT JOIN uploads u ON u.sha256 = r.sha256 LEFT JOIN ({OPEN_COUNTS_SQL}) c "
                          "ON c.report_id = r.id WHERE r.id = ?", [report_id])
        return found[0] if found else None

    def stored_report(self, report_id: int) -> StoredReport | None:
        """A stored report with its findings and decisions; duplicates resolve to the report they repeat."""
        with self.locked():
            row = self.report_row(report_id)
            if row is None:
                return None
            if row["status"] == "duplicate" and row["duplicate_of"] is not None:
                return self.stored_report(int(row["duplicate_of"]))
            if row["status"] != "parsed":
                return StoredReport(row, None)
            findings = self.findings([report_id])
            return StoredReport(row, self._rebuild(row, findings), findings)

    def findings(self, report_ids: list[int]) -> list[StoredFinding]:
        """Report and corpus findings about ``report_ids``, worst first, with their review decisions."""
        with self.locked():
            rows = self.rows(f"SELECT {_FINDING_COLUMNS}, a.about, a.finding_key, v.decision FROM "
                             f"({FINDINGS_ABOUT_SQL}) a LEFT JOIN reviews v ON v.finding_key = a.finding_key "
                             "WHERE a.about IN (SELECT unnest(?::BIGINT[])) ORDER BY a.about, a.scope DESC, a.id",
                             [report_ids])
        found = [_stored_finding(row) for row in rows]
        return sorted(found, key=lambda f: (f.report_id or 0, SEVERITY_ORDER[f.finding.severity]))

    def _rebuild(self, row: Row, findings: list[StoredFinding]) -> Report:
        report_id = row["id"]
        cells = self.rows("SELECT tbl, block, row_key, col_key, raw, value, location FROM cells "
                          "WHERE report_id = ? ORDER BY key", [report_id])
        sections = self.rows("SELECT key, text FROM sections WHERE report_id = ? ORDER BY key", [report_id])
        source = Source(path=row["upload_name"], sha256=row["sha256"] or "", format=row["format"] or "")
        return Report(source=source, template=row["template"], meta=Meta.model_validate(json.loads(row["meta"])),
                      tables=rows_to_tables(cells), sections={s["key"]: s["text"] for s in sections},
                      findings=[f.finding for f in findings])

    def grids(self, report_id: int) -> list[list[list[tuple[str, dict[str, Any]]]]]:
        """The table grids a report's cells were read from (stored at ingest): per grid its rows, per row
        (text, at) of each position."""
        grids: list[list[list[tuple[str, dict[str, Any]]]]] = []
        for found in self.rows("SELECT grid, cells FROM grid_rows WHERE report_id = ? ORDER BY grid, row",
                               [report_id]):
            if found["grid"] >= len(grids):
                grids.append([])
            grids[-1].append([(text, at) for text, at in json.loads(found["cells"])])
        return grids

    def source_bytes(self, row: Row) -> bytes | None:
        """The stored input file of a report, or None when it is gone or no longer has the stored content."""
        try:
            data = Path(row["path"]).read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == row["sha256"] else None


def _stamp(db: Path) -> Stamp:
    """Inode, size and modification time of the database file and of its write-ahead log (None when absent)."""
    found: list[tuple[int, int, int] | None] = []
    for path in (db, db.with_name(db.name + ".wal")):
        try:
            info = os.stat(path)
        except OSError:
            found.append(None)
            continue
        found.append((info.st_ino, info.st_size, info.st_mtime_ns))
    return tuple(found)


def _stored_finding(row: Row) -> StoredFinding:
    finding = Finding(rule=row["rule"], severity=row["severity"], cells=json.loads(row["cells"] or "[]"),
                      expected=json.loads(row["expected"] or "null"), actual=json.loads(row["actual"] or "null"),
                      message=row["message"], at=json.loads(row["location"] or "[]"))
    return StoredFinding(row["id"], row["scope"], row["finding_key"], finding, row["about"], row["decision"])
