"""Metric dictionary + a set of current reports → SQL summing each metric's numerator and denominator cells (over
``cells``, so corrections in force count), by a grouping column or over the whole set; and the metric values.

The one place a metric's formula becomes SQL: the dashboard, roll-ups and summary reports all read their figures
through it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..schema.metrics import Metric, metric_dictionary

_KEY = re.compile(r"[a-z0-9_.]+")
GROUPS = ("year", "unit", "region_code", "province", "city", "county", "report_id")


def literals(keys: Iterable[str]) -> str:
    """Cell keys as SQL literals (for ``c.key IN (…)``); anything but a cell key is refused."""
    keys = list(keys)
    if not all(_KEY.fullmatch(k) for k in keys):
        raise ValueError(f"metrics.json: not a cell key among {keys}")
    return ", ".join(f"'{k}'" for k in keys)


def metrics(keys: Iterable[str]) -> list[Metric]:
    """The metrics of the dictionary with these keys, in that order."""
    dictionary = metric_dictionary()
    return [dictionary[k] for k in keys]


def sums_sql(chosen: list[Metric], ids_sql: str, by: str | None = None) -> str:
    """SELECT [<by>,] <key>__num[, <key>__den] per metric, summed over the current reports whose ids ``ids_sql``
    selects (a query of its own, its parameters come first), grouped by a column of ``current_reports``."""
    if by is not None and by not in GROUPS:
        raise ValueError(f"cannot group metrics by {by!r}")
    group = "r.id" if by == "report_id" else f"r.{by}"
    select = f"{group} AS {by}, " if by else ""
    keys = literals(sorted({k for m in chosen for k in m.keys}))
    return (f"SELECT {select}{sums_columns(chosen)} FROM current_reports r JOIN cells c ON c.report_id = r.id "
            f"AND c.key IN ({keys}) WHERE r.id IN ({ids_sql})" + (f" GROUP BY {group} ORDER BY {group}" if by else ""))


def sums_columns(chosen: list[Metric]) -> str:
    """The ``<key>__num[, <key>__den]`` sums of each metric over the cells ``c`` of a query."""
    columns = []
    for metric in chosen:
        columns.append(f"sum(c.value) FILTER (WHERE c.key IN ({literals(metric.numerator)})) AS {metric.key}__num")
        if metric.denominator:
            columns.append(f"sum(c.value) FILTER (WHERE c.key IN ({literals(metric.denominator)})) "
                           f"AS {metric.key}__den")
    return ", ".join(columns)


def change_sql(metric: Metric, ids_sql: str) -> str:
    """SELECT report_id, <key>__num (this year's numerator), <key>__den (the same unit's previous year) for each
    report ``ids_sql`` selects that has a report of the year before (``year_pairs``): what a change metric compares."""
    keys = literals(metric.numerator)
    return (f"SELECT p.report_id, (SELECT sum(a.value) FROM cells a WHERE a.report_id = p.report_id "
            f"AND a.key IN ({keys})) AS {metric.key}__num, (SELECT sum(b.value) FROM cells b WHERE "
            f"b.report_id = p.previous_id AND b.key IN ({keys})) AS {metric.key}__den FROM year_pairs p "
            f"WHERE p.report_id IN ({ids_sql}) ORDER BY p.report_id")


def value(metric: Metric, row: dict[str, Any]) -> float | None:
    """A ratio or sum metric's value from a row of ``sums_sql``."""
    return metric.value(row.get(f"{metric.key}__num"), row.get(f"{metric.key}__den"))
