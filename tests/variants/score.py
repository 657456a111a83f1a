"""A parsed report scored against the generated truth, cell by cell: exact, missing or wrong.

A cell is exact when its value equals the truth's and its raw text does, whitespace ignored; cells
that state nothing (blank, 无, dashes) match each other, since where a merged 无 sits among the
blanks it covers is a matter of drawing. A cell the parser did not place is missing; anything
else is wrong, and a missing cell no finding names (by its key, its row's or its table's) is left
without a trace. The agency and the year are scored too.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import pytest

from nianbao.api import parse_bytes
from nianbao.report import Cell, Report
from nianbao.schema.expressions import row_of
from nianbao.values import is_blank, squash

from . import load_forms, reports
from .reports import random_report

TOLERANCE = 1e-9


def cells(report: Report) -> dict[str, Cell]:
    """Every cell of the report's tables by dotted key."""
    out: dict[str, Cell] = {}
    for block, rows in report.tables.t2.items():
        for row, cols in rows.items():
            out.update({f"t2.{block}.{row}.{col}": cell for col, cell in cols.items()})
    for row, cols in report.tables.t3.items():
        out.update({f"t3.{row}.{col}": cell for col, cell in cols.items()})
    out.update({f"t4.{col}": cell for col, cell in report.tables.t4.items()})
    return out


def same(truth: Cell, got: Cell) -> bool:
    """True when ``got`` states what ``truth`` states, printed the same way."""
    if is_blank(truth.raw) and is_blank(got.raw or ""):
        return got.value is None
    if squash(truth.raw) != squash(got.raw or ""):
        return False
    if truth.value is None or got.value is None:
        return truth.value is None and got.value is None
    return abs(float(truth.value) - float(got.value)) < TOLERANCE


@dataclass(slots=True)
class Score:
    """The outcome of one file."""

    exact: int = 0
    missing: list[str] = field(default_factory=list)
    wrong: list[tuple[str, str, str]] = field(default_factory=list)
    """(cell key, truth raw, parsed raw)"""
    meta: list[tuple[str, str, str]] = field(default_factory=list)
    """(meta field, truth, parsed) of each agency or year not found as generated"""
    error: str = ""
    unflagged: list[str] = field(default_factory=list)
    """Missing cells no finding names, by their key, their row's or their table's."""

    @property
    def perfect(self) -> bool:
        """Every cell exact, agency and year right, and the file parsed."""
        return not (self.missing or self.wrong or self.meta or self.error)


def score(truth: Report, parsed: Report | None, error: str = "") -> Score:
    """Compare every cell and the agency and year of ``parsed`` with ``truth``."""
    expected = cells(truth)
    if parsed is None:
        return Score(missing=sorted(expected), error=error)
    got = cells(parsed)
    result = Score()
    for key, cell in expected.items():
        if key not in got:
            result.missing.append(key)
        elif same(cell, got[key]):
            result.exact += 1
        else:
            result.wrong.append((key, cell.raw, got[key].raw))
    named = {name for f in parsed.findings for name in f.cells}
    result.unflagged = [key for key in result.missing if not {key, row_of(key), key.partition(".")[0]} & named]
    for name in ("agency", "year"):
        want, have = getattr(truth.meta, name), getattr(parsed.meta, name)
        if want != have:
            result.meta.append((name, str(want), str(have)))
    return result


def pinned(name: str, seed: int, index: int, large: bool = False) -> Score:
    """The score of bench file ``index`` of ``seed`` in form ``name``, made and parsed as the bench does (skipped
    where the form's tool is not installed). ``large``: pinned from a bench drawing large bodies' reports
    (``reports.LARGE_SHARE``); the files pinned before it are drawn as they were then, without them."""
    form = load_forms()[name]
    if form.missing():
        pytest.skip(f"form {name} needs {', '.join(form.missing())}, not installed")
    truth = bench_truth(seed, index, large)
    data = form.make_all([(truth, random.Random(f"{seed}/{name}/{index}"))])[0]
    return score(truth, parse_bytes(data, f"{name}-{index}{form.suffix}"))


def bench_truth(seed: int, index: int, large: bool = False) -> Report:
    """The truth of bench file ``index`` of ``seed``, drawn as ``pinned`` draws it (``large``: with large bodies'
    reports among them, as the bench draws them since; the files pinned before are drawn without)."""
    share = reports.LARGE_SHARE
    reports.LARGE_SHARE = share if large else 0.0
    try:
        return random_report(random.Random(f"{seed}/{index}"))
    finally:
        reports.LARGE_SHARE = share
