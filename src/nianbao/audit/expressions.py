"""Rule expression text → comparison of two sums of cell references, and its evaluation on a report.

The grammar is tiny and safe (no eval): ``term (+|- term)* OP term (+|- term)*`` where a term is
a cell key (``t3.result_total.{c}``), a group (``t3.[t3_outcome_rows].{c}``) or an integer.
An expression is bound once per placeholder binding into flat lists of signed cell keys, so that
evaluating it on a report is one pass over dictionary lookups.
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

Operand = tuple[int, str, bool]
"""(sign, cell key, required): a required key that is absent makes the instance inapplicable;
an absent member of a group is skipped."""


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a comparison: a constant plus signed cell values."""

    constant: int
    operands: tuple[Operand, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    lhs: Side
    op: str
    rhs: Side


def _side(text: str, binding: Mapping[str, str]) -> Side:
    constant, operands = 0, []
    for sign, term in _TERM.findall(text):
        factor = -1 if sign == "-" else 1
        if term.isdigit():
            constant += factor * int(term)
            continue
        key = term.format(**binding) if "{" in term else term
        found = _GROUP.search(key)
        if not found:
            operands.append((factor, key, True))
            continue
        for member in catalogue().groups[found.group(1)]:
            operands.append((factor, key[:found.start()] + member + key[found.end():], False))
    return Side(constant, tuple(operands))


@cache
def bind(expr: str, binding: tuple[tuple[str, str], ...]) -> Comparison:
    """The expression with its placeholders filled and its groups expanded."""
    values = dict(binding)
    for name, value in binding:
        expr = expr.replace("{" + name + "}", value) if "." in name else expr
    for op in _OPS:
        if op in expr:
            left, right = expr.split(op)
            return Comparison(_side(left, values), op, _side(right, values))
    raise ValueError(f"no comparison in rule expression: {expr}")


@dataclass(slots=True)
class Outcome:
    """One evaluated instance: the two sides, the cells read, which were blank, and the verdict;
    ``blank_sides`` names a side all of whose cells were blank (read as 0)."""

    lhs: float
    rhs: float
    keys: list[str]
    blank: list[str]
    holds: bool
    blank_sides: frozenset[str] = frozenset()


def _sum(side: Side, cells: Mapping[str, Cell], keys: list[str], blank: list[str]) -> float | None:
    total: float = side.constant
    for sign, key, required in side.operands:
        cell = cells.get(key)
        if cell is None:
            if required:
                return None
            continue
        keys.append(key)
        if cell.value is None:
            blank.append(key)
        else:
            total += sign * cell.value
    return total


def evaluate(comparison: Comparison, cells: Mapping[str, Cell]) -> Outcome | None:
    """Evaluate one bound instance; None when a cell it requires is absent. An instance whose cells
    are all blank holds (nothing is asserted) but still reports the blank cells it read."""
    keys: list[str] = []
    blank: list[str] = []
    lhs = _sum(comparison.lhs, cells, keys, blank)
    split = (len(keys), len(blank))
    rhs = _sum(comparison.rhs, cells, keys, blank) if lhs is not None else None
    if lhs is None or rhs is None or not keys:
        return None
    blank_sides = frozenset(
        side for side, read, empty, constant in (
            ("lhs", split[0], split[1], comparison.lhs.constant),
            ("rhs", len(keys) - split[0], len(blank) - split[1], comparison.rhs.constant))
        if read and read == empty and not constant)
    if len(blank) == len(keys):
        holds = True
    elif comparison.op == "==":
        holds = abs(lhs - rhs) <= _TOLERANCE
    elif comparison.op == ">=":
        holds = lhs >= rhs - _TOLERANCE
    else:
        holds = lhs <= rhs + _TOLERANCE
    return Outcome(lhs, rhs, keys, blank, holds, blank_sides)
