"""Registers built from plain rows, as CSV bytes a user could have saved."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

from nianbao.register import Register, read_register_bytes
from nianbao.register.sheets import APPLICATIONS, CASES, FIELDS


def csv_bytes(sheet: str, rows: Iterable[Mapping[str, object]]) -> bytes:
    """One sheet as CSV: the template's headers, then one line per row (missing columns blank)."""
    out = io.StringIO()
    writer = csv.writer(out)
    headers = [f.header for f in FIELDS[sheet]]
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else str(row.get(h)) for h in headers])
    return out.getvalue().encode("utf-8")


def register_of(applications: Iterable[Mapping[str, object]], cases: Iterable[Mapping[str, object]] = ()) -> Register:
    """A register read from two CSV files built from rows."""
    register = read_register_bytes(csv_bytes(APPLICATIONS, applications), "申请.csv")
    return read_register_bytes(csv_bytes(CASES, cases), "复议诉讼.csv", register)
