"""Agency name (+ clue text) → administrative division: province, city, county, township and official codes.

Uses the division tables vendored in ``data/`` (see ``data/NOTICE.md``) through the sorted list of their names
(``data/names.txt``, see ``compact``): a name is looked up there and only the rows it names are read. Never picks
silently: a name that fits several divisions (铁西区: 沈阳, 鞍山, 四平) stays ``ambiguous`` with its candidates
unless the clue text (contact address, place names in the report) names exactly one of them.
"""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass, replace
from functools import cache, lru_cache, partial
from itertools import compress
from pathlib import Path
from typing import Any, Literal

DATA = Path(__file__).parent / "data"
DIVISIONS_FILE, TOWNSHIPS_FILE, NAMES_FILE = "divisions.csv.gz", "townships.csv.gz", "names.txt"
_PLACEHOLDER_CITIES = {"市辖区", "县", "直辖县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
MIN_NAME_CHARS = 2
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


def read_lines(name: str) -> list[str]:
    """The lines of a gzipped text file of ``data/``."""
    return gzip.decompress((DATA / name).read_bytes()).decode("utf-8").splitlines()


def fields(line: str) -> list[str]:
    """The fields of one CSV line (the vendored tables quote none: a plain split, the csv module otherwise)."""
    return next(csv.reader([line])) if '"' in line else line.split(",")


class DivisionRows:
    """The rows of divisions.csv, kept as lines: a row is split, and its Division made, when first asked for."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines[1:]
        self.column = {name: i for i, name in enumerate(fields(lines[0]))}
        self.made: dict[int, Division] = {}

    def field(self, row: list[str], name: str) -> str:
        return row[self.column[name]]

    def city(self, row: list[str]) -> str | None:
        """The row's city, None for the placeholders some provinces print in its place (市辖区, 县, …)."""
        city = self.field(row, "city_name")
        return city if city and city not in _PLACEHOLDER_CITIES else None

    def name_and_code(self, number: int) -> tuple[str, str]:
        """The name and the code of the row's most specific level, as its Division gives them."""
        row, column = fields(self.lines[number]), self.column
        return (row[column["county_name"]] or self.city(row) or row[column["province_name"]],
                row[column["county_code"]] or row[column["city_code"]] or row[column["province_code"]])

    def division(self, number: int) -> Division:
        if number not in self.made:
            row = fields(self.lines[number])
            field = partial(self.field, row)
            city = self.city(row)
            self.made[number] = Division(
                province=field("province_name"), province_code=field("province_code"),
                province_short=field("province_short"), city=city, city_code=field("city_code") or None,
                city_short=(field("city_short") or None) if city else None, county=field("county_name") or None,
                county_code=field("county_code") or None, county_short=field("county_short") or None,
                first_year=int(field("first_year")), last_year=int(field("last_year")),
            )
        return self.made[number]


TownshipPlaces = tuple[tuple[tuple[int, ...], str], ...]
"""Of a township name: each township called so, as the rows of its county in divisions.csv and its own code."""


@dataclass(frozen=True)
class _Names:
    """``data/names.txt`` (written by ``nianbao.regions.compact``): a line of the first and last year of the
    divisions, then one line per name of at least ``MIN_NAME_CHARS`` characters, sorted: the name, the
    divisions.csv rows whose most specific level it names and the townships it names (``county rows:code``),
    tab-separated. Kept as the UTF-8 text of those sorted lines, searched by bisection over its offsets: nothing is
    built for the names no text mentions, not even their lines."""

    text: bytes
    """The name lines, each ended by a line break."""
    years: tuple[int, int]

    def _line(self, start: int) -> bytes:
        """The line that starts at offset ``start``, without its line break."""
        end = self.text.find(b"\n", start)
        return self.text[start:end if end >= 0 else len(self.text)]

    def _first_from(self, key: bytes) -> int:
        """The offset of the first line not sorted before ``key`` (the text's length when none)."""
        low, high = 0, len(self.text)  # lines starting before low sort before key, those from high on do not
        while low < high:
            start = self.text.rfind(b"\n", 0, (low + high) // 2) + 1
            line = self._line(start)
            if line < key:
                low = start + len(line) + 1
            else:
                high = start
        return low

    def places(self, name: str) -> tuple[tuple[int, ...], TownshipPlaces]:
        """The division rows and the townships called ``name``; none for a name of no division."""
        key = name.encode("utf-8") + b"\t"
        line = self._line(self._first_from(key))
        if not line.startswith(key):
            return (), ()
        _, rows, townships = line.decode("ascii", "replace").split("\t")
        return _numbers(rows, " "), tuple((_numbers(counties, ","), code) for counties, code in
                                          (place.split(":") for place in townships.split()))

    def starting(self, prefix: str) -> tuple[str, ...]:
        """The names that start with ``prefix``, longest first."""
        key = prefix.encode("utf-8")
        found, at = [], self._first_from(key)
        while at < len(self.text) and (line := self._line(at)).startswith(key):
            found.append(line[:line.index(b"\t")].decode("utf-8"))
            at += len(line) + 1
        return tuple(sorted(found, key=len, reverse=True))


def _numbers(text: str, separator: str) -> tuple[int, ...]:
    return tuple(int(n) for n in text.split(separator) if n)


@cache
def _names() -> _Names:
    first, text = (DATA / NAMES_FILE).read_bytes().split(b"\n", 1)
    low, high = map(int, first.split())
    return _Names(text, (low, high))


@lru_cache(maxsize=_NAMES_CACHED)
def _starting(prefix: str) -> tuple[str, ...]:
    """The names starting with ``prefix`` (remembered, those starting with none too: a text's places repeat)."""
    return _names().starting(prefix) if len(prefix) == MIN_NAME_CHARS else ()


@cache
def _rows() -> DivisionRows:
    return DivisionRows(read_lines(DIVISIONS_FILE))


def _divisions(rows: tuple[int, ...]) -> tuple[Division, ...]:
    return tuple(map(_rows().division, rows))


def load_divisions() -> None:
    """Read the division tables now (they are read on first use otherwise)."""
    _names()
    _rows()


def _in_year(divisions: tuple[Division, ...], year: int | None) -> list[Division]:
    """Divisions valid in ``year`` (clamped to the data's years); without a year, the latest of each code."""
    if year is None:
        latest: dict[str, Division] = {}
        for d in divisions:
            if d.code not in latest or d.last_year > latest[d.code].last_year:
                latest[d.code] = d
        return list(latest.values())
    first, last = _names().years
    clamped = min(max(year, first), last)
    return [d for d in divisions if d.first_year <= clamped <= d.last_year]


def _township_divisions(name: str, year: int | None) -> list[Division]:
    found = []
    for county_rows, township_code in _names().places(name)[1]:
        counties = _in_year(_divisions(county_rows), year) or _in_year(_divisions(county_rows), None)
        found += [replace(c, township=name, township_code=township_code) for c in counties]
    return found


def latest_counties() -> list[Division]:
    """County-level divisions of the latest year of the data, by code."""
    last = _names().years[1]
    divisions = _divisions(tuple(range(len(_rows().lines))))
    return sorted((d for d in divisions if d.county and d.last_year == last), key=lambda d: d.code)


def township_names() -> list[tuple[str, str]]:
    """(township name, county code) of every township, sorted."""
    return sorted((name, county_code) for county_code, names in _county_townships().items() for name in names)


@cache
def _county_townships() -> dict[str, tuple[str, ...]]:
    """Township names by county code, read on first use."""
    by_county: dict[str, list[str]] = {}
    for county_code, name, _ in map(fields, read_lines(TOWNSHIPS_FILE)[1:]):
        by_county.setdefault(county_code, []).append(name)
    return {code: tuple(names) for code, names in by_county.items()}


def townships_one_off(county_code: str, text: str) -> list[str]:
    """The county's townships whose name differs from the start of ``text`` in exactly one character (none when
    ``text`` starts with one of them)."""
    names = _county_townships().get(county_code, ())
    if any(text.startswith(name) for name in names):
        return []
    return [name for name in names if len(text) >= len(name)
            and sum(a != b for a, b in zip(name, text, strict=False)) == 1]


def leading_names(text: str) -> list[str]:
    """The division and township names ``text`` starts with, one after the other, each the longest there
    (怀化市溆浦县龙庄湾乡人民政府 → 怀化市, 溆浦县, 龙庄湾乡)."""
    found: list[str] = []
    at = 0
    while name := next((n for n in _starting(text[at:at + MIN_NAME_CHARS]) if text.startswith(n, at)), None):
        found.append(name)
        at += len(name)
    return found


_ONE_OFF = "\x00"
"""Stands for the character a name is looked up without."""


@cache
def _one_off_index() -> dict[str, tuple[str, ...]]:
    """The names of divisions above the townships, by each of their spellings with one character but the last
    left out (the last names the level: 县, 市, 州, 区, …)."""
    index: dict[str, list[str]] = {}
    for line in _names().text.decode("utf-8").splitlines():
        name, rows, _ = line.split("\t")
        if rows:
            for k in range(len(name) - 1):
                index.setdefault(name[:k] + _ONE_OFF + name[k + 1:], []).append(name)
    return {key: tuple(names) for key, names in index.items()}


def names_one_off(text: str) -> list[str]:
    """The names of divisions above the townships that ``text`` starts with but for one character, never their
    last, shortest first."""
    index = _one_off_index()
    found = []
    for length in range(MIN_NAME_CHARS, len(text) + 1):
        start = text[:length]
        for k in range(length - 1):
            found += [n for n in index.get(start[:k] + _ONE_OFF + start[k + 1:], ()) if n != start]
    return list(dict.fromkeys(found))


def find_mentions(text: str) -> list[str]:
    """Division names in ``text``, leftmost-longest, without overlaps (四平市铁西区 → 四平市, 铁西区)."""
    # the names starting with the text's next MIN_NAME_CHARS characters, at each position (the last positions, where
    # fewer are left, are left out: no name starts there)
    prefixes = map("".join, zip(*(text[k:] for k in range(MIN_NAME_CHARS)), strict=False))
    starting = list(map(_starting, prefixes))
    found, i = [], 0
    for at in compress(range(len(text)), starting):  # where some name starts with the text's next characters
        if at < i:
            continue  # inside a name found
        for name in starting[at]:
            if text.startswith(name, at):
                found.append(name)
                i = at + len(name)
                break
    return found


@lru_cache(maxsize=_NAMES_CACHED)
def _named_by(name: str, year: int | None) -> tuple[Division, ...]:
    """The candidates an agency's name names (``_from_mentions`` of its ``find_mentions``), remembered: the same names
    come back year after year, and a report asks again with each text that may settle an ambiguous name."""
    return tuple(_from_mentions(find_mentions(name), year))


@lru_cache(maxsize=_NAMES_CACHED)
def _divisions_named(name: str, year: int | None) -> tuple[Division, ...]:
    """Divisions called ``name`` in ``year``; else, for a name not in use that year (a report on 2019 that
    already uses a 2020 name), the latest ones called so. Remembered, as ``_named_by``: the same places
    come back report after report."""
    named = _divisions(_names().places(name)[0])
    return (*(_in_year(named, year) or _in_year(named, None)), *_township_divisions(name, year))


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


def _printed(names: set[str], clues: str) -> int:
    """How often the names are printed in ``clues``; a name holding a shorter one that is not printed is not looked
    for (宁波市 when 宁波 is not)."""
    total = 0
    absent: list[str] = []
    for name in sorted(names, key=len):
        if not any(short in name for short in absent):
            found = clues.count(name)
            total += found
            if not found:
                absent.append(name)
    return total


def _by_clues(candidates: list[Division], clues: str) -> list[Division]:
    """The candidates whose own names (those not shared by every candidate) appear most often in ``clues``."""
    names = [d.clue_names() for d in candidates]
    shared = set.intersection(*names)
    scores = [_printed(own - shared, clues) for own in names]
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
    candidates = list(_named_by(text, year))
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
