"""HTTP requests about an application register (台账) → HTML and downloads: the upload form, the tallied 表三
and 表四 laid out like the report page (a cell → the register rows it counts), the deadline list with filters,
and the report as JSON or DOCX.

Routes only: reading, checking, counting and deadlines are ``nianbao.register``'s. An upload is kept under the
corpus's file directory by content hash and counted again on each request.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..errors import NianbaoError
from ..register import Checked, Deadline, Register, check, check_register, read_register_bytes, tally
from ..register.deadlines import DUE_SOON, ON_TIME, OVERDUE
from ..register.read import RegisterRow
from ..register.sheets import APPLICATIONS, CASES, FIELDS
from ..render import render
from ..render.grid import t3_grid, t4_grid
from ..report import Report
from ..schema import formats
from .context import state
from .downloads import attachment
from .report_pages import TABLES

router = APIRouter(include_in_schema=False)
_SHA = re.compile(r"^[0-9a-f]{64}$")
_KEY = re.compile(r"^t[34](\.[a-z_]+){1,2}$")
MAX_FILES = 2
PREVIOUS, PREVIOUS_NAME = "previous.json", "上年报告"
STATUSES = (OVERDUE, DUE_SOON, ON_TIME)
SHOWN_COLUMNS = {APPLICATIONS: ("编号", "收到日期", "申请人类型", "申请人", "答复日期", "办理结果"),
                 CASES: tuple(f.header for f in FIELDS[CASES])}
GRIDS = {"t3": t3_grid, "t4": t4_grid}
"""The tables a register fills (表二 is not in a register)."""


def _directory(request: Request, sha: str) -> Path:
    if not _SHA.match(sha):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "没有这份台账")
    return state(request).corpus.files / "registers" / sha


def _years() -> range:
    return range(formats().first_report_year, date.today().year + 2)


def _year(year: int) -> int:
    if year not in _years():
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"年度应在 {_years()[0]}–{_years()[-1]} 之间")
    return year


@router.get("/register", response_class=HTMLResponse)
def register_form(request: Request) -> Response:
    """The form to upload a register."""
    limit = state(request).settings.reader.max_file_bytes
    return state(request).templates.TemplateResponse(request, "register.html", {
        "limit": limit, "years": _years(), "year": date.today().year - 1})


def _store(request: Request, parts: list[tuple[str, bytes]], previous: tuple[str, bytes] | None) -> str:
    """Read the uploaded files as one register (refusing what is not one) and last year's report, keep them;
    the key they are kept under (the register's hash, with the report's when there is one)."""
    register: Register | None = None
    for name, data in parts:
        register = read_register_bytes(data, name, register)
    assert register is not None
    key = register.sha256
    if previous is not None:
        try:
            Report.model_validate_json(previous[1])
        except ValueError:
            raise NianbaoError(previous[0], "invalid_report", "上年报告应为报告 JSON（nianbao parse --json 或 "
                                                              "register tally 的输出）") from None
        key = hashlib.sha256((key + hashlib.sha256(previous[1]).hexdigest()).encode()).hexdigest()
    directory = _directory(request, key)
    directory.mkdir(parents=True, exist_ok=True)
    for i, (_, data) in enumerate(parts):
        suffix = ".xlsx" if data[:4] == b"PK\x03\x04" else ".csv"
        (directory / f"{i}{suffix}").write_bytes(data)
    if previous is not None:
        (directory / PREVIOUS).write_bytes(previous[1])
    return key


async def _read(upload: UploadFile, limit: int) -> tuple[str, bytes]:
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, f"文件超过大小上限（{limit} 字节）")
    return Path(upload.filename or "台账").name, data


@router.post("/register")
async def register_upload(request: Request, files: Annotated[list[UploadFile], File()],
                          year: Annotated[int, Form()], agency: Annotated[str, Form()] = "",
                          previous: Annotated[UploadFile | None, File()] = None) -> Response:
    """Upload a register (one workbook, or the CSV of each sheet), optionally last year's report JSON for
    上年结转, and go to its tally."""
    limit = state(request).settings.reader.max_file_bytes
    if not 0 < len(files) <= MAX_FILES:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "请上传一个 xlsx 工作簿，或「申请」「复议诉讼」两个 CSV 文件")
    parts = [await _read(upload, limit) for upload in files]
    last = await _read(previous, limit) if previous is not None and previous.filename else None
    try:
        sha = _store(request, parts, last if last and last[1] else None)
    except NianbaoError as err:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"{err.path}：{err.reason}") from None
    query = urlencode({"year": _year(year), **({"agency": agency.strip()[:100]} if agency.strip() else {})})
    return RedirectResponse(f"/register/{sha}?{query}", status_code=status.HTTP_303_SEE_OTHER)


@dataclass
class Tallied:
    """A kept register read again: its rows, their checks and deadlines, and the report counted from them."""

    register: Register
    checked: Checked
    deadlines: list[Deadline]
    deadline_error: str | None
    report: Report


def _tallied(request: Request, sha: str, year: int, agency: str | None) -> Tallied:
    directory = _directory(request, sha)
    files = sorted(directory.glob("[0-9].*")) if directory.is_dir() else []
    if not files:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "没有这份台账")
    register: Register | None = None
    for path in files:
        register = read_register_bytes(path.read_bytes(), path.name, register)
    assert register is not None
    last = directory / PREVIOUS
    previous = Report.model_validate_json(last.read_bytes()) if last.exists() else None
    try:
        checked, found = check_register(register, _year(year), date.today())
        error = None
    except NianbaoError as err:  # a year the holiday calendar does not cover: the tables still count
        checked, found, error = check(register, year), [], err.reason
    return Tallied(register, checked, found, error, tally(checked, year, agency or None, previous, PREVIOUS_NAME))


def _deadline_rows(found: list[Deadline], status_filter: str, text: str) -> list[Deadline]:
    return [d for d in found if (not status_filter or d.status == status_filter) and (not text or text in d.id)]


@router.get("/register/{sha}", response_class=HTMLResponse)
def register_page(request: Request, sha: str, year: int, agency: str = "",
                  status_filter: Annotated[str, Query(alias="status")] = "", q: str = "") -> Response:
    """The tallied tables, the register's findings and the deadline list (filtered by status and 编号)."""
    tallied = _tallied(request, sha, year, agency)
    report = tallied.report
    marks = {key: f.severity for f in report.findings for key in f.cells}
    counts = {s: sum(1 for d in tallied.deadlines if d.status == s) for s in STATUSES}
    return state(request).templates.TemplateResponse(request, "register.html", {
        "limit": state(request).settings.reader.max_file_bytes, "years": _years(), "sha": sha, "year": year,
        "agency": agency, "report": report, "marks": marks,
        "tables": [(key, title, GRIDS[key](report)) for key, title in TABLES if key in GRIDS],
        "deadlines": _deadline_rows(tallied.deadlines, status_filter, q.strip()), "counts": counts,
        "deadline_error": tallied.deadline_error, "statuses": STATUSES, "status": status_filter, "q": q,
        "applications": len(tallied.register.rows[APPLICATIONS]), "cases": len(tallied.register.rows[CASES])})


def _shown(row: RegisterRow) -> list[str]:
    return [str(row.values.get(h) or "") for h in SHOWN_COLUMNS[row.sheet]]


@router.get("/register/{sha}/cells/{key}", response_class=HTMLResponse)
def register_cell(request: Request, sha: str, key: str, year: int, agency: str = "") -> Response:
    """The register rows one cell counts (htmx fragment)."""
    if not _KEY.match(key):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "没有这个单元格")
    tallied = _tallied(request, sha, year, agency)
    cell = tallied.report.cell(key)
    if cell is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "没有这个单元格")
    sheet = cell.at.get("sheet", APPLICATIONS)
    wanted = set(cell.at.get("rows", []))
    rows = [r for r in tallied.register.rows[sheet] if r.row in wanted]
    context: dict[str, Any] = {"key": key, "cell": cell, "sheet": sheet, "headers": SHOWN_COLUMNS[sheet],
                               "rows": [(r.row, _shown(r)) for r in rows],
                               "findings": [f for f in tallied.report.findings if key in f.cells]}
    return state(request).templates.TemplateResponse(request, "_register_rows.html", context)


@router.get("/register/{sha}/report.{kind}")
def register_download(request: Request, sha: str, kind: str, year: int, agency: str = "") -> Response:
    """The tallied report as the JSON contract (for ``nianbao render``) or as the official DOCX."""
    report = _tallied(request, sha, year, agency).report
    name = f"{agency or '台账'}{year}年报告"
    if kind == "json":
        disposition = f"attachment; filename=\"nianbao.json\"; filename*=UTF-8''{quote(name)}.json"
        return Response(report.to_json(), media_type="application/json", headers={"Content-Disposition": disposition})
    if kind == "docx":
        return attachment(render(report, "docx"), f"{name}.docx", "docx")
    raise HTTPException(status.HTTP_404_NOT_FOUND, "只提供 json 或 docx")
