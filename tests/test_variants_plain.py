"""Plain ``pdftotext`` (no -layout) of LibreOffice's PDF: 表三 printed one cell per paragraph, read where the print
decides and left missing where it does not.

The files are bench files (seed, index) of the form ``pdftotext``: a page break that prints the next page's labels
ahead of their rows, a group label followed by the values of the rows under it (their labels printed after), and
tables where one row's values cannot be told (its blank cells print nothing) while whole rows around it can.
Others print values column by column, or a row's values after another row's label: no cell of them may be wrong.
"""

from __future__ import annotations

import random
from functools import cache

import pytest

from nianbao.api import parse_bytes
from nianbao.readers.layout import text_to_document
from nianbao.report import Report

from .variants import load_forms
from .variants.score import Score, bench_truth, pinned, score
from .variants.wild import tame

FORM = "pdftotext"
LABELS_AHEAD = (0, 0)
"""A page break prints （三）不予公开, 总计, the repeated header, （四）… （六）… and then 3.危及“三安全一稳定” with its
values."""
GROUP_THEN_LABELS = (0, 3)
"""Marks of nothing in blank cells; （三）不予公开 followed by the values of 1. and 2. (their labels printed after the
page break), a row printing two marks on one paragraph further down."""
MISLEADING = [(1, 35), (16, 31), (16, 41), (28, 7), (29, 22), (0, 44), (26, 43), (30, 27)]
"""Values printed before the labels they belong to; a table printed column by column; rows whose blank cells print
nothing, a label followed by its few values and the next row's; one row's label followed by 27 values, three labels
alone after it; three labels listed before the values of their three rows; 表四's values printed out of column
order, all in one run, or a few at a time among the pieces of its vertical header (the sums hold in printed order,
yet two values of a group are swapped, or a value of one group stands in another's)."""
WILD = [(1, 25)]
"""Drawn with the artefacts of real reports: a row's values printed after a column's header, the first column's
last."""

LABELS_LISTED = [(16, 8), (26, 14), (38, 29)]
"""表二's 规章 and 行政规范性文件 printed one after the other, then the block's few values (blank cells print
nothing): which row each value is, the print does not say."""


@cache
def _scores(wild: bool = False) -> dict[tuple[int, int], Score]:
    """The pinned files' scores: those drawn as the bench drew them before the artefacts of real reports, or
    (``wild``) those drawn with them."""
    form = load_forms()[FORM]
    if form.missing():
        pytest.skip(f"form {FORM} needs {', '.join(form.missing())}, not installed")
    files = WILD if wild else [LABELS_AHEAD, GROUP_THEN_LABELS, *MISLEADING, *LABELS_LISTED]
    with pytest.MonkeyPatch.context() as patch:
        if not wild:
            tame(patch)
        truths = [bench_truth(seed, index) for seed, index in files]
        data = form.make_all([(truth, random.Random(f"{seed}/{FORM}/{index}"))
                              for truth, (seed, index) in zip(truths, files, strict=True)])
    return {file: score(truth, parse_bytes(made, f"{FORM}-{file[1]}{form.suffix}"))
            for file, truth, made in zip(files, truths, data, strict=True)}


def _parsed(seed: int, index: int) -> Report:
    """Bench file ``index`` of ``seed`` in the form, parsed as the bench parses it."""
    form = load_forms()[FORM]
    if form.missing():
        pytest.skip(f"form {FORM} needs {', '.join(form.missing())}, not installed")
    truth = bench_truth(seed, index)
    made = form.make_all([(truth, random.Random(f"{seed}/{FORM}/{index}"))])[0]
    return parse_bytes(made, f"{FORM}-{index}{form.suffix}")


def _missing_rows(result: Score) -> set[str]:
    return {key.split(".")[1] for key in result.missing if key.startswith("t3.")}


def test_a_row_after_its_pages_labels_and_repeated_header_is_read() -> None:
    result = _scores()[LABELS_AHEAD]
    assert not result.wrong and not result.meta
    assert not _missing_rows(result)


def test_whole_rows_are_read_though_other_rows_of_the_table_cannot_be() -> None:
    """The rows printed whole, label then a row of values, are read; so are the two rows of values after the group
    label, by the order of the rows around them, and the row printing two marks on one paragraph; the one row whose
    print does not decide stays missing."""
    result = _scores()[GROUP_THEN_LABELS]
    assert not result.wrong and not result.meta
    read = {"new_received", "carried_over", "granted", "partially_granted", "denied_state_secret",
            "denied_prohibited_by_law", "denied_security_stability", "denied_third_party_rights"}
    assert not read & _missing_rows(result)
    assert _missing_rows(result) == {"rejected_excessive"}


@pytest.mark.parametrize(("seed", "index"), MISLEADING)
def test_a_print_that_does_not_decide_a_row_gives_no_wrong_cell(seed: int, index: int) -> None:
    result = _scores()[(seed, index)]
    assert not result.wrong and not result.meta


@pytest.mark.parametrize(("seed", "index"), LABELS_LISTED)
def test_a_blocks_labels_listed_before_its_values_give_no_wrong_cell(seed: int, index: int) -> None:
    result = _scores()[(seed, index)]
    assert not result.wrong and not result.meta
    assert any(key.startswith("t2.art20_1.") for key in result.missing)


@pytest.mark.parametrize(("seed", "index"), WILD)
def test_a_row_printed_after_a_columns_header_gives_no_wrong_cell(seed: int, index: int) -> None:
    result = _scores(wild=True)[(seed, index)]
    assert not result.wrong and not result.meta


def test_cells_the_dump_joined_on_one_line_are_read_in_order() -> None:
    """Bench file 0/3 of the form (drawn as the bench draws it today): narrow cells side by side print as one
    paragraph (``— 0``, ``无 无``); each is a cell of its own, left to right, and the rows around them are read (but
    for those next to a row a page break cut, whose values are printed apart)."""
    result = pinned(FORM, 0, 3)
    assert not result.wrong and not result.meta
    assert not {"denied_enforcement_file", "denied_inquiry_matter", "unable_not_held",
                "rejected_publication"} & _missing_rows(result)


def test_rows_read_in_printed_order_are_not_trusted_where_some_label_is_followed_by_part_of_a_row() -> None:
    """Bench file 7/19 of the form: its blank cells print nothing, so some labels are followed by fewer values than
    columns (the rest printed elsewhere); a row followed by a whole row's worth of values may then hold another
    row's, and the sums of zeros hold all the same: no row of the table is read by counting."""
    result = pinned(FORM, 7, 19)
    assert not result.wrong and not result.meta


def test_a_row_printed_whole_beside_whole_rows_on_one_side_is_read() -> None:
    """Bench file 0/3 of the form: 1.信访举报投诉类申请's values are printed partly before its label, partly after it
    and the page number; 2.重复申请, first on the next page, and the rows around 2.没有现成信息需要另行制作 print a
    row's worth of values each after their label, whole rows on one side of them: they are read, the rows the page
    break mixed up stay missing."""
    result = pinned(FORM, 0, 3)
    assert not result.wrong and not result.meta
    assert not {"rejected_duplicate", "unable_need_creation"} & _missing_rows(result)
    assert {"rejected_petition", "unable_unclear"} <= _missing_rows(result)


@pytest.mark.parametrize(("seed", "index"), [(11, 9), (12, 25)])
def test_several_rows_after_one_label_or_a_table_four_read_across_its_header_give_no_wrong_cell(
        seed: int, index: int) -> None:
    """Bench file 11/9: 7.属于行政执法案卷 followed by two rows' worth of values, the label after them followed by
    header pieces (blank cells print nothing): the second row's worth is not placed by order. Bench file 12/25: 表四's
    values printed a paragraph each in runs between pieces of its vertical header, each run ending where a group
    ends, yet one group's values in another order (the sums hold): 表四 stays missing."""
    result = pinned(FORM, seed, index)
    assert not result.wrong and not result.meta
    if (seed, index) == (12, 25):
        assert any(key.startswith("t4.") for key in result.missing)


def test_a_whole_row_breaking_its_own_sum_between_rows_that_hold_theirs_is_read_as_printed() -> None:
    """Bench file 0/37 of the form prints a mark in every cell; one row's 总计 is not the sum of its parts (the
    report's own mistake, which the audit names). Its label is followed by a row's worth of values and the rows on
    either side print whole rows that hold their sums: the row is read as printed."""
    result = pinned(FORM, 0, 37)
    assert not result.wrong and not result.meta
    assert "carried_over" not in _missing_rows(result)


def test_a_blocks_labels_wrapped_into_one_paragraph_before_its_values_give_no_wrong_cell() -> None:
    """Bench file 16/8 of the form as the bench draws it: 规章（含以本机关名义印发的文件） and 行政规范性文件（…）
    wrapped over adjacent lines, one paragraph, then the block's three values (blank cells print nothing): which row
    each value is, the print does not say, so neither row is read."""
    result = pinned(FORM, 16, 8)
    assert not result.wrong and not result.meta
    assert any(key.startswith("t2.art20_1.") for key in result.missing)


def test_a_row_whose_last_values_may_be_the_next_rows_printed_ahead_of_its_label_gives_no_wrong_cell() -> None:
    """Bench file 28/40 of the form: 5.属于三类内部事务信息's blank 其他 prints nothing and its 总计 is printed further
    down, and the two marks of nothing of 6.属于四类过程性信息 come before that row's label: 5.'s label is followed by
    a row's worth of values beside a whole row, the sums of zeros holding. Which of them are the next row's the print
    does not say: the row stays missing, with a finding."""
    result = pinned(FORM, 28, 40)
    assert not result.wrong and not result.meta
    assert "denied_internal_affairs" in _missing_rows(result)
    assert "t3.denied_internal_affairs.total" not in result.unflagged


def test_a_first_row_breaking_its_own_sum_before_a_row_holding_its_own_is_read_as_printed() -> None:
    """Bench file 3/14 of the form prints 一、本年新收政府信息公开申请数量 first after 表三's header, followed by a
    row's worth of values whose 总计 is not the sum of its parts (the report's own mistake); the row after prints a
    whole row holding its sum, and no value comes before the table: no value can have moved into or out of the row,
    which is read as printed."""
    result = pinned(FORM, 3, 14)
    assert not result.wrong and not result.meta
    assert "new_received" not in _missing_rows(result)


@pytest.mark.parametrize(("seed", "index"), [(0, 39), (0, 35)])
def test_table_four_whose_header_prints_its_labels_whole_and_in_order_is_read_despite_a_broken_sum(
        seed: int, index: int) -> None:
    """Bench files 0/39 and 0/35 of the form print 表四's whole header (0/35 with 合计 for 总计), each result label
    whole and in the columns' order, then all fifteen values a paragraph each; one group's 总计 is not the sum of its
    results (the report's own mistake). The header places every value: 表四 is read as printed."""
    result = pinned(FORM, seed, index)
    assert not result.wrong and not result.meta
    assert not any(key.startswith("t4.") for key in result.missing)


def test_table_four_printing_a_run_that_ends_within_a_group_reads_only_what_every_order_gives() -> None:
    """Bench file 36/19 of the form prints 表四's labels whole and in order, one for each value of each run, but its
    first run ends before 行政复议's 总计 and prints 结果维持's value (its label on one line) after the values of the
    columns whose labels wrap, the sum holding all the same. Any order of that run keeps the sums: its four cells
    stay missing with a finding listing the orders; 总计, alone in its run, and the two groups printed whole in one
    run are read."""
    result = pinned(FORM, 36, 19)
    assert not result.wrong and not result.meta
    review = {f"t4.review_{column}" for column in ("upheld", "corrected", "other", "pending")}
    assert {key for key in result.missing if key.startswith("t4.")} == review
    partly = [f for f in _parsed(36, 19).findings if f.rule == "S.order_partly"]
    assert len(partly) == 1 and set(partly[0].cells) == review


@pytest.mark.parametrize(("seed", "index", "read"), [(3, 21, 15), (3, 34, 15), (3, 8, 11), (3, 0, 8)])
def test_table_four_in_runs_under_a_header_showing_their_columns_reads_the_cells_every_order_gives(
        seed: int, index: int, read: int) -> None:
    """Bench files of seed 3 print 表四's values in runs under a header naming each run's columns in order, some run
    ending within a column group. 3/21 and 3/34 print 行政复议's values one a run under its vertical header, then
    both 行政诉讼 groups in one run: every value is placed. 3/8 (runs of 2, 2, 1, 10) and 3/0 (5, 2, 2, 2, 4 and
    the last 总计 apart) leave a doubtful run's cells missing but for those every order keeping 表四's sums
    gives the same value (a group's 总计, equal values)."""
    result = pinned(FORM, seed, index)
    assert not result.wrong and not result.meta
    assert 15 - sum(1 for key in result.missing if key.startswith("t4.")) == read


@pytest.mark.parametrize(("seed", "index"), [(7, 3), (7, 8), (7, 9)])
def test_a_table_of_a_unit_that_received_nothing_is_read_through_page_breaks(seed: int, index: int) -> None:
    """Files 7/3, 7/8 and 7/9 are of units that received nothing. 7/3 prints its page number ``2`` amid 表三's header
    (``企业`` / ``2`` / ``科研``) and each row's 无 after its label; 7/8 prints one 无 merged over the whole table and
    its page number ``3`` between the heading and the header; 7/9 cuts labels at page breaks, the 无 between their
    pieces and the repeated header. Every cell of 表三 states nothing, read as such."""
    result = pinned(FORM, seed, index)
    assert result.perfect, (result.missing, result.wrong)


def _values(text: str) -> list[str]:
    return [cell.text for row in text_to_document(text).rows() for cell in row.cells]


def _pages(*bodies: str) -> str:
    return "\f".join(bodies) + "\f"


def test_a_bare_page_number_amid_its_page_is_dropped_where_every_page_prints_its_number() -> None:
    text = _pages("标题\n\n正文一\n\n1\n", "表头\n\n2\n\n一、本年新收\n\n无\n", "正文三\n\n3\n")
    assert _values(text) == ["标题", "正文一", "表头", "一、本年新收", "无", "正文三"]


def test_a_bare_number_is_kept_where_a_page_prints_two_lines_of_its_number_or_one_none() -> None:
    twice = _pages("标题\n\n1\n", "表头\n\n2\n\n一、本年新收\n\n2\n\n正文二\n", "正文三\n\n3\n")
    assert _values(twice).count("2") == 2
    missing = _pages("标题\n\n正文\n", "表头\n\n2\n\n一、本年新收\n\n无\n", "正文三\n\n3\n")
    assert "2" in _values(missing)


def test_a_bare_number_is_kept_where_pages_are_numbered_with_marks() -> None:
    text = _pages("标题\n\n- 1 -\n", "表头\n\n2\n\n一、本年新收\n\n无\n\n- 2 -\n", "正文三\n\n- 3 -\n")
    assert "2" in _values(text)


def test_a_whole_row_after_its_label_is_read_where_its_neighbours_lost_blank_cells() -> None:
    """File 7/7 prints ``5.属于三类内部事务`` / ``信息``, then ``4`` ``0`` ``-`` ``0`` ``-`` ``0`` ``4`` a paragraph
    each, and ``7.属于行政执法案卷`` with ``1 0 0 0 0 0 1``, between rows whose blank cells printed nothing. Each row
    holds its sum, and neither starts nor ends with a value reading 0 that the row before or after may have printed
    there: the rows are read."""
    result = pinned(FORM, 7, 7)
    assert not result.wrong
    assert not {key for key in result.missing if key.split(".")[1] in ("denied_internal_affairs",
                                                                        "denied_enforcement_file")}


def test_a_whole_row_starting_with_values_reading_zero_is_not_read_alone() -> None:
    """File 2/5 prints ``0 0 0 1 0 0 1`` after ``5.属于三类内部事务信息``, whose row is ``0 _ 0 0 1 0 _``: the first
    0 is the row before's, printed after this row's label, and the rest, a blank cell among them, hold the sum as
    well. The row is left missing."""
    result = pinned(FORM, 2, 5)
    assert not result.wrong
    assert {f"t3.denied_internal_affairs.{column}" for column in ("natural_person", "total")} <= set(result.missing)


def test_rows_printed_apart_from_their_labels_are_read_in_printed_order_where_the_tables_sums_hold() -> None:
    """File 1/31 prints ``2.申请人逾期未按收费…`` and ``3.其他`` each with its values across a repeated header, then
    the values of （七）总计 and 四、结转下年度继续办理 before their two labels: every value left unread comes in whole
    rows holding their sums, as many as the rows left, and the table's sums hold with them given in printed order."""
    result = pinned(FORM, 1, 31)
    assert not result.wrong and not result.meta
    assert not _missing_rows(result)
    placed = {cell for found in _parsed(1, 31).findings if found.rule == "S.row_by_sums" for cell in found.cells}
    assert {"t3.result_total", "t3.carried_forward"} <= placed


def test_rows_printed_apart_stay_missing_where_the_sums_do_not_confirm_their_order() -> None:
    """File 10/33 prints a run under 4.保护第三方合法权益 that breaks its row's sum (printed out of column order) beside
    two runs of zeros: no row of them is read."""
    result = pinned(FORM, 10, 33)
    assert not result.wrong and not result.meta
    assert {"denied_third_party_rights", "denied_internal_affairs", "denied_process_info"} <= _missing_rows(result)


def test_a_row_of_marks_printed_apart_from_its_label_is_read_in_printed_order_where_the_tables_sums_hold() -> None:
    """File 3/8 lists ``3.其他``, （七）总计 and 四、结转下年度继续办理 apart from their values: 3.其他's row prints
    marks of nothing alone (no label, no number), between the runs of the other rows; with it the runs fill the three
    rows and the table's sums hold in printed order."""
    result = pinned(FORM, 3, 8)
    assert not result.wrong and not result.meta
    assert not _missing_rows(result) & {"other_other", "result_total", "carried_forward"}


def test_a_value_reading_its_pages_number_where_several_do_is_the_rows_only_where_its_sums_say() -> None:
    """File 11/3 numbers its pages bare, and page 4 prints ``4`` amid the last row's values (``-  /  2  0  0  4  2``,
    其他 blank) as well as in other rows: which ``4`` is the page's number the print does not say. A row taking one
    is read only where its sum holds with it and with no blank in its place; that row's sum breaks, it stays
    missing."""
    result = pinned(FORM, 11, 3, large=True)
    assert not result.wrong
    assert "t3.carried_forward.other_org" in result.missing


def test_a_row_breaking_its_own_sum_with_a_value_reading_its_pages_number_is_not_read() -> None:
    """Bench file 0/4 prints a mark in every cell, and page 3 its number bare amid t4's cells; ``3.要求提供公开出版物``
    prints ``0  0  1  0  0  3  3``, its 总计 not the sum of its parts (the report's own mistake). Either ``3`` may be
    the page's number, the row's 总计 blank: the row is not read, and no cell is wrong."""
    result = pinned(FORM, 0, 4)
    assert not result.wrong and not result.meta
    assert "rejected_publication" in _missing_rows(result)


def test_a_row_printing_marks_alone_between_a_label_and_values_leaves_the_values_unplaced_by_order() -> None:
    """File 4/57: a page break cuts ``2.申请人逾期未按…``, and ``1.申请人无正当理由…`` is followed by two rows of
    values, the first marks of nothing alone (no item of the table), the second with a 0. The second is not the row
    right after the label: the rows are placed by the table's sums, in the order printed."""
    result = pinned(FORM, 4, 57, large=True)
    assert not result.wrong
    assert not any(key.startswith(("t3.other_no_correction.", "t3.other_fee_unpaid.")) for key in result.missing)


@pytest.mark.parametrize(("seed", "index"), [(0, 9), (0, 24)])
def test_a_rows_values_cut_into_runs_by_the_headers_pieces_are_placed_by_the_tables_sums(seed: int,
                                                                                       index: int) -> None:
    """Files 0/9 and 0/24 print 一、本年新收政府信息公开申请数量's values apart from its label, cut into runs by the
    pieces of the header printed among them (``1``, then ``0  0  3  12  250``, then ``266``): no run fills a row, all
    of them in printed order fill the one row left, which holds its sum and the table's identities."""
    result = pinned(FORM, seed, index, large=True)
    assert not result.wrong and not result.meta
    assert "new_received" not in _missing_rows(result)


@pytest.mark.parametrize(("seed", "index"), [(1, 3), (1, 19)])
def test_a_table_three_printing_its_labels_and_no_number_reads_every_cell_blank(seed: int, index: int) -> None:
    """Bench files 1/3 and 1/19 of the form (large bodies' reports among the drawn): a unit that received nothing.
    1/3 prints one 无 amid the header's pieces, 1/19 a 无 after most rows' labels but not all (a page break splits a
    label, the last row's 无 vanished): no number is printed, so every cell of 表三 states nothing and is read so."""
    result = pinned(FORM, seed, index, large=True)
    assert not result.wrong and not result.meta
    assert not _missing_rows(result)


def test_values_printed_before_table_fours_header_are_not_its_own() -> None:
    """Bench file 2/31 of the form (large bodies' reports among the drawn): a page break prints 表三's last values
    after 表四's heading, before its header; 表四's whole header follows, each result label whole and in order, then
    its fifteen values. The values before the header are not 表四's: 表四 is read whole."""
    result = pinned(FORM, 2, 31, large=True)
    assert not result.wrong and not result.meta
    assert not any(key.startswith("t4.") for key in result.missing)


def test_table_four_header_with_a_group_name_joined_to_a_label_still_shows_the_runs_columns() -> None:
    """Bench file 2/8 of the form (large bodies' reports among the drawn) prints 未经复议直接起诉 and 行政复议's 总计 on
    adjacent lines, one paragraph, before 总计's value: the group name aside, the paragraph is 总计's label and the
    header shows each run's columns. 行政复议's first run ends within the group: its four cells stay missing, the
    others are read."""
    result = pinned(FORM, 2, 8, large=True)
    assert not result.wrong and not result.meta
    assert {key for key in result.missing if key.startswith("t4.")} == {
        f"t4.review_{column}" for column in ("upheld", "corrected", "other", "pending")}


def test_rows_of_nothing_cut_from_runs_joined_are_not_placed() -> None:
    """Bench file 6/36 of the form (large bodies' reports among the drawn): rows of zeros and marks of nothing, one
    row's last mark printed after the next rows' values, so the runs printed apart fill no whole rows. Joined and cut,
    they shift each row by one value, and every sum of zeros holds all the same: those rows stay missing."""
    result = pinned(FORM, 6, 36, large=True)
    assert not result.wrong and not result.meta
    assert {"unable_not_held", "unable_unclear", "rejected_petition"} <= _missing_rows(result)


@pytest.mark.parametrize(("seed", "index", "large"), [(2, 22, True), (3, 3, False)])
def test_rows_apart_are_given_in_printed_order_where_only_the_reports_own_mistakes_break_a_sum(
        seed: int, index: int, large: bool) -> None:
    """Bench file 2/22 of the form (large bodies' reports among the drawn) prints （七）总计 and 四、结转下年度继续办理
    together, the header's pieces, then their two rows of values; file 3/3 prints those two rows' values whole, apart
    from their labels. Some identity of the table is broken by the report's own mistake (3/3: its 总计 column, 495
    summed, 395 printed), in either order of the two rows; the other order breaks every identity the printed one
    breaks, and more (3/3: the 科研机构 and 社会公益组织 columns' sums): both rows are read as printed."""
    result = pinned(FORM, seed, index, large)
    assert not result.wrong and not result.meta
    assert not {"result_total", "carried_forward"} & _missing_rows(result)
