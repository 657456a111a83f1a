"""Tables of a unit that received nothing, printed with the blank cells dropped (as ``pdftotext`` and
column-aligned dumps print them): a row's lone 无 is its 总计, one 无 per 表四 group is that group's
总计, the other cells blank; a single 无 off the first row (a 无 merged down the table) and a lone 无
in 表四 are not read.

The generator takes consistent reports, turns them into a unit's that received nothing in each style
(every row's 总计 无, only the first row's, a random subset of rows), drops their blank cells by printing
them in the renderer's column-aligned style, wraps some row labels over two lines with the 无 between
them, and varies the gap between cells and the nothing token.
"""

from __future__ import annotations

import random
import re

import pytest

from nianbao import parse_bytes
from nianbao.render import render_text
from nianbao.report import Report
from nianbao.schema import formats
from nianbao.synth import consistent_report

from .cells import cells_of
from .variants.reports import received_nothing

SAMPLE = 36
TOKENS = ("无", "—", "/")


def _rules(report: Report) -> list[str]:
    return [f.rule for f in report.findings]


def nil_report(seed: int) -> Report:
    """A unit that received nothing, in a style drawn from ``seed``."""
    rng = random.Random(seed)
    report = consistent_report(rng.choice(["2019", "2021"]), seed)
    style = rng.choice(["nil_total", "nil_first_total", "some_rows"])
    received_nothing(report, "nil_total" if style == "some_rows" else style)
    token = rng.choice(TOKENS)
    rows = list(report.tables.t3.values())
    for index, row in enumerate(rows):
        total = row["total"]
        keep = total.raw and (style != "some_rows" or index == 0 or rng.random() < 0.5)
        total.raw = token if keep else ""
    for cell in report.tables.t4.values():
        cell.raw = token if cell.raw else ""
    return report


_NUMBERING = r"(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d\.)"
_ROW_WITH_NIL = re.compile(rf"^({_NUMBERING}\S{{6,}})    ([{''.join(TOKENS)}])$", re.MULTILINE)


def printed(report: Report, rng: random.Random) -> bytes:
    """The report in column-aligned text; some rows' labels wrap over two lines, their 无 printed between
    the lines (as a PDF prints a two-line row); the gap between cells varies."""
    def wrap(found: re.Match[str]) -> str:
        label, token = found.group(1), found.group(2)
        if rng.random() < 0.5:
            return found.group(0)
        cut = rng.randint(len(label) // 2, len(label) - 2)
        return f"{label[:cut]}\n{' ' * 20}{token}\n    {label[cut:]}"

    text = _ROW_WITH_NIL.sub(wrap, render_text(report, "columns"))
    return text.replace("    ", " " * rng.choice([2, 4, 9])).encode("utf-8")


@pytest.mark.parametrize("seed", range(SAMPLE))
def test_nil_tables_with_blank_cells_dropped_parse_exactly(seed: int) -> None:
    report = nil_report(seed)
    parsed = parse_bytes(printed(report, random.Random(seed)), "nil.txt")
    lone = sum(1 for c in report.tables.t4.values() if c.raw) == 1
    expected = {k: v for k, v in cells_of(report).items() if k.startswith("t3.") or (not lone and k.startswith("t4."))}
    got = cells_of(parsed)
    assert {k: got.get(k) for k in expected} == expected
    if lone:  # wherever the lone 无 stands, every cell of 表四 states no number
        assert len(parsed.tables.t4) == len(report.tables.t4)
        assert all(cell.value is None for cell in parsed.tables.t4.values())
        assert "S.blanks_placed" in _rules(parsed)


def test_a_single_nil_off_the_first_row_is_not_read() -> None:
    report = nil_report(1)
    rows = list(report.tables.t3.values())
    for row in rows:
        row["total"].raw = ""
    rows[5]["total"].raw = "无"
    parsed = parse_bytes(printed(report, random.Random(1)), "nil.txt")
    assert not parsed.tables.t3
    assert "S.lone_nil" in _rules(parsed)


def test_a_table_four_of_nil_groups_is_read_per_group() -> None:
    report = nil_report(2)
    totals = [c.key for c in formats().t4_columns if c.key.endswith("_total")]
    for key, cell in report.tables.t4.items():
        cell.raw = "无" if key in totals else ""
    parsed = parse_bytes(printed(report, random.Random(2)), "nil.txt")
    assert {k: c.raw for k, c in parsed.tables.t4.items()} == {k: c.raw for k, c in report.tables.t4.items()}
