"""Report tables → risk indicators (info findings for the dashboard): 纠错率 of 复议 and 诉讼, and the shares
of 不予公开, 其他处理 and 本机关不掌握 among the applications handled.

Each indicator is reported only when its denominator reaches the settings' minimum and its value the
settings' threshold; the finding carries the part (``actual``), the whole (``expected``) and the rate.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from ..findings import finding
from ..report import Finding, Report
from ..schema import catalogue, formats
from ..settings import AuditSettings

CORRECTIONS = ("R.review_correction", "R.litigation_correction")
"""The rules of 纠错率: their cells (``corrected``, ``total``, ``pending``) are the rules' params."""
SHARES = ("R.denied_share", "R.other_share", "R.not_held_share")
"""The rules of a share of the applications handled: ``parts`` of a ``whole``, the rules' params."""


def _sum(report: Report, keys: list[str]) -> tuple[float, list[str]]:
    cells = [(k, report.cell(k)) for k in keys]
    present = [(k, c) for k, c in cells if c is not None]
    return sum(c.value or 0 for _, c in present), [k for k, _ in present]


def _rate(part: float, whole: float) -> float:
    return round(100 * part / whole, 1)


def _percent(rate: float) -> str:
    return f"{rate:g}%"


def _corrections(report: Report, settings: AuditSettings) -> Iterator[Finding]:
    for rule in CORRECTIONS:
        cells = catalogue().get(rule).params
        corrected, keys = _sum(report, cells["corrected"])
        if not keys or corrected <= 0:
            continue  # no case corrected (most reports): the cases concluded are not counted
        total, total_keys = _sum(report, cells["total"])
        pending, pending_keys = _sum(report, cells["pending"])
        concluded = total - pending
        if concluded < settings.risk_min_cases:
            continue
        rate = _rate(corrected, concluded)
        if rate >= 100 * settings.risk_correction_rate:
            yield finding(rule, cells=keys + total_keys + pending_keys, actual=corrected, expected=concluded,
                          rate=_percent(rate))


def _shares(report: Report, settings: AuditSettings) -> Iterator[Finding]:
    for rule in SHARES:
        cells = catalogue().get(rule).params
        handled = report.cell(cells["whole"])
        if handled is None or not handled.value or handled.value < settings.risk_min_applications:
            continue
        part, keys = _sum(report, _counted(cells["parts"], report.template))
        rate = _rate(part, handled.value)
        if keys and part > 0 and rate >= 100 * settings.risk_share:
            yield finding(rule, cells=[*keys, cells["whole"]], actual=part, expected=handled.value,
                          rate=_percent(rate))


def _counted(parts: list[str], template: str | None) -> list[str]:
    """The cells of ``parts`` whose rows carry numbers in ``template`` (a group's row, whose sub-rows carry them, is
    not counted beside them: 2019's （六） row against 2021's)."""
    if template is None:
        return parts
    rows = _data_rows(template)
    return [key for key in parts if key[:key.rindex(".") + 1] in rows]


@lru_cache(maxsize=8)
def _data_rows(template: str) -> frozenset[str]:
    """The rows of 表三 that carry numbers in ``template``, as the start of their cells' keys (``t3.granted.``)."""
    return frozenset(f"t3.{row.key}." for row in formats().t3_data_rows(template))


def risk_findings(report: Report, settings: AuditSettings) -> list[Finding]:
    """The risk indicators that reach their thresholds."""
    return [*_corrections(report, settings), *_shares(report, settings)]
