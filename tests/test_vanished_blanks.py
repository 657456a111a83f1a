"""Rows whose blank cells vanished when the table was printed as text (``1  250  1  0  253`` under seven
columns): the printed values keep their order, and the blank cells go where the table's own sums put them
when only one placement satisfies them; otherwise the row stays missing with its candidates listed."""

from __future__ import annotations

import random

import pytest

from nianbao.api import parse_bytes
from nianbao.synth import consistent_report

from .cells import cells_of
from .variants import FORMS, load_forms
from .variants.reports import random_report
from .variants.score import score

load_forms()
COLUMNS = FORMS["txt-columns"]
SAMPLE = 40


@pytest.mark.parametrize("name", ["txt-columns", "txt-lines"])
def test_placed_blanks_are_right_and_every_other_row_lists_its_candidates(name: str) -> None:
    """Over generated reports printed in space-aligned columns or one cell per line (blank cells printed
    as nothing), no cell is ever wrong; rows placed by the sums are exact, and an ambiguous row keeps its
    cells missing."""
    placed = ambiguous = 0
    for seed in range(SAMPLE):
        rng = random.Random(f"vanished/{seed}")
        truth = random_report(rng)
        got = parse_bytes(FORMS[name].make(truth, rng), f"{name}.txt")
        assert not score(truth, got).wrong, seed
        expected, found = cells_of(truth), cells_of(got)
        for f in got.findings:
            if f.rule == "S.blanks_placed":
                placed += 1
                assert f.severity == "info"
                assert all(found[key][1] == expected[key][1] for key in f.cells), (seed, f.message)
            elif f.rule == "S.blanks_ambiguous":
                ambiguous += 1
                assert f.severity == "warning" and "（空）" in f.message
                assert not any(key in found for key in f.cells), (seed, f.message)
    assert placed and ambiguous


def test_a_leading_dash_is_a_value_not_a_list_bullet() -> None:
    truth = consistent_report("2021", seed=6)
    t4 = truth.tables.t4
    t4["review_upheld"].raw, t4["review_upheld"].value = "-", None
    total = sum(t4[f"review_{part}"].value or 0 for part in ("upheld", "corrected", "other", "pending"))
    t4["review_total"].raw, t4["review_total"].value = str(total), total
    text = COLUMNS.make(truth, random.Random(1)).decode("utf-8")
    assert any(line.startswith("-    ") for line in text.splitlines())
    got = parse_bytes(text.encode("utf-8"), "columns.txt")
    assert {k: v for k, v in cells_of(got).items() if k.startswith("t4.")} == {
        k: v for k, v in cells_of(truth).items() if k.startswith("t4.")}
