"""Row labels wrapped around the line of their values in space-aligned text (readers/around.py): the label's
lines join the row's line, a group label beside the rows keeps its own cell, and a line between two rows goes
to one only where the text shows which."""

from __future__ import annotations

from nianbao.document import Paragraph
from nianbao.readers.layout import text_to_document

VALUES = "1    2    3    4    5    6    21"
"""Seven values laid out in columns, as ``pdftotext -layout`` prints a row of 表三."""


ROWS = ["", "      3.补正后申请内容仍不明确".ljust(30) + VALUES, "", "      4.重复申请".ljust(30) + VALUES]
"""Rows whose labels stand on their values' line, of other lengths: their values line up counted in characters, as
``pdftotext -layout`` counts them (a Chinese character one wide), which tells the text's count of positions."""


def _rows(lines: list[str]) -> list[list[str]]:
    document = text_to_document("\n".join(lines + ROWS) + "\n")
    return [[cell.text for cell in row.cells] for row in document.rows() if row.in_table][:-2]


def _pad(text: str) -> str:
    return " " * 30 + text


def test_a_label_wrapped_around_its_values_line_is_joined_on_it() -> None:
    rows = _rows(["", "      1.本机关不掌握相关政府信", _pad(VALUES), "          息", "",
                  "      2.没有现成信息需要另行制", _pad(VALUES), "          作", ""])
    assert [row[0] for row in rows] == ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作"]
    assert all(row[1:] == VALUES.split() for row in rows)


def test_a_group_label_beside_the_rows_keeps_its_own_cell() -> None:
    rows = _rows(["", " （四）无     2.没有现成信息需要另行制", "  法提供".ljust(30) + VALUES, "              作", ""])
    assert rows == [["法提供", "2.没有现成信息需要另行制作", *VALUES.split()]]
    lines = [" （四）无     2.没有现成信息需要另行制", "  法提供".ljust(30) + VALUES, "              作"]
    blocks = text_to_document("\n".join(lines + ROWS)).blocks
    assert [block.text for block in blocks if isinstance(block, Paragraph)] == ["（四）无"]


def test_lines_between_two_rows_go_where_a_row_labels_number_starts() -> None:
    rows = _rows(["", "      1.本机关不掌握相关政府信", _pad(VALUES), "          息",
                  "      2.没有现成信息需要另行制", _pad(VALUES), "          作", ""])
    assert [row[0] for row in rows] == ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作"]


def test_lines_between_two_rows_with_no_number_stay_unjoined() -> None:
    rows = _rows(["", "      本机关不掌握相关", _pad(VALUES), "        政府信息", "      没有现成信息需要",
                  _pad(VALUES), "        另行制作", ""])
    assert [row[0] for row in rows] == ["1", "1"]  # which row 政府信息 and 没有现成信息需要 belong to is not shown


def test_a_header_line_over_the_value_columns_is_no_label_line() -> None:
    header = "      一、本年新收政府信息公开      自然人  商业企业"
    rows = _rows(["", header, _pad(VALUES), "          申请数量", ""])
    assert rows == [VALUES.split()]  # the header's line reaches over the values: it is not the label's, nor is
    # 申请数量 alone a label wrapped around the values


def test_a_lone_nil_mark_merged_across_a_row_takes_the_label_around_it() -> None:
    nil = " " * 29 + "无"
    rows = _rows(["", "   （二）部分公开（区分处理的，", nil, "      只计这一情形，不计其他情形）", "",
                  "          2.其他法律行政法规禁止", nil, "                公开", "      （",
                  "      三    3.危及三安全一稳定      无", ""])
    assert rows == [["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "无"],
                    ["2.其他法律行政法规禁止公开", "无"], ["三", "3.危及三安全一稳定", "无"]]


def test_a_lone_nil_mark_under_header_lines_takes_no_label() -> None:
    rows = _rows(["", "      一、本年新收政府信息公开", "  自然人  商业企业  科研机构", " " * 29 + "无", ""])
    assert rows == []  # a lone 无 with header cells above is no row with a label


def test_a_line_between_two_rows_is_not_the_upper_rows_for_the_lower_ones_number() -> None:
    granted, secret = "   （一）予以公开".ljust(30) + VALUES, "   1.属于国家秘密".ljust(30) + VALUES
    rows = _rows(["", granted, "     部分公开", secret, ""])
    assert [row[0] for row in rows] == ["（一）予以公开", "1.属于国家秘密"]  # 部分公开 may be a blank row's label
