"""Import → a forkserver ready to fork ingest workers: the parsing code and Arrow's compute functions loaded, the
division index built, pyarrow told that it needs no pandas (``rows.arrow_without_pandas``) and to allocate with malloc
(``rows.arrow_on_malloc``), and the heap frozen, so the workers forked from it share these pages instead of each
building its own copy.

Named in the process pool's forkserver preload list (``executors``); importing it anywhere else only costs
the time to read the division tables.
"""

from __future__ import annotations

import atexit
import gc

import pyarrow.compute  # noqa: F401  (loaded by a batch's first dictionary_encode and take: once, here, for all)

from ..regions import load_divisions
from .rows import arrow_on_malloc, arrow_without_pandas
from .tasks import parse_chunk, write_shards

__all__ = ["parse_chunk", "write_shards"]

load_divisions()
arrow_without_pandas()
arrow_on_malloc()
gc.freeze()
atexit.register(gc.unfreeze)  # so that the objects are released as usual when the forkserver ends
