"""One input (path, or its bytes) → its outcome: the parsed report with its region, unit and the table grids its
cells were read from, or the error.

The pure unit of work every executor runs (process pool, Dask): it reads nothing but the input, once, within the
reader's limits of the settings it is given; writes nothing and never raises. ``read_input`` keeps the Report
object (batches take their rows straight from it); ``parse_input`` gives the same outcome as a JSON-able dict.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..api import Parsed
from ..document import Table
from ..errors import NianbaoError
from ..guard import guarded_parse_file
from ..readers import detect_format
from ..regions import Resolution, strip_division_names
from ..report import Report, table_cells
from ..settings import Settings, resolve

_GOVERNMENT = {"", "人民政府", "政府", "办事处"}
CANDIDATES_KEPT = 10
GRID_FORMATS = ("html", "docx", "doc")
"""Formats whose cells sit in table grids (``at`` = table, row, col): the grids they were read from are kept
as evidence. Text cells point at source lines and PDF or image cells at a page, which need no grid."""


@dataclass(slots=True)
class Outcome:
    """The outcome of one input: ``status`` parsed (with ``report``, ``region``, ``unit`` and the ``grids`` its
    cells were read from) or failed."""

    path: str
    sha256: str | None
    format: str | None
    status: str
    error_code: str | None = None
    error: str | None = None
    report: Report | None = None
    region: Resolution | None = None
    unit: str | None = None
    grids: tuple[Table, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The JSON-able form: the report as the contract."""
        document = None if self.report is None else self.report.model_dump(mode="json", by_alias=True)
        return {"path": self.path, "sha256": self.sha256, "format": self.format, "status": self.status,
                "error_code": self.error_code, "error": self.error, "report": document,
                "region": self.region.as_dict(CANDIDATES_KEPT) if self.region else None, "unit": self.unit}


def failed_outcome(path: str, sha256: str | None, fmt: str | None, code: str, message: str) -> Outcome:
    """The outcome of an input that could not be parsed."""
    return Outcome(path, sha256, fmt, "failed", code, message)


def _failed(path: str, data: bytes | None, code: str, message: str) -> Outcome:
    """A failed outcome named by the content's hash and format (by the file's hash alone when it was too large
    to read)."""
    if data is not None:
        return failed_outcome(path, hashlib.sha256(data).hexdigest(), detect_format(data), code, message)
    try:
        with open(path, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        digest = None
    return failed_outcome(path, digest, None, code, message)


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


def _at_key(at: dict[str, Any]) -> str:
    return json.dumps(at, sort_keys=True)


def evidence_grids(parsed: Parsed) -> tuple[Table, ...]:
    """The document's table grids that hold a cell of the report (grid formats only): what a cell's evidence
    shows around it, kept so that nothing has to read the file again."""
    if parsed.document.format not in GRID_FORMATS:
        return ()
    wanted = {_at_key(cell.at) for *_, cell in table_cells(parsed.report)}
    return tuple(block for block in parsed.document.blocks if isinstance(block, Table)
                 and any(_at_key(c.at) in wanted for row in block.rows for c in row))


CORPUS_JUDGED = frozenset({"C.published_late"})
"""Per-report findings a corpus leaves to its own audit: timeliness is judged there (Q.late) against the deadline
calendar stored with the corpus, which a report parsed alone does not know."""


def _content(path: str, options: Settings) -> bytes | None:
    """The file's bytes, or None when it is larger than ``reader.max_file_bytes`` (then it is not read)."""
    if Path(path).stat().st_size > options.reader.max_file_bytes:
        return None
    return Path(path).read_bytes()


def read_input(path: str, data: bytes | None = None, settings: Settings | dict[str, object] | None = None
               ) -> Outcome:
    """Parse one input into an ``Outcome``, within the reader's time and memory budget of ``settings``
    (``nianbao.guard``); bytes given in ``data`` (``path`` then only names them) are parsed as they are."""
    options = resolve(settings)
    try:
        content = _content(path, options) if data is None else data
    except OSError as exc:
        return failed_outcome(path, None, None, "unreadable", exc.strerror or str(exc))
    if content is None:
        return _failed(path, None, "too_large",
                       f"file is larger than the limit of {options.reader.max_file_bytes} bytes")
    try:
        return _outcome(path, guarded_parse_file(path, options, content))
    except NianbaoError as err:
        return _failed(path, content, err.code, err.reason)
    except Exception as exc:  # a batch never stops on one bad file: the row records the error
        return _failed(path, content, "internal", f"{type(exc).__name__}: {exc}")


def _outcome(path: str, parsed: Parsed) -> Outcome:
    """The outcome of a parsed input: its report (less what the corpus judges itself), region, unit and grids."""
    report = parsed.report
    report.findings = [f for f in report.findings if f.rule not in CORPUS_JUDGED]
    return Outcome(path, report.source.sha256, report.source.format, "parsed", report=report, region=parsed.region,
                   unit=unit_key(report.meta.agency, parsed.region), grids=evidence_grids(parsed))


def parse_input(path: str, data: bytes | None = None, settings: Settings | dict[str, object] | None = None
                ) -> dict[str, Any]:
    """Parse one input; ``status`` is ``parsed`` (with ``report``) or ``failed`` (with ``error_code``, ``error``)."""
    return read_input(path, data, settings).as_dict()
