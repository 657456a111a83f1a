"""One input (path, or its bytes) → JSON-able outcome: the parsed report with its region and unit, or the error.

The pure unit of work every executor runs (process pool, Dask): it reads nothing but the input, writes
nothing and never raises.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ..api import parse_bytes
from ..errors import NianbaoError
from ..guard import guarded_parse
from ..readers import detect_format, read_bytes
from ..report import Report
from .regions import Resolution, resolve_region, strip_division_names

_FRONT_ROWS = 30
_BACK_ROWS = 10
_GOVERNMENT = {"", "人民政府", "政府", "办事处"}
CANDIDATES_KEPT = 10


def failed_outcome(path: str, sha256: str | None, fmt: str | None, code: str, message: str) -> dict[str, Any]:
    """The outcome of an input that could not be parsed."""
    return {"path": path, "sha256": sha256, "format": fmt, "status": "failed", "error_code": code, "error": message,
            "report": None, "region": None, "unit": None}


def _failed(path: str, data: bytes, code: str, message: str) -> dict[str, Any]:
    return failed_outcome(path, hashlib.sha256(data).hexdigest(), detect_format(data), code, message)


def _cheap_clues(report: Report) -> str:
    contact = getattr(report.meta, "contact", None)
    address = getattr(contact, "address", None) or ""
    return "\n".join([address, *report.sections.values()])


def _document_clues(data: bytes, path: str) -> str:
    rows = list(read_bytes(data, path).rows())
    picked = rows[:_FRONT_ROWS] + rows[-_BACK_ROWS:]
    return "\n".join(" ".join(cell.text for cell in row.cells) for row in picked)


def region_of(report: Report, data: bytes, path: str) -> Resolution:
    """The report's division: from the agency's name, then its narrative, then the opening of the document."""
    agency, year = report.meta.agency, report.meta.year
    found = resolve_region(agency, year)
    if found.status != "resolved":
        found = resolve_region(agency, year, _cheap_clues(report))
    if found.status != "resolved":
        found = resolve_region(agency, year, _document_clues(data, path))
    return found


def unit_key(agency: str | None, region: Resolution) -> str | None:
    """The unit's identity across years: division code + agency name without its place names."""
    if not agency:
        return None
    division = region.division
    rest = strip_division_names(agency, division)
    if division is None:
        return f"?/{rest}"
    rest = "人民政府" if rest in _GOVERNMENT else rest
    return f"{division.township_code or division.code}/{rest}"


def _with_region(document: dict[str, Any], region: Resolution) -> None:
    meta = document["meta"]
    if region.division is not None and not meta.get("region"):
        d = region.division
        meta["region"] = {"province": d.province, "city": d.city, "county": d.county, "code": d.code}


def parse_input(path: str, data: bytes | None = None) -> dict[str, Any]:
    """Parse one input; ``status`` is ``parsed`` (with ``report``) or ``failed`` (with ``error_code``, ``error``).

    A file is parsed within the time budget of ``nianbao.guard`` (in a process's main thread); bytes given
    in ``data`` (``path`` then only names them) are parsed as they are.
    """
    try:
        content = Path(path).read_bytes() if data is None else data
    except OSError as exc:
        return failed_outcome(path, None, None, "unreadable", exc.strerror or str(exc))
    try:
        report = guarded_parse(path) if data is None else parse_bytes(data, path)
        region = region_of(report, content, path)
    except NianbaoError as err:
        return _failed(path, content, err.code, err.reason)
    except Exception as exc:  # a batch never stops on one bad file: the row records the error
        return _failed(path, content, "internal", f"{type(exc).__name__}: {exc}")
    document = report.model_dump(mode="json", by_alias=True)
    _with_region(document, region)
    return {"path": path, "sha256": hashlib.sha256(content).hexdigest(), "format": report.source.format,
            "status": "parsed", "error_code": None, "error": None, "report": document,
            "region": region.as_dict(CANDIDATES_KEPT), "unit": unit_key(report.meta.agency, region)}
