"""Filtered current reports → the dashboard's figures as ECharts options: applications by year and region, outcome
mix, disclosure and refusal rates, refusal reasons, review and litigation with their correction rates, the error
rate of each rule, and one unit's year-over-year series.

Only aggregates (read-only SQL over the store's views); every derived figure is a metric of the dictionary
(``schema/metrics.json``) computed by ``store.measures``; draws nothing itself: the browser's ECharts does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..schema import catalogue, formats
from ..schema.metrics import Metric, metric_dictionary
from ..store.measures import literals, metrics, sums_sql, value
from ..store.review import OPEN_COUNTS_SQL, OPEN_FINDINGS_SQL
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


APPLICATIONS = ("new_received", "carried_over")
"""The 表三 rows of the applications chart."""
RATES = ("disclosure_rate", "refusal_rate")
REVIEW = ("review_total", "litigation_total", "review_correction_rate", "litigation_correction_rate")


@dataclass(frozen=True)
class CellSums:
    """What the charts of cells sum, from one read of the cells of the filtered reports summed by report year and
    cell key (a few hundred sums whatever the corpus's size): the 表三 totals of the applications and the refusals
    (``t3.<row>.total``) and each charted metric's numerator and denominator (``<metric>__num``, ``__den``), by
    year (``years``) and over all the reports (``overall``); ``has__<chart>`` tells whether a year has any cell
    the chart reads (a year without one is none of its categories)."""

    overall: Row
    years: list[Row]

    def of(self, chart: str) -> list[Row]:
        """The years (in order) holding cells of ``chart``."""
        return [r for r in self.years if r["year"] is not None and r[f"has__{chart}"]]


def _refused_rows() -> list[str]:
    """The 表三 rows of the refusal grounds (不予公开's eight)."""
    return [r.key for r in formats().t3_rows if r.key.startswith("denied_") and r.level > 1 and not r.group]


def _charted() -> dict[str, list[Metric]]:
    """The metrics each chart of metrics sums."""
    outcomes = [m.key for m in metric_dictionary().metrics.values() if m.group == "outcome"]
    return {"outcomes": metrics(outcomes), "rates": metrics(RATES), "review": metrics(REVIEW)}


def _total(values: Iterable[float | None]) -> float | None:
    """The sum of the values that are there, None when none is (as SQL sums)."""
    found = [v for v in values if v is not None]
    return sum(found) if found else None


def _sum(sums: dict[str, float | None], keys: Iterable[str]) -> float | None:
    return _total(sums.get(k) for k in keys)


def _sums_row(year: int | None, sums: dict[str, float | None], charts: dict[str, list[str]], totals: list[str],
              charted: dict[str, list[Metric]]) -> Row:
    row: Row = {"year": year, **{f"has__{name}": any(k in sums for k in keys) for name, keys in charts.items()},
                **{key: sums.get(key) for key in totals}}
    for metric in (m for chosen in charted.values() for m in chosen):
        row[f"{metric.key}__num"] = _sum(sums, metric.numerator)
        row[f"{metric.key}__den"] = _sum(sums, metric.denominator)
    return row


def cell_sums(corpus: Corpus, selection: ReportFilter) -> CellSums:
    """The sums of every chart of cells, in one read (see :class:`CellSums`)."""
    ids, params = _panel(selection)
    charted = _charted()
    charts = {"applications": [f"t3.{row}.{c.key}" for row in APPLICATIONS for c in formats().t3_columns],
              **{name: sorted({k for m in chosen for k in m.keys}) for name, chosen in charted.items()}}
    totals = [f"t3.{row}.total" for row in (*APPLICATIONS, *_refused_rows())]
    keys = sorted({*totals, *(k for read in charts.values() for k in read)})
    by_year: dict[int | None, dict[str, float | None]] = {}
    for found in corpus.rows(f"SELECT r.year, c.key, sum(c.value) AS total FROM current_reports r JOIN cells c "
                             f"ON c.report_id = r.id AND c.key IN ({literals(keys)}) WHERE r.id IN ({ids}) "
                             "GROUP BY r.year, c.key ORDER BY r.year NULLS LAST, c.key", params):
        by_year.setdefault(found["year"], {})[found["key"]] = found["total"]
    overall = {key: _total(sums[key] for sums in by_year.values() if key in sums)
               for key in keys if any(key in sums for sums in by_year.values())}
    return CellSums(_sums_row(None, overall, charts, totals, charted),
                    [_sums_row(year, sums, charts, totals, charted) for year, sums in by_year.items()])


def applications_by_year(corpus: Corpus, selection: ReportFilter, sums: CellSums | None = None) -> Option:
    """Applications received (表三 一、本年新收) and carried over, summed by report year."""
    rows = (sums or cell_sums(corpus, selection)).of("applications")
    return _bars("各年度申请数量", [r["year"] for r in rows],
                 {"本年新收": [r["t3.new_received.total"] for r in rows],
                  "上年结转": [r["t3.carried_over.total"] for r in rows]}, stack=True)


def applications_by_region(corpus: Corpus, selection: ReportFilter, level: str = "province") -> Option:
    """Applications received by province, city or county (the TOP_REGIONS largest)."""
    column = level if level in REGION_LEVELS else "province"
    ids, params = _panel(selection)
    rows = corpus.rows(f"SELECT coalesce(r.{column}, '未识别') AS region, sum(c.value) FILTER (WHERE c.col_key = "
                       f"'total') AS n FROM current_reports r JOIN cells c ON c.report_id = r.id AND c.tbl = 't3' "
                       f"AND c.row_key = 'new_received' WHERE r.id IN ({ids}) GROUP BY ALL "
                       f"ORDER BY n DESC NULLS LAST, region LIMIT {TOP_REGIONS}", params)
    rows.reverse()
    return _bars(f"各{REGION_LEVELS[column]}本年新收申请", [r["region"] for r in rows],
                 {"申请数": [r["n"] for r in rows]}, horizontal=True)


def outcome_mix(corpus: Corpus, selection: ReportFilter, sums: CellSums | None = None) -> Option:
    """How the applications handled were answered, by outcome group (the dictionary's outcome metrics)."""
    overall = (sums or cell_sums(corpus, selection)).overall
    data = [{"name": m.name, "value": value(m, overall) or 0} for m in _charted()["outcomes"]]
    return {"title": {"text": "办理结果构成", "left": "center", "textStyle": {"fontSize": 14}}, "color": PALETTE,
            "tooltip": {"trigger": "item", "formatter": "{b}：{c}（{d}%）"}, "legend": {"bottom": 0},
            "series": [{"type": "pie", "radius": ["35%", "65%"], "data": data, "label": {"formatter": "{b} {d}%"}}]}


def _series(chosen: list[Metric], rows: list[Row]) -> dict[str, list[Any]]:
    return {m.name: [value(m, r) for r in rows] for m in chosen}


def rates_by_year(corpus: Corpus, selection: ReportFilter, sums: CellSums | None = None) -> Option:
    """公开率 and 不予公开率 (the dictionary's formulas), by year."""
    rows = (sums or cell_sums(corpus, selection)).of("rates")
    return _lines("公开率与不予公开率", [r["year"] for r in rows], _series(_charted()["rates"], rows), unit="%")


def refusal_reasons(corpus: Corpus, selection: ReportFilter, sums: CellSums | None = None) -> Option:
    """The eight grounds of 不予公开, summed."""
    labels = {r.key: r.label.split(".", 1)[-1] for r in formats().t3_rows if r.key.startswith("denied_")}
    overall = (sums or cell_sums(corpus, selection)).overall
    counts = {k: 0.0 + (overall.get(f"t3.{k}.total") or 0) for k in labels}
    ordered = sorted(counts, key=lambda k: counts[k])
    return _bars("不予公开理由", [labels[k] for k in ordered], {"件数": [counts[k] for k in ordered]}, horizontal=True)


def review_litigation(corpus: Corpus, selection: ReportFilter, sums: CellSums | None = None) -> Option:
    """行政复议 and 行政诉讼 cases by year, with their 纠错率 (the dictionary's formulas)."""
    chosen, rows = _charted()["review"], (sums or cell_sums(corpus, selection)).of("review")
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
                       f"FROM ({OPEN_FINDINGS_SQL}) a WHERE a.about IN ({ids}) "
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
        sums = cell_sums(corpus, selection)
        return {"by_year": applications_by_year(corpus, selection, sums),
                "by_region": applications_by_region(corpus, selection, region_level),
                "outcomes": outcome_mix(corpus, selection, sums), "rates": rates_by_year(corpus, selection, sums),
                "refusals": refusal_reasons(corpus, selection, sums),
                "review": review_litigation(corpus, selection, sums), "rules": rule_error_rates(corpus, selection)}
