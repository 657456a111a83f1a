"""Fixtures of the corpus-store tests: small corpora of rendered reports, and a CLI app with the store commands."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
import typer

from nianbao.cli_store import register
from nianbao.render.text import render_text
from nianbao.report import Report
from nianbao.synth import YEARS as ALL_YEARS
from nianbao.synth import panel, unit_names

YEARS = (2022, 2023)


def write_reports(directory: Path, reports: Iterable[Report], style: str = "tabs") -> list[Path]:
    """Render each report as text into ``directory``, named after its agency and year."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for report in reports:
        path = directory / f"{report.meta.agency}{report.meta.year}.txt"
        path.write_text(render_text(report, style), encoding="utf-8")
        paths.append(path)
    return paths


def write_units(directory: Path, agencies: list[str], years: tuple[int, ...] = ALL_YEARS, seed: int = 0,
                faults: bool = True) -> list[Path]:
    """Render the synthetic reports of ``agencies`` for ``years`` into ``directory``."""
    return write_reports(directory, panel(agencies, years, seed, faults))


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """Three units × two years of consistent rendered reports."""
    directory = tmp_path / "reports"
    write_units(directory, unit_names(3, seed=5), years=YEARS, seed=5)
    return directory


@pytest.fixture
def store_app() -> typer.Typer:
    """A typer app with ingest, query and export registered, as ``nianbao.cli`` registers them."""
    app = typer.Typer()
    register(app)
    return app
