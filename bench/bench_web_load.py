"""A busy morning on a served app (loopback) → seconds per page request while one worker parses a hostile
200 MB-XML DOCX and another draws a huge-page PDF, clients uploading meanwhile; prints figures, asserts nothing.

The target is every page request under 1 s. Run: .venv/bin/python bench/bench_web_load.py
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.web.hostile import busy_morning
from tests.web.test_browser import serving


def main() -> None:
    """Run the morning once and print the page latencies."""
    with tempfile.TemporaryDirectory() as directory:
        run = busy_morning(Path(directory) / "load.duckdb", serving)
    seconds = sorted(s for _, _, s, _ in run.answers)
    during = sum(done < run.parse_done for _, _, _, done in run.answers)
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print(f"{len(seconds)} page requests: median {statistics.median(seconds):.3f} s, "
          f"p90 {seconds[int(len(seconds) * 0.9)]:.3f} s, max {seconds[-1]:.3f} s, "
          f"{sum(s < 1.0 for s in seconds)} under 1 s; {during} answered while the hostile parse ran")
    for path in sorted({p for p, _, _, _ in run.answers}):
        mine = [s for p, _, s, _ in run.answers if p == path]
        print(f"  {path:<16} median {statistics.median(mine):.3f} s, max {max(mine):.3f} s")
    print(f"hostile upload {run.bomb_status}; images {run.images.count(200)}/{len(run.images)}; "
          f"uploads {run.uploads}")


if __name__ == "__main__":
    main()
