"""Path → Report: the public Python API (read, extract, audit) that the CLI and web wrap."""

from __future__ import annotations

from pathlib import Path

from .audit import audit
from .errors import NianbaoError
from .extract import extract
from .readers import read, read_bytes
from .report import Report
from .settings import Settings


def _checked(report: Report, path: str) -> Report:
    has_cells = bool(report.tables.t2 or report.tables.t3 or report.tables.t4)
    found_sections = sum(1 for f in report.findings if f.rule == "S.missing_section") < 6
    if not has_cells and not found_sections:
        raise NianbaoError(path, "not_a_report",
                           "not a government information-disclosure annual report (no report sections or tables)")
    return report


def parse(path: str | Path, settings: Settings | dict[str, object] | None = None) -> Report:
    """Read, extract and audit one report file."""
    document = read(path, settings)
    return _checked(audit(extract(document, settings), settings), str(path))


def parse_bytes(data: bytes, name: str = "<bytes>", settings: Settings | dict[str, object] | None = None) -> Report:
    """Read, extract and audit one report held in memory."""
    document = read_bytes(data, name, settings)
    return _checked(audit(extract(document, settings), settings), name)
