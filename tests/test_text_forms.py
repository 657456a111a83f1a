"""Text forms of generated reports whose tables lost cells to one artefact of the tool that printed them,
each now read exactly: the files are the variation bench's (seed, index), made by the generator."""

from __future__ import annotations

import random
from functools import cache

import pytest

from nianbao.api import parse_bytes

from .variants import FORMS, load_forms
from .variants.reports import random_report
from .variants.score import Score, bench_truth, score
from .variants.wild import tame


@pytest.fixture(autouse=True)
def _drawn_before_the_wild_artefacts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bench files pinned here are drawn as the bench drew them before the artefacts of real reports."""
    tame(monkeypatch)


load_forms()
FILES = {
    "pdftotext-raw": {
        "group_label_on_the_rows_line": [(0, 0), (0, 5), (0, 8), (0, 26)],
        "label_over_a_row_of_nil_marks": [(0, 16), (0, 28)],
        "paragraph_line_naming_a_part": [(0, 40)],
        "label_over_a_lone_nil": [(11, 5), (11, 34)],
        "label_over_most_of_a_row": [(11, 9)],
        "group_label_above_a_wrapped_label": [(0, 34)],
    },
    "cell-lines": {
        "rows_spaced_by_their_cells": [(0, 7)],
        "last_row_ended_by_the_next_part": [(0, 13)],
        "whole_row_after_a_group_label": [(0, 34)],
        "t4_cells_apart": [(0, 17)],
        "header_wording": [(2026, 7)],
    },
    "pdftotext-layout": {"label_around_its_values": [(0, 16), (0, 21), (0, 24)],
                         "sub_row_after_a_page_break": [(0, 14)], "t4_under_its_headers": [(0, 7), (1, 1)],
                         "label_around_a_lone_nil": [(1, 12)], "group_label_mark_left_of_a_row": [(10, 22)]},
    "txt-pipes": {"one_cell_row": [(0, 22)]},
    "txt-lines": {"last_row_before_an_empty_line": [(11, 3)], "group_label_on_the_line_above": [(0, 17)]},
    "txt-aligned": {"bare_page_number_one_line_apart": [(0, 25), (0, 30)], "label_wrapped_in_its_column": [(11, 12)],
                    "page_number_below_a_row_of_numbers": [(11, 11)]},
}
"""Bench files of each form, by the artefact that cost them cells."""


@cache
def _scores(name: str) -> dict[tuple[int, int], Score]:
    """The scores of the bench files of form ``name`` in FILES, made in one batch."""
    form = FORMS[name]
    if form.missing():
        pytest.skip(f"form {name} needs {', '.join(form.missing())}, not installed")
    files = [file for files in FILES[name].values() for file in files]
    truths = [bench_truth(seed, index) for seed, index in files]
    made = form.make_all([(truth, random.Random(f"{seed}/{name}/{index}"))
                          for truth, (seed, index) in zip(truths, files, strict=True)])
    return {file: score(truth, parse_bytes(data, f"{name}-{file[1]}{form.suffix}"))
            for truth, data, file in zip(truths, made, files, strict=True)}


def _bench(name: str, artefact: str) -> list[Score]:
    return [_scores(name)[file] for file in FILES[name][artefact]]


def _raw(artefact: str) -> list[Score]:
    return _bench("pdftotext-raw", artefact)


def _lines(artefact: str) -> list[Score]:
    return _bench("cell-lines", artefact)


def test_a_group_label_printed_on_its_first_rows_line_leaves_the_row_its_own_label() -> None:
    """``pdftotext -raw`` prints a vertical group label on the line of the row beside it
    (``三、本年度办理结果 （一）予以公开 0 0 1 0 0 0 1``, ``（六）其他处理 1.申请人无正当理由逾期不补 …``, the
    label cut by a page break): the row is the numbered label's, not the group's."""
    for result in _raw("group_label_on_the_rows_line"):
        assert result.perfect, (result.missing[:3], result.wrong[:3])


def test_a_label_wrapped_over_lines_above_a_row_of_nil_marks_takes_them() -> None:
    """A label wrapped over lines of its own, then its row's cells on the next line, all of them 无 or dashes
    (``1.本机关不掌握相关政府信`` / ``息`` / ``无 无 / 无 — — -``): the marks are the row's cells."""
    for result in _raw("label_over_a_row_of_nil_marks"):
        assert result.perfect, (result.missing[:3], result.wrong[:3])


def test_a_paragraph_line_starting_with_a_parts_name_is_not_its_heading() -> None:
    """The introduction lists the parts' names and wraps so that a line starts with one
    (``政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情``): the numbered heading is the part's, and
    表四 under it is read."""
    for result in _raw("paragraph_line_naming_a_part"):
        assert result.perfect, (result.missing[:3], result.wrong[:3])


def test_rows_that_each_take_a_line_per_cell_show_their_blank_cells() -> None:
    """A 表三 with more blank cells than values, a line per cell: values stand apart more often than together,
    as in a dump with empty lines of its own, but every row takes its seven lines (and one more for each group
    label merged down beside the next row), so the empty lines are the blank cells."""
    for result in _lines("rows_spaced_by_their_cells"):
        assert result.perfect, (result.missing[:3], result.wrong[:3])


def test_the_last_rows_blank_cells_end_where_the_next_part_begins() -> None:
    """The last row of 表三 ends in blank cells, printed as empty lines right before the next part's heading:
    the heading shows where the row's lines end, as the next row's label does for every other row."""
    for result in _lines("last_row_ended_by_the_next_part"):
        assert result.perfect, (result.missing[:3], result.wrong[:3])


def test_a_whole_row_after_a_group_label_beside_it_takes_its_cells() -> None:
    """（六）其他处理 printed on the line above its first sub-row, whose seven cells are all 无 or dashes: the
    group label is printed beside the row, and the seven lines are the sub-row's."""
    for result in _lines("whole_row_after_a_group_label"):
        assert result.perfect, (result.missing[:3], result.wrong[:3])


def test_t4_printed_a_line_per_cell_with_more_blank_cells_than_values_is_read_by_its_lines() -> None:
    """表四's fifteen lines after its header, most of them empty (blank cells), two values on adjacent lines:
    the lines are its cells (a dump with an empty line of its own after each cell never puts two together)."""
    for result in _lines("t4_cells_apart"):
        assert not [key for key in result.missing if key.startswith("t4.")] and not result.wrong, result.missing


def test_an_empty_line_of_the_dumps_own_before_the_next_part_is_no_blank_cell() -> None:
    """One cell per line, blank cells left out: the last row of 表三 prints six values and the dump an empty
    line before the next part. The cells whose place the identities leave open stay missing (where the blank was
    is not shown), never read by lines; the 总计 every placement agrees on is kept."""
    truth = random_report(random.Random("11/3"))
    form = FORMS["txt-lines"]
    result = score(truth, parse_bytes(form.make(truth, random.Random("11/txt-lines/3")), "txt-lines-3.txt"))
    assert not result.wrong
    assert {"t3.carried_forward.legal_service_org", "t3.carried_forward.other_org"} <= set(result.missing)
    assert "t3.carried_forward.total" not in result.missing


def test_a_pipe_row_of_one_cell_merged_across_the_row_is_a_row() -> None:
    """表四 of a unit that received nothing prints one 无 merged across its row: ``无 |``, one bar only. It is
    a row of the pipe table above it, and every cell states nothing."""
    for result in _bench("txt-pipes", "one_cell_row"):
        assert result.perfect, (result.missing[:3], result.wrong[:3])


def test_a_bare_page_number_one_line_below_a_row_without_numbers_is_the_pages() -> None:
    """A page break inside a table laid out in columns, a bare ``6`` before it, one empty line below a row
    (表三 of a unit that received nothing, its rows printing 无) or header line holding no digit: no number
    near can have wrapped into it, and the text prints no value on a line of its own, so it is the page's
    number, not a row of the table."""
    for result in _bench("txt-aligned", "bare_page_number_one_line_apart"):
        assert result.perfect, (result.missing[:3], result.wrong[:3])


def test_a_label_wrapped_over_lines_above_a_lone_nil_mark_takes_it() -> None:
    """表三 of a unit that received nothing, a 无 merged across each row, its labels wrapped over lines of their
    own (``1.属于国家`` / ``秘密`` / ``无``), a group label above some (``（四）无法提供``): each row takes its 无
    and states nothing. (``3.危及“三安全一稳定”`` has pieces of its label printed after its 无, interleaved with
    a vertical group label's: it stays missing.)"""
    for result in _raw("label_over_a_lone_nil"):
        assert not result.wrong
        assert {key.rsplit(".", 1)[0] for key in result.missing} <= {"t3.denied_security_stability"}, result.missing


def test_a_label_wrapped_in_its_column_below_its_rows_values_is_joined() -> None:
    """Text laid out in columns prints a row's values on its first line and the rest of a long label in its
    column on the lines below (``（三）不    1.属于国    无`` / ``予公开      家秘密``): the pieces join the label
    they line up with, and the row is named."""
    for result in _bench("txt-aligned", "label_wrapped_in_its_column"):
        assert result.perfect, (result.missing[:3], result.wrong[:3])


def test_a_blank_rows_label_below_a_whole_label_is_not_its_rest() -> None:
    """One row per line, blank cells left out: 行政强制 (its cell blank) on the line below 行政处罚 and its value
    is a row of its own, not the rest of 行政处罚's label."""
    truth = random_report(random.Random("0/20"))
    form = FORMS["txt-columns"]
    result = score(truth, parse_bytes(form.make(truth, random.Random("0/txt-columns/20")), "txt-columns-20.txt"))
    assert "t2.art20_6.admin_penalty.decisions" not in result.missing and not result.wrong


def test_a_bare_page_number_away_from_the_columns_of_the_numbers_near_it_is_the_pages() -> None:
    """A bare ``8`` at the left margin two lines below 表三's last row of numbers, then a page break: a piece of
    a wrapped number would stand in its number's column, so the ``8`` is the page's number and every row of
    表三 keeps its place."""
    for result in _bench("txt-aligned", "page_number_below_a_row_of_numbers"):
        assert not result.wrong and not [key for key in result.missing if key.startswith("t3.")], result.missing


def test_a_label_wrapped_over_lines_above_most_of_its_rows_values_takes_them() -> None:
    """A label wrapped over lines of its own above a line of six values (a blank cell vanished): the values are
    the row's, and the table's sums place the blank (8.属于行政查询事项, （七）总计); no row's cells go wrong."""
    for result in _raw("label_over_most_of_a_row"):
        assert not result.wrong
        assert not [key for key in result.missing if key.startswith(("t3.denied_inquiry_matter.",
                                                                     "t3.result_total."))], result.missing


def test_a_header_worded_as_real_reports_word_it_is_no_row() -> None:
    """表三's header printing 合计 for 总计 (and a row labelled without its number), the covered cells of the header
    row as empty lines after it: 合计 is a header cell, and the first row's lines are read as its cells."""
    for result in _lines("header_wording"):
        assert result.perfect, (result.missing[:3], result.wrong[:3])


def test_the_last_rows_values_before_the_dumps_empty_line_are_its_own_in_order() -> None:
    """One cell per line, blank cells left out: 表三's last row prints its values on the lines right after its
    label, then the dump's empty line and the next part. They are the row's, in printed order (the sums place its
    blanks or leave it missing), so no run of the table is left short and its other rows keep their cells."""
    for result in _bench("txt-lines", "last_row_before_an_empty_line"):
        assert not result.wrong
        assert not [key for key in result.missing if key.startswith("t3.new_received.")], result.missing


def test_a_group_label_on_the_line_above_a_rows_label_leaves_it_its_values_in_order() -> None:
    """One cell per line, blank cells left out: （六）其他处理 on the line above 1.申请人无正当理由逾期不补正…, whose
    values follow: the group label is printed beside the row, and the values are the row's in order, so the
    table is read (its rows placed by the sums where only one placement fits them)."""
    for result in _bench("txt-lines", "group_label_on_the_line_above"):
        assert not result.wrong
        assert not [key for key in result.missing if key.startswith(("t3.new_received.", "t3.other_no_correction.",
                                                                     "t3.result_total."))], result.missing


def test_a_wrapped_label_whose_first_line_starts_with_its_group_label_takes_its_row() -> None:
    """``（六）其他处理 1.申请人`` / ``无正当理`` / ``由逾期不`` / ``补正`` / ``— 无 - / / / —``: joined, the lines name
    the row from its numbered part on, the group label printed in front of it."""
    for result in _raw("group_label_above_a_wrapped_label"):
        assert result.perfect, (result.missing[:3], result.wrong[:3])


def test_a_label_wrapped_around_its_rows_values_is_the_rows() -> None:
    """``pdftotext -layout`` prints a label too long for its cell over lines above and below the line of its
    values (``1.本机关不掌握相关政府信`` / the values / ``息``), a group label beside the rows in a column of its
    own further left, its pieces on the same lines (``（四）无`` / ``法提供``): the label's lines are the row's
    label, the group's pieces stay apart, and every row is named."""
    for result in _bench("pdftotext-layout", "label_around_its_values"):
        assert result.perfect, (result.missing[:3], result.wrong[:3])


def test_values_under_a_sub_rows_label_after_a_page_break_are_that_rows() -> None:
    """A page break, then ``6.属于四类过`` / ``7  —  2  0  9`` / ``程性信息``: the values line after the break
    prints fewer values than the last row before it, yet a sub-row's label starts above it, so it is that row's
    values, not the tail of a row the break cut (whose cells would then be of uncertain order)."""
    for result in _bench("pdftotext-layout", "sub_row_after_a_page_break"):
        assert result.perfect, (result.missing[:3], result.wrong[:3])


def test_t4s_values_in_narrow_columns_stand_under_their_headers() -> None:
    """表四 laid out by ``pdftotext -layout`` in narrow columns under vertical headers (``结`` / ``果`` / ``维`` /
    ``持``), a blank cell printed as nothing: between the headers beside it a value may stand in two columns,
    but only one way puts every value under its own column's header (a Chinese header counted in characters
    prints twice as wide as it counts), and the row's sums hold: every cell of 表四 is read."""
    for result in _bench("pdftotext-layout", "t4_under_its_headers"):
        assert not [key for key in result.missing if key.startswith("t4.")] and not result.wrong, result.missing


def test_a_label_wrapped_around_a_lone_nil_mark_is_the_rows() -> None:
    """表三 of a unit that received nothing, a 无 merged across each row on a line of its own, its label wrapped
    on the lines around it and a vertical group label's characters beside them (``2.其他法律行政法规禁止`` /
    ``无`` / ``公开`` / ``（``): each row is named and states nothing. (``3.补正后申请内容仍不明`` has the group
    label's character 无 on its 无's line, left of its label: a row of one mark with text outside its label column
    is not read around, and it stays missing.)"""
    for result in _bench("pdftotext-layout", "label_around_a_lone_nil"):
        assert not result.wrong
        assert {key.rsplit(".", 1)[0] for key in result.missing} <= {"t3.unable_unclear"}, result.missing


def test_a_group_labels_mark_left_of_a_rows_values_is_no_value() -> None:
    """The 无 of a group label printed downwards (``（四）无法提供``) on the line of a row's values, left of the row's
    label wrapped around them, is no value of the row (it took the row's first column, a blank cell printed as
    nothing, and shifted two cells): values stand right of labels."""
    for result in _bench("pdftotext-layout", "group_label_mark_left_of_a_row"):
        assert not result.wrong, result.wrong
