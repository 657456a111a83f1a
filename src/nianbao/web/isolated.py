"""A function and its arguments → its result, computed in a fresh worker process under a memory cap and a time
limit, with a bounded number running at once: how the server reads untrusted files (parsing an upload, drawing a
page) without letting one of them take the server's memory, time or life.

A worker that crashes, runs out of memory or out of time ends as a NianbaoError; the server goes on. Workers are
forked from the preloaded forkserver of the batch path (``store.warm``), so one costs milliseconds to start, and run
at a lower CPU priority than the server, so that pages keep answering on a machine whose cores the workers fill.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from ..errors import NianbaoError
from ..guard import TimedOut, limit_memory, time_limit

T = TypeVar("T")
GRACE_SECONDS = 5.0
"""Time a worker gets beyond its own limit (it stops itself first) before the server ends it."""
NICENESS = 10
"""How much lower a worker's CPU priority is than the server's (Unix niceness added in the worker)."""
_PRELOAD = ["nianbao.store.warm"]


@dataclass
class Workers:
    """At most ``slots`` workers at once, each capped at ``max_memory`` bytes and ``seconds`` of time; a caller
    waits at most ``wait_seconds`` for a free slot (then the work is refused as busy)."""

    name: str
    slots: int
    max_memory: int
    seconds: float
    wait_seconds: float
    _free: threading.BoundedSemaphore = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._free = threading.BoundedSemaphore(self.slots)

    def run(self, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)`` in a worker process; NianbaoError when it fails, crashes, overruns or waits too long."""
        if not self._free.acquire(timeout=self.wait_seconds):
            raise NianbaoError(self.name, "busy", "too many at once; try again shortly")
        try:
            return _in_worker(self, function, args)
        finally:
            self._free.release()


def _in_worker(workers: Workers, function: Callable[..., T], args: tuple[Any, ...]) -> T:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_work, args=(sending, workers.max_memory, workers.seconds, function, args),
                              daemon=True)
    process.start()
    sending.close()
    try:
        if not receiving.poll(workers.seconds + GRACE_SECONDS):
            raise NianbaoError(workers.name, "timeout", f"took longer than {workers.seconds:g} s")
        try:
            ok, value = receiving.recv()
        except (EOFError, OSError):
            raise NianbaoError(workers.name, "crashed", "the worker process stopped (crash or out of memory)") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiving.close()
    if not ok:
        raise NianbaoError(workers.name, *value)
    result: T = value
    return result


def _work(sending: Connection, max_memory: int, seconds: float, function: Callable[..., Any],
          args: tuple[Any, ...]) -> None:
    """In the worker: lower its priority, cap memory and time, run, send (True, result) or (False, (code, reason))."""
    os.nice(NICENESS)
    limit_memory(max_memory)
    try:
        with time_limit(seconds):
            outcome: tuple[bool, Any] = (True, function(*args))
    except NianbaoError as err:
        outcome = (False, (err.code, err.reason))
    except TimedOut:
        outcome = (False, ("timeout", f"took longer than {seconds:g} s"))
    except MemoryError:
        outcome = (False, ("memory", "needed more memory than allowed"))
    except Exception as exc:  # whatever went wrong ends as this work's error, not the server's
        outcome = (False, ("internal", type(exc).__name__))
    sending.send(outcome)
    sending.close()
