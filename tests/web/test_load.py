"""The web server under concurrent uploads from several clients on loopback: it keeps answering and every
upload is stored once. Bounded in count and time; traffic goes to 127.0.0.1 only."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb

from nianbao.render import render
from nianbao.synth import consistent_report

from .test_browser import pytestmark as browser_mark  # same requirements: fastapi and uvicorn
from .test_browser import serving

pytestmark = browser_mark
CLIENTS = 4
UPLOADS_PER_CLIENT = 4
DEADLINE_SECONDS = 240


def _report(seed: int) -> bytes:
    return bytes(render(consistent_report("2021", seed, agency=f"负载测试第{seed}街道办事处", year=2023), "txt"))


def _upload(base: str, name: str, data: bytes) -> int:
    import httpx2

    response = httpx2.post(f"{base}/api/reports", files={"file": (name, data, "text/plain")},
                           headers={"Origin": base}, timeout=DEADLINE_SECONDS)
    return response.status_code


def _still_answers(base: str) -> bool:
    import httpx2

    return httpx2.get(f"{base}/api/reports", timeout=30).status_code == 200


def test_concurrent_uploads_are_each_stored_once(tmp_path: Path) -> None:
    distinct = CLIENTS * UPLOADS_PER_CLIENT // 2
    payloads = [_report(seed % distinct) for seed in range(CLIENTS * UPLOADS_PER_CLIENT)]
    started = time.monotonic()
    with serving(tmp_path / "load.duckdb") as base, ThreadPoolExecutor(CLIENTS + 1) as pool:
        uploads = [pool.submit(_upload, base, f"r{i}.txt", data) for i, data in enumerate(payloads)]
        probes = [pool.submit(_still_answers, base) for _ in range(CLIENTS)]
        statuses = [u.result(timeout=DEADLINE_SECONDS) for u in uploads]
        answered = [p.result(timeout=DEADLINE_SECONDS) for p in probes]
    assert time.monotonic() - started < DEADLINE_SECONDS
    assert all(status in (200, 201) for status in statuses), statuses
    assert all(answered)
    stored = duckdb.connect(str(tmp_path / "load.duckdb"), read_only=True).execute(
        "SELECT sha256, count(*) FROM reports GROUP BY sha256").fetchall()
    assert len(stored) == distinct and all(count == 1 for _, count in stored)



def test_pages_answer_while_workers_parse_and_draw_hostile_files(tmp_path: Path) -> None:
    from .hostile import busy_morning

    run = busy_morning(tmp_path / "load.duckdb", serving)
    assert all(code == 200 for _, code, _, _ in run.answers), run.answers
    assert any(done < run.parse_done for _, _, _, done in run.answers), "no page answered while the parse ran"
    assert all(code == 200 for code in run.images) and run.bomb_status in (201, 422)
    assert all(code in (200, 201) for code in run.uploads), run.uploads
    stored = duckdb.connect(str(tmp_path / "load.duckdb"), read_only=True).execute(
        "SELECT sha256, count(*) FROM reports GROUP BY sha256").fetchall()
    assert len(stored) == run.distinct and all(count == 1 for _, count in stored)
