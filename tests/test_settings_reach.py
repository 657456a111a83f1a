"""Each reading, extraction and audit tolerance of the settings reaches the step that uses it: changing it
through the API's ``settings=`` (or ``--settings FILE``) changes what that step makes of an input built here."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nianbao import parse_bytes
from nianbao.cli import app
from nianbao.extract.glued import Glued, solve
from nianbao.readers import read_bytes
from nianbao.render import render_text
from nianbao.schema import formats
from nianbao.settings import ExtractSettings
from nianbao.skeleton import skeleton
from nianbao.store import audit_corpus, ingest
from nianbao.synth import consistent_report

from .store.conftest import write_reports


def _lines(text: str, settings: dict[str, object] | None = None) -> list[list[str]]:
    """The rows (cell texts) the text reader makes of ``text``."""
    return [[cell.text for cell in row.cells] for row in read_bytes(text.encode(), "report.txt", settings).rows()]


def _uncertain(text: str, settings: dict[str, object] | None = None) -> list[bool]:
    """For each row the text reader makes of ``text``: whether its order of values is uncertain."""
    return [any("order" in cell.at for cell in row.cells)
            for row in read_bytes(text.encode(), "report.txt", settings).rows()]


def test_page_number_lines_are_dropped_up_to_their_length() -> None:
    text = "正文第一段。\n第 2 页 共 4 页\n正文第二段。\n"
    assert ["第 2 页 共 4 页"] not in _lines(text)
    assert ["第 2 页 共 4 页"] in _lines(text, {"layout": {"page_number_max_chars": 5}})


def test_wrapped_numbers_are_joined_by_the_layout_settings() -> None:
    cut_below = "x\n\n12  3  45\n1\n\nend\n"  # a row of three numbers, the 12's last digit wrapped below it
    assert _lines(cut_below)[1] == ["121", "3", "45"]
    assert _lines(cut_below, {"layout": {"wrap_min_numbers": 4}})[1] == ["12", "3", "45"]
    assert _uncertain(cut_below, {"layout": {"column_gap": 3}})[1]  # two spaces no longer show columns
    two_below = "x\n\nrow   12   3   45\n         6\n         7\n\nend\n"
    assert _lines(two_below)[1] == ["row", "12", "67", "3", "45"]
    assert _uncertain(two_below, {"layout": {"wrap_reach": 1}})[1]  # the second piece is out of reach


def test_scraped_pages_are_told_and_cut_by_the_scraped_settings() -> None:
    chrome = "当前位置：首页 > 信息公开\n分享到：微信 微博\n某某局2023年政府信息公开工作年度报告\n一、总体情况\n略。\n"
    assert ["分享到：微信 微博"] not in _lines(chrome)
    assert ["分享到：微信 微博"] in _lines(chrome, {"scraped": {"min_chrome_words": 3}})
    assert ["分享到：微信 微博"] in _lines(chrome, {"scraped": {"chrome_head_chars": 10}})
    one_line = ("某某局2023年政府信息公开工作年度报告 一、总体情况 今年共收到申请3件，全部按期答复。"
                "二、主动公开政府信息情况 略\n")
    assert len(_lines(one_line)) == 1
    assert ["二、主动公开政府信息情况"] in _lines(one_line, {"scraped": {"long_line_chars": 40}})
    signed = one_line.rstrip() + "。三、收到和处理政府信息公开申请情况 略。本机关依法办理。某某局 2024年1月20日\n"
    assert ["某某局"] in _lines(signed, {"scraped": {"long_line_chars": 40}})
    assert ["某某局"] not in _lines(signed, {"scraped": {"long_line_chars": 40, "signature_reach_chars": 3}})


def _report_text() -> str:
    return render_text(consistent_report(formats().latest, 5), "tabs")


def _rules(text: str, settings: dict[str, object] | None = None) -> set[str]:
    return {f.rule for f in parse_bytes(text.encode(), "report.txt", settings).findings}


def test_sections_and_the_format_are_found_by_the_extract_settings() -> None:
    text = _report_text()
    assert "S.missing_section" not in _rules(text)
    assert "S.missing_section" in _rules(text, {"extract": {"heading_max_chars": 3}})
    assert "S.template_from_year" not in _rules(text)
    assert "S.template_from_year" in _rules(text, {"extract": {"template_cell_max_chars": 1}})


def test_the_agency_is_read_off_the_title_and_the_signature_within_the_extract_settings() -> None:
    lines = _report_text().rstrip().split("\n")
    agency = consistent_report(formats().latest, 5).meta.agency
    assert lines[0].startswith(agency) and lines[-2] == agency  # the title, then the signature: body and date

    def read(text: str, settings: dict[str, object]) -> tuple[str | None, str | None]:
        meta = parse_bytes(text.encode(), "report.txt", {"extract": settings}).meta
        return meta.agency, meta.published

    untitled, unsigned = "\n".join(lines[1:]), "\n".join([*lines[:-2], lines[-1]])
    assert read(untitled, {})[0] == read(unsigned, {})[0] == agency
    assert read(untitled, {"signature_rows": 1})[0] is None
    assert read(untitled, {"signing_body_max_chars": 5})[0] is None
    assert read(unsigned, {"title_max_chars": 10})[0] is None


def test_glued_values_are_split_within_the_extract_settings() -> None:
    keys = tuple(f"t4.{column.key}" for column in formats().t4_columns)
    run = Glued(keys, ("count",) * len(keys), "210142001301179", "表四", {"line": 1})
    cells, found = solve([run], {}, formats().latest, ExtractSettings())
    assert len(cells) == len(keys) and found[0].rule == "S.glued_split" and "勾稽" not in found[0].message
    cells, found = solve([run], {}, formats().latest, ExtractSettings(glued_max_nodes=1))
    assert not cells and found[0].rule == "S.glued_unsplit"
    cells, found = solve([run], {}, formats().latest, ExtractSettings(glued_part_max_chars=1))
    assert found[0].rule == "S.glued_split" and "多位数不以0开头" in found[0].message


def test_a_settings_file_changes_how_the_date_is_read(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(_report_text(), encoding="utf-8")
    settings = tmp_path / "settings.yaml"
    settings.write_text("extract:\n  date_line_max_chars: 5\n", encoding="utf-8")
    runner = CliRunner()
    usual = json.loads(runner.invoke(app, ["parse", str(report), "--json"]).stdout)
    settled = json.loads(runner.invoke(app, ["parse", str(report), "--json", "--settings", str(settings)]).stdout)
    assert usual["meta"]["published"] and settled["meta"]["published"] is None


def _findings(text: str, prefix: str, settings: dict[str, object] | None = None) -> list[tuple[str, str]]:
    """(rule, message) of the findings whose rule starts with ``prefix``."""
    report = parse_bytes(text.encode(), "report.txt", settings)
    return [(f.rule, f.message) for f in report.findings if f.rule.startswith(prefix)]


def test_the_narrative_is_read_and_quoted_within_the_audit_settings() -> None:
    text = _report_text()
    stated = text.replace("规范办理依申请公开。", "本年共收到政府信息公开申请15件。")
    assert stated != text
    found = _findings(stated, "X.")
    assert [rule for rule, _ in found] == ["X.received"] and "本年共收到政府信息公开申请15件" in found[0][1]
    assert not _findings(stated, "X.", {"audit": {"count_max_chars": 1}})
    assert _findings(stated, "X.", {"audit": {"quote_max_chars": 6}})[0][1].endswith("原文：“全年主动公…”")
    short = _findings(text, "C.problems_empty", {"audit": {"substance_quote_chars": 3}})
    assert short and short[0][1].endswith("只有寥寥数语：“公开的”")


def test_a_date_years_late_is_taken_for_a_wrong_date_within_the_audit_settings() -> None:
    report = consistent_report(formats().latest, 5)
    year, month, day = (int(part) for part in (report.meta.published or "").split("-"))
    signed = f"{year}年{month}月{day}日"
    text = _report_text()
    assert year == report.meta.year + 1 and signed in text
    late = text.replace(signed, f"{year + 3}年{month}月{day}日")
    usual = dict(_findings(late, "C."))
    assert "C.undated" in usual and "C.published_late" not in usual
    settled = dict(_findings(late, "C.", {"audit": {"late_years_max": 5}}))
    assert "C.published_late" in settled and "C.undated" not in settled


def test_another_places_portal_is_read_and_quoted_within_the_corpus_settings(tmp_path: Path) -> None:
    report = skeleton(formats().latest, "洛阳市瀍河回族区北窑街道办事处", 2023)
    report.sections = {"overview": "本街道通过涧西区人民政府门户网站公开信息。", "problems_improvements": "无。",
                       "other_matters": "无。"}
    write_reports(tmp_path / "in", [report])
    ingest([tmp_path / "in"], tmp_path / "corpus.duckdb", workers=1)

    def quotes(settings: dict[str, object] | None = None) -> list[str]:
        found = audit_corpus(tmp_path / "corpus.duckdb", settings)
        return [f.message.split("：", 1)[1] for f in found if f.rule == "Q.foreign_place"]

    assert len(quotes()) == 1 and "涧西区人民政府门户网站公开信息" in quotes()[0]
    assert quotes({"place_quote_chars": 4}) == ["“过涧西区人民政府门户网站公开”"]
    assert quotes({"place_window_chars": 2}) == []
