"""Portal pages printed to PDF by a browser (the generator's browser form, one table style at a time): every cell
and the agency come back as the printed page shows them."""

from __future__ import annotations

import random

import pytest

from nianbao.api import parse_bytes
from nianbao.report import Report

from .variants import FORMS
from .variants.browser import PAPERS_MM, TABLE_STYLES, print_pdf
from .variants.portal import portal_page
from .variants.reports import random_report
from .variants.score import bench_truth, pinned, score
from .variants.wild import tame


@pytest.fixture(autouse=True)
def _drawn_before_the_wild_artefacts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bench files pinned here are drawn as the bench drew them before the artefacts of real reports."""
    tame(monkeypatch)


RULED_BETWEEN_ROWS = TABLE_STYLES[3]
"""The style that keeps the cells' top and bottom borders only (and the table's frame)."""
NARROW_PAPERS = [PAPERS_MM[2], PAPERS_MM[1]]
"""A5 and B5: labels wrap over several lines in their narrow columns."""


def _printed(truth: Report, rng: random.Random, paper: tuple[int, int], borders: str) -> bytes:
    page = portal_page(truth, rng)
    style = f"<style>@page {{ size: {paper[0]}mm {paper[1]}mm; margin: 10mm; }} {borders}</style>"
    return print_pdf(page.replace(b"</head>", style.encode() + b"</head>", 1))


@pytest.mark.parametrize("index", range(4))
def test_a_table_ruled_only_between_its_rows_is_read_cell_by_cell(index: int) -> None:
    """Without lines between the columns, a label wrapped over several lines stands beside its row's values on
    one of them only: the ends of the cells' own top and bottom borders show where each cell lies."""
    if FORMS["browser-pdf"].missing():
        pytest.skip("the browser form needs chromium")
    truth = random_report(random.Random(f"rules/{index}"))
    paper = NARROW_PAPERS[index % len(NARROW_PAPERS)]
    data = _printed(truth, random.Random(f"rules/page/{index}"), paper, RULED_BETWEEN_ROWS)
    result = score(truth, parse_bytes(data, f"rules-{index}.pdf"))
    assert (result.missing, result.wrong, result.meta) == ([], [], [])


CUT_ROWS = [(1, 20)]
"""Bench files (seed, index) whose 表三 rows a page break cuts, the page after showing its grid with a column
more or less at its left (where the group labels' spans lie)."""


@pytest.mark.parametrize(("seed", "index"), CUT_ROWS)
def test_a_row_a_page_break_cuts_is_joined_across_grids_of_different_widths(seed: int, index: int) -> None:
    """The label's head with the row's values on one page, its tail over blank cells on the next: the halves'
    columns are matched from the values' side, so the row is read whole."""
    form = FORMS["browser-pdf"]
    if form.missing():
        pytest.skip("the browser form needs chromium")
    truth = bench_truth(seed, index)
    data = form.make_all([(truth, random.Random(f"{seed}/browser-pdf/{index}"))])[0]
    result = score(truth, parse_bytes(data, f"cut-{index}.pdf"))
    assert (result.missing, result.wrong, result.meta) == ([], [], [])


def test_a_value_read_into_the_label_wrapped_beside_it_leaves_its_row_missing_never_blank() -> None:
    """Bench file 7/19: the label of （二）部分公开 wraps onto the line of its values and its first value, 0, stands
    against it, inside the box the reader draws for the label (``只计这一 0 情形``): the value's own cell reads
    blank. A number set apart inside a label's text means the row's values cannot be told: the row is missing
    with a finding, never a blank where 0 was printed."""
    form = FORMS["browser-pdf"]
    if form.missing():
        pytest.skip("the browser form needs chromium")
    truth = random_report(random.Random("7/19"))
    data = form.make_all([(truth, random.Random("7/browser-pdf/19"))])[0]
    report = parse_bytes(data, "label-value.pdf")
    assert not score(truth, report).wrong
    assert any(f.rule == "S.ambiguous_row" and "t3.partially_granted" in f.cells for f in report.findings)


def test_a_group_label_printed_on_the_line_of_its_first_row_leaves_the_row_its_own_label() -> None:
    """Bench file 10/26: ``三、本年度办理结果（一）予以公开`` on one line with the values of （一）予以公开: the label
    printed last on the line names the row, the group's printed before it does not."""
    result = pinned("browser-pdf", 10, 26)
    assert (result.missing, result.wrong, result.meta) == ([], [], [])
