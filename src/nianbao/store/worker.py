"""One input (path, or its bytes) → its outcome: the parsed report with its region and unit, or the error.

The pure unit of work every executor runs (process pool, Dask): it reads nothing but the input, writes
nothing and never raises. ``read_input`` keeps the Report object (batches take their rows straight from it);
``parse_input`` gives the same outcome as a JSON-able dict.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
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


@dataclass(slots=True)
class Parsed:
    """The outcome of one input: ``status`` parsed (with ``report``, ``region``, ``unit``) or failed."""

    path: str
    sha256: str | None
    format: str | None
    status: str
    error_code: str | None = None
    error: str | None = None
    report: Report | None = None
    region: Resolution | None = None
    unit: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON-able form: the report as the contract (``meta.region`` filled from the division)."""
        document = None
        if self.report is not None:
            document = self.report.model_dump(mode="json", by_alias=True)
            document["meta"] = meta_with_region(document["meta"], self.region)
        return {"path": self.path, "sha256": self.sha256, "format": self.format, "status": self.status,
                "error_code": self.error_code, "error": self.error, "report": document,
                "region": self.region.as_dict(CANDIDATES_KEPT) if self.region else None, "unit": self.unit}


def failed_outcome(path: str, sha256: str | None, fmt: str | None, code: str, message: str) -> Parsed:
    """The outcome of an input that could not be parsed."""
    return Parsed(path, sha256, fmt, "failed", code, message)


def _failed(path: str, data: bytes, code: str, message: str) -> Parsed:
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


def meta_with_region(meta: dict[str, Any], region: Resolution | None) -> dict[str, Any]:
    """The JSON form of a report's meta, its ``region`` filled from the resolved division when the report has none."""
    if region is not None and region.division is not None and not meta.get("region"):
        d = region.division
        meta["region"] = {"province": d.province, "city": d.city, "county": d.county, "code": d.code}
    return meta


CORPUS_JUDGED = frozenset({"C.published_late"})
"""Per-report findings a corpus leaves to its own audit: timeliness is judged there (Q.late) against the deadline
calendar stored with the corpus, which a report parsed alone does not know."""


def read_input(path: str, data: bytes | None = None) -> Parsed:
    """Parse one input into a ``Parsed`` outcome.

    A file is parsed within the time budget of ``nianbao.guard`` (in a process's main thread); bytes given
    in ``data`` (``path`` then only names them) are parsed as they are.
    """
    try:
        content = Path(path).read_bytes() if data is None else data
    except OSError as exc:
        return failed_outcome(path, None, None, "unreadable", exc.strerror or str(exc))
    try:
        report = guarded_parse(path) if data is None else parse_bytes(data, path)
        report.findings = [f for f in report.findings if f.rule not in CORPUS_JUDGED]
        region = region_of(report, content, path)
    except NianbaoError as err:
        return _failed(path, content, err.code, err.reason)
    except Exception as exc:  # a batch never stops on one bad file: the row records the error
        return _failed(path, content, "internal", f"{type(exc).__name__}: {exc}")
    return Parsed(path, hashlib.sha256(content).hexdigest(), report.source.format, "parsed", report=report,
                  region=region, unit=unit_key(report.meta.agency, region))


def parse_input(path: str, data: bytes | None = None) -> dict[str, Any]:
    """Parse one input; ``status`` is ``parsed`` (with ``report``) or ``failed`` (with ``error_code``, ``error``)."""
    return read_input(path, data).as_dict()
