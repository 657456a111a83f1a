"""Generated reports → every form a user meets → parse → cells scored against the truth; prints one table.

Each of ``--count`` random reports (tests/variants/reports.py: both templates, random and inconsistent
values, blank/0/无 styles with merged 无 cells, decimals, signed 本年增减) is printed in every form
registered in tests/variants (DOCX, LibreOffice PDF and its pdftotext texts, LibreOffice text and HTML,
pandoc, the renderer's own styles, and the forms other modules add), drawn with random page sizes,
margins, column widths and label wordings, then parsed with ``nianbao.api.parse_bytes``. Every cell of
the truth is exact, missing or wrong (tests/variants/score.py); agency and year are scored too.
Forms whose tool is not installed are listed as skipped. ``--keep-failures DIR`` writes every file not
parsed perfectly under DIR/<form>/ with its truth (JSON) and a diff of its cells.
Forms that print a blank cell as nothing (tests/variants/determined.py) also count the cells missing that
their print leaves undetermined, two readings of the print that keep the identities it could keep giving them
different texts, whichever the truth breaks (``undet``: the parser is right to leave them), the files
perfect but for those (``perfect*``: every other cell exact, none wrong) and the undetermined cells left
missing with no finding naming them, their row or their table (``unflagged``); ``-`` for forms whose loss is
not modelled. In every form, the cells last year's rows printed with no year caption state otherwise than this
year's are undetermined too (``determined.copies_undecided``).
A second table gives the perfect files per drawing axis: each wording (the label and heading variants a
file applies), the merged 无 cells, repeated header rows, page numbers, paper size, and the artefacts of real
reports (tests/variants/wild.py: notes, extra rows, whitespace junk, captions, last year's rows; amounts with
units and blank 总计 cells in the truth).
A form stops making files after ``--form-seconds`` (OCR scans are slow); its row shows how many it made.
Run: .venv/bin/python bench/bench_variants.py [--count N] [--forms a,b] [--seed S] [--keep-failures DIR]
     [--form-seconds S]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests package holds the generator

from tests.variants import Form, load_forms
from tests.variants.determined import copies_undecided, undetermined
from tests.variants.drawing import draw
from tests.variants.reports import random_report
from tests.variants.score import Score, score

import nianbao
from nianbao.api import parse_bytes
from nianbao.errors import NianbaoError
from nianbao.report import Report

TABULATED = ("merged", "repeat_header", "page_number", "page", "notes", "extra_rows", "junk", "caption",
             "last_year", "amount_unit", "t3_totals", "numbers")
"""Drawing axes besides wording that the second table breaks results down by."""
TOOLS = {"soffice": ["soffice", "--version"], "pdftotext": ["pdftotext", "-v"], "pandoc": ["pandoc", "--version"]}


@dataclass
class Tally:
    """One form's totals."""

    files: int = 0
    perfect: int = 0
    exact: int = 0
    missing: int = 0
    wrong: int = 0
    meta: int = 0
    errors: int = 0
    undet: int = 0
    """Cells missing that the print leaves undetermined."""
    perfect_star: int = 0
    """Files perfect but for cells the print leaves undetermined (missing or exact, never wrong)."""
    unflagged: int = 0
    """Undetermined cells left missing with no finding naming them, their row or their table."""
    modelled: bool = False
    seconds: float = 0.0
    measuring: float = 0.0
    """Time spent finding the undetermined cells, left out of ``seconds``."""
    skipped: str = ""
    lost: Counter[str] = field(default_factory=Counter)

    def add(self, result: Score, unsure: set[str] | None = None) -> None:
        """Count one file's score; ``unsure``: the cells its print leaves undetermined (None: not modelled)."""
        self.files += 1
        if unsure is not None:
            self.modelled = True
            left = [key for key in result.missing if key in unsure]
            self.undet += len(left)
            self.perfect_star += not (result.wrong or result.meta or result.error) and len(left) == len(result.missing)
            self.unflagged += len(set(left) & set(result.unflagged))
        else:
            self.perfect_star += result.perfect
        self.perfect += result.perfect
        self.exact += result.exact
        self.missing += len(result.missing)
        self.wrong += len(result.wrong)
        self.meta += len(result.meta)
        self.errors += bool(result.error)
        self.lost.update(key.split(".")[0] for key in result.missing)


def reports(count: int, seed: int) -> list[Report]:
    """The truth: ``count`` random reports drawn from ``seed``."""
    return [random_report(random.Random(f"{seed}/{index}")) for index in range(count)]


def parsed(data: bytes, name: str) -> tuple[Report | None, str]:
    """The parsed report, or None and why not."""
    try:
        return parse_bytes(data, name), ""
    except NianbaoError as exc:
        return None, f"{exc.code}: {exc.reason}"
    except Exception as exc:  # a crash on one file is a result to report, not a reason to stop
        return None, f"crash {type(exc).__name__}: {exc}"


def keep(directory: Path, form: Form, index: int, data: bytes, truth: Report, got: Report | None,
         result: Score, seed: int) -> None:
    """Write a failed file, its truth and the diff of its cells under ``directory/<form>/``."""
    folder = directory / form.name
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{seed}-{index:04d}"
    (folder / f"{stem}{form.suffix}").write_bytes(data)
    record = {"form": form.name, "seed": seed, "index": index, "drawing": draw(truth).axes,
              "truth": json.loads(truth.to_json(indent=None))}
    (folder / f"{stem}.truth.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    lines = [f"error: {result.error}"] if result.error else []
    lines += [f"meta.{name}: truth {want!r} got {have!r}" for name, want, have in result.meta]
    lines += [f"wrong {key}: truth {want!r} got {have!r}" for key, want, have in result.wrong]
    lines += [f"missing {key}: truth {truth_cell.raw!r}" for key in result.missing
              if (truth_cell := truth.cell(key)) is not None]
    (folder / f"{stem}.diff.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if got is not None:
        (folder / f"{stem}.parsed.json").write_text(got.to_json(), encoding="utf-8")


def run_form(form: Form, truths: list[Report], seed: int, failures: Path | None,
             axes: dict[str, Counter[str]], seconds: float) -> Tally:
    """Make, parse and score the files of one form (no new file after ``seconds``)."""
    tally = Tally()
    missing = form.missing()
    if missing:
        tally.skipped = f"{', '.join(missing)} not installed"
        return tally
    start = time.perf_counter()
    jobs = [(truth, random.Random(f"{seed}/{form.name}/{index}")) for index, truth in enumerate(truths)]
    try:
        for index, data in enumerate(form.files(jobs, seconds)):
            check(form, index, data, truths[index], seed, failures, axes, tally)
    except (OSError, subprocess.SubprocessError) as exc:
        tally.skipped = f"maker failed: {type(exc).__name__}: {exc}"[:200]
    tally.seconds = time.perf_counter() - start - tally.measuring
    return tally


def check(form: Form, index: int, data: bytes, truth: Report, seed: int, failures: Path | None,
          axes: dict[str, Counter[str]], tally: Tally) -> None:
    """Parse and score one file; count it in ``tally`` and ``axes``; keep it when not perfect."""
    got, error = parsed(data, f"{form.name}-{index}{form.suffix}")
    result = score(truth, got, error)
    start = time.perf_counter()
    unsure = undetermined(truth, form.name)
    copied = copies_undecided(truth)
    unsure = unsure | copied if unsure is not None else copied or None
    tally.measuring += time.perf_counter() - start
    tally.add(result, unsure)
    for axis in axis_values(truth):
        axes.setdefault(axis, Counter())
        axes[axis]["files"] += 1
        axes[axis]["perfect"] += result.perfect
    if failures is not None and not result.perfect:
        keep(failures, form, index, data, truth, got, result, seed)


def axis_values(truth: Report) -> list[str]:
    """The drawing axes of a report as ``axis=value`` labels, one per wording it applies."""
    drawn = draw(truth).axes
    return [*(f"wording={w}" for w in drawn["wording"].split(",")),
            *(f"{axis}={drawn[axis]}" for axis in TABULATED)]


def versions() -> str:
    """Python, nianbao and the installed tools' versions."""
    out = [f"python {platform.python_version()}", f"nianbao {nianbao.__version__}"]
    for tool, command in TOOLS.items():
        if shutil.which(tool) is None:
            out.append(f"{tool} absent")
            continue
        run = subprocess.run(command, capture_output=True, text=True, timeout=120)
        text = (run.stdout or run.stderr).strip().splitlines()
        out.append(text[0] if text else tool)
    return "; ".join(out)


def table(tallies: dict[str, Tally]) -> list[str]:
    """The per-form table with totals."""
    head = f"{'form':<18} {'files':>6} {'perfect':>8} {'exact':>8} {'missing':>8} {'wrong':>6} {'meta':>5} " \
           f"{'errors':>6} {'undet':>6} {'perfect*':>8} {'unflagged':>9} {'s':>7}  lost in"
    lines = [head, "-" * len(head)]
    total = Tally()
    for name, t in tallies.items():
        if t.skipped:
            lines.append(f"{name:<18} skipped: {t.skipped}")
            continue
        lost = " ".join(f"{k}:{v}" for k, v in sorted(t.lost.items()))
        undet, unflagged = (str(t.undet), str(t.unflagged)) if t.modelled else ("-", "-")
        lines.append(f"{name:<18} {t.files:>6} {t.perfect:>8} {t.exact:>8} {t.missing:>8} {t.wrong:>6} {t.meta:>5} "
                     f"{t.errors:>6} {undet:>6} {t.perfect_star:>8} {unflagged:>9} {t.seconds:>7.1f}  {lost}")
        for attr in ("files", "perfect", "exact", "missing", "wrong", "meta", "errors", "undet", "perfect_star",
                     "unflagged", "seconds"):
            setattr(total, attr, getattr(total, attr) + getattr(t, attr))
    forms = sum(1 for t in tallies.values() if not t.skipped)
    lines.append("-" * len(head))
    lines.append(f"{f'total ({forms} forms)':<18} {total.files:>6} {total.perfect:>8} {total.exact:>8} "
                 f"{total.missing:>8} {total.wrong:>6} {total.meta:>5} {total.errors:>6} {total.undet:>6} "
                 f"{total.perfect_star:>8} {total.unflagged:>9} {total.seconds:>7.1f}")
    return lines


def main() -> None:
    """Parse arguments, run every chosen form, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=70, help="files per form")
    parser.add_argument("--forms", default="", help="comma-separated form names (default: all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep-failures", type=Path, default=None, metavar="DIR")
    parser.add_argument("--form-seconds", type=float, default=300.0,
                        help="no new file of a form after this long (slow forms such as OCR scans give fewer)")
    args = parser.parse_args()
    forms = load_forms()
    chosen = [f for f in args.forms.split(",") if f] or sorted(forms)
    unknown = [f for f in chosen if f not in forms]
    if unknown:
        parser.error(f"unknown forms {', '.join(unknown)}; known: {', '.join(sorted(forms))}")
    start = time.perf_counter()
    truths = reports(args.count, args.seed)
    axes: dict[str, Counter[str]] = {}
    tallies = {}
    for name in chosen:
        tallies[name] = run_form(forms[name], truths, args.seed, args.keep_failures, axes, args.form_seconds)
        print(f"  {name}: done in {tallies[name].seconds:.1f}s", file=sys.stderr, flush=True)
    print("\n".join(table(tallies)))
    print("\nby drawing axis (files over the forms run, perfect among them):")
    for axis, counts in sorted(axes.items()):
        print(f"  {axis:<36} {counts['files']:>6} {counts['perfect']:>6}")
    print(f"\nseed {args.seed}, {args.count} reports, {time.perf_counter() - start:.0f}s wall; "
          f"machine {platform.machine()} {os.cpu_count()} cpus {platform.platform()}")
    print(versions())


if __name__ == "__main__":
    main()
