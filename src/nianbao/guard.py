"""Path → Report or NianbaoError, within a time and memory budget: what batch commands call (``parse_each`` for
many paths) so that one bad input ends as a clear error and the batch goes on.

Never raises anything but NianbaoError; does not decide what a report is (see api).
"""

from __future__ import annotations

import resource
import signal
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from .api import Parsed, find_inputs, parse_file
from .errors import NianbaoError
from .report import Report
from .settings import Settings, resolve


class TimedOut(BaseException):
    """Raised inside a ``time_limit`` block when its time is up; a BaseException (as KeyboardInterrupt), so that
    a reader's ``except Exception`` around a library call cannot turn it into a format error."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimedOut inside the block after ``seconds`` (main thread only; elsewhere no limit)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimedOut

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def limit_memory(max_bytes: int) -> None:
    """Cap this process's address space (call in a worker process, not in a shared one)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = max_bytes if hard == resource.RLIM_INFINITY else min(max_bytes, hard)
    if soft == resource.RLIM_INFINITY or soft > cap:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def guarded_parse(path: str | Path, settings: Settings | dict[str, object] | None = None) -> Report:
    """``nianbao.parse`` that turns a timeout, exhausted memory or any unexpected failure into a NianbaoError."""
    return guarded_parse_file(path, settings).report


def guarded_parse_file(path: str | Path, settings: Settings | dict[str, object] | None = None,
                       data: bytes | None = None) -> Parsed:
    """``nianbao.api.parse_file`` that turns a timeout, exhausted memory or any unexpected failure into a
    NianbaoError."""
    options = resolve(settings)
    name = str(path)
    try:
        with time_limit(options.reader.timeout_seconds):
            return parse_file(path, options, data)
    except NianbaoError:
        raise
    except TimedOut:
        raise NianbaoError(name, "timeout", f"reading took longer than {options.reader.timeout_seconds:g} s "
                                            "(setting reader.timeout_seconds)") from None
    except MemoryError:
        raise NianbaoError(name, "memory", "reading needed more memory than allowed "
                                           "(setting reader.max_memory_bytes)") from None
    except RecursionError:
        raise NianbaoError(name, "too_deep", "the file is nested too deeply to read") from None
    except Exception as exc:  # the batch goes on; the error names the file and the cause
        raise NianbaoError(name, "internal", f"could not be read ({type(exc).__name__}: {exc})") from None


def parse_each(paths: Iterable[str | Path], settings: Settings | dict[str, object] | None = None
               ) -> Iterator[Report | NianbaoError]:
    """Each report file named, or found under a directory named (``api.find_inputs``), parsed within the budget of
    ``settings``, in order: its Report, or the NianbaoError of an input that could not be read (a path that does
    not exist included); one bad input never stops the batch."""
    options = resolve(settings)
    for given in paths:
        try:
            found = find_inputs([given])
        except NianbaoError as err:
            yield err
            continue
        for path in found:
            try:
                yield guarded_parse(path, options)
            except NianbaoError as err:
                yield err
