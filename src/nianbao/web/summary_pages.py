"""HTTP request for a region's summary report → the 汇总分析 document to download, as DOCX or HTML.

Routes only: the numbers come from ``store.summary``, the document from ``render.summary``.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import Response

from ..errors import NianbaoError
from ..render.summary import to_docx, to_html
from ..store.summary import summary
from .context import state
from .downloads import attachment
from .filters import SEARCH_MAX_CHARS

router = APIRouter(include_in_schema=False)


@router.get("/downloads/summary.{kind}")
def summary_document(request: Request, kind: Literal["docx", "html"],
                     region: Annotated[str, Query(min_length=1, max_length=SEARCH_MAX_CHARS)],
                     year: Annotated[int, Query(ge=1990, le=2100)]) -> Response:
    """The summary report of ``region`` for ``year``."""
    corpus = state(request).corpus
    with corpus.writing():  # no shared connection open: the summary reads over its own
        try:
            data = summary(corpus.db, region.strip(), year)
        except NianbaoError as err:
            raise HTTPException(status.HTTP_404_NOT_FOUND, err.reason) from None
    name = f"汇总分析-{data.region}{year}.{kind}"
    if kind == "html":  # a file of its own (its inline style and images are not subject to the app's policy)
        return Response(to_html(data).encode("utf-8"), media_type="text/html; charset=utf-8",
                        headers={"Content-Disposition": f"attachment; filename=\"nianbao.html\"; "
                                                        f"filename*=UTF-8''{quote(name)}"})
    return attachment(to_docx(data), name, "docx")
