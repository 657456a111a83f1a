"""Generated reports whose tables are drawn each its own way (all their ruling lines, some, or none:
``Layout.section_borders``), printed to PDF by LibreOffice: a table without lines is read by the position of its
characters even on a page that a ruled table shares, and no cell is ever wrong."""

from __future__ import annotations

import random
import shutil
from dataclasses import replace
from functools import cache

import pytest

from nianbao.api import parse_bytes
from nianbao.render.docx import render_docx
from nianbao.render.layout import TABLE_BORDERS
from nianbao.report import Report

from .variants.drawing import draw
from .variants.office import BORDER_STYLES, libreoffice
from .variants.reports import random_report
from .variants.score import Score, pinned, score
from .variants.wild import tame


@pytest.fixture(autouse=True)
def _drawn_before_the_wild_artefacts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bench files pinned here are drawn as the bench drew them before the artefacts of real reports."""
    tame(monkeypatch)


pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")

UNRULED = ("horizontal", "frame", "none")
"""The border styles of ``BORDER_STYLES`` that leave a table's columns without lines."""
REPORTS = (0, 1, 2)
"""Reports of the ``rules/`` seeds whose 表二 ends on the page where 表三 starts."""
T2, T3, T4 = 1, 2, 3
"""The section numbers the tables are printed under (``render.layout.TABLES``)."""


def _truth(index: int) -> Report:
    return random_report(random.Random(f"rules/{index}"))


@cache
def _scores(sections: tuple[tuple[int, str], ...]) -> list[Score]:
    """Each report of ``REPORTS`` printed with its tables drawn all ruled but for ``sections`` (section number →
    border style), parsed and scored."""
    truths = [_truth(index) for index in REPORTS]
    styles = {number: BORDER_STYLES[style] for number, style in sections}
    documents = [render_docx(truth, replace(draw(truth).layout, table_borders=TABLE_BORDERS, section_borders=styles))
                 for truth in truths]
    return [score(truth, parse_bytes(data, f"rules-{index}.pdf"))
            for index, truth, data in zip(REPORTS, truths, libreoffice(documents, "pdf"), strict=True)]


def _perfect(result: Score) -> None:
    assert not result.wrong
    assert result.perfect, result.missing[:5]


@pytest.mark.parametrize("style", UNRULED)
def test_a_table_without_column_lines_between_ruled_tables_is_read_by_position(style: str) -> None:
    """表三 drawn without lines between its columns, 表二 and 表四 ruled: 表三's rows on the page where 表二 ends
    are read from their positions, as are those on its own pages."""
    for result in _scores(((T3, style),)):
        _perfect(result)


STACKED = [(0, 21), (0, 33), (1, 32), (0, 40), (1, 27), (0, 16)]
"""Bench files (seed, index) of the ``lo-pdf-rules`` form, 表三 drawn without lines between its columns (none at
all, a frame, the lines between rows), whose labels wrap above and below their rows' values, beside a group
label that stands on the line of a row's values; in the last two, the text reader has joined a sub-row's label
lines onto its row already, and that label is kept; in the last, a group label's lines stand above the row's
values but not below them, beside its own label's, which balance."""


@pytest.mark.parametrize(("seed", "index"), STACKED)
def test_labels_wrapped_around_their_rows_values_are_read_as_the_rows_labels(seed: int, index: int) -> None:
    _perfect(pinned("lo-pdf-rules", seed, index))


def test_a_nil_table_four_whose_one_wu_spans_its_whole_row_is_read_in_narrow_columns() -> None:
    """Bench file 0/22 of ``lo-pdf``: 表四 of a unit that received nothing prints one 无 merged across its whole
    row, its columns so narrow that some of their lines meet: the 无 is the row's 总计, the other cells blank."""
    _perfect(pinned("lo-pdf", 0, 22))


def test_a_nil_table_three_continued_on_a_page_with_a_label_column_of_its_own_is_stitched() -> None:
    """Bench file 1/20 of ``lo-pdf``: 表三 of a unit that received nothing, each row's 无 merged across its values,
    breaks before its first sub-rows: the next page's grid has their label column, which the page before had no
    row to draw, and one column for the values. Both are set out on the boundaries of both, and every 无 is read."""
    _perfect(pinned("lo-pdf", 1, 20))


def test_a_label_wrapped_right_above_a_row_printing_none_heads_no_column() -> None:
    """Bench file 3/25 of ``lo-pdf-rules``: 表二 without lines, its header cut by a page break, a row whose label
    wraps around its values prints none on its own line: the label's lines right above it, wholly left of its
    values, are not read as header lines (the label column's header taken for a column of values put the row's
    values one column to the right)."""
    assert not pinned("lo-pdf-rules", 3, 25).wrong


def test_a_row_cut_by_a_page_break_beside_a_piece_of_its_group_label_is_joined() -> None:
    """Bench file 1/12 of ``lo-pdf``: a page break cuts a row of a nil 表三 and its group label: the next page's
    half holds the rest of the row's label and a piece of the group label, in a column a span covers on the page
    before. The halves are one row, its 无 read."""
    _perfect(pinned("lo-pdf", 1, 12))


@pytest.mark.parametrize(("seed", "index"), [(1, 1), (2, 10), (0, 17)])
def test_a_caption_over_the_first_columns_headers_heads_no_column(seed: int, index: int) -> None:
    """Bench files of ``lo-pdf-rules`` whose tables without lines print rows whose blank cells print nothing, placed
    under the header lines above them: a line over the headers of two columns that stand apart (表二's caption
    ``第二十条第（一）项`` over 信息内容 and the first column's header) is no column's header, so the columns are
    the headers' own and each value falls under its own."""
    _perfect(pinned("lo-pdf-rules", seed, index))


@pytest.mark.parametrize(("seed", "index"), [(0, 16), (0, 34)])
def test_a_label_wrapped_around_its_values_after_a_page_break_is_the_rows_label(seed: int, index: int) -> None:
    """Bench files of ``lo-pdf-rules`` whose 表三 without lines breaks right before a row whose label wraps above
    and below its values (which print marks of nothing only): the header the next page repeats stands between the
    row and the one before it, and a piece of a vertical group label beside it; the pieces next to the row are its
    label's all the same, and the row is read."""
    _perfect(pinned("lo-pdf-rules", seed, index))


def test_a_vertical_header_whose_narrow_columns_print_their_characters_side_by_side_heads_a_column_each() -> None:
    """Bench file 10/13 of ``lo-pdf-rules``: 表四 without lines under a heading wrapped onto a second line, its
    header printed a character a line in columns so narrow that some print theirs with no space between (``结结`` over
    ``果果``, ``维纠``, ``持正``), a row printing 12 values of 15: the heading's wrapped end heads no column, each
    character of a cell side by side heads its own, and every value falls under its own column."""
    _perfect(pinned("lo-pdf-rules", 10, 13))


def test_a_label_whose_note_wraps_around_its_values_takes_them() -> None:
    """Bench file 10/29 of ``lo-pdf-rules``: 表二's ``规章（含以本机关名义`` on the line above the row's values, the
    note's end ``印发的文件）`` on the line below: the label with a note it leaves open is the row's whole label."""
    _perfect(pinned("lo-pdf-rules", 10, 29))
