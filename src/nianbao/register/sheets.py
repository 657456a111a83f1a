"""The register's layout: its sheets, their column headers, and the categories each column accepts.

Applicant types, outcome labels and the kinds and results of review and litigation cases are read from the
format in force (``schema/formats.json`` and the rule groups); only the register's own columns are named here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from ..errors import NianbaoError
from ..extract.template import template_by_year
from ..options import APPLICATIONS, CASES
from ..schema import catalogue, formats

NOTES = "说明"
CHOICES = "选项"
Kind = Literal["text", "date", "choice", "number"]

RECEIPT_METHODS = ("当面", "邮寄", "平信", "网络", "传真")
"""How an application arrived: decides which day is its receipt day (条例第31条)."""
YES_NO = ("是", "否")
OUTCOME_JOINER = " / "
"""Between a printed outcome group label and its numbered sub-row, in the register's outcome labels."""


@dataclass(frozen=True, slots=True)
class Field:
    """One column of a register sheet."""

    header: str
    kind: Kind
    required: bool = False
    help: str = ""


APPLICATION_FIELDS = (
    Field("编号", "text", True, "本机关的申请编号，不可重复"),
    Field("收到日期", "date", True, "按条例第31条确定的收到申请之日：当面提交为提交之日；邮寄为签收之日；"
          "平信为与申请人确认之日；网络、传真为双方确认之日"),
    Field("收到方式", "choice", False, "、".join(RECEIPT_METHODS)),
    Field("申请人类型", "choice", True, "表三的申请人类别"),
    Field("申请人", "text"),
    Field("申请内容", "text"),
    Field("补正通知日期", "date", False, "一次性告知补正之日（条例第30条：收到申请后7个工作日内）"),
    Field("补正收到日期", "date", False, "收到补正后申请之日：答复期限自此日起算（条例第30条）"),
    Field("征求意见开始日期", "date", False, "征求第三方或其他机关意见之日：所需时间不计入答复期限（条例第32、33条）"),
    Field("征求意见结束日期", "date", False, "收到意见或意见期限届满之日"),
    Field("延期", "choice", False, "经负责人同意延长答复期限的填“是”（最长20个工作日，条例第33条）"),
    Field("延期告知日期", "date", False, "告知申请人延期之日：应在原答复期限内"),
    Field("答复日期", "date", False, "作出答复之日；尚未答复的留空"),
    Field("办理结果", "choice", False, "年度报告表三的办理结果（按答复年度适用的格式）"),
    Field("收费金额", "number", False, "元"),
    Field("备注", "text"),
)
CASE_FIELDS = (
    Field("编号", "text", True, "案件编号，不可重复"),
    Field("类型", "choice", True, "表四的案件类别"),
    Field("收到日期", "date", True, "收到复议申请书或起诉状副本之日：按此日计入年度"),
    Field("结果", "choice", True, "表四的结果类别"),
)
FIELDS = {APPLICATIONS: APPLICATION_FIELDS, CASES: CASE_FIELDS}


def _is_total(key: str) -> bool:
    return key == "total" or key.endswith("_total")


@cache
def applicant_columns() -> dict[str, str]:
    """Applicant type label → 表三 column key, in printed order."""
    keys = catalogue().groups["t3_applicant_columns"]
    return {c.label: c.key for c in formats().t3_columns if c.key in keys}


@cache
def outcome_rows(template: str) -> dict[str, str]:
    """Printed outcome label (group / sub-row for a numbered sub-row) → 表三 row key, for one format."""
    keys = catalogue().groups["t3_outcome_rows"]
    labels: dict[str, str] = {}
    parent = ""
    for spec in formats().t3_rows:
        if template not in spec.templates and template not in spec.group_in:
            continue
        if spec.level == 2:
            parent = spec.label
        if spec.key in keys and template in spec.templates and not spec.group:
            labels[f"{parent}{OUTCOME_JOINER}{spec.label}" if spec.level > 2 else spec.label] = spec.key
    return labels


def _case_kind(column_group: str | None, column_subgroup: str | None) -> str:
    return column_subgroup or column_group or ""


@cache
def case_columns() -> dict[tuple[str, str], str]:
    """(case kind, result) → 表四 column key, for every column that is not a total."""
    return {(_case_kind(c.group, c.subgroup), c.label): c.key for c in formats().t4_columns if not _is_total(c.key)}


@cache
def case_totals() -> dict[str, str]:
    """Case kind → the key of its 总计 column in 表四."""
    return {_case_kind(c.group, c.subgroup): c.key for c in formats().t4_columns if _is_total(c.key)}


def case_kinds() -> tuple[str, ...]:
    """The kinds of case 表四 counts, in printed order."""
    return tuple(dict.fromkeys(kind for kind, _ in case_columns()))


def case_results() -> tuple[str, ...]:
    """The results 表四 counts for each kind, in printed order."""
    return tuple(dict.fromkeys(result for _, result in case_columns()))


def template_for(year: int) -> str:
    """The format in force for a report year; the first official format for a year before any."""
    return template_by_year(max(year, formats().first_report_year)) or min(formats().templates)


def check_year(year: int, name: str) -> None:
    """Raise NianbaoError naming ``name`` when no official format governs reports of ``year``."""
    if template_by_year(year) is None:
        first = formats().first_report_year
        raise NianbaoError(name, "no_format", f"{year} 年没有适用的年度报告格式（最早为 {first} 年）")


def choices(sheet: str, header: str, year: int) -> tuple[str, ...]:
    """The labels a choice column accepts in a register of ``year``."""
    table: dict[tuple[str, str], tuple[str, ...]] = {
        (APPLICATIONS, "收到方式"): RECEIPT_METHODS,
        (APPLICATIONS, "申请人类型"): tuple(applicant_columns()),
        (APPLICATIONS, "延期"): YES_NO,
        (APPLICATIONS, "办理结果"): tuple(outcome_rows(template_for(year))),
        (CASES, "类型"): case_kinds(),
        (CASES, "结果"): case_results(),
    }
    return table[(sheet, header)]
