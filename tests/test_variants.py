"""A fixed sample of the variation bench: generated reports in every form, parsed and scored cell by cell.

Every form must give 0 wrong cells and every cell exact; the forms that do not yet are expected failures
naming what they lose (they pass as the extractor improves, and then join PERFECT and NO_WRONG).
Forms whose tool is not installed are skipped.
"""

from __future__ import annotations

import io
import random
import zipfile
from functools import cache

import pytest

from nianbao.api import parse_bytes
from nianbao.errors import NianbaoError
from nianbao.render import Layout
from nianbao.render.docx import render_docx
from nianbao.report import Cell

from .variants import load_forms
from .variants.drawing import Drawing, draw
from .variants.reports import random_report, received_nothing
from .variants.score import Score, pinned, score
from .variants.wild import CAPTIONED, tame

SEED, COUNT, FORM_SECONDS = 2026, 8, 10.0
"""The sample: COUNT reports of SEED per form, fewer for a form slower than FORM_SECONDS (OCR scans: one)."""
FORMS = load_forms()
PERFECT = {"browser-pdf", "cell-lines", "docx", "docx-edited", "html", "html-edited", "lo-html", "lo-pdf",
           "lo-pdf-rules", "lo-txt", "md", "pandoc-md", "pandoc-md-html", "pandoc-plain", "pandoc-plain-html",
           "portal-page", "portal-spans", "scan-tiff", "scraped-newline", "scraped-space", "scraped-tab", "tab-rows",
           "txt-cells", "txt-pipes", "txt-tabs"}
"""Forms parsed perfectly on the sample today: they must stay so."""
NO_WRONG = PERFECT | {"pdf-unmapped", "pdftotext", "pdftotext-layout", "pdftotext-raw", "scan-pdf",
                      "scraped-nosep", "txt-aligned", "txt-columns", "txt-lines"}
"""Forms that put no value in a wrong cell on the sample today."""
LOSES = {
    "pdftotext": "one cell per paragraph: 表三 rows whose blank cells print nothing and the rows next to them, rows "
                 "printed column by column or apart from their labels where order and counts do not decide, and "
                 "表四 (its values printed in blocks out of column order)",
    "pdftotext-layout": "表三 across a page break (repeated headers, cut group label) missing",
    "pdftotext-raw": "rows whose blank cells vanish (values set apart by one space) where the sums leave several "
                     "placements; a label whose pieces a vertical group label's interleave",
    "txt-aligned": "表三 rows whose blank cells print as spaces, where no stretch of rows places them, are missing",
    "txt-columns": "rows whose blank cells vanish where the sums leave several placements are missing",
    "txt-lines": "rows whose blank cells vanish where the sums leave several placements are missing",
    "scan-pdf": "cells OCR cannot read are missing",
    "pdf-unmapped": "a value OCR read as one text with its label (the line between their cells lost) is missing",
    "scraped-nosep": "glued cells (no separator) whose run splits several ways under the identities",
}
"""What the forms not yet perfect lose on the sample (forms of other modules: see bench_variants.py)."""


ONCE_WRONG = [("pdftotext", 7, 21), ("pdftotext", 7, 50), ("pdftotext", 11, 45), ("pdftotext", 23, 0),
              ("pdftotext", 11, 4), ("pdftotext", 23, 29), ("pdftotext", 31, 7), ("pdftotext", 31, 21),
              ("pdftotext", 11, 46), ("pdftotext", 23, 11), ("lo-pdf", 23, 56), ("pdftotext", 11, 2),
              ("pdftotext", 11, 11), ("pdftotext-raw", 11, 11), ("pdftotext", 11, 47), ("browser-pdf", 0, 17),
              ("browser-pdf", 0, 39), ("browser-pdf", 0, 23), ("pdftotext", 14, 33)]
"""Bench files (form, seed, index) that once put values in wrong cells or named the agency wrongly: plain
pdftotext printing a value among the next row's, empty lines of its own read as a blank cell's, a label cut
short after another, two labels before their rows' values, a title broken over four lines, a table's last
word above the signature, a value printed beside a broken label with the rest of its row on the lines after;
a row of blank cells a page break cut from 表四's header; a bare page number read as a row's value, a row's
values cut by a page break read in the wrong order, empty lines of plain pdftotext's own read as blank cells;
a browser's PDF whose spans disagree between rows, whose open frame swallowed a page's last row, and whose share
buttons wrapped onto the line above the title; plain pdftotext listing 表三's last labels before 表四's heading
and their values after it (the labels alone were read as rows of blank cells). They are drawn as the bench drew
them then, before the artefacts of real reports (tests/variants/wild.py)."""


@cache
def _scores(name: str) -> list[Score]:
    form = FORMS[name]
    truths = [random_report(random.Random(f"{SEED}/{index}")) for index in range(form.sample or COUNT)]
    files = form.files([(t, random.Random(f"{SEED}/{name}/{i}")) for i, t in enumerate(truths)], FORM_SECONDS)
    out = []
    for index, (truth, data) in enumerate(zip(truths, files, strict=False)):
        try:
            out.append(score(truth, parse_bytes(data, f"{name}-{index}{form.suffix}")))
        except NianbaoError as exc:
            out.append(score(truth, None, exc.reason))
    return out


def _sample(name: str) -> list[Score]:
    missing = FORMS[name].missing()
    if missing:
        pytest.skip(f"form {name} needs {', '.join(missing)}, not installed")
    return _scores(name)


def _expect(name: str, good: set[str]) -> object:
    reason = LOSES.get(name, f"{name} is not yet measured exact on this sample: run bench/bench_variants.py")
    marks = [] if name in good else [pytest.mark.xfail(reason=reason, strict=False)]
    return pytest.param(name, marks=marks, id=name)


@pytest.mark.parametrize("name", [_expect(n, NO_WRONG) for n in sorted(FORMS)])
def test_form_gives_no_wrong_cell(name: str) -> None:
    wrong = [w for s in _sample(name) for w in s.wrong]
    assert not wrong, f"{name}: {len(wrong)} wrong cells, first {wrong[:3]}"


@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_missing_cell_is_named_by_a_finding(name: str) -> None:
    """A cell the parser cannot place is missing with a finding naming it, its row or its table."""
    unflagged = [(index, s.unflagged[:3]) for index, s in enumerate(_sample(name)) if s.unflagged]
    assert not unflagged, f"{name}: missing cells no finding names: {unflagged[:3]}"


@pytest.mark.parametrize("name", [_expect(n, PERFECT) for n in sorted(FORMS)])
def test_form_is_parsed_perfectly(name: str) -> None:
    """Every file perfect but those printing last year's rows beside this year's under no caption naming the years
    (their cells are undecidable)."""
    scores = _sample(name)
    lost = [(s.error, s.missing[:3], s.wrong[:3], s.meta) for index, s in enumerate(scores)
            if not s.perfect and _decidable(draw(random_report(random.Random(f"{SEED}/{index}"))).axes["last_year"])]
    assert not lost, f"{name}: {len(lost)} of {len(scores)} files not perfect, e.g. {lost[0]}"


def _decidable(last_year: str) -> bool:
    """Whether the print says which copy of rows printed twice is this year's: none printed twice, or captioned."""
    return last_year == "none" or last_year.endswith(CAPTIONED)


@pytest.mark.parametrize(("name", "seed", "index"), ONCE_WRONG)
def test_bench_files_that_once_gave_wrong_cells_give_none(name: str, seed: int, index: int,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    tame(monkeypatch)
    result = pinned(name, seed, index)
    assert not result.wrong and not result.meta


def test_score_tells_exact_missing_and_wrong() -> None:
    truth = random_report(random.Random("score"))
    parsed = truth.model_copy(deep=True)
    del parsed.tables.t4["review_total"]
    parsed.tables.t3["new_received"]["total"] = Cell(raw="99999", value=99999)
    parsed.meta.agency = "别的机关"
    result = score(truth, parsed)
    assert result.missing == ["t4.review_total"]
    assert [w[0] for w in result.wrong] == ["t3.new_received.total"]
    assert result.meta == [("agency", truth.meta.agency, "别的机关")]
    assert not result.perfect


def test_blank_cells_match_a_nil_token_but_not_a_zero() -> None:
    truth = random_report(random.Random("nil"))
    received_nothing(truth, "nil_total")
    parsed = truth.model_copy(deep=True)
    parsed.tables.t4["review_total"] = Cell(raw="", value=None)
    assert score(truth, parsed).perfect
    parsed.tables.t4["review_total"] = Cell(raw="0", value=0)
    assert [w[0] for w in score(truth, parsed).wrong] == ["t4.review_total"]


def _nothing_drawings(style: str, merge: str) -> list[Drawing]:
    out = []
    for index in range(60):
        report = random_report(random.Random(f"nothing/{index}"))
        received_nothing(report, style)
        drawing = draw(report)
        if f"t3:{merge}" in drawing.axes["merged"]:
            out.append(drawing)
    assert out, f"no drawing of 60 merged 表三 as {merge}"
    return out


def test_received_nothing_prints_one_wu_per_merged_row(monkeypatch: pytest.MonkeyPatch) -> None:
    tame(monkeypatch)  # no whitespace round the 无
    for drawing in _nothing_drawings("nil_total", "row"):
        values = [[s for s in row if s.value] for row in drawing.layout.grids[2]]
        data = [row for row in values if row]
        assert all(len(row) == 1 and row[0].text == "无" and row[0].colspan == 7 for row in data)
        assert all(row[0].key.endswith(".total") for row in data)


@pytest.mark.parametrize("merge", ["total_column", "block"])
def test_received_nothing_prints_one_wu_for_the_whole_table(merge: str, monkeypatch: pytest.MonkeyPatch) -> None:
    tame(monkeypatch)
    for drawing in _nothing_drawings("nil_first_total", merge):
        printed = [s for row in drawing.layout.grids[2] for s in row if s.value and s.text]
        assert [(s.text, s.key) for s in printed] == [("无", "t3.new_received.total")]
        assert printed[0].rowspan > 20 and printed[0].colspan == (7 if merge == "block" else 1)


def test_a_layout_sets_the_docx_page_widths_header_rows_and_page_numbers() -> None:
    report = random_report(random.Random("layout"))
    layout = Layout(page_cm=(14.8, 21.0), margins_cm=(1.0, 1.5, 2.0, 2.5), widths_cm={15: (0.9,) * 15},
                    header_rows={3: 3}, page_number=("第", "页"), table_half_points=15)
    with zipfile.ZipFile(io.BytesIO(render_docx(report, layout))) as archive:
        document = archive.read("word/document.xml").decode()
        footer = "".join(archive.read(n).decode() for n in archive.namelist() if "footer" in n)
    assert '<w:pgSz w:w="8391" w:h="11906"' in document
    assert 'w:left="1417"' in document and 'w:right="850"' in document
    assert document.count("<w:tblHeader/>") == 3
    assert document.count('<w:gridCol w:w="510"/>') == 15
    assert '<w:sz w:val="15"/>' in document
    assert 'w:instr=" PAGE "' in footer and "第" in footer and "页" in footer
