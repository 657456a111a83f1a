"""Registers worked by hand → known 表三 and 表四, carry-over across two years, every outcome row."""

from __future__ import annotations

from itertools import cycle

from nianbao.register import check, tally
from nianbao.register.sheets import OUTCOME_JOINER, applicant_columns, outcome_rows
from nianbao.report import Report

from .conftest import register_of

TYPES = list(applicant_columns())
T3_ERRORS = ("T3.", "T4.")


def _row(ident: str, received: str, applicant: str, replied: str | None = None, outcome: str | None = None):
    return {"编号": ident, "收到日期": received, "申请人类型": applicant, "答复日期": replied, "办理结果": outcome}


# Three years of one agency's register, worked by hand:
#   2: received 2023-12-10, answered 2024-01-05   → 2024 上年结转 and （一）予以公开
#   3: received 2024-03-01, answered 2024-03-20   → 2024 新收 and （三）4
#   4: received 2024-12-20, answered 2025-01-10   → 2024 新收, 结转; 2025 上年结转 and （四）1
#   5: received 2024-12-30, answered 2026-01-05   → 2024 新收, 结转; 2025 上年结转, 结转; 2026 上年结转 and （六）3
#   6: received 2025-02-01, answered 2025-02-20   → 2025 新收 and （六）3
#   7: received 2025-11-20, open                  → 2025 新收, 结转; 2026 上年结转, 结转
HISTORY = [
    _row("R1", "2023-12-10", "自然人", "2024-01-05", "（一）予以公开"),
    _row("R2", "2024-03-01", "商业企业", "2024-03-20", "（三）不予公开 / 4.保护第三方合法权益"),
    _row("R3", "2024-12-20", "自然人", "2025-01-10", "（四）无法提供 / 1.本机关不掌握相关政府信息"),
    _row("R4", "2024-12-30", "科研机构", "2026-01-05", "（六）其他处理 / 3.其他"),
    _row("R5", "2025-02-01", "法律服务机构", "2025-02-20", "（六）其他处理 / 3.其他"),
    _row("R6", "2025-11-20", "自然人"),
]
CASES = [
    {"编号": "F1", "类型": "行政复议", "收到日期": "2025-04-01", "结果": "结果维持"},
    {"编号": "F2", "类型": "行政复议", "收到日期": "2025-06-01", "结果": "尚未审结"},
    {"编号": "F3", "类型": "复议后起诉", "收到日期": "2025-08-01", "结果": "结果纠正"},
    {"编号": "F4", "类型": "未经复议直接起诉", "收到日期": "2024-08-01", "结果": "其他结果"},
]


def _tally(rows, year: int, cases=(), previous: Report | None = None) -> Report:
    return tally(check(register_of(rows, cases), year), year, "东湖街道办事处", previous, "上年.json")


def _counted(report: Report) -> list[str]:
    """The rules of the findings about the register and the tables (the narrative is not in a register)."""
    return [f.rule for f in report.findings if f.rule.startswith(("REG.", "S.", "T"))]


def _values(report: Report) -> dict[str, int]:
    """Every non-zero cell as ``row.column`` → value."""
    return {f"{r}.{c}": cell.value for r, cells in report.tables.t3.items() for c, cell in cells.items()
            if cell.value}


def test_three_years_of_one_register() -> None:
    y2024, y2025, y2026 = (_tally(HISTORY, year, CASES) for year in (2024, 2025, 2026))
    assert _values(y2024) == {
        "new_received.natural_person": 1, "new_received.commercial_enterprise": 1,
        "new_received.research_institution": 1, "new_received.total": 3,
        "carried_over.natural_person": 1, "carried_over.total": 1,
        "granted.natural_person": 1, "granted.total": 1,
        "denied_third_party_rights.commercial_enterprise": 1, "denied_third_party_rights.total": 1,
        "result_total.natural_person": 1, "result_total.commercial_enterprise": 1, "result_total.total": 2,
        "carried_forward.natural_person": 1, "carried_forward.research_institution": 1, "carried_forward.total": 2}
    assert _values(y2025) == {
        "new_received.legal_service_org": 1, "new_received.natural_person": 1, "new_received.total": 2,
        "carried_over.natural_person": 1, "carried_over.research_institution": 1, "carried_over.total": 2,
        "unable_not_held.natural_person": 1, "unable_not_held.total": 1,
        "other_other.legal_service_org": 1, "other_other.total": 1,
        "result_total.natural_person": 1, "result_total.legal_service_org": 1, "result_total.total": 2,
        "carried_forward.natural_person": 1, "carried_forward.research_institution": 1, "carried_forward.total": 2}
    assert _values(y2026)["other_other.research_institution"] == 1
    assert _values(y2026)["carried_forward.total"] == 1
    for report in (y2024, y2025, y2026):
        assert _counted(report) == []
    assert y2025.tables.t3["carried_over"]["total"].at == {"sheet": "申请", "rows": [4, 5]}
    assert y2025.tables.t3["new_received"]["total"].at == {"sheet": "申请", "rows": [6, 7]}
    assert y2025.tables.t3["granted"]["total"].at == {"sheet": "申请", "rows": []}


def test_table_four_counts_the_cases_received_in_the_year() -> None:
    t4 = _tally(HISTORY, 2025, CASES).tables.t4
    assert {k: c.value for k, c in t4.items() if c.value} == {
        "review_upheld": 1, "review_pending": 1, "review_total": 2,
        "lit_after_review_corrected": 1, "lit_after_review_total": 1}
    assert t4["review_total"].at == {"sheet": "复议诉讼", "rows": [2, 3]}


def test_carry_over_from_the_previous_report_across_two_years() -> None:
    y2024 = _tally(HISTORY, 2024)
    y2025 = _tally(HISTORY, 2025, previous=Report.model_validate_json(y2024.to_json()))
    y2026 = _tally(HISTORY, 2026, previous=y2025)
    assert _counted(y2025) == [] and _counted(y2026) == []
    cell = y2025.tables.t3["carried_over"]["total"]
    assert cell.value == 2 and cell.at["from"] == "上年.json" and cell.at["rows"] == [4, 5]
    assert y2026.tables.t3["carried_over"]["total"].value == y2025.tables.t3["carried_forward"]["total"].value == 2


def test_a_previous_report_that_disagrees_is_shown() -> None:
    y2024 = _tally(HISTORY, 2024)
    y2024.tables.t3["carried_forward"]["natural_person"].value = 3
    y2025 = _tally(HISTORY, 2025, previous=y2024)
    mismatch = [f for f in y2025.findings if f.rule == "REG.carry_mismatch"]
    assert [f.cells for f in mismatch] == [["t3.carried_over.natural_person"]]
    assert "第 4 行" in mismatch[0].message
    assert {f.rule for f in y2025.errors} == {"T3.balance", "T3.row_sum"}


def _every_outcome(year: int) -> list[dict[str, object]]:
    labels = outcome_rows("2019" if year <= 2020 else "2021")
    return [_row(f"O{i}", f"{year}-03-{i + 1:02d}", applicant, f"{year}-04-{i + 1:02d}", label)
            for i, (label, applicant) in enumerate(zip(labels, cycle(TYPES), strict=False))]


def test_every_outcome_row_of_both_formats() -> None:
    for year, template in ((2020, "2019"), (2025, "2021")):
        report = _tally(_every_outcome(year), year)
        labels = outcome_rows(template)
        assert report.template == template and _counted(report) == []
        for i, key in enumerate(labels.values()):
            cells = report.tables.t3[key]
            assert cells["total"].value == 1 and cells["total"].at["rows"] == [i + 2]
            assert cells[applicant_columns()[TYPES[i % len(TYPES)]]].value == 1
        assert report.tables.t3["result_total"]["total"].value == len(labels)
    assert "other_handling" in _tally(_every_outcome(2020), 2020).tables.t3
    assert "other_handling" not in _tally(_every_outcome(2025), 2025).tables.t3
    assert any(OUTCOME_JOINER in label for label in outcome_rows("2021"))


def test_bad_rows_carry_their_findings_into_the_report() -> None:
    rows = [*HISTORY, _row("R7", "2025-05-01", "自然人", "2025-05-20", None), _row("R8", "2025-05-02", "外星人")]
    report = _tally(rows, 2025)
    assert [(f.rule, f.at[0]["row"]) for f in report.findings if f.rule.startswith("REG.")] == [
        ("REG.no_outcome", 8), ("REG.unknown_category", 9)]
    # The answered row without outcome is counted as received but in no outcome: the balance shows it.
    assert [f.rule for f in report.findings if f.rule.startswith(T3_ERRORS)] == ["T3.balance", "T3.balance"]
