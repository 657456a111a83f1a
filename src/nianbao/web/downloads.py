"""HTTP download requests → files: the corpus export (the store's ``export``, zipped, as a background job with its
progress) and rectification lists (整改清单) per unit or per region as XLSX or DOCX.

Routes and packaging only: the rows come from ``store.export`` and ``rectification``.
"""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, Response

from ..errors import NianbaoError
from ..store import FORMATS
from . import dashboard
from .context import state
from .corpus import Corpus
from .exports import Job
from .filters import ReportFilter
from .pages import choices
from .rectification import items_to_docx, items_to_xlsx, rectification_items

router = APIRouter(include_in_schema=False)
WAIT_PAUSE = 0.1
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


Format = Literal["csv", "parquet", "xlsx", "json"]


def _start(request: Request, selection: ReportFilter, fmt: str) -> Job:
    app = state(request)
    try:
        return app.exports.start(app.corpus, fmt, _where(app.corpus, selection))
    except NianbaoError as err:
        if err.code == "busy":
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "正在进行的导出太多，请稍后再试") from None
        raise


@router.get("/downloads/export.zip")
def export_zip(request: Request, selection: Annotated[ReportFilter, Query()], fmt: Format = "csv") -> Response:
    """The corpus (or the filtered reports) as the store exports it, with datapackage.json and CODEBOOK.md; made
    by a background job from a copy of the database (the lock is held only to copy it)."""
    job = _start(request, selection, fmt)
    while job.state == "running":
        time.sleep(WAIT_PAUSE)
    return _file(job)


@router.post("/downloads/export", response_class=HTMLResponse)
def start_export(request: Request, selection: Annotated[ReportFilter, Form()], fmt: Annotated[Format, Form()] = "csv"
                 ) -> Response:
    """Start an export job; its progress (htmx fragment, or a page without htmx)."""
    return _job_page(request, _start(request, selection, fmt))


@router.get("/downloads/jobs/{job_id}", response_class=HTMLResponse)
def export_job(request: Request, job_id: str) -> Response:
    """An export job's progress, and its download link once done."""
    return _job_page(request, _job(request, job_id))


@router.get("/downloads/jobs/{job_id}/file")
def export_file(request: Request, job_id: str) -> Response:
    """The zip of a finished export job."""
    return _file(_job(request, job_id))


def _job(request: Request, job_id: str) -> Job:
    found = state(request).exports.get(job_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "没有这个导出任务（可能已过期）")
    return found


def _job_page(request: Request, job: Job) -> Response:
    fragment = "hx-request" in request.headers
    return state(request).templates.TemplateResponse(request, "_export_job.html" if fragment else "export_job.html",
                                                     {"job": job})


def _file(job: Job) -> Response:
    if job.state != "done" or job.zip_path is None:
        raise HTTPException(status.HTTP_409_CONFLICT, job.error or "导出尚未完成")
    return attachment(job.zip_path.read_bytes(), f"年报数据-{job.fmt}.zip", "zip")


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
