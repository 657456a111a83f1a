"""Cluster runs: Dask workers parse and write Parquet shards, this process merges them into DuckDB."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.store import ingest, query

distributed = pytest.importorskip("distributed", reason="the dask executor needs 'nianbao[dask]' (dask.distributed)")


def test_a_dask_run_stores_what_a_local_run_stores(corpus_dir: Path, tmp_path: Path) -> None:
    local_db, dask_db, shards = tmp_path / "local.duckdb", tmp_path / "dask.duckdb", tmp_path / "shards"
    ingest([corpus_dir], local_db, workers=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        result = ingest([corpus_dir], dask_db, executor="dask", scheduler=cluster.scheduler_address,
                        shard_dir=shards, settings={"batch_size": 2})
    assert (result.inputs, result.parsed) == (6, 6)
    sql = "SELECT path, status, agency, year, region_code FROM reports ORDER BY path"
    assert query(dask_db, sql) == query(local_db, sql)
    cells = "SELECT r.path, c.key, c.raw FROM cells c JOIN reports r ON r.id = c.report_id ORDER BY 1, 2"
    assert query(dask_db, cells) == query(local_db, cells)
    assert not shards.exists() or not any(shards.iterdir())


def test_the_dask_executor_needs_a_scheduler(corpus_dir: Path, tmp_path: Path) -> None:
    from nianbao.errors import NianbaoError

    with pytest.raises(NianbaoError) as caught:
        ingest([corpus_dir], tmp_path / "c.duckdb", executor="dask")
    assert caught.value.code == "bad_option"
