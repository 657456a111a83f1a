"""The cell-text helpers every reader shares: which characters are wide, and how a cell's lines become one text."""

from __future__ import annotations

from nianbao.readers.cells import clean_text, is_wide, join_lines


def test_wide_characters_are_cjk_full_width_forms_and_cjk_punctuation() -> None:
    assert all(map(is_wide, "中文，。（）⺀\U00020000“”—…·"))
    assert not any(map(is_wide, "aZ9 ,.()-\u2e7f"))
    assert not is_wide("")
    assert is_wide("中a") and not is_wide("a中")  # a longer text: its first character


def test_a_line_break_between_cjk_is_dropped_and_others_become_a_space() -> None:
    assert clean_text("申请\n 人数") == "申请人数"
    assert clean_text("申请\r\n人数") == "申请人数"
    assert clean_text("2023\n年") == "2023 年"
    assert clean_text("申请\u3000\n人数") == "申请 人数"  # an ideographic space is kept, as a blank
    assert join_lines(["申请", "人数", "(件)", "合计"]) == "申请人数 (件) 合计"
