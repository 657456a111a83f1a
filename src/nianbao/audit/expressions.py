"""Rule expression text → comparison of two sums of cell references, and its evaluation on a report.

The grammar is tiny and safe (no eval): ``term (+|- term)* OP term (+|- term)*`` where a term is
a cell key (``t3.result_total.{c}``), a group (``t3.[t3_outcome_rows].{c}``) or an integer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from ..report import Cell
from ..schema import catalogue

_OPS = ("==", ">=", "<=")
_GROUP = re.compile(r"\[(\w+)\]")
_TERM = re.compile(r"([+-]?)\s*([^\s+-][^\s+]*)")
_TOLERANCE = 1e-6

Term = tuple[int, tuple[str, ...], bool, int]
"""(sign, cell keys, is a group, constant)."""


@dataclass(frozen=True, slots=True)
class Comparison:
    lhs: tuple[Term, ...]
    op: str
    rhs: tuple[Term, ...]


def _term(sign: str, text: str, binding: tuple[tuple[str, str], ...]) -> Term:
    factor = -1 if sign == "-" else 1
    if text.isdigit():
        return factor, (), False, int(text)
    key = text.format(**dict(binding)) if "{" in text else text
    found = _GROUP.search(key)
    if not found:
        return factor, (key,), False, 0
    members = catalogue().groups[found.group(1)]
    return factor, tuple(key[:found.start()] + m + key[found.end():] for m in members), True, 0


@cache
def bind(expr: str, binding: tuple[tuple[str, str], ...]) -> Comparison:
    """The expression with its placeholders filled and its groups expanded."""
    for op in _OPS:
        if op in expr:
            left, right = expr.split(op)
            return Comparison(tuple(_term(s, t, binding) for s, t in _TERM.findall(left)), op,
                              tuple(_term(s, t, binding) for s, t in _TERM.findall(right)))
    raise ValueError(f"no comparison in rule expression: {expr}")


@dataclass(slots=True)
class Outcome:
    """One evaluated instance: the two sides, the cells read, which were blank, and the verdict."""

    lhs: float
    rhs: float
    keys: list[str]
    blank: list[str]
    holds: bool


def _sum(side: tuple[Term, ...], cells: Mapping[str, Cell], keys: list[str], blank: list[str]) -> float | None:
    total = 0.0
    for sign, names, is_group, constant in side:
        total += sign * constant
        found = False
        for key in names:
            cell = cells.get(key)
            if cell is None:
                continue
            found = True
            keys.append(key)
            if cell.value is None:
                blank.append(key)
            else:
                total += sign * cell.value
        if names and not found and not is_group:
            return None
    return total


def evaluate(expr: str, cells: Mapping[str, Cell], binding: dict[str, str]) -> Outcome | None:
    """Evaluate one instance; None when a cell it names is absent. An instance whose cells are all
    blank holds (nothing is asserted) but still reports the blank cells it read."""
    comparison = bind(expr, tuple(binding.items()))
    keys: list[str] = []
    blank: list[str] = []
    lhs = _sum(comparison.lhs, cells, keys, blank)
    rhs = _sum(comparison.rhs, cells, keys, blank)
    if lhs is None or rhs is None or not keys:
        return None
    if len(blank) == len(keys):
        holds = True
    elif comparison.op == "==":
        holds = abs(lhs - rhs) <= _TOLERANCE
    elif comparison.op == ">=":
        holds = lhs >= rhs - _TOLERANCE
    else:
        holds = lhs <= rhs + _TOLERANCE
    return Outcome(lhs, rhs, keys, blank, holds)
