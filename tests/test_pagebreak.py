"""Tables that cross a page break, read back from what PDF and office tools print: every cell right or
missing with a finding, never wrong.

The generator renders consistent reports to DOCX, then varies what moves the page break inside 表三
(page height, top margin), whether the header rows repeat on the next page, and how narrow the label
columns are (labels and the vertical group label wrap into fragments); a second sample also narrows
the value columns so that numbers wrap inside their cells, some across the page break. LibreOffice
prints the PDFs in one run; pdftotext (-layout, -raw, plain), LibreOffice "save as text" and pandoc
read them back.
"""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from nianbao import parse_bytes
from nianbao.render import render
from nianbao.report import Report
from nianbao.synth import consistent_report

from .cells import cells_of

SAMPLE = 24
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
T3_TABLE = 1
T3_HEADER_ROWS = 3
T3_LABEL_COLUMNS = 3
EXACT_FORMS = ("layout", "raw", "lotxt", "pandoc")
"""Forms every cell of which must come back; plain pdftotext reorders a broken table's text, so its
cells may be missing (with findings) but never wrong."""

needs_tools = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("soffice", "pdftotext", "pandoc")),
    reason="LibreOffice (soffice), poppler-utils (pdftotext) or pandoc not installed")


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass(frozen=True, slots=True)
class Page:
    """How one DOCX is laid out: page height and top margin (twips), header repeat, column scales."""

    height: int
    top: int
    repeat_header: bool
    label_scale: float
    value_scale: float = 1.0


def draw(rng: random.Random, narrow: bool = False) -> Page:
    """A page on which 表三 breaks at a row that depends on the draw; ``narrow`` value columns wrap numbers."""
    return Page(rng.randint(9000, 17000), rng.randint(500, 1800), rng.random() < 0.5, rng.choice([1.0, 0.8, 0.6]),
                rng.choice([0.5, 0.6, 0.7]) if narrow else 1.0)


def _scale_columns(table: etree._Element, page: Page) -> None:
    grid = table.find(_w("tblGrid")).findall(_w("gridCol"))
    widths = [round(int(col.get(_w("w"))) * (page.label_scale if i < T3_LABEL_COLUMNS else page.value_scale))
              for i, col in enumerate(grid)]
    for col, width in zip(grid, widths, strict=True):
        col.set(_w("w"), str(width))
    for row in table.findall(_w("tr")):
        column = 0
        for cell in row.findall(_w("tc")):
            span = cell.find(f"{_w('tcPr')}/{_w('gridSpan')}")
            count = int(span.get(_w("val"))) if span is not None else 1
            cell.find(f"{_w('tcPr')}/{_w('tcW')}").set(_w("w"), str(sum(widths[column:column + count])))
            column += count
    table.find(f"{_w('tblPr')}/{_w('tblW')}").set(_w("w"), str(sum(widths)))


def paged_docx(report: Report, page: Page) -> bytes:
    """The renderer's DOCX of ``report`` laid out on ``page``."""
    source = zipfile.ZipFile(io.BytesIO(render(report, "docx")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                root = etree.fromstring(data)
                section = root.find(f".//{_w('sectPr')}")
                section.find(_w("pgSz")).set(_w("h"), str(page.height))
                section.find(_w("pgMar")).set(_w("top"), str(page.top))
                table = root.findall(f".//{_w('tbl')}")[T3_TABLE]
                _scale_columns(table, page)
                if page.repeat_header:
                    for row in table.findall(_w("tr"))[:T3_HEADER_ROWS]:
                        properties = etree.Element(_w("trPr"))
                        etree.SubElement(properties, _w("tblHeader"))
                        row.insert(0, properties)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(item, data)
    return out.getvalue()


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=300)


def print_forms(directory: Path, docxs: list[Path]) -> dict[str, list[Path]]:
    """Every text form of each DOCX, by form name, in the order of ``docxs``."""
    profile = f"-env:UserInstallation=file://{directory / 'lo-profile'}"
    office = ["soffice", profile, "--headless", "--convert-to"]
    _run([*office, "pdf", "--outdir", str(directory), *map(str, docxs)])
    _run([*office, "txt:Text (encoded):UTF8", "--outdir", str(directory / "lo"), *map(str, docxs)])
    forms: dict[str, list[Path]] = {}
    for docx in docxs:
        pdf = docx.with_suffix(".pdf")
        for name, options in (("layout", ["-layout"]), ("raw", ["-raw"]), ("plain", [])):
            text = docx.with_suffix(f".{name}.txt")
            _run(["pdftotext", *options, "-enc", "UTF-8", str(pdf), str(text)])
            forms.setdefault(name, []).append(text)
        pandoc = docx.with_suffix(".pandoc.txt")
        _run(["pandoc", "-t", "plain", str(docx), "-o", str(pandoc)])
        forms.setdefault("pandoc", []).append(pandoc)
        forms.setdefault("lotxt", []).append(directory / "lo" / f"{docx.stem}.txt")
    return forms


@dataclass(slots=True)
class Score:
    """Cells of one form over the sample: exact, missing and wrong (with the first few wrong ones)."""

    files: int = 0
    perfect: int = 0
    exact: int = 0
    missing: int = 0
    wrong: int = 0
    examples: list[str] | None = None


def score(reports: list[Report], files: list[Path]) -> Score:
    result = Score(examples=[])
    for report, path in zip(reports, files, strict=True):
        expected = cells_of(report)
        got = cells_of(parse_bytes(path.read_bytes(), path.name))
        missing = [k for k in expected if k not in got]
        wrong = [k for k in expected if k in got and got[k][0] != expected[k][0]]
        result.files += 1
        result.perfect += not missing and not wrong
        result.exact += len(expected) - len(missing) - len(wrong)
        result.missing += len(missing)
        result.wrong += len(wrong)
        assert result.examples is not None
        result.examples += [f"{path.name} {k}: {expected[k][0]!r} → {got[k][0]!r}" for k in wrong[:3]]
    return result


_T3_START = re.compile(r"三、\s*收到和处理")
_T4_START = re.compile(r"四、\s*政府信息公开行政复议")


def break_rows(layout: Path) -> int | None:
    """How many text lines of 表三 precede its first page break (None: the table does not break)."""
    text = layout.read_text("utf-8")
    start, end = _T3_START.search(text), _T4_START.search(text)
    if start is None or end is None:
        return None
    table = text[start.end():end.start()]
    return table[:table.index("\f")].count("\n") if "\f" in table else None


Sample = tuple[list[Report], dict[str, list[Path]]]


def _sample(directory: Path, narrow: bool) -> Sample:
    reports, docxs = [], []
    for seed in range(SAMPLE):
        rng = random.Random(seed)
        report = consistent_report(rng.choice(["2019", "2021"]), seed)
        path = directory / f"r{seed:02d}.docx"
        path.write_bytes(paged_docx(report, draw(rng, narrow)))
        reports.append(report)
        docxs.append(path)
    return reports, print_forms(directory, docxs)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    return _sample(tmp_path_factory.mktemp("pagebreak"), narrow=False)


@pytest.fixture(scope="module")
def narrow(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    return _sample(tmp_path_factory.mktemp("narrow"), narrow=True)


@needs_tools
def test_sample_breaks_inside_table_three_at_many_rows(sample: Sample) -> None:
    breaks = {break_rows(path) for path in sample[1]["layout"]} - {None}
    assert len(breaks) >= SAMPLE // 3, breaks


@needs_tools
@pytest.mark.parametrize("form", [*EXACT_FORMS, "plain"])
def test_page_broken_tables_are_never_wrong(sample: Sample, form: str) -> None:
    reports, forms = sample
    result = score(reports, forms[form])
    assert result.wrong == 0, result.examples
    if form in EXACT_FORMS:
        assert result.perfect == result.files, result
    else:
        assert result.exact > result.missing, result


_WRAPPED = re.compile(r"^ +\d{1,2}$", re.MULTILINE)


@needs_tools
@pytest.mark.parametrize("form", ["layout", "raw"])
def test_numbers_wrapped_in_narrow_cells_are_never_wrong(narrow: Sample, form: str) -> None:
    reports, forms = narrow
    wrapped = sum(1 for path in forms["layout"] if _WRAPPED.search(path.read_text("utf-8")))
    assert wrapped >= SAMPLE // 3
    result = score(reports, forms[form])
    assert result.wrong == 0, result.examples
    assert result.exact > result.missing, result


def with_blank_cells(report: Report, rng: random.Random) -> Report:
    """The report with some 表三 cells left blank (a zero not written), as many agencies print them."""
    for row in report.tables.t3.values():
        for cell in row.values():
            if cell.value == 0 and rng.random() < 0.5:
                cell.raw, cell.value = "", None
    return report


@pytest.fixture(scope="module")
def blanks(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Report], list[Path]]:
    directory = tmp_path_factory.mktemp("blanks")
    reports, docxs = [], []
    for seed in range(SAMPLE // 2):
        rng = random.Random(1000 + seed)
        report = with_blank_cells(consistent_report(rng.choice(["2019", "2021"]), seed), rng)
        path = directory / f"b{seed:02d}.docx"
        path.write_bytes(paged_docx(report, draw(rng)))
        reports.append(report)
        docxs.append(path)
    profile = f"-env:UserInstallation=file://{directory / 'lo-profile'}"
    _run(["soffice", profile, "--headless", "--convert-to", "txt:Text (encoded):UTF8", "--outdir",
          str(directory / "lo"), *map(str, docxs)])
    return reports, [directory / "lo" / f"{docx.stem}.txt" for docx in docxs]


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) not installed")
def test_blank_cells_of_libreoffice_text_are_read_by_their_lines(blanks: tuple[list[Report], list[Path]]) -> None:
    reports, files = blanks
    assert sum(1 for r in reports for row in r.tables.t3.values() for c in row.values() if not c.raw) > SAMPLE
    exact = total = 0
    for report, path in zip(reports, files, strict=True):
        got = cells_of(parse_bytes(path.read_bytes(), path.name))
        expected = {k: v for k, v in cells_of(report).items() if k.startswith("t3.")}
        assert not [k for k in expected if k in got and got[k] != expected[k]], path.name
        exact += sum(1 for k in expected if got.get(k) == expected[k])
        total += len(expected)
    assert exact >= 0.7 * total, (exact, total)
