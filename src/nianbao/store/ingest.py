"""Paths → rows in the DuckDB corpus: find the inputs, hash them, plan what is new, parse in parallel, commit batches.

Idempotent and resumable: an input is known by its path and content hash, and each batch (its reports,
cells, findings, sections, duplicates and superseded versions) is one transaction, so a killed run loses
at most the batches in flight and a second run neither loses nor doubles an input. A long run goes segment by
segment (``SEGMENT_INPUTS`` inputs hashed, planned and stored at a time), so that what it holds in memory does not
grow with the number of inputs.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from ..api import iter_inputs
from ..errors import NianbaoError
from ..settings import Settings, resolve
from .corpus_audit import audit_connection
from .corrections import refresh, stale_reports
from .db import connect
from .executors import Chunk, Execution, end_fork_server, run_chunks
from .rows import Batch, Planned, arrow_on_malloc, arrow_without_pandas
from .settings import CorpusSettings, resolve_corpus
from .tables import STORED
from .tasks import parse_chunk
from .worker import Outcome

_HASH_THREADS = 4
_HASH_PART = 64
_HASH_BUFFER = 1 << 16
_LOOKUP_PART = 5_000
_CHUNKS_PER_WORKER = 2
LOADING_MEMORY = "48MB"
"""DuckDB's memory limit while batches go in: enough for one batch's insert (Arrow sorts it first)."""
TASK_INPUTS = 100
"""Inputs per worker task: few, so that a worker's memory stays small; commits gather tasks up to ``batch_size``."""
RENEW_WAIT_S = 60.0
"""Seconds the connection of a segment waits for a program that took the database between two segments."""
SEGMENT_INPUTS = 25_000
"""Inputs hashed, planned and stored together: a segment is planned against the rows of the segments before it,
which the database holds, so the hashes and plans of one segment at most are in memory."""

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


def _input_paths(paths: Iterable[str | Path]) -> Iterator[str]:
    """Absolute paths (text) of the files named and of report files under the directories named, in path order,
    once each, as they are found (``nianbao.api.iter_inputs`` of the resolved paths)."""
    return iter_inputs(Path(given).resolve() for given in paths)


_buffers = threading.local()


def _hash(path: str) -> tuple[str, str | None, int | None]:
    """(path, sha256, size), read through one reusable buffer per thread (no per-file allocation to fragment the
    heap of a long run)."""
    buffer = getattr(_buffers, "buffer", None)
    if buffer is None:
        buffer = _buffers.buffer = memoryview(bytearray(_HASH_BUFFER))
    digest, size = hashlib.sha256(), 0
    try:
        with open(path, "rb", buffering=0) as handle:
            while read := handle.readinto(buffer):
                digest.update(buffer[:read])
                size += read
    except OSError:
        return path, None, None
    return path, digest.hexdigest(), size


def _hash_part(paths: list[str]) -> list[tuple[str, str | None, int | None]]:
    return [_hash(path) for path in paths]


def hash_inputs(paths: Sequence[str | Path]) -> list[tuple[str, str | None, int | None]]:
    """(path, sha256, size) of each input; unreadable files get no hash (their parse records the error)."""
    names = [str(p) for p in paths]
    parts = [names[start:start + _HASH_PART] for start in range(0, len(names), _HASH_PART)]
    out: list[tuple[str, str | None, int | None]] = []
    with ThreadPoolExecutor(_HASH_THREADS) as pool:
        for hashed in pool.map(_hash_part, parts):
            out += hashed
    return out


@dataclass
class _Known:
    """What the database already holds about the inputs: the current row of each input path, and the stored row
    of each input content (only these are read, so a small ingest into a big corpus stays small)."""

    current: dict[str, tuple[int, str | None, int]]
    content: dict[str, tuple[int, str]]
    next_id: int

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection, hashed: list[tuple[str, str | None, int | None]],
             run_first: int | None = None) -> _Known:
        """What the database holds about ``hashed``; ``run_first`` is the first row id of this run when earlier
        segments of it are stored (the content of an input parsed by this run is known by that row, as the plan
        of a single segment knows it; otherwise by its first stored row)."""
        (top,), = con.execute("SELECT coalesce(max(id), 0) FROM reports").fetchall()
        known = cls({}, {}, top + 1)
        for start in range(0, len(hashed), _LOOKUP_PART):
            known._add(con, hashed[start:start + _LOOKUP_PART], top + 1 if run_first is None else run_first)
        return known

    def _add(self, con: duckdb.DuckDBPyConnection, hashed: list[tuple[str, str | None, int | None]],
             run_first: int) -> None:
        """Look up a part of the inputs (a list parameter costs DuckDB far more than its text: parts keep it small)."""
        self.current.update({p: (i, s, v) for i, p, s, v in con.execute(
            "SELECT id, path, sha256, version FROM reports WHERE is_current AND path IN (SELECT unnest(?::VARCHAR[]))",
            [[h[0] for h in hashed]]).fetchall()})
        self.content.update({s: (i, p) for s, i, p in con.execute(
            "SELECT sha256, coalesce(min(id) FILTER (WHERE id >= $run), min(id)), "
            "coalesce(arg_min(path, id) FILTER (WHERE id >= $run), arg_min(path, id)) FROM reports "
            "WHERE status <> 'duplicate' AND sha256 IN (SELECT unnest($shas::VARCHAR[])) GROUP BY sha256",
            {"run": run_first, "shas": [h[1] for h in hashed if h[1]]}).fetchall()})


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
    """Worker tasks of at most ``TASK_INPUTS`` (and ``batch_size``) inputs, smaller when there are too few inputs to
    keep every worker busy."""
    size = max(1, min(batch_size, TASK_INPUTS, math.ceil(len(plan.work) / (workers * _CHUNKS_PER_WORKER))))
    for start in range(0, len(plan.work), size):
        yield plan.work[start:start + size]


def _insert(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table]) -> None:
    """Each table's rows, sorted by its ``insert_order`` (``_sorted``)."""
    for spec in STORED:
        table = tables[spec.name]
        if table.num_rows:
            names = ", ".join(c.name for c in spec.columns)
            con.register("_batch", _sorted(table, spec.insert_order))
            con.execute(f"INSERT INTO {spec.name} ({names}) SELECT {names} FROM _batch")
            con.unregister("_batch")


def _sorted(table: pa.Table, order: tuple[str, ...]) -> pa.Table:
    """``table`` sorted by the columns ``order``, ascending; a dictionary-encoded column by the rank of each row's
    text (``_ranks``). Arrow sorts the ranks, integers, at a fraction of what DuckDB's ``ORDER BY`` costs on insert
    (texts that share long prefixes, as cell keys do); the sorted copy is one batch's."""
    if not order:
        return table
    keys = {f"_{i}": _sort_key(table.column(name)) for i, name in enumerate(order)}
    indices = pc.sort_indices(pa.table(keys), sort_keys=[(name, "ascending") for name in keys])
    return table.take(indices)


def _sort_key(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """What sorts a column: itself, or the rank of each row's text when it is dictionary-encoded."""
    return _ranks(column) if pa.types.is_dictionary(column.type) else column


def _ranks(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """The rank of each row's text among all the texts of a dictionary-encoded column (whose chunks each have a
    dictionary of their own)."""
    texts = pc.unique(pa.chunked_array([chunk.dictionary for chunk in column.chunks], column.type.value_type))
    texts = texts.take(pc.sort_indices(texts))
    return pa.chunked_array([pc.index_in(chunk.dictionary, value_set=texts).take(chunk.indices)
                             for chunk in column.chunks], pa.int32())


def _merged(parts: list[dict[str, pa.Table]]) -> dict[str, pa.Table]:
    """The rows of several parts as one table each (their chunks, not copied)."""
    return {spec.name: pa.concat_tables([part[spec.name] for part in parts]) for spec in STORED}


def _commit(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table], superseded: list[int]) -> None:
    con.begin()
    try:
        _insert(con, tables)
        if superseded:
            con.execute("UPDATE reports SET is_current = false WHERE id IN (SELECT unnest(?::BIGINT[]))", [superseded])
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


def _store(con: duckdb.DuckDBPyConnection, plan: _Plan, primaries: list[int], parts: list[dict[str, pa.Table]],
           result: IngestResult) -> None:
    """Commit parsed tasks (or none) with the duplicates of ``primaries`` in one transaction."""
    tables = _merged([*parts, _duplicates_batch(plan, primaries).to_arrow()])
    ids = tables["reports"].column("id").to_pylist()
    _commit(con, tables, [plan.supersedes[i] for i in ids if i in plan.supersedes])
    _tally(result, tables["reports"])


def ingest(paths: Iterable[str | Path], db_path: str | Path, workers: int | None = None,
           settings: CorpusSettings | dict[str, Any] | None = None, progress: Progress | None = None,
           executor: str = "process", scheduler: str | None = None, shard_dir: str | Path | None = None,
           parsed: Mapping[str, Outcome] | None = None, wait: float = 0.0,
           waiting: Callable[[], None] | None = None, audit: bool = True,
           parse_settings: Settings | dict[str, Any] | None = None) -> IngestResult:
    """Add the reports under ``paths`` to the corpus at ``db_path``, then run the cross-report audit over what
    the new reports can change (``nianbao.store.scope``).

    ``executor`` is ``process`` (a local process pool of ``workers``) or ``dask`` (the cluster at
    ``scheduler``; workers write Parquet shards to ``shard_dir``, this process merges them). ``parsed`` gives
    outcomes already computed elsewhere, by absolute path: those inputs are stored as they are, not parsed again.
    While another process holds the database, waits up to ``wait`` seconds for it (``waiting`` is told once).
    Without ``audit`` the cross-report audit is left to a later ``audit_connection(..., full=False)``, which
    covers every report stored since the last audit. Every input is read with ``parse_settings``
    (``nianbao.settings``: the reader's limits, tolerances, audit thresholds), on whatever executor. Keeps pyarrow
    from loading pandas into this process for its own conversions (``rows.arrow_without_pandas``).
    """
    options = resolve_corpus(settings)
    arrow_without_pandas()
    arrow_on_malloc()
    how = Execution(executor, workers or os.cpu_count() or 1, scheduler, str(shard_dir or f"{db_path}.shards"),
                    resolve(parse_settings))
    started = time.perf_counter()
    given = list(paths)
    count = sum(1 for _ in _input_paths(given))  # for the progress totals: listing twice costs less than holding it
    loading = _Loading(db_path, _loading_limit(options.memory_limit), wait, waiting)
    try:
        result = IngestResult()
        try:
            con = _ingest_segments(loading, _input_paths(given), result, options, _Counts(count, progress), how,
                                   parsed)
        finally:
            end_fork_server()
        con = loading.finish(options.memory_limit)
        refresh(con, stale_reports(con), cross=False, settings=how.settings)
        if audit:
            audit_connection(con, options, write=True, full=False, keep=False)
            result.corpus_findings = _stored_corpus_findings(con)
        con.execute("CHECKPOINT")
    finally:
        loading.close()
    result.seconds = time.perf_counter() - started
    return result


def _bytes(limit: str) -> float:
    """Bytes of a memory limit as the settings spell it (``128MB``, ``1.5 GiB``)."""
    found = re.fullmatch(r"\s*([\d.]+)\s*([KMGT])(i?)B\s*", limit)
    if found is None:
        raise NianbaoError(limit, "bad_option", "a memory limit reads like 128MB or 1GiB")
    number, unit, binary = found.groups()
    return float(number) * (1024 if binary else 1000) ** (1 + "KMGT".index(unit))


def _loading_limit(limit: str) -> str:
    """The memory limit while batches are inserted: ``memory_limit``, at most ``LOADING_MEMORY`` (inserts need
    little; more would only let DuckDB cache blocks of a corpus that keeps growing)."""
    return limit if _bytes(limit) <= _bytes(LOADING_MEMORY) else LOADING_MEMORY


def _stored_corpus_findings(con: duckdb.DuckDBPyConnection) -> int:
    (count,), = con.execute("SELECT count(*) FROM findings WHERE scope = 'corpus'").fetchall()
    return int(count)


def _ingest_segments(loading: _Loading, inputs: Iterator[str], result: IngestResult, options: CorpusSettings,
                     counts: _Counts, how: Execution, parsed: Mapping[str, Outcome] | None
                     ) -> duckdb.DuckDBPyConnection:
    """Hash, plan and store the inputs ``SEGMENT_INPUTS`` at a time (one segment, empty, when there are none):
    each segment's plan sees the rows the segments before it stored, and each segment after the first has a
    connection of its own (``_Loading``). The next segment is hashed while this one is parsed (hashing needs
    only the files), so the workers do not wait for it. Returns the connection of the last segment."""
    run_first: int | None = None
    con = loading.connection()
    with ThreadPoolExecutor(1) as ahead:
        hashing = ahead.submit(_next_hashed, inputs)
        while True:
            hashed = hashing.result()
            if not hashed and run_first is not None:
                return con
            if len(hashed) == SEGMENT_INPUTS:
                hashing = ahead.submit(_next_hashed, inputs)
            counts.hashed_segment(len(hashed))
            result.inputs += len(hashed)
            plan = _plan(hashed, _Known.load(con, hashed, run_first))
            run_first = plan.first_id if run_first is None else run_first
            counts.planned(len(hashed), len(plan.work))
            result.skipped += plan.skipped
            result.new_versions += len(plan.supersedes)
            _store(con, plan, plan.earlier_duplicates(), [], result)
            _ingest_work(con, plan, result, options, counts, how, parsed)
            if len(hashed) < SEGMENT_INPUTS:
                return con
            con = loading.renewed()


def _next_hashed(inputs: Iterator[str]) -> list[tuple[str, str | None, int | None]]:
    """The next ``SEGMENT_INPUTS`` inputs, hashed."""
    return hash_inputs(list(itertools.islice(inputs, SEGMENT_INPUTS)))


@dataclass
class _Loading:
    """The writing connection of an ingest: one DuckDB thread (while the workers parse, a second thread only costs
    the inserts more CPU) and ``memory_limit`` while batches go in (``finish`` gives it the audit's). ``renewed``
    closes it and opens another, as an ingest does after each segment: DuckDB holds what it knows of every row
    group a connection appended (about 0.13 MB for each batch of 500 reports) until the connection closes, so
    that the memory of a long run would grow with it. Between the two, another program may take the database for
    a moment (a server reading a page): the new connection waits up to ``RENEW_WAIT_S`` seconds for it, or as long
    as the run's ``wait``."""

    path: str | Path
    memory_limit: str
    wait: float
    waiting: Callable[[], None] | None
    con: duckdb.DuckDBPyConnection | None = None

    def connection(self) -> duckdb.DuckDBPyConnection:
        """The open connection (opened on first use)."""
        if self.con is None:
            self.con = connect(self.path, memory_limit=self.memory_limit, wait=self.wait, waiting=self.waiting)
            self.wait = max(self.wait, RENEW_WAIT_S)
            self.con.execute("SET threads = 1")
        return self.con

    def finish(self, memory_limit: str) -> duckdb.DuckDBPyConnection:
        """A fresh connection with ``memory_limit`` for what follows the loading (the loading one holds what it
        knew of the row groups its segment appended). It keeps one thread: in the audit of a large corpus, the hash
        tables of a second thread could take DuckDB past the limit."""
        self.memory_limit = memory_limit
        return self.renewed()

    def renewed(self) -> duckdb.DuckDBPyConnection:
        """A fresh connection in place of the open one."""
        self.close()
        return self.connection()

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None


def _ingest_work(con: duckdb.DuckDBPyConnection, plan: _Plan, result: IngestResult, options: CorpusSettings,
                 done: _Counts, how: Execution, parsed: Mapping[str, Outcome] | None = None) -> None:
    """Parse the planned inputs task by task (here when their outcomes are given), and commit the finished tasks
    whenever they hold ``batch_size`` inputs (and at the end); ``done`` counts each commit."""
    waiting: list[tuple[Chunk, dict[str, pa.Table]]] = []
    chunks = list(_chunks(plan, options.batch_size, how.workers))
    running = ((chunk, parse_chunk(chunk, parsed, how.settings)) for chunk in chunks) if parsed \
        else run_chunks(chunks, how, ahead=options.batch_size)
    for finished in running:
        waiting.append(finished)
        if sum(len(chunk) for chunk, _ in waiting) >= options.batch_size:
            _store_waiting(con, plan, waiting, result, done)
            waiting = []
    if waiting:
        _store_waiting(con, plan, waiting, result, done)


@dataclass
class _Counts:
    """A run's progress over its segments, reported to ``progress``: inputs hashed (stage ``hashing``), and planned
    inputs committed (stage ``parsing``) of those planned so far plus the inputs of the segments not yet hashed."""

    inputs: int
    progress: Progress | None
    hashed: int = 0
    work: int = 0
    committed: int = 0

    def hashed_segment(self, inputs: int) -> None:
        """Report a segment of ``inputs`` hashed, counted over the run."""
        if self.progress:
            self.progress("hashing", self.hashed + inputs, self.inputs)

    def planned(self, inputs: int, work: int) -> None:
        """A segment of ``inputs`` hashed, of which ``work`` are to be parsed."""
        self.hashed += inputs
        self.work += work
        self.add(0)

    def add(self, inputs: int) -> None:
        """Count ``inputs`` more as committed."""
        self.committed += inputs
        if self.progress:
            self.progress("parsing", self.committed, self.work + self.inputs - self.hashed)


def _store_waiting(con: duckdb.DuckDBPyConnection, plan: _Plan, waiting: list[tuple[Chunk, dict[str, pa.Table]]],
                   result: IngestResult, done: _Counts) -> None:
    chunks = [chunk for chunk, _ in waiting]
    _store(con, plan, [p.id for chunk in chunks for p in chunk], [tables for _, tables in waiting], result)
    done.add(sum(map(len, chunks)))
