"""Checked applications → their statutory reply deadlines (条例第30–33条) in official working days.

The term is 20 working days from the receipt day (第33条), the receipt day itself not counted; it runs from
the day the completed application arrives when a 补正 was asked for (第30条); the days of a third-party
consultation are not counted (第32、33条); an extension notified within the term adds at most 20 working days
(第33条). Working days follow the State Council's holiday arrangement, 调休 included, from ``chinese-calendar``;
a holiday file supplies a year that library does not cover.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar

from ..errors import NianbaoError
from ..readers.text import decode_text
from .check import Application

TERM = 20
EXTENSION = 20
CORRECTION_NOTICE = 7
"""Working days within which the applicant must be told what to complete (第30条)."""
WARN_DAYS = 5
OVERDUE, DUE_SOON, ON_TIME = "已超期", "将到期", "正常"
DAY_KINDS = {"休息日": False, "休": False, "工作日": True, "班": True}
_ONE_DAY = timedelta(days=1)


@dataclass
class WorkCalendar:
    """Working day or not, day by day: a holiday file's dates first, then ``chinese-calendar``."""

    overrides: dict[date, bool] = field(default_factory=dict)
    source: str = "chinese-calendar"

    def __post_init__(self) -> None:
        self._years = {d.year for d in self.overrides}

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day; raises NianbaoError for a year nothing here covers."""
        if day in self.overrides:
            return self.overrides[day]
        if day.year in self._years:
            return day.weekday() < 5
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            raise NianbaoError(self.source, "holidays_missing",
                               f"chinese-calendar 没有 {day.year} 年的节假日安排："
                               f"请用 --holidays 文件提供 {day.year} 年的放假日和调休上班日") from None

    def add(self, start: date, days: int, pauses: tuple[tuple[date, date], ...] = ()) -> date:
        """The ``days``-th working day after ``start`` (not counting ``start``), skipping the paused days."""
        day = start
        while days > 0:
            day += _ONE_DAY
            if self.is_workday(day) and not _paused(day, pauses):
                days -= 1
        return day

    def count(self, after: date, until: date, pauses: tuple[tuple[date, date], ...] = ()) -> int:
        """Working days in (after, until], the paused days not counted."""
        total, day = 0, after
        while day < until:
            day += _ONE_DAY
            if self.is_workday(day) and not _paused(day, pauses):
                total += 1
        return total


def _paused(day: date, pauses: tuple[tuple[date, date], ...]) -> bool:
    return any(a <= day <= b for a, b in pauses)


def load_holidays(path: Path) -> WorkCalendar:
    """A calendar from a CSV of ``日期,类型`` lines (类型: 休息日 or 工作日); the years it names are taken from it
    alone, weekends being rest days unless listed as 工作日."""
    try:
        text = decode_text(path.read_bytes(), str(path))
    except OSError as exc:
        raise NianbaoError(str(path), "unreadable", exc.strerror or str(exc)) from None
    overrides: dict[date, bool] = {}
    for number, line in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in line]
        if not any(cells) or cells[0] == "日期":
            continue
        try:
            day = date.fromisoformat(cells[0])
            overrides[day] = DAY_KINDS[cells[1] if len(cells) > 1 else ""]
        except (ValueError, KeyError):
            raise NianbaoError(str(path), "invalid_holidays",
                               f"第 {number} 行应为“日期,类型”（如 2027-10-01,休息日 或 2027-09-26,工作日）") from None
    return WorkCalendar(overrides, str(path))


@dataclass(slots=True)
class Deadline:
    """One application's reply term and where it stands."""

    sheet: str
    row: int
    id: str
    received: date
    start: date | None
    due: date | None
    replied: date | None
    status: str
    remaining: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The status as listed: 已超期, 将到期（N个工作日内） or 正常."""
        return f"{DUE_SOON}（{self.remaining}个工作日内）" if self.status == DUE_SOON else self.status


def _pauses(app: Application, today: date) -> tuple[tuple[date, date], ...]:
    if app.consult_start is None:
        return ()
    return ((app.consult_start, app.consult_end or app.replied or today),)


def _term(app: Application, start: date, calendar: WorkCalendar,
          pauses: tuple[tuple[date, date], ...], notes: list[str]) -> date:
    due = calendar.add(start, TERM, pauses)
    if not app.extended:
        return due
    if app.extension_notice is None:
        notes.append("登记了延期但没有延期告知日期：按未延期计算（第33条）")
    elif app.extension_notice > due:
        notes.append(f"延期告知日期 {app.extension_notice} 晚于原答复期限 {due}：按未延期计算（第33条）")
    else:
        return calendar.add(due, EXTENSION, pauses)
    return due


def deadline(app: Application, calendar: WorkCalendar, today: date, warn_days: int = WARN_DAYS) -> Deadline:
    """The reply term of one application and its status on ``today`` (or at its reply when it was answered)."""
    notes: list[str] = []
    if app.fix_notice is not None and app.fix_notice > calendar.add(app.received, CORRECTION_NOTICE):
        notes.append(f"补正通知晚于收到申请后 {CORRECTION_NOTICE} 个工作日（第30条）")
    if app.fix_notice is not None and app.fix_received is None:
        if app.replied is None:
            notes.append("等待申请人补正：答复期限自收到补正之日起算（第30条）")
            return Deadline(app.sheet, app.row, app.id, app.received, None, None, None, ON_TIME, notes=notes)
        notes.append("没有补正收到日期：期限自收到申请之日起算")
    start = app.fix_received or app.received
    pauses = _pauses(app, today)
    if pauses and app.consult_end is None and app.replied is None:
        notes.append("征求意见中：所需时间不计入答复期限（第32、33条）")
    due = _term(app, start, calendar, pauses, notes)
    end = app.replied or today
    if end > due:
        late = calendar.count(due, end, pauses)
        notes.append(f"{'答复' if app.replied else '至今'}超过期限 {late} 个工作日")
        return Deadline(app.sheet, app.row, app.id, app.received, start, due, app.replied, OVERDUE, notes=notes)
    if app.replied is not None:
        return Deadline(app.sheet, app.row, app.id, app.received, start, due, app.replied, ON_TIME, notes=notes)
    remaining = calendar.count(today, due, pauses)
    status = DUE_SOON if remaining <= warn_days else ON_TIME
    return Deadline(app.sheet, app.row, app.id, app.received, start, due, None, status, remaining, notes)


def deadlines(applications: list[Application], calendar: WorkCalendar, today: date, year: int | None = None,
              warn_days: int = WARN_DAYS) -> list[Deadline]:
    """The deadline of every application (of those open at some time in ``year`` when given), by due date."""
    chosen = [a for a in applications if year is None or (
        a.received <= date(year, 12, 31) and (a.replied is None or a.replied >= date(year, 1, 1)))]
    found = [deadline(a, calendar, today, warn_days) for a in chosen]
    return sorted(found, key=lambda d: (d.due or date.max, d.row))
