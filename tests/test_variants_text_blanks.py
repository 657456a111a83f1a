"""Bench files of the plain-text forms whose blank cells print as nothing (spaces, an empty line, or no line at
all): where the print decides a cell, it is read, and none is wrong. Each file is a bench file (seed, index) of its
form, made by the generator as the bench makes it today; each cost cells before."""

from __future__ import annotations

import pytest

from .variants.determined import undetermined
from .variants.score import bench_truth, pinned


def _decided_read(form: str, seed: int, index: int, prefix: str = "") -> None:
    """File ``seed``/``index`` of ``form`` misses no cell (of keys starting with ``prefix``) that the print decides, and
    none is wrong."""
    result = pinned(form, seed, index)
    assert not result.wrong and not result.meta, result.wrong[:3]
    unsure = undetermined(bench_truth(seed, index), form) or set()
    assert not {key for key in result.missing if key.startswith(prefix)} - unsure, result.missing[:6]


@pytest.mark.parametrize(("seed", "index"), [(7, 1), (7, 7)])
def test_values_standing_under_a_mark_or_a_number_they_make_none_with_are_a_row_of_their_own(
        seed: int, index: int) -> None:
    """``txt-aligned``: ``其他对外  51      18`` under ``行政许可  68  -21  —`` (or ``39  -31`` under
    ``86  -32  10450``), a row whose blank cell prints as spaces. 18 under a dash, -31 under -32, make no wrapped number
    with what they stand under: the line is a row of its own, placed under the header by where its values stand."""
    _decided_read("txt-aligned", seed, index, "t2.")


def test_a_text_laid_out_in_display_columns_is_read_by_them_throughout() -> None:
    """``txt-aligned`` file 7/6: 表二's rows counted in characters show five columns (their labels' lengths shift
    the values), in display columns four, too few to read by stretch; the rest of the text is laid out in display
    columns, so 表二's rows are placed under its header, and 表三's rows past a page break by the table before it."""
    _decided_read("txt-aligned", 7, 6)


def test_a_row_doubted_for_the_values_of_a_row_next_to_it_is_read_when_that_row_names_itself() -> None:
    """``txt-columns`` file 7/5: the line of 上年结转 (``4  4  1  9``) under that of 本年新收 (six values) may hold
    pieces of numbers wrapped in their cells, and the line of 结转下年度继续办理 may be the tail of （七）总计: each
    names a row of its own, so the rows next to them are whole, and the whole 表三 is placed by its sums."""
    _decided_read("txt-columns", 7, 5, "t3.")


@pytest.mark.parametrize(("form", "index"), [("txt-columns", 6), ("pdftotext-raw", 6), ("txt-lines", 1)])
def test_a_row_of_table_two_whose_values_only_one_placement_admits_is_read(form: str, index: int) -> None:
    """表二's ``行政许可  17  -9`` (or ``39  -31``, one value a line) under 上一年项目数量, 本年增/减, 处理决定数量: a
    negative number only 本年增/减 admits, so the first value is the year before's and the last column blank."""
    _decided_read(form, 7, index, "t2.")


@pytest.mark.parametrize(("form", "index"), [("txt-lines", 5), ("txt-lines", 6), ("cell-lines", 6)])
def test_a_label_no_value_follows_in_a_table_printed_by_lines_is_a_row_of_blank_cells(form: str, index: int) -> None:
    """表二 printed one cell a line: 行政强制 right before 行政检查 (a row of the agency's own), or 政府集中采购 before
    the note after the table, with no value between (their cells take no line, or an empty line each): their cells
    are blank."""
    _decided_read(form, 7, index, "t2.")


@pytest.mark.parametrize("form", ["txt-columns", "txt-lines"])
def test_a_row_whose_own_sum_a_misprint_breaks_is_placed_by_the_columns_past_the_misprinted_cell(form: str) -> None:
    """File 3/44: （七）总计 prints ``5  2  6  0  12  23`` (five numbers adding up to 25, not 23: one is misprinted),
    so no placement keeps its own sum, and the rows it sums stay open without it. Each of its cells is supposed in
    turn to be the misprint, the identities through that cell left out: every supposition under which the columns'
    sums hold gives each row the same placement."""
    _decided_read(form, 3, 44, "t3.")


def test_a_table_whose_placed_cells_break_its_sums_places_no_row_past_a_misprint() -> None:
    """File 11/11 of ``pdftotext-layout``: 6.属于四类过程性信息 prints ``2  2  0  2`` (no placement keeps its sum), and
    rows placed by their columns break their own sums too (（一）予以公开 adds up to 28, not 29): the table misprints
    more than the rows supposed, so the columns' sums place no row past the misprint; the row is left missing with a
    finding, not read with a 2 under 自然人."""
    result = pinned("pdftotext-layout", 11, 11, large=True)
    row = [key for key in result.missing if key.startswith("t3.denied_process_info.")]
    assert not result.wrong and len(row) == 7 and not set(row) & set(result.unflagged)


def test_an_amount_is_never_read_into_a_count_column() -> None:
    """表二's 政府集中采购 printed a value a line, its blank 采购项目数量 taking no line and a paragraph break after
    its one value (``1.2万元``): read by lines, the amount would stand under the count column; a value its column's
    type cannot hold is never placed there."""
    result = pinned("txt-lines", 20, 19, large=True)
    assert not result.wrong
