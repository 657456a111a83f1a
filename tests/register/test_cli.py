"""``nianbao register``: template → filled rows → check → tally → render, and the errors a user meets."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nianbao.cli import app

from .conftest import csv_bytes

runner = CliRunner()
ROWS = [
    {"编号": "A1", "收到日期": "2024-12-20", "申请人类型": "自然人", "答复日期": "2025-01-10",
     "办理结果": "（一）予以公开"},
    {"编号": "A2", "收到日期": "2025-11-03", "申请人类型": "科研机构"},
]


def test_template_check_tally_render(tmp_path: Path) -> None:
    made = runner.invoke(app, ["register", "template", "-o", str(tmp_path / "台账.xlsx"), "--year", "2025"])
    assert made.exit_code == 0, made.output
    assert (tmp_path / "台账.xlsx").read_bytes()[:2] == b"PK"
    register = tmp_path / "申请.csv"
    register.write_bytes(csv_bytes("申请", ROWS))
    checked = runner.invoke(app, ["register", "check", str(register), "--year", "2025", "--today", "2025-12-31",
                                  "--json"])
    assert checked.exit_code == 0, checked.output
    found = json.loads(checked.output)
    assert found["findings"] == []
    assert [(d["id"], d["due"], d["label"]) for d in found["deadlines"]] == [
        ("A1", "2025-01-20", "正常"), ("A2", "2025-12-01", "已超期")]
    report = tmp_path / "report.json"
    tallied = runner.invoke(app, ["register", "tally", str(register), "--year", "2025", "--agency", "东湖街道办事处",
                                  "-o", str(report)])
    assert tallied.exit_code == 0, tallied.output
    assert json.loads(report.read_text(encoding="utf-8"))["tables"]["t3"]["carried_over"]["total"]["at"] == {
        "sheet": "申请", "rows": [2]}
    rendered = runner.invoke(app, ["render", str(report), "--to", "txt", "-o", str(tmp_path / "report.txt")])
    assert rendered.exit_code == 0, rendered.output
    assert "东湖街道办事处2025年政府信息公开工作年度报告" in (tmp_path / "report.txt").read_text(encoding="utf-8")


def test_previous_report_carries_over(tmp_path: Path) -> None:
    register = tmp_path / "申请.csv"
    register.write_bytes(csv_bytes("申请", ROWS))
    last = tmp_path / "2024.json"
    assert runner.invoke(app, ["register", "tally", str(register), "--year", "2024", "-o", str(last)]).exit_code == 0
    this = tmp_path / "2025.json"
    result = runner.invoke(app, ["register", "tally", str(register), "--year", "2025", "--previous", str(last),
                                 "-o", str(this)])
    assert result.exit_code == 0, result.output
    cell = json.loads(this.read_text(encoding="utf-8"))["tables"]["t3"]["carried_over"]["natural_person"]
    assert cell["value"] == 1 and cell["at"]["from"] == str(last)


def test_an_uncovered_year_and_a_bad_register_exit_two(tmp_path: Path) -> None:
    register = tmp_path / "申请.csv"
    register.write_bytes(csv_bytes("申请", [{"编号": "A1", "收到日期": "2026-12-21", "申请人类型": "自然人"}]))
    result = runner.invoke(app, ["register", "check", str(register), "--year", "2026", "--today", "2026-12-22"])
    assert result.exit_code == 2 and "2027" in result.output
    (tmp_path / "x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["register", "tally", str(tmp_path / "x.csv"), "--year", "2025"])
    assert result.exit_code == 2 and "x.csv" in result.output


def test_row_errors_exit_one(tmp_path: Path) -> None:
    register = tmp_path / "申请.csv"
    register.write_bytes(csv_bytes("申请", [{**ROWS[0], "申请人类型": "个体户"}]))
    result = runner.invoke(app, ["register", "check", str(register), "--year", "2025", "--today", "2025-12-31"])
    assert result.exit_code == 1 and "「申请」第 2 行「申请人类型」" in result.output
