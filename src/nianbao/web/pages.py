"""HTTP requests for the corpus views → HTML: the filterable report list (whole page or htmx fragment), the
upload page and the dashboard with its charts and one unit's year-over-year view.

Routes only: listing, charts and choices come from ``listing`` and ``dashboard``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..schema.metrics import metric_dictionary
from . import dashboard
from .context import state
from .corpus import Corpus
from .filters import Paging, ReportFilter
from .listing import list_reports

router = APIRouter(include_in_schema=False)
SelectionQuery = Annotated[ReportFilter, Query()]


def choices(corpus: Corpus) -> dict[str, Any]:
    """Values offered by the filter forms: years and region names present in the corpus."""
    with corpus.locked():
        years = [r["year"] for r in corpus.rows("SELECT DISTINCT year FROM reports WHERE year IS NOT NULL "
                                                 "ORDER BY year DESC")]
        regions = [r["name"] for r in corpus.rows(
            "SELECT DISTINCT name FROM (SELECT unnest([province, city, county]) AS name FROM reports) "
            "WHERE name IS NOT NULL ORDER BY name")]
    return {"years": years, "regions": regions}


@router.get("/", response_class=HTMLResponse)
def corpus_page(request: Request, selection: SelectionQuery, paging: Annotated[Paging, Query()]) -> Response:
    """The report list with its filters; only the results when htmx asks for them."""
    corpus = state(request).corpus
    fragment = request.headers.get("hx-target") == "results"
    with corpus.locked():
        context: dict[str, Any] = {"selection": selection, "listing": list_reports(corpus, selection, paging),
                                   **({} if fragment else choices(corpus))}
    return state(request).templates.TemplateResponse(request, "_results.html" if fragment else "corpus.html", context)


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request) -> Response:
    """Upload many report files, each parsed and stored as it arrives."""
    limit = state(request).settings.reader.max_file_bytes
    return state(request).templates.TemplateResponse(request, "upload.html", {"limit": limit})


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, selection: SelectionQuery, by: str = "province", unit: str = "") -> Response:
    """Charts over the filtered current reports, and the year-over-year view of ``unit``."""
    corpus = state(request).corpus
    with corpus.locked():
        context: dict[str, Any] = {"selection": selection, "by": by, "unit": unit,
                                   "charts": dashboard.charts(corpus, selection, by),
                                   "links": dashboard.chart_links(selection),
                                   "summary": dashboard.summary(corpus, selection),
                                   "units": dashboard.units(corpus, selection), "levels": dashboard.REGION_LEVELS,
                                   "metrics_label": metric_dictionary().label,
                                   **choices(corpus)}
        if unit:
            context["unit_chart"], context["unit_rows"] = dashboard.unit_years(corpus, unit)
            context["series"] = dashboard.UNIT_SERIES
    return state(request).templates.TemplateResponse(request, "dashboard.html", context)
