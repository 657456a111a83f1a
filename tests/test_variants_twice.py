"""表四 printed twice, last year's row beside this year's under year captions or none, in forms that lose where a
row's cells stand (a cell a line, two rows of values whose blank cells left no place): the copy the captions name is
read, or the cells the copies state alike, no cell wrong; and a table drawn without inner lines whose row of blank
cells prints its label alone a row's height under the row above: the label stays that row's, not a wrapped piece of
the label above."""

from __future__ import annotations

import pytest

from .variants.score import pinned


@pytest.mark.parametrize(("name", "seed", "index"), [("cell-lines", 11, 21), ("lo-txt", 11, 21),
                                                     ("cell-lines", 11, 24), ("cell-lines", 40, 18),
                                                     ("lo-txt", 40, 11)])
def test_a_row_printed_twice_a_cell_a_line_is_read_from_the_copy_its_caption_names(name: str, seed: int,
                                                                                  index: int) -> None:
    # 21: the caption names last year's copy above it and this year's follows right after it, uncaptioned (the
    # copies are told apart by their lines); 24: both are captioned; 40/18 (表三) and 40/11 (表二): the caption of
    # last year's copy, a line of its own, is joined to the copy's first row, ahead of its label
    result = pinned(name, seed, index, large=True)
    assert result.perfect, (result.missing[:3], result.wrong[:3])


def test_a_caption_line_a_cell_a_line_is_no_piece_of_a_wrapped_label() -> None:
    # 表三 of the 2019 format printed twice, each copy under its caption: the caption line after the header is no
    # piece of a label wrapped over lines, so the export still reads as a cell a line and this year's copy is read
    # (表四, a value a line, breaks its own sums: its order is not proven)
    result = pinned("cell-lines", 44, 20, large=True)
    assert not result.wrong and not [key for key in result.missing if key.startswith("t3.")], result.missing[:3]


def test_two_rows_of_values_under_year_captions_are_read_from_this_years_without_a_wrong_cell() -> None:
    # both copies leave the same three blank cells without a place: this year's row is read as a row printed once
    # is, its cells placed where the table's sums place them
    result = pinned("txt-aligned", 11, 21, large=True)
    missing = [key for key in result.missing if key.startswith("t4.")]
    assert not result.wrong and 0 < len(missing) < 15, missing


def test_a_row_of_blank_cells_printing_its_label_alone_is_no_wrapped_label() -> None:
    # 行政强制's cell is blank: its label, a row's height under 行政处罚's, was once joined to it
    result = pinned("lo-pdf-rules", 1, 41, large=True)
    assert result.perfect, (result.missing[:3], result.wrong[:3])


@pytest.mark.parametrize("name", ["cell-lines", "lo-txt"])
def test_two_uncaptioned_copies_printed_a_value_a_line_are_read_where_they_agree(name: str) -> None:
    # 表四 printed twice, a value a line, one copy right after the other and no caption: the run of 30 lines is cut
    # into its two copies (this year's keeps the table's sums); the six cells the copies state otherwise are missing
    result = pinned(name, 41, 10, large=True)
    assert not result.wrong and len(result.missing) == 6 and all(key.startswith("t4.") for key in result.missing)


def test_a_table_printing_only_two_marks_states_nothing() -> None:
    # 表四 of a unit with no case printed twice as one 无 a copy, the merged span lost in a dump of tab-separated
    # cells: no number anywhere, so every cell is blank wherever each 无 stood
    result = pinned("txt-cells", 41, 4, large=True)
    assert result.perfect, (result.missing[:3], result.wrong[:3])
