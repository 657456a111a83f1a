"""The server and ``nianbao ingest`` share a database: the server waits briefly for another writer and then
answers 503 in Chinese words without DuckDB's text, a path or a PID; ingest waits with a message (--wait)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web tests need the [web] extra: pip install 'nianbao[web]'")

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from nianbao.cli import app as cli_app
from nianbao.store.db import LOCKED
from nianbao.web import create_app

from .conftest import broken_report

HOLD = ("import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
        "time.sleep(float(sys.argv[2]))")


@contextmanager
def held(db: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process holding ``db`` for writing (as an ingest does) for ``seconds`` at most."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(seconds)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        holder.kill()
        holder.wait()


def _clean(text: str, db: Path) -> None:
    assert LOCKED in text
    for leak in (str(db), "PID", "IO Error", "Conflicting lock", "duckdb"):
        assert leak not in text


def test_pages_say_in_chinese_that_another_program_writes(corpus_db: Path) -> None:
    with TestClient(create_app(corpus_db)) as client, held(corpus_db, 60):
        page = client.get("/", headers={"accept": "text/html"})
        assert page.status_code == 503
        _clean(page.text, corpus_db)
        api = client.get("/api/reports")
        assert api.status_code == 503
        _clean(api.json()["detail"], corpus_db)
        upload = client.post("/api/reports", files={"file": ("r.txt", broken_report(), "text/plain")})
        assert upload.status_code == 503
    with TestClient(create_app(corpus_db)) as client:
        assert client.get("/api/reports").json()["total"] == 6


def test_a_short_write_elsewhere_is_waited_for(corpus_db: Path) -> None:
    with TestClient(create_app(corpus_db)) as client:
        with held(corpus_db, 1.0):
            response = client.get("/api/reports")
        assert response.status_code == 200


def _ingest(db: Path, source: Path, wait: str) -> Any:
    return CliRunner().invoke(cli_app, ["ingest", str(source), "--db", str(db), "--workers", "1", "--wait", wait])


def test_ingest_waits_for_the_database(corpus_db: Path, tmp_path: Path) -> None:
    source = tmp_path / "r.txt"
    source.write_bytes(broken_report())
    with held(corpus_db, 60):
        refused = _ingest(corpus_db, source, "0")
    assert refused.exit_code == 2 and LOCKED in refused.output
    with held(corpus_db, 1.5):
        waited = _ingest(corpus_db, source, "30")
    assert waited.exit_code in (0, 1), waited.output
    assert "最多等待 30 秒" in waited.output
