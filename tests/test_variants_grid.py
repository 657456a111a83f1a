"""Text forms that print 表三 as a grid (a TAB or pipe row per grid row, as many cells in every row): a row's blank
cells and its label's span leave several runs of cells that hold its values, and the row's sum may hold in the wrong
one by chance; the header, each applicant column's label in a cell of its own, places them."""

from __future__ import annotations

import pytest

from .variants.score import pinned


@pytest.mark.parametrize(("name", "seed", "index"), [("tab-rows", 3, 4), ("pandoc-plain", 3, 4),
                                                      ("tab-rows", 5, 5), ("pandoc-plain", 5, 5)])
def test_values_under_a_grid_header_are_read_in_its_columns(name: str, seed: int, index: int) -> None:
    result = pinned(name, seed, index)
    assert result.perfect, (result.missing[:3], result.wrong[:3])


def test_a_header_whose_spans_were_collapsed_places_nothing() -> None:
    """pandoc's pipe table keeps a spanned header label in one cell: the labels do not stand in consecutive cells, so
    the header places nothing; the rows whose runs of cells are ambiguous are read where the padded rows' sums show
    the padding goes (after the values), never against the header."""
    result = pinned("md", 3, 30)
    assert result.perfect, (result.missing[:3], result.wrong[:3])


def test_rows_whose_sums_show_padding_after_the_values_overrule_rows_of_one_cell_per_column() -> None:
    """A pipe table whose spans were collapsed prints each row's values right after its labels, the padding after
    them. Rows of one cell per column say nothing of that side; a padded row whose sum holds in one run of cells
    only does: the rows that neither settles (blank 总计, blank edges) are read where the values start, never one
    cell to the right."""
    result = pinned("md", 20, 8, large=True)
    assert not result.wrong
    assert not [key for key in result.missing if key.startswith(("t3.partially_granted.", "t3.other_handling."))]
