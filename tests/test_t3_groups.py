"""表三 group rows （三）（四）（五）（六） printed with subtotals: neither data rows nor loose rows."""

from __future__ import annotations

import pytest

from nianbao import parse_bytes
from nianbao.schema import formats

_ZERO = [0] * 7
_VALUES = {"new_received": [5, 0, 0, 0, 0, 0, 5], "granted": [2, 0, 0, 0, 0, 0, 2],
           "denied_state_secret": [1, 0, 0, 0, 0, 0, 1], "other_no_correction": [1, 0, 0, 0, 0, 0, 1],
           "other_other": [1, 0, 0, 0, 0, 0, 1], "result_total": [5, 0, 0, 0, 0, 0, 5]}
_SUBTOTALS = {"denied": [1, 0, 0, 0, 0, 0, 1], "unable": _ZERO, "rejected": _ZERO,
              "other_handling": [2, 0, 0, 0, 0, 0, 2]}


def _row(label: str, numbers: list[int]) -> str:
    return "| " + " | ".join([label, *map(str, numbers)]) + " |\n"


def _report(subtotals: dict[str, list[int]]) -> str:
    body = ("青石县人民政府办公室2023年政府信息公开工作年度报告\n一、总体情况\n正文。\n二、主动公开政府信息情况\n"
            "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n三、收到和处理政府信息公开申请情况\n")
    for spec in formats().t3_rows:
        if spec.key in subtotals:
            body += _row(spec.label, subtotals[spec.key])
        elif spec.group:
            body += _row(spec.label, [])
        elif "2021" in spec.templates:
            body += _row(spec.label, _VALUES.get(spec.key, _ZERO))
    return body + "四、政府信息公开行政复议、行政诉讼情况\n" + "\t".join(["0"] * 15) + "\n"


@pytest.mark.parametrize("subtotals", [_SUBTOTALS, {"other_handling": _SUBTOTALS["other_handling"]},
                                       {"denied": _SUBTOTALS["denied"]}, {}])
def test_subtotals_on_group_rows_are_not_read_as_data(subtotals: dict[str, list[int]]) -> None:
    report = parse_bytes(_report(subtotals).encode(), "t.txt")
    rules = {f.rule for f in report.findings}
    assert not rules & {"S.duplicate_row", "S.template_mixed", "S.unplaced_row", "T3.outcome_sum"}
    assert "other_handling" not in report.tables.t3
    assert report.tables.t3["granted"]["total"].value == 2
    assert report.tables.t3["denied_state_secret"]["total"].value == 1
    assert report.tables.t3["other_no_correction"]["total"].value == 1
