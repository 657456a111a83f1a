"""Agency name (+ clue text) → administrative division: province, city, county, township and official codes.

Uses the division tables vendored in ``data/`` (see ``data/NOTICE.md``). Never picks silently: a name that
fits several divisions (铁西区: 沈阳, 鞍山, 四平) stays ``ambiguous`` with its candidates unless the clue text
(contact address, place names in the report) names exactly one of them.
"""

from __future__ import annotations

import csv
import gc
import gzip
import io
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import Any, Literal

_DATA = Path(__file__).parent / "data"
_PLACEHOLDER_CITIES = {"市辖区", "县", "直辖县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_MIN_NAME_CHARS = 2
_MIN_SHORT_CHARS = 2
_CLUE_CHARS = 3000
_NAMES_CACHED = 65_536

Status = Literal["resolved", "ambiguous", "unresolved"]


@dataclass(frozen=True, slots=True)
class Division:
    """One division valid from ``first_year`` to ``last_year``; city/county/township are None above their level."""

    province: str
    province_code: str
    province_short: str
    city: str | None = None
    city_code: str | None = None
    city_short: str | None = None
    county: str | None = None
    county_code: str | None = None
    county_short: str | None = None
    first_year: int = 0
    last_year: int = 9999
    township: str | None = None
    township_code: str | None = None

    @property
    def code(self) -> str:
        """The six-digit code of the most specific level below the township."""
        return self.county_code or self.city_code or self.province_code

    @property
    def names(self) -> tuple[str, ...]:
        """Full names of every level, top down."""
        return tuple(n for n in (self.province, self.city, self.county, self.township) if n)

    def clue_names(self) -> set[str]:
        """Names a report may use for this division or its parents (full names and short names)."""
        shorts = (s for s in (self.province_short, self.city_short, self.county_short)
                  if s and len(s) >= _MIN_SHORT_CHARS)
        return {*self.names, *shorts}

    def as_dict(self) -> dict[str, Any]:
        """JSON-able form: names and codes."""
        return {"province": self.province, "city": self.city, "county": self.county, "township": self.township,
                "code": self.code, "township_code": self.township_code}


@dataclass(frozen=True, slots=True)
class Resolution:
    """The division of one agency, or the candidates it could be."""

    status: Status
    division: Division | None = None
    candidates: tuple[Division, ...] = ()

    def as_dict(self, kept: int) -> dict[str, Any]:
        """JSON-able form; at most ``kept`` candidates, sorted by code."""
        out: dict[str, Any] = {"status": self.status}
        out.update(self.division.as_dict() if self.division else {})
        ranked = sorted(self.candidates, key=lambda d: (d.code, d.township_code or ""))
        out["candidates"] = [d.as_dict() for d in ranked[:kept]]
        out["candidate_count"] = len(self.candidates)
        return out


def _read_gz_csv(name: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a gzipped CSV file of ``data/``. Read whole and split at commas when no field is
    quoted (the vendored tables quote none): several times faster than the csv module, read at every start."""
    text = gzip.decompress((_DATA / name).read_bytes()).decode("utf-8")
    rows = [line.split(",") for line in text.splitlines()] if '"' not in text else list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


class _Rows:
    """The rows of divisions.csv, with its columns by name; a row's Division is made when first asked for."""

    def __init__(self, header: list[str], rows: list[list[str]]) -> None:
        self.rows = rows
        self.column = {name: i for i, name in enumerate(header)}
        self.made: dict[int, Division] = {}

    def field(self, number: int, name: str) -> str:
        return self.rows[number][self.column[name]]

    def city(self, number: int) -> str | None:
        """The row's city, None for the placeholders some provinces print in its place (市辖区, 县, …)."""
        city = self.field(number, "city_name")
        return city if city and city not in _PLACEHOLDER_CITIES else None

    def name_and_code(self, number: int) -> tuple[str, str]:
        """The name and the code of the row's most specific level, as its Division gives them."""
        row, column = self.rows[number], self.column
        return (row[column["county_name"]] or self.city(number) or row[column["province_name"]],
                row[column["county_code"]] or row[column["city_code"]] or row[column["province_code"]])

    def division(self, number: int) -> Division:
        if number not in self.made:
            field = partial(self.field, number)
            city = self.city(number)
            self.made[number] = Division(
                province=field("province_name"), province_code=field("province_code"),
                province_short=field("province_short"), city=city, city_code=field("city_code") or None,
                city_short=(field("city_short") or None) if city else None, county=field("county_name") or None,
                county_code=field("county_code") or None, county_short=field("county_short") or None,
                first_year=int(field("first_year")), last_year=int(field("last_year")),
            )
        return self.made[number]


@dataclass(frozen=True)
class _Index:
    divisions: _Rows
    by_name: dict[str, tuple[int, ...]]
    """Row numbers of the divisions by name (their most specific level's)."""
    by_code: dict[str, tuple[int, ...]]
    townships: dict[str, tuple[tuple[str, str], ...]]
    years: tuple[int, int]
    lengths: dict[str, tuple[int, ...]]
    """The first ``_MIN_NAME_CHARS`` characters of every name → the lengths of the names that start so, longest
    first: most places in a text start none, and the others are tried only at those lengths."""

    def named(self, name: str) -> tuple[Division, ...]:
        return tuple(map(self.divisions.division, self.by_name.get(name, ())))

    def coded(self, code: str) -> tuple[Division, ...]:
        return tuple(map(self.divisions.division, self.by_code.get(code, ())))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: building the index makes some 100,000 small objects, none of them in
    a cycle, and the collector would walk them again and again while they are made (half the build time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@cache
def _index() -> _Index:
    with _collector_paused():
        return _build_index()


def _build_index() -> _Index:
    by_name: dict[str, list[int]] = defaultdict(list)
    by_code: dict[str, list[int]] = defaultdict(list)
    divisions = _Rows(*_read_gz_csv("divisions.csv.gz"))
    for number in range(len(divisions.rows)):
        name, code = divisions.name_and_code(number)
        by_name[name].append(number)
        by_code[code].append(number)
    townships: dict[str, tuple[tuple[str, str], ...]] = {}
    for county_code, township, township_code in _read_gz_csv("townships.csv.gz")[1]:
        townships[township] = (*townships.get(township, ()), (county_code, township_code))  # most names are unique
    lengths: dict[str, set[int]] = defaultdict(set)
    for name in (*by_name, *townships):
        if len(name) >= _MIN_NAME_CHARS:
            lengths[name[:_MIN_NAME_CHARS]].add(len(name))
    all_years = [int(divisions.field(n, f)) for n in range(len(divisions.rows)) for f in ("first_year", "last_year")]
    return _Index(divisions, {k: tuple(v) for k, v in by_name.items()}, {k: tuple(v) for k, v in by_code.items()},
                  townships, (min(all_years), max(all_years)),
                  {start: tuple(sorted(sizes, reverse=True)) for start, sizes in lengths.items()})


def load_divisions() -> None:
    """Read the division tables now (they are read on first use otherwise)."""
    _index()


def _in_year(divisions: tuple[Division, ...], year: int | None) -> list[Division]:
    """Divisions valid in ``year`` (clamped to the data's years); without a year, the latest of each code."""
    index = _index()
    if year is None:
        latest: dict[str, Division] = {}
        for d in divisions:
            if d.code not in latest or d.last_year > latest[d.code].last_year:
                latest[d.code] = d
        return list(latest.values())
    clamped = min(max(year, index.years[0]), index.years[1])
    return [d for d in divisions if d.first_year <= clamped <= d.last_year]


def _township_divisions(name: str, year: int | None) -> list[Division]:
    found = []
    for county_code, township_code in _index().townships.get(name, ()):
        counties = _in_year(_index().coded(county_code), year) or _in_year(_index().coded(county_code), None)
        found += [replace(c, township=name, township_code=township_code) for c in counties]
    return found


def latest_counties() -> list[Division]:
    """County-level divisions of the latest year of the data, by code."""
    index = _index()
    latest = (d for code in index.by_code for d in index.coded(code) if d.county and d.last_year == index.years[1])
    return sorted(latest, key=lambda d: d.code)


def township_names() -> list[tuple[str, str]]:
    """(township name, county code) of every township, sorted."""
    return sorted((name, code) for name, places in _index().townships.items() for code, _ in places)


def find_mentions(text: str) -> list[str]:
    """Division names in ``text``, leftmost-longest, without overlaps (四平市铁西区 → 四平市, 铁西区)."""
    index = _index()
    found, i = [], 0
    while i < len(text):
        sizes = index.lengths.get(text[i:i + _MIN_NAME_CHARS], ())
        for size in sizes:
            if size > len(text) - i:
                continue
            piece = text[i:i + size]
            if piece in index.by_name or piece in index.townships:
                found.append(piece)
                i += size
                break
        else:
            i += 1
    return found


@lru_cache(maxsize=_NAMES_CACHED)
def _name_mentions(name: str) -> tuple[str, ...]:
    """``find_mentions`` of an agency's name, remembered: the same names come back year after year."""
    return tuple(find_mentions(name))


def _divisions_named(name: str, year: int | None) -> list[Division]:
    """Divisions called ``name`` in ``year``; else, for a name not in use that year (a report on 2019 that
    already uses a 2020 name), the latest ones called so."""
    named = _index().named(name)
    return (_in_year(named, year) or _in_year(named, None)) + _township_divisions(name, year)


def _depth(division: Division) -> int:
    """1 province, 2 city, 3 county, 4 township."""
    return 4 if division.township else 3 if division.county else 2 if division.city_code else 1


def _consistent(candidates: list[Division], mentions: list[str]) -> list[Division]:
    """Candidates that carry the most of the other mentioned names among their own."""
    if not candidates:
        return []
    scores = [sum(1 for m in mentions if m in d.names) for d in candidates]
    best = max(scores)
    return [d for d, s in zip(candidates, scores, strict=True) if s == best]


def _from_mentions(mentions: list[str], year: int | None) -> list[Division]:
    """Candidates named by the most specific mention, filtered by the others."""
    named = [d for m in dict.fromkeys(mentions) for d in _divisions_named(m, year)]
    if not named:
        return []
    deepest = max(map(_depth, named))
    unique = {(d.code, d.township_code): d for d in named if _depth(d) == deepest}
    return _consistent(list(unique.values()), mentions)


def _by_clues(candidates: list[Division], clues: str) -> list[Division]:
    """The candidates whose own names (those not shared by every candidate) appear most often in ``clues``."""
    shared = set.intersection(*(d.clue_names() for d in candidates))
    scores = [sum(clues.count(n) for n in d.clue_names() - shared) for d in candidates]
    best = max(scores)
    return candidates if best == 0 else [d for d, s in zip(candidates, scores, strict=True) if s == best]


def _outcome(candidates: list[Division]) -> Resolution:
    if len(candidates) == 1:
        return Resolution("resolved", candidates[0], tuple(candidates))
    return Resolution("ambiguous" if candidates else "unresolved", None, tuple(candidates))


def resolve_region(agency: str | None, year: int | None = None, clues: str = "") -> Resolution:
    """The division an agency belongs to; ``clues`` (other text of its report) settles ambiguous names.

    When the agency's name holds no division name, the opening of ``clues`` is searched instead and only a
    single consistent division there resolves it.
    """
    text = "".join((agency or "").split())
    candidates = _from_mentions(list(_name_mentions(text)), year)
    squashed = "".join(clues.split())
    if not candidates and squashed:
        candidates = _from_mentions(find_mentions(squashed[:_CLUE_CHARS]), year)
    if len(candidates) > 1 and squashed:
        candidates = _by_clues(candidates, squashed)
    return _outcome(candidates)


def strip_division_names(agency: str, division: Division | None) -> str:
    """The agency's name without the leading names of its division (淮安市洪泽区人民政府 → 人民政府)."""
    rest = "".join(agency.split())
    if division is None:
        return rest
    names = division.clue_names()
    changed = True
    while changed:
        changed = False
        for name in sorted(names, key=len, reverse=True):
            if rest.startswith(name):
                rest, changed = rest[len(name):], True
                break
    return rest
