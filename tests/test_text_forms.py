"""Text forms of generated reports whose tables lost cells to one artefact of the tool that printed them,
each now read exactly: the files are the variation bench's (seed, index), made by the generator."""

from __future__ import annotations

import random

import pytest

from nianbao.api import parse_bytes

from .variants import FORMS, load_forms
from .variants.reports import random_report
from .variants.score import Score, score

load_forms()


def _scores(name: str, files: list[tuple[int, int]]) -> list[Score]:
    """The scores of the bench's files ``(seed, index)`` of form ``name``, made in one batch."""
    form = FORMS[name]
    if form.missing():
        pytest.skip(f"form {name} needs {', '.join(form.missing())}, not installed")
    truths = [random_report(random.Random(f"{seed}/{index}")) for seed, index in files]
    made = form.make_all([(truth, random.Random(f"{seed}/{name}/{index}"))
                          for truth, (seed, index) in zip(truths, files, strict=True)])
    return [score(truth, parse_bytes(data, f"{name}-{index}{form.suffix}"))
            for truth, data, (_, index) in zip(truths, made, files, strict=True)]


def test_a_group_label_printed_on_its_first_rows_line_leaves_the_row_its_own_label() -> None:
    """``pdftotext -raw`` prints a vertical group label on the line of the row beside it
    (``三、本年度办理结果 （一）予以公开 0 0 1 0 0 0 1``, ``（六）其他处理 1.申请人无正当理由逾期不补 …``, the
    label cut by a page break): the row is the numbered label's, not the group's."""
    for result in _scores("pdftotext-raw", [(0, 0), (0, 5), (0, 8), (0, 26)]):
        assert result.perfect, (result.missing[:3], result.wrong[:3])
