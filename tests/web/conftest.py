"""Fixtures of the web tests: a small ingested corpus, a report with a broken identity, and an app client."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nianbao.render import render
from nianbao.render.text import render_text
from nianbao.store import ingest
from nianbao.synth import consistent_report, panel, unit_names

YEARS = (2022, 2023)
BROKEN_KEY = "t3.new_received.total"
BROKEN_RAW = "999"
AGENCY = "青石县人民政府办公室"
NARRATIVE = "全年主动公开政府信息<script>alert(1)</script>，规范办理<b>依申请公开</b>。"


def write_panel(directory: Path, units: int, years: tuple[int, ...], seed: int) -> Path:
    """Render the synthetic reports of ``units`` units for ``years`` (with their faults) into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    for report in panel(unit_names(units, seed=seed), years, seed):
        (directory / f"{report.meta.agency}{report.meta.year}.txt").write_text(render_text(report), encoding="utf-8")
    return directory


@pytest.fixture(scope="session")
def corpus_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus of three units × two years of rendered reports, ingested once per test session."""
    directory = tmp_path_factory.mktemp("template")
    ingest([write_panel(directory / "reports", 3, YEARS, seed=5)], directory / "corpus.duckdb", workers=1)
    return directory / "corpus.duckdb"


@pytest.fixture
def corpus_db(corpus_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the small corpus for one test."""
    return Path(shutil.copy(corpus_template, tmp_path / "corpus.duckdb"))


def broken_report(fmt: str = "txt", narrative: str | None = None) -> bytes:
    """A consistent 2021 report whose 表三 new-applications total was changed to 999: T3.balance breaks."""
    report = consistent_report("2021", seed=3, agency=AGENCY, year=2023)
    cell = report.cell(BROKEN_KEY)
    assert cell is not None
    cell.raw, cell.value = BROKEN_RAW, int(BROKEN_RAW)
    if narrative is not None:
        report.sections["overview"] = narrative
    return bytes(render(report, fmt))


@pytest.fixture
def client(corpus_db: Path) -> Iterator[Any]:
    """A TestClient of the app over ``corpus_db``."""
    from fastapi.testclient import TestClient

    from nianbao.web import create_app

    with TestClient(create_app(corpus_db)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def shared(corpus_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, int]]:
    """A client over a copy of the small corpus plus one uploaded broken report (with markup in its narrative),
    shared by the tests of a module that only read; and the uploaded report's id."""
    from fastapi.testclient import TestClient

    from nianbao.web import create_app

    db = Path(shutil.copy(corpus_template, tmp_path_factory.mktemp("shared") / "corpus.duckdb"))
    with TestClient(create_app(db)) as test_client:
        data = broken_report(narrative=NARRATIVE)
        response = test_client.post("/api/reports", files={"file": ("青石县2023.txt", data, "text/plain")})
        assert response.status_code == 201, response.text
        yield test_client, int(response.json()["id"])
