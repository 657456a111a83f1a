"""The CLI shows a narrative finding with the sentence it read and the cells it compared."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.render import render
from nianbao.synth import consistent_report


def test_parse_prints_the_quoted_sentence(tmp_path: Path) -> None:
    report = consistent_report("2021", seed=3)
    report.sections["overview"] = "本年度未收到法人或其他组织提出的申请。全年共发生行政复议99件。"
    path = tmp_path / "report.txt"
    path.write_bytes(bytes(render(report, "txt")))
    result = CliRunner().invoke(app, ["parse", str(path)])
    shown = "".join(result.output.split())
    assert "X.review" in shown and "原文：“全年共发生行政复议99件。”" in shown
    assert "表四“行政复议·总计”为" in shown
