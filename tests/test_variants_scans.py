"""Scans: a cell whose print OCR does not read at first is read again, and when that fails too it is missing with
a finding that points at its place in the image, never a blank; a number whose 1s and 7s its print contradicts is
missing with a finding giving the reading and the shape; a lone dash or slash OCR reads as another character is
read by its shape; a thousands separator keeps the width it prints in; generated photocopy-like scans read without a
wrong number."""

from __future__ import annotations

import random
import shutil
import unicodedata

import pytest
from PIL import ImageFont

from nianbao import parse_bytes
from nianbao.document import READINGS, UNREADABLE, UNSURE, Document, Paragraph, Table, TextCell
from nianbao.extract import extract
from nianbao.readers import ocr as recognition
from nianbao.readers import read_bytes, reread
from nianbao.schema import formats
from nianbao.synth import consistent_report

from .cells import cells_of
from .readers import test_image
from .readers.test_image import draw_scan, png
from .readers.test_image import font as font
from .readers.test_image import ocr as ocr
from .variants import FORMS
from .variants import scans as _scans  # noqa: F401  (registers the scan forms)
from .variants.score import pinned

MISSED = "4119"


def _cell(document: Document, text: str) -> TextCell:
    [table] = [block for block in document.blocks if isinstance(block, Table)]
    return next(c for row in table.rows for c in row if unicodedata.normalize("NFKC", c.text) == text
                or c.at.get(UNREADABLE))


def _missing_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """OCR's first pass misses the box holding MISSED, as it misses a faint or blurred number."""
    read = recognition.read_text
    monkeypatch.setattr(recognition, "read_text", lambda *a: [b for b in read(*a) if b.text != MISSED])


@pytest.mark.usefixtures("ocr")
def test_a_number_ocr_missed_is_read_again(monkeypatch: pytest.MonkeyPatch, font: ImageFont.FreeTypeFont) -> None:
    _missing_first(monkeypatch)
    cell = _cell(read_bytes(png(draw_scan(font)), "scan.png"), MISSED)
    assert cell.text == MISSED and not cell.at.get(UNREADABLE)


@pytest.mark.usefixtures("ocr")
def test_print_read_neither_time_is_flagged_unreadable(monkeypatch: pytest.MonkeyPatch,
                                                       font: ImageFont.FreeTypeFont) -> None:
    _missing_first(monkeypatch)
    monkeypatch.setattr(reread, "recognise", lambda images, *a, **k: [("", 0.0)] * len(images))
    cell = _cell(read_bytes(png(draw_scan(font)), "scan.png"), MISSED)
    assert (cell.text, cell.at[UNREADABLE], len(cell.at["bbox"])) == ("", True, 4)


def _first_reading(monkeypatch: pytest.MonkeyPatch, misread: dict[str, str]) -> None:
    """OCR's first pass reads the boxes holding the keys of ``misread`` as their values."""
    read = recognition.read_text
    monkeypatch.setattr(recognition, "read_text",
                        lambda *a: [b._replace(text=misread.get(b.text, b.text)) for b in read(*a)])


@pytest.mark.usefixtures("ocr")
def test_a_1_or_7_its_print_contradicts_is_flagged_unsure(monkeypatch: pytest.MonkeyPatch,
                                                        font: ImageFont.FreeTypeFont) -> None:
    _first_reading(monkeypatch, {"195": "795", "7": "1"})
    document = read_bytes(png(draw_scan(font)), "scan.png")
    [table] = [b for b in document.blocks if isinstance(b, Table)]
    flagged = [(c.text, c.at[UNREADABLE], c.at[READINGS]) for row in table.rows for c in row if UNREADABLE in c.at]
    assert flagged == [("", UNSURE, ["1", "7"]), ("", UNSURE, ["795", "195"])]
    assert table.rows[4][1].text == "4119"  # its print bears its 1s out


@pytest.mark.usefixtures("ocr")
def test_a_lone_dash_or_slash_misread_is_read_by_its_shape(monkeypatch: pytest.MonkeyPatch,
                                                         font: ImageFont.FreeTypeFont) -> None:
    cells = [(*cell[:4], {"3": "/", "0": "—"}.get(cell[4], cell[4])) for cell in test_image.CELLS]
    monkeypatch.setattr(test_image, "CELLS", cells)
    _first_reading(monkeypatch, {"/": "T", "1": "T", "—": "二", "一": "二"})
    [table] = [b for b in read_bytes(png(draw_scan(font)), "scan.png").blocks if isinstance(b, Table)]
    assert [c.text for c in table.rows[2]] == ["本年新收申请数量", "21", "/", "—", "24"]


def test_an_unreadable_cell_is_missing_with_a_finding_pointing_at_the_image() -> None:
    values = [TextCell(str(i % 3), {"page": 4, "bbox": [10.0 * i, 500.0, 10.0 * i + 9, 512.0]}) for i in range(15)]
    values[3].text, values[3].at[UNREADABLE] = "", True
    headings = [Paragraph(f"{n}、{formats().sections[n - 1].label}", {"page": 4}) for n in (3, 4)]
    report = extract(Document([*headings, Table([values], {"page": 4})], path="scan.pdf", format="pdf"))
    key = f"t4.{formats().t4_columns[3].key}"
    assert key.split(".")[1] not in report.tables.t4 and len(report.tables.t4) == 14
    [found] = [f for f in report.findings if f.rule == "S.unreadable_cell"]
    assert found.cells == [key] and found.at[0]["bbox"] == [30.0, 500.0, 39.0, 512.0] and "第4页" in found.message


def test_a_cell_its_print_contradicts_is_missing_with_both_in_its_finding() -> None:
    values = [TextCell(str(i % 3), {"page": 4, "bbox": [10.0 * i, 500.0, 10.0 * i + 9, 512.0]}) for i in range(15)]
    values[5].text, values[5].at[UNREADABLE], values[5].at[READINGS] = "", UNSURE, ["18", "13"]
    headings = [Paragraph(f"{n}、{formats().sections[n - 1].label}", {"page": 4}) for n in (3, 4)]
    report = extract(Document([*headings, Table([values], {"page": 4})], path="scan.pdf", format="pdf"))
    [found] = [f for f in report.findings if f.rule == "S.unreadable_cell"]
    assert found.cells == [f"t4.{formats().t4_columns[5].key}"] and "读作“18”，字形却是“13”" in found.message


@pytest.mark.usefixtures("ocr")
@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm")), reason="needs LibreOffice and pdftoppm")
@pytest.mark.parametrize("name", ["scan-pdf", "scan-tiff"])
def test_generated_scans_read_without_a_wrong_number(name: str) -> None:
    truth = consistent_report("2021", 11, agency="曲靖市麒麟区寥廓街道办事处")
    got = parse_bytes(FORMS[name].make(truth, random.Random(3)), f"scan{FORMS[name].suffix}")
    want, have = cells_of(truth), cells_of(got)
    assert [k for k in want if k in have and have[k] != want[k]] == []
    flagged = {key for f in got.findings for key in f.cells}
    assert all(key in flagged or key.rsplit(".", 1)[0] in flagged for key in want if key not in have)
    assert (got.meta.agency, got.meta.year) == (truth.meta.agency, truth.meta.year)


@pytest.mark.usefixtures("ocr")
def test_a_7_ocr_reads_as_1_is_missing_not_wrong() -> None:
    # the unmapped-font PDF's 7 has a thin bar: the first pass read one as 1
    result = pinned("pdf-unmapped", 0, 21)
    assert result.wrong == [] and "t3.granted.natural_person" in result.missing


@pytest.mark.usefixtures("ocr")
def test_a_scan_whose_dash_and_slash_ocr_read_as_er_and_t_reads_whole() -> None:
    assert pinned("scan-pdf", 7, 2).perfect


@pytest.mark.usefixtures("ocr")
def test_a_scan_cell_holding_two_rows_values_is_missing_not_wrong() -> None:
    # a 表二 row whose rule between two value cells was lost reads "-6 10450" in one cell
    result = pinned("scan-tiff", 2, 2)
    assert result.wrong == [] and "t2.art20_5.other_admin_service.decisions" in result.missing


@pytest.mark.usefixtures("ocr")
def test_digits_ocr_read_stay_digits_whatever_their_print_looks_like() -> None:
    # the print boxes of this row's cells hold a flat bar: its digits were once taken for dashes (blank cells)
    result = pinned("scan-pdf", 8, 7)
    assert result.wrong == [] and "t3.carried_forward.total" not in result.missing


@pytest.mark.usefixtures("ocr")
def test_a_one_row_table_alone_at_a_page_top_is_read() -> None:
    # 表四's header ends a page and its one row of values starts the next: the row's side lines are shorter than a
    # ruling line, but they join its two ruling lines at both ends
    result = pinned("scan-pdf", 9, 11)
    assert result.wrong == [] and not [key for key in result.missing if key.startswith("t4.")]


@pytest.mark.usefixtures("ocr")
@pytest.mark.parametrize("index", [1, 26])
def test_thousands_separators_keep_the_width_they_print_in(index: int) -> None:
    # OCR reads a full-width comma (2，370, file 26) as often as not as an ASCII one (2,370, file 1): the gap its
    # glyph leaves in the number's ink tells them apart
    assert pinned("pdf-unmapped", 0, index, large=True).perfect


@pytest.mark.usefixtures("ocr")
def test_a_7_whose_bar_the_cell_edge_cuts_is_missing_not_a_slash() -> None:
    # the same row in the TIFF: the 7's bar sits against the line above, outside the cell's inside, and OCR reads /
    result = pinned("scan-tiff", 9, 11)
    assert result.wrong == [] and "t4.review_upheld" in result.missing


@pytest.mark.usefixtures("ocr")
def test_a_0_ocr_reads_as_the_letter_o_is_read_again() -> None:
    # 表四's 0 read as O left the whole table unread
    result = pinned("scan-pdf", 9, 9)
    assert result.wrong == [] and not [key for key in result.missing if key.startswith("t4.")]
