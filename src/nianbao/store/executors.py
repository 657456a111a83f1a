"""Chunks of planned inputs → their batch tables as they finish, on a local process pool or a Dask cluster.

Decides nothing about what to parse or store (ingest does); isolates an input that crashes a worker.
"""

from __future__ import annotations

import math
import multiprocessing
import multiprocessing.forkserver
import os
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import NianbaoError
from ..guard import limit_memory
from ..options import EXECUTORS
from ..settings import DEFAULTS, Settings
from .rows import Batch, Planned
from .tasks import parse_chunk, write_shards
from .worker import failed_outcome

Chunk = list[Planned]
Done = tuple[Chunk, dict[str, pa.Table]]
_IN_FLIGHT_PER_WORKER = 2
_PARENT_CHECK_S = 1.0
_MAX_BROKEN_POOLS = 3
TASKS_PER_WORKER = 20
"""Tasks a worker process runs before a fresh one (forked from the preloaded forkserver in milliseconds) takes
its place: whatever the parsing code caches per process stays bounded however long the run."""


@dataclass(frozen=True)
class Execution:
    """Where and how chunks run: a local ``process`` pool of ``workers`` (this process when 1), or ``dask`` at
    ``scheduler``, whose workers write Parquet shards to ``shard_dir``; every input is read with ``settings``
    (its limits, tolerances and thresholds)."""

    executor: str = "process"
    workers: int = 1
    scheduler: str | None = None
    shard_dir: str = ""
    settings: Settings = DEFAULTS

    def __post_init__(self) -> None:
        if self.executor not in EXECUTORS:
            raise NianbaoError("--executor", "bad_option",
                               f"unknown executor {self.executor!r}; use {' or '.join(EXECUTORS)}")
        if self.executor == "dask" and not self.scheduler:
            raise NianbaoError("--scheduler", "bad_option", "the dask executor needs the scheduler's address")


def run_chunks(chunks: list[Chunk], how: Execution, ahead: int = 0) -> Iterator[Done]:
    """Each chunk with its tables, in the order they finish. Besides ``_IN_FLIGHT_PER_WORKER`` chunks per worker,
    chunks of ``ahead`` more inputs are handed out, so that the workers keep parsing while the caller stores that
    many inputs between two chunks it takes (a commit)."""
    if how.executor == "dask":
        yield from _dask(chunks, how, ahead)
    elif how.workers <= 1:
        yield from ((chunk, parse_chunk(chunk, settings=how.settings)) for chunk in chunks)
    else:
        yield from _local(chunks, how, ahead)


def _window(queue: deque[Chunk], workers: int, ahead: int) -> int:
    """Chunks handed out at a time: ``_IN_FLIGHT_PER_WORKER`` per worker, and enough to hold ``ahead`` inputs."""
    size = len(queue[0]) if queue else 1
    return workers * _IN_FLIGHT_PER_WORKER + math.ceil(ahead / size)


def _crashed(plan: Planned) -> dict[str, pa.Table]:
    batch = Batch()
    batch.add(plan, failed_outcome(plan.path, plan.sha256, None, "crashed",
                                   "reading this file stopped the worker process (crash or out of memory)"))
    return batch.to_arrow()


def _local(chunks: list[Chunk], how: Execution, ahead: int) -> Iterator[Done]:
    """On a process pool. A chunk whose worker died is retried one input at a time, and a lone input that
    kills its worker again is recorded as failed — once some input has been parsed: pools that keep dying
    before any was mean a broken setup (a script without ``if __name__ == "__main__":``), which stops the run."""
    queue, passes, parsed = deque(chunks), 0, 0
    while queue:
        broken: list[Chunk] = []
        for done in _pool_pass(queue, how, broken, ahead):
            parsed += 1
            yield done
        passes += 1
        if broken and not parsed and passes >= _MAX_BROKEN_POOLS:
            raise NianbaoError("<workers>", "crashed", "worker processes die before parsing any input; when "
                               "calling nianbao.store.ingest from a script, guard it with "
                               "if __name__ == '__main__':")
        for chunk in reversed(broken):
            if len(chunk) > 1:
                queue.extendleft([p] for p in reversed(chunk))
            elif parsed:
                yield chunk, _crashed(chunk[0])
            else:
                queue.appendleft(chunk)


def end_fork_server() -> None:
    """End the fork server once every chunk of a run is parsed (the pools of its later chunks fork their workers
    from it, preloaded, in milliseconds): it holds the preloaded parsing code (about 75 MB) that the corpus audit
    after parsing has no use for, and would otherwise live as long as this process. The next pool starts a fresh
    one. Python has no public call for this; without the private one the server stays."""
    stop = getattr(multiprocessing.forkserver._forkserver, "_stop", None)
    if callable(stop):
        stop()


def _worker_start(parent: int, max_memory: int) -> None:
    """Pool initializer: cap the worker's memory (``reader.max_memory_bytes``), and end the worker once the
    ingesting process is gone, so a killed run leaves no orphans (pool workers otherwise wait on their task
    queue forever, and keep the fork server alive)."""
    limit_memory(max_memory)

    def watch() -> None:
        while True:
            time.sleep(_PARENT_CHECK_S)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _pool_pass(queue: deque[Chunk], how: Execution, broken: list[Chunk], ahead: int) -> Iterator[Done]:
    """Run chunks from ``queue`` on one pool until it is empty or the pool broke (its chunks go to ``broken``)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["nianbao.store.warm"])
    workers = how.workers
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start,
                               initargs=(os.getpid(), how.settings.reader.max_memory_bytes),
                               max_tasks_per_child=TASKS_PER_WORKER)
    pending: dict[Future[dict[str, pa.Table]], Chunk] = {}
    window = _window(queue, workers, ahead)

    def submit() -> None:
        while queue and len(pending) < window and not broken:
            chunk = queue.popleft()
            pending[pool.submit(parse_chunk, chunk, None, how.settings)] = chunk

    try:
        submit()
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            done = []
            for future in finished:
                chunk = pending.pop(future)
                try:
                    done.append((chunk, future.result()))
                except BrokenProcessPool:
                    broken.append(chunk)
            submit()  # before the caller stores what finished, so that the workers keep parsing meanwhile
            yield from done
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _dask(chunks: list[Chunk], how: Execution, ahead: int) -> Iterator[Done]:
    """On the Dask cluster at ``how.scheduler``: workers write Parquet shards, this process reads and removes them.
    At most ``_window`` chunks are submitted at a time, so that neither the scheduler nor the shard directory holds
    more than that however many chunks the run has."""
    scheduler = str(how.scheduler)
    try:
        from distributed import Client, as_completed
    except ModuleNotFoundError:
        raise NianbaoError(scheduler, "missing_dependency",
                           "the dask executor needs the package 'distributed': pip install 'nianbao[dask]'") from None
    directory = Path(how.shard_dir)
    for stale in directory.glob("*.parquet"):
        stale.unlink()
    queue = deque(chunks)
    with Client(scheduler) as client:
        window = _window(queue, max(1, len(client.scheduler_info()["workers"])), ahead)
        pending: dict[object, Chunk] = {}  # distributed futures
        finished = as_completed()

        def submit() -> None:
            chunk = queue.popleft()
            future = client.submit(write_shards, chunk, str(directory), how.settings, pure=False)
            pending[future] = chunk
            finished.add(future)

        while queue and len(pending) < window:
            submit()
        for future in finished:
            paths = future.result()
            chunk = pending.pop(future)
            if queue:
                submit()
            yield chunk, {name: pq.read_table(path) for name, path in paths.items()}
            for path in paths.values():
                Path(path).unlink()
    if directory.exists() and not any(directory.iterdir()):
        directory.rmdir()
