"""Web pages over a generated corpus (default 10,000 reports) → server time per page; prints figures, asserts nothing.

The corpus is generated as bench_corpus.py does (synthetic text reports of units × 2019–2024, with their faults) and
ingested; then the app answers in-process requests (Starlette's TestClient: no network, no server process) for a
report page, its cell evidence, the report list, the dashboard and one unit's year-over-year view. Each page is
asked ``--runs`` times after a warm-up; the figures are the median wall time and the CPU time of this process (all
threads) per request.

    python bench/bench_web.py --count 10000 [--dir DIR] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
from bench_corpus import generate
from fastapi.testclient import TestClient
from figures import figure

from nianbao.store import ingest
from nianbao.web import create_app

GOALS_MS = {"report page": 100, "dashboard": 300}
"""Issue 17's goals: server time of a report page and of the dashboard on a 10,000-report corpus."""
REPORTS = 5
"""Report pages asked for (spread over the corpus), each ``--runs`` times."""


def corpus(work: Path, count: int, workers: int) -> Path:
    """The ingested corpus database under ``work``, generated and ingested unless already there."""
    database = work / "corpus.duckdb"
    if database.exists():
        return database
    if not (work / "reports").exists():
        generate(work / "reports", count, seed=0, workers=workers)
    started = time.perf_counter()
    ingest([work / "reports"], database, workers=workers)
    print(f"ingested {count} reports in {time.perf_counter() - started:.1f} s")
    return database


def pages(database: Path) -> dict[str, list[str]]:
    """The URLs asked for, by page kind: reports spread over the corpus, one unit for its year-over-year view."""
    with duckdb.connect(str(database), read_only=True) as con:
        ids = [row[0] for row in con.execute("SELECT id FROM current_reports ORDER BY id").fetchall()]
        picked = [ids[i * (len(ids) - 1) // max(REPORTS - 1, 1)] for i in range(REPORTS)]
        agency = con.execute("SELECT agency FROM current_reports WHERE id = ?", [picked[0]]).fetchone()[0]
    return {"report page": [f"/reports/{i}" for i in picked],
            "cell evidence": [f"/reports/{i}/cells/t3.new_received.total" for i in picked],
            "report list": ["/", "/?year=2023", "/?page=3"],
            "dashboard": ["/dashboard", "/dashboard?year=2023", "/dashboard?by=city"],
            "unit years": [f"/dashboard?unit={agency}"],
            "API report": [f"/api/reports/{i}" for i in picked]}


def timed(client: Any, url: str) -> tuple[float, float]:
    """Wall and CPU seconds of one request; fails on an answer other than 200."""
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    spent = time.perf_counter() - wall, time.process_time() - cpu
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="reports in the generated corpus")
    parser.add_argument("--runs", type=int, default=10, help="requests per URL after a warm-up")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes generating, ingesting")
    parser.add_argument("--dir", type=Path, help="where to generate and ingest (kept and reused when given)")
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="nianbao-bench-web-"))
    print(f"python {platform.python_version()}, duckdb {duckdb.__version__}, {os.cpu_count()} cores, "
          f"{args.count} reports, load average {os.getloadavg()[0]:.1f}")
    try:
        database = corpus(work, args.count, args.workers)
        with TestClient(create_app(database)) as client:
            for kind, urls in pages(database).items():
                for url in urls:
                    timed(client, url)  # warm-up: templates compiled, caches filled
                walls, cpus = zip(*(timed(client, url) for _ in range(args.runs) for url in urls), strict=True)
                wall, cpu = statistics.median(walls) * 1000, statistics.median(cpus) * 1000
                print(f"{kind:<14} {len(urls)} URLs × {args.runs}: wall median {wall:6.1f} ms "
                      f"(max {max(walls) * 1000:6.1f}), CPU median {cpu:6.1f} ms")
                if kind in GOALS_MS:
                    figure(f"web {kind}, {args.count:,} reports", wall, "ms", GOALS_MS[kind],
                           f"server time (in-process), wall median of {len(walls)} requests; CPU {cpu:.0f} ms")
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
    finally:
        if args.dir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
