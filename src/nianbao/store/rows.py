"""Planned inputs + worker outcomes → one batch of Arrow tables (reports, cells, findings, sections).

Knows the row layout of ``tables``; parses nothing and touches no database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pyarrow as pa

from .tables import TABLES

_SEVERITY_COLUMNS = {"error": "n_errors", "warning": "n_warnings", "info": "n_infos"}
_REGION_COLUMNS = ("province", "city", "county", "township", "township_code")


@dataclass(frozen=True, slots=True)
class Planned:
    """An input ingest decided to store: its row id, path, content hash and version."""

    id: int
    path: str
    sha256: str | None
    size: int | None
    version: int
    duplicate_of: int | None = None


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def to_json(value: Any) -> str | None:
    """Compact JSON text, non-ASCII kept; None stays None."""
    return None if value is None else _ENCODER.encode(value)


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


class Batch:
    """Rows of the four tables, column by column, for one commit."""

    def __init__(self) -> None:
        self.columns: dict[str, dict[str, list[Any]]] = {spec.name: {c.name: [] for c in spec.columns}
                                                          for spec in TABLES}
        self.now = datetime.now()

    def _row(self, table: str, values: dict[str, Any]) -> None:
        for name, column in self.columns[table].items():
            column.append(values.get(name))

    def add(self, plan: Planned, outcome: dict[str, Any] | None) -> None:
        """Rows of one input: ``outcome`` of ``parse_input``, or None for a duplicate (nothing parsed)."""
        base = {"id": plan.id, "path": plan.path, "sha256": plan.sha256, "size": plan.size, "version": plan.version,
                "is_current": True, "ingested_at": self.now}
        if outcome is None:
            self._row("reports", {**base, "status": "duplicate", "duplicate_of": plan.duplicate_of})
            return
        if outcome["sha256"] != plan.sha256:
            outcome = {**outcome, "status": "failed", "error_code": "changed", "report": None,
                       "error": "the file changed while it was being ingested; ingest it again"}
        self._row("reports", {**base, **self._report_values(outcome)})
        if outcome["report"] is not None:
            self._add_contents(plan.id, outcome["report"])

    @staticmethod
    def _report_values(outcome: dict[str, Any]) -> dict[str, Any]:
        values = {k: outcome[k] for k in ("format", "status", "error_code", "error", "unit")}
        report, region = outcome["report"], outcome["region"]
        if report is None:
            return values
        meta = report["meta"]
        values.update(template=report["template"], agency=meta["agency"], year=meta["year"],
                      published=_date(meta["published"]), level=meta["level"], meta=to_json(meta))
        values.update({k: region.get(k) for k in _REGION_COLUMNS}, region_code=region.get("code"),
                      region_status=region["status"],
                      region_candidates=to_json(region["candidates"]) if region["status"] == "ambiguous" else None)
        values.update(dict.fromkeys(_SEVERITY_COLUMNS.values(), 0))
        for f in report["findings"]:
            values[_SEVERITY_COLUMNS[f["severity"]]] += 1
        return values

    def _add_contents(self, report_id: int, report: dict[str, Any]) -> None:
        self._cells(report_id, report["tables"])
        for n, f in enumerate(report["findings"], 1):
            self._row("findings", {
                "id": f"{report_id}.{n}", "report_id": report_id, "scope": "report", "rule": f["rule"],
                "severity": f["severity"], "cells": to_json(f["cells"]), "expected": to_json(f["expected"]),
                "actual": to_json(f["actual"]), "message": f["message"], "location": to_json(f.get("at") or [])})
        for key, text in report["sections"].items():
            if text:
                self._row("sections", {"report_id": report_id, "key": key, "text": text})

    def _cells(self, report_id: int, tables: dict[str, Any]) -> None:
        """Every cell of 表二, 表三 and 表四 as one row (hundreds per report: kept to plain appends)."""
        found = [(f"t2.{block}.{row}.{col}", "t2", block, row, col, cell)
                 for block, rows in tables["t2"].items() for row, cols in rows.items() for col, cell in cols.items()]
        found += [(f"t3.{row}.{col}", "t3", None, row, col, cell)
                  for row, cols in tables["t3"].items() for col, cell in cols.items()]
        found += [(f"t4.{col}", "t4", None, None, col, cell) for col, cell in tables["t4"].items()]
        columns = self.columns["cells"]
        columns["report_id"].extend([report_id] * len(found))
        for name, index in (("key", 0), ("tbl", 1), ("block", 2), ("row_key", 3), ("col_key", 4)):
            columns[name].extend([item[index] for item in found])
        columns["raw"].extend([item[5]["raw"] for item in found])
        columns["value"].extend([item[5]["value"] for item in found])
        columns["location"].extend([_ENCODER.encode(item[5]["at"]) for item in found])

    def to_arrow(self) -> dict[str, pa.Table]:
        """One Arrow table per corpus table."""
        return {spec.name: pa.Table.from_pydict(self.columns[spec.name], schema=spec.arrow_schema())
                for spec in TABLES}
