"""Glued value runs → cells: a row whose values were printed with no separator (``693665``) is split into
the row's columns by the table's own arithmetic, never by guessing.

Every split of the run into the row's columns is enumerated (no leading zeros except a lone 0, a decimal
point only where the column holds amounts, a sign only where it holds signed counts, a blank column
leaving nothing), and only the splits that satisfy the identities of the rule catalogue survive: first the
identities within the row (the 总计 column, 表四's totals, 表二's 现行有效), then, row by row and column by
column, those that tie rows together (一＋二＝（七）＋四, （七）＝Σ outcomes). A row keeps its cells when
exactly one split survives, with an info finding naming the identities used; when several survive, its
cells stay missing with a finding that lists the candidates, except those every surviving split gives the
same text when some choice of the rows' splits satisfies the identities tying them. A table where no such
choice exists breaks its identities somewhere, maybe in the row's own: a split only the row's own
identities single out is then no evidence, and its cells stay missing too; so is a split singled out by
identities many rows of the table have no split for, or break with the cells placed already (a 总计 column left
blank but for a few rows breaks every row's sum; one row's slip does not). A row left unsplit still bounds
the rows summed with it (its counts are not below 0). The search is bounded: a row whose splits cannot be
enumerated in time is left missing too. A row no split of which satisfies its own identities (a slip in the row) is
read by those tying it to other rows, among every split its digits allow: a slip breaks its column's sums too, so the
choices of one split per row kept are those breaking the fewest of them or one more, and the cells every split they
give the row agrees on are read, with a warning naming the identities.

A row whose values were printed apart but whose blank cells vanished (``1  250  1  0  253`` under seven
columns) is the same problem over whole values instead of characters: each printed value takes one column
in order, the blank cells go where the identities allow, and the same findings' counterparts say so. Such rows
are placed by none of the identities the table breaks by its print (a 总计 column left blank), only by those left.
One whose own sums no placement keeps holds a slip, which breaks the identities through its cell too: each of its
cells is supposed in turn to be the slip, the identities through it left out, and the rows tied to it keep the
placements some supposition lets every identity left hold with; not where the cells placed already break an identity
(the table slips elsewhere too, and a placement fitting the identities past the slips supposed proves nothing).
A row no sum ties (表二's blocks of counts) is placed by its column types alone (a sign only where counts are signed, a
decimal only among amounts) when they allow one placement only, and only where its table printed no value apart from
its rows (a value moved elsewhere would look like a vanished blank); where they allow several, the cells every one of
them gives the same text are read (blank and a mark stating nothing alike: ``/  0`` under three columns leaves the
last blank whichever way). So are those of such a row whose sums leave several placements unconfirmed, or none.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..document import TextCell
from ..findings import finding
from ..report import Cell, Finding
from ..schema import catalogue, formats
from ..schema.expressions import Comparison, instances
from ..settings import ExtractSettings
from ..values import parse_value, squash

_NULL = frozenset("无-—－–/")
_UNIT = r"(?<=\d)万?元"
"""An amount's unit printed after it (``4068.208万元``)."""
_GROUP = r"(?<=\d)[,，](?=\d{3})"
"""A thousands separator inside a glued run: a comma before three digits."""
GLUED_RUN = re.compile(rf"(?:[+\d.]|{_GROUP}|[无\-—－–/]|{_UNIT})+")
"""What a run of values printed with no separator holds: digits, thousands separators, a sign or decimal point, marks
of nothing, an amount's unit."""
_SIGNS = frozenset("+-")
_NONZERO = re.compile(r"[1-9]")
_WHOLE = r"(?:0|[1-9]\d{0,2}(?:[,，]\d{3})+|[1-9]\d*)"
"""A whole number as printed: no leading zero, its thousands separators (if any) each before a group of three."""
_PART = {
    "count": re.compile(_WHOLE),
    "signed_count": re.compile(rf"[+-]?{_WHOLE}"),
    "amount": re.compile(rf"{_WHOLE}(?:\.\d+)?(?:{_UNIT})?"),
}

Split = tuple[str, ...]


def fits_type(kind: str, value: str) -> bool:
    """Whether ``value`` may stand in a column of type ``kind``: a mark of nothing anywhere, a number with a decimal
    point or a unit only among amounts, a sign only among signed counts."""
    number, like = parse_value(value)
    if not like or number is None:
        return like
    return kind == "amount" or (isinstance(number, int) and (kind == "signed_count" or value[0] not in _SIGNS))


@dataclass(slots=True)
class Glued:
    """One row printed with glued values: its cell keys and column types in order, the run, where it is."""

    keys: tuple[str, ...]
    types: tuple[str, ...]
    text: str
    where: str
    at: dict[str, Any]
    candidates: list[Split] = field(default_factory=list)
    rules: set[str] = field(default_factory=set)
    overflow: bool = False
    confirmed: bool = False
    """Whether some choice of one split per row satisfies every identity tying this row to others (true of a row
    no identity ties to another whose splits its own sums chose)."""
    doubtful: bool = False
    """Whether no choice of one split per row satisfies the identities tying this row to others: the table
    breaks its identities somewhere, maybe in this row, so a split found by this row's own is no evidence."""
    doubted: Split = ()
    """The one split this row's own identities allowed, when ``doubtful`` or ``broken`` left it unsplit."""
    broken: bool = False
    unequal: bool = False
    """Whether only inequalities singled out the ``doubted`` split: they rule some splits out, never prove one."""
    """Whether many other rows of the table have no split satisfying the identities this row's own sums are
    (a 总计 column left blank breaks them all): a split they single out is then no evidence."""
    tying: set[str] = field(default_factory=set)
    """For a row breaking its own identities, those tying it to other rows that its ``settled`` cells were read by."""
    settled: list[str | None] = field(default_factory=list)
    """Each cell's text where every split the column types allow gives it the same (None where they differ),
    for a glued run whose identities left several splits unconfirmed, or none, and for a run of whole values that are
    surely all its row holds (``own``): the digits, or the values' order, alone decide it."""
    values: tuple[str, ...] | None = None
    """For a row whose blank cells vanished: its printed values, each whole in one column (``text`` shows them);
    none for a row that printed its label alone (every cell blank, wherever the identities allow it)."""
    own: bool = False
    """Whether the row's printed ``values`` are surely all it holds (its table printed no value apart from its rows):
    where no sum ties its cells, the column types alone place them when they allow one placement only."""

    @property
    def gapped(self) -> bool:
        """Whether the row was printed as whole values (``values``), not as a glued run of characters."""
        return self.values is not None


def is_short(cells: list[TextCell], width: int, in_order: bool = False) -> bool:
    """True when a row prints fewer values than its ``width`` columns and no empty cell, all on one line or
    known to be ``in_order`` (``PRINTED_ORDER``): its blank cells vanished, so where they were is not shown.
    Values gathered from several lines otherwise may have been read out of order, or miss one printed
    elsewhere."""
    lines = {cell.at.get("line") for cell in cells}
    return (0 < len(cells) < width and (in_order or len(lines) == 1) and None not in lines
            and all(squash(cell.text) and not cell.merged and not _grid_blank_before(cell) for cell in cells))


def _grid_blank_before(cell: TextCell) -> bool:
    """Whether a grid printed a blank cell just before this one (blanks that positions in aligned text
    suggest, ``column``, are only a reading, which the row's width did not confirm)."""
    return any("column" not in at for at in cell.blank_before)


def gapped_row(keys: tuple[str, ...], types: tuple[str, ...], cells: list[TextCell], where: str,
               at: dict[str, Any]) -> Glued:
    """The row of ``cells`` (see ``is_short``) as a run of whole values for the solver; as a run of characters
    when a reader marked them glued (a run of marks of nothing, ``无//—-``, states no number yet holds cells)."""
    if is_glued(cells):
        return Glued(keys, types, glued_text(cells), where, at)
    values = tuple(squash(cell.text) for cell in cells)
    return Glued(keys, types, "  ".join(values), where, at, values=values)


def is_glued(cells: list[TextCell]) -> bool:
    """True when a reader marked one of the cells as values printed with no separator."""
    return any(cell.at.get("glued") for cell in cells)


def glued_text(cells: list[TextCell]) -> str:
    return "".join(squash(cell.text) for cell in cells)


def _value(raw: str) -> float:
    value = parse_value(raw)[0]
    return float(value) if value is not None else 0.0


@dataclass(frozen=True, slots=True)
class _Identity:
    """One bound rule instance as ``Σ sign·cell + constant OP 0``."""

    rule: str
    terms: tuple[tuple[int, str], ...]
    constant: float
    op: str


def _identity(rule: str, comparison: Comparison) -> _Identity:
    terms = [(sign, key) for sign, key, _ in comparison.lhs.operands]
    terms += [(-sign, key) for sign, key, _ in comparison.rhs.operands]
    return _Identity(rule, tuple(terms), comparison.lhs.constant - comparison.rhs.constant, comparison.op)


def _holds(identity: _Identity, total: float) -> bool:
    if identity.op == "==":
        return abs(total) <= 1e-6
    return total >= -1e-6 if identity.op == ">=" else total <= 1e-6


@lru_cache(maxsize=64)
def _identities(template: str | None, t3_rows: tuple[str, ...]) -> tuple[_Identity, ...]:
    found: list[_Identity] = []
    for rule in catalogue().rules:
        if rule.family != "table" or not rule.expr or (template and template not in rule.templates):
            continue
        found.extend(_identity(rule.id, comparison) for _, _, comparison in instances(rule.id, t3_rows))
    return tuple(found)


def table_holds(values: dict[str, float], template: str | None, t3_rows: tuple[str, ...]) -> bool:
    """Whether cell values (by key) keep each identity of the tables that they give every cell of (``t3_rows`` the rows
    of 表三 printed; a row ``template`` lacks reads as 0)."""
    return not broken_identities(values, template, t3_rows)


def broken_identities(values: dict[str, float], template: str | None, t3_rows: tuple[str, ...]) -> frozenset[int]:
    """The identities (by their place among the tables') that cell values (by key) give every cell of and break
    (``t3_rows`` the rows of 表三 printed; a row ``template`` lacks reads as 0)."""
    known = set(values)
    return frozenset(
        index for index, identity in enumerate(_identities(template, t3_rows)) if _usable(identity, known, template)
        and not _holds(identity, identity.constant + sum(sign * values.get(key, 0.0) for sign, key in identity.terms)))


def _expected_t3(template: str | None) -> frozenset[str]:
    rows = formats().t3_data_rows(template) if template else formats().t3_rows
    return frozenset(f"t3.{r.key}." for r in rows if not r.group)


def _usable(identity: _Identity, known: set[str], template: str | None) -> bool:
    """An identity whose every cell is known (fixed or glued); a group member the template prints but the
    table lacks makes it unusable (its sum would be short)."""
    expected = _expected_t3(template)
    for _, key in identity.terms:
        if key not in known and (not key.startswith("t3.") or key[:key.rindex(".") + 1] in expected):
            return False
    return True


class _RowSearch:
    """Every split of one row's run that satisfies the identities lying within the row.

    A row whose ``total == Σ parts`` identities cut it into consecutive blocks ending in their total (表三's
    总计 column, 表四's three groups) is split block by block: each block's total is cut from its end first,
    and the parts before it may not add up past it."""

    def __init__(self, row: Glued, identities: list[_Identity], fixed: dict[str, float], budget: int,
                 part_max: int) -> None:
        self.row = row
        self.part_max = part_max
        """Longest text one column may take (``glued_part_max_chars``)."""
        self.text = row.text
        self.length = len(row.text)
        """Positions along the run: characters (values for ``_ValueSearch``)."""
        self.columns = {key: i for i, key in enumerate(row.keys)}
        self.checks: list[tuple[_Identity, float, tuple[tuple[int, int], ...]]] = []
        for identity in identities:
            terms = tuple((sign, self.columns[key]) for sign, key in identity.terms if key in self.columns)
            outside = identity.constant + sum(sign * fixed.get(key, 0.0) for sign, key in identity.terms
                                              if key not in self.columns)
            self.checks.append((identity, outside, terms))
        self.blocks = self._blocks([c for c in map(self._sum_check, identities) if c is not None])
        self.fewest: dict[int, list[int]] = {}
        self.memo: dict[tuple[int, int, int], list[Split]] = {}
        self.nodes = 0
        self.budget = budget

    def _sum_check(self, identity: _Identity) -> tuple[int, list[int]] | None:
        """(total column, part columns) of a ``total == Σ parts`` identity over counts of this row alone."""
        if identity.op != "==" or identity.constant or any(
                k not in self.columns or self.row.types[self.columns[k]] == "signed_count" for _, k in identity.terms):
            return None
        negative = [self.columns[k] for s, k in identity.terms if s < 0]
        positive = [self.columns[k] for s, k in identity.terms if s > 0]
        for total, parts in ((positive, negative), (negative, positive)):
            if len(total) == 1 and parts and total[0] > max(parts):
                return total[0], parts
        return None

    def _blocks(self, sums: list[tuple[int, list[int]]]) -> list[tuple[int, int]]:
        """(first, total) column of each block, when the sums tile the row; empty otherwise."""
        blocks, first = [], 0
        for total, parts in sorted(sums):
            if sorted(parts) != list(range(first, total)):
                return []
            blocks.append((first, total))
            first = total + 1
        return blocks if first == len(self.row.keys) else []

    def run(self) -> list[Split] | None:
        """The splits, or None when the search would take more than ``budget`` steps."""
        if self.length > self.part_max * len(self.row.keys):
            return None
        try:
            whole = len(self.row.keys)
            found = self._join(0, 0) if self.blocks else self._cut(0, whole, 0, self.length, None)
        except OverflowError:
            return None
        return [split for split in found if self._holds(split)]

    def _holds(self, split: Split) -> bool:
        values = [_value(part) for part in split]
        return all(_holds(identity, outside + sum(sign * values[i] for sign, i in terms))
                   for identity, outside, terms in self.checks)

    def _join(self, block: int, start: int) -> list[Split]:
        """Splits of the text from ``start`` into the blocks from ``block`` on."""
        if block == len(self.blocks):
            return [()] if start == self.length else []
        found: list[Split] = []
        first, total = self.blocks[block]
        last = block == len(self.blocks) - 1
        reach = min(self.length, start + self.part_max * (total - first + 1))
        for end in [self.length] if last else range(start, reach + 1):
            heads = self._block(block, start, end)
            if heads:
                rest = self._join(block + 1, end)
                found.extend(head + tail for head in heads for tail in rest)
                self._tick(len(heads) * len(rest))
        return found

    def _block(self, block: int, start: int, end: int) -> list[Split]:
        """Splits of ``text[start:end]`` into one block whose total is the sum of its parts."""
        key = (block, start, end)
        if key not in self.memo:
            first, total = self.blocks[block]
            found: list[Split] = []
            for cut, tail in self._tails(total, start, end):
                found.extend((*head, tail) for head in self._cut(first, total - first, start, cut, _value(tail)))
            self.memo[key] = found
        return self.memo[key]

    def _tails(self, column: int, start: int, end: int) -> Iterator[tuple[int, str]]:
        """(cut, text) for each way ``column`` can end the run at ``end``, nothing first."""
        pattern = _PART[self.row.types[column]]
        for cut in range(end, max(start, end - self.part_max) - 1, -1):
            tail = self.text[cut:end]
            if not tail or tail in _NULL or pattern.fullmatch(tail):
                yield cut, tail

    def _cut(self, first: int, count: int, start: int, end: int, target: float | None) -> list[Split]:
        """Splits of ``text[start:end]`` into columns ``first`` … ``first + count - 1``; with ``target``,
        their values add up to it. Ways on from the same column, position and running sum are found once."""
        fewest = self._fewest(end)
        known: dict[tuple[int, int, float], list[Split]] = {}

        def rest(column: int, position: int, partial: float) -> list[Split]:
            key = (column, position, round(partial, 6))
            if key in known:
                return known[key]
            self._tick(1)
            found: list[Split] = []
            left = first + count - column
            if left == 0:
                if position == end and (target is None or abs(partial - target) <= 1e-6):
                    found.append(())
            elif fewest[position] <= left:
                for part in self._parts(column, position, end):
                    value, after = partial + _value(part), position + self._units(part)
                    if target is None or (value <= target + 1e-6 and value + self._most(after, end) >= target - 1e-6):
                        found.extend((part, *tail) for tail in rest(column + 1, after, value))
                self._tick(len(found))
            known[key] = found
            return found

        return rest(first, start, 0.0)

    def _most(self, start: int, end: int) -> float:
        """The most ``text[start:end]`` can add up to however it is split: its digits read as one number (cutting
        digits apart, or a decimal point, only makes less of them)."""
        digits = re.sub(r"\D", "", self.text[start:end])
        return float(digits) if digits else 0.0

    def _tick(self, steps: int) -> None:
        self.nodes += steps
        if self.nodes > self.budget:
            raise OverflowError

    def _units(self, part: str) -> int:
        """How far a part moves along the run."""
        return len(part)

    def _parts(self, column: int, position: int, end: int) -> Iterator[str]:
        text = self.text
        yield ""
        if position >= end:
            return
        signed = self.row.types[column] == "signed_count" and text[position] in _SIGNS
        if text[position] in _NULL:
            yield text[position]
            if not signed:
                return
        pattern = _PART[self.row.types[column]]
        for stop in range(position + 1, min(end, position + self.part_max) + 1):
            if text[stop - 1] in _NULL and not (signed and stop - 1 == position):
                return
            if pattern.fullmatch(text, position, stop):
                yield text[position:stop]

    def _fewest(self, end: int) -> list[int]:
        """For each position before ``end``, the fewest cells the text from there to ``end`` can be cut into."""
        if end in self.fewest:
            return self.fewest[end]
        text = self.text
        fewest = [len(text) + 1] * (end + 1)
        fewest[end] = 0
        types = set(self.row.types)
        signed = "signed_count" in types
        part_max = self.part_max
        for start in range(end - 1, -1, -1):
            if text[start] in _NULL:
                fewest[start] = fewest[start + 1] + 1
                if not (signed and text[start] in _SIGNS):
                    continue
            for stop in range(start + 1, min(end, start + part_max) + 1):
                if text[stop - 1] in _NULL and stop - 1 > start:
                    break
                if any(_PART[kind].fullmatch(text, start, stop) for kind in types):
                    fewest[start] = min(fewest[start], fewest[stop] + 1)
        self.fewest[end] = fewest
        return fewest


class _ValueSearch(_RowSearch):
    """``_RowSearch`` over a row's whole printed values (``Glued.values``): each column takes the next value
    or nothing."""

    def __init__(self, row: Glued, identities: list[_Identity], fixed: dict[str, float], budget: int,
                 part_max: int) -> None:
        super().__init__(row, identities, fixed, budget, part_max)
        self.values = row.values or ()
        self.length = len(self.values)

    def _fits(self, column: int, value: str) -> bool:
        return fits_type(self.row.types[column], value)

    def _units(self, part: str) -> int:
        return 1 if part else 0

    def _tails(self, column: int, start: int, end: int) -> Iterator[tuple[int, str]]:
        yield end, ""
        if end > start and self._fits(column, self.values[end - 1]):
            yield end - 1, self.values[end - 1]

    def _parts(self, column: int, position: int, end: int) -> Iterator[str]:
        yield ""
        if position < end and self._fits(column, self.values[position]):
            yield self.values[position]

    def _fewest(self, end: int) -> list[int]:
        return [end - position for position in range(end + 1)]

    def _most(self, start: int, end: int) -> float:
        return sum(max(_value(value), 0.0) for value in self.values[start:end])


def _search(row: Glued, identities: list[_Identity], fixed: dict[str, float], settings: ExtractSettings
            ) -> _RowSearch:
    kind = _ValueSearch if row.gapped else _RowSearch
    return kind(row, identities, fixed, settings.glued_max_nodes, settings.glued_part_max_chars)


def _contribution(row: Glued, identity: _Identity, split: Split) -> float:
    columns = {key: i for i, key in enumerate(row.keys)}
    return sum(sign * _value(split[columns[key]]) for sign, key in identity.terms if key in columns)


def _sums(sets: list[set[float]], most: int) -> set[float] | None:
    """Every sum of one value from each set (to 6 decimals, added as whole millionths); None past ``most``."""
    total = {0}
    for values in sets:
        scaled = {round(value * _MILLION) for value in values}
        total = {a + b for a in total for b in scaled}
        if len(total) > most:
            return None
    return {value / _MILLION for value in total}


_MILLION = 1_000_000


Parts = dict[tuple[int, int, Split], float]
"""What a split of a row adds to an identity, by (row, identity, split): found once however often asked."""


def _propagate(rows: list[Glued], cross: list[tuple[_Identity, list[Glued], float]], settings: ExtractSettings,
               parts: Parts | None = None) -> None:
    """Drop each split that no choice of the other rows' splits can make an identity hold for."""
    most = settings.glued_max_sums
    parts = {} if parts is None else parts

    def part(row: Glued, identity: _Identity, split: Split) -> float:
        key = (id(row), id(identity), split)
        if key not in parts:
            parts[key] = round(_contribution(row, identity, split), 6)
        return parts[key]

    for _ in range(settings.glued_rounds):
        changed = False
        for identity, members, outside in cross:
            options = [{part(r, identity, s) for s in r.candidates} for r in members]
            if not all(options):
                return
            fits = _fitting(identity, outside, options, most)
            for i, row in enumerate(members):
                if fits is None:
                    others = _sums(options[:i] + options[i + 1:], most)
                    if others is None:
                        continue
                    allowed = {value for value in options[i] if _completes(identity, outside + value, others)}
                else:
                    allowed = fits[i]
                if len(allowed) < len(options[i]):
                    row.candidates = [split for split in row.candidates if part(row, identity, split) in allowed]
                    options[i] = set(allowed)
                    changed = True
                    if not allowed:
                        return
        if not changed:
            return


def _fitting(identity: _Identity, outside: float, options: list[set[float]], most: int) -> list[set[float]] | None:
    """For each member of an identity, the parts of its ``options`` that some choice of the others' completes: found
    from the sums of the members before it and after it (as whole millionths); None when those are too many."""
    if identity.op != "==":
        low, high = sum(min(o) for o in options), sum(max(o) for o in options)
        return [{v for v in values if _completes(identity, outside + v, {low - min(values), high - max(values)})}
                for values in options]
    before, after = _running(options, most), _running(options[::-1], most)
    if before is None or after is None:
        return None
    after.reverse()
    target = -round(outside * _MILLION)
    return [{value for value in values if any(target - round(value * _MILLION) - p in after[i + 1] for p in before[i])}
            for i, values in enumerate(options)]


def _running(options: list[set[float]], most: int) -> list[set[int]] | None:
    """The sums (as whole millionths) of one value from each of the first 0, 1, … ``options``; None past ``most``."""
    sums = [{0}]
    for values in options:
        scaled = {round(value * _MILLION) for value in values}
        sums.append({a + b for a in sums[-1] for b in scaled})
        if len(sums[-1]) > most:
            return None
    return sums


def _completes(identity: _Identity, own: float, others: set[float]) -> bool:
    """Whether ``identity`` holds, with ``own`` the part of one row (and the cells placed) in it, for some sum
    ``others`` of the other rows' parts."""
    if identity.op == "==":
        return round(-own, 6) in others
    return own + max(others) >= -1e-6 if identity.op == ">=" else own + min(others) <= 1e-6


_FAILED = float("inf")
"""The running sum of an identity an assignment already breaks (``_joint`` with slack)."""


def _joint(rows: list[Glued], cross: list[tuple[_Identity, list[Glued], float]], budget: int,
           first_only: bool = False, slack: int = 0) -> list[set[Split]] | None:
    """For each row, the splits that take part in some assignment satisfying every identity but at most ``slack``
    (with ``first_only``, only whether one exists: non-empty sets when it does); None when the search is too large.
    The splits of a row that move every identity alike (``000`` cut any way) are chosen as one; rows are chosen
    fewest such choices first; an identity fails as soon as the rows still to choose cannot make it hold, a branch
    ends once more than ``slack`` have failed, and the ways on from one row with the same running sums and failures
    are searched once."""
    alike = {id(row): _alike(row, cross) for row in rows}
    by_input = rows
    rows = sorted(rows, key=lambda r: len(r.candidates))
    order = {id(r): i for i, r in enumerate(rows)}
    choices = [list(alike[id(r)].values()) for r in rows]
    share = [[[0.0] * len(choices[k]) for k in range(len(rows))] for _ in cross]
    low = [[0.0] * (len(rows) + 1) for _ in cross]
    high = [[0.0] * (len(rows) + 1) for _ in cross]
    touching: list[list[int]] = [[] for _ in rows]
    keys = [list(alike[id(r)]) for r in rows]
    for i, (_, members, _) in enumerate(cross):
        for row in members:
            k = order[id(row)]
            share[i][k] = [key[len(touching[k])] for key in keys[k]]
            touching[k].append(i)
        for k in range(len(rows) - 1, -1, -1):
            low[i][k] = low[i][k + 1] + min(share[i][k], default=0.0)
            high[i][k] = high[i][k + 1] + max(share[i][k], default=0.0)
    closing: list[list[int]] = [[] for _ in rows]
    for i, (_, members, _) in enumerate(cross):
        closing[max(order[id(row)] for row in members)].append(i)
    used: list[set[Split]] = [set() for _ in rows]
    known: dict[tuple[int, tuple[float, ...], int], bool] = {}
    nodes = 0

    def feasible(i: int, k: int, now: float) -> bool:
        op = cross[i][0].op
        if op == "==":
            return now + low[i][k + 1] <= 1e-6 and now + high[i][k + 1] >= -1e-6
        return now + high[i][k + 1] >= -1e-6 if op == ">=" else now + low[i][k + 1] <= 1e-6

    def search(k: int, running: tuple[float, ...], failed: int) -> bool:
        """Whether the rows from ``k`` on can complete an assignment from these running sums and failures (found
        once per row, sums and failures); records the splits of row ``k`` that do."""
        nonlocal nodes
        if k == len(rows):
            if first_only:
                raise StopIteration
            return True
        state = (k, running, failed)
        if state in known:
            return known[state]
        done = False
        for c, splits in enumerate(choices[k]):
            nodes += 1
            if nodes > budget:
                raise OverflowError
            moved, now = list(running), failed
            for i in touching[k]:
                if moved[i] != _FAILED:
                    moved[i] = round(moved[i] + share[i][k][c], 6)
                    if not feasible(i, k, moved[i]):
                        moved[i], now = _FAILED, now + 1
            if now > slack:
                continue
            for i in closing[k]:
                moved[i] = 0.0  # the identity is settled and no row still to choose moves it
            if search(k + 1, tuple(moved), now):
                used[k].update(splits)
                done = True
        known[state] = done
        return done

    try:
        search(0, tuple(round(outside, 6) for _, _, outside in cross), 0)
    except OverflowError:
        return None
    except StopIteration:  # first_only: one assignment exists
        return [{row.candidates[0]} for row in by_input]
    return [used[order[id(r)]] for r in by_input]


def _alike(row: Glued, cross: list[tuple[_Identity, list[Glued], float]]) -> dict[tuple[float, ...], list[Split]]:
    """The row's splits by what they add to each identity tying it to other rows, in the order of ``cross``."""
    columns = {key: i for i, key in enumerate(row.keys)}
    ties = [[(sign, columns[key]) for sign, key in identity.terms if key in columns]
            for identity, members, _ in cross if row in members]
    grouped: dict[tuple[float, ...], list[Split]] = {}
    for split in row.candidates:
        values = [_value(part) for part in split]
        moves = tuple(round(sum(sign * values[column] for sign, column in tie), 6) for tie in ties)
        grouped.setdefault(moves, []).append(split)
    return grouped


def solve(rows: list[Glued], fixed: dict[str, Cell], template: str | None, settings: ExtractSettings,
          t3_rows: tuple[str, ...] = ()) -> tuple[dict[str, Cell], list[Finding]]:
    """Cells of the glued rows whose split the identities leave unique, and a finding for every row."""
    known = set(fixed) | {key for row in rows for key in row.keys}
    values = {key: _value(cell.raw) for key, cell in fixed.items()}
    owner = {key: row for row in rows for key in row.keys}
    cross: list[tuple[_Identity, list[Glued], float]] = []
    inside: dict[int, list[_Identity]] = {}
    printed: list[_Identity] = []
    for identity in _identities(template, t3_rows):
        members = list({id(owner[k]): owner[k] for _, k in identity.terms if k in owner}.values())
        if not members and all(key in fixed for _, key in identity.terms):
            printed.append(identity)
        if not members or not _usable(identity, known, template):
            continue
        if len(members) == 1:
            inside.setdefault(id(members[0]), []).append(identity)
        else:
            outside = identity.constant + sum(sign * values.get(key, 0.0) for sign, key in identity.terms
                                              if key not in owner)
            cross.append((identity, members, outside))
    summed: set[int] = set()
    for identity in [*(i for own in inside.values() for i in own), *(i for i, _, _ in cross)]:
        if identity.op == "==":
            summed.update(id(owner[k]) for _, k in identity.terms if k in owner)
    for row in rows:
        if row.gapped and id(row) not in summed:
            row.candidates = _by_types(row, settings) if row.own else []
            continue  # no sum ties its cells: a value moved elsewhere would look like a vanished blank
        own = inside.get(id(row), [])
        found = _search(row, own, values, settings).run()
        row.overflow = found is None
        row.candidates = found or []
        row.rules = {identity.rule for identity in own}
    broken = _broken_rules(rows, settings.glued_broken_share, printed, fixed, values)
    slipped = _slipped_rules(rows)
    left_blank = _searched_without(rows, inside, broken, values, settings)
    if left_blank:
        cross = [item for item in cross if not any(key in left_blank for _, key in item[0].terms)]
    for row in rows:
        row.broken = bool(row.candidates and row.rules & broken)
    alone = {id(row): list(row.candidates) for row in rows}
    linked = _link_past_slips(rows, inside, cross, settings, any(
        not _holds(identity, identity.constant + sum(sign * values[key] for sign, key in identity.terms))
        for identity in printed))
    if linked is None:
        bound = [item for item in map(_without_unsplit, cross) if item is not None]
        linked = [row for row in rows if any(row in members for _, members, _ in bound)]
        if linked:
            _link(linked, bound, alone, settings)
    tied = {id(row) for row in linked}
    _unsum(rows, cross, settings)
    for row in rows:  # a row no identity ties to another stands on its own sums (an inequality is no evidence)
        row.broken = row.broken or bool(id(row) not in tied and row.candidates and row.rules & slipped)
        row.confirmed = row.confirmed or (id(row) not in tied and any(i.op == "==" for i in inside.get(id(row), [])))
        if len(row.candidates) == 1 and row.rules and not row.gapped:
            plain = _RowSearch(row, [], {}, settings.glued_format_nodes, settings.glued_part_max_chars).run()
            row.rules = set() if plain is not None and len(plain) == 1 else row.rules
        row.candidates = _same_values(row.candidates)
        if (row.doubtful or row.broken) and len(row.candidates) == 1 and row.rules:
            row.doubted, row.candidates = row.candidates[0], []
        if len(row.candidates) == 1 and row.rules and not row.confirmed and id(row) not in tied:
            _unless_inequalities_decide(row, settings)
        row.confirmed = row.confirmed and not row.broken
        unsettled = (len(row.candidates) > 1 and not row.confirmed) or not (row.candidates or row.overflow)
        if unsettled and not ((row.gapped and not row.own) or row.tying):
            plain = _search(row, [], {}, settings).run()
            row.settled = _agreed(plain) if plain else []
    return _outcome(rows, settings.glued_shown)


def _unsum(rows: list[Glued], cross: list[tuple[_Identity, list[Glued], float]], settings: ExtractSettings) -> None:
    """Glued rows that break their own identities (no split satisfies them: a slip in the row), read by the
    identities tying them to other rows, among every split their digits allow: a slip breaks its column's sums too,
    so the assignments of one split per row kept are those breaking the fewest (``_fewest_broken``). The cells every
    split those assignments use agrees on are ``settled``; the rows' other splits stay as they were."""
    unsplit = [row for row in rows if not (row.candidates or row.overflow or row.gapped) and row.rules
               and any(row in members for _, members, _ in cross)]
    if not unsplit:
        return
    before = {id(row): row.candidates for row in rows}
    digits: dict[int, list[str | None]] = {}
    for row in unsplit:
        row.candidates = _search(row, [], {}, settings).run() or []
        digits[id(row)] = _agreed(row.candidates) if row.candidates else []
    bound = [item for item in map(_without_unsplit, cross) if item is not None]
    linked = [row for row in rows if any(row in members for _, members, _ in bound)]
    used = _fewest_broken(linked, bound, settings)
    for row in rows:
        row.candidates = before[id(row)]
    for row in unsplit:
        splits = list(used[linked.index(row)]) if used and row in linked else []
        settled = _agreed(splits) if splits else []
        if _decided(settled) > _decided(digits[id(row)]):  # else the digits alone decide as much
            row.settled = settled
            row.tying = {identity.rule for identity, members, _ in bound if row in members}


def _decided(settled: list[str | None]) -> int:
    return sum(part is not None for part in settled)


def _fewest_broken(rows: list[Glued], cross: list[tuple[_Identity, list[Glued], float]], settings: ExtractSettings
                   ) -> list[set[Split]] | None:
    """For each row, the splits used by some assignment breaking at most one identity more than the fewest any
    assignment breaks (at most ``glued_slack``): a wrong split may happen to keep an identity the table breaks, so
    the assignments breaking one more stay in; None when none is found within the search's steps."""
    for slack in range(settings.glued_slack + 1):
        found = _joint(rows, cross, settings.glued_joint_nodes, first_only=True, slack=slack)
        if found is None:
            return None
        if any(found):
            return _joint(rows, cross, settings.glued_joint_nodes, slack=slack + 1)
    return None


def _by_types(row: Glued, settings: ExtractSettings) -> list[Split]:
    """The one placement of a row of whole values that the column types allow (a sign only in a column of signed
    counts, a decimal only in one of amounts), marks of nothing moved as ``_same_values`` moves them; none when
    they allow several."""
    found = _same_values(_search(row, [], {}, settings).run() or [])
    return found if len(found) == 1 else []


def _unless_inequalities_decide(row: Glued, settings: ExtractSettings) -> None:
    """A row whose one split only inequalities single out (``现行有效`` not below ``本年制发``) among several its print
    allows: a report that breaks one, as reports do, would be read wrong by it, so the split is only ``doubted``
    (the cells every split agrees on are read)."""
    plain = _search(row, [], {}, settings).run()
    if plain is not None and len(_same_values(plain)) > 1:
        row.doubted, row.candidates, row.unequal = row.candidates[0], [], True


def _broken_rules(rows: list[Glued], share: float, printed: list[_Identity], fixed: dict[str, Cell],
                  values: dict[str, float]) -> set[str]:
    """The identities that several rows, and at least ``share`` of the rows they check, have no split
    for, among the rows printing a number other than 0 (any placement of zeros and blanks keeps a sum): the
    table breaks them by its print (a 总计 column left blank), not by one row's slip. The ``printed``
    identities, whose every cell was placed already, count as their cells hold them."""
    telling = [row for row in rows if _NONZERO.search(row.text) and not row.overflow]
    kept: Counter[str] = Counter(rule for row in telling if row.candidates for rule in row.rules)
    failed: Counter[str] = Counter(rule for row in telling if not row.candidates for rule in row.rules)
    for identity in printed:
        if any(_NONZERO.search(fixed[key].raw) for _, key in identity.terms):
            total = identity.constant + sum(sign * values[key] for sign, key in identity.terms)
            (kept if _holds(identity, total) else failed)[identity.rule] += 1
    return {rule for rule, count in failed.items() if count > 1 and count >= share * (count + kept[rule])}


def _slipped_rules(rows: list[Glued]) -> set[str]:
    """The identities some row printing a number other than 0 has no split for: the report breaks them at least
    once, so a split only they single out in a row no other identity ties may fit them by chance (the row's own
    slip moved digits into another split that adds up); such a split is not taken."""
    return {rule for row in rows if _NONZERO.search(row.text) and not row.overflow and not row.candidates
            for rule in row.rules}


def _searched_without(rows: list[Glued], inside: dict[int, list[_Identity]], broken: set[str],
                      fixed: dict[str, float], settings: ExtractSettings) -> set[str]:
    """Rows of whole values checked by identities the table breaks by its print (a 总计 column left blank breaks
    every row's sum), searched again by the identities left to them, whether or not some placement fits the broken
    ones (``2  0  —  0  无  2`` fits the row sum with its last 2 as 总计, though the 总计 is the column left blank):
    what a broken identity singles out is no evidence. Returns the keys of the cells those broken identities sum
    into (the column left blank), which no identity can check any more. The rows tied to others are then placed by
    the identities tying them, as any row is."""
    left_blank: set[str] = set()
    for row in rows:
        own = inside.get(id(row), [])
        kept = [identity for identity in own if identity.rule not in broken]
        if not row.gapped or row.overflow or len(kept) == len(own):
            continue  # a glued run splits too many ways without its row's sums to search again
        found = _search(row, kept, fixed, settings).run()
        if found:
            row.candidates, row.rules = found, {identity.rule for identity in kept}
            left_blank |= {key for identity in own if identity.rule in broken for key in _sum_keys(identity)}
    return left_blank


def _sum_keys(identity: _Identity) -> set[str]:
    """The cell an identity ``total == Σ parts`` sums into: its one term of a sign no other term has."""
    signs = Counter(sign for sign, _ in identity.terms)
    return {key for sign, key in identity.terms if signs[sign] == 1 and len(identity.terms) > 2}


def _same_values(candidates: list[Split]) -> list[Split]:
    """The candidates as one when they state the same number in every cell and differ only in where a mark
    stating nothing (无, a dash) stands: every placement says the same, so a cell whose mark moves is read
    blank. Unchanged otherwise."""
    if len(candidates) < 2 or len({tuple(parse_value(part)[0] for part in split) for split in candidates}) > 1:
        return candidates
    return [tuple(parts[0] if len(set(parts)) == 1 else "" for parts in zip(*candidates, strict=True))]


def _without_unsplit(item: tuple[_Identity, list[Glued], float]) -> tuple[_Identity, list[Glued], float] | None:
    """An identity tying rows, as it binds the rows that have splits: rows left unsplit hold counts (never
    below 0) whose sum is unknown, so an equality whose unknown terms all have one sign still bounds the
    rest; None when nothing is left to check."""
    identity, members, outside = item
    known = [member for member in members if member.candidates]
    if len(known) == len(members):
        return item
    unknown = {key for member in members if not member.candidates for key in member.keys}
    types = {key: kind for member in members for key, kind in zip(member.keys, member.types, strict=True)}
    signs = {sign for sign, key in identity.terms if key in unknown}
    if (identity.op != "==" or len(signs) != 1 or not known
            or any(types[key] == "signed_count" for _, key in identity.terms if key in unknown)):
        return None
    op = "<=" if signs == {1} else ">="
    return _Identity(identity.rule, identity.terms, identity.constant, op), known, outside


def _slipped(rows: list[Glued], inside: dict[int, list[_Identity]], tied: set[int], settings: ExtractSettings
             ) -> list[Glued]:
    """The rows of whole values, ``tied`` to others, no placement of which keeps their own sums though they print a
    number other than 0: one of their numbers was misprinted (a slip), so their own sums are no evidence; each comes
    with every placement its print allows (none at all when one has too many to list)."""
    found: list[Glued] = []
    for row in rows:
        sums = [identity for identity in inside.get(id(row), []) if identity.op == "=="]
        if (not row.gapped or id(row) not in tied or row.candidates or row.overflow or not sums
                or not _NONZERO.search(row.text)):
            continue
        free = _search(row, [], {}, settings).run()
        if not free:
            _unslipped(found)
            return []
        row.candidates = free
        found.append(row)
    return found


Tie = tuple[_Identity, list[Glued], float]
"""An identity tying rows: the rows it holds and the part of the cells placed already."""


def _link_past_slips(rows: list[Glued], inside: dict[int, list[_Identity]], cross: list[Tie],
                     settings: ExtractSettings, slips_printed: bool) -> list[Glued] | None:
    """The rows tied to others, placed past rows whose own sums a slip broke (``_slipped``): a slip breaks the
    identities through its cell too, and which cell it is the print does not say, so each cell of each slipped row is
    supposed in turn to be the slip, the identities through it left out. A row keeps the placements some choice of
    one per row makes every identity left hold under some supposition; supposing no slip in the other rows, as
    ``_link`` does. None (every row as it was) when no row slipped, more than ``glued_slips`` did, the cells placed
    already break an identity (``slips_printed``: the table slips in other rows too, and a placement fitting the
    identities past the slips supposed proves nothing), or no supposition lets the identities hold: the rows are then
    linked as ever."""
    slipped = _slipped(rows, inside, {id(row) for _, members, _ in cross for row in members}, settings)
    if not slipped or len(slipped) > settings.glued_slips or slips_printed:
        _unslipped(slipped)
        return None
    cross = [item for item in map(_without_unsplit, cross) if item is not None]
    linked = [row for row in rows if any(row in members for _, members, _ in cross)]
    start = {id(row): list(row.candidates) for row in linked}
    suspect = {key for row in slipped for key in row.keys}
    _propagate(linked, [item for item in cross if not any(key in suspect for _, key in item[0].terms)], settings)
    used = _past_slips(linked, cross, slipped, settings) if all(row.candidates for row in linked) else None
    for row in linked:
        row.candidates = [split for split in start[id(row)] if split in used[id(row)]] if used else start[id(row)]
    if not used:
        _unslipped(slipped)
        return None
    for row in linked:
        row.confirmed = True
        tying = {identity.rule for identity, members, _ in cross if row in members}
        if any(row is slip for slip in slipped):
            row.rules = tying  # its own sums do not hold
        elif len(start[id(row)]) > 1:
            row.rules |= tying
    return linked


def _past_slips(linked: list[Glued], cross: list[Tie], slipped: list[Glued], settings: ExtractSettings
                ) -> dict[int, set[Split]] | None:
    """By row, the splits some choice of one per row keeps every identity with under some supposition of which cells
    of the ``slipped`` rows are the slips, the identities through them left out; None when no supposition lets every
    identity left hold, or a search is too large to tell (it proves nothing)."""
    used: dict[int, set[Split]] = {id(row): set() for row in linked}
    common = [list(row.candidates) for row in linked]
    bounds = _bounds(cross, slipped, settings)
    for slips in itertools.product(*(row.keys for row in slipped)):
        kept = [item for item in cross if not any(key in slips for _, key in item[0].terms)]
        for row, candidates in zip(linked, common, strict=True):
            row.candidates = list(candidates)
        for row in slipped:
            checks = [(identity, outside, others) for identity, outside, bound, others in bounds
                      if bound is row and not any(key in slips for _, key in identity.terms)]
            row.candidates = [split for split in row.candidates if all(
                _completes(identity, outside + _contribution(row, identity, split), others)
                for identity, outside, others in checks)]
        quick = _joint(linked, kept, settings.glued_joint_nodes, first_only=True) if all(
            row.candidates for row in slipped) else []
        if quick is not None and not any(quick):
            continue  # no choice keeps them: the search ended within its bound
        _propagate(linked, kept, settings)
        if not all(row.candidates for row in linked):
            continue
        found = _joint(linked, kept, settings.glued_joint_nodes)
        if found is None:
            return None
        for row, splits in zip(linked, found, strict=True):
            used[id(row)] |= splits
    return used if all(used.values()) else None


def _bounds(cross: list[Tie], slipped: list[Glued], settings: ExtractSettings
            ) -> list[tuple[_Identity, float, Glued, set[float]]]:
    """For each identity holding one slipped row among its members, what the other members' splits can add up to
    (where few enough sums): a supposition's slipped row keeps only the splits those sums complete."""
    bounds = []
    for identity, members, outside in cross:
        inside = [row for row in members if row in slipped]
        if len(inside) != 1:
            continue
        others = _sums([{round(_contribution(row, identity, split), 6) for split in row.candidates}
                        for row in members if row is not inside[0]], settings.glued_max_sums)
        if others:
            bounds.append((identity, outside, inside[0], others))
    return bounds


def _unslipped(slipped: list[Glued]) -> None:
    """Leave the slipped rows unplaced again."""
    for row in slipped:
        row.candidates = []


def _link(rows: list[Glued], cross: list[tuple[_Identity, list[Glued], float]], alone: dict[int, list[Split]],
          settings: ExtractSettings) -> None:
    """Narrow the rows' splits by the identities that tie them together. Propagation only drops splits no
    assignment can use, so what it leaves holds the true split as soon as one assignment satisfies every
    identity; when none is found each row keeps the splits its own identities allowed, and when none exists
    (the table breaks an identity, not a search too large) the rows are ``doubtful``."""
    _propagate(rows, cross, settings)
    budget = settings.glued_joint_nodes
    emptied = not all(row.candidates for row in rows)
    found = None if emptied else _joint(rows, cross, budget, first_only=True)
    shaved = found is None and not emptied
    if shaved:  # too large to search as it stands: narrowed first
        emptied = not _shave(rows, cross, settings)
        found = None if emptied else _joint(rows, cross, budget, first_only=True)
    if not found or not any(found):
        for row in rows:
            row.candidates = alone[id(row)]
            row.doubtful = emptied or found is not None
        kept = _keepable(cross, settings) if emptied or found is not None else cross
        if len(kept) < len(cross):
            _link_kept(rows, kept, alone, settings)
        return
    used = _joint(rows, cross, budget) if any(len(row.candidates) > 1 for row in rows) else None
    if used is None and not shaved:
        _shave(rows, cross, settings)  # a solution exists: no row empties
    for i, row in enumerate(rows):
        row.confirmed = True
        if used is not None:
            row.candidates = [split for split in row.candidates if split in used[i]]
        if len(alone[id(row)]) > 1:
            row.rules |= {identity.rule for identity, members, _ in cross if row in members}


def _shave(rows: list[Glued], cross: list[Tie], settings: ExtractSettings) -> bool:
    """Drop each split of a row whose choice leaves another row no split once the identities are propagated
    (``_propagate``): no assignment satisfying every identity uses it. Splits moving every identity alike are tried
    once; at most ``glued_shave_tries`` tries in all. False when a row is left no split: no assignment exists."""
    tries = settings.glued_shave_tries
    parts: Parts = {}
    changed = True
    while changed and tries > 0:
        changed = False
        for row in rows:
            groups = list(_alike(row, cross).values())
            if len(groups) < 2:
                continue
            kept: list[Split] = []
            for splits in groups:
                tries -= 1
                if tries < 0 or _possible(rows, cross, row, splits, settings, parts):
                    kept += splits
            if len(kept) < len(row.candidates):
                row.candidates, changed = kept, True
                _propagate(rows, cross, settings, parts)
                if not all(r.candidates for r in rows):
                    return False
    return True


def _possible(rows: list[Glued], cross: list[Tie], row: Glued, splits: list[Split], settings: ExtractSettings,
              parts: Parts) -> bool:
    """Whether every row keeps some split once ``row`` takes one of ``splits`` and the identities are propagated."""
    saved = [r.candidates for r in rows]
    row.candidates = splits
    _propagate(rows, cross, settings, parts)
    possible = all(r.candidates for r in rows)
    for r, candidates in zip(rows, saved, strict=True):
        r.candidates = candidates
    return possible


def _keepable(cross: list[Tie], settings: ExtractSettings) -> list[Tie]:
    """The identities tying rows that some choice of their rows' splits keeps, among every split their print allows
    (a row's own sums may be what a slip broke): the others the print breaks whatever the splits (a column whose
    printed cells do not add up), so they tell nothing about them. An identity whose choices are too many to list or
    add up counts as keepable."""
    plain: dict[int, list[Split] | None] = {}
    kept = []
    for identity, members, outside in cross:
        for row in members:
            if id(row) not in plain:
                plain[id(row)] = _search(row, [], {}, settings).run()
        splits = [plain[id(row)] for row in members]
        sums = None if any(found is None for found in splits) else _sums(
            [{round(_contribution(row, identity, split), 6) for split in found or []}
             for row, found in zip(members, splits, strict=True)], settings.glued_max_sums)
        if sums is None or any(_holds(identity, outside + total) for total in sums):
            kept.append((identity, members, outside))
    return kept


def _link_kept(rows: list[Glued], kept: list[Tie], alone: dict[int, list[Split]], settings: ExtractSettings) -> None:
    """``_link`` by the identities the print can keep (``_keepable``), when it breaks the others whatever the splits:
    a row none of them ties stays ``doubtful`` with the splits its own identities allowed."""
    tied = [row for row in rows if any(row in members for _, members, _ in kept)]
    for row in tied:
        row.doubtful = False
    if tied:
        _link(tied, kept, alone, settings)


_RULES = {False: ("S.glued_split", "S.glued_ambiguous", "S.glued_unsplit", "S.glued_partly"),
          True: ("S.blanks_placed", "S.blanks_ambiguous", "S.blanks_unplaced", "S.blanks_partly")}
"""Finding rules for a row that is split, left ambiguous, left unsplit, or whose surviving splits agree on some of
its cells: glued runs, then runs of whole values."""
_BY_FORM = {False: "多位数不以0开头的写法", True: "各列可填数据的写法（负数只填增减列，小数只填金额列）"}
"""What places a row that no identity checks: how numbers are written, for a glued run; what each column admits, for
a run of whole values."""
_UNKNOWN = "？"
"""How a finding shows a cell the surviving splits disagree on."""


def _outcome(rows: list[Glued], most_shown: int) -> tuple[dict[str, Cell], list[Finding]]:
    cells: dict[str, Cell] = {}
    findings: list[Finding] = []
    titles = {rule.id: rule.title for rule in catalogue().rules}
    for row in rows:
        split_rule, ambiguous_rule, unsplit_rule, partly_rule = _RULES[row.gapped]
        counts: dict[str, Any] = {"found": len(row.values), "width": len(row.keys)} if row.values is not None else {}
        shown = [_show(split) for split in row.candidates[:most_shown]]
        agreed = _agreed(row.candidates) if len(row.candidates) > 1 and row.confirmed else row.settled
        if len(row.candidates) == 1:
            cells.update(_cells(row, row.candidates[0]))
            if row.values == ():
                continue  # a row printing nothing is blank, as a row of blank cells is: nothing to note
            rules = "、".join(titles[r] for r in sorted(row.rules)) or _BY_FORM[row.gapped]
            findings.append(finding(split_rule, cells=list(row.keys), actual=row.text, expected=shown[0],
                                    where=row.where, at=[row.at], rules=rules, **counts))
        elif row.candidates:
            more = "等" if len(row.candidates) > most_shown else ""
            partly = any(part is not None for part in agreed)
            cells.update(_cells(row, agreed) if partly else {})
            findings.append(finding(partly_rule if partly else ambiguous_rule, cells=list(row.keys), actual=row.text,
                                    where=row.where, count=len(row.candidates), at=[row.at],
                                    candidates="；".join(shown) + more,
                                    expected=_shown_agreed(agreed) if partly else None, **counts))
        else:
            settled = any(part is not None for part in row.settled)
            cells.update(_cells(row, row.settled) if settled else {})
            findings.append(finding(unsplit_rule, cells=list(row.keys), actual=row.text, where=row.where,
                                    reason=_unsplit_reason(row), outcome=_settled_outcome(row, titles),
                                    at=[row.at], **counts))
    return cells, findings


def _settled_outcome(row: Glued, titles: dict[str, str]) -> str:
    """What became of a row no split of which the identities allow: the cells its digits alone decide, or those the
    identities tying it to other rows decide (``tying``)."""
    settled = row.settled
    if not any(part is not None for part in settled):
        return "未采用"
    by, what = ("依各列可填数据的写法", "排列") if row.gapped else ("依数字写法", "拆分")
    if row.tying:
        by = f"依{'、'.join(titles[r] for r in sorted(row.tying))}（取与之不符处最少或只多一处的拆分）"
    if None not in settled:
        return f"{by}只能{what}为{_shown_agreed(settled)}，按此读取"
    return f"{by}各种{what}相同的单元格取为{_shown_agreed(settled)}（{_UNKNOWN}处未采用）"


def _agreed(candidates: list[Split]) -> list[str | None]:
    """Each cell's text where every surviving split gives it the same (whichever split is the row's, the cell
    reads so), None where they differ; blank where each gives it nothing or a mark stating nothing (无, a dash):
    whichever split is the row's, the cell states no number."""
    return [parts[0] if len(set(parts)) == 1 else "" if all(not part or part in _NULL for part in parts) else None
            for parts in zip(*candidates, strict=True)]


def _shown_agreed(agreed: list[str | None]) -> str:
    return " ".join(_UNKNOWN if part is None else part or "（空）" for part in agreed)


def _cells(row: Glued, split: Split | list[str | None]) -> dict[str, Cell]:
    """The row's cells a split gives (those it leaves None stay out)."""
    return {key: Cell(raw, parse_value(raw)[0] if raw else None, {**row.at, "glued": row.text})
            for key, raw in zip(row.keys, split, strict=True) if raw is not None}


def _unsplit_reason(row: Glued) -> str:
    """Why no split of the row survived: too many to enumerate, none satisfying the identities, one satisfying
    the row's own in a table whose rows break those tying them, or (for a run of whole values) no equality
    identity to check a placement by."""
    what = "排列" if row.gapped else "拆分"
    if row.doubted and row.unequal:
        return f"只有{_show(row.doubted)}这一种{what}符合本行的不等式，而不等式只能排除{what}，不能确认，无法核实"
    if row.doubted and row.broken:
        return f"只有{_show(row.doubted)}这一种{what}符合本行的勾稽关系，但本表有其他行不符合同样的勾稽关系，无法核实"
    if row.doubted:
        return f"只有{_show(row.doubted)}这一种{what}符合本行的勾稽关系，但与其他行之间的勾稽关系不能同时成立，无法核实"
    if row.overflow:
        return "可能的排列过多" if row.gapped else "拆分方式过多"
    return f"没有符合勾稽关系的{what}" if row.rules or not row.gapped else "没有可核对的等式勾稽关系"


def _show(split: Split) -> str:
    return " ".join(part or "（空）" for part in split)

