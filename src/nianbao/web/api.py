"""HTTP JSON requests → corpus: upload a report (parse, store, return the contract), fetch one, list with filters.

The OpenAPI schema is generated from the models here and ``nianbao.report``; the routes only translate between
HTTP and the corpus modules.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, HTTPException, Query, Request, UploadFile, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ..report import Report
from .context import parse_error, state
from .corpus import Corpus, StoredReport
from .filters import Paging, ReportFilter
from .listing import list_reports
from .uploads import UploadRejected, store_upload

router = APIRouter(prefix="/api", tags=["报告"])
READ_CHUNK = 1 << 20


class ReportSummary(BaseModel):
    """One row of the report listing."""

    id: int
    status: str
    agency: str | None = None
    unit: str | None = None
    year: int | None = None
    template: str | None = None
    level: str | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    region_code: str | None = None
    format: str | None = None
    published: date | None = None
    n_errors: int | None = None
    n_warnings: int | None = None
    n_infos: int | None = None
    error_code: str | None = None
    error: str | None = None
    upload_name: str | None = None


class ReportList(BaseModel):
    """A page of the listing."""

    total: int
    page: int
    per_page: int
    items: list[ReportSummary]


class ReviewedFinding(BaseModel):
    """A stored finding's id, scope, review key and decision (the finding itself is in ``report.findings``)."""

    id: str
    scope: str
    key: str
    decision: str | None = None


class StoredReportOut(BaseModel):
    """A stored input: its id and status, and the report contract when it was parsed (the error otherwise)."""

    id: int
    status: str
    name: str | None = None
    error_code: str | None = None
    error: str | None = None
    error_message: str | None = None
    report: Report | None = None
    reviews: list[ReviewedFinding] = []
    already_stored: bool = False


class Problem(BaseModel):
    """Why a request was refused."""

    detail: str


def _out(stored: StoredReport) -> StoredReportOut:
    row = stored.row
    reviews = [ReviewedFinding(id=f.id, scope=f.scope, key=f.key, decision=f.decision) for f in stored.findings]
    return StoredReportOut(id=stored.id, status=row["status"], name=row["upload_name"],
                           error_code=row["error_code"], error=row["error"], report=stored.report, reviews=reviews,
                           error_message=parse_error(row["error_code"]) if row["error_code"] else None)


def _read_limited(file: UploadFile, limit: int) -> bytes:
    """The uploaded bytes, refused as soon as they pass ``limit``."""
    chunks, size = [], 0
    while chunk := file.file.read(READ_CHUNK):
        size += len(chunk)
        if size > limit:
            raise UploadRejected(status.HTTP_413_CONTENT_TOO_LARGE, f"文件超过大小上限（{limit} 字节）")
        chunks.append(chunk)
    return b"".join(chunks)


def receive(request: Request, file: UploadFile) -> tuple[int, bool]:
    """Check, store and ingest one uploaded file; the id of the report it ended as, and whether its content was
    stored before."""
    app = state(request)
    limit = app.settings.reader.max_file_bytes
    try:
        return store_upload(app.corpus, app.parses, file.filename, _read_limited(file, limit), app.settings)
    except UploadRejected as rejected:
        raise HTTPException(rejected.status, rejected.reason) from None


@router.post("/reports", summary="上传报告", status_code=status.HTTP_201_CREATED, response_model=StoredReportOut,
             responses={413: {"model": Problem, "description": "文件过大"},
                        415: {"model": Problem, "description": "不支持的文件类型"},
                        200: {"model": StoredReportOut, "description": "此前已上传过相同内容的文件"},
                        422: {"model": StoredReportOut, "description": "已保存，但无法解析为年度报告"},
                        503: {"model": Problem, "description": "正在解析的上传太多"}})
def upload_report(request: Request, file: Annotated[UploadFile, File(description="报告文件（txt、md、html、pdf、"
                                                                                "docx、doc、ofd 或图片）")]) -> Any:
    """上传一份报告：解析、审核并存入报告库，返回报告编号和报告数据（nianbao.report/1）。"""
    report_id, before = receive(request, file)
    out = _out(_found(state(request).corpus, report_id))
    out.already_stored = before
    code = status.HTTP_422_UNPROCESSABLE_CONTENT if out.report is None else \
        status.HTTP_200_OK if before else status.HTTP_201_CREATED
    return JSONResponse(out.model_dump(mode="json", by_alias=True), status_code=code)


def _found(corpus: Corpus, report_id: int) -> StoredReport:
    stored = corpus.stored_report(report_id)
    if stored is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"没有编号为 {report_id} 的报告")
    return stored


@router.get("/reports/{report_id}", summary="查询报告", response_model=StoredReportOut,
            responses={404: {"model": Problem}})
def get_report(request: Request, report_id: int) -> StoredReportOut:
    """按编号取一份报告：状态、报告数据（含审核发现）和各发现的审核结论。"""
    return _out(_found(state(request).corpus, report_id))


@router.get("/reports", summary="报告列表", response_model=ReportList)
def get_reports(request: Request, selection: Annotated[ReportFilter, Query()],
                paging: Annotated[Paging, Query()]) -> ReportList:
    """报告列表：按地区、年度、层级、格式版本、状态、是否有错误筛选，按单位名称（q）或正文（text）检索，分页。"""
    listing = list_reports(state(request).corpus, selection, paging)
    return ReportList(total=listing.total, page=paging.page, per_page=paging.per_page,
                      items=[ReportSummary.model_validate(item) for item in listing.items])
