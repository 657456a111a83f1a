"""Bench files of ``pdftotext -layout`` whose narrow 表三 columns hold 无 and dashes: the tool packs a value a single
space after the one before it, so where it stands is not where it was printed; the rows are placed by the values
that stand where they were printed, and a row whose 总计 the print leaves blank is placed by no sum it breaks."""

from __future__ import annotations

import pytest

from .variants.score import pinned

PACKED_ROWS = ("t3.granted.", "t3.denied_state_secret.", "t3.denied_security_stability.",
               "t3.denied_internal_affairs.", "t3.unable_need_creation.", "t3.rejected_confirm_reissue.")


def test_rows_with_packed_values_are_placed_by_those_standing_where_printed() -> None:
    """File 0/12 prints ``1   无       无 0     /`` for （一）予以公开: 0 is packed after 无, the other values stand in
    their columns, so 0 fills the one column between 无's and /'s and the blank cells are where nothing stands."""
    result = pinned("pdftotext-layout", 0, 12)
    assert not result.wrong
    assert not [key for key in result.missing if key.startswith(PACKED_ROWS)], result.missing


@pytest.mark.parametrize(("seed", "index"), [(2, 41)])
def test_a_table_of_packed_values_reads_whole(seed: int, index: int) -> None:
    """A file whose 表三 rows each pack a value or two is read whole, every blank cell in its place."""
    result = pinned("pdftotext-layout", seed, index)
    assert not result.wrong
    assert result.perfect, result.missing[:5]


def test_a_packed_last_value_is_no_total_where_the_print_leaves_totals_blank() -> None:
    """File 0/12 prints ``2   0   — 0     无 2`` for 2.其他法律行政法规禁止公开 under seven columns: the last 2 is
    packed, so it may be 其他 or 总计; as 总计 it makes the row's sum hold, but the rows placed by position leave 总计
    blank while their parts are not 0, so that sum is no evidence: the column sums, which the table keeps, place
    the 2 as 其他."""
    result = pinned("pdftotext-layout", 0, 12)
    assert not result.wrong
    assert not [key for key in result.missing if key.startswith("t3.denied_prohibited_by_law.")]
