"""Sections and metadata from the places reports print them."""

from __future__ import annotations

import pytest

from nianbao import parse_bytes
from nianbao.extract.meta import parse_date
from nianbao.settings import DEFAULTS

TABLES = ("二、主动公开政府信息情况\n规章\t0\t0\t0\n三、收到和处理政府信息公开申请情况\n"
          "四、政府信息公开行政复议、行政诉讼情况\n" + "\t".join(["0"] * 15) + "\n")


def _meta(head: str, tail: str = ""):  # type: ignore[no-untyped-def]
    text = f"{head}\n一、总体情况\n正文。\n{TABLES}五、存在的主要问题及改进情况\n无。\n{tail}"
    return parse_bytes(text.encode(), "t.txt")


@pytest.mark.parametrize(("title", "agency", "year"), [
    ("临水县人民政府2021年政府信息公开工作年度报告", "临水县人民政府", 2021),
    ("2024 年上海市某某委员会政府信息公开工作\n年度报告", "上海市某某委员会", 2024),
    ("东湖街道政府信息公开工作2020年度报告", "东湖街道", 2020),
    ("# 临水县人民政府 2025 年 政府信息公开工作年度报告", "临水县人民政府", 2025),
    ("道口区机关服务中心2020年\n\n政府信息公开工作年度报告", "道口区机关服务中心", 2020),
    ("临水县水利局关于2022年政府信息公开工作的年度报告", "临水县水利局", 2022),
    ("临水县水利局二〇二二年度政府信息公开工作年度报告", "临水县水利局", 2022),
    ("关于东湖街道办事处二○二三年政府信息公开工作年度报告的公告", "东湖街道办事处", 2023),
    ("临水海关2021年政府信息公开工作年度报告", "临水海关", 2021),
    ("临水县消防救援大队2021年政府信息公开工作年度报告", "临水县消防救援大队", 2021),
    ("临水县水文站2021年政府信息公开工作年度报告", "临水县水文站", 2021),
])
def test_agency_and_year_from_title(title: str, agency: str, year: int) -> None:
    report = _meta(title)
    assert (report.meta.agency, report.meta.year) == (agency, year)


def test_agency_from_contact_sentence_and_year_from_statistics_period_when_no_title() -> None:
    intro = ("本报告所使用数据统计期限自2020年1月1日起至12月31日止。如有疑问，请与临水县交通运输局联系"
             "（地址：临水县人民路1号）。")
    report = _meta(intro)
    assert (report.meta.agency, report.meta.year, report.meta.level) == ("临水县交通运输局", 2020, "department")


@pytest.mark.parametrize(("line", "date"), [
    ("2021年1月30日", "2021-01-30"), ("（2026年1月23日）", "2026-01-23"), ("二〇二二年一月二十八日", "2022-01-28"),
    ("2023-01-31", "2023-01-31"), ("2023.1.9", "2023-01-09"), ("2023/12/30", "2023-12-30"), ("2023-1/9", None),
    ("二O二三年元月九日", "2023-01-09"), ("2023.13.1", None),
    ("本机关于2021年1月30日发布了很多很多信息。", None),
])
def test_dates(line: str, date: str | None) -> None:
    assert parse_date(line, DEFAULTS.extract.date_line_max_chars) == date


def test_signature_date_and_missing_section_six() -> None:
    report = _meta("临水县人民政府2021年政府信息公开工作年度报告", "临水县人民政府\n二〇二二年一月二十日\n")
    assert report.meta.published == "2022-01-20"
    assert [f.rule for f in report.findings if f.rule == "S.missing_section"] == ["S.missing_section"]
    assert "其他需要报告的事项" in next(f.message for f in report.findings if f.rule == "S.missing_section")


def test_headings_without_numerals_and_with_variants() -> None:
    text = ("临水县人民政府2020年政府信息公开工作年度报告\n一、总体情况\n总体。\n二、主动公开政府信息情况\n"
            "收到和处理政府信息公开申请情况\n因政府信息公开工作被申请行政复议和提起行政诉讼情况\n"
            "五、存在的主要问题和改进情况\n问题很多。\n六、其他需要报告的事项\n无。\n")
    report = parse_bytes(text.encode(), "t.txt")
    assert not [f for f in report.findings if f.rule == "S.missing_section"]
    assert report.sections["problems_improvements"] == "问题很多。"


@pytest.mark.parametrize(("head", "tail", "published", "source"), [
    ("临水县人民政府2021年政府信息公开工作年度报告", "临水县人民政府\n2022年1月20日\n", "2022-01-20", "signature"),
    ("临水县人民政府2021年政府信息公开工作年度报告\n（2022年1月18日）", "", "2022-01-18", "heading"),
    ("发布时间：2022-01-25 09:30 来源：临水县人民政府\n临水县人民政府2021年政府信息公开工作年度报告", "",
     "2022-01-25", "page"),
    ("发布日期 2022-01-26 成文日期 2022-01-19\n临水县人民政府2021年政府信息公开工作年度报告", "",
     "2022-01-19", "page"),
    ("发布时间：2022-01-25\n临水县人民政府2021年政府信息公开工作年度报告", "临水县人民政府\n2022年1月20日\n",
     "2022-01-20", "signature"),
    ("临水县人民政府2021年政府信息公开工作年度报告", "", None, None),
])
def test_published_says_where_it_was_read(head: str, tail: str, published: str | None, source: str | None) -> None:
    report = _meta(head, tail)
    assert (report.meta.published, report.meta.published_from) == (published, source)


@pytest.mark.parametrize("breaks", [("", "\n"), ("\n", "\n"), ("\n", "")])
def test_a_title_broken_inside_its_last_word_gives_the_agency_not_the_intro(breaks: tuple[str, str]) -> None:
    first, second = breaks
    title = f"海南藏族自治州贵德县交通运输局{first}2019 年政府信息公开工作年度报{second}告\n"
    intro = ("本报告依据《中华人民共和国政府信息公开\n条例》（以下简称《条例》）和《中华人民共和\n"
             "国政府信息公开工作年度报告格式》（国办公开办函〔2019〕60号）要求编制。\n")
    report = parse_bytes((title + intro + "一、总体情况\n正文。\n").encode(), "t.txt")
    assert (report.meta.agency, report.meta.year) == ("海南藏族自治州贵德县交通运输局", 2019)


def test_text_quoting_a_document_title_is_never_an_agency() -> None:
    intro = ("本报告依据《中华人民共和国政府信息公开\n条例》（以下简称《条例》）和《中华人民共和\n"
             "国政府信息公开工作年度报告格式》要求编制。\n")
    report = parse_bytes((intro + "一、总体情况\n正文。\n").encode(), "t.txt")
    assert report.meta.agency is None


@pytest.mark.parametrize("signature", ["黔东南苗族侗族自治州岑巩县人力资源和社会保障局",
                                       "黔东南苗族侗族自治州岑巩县人力\n资源和社会保障局"])
def test_a_long_name_broken_over_the_title_lines_is_read_in_full_from_the_signature(signature: str) -> None:
    """A narrow page breaks a long title over four lines; its first line is taken back from the signature."""
    title = "黔东南苗族侗族自治州岑\n巩县人力资源和社会保障\n局 2022 年政府信息公\n开工作年度报告"
    report = _meta(title, f"六、其他需要报告的事项\n无。\n{signature}\n2023 年 3 月 16 日\n")
    assert report.meta.agency == "黔东南苗族侗族自治州岑巩县人力资源和社会保障局"


def test_a_signature_naming_another_body_leaves_the_title_agency() -> None:
    report = _meta("临水县水利局2022年政府信息公开工作年度报告",
                   "六、其他需要报告的事项\n无。\n临水县人民政府\n2023年1月20日\n")
    assert report.meta.agency == "临水县水利局"


@pytest.mark.parametrize("head", [
    "名称 临水县水利局2022年政府信息公开工作年度报告",  # a field table printed without its ruling
    "发布机 成文日 2023-01-\n临水县水利局\n构 期 28\n临水县水利局2022年政府信息公开工作年度报\n名称\n告",
    "发布 成文\n临水县水利局 2023/01/02\n机构 日期\n临水县水利局2022\n名称\n年政府信息公开工作年度报告",
    "发布机构临水县人民政府办公室 成文日期2023年2月26日\n临水县水利局2022年政府信息公开工作年度报告",
    "您现在的位置：首页>信息公开>政府信息公开年报临水县水利局关于2022\n年政府信息公开工作的年度报告",
    "信息来源：临水县水利局 发布日期：2023/01/07 分享到：微\n信微博 QQ空间\n2022年度政府信息公开工作年度报告",
    "来源：临水县水利局 发布时间：2023年3月4日 分享到：微信 微\n博 QQ空间\n2022 年政府信息公开工作年度报告",
    "发布机 临水县水利局 成文日 2023年1月12\n构期日\n临水县水利局2022年政府信息公开工作年度报\n名称\n告",
    "临水县水利局\n构期日\n临水县水利局2022年政府信息公开工作年度报告",
    "2022年度政府信息公开工作年度\n报告\n发布 成文 2023-02-\n临水县水利局\n机构 日期 23 14:03\n"
    "临水县水利局2022年\n名称\n政府信息公开工作年度报告",  # a heading naming the year only; 名称 names the body
])
def test_the_title_of_a_printed_web_page_gives_the_agency_never_its_field_labels_or_chrome(head: str) -> None:
    """A browser's PDF of a portal page wraps the field table's labels and values in narrow columns and sets
    the label 名称 between the lines of the title it holds; share buttons wrap onto the line above the title; a
    heading above the field table that names the year only leaves the body to the title the 名称 field holds."""
    report = _meta(head)
    assert (report.meta.agency, report.meta.year) == ("临水县水利局", 2022)


@pytest.mark.parametrize("head", [
    "您现在的位置：首页>>政务公开>>政府信息公开年度报告赤峰\n市敖汉旗黄羊洼镇人民政府关于2023年政府信息公开工作的年度\n报告",
    "您现在的位置：首页>>政务公开>>政府信息公开年度报告赤峰\n市敖汉旗黄羊洼镇人民政府关于2023年政府信息公开工作的年度报告",
])
def test_a_breadcrumb_line_ending_in_the_first_characters_of_the_bodys_place_gives_them_back(head: str) -> None:
    """A title wrapped onto the breadcrumb's line leaves the first characters of its division's name there (赤峰 of
    赤峰市): too short to be a title's part by themselves, they are one where the title's line finishes the name."""
    report = _meta(head)
    assert (report.meta.agency, report.meta.year) == ("赤峰市敖汉旗黄羊洼镇人民政府", 2023)


def test_a_title_broken_over_four_lines_keeps_the_start_of_a_name_running_across_a_break() -> None:
    """A narrow page breaks a long body's title over four lines, inside its county's name (``…积石山保安`` /
    ``族东乡族…``): the title goes on over the third line above, where the name runs across the break."""
    report = _meta("所在位置：首页»政务公开»政府信息公开年报\n临夏回族自治州积石山保安\n族东乡族撒拉族自治县交通\n"
                   "运输局2021年政府信息公\n开年度报告")
    assert (report.meta.agency, report.meta.year) == ("临夏回族自治州积石山保安族东乡族撒拉族自治县交通运输局", 2021)


def test_a_source_field_left_empty_does_not_take_the_next_line_for_its_value() -> None:
    """``信息来源：`` ending its line names no body: the name on the next line is not the field's."""
    report = _meta("信息来源：\n临水县水利局\n以下为报告全文。\n2022年政府信息公开工作年度报告")
    assert (report.meta.agency, report.meta.year) == (None, 2022)
    report = _meta("信息来源：临水县水利局\n以下为报告全文。\n2022年政府信息公开工作年度报告")
    assert (report.meta.agency, report.meta.year) == ("临水县水利局", 2022)
