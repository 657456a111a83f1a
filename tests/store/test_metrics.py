"""The metric dictionary: every metric reads real cells, the web and the exports show only metrics it defines, and
the dashboard's figures equal SQL over its formulas on a generated corpus."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest

from nianbao.schema import cell_labels
from nianbao.schema.metrics import Metric, metric_dictionary
from nianbao.store import export, ingest
from nianbao.store.db import connect
from nianbao.store.review import ensure_reviews
from nianbao.synth import unit_names

from .conftest import write_units

ROOT = Path(__file__).resolve().parents[2]
DICTIONARY = metric_dictionary()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five units over three years (with the generator's faults), ingested."""
    directory = tmp_path_factory.mktemp("metrics")
    write_units(directory / "reports", unit_names(5, seed=11), years=(2021, 2022, 2023), seed=11)
    ingest([directory / "reports"], directory / "corpus.duckdb", workers=1)
    con = connect(directory / "corpus.duckdb")
    try:
        ensure_reviews(con)  # as the web app does when it starts
    finally:
        con.close()
    return directory / "corpus.duckdb"


def test_every_metric_reads_cells_of_the_official_formats() -> None:
    labels = cell_labels()
    for metric in DICTIONARY.metrics.values():
        assert metric.name and metric.definition and metric.unit and metric.version >= 1
        for key in metric.keys:
            assert key in labels, (metric.key, key)
        if metric.kind in ("ratio",):
            assert metric.numerator and metric.denominator, metric.key
        assert metric.formula(labels), metric.key


def test_every_metric_the_code_names_is_in_the_dictionary() -> None:
    named = set()
    modules = [*(ROOT / "src" / "nianbao" / "web").glob("*.py"), *(ROOT / "src" / "nianbao" / "store").glob("*.py")]
    for module in modules:
        text = module.read_text(encoding="utf-8")
        named |= set(re.findall(r'metric_dictionary\(\)\["(\w+)"\]', text))
        calls = re.findall(r"metrics\(\[([^\]]*)\]", text) + re.findall(r"_metric_rows\([^\[\n]*\[([^\]]*)\]", text)
        for listed in calls:
            named |= set(re.findall(r'"(\w+)"', listed))
    assert named and named <= set(DICTIONARY.metrics), named - set(DICTIONARY.metrics)


def _panel_sql(metric: Metric, by_year: bool) -> str:
    """The metric's sums written independently of the code under test: its formula over ``cells``."""
    def total(keys: tuple[str, ...]) -> str:
        listed = ", ".join(f"'{k}'" for k in keys)
        return f"sum(c.value) FILTER (WHERE c.key IN ({listed}))"
    group = "r.year, " if by_year else ""
    bottom = total(metric.denominator) if metric.denominator else "NULL"
    return (f"SELECT {group}{total(metric.numerator)} AS top, {bottom} AS bottom FROM current_reports r "
            f"JOIN cells c ON c.report_id = r.id {'GROUP BY r.year ORDER BY r.year' if by_year else ''}")


def _expected(con: duckdb.DuckDBPyConnection, key: str, by_year: bool = True) -> list[Any]:
    metric = DICTIONARY[key]
    found = []
    for row in con.execute(_panel_sql(metric, by_year)).fetchall():
        top, bottom = row[-2], row[-1]
        if metric.kind == "sum":
            found.append(top)
        else:
            found.append(round(metric.scale * top / bottom, 1) if bottom else None)
    return found


def test_dashboard_figures_equal_sql_over_the_formulas(corpus: Path) -> None:
    pytest.importorskip("fastapi", reason="the dashboard needs the [web] extra")
    from nianbao.web import dashboard
    from nianbao.web.corpus import Corpus
    from nianbao.web.filters import ReportFilter

    web = Corpus(corpus)
    selection = ReportFilter()
    rates = dashboard.rates_by_year(web, selection)
    review = dashboard.review_litigation(web, selection)
    mix = dashboard.outcome_mix(web, selection)
    con = duckdb.connect(str(corpus), read_only=True)
    try:
        shown = {s["name"]: s["data"] for s in [*rates["series"], *review["series"]]}
        for key in ("disclosure_rate", "refusal_rate", "review_total", "litigation_total", "review_correction_rate",
                    "litigation_correction_rate"):
            assert shown[DICTIONARY[key].name] == _expected(con, key), key
        outcome = {d["name"]: d["value"] for d in mix["series"][0]["data"]}
        assert set(outcome) == {m.name for m in DICTIONARY.metrics.values() if m.group == "outcome"}
        for metric in DICTIONARY.metrics.values():
            if metric.group == "outcome":
                assert outcome[metric.name] == (_expected(con, metric.key, by_year=False)[0] or 0)
        years = [r[0] for r in con.execute("SELECT DISTINCT year FROM current_reports ORDER BY 1").fetchall()]
        assert rates["xAxis"]["data"] == [str(y) for y in years]
        assert any(v for v in shown[DICTIONARY["disclosure_rate"].name])
    finally:
        con.close()


def test_every_rate_the_dashboard_shows_is_a_dictionary_metric(corpus: Path) -> None:
    pytest.importorskip("fastapi", reason="the dashboard needs the [web] extra")
    from nianbao.web import dashboard
    from nianbao.web.corpus import Corpus
    from nianbao.web.filters import ReportFilter

    charts = dashboard.charts(Corpus(corpus), ReportFilter(), "province")
    names = {m.name for m in DICTIONARY.metrics.values()}
    for key in ("rates", "review", "rules"):
        for series in charts[key]["series"]:
            assert series["name"] in names, (key, series["name"])


def test_exports_carry_the_dictionary_and_its_version(corpus: Path, tmp_path: Path) -> None:
    export(corpus, tmp_path / "out", "csv")
    package = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["metrics"]["version"] == DICTIONARY.version
    assert [m["key"] for m in package["metrics"]["metrics"]] == list(DICTIONARY.metrics)
    codebook = (tmp_path / "out" / "CODEBOOK.md").read_text(encoding="utf-8")
    assert DICTIONARY.label in codebook
    for metric in DICTIONARY.metrics.values():
        assert f"| `{metric.key}` | {metric.name} |" in codebook


def test_the_summary_report_ranks_and_compares_only_dictionary_metrics() -> None:
    from nianbao.store import summary

    assert {*summary.RANKED, *summary.COMPARED, *summary.SERIES} <= set(DICTIONARY.metrics)
