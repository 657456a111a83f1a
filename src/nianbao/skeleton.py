"""Template + values → Report: a report of the official shape with every cell filled in.

Used to start a new report and by tests and examples to build reports from plain numbers.
"""

from __future__ import annotations

from collections.abc import Mapping

from .report import Cell, Meta, Report, Source, Tables
from .schema import formats

CellValue = int | float | str | None


def _cell(value: CellValue, key: str) -> Cell:
    if value is None:
        return Cell(raw="", value=None, at={"key": key})
    if isinstance(value, str):
        from .values import parse_value

        return Cell(raw=value, value=parse_value(value)[0], at={"key": key})
    return Cell(raw=f"{value:g}" if isinstance(value, float) else str(value), value=value, at={"key": key})


def skeleton(template: str, agency: str | None = None, year: int | None = None,
             values: Mapping[str, CellValue] | None = None, default: CellValue = 0) -> Report:
    """A report of ``template`` whose cells take ``values[key]`` (dotted cell key) or ``default``."""
    values = values or {}
    t2: dict[str, dict[str, dict[str, Cell]]] = {}
    for block in formats().t2[template]:
        for spec in block.rows:
            for col in block.columns:
                key = f"t2.{block.key}.{spec.key}.{col.key}"
                t2.setdefault(block.key, {}).setdefault(spec.key, {})[col.key] = _cell(values.get(key, default), key)
    t3: dict[str, dict[str, Cell]] = {}
    for spec in formats().t3_data_rows(template):
        for col in formats().t3_columns:
            key = f"t3.{spec.key}.{col.key}"
            t3.setdefault(spec.key, {})[col.key] = _cell(values.get(key, default), key)
    t4 = {}
    for col in formats().t4_columns:
        key = f"t4.{col.key}"
        t4[col.key] = _cell(values.get(key, default), key)
    return Report(source=Source(path="", sha256="", format="data"), template=template,
                  meta=Meta(agency=agency, year=year), tables=Tables(t2=t2, t3=t3, t4=t4))
