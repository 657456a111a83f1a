"""Filtered current reports → the dashboard's figures as ECharts options: applications by year and region, outcome
mix, disclosure and refusal rates, refusal reasons, review and litigation with their correction rates, the error
rate of each rule, and one unit's year-over-year series.

Only aggregates (read-only SQL over the store's views); every derived figure is a metric of the dictionary
(``schema/metrics.json``) computed by ``store.measures``; draws nothing itself: the browser's ECharts does.
"""

from __future__ import annotations

from typing import Any

from ..schema import catalogue, formats
from ..schema.metrics import Metric, metric_dictionary
from ..store.measures import metrics, sums_sql, value
from ..store.review import FINDINGS_ABOUT_SQL, OPEN_COUNTS_SQL
from .corpus import Corpus, Row
from .filters import ReportFilter

Option = dict[str, Any]
REGION_LEVELS = {"province": "省", "city": "市", "county": "县（区）"}
TOP_REGIONS = 20
TOP_RULES = 20
PERCENT = 100
BAR_MAX_WIDTH = 36
SEVERITY_COLOURS = {"error": "#c62828", "warning": "#d97706", "info": "#2563eb"}
PALETTE = ["#1d4ed8", "#059669", "#d97706", "#c62828", "#7c3aed", "#0891b2", "#64748b"]
_T4_GROUPS = {c.key: c.group or "" for c in formats().t4_columns}
UNIT_SERIES = {"new_received": "本年新收申请", "result_total": "办理结果总计",
               "review_total": _T4_GROUPS["review_total"], "lit_total": _T4_GROUPS["lit_direct_total"]}


def _panel(selection: ReportFilter) -> tuple[str, list[Any]]:
    """SQL selecting the ids of the current reports the filter keeps, and its parameters."""
    where, params = selection.where()
    return f"SELECT r.id FROM current_reports r WHERE {where}", params


def _bars(title: str, names: list[Any], series: dict[str, list[Any]], horizontal: bool = False, unit: str = "",
          stack: bool = False) -> Option:
    category = {"type": "category", "data": [str(n) for n in names]}
    value = {"type": "value", "axisLabel": {"formatter": "{value}" + unit}}
    return {"title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
            "tooltip": {"trigger": "axis"}, "color": PALETTE,
            "legend": {"bottom": 0, "show": len(series) > 1},
            "grid": {"left": 12, "right": 24, "top": 40, "bottom": 36, "containLabel": True},
            "xAxis": value if horizontal else category, "yAxis": category if horizontal else value,
            "series": [{"name": name, "type": "bar", "data": data, "barMaxWidth": BAR_MAX_WIDTH,
                        **({"stack": "all"} if stack else {})} for name, data in series.items()]}


def _lines(title: str, names: list[Any], series: dict[str, list[Any]], unit: str = "") -> Option:
    option = _bars(title, names, series, unit=unit)
    for item in option["series"]:
        item.update(type="line", connectNulls=True, symbolSize=7)
    return option


def applications_by_year(corpus: Corpus, selection: ReportFilter) -> Option:
    """Applications received (表三 一、本年新收) and carried over, summed by report year."""
    ids, params = _panel(selection)
    rows = corpus.rows(f"SELECT year, sum(total) FILTER (WHERE row_key = 'new_received') AS new, "
                       f"sum(total) FILTER (WHERE row_key = 'carried_over') AS carried FROM t3_wide "
                       f"WHERE report_id IN ({ids}) AND year IS NOT NULL GROUP BY year ORDER BY year", params)
    return _bars("各年度申请数量", [r["year"] for r in rows],
                 {"本年新收": [r["new"] for r in rows], "上年结转": [r["carried"] for r in rows]}, stack=True)


def applications_by_region(corpus: Corpus, selection: ReportFilter, level: str = "province") -> Option:
    """Applications received by province, city or county (the TOP_REGIONS largest)."""
    column = level if level in REGION_LEVELS else "province"
    ids, params = _panel(selection)
    rows = corpus.rows(f"SELECT coalesce({column}, '未识别') AS region, sum(total) AS n FROM t3_wide "
                       f"WHERE report_id IN ({ids}) AND row_key = 'new_received' GROUP BY ALL "
                       f"ORDER BY n DESC NULLS LAST, region LIMIT {TOP_REGIONS}", params)
    rows.reverse()
    return _bars(f"各{REGION_LEVELS[column]}本年新收申请", [r["region"] for r in rows],
                 {"申请数": [r["n"] for r in rows]}, horizontal=True)


def _outcomes(corpus: Corpus, selection: ReportFilter) -> list[Row]:
    ids, params = _panel(selection)
    keys = [r.key for r in formats().t3_rows if r.level > 1 and not r.group and r.key != "result_total"]
    return corpus.rows(f"SELECT year, row_key, sum(total) AS n FROM t3_wide WHERE report_id IN ({ids}) "
                       "AND row_key IN (SELECT unnest(?)) GROUP BY ALL", [*params, keys])


def _metric_rows(corpus: Corpus, selection: ReportFilter, keys: list[str], by: str | None = None
                 ) -> tuple[list[Metric], list[Row]]:
    """The metrics ``keys`` of the dictionary summed over the filtered reports (by ``by``), as SQL over their
    formulas."""
    ids, params = _panel(selection)
    chosen = metrics(keys)
    return chosen, corpus.rows(sums_sql(chosen, ids, by), params)


def outcome_mix(corpus: Corpus, selection: ReportFilter) -> Option:
    """How the applications handled were answered, by outcome group (the dictionary's outcome metrics)."""
    groups = [m.key for m in metric_dictionary().metrics.values() if m.group == "outcome"]
    chosen, rows = _metric_rows(corpus, selection, groups)
    data = [{"name": m.name, "value": value(m, rows[0]) or 0} for m in chosen]
    return {"title": {"text": "办理结果构成", "left": "center", "textStyle": {"fontSize": 14}}, "color": PALETTE,
            "tooltip": {"trigger": "item", "formatter": "{b}：{c}（{d}%）"}, "legend": {"bottom": 0},
            "series": [{"type": "pie", "radius": ["35%", "65%"], "data": data, "label": {"formatter": "{b} {d}%"}}]}


def _series(chosen: list[Metric], rows: list[Row]) -> dict[str, list[Any]]:
    return {m.name: [value(m, r) for r in rows] for m in chosen}


def rates_by_year(corpus: Corpus, selection: ReportFilter) -> Option:
    """公开率 and 不予公开率 (the dictionary's formulas), by year."""
    chosen, rows = _metric_rows(corpus, selection, ["disclosure_rate", "refusal_rate"], "year")
    rows = [r for r in rows if r["year"] is not None]
    return _lines("公开率与不予公开率", [r["year"] for r in rows], _series(chosen, rows), unit="%")


def refusal_reasons(corpus: Corpus, selection: ReportFilter) -> Option:
    """The eight grounds of 不予公开, summed."""
    labels = {r.key: r.label.split(".", 1)[-1] for r in formats().t3_rows if r.key.startswith("denied_")}
    counts = dict.fromkeys(labels, 0.0)
    for row in _outcomes(corpus, selection):
        if row["row_key"] in counts:
            counts[row["row_key"]] += row["n"] or 0
    ordered = sorted(counts, key=lambda k: counts[k])
    return _bars("不予公开理由", [labels[k] for k in ordered], {"件数": [counts[k] for k in ordered]}, horizontal=True)


def review_litigation(corpus: Corpus, selection: ReportFilter) -> Option:
    """行政复议 and 行政诉讼 cases by year, with their 纠错率 (the dictionary's formulas)."""
    chosen, rows = _metric_rows(corpus, selection, ["review_total", "litigation_total", "review_correction_rate",
                                                    "litigation_correction_rate"], "year")
    rows = [r for r in rows if r["year"] is not None]
    series = _series(chosen, rows)
    counts, rates = chosen[:2], chosen[2:]
    option = _bars("行政复议、行政诉讼及纠错率", [r["year"] for r in rows], {m.name: series[m.name] for m in counts})
    option["yAxis"] = [option["yAxis"], {"type": "value", "axisLabel": {"formatter": "{value}%"}, "max": PERCENT}]
    for metric in rates:
        option["series"].append({"name": metric.name, "type": "line", "yAxisIndex": 1, "connectNulls": True,
                                 "data": series[metric.name]})
    option["legend"]["show"] = True
    return option


def rule_error_rates(corpus: Corpus, selection: ReportFilter) -> Option:
    """Share of the reports with at least one finding of each rule (the TOP_RULES most frequent)."""
    ids, params = _panel(selection)
    total = corpus.scalar(f"SELECT count(*) FROM ({ids})", params) or 0
    rows = corpus.rows(f"SELECT a.rule, any_value(a.severity) AS severity, count(DISTINCT a.about) AS n "
                       f"FROM ({FINDINGS_ABOUT_SQL}) a LEFT JOIN reviews v ON v.finding_key = a.finding_key "
                       f"WHERE v.decision IS DISTINCT FROM 'dismissed' AND a.about IN ({ids}) "
                       f"GROUP BY a.rule ORDER BY n DESC, a.rule LIMIT {TOP_RULES}", params)
    rows.reverse()
    titles = {r.id: r.title for r in catalogue().rules}
    rate = metric_dictionary()["rule_rate"]
    data = [{"value": rate.value(r["n"], total), "itemStyle": {"color": SEVERITY_COLOURS.get(r["severity"], "#64748b")}}
            for r in rows]
    return _bars(f"各规则{rate.name}（{total} 份报告）", [f"{r['rule']} {titles.get(r['rule'], '')}" for r in rows],
                 {rate.name: data}, horizontal=True, unit="%")


def unit_years(corpus: Corpus, unit: str) -> tuple[Option, list[Row]]:
    """One unit's key figures by year: the chart and the table rows."""
    rows = corpus.rows(
        "SELECT r.year, any_value(r.agency) AS agency, any_value(r.id) AS report_id, "
        "any_value(coalesce(c.n_errors, 0)) AS n_errors, any_value(coalesce(c.n_warnings, 0)) AS n_warnings, "
        "max(t.total) FILTER (WHERE t.row_key = 'new_received') AS new_received, "
        "max(t.total) FILTER (WHERE t.row_key = 'result_total') AS result_total, "
        "max(f.review_total) AS review_total, "
        "max(coalesce(f.lit_direct_total, 0) + coalesce(f.lit_after_review_total, 0)) AS lit_total "
        "FROM current_reports r LEFT JOIN t3_wide t ON t.report_id = r.id LEFT JOIN t4_wide f ON f.report_id = r.id "
        f"LEFT JOIN ({OPEN_COUNTS_SQL}) c ON c.report_id = r.id "
        "WHERE r.unit = ? AND r.year IS NOT NULL GROUP BY r.year ORDER BY r.year", [unit])
    rate = metric_dictionary()["disclosure_rate"]
    found = {r["report_id"]: value(rate, r) for r in corpus.rows(
        sums_sql([rate], "SELECT id FROM current_reports WHERE unit = ?", "report_id"), [unit])}
    for row in rows:
        row["disclosure_rate"] = found.get(row["report_id"])
    option = _lines("历年主要数据", [r["year"] for r in rows], {label: [r[key] for r in rows]
                                                            for key, label in UNIT_SERIES.items()})
    return option, rows


def units(corpus: Corpus, selection: ReportFilter) -> list[Row]:
    """Units with current reports under the filter, with their name and how many years they reported."""
    ids, params = _panel(selection)
    return corpus.rows(f"SELECT unit, any_value(agency) AS agency, count(DISTINCT year) AS years FROM current_reports "
                       f"WHERE id IN ({ids}) AND unit IS NOT NULL GROUP BY unit ORDER BY agency, unit", params)


def summary(corpus: Corpus, selection: ReportFilter) -> Row:
    """Counts shown above the charts."""
    ids, params = _panel(selection)
    found = corpus.rows(f"SELECT count(*) AS reports, count(DISTINCT unit) AS units, "
                        f"count(*) FILTER (WHERE c.n_errors > 0) AS with_errors, min(year) AS first, "
                        f"max(year) AS last, count(*) FILTER (WHERE r.id IN (SELECT report_id FROM cells "
                        f"WHERE corrected)) AS corrected FROM current_reports r LEFT JOIN ({OPEN_COUNTS_SQL}) c "
                        f"ON c.report_id = r.id WHERE r.id IN ({ids})", params)
    return found[0]


CLICK_FILTERS = {"by_year": "year", "rates": "year", "by_region": "region"}
"""Charts whose categories are a filter of the report list (years, region names): a click lists those reports."""


def chart_links(selection: ReportFilter) -> dict[str, str]:
    """Per chart, the list URL that a clicked category's name completes (the other filters kept)."""
    return {name: "/?" + "&".join(p for p in (selection.model_copy(update={key: None}).query_string(), f"{key}=") if p)
            for name, key in CLICK_FILTERS.items()}


def charts(corpus: Corpus, selection: ReportFilter, region_level: str) -> dict[str, Option]:
    """Every corpus chart of the dashboard, by name."""
    with corpus.locked():
        return {"by_year": applications_by_year(corpus, selection),
                "by_region": applications_by_region(corpus, selection, region_level),
                "outcomes": outcome_mix(corpus, selection), "rates": rates_by_year(corpus, selection),
                "refusals": refusal_reasons(corpus, selection), "review": review_litigation(corpus, selection),
                "rules": rule_error_rates(corpus, selection)}
