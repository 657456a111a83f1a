"""Bench files of the space-aligned forms (an editor's text, ``pdftotext -layout``, a PDF's lines laid out by
position) whose rows print fewer values than their table has columns: where the values stand says which."""

from __future__ import annotations

import random

import pytest

from nianbao.api import parse_bytes

from .variants import load_forms
from .variants.reports import random_report
from .variants.score import pinned, score
from .variants.wild import tame


@pytest.fixture(autouse=True)
def _drawn_before_the_wild_artefacts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bench files pinned here are drawn as the bench drew them before the artefacts of real reports."""
    tame(monkeypatch)


@pytest.mark.parametrize(("seed", "index"), [(0, 6), (1, 16), (2, 17)])
def test_rows_of_one_value_in_a_stretch_do_not_read_as_wrapped_numbers(seed: int, index: int) -> None:
    """``txt-aligned`` files whose 表二 has rows of one value (行政处罚 / 行政强制) right after a row of three whose
    blank cells print as spaces: those values are no pieces of numbers wrapped in narrow cells, so the rows next
    to them are placed by where their values stand."""
    result = pinned("txt-aligned", seed, index)
    assert not result.wrong
    assert result.perfect, result.missing[:5]


def test_a_row_under_a_total_is_no_piece_of_its_numbers() -> None:
    """``txt-aligned`` file 1/29: 结转下一年度继续办理 prints two numbers under 表三's 总计 row; wider than the
    numbers above them, they are no pieces wrapped from there, so the rows of 表三 are placed by position."""
    result = pinned("txt-aligned", 1, 29)
    assert not result.wrong
    assert not [key for key in result.missing if key.startswith(("t3.new_received", "t3.carried_over"))]


@pytest.mark.parametrize(("form", "seed", "index"), [("txt-aligned", 0, 13), ("txt-aligned", 1, 6),
                                                     ("txt-aligned", 1, 17), ("pdftotext-layout", 1, 40)])
def test_a_table_two_row_printing_its_label_alone_is_a_row_of_blank_cells(form: str, seed: int, index: int) -> None:
    """表二 printed with every other row's values beside its label: a row whose cells are all blank, printed as
    nothing, shows its label alone, and its cells are read blank."""
    if load_forms()[form].missing():
        pytest.skip(f"{form} needs a tool not installed")
    result = pinned(form, seed, index)
    assert not result.wrong
    assert result.perfect, result.missing[:5]


def test_a_label_alone_in_a_table_printing_values_apart_from_labels_stays_missing() -> None:
    """The same 表二 with a line of values no label heads: that may be the lone label's row, so its cells are
    left missing, never read blank."""
    truth = random_report(random.Random("1/6"))
    data = load_forms()["txt-aligned"].make_all([(truth, random.Random("1/txt-aligned/6"))])[0].decode("utf-8")
    lines = data.splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("规范性文件"))
    lines.insert(row + 1, "                          3        4        5")
    result = score(truth, parse_bytes("\n".join(lines).encode("utf-8"), "values-apart.txt"))
    assert not result.wrong
    assert {f"t2.art20_1.regulation.{key}" for key in ("new_made", "new_published", "total_published")} \
        <= set(result.missing)


def test_a_row_of_table_two_under_vertical_headers_and_its_caption_is_placed() -> None:
    """``pdftotext-layout`` file 2/10: 表二's header printed one character per line under its caption, a row
    printing two of its three values: the caption, over the label's header and the first column's, heads no
    column, so the values fall under their own columns."""
    if load_forms()["pdftotext-layout"].missing():
        pytest.skip("pdftotext-layout needs a tool not installed")
    result = pinned("pdftotext-layout", 2, 10)
    assert not result.wrong
    assert result.perfect, result.missing[:5]
