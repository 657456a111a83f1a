"""Numbers wrapped inside narrow cells of ``pdftotext -layout`` text: joined when their columns say where
they belong, otherwise their row is returned as uncertain (and read by no extractor)."""

from __future__ import annotations

import random

import pytest

from nianbao import parse_bytes
from nianbao.readers.layout import text_to_document
from nianbao.readers.wrapped import unwrap_numbers
from nianbao.render import render
from nianbao.schema import formats
from nianbao.settings import LayoutSettings
from nianbao.synth import consistent_report

COLUMN = 6


def _unwrap(text: str) -> tuple[list[str], set[int]]:
    texts = text.splitlines()
    kinds = ["text" if line.strip() else "blank" for line in texts]
    cut = unwrap_numbers(text, texts, kinds, LayoutSettings()).cut
    return texts, cut


def wrapped_row(numbers: list[str], rng: random.Random, label: str = "") -> list[str]:
    """A row of ``numbers`` laid out in columns as ``pdftotext -layout`` prints it when the cells are too
    narrow for the long numbers: each of those is cut into pieces printed around the row's line."""
    lines = {-1: [" "] * (COLUMN * len(numbers)), 0: [" "] * (COLUMN * len(numbers)),
             1: [" "] * (COLUMN * len(numbers))}
    for index, number in enumerate(numbers):
        if len(number) > 1 and rng.random() < 0.7:
            cut = rng.randint(1, len(number) - 1)
            rows = rng.choice([(-1, 0), (0, 1), (-1, 1)])
            pieces = [(rows[0], number[:cut]), (rows[1], number[cut:])]
        else:
            pieces = [(0, number)]
        for row, piece in pieces:
            lines[row][index * COLUMN:index * COLUMN + len(piece)] = piece
    body = ["".join(lines[row]).rstrip() for row in (-1, 0, 1)]
    body[1] = label + body[1] if label else body[1]
    return [line for line in body if line.strip()] if label else body


@pytest.mark.parametrize("seed", range(30))
def test_wrapped_numbers_of_a_row_of_numbers_are_joined(seed: int) -> None:
    rng = random.Random(seed)
    numbers = [str(rng.choice([0, 1, 7, 13, 28, 250, 1373])) for _ in range(15)]
    texts, cut = _unwrap("\n" + "\n".join(wrapped_row(numbers, rng)) + "\n\n")
    rows = [line.split() for line in texts if line.strip()]
    assert not cut
    assert rows == [numbers]


def test_a_piece_over_two_numbers_leaves_the_row_uncertain() -> None:
    texts, cut = _unwrap("\n  4567\n 11  33  44\n\n")
    assert cut == {2}
    assert texts[1] == "  4567"


def test_pieces_of_text_not_laid_out_in_columns_leave_the_row_uncertain() -> None:
    _, cut = _unwrap("（七）总计 250 4 251 3 114 13\n63\n5\n")
    assert cut == {0}


def test_pieces_around_a_row_with_a_chinese_label_leave_the_row_uncertain() -> None:
    row = "一、本年新收政府信息公开申请数量   0   0   3   2   2   0   5"
    _, cut = _unwrap(f"\n                          5   5\n{row}\n\n")
    assert cut == {2}


def test_pieces_after_a_page_break_leave_the_last_row_before_it_uncertain() -> None:
    text = "\n二、上年结转政府信息公开申请数量   0   4   1   1   1   7  16\n\f   申请人情况\n\n       6\n\n"
    _, cut = _unwrap(text)
    assert cut == {1}


def test_values_printed_apart_from_their_wrapped_label_are_not_pieces() -> None:
    text = ("（二）部分公开（区分处理的，只计这一情形，不\n计其他情形）\n           4    0\n"
            "1.属于国家秘密   1   0   0   0   0   0   1\n")
    texts, cut = _unwrap(text)
    assert cut == {3}
    assert texts[2].split() == ["4", "0"]


def test_a_report_whose_table_four_numbers_wrapped_parses_exactly() -> None:
    rng = random.Random(7)
    report = consistent_report("2021", 7)
    columns = formats().t4_columns
    numbers = [report.tables.t4[c.key].raw for c in columns]
    text = render(report, "txt", "tabs").decode("utf-8")
    row = "\t".join(numbers)
    assert row in text
    layout = "\n".join(["", *wrapped_row(numbers, rng), ""])
    parsed = parse_bytes(text.replace(row, layout).encode("utf-8"), "wrapped.txt")
    assert {c.key: parsed.tables.t4[c.key].raw for c in columns} == {c.key: n for c, n in zip(columns, numbers,
                                                                                              strict=True)}
    assert len(list(text_to_document(layout).rows())) == 1


def test_a_label_continuation_with_fewer_pieces_after_a_page_break_leaves_the_row_before_it_uncertain() -> None:
    text = ("\n（二）部分公开（区分处理的，只计这一情   1   3   0    0   0   1   4\n\f   申请人情况\n\n"
            "理结          形，不计其他情形）        1   3                   5\n")
    _, cut = _unwrap(text)
    assert cut == {1}


def test_a_full_row_after_a_page_break_leaves_the_row_before_it_certain() -> None:
    _, cut = _unwrap("\n规章   5   5   60\n\f\n行政规范性文件   3   0   9\n")
    assert cut == set()


def test_a_row_of_values_with_blank_marks_after_a_page_break_leaves_the_row_before_it_certain() -> None:
    text = ("\n（七）总计   16   4   0   0   10   12   42\n\n结转下一年度继续办理   -   无   —   1   2   —   3\n\f\n"
            "   7   1   7   7   22   2   0   0   2   3   0   2   -   1   3\n")
    _, cut = _unwrap(text)
    assert cut == set()


def test_a_number_at_the_margin_under_an_indented_row_is_not_a_piece_of_its_numbers() -> None:
    row = "          （七）总计        12         1        13         2         1       250       279"
    for gap in ("", "\n"):
        _, cut = _unwrap(f"\n{row}\n{gap}8\n\f\n")
        assert cut == set()
    _, cut = _unwrap(f"\n{row}\n\n{' ' * 30}8\n\f\n")  # under the row's numbers: maybe a piece
    assert cut == {1}


def _pieces(text: str, by_baseline: bool = False) -> tuple[set[int], set[int]]:
    texts = text.splitlines()
    kinds = ["text" if line.strip() else "blank" for line in texts]
    found = unwrap_numbers(text, texts, kinds, LayoutSettings(), by_baseline)
    return found.pieces, found.cut


@pytest.mark.parametrize("by_baseline", [False, True])
def test_rows_whose_numbers_no_wrapping_could_join_are_no_pieces(by_baseline: bool) -> None:
    """Rows printing one or two numbers (a one-column table, a row whose blank cells print nothing) are no pieces
    of a wrapped number: an upper piece is never narrower than the lower, nor the head of a number it starts
    with 0."""
    one_column = "信息内容        本年处理决定数量\n行政处罚                 312\n行政强制               10450\n"
    assert _pieces(one_column, by_baseline) == (set(), set())
    blanks = "信息内容   本年新制作数量   本年新公开数量   对外公开总数量\n规章          0                     0\n" \
             "规范性文件    7        7            56\n"
    assert _pieces(blanks, by_baseline) == (set(), set())
    under = "（七）总计             1        3       12      0     16     32\n" \
            "结转下一年度继续办理            251                           251\n"
    assert _pieces(under, by_baseline) == (set(), set())


def test_a_label_line_holding_the_tail_of_a_number_wrapped_above_leaves_the_row_uncertain() -> None:
    text = "1.本机关不掌握相关政府信      12       5       7      0\n息                             3\n"
    assert _pieces(text)[1] == {0}
