"""The outline of a report: six parts numbered 一 to 六, in order, under their own headings; each defect is one
finding naming the printed heading, and a well-formed report (real ones included) gets none."""

from __future__ import annotations

import pytest

from nianbao.api import parse_bytes
from nianbao.render import render_text
from nianbao.report import Report
from nianbao.synth import consistent_report

from .conftest import shared_path

_HEADINGS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
             "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")


def _text() -> str:
    report = consistent_report("2021", seed=5, agency="青石县发展和改革局", year=2023)
    report.sections["overview"] = ("2023年，本局深入贯彻《条例》。\n（一）主动公开情况\n全年主动公开信息120条。\n"
                                   "（二）依申请公开情况\n全年收到申请7件。")
    text = render_text(report)
    assert all(h in text for h in _HEADINGS)
    return text


def _outline(text: str) -> list[tuple[str, str]]:
    report: Report = parse_bytes(text.encode("utf-8"), "report.txt")
    return [(f.rule, f.message) for f in report.findings if f.rule.startswith("S.outline")]


def test_a_well_formed_outline_has_no_finding() -> None:
    assert _outline(_text()) == []


def test_an_unnumbered_part_heading() -> None:
    found = _outline(_text().replace("四、政府信息公开行政复议", "政府信息公开行政复议", 1))
    assert [r for r, _ in found] == ["S.outline_unnumbered"]
    assert "“政府信息公开行政复议、行政诉讼情况”" in found[0][1] and "四、" in found[0][1]


def test_a_misnumbered_part_heading() -> None:
    found = _outline(_text().replace("六、其他需要报告的事项", "七、其他需要报告的事项", 1))
    assert found == [("S.outline_number", "部分标题“七、其他需要报告的事项”编号为“七、”，按规定应为“六、”")]


def test_parts_numbered_with_arabic_digits() -> None:
    text = _text()
    for i, heading in enumerate(_HEADINGS):
        text = text.replace(heading, f"{i + 1}.{heading[2:]}", 1)
    found = _outline(text)
    assert [r for r, _ in found] == ["S.outline_number"] * 6 and "“5.”" in found[4][1] and "“五、”" in found[4][1]


def test_sub_topics_given_part_numbers_and_numbering_that_starts_again() -> None:
    text = _text().replace("（一）主动公开情况", "二、主动公开情况", 1)
    text = text.replace("（二）依申请公开情况", "三、依申请公开情况", 1)
    text = text.replace("二、主动公开政府信息情况", "一、主动公开政府信息情况", 1)
    text = text.replace("三、收到和处理政府信息公开申请情况", "二、收到和处理政府信息公开申请情况", 1)
    rules = [r for r, _ in _outline(text)]
    assert rules.count("S.outline_subtopic") == 1 and rules.count("S.outline_restart") == 1
    assert rules.count("S.outline_number") == 1
    messages = dict(_outline(text))
    assert "“二、主动公开情况”、“三、依申请公开情况”" in messages["S.outline_subtopic"]
    assert "“一、主动公开政府信息情况”" in messages["S.outline_restart"]
    assert "“二、收到和处理政府信息公开申请情况”" in messages["S.outline_number"]


def test_parts_out_of_order() -> None:
    text = _text()
    five = text.index(_HEADINGS[4])
    six = text.index(_HEADINGS[5])
    swapped = text[:five] + text[six:].rstrip("\n") + "\n" + text[five:six]
    rules = [r for r, _ in _outline(swapped)]
    assert "S.outline_order" in rules


def test_a_table_caption_standing_for_the_part_heading() -> None:
    found = _outline(_text().replace("二、主动公开政府信息情况", "表二：主动公开政府信息情况", 1))
    assert [r for r, _ in found] == ["S.outline_table_heading"] and "“表二：主动公开政府信息情况”" in found[0][1]


def test_two_parts_merged_under_one_heading() -> None:
    text = _text().replace("五、存在的主要问题及改进情况", "五、存在的主要问题及改进情况和其他需要报告的事项", 1)
    text = text.replace("六、其他需要报告的事项\n", "", 1)
    rules = [r for r, _ in _outline(text)]
    assert "S.outline_merged" in rules


@pytest.mark.parametrize("name", ["002_0c1ccc46f30db888.txt", "003_c62dfed6b06f6541.txt",
                                  "004_a4e326b7c8b95611.txt"])
def test_real_reports_with_a_regular_outline_get_no_finding(name: str) -> None:
    report = parse_bytes(shared_path("seeds", name).read_bytes(), name)
    assert not [f for f in report.findings if f.rule.startswith("S.outline")]


def test_real_unnumbered_headings_are_named() -> None:
    report = parse_bytes(shared_path("seeds", "000_d67fec3efbc2aac7.txt").read_bytes(), "000.txt")
    messages = [f.message for f in report.findings if f.rule == "S.outline_unnumbered"]
    assert len(messages) == 2 and "“收到和处理政府信息公开申请情况”" in messages[0]
