"""Path → Report and back: the public Python API (find inputs, read, extract, audit, load, new) that the CLI, the
store and the web wrap.

``parse_file`` reads a file once and keeps what it read (``Parsed``: the Document, the Report and the division
behind ``meta.region``); ``parse`` and ``parse_bytes`` give the Report alone.
"""

from __future__ import annotations

import heapq
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .audit import audit
from .document import Document
from .errors import NianbaoError
from .extract import extracted
from .extract.template import template_by_year
from .readers import SUFFIXES, read, read_bytes
from .regions import Resolution
from .report import Cell, Report
from .schema import formats
from .settings import Settings, resolve
from .skeleton import skeleton


@dataclass(frozen=True, slots=True)
class Parsed:
    """One input read once: the Document its reader built, the Report extracted and audited from it, and the
    division resolution behind ``report.meta.region`` (with the candidates of an ambiguous name)."""

    document: Document
    report: Report
    region: Resolution


def _checked(report: Report, path: str) -> Report:
    """The report, unless nothing of a report was found in the file: no table cell and no section heading."""
    has_cells = bool(report.tables.t2 or report.tables.t3 or report.tables.t4)
    missing = sum(1 for f in report.findings if f.rule == "S.missing_section")
    if not has_cells and missing == len(formats().sections):
        raise NianbaoError(path, "not_a_report",
                           "not a government information-disclosure annual report (no report sections or tables)")
    return report


def parse_file(path: str | Path, settings: Settings | dict[str, object] | None = None,
               data: bytes | None = None) -> Parsed:
    """Read, extract and audit one report file, or the bytes ``data`` that ``path`` only names."""
    options = resolve(settings)
    document = read(path, options) if data is None else read_bytes(data, str(path), options)
    found = extracted(document, options)
    return Parsed(document, _checked(audit(found.report, options), str(path)), found.region)


def parse(path: str | Path, settings: Settings | dict[str, object] | None = None) -> Report:
    """Read, extract and audit one report file."""
    return parse_file(path, settings).report


def parse_bytes(data: bytes, name: str = "<bytes>", settings: Settings | dict[str, object] | None = None) -> Report:
    """Read, extract and audit one report held in memory."""
    return parse_file(name, settings, data).report


def _files_under(directory: str) -> Iterator[str]:
    """Report files under ``directory``, recursively (symlinked directories are not followed, as ``Path.rglob``), in
    path order: each directory's entries sorted by name, a subdirectory's files where its name sorts. Holds the
    listings of one directory per level, never the whole tree."""
    levels = [_sorted_entries(directory)]
    while levels:
        entry = next(levels[-1], None)
        if entry is None:
            levels.pop()
        elif entry.is_dir(follow_symlinks=False):
            levels.append(_sorted_entries(entry.path))
        elif os.path.splitext(entry.name)[1].lower() in SUFFIXES and entry.is_file():
            yield entry.path


def _sorted_entries(directory: str) -> Iterator[os.DirEntry[str]]:
    """The entries of a directory by name (none when it cannot be listed)."""
    try:
        with os.scandir(directory) as entries:
            return iter(sorted(entries, key=lambda entry: entry.name))
    except OSError:
        return iter(())


def _path_order(text: str) -> str:
    """Sort key of a path: component by component, as ``Path`` sorts."""
    return text.replace(os.sep, "\0")


def iter_inputs(paths: Iterable[str | Path]) -> Iterator[str]:
    """``find_inputs`` as it goes, as text: the paths of each given path, in path order, merged and each once,
    without holding the whole list (a million inputs are listed as fast, in the memory of one directory). Raises
    NianbaoError at once for a path that does not exist."""
    streams: list[Iterable[str]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            streams.append(map(os.path.normpath, _files_under(str(path))))
        elif path.exists():
            streams.append([os.path.normpath(path)])
        else:
            raise NianbaoError(str(given), "unreadable", "no such file or directory")
    return _once(heapq.merge(*streams, key=_path_order))


def _once(ordered: Iterator[str]) -> Iterator[str]:
    """Each path of an ordered stream once (the same path found twice follows itself)."""
    previous = None
    for path in ordered:
        if path != previous:
            yield path
        previous = path


def find_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """The files named and the report files under the directories named (by the suffixes of the readable formats,
    ``readers.FORMAT_SUFFIXES``), once each, in path order (component by component, as ``Path`` sorts); paths
    stay as given (relative stays relative). Raises NianbaoError for a path that does not exist."""
    return [Path(p) for p in iter_inputs(paths)]


def load_report(path: str | Path) -> Report:
    """A report contract from a JSON or YAML file (what ``parse --json`` prints)."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise NianbaoError(name, "unreadable", exc.strerror or str(exc)) from None
    try:
        if name.lower().endswith((".yaml", ".yml")):
            import yaml

            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
        return Report.model_validate(data)
    except (ValueError, TypeError) as exc:
        raise NianbaoError(name, "invalid_report", f"not a valid report contract: {str(exc).splitlines()[0]}") from None


def recheck(report: Report, settings: Settings | dict[str, object] | None = None) -> Report:
    """The report with its findings recomputed from its cells (extraction findings dropped)."""
    report.findings = []
    return audit(report, settings)


def new_report(agency: str, year: int, previous: str | Path | None = None,
               settings: Settings | dict[str, object] | None = None) -> Report:
    """A report skeleton for ``year``: zeros everywhere, carry-overs taken from last year's report (a report file
    is parsed with ``settings``).

    Raises ValueError (in Chinese) for an empty agency name or a year no official format governs."""
    if not agency.strip():
        raise ValueError("机关名称不能为空")
    template = template_by_year(year)
    if template is None:
        raise ValueError(f"{year}年没有适用的年度报告格式：官方格式自{formats().first_report_year}年度起适用")
    report = skeleton(template, agency, year)
    if previous is None:
        return report
    is_contract = str(previous).lower().endswith((".json", ".yaml", ".yml"))
    last = load_report(previous) if is_contract else parse(previous, settings)
    for column, cell in last.tables.t3.get("carried_forward", {}).items():
        source = {"from": str(previous), "key": f"t3.carried_forward.{column}"}
        report.tables.t3["carried_over"][column] = Cell(raw=cell.raw or "0", value=cell.value or 0, at=source)
    chained = formats().t2_templates_with("in_force")
    if template in chained and last.template in chained:
        for row, cells in last.tables.t2.get("art20_1", {}).items():
            if "in_force" in cells and row in report.tables.t2["art20_1"]:
                cell = cells["in_force"]
                report.tables.t2["art20_1"][row]["in_force"] = Cell(
                    raw=cell.raw or "0", value=cell.value or 0,
                    at={"from": str(previous), "key": f"t2.art20_1.{row}.in_force"})
    return report
