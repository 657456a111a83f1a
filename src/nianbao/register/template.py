"""Report year → a blank register workbook: the 申请 and 复议诉讼 sheets with Chinese headers, a drop-down for
every category (the labels of the format in force), date checks, a frozen header row and a 说明 sheet.

CSV holds one sheet's header row, for registers kept as CSV.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from ..schema import formats
from .sheets import APPLICATIONS, CASES, CHOICES, FIELDS, NOTES, check_year, choices, template_for

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

ROWS = 2000
"""Data rows the drop-downs and date checks cover."""
_HEADER_COLOR = "DDE7F3"
_DATE_FORMAT = "yyyy-mm-dd"
_FIRST_DATE, _LAST_DATE = 36526, 73050
"""2000-01-01 and 2099-12-31 as spreadsheet date serials: the range a date column accepts."""


def _choice_sheet(book: Workbook, year: int) -> dict[tuple[str, str], str]:
    """A hidden sheet listing every drop-down's labels, one column each: (sheet, header) → the range formula."""
    from openpyxl.utils import get_column_letter, quote_sheetname

    sheet = book.create_sheet(CHOICES)
    ranges: dict[tuple[str, str], str] = {}
    column = 1
    for name, fields in FIELDS.items():
        for f in fields:
            if f.kind != "choice":
                continue
            labels = choices(name, f.header, year)
            letter = get_column_letter(column)
            sheet.cell(1, column, f"{name}·{f.header}")
            for i, label in enumerate(labels, start=2):
                sheet.cell(i, column, label)
            ranges[(name, f.header)] = f"{quote_sheetname(CHOICES)}!${letter}$2:${letter}${len(labels) + 1}"
            column += 1
    sheet.sheet_state = "hidden"
    return ranges


def _data_sheet(sheet: Worksheet, name: str, ranges: dict[tuple[str, str], str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for column, f in enumerate(FIELDS[name], start=1):
        cell = sheet.cell(1, column, f.header)
        cell.font = Font(bold=True, color="C00000" if f.required else "000000")
        cell.fill = PatternFill("solid", fgColor=_HEADER_COLOR)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        letter = get_column_letter(column)
        span = f"{letter}2:{letter}{ROWS + 1}"
        sheet.column_dimensions[letter].width = 14 if f.kind != "choice" else 22
        if f.kind == "choice":
            rule = DataValidation(type="list", formula1=ranges[(name, f.header)], allow_blank=True,
                                  showErrorMessage=True, errorTitle="不在选项中", error="请从下拉列表中选择")
        elif f.kind == "date":
            rule = DataValidation(type="date", operator="between", formula1=str(_FIRST_DATE),
                                  formula2=str(_LAST_DATE), allow_blank=True, showErrorMessage=True,
                                  errorTitle="不是日期", error="请填写日期，如 2025-03-05")
            for row in range(2, ROWS + 2):
                sheet.cell(row, column).number_format = _DATE_FORMAT
        elif f.kind == "number":
            rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                  showErrorMessage=True, errorTitle="不是金额", error="请填写不小于 0 的金额（元）")
        else:
            continue
        rule.add(span)
        sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"


def _notes(sheet: Worksheet, year: int) -> None:
    from openpyxl.styles import Alignment, Font

    template = template_for(year)
    notice = formats().templates[template].notice
    lines = [
        ("政府信息公开申请台账", ""),
        ("适用年度", f"{year} 年：年度报告格式为{notice}（{template}版），“办理结果”下拉列表即该格式表三的办理结果"),
        ("用法", "每件申请填「申请」表一行，每件行政复议或行政诉讼填「复议诉讼」表一行；红色表头为必填列。"),
        ("统计", "nianbao register tally 台账.xlsx --year 年度：按收到日期计入本年新收，按答复日期计入办理结果，"
                 "年末尚未答复的计入结转下年度；复议诉讼按收到日期计入年度。"),
        ("期限", "nianbao register check 台账.xlsx --year 年度："
                 "按条例第30–33条计算每件申请的答复期限（工作日，含调休）。"),
    ]
    lines += [(f"{name}·{f.header}", f.help) for name, fields in FIELDS.items() for f in fields if f.help]
    for row, (title, text) in enumerate(lines, start=1):
        sheet.cell(row, 1, title).font = Font(bold=True)
        sheet.cell(row, 2, text).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 100


def template_bytes(year: int) -> bytes:
    """The blank register workbook for ``year`` as xlsx bytes."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    first.title = APPLICATIONS
    ranges = _choice_sheet(book, year)
    _data_sheet(first, APPLICATIONS, ranges)
    _data_sheet(book.create_sheet(CASES, 1), CASES, ranges)
    _notes(book.create_sheet(NOTES, 2), year)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_header(sheet: str) -> bytes:
    """One sheet's header row as CSV (UTF-8 with BOM, so that spreadsheet programs read the Chinese)."""
    out = io.StringIO()
    csv.writer(out).writerow([f.header for f in FIELDS[sheet]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_template(path: Path, year: int, sheet: str = APPLICATIONS) -> None:
    """Write the blank register: a workbook, or one sheet's CSV header when ``path`` ends in .csv."""
    check_year(year, str(path))
    data = csv_header(sheet) if path.suffix.lower() == ".csv" else template_bytes(year)
    path.write_bytes(data)
