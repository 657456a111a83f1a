"""An editor's unprinted revisions (tests/variants/edited.py) and last year's rows printed in this year's tables
(tests/variants/wild.py ``draw_last_year``): no cell read wrong, none read from text a reader does not see, and
a table printing a row twice with other values left missing with a finding."""

from __future__ import annotations

import random

import pytest

from nianbao.api import parse_bytes
from nianbao.report import Report

from .variants import load_forms
from .variants.drawing import draw
from .variants.reports import random_report
from .variants.score import score

FORMS = load_forms()


@pytest.mark.parametrize("name", ["html-edited", "docx-edited"])
def test_revisions_no_reader_sees_leave_every_cell_as_printed(name: str) -> None:
    form = FORMS[name]
    for index in range(10):
        truth = random_report(random.Random(f"edited/{index}"))
        result = score(truth, parse_bytes(form.make(truth, random.Random(f"edited/{name}/{index}")), f"e{form.suffix}"))
        assert not result.wrong and not result.meta and not result.error, (index, result.wrong[:3])
        assert result.perfect or draw(truth).axes["last_year"] != "none", (index, result.missing[:3])


def _last_year_reports(count: int) -> list[tuple[str, Report]]:
    found = []
    for index in range(400):
        truth = random_report(random.Random(f"last-year/{index}"))
        axis = draw(truth).axes["last_year"]
        if axis != "none":
            found.append((axis, truth))
        if len(found) == count:
            break
    return found


@pytest.mark.parametrize("name", ["html", "tab-rows", "txt-lines", "cell-lines", "txt-aligned"])
def test_last_years_rows_beside_this_years_are_never_read_as_this_years(name: str) -> None:
    form = FORMS[name]
    drawn = _last_year_reports(8)
    assert {axis.partition("_")[0] for axis, _ in drawn} >= {"t3", "t4"}
    for axis, truth in drawn:
        parsed = parse_bytes(form.make(truth, random.Random(f"last-year/{name}")), f"l{form.suffix}")
        result = score(truth, parsed)
        assert not result.wrong and not result.unflagged, (axis, result.wrong[:3], result.unflagged[:3])
        table = axis.partition("_")[0]
        if any(key.startswith(table) for key in result.missing):
            assert any(f.rule == "S.table_twice" for f in parsed.findings), axis
