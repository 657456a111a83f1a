"""Register rows → one finding per row problem (naming sheet, row and column) and the rows as typed records.

Problems: a required value missing, a value that is not a date or number, a category not among the template's
drop-down labels (outcomes: of the format in force in the year of the reply), dates out of order, a concluded
row without outcome, an outcome without reply date, a duplicate 编号. A row whose receipt date or category
cannot be read is left out of the records (its finding says so); nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from ..report import Finding, Severity
from .read import Register, RegisterRow, Value
from .sheets import (
    APPLICATIONS,
    CASES,
    FIELDS,
    OUTCOME_JOINER,
    YES_NO,
    applicant_columns,
    case_columns,
    choices,
    outcome_rows,
    template_for,
)

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_RANGE = (20_000, 80_000)
"""Plausible spreadsheet date serials (1954–2119): a number stored in a date column is read as one."""
_DATE_ORDER = (("收到日期", "补正通知日期"), ("补正通知日期", "补正收到日期"), ("收到日期", "征求意见开始日期"),
               ("征求意见开始日期", "征求意见结束日期"), ("收到日期", "延期告知日期"), ("收到日期", "答复日期"),
               ("补正收到日期", "答复日期"), ("征求意见结束日期", "答复日期"), ("延期告知日期", "答复日期"))
_PAIRS = (("补正收到日期", "补正通知日期"), ("征求意见结束日期", "征求意见开始日期"))


@dataclass(slots=True)
class Application:
    """One application of the 申请 sheet, typed: the 表三 column and row keys it counts in."""

    sheet: str
    row: int
    id: str
    received: date
    applicant: str
    method: str | None = None
    fix_notice: date | None = None
    fix_received: date | None = None
    consult_start: date | None = None
    consult_end: date | None = None
    extended: bool = False
    extension_notice: date | None = None
    replied: date | None = None
    outcome: str | None = None


@dataclass(slots=True)
class Case:
    """One review or litigation case of the 复议诉讼 sheet: the 表四 column it counts in."""

    sheet: str
    row: int
    id: str
    received: date
    column: str


@dataclass
class Checked:
    """A register's typed rows and the findings of its checks."""

    name: str
    sha256: str = ""
    applications: list[Application] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def parse_date(value: Value) -> date | None:
    """A date from a cell: a stored date, ``2025-03-05`` / ``2025/3/5`` / ``2025年3月5日``, or a date serial."""
    if isinstance(value, date):
        return value
    if isinstance(value, float):
        if value.is_integer() and _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return date.fromordinal(_EXCEL_EPOCH.toordinal() + int(value))
        return None
    match = _DATE.match(value or "")
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _text(value: Value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return str(value)


def _norm(text: str) -> str:
    return "".join(text.replace("／", "/").split())


class _Row:
    """One row being checked: reads its values and records its findings."""

    def __init__(self, source: RegisterRow, findings: list[Finding]) -> None:
        self.source = source
        self.findings = findings

    def problem(self, rule: str, column: str, message: str, severity: Severity = "error") -> None:
        where = f"「{self.source.sheet}」第 {self.source.row} 行「{column}」"
        self.findings.append(Finding(rule=rule, severity=severity, message=f"{where}：{message}",
                                     at=[{"sheet": self.source.sheet, "row": self.source.row, "column": column}]))

    def text(self, column: str, required: bool = False) -> str | None:
        found = _text(self.source.values.get(column))
        if found is None and required:
            self.problem("REG.required", column, "必填项为空，该行未计入")
        return found

    def date(self, column: str, required: bool = False) -> date | None:
        value = self.source.values.get(column)
        if value is None:
            if required:
                self.problem("REG.required", column, "必填项为空，该行未计入")
            return None
        found = parse_date(value)
        if found is None:
            self.problem("REG.bad_date", column, f"“{_text(value)}”不是日期（应写作 2025-03-05）")
        return found

    def choice(self, column: str, accepted: dict[str, str], required: bool = False, context: str = "") -> str | None:
        text = self.text(column, required)
        if text is None:
            return None
        key = accepted.get(_norm(text))
        if key is None:
            self.problem("REG.unknown_category", column, f"“{text}”不是{context or '模板下拉列表'}中的选项")
        return key


def _accepting(labels: Iterable[str]) -> dict[str, str]:
    return {_norm(label): label for label in labels}


def _outcomes(year: int) -> dict[str, str]:
    """Outcome label → row key for the format in force in ``year``; a sub-row's own label alone when unique."""
    full = outcome_rows(template_for(year))
    short: dict[str, list[str]] = {}
    for label, key in full.items():
        short.setdefault(label.split(OUTCOME_JOINER)[-1], []).append(key)
    found = {_norm(label): key for label, keys in short.items() if len(keys) == 1 for key in keys}
    found.update({_norm(label): key for label, key in full.items()})
    return found


def _dates_in_order(row: _Row, dates: dict[str, date | None]) -> None:
    for earlier, later in _DATE_ORDER:
        a, b = dates.get(earlier), dates.get(later)
        if a is not None and b is not None and b < a:
            row.problem("REG.date_order", later, f"{b} 早于「{earlier}」{a}")
    for second, first in _PAIRS:
        if dates.get(second) is not None and dates.get(first) is None:
            row.problem("REG.incomplete", first, f"填了「{second}」却没有「{first}」")


def _application(source: RegisterRow, findings: list[Finding], year: int) -> Application | None:
    row = _Row(source, findings)
    ident = row.text("编号", True)
    applicant = row.choice("申请人类型", {_norm(k): v for k, v in applicant_columns().items()}, True, "表三申请人类别")
    row.choice("收到方式", _accepting(choices(APPLICATIONS, "收到方式", year)))
    extended = row.choice("延期", _accepting(YES_NO))
    dates = {f.header: row.date(f.header, f.required) for f in FIELDS[APPLICATIONS] if f.kind == "date"}
    replied = dates["答复日期"]
    outcome_year = replied.year if replied else year
    notice = f"{outcome_year}年适用格式（{template_for(outcome_year)}版）的办理结果"
    outcome = row.choice("办理结果", _outcomes(outcome_year), context=notice)
    fee = source.values.get("收费金额")
    if fee is not None and not (isinstance(fee, float) and fee >= 0):
        row.problem("REG.bad_number", "收费金额", f"“{_text(fee)}”不是非负数金额")
    if replied is not None and row.text("办理结果") is None:
        row.problem("REG.no_outcome", "办理结果", "已填答复日期但没有办理结果：不计入任何办理结果")
    if replied is None and outcome is not None:
        row.problem("REG.no_reply_date", "答复日期", "有办理结果但没有答复日期：按尚未办结计入结转", "warning")
    if extended == "是" and dates["延期告知日期"] is None:
        row.problem("REG.incomplete", "延期告知日期", "登记了延期但没有延期告知日期", "warning")
    _dates_in_order(row, dates)
    received = dates["收到日期"]
    if ident is None or received is None or applicant is None:
        return None
    return Application(source.sheet, source.row, ident, received, applicant, row.text("收到方式"),
                       dates["补正通知日期"], dates["补正收到日期"], dates["征求意见开始日期"],
                       dates["征求意见结束日期"], extended == "是", dates["延期告知日期"], replied, outcome)


def _case(source: RegisterRow, findings: list[Finding]) -> Case | None:
    row = _Row(source, findings)
    ident = row.text("编号", True)
    kind = row.choice("类型", _accepting(choices(CASES, "类型", 0)), True, "表四案件类别")
    result = row.choice("结果", _accepting(choices(CASES, "结果", 0)), True, "表四结果类别")
    received = row.date("收到日期", True)
    if ident is None or kind is None or result is None or received is None:
        return None
    return Case(source.sheet, source.row, ident, received, case_columns()[(kind, result)])


def _duplicates(rows: list[RegisterRow], findings: list[Finding]) -> None:
    first: dict[str, int] = {}
    for source in rows:
        ident = _text(source.values.get("编号"))
        if ident is None:
            continue
        if ident in first:
            _Row(source, findings).problem("REG.duplicate_id", "编号", f"编号“{ident}”与第 {first[ident]} 行重复")
        else:
            first[ident] = source.row


def check(register: Register, year: int) -> Checked:
    """The register's rows checked and typed; ``year`` decides the outcome labels of rows not yet answered."""
    checked = Checked(register.name, register.sha256, findings=list(register.findings))
    for source in register.rows[APPLICATIONS]:
        app = _application(source, checked.findings, year)
        if app is not None:
            checked.applications.append(app)
    for source in register.rows[CASES]:
        case = _case(source, checked.findings)
        if case is not None:
            checked.cases.append(case)
    for rows in register.rows.values():
        _duplicates(rows, checked.findings)
    return checked
