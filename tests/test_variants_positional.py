"""Tables read by the position of their values (``pdftotext -layout`` and LibreOffice's PDFs drawn without lines
between their columns): a group label printed a character a line whose 无 (of 无法提供) stands on a row's line, a row
leaving a cell blank between two fuller rows, a row whose label wraps around its values (one value alone among its
label's lines too), a caption over 表二's columns counted in characters, and a page whose values whitespace shifts
apart from their columns; a 表三 stating no number but a 无 beside its first row's label, in a ruled file's lines or
in text a bare page number breaks. No cell is ever wrong.

The files are bench files (seed, index), drawn as the bench draws them today.
"""

from __future__ import annotations

import pytest

from .variants.score import Score, pinned

UNDER_NO_GROUP_LABEL = ("t3.denied_inquiry_matter.", "t3.unable_", "t3.rejected_", "t3.other_")
"""表三's rows from 8.属于行政查询事项 down to （六）其他处理: on the page of file 7/5 where （四）无法提供 prints a
character a line beside them."""


def _right(result: Score) -> None:
    assert not result.wrong and not result.meta


@pytest.mark.parametrize("form", ["lo-pdf-rules", "pdftotext-layout"])
def test_a_group_labels_wu_on_a_rows_line_is_read_as_label_not_as_a_column(form: str) -> None:
    """Bench file 7/5: （四）无法提供 prints a character a line left of its rows, its 无 on the line of
    2.没有现成信息需要另行制作, whose label wraps around its values; the 无 stands inside the other rows' labels, so
    it is that row's label, not a column, and the page's rows are placed by their values' columns."""
    result = pinned(form, 7, 5)
    _right(result)
    assert not [key for key in result.missing if key.startswith(UNDER_NO_GROUP_LABEL)], result.missing[:5]


def test_a_labelled_row_leaving_a_cell_blank_between_fuller_rows_is_no_pieces_of_their_numbers() -> None:
    """Bench file 7/5 of ``pdftotext-layout``: 上年结转政府信息公开申请数量 prints four values between rows of six and
    seven; its first 4 stands under none of the row above and over nothing beyond it, and its other values stand
    over wider numbers of the row below, so they are no pieces of wrapped numbers and the rows around it are read."""
    result = pinned("pdftotext-layout", 7, 5)
    _right(result)
    assert not [key for key in result.missing if key.startswith(("t3.new_received.", "t3.granted."))]


@pytest.mark.parametrize("form", ["lo-pdf-rules", "pdftotext-layout"])
def test_a_row_whose_label_wraps_around_its_values_is_placed_under_the_header_above_its_label(form: str) -> None:
    """Bench file 7/1: 其他对外管理服务事项（含以本机关名义印发的文件） prints 39 and -31 between the two lines of its
    label, 处理决定数量 blank; the header above the label and the row before places them."""
    result = pinned(form, 7, 1)
    _right(result)
    assert not [key for key in result.missing if key.startswith("t2.art20_5.other_admin_service.")]


def test_a_chinese_caption_counted_in_characters_heads_no_column() -> None:
    """Bench file 7/6 of ``pdftotext-layout``: 第二十条第（五）项, centred over its table, counts half as wide as it
    prints, so counted in characters it stands over no column's header; printed, it spans two, so it is a caption,
    and 行政许可's 17 and -9 are placed under 上一年项目数量 and 本年增/减."""
    result = pinned("pdftotext-layout", 7, 6)
    _right(result)
    assert result.perfect, result.missing[:5]


def test_a_page_whose_values_whitespace_shifts_apart_is_read_in_the_columns_of_the_page_before() -> None:
    """Bench file 7/1 of ``pdftotext-layout``: on 表三's second page the tool sets the values of （七）总计 a few
    characters left of the other rows', so the page shows eight columns where the page before shows seven; one way
    only joins two adjacent columns with no row holding two values in one, and the page's rows are read so."""
    result = pinned("pdftotext-layout", 7, 1)
    _right(result)
    assert not [key for key in result.missing if key.startswith("t3.")], result.missing[:5]


def test_a_lone_value_between_the_lines_of_its_wrapped_label_is_a_row() -> None:
    """Bench file 1/6 of ``pdftotext-layout``: 2.没有现成信息需要另行制作 prints its one value 0 on a line of its own
    between the two lines of its label, and so do other rows of 表三; a lone number there is no page number nor a
    piece of a wrapped number (whose pieces stand right next to their row's line): the rows are read by position,
    and the rows near them, no longer taken for rows whose numbers wrap, are read too."""
    result = pinned("pdftotext-layout", 1, 6)
    _right(result)
    assert not [key for key in result.missing if key.startswith("t3.")], result.missing[:5]


@pytest.mark.parametrize(("seed", "index"), [(8, 3), (1, 3), (2, 4)])
def test_a_ruled_file_reads_a_label_and_its_lone_mark_by_position(seed: int, index: int) -> None:
    """``lo-pdf-rules`` files whose 表三, drawn without inner lines, prints only a 无 far right of its first row's
    label: the lines are read by position like a table drawn without lines, so the 无 is that row's 总计 and every
    other cell is blank."""
    result = pinned("lo-pdf-rules", seed, index)
    _right(result)
    assert result.perfect, result.missing[:5]


@pytest.mark.parametrize(("seed", "index"), [(8, 2), (1, 44)])
def test_a_bare_page_number_beside_a_lone_mark_elsewhere_is_dropped(seed: int, index: int) -> None:
    """``txt-aligned`` files that break 表三 with a bare page number (not the page's count) and print 表四 as a
    lone 无 on a line of its own: the 无 stands in other columns than the number, so the number is a page number and
    表三, stating no number, is read."""
    result = pinned("txt-aligned", seed, index)
    _right(result)
    assert result.perfect, result.missing[:5]


@pytest.mark.parametrize(("seed", "index", "row"), [(3, 3, "t2.art20_5.other_admin_service."),
                                                    (8, 4, "t2.art20_1.normative_doc.")])
def test_a_note_starting_the_line_after_a_lone_label_takes_its_values_for_that_label(seed: int, index: int,
                                                                                      row: str) -> None:
    """``lo-pdf-rules`` files printing a 表二 label alone and its note, in brackets, on the next line with the row's
    values (其他对外管理服务事项 / （含以本机关名义印发的文件） 75 -31 18; 行政规范性文件 / （不含内部管理 /
    事项，单位：件） 20 2 59): a note names no row of its own, so the values are the label's."""
    result = pinned("lo-pdf-rules", seed, index)
    _right(result)
    assert not [key for key in result.missing if key.startswith(row)], result.missing[:5]


def test_a_row_opening_its_page_takes_no_column_from_the_header_ending_the_page_before() -> None:
    """``pdftotext-layout`` file whose 表二 header ends a page and whose rows start the next: the header sets its
    columns apart otherwise than the rows do, so a row's lone 0 under it would go beside its own column. It is
    missing with a finding instead."""
    result = pinned("pdftotext-layout", 10, 15)
    assert result.wrong == [] and "t2.art20_1.regulation.issued" in result.missing


@pytest.mark.parametrize(("seed", "index"), [(0, 6), (1, 16), (4, 11), (4, 29), (1, 5), (1, 6), (5, 34)])
def test_a_header_printed_a_character_a_line_sets_apart_columns_one_space_apart(seed: int, index: int) -> None:
    """``pdftotext-layout`` files printing 表四's result labels a character a line, over columns so narrow that the
    tool sets some of their characters a single space apart (其 尚, 未 总, 果 其他): each character standing alone heads
    its own column, so the row, its blank cells printing nothing, is placed under the header and read whole."""
    result = pinned("pdftotext-layout", seed, index)
    _right(result)
    assert not [key for key in result.missing if key.startswith("t4.")], result.missing[:5]


def test_columns_that_touch_and_no_row_fills_both_leave_their_stretch_unread() -> None:
    """Bench file 5/56: the last page's three rows of 表三 put ``13`` a character or two left of the ``-`` and ``0`` of
    the same column (商业企业), so the values form two columns that touch and no row fills both; read as two, the rows
    would count seven columns and put the ``0`` of 四、结转下年度继续办理 under 科研机构. Such a stretch shows no
    columns, and no cell is wrong."""
    result = pinned("pdftotext-layout", 5, 56, large=True)
    _right(result)
    assert "t3.carried_forward.commercial_enterprise" not in {key for key, _, _ in result.wrong}


def test_a_page_whose_header_stands_apart_from_the_page_befores_is_not_read_in_its_columns() -> None:
    """Bench file 22/29 of ``pdftotext-layout``: each page of 表三 prints its header, the tool setting a page's a
    character or two left of the page before's, and its values with it: read in the columns of the page before, a
    value standing midway between two headers would fall in the left one. The headers standing apart, the page is
    not joined to the one before, and no cell is wrong."""
    result = pinned("pdftotext-layout", 22, 29)
    _right(result)
    assert {"t3.denied_inquiry_matter.research_institution", "t3.denied_inquiry_matter.social_welfare_org"} \
        <= set(result.missing)


def test_a_lone_value_beside_a_column_most_rows_fill_leaves_the_pages_width_unsure() -> None:
    """Bench file 3/60 of ``pdftotext-layout``: on a page of 表三 that prints no header and whose 总计 column is blank,
    one row's / stands a few characters right of 法律服务机构's values, where no other value stands: a seventh
    column, or that column's value set apart. The print does not say which, so the page's rows are left unread."""
    result = pinned("pdftotext-layout", 3, 60)
    _right(result)
    assert "t3.unable_not_held.legal_service_org" in result.missing


def test_a_row_its_pages_columns_hold_in_two_ways_is_not_placed_under_the_header() -> None:
    """Bench file 25/4 of ``pdftotext-layout``: （二）部分公开's — 0 are set a single space apart between two columns
    its page's rows fill; the page's columns hold the 0 in either, so the header, whose columns the tool sets apart
    from the values', does not place the row either (its sums, all zeros, would hold either way)."""
    result = pinned("pdftotext-layout", 25, 4)
    _right(result)
    assert "t3.partially_granted.social_welfare_org" in result.missing


def test_a_page_under_the_same_header_as_the_page_before_is_read_in_its_columns_by_the_texts_count() -> None:
    """Bench file 3/30 of ``txt-aligned``: 表三's second page repeats the header, and no row of it fills 自然人;
    counted in display columns, as the text is laid out, it is the page before continued, read in its seven columns
    (counted in characters, which this text is not laid out by, the two pages do not read together)."""
    result = pinned("txt-aligned", 3, 30)
    _right(result)
    assert not [key for key in result.missing if key.startswith("t3.")], result.missing[:5]


def test_pages_a_tool_laid_out_in_characters_are_joined_only_as_both_counts_read_them() -> None:
    """Bench file 20/13 of ``pdftotext-layout``: no row of 表三's sixth page fills 其他, and the tool closes the
    column up, setting the page's 总计 values where the page before sets its 其他; counted in characters alone, the
    two pages would read as one, 总计's values in 其他. A text laid out in characters is not read again by that count
    alone (a tool lays out each page apart), so the pages are joined only where both counts read them together, and
    they do not."""
    result = pinned("pdftotext-layout", 20, 13)
    _right(result)


def test_a_row_under_a_page_break_is_placed_under_the_header_on_the_page_before_in_an_editors_text() -> None:
    """Bench file 4/21 of ``txt-aligned``: 表四's header ends its page and its one row, leaving four cells blank,
    starts the next; an editor lays every page out alike, so the header on the page before places the row."""
    result = pinned("txt-aligned", 4, 21)
    _right(result)
    assert result.perfect, result.missing[:5]
