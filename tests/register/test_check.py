"""Row checks: every problem named by sheet, row and column; xlsx and CSV read alike."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from nianbao.errors import NianbaoError
from nianbao.register import check, read_register, read_register_bytes, write_template

from .conftest import csv_bytes, register_of

GOOD = {"编号": "A1", "收到日期": "2025-03-03", "申请人类型": "自然人", "答复日期": "2025-03-20",
        "办理结果": "（一）予以公开"}


def _findings(rows: list[dict[str, object]], cases: list[dict[str, object]] = (), year: int = 2025):
    return check(register_of(rows, cases), year).findings


def _where(findings) -> list[tuple[str, str, int, str]]:
    return [(f.rule, f.at[0]["sheet"], f.at[0]["row"], f.at[0]["column"]) for f in findings]


def test_a_clean_register_has_no_findings() -> None:
    case = {"编号": "F1", "类型": "行政复议", "收到日期": "2025-05-01", "结果": "结果维持"}
    assert _findings([GOOD], [case]) == []


@pytest.mark.parametrize(("change", "expected"), [
    ({"申请人类型": "个体户"}, ("REG.unknown_category", "申请人类型")),
    ({"收到方式": "电话"}, ("REG.unknown_category", "收到方式")),
    ({"办理结果": "予以驳回"}, ("REG.unknown_category", "办理结果")),
    ({"收到日期": "3月3日"}, ("REG.bad_date", "收到日期")),
    ({"收到日期": None}, ("REG.required", "收到日期")),
    ({"答复日期": "2025-03-01"}, ("REG.date_order", "答复日期")),
    ({"办理结果": None}, ("REG.no_outcome", "办理结果")),
    ({"答复日期": None}, ("REG.no_reply_date", "答复日期")),
    ({"收费金额": "-5"}, ("REG.bad_number", "收费金额")),
    ({"补正收到日期": "2025-03-10"}, ("REG.incomplete", "补正通知日期")),
    ({"征求意见开始日期": "2025-03-10", "征求意见结束日期": "2025-03-05"}, ("REG.date_order", "征求意见结束日期")),
])
def test_each_row_problem_names_sheet_row_and_column(change: dict[str, object], expected: tuple[str, str]) -> None:
    found = _findings([GOOD, {**GOOD, "编号": "A2", **change}])
    assert _where(found) == [(expected[0], "申请", 3, expected[1])]
    assert "「申请」第 3 行" in found[0].message


def test_duplicate_numbers_name_both_rows() -> None:
    found = _findings([GOOD, {**GOOD, "收到日期": "2025-04-01", "答复日期": "2025-04-02"}])
    assert _where(found) == [("REG.duplicate_id", "申请", 3, "编号")]
    assert "第 2 行" in found[0].message


def test_outcomes_follow_the_format_of_the_reply_year() -> None:
    # （六）其他处理 is one row in the 2019 format and a group of three in the 2021 format.
    old = {**GOOD, "收到日期": "2020-03-03", "答复日期": "2020-03-20", "办理结果": "（六）其他处理"}
    assert _findings([old], year=2020) == []
    assert _where(_findings([{**old, "答复日期": "2021-01-05"}], year=2021)) == [
        ("REG.unknown_category", "申请", 2, "办理结果")]
    new = {**GOOD, "办理结果": "（六）其他处理 / 3.其他"}
    assert _findings([new]) == []
    assert _findings([{**new, "办理结果": "3.其他"}]) == []  # a sub-row's own label, when only one has it


def test_cases_are_checked_too() -> None:
    case = {"编号": "F1", "类型": "行政诉讼", "收到日期": "2025-05-01", "结果": "维持"}
    assert _where(_findings([GOOD], [case])) == [("REG.unknown_category", "复议诉讼", 2, "类型"),
                                                 ("REG.unknown_category", "复议诉讼", 2, "结果")]


def test_a_missing_required_column_is_one_finding() -> None:
    data = "编号,收到日期\nA1,2025-03-03\n".encode()
    register = read_register_bytes(data, "申请.csv")
    assert _where(check(register, 2025).findings) == [("REG.missing_column", "申请", 1, "申请人类型")]


def test_a_file_without_register_tables_is_refused() -> None:
    with pytest.raises(NianbaoError) as caught:
        read_register_bytes("姓名,电话\n张三,123\n".encode(), "通讯录.csv")
    assert caught.value.path == "通讯录.csv"


def test_a_filled_workbook_reads_like_csv(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    write_template(path, 2025)
    book = load_workbook(path)
    sheet = book["申请"]
    headers = [c.value for c in sheet[1]]
    row = {**GOOD, "收到日期": date(2025, 3, 3), "答复日期": date(2025, 3, 20)}
    for column, header in enumerate(headers, start=1):
        sheet.cell(2, column, row.get(header))
    book.save(path)
    register = read_register(path)
    csv_register = read_register_bytes(csv_bytes("申请", [GOOD]), "申请.csv")
    checked, from_csv = check(register, 2025), check(csv_register, 2025)
    assert checked.findings == [] and len(checked.applications) == 1
    assert checked.applications[0] == from_csv.applications[0]


@pytest.mark.parametrize(("data", "name"), [
    (b"PK\x03\x04" + b"\x00" * 100, "broken.xlsx"),
    ("编号,收到日期,申请人类型\n\"".encode() + b"x" * 200_000 + b"\"\n", "huge-field.csv"),
    (b"\x00\x01\x02binary" * 50, "binary.csv"),
])
def test_hostile_files_are_refused_with_their_name(data: bytes, name: str) -> None:
    with pytest.raises(NianbaoError) as caught:
        read_register_bytes(data, name)
    assert caught.value.path == name


def test_a_register_longer_than_the_limit_is_refused_not_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    from nianbao.register import read

    monkeypatch.setattr(read, "MAX_ROWS", 3)
    rows = [{**GOOD, "编号": f"A{i}"} for i in range(3)]
    assert len(read_register_bytes(csv_bytes("申请", rows), "申请.csv").rows["申请"]) == 3
    with pytest.raises(NianbaoError) as caught:
        read_register_bytes(csv_bytes("申请", [*rows, {**GOOD, "编号": "A9"}]), "申请.csv")
    assert caught.value.code == "too_large"
