"""Tables drawn without lines between their columns, printed to PDF (LibreOffice's ``lo-pdf-rules`` and Chromium's
``browser-pdf``) and read by the position of their characters over page breaks: a page whose rows all leave one
column blank, or that holds too few rows to show its columns, is read on the columns of the page it continues (or
that continues it), a row's numbered label wrapped around its values does not end the rows read together, and columns
a character apart are told from the values' spans as the PDF sets them. No cell is ever wrong.

The files are bench files (seed, index), drawn as the bench draws them today.
"""

from __future__ import annotations

from .variants.score import Score, pinned


def _rows(keys: list[str]) -> set[str]:
    return {key.rsplit(".", 1)[0] for key in keys}


def _right(result: Score) -> None:
    assert not result.wrong and not result.meta


def test_a_page_whose_rows_all_leave_the_last_column_blank_is_read_on_the_columns_of_the_page_before() -> None:
    """Bench file 0/40 of ``lo-pdf-rules``: 表三 drawn with the lines between its rows only; on its second page
    no row fills 总计, so that page alone shows six columns; its values stand in the first six columns of the page
    before, and every cell is read."""
    result = pinned("lo-pdf-rules", 0, 40)
    _right(result)
    assert result.perfect, result.missing[:5]


def test_a_page_whose_rows_all_leave_an_inner_column_blank_is_read_on_the_columns_of_the_page_before() -> None:
    """Bench file 0/13 of ``browser-pdf``: on a page of 表三 no row fills 法律服务机构; the page's rows are read on
    the columns of the page before (表二's and 表四's rows that only their sums could place stay missing)."""
    result = pinned("browser-pdf", 0, 13)
    _right(result)
    assert not [key for key in result.missing if key.startswith("t3.")]


def test_a_numbered_label_wrapped_around_its_rows_values_does_not_end_the_rows_read_together() -> None:
    """Bench file 0/41 of ``lo-pdf-rules``: 一、本年新收政府信息公开申请数量 wraps, its values printed between its
    two lines, the first of which looks like a section heading; the row is read with the rows below it (rows
    printing one value alone stay missing)."""
    result = pinned("lo-pdf-rules", 0, 41)
    _right(result)
    assert "t3.new_received" not in _rows(result.missing)


def test_a_row_alone_at_the_foot_of_a_page_is_read_on_the_columns_of_the_page_after() -> None:
    """Bench file 2/42 of ``lo-pdf-rules``: 表三's first row stands alone under the header at the foot of a page,
    too few rows to show columns by themselves, and a later page of its rows leaves a column blank throughout: both
    are read on the columns of the pages they continue, and every cell is read."""
    result = pinned("lo-pdf-rules", 2, 42)
    _right(result)
    assert result.perfect, result.missing[:5]


def test_columns_a_character_apart_are_read_from_the_values_spans_as_they_stand() -> None:
    """Bench file 0/12 of ``lo-pdf-rules``: 表三 drawn without lines, its columns a character or two apart and its
    values (digits, 无, —, /) centred in them: widened by a character for jitter, values of neighbouring columns run
    together; read from their spans as the PDF sets them, the rows are placed (one row, whose marks stand too close
    to tell, stays missing)."""
    result = pinned("lo-pdf-rules", 0, 12)
    _right(result)
    assert len(_rows(result.missing)) <= 1, sorted(_rows(result.missing))
