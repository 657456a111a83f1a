"""Scraped one-line dumps of generated reports (no separator, space, TAB, newline between cells), parsed
back: per separator style, files, perfect files, cells exact, missing and wrong. Prints figures only.

Usage: bench_scraped.py [FILES_PER_STYLE] [SEED]
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.factory import cells_of
from tests.variants.scraped import SEPARATORS, dump, varied_report

from nianbao.audit import audit
from nianbao.extract import extract
from nianbao.readers import read_bytes


def main() -> None:
    files = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    print(f"{'style':<10}{'files':>7}{'perfect':>9}{'exact':>9}{'missing':>9}{'wrong':>7}{'ms/file':>9}")
    for style, separator in SEPARATORS.items():
        rng = random.Random(f"{seed}-{style}")
        counts: Counter[str] = Counter()
        spent = 0.0
        for _ in range(files):
            truth = varied_report(rng)
            data = dump(truth, separator, rng).encode("utf-8")
            start = time.process_time()
            got = audit(extract(read_bytes(data, "scraped.txt")))
            spent += time.process_time() - start
            expected, found = cells_of(truth), cells_of(got)
            exact = sum(1 for k, v in expected.items() if found.get(k) == v)
            wrong = sum(1 for k, v in expected.items() if k in found and found[k] != v)
            counts.update(files=1, perfect=int(exact == len(expected)), exact=exact, wrong=wrong,
                          missing=len(expected) - exact - wrong)
        print(f"{style:<10}{counts['files']:>7}{counts['perfect']:>9}{counts['exact']:>9}{counts['missing']:>9}"
              f"{counts['wrong']:>7}{spent / files * 1000:>9.1f}")


if __name__ == "__main__":
    main()
