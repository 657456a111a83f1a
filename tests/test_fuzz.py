"""Mutated real layouts through the text reader and extractor: no exception escapes, and no
number is reported for a cell whose text does not contain it."""

from __future__ import annotations

import random
import unicodedata

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from nianbao import NianbaoError, parse_bytes
from nianbao.render import STYLES, render_text
from nianbao.report import Report
from nianbao.synth import consistent_report

from .conftest import SHARED

SEEDS = sorted((SHARED / "seeds").glob("*.txt")) if SHARED.exists() else []
NOISE = ["\t", "|", " ", "\n", "0", "9", "无", "一、", "（七）总计", "规章", "\u3000", "-", "—", "年"]


def _sources() -> list[str]:
    texts = [render_text(consistent_report(t, s), style) for t in ("2019", "2021") for s in (1, 2)
             for style in STYLES]
    return texts + [p.read_text(encoding="utf-8") for p in SEEDS]


SOURCES = _sources()


def _mutate(text: str, rng: random.Random, edits: int) -> str:
    lines = text.split("\n")
    for _ in range(edits):
        if not lines:
            break
        i = rng.randrange(len(lines))
        action = rng.randrange(5)
        if action == 0:
            del lines[i]
        elif action == 1 and i + 1 < len(lines):
            lines[i:i + 2] = [lines[i] + lines[i + 1]]
        elif action == 2 and lines[i]:
            cut = rng.randrange(len(lines[i]))
            lines[i:i + 1] = [lines[i][:cut], lines[i][cut:]]
        elif action == 3 and lines[i]:
            k = rng.randrange(len(lines[i]))
            lines[i] = lines[i][:k] + rng.choice(NOISE) + lines[i][k + 1:]
        else:
            lines.insert(i, rng.choice(NOISE))
    return "\n".join(lines)


def _digits(raw: str) -> str:
    return "".join(unicodedata.normalize("NFKC", raw).split()).replace(",", "").replace("，", "")


def _check_cells(report: Report) -> None:
    cells = [c for rows in report.tables.t3.values() for c in rows.values()] + list(report.tables.t4.values())
    cells += [c for block in report.tables.t2.values() for row in block.values() for c in row.values()]
    for cell in cells:
        if cell.value is not None:
            number = f"{cell.value:.15g}" if isinstance(cell.value, float) else str(abs(cell.value))
            assert number in _digits(cell.raw), (cell.raw, cell.value)
            assert cell.at


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=st.integers(0, len(SOURCES) - 1), seed=st.integers(0, 10**9), edits=st.integers(1, 40))
@example(source=8, seed=2660930, edits=32)  # a broken label whose second half's row is narrower than the first's
def test_mutated_layouts_never_crash_and_never_invent_numbers(source: int, seed: int, edits: int) -> None:
    text = _mutate(SOURCES[source], random.Random(seed), edits)
    try:
        report = parse_bytes(text.encode("utf-8"), "fuzz.txt")
    except NianbaoError:
        return
    _check_cells(report)
    assert all(f.message and f.rule for f in report.findings)
