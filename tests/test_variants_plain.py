"""Plain ``pdftotext`` of LibreOffice's PDF: a table's cells printed one a paragraph in the order of the page's
blocks, a page's labels and cells apart, its footer amid them. The files are bench files (seed, index) of the form,
made by the generator as the bench makes them today; each lost cells the print decides."""

from __future__ import annotations

import pytest

from nianbao.readers.layout import text_to_document

from .variants.score import pinned

FORM = "pdftotext"


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
