"""Reply deadlines under 条例第30–33条, counted over the official holiday arrangements with their 调休 days."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from nianbao.errors import NianbaoError
from nianbao.register import WorkCalendar, check, deadlines, load_holidays
from nianbao.register.deadlines import deadline

from .conftest import register_of

TODAY = date(2026, 6, 1)


def _app(**values: object):
    row = {"编号": "A1", "申请人类型": "自然人", **values}
    checked = check(register_of([row]), 2025)
    assert [f.message for f in checked.findings if f.severity == "error"] == []
    return checked.applications[0]


def _due(received: str, **values: object) -> date | None:
    return deadline(_app(收到日期=received, **values), WorkCalendar(), TODAY).due


@pytest.mark.parametrize(("received", "due"), [
    # 2024 Spring Festival: 2.10–2.17 off, Sunday 2.4 and Sunday 2.18 worked; 2.9 (除夕) a working day.
    ("2024-02-01", date(2024, 3, 5)),
    # 2024 National Day: 10.1–10.7 off, Sunday 9.29 and Saturday 10.12 worked.
    ("2024-09-20", date(2024, 10, 23)),
    # 2025 Spring Festival: 1.28–2.4 off, Sunday 1.26 and Saturday 2.8 worked.
    ("2025-01-20", date(2025, 2, 21)),
    # 2025 National Day with Mid-Autumn: 10.1–10.8 off, Sunday 9.28 and Saturday 10.11 worked.
    ("2025-09-22", date(2025, 10, 24)),
    # Across the year end: 2025-01-01 off.
    ("2024-12-20", date(2025, 1, 20)),
])
def test_twenty_working_days_follow_the_holiday_arrangement(received: str, due: date) -> None:
    assert _due(received) == due


def test_adjusted_working_saturdays_count() -> None:
    calendar = WorkCalendar()
    assert calendar.is_workday(date(2024, 10, 12)) and calendar.is_workday(date(2025, 2, 8))
    assert calendar.is_workday(date(2025, 10, 11)) and calendar.is_workday(date(2024, 9, 29))
    assert not calendar.is_workday(date(2025, 10, 8)) and not calendar.is_workday(date(2024, 2, 16))


def test_the_term_runs_from_the_completed_application() -> None:
    # 补正 asked on 3.5, received on 3.20 (Thu): 20 working days from then, Qingming 4.4 off.
    assert _due("2025-03-03", 补正通知日期="2025-03-05", 补正收到日期="2025-03-20") == date(2025, 4, 18)
    assert _due("2025-03-03") == date(2025, 3, 31)


def test_waiting_for_the_correction_has_no_due_date_yet() -> None:
    found = deadline(_app(收到日期="2025-03-03", 补正通知日期="2025-03-05"), WorkCalendar(), date(2025, 6, 1))
    assert found.due is None and found.status == "正常"
    assert "第30条" in found.notes[0]


def test_a_late_correction_notice_is_noted() -> None:
    found = deadline(_app(收到日期="2025-03-03", 补正通知日期="2025-03-13", 补正收到日期="2025-03-20"),
                     WorkCalendar(), TODAY)
    assert any("7 个工作日" in n for n in found.notes)


def test_consultation_days_are_not_counted() -> None:
    # Received 6.9; consultation 6.16–6.20 (five working days) pushes the due date from 7.7 to 7.14.
    assert _due("2025-06-09") == date(2025, 7, 7)
    assert _due("2025-06-09", 征求意见开始日期="2025-06-16", 征求意见结束日期="2025-06-20") == date(2025, 7, 14)


def test_an_extension_notified_in_time_adds_twenty_working_days() -> None:
    assert _due("2025-09-22", 延期="是", 延期告知日期="2025-10-20") == date(2025, 11, 21)
    late = deadline(_app(收到日期="2025-09-22", 延期="是", 延期告知日期="2025-10-27"), WorkCalendar(), TODAY)
    assert late.due == date(2025, 10, 24)
    assert any("按未延期计算" in n for n in late.notes)


@pytest.mark.parametrize(("today", "label"), [
    (date(2025, 3, 20), "正常"),
    (date(2025, 3, 27), "将到期（2个工作日内）"),
    (date(2025, 3, 31), "将到期（0个工作日内）"),
    (date(2025, 4, 1), "已超期"),
])
def test_open_applications_are_listed_by_status(today: date, label: str) -> None:
    assert deadline(_app(收到日期="2025-03-03"), WorkCalendar(), today).label == label


def test_replies_are_judged_at_their_date() -> None:
    late = deadline(_app(收到日期="2025-03-03", 答复日期="2025-04-02", 办理结果="（一）予以公开"),
                    WorkCalendar(), TODAY)
    assert late.status == "已超期" and "答复超过期限 2 个工作日" in late.notes
    on_time = deadline(_app(收到日期="2025-03-03", 答复日期="2025-03-31", 办理结果="（一）予以公开"),
                       WorkCalendar(), TODAY)
    assert on_time.status == "正常"


def test_a_year_the_library_does_not_cover_is_an_error_naming_it(tmp_path: Path) -> None:
    app = _app(收到日期="2026-12-21")
    with pytest.raises(NianbaoError) as caught:
        deadline(app, WorkCalendar(), date(2026, 12, 22))
    assert "2027" in caught.value.reason and "--holidays" in caught.value.reason
    holidays = tmp_path / "2027.csv"
    holidays.write_text("日期,类型\n2027-01-01,休息日\n2027-01-04,休息日\n", encoding="utf-8")
    found = deadline(app, load_holidays(holidays), date(2026, 12, 22))
    # 12.22–12.31: 8 working days; 2027: 1.1 and 1.4 off (the file), weekends off: 1.5–1.20 give the other 12.
    assert found.due == date(2027, 1, 20)


def test_a_bad_holiday_file_names_the_line(tmp_path: Path) -> None:
    holidays = tmp_path / "h.csv"
    holidays.write_text("2027-01-01,休息日\n2027-02-30,休息日\n", encoding="utf-8")
    with pytest.raises(NianbaoError) as caught:
        load_holidays(holidays)
    assert caught.value.path == str(holidays) and "第 2 行" in caught.value.reason


def test_the_list_holds_the_applications_open_in_the_year() -> None:
    rows = [{"编号": "old", "收到日期": "2024-03-01", "申请人类型": "自然人", "答复日期": "2024-03-10",
             "办理结果": "（一）予以公开"},
            {"编号": "carried", "收到日期": "2024-12-20", "申请人类型": "自然人"},
            {"编号": "new", "收到日期": "2025-02-10", "申请人类型": "商业企业"}]
    found = deadlines(check(register_of(rows), 2025).applications, WorkCalendar(), date(2025, 3, 1), 2025)
    assert [d.id for d in found] == ["carried", "new"]
    assert [d.status for d in found] == ["已超期", "正常"]
