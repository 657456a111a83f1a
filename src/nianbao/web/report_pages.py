"""HTTP requests about one report → HTML: the report page (official tables, findings, narrative), a cell's
evidence (htmx fragment), the page image with the cell outlined, and confirm/dismiss of a finding.

Routes only: the tables' geometry comes from ``render.grid``, the evidence from ``evidence``, decisions are kept
by ``store.review``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..errors import NianbaoError
from ..render.grid import t2_grid, t3_grid, t4_grid
from ..report import Report
from ..schema import catalogue, formats
from ..schema import cell_label as label
from ..store.review import NOTE_MAX_CHARS, decide
from ..store.worker import GRID_FORMATS
from .context import state
from .corpus import Corpus, StoredFinding, StoredReport
from .correction_pages import corrected_cells
from .evidence import PAGE_FORMATS, TEXT_FORMATS, page_png, source_lines, table_excerpt
from .uploads import delete_failed

router = APIRouter(include_in_schema=False)
KEY_MAX_CHARS = 120
TABLES = tuple((table.key, table.title) for table in formats().tables)
SECTION_NAMES = {section.key: section.heading for section in formats().sections if section.kind == "narrative"}


def _stored(request: Request, report_id: int) -> StoredReport:
    stored = state(request).corpus.stored_report(report_id)
    if stored is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"没有编号为 {report_id} 的报告")
    return stored


def _parsed(request: Request, report_id: int) -> tuple[StoredReport, Report]:
    stored = _stored(request, report_id)
    if stored.report is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "该文件未能解析为年度报告")
    return stored, stored.report


def rule_titles() -> dict[str, str]:
    """Rule id → title."""
    return {r.id: r.title for r in catalogue().rules}


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, report_id: int) -> Response:
    """The report laid out like the official format, its findings and its narrative."""
    with state(request).corpus.locked():  # one turn of the corpus, over one connection
        stored = _stored(request, report_id)
        corrected = corrected_cells(state(request).corpus, stored.id)
    context: dict[str, Any] = {"stored": stored, "row": stored.row, "titles": rule_titles(),
                               "sections": SECTION_NAMES, "corrected": corrected}
    if stored.report is not None:
        report = stored.report
        context.update(report=report, marks=stored.marks(), tables=[
            (key, title, grid(report)) for (key, title), grid in zip(TABLES, (t2_grid, t3_grid, t4_grid), strict=True)])
    return state(request).templates.TemplateResponse(request, "report.html", context)


def _evidence(corpus: Corpus, stored: StoredReport, key: str, at: dict[str, Any]) -> dict[str, Any]:
    """What to show of the source: lines of the text file, a table excerpt (from the grid rows stored at
    ingest: no file is read again) or a page image (by the report's format)."""
    fmt = stored.row["format"]
    if fmt in TEXT_FORMATS and isinstance(at.get("line"), int):
        source = corpus.source_bytes(stored.row)
        try:
            return {"lines": source_lines(source, stored.row["path"], at["line"])} if source else {"missing": True}
        except NianbaoError:
            return {"missing": True}
    if fmt in GRID_FORMATS and "row" in at:
        found = table_excerpt(corpus.grids(stored.id), at)
        return {"grid": found} if found else {"missing": True}
    if fmt in PAGE_FORMATS and "page" in at:
        return {"image": f"/reports/{stored.id}/cells/{key}/page.png"} if corpus.source_bytes(stored.row) \
            else {"missing": True}
    return {}


def _check_key(key: str) -> None:
    if len(key) > KEY_MAX_CHARS or not key.replace(".", "").replace("_", "").isalnum():
        raise HTTPException(status.HTTP_404_NOT_FOUND, "没有这个单元格")


@router.get("/reports/{report_id}/cells/{key}", response_class=HTMLResponse)
def cell_evidence(request: Request, report_id: int, key: str) -> Response:
    """A cell's raw text, value, location, findings and source evidence (htmx fragment)."""
    _check_key(key)
    stored, report = _parsed(request, report_id)
    cell = report.cell(key)
    at = cell.at if cell is not None else {}
    findings = [f for f in stored.findings if key in f.finding.cells]
    evidence = _evidence(state(request).corpus, stored, key, at) if cell else {}
    context = {"stored": stored, "key": key, "label": label(key), "cell": cell, "at": at, "findings": findings,
               "titles": rule_titles(), "evidence": evidence,
               "corrected": corrected_cells(state(request).corpus, stored.id)}
    return state(request).templates.TemplateResponse(request, "_evidence.html", context)


@router.get("/reports/{report_id}/cells/{key}/page.png")
def cell_page(request: Request, report_id: int, key: str, full: bool = False) -> Response:
    """The page of a PDF or scanned report holding the cell, the cell outlined (the band around it by default)."""
    _check_key(key)
    stored, report = _parsed(request, report_id)
    cell = report.cell(key)
    source = state(request).corpus.source_bytes(stored.row)
    if cell is None or source is None or "page" not in cell.at or stored.row["format"] not in PAGE_FORMATS:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "没有可显示的页面")
    app = state(request)
    wanted = (stored.row["sha256"], json.dumps(cell.at, sort_keys=True), full)
    png = app.pages.get(wanted)
    if png is None:
        try:
            png = app.renders.run(page_png, source, stored.row["format"], cell.at, not full)
        except NianbaoError as err:
            if err.code == "busy":
                raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "页面图像正在生成的太多，请稍后再试") from None
            raise HTTPException(status.HTTP_404_NOT_FOUND, "页面无法渲染") from None
        app.pages.put(wanted, png)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


def _finding(stored: StoredReport, finding_key: str) -> StoredFinding:
    found = next((f for f in stored.findings if f.key == finding_key), None)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "该报告没有这条审核发现")
    return found


@router.post("/reports/{report_id}/delete")
def delete_report(request: Request, report_id: int) -> Response:
    """Delete a file that could not be parsed (an upload by mistake); back to the list."""
    if not delete_failed(state(request).corpus, report_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "只能删除未能解析的文件")
    return RedirectResponse("/", status_code=status.HTTP_303_SEE_OTHER)


@router.post("/reports/{report_id}/findings/{finding_key}/review", response_class=HTMLResponse)
def review_finding(request: Request, report_id: int, finding_key: str,
                   decision: Annotated[Literal["confirmed", "dismissed", "undo"], Form()],
                   note: Annotated[str, Form(max_length=NOTE_MAX_CHARS)] = "") -> Response:
    """Confirm or dismiss a finding (or withdraw the decision), with a note and the signed-in reviewer; the
    finding's row, updated (htmx fragment)."""
    corpus = state(request).corpus
    stored = _stored(request, report_id)
    found = _finding(stored, finding_key)
    with corpus.writer() as con:
        decide(con, found.key, found.report_id, found.finding.rule, None if decision == "undo" else decision,
               note.strip() or None, getattr(request.state, "user", None))
    found.decision = None if decision == "undo" else decision
    context: dict[str, Any] = {"stored": stored, "f": found, "titles": rule_titles()}
    return state(request).templates.TemplateResponse(request, "_finding.html", context)

