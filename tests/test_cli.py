"""The command line, in process: output, exit status, and one clear line for bad input."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.cli_common import PLAIN_HELP
from nianbao.render import render_text
from nianbao.synth import consistent_report

runner = CliRunner()
CHINESE_HELP = "解析一份年度报告，显示表二、表三和表四，并在有问题的单元格上标出审核发现。"


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(render_text(consistent_report("2021", 5), "tabs"), encoding="utf-8")
    return path


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    report = consistent_report("2019", 6)
    cell = report.tables.t3["granted"]["natural_person"]
    cell.raw, cell.value = str(int(cell.value or 0) + 9), int(cell.value or 0) + 9
    path = tmp_path / "broken.txt"
    path.write_text(render_text(report, "cells"), encoding="utf-8")
    return path


def test_parse_json_prints_the_contract(good: Path) -> None:
    result = runner.invoke(app, ["parse", str(good), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["schema"] == "nianbao.report/1" and data["template"] == "2021"
    assert data["tables"]["t3"]["new_received"]["total"]["at"]["line"] > 0


def test_parse_shows_tables_and_marks_findings(broken: Path) -> None:
    result = runner.invoke(app, ["parse", str(broken)])
    assert result.exit_code == 1
    assert "表三" in result.stdout and "T3.outcome_sum" in result.stdout and "✗" in result.stdout


def test_audit_exit_status_follows_the_worst_input(good: Path, broken: Path, tmp_path: Path) -> None:
    assert runner.invoke(app, ["audit", str(good)]).exit_code == 0
    result = runner.invoke(app, ["audit", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stdout.count("年 ·") == 2
    (tmp_path / "empty.txt").write_bytes(b"")
    assert runner.invoke(app, ["audit", str(tmp_path)]).exit_code == 2


def test_audit_json_lines(good: Path, tmp_path: Path) -> None:
    (tmp_path / "junk.txt").write_bytes(b"\x00\x01\x02binary")
    lines = runner.invoke(app, ["audit", "--json", str(tmp_path)]).stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert {r.get("error") for r in records} == {None, "binary"}


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty"),
    (bytes(range(256)) * 8, "binary"),
    ("今天天气很好，我们去公园散步。\n晚上吃饺子。\n".encode(),
     "not a government information-disclosure annual report"),
])
def test_bad_input_gives_one_clear_line_and_status_2(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and reason in lines[0]
    assert "Traceback" not in result.output


def test_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2 and "no such file" in result.output


def test_rules_lists_the_catalogue() -> None:
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0 and "T3.balance" in result.stdout


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    from nianbao import NianbaoError
    from nianbao.readers import read

    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(2048)
    with pytest.raises(NianbaoError, match="larger than the limit"):
        read(big, {"reader": {"max_file_bytes": 1024}})


def test_a_file_that_takes_too_long_ends_as_a_timeout_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from nianbao import NianbaoError, guard

    def slow(path: object, settings: object, data: object) -> None:
        time.sleep(5)

    monkeypatch.setattr(guard, "parse_file", slow)
    with pytest.raises(NianbaoError, match=r"longer than 0\.2 s"):
        guard.guarded_parse(tmp_path / "x.txt", {"reader": {"timeout_seconds": 0.2}})


def test_an_unexpected_failure_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nianbao import NianbaoError, guard

    def broken(path: object, settings: object, data: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(guard, "parse_file", broken)
    with pytest.raises(NianbaoError) as caught:
        guard.guarded_parse(tmp_path / "x.txt")
    assert caught.value.code == "internal" and "KeyError" in caught.value.reason


def test_version_and_short_help() -> None:
    from nianbao import __version__

    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0 and version.stdout.strip() == f"nianbao {__version__}"
    short = runner.invoke(app, ["-h"])
    assert short.exit_code == 0 and "parse" in short.stdout and "audit" in short.stdout


def test_the_command_list_gives_each_command_s_first_sentence_whole() -> None:
    listed = " ".join(runner.invoke(app, ["--help"], terminal_width=80).stdout.split()).partition("Commands:")[2]
    assert listed and "..." not in listed
    assert "Audit reports: one line per report, then its findings; with --db, the cross-report audit of a corpus." \
        in listed


def test_chinese_help_is_wrapped_by_display_width() -> None:
    sentence = CHINESE_HELP
    chinese = typer.Typer(**PLAIN_HELP)

    @chinese.command(help=sentence * 3)
    def parse(file: Annotated[str, typer.Argument(help=CHINESE_HELP * 2)]) -> None: ...

    @chinese.command(help=sentence)
    def audit() -> None: ...

    for argv in (["--help"], ["parse", "--help"]):
        shown = runner.invoke(chinese, argv, terminal_width=60).stdout
        lines = shown.splitlines()
        widths = [sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in lines]
        assert max(widths) <= 60, shown
        assert sentence[:10] in "".join(line.strip() for line in lines), shown


def test_every_example_file_a_help_text_names_exists() -> None:
    root = Path(__file__).resolve().parents[1]
    named = set()
    for command in app.registered_commands:
        help_text = (command.callback.__doc__ or "") if command.callback else ""
        named |= {word for word in help_text.split() if word.startswith("examples/")}
    assert named, "the help texts name no example file"
    assert all((root / name).exists() for name in named), named


@pytest.mark.parametrize("port", ["0", "99999", "-1"])
def test_serve_refuses_a_port_out_of_range_with_one_line(tmp_path: Path, port: str) -> None:
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "c.duckdb"), "--port", port])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "65535" in result.output


@pytest.mark.parametrize(("agency", "year", "reason"), [("", "2024", "机关名称"), ("青石县人民政府", "1800", "1800年")])
def test_new_refuses_an_empty_agency_or_a_year_before_the_official_formats(agency: str, year: str,
                                                                            reason: str) -> None:
    result = runner.invoke(app, ["new", "--agency", agency, "--year", year])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.output.strip().count("\n") == 0 and reason in result.output


def test_new_takes_the_template_in_force_for_the_year() -> None:
    for year, template in ((2019, "2019"), (2020, "2019"), (2021, "2021"), (2026, "2021")):
        result = runner.invoke(app, ["new", "--agency", "青石县人民政府", "--year", str(year)])
        assert result.exit_code == 0 and json.loads(result.stdout)["template"] == template


def test_a_directory_search_finds_every_suffix_the_readers_read(tmp_path: Path) -> None:
    from nianbao.readers import SUFFIXES

    assert {".tif", ".tiff", ".docx", ".ofd"} <= SUFFIXES
    text = render_text(consistent_report("2021", 5), "tabs")
    for name in ("a.txt", "b.TIFF", "c.tif", "notes.log"):
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["audit", str(tmp_path), "--json"])
    found = sorted(Path(json.loads(line)["source"]["path"]).name for line in result.stdout.splitlines())
    assert found == ["a.txt", "b.TIFF", "c.tif"]


RISK_OFF_YAML = "audit:\n  risk_min_cases: 1000000000\n  risk_min_applications: 1000000000\n"
"""A settings file under which no risk indicator (R.*) is ever reported."""


@pytest.mark.parametrize("command", ["parse", "audit"])
def test_a_settings_file_reaches_every_input(good: Path, tmp_path: Path, command: str) -> None:
    settings = tmp_path / "settings.yaml"
    settings.write_text(RISK_OFF_YAML, encoding="utf-8")
    usual = runner.invoke(app, [command, str(good), "--json"])
    settled = runner.invoke(app, [command, str(good), "--json", "--settings", str(settings)])
    assert usual.exit_code == settled.exit_code == 0, settled.output
    rules = [{f["rule"] for f in json.loads(result.stdout)["findings"]} for result in (usual, settled)]
    assert any(r.startswith("R.") for r in rules[0]) and not any(r.startswith("R.") for r in rules[1])


def test_a_bad_settings_file_is_one_line_naming_it_and_the_setting(good: Path, tmp_path: Path) -> None:
    bad = tmp_path / "settings.json"
    bad.write_text('{"reader": {"timeout_seconds": -1}}', encoding="utf-8")
    result = runner.invoke(app, ["parse", str(good), "--settings", str(bad)])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert bad.name in result.output and "reader.timeout_seconds" in result.output


def test_audit_goes_on_past_a_path_that_does_not_exist(good: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", str(tmp_path / "nope"), str(good), "--json"])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 2 and lines[0]["error"] == "unreadable"
    assert [line["source"]["path"] for line in lines[1:]] == [str(good)]


def test_new_parses_last_year_s_report_with_the_settings_file(good: Path, tmp_path: Path) -> None:
    settings = tmp_path / "settings.yaml"
    settings.write_text("reader:\n  max_file_bytes: 100\n", encoding="utf-8")
    base = ["new", "--agency", "青石县人民政府", "--year", "2022", "--previous", str(good)]
    assert runner.invoke(app, base).exit_code == 0
    refused = runner.invoke(app, [*base, "--settings", str(settings)])
    assert refused.exit_code == 2 and "larger than the limit" in refused.output
