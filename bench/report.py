"""Every bench of bench/ run in turn → docs/benchmarks.md: the figures against issue 17's goals, the machine, the
Python and library versions, the date, and each bench's own output. Asserts nothing.

Quick sizes by default (the whole run takes some minutes); ``--full`` runs the sizes of the goals (100,000 reports
for the corpus, every page for OCR, more runs) and the national-scale corpus of a million reports, on the process
pool and on a local Dask cluster, which a quick run leaves out. ``--only start,text`` runs some benches. A bench not
run keeps the figures and output the page already holds of it (each section says when its bench ran); ``--out``
writes elsewhere.

    python bench/report.py [--full] [--only NAMES] [--out docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from figures import PREFIX, cpu_model

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
LIBRARIES = ("typer", "rich", "pydantic", "duckdb", "pyarrow", "pdfplumber", "pdfminer.six", "pypdfium2", "lxml",
             "python-docx", "rapidocr", "onnxruntime", "opencv-python-headless", "fastapi", "starlette", "jinja2",
             "dask", "numpy")
TIMEOUT_S = 3600
NATIONAL_DIR = str(Path(tempfile.gettempdir()) / "nianbao-bench-national")
"""Where the million reports are generated once, for both national runs and later ones (about 5 GB; delete at will)."""


@dataclass(frozen=True)
class Bench:
    """One bench script with its arguments at quick and at full sizes."""

    name: str
    script: str
    quick: tuple[str, ...] | None
    """None: run at full sizes only (a quick run keeps what the page holds of it)."""
    full: tuple[str, ...]

    def runs(self, full: bool) -> bool:
        return full or self.quick is not None


BENCHES = (
    Bench("start", "bench_start.py", ("--runs", "10"), ("--runs", "20")),
    Bench("text", "bench_text.py", (), ()),
    Bench("pdf", "bench_pdf.py", ("--runs", "3"), ("--runs", "7")),
    Bench("formats", "bench_formats.py", ("--runs", "3", "--ocr-pages", "2"), ("--runs", "7")),
    Bench("html_docx", "bench_html_docx.py", ("5",), ("30",)),
    Bench("corpus", "bench_corpus.py", ("--count", "10000"), ("--count", "100000")),
    Bench("national", "bench_corpus.py", None, ("--count", "1000000", "--dir", NATIONAL_DIR)),
    Bench("national_dask", "bench_corpus.py", None,
          ("--count", "1000000", "--dir", NATIONAL_DIR, "--executor", "dask")),
    Bench("web", "bench_web.py", ("--count", "10000", "--runs", "5"), ("--count", "10000", "--runs", "20")),
    Bench("summary", "bench_summary.py", ("--units", "50"), ("--units", "200")),
    Bench("web_load", "bench_web_load.py", (), ()),
    Bench("variants", "bench_variants.py", ("--count", "1", "--form-seconds", "20"), ("--count", "70")),
)


@dataclass
class Run:
    """What one bench printed, how long it took, how it ended and the load average before and after it."""

    bench: Bench
    argv: list[str]
    output: str
    seconds: float
    status: int
    started: datetime.datetime
    loads: tuple[float, float]

    def rows(self) -> list[str]:
        """The bench's rows of the figures table."""
        rows = [f"| {self.bench.name} | " + line[len(PREFIX):].strip() + " |"
                for line in self.output.splitlines() if line.startswith(PREFIX)]
        if self.status != 0:
            rows.append(f"| {self.bench.name} | (exit status {self.status}: see its output) | | | | |")
        return rows

    def section(self) -> str:
        """The bench's section: command, when, how long, and its output."""
        command = " ".join(Path(a).name if a.endswith(".py") else a for a in self.argv[1:])
        return (f"### {self.bench.name}\n\n`python {command}`: run {self.started:%Y-%m-%d %H:%M} UTC, "
                f"{self.seconds:.0f} s, exit status {self.status}, load average {self.loads[0]:.1f} → "
                f"{self.loads[1]:.1f}\n\n```\n{self.output.rstrip()}\n```\n")


def run(bench: Bench, full: bool) -> Run:
    """Run one bench as its own process, echoing its output as it comes."""
    argv = [sys.executable, str(BENCH / bench.script), *(bench.full if full else bench.quick or ())]
    print(f"== {bench.name}: {' '.join(argv[1:])}", flush=True)
    when, load = datetime.datetime.now(datetime.UTC), os.getloadavg()[0]
    started = time.perf_counter()
    lines = []
    with subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as child:
        assert child.stdout is not None
        for line in child.stdout:
            sys.stdout.write(line)
            lines.append(line)
        status = child.wait(TIMEOUT_S)
    return Run(bench, argv, "".join(lines), time.perf_counter() - started, status, when, (load, os.getloadavg()[0]))


def _memory_gb() -> str:
    try:
        info = Path("/proc/meminfo").read_text(encoding="utf-8").splitlines()
    except OSError:
        return "?"
    kb = next((int(line.split()[1]) for line in info if line.startswith("MemTotal:")), 0)
    return f"{kb / 2**20:.1f} GB"


def _versions() -> str:
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            continue
    return ", ".join(found)


def earlier(page: str) -> dict[str, tuple[list[str], str]]:
    """The figures table rows and the section of each bench on a page written before, by bench name."""
    rows: dict[str, list[str]] = {}
    for line in page.splitlines():
        if line.startswith("| ") and not line.startswith(("| bench |", "|---")):
            rows.setdefault(line.split(" | ")[0][2:], []).append(line)
    sections = {part.split("\n", 1)[0].strip(): "### " + part for part in page.split("\n### ")[1:]}
    dated = re.search(r" on (\d{4}-\d\d-\d\d \d\d:\d\d UTC)", page)  # a page whose sections carry no date
    if dated:
        run = f"`: run in the make bench started {dated.group(1)}, "
        sections = {name: re.sub(r"` \((\d+ s, exit status \d+)\)", lambda m: run + m.group(1), section, count=1)
                    for name, section in sections.items()}
    return {name: (rows.get(name, []), section) for name, section in sections.items()}


def markdown(runs: list[Run], full: bool, kept: dict[str, tuple[list[str], str]]) -> str:
    """The page: machine, figures table, then every bench's section, in the order of BENCHES; a bench not run
    now keeps what ``kept`` holds of it."""
    ran = {r.bench.name: r for r in runs}
    rows, sections = [], []
    for bench in BENCHES:
        if bench.name in ran:
            rows += ran[bench.name].rows()
            sections.append(ran[bench.name].section())
        elif bench.name in kept:
            rows += kept[bench.name][0]
            sections.append(kept[bench.name][1].rstrip() + "\n")
    head = [
        "# Benchmarks",
        "",
        f"Written by `make bench{'-full' if full else ''}` (`bench/report.py`{' --full' if full else ''}), at "
        f"{'full' if full else 'quick'} sizes; each section says when its bench ran. Figures are measured, never "
        "asserted in a test. CPU time is what a run costs on the cores it used; wall time also counts waiting for a "
        "core while other processes share the machine: read wall figures with the load average beside them.",
        "",
        "## Machine",
        "",
        f"- CPU: {cpu_model()}, {os.cpu_count()} cores; memory {_memory_gb()}; "
        f"{platform.system()} {platform.release()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()})",
        f"- Libraries: {_versions()}",
        "",
        "## Figures and goals (issue 17)",
        "",
        "| bench | figure | measured | goal | met | how |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        "## Each bench",
        "",
    ]
    return "\n".join(head) + "\n" + "\n".join(sections)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the sizes of the goals (takes much longer)")
    parser.add_argument("--only", default="", help="comma-separated bench names: " + ",".join(b.name for b in BENCHES))
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    wanted = set(filter(None, args.only.split(",")))
    unknown = wanted - {b.name for b in BENCHES}
    if unknown:
        raise SystemExit(f"unknown bench: {', '.join(sorted(unknown))}")
    kept = earlier(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    runs = [run(b, args.full) for b in BENCHES if (not wanted or b.name in wanted) and b.runs(args.full)]
    args.out.write_text(markdown(runs, args.full, kept), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
