"""Section headings: numbered headings in any wording, look-alike lines, sub-headings inside a part."""

from __future__ import annotations

import pytest

from nianbao import parse_bytes

TABLES = ("二、主动公开政府信息情况\n规章\t0\t0\t0\n三、收到和处理政府信息公开申请情况\n"
          "四、政府信息公开行政复议、行政诉讼情况\n" + "\t".join(["0"] * 15) + "\n")


@pytest.mark.parametrize(("heading", "key"), [
    ("五、存在问题及改进措施", "problems_improvements"),
    ("五、工作中存在的不足和整改方向", "problems_improvements"),
    ("一、总体工作情况", "overview"),
    ("一、概述", "overview"),
    ("四、政府信息公开行政复议、诉讼情况", "review_litigation"),
    ("四、因政府信息公开被申请复议和提起诉讼情况", "review_litigation"),
    ("六、其它需报告事项", "other_matters"),
    ("第五部分 存在的主要问题及改进情况", "problems_improvements"),
    ("第一部分：总体情况", "overview"),
])
def test_numbered_headings_in_any_wording(heading: str, key: str) -> None:
    body = {"overview": "总体。", "problems_improvements": "问题很多。", "other_matters": "无。"}
    headings = {"overview": "一、总体情况", "problems_improvements": "五、存在的主要问题及改进情况",
                "other_matters": "六、其他需要报告的事项"}
    headings[key] = heading
    text = (f"临水县人民政府2021年政府信息公开工作年度报告\n{headings['overview']}\n总体。\n"
            + TABLES.replace("四、政府信息公开行政复议、行政诉讼情况",
                             heading if key == "review_litigation" else "四、政府信息公开行政复议、行政诉讼情况")
            + f"{headings['problems_improvements']}\n问题很多。\n{headings['other_matters']}\n无。\n")
    report = parse_bytes(text.encode(), "t.txt")
    assert not [f.message for f in report.findings if f.rule == "S.missing_section"]
    if key in body:
        assert report.sections[key] == body[key]


@pytest.mark.parametrize("line", ["三、主动公开工作情况", "四、政府信息公开申请情况",
                                  "本年未发生行政复议、行政诉讼情况",
                                  "（一）存在的问题及改进措施"])
def test_lines_that_only_resemble_a_heading_start_no_section(line: str) -> None:
    text = ("临水县人民政府2021年政府信息公开工作年度报告\n一、总体情况\n" + line + "\n总体。\n" + TABLES
            + "六、其他需要报告的事项\n无。\n")
    report = parse_bytes(text.encode(), "t.txt")
    missing = [f.message for f in report.findings if f.rule == "S.missing_section"]
    assert missing == ["未找到第五部分“存在的主要问题及改进情况”"]
    assert report.sections["overview"] == line + "\n总体。"


def test_a_sub_heading_naming_a_section_keeps_part_one_whole() -> None:
    text = ("临水县人民政府2021年政府信息公开工作年度报告\n一、总体情况\n（一）主动公开政府信息情况\n"
            "全年主动公开政府信息120条。\n（二）依申请公开\n全年收到申请5件。\n（三）政府信息公开行政复议、行政诉讼情况\n"
            "未发生行政复议。\n" + TABLES.replace("申请情况\n", "申请情况\n| 一、本年新收政府信息公开申请数量 |"
                                                 + " 0 |" * 7 + "\n")
            + "五、存在的主要问题及改进情况\n问题。\n六、其他需要报告的事项\n无。\n")
    report = parse_bytes(text.encode(), "t.txt")
    assert not [f for f in report.findings if f.rule == "S.missing_section"]
    assert report.sections["overview"].splitlines() == [
        "（一）主动公开政府信息情况", "全年主动公开政府信息120条。", "（二）依申请公开", "全年收到申请5件。",
        "（三）政府信息公开行政复议、行政诉讼情况", "未发生行政复议。"]
    assert report.tables.t4
    assert "X.received" in {f.rule for f in report.findings}  # 收到申请5件 against a table of zeros


@pytest.mark.parametrize("cut", [4, 9, 14])
def test_a_numbered_heading_wrapped_onto_the_next_line_starts_its_section(cut: int) -> None:
    """A long heading on a narrow page wraps: its two lines together name the part; the wrap is no narrative."""
    heading = "五、政府信息公开工作存在的主要问题及改进情况"
    text = ("临水县人民政府2021年政府信息公开工作年度报告\n一、总体情况\n总体。\n" + TABLES
            + f"{heading[:cut]}\n{heading[cut:]}\n问题很多。\n六、其他需要报告的事项\n无。\n")
    report = parse_bytes(text.encode(), "t.txt")
    assert not [f.message for f in report.findings if f.rule == "S.missing_section"]
    assert report.sections["problems_improvements"] == "问题很多。"


def test_a_numbered_line_and_a_sentence_after_it_are_no_wrapped_heading() -> None:
    text = ("临水县人民政府2021年政府信息公开工作年度报告\n一、总体情况\n总体。\n" + TABLES
            + "五、存在的主要\n问题及改进情况已整改。\n六、其他需要报告的事项\n无。\n")
    report = parse_bytes(text.encode(), "t.txt")
    assert [f.message for f in report.findings if f.rule == "S.missing_section"] == [
        "未找到第五部分“存在的主要问题及改进情况”"]
