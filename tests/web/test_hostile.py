"""One hostile file cannot take the server down: a PDF with huge pages is drawn within a pixel budget (under a
memory cap), page images are cached and a bounded number drawn at once (by workers of lower CPU priority than the
server), and an upload that overruns the reader's time or memory limits ends as a failed upload while pages keep
answering."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from nianbao.errors import NianbaoError
from nianbao.synth import consistent_report
from nianbao.web.evidence import PAGE_MAX_PIXELS
from nianbao.web.isolated import NICENESS, Workers

from .hostile import huge_page_pdf, inflated_docx

pytest.importorskip("fastapi", reason="the web tests need the [web] extra: pip install 'nianbao[web]'")
MEMORY_CAP = 1 << 30
PAGES_DURING_PARSE = 2
KEY = "t3.new_received.total"


def _report() -> Any:
    return consistent_report("2021", seed=3, agency="青石县人民政府办公室", year=2023)


def test_a_huge_page_is_drawn_within_a_memory_cap(tmp_path: Path) -> None:
    pdf = tmp_path / "huge.pdf"
    pdf.write_bytes(huge_page_pdf(_report()))
    code = textwrap.dedent(f"""
        import io, resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_CAP}, {MEMORY_CAP}))
        from PIL import Image
        from nianbao.web.evidence import page_png
        data = open(sys.argv[1], "rb").read()
        for band in (False, True):
            image = Image.open(io.BytesIO(page_png(data, "pdf", {{"page": 1, "bbox": [7000, 500, 7400, 520]}}, band)))
            print(image.width, image.height)
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", code, str(pdf)], capture_output=True, text=True, env=env,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    sizes = [tuple(map(int, line.split())) for line in done.stdout.split("\n") if line]
    assert len(sizes) == 2 and all(w * h <= PAGE_MAX_PIXELS for w, h in sizes)
    assert sizes[1][0] < sizes[0][0]


def test_page_images_of_a_huge_page_are_budgeted_and_cached(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    body = client.post("/api/reports", files={"file": ("huge.pdf", huge_page_pdf(_report()), "application/pdf")}).json()
    url = f"/reports/{body['id']}/cells/{KEY}/page.png"
    drawn = {}
    for full in (0, 1):
        response = client.get(url, params={"full": full})
        assert response.status_code == 200 and response.headers["content-type"] == "image/png"
        image = Image.open(io.BytesIO(response.content))
        assert image.width * image.height <= PAGE_MAX_PIXELS
        drawn[full] = response.content

    def refuse(*args: Any) -> None:
        raise AssertionError("drawn again")

    monkeypatch.setattr(Workers, "run", refuse)
    assert client.get(url, params={"full": 1}).content == drawn[1]


def _sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def _allocate(size: int) -> int:
    return len(bytearray(size))


def test_workers_bound_their_number_time_and_memory() -> None:
    workers = Workers("测试", 1, 3 << 30, 2.0, 0.2)
    slow = threading.Thread(target=workers.run, args=(_sleep, 1.5))
    slow.start()
    time.sleep(0.5)
    with pytest.raises(NianbaoError) as busy:
        workers.run(_sleep, 0)
    slow.join()
    assert busy.value.code == "busy"
    assert workers.run(_sleep, 0.1) == 0.1
    assert workers.run(os.nice, 0) == min(19, os.nice(0) + NICENESS)  # the server's pages go first
    with pytest.raises(NianbaoError) as late:
        workers.run(_sleep, 10)
    assert late.value.code == "timeout"
    with pytest.raises(NianbaoError) as greedy:
        workers.run(_allocate, 4 << 30)
    assert greedy.value.code == "memory"
    with pytest.raises(NianbaoError) as dead:
        workers.run(os._exit, 3)
    assert dead.value.code == "crashed"


def _answers_fast(client: Any, stop: threading.Event, times: list[float]) -> None:
    while not stop.is_set():
        started = time.monotonic()
        assert client.get("/", headers={"accept": "text/html"}).status_code == 200
        times.append(time.monotonic() - started)
        stop.wait(0.05)


def test_an_upload_overrunning_the_reader_time_fails_alone(corpus_db: Path) -> None:
    from fastapi.testclient import TestClient

    from nianbao.web import create_app

    bomb = inflated_docx(_report(), 200 << 20)
    times: list[float] = []
    stop = threading.Event()
    with TestClient(create_app(corpus_db, {"reader": {"timeout_seconds": 1.0}})) as client:
        watcher = threading.Thread(target=_answers_fast, args=(client, stop, times))
        watcher.start()
        try:
            response = client.post("/api/reports", files={"file": ("bomb.docx", bomb, "application/octet-stream")})
        finally:
            stop.set()
            watcher.join()
        assert response.status_code == 422, response.text
        assert response.json()["error_code"] == "timeout"
        assert client.get(f"/api/reports/{response.json()['id']}").json()["status"] == "failed"
    assert len(times) >= PAGES_DURING_PARSE, times  # pages kept answering while the worker parsed


def _die(path: str, data: bytes | None, settings: object) -> None:
    os._exit(1)


def test_a_worker_that_dies_is_a_failed_upload(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from nianbao.render import render

    monkeypatch.setattr("nianbao.web.uploads.read_input", _die)
    response = client.post("/api/reports", files={"file": ("r.txt", bytes(render(_report(), "txt")), "text/plain")})
    assert response.status_code == 422 and response.json()["error_code"] == "crashed"
    assert client.get("/", headers={"accept": "text/html"}).status_code == 200
