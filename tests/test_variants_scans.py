"""Scans: a cell whose print OCR does not read at first is read again, and when that fails too it is missing with
a finding that points at its place in the image, never a blank; generated photocopy-like scans read without a
wrong number."""

from __future__ import annotations

import random
import shutil
import unicodedata

import pytest
from PIL import ImageFont

from nianbao import parse_bytes
from nianbao.document import UNREADABLE, Document, Paragraph, Table, TextCell
from nianbao.extract import extract
from nianbao.readers import ocr as recognition
from nianbao.readers import read_bytes, reread
from nianbao.schema import formats
from nianbao.synth import consistent_report

from .cells import cells_of
from .readers.test_image import draw_scan, png
from .readers.test_image import font as font
from .readers.test_image import ocr as ocr
from .variants import FORMS
from .variants import scans as _scans  # noqa: F401  (registers the scan forms)

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


def test_an_unreadable_cell_is_missing_with_a_finding_pointing_at_the_image() -> None:
    values = [TextCell(str(i % 3), {"page": 4, "bbox": [10.0 * i, 500.0, 10.0 * i + 9, 512.0]}) for i in range(15)]
    values[3].text, values[3].at[UNREADABLE] = "", True
    headings = [Paragraph(f"{n}、{formats().sections[n - 1].label}", {"page": 4}) for n in (3, 4)]
    report = extract(Document([*headings, Table([values], {"page": 4})], path="scan.pdf", format="pdf"))
    key = f"t4.{formats().t4_columns[3].key}"
    assert key.split(".")[1] not in report.tables.t4 and len(report.tables.t4) == 14
    [found] = [f for f in report.findings if f.rule == "S.unreadable_cell"]
    assert found.cells == [key] and found.at[0]["bbox"] == [30.0, 500.0, 39.0, 512.0] and "第4页" in found.message


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
