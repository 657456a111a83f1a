"""Rule expression text → comparison of two sums of cell references, its instances, and its evaluation.

The grammar is tiny and safe (no eval): ``term (+|- term)* OP term (+|- term)*`` where a term is
a cell key (``t3.result_total.{c}``), a group (``t3.[t3_outcome_rows].{c}``) or an integer.
An expression is bound once per placeholder binding into flat lists of signed cell keys, so that
evaluating it on a report is one pass over dictionary lookups.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from ..report import Cell
from . import Rule, catalogue, formats

_OPS = ("==", ">=", "<=")
_GROUP = re.compile(r"\[(\w+)\]")
_TERM = re.compile(r"([+-]?)\s*([^\s+-][^\s+]*)")
_TOLERANCE = 1e-6

Operand = tuple[int, str, bool]
"""(sign, cell key, required): a required key that is absent makes the instance inapplicable; an absent
member of a group is skipped when its whole row is absent (a row the report's format does not have), and
makes the instance inapplicable when other cells of its row are there (a cell that could not be read)."""


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a comparison: a constant plus signed cell values."""

    constant: int
    operands: tuple[Operand, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    """A rule's expression bound to cells: two sides compared by ``op`` (``==``, ``>=`` or ``<=``)."""
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
    ``lhs_read`` and ``lhs_blank`` count the cells read and the blank cells of the left side (the first
    of ``keys`` and ``blank``)."""

    comparison: Comparison
    lhs: float
    rhs: float
    keys: list[str]
    blank: list[str]
    holds: bool
    lhs_read: int
    lhs_blank: int

    @property
    def blank_sides(self) -> frozenset[str]:
        """The sides all of whose cells were blank (read as 0), and which add no constant to them."""
        sides = (("lhs", self.lhs_read, self.lhs_blank, self.comparison.lhs.constant),
                 ("rhs", len(self.keys) - self.lhs_read, len(self.blank) - self.lhs_blank,
                  self.comparison.rhs.constant))
        return frozenset(side for side, read, empty, constant in sides if read and read == empty and not constant)


def row_of(key: str) -> str:
    """The row a dotted cell key belongs to (the key without its column)."""
    return key.rpartition(".")[0]


def _sum(side: Side, cells: Mapping[str, Cell], rows: Collection[str], keys: list[str],
         blank: list[str]) -> float | None:
    total: float = side.constant
    get, read = cells.get, keys.append  # bound once: this loop runs for every cell of every rule
    for sign, key, required in side.operands:
        cell = get(key)
        if cell is None:
            if required or row_of(key) in rows:
                return None
            continue
        read(key)
        value = cell.value
        if value is None:
            blank.append(key)
        else:
            total += sign * value
    return total


Read = tuple[float, float, list[str], list[str], bool, int, int]
"""An instance as read, in the order of ``Outcome``'s fields after its comparison: its two sides' totals, the keys of
the cells read, the blank ones among them, whether it holds, and how many cells and blank cells the left side read."""


def _read(comparison: Comparison, cells: Mapping[str, Cell], rows: Collection[str]) -> Read | None:
    """The instance read over ``cells``; None when a cell it needs is absent or it reads none. An instance whose
    cells are all blank holds (nothing is asserted)."""
    keys: list[str] = []
    blank: list[str] = []
    lhs = _sum(comparison.lhs, cells, rows, keys, blank)
    if lhs is None:
        return None
    lhs_read, lhs_blank = len(keys), len(blank)
    rhs = _sum(comparison.rhs, cells, rows, keys, blank)
    if rhs is None or not keys:
        return None
    if len(blank) == len(keys):
        holds = True
    elif comparison.op == "==":
        holds = abs(lhs - rhs) <= _TOLERANCE
    elif comparison.op == ">=":
        holds = lhs >= rhs - _TOLERANCE
    else:
        holds = lhs <= rhs + _TOLERANCE
    return lhs, rhs, keys, blank, holds, lhs_read, lhs_blank


def evaluate(comparison: Comparison, cells: Mapping[str, Cell], rows: Collection[str]) -> Outcome | None:
    """Evaluate one bound instance over ``cells`` (``rows``: the rows they belong to, see ``row_of``);
    None when a cell it needs is absent. An instance whose cells are all blank holds (nothing is
    asserted) but still reports the blank cells it read."""
    read = _read(comparison, cells, rows)
    return None if read is None else Outcome(comparison, *read)


def broken(comparison: Comparison, cells: Mapping[str, Cell], rows: Collection[str],
           blank_cells: set[str]) -> Outcome | None:
    """``evaluate`` of an instance that does not hold; None when it holds or does not apply (no Outcome is made
    then: most instances hold). The blank cells it reads are added to ``blank_cells`` either way."""
    read = _read(comparison, cells, rows)
    if read is None:
        return None
    if read[3]:
        blank_cells.update(read[3])
    return None if read[4] else Outcome(comparison, *read)


def _bindings(rule: Rule, t3_rows: tuple[str, ...]) -> Iterator[dict[str, str]]:
    if not rule.for_each:
        yield {}
        return
    (name, domain), = rule.for_each.items()
    if domain == "t3.columns":
        values = [c.key for c in formats().t3_columns]
    elif domain == "t3.rows":
        values = list(t3_rows)
    else:
        values = list(domain)
    for value in values:
        yield {name: value, "b": value.split(".")[0]} if name == "b.r" else {name: value}


@lru_cache(maxsize=1024)
def instances(rule_id: str, t3_rows: tuple[str, ...]) -> tuple[tuple[str, str, Comparison], ...]:
    """Every bound instance of an expression rule: (placeholder, value, comparison); ``t3_rows`` are the
    表三 rows a ``t3.rows`` placeholder ranges over."""
    rule = catalogue().get(rule_id)
    assert rule.expr is not None
    found = []
    for binding in _bindings(rule, t3_rows):
        name, value = next(iter(binding.items()), ("", ""))
        found.append((name, value, bind(rule.expr, tuple(binding.items()))))
    return tuple(found)
