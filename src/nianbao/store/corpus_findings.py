"""Rule id + reports involved + evidence → CorpusFinding (a Finding that names its reports), and back to rows.

Messages come from the rule catalogue through ``nianbao.findings.finding``; nothing here decides a rule.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from pydantic import Field

from ..findings import finding
from ..report import Finding
from .rows import to_json
from .tables import FINDINGS


class CorpusFinding(Finding):
    """A cross-report finding: the report it is about (none for a missing report), the others involved,
    and the unit and year concerned."""

    report_id: int | None = None
    related: list[int] = Field(default_factory=list)
    unit: str | None = None
    year: int | None = None


def corpus_finding(rule_id: str, report_id: int | None, *, related: list[int] | None = None,
                   unit: str | None = None, year: int | None = None, cells: list[str] | None = None,
                   expected: Any = None, actual: Any = None, at: list[dict[str, Any]] | None = None,
                   **fields: Any) -> CorpusFinding:
    """A CorpusFinding whose message is rendered from the catalogue; ``fields`` fill the template."""
    expected, actual = _number(expected), _number(actual)
    base = finding(rule_id, cells=cells, expected=expected, actual=actual, at=at, unit=unit, year=year, **fields)
    return CorpusFinding.model_construct(**dict(base), report_id=report_id, related=related or [], unit=unit,
                                         year=year)


def _number(value: Any) -> Any:
    """Whole floats (DuckDB's DOUBLE) as ints, so 550.0 reads 550 in messages and JSON."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def findings_table(findings: list[CorpusFinding], first: int = 1) -> pa.Table:
    """Rows of the findings table (scope corpus), numbered from ``first`` in the order given."""
    columns: dict[str, list[Any]] = {c.name: [] for c in FINDINGS.columns}
    for n, f in enumerate(findings, first):
        row = {"id": f"corpus.{n}", "report_id": f.report_id, "scope": "corpus", "rule": f.rule,
               "severity": f.severity, "cells": to_json(f.cells), "expected": to_json(f.expected),
               "actual": to_json(f.actual), "message": f.message, "location": to_json(f.at),
               "related": to_json(f.related), "unit": f.unit, "year": f.year}
        for name, column in columns.items():
            column.append(row[name])
    return pa.Table.from_pydict(columns, schema=FINDINGS.arrow_schema())
