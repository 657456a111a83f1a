"""Corpus store at scale: generate N synthetic text reports (default 100,000), ingest them into DuckDB, and print
reports/second, total time, peak memory of the process tree (sampled, with its course over the run) and the
time of a province × year group-by. Prints figures only; asserts nothing. Linux (reads /proc for memory).

    python bench/bench_corpus.py --count 20000 --workers 2
    python bench/bench_corpus.py --count 10000 --executor dask   # on a local Dask cluster of --workers workers

With ``--executor dask`` a local cluster (one single-threaded worker process per ``--workers``) is started
before the clock starts, as a running cluster would be; its processes are children of this one, so their
memory and CPU count with the rest.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import multiprocessing
import os
import platform
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb
from figures import figure

from nianbao.render.text import render_text
from nianbao.store import ingest
from nianbao.synth import YEARS, panel, unit_names

FILES_PER_DIR = 1000
RSS_SAMPLE_S = 0.5
QUERY_RUNS = 5
GROUP_BY = ("SELECT r.province, r.year, count(*) AS reports, sum(c.value) AS applications FROM current_reports r "
            "JOIN cells c ON c.report_id = r.id AND c.key = 't3.new_received.total' GROUP BY ALL")
GOAL_S, GOAL_COUNT, GOAL_PSS_MB, GOAL_QUERY_MS = 120, 100_000, 400, 20
"""The goals: 100,000 reports ingested in 120 s at a peak PSS of 400 MB (time scaled with the count, memory flat);
a province × year group-by in 20 ms (beyond 100,000 reports its time is printed)."""
GROUP_BY_REPORTS = "SELECT province, year, count(*) AS reports FROM current_reports GROUP BY ALL"


def _write(directory: Path, agencies: list[str], years: tuple[int, ...], seed: int) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    count = 0
    for report in panel(agencies, years, seed):
        (directory / f"{report.meta.agency}{report.meta.year}.txt").write_text(render_text(report), encoding="utf-8")
        count += 1
    return count


def _write_part(args: tuple[Path, list[str], int, int]) -> int:
    directory, agencies, seed, last_years = args
    return _write(directory, agencies[:-1], YEARS, seed) + _write(directory, agencies[-1:], YEARS[:last_years], seed)


def generate(directory: Path, count: int, seed: int, workers: int) -> None:
    """``count`` rendered reports of ceil(count / 6) units × 2019–2024, FILES_PER_DIR per subdirectory."""
    units = math.ceil(count / len(YEARS))
    names = unit_names(units, seed)
    per_dir = FILES_PER_DIR // len(YEARS)
    parts = []
    for start in range(0, units, per_dir):
        chunk = names[start:start + per_dir]
        last = count - (units - 1) * len(YEARS) if start + per_dir >= units else len(YEARS)
        parts.append((directory / f"{start // per_dir:04d}", chunk, seed, last))
    with ProcessPoolExecutor(workers) as pool:
        total = sum(pool.map(_write_part, parts))
    print(f"generated {total} reports in {directory}")


def generate_apart(directory: Path, count: int, seed: int, workers: int) -> None:
    """``generate`` in a process of its own: what making the reports loads (the generator, the division tables)
    stays out of this process, whose memory is measured during the ingest as a user's would be."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        pool.submit(generate, directory, count, seed, workers).result()


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            todo += [int(p) for p in task.read_text().split()]
    return pids


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of a process in MB; PSS shares the pages a forked worker shares with its parent fairly."""
    found = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith(("Rss:", "Pss:")):
                found[line.split(":")[0]] = int(line.split()[1]) / 1024
    except OSError:
        pass
    return found.get("Rss", 0.0), found.get("Pss", 0.0)


PHASES = {"hashing": "hashing", "parsing": "parsing and storing", "audit": "cross-report audit and checkpoint"}
"""The phases of an ingest as ``ingest``'s progress stages tell them (the audit follows the last commit)."""


class RssSampler(threading.Thread):
    """Memory of this process and its descendants, sampled every RSS_SAMPLE_S seconds: (seconds, total PSS,
    largest RSS of one process, PSS of this process) and the phase (``PHASES``) it was taken in; and the CPU
    seconds each descendant had used when last seen (a process that ends between two samples loses at most one
    interval's CPU)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[tuple[float, float, float, float]] = []
        self.phases: list[str] = []
        self.phase = "hashing"
        self.cpu: dict[int, float] = {}
        self.own_cpu = 0.0
        self.stopped = threading.Event()

    def run(self) -> None:
        start = time.perf_counter()
        before = {p: _cpu_s(p) for p in _tree(os.getpid())[1:]}
        while not self.stopped.wait(RSS_SAMPLE_S):
            pids = _tree(os.getpid())
            per_process = [_memory_mb(p) for p in pids]
            for pid in pids[1:]:
                self.cpu[pid] = max(self.cpu.get(pid, 0.0), _cpu_s(pid) - before.get(pid, 0.0))
            self.own_cpu = time.thread_time()
            self.samples.append((time.perf_counter() - start, sum(pss for _, pss in per_process),
                                 max((rss for rss, _ in per_process), default=0.0), per_process[0][1]))
            self.phases.append(self.phase)

    def peaks(self) -> str:
        """The peak PSS of the process tree (and of this process) in each phase."""
        out = []
        for phase, name in PHASES.items():
            taken = [s for s, p in zip(self.samples, self.phases, strict=True) if p == phase]
            if taken:
                top = max(taken, key=lambda s: s[1])
                out.append(f"{name} {top[1]:.0f} MB ({top[3]:.0f} MB this process)")
        return ", ".join(out)


def _best_ms(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(QUERY_RUNS):
        started = time.perf_counter()
        rows = len(con.execute(sql).fetchall())
        times.append(time.perf_counter() - started)
    return min(times) * 1000, rows


def _course(samples: list[tuple[float, float, float, float]]) -> str:
    if not samples:
        return "n/a"
    picks = [samples[min(len(samples) - 1, int(len(samples) * q))] for q in (0.1, 0.25, 0.5, 0.75, 0.95)]
    return ", ".join(f"{t:.0f}s {total:.0f} MB" for t, total, _, _ in picks)


@contextlib.contextmanager
def _executor(name: str, workers: int) -> Iterator[dict[str, str]]:
    """The executor arguments of ``ingest``: a local Dask cluster of ``workers`` processes for ``dask``."""
    if name != "dask":
        yield {}
        return
    from distributed import LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield {"executor": "dask", "scheduler": cluster.scheduler_address}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="reports to generate and ingest")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="ingest worker processes")
    parser.add_argument("--dir", type=Path, help="where to generate (kept and reused when given)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--executor", choices=("process", "dask"), default="process",
                        help="local process pool, or a local Dask cluster of --workers worker processes")
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    inputs, db = work / "reports", work / "corpus.duckdb"
    print(f"python {platform.python_version()}, duckdb {duckdb.__version__}, {os.cpu_count()} cores, "
          f"{args.workers} workers ({args.executor}), {args.count} reports, load average {os.getloadavg()[0]:.1f}")
    if not inputs.exists():
        generate_apart(inputs, args.count, args.seed, args.workers)
    for stale in work.glob("corpus.duckdb*"):
        stale.unlink()
    phases: dict[str, float] = {}
    cpu_phases: dict[str, float] = {}
    with _executor(args.executor, args.workers) as how:
        sampler = RssSampler()
        sampler.start()
        started, cpu_started = time.perf_counter(), time.process_time()
        last = [started, cpu_started]

        def progress(stage: str, done: int, total: int) -> None:
            """Time since the previous call counts to ``stage`` (a long run hashes and parses segment by segment)."""
            now, cpu = time.perf_counter(), time.process_time()
            phases[stage] = phases.get(stage, 0.0) + now - last[0]
            cpu_phases[stage] = cpu_phases.get(stage, 0.0) + cpu - last[1]
            last[:] = [now, cpu]
            sampler.phase = "audit" if stage == "parsing" and done >= total else stage

        result = ingest([inputs], db, workers=args.workers, progress=progress, shard_dir=work / "shards", **how)
        total = time.perf_counter() - started
        sampler.stopped.set()
        sampler.join()
    cpu_total, children = time.process_time() - cpu_started, sum(sampler.cpu.values())
    parsing = phases.get("parsing", total)
    print(f"ingest: {result.parsed} parsed, {result.failed} failed, {result.corpus_findings} cross-report findings")
    print(f"total {total:.1f} s = hashing {phases.get('hashing', 0):.1f} s + parsing and storing {parsing:.1f} s "
          f"+ cross-report audit and checkpoint {total - parsing - phases.get('hashing', 0):.1f} s")
    hashing_cpu = cpu_phases.get("hashing", 0.0)
    storing_cpu = cpu_phases.get("parsing", cpu_total)
    print(f"CPU: this process {cpu_total - sampler.own_cpu:.1f} s, not counting the memory sampler's "
          f"{sampler.own_cpu:.1f} s (hashing {hashing_cpu:.1f} s, parsing and storing {storing_cpu:.1f} s with the "
          f"sampler, audit and checkpoint {cpu_total - hashing_cpu - storing_cpu:.1f} s) + child processes "
          f"{children:.1f} s")
    print(f"throughput {result.inputs / total:.0f} reports/s overall, {result.parsed / parsing:.0f} reports/s "
          f"while parsing")
    peak = max(sampler.samples, key=lambda s: s[1], default=(0.0, 0.0, 0.0, 0.0))
    peak_one = max((s[2] for s in sampler.samples), default=0.0)
    print(f"peak memory {peak[1]:.0f} MB PSS for the process tree ({peak[3]:.0f} MB this process, "
          f"{peak[1] - peak[3]:.0f} MB its children; largest process {peak_one:.0f} MB RSS); "
          f"PSS over the run: {_course(sampler.samples)}")
    print(f"peak PSS by phase: {sampler.peaks()}")
    print(f"load average at the end {os.getloadavg()[0]:.1f} (other processes share the cores)")
    print(f"database {sum(p.stat().st_size for p in work.glob('corpus.duckdb*')) / 2**20:.0f} MB")
    figure(f"corpus ingest, {args.count:,} reports", total, "s", GOAL_S * args.count / GOAL_COUNT,
           f"wall, {args.workers} workers ({args.executor}) (goal scaled from {GOAL_S} s for {GOAL_COUNT:,}); CPU "
           f"{cpu_total - sampler.own_cpu + children:.0f} s in all, load average {os.getloadavg()[0]:.1f}")
    figure(f"corpus ingest peak memory, {args.count:,} reports", peak[1], "MB", GOAL_PSS_MB,
           "PSS of the process tree, sampled")
    with duckdb.connect(str(db), read_only=True) as con:
        for name, sql in (("province × year, Σ 本年新收 (cells join)", GROUP_BY),
                          ("province × year, count (reports only)", GROUP_BY_REPORTS)):
            ms, rows = _best_ms(con, sql)
            print(f"query {name}: {ms:.1f} ms (best of {QUERY_RUNS}, {rows} groups)")
            if sql is GROUP_BY:
                goal = GOAL_QUERY_MS if args.count <= GOAL_COUNT else None
                figure(f"group-by province × year, {args.count:,} reports", ms, "ms", goal,
                       f"wall, best of {QUERY_RUNS}, {name}" + ("" if goal else
                                                                f"; the goal is for {GOAL_COUNT:,} reports"))
    if args.dir is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
