"""One line per measured figure, in a form bench/report.py collects into docs/benchmarks.md.

A bench prints its own lines as it likes, then calls :func:`figure` for each figure the summary table shows:
``figure | <name> | <value> <unit> | <goal> | <met> | <how it was measured>``.
"""

from __future__ import annotations

import platform
from pathlib import Path

PREFIX = "figure | "
"""How a figure line starts; report.py reads the lines that start so."""


def figure(name: str, value: float, unit: str, goal: float | None = None, note: str = "", *,
           floor: bool = False) -> None:
    """Print one figure; ``goal`` is a ceiling (a floor with ``floor``), ``note`` says how it was measured
    (CPU or wall, median or best, sizes)."""
    if goal is None:
        target, met = "", ""
    else:
        target = f"{'≥' if floor else '≤'} {goal:g} {unit}"
        met = "yes" if (value >= goal if floor else value <= goal) else "no"
    print(f"{PREFIX}{name} | {value:.4g} {unit} | {target} | {met} | {note}", flush=True)


def cpu_model() -> str:
    """The CPU's model name (Linux), else what the platform says."""
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    except OSError:
        return platform.processor() or "?"
    return next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "?")
