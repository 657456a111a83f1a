"""Random registers → tally: no table identity broken, every cell counts exactly the rows its ``at`` lists."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.register import WorkCalendar, check, deadlines, tally
from nianbao.register.sheets import applicant_columns, case_columns, outcome_rows, template_for
from nianbao.schema import formats

from .conftest import register_of

FIRST, LAST = date(2019, 6, 1), date(2022, 12, 31)
TYPES = list(applicant_columns())


@st.composite
def application(draw: st.DrawFn, ident: int) -> dict[str, object]:
    received = draw(st.dates(FIRST, LAST))
    row: dict[str, object] = {"编号": f"A{ident}", "收到日期": received, "申请人类型": draw(st.sampled_from(TYPES))}
    day = received
    if draw(st.booleans()):  # 补正
        row["补正通知日期"] = day = day + timedelta(draw(st.integers(0, 10)))
        row["补正收到日期"] = day = day + timedelta(draw(st.integers(0, 60)))
    if draw(st.booleans()):  # third-party consultation
        row["征求意见开始日期"] = day = day + timedelta(draw(st.integers(0, 10)))
        row["征求意见结束日期"] = day = day + timedelta(draw(st.integers(0, 30)))
    if draw(st.booleans()):
        row["延期"] = "是"
        row["延期告知日期"] = day = day + timedelta(draw(st.integers(0, 30)))
    if draw(st.integers(0, 4)):  # most applications are answered
        replied = day + timedelta(draw(st.integers(0, 120)))
        row["答复日期"] = replied
        row["办理结果"] = draw(st.sampled_from(list(outcome_rows(template_for(replied.year)))))
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()}


@st.composite
def register_rows(draw: st.DrawFn) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    count = draw(st.integers(0, 40))
    apps = [draw(application(i)) for i in range(count)]
    kinds = list(case_columns())
    cases = [{"编号": f"F{i}", "收到日期": draw(st.dates(FIRST, LAST)).isoformat(),
              **dict(zip(("类型", "结果"), draw(st.sampled_from(kinds)), strict=True))}
             for i in range(draw(st.integers(0, 10)))]
    return apps, cases


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(register_rows(), st.sampled_from([2020, 2021, 2022]))
def test_a_tally_keeps_every_identity(rows, year: int) -> None:
    apps, cases = rows
    checked = check(register_of(apps, cases), year)
    assert checked.findings == []
    report = tally(checked, year)
    assert [f for f in report.findings if f.severity == "error"] == []
    t3 = report.tables.t3
    for cells in t3.values():
        for cell in cells.values():
            assert cell.value == len(cell.at["rows"])
        applicants = [cells[key] for key in applicant_columns().values()]
        assert cells["total"].value == sum(c.value for c in applicants)
        assert sorted(cells["total"].at["rows"]) == sorted(r for c in applicants for r in c.at["rows"])
    received = [a for a in apps if a["收到日期"].startswith(str(year))]
    assert t3["new_received"]["total"].value == len(received)
    outcomes = [k for k in t3 if k in outcome_rows(template_for(year)).values()]
    answered = [a for a in apps if str(a.get("答复日期", "")).startswith(str(year))]
    assert sum(t3[k]["total"].value for k in outcomes) == t3["result_total"]["total"].value == len(answered)
    assert len(t3) == len(formats().t3_data_rows(template_for(year)))
    for column in report.tables.t4.values():
        assert column.value == len(column.at["rows"])
    assert sum(c.value for k, c in report.tables.t4.items() if k.endswith("_total")) == sum(
        1 for c in cases if c["收到日期"].startswith(str(year)))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(register_rows())
def test_every_application_gets_a_deadline_after_its_start(rows) -> None:
    apps, _ = rows
    checked = check(register_of(apps, []), 2021)
    for found in deadlines(checked.applications, WorkCalendar(), date(2023, 6, 1)):
        assert found.due is None or found.due > (found.start or found.received)
        assert found.status in ("已超期", "将到期", "正常")
