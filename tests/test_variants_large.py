"""Large bodies' reports: thousands in 表三, five- and six-digit counts in 表二, printed plain or with thousands
separators (an ASCII or a full-width comma), through the text forms that flatten a table's cells into lines."""

from __future__ import annotations

import random

import pytest

from nianbao.api import parse_bytes
from nianbao.synth import LARGE, consistent_report

from .variants import load_forms
from .variants.reports import SEPARATORS, print_thousands
from .variants.score import pinned, score
from .variants.wild import tame

FORMS = load_forms()
TEXT_FORMS = ("scraped-space", "scraped-tab", "scraped-newline", "txt-tabs", "txt-pipes", "md", "tab-rows")


@pytest.mark.parametrize("separator", ["", *SEPARATORS])
@pytest.mark.parametrize("name", TEXT_FORMS)
def test_large_numbers_are_read_whole(name: str, separator: str, monkeypatch: pytest.MonkeyPatch) -> None:
    tame(monkeypatch)  # no last year's rows beside this year's: their cells are undecidable
    form = FORMS[name]
    for seed in range(3):
        truth = consistent_report(("2019", "2021")[seed % 2], 40 + seed, "江门市人民政府", 2020 + seed, LARGE)
        if separator:
            print_thousands(truth, separator)
        assert any(separator in cell.raw for row in truth.tables.t3.values() for cell in row.values())
        data = form.make(truth, random.Random(f"large/{name}/{seed}"))
        result = score(truth, parse_bytes(data, f"{name}-{seed}{form.suffix}"))
        assert result.perfect, (seed, result.missing[:3], result.wrong[:3], result.meta)


def test_a_number_a_narrow_cell_wraps_at_its_separator_leaves_its_table_unread() -> None:
    """A browser's PDF wraps ``1，674`` in a narrow 表三 cell after the comma: ``1，`` on one line, ``674`` under it.
    Where each piece belongs no row says, so 表三 is not read (S.numbers_cut), never read as ``674``."""
    result = pinned("browser-pdf", 1, 30, large=True)
    assert not result.wrong and "t3.carried_forward.total" in result.missing


def test_a_comma_starting_a_labels_wrapped_line_is_no_number_cut_at_its_separator() -> None:
    """Bench file 0/24 of ``txt-aligned``: （二）部分公开's label, worded with ASCII commas, wraps onto a line starting
    ``, 不计其他情形)``; a separator that text goes on after is the label's punctuation, no piece of a number, and
    表三 is read."""
    result = pinned("txt-aligned", 0, 24)
    assert result.perfect, (result.missing[:3], result.wrong[:3])
