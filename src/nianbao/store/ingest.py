"""Paths → rows in the DuckDB corpus: find the inputs, hash them, plan what is new, parse in parallel, commit batches.

Idempotent and resumable: an input is known by its path and content hash, and each batch (its reports,
cells, findings, sections, duplicates and superseded versions) is one transaction, so a killed run loses
at most the batches in flight and a second run neither loses nor doubles an input.
"""

from __future__ import annotations

import hashlib
import math
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from ..errors import NianbaoError
from .corpus_audit import audit_connection
from .db import connect
from .executors import Chunk, Execution, run_chunks
from .rows import Batch, Planned
from .settings import CorpusSettings, resolve_corpus
from .tables import TABLES

SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".doc", ".ofd", ".png",
                      ".jpg", ".jpeg"})
_HASH_THREADS = 4
_CHUNKS_PER_WORKER = 2

Progress = Callable[[str, int, int], None]
"""Called with (stage, done, total); stages are ``hashing`` and ``parsing``."""


@dataclass
class IngestResult:
    """What one ingest run did."""

    inputs: int = 0
    skipped: int = 0
    parsed: int = 0
    failed: int = 0
    duplicate: int = 0
    new_versions: int = 0
    with_errors: int = 0
    seconds: float = 0.0
    corpus_findings: int = 0
    failures: list[tuple[str, str, str]] = field(default_factory=list)


def find_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Absolute paths of the files named and of report files under the directories named, sorted, once each."""
    found: set[Path] = set()
    for given in paths:
        path = Path(given).resolve()
        if path.is_dir():
            found.update(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.exists():
            found.add(path)
        else:
            raise NianbaoError(str(given), "unreadable", "no such file or directory")
    return sorted(found)


def _hash(path: Path) -> tuple[str, str | None, int | None]:
    try:
        data = path.read_bytes()
    except OSError:
        return str(path), None, None
    return str(path), hashlib.sha256(data).hexdigest(), len(data)


def hash_inputs(paths: list[Path], progress: Progress | None = None) -> list[tuple[str, str | None, int | None]]:
    """(path, sha256, size) of each input; unreadable files get no hash (their parse records the error)."""
    out = []
    with ThreadPoolExecutor(_HASH_THREADS) as pool:
        for n, item in enumerate(pool.map(_hash, paths), 1):
            out.append(item)
            if progress:
                progress("hashing", n, len(paths))
    return out


@dataclass
class _Known:
    """What the database already holds: the current row of each path and the stored row of each content."""

    current: dict[str, tuple[int, str | None, int]]
    content: dict[str, tuple[int, str]]
    next_id: int

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection) -> _Known:
        current = {p: (i, s, v) for i, p, s, v in con.execute(
            "SELECT id, path, sha256, version FROM reports WHERE is_current").fetchall()}
        content = {s: (i, p) for s, i, p in con.execute(
            "SELECT sha256, min(id), arg_min(path, id) FROM reports WHERE status <> 'duplicate' "
            "AND sha256 IS NOT NULL GROUP BY sha256").fetchall()}
        top = con.execute("SELECT coalesce(max(id), 0) FROM reports").fetchone()
        return cls(current, content, (top[0] if top else 0) + 1)


@dataclass
class _Plan:
    """Inputs to parse, duplicates to record with them, and old versions each new row supersedes."""

    first_id: int
    work: list[Planned] = field(default_factory=list)
    duplicates: dict[int, list[Planned]] = field(default_factory=dict)
    supersedes: dict[int, int] = field(default_factory=dict)
    skipped: int = 0

    def earlier_duplicates(self) -> list[int]:
        """Stored rows (from earlier runs) that inputs of this run duplicate."""
        return [i for i in self.duplicates if i < self.first_id]


def _plan(hashed: list[tuple[str, str | None, int | None]], known: _Known) -> _Plan:
    plan = _Plan(known.next_id)
    next_id = known.next_id
    for path, sha, size in hashed:
        previous = known.current.get(path)
        if previous is not None and previous[1] == sha:
            plan.skipped += 1
            continue
        version = previous[2] + 1 if previous else 1
        stored = known.content.get(sha) if sha else None
        planned = Planned(next_id, path, sha, size, version,
                          duplicate_of=stored[0] if stored and stored[1] != path else None)
        if previous:
            plan.supersedes[next_id] = previous[0]
        if planned.duplicate_of is None:
            plan.work.append(planned)
            if sha:
                known.content[sha] = (next_id, path)
        else:
            plan.duplicates.setdefault(planned.duplicate_of, []).append(planned)
        next_id += 1
    return plan


def _chunks(plan: _Plan, batch_size: int, workers: int) -> Iterator[Chunk]:
    """Chunks of at most ``batch_size`` inputs, smaller when there are too few inputs to keep every worker busy."""
    size = max(1, min(batch_size, math.ceil(len(plan.work) / (workers * _CHUNKS_PER_WORKER))))
    for start in range(0, len(plan.work), size):
        yield plan.work[start:start + size]


def _insert(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table]) -> None:
    for spec in TABLES:
        table = tables[spec.name]
        if table.num_rows:
            names = ", ".join(c.name for c in spec.columns)
            con.register("_batch", table)
            con.execute(f"INSERT INTO {spec.name} ({names}) SELECT {names} FROM _batch")
            con.unregister("_batch")


def _commit(con: duckdb.DuckDBPyConnection, parts: list[dict[str, pa.Table]], superseded: list[int]) -> None:
    con.begin()
    try:
        for tables in parts:
            _insert(con, tables)
        if superseded:
            con.execute("UPDATE reports SET is_current = false WHERE id IN (SELECT unnest(?))", [superseded])
        con.commit()
    except BaseException:
        con.rollback()
        raise


def _duplicates_batch(plan: _Plan, primary_ids: Iterable[int]) -> Batch:
    batch = Batch()
    for primary in primary_ids:
        for duplicate in plan.duplicates.pop(primary, []):
            batch.add(duplicate, None)
    return batch


def _tally(result: IngestResult, reports: pa.Table) -> None:
    for row in reports.select(["path", "status", "error_code", "error", "n_errors"]).to_pylist():
        if row["status"] == "failed":
            result.failed += 1
            result.failures.append((row["path"], row["error_code"], row["error"]))
        elif row["status"] == "parsed":
            result.parsed += 1
            result.with_errors += bool(row["n_errors"])
        else:
            result.duplicate += 1


def _store(con: duckdb.DuckDBPyConnection, plan: _Plan, primaries: list[int], tables: dict[str, pa.Table] | None,
           result: IngestResult) -> None:
    """Commit a parsed chunk (or no tables) with the duplicates of ``primaries`` in one transaction."""
    duplicates = _duplicates_batch(plan, primaries).to_arrow()
    tables = tables or {name: table.slice(0, 0) for name, table in duplicates.items()}
    ids = tables["reports"].column("id").to_pylist() + duplicates["reports"].column("id").to_pylist()
    _commit(con, [tables, duplicates], [plan.supersedes[i] for i in ids if i in plan.supersedes])
    for part in (tables, duplicates):
        _tally(result, part["reports"])


def ingest(paths: Iterable[str | Path], db_path: str | Path, workers: int | None = None,
           settings: CorpusSettings | dict[str, Any] | None = None, progress: Progress | None = None,
           executor: str = "process", scheduler: str | None = None, shard_dir: str | Path | None = None,
           ) -> IngestResult:
    """Add the reports under ``paths`` to the corpus at ``db_path``, then run the cross-report audit.

    ``executor`` is ``process`` (a local process pool of ``workers``) or ``dask`` (the cluster at
    ``scheduler``; workers write Parquet shards to ``shard_dir``, this process merges them).
    """
    options = resolve_corpus(settings)
    how = Execution(executor, workers or os.cpu_count() or 1, scheduler, str(shard_dir or f"{db_path}.shards"))
    started = time.perf_counter()
    inputs = find_inputs(paths)
    con = connect(db_path, memory_limit=options.memory_limit)
    try:
        plan = _plan(hash_inputs(inputs, progress), _Known.load(con))
        result = IngestResult(inputs=len(inputs), skipped=plan.skipped)
        result.new_versions = len(plan.supersedes)
        _store(con, plan, plan.earlier_duplicates(), None, result)
        _ingest_work(con, plan, result, options, progress, how)
        result.corpus_findings = len(audit_connection(con, options, write=True))
        con.execute("CHECKPOINT")
    finally:
        con.close()
    result.seconds = time.perf_counter() - started
    return result


def _ingest_work(con: duckdb.DuckDBPyConnection, plan: _Plan, result: IngestResult, options: CorpusSettings,
                 progress: Progress | None, how: Execution) -> None:
    """Parse the planned inputs chunk by chunk and commit each chunk as it finishes."""
    total, done = len(plan.work), 0
    if progress:
        progress("parsing", 0, total)
    for chunk, tables in run_chunks(list(_chunks(plan, options.batch_size, how.workers)), how):
        _store(con, plan, [p.id for p in chunk], tables, result)
        done += len(chunk)
        if progress:
            progress("parsing", done, total)
