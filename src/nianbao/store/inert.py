"""Text headed for a spreadsheet (CSV or XLSX) → text a spreadsheet shows and never runs: the OWASP
CSV-injection rule (a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
apostrophe), for Python values and as a DuckDB expression over a text column.

Numbers are left alone: only text can hold a formula.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
_SQL_STARTS = ", ".join(f"chr({ord(c)})" for c in FORMULA_STARTS)


def inert(value: Any) -> Any:
    """``value`` as a spreadsheet cell that cannot be a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return ESCAPE + value
    return value


def inert_sql(column: str) -> str:
    """A DuckDB expression: the text ``column`` made inert as ``inert`` makes it."""
    return (f"CASE WHEN left({column}, 1) IN ({_SQL_STARTS}) THEN '{ESCAPE}{ESCAPE}' || {column} "
            f"ELSE {column} END")
