"""Planned inputs + worker outcomes → one batch of Arrow tables (reports, cells, findings, sections, shingles,
portals, grid rows).

Knows the row layout of ``tables``; takes the rows straight from the parsed Report (no round trip through the
contract's JSON form), and stored cell rows back into the contract's tables; parses nothing and touches no
database.
"""

from __future__ import annotations

import importlib.abc
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from types import ModuleType
from typing import Any

import pyarrow as pa
from pydantic_core import to_json as _fast_json

from ..document import Table
from ..report import Cell, Report, Tables, cell_key, table_rows
from .derived import derived_rows
from .tables import CELLS, STORED, Spec
from .worker import CANDIDATES_KEPT, Outcome

_SEVERITY_COLUMNS = {"error": "n_errors", "warning": "n_warnings", "info": "n_infos"}
LABELS = ("key", "tbl", "block", "row_key", "col_key")
"""The columns of ``cells`` that name a cell: a batch gathers them once per distinct cell, and sends them
dictionary-encoded (a few hundred strings and an index per cell, where five strings per cell would be sent)."""
_LABEL = pa.dictionary(pa.int32(), pa.string())


def batch_schema(spec: Spec) -> pa.Schema:
    """The Arrow schema of a batch's rows of ``spec``: the table's, with the ``LABELS`` of ``cells`` dictionary-encoded
    (DuckDB reads them as the text they encode)."""
    schema = spec.arrow_schema()
    if spec is not CELLS:
        return schema
    return pa.schema([pa.field(f.name, _LABEL) if f.name in LABELS else f for f in schema])


@dataclass(frozen=True, slots=True)
class Planned:
    """An input ingest decided to store: its row id, path, content hash and version."""

    id: int
    path: str
    sha256: str | None
    size: int | None
    version: int
    duplicate_of: int | None = None


class _NoPandas(importlib.abc.MetaPathFinder):
    """An import finder that fails the import of pandas (and only that)."""

    def find_spec(self, name: str, path: Sequence[str] | None, target: ModuleType | None = None) -> None:
        if name == "pandas":
            raise ImportError("pandas is not loaded for pyarrow's conversions of Python data")


def arrow_without_pandas() -> None:
    """Let pyarrow's first conversion of Python data in this process find no pandas, so that it does not load it.

    pyarrow imports pandas (when installed) on its first conversion of Python data, only to ask whether the data is
    a pandas object: some 45 MB in every ingest process, for rows that are built from lists. With the import of
    pandas failing during that first conversion, pyarrow notes that there is none and does not look again; asking
    it for pandas outright (``to_pandas``, ``from_pandas``) still imports pandas then. Does nothing once pandas is
    loaded. Call it before starting threads that might import pandas.
    """
    if "pandas" in sys.modules:
        return
    blocker = _NoPandas()
    sys.meta_path.insert(0, blocker)
    try:
        pa.array([0])
    finally:
        sys.meta_path.remove(blocker)


def arrow_on_malloc() -> None:
    """Have pyarrow allocate with the C library's malloc (``pa.system_memory_pool``) instead of its bundled pool,
    unless ``ARROW_DEFAULT_MEMORY_POOL`` names one. The bundled pool keeps the memory of freed buffers for reuse:
    in an ingest, where each batch's tables come and go, that is some 20 MB in every process, which malloc
    hands back."""
    if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
        pa.set_memory_pool(pa.system_memory_pool())


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def to_json(value: Any) -> str | None:
    """Compact JSON text, non-ASCII kept; None stays None."""
    return None if value is None else _ENCODER.encode(value)


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _region_values(parsed: Outcome) -> dict[str, Any]:
    region = parsed.region
    division = region.division if region else None
    values: dict[str, Any] = {"region_status": region.status if region else None}
    if division is not None:
        values.update(province=division.province, city=division.city, county=division.county,
                      township=division.township, township_code=division.township_code, region_code=division.code)
    if region is not None and region.status == "ambiguous":
        values["region_candidates"] = to_json(region.as_dict(CANDIDATES_KEPT)["candidates"])
    return values


def _report_values(parsed: Outcome) -> dict[str, Any]:
    """The ``reports`` columns an outcome fills (the plan fills id, path, hash, size, version)."""
    values: dict[str, Any] = {"format": parsed.format, "status": parsed.status, "error_code": parsed.error_code,
                              "error": parsed.error, "unit": parsed.unit}
    report = parsed.report
    if report is None:
        return values
    meta = report.meta
    values.update(template=report.template, agency=meta.agency, year=meta.year, published=_date(meta.published),
                  level=meta.level, meta=to_json(meta.model_dump(mode="json", by_alias=True)))
    values.update(_region_values(parsed))
    values.update(dict.fromkeys(_SEVERITY_COLUMNS.values(), 0))
    for f in report.findings:
        values[_SEVERITY_COLUMNS[f.severity]] += 1
    return values


class _Labels:
    """The labels (``LABELS``) of the distinct cells of a batch, each once, found by table row and column: a batch
    holds the same few hundred cells of every report, so a cell's row costs one lookup instead of five strings."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str | None, str | None, str]] = []
        self._by_row: dict[tuple[str, str | None, str | None], dict[str, int]] = {}

    def of_row(self, table: str, block: str | None, row: str | None, columns: dict[str, Cell]) -> list[int]:
        """The label index of each cell of one table row, in column order."""
        known = self._by_row.setdefault((table, block, row), {})
        try:
            return [known[column] for column in columns]
        except KeyError:
            return [self._index(known, table, block, row, column) for column in columns]

    def _index(self, known: dict[str, int], table: str, block: str | None, row: str | None, column: str) -> int:
        if column not in known:
            known[column] = len(self.rows)
            self.rows.append((cell_key(table, block, row, column), table, block, row, column))
        return known[column]

    def columns(self, indices: list[int]) -> dict[str, pa.Array]:
        """The ``LABELS`` columns, dictionary-encoded, of cells whose labels are at ``indices``."""
        taken = pa.array(indices, pa.int32())
        return {name: pa.array([label[position] for label in self.rows], pa.string()).dictionary_encode().take(taken)
                for position, name in enumerate(LABELS)}


class Batch:
    """Rows of the stored tables, column by column, for one commit."""

    def __init__(self) -> None:
        self.columns: dict[str, dict[str, list[Any]]] = {spec.name: {c.name: [] for c in spec.columns}
                                                          for spec in STORED}
        for name in LABELS:
            del self.columns[CELLS.name][name]
        self.labels = _Labels()
        self.cell_labels: list[int] = []
        self.now = datetime.now()

    def _row(self, table: str, values: dict[str, Any]) -> None:
        for name, column in self.columns[table].items():
            column.append(values.get(name))

    def add(self, plan: Planned, parsed: Outcome | None) -> None:
        """Rows of one input: its outcome from the worker, or None for a duplicate (nothing parsed)."""
        base = {"id": plan.id, "path": plan.path, "sha256": plan.sha256, "size": plan.size, "version": plan.version,
                "is_current": True, "ingested_at": self.now}
        if parsed is None:
            self._row("reports", {**base, "status": "duplicate", "duplicate_of": plan.duplicate_of})
            return
        if parsed.sha256 != plan.sha256:
            parsed = replace(parsed, status="failed", error_code="changed", report=None,
                             error="the file changed while it was being ingested; ingest it again")
        self._row("reports", {**base, **_report_values(parsed)})
        if parsed.report is not None:
            self._add_contents(plan.id, parsed.report)
            self._grids(plan.id, parsed.grids)

    def _add_contents(self, report_id: int, report: Report) -> None:
        self._cells(report_id, report)
        for n, finding in enumerate(report.findings, 1):
            f = finding.model_dump(mode="json")
            self._row("findings", {
                "id": f"{report_id}.{n}", "report_id": report_id, "scope": "report", "rule": f["rule"],
                "severity": f["severity"], "cells": to_json(f["cells"]), "expected": to_json(f["expected"]),
                "actual": to_json(f["actual"]), "message": f["message"], "location": to_json(f.get("at") or [])})
        sections = [(key, text) for key, text in report.sections.items() if text]
        for key, text in sections:
            self._row("sections", {"report_id": report_id, "key": key, "text": text})
        self._derived(report_id, sections)

    def _derived(self, report_id: int, sections: list[tuple[str, str]]) -> None:
        """The rows of what the cross-report audit reads of a report's narrative: its shingles and portals."""
        for table, rows in derived_rows(report_id, sections).items():
            by_column = zip(*rows, strict=True)  # empty when there are no rows
            for column, values in zip(self.columns[table].values(), by_column, strict=False):
                column.extend(values)

    def _cells(self, report_id: int, report: Report) -> None:
        """Every cell as one row (hundreds per report: gathered row by row, then list extends)."""
        cells: list[Cell] = []
        for table, block, row, by_column in table_rows(report):
            self.cell_labels += self.labels.of_row(table, block, row, by_column)
            cells += by_column.values()
        columns = self.columns["cells"]
        columns["report_id"].extend([report_id] * len(cells))
        columns["raw"].extend([cell.raw for cell in cells])
        columns["value"].extend([cell.value for cell in cells])
        columns["location"].extend([_fast_json(cell.at).decode() for cell in cells])
        columns["corrected"].extend([False] * len(cells))
        columns["printed"].extend([None] * len(cells))

    def _grids(self, report_id: int, grids: tuple[Table, ...]) -> None:
        """Every row of the table grids the report's cells were read from, as [text, at] per cell."""
        for number, grid in enumerate(grids):
            for index, cells in enumerate(grid.rows):
                self._row("grid_rows", {"report_id": report_id, "grid": number, "row": index,
                                        "cells": to_json([[cell.text, cell.at] for cell in cells])})

    def to_arrow(self) -> dict[str, pa.Table]:
        """One Arrow table per stored table (an empty one built without converting Python objects)."""
        tables = {}
        for spec in STORED:
            schema, columns = batch_schema(spec), self.columns[spec.name]
            if spec is CELLS and self.cell_labels:
                arrays = {**self.labels.columns(self.cell_labels), **columns}
                tables[spec.name] = pa.Table.from_pydict({f.name: arrays[f.name] for f in schema}, schema=schema)
            elif spec is not CELLS and any(columns.values()):
                tables[spec.name] = pa.Table.from_pydict(columns, schema=schema)
            else:
                tables[spec.name] = pa.Table.from_batches([], schema=schema)
        return tables


def _number(value: float | None) -> int | float | None:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def rows_to_tables(cells: list[dict[str, Any]]) -> Tables:
    """Rows of ``cells`` → 表二, 表三 and 表四 of the contract."""
    tables = Tables()
    for c in cells:
        cell = Cell(raw=c["raw"] or "", value=_number(c["value"]), at=json.loads(c["location"] or "{}"))
        if c["tbl"] == "t2":
            tables.t2.setdefault(c["block"], {}).setdefault(c["row_key"], {})[c["col_key"]] = cell
        elif c["tbl"] == "t3":
            tables.t3.setdefault(c["row_key"], {})[c["col_key"]] = cell
        else:
            tables.t4[c["col_key"]] = cell
    return tables
