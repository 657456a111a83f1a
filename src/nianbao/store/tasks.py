"""Planned inputs → one batch of corpus rows (Arrow tables, or Parquet shards on a cluster): the tasks executors run.

Pure functions of their arguments apart from reading the inputs (and, for shards, writing them).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..settings import Settings
from .rows import Batch, Planned, arrow_on_malloc
from .worker import Outcome, read_input


def parse_chunk(plans: list[Planned], outcomes: Mapping[str, Outcome] | None = None,
                settings: Settings | None = None) -> dict[str, pa.Table]:
    """Parse each planned input with ``settings`` (unless its outcome is given, by path); the rows of all of
    them, one Arrow table per corpus table."""
    batch = Batch()
    given = outcomes or {}
    for plan in plans:
        found = given.get(plan.path)
        batch.add(plan, found if found is not None else read_input(plan.path, settings=settings))
    return batch.to_arrow()


def write_shards(plans: list[Planned], shard_dir: str, settings: Settings | None = None) -> dict[str, str]:
    """Parse a chunk on a cluster worker and write one Parquet shard per table; their paths by table."""
    arrow_on_malloc()
    directory = Path(shard_dir)
    directory.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, table in parse_chunk(plans, settings=settings).items():
        path = directory / f"{name}-{plans[0].id:012d}.parquet"
        pq.write_table(table, path)
        paths[name] = str(path)
    return paths
