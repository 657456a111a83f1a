"""HTTP download requests → files: the corpus export (the store's ``export``, zipped) and rectification lists
(整改清单) per unit or per region as XLSX or DOCX.

Routes and packaging only: the rows come from ``store.export`` and ``rectification``.
"""

from __future__ import annotations

import tempfile
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..store import FORMATS, export
from . import dashboard
from .context import state
from .corpus import Corpus
from .filters import ReportFilter
from .pages import choices
from .rectification import items_to_docx, items_to_xlsx, rectification_items

router = APIRouter(include_in_schema=False)
MEDIA = {"zip": "application/zip",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def attachment(data: bytes, name: str, kind: str) -> Response:
    """A download response named ``name`` (UTF-8 names kept for browsers that read filename*)."""
    disposition = f"attachment; filename=\"nianbao.{kind}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=MEDIA[kind], headers={"Content-Disposition": disposition})


@router.get("/downloads", response_class=HTMLResponse)
def downloads_page(request: Request, selection: Annotated[ReportFilter, Query()]) -> Response:
    """Export forms and rectification-list forms."""
    corpus = state(request).corpus
    with corpus.locked():
        context: dict[str, Any] = {"selection": selection, "formats": FORMATS,
                                   "units": dashboard.units(corpus, ReportFilter()), **choices(corpus)}
    return state(request).templates.TemplateResponse(request, "downloads.html", context)


def _where(corpus: Corpus, selection: ReportFilter) -> str | None:
    """The export's condition: the ids the filter selects (integers from the database, never user text)."""
    where, params = selection.where()
    if where == "true":
        return None
    ids = [int(r["id"]) for r in corpus.rows(f"SELECT r.id FROM reports r WHERE {where}", params)]
    return f"id IN ({', '.join(map(str, ids))})" if ids else "false"


@router.get("/downloads/export.zip")
def export_zip(request: Request, selection: Annotated[ReportFilter, Query()],
               fmt: Literal["csv", "parquet", "xlsx", "json"] = "csv") -> Response:
    """The corpus (or the filtered reports) as the store exports it, with datapackage.json and CODEBOOK.md."""
    corpus = state(request).corpus
    out = BytesIO()
    with corpus.locked(), tempfile.TemporaryDirectory() as directory:
        files = export(corpus.db, directory, fmt, _where(corpus, selection))
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                archive.write(path, Path(path).name)
    return attachment(out.getvalue(), f"年报数据-{fmt}.zip", "zip")


@router.get("/downloads/rectification.{kind}")
def rectification(request: Request, kind: Literal["xlsx", "docx"], selection: Annotated[ReportFilter, Query()],
                  unit: str = "") -> Response:
    """The rectification list of one unit (``unit``) or of the reports the filter keeps (a region, a year)."""
    corpus = state(request).corpus
    items = rectification_items(corpus, unit or None, selection)
    scope = (items[0].report["agency"] if unit and items else unit) or selection.region or "全部单位"
    year = f"{selection.year}年度" if selection.year else ""
    title = f"政府信息公开工作年度报告整改清单（{scope}{year}）"
    data = items_to_xlsx(items, title) if kind == "xlsx" else items_to_docx(items, title)
    return attachment(data, f"整改清单-{scope}{year}.{kind}", kind)
