"""HTTP requests about a cell's correction → HTML: the 修正 part of a cell's evidence pane (the correction in force
beside the printed value, the history, the candidates from an earlier version of the file, a small form) and the
form's post (correct or withdraw, by the signed-in reviewer where sign-in is on).

Routes only: corrections are kept by ``store.corrections``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, Response

from ..errors import NianbaoError
from ..schema import cell_label as label
from ..store.corrections import WHO_MAX_CHARS, WHY_MAX_CHARS, candidates, correct, history, withdraw
from ..store.db import connect
from .context import state
from .corpus import Corpus

router = APIRouter(include_in_schema=False)
VALUE_MAX_CHARS = 40


def corrected_cells(corpus: Corpus, report_id: int) -> dict[str, Any]:
    """Cell key → printed number of each corrected cell of a report (what the report page marks)."""
    return {r["key"]: r["printed"] for r in corpus.rows(
        "SELECT key, printed FROM cells WHERE report_id = ? AND corrected", [report_id])}


def _context(request: Request, report_id: int, key: str) -> dict[str, Any]:
    corpus = state(request).corpus
    with corpus.writing():  # no shared connection open: this request reads over its own
        con = connect(corpus.db, read_only=True)
        try:
            acts = [a for a in history(con, report_id) if a["key"] == key]
            offered = [c for c in candidates(con, report_id) if c["key"] == key]
            cell = con.execute("SELECT c.raw, c.value, c.printed, c.corrected FROM cells c JOIN reports r ON r.id = ? "
                               "AND c.report_id = coalesce(r.duplicate_of, r.id) WHERE c.key = ?",
                               [report_id, key]).fetchall()
        except NianbaoError as err:
            raise HTTPException(status.HTTP_404_NOT_FOUND, err.reason) from None
        finally:
            con.close()
    in_force = acts[-1] if acts and acts[-1]["action"] == "correct" else None
    return {"report_id": report_id, "key": key, "label": label(key), "acts": acts, "candidates": offered,
            "in_force": in_force, "cell": cell[0] if cell else None, "user": getattr(request.state, "user", None),
            "why_max": WHY_MAX_CHARS, "who_max": WHO_MAX_CHARS, "value_max": VALUE_MAX_CHARS}


@router.get("/reports/{report_id}/cells/{key}/correction", response_class=HTMLResponse)
def correction_pane(request: Request, report_id: int, key: str) -> Response:
    """The 修正 part of a cell's evidence pane (htmx fragment)."""
    return state(request).templates.TemplateResponse(request, "_correction.html", _context(request, report_id, key))


@router.post("/reports/{report_id}/cells/{key}/correction", response_class=HTMLResponse)
def correction_post(request: Request, report_id: int, key: str,
                    action: Annotated[Literal["correct", "withdraw"], Form()],
                    why: Annotated[str, Form(max_length=WHY_MAX_CHARS)],
                    value: Annotated[str, Form(max_length=VALUE_MAX_CHARS)] = "",
                    who: Annotated[str, Form(max_length=WHO_MAX_CHARS)] = "") -> Response:
    """Correct the cell or withdraw its correction; the page reloads to show the values in force."""
    user = getattr(request.state, "user", None)
    try:
        with state(request).corpus.writer() as con:
            if action == "correct":
                correct(con, report_id, key, value, why, user or who or None)
            else:
                withdraw(con, report_id, key, why, user or who or None)
    except NianbaoError as err:
        context = {**_context(request, report_id, key), "error": f"{err.reason}"}
        return state(request).templates.TemplateResponse(request, "_correction.html", context,
                                                         status_code=status.HTTP_400_BAD_REQUEST)
    response = state(request).templates.TemplateResponse(request, "_correction.html",
                                                         _context(request, report_id, key))
    response.headers["HX-Refresh"] = "true"
    return response
