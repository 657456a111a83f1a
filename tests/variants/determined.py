"""What a printed form leaves undetermined: the cells of a generated report that its print admits more than
one reading of, judged by what the print shows, never by which identities the truth breaks.

Some forms print a blank cell as nothing. Those whose loss is modelled here (``LOSSES``) keep each row's
values in order and on the row: ``order`` forms set the values apart (``0  1  250``), ``glued`` forms run
their characters together (``01250``). A reading of a row gives each of its columns a part of the print, in
order: nothing, a mark stating nothing (无, a dash) or a number its column's type admits, a glued run cut
anywhere; a reading of the table gives one to every row.

The rule. A reader of the print alone does not know which identities of the rule catalogue the table breaks: it
takes each one to hold that the print could hold. So a reading of the table is one the print cannot rule out
when no other reading keeps every identity it keeps and one more; a cell is undetermined when two readings that
keep the same identities, a set no reading keeps with one more, give it different texts (the score's sense:
blank and 无 alike). The truth is such a reading when no identity it breaks could be kept together with all it
keeps; else it is not, and a reader cannot be right about the cells its misleading print settles otherwise.

The proof. The parts of the table no identity ties to one another (表二's rows, 表三, 表四) are read apart, since
what one keeps its own readings alone decide. In each, every identity the truth breaks is tried with all it keeps
(``_addable``): first alone over the rows it touches, then over the whole part. When none can be added, the
truth's set is one no reading extends, and readings keeping it are followed: each row alone, the other rows at
their true values (the most a reader could know, short of the row itself), and the rows read together
(``_jointly``: both rows of ``123116`` and ``314`` under 一＋二＝（七）＋四 read one column further right keep every
identity too, though no row alone could move).
When some can be added, the truth is no help: the sets of identities kept with one more of them are followed
over the whole part (``_misread``), each counted only once the search proves it keepable and every larger set
not. Every search is bounded; one too large to finish proves nothing and claims no cell, so each cell claimed
has two readings that prove it.
Forms whose loss is not modelled (plain ``pdftotext`` may print a table column by column) claim no cell
undetermined.

Every form alike leaves undetermined the cells last year's rows, printed beside this year's with no caption naming
either year (``wild.draw_last_year``), state otherwise than this year's: which copy is the report's the print does
not say (``copies_undecided``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from nianbao.report import Cell, Report
from nianbao.schema import catalogue, formats
from nianbao.schema.expressions import Comparison, evaluate, instances, row_of
from nianbao.values import is_blank, parse_value, squash

from .drawing import draw
from .reports import UNITS
from .score import cells
from .wild import CAPTIONED

LOSSES = {"txt-lines": "order", "txt-columns": "order", "pdftotext-raw": "order", "scraped-nosep": "glued"}
"""Forms that print a blank cell as nothing, and what else they lose: ``order`` keeps each value whole,
``glued`` runs the characters of a row's values together."""
NODES = 200_000
"""States of the readings of one row (or of the rows read together) followed at most; a row past it claims no
cell undetermined alone, a table past it none jointly."""
READINGS = 2_000
"""Readings of one row listed at most for reading rows together; a row with more takes no part."""
MOVES = 800
"""Readings of single rows that move the ties (told apart by row and move) past which ``_witnessed`` tries pairs
of rows only, not three rows at once."""
WITNESSES = 4
"""Third rows tried for each pair of readings."""
SHAVES, TRIAL_ROUNDS = 120, 2
"""Readings of single rows tried one at a time (``_shaved``) when the rows are too many to read together, and the
rounds of ``_narrowed`` each is tried by."""
ROUNDS = 12
"""Rounds of dropping readings no choice of the other rows' completes a tie with."""
SUMS = 5_000
"""Sums of the other rows' readings (before merging equal ones) past which a tie drops no reading."""
ADDED = 4
"""Identities a table breaks though its print could keep them past which ``_misread`` claims no cell."""
_MARKS = frozenset("无-—－–/")


@dataclass(frozen=True, slots=True)
class _Check:
    """One identity instance touching a row, as the row's columns move it: ``Σ sign·column + outside OP 0``
    (blank cells read as 0, as ``expressions.evaluate`` reads them)."""

    op: str
    outside: float
    """The other rows' part, at their true values."""
    terms: tuple[tuple[int, int], ...]
    """(sign, column of the row)"""
    last: int
    """The row's last column it reads: checked once that column has its part."""


@dataclass(slots=True)
class _Row:
    """One printed row: its cell keys and column types in order, its print, the identities touching it."""

    keys: tuple[str, ...]
    types: tuple[str, ...]
    printed: tuple[str, ...]
    checks: tuple[_Check, ...]


@lru_cache(maxsize=1)
def _types() -> dict[str, str]:
    """Column type (count, signed_count, amount) by the column's part of a cell key."""
    spec = formats()
    found = {f"t3.*.{c.key}": c.type for c in spec.t3_columns}
    found |= {f"t4.{c.key}": c.type for c in spec.t4_columns}
    for blocks in spec.t2.values():
        for block in blocks:
            found |= {f"t2.{block.key}.{r.key}.{c.key}": c.type for r in block.rows for c in block.columns}
    return found


def _type(key: str) -> str:
    table, *_, column = key.split(".")
    return _types().get(key) or _types()[f"{table}.*.{column}"]


_UNIT = "|".join(sorted(UNITS, key=len, reverse=True))
_WHOLE = r"(?:0|[1-9]\d{0,2}(?:[,，]\d{3})+|[1-9]\d*)"
_NUMBERS = {"count": re.compile(_WHOLE), "signed_count": re.compile(rf"[+-]?{_WHOLE}"),
            "amount": re.compile(rf"{_WHOLE}(?:\.\d+)?(?:{_UNIT})?")}
"""How a number is printed in a column of each type: no leading zero, thousands separators (if any) each before a
group of three, a sign only where counts are signed, a decimal point only among amounts, which may print their unit
after them (``4068.208万元``)."""


def _fits(part: str, kind: str) -> bool:
    """Whether ``part`` may be printed in a column of ``kind``: a mark of nothing, or a number as ``_NUMBERS``."""
    return part in _MARKS or _NUMBERS[kind].fullmatch(part) is not None


def _comparisons(report: Report) -> list[Comparison]:
    t3_rows = tuple(report.tables.t3)
    return [comparison for rule in catalogue().rules
            if rule.family == "table" and rule.expr and report.template in rule.templates
            for _, _, comparison in instances(rule.id, t3_rows)]


def _keys(comparison: Comparison) -> set[str]:
    return {key for side in (comparison.lhs, comparison.rhs) for _, key, _ in side.operands}


def _signature(raw: str) -> tuple[str, float | None]:
    """What a cell states, as the score compares it (blank and marks of nothing alike)."""
    if is_blank(raw):
        return ("", None)
    value = parse_value(raw)[0]
    return (squash(raw), float(value) if value is not None else None)


class _Readings:
    """Each column's texts over every reading of one row's print that keeps the identities ``checks``. Readings
    are followed column by column; the ways on from one column, position in the print and running sums of the
    identities still open are followed once."""

    def __init__(self, row: _Row, glued: bool, checks: tuple[_Check, ...]) -> None:
        self.row, self.glued, self.checks = row, glued, checks
        self.text = row.printed[0] if glued and row.printed else ""
        self.end = len(self.text) if glued else len(row.printed)
        """Where a reading ends: past the last character (glued) or value (order) of the print."""
        self.seen: list[set[tuple[str, float | None]]] = [set() for _ in row.keys]
        self.known: dict[tuple[int, int, tuple[float, ...]], bool] = {}
        self.moves: list[list[tuple[int, int]]] = [[] for _ in row.keys]
        """(identity, sign) of each identity a column's value moves"""
        self.closing: list[list[int]] = [[] for _ in row.keys]
        """The identities whose last column is this one"""
        for i, check in enumerate(self.checks):
            for sign, column in check.terms:
                self.moves[column].append((i, sign))
            self.closing[check.last].append(i)

    def run(self) -> list[set[tuple[str, float | None]]] | None:
        """Each column's texts over the kept readings; None past ``NODES``."""
        self._on(0, 0, tuple(check.outside for check in self.checks))
        return self.seen if len(self.known) <= NODES else None  # no reading at all leaves every set empty

    def keeps(self) -> bool:
        """Whether some reading keeps the identities; true past ``NODES`` (nothing disproves it)."""
        return self._on(0, 0, tuple(check.outside for check in self.checks)) or len(self.known) > NODES

    def _parts(self, column: int, at: int) -> Iterator[tuple[str, int]]:
        """(part, next position) for ``column`` starting at ``at`` of the print."""
        yield "", at
        kind = self.row.types[column]
        if not self.glued:
            if at < self.end and _fits(self.row.printed[at], kind):
                yield self.row.printed[at], at + 1
            return
        for stop in range(at + 1, self.end + 1):
            if _fits(self.text[at:stop], kind):
                yield self.text[at:stop], stop

    def _on(self, column: int, at: int, sums: tuple[float, ...]) -> bool:
        """Whether some reading goes on from here to the end; records the parts of those that do."""
        state = (column, at, sums)
        if state in self.known:
            return self.known[state]
        if len(self.known) > NODES:
            return False
        self.known[state] = False
        if column == len(self.row.keys):
            self.known[state] = at == self.end
            return at == self.end
        found = False
        for part, after in self._parts(column, at):
            value = parse_value(part)[0] or 0
            moved = list(sums)
            for i, sign in self.moves[column]:
                moved[i] = round(moved[i] + sign * value, 6)
            if not all(_holds(self.checks[i].op, moved[i]) for i in self.closing[column]):
                continue
            for i in self.closing[column]:
                moved[i] = 0.0  # a closed identity no longer tells states apart
            if self._on(column + 1, after, tuple(moved)):
                self.seen[column].add(_signature(part))
                found = True
        self.known[state] = found
        return found


def _holds(op: str, total: float) -> bool:
    if op == "==":
        return abs(total) <= 1e-6
    return total >= -1e-6 if op == ">=" else total <= 1e-6


def _check(comparison: Comparison, keys: tuple[str, ...], truth: dict[str, Cell]) -> _Check:
    position = {key: i for i, key in enumerate(keys)}
    outside, terms = float(comparison.lhs.constant - comparison.rhs.constant), []
    for factor, side in ((1, comparison.lhs), (-1, comparison.rhs)):
        for sign, key, _ in side.operands:
            if key in position:
                terms.append((factor * sign, position[key]))
            elif key in truth:
                outside += factor * sign * float(truth[key].value or 0)
    return _Check(comparison.op, outside, tuple(terms), max(c for _, c in terms))


def _rows(report: Report, truth: dict[str, Cell], rows: set[str], glued: bool) -> Iterator[tuple[_Row, list[bool]]]:
    """Each printed row, and whether the truth keeps each identity touching it."""
    comparisons = [c for c in _comparisons(report) if evaluate(c, truth, rows) is not None]
    by_row: dict[str, list[str]] = {}
    for key in truth:
        by_row.setdefault(row_of(key), []).append(key)
    for keys in map(tuple, by_row.values()):
        touching = [c for c in comparisons if _keys(c) & set(keys)]
        holds = [outcome is not None and outcome.holds for outcome in (evaluate(c, truth, rows) for c in touching)]
        values = tuple(squash(truth[key].raw) for key in keys if squash(truth[key].raw))
        printed = ("".join(values),) if glued else values
        yield _Row(keys, tuple(_type(key) for key in keys), printed,
                   tuple(_check(c, keys, truth) for c in touching)), holds


def _kept(row: _Row, holds: list[bool]) -> tuple[_Check, ...]:
    """The identities touching the row that the table keeps (the truth satisfies them)."""
    return tuple(check for check, kept in zip(row.checks, holds, strict=True) if kept)


def undetermined(report: Report, form: str) -> set[str] | None:
    """The cells of ``report`` whose print in ``form`` admits more than one reading; None when ``form``'s
    loss is not modelled. Each part of the table no identity ties to the rest (``_parts``) is judged alone: when
    no identity it breaks could be kept with all those it keeps (``_addable``), its rows are read alone, the others
    at their true values (a row whose readings are too many to try claims none alone), and the readings of all rows
    at once (``_jointly``) add the cells they leave open; otherwise it is read keeping those too (``_misread``)."""
    loss = LOSSES.get(form)
    if loss is None:
        return None
    glued = loss == "glued"
    truth = cells(report)
    rows = {row_of(key) for key in truth}
    printed = list(_rows(report, truth, rows, glued))
    table = [row for row, _ in printed]
    outcomes = [(c, evaluate(c, truth, rows)) for c in _comparisons(report)]
    kept = [c for c, outcome in outcomes if outcome is not None and outcome.holds]
    broken = [c for c, outcome in outcomes if outcome is not None and not outcome.holds]
    found: set[str] = set()
    for row, holds in printed:
        seen = _Readings(row, glued, _kept(row, holds)).run()
        if seen is not None:
            found.update(key for key, texts in zip(row.keys, seen, strict=True) if len(texts) > 1)
    ties, own = _ties(kept, truth, table)
    found |= _jointly(ties, own, truth, table, glued)
    lists = _Lists(table, glued)
    for part in _parts(kept + broken, table):
        within = [c for c in kept if _rows_of(c, table) <= part]
        addable = [c for c in broken if _rows_of(c, table) <= part and _addable(c, within, truth, lists, part)]
        if addable:
            found -= {key for r in part for key in table[r].keys}
            found |= _misread(within, addable, truth, lists, part)
    return found


def copies_undecided(report: Report) -> set[str]:
    """The cells of ``report`` whose copies, its own and last year's printed beside it with no year caption, state
    them otherwise (in the score's sense: blank and 无 alike)."""
    drawing = draw(report)
    drawn = drawing.axes["last_year"]
    if drawn == "none" or drawn.endswith(CAPTIONED):
        return set()
    texts: dict[str, set[tuple[str, float | None]]] = {}
    for grid in drawing.layout.grids.values():
        for slot in (slot for row in grid for slot in row if slot.value and slot.key):
            texts.setdefault(slot.key, set()).add(_signature(slot.text))
    return {key for key, seen in texts.items() if len(seen) > 1}


def _rows_of(comparison: Comparison, table: list[_Row]) -> set[int]:
    """The rows of ``table`` a comparison touches."""
    where = _where(table)
    return {where[key][0] for key in _keys(comparison) if key in where}


def _parts(comparisons: list[Comparison], table: list[_Row]) -> list[set[int]]:
    """The rows of ``table`` in parts no comparison ties to one another: what one part keeps, its readings alone
    decide."""
    part = list(range(len(table)))

    def root(r: int) -> int:
        while part[r] != r:
            r = part[r]
        return r

    for comparison in comparisons:
        touched = sorted(_rows_of(comparison, table))
        for r in touched[1:]:
            part[root(r)] = root(touched[0])
    grouped: dict[int, set[int]] = {}
    for r in range(len(table)):
        grouped.setdefault(root(r), set()).add(r)
    return list(grouped.values())


class _Lists:
    """The readings of each row of a printed table keeping given identities of its own (``_listed``), each list
    made once."""

    def __init__(self, table: list[_Row], glued: bool) -> None:
        self.table, self.glued = table, glued
        self.made: dict[tuple[int, tuple[_Check, ...]], list[Reading] | None] = {}

    def of(self, r: int, checks: tuple[_Check, ...]) -> list[Reading] | None:
        if (r, checks) not in self.made:
            self.made[r, checks] = _listed(self.table[r], self.glued, checks)
        return self.made[r, checks]


def _addable(comparison: Comparison, kept: list[Comparison], truth: dict[str, Cell], lists: _Lists, part: set[int]
             ) -> bool:
    """Whether some reading of the rows ``part`` keeps ``comparison`` (one the table breaks) with every identity
    ``kept`` the table keeps there: true unless a search disproves it (one too large to finish proves nothing)."""
    if not _could_keep(comparison, lists):
        return False
    texts = _keeping([*kept, comparison], truth, lists, part)
    return texts is None or bool(texts)


def _could_keep(comparison: Comparison, lists: _Lists) -> bool:
    """Whether some reading of the rows ``comparison`` touches keeps it alone, each row read every way its print
    allows: true unless disproved (a quick test before ``_keeping``'s)."""
    table, where = lists.table, _where(lists.table)
    touched = sorted(_rows_of(comparison, table))
    if len(touched) == 1:
        row = table[touched[0]]
        return _Readings(row, lists.glued, (_check(comparison, row.keys, {}),)).keeps()
    tie, totals = _tie(comparison, where), {0.0}
    for r in touched:
        readings = lists.of(r, ())
        if readings is None:
            return True
        totals = {round(a + b, 6) for a in totals for b in {_shares([tie], r, reading)[0] for reading in readings}}
        if len(totals) > SUMS:
            return True
    return any(_holds(tie.op, tie.constant + total) for total in totals)


Texts = dict[int, list[set[tuple[str, float | None]]]]
"""Each row's each column's texts (``_signature``) over some readings of a part of a table, by row."""


def _keeping(comparisons: list[Comparison], truth: dict[str, Cell], lists: _Lists, part: set[int]) -> Texts | None:
    """Each cell's texts over the readings of the rows ``part`` keeping every identity of ``comparisons`` (which
    touch no other row): empty where none does; None where the search tells nothing (a row tied to others whose
    readings are too many to list, a search past ``NODES``). A row no identity ties to others is read alone
    (``_Readings``)."""
    ties, own = _ties(comparisons, truth, lists.table)
    tied = sorted({r for tie in ties for r, _, _ in tie.terms})
    texts: Texts = {}
    for r in sorted(part - set(tied)):
        seen = _Readings(lists.table[r], lists.glued, tuple(own[r])).run()
        if seen is None:
            return None
        if seen and not seen[0]:
            return {}  # no reading of the row keeps its own
        texts[r] = seen
    options: list[list[Reading]] = []
    for r in tied:
        listed = lists.of(r, tuple(own[r]))
        if listed is None:
            return None
        options.append(listed)
    shares = [[_shares(ties, r, reading) for reading in readings] for r, readings in zip(tied, options, strict=True)]
    rank = {r: k for k, r in enumerate(tied)}
    used = _together(options, shares, [_Tie(t.op, t.constant, tuple((rank[r], c, sign) for r, c, sign in t.terms))
                                       for t in ties])
    if used is None:
        return None
    if not all(used):
        return {}
    for r, readings in zip(tied, used, strict=True):
        texts[r] = [{reading[c] for reading in readings} for c in range(len(lists.table[r].keys))]
    return texts


def _misread(kept: list[Comparison], addable: list[Comparison], truth: dict[str, Cell], lists: _Lists,
             part: set[int]) -> set[str]:
    """The cells of the rows ``part`` that readings the print cannot rule out give different texts, when the table
    breaks identities there (``addable``) its print could keep with every one it keeps (``kept``): the truth is
    then no such reading, so no row is held at it. Those readings keep ``kept`` and a set of the ``addable`` that no
    reading keeps with one more of them (one reading keeping more would be preferred to them); every such set is
    followed where there are at most ``ADDED`` identities to choose from, and a set counts only once ``_keeping``
    proves it keepable and each larger one not."""
    if len(addable) > ADDED:
        return set()
    held: dict[frozenset[int], Texts | None] = {}

    def texts(chosen: frozenset[int]) -> Texts | None:
        if chosen not in held:
            held[chosen] = _keeping([*kept, *(addable[i] for i in sorted(chosen))], truth, lists, part)
        return held[chosen]

    seen: Texts = {}
    for size in range(len(addable), -1, -1):
        for chosen in map(frozenset, itertools.combinations(range(len(addable)), size)):
            found = texts(chosen)
            larger = [chosen | {i} for i in range(len(addable)) if i not in chosen]
            if found and all(texts(more) == {} for more in larger):
                for r, columns in found.items():
                    seen[r] = [a | b for a, b in zip(seen[r], columns, strict=True)] if r in seen else columns
    return {key for r, columns in seen.items() for key, column in zip(lists.table[r].keys, columns, strict=True)
            if len(column) > 1}


Reading = tuple[tuple[str, float | None], ...]
"""One reading of a row: each column's signature (``_signature``)."""


def _listed(row: _Row, glued: bool, checks: tuple[_Check, ...]) -> list[Reading] | None:
    """Every reading of ``row`` that keeps the identities ``checks`` lying within it, as signatures (readings
    that differ only in where a mark of nothing stands count once); None past ``NODES`` states or ``READINGS``
    readings. Only the ways on that ``_Readings`` found to reach the end are followed."""
    walker = _Readings(row, glued, checks)
    if walker.run() is None:
        return None
    found: set[Reading] = set()

    def on(column: int, at: int, sums: tuple[float, ...], parts: Reading) -> None:
        if column == len(row.keys):
            found.add(parts)
            if len(found) > READINGS:
                raise OverflowError
            return
        for part, after in walker._parts(column, at):
            value = parse_value(part)[0] or 0
            moved = list(sums)
            for i, sign in walker.moves[column]:
                moved[i] = round(moved[i] + sign * value, 6)
            for i in walker.closing[column]:
                moved[i] = 0.0
            if walker.known.get((column + 1, after, tuple(moved))):
                on(column + 1, after, tuple(moved), (*parts, _signature(part)))

    try:
        if walker.known.get((0, 0, tuple(check.outside for check in checks))):
            on(0, 0, tuple(check.outside for check in checks), ())
    except OverflowError:
        return None
    return sorted(found, key=repr)


@dataclass(frozen=True, slots=True)
class _Tie:
    """One identity the truth keeps that ties several rows: ``Σ sign·cell + constant OP 0`` as (row, column,
    sign) terms."""

    op: str
    constant: float
    terms: tuple[tuple[int, int, int], ...]


def _where(table: list[_Row]) -> dict[str, tuple[int, int]]:
    """(row, column) of each printed cell."""
    return {key: (r, c) for r, row in enumerate(table) for c, key in enumerate(row.keys)}


def _tie(comparison: Comparison, where: dict[str, tuple[int, int]]) -> _Tie:
    constant, terms = float(comparison.lhs.constant - comparison.rhs.constant), []
    for factor, side in ((1, comparison.lhs), (-1, comparison.rhs)):
        terms += [(*where[key], factor * sign) for sign, key, _ in side.operands if key in where]
    return _Tie(comparison.op, constant, tuple(terms))


def _ties(comparisons: list[Comparison], truth: dict[str, Cell], table: list[_Row]
          ) -> tuple[list[_Tie], list[list[_Check]]]:
    """Of ``comparisons``, those that tie rows together, and each row's own (those within it alone)."""
    where = _where(table)
    ties: list[_Tie] = []
    own: list[list[_Check]] = [[] for _ in table]
    for comparison in comparisons:
        tie = _tie(comparison, where)
        touched = {r for r, _, _ in tie.terms}
        if len(touched) > 1:
            ties.append(tie)
        elif touched:
            r = touched.pop()
            own[r].append(_check(comparison, table[r].keys, truth))
    return ties, own


def _jointly(ties: list[_Tie], own: list[list[_Check]], truth: dict[str, Cell], printed: list[_Row], glued: bool
             ) -> set[str]:
    """The cells that readings of the whole table give different texts, every identity the table keeps holding
    in each, the rows read together: every reading of every row is followed (``_together``) where that search
    stays within ``NODES``, else those changing two or three rows at once (``_witnessed``). Either way every cell
    claimed has two readings of the whole table that prove it. A row whose readings are too many to list is held
    at its true reading."""
    if not ties:
        return set()
    trues = [tuple(_signature(truth[key].raw) for key in row.keys) for row in printed]
    options: list[list[Reading]] = []
    for r, (row, checks) in enumerate(zip(printed, own, strict=True)):
        listed = _listed(row, glued, tuple(checks)) if row.printed else None
        options.append(listed if listed and trues[r] in listed else [trues[r]])
    shares = [[_shares(ties, r, reading) for reading in readings] for r, readings in enumerate(options)]
    used = _together(options, shares, ties, shave=True)
    if used is None:
        return _witnessed(options, shares, ties, printed, trues)
    return {key for row, seen in zip(printed, used, strict=True) for c, key in enumerate(row.keys)
            if len({reading[c] for reading in seen}) > 1}


def _together(options: list[list[Reading]], shares: list[list[tuple[float, ...]]], ties: list[_Tie],
              shave: bool = False) -> list[set[Reading]] | None:
    """For each row, its readings that take part in some choice of one reading per row keeping every tie; None
    past ``NODES`` steps. Readings no choice of the other rows' can complete a tie with are dropped first; then
    rows are chosen fewest readings first, a branch ending as soon as the rows still to choose cannot bring a tie
    back to holding, the ways on from one row with the same running sums followed once. With ``shave``, a search
    past ``NODES`` is tried once more after each row's readings are tried one at a time (``_shaved``)."""
    keep = [list(range(len(readings))) for readings in options]
    members = [sorted({r for r, _, _ in tie.terms}) for tie in ties]
    _settle(keep, shares, ties, members)
    if not all(keep):
        return [set() for _ in options]  # a row no choice of the others' completes every tie with
    found = _chosen(options, shares, ties, keep, members)
    if found is not None or not shave:
        return found
    if not _shaved(keep, shares, ties, members):
        return [set() for _ in options]
    return _chosen(options, shares, ties, keep, members)


def _chosen(options: list[list[Reading]], shares: list[list[tuple[float, ...]]], ties: list[_Tie],
            keep: list[list[int]], members: list[list[int]]) -> list[set[Reading]] | None:
    """``_together``'s search over the readings ``keep`` of each row."""
    alike = [_alike(keep[r], shares[r]) for r in range(len(options))]
    order = sorted(range(len(options)), key=lambda r: len(keep[r]))
    keep = [list(groups) for groups in alike]  # one reading of each group moving the ties alike
    rank = {r: k for k, r in enumerate(order)}
    count = len(order)
    touching: list[list[int]] = [[] for _ in order]
    closing: list[list[int]] = [[] for _ in order]
    low = [[0.0] * (count + 1) for _ in ties]
    high = [[0.0] * (count + 1) for _ in ties]
    for i, rows_of_tie in enumerate(members):
        ranks = sorted(rank[r] for r in rows_of_tie)
        for k in ranks:
            touching[k].append(i)
        closing[ranks[-1]].append(i)
        for k in range(count - 1, -1, -1):
            values = [shares[order[k]][j][i] for j in keep[order[k]]] if i in touching[k] else [0.0]
            low[i][k], high[i][k] = low[i][k + 1] + min(values), high[i][k + 1] + max(values)
    used: list[set[int]] = [set() for _ in order]
    known: dict[tuple[int, tuple[float, ...]], bool] = {}
    steps = 0

    def reachable(i: int, k: int, now: float) -> bool:
        op = ties[i].op
        if op == "==":
            return now + low[i][k + 1] <= 1e-6 and now + high[i][k + 1] >= -1e-6
        return now + high[i][k + 1] >= -1e-6 if op == ">=" else now + low[i][k + 1] <= 1e-6

    def on(k: int, sums: tuple[float, ...]) -> bool:
        nonlocal steps
        if k == count:
            return True
        state = (k, sums)
        if state in known:
            return known[state]
        steps += len(keep[order[k]])
        if steps > NODES:
            raise OverflowError
        found = False
        r = order[k]
        for j in keep[r]:
            moved = list(sums)
            for i in touching[k]:
                moved[i] = round(moved[i] + shares[r][j][i], 6)
            if not all(reachable(i, k, moved[i]) for i in touching[k]):
                continue
            for i in closing[k]:
                moved[i] = 0.0  # a closed tie no longer tells states apart
            if on(k + 1, tuple(moved)):
                used[k].add(j)
                found = True
        known[state] = found
        return found

    try:
        on(0, tuple(tie.constant for tie in ties))
    except OverflowError:
        return None
    return [{options[r][i] for j in used[rank[r]] for i in alike[r][j]} for r in range(count)]


def _settle(keep: list[list[int]], shares: list[list[tuple[float, ...]]], ties: list[_Tie],
            members: list[list[int]], rounds: int = ROUNDS) -> None:
    """``_narrowed`` until nothing more is dropped (at most ``rounds`` times)."""
    for _ in range(rounds):
        if not _narrowed(keep, shares, ties, members):
            return


def _shaved(keep: list[list[int]], shares: list[list[tuple[float, ...]]], ties: list[_Tie],
            members: list[list[int]]) -> bool:
    """Drop each reading kept whose choice leaves another row no reading once the ties are narrowed again
    (``_settle``): no choice of one reading per row keeping every tie uses it. At most ``SHAVES`` readings tried;
    false when a row is left none."""
    tries = SHAVES
    for r in range(len(keep)):
        groups = _alike(keep[r], shares[r])
        if len(groups) < 2:
            continue
        kept: list[int] = []
        for group in groups.values():
            tries -= 1
            trial = [list(k) for k in keep]
            trial[r] = list(group)
            if tries >= 0:
                _settle(trial, shares, ties, members, TRIAL_ROUNDS)
            if tries < 0 or all(trial):
                kept += group
        if not kept:
            return False
        if len(kept) < len(keep[r]):
            keep[r] = kept
            _settle(keep, shares, ties, members)
            if not all(keep):
                return False
    return True


def _alike(keep: list[int], shares: list[tuple[float, ...]]) -> dict[int, list[int]]:
    """The readings kept, by the first of those moving every tie as it does."""
    first: dict[tuple[float, ...], int] = {}
    groups: dict[int, list[int]] = {}
    for j in keep:
        groups.setdefault(first.setdefault(shares[j], j), []).append(j)
    return groups


def _narrowed(keep: list[list[int]], shares: list[list[tuple[float, ...]]], ties: list[_Tie],
              members: list[list[int]]) -> bool:
    """Drop each reading kept that no choice of the other rows' kept readings completes some tie with; whether
    any was dropped. The other rows' sums are those of the rows before and after each (as whole millionths)."""
    dropped = False
    for i, tie in enumerate(ties):
        options = [{round(shares[r][j][i] * _MILLION) for j in keep[r]} for r in members[i]]
        if not all(options):
            continue
        allowed = _allowed(tie, options)
        if allowed is None:
            continue
        for r, values in zip(members[i], allowed, strict=True):
            kept = [j for j in keep[r] if round(shares[r][j][i] * _MILLION) in values]
            if len(kept) < len(keep[r]):
                keep[r], dropped = kept, True
    return dropped


_MILLION = 1_000_000


def _allowed(tie: _Tie, options: list[set[int]]) -> list[set[int]] | None:
    """Of each member's parts of ``tie`` (whole millionths), those some choice of the others' completes it with;
    None when the others' sums are too many."""
    constant = round(tie.constant * _MILLION)
    if tie.op != "==":
        low, high = sum(map(min, options)), sum(map(max, options))
        return [{v for v in values if _holds(tie.op, (constant + v + (high - max(values) if tie.op == ">=" else
                                                                       low - min(values))) / _MILLION)}
                for values in options]
    before, after = _running(options), _running(options[::-1])
    if before is None or after is None:
        return None
    after.reverse()
    return [{v for v in values if any(-constant - v - p in after[k + 1] for p in before[k])}
            for k, values in enumerate(options)]


def _running(options: list[set[int]]) -> list[set[int]] | None:
    """The sums of one part from each of the first 0, 1, … ``options``; None past ``SUMS``."""
    sums = [{0}]
    for values in options:
        sums.append({a + b for a in sums[-1] for b in values})
        if len(sums[-1]) > SUMS:
            return None
    return sums


def _witnessed(options: list[list[Reading]], shares: list[list[tuple[float, ...]]], ties: list[_Tie],
               printed: list[_Row], trues: list[Reading]) -> set[str]:
    """The cells some reading of two or three rows at once changes, every tie still holding, the other rows at
    their true values."""
    equal = [i for i, tie in enumerate(ties) if tie.op == "=="]
    moves: dict[tuple[int, tuple[float, ...]], list[Reading]] = {}
    """Readings of one row that move the ties, by row and how far they move each."""
    for r, readings in enumerate(options):
        base = shares[r][readings.index(trues[r])]
        for reading, share in zip(readings, shares[r], strict=True):
            shift = tuple(round(a - b, 6) for a, b in zip(share, base, strict=True))
            if any(shift[i] for i in equal):
                moves.setdefault((r, shift), []).append(reading)
    slack = [tie.constant + sum(sign * float(trues[r][c][1] or 0) for r, c, sign in tie.terms) for tie in ties]
    kinds = list(moves)
    by_shift: dict[tuple[float, ...], list[int]] = {}
    for m, (_, shift) in enumerate(kinds):
        by_shift.setdefault(tuple(shift[i] for i in equal), []).append(m)
    found: set[str] = set()

    def take(chosen: tuple[int, ...]) -> None:
        if len({kinds[m][0] for m in chosen}) < len(chosen):
            return  # one row read two ways at once
        totals = [slack[i] + sum(kinds[m][1][i] for m in chosen) for i in range(len(ties))]
        if all(_holds(tie.op, total) for tie, total in zip(ties, totals, strict=True)):
            for m in chosen:
                r = kinds[m][0]
                found.update(key for reading in moves[kinds[m]]
                             for key, a, b in zip(printed[r].keys, reading, trues[r], strict=True) if a != b)

    keys = [tuple(shift[i] for i in equal) for _, shift in kinds]
    for m, key in enumerate(keys):
        for other in by_shift.get(tuple(-v for v in key), ()):
            take((m, other))
        for n in range(m + 1, len(kinds) if len(kinds) <= MOVES else 0):
            if kinds[n][0] != kinds[m][0]:
                rest = tuple(-(a + b) for a, b in zip(key, keys[n], strict=True))
                for other in by_shift.get(rest, ())[:WITNESSES]:
                    take((m, n, other))
    return found


def _shares(ties: list[_Tie], r: int, reading: Reading) -> tuple[float, ...]:
    """What row ``r`` read as ``reading`` adds to each tie."""
    return tuple(round(sum(sign * float(reading[c][1] or 0) for row, c, sign in tie.terms if row == r), 6)
                 for tie in ties)
