"""A fresh ``nianbao`` process loads only what its command needs: the corpus, web, OCR and office stacks stay
unimported for ``--help`` and for parsing a text report (their import time would be paid by every call)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nianbao.render import render_text
from nianbao.synth import consistent_report

SRC = Path(__file__).resolve().parents[1] / "src"
HEAVY = ("duckdb", "pyarrow", "numpy", "openpyxl", "docx", "fastapi", "starlette", "jinja2", "rapidocr_onnxruntime",
         "onnxruntime", "pdfplumber", "pypdfium2", "chinese_calendar", "dask", "distributed")
"""Libraries that neither the command-line skeleton nor a text parse needs."""


def _loaded(code: str) -> set[str]:
    """Top-level packages imported by running ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": str(SRC)})
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_importing_the_command_line_loads_no_heavy_library() -> None:
    loaded = _loaded("import nianbao.cli")
    assert "typer" in loaded and "nianbao" in loaded
    assert not loaded & {*HEAVY, "pydantic", "rich"}, loaded & {*HEAVY, "pydantic", "rich"}


@pytest.mark.parametrize("argv", [["--help"], ["parse", "--help"], ["register", "--help"]])
def test_the_help_is_written_without_rich(argv: list[str]) -> None:
    code = ("from typer.testing import CliRunner\nfrom nianbao.cli import app\n"
            f"assert CliRunner().invoke(app, {argv!r}).exit_code == 0")
    # a command's own help loads pydantic: typer checks the command's parameters with it
    unwanted = {*HEAVY, "rich"} | ({"pydantic"} if argv == ["--help"] else set())
    loaded = _loaded(code)
    assert not loaded & unwanted, loaded & unwanted


def test_parsing_a_text_report_loads_no_heavy_library(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(render_text(consistent_report("2021", 3), "tabs"), encoding="utf-8")
    code = ("from typer.testing import CliRunner\nfrom nianbao.cli import app\n"
            f"result = CliRunner().invoke(app, ['parse', {str(path)!r}, '--json'])\n"
            "assert result.exit_code in (0, 1), result.output\n"
            "assert result.stdout.startswith('{'), result.output")
    loaded = _loaded(code)
    assert "pydantic" in loaded
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_the_collector_pause_restores_the_collector_and_freezes_what_was_loaded() -> None:
    import gc

    from nianbao.cli_common import collector_paused

    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    try:
        with collector_paused():
            assert not gc.isenabled()
            kept = [[n] for n in range(1000)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen + len(kept)
    finally:
        gc.unfreeze()
