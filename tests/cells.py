"""(raw, value) of every cell of a report by dotted key: what a round trip must keep."""

from __future__ import annotations

from nianbao.report import Report


def cells_of(report: Report) -> dict[str, tuple[str, object]]:
    """(raw without whitespace, value) of every cell by dotted key."""
    out: dict[str, tuple[str, object]] = {}
    for block, rows in report.tables.t2.items():
        for row, cols in rows.items():
            for col, cell in cols.items():
                out[f"t2.{block}.{row}.{col}"] = ("".join(cell.raw.split()), cell.value)
    for row, cols in report.tables.t3.items():
        for col, cell in cols.items():
            out[f"t3.{row}.{col}"] = ("".join(cell.raw.split()), cell.value)
    for col, cell in report.tables.t4.items():
        out[f"t4.{col}"] = ("".join(cell.raw.split()), cell.value)
    return out
