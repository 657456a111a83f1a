"""Median parse time per text report (read + extract + audit), one core, over the shared seeds
and the text reports of the shared corpus, plus the bundled examples. Prints figures only."""

from __future__ import annotations

import os
import platform
import statistics
import time
from pathlib import Path

from figures import figure

from nianbao.audit import audit
from nianbao.extract import extract
from nianbao.readers import read_bytes

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RUNS = 50
GOAL_MS = 1.5
"""Issue 17's goal: median CPU time per text report, audit included."""


def _inputs() -> list[Path]:
    paths = sorted((SHARED / "seeds").glob("*.txt"))
    corpus = SHARED / "corpus" / "raw"
    paths += sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".md") and p.name != "SOURCES.md"
                    and "section3" not in p.name)
    return paths or sorted((ROOT / "examples").glob("*.[tm][xd]*"))


def _median_ms(fn, data: bytes) -> float:  # type: ignore[no-untyped-def]
    """Median CPU time of one call (process time: time spent waiting for a core shared with other
    processes is not counted, so the figure is the one-core cost even on a busy machine)."""
    fn(data)
    times = []
    for _ in range(RUNS):
        start = time.process_time()
        fn(data)
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def main() -> None:
    print(f"python {platform.python_version()} on {platform.machine()}, {RUNS} runs per file, median CPU time, "
          f"load average {os.getloadavg()[0]:.1f}")
    stages = {
        "read": lambda d: read_bytes(d, "bench.txt"),
        "read+extract": lambda d: extract(read_bytes(d, "bench.txt")),
        "parse": lambda d: audit(extract(read_bytes(d, "bench.txt"))),
    }
    totals: dict[str, list[float]] = {name: [] for name in stages}
    for path in _inputs():
        data = path.read_bytes()
        figures = {name: _median_ms(fn, data) for name, fn in stages.items()}
        for name, value in figures.items():
            totals[name].append(value)
        print(f"{path.name[:48]:48s} " + "  ".join(f"{n} {v:6.2f} ms" for n, v in figures.items()))
    parse = statistics.median(totals["parse"])
    print(f"median parse time per text report: {parse:.2f} ms "
          f"(read {statistics.median(totals['read']):.2f}, extract "
          f"{statistics.median(totals['read+extract']) - statistics.median(totals['read']):.2f}, audit "
          f"{parse - statistics.median(totals['read+extract']):.2f})")
    figure("text parse per report", parse, "ms", GOAL_MS,
           f"CPU, median over {len(totals['parse'])} text reports of the median of {RUNS} runs each")


if __name__ == "__main__":
    main()
