"""Web pages over a generated corpus (default 10,000 reports) → server time per page; prints figures, asserts nothing.

The corpus is generated as bench_corpus.py does (synthetic text reports of units × 2019–2024, with their faults) and
ingested; then the app answers in-process requests (Starlette's TestClient: no network, no server process) for
report pages, their cell evidence, the report list, the dashboard and one unit's year-over-year view, after one
warm-up request of each kind on other URLs. The app keeps recent read results, so each URL is timed on its first
request ("first": the database is read) and again ``--runs`` times ("again": kept results); the goals are checked on
first requests. Figures are the median wall time and the CPU time of this process (all threads) per request.

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
REPORTS = 20
"""Report pages timed (spread over the corpus)."""


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


def pages(database: Path) -> dict[str, tuple[str, list[str]]]:
    """By page kind: a warm-up URL and the URLs timed (reports spread over the corpus, dashboards of several
    selections, one unit's year-over-year view)."""
    with duckdb.connect(str(database), read_only=True) as con:
        ids = [row[0] for row in con.execute("SELECT id FROM current_reports ORDER BY id").fetchall()]
        picked = [ids[i * (len(ids) - 1) // REPORTS] for i in range(REPORTS + 1)]
        agencies = [row[0] for row in con.execute(
            "SELECT agency FROM current_reports WHERE id IN (SELECT unnest(?)) ORDER BY id", [picked[:3]]).fetchall()]
        years = [row[0] for row in con.execute("SELECT DISTINCT year FROM current_reports ORDER BY year").fetchall()]
    warm, timed_ids = picked[0], picked[1:]
    return {"report page": (f"/reports/{warm}", [f"/reports/{i}" for i in timed_ids]),
            "cell evidence": (f"/reports/{warm}/cells/t3.new_received.total",
                              [f"/reports/{i}/cells/t3.new_received.total" for i in timed_ids]),
            "report list": ("/?page=2", ["/", *(f"/?year={y}" for y in years)]),
            "dashboard": ("/dashboard?by=county", ["/dashboard", "/dashboard?by=city",
                                                   *(f"/dashboard?year={y}" for y in years)]),
            "unit years": (f"/dashboard?unit={agencies[0]}", [f"/dashboard?unit={a}" for a in agencies[1:]]),
            "API report": (f"/api/reports/{warm}", [f"/api/reports/{i}" for i in timed_ids])}


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
    parser.add_argument("--runs", type=int, default=5, help="requests per URL after its first")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes generating, ingesting")
    parser.add_argument("--dir", type=Path, help="where to generate and ingest (kept and reused when given)")
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="nianbao-bench-web-"))
    print(f"python {platform.python_version()}, duckdb {duckdb.__version__}, {os.cpu_count()} cores, "
          f"{args.count} reports, load average {os.getloadavg()[0]:.1f}")
    try:
        database = corpus(work, args.count, args.workers)
        with TestClient(create_app(database)) as client:
            for kind, (warm, urls) in pages(database).items():
                timed(client, warm)  # templates compiled, the app's own first reads done
                first = [timed(client, url) for url in urls]
                again = [timed(client, url) for _ in range(args.runs) for url in urls]
                for label, spent in (("first", first), ("again", again)):
                    print(f"{kind:<14} {label} {len(spent):3d} requests: wall median "
                          f"{statistics.median(w for w, _ in spent) * 1000:6.1f} ms (max "
                          f"{max(w for w, _ in spent) * 1000:6.1f}), CPU median "
                          f"{statistics.median(c for _, c in spent) * 1000:6.1f} ms")
                if kind in GOALS_MS:
                    wall, cpu = (statistics.median(x) * 1000 for x in zip(*first, strict=True))
                    figure(f"web {kind}, {args.count:,} reports", wall, "ms", GOALS_MS[kind],
                           f"server time (in-process), wall median of {len(first)} first requests (database read); "
                           f"CPU {cpu:.0f} ms, load average {os.getloadavg()[0]:.1f}")
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
    finally:
        if args.dir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
