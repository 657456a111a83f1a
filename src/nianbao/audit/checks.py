"""The named table checks: each rule of the catalogue whose ``check`` names one of these functions runs it, with
the cells and parameters the catalogue gives the rule.

``CHECKS`` maps a check's name to its function; nothing dispatches on a rule's or a check's name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..findings import finding
from ..report import Cell, Finding, Report
from ..schema import Rule, cell_label, cell_name, formats
from ..settings import AuditSettings
from ..values import squash


@dataclass(frozen=True, slots=True)
class Subject:
    """What a check reads: the report, its cells by table (``t2``, ``t3``, ``t4``) and the audit settings."""

    report: Report
    tables: dict[str, dict[str, Cell]]
    settings: AuditSettings


Check = Callable[[Rule, Subject], Iterator[Finding]]
CHECKS: dict[str, Check] = {}
"""The catalogue's ``check`` name → the function that runs it."""


def _named(name: str) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        CHECKS[name] = check
        return check
    return register


def run_check(rule: Rule, subject: Subject) -> Iterator[Finding]:
    """The findings of a rule whose ``check`` names a registered function."""
    if rule.check not in CHECKS:
        raise KeyError(f"rule {rule.id} names the unknown check {rule.check!r}")
    return CHECKS[rule.check](rule, subject)


@lru_cache(maxsize=4)
def _cell_types(template: str | None) -> dict[str, str]:
    """Column type of every 表二 cell key of a template."""
    return {f"t2.{b.key}.{r.key}.{c.key}": c.type for b in formats().t2.get(template or "", ())
            for r in b.rows for c in b.columns}


def _bad_number(value: float, kind: str) -> bool:
    if kind == "signed_count":
        return not float(value).is_integer()
    if kind == "amount":
        return value < 0
    return value < 0 or not float(value).is_integer()


def _bad_cells(rule: Rule, subject: Subject, types: dict[str, str]) -> Iterator[Finding]:
    """Every cell of the rule's table (``for_each: {"cell": "t3.cells"}``) whose number its column type forbids."""
    table = rule.for_each["cell"].split(".")[0]
    for key, cell in subject.tables.get(table, {}).items():
        value = cell.value
        if value is None or (type(value) is int and value >= 0):
            continue  # blank, or a whole number not below 0: good in a column of any type (most cells)
        if _bad_number(value, types.get(key, "count")):
            yield finding(rule.id, cells=[key], actual=cell.raw, at=[cell.at], where=cell_name(key))


@_named("nonneg_integer")
def nonneg_integer(rule: Rule, subject: Subject) -> Iterator[Finding]:
    """Counts: every cell of the table is a whole number, not below 0."""
    return _bad_cells(rule, subject, {})


@_named("nonneg_by_type")
def nonneg_by_type(rule: Rule, subject: Subject) -> Iterator[Finding]:
    """Each cell by its column's type: a count whole and not negative, an amount not negative, a change whole."""
    return _bad_cells(rule, subject, _cell_types(subject.report.template))


@_named("zero_together")
def zero_together(rule: Rule, subject: Subject) -> Iterator[Finding]:
    """The rule's two ``cells`` are both zero or both not."""
    first, second = (subject.report.cell(k) for k in rule.cells)
    if first and second and first.value is not None and second.value is not None \
            and (first.value == 0) != (second.value == 0):
        yield finding(rule.id, cells=list(rule.cells), lhs=first.raw, rhs=second.raw, at=[first.at, second.at])


_COUNTY_DIVISION = re.compile(r"^(?:.{1,10}?(?:省|自治区|市|自治州|州|盟|地区))?"
                              r"(?P<county>[^省市州盟区县旗]{1,8}?(?:县|旗|(?<!自治)(?<![地社小景校片])区))(?!人民政府$)"
                              r".{2,}(?:局|委员会|委|办公室|办|中心|所|院|队|处|站)$")
"""A department named after a county-level division: 沭阳县发展和改革局, 四平市铁西区人民政府办公室."""


def _without_rule_power(rule: Rule, report: Report) -> str | None:
    """The bodies the report's is among when it cannot make 规章 (立法法: only the governments of 设区的市 and
    above make them): the rule's ``levels``, and the departments of its ``department_of`` level; None when it
    may, or when its level cannot be told from its name."""
    level = report.meta.level
    if level is not None and level in rule.params["levels"]:
        return formats().body(level)
    if level == "department" and _COUNTY_DIVISION.match(squash(report.meta.agency or "")):
        return formats().body(rule.params["department_of"], level)
    return None


@_named("regulation_power")
def regulation_power(rule: Rule, subject: Subject) -> Iterator[Finding]:
    """The ``row`` of 规章 holds no number other than 0 in the report of a body that cannot make them."""
    body = _without_rule_power(rule, subject.report)
    if body is None:
        return
    prefix = rule.params["row"]
    nonzero = [(key, cell) for key, cell in subject.tables["t2"].items()
               if key.startswith(f"{prefix}.") and cell.value]
    if nonzero:
        yield finding(rule.id, cells=[k for k, _ in nonzero], at=[c.at for _, c in nonzero],
                      where=cell_label(nonzero[0][0]).split("·")[0], body=body)


@_named("amount_unit")
def amount_unit(rule: Rule, subject: Subject) -> Iterator[Finding]:
    """An ``amounts`` cell (万元) so large that the body, at one of ``levels`` or unknown, likely wrote 元."""
    report = subject.report
    if report.meta.level is not None and report.meta.level not in rule.params["levels"]:
        return
    for key in rule.params["amounts"]:
        cell = report.cell(key)
        if cell is None or cell.value is None or "元" in cell.raw:
            continue
        if cell.value >= subject.settings.amount_wan_yuan_suspect:
            yield finding(rule.id, cells=[key], actual=cell.raw, at=[cell.at], where=cell_name(key),
                          amount_yi=round(cell.value / 10000, 2))
