"""Rule id + evidence → Finding, with the message rendered from the catalogue's template.

Used by extraction (structure findings) and audit (rule findings) alike; decides nothing.
"""

from __future__ import annotations

from typing import Any

from .report import Finding
from .schema import catalogue, cell_name

BLANK = "空白（按0计）"
"""How a message shows a blank cell the rules read as 0."""
_NAMED = 10


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def finding(rule_id: str, *, cells: list[str] | None = None, expected: Any = None, actual: Any = None,
            at: list[dict[str, Any]] | None = None, severity: str | None = None, **fields: Any) -> Finding:
    """A Finding for ``rule_id``; ``fields`` fill the message template's placeholders. A ``{where}``
    left unfilled names the finding's cells by their printed labels, never by their keys."""
    rule = catalogue().get(rule_id)
    if "where" not in fields and cells:
        fields["where"] = "、".join(cell_name(k) for k in cells[:_NAMED]) + ("等" if len(cells) > _NAMED else "")
    values = _Blank(expected=_show(expected), actual=_show(actual), **{k: _show(v) for k, v in fields.items()})
    made: dict[str, Any] = {"rule": rule_id, "severity": severity or rule.severity, "cells": list(cells or ()),
                            "expected": expected, "actual": actual, "message": rule.message.format_map(values),
                            "at": list(at or ())}
    return Finding.model_construct(**made)  # built here from the catalogue and the cells: not checked field by field


def _show(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
