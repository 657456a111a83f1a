"""Rule expression text → comparison of two sums of cell references, and its evaluation on a report.

The grammar is tiny and safe (no eval): ``term (+|- term)* OP term (+|- term)*`` where a term is
a cell key (``t3.result_total.{c}``), a group (``t3.[t3_outcome_rows].{c}``) or an integer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..report import Cell, Report
from ..schema import catalogue

_OPS = ("==", ">=", "<=")
_GROUP = re.compile(r"\[(\w+)\]")
_TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class Comparison:
    lhs: tuple[tuple[int, str], ...]
    op: str
    rhs: tuple[tuple[int, str], ...]


def _side(text: str) -> tuple[tuple[int, str], ...]:
    terms = []
    for sign, term in re.findall(r"([+-]?)\s*([^\s+-][^\s+]*)", text):
        terms.append((-1 if sign == "-" else 1, term))
    return tuple(terms)


@cache
def parse(expr: str) -> Comparison:
    """Split an expression at its comparison operator."""
    for op in _OPS:
        if op in expr:
            left, right = expr.split(op)
            return Comparison(_side(left), op, _side(right))
    raise ValueError(f"no comparison in rule expression: {expr}")


@dataclass(slots=True)
class Outcome:
    """One evaluated instance: the two sides, the cells read, which were blank, and the verdict."""

    lhs: float
    rhs: float
    keys: list[str]
    blank: list[str]
    holds: bool


def _expand(term: str, binding: dict[str, str]) -> list[str]:
    key = term.format(**binding) if "{" in term else term
    found = _GROUP.search(key)
    if not found:
        return [key]
    members = catalogue().groups[found.group(1)]
    return [key[:found.start()] + m + key[found.end():] for m in members]


def _sum(side: tuple[tuple[int, str], ...], report: Report, binding: dict[str, str],
         keys: list[str], blank: list[str]) -> float | None:
    total = 0.0
    for sign, term in side:
        if term.lstrip("-").isdigit():
            total += sign * int(term)
            continue
        expanded = _expand(term, binding)
        cells = [(k, report.cell(k)) for k in expanded]
        present = [(k, c) for k, c in cells if c is not None]
        if not present and len(expanded) == 1:
            return None
        for key, cell in present:
            keys.append(key)
            total += sign * _number(cell, key, blank)
    return total


def _number(cell: Cell, key: str, blank: list[str]) -> float:
    if cell.value is None:
        blank.append(key)
        return 0.0
    return float(cell.value)


def evaluate(expr: str, report: Report, binding: dict[str, str]) -> Outcome | None:
    """Evaluate one instance; None when a cell it names is absent or every cell is blank."""
    comparison = parse(expr)
    keys: list[str] = []
    blank: list[str] = []
    lhs = _sum(comparison.lhs, report, binding, keys, blank)
    rhs = _sum(comparison.rhs, report, binding, keys, blank)
    if lhs is None or rhs is None or not keys or len(set(blank)) == len(set(keys)):
        return None
    if comparison.op == "==":
        holds = abs(lhs - rhs) <= _TOLERANCE
    elif comparison.op == ">=":
        holds = lhs >= rhs - _TOLERANCE
    else:
        holds = lhs <= rhs + _TOLERANCE
    return Outcome(lhs, rhs, keys, blank, holds)
