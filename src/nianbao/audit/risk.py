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
from ..settings import AuditSettings

_CASES = {
    "R.review_correction": ("review",),
    "R.litigation_correction": ("lit_direct", "lit_after_review"),
}
_SHARES = {
    "R.denied_share": ("denied_",),
    "R.other_share": ("other_",),
    "R.not_held_share": ("unable_not_held",),
}
_HANDLED = "t3.result_total.total"


def _sum(report: Report, keys: list[str]) -> tuple[float, list[str]]:
    cells = [(k, report.cell(k)) for k in keys]
    present = [(k, c) for k, c in cells if c is not None]
    return sum(c.value or 0 for _, c in present), [k for k, _ in present]


def _rate(part: float, whole: float) -> float:
    return round(100 * part / whole, 1)


def _percent(rate: float) -> str:
    return f"{rate:g}%"


def _corrections(report: Report, settings: AuditSettings) -> Iterator[Finding]:
    for rule, groups in _CASES.items():
        corrected, keys = _sum(report, [f"t4.{g}_corrected" for g in groups])
        if not keys or corrected <= 0:
            continue  # no case corrected (most reports): the cases concluded are not counted
        total, total_keys = _sum(report, [f"t4.{g}_total" for g in groups])
        pending, pending_keys = _sum(report, [f"t4.{g}_pending" for g in groups])
        concluded = total - pending
        if concluded < settings.risk_min_cases:
            continue
        rate = _rate(corrected, concluded)
        if rate >= 100 * settings.risk_correction_rate:
            yield finding(rule, cells=keys + total_keys + pending_keys, actual=corrected, expected=concluded,
                          rate=_percent(rate))


def _shares(report: Report, settings: AuditSettings) -> Iterator[Finding]:
    handled = report.cell(_HANDLED)
    if handled is None or not handled.value or handled.value < settings.risk_min_applications:
        return
    for rule, keys in _share_keys(tuple(report.tables.t3)).items():
        part, keys = _sum(report, keys)
        rate = _rate(part, handled.value)
        if keys and part > 0 and rate >= 100 * settings.risk_share:
            yield finding(rule, cells=[*keys, _HANDLED], actual=part, expected=handled.value, rate=_percent(rate))


@lru_cache(maxsize=64)
def _share_keys(rows: tuple[str, ...]) -> dict[str, list[str]]:
    """The 总计 cells each share adds up, for a 表三 printing ``rows`` (the single 2019 （六） row is not counted
    beside the 2021 sub-rows)."""
    split = "other_no_correction" in rows
    kept = [r for r in rows if not (split and r == "other_handling")]
    return {rule: [f"t3.{r}.total" for r in kept if any(r == p or (p.endswith("_") and r.startswith(p))
                                                       for p in prefixes)]
            for rule, prefixes in _SHARES.items()}


def risk_findings(report: Report, settings: AuditSettings) -> list[Finding]:
    """The risk indicators that reach their thresholds."""
    return [*_corrections(report, settings), *_shares(report, settings)]
