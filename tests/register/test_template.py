"""The blank register: headers, drop-downs holding exactly the format's labels, frozen header, 说明; and it opens
in LibreOffice."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from nianbao.register import read_register, write_template
from nianbao.register.sheets import FIELDS
from nianbao.schema import catalogue, formats

SOFFICE_SECONDS = 180


def _expected_outcomes(template: str) -> list[str]:
    """The outcome sub-rows' own labels of one format, straight from the format data, in printed order."""
    keys = catalogue().groups["t3_outcome_rows"]
    return [r.label for r in formats().t3_data_rows(template) if r.key in keys]


def _list(book: Workbook, formula: str) -> list[str]:
    sheet_name, cells = formula.lstrip("=").split("!")
    first, last = cells.replace("$", "").split(":")
    return [c.value for row in book[sheet_name.strip("'")][f"{first}:{last}"] for c in row]


def _dropdowns(book: Workbook, sheet: str) -> dict[str, list[str]]:
    """Header → the labels its list validation offers."""
    ws = book[sheet]
    headers = {c.column_letter: c.value for c in ws[1]}
    found: dict[str, list[str]] = {}
    for rule in ws.data_validations.dataValidation:
        if rule.type == "list":
            letter = str(rule.sqref).split(":")[0].rstrip("0123456789")
            found[headers[letter]] = _list(book, rule.formula1)
    return found


def _check_workbook(path: Path, year: int, template: str, view_kept: bool = True) -> None:
    """The template's sheets, headers, drop-downs and notes; ``view_kept`` also checks the frozen header
    row, a view setting that LibreOffice without a window (headless) does not write back."""
    book = load_workbook(path)
    assert book.sheetnames[:3] == ["申请", "复议诉讼", "说明"]
    for sheet, fields in FIELDS.items():
        assert [c.value for c in book[sheet][1]] == [f.header for f in fields]
        if view_kept:
            assert book[sheet].freeze_panes == "A2"
    apps = _dropdowns(book, "申请")
    assert [label.split(" / ")[-1] for label in apps["办理结果"]] == _expected_outcomes(template)
    assert apps["申请人类型"] == [c.label for c in formats().t3_columns if c.key != "total"]
    assert apps["收到方式"] == ["当面", "邮寄", "平信", "网络", "传真"] and apps["延期"] == ["是", "否"]
    cases = _dropdowns(book, "复议诉讼")
    assert cases["结果"] == list(dict.fromkeys(c.label for c in formats().t4_columns if not c.key.endswith("total")))
    assert cases["类型"] == list(dict.fromkeys(c.subgroup or c.group for c in formats().t4_columns))
    notes = " ".join(str(c.value) for row in book["说明"].iter_rows() for c in row if c.value)
    assert formats().templates[template].notice in notes and f"{year} 年" in notes
    assert read_register(path).rows == {"申请": [], "复议诉讼": []}


@pytest.mark.parametrize(("year", "template"), [(2020, "2019"), (2025, "2021")])
def test_the_template_holds_the_format_in_force(tmp_path: Path, year: int, template: str) -> None:
    path = tmp_path / "台账.xlsx"
    write_template(path, year)
    _check_workbook(path, year, template)


def test_a_csv_template_has_the_same_headers(tmp_path: Path) -> None:
    path = tmp_path / "复议诉讼.csv"
    write_template(path, 2025, "复议诉讼")
    assert path.read_text(encoding="utf-8-sig").strip() == ",".join(f.header for f in FIELDS["复议诉讼"])


def _calc() -> str:
    """The soffice command, when LibreOffice with its spreadsheet module is installed; else skips saying why."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    program = Path(os.path.realpath(soffice)).parent
    if not any(program.glob("libsclo.so")):
        pytest.skip(f"LibreOffice Calc is not installed (no libsclo.so in {program}; package libreoffice-calc)")
    return soffice


def test_the_template_opens_in_libreoffice(tmp_path: Path) -> None:
    soffice = _calc()
    source = tmp_path / "台账.xlsx"
    write_template(source, 2025)
    out = tmp_path / "out"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=SOFFICE_SECONDS)
    _check_workbook(out / "台账.xlsx", 2025, "2021", view_kept=False)
