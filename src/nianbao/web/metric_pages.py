"""HTTP request for the metric dictionary → HTML: the ``/metrics`` page (every metric's name, 口径, formula over the
cells' printed labels, unit and version, and the dictionary's version).

Routes only: the dictionary is ``schema/metrics.json``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ..schema import cell_labels
from ..schema.metrics import metric_dictionary
from .context import state

router = APIRouter(include_in_schema=False)


@router.get("/metrics", response_class=HTMLResponse)
def metrics_page(request: Request) -> Response:
    """The metric dictionary."""
    dictionary = metric_dictionary()
    labels = cell_labels()
    rows = [{"metric": m, "formula": m.formula(labels)} for m in dictionary.metrics.values()]
    return state(request).templates.TemplateResponse(request, "metrics.html",
                                                     {"dictionary": dictionary, "rows": rows})
