"""Render → parse round trips in every output format and text flattening, and the render CLI."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from nianbao import parse_bytes
from nianbao.audit import audit
from nianbao.cli import app
from nianbao.render import STYLES, render
from nianbao.report import Cell, Report
from nianbao.synth import consistent_report
from nianbao.values import parse_value

from .cells import cells_of

EXAMPLES = int(os.environ.get("NIANBAO_ROUNDTRIP_EXAMPLES", "500" if os.environ.get("CI") else "40"))
RAWS = ["0", "7", "15", "", "无", "-", "—", "/", "1,234", "+5", "-3", "12.5", "22（其中修订16件）"]


def _scramble(report: Report, rng: random.Random, blanks: bool) -> Report:
    """Replace a few cells with other printed forms (blank, 无, signs, notes): an invalid report."""
    choices = RAWS if blanks else [r for r in RAWS if r not in ("", "无", "-", "—", "/")]
    tables = [report.tables.t4, *report.tables.t3.values(),
              *(row for block in report.tables.t2.values() for row in block.values())]
    for _ in range(rng.randint(1, 12)):
        row = rng.choice(tables)
        key = rng.choice(list(row))
        raw = rng.choice(choices)
        row[key] = Cell(raw=raw, value=parse_value(raw)[0], at={})
    return report


def _table_findings(report: Report) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((f.rule, tuple(f.cells)) for f in report.findings if f.rule.split(".")[0] in ("T2", "T3", "T4"))


def _roundtrip(report: Report, fmt: str, style: str = "tabs") -> Report:
    data = render(report, fmt, style)
    return parse_bytes(data, f"report.{fmt}")


def _check(report: Report, parsed: Report) -> None:
    assert parsed.template == report.template
    assert (parsed.meta.agency, parsed.meta.year, parsed.meta.published) == (
        report.meta.agency, report.meta.year, report.meta.published)
    assert cells_of(parsed) == cells_of(report)
    known = report.model_copy(deep=True, update={"findings": []})
    known.meta.level = parsed.meta.level  # the level the parse infers from the name; some rules depend on it
    expected = audit(known)
    assert _table_findings(parsed) == _table_findings(expected)


_reports = st.builds(lambda template, seed, invalid: (template, seed, invalid),
                     st.sampled_from(["2019", "2021"]), st.integers(0, 1_000_000), st.booleans())


def _make(template: str, seed: int, invalid: bool, blanks: bool = True) -> Report:
    report = consistent_report(template, seed)
    return _scramble(report, random.Random(seed), blanks) if invalid else report


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_reports, style=st.sampled_from(STYLES))
def test_text_styles_round_trip(case: tuple[str, int, bool], style: str) -> None:
    report = _make(*case, blanks=style not in ("columns", "lines"))
    _check(report, _roundtrip(report, "txt", style))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_reports)
def test_markdown_round_trip(case: tuple[str, int, bool]) -> None:
    report = _make(*case)
    _check(report, _roundtrip(report, "md"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_reports)
def test_html_round_trip(case: tuple[str, int, bool]) -> None:
    report = _make(*case)
    _check(report, _roundtrip(report, "html"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_reports)
def test_docx_round_trip(case: tuple[str, int, bool]) -> None:
    report = _make(*case)
    _check(report, _roundtrip(report, "docx"))


def test_html_is_plain() -> None:
    page = render(consistent_report("2021", 1), "html").decode()
    assert "<script" not in page and "http" not in page and 'rowspan="22"' in page and 'colspan="7"' in page


def test_2021_report_with_single_other_handling_row_renders_what_it_prints() -> None:
    report = consistent_report("2019", 2)
    report.template = "2021"
    report.tables.t2 = consistent_report("2021", 2).tables.t2
    parsed = _roundtrip(report, "html")
    assert "other_handling" in parsed.tables.t3 and "other_other" not in parsed.tables.t3


runner = CliRunner()


def test_render_refuses_broken_identities_unless_forced(tmp_path: Path) -> None:
    report = consistent_report("2021", 8)
    report.tables.t4["review_total"] = Cell(raw="99", value=99, at={})
    source = tmp_path / "r.json"
    source.write_text(report.to_json(), encoding="utf-8")
    refused = runner.invoke(app, ["render", str(source), "--to", "html"])
    assert refused.exit_code == 1 and "T4.review_sum" in refused.output
    assert not (tmp_path / "r.html").exists()
    forced = runner.invoke(app, ["render", str(source), "--to", "html", "--force"])
    assert forced.exit_code == 0 and (tmp_path / "r.html").exists()


def test_render_accepts_yaml(tmp_path: Path) -> None:
    import yaml

    source = tmp_path / "r.yaml"
    source.write_text(yaml.safe_dump(json.loads(consistent_report("2019", 3).to_json()), allow_unicode=True),
                      encoding="utf-8")
    result = runner.invoke(app, ["render", str(source), "--to", "md", "-o", str(tmp_path / "out.md")])
    assert result.exit_code == 0
    assert cells_of(parse_bytes((tmp_path / "out.md").read_bytes(), "out.md")) == cells_of(
        consistent_report("2019", 3))


def test_new_carries_last_years_numbers_over(tmp_path: Path) -> None:
    last = consistent_report("2021", 11, year=2023)
    previous = tmp_path / "last.txt"
    previous.write_bytes(render(last, "txt", "cells"))
    result = runner.invoke(app, ["new", "--agency", "青石县人民政府办公室", "--year", "2024",
                                 "--previous", str(previous)])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["template"] == "2021"
    for column, cell in last.tables.t3["carried_forward"].items():
        assert data["tables"]["t3"]["carried_over"][column]["raw"] == cell.raw
    assert data["tables"]["t2"]["art20_1"]["normative_doc"]["in_force"]["value"] == \
        last.tables.t2["art20_1"]["normative_doc"]["in_force"].value
    assert data["tables"]["t3"]["granted"]["total"]["raw"] == "0"


def test_new_2020_uses_the_2019_format() -> None:
    data = json.loads(runner.invoke(app, ["new", "--agency", "东湖街道办事处", "--year", "2020"]).stdout)
    assert data["template"] == "2019" and "other_handling" in data["tables"]["t3"]


@pytest.mark.skipif(not shutil.which("soffice") and not os.environ.get("CI"),
                    reason="LibreOffice (soffice) not installed")
def test_docx_converts_to_pdf_with_libreoffice_and_parses_back(tmp_path: Path) -> None:
    report = consistent_report("2021", 21)
    (tmp_path / "r.docx").write_bytes(render(report, "docx"))
    command = ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "r.docx")]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    parsed = parse_bytes((tmp_path / "r.pdf").read_bytes(), "r.pdf")
    assert cells_of(parsed) == cells_of(report)


@pytest.mark.skipif(not shutil.which("soffice") and not os.environ.get("CI"),
                    reason="LibreOffice (soffice) not installed")
@pytest.mark.parametrize(("target", "suffix"), [("html", "html"), ("doc", "doc"),
                                               ("txt:Text (encoded):UTF8", "txt")])
def test_docx_converted_by_libreoffice_to_html_doc_and_text_parses_back(tmp_path: Path, target: str,
                                                                        suffix: str) -> None:
    report = consistent_report("2019", 22)
    (tmp_path / "r.docx").write_bytes(render(report, "docx"))
    command = ["soffice", "--headless", "--convert-to", target, "--outdir", str(tmp_path / "out"),
               str(tmp_path / "r.docx")]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    parsed = parse_bytes((tmp_path / "out" / f"r.{suffix}").read_bytes(), f"r.{suffix}")
    assert cells_of(parsed) == cells_of(report)


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")) and not os.environ.get("CI"),
                    reason="LibreOffice (soffice) or poppler-utils (pdftotext) not installed")
@pytest.mark.parametrize("options", [[], ["-layout"]])
def test_pdf_text_dumped_by_pdftotext_parses_back(tmp_path: Path, options: list[str]) -> None:
    report = consistent_report("2021", 23)
    (tmp_path / "r.docx").write_bytes(render(report, "docx"))
    command = ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "r.docx")]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    subprocess.run(["pdftotext", *options, str(tmp_path / "r.pdf"), str(tmp_path / "r.txt")], check=True, timeout=60)
    parsed = parse_bytes((tmp_path / "r.txt").read_bytes(), "r.txt")
    assert cells_of(parsed) == cells_of(report)
