"""Fresh ``nianbao`` processes → wall and CPU time of ``nianbao --help`` and ``nianbao parse SEED --json``;
prints figures (median and best of N, machine and versions), asserts nothing.

Each run is a new process, as a script calling the command once per file pays it. CPU time (user + system of
the child) is what the process costs on one core; on a loaded machine wall time also counts the wait for a
core, so compare CPU time between runs and read wall time on a quiet machine.
Run: .venv/bin/python bench/bench_start.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

from figures import cpu_model, figure

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOALS_MS = {"--help": 150, "parse --json": 250}
"""Wall-time goals of issue 17 on a quiet machine."""


def _command() -> list[str]:
    """The installed ``nianbao`` script beside this interpreter, else ``python -m nianbao``."""
    script = Path(sys.executable).parent / "nianbao"
    return [str(script)] if script.exists() else [sys.executable, "-m", "nianbao"]


def _seed() -> Path:
    seeds = sorted((SHARED / "seeds").glob("*.txt")) or sorted((ROOT / "examples").glob("*.txt"))
    return seeds[0]


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one process running ``argv`` to its end."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, _, usage = os.wait4(child.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description="Wall and CPU time of fresh nianbao processes.")
    parser.add_argument("--runs", type=int, default=20, help="processes per command (default 20)")
    runs = parser.parse_args().runs
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # as installed: bytecode cached
    command, seed = _command(), _seed()
    cases = {"--help": [*command, "--help"], "parse --json": [*command, "parse", str(seed), "--json"]}
    print(f"python {platform.python_version()} on {platform.machine()} ({cpu_model()}, {os.cpu_count()} cores); "
          f"typer {version('typer')}, rich {version('rich')}, pydantic {version('pydantic')}")
    print(f"{' '.join(command)}; seed {seed.name}; {runs} fresh processes per command, "
          f"load average {os.getloadavg()[0]:.1f}")
    for name, argv in cases.items():
        _run(argv, env)  # warm-up: bytecode written, files in the page cache
        walls, cpus = zip(*(_run(argv, env) for _ in range(runs)), strict=True)
        print(f"{name:14s} wall median {statistics.median(walls) * 1000:6.0f} ms (best {min(walls) * 1000:4.0f})   "
              f"CPU median {statistics.median(cpus) * 1000:6.0f} ms (best {min(cpus) * 1000:4.0f})   "
              f"goal {GOALS_MS[name]} ms wall")
        figure(f"CLI start: nianbao {name}", statistics.median(walls) * 1000, "ms", GOALS_MS[name],
               f"wall, median of {runs} fresh processes (CPU median {statistics.median(cpus) * 1000:.0f} ms)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
