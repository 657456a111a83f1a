"""Each reading, extraction and audit tolerance of the settings reaches the step that uses it: changing it
through the API's ``settings=`` (or ``--settings FILE``) changes what that step makes of an input built here."""

from __future__ import annotations

from nianbao.readers import read_bytes


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
