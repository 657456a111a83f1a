"""The shared gold sets, scored cell by cell with the shared scorer through the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import nianbao

from .conftest import shared_path

CLI = [sys.executable, "-m", "nianbao", "parse", "--json", "{}"]
TEXT_CORPUS = ("shuyang2025", "sh-kewei2024", "sh-office2025")


def _score(gold: Path, inputs: Path) -> str:
    scorer = shared_path("tools", "score.py")
    result = subprocess.run([sys.executable, str(scorer), "--gold", str(gold), "--inputs", str(inputs), "--", *CLI],
                            capture_output=True, text=True, timeout=600)
    return result.stdout.strip().splitlines()[-1]


def test_seeds_are_perfect() -> None:
    gold = shared_path("gold", "seeds")
    line = _score(gold, shared_path("seeds"))
    assert line.startswith(f"reports {len(list(gold.glob('*.json')))}/"), line
    assert line.split(";")[0].split()[1].split("/")[0] == line.split(";")[0].split()[1].split("/")[1], line


def test_text_reports_of_the_corpus_are_perfect(tmp_path: Path) -> None:
    for name in TEXT_CORPUS:
        (tmp_path / f"{name}.json").write_bytes(shared_path("gold", "corpus", f"{name}.json").read_bytes())
    line = _score(tmp_path, shared_path("corpus", "raw"))
    assert line.startswith(f"reports {len(TEXT_CORPUS)}/{len(TEXT_CORPUS)} perfect"), line


def _seed(prefix: str) -> nianbao.Report:
    return nianbao.parse(next(shared_path("seeds").glob(f"{prefix}_*.txt")))


def _table_errors(report: nianbao.Report) -> list[str]:
    return [f.rule for f in report.errors if f.rule.split(".")[0] in ("T2", "T3", "T4")]


def test_seed_003_outcome_sum_errors() -> None:
    assert "T3.outcome_sum" in _table_errors(_seed("003"))


@pytest.mark.parametrize("prefix", ["000", "002", "004"])
def test_consistent_seeds_have_no_table_errors(prefix: str) -> None:
    assert _table_errors(_seed(prefix)) == []


def test_seed_001_blank_tables_warn_without_error() -> None:
    report = _seed("001")
    assert not report.errors
    blank = [f for f in report.findings if f.rule == "S.blank_cells"]
    assert len(blank) == 1 and "t3.new_received.total" in blank[0].cells
    assert "t4.review_total" in blank[0].cells


def test_every_cell_of_every_gold_parse_has_a_location() -> None:
    for path in sorted(shared_path("seeds").glob("*.txt")):
        report = nianbao.parse(path)
        cells = [c for rows in report.tables.t3.values() for c in rows.values()] + list(report.tables.t4.values())
        assert cells and all(c.at for c in cells), path


def test_json_output_equals_the_python_api() -> None:
    path = next(shared_path("seeds").glob("002_*.txt"))
    result = subprocess.run([sys.executable, "-m", "nianbao", "parse", "--json", str(path)],
                            capture_output=True, text=True, check=False)
    assert json.loads(result.stdout) == json.loads(nianbao.parse(str(path)).to_json())
