"""Random reports for the variation bench: the truth every form is scored against.

Both templates, agencies and years varied; values consistent or not; cells printed as numbers,
blanks, 0, 无 or dashes; decimals in fees and amounts; signed 本年增减; a unit that received
nothing printing 无 only in its 总计 cells (where a drawing may merge them, see ``drawing``); amounts
printed with a unit (``251000元``, ``1646.5万元``); 表三's 总计 column left blank but for the totals' rows
(FORMAT.md §6 #19, #21); one report in eight a large body's (``LARGE_SHARE``), with thousands in 表三 and counts
of five and six digits, some of them printed with thousands separators (``12,450``). The truth of a cell is its raw
text and its value as the project reads it (``values.parse_value``: the number as printed, the unit kept in the raw
text only).
"""

from __future__ import annotations

import random
from functools import lru_cache

from nianbao.report import Cell, Report
from nianbao.schema import formats
from nianbao.synth import LARGE, VARIED, consistent_report, unit_names
from nianbao.values import parse_value

NIL_TOKENS = ("无", "-", "—", "/")
DECIMALS = ("0.5", "12.35", "4068.208", "0.0125", "1.2", "310.75")
NAME_POOL = 400
AMOUNTS = ("fee_amount", "procurement_amount")
UNITS, UNIT_SHARE, BLANK_TOTALS_SHARE = ("元", "万元"), 0.2, 0.1
LARGE_SHARE, SEPARATED_EVERY = 0.125, 3
"""The share of reports that are a large body's (told by the seed of their numbers, so that the draws of the others
stay as they were); one large report in ``SEPARATED_EVERY`` prints its numbers of four digits or more with thousands
separators."""
SEPARATORS = (",", "，")
WIDE_COUNT = 10_000
"""A count of five digits or more: the bench tabulates reports holding one (axis ``numbers``)."""
NOTHING_STYLES = ("nil_total", "nil_first_total")
"""How a unit that received nothing prints 表三/表四: 无 in every 总计 cell, or one 无 in the first 总计."""


@lru_cache(maxsize=1)
def _agencies() -> tuple[str, ...]:
    return tuple(unit_names(NAME_POOL, seed=12))


def _set(cells: dict[str, Cell], key: str, raw: str) -> None:
    cells[key] = Cell(raw=raw, value=parse_value(raw)[0], at=cells[key].at)


def all_rows(report: Report) -> list[dict[str, Cell]]:
    """Every row of the report's tables as column → cell (表四 is one row)."""
    return [*(row for block in report.tables.t2.values() for row in block.values()),
            *report.tables.t3.values(), report.tables.t4]


def _restyle_zeros(report: Report, rng: random.Random) -> None:
    """Print some zero cells blank or as 无/dashes, per row or per cell."""
    style = rng.choice(("zero", "zero", "blank", "nil", "mixed"))
    if style == "zero":
        return
    for row in all_rows(report):
        for key, cell in row.items():
            if cell.value != 0 or rng.random() < 0.3:
                continue
            raw = "" if style == "blank" else rng.choice(NIL_TOKENS) if style == "nil" else rng.choice(
                ("", "0", *NIL_TOKENS))
            _set(row, key, raw)


def _perturb(report: Report, rng: random.Random) -> None:
    """Break a few identities: change some numbers."""
    rows = all_rows(report)
    for _ in range(rng.randint(1, 6)):
        row = rng.choice(rows)
        key = rng.choice(list(row))
        value = row[key].value
        if isinstance(value, int):
            _set(row, key, str(max(0, value + rng.choice((-3, -1, 1, 2, 17, 100)))))


def _decimals_and_signs(report: Report, rng: random.Random) -> None:
    for row in all_rows(report):
        for key, cell in row.items():
            if key in AMOUNTS and rng.random() < 0.7:
                _set(row, key, rng.choice(DECIMALS))
            elif key == "change_this_year" and isinstance(cell.value, int) and cell.value > 0 and rng.random() < 0.5:
                _set(row, key, f"+{cell.value}")


def received_nothing(report: Report, style: str) -> None:
    """Make 表三 and 表四 those of a unit that received nothing, printed in ``style`` (NOTHING_STYLES)."""
    total = formats().t3_columns[-1].key
    for index, row in enumerate(report.tables.t3.values()):
        for key in row:
            nil = key == total and (style == "nil_total" or index == 0)
            _set(row, key, "无" if nil else "")
    t4_totals = [c.key for c in formats().t4_columns if c.key.endswith("_total")]
    for key in report.tables.t4:
        nil = key in t4_totals and (style == "nil_total" or key == t4_totals[-1])
        _set(report.tables.t4, key, "无" if nil else "")


def _narrative(report: Report, rng: random.Random) -> None:
    """Overview paragraphs of random length, so that the tables start anywhere on a page."""
    facts = [f"全年主动公开政府信息{rng.randint(10, 3000)}条，其中政策解读{rng.randint(0, 80)}篇。"
             for _ in range(rng.choice((0, 1, 3, 8, 15, 30)))]
    report.sections["overview"] = "\n".join([report.sections.get("overview", ""), *facts]).strip()


def _units(report: Report, rng: random.Random) -> None:
    """Print the amounts stating a number with a unit after it."""
    unit = rng.choice(UNITS)
    for row in all_rows(report):
        for key, cell in row.items():
            if key in AMOUNTS and cell.value:
                _set(row, key, f"{cell.raw}{unit}")


def _blank_totals(report: Report) -> None:
    """Leave 表三's 总计 column blank in every row but the level-1 rows and （七）总计."""
    total = formats().t3_columns[-1].key
    kept = {s.key for s in formats().t3_rows if s.level == 1 or s.role != "data"}
    for key, row in report.tables.t3.items():
        if key not in kept and total in row:
            _set(row, total, "")


def print_thousands(report: Report, separator: str) -> None:
    """Print every whole number of four digits or more with thousands separators."""
    for row in all_rows(report):
        for key, cell in row.items():
            if cell.raw.isdigit() and len(cell.raw) > 3:
                _set(row, key, f"{int(cell.raw):,}".replace(",", separator))


def printed_axes(report: Report) -> dict[str, str]:
    """The print styles of ``report``'s values that the bench tabulates: amounts with units, blank 总计."""
    amounts = [c.raw for row in all_rows(report) for k, c in row.items() if k in AMOUNTS]
    unit = next((u for u in sorted(UNITS, key=len, reverse=True) for raw in amounts if raw.endswith(u)), "none")
    total = formats().t3_columns[-1].key
    blank = [not row[total].raw for row in report.tables.t3.values() if total in row]
    counts = [c for row in all_rows(report) for c in row.values() if isinstance(c.value, int)]
    separated = any(s in c.raw for c in counts for s in SEPARATORS)
    wide = any(abs(c.value or 0) >= WIDE_COUNT for c in counts)
    return {"amount_unit": unit, "t3_totals": "blank" if blank and sum(blank) > len(blank) // 2 else "printed",
            "numbers": "separated" if separated else "wide" if wide else "narrow"}


def random_report(rng: random.Random) -> Report:
    """A report of a random template, agency and year, its values printed in a random style."""
    template = rng.choice(("2019", "2021"))
    year = rng.choice((2019, 2020)) if template == "2019" else rng.randint(2021, 2025)
    seed = rng.randrange(10**9)
    large = seed % 1000 < LARGE_SHARE * 1000
    report = consistent_report(template, seed, rng.choice(_agencies()), year, LARGE if large else VARIED)
    month, day = rng.choice((1, 1, 1, 2, 3)), rng.randint(1, 28)
    report.meta.published = f"{year + 1}-{month:02d}-{day:02d}"
    _narrative(report, rng)
    _decimals_and_signs(report, rng)
    if rng.random() < 0.35:
        _perturb(report, rng)
    if rng.random() < 0.15:
        received_nothing(report, rng.choice(NOTHING_STYLES))
    else:
        _restyle_zeros(report, rng)
        if rng.random() < BLANK_TOTALS_SHARE:
            _blank_totals(report)
    if rng.random() < UNIT_SHARE:
        _units(report, rng)
    if large and seed // 1000 % SEPARATED_EVERY == 0:
        print_thousands(report, SEPARATORS[seed // 1000 // SEPARATED_EVERY % 2])
    return report
