"""Ingest: one row per input whatever happens to it, idempotent re-runs, new versions, resumption after SIGKILL."""

from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from nianbao.report import table_cells
from nianbao.store import ingest, query
from nianbao.store.rows import Batch, Planned
from nianbao.store.worker import Outcome
from nianbao.synth import panel, unit_names

from .conftest import write_units

KILL_UNITS = 30
KILL_COPIES = 2
KILL_TIMEOUT_S = 60
ORPHAN_TIMEOUT_S = 10


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    return query(db, sql)[1]


def test_ingesting_twice_leaves_one_row_per_input(corpus_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "corpus.duckdb"
    first = ingest([corpus_dir], db, workers=1)
    second = ingest([corpus_dir], db, workers=1)
    assert (first.inputs, first.parsed, first.skipped) == (6, 6, 0)
    assert (second.inputs, second.parsed, second.skipped) == (6, 0, 6)
    assert _rows(db, "SELECT count(*), count(DISTINCT path) FROM reports") == [(6, 6)]
    assert _rows(db, "SELECT count(*) FROM cells") == [(6 * 200,)]


def test_every_input_gets_a_row_parsed_failed_or_duplicate(corpus_dir: Path, tmp_path: Path) -> None:
    (corpus_dir / "empty.txt").write_bytes(b"")
    (corpus_dir / "notes.md").write_text("会议纪要\n\n今天讨论了绿化。\n", encoding="utf-8")
    original = sorted(corpus_dir.glob("*2022.txt"))[0]
    copy = corpus_dir / "sub" / "copy.txt"
    copy.parent.mkdir()
    copy.write_bytes(original.read_bytes())
    db = tmp_path / "corpus.duckdb"
    result = ingest([corpus_dir], db, workers=2)
    assert (result.inputs, result.parsed, result.failed, result.duplicate) == (9, 6, 2, 1)
    failed = dict(_rows(db, "SELECT regexp_extract(path, '[^/]+$'), error_code FROM reports "
                            "WHERE status = 'failed'"))
    assert failed == {"empty.txt": "empty", "notes.md": "not_a_report"}
    pairs = _rows(db, "SELECT d.path, o.path FROM reports d JOIN reports o ON o.id = d.duplicate_of "
                      "AND o.sha256 = d.sha256 AND o.status = 'parsed' WHERE d.status = 'duplicate'")
    assert [set(p) for p in pairs] == [{str(original), str(copy)}]
    assert _rows(db, "SELECT count(*) FROM current_reports") == [(6,)]


RISK_OFF = {"audit": {"risk_min_cases": 10**9, "risk_min_applications": 10**9}}
"""Settings under which no risk indicator (R.*) is ever reported."""


def _risk_findings(db: Path) -> int:
    (count,), = _rows(db, "SELECT count(*) FROM findings WHERE rule LIKE 'R.%'")
    return int(str(count))


def test_every_worker_reads_with_the_settings_of_the_run(corpus_dir: Path, tmp_path: Path) -> None:
    usual, pooled, small = tmp_path / "usual.duckdb", tmp_path / "pooled.duckdb", tmp_path / "small.duckdb"
    ingest([corpus_dir], usual, workers=1)
    ingest([corpus_dir], pooled, workers=2, parse_settings=RISK_OFF)
    result = ingest([corpus_dir], small, workers=1, parse_settings={"reader": {"max_file_bytes": 100}})
    assert _risk_findings(usual) > 0 and _risk_findings(pooled) == 0
    assert _rows(pooled, "SELECT count(*) FROM reports WHERE status = 'parsed'") == [(6,)]
    assert result.failed == 6 and {code for _, code, _ in result.failures} == {"too_large"}


def test_a_duplicate_of_an_earlier_run_is_recorded(corpus_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "corpus.duckdb"
    ingest([corpus_dir], db, workers=1)
    later = tmp_path / "later"
    later.mkdir()
    (later / "again.txt").write_bytes(sorted(corpus_dir.glob("*.txt"))[0].read_bytes())
    result = ingest([later], db, workers=1)
    assert (result.duplicate, result.parsed) == (1, 0)
    assert _rows(db, "SELECT status, duplicate_of IS NOT NULL FROM reports WHERE path LIKE '%again.txt'") == [
        ("duplicate", True)]


def test_a_changed_file_becomes_a_new_version(corpus_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "corpus.duckdb"
    ingest([corpus_dir], db, workers=1)
    path = sorted(corpus_dir.glob("*2023.txt"))[0]
    path.write_text(path.read_text(encoding="utf-8").replace("坚持以公开为常态", "始终坚持以公开为常态"),
                    encoding="utf-8")
    result = ingest([corpus_dir], db, workers=1)
    assert (result.parsed, result.skipped, result.new_versions) == (1, 5, 1)
    versions = _rows(db, f"SELECT version, is_current FROM reports WHERE path = '{path}' ORDER BY version")
    assert versions == [(1, False), (2, True)]
    assert _rows(db, "SELECT count(*) FROM current_reports") == [(6,)]
    assert _rows(db, "SELECT count(*) FROM reports") == [(7,)]


def test_a_changed_file_whose_old_content_lives_on_at_another_path_stays_in_the_panel(corpus_dir: Path,
                                                                                    tmp_path: Path) -> None:
    db = tmp_path / "corpus.duckdb"
    ingest([corpus_dir], db, workers=1)
    path = sorted(corpus_dir.glob("*2023.txt"))[0]
    later = tmp_path / "later"
    later.mkdir()
    (later / "again.txt").write_bytes(path.read_bytes())
    ingest([later], db, workers=1)
    path.write_text(path.read_text(encoding="utf-8").replace("坚持以公开为常态", "始终坚持以公开为常态"),
                    encoding="utf-8")
    ingest([corpus_dir], db, workers=1)
    first, = _rows(db, f"SELECT id FROM reports WHERE path = '{path}' AND version = 1")
    assert _rows(db, "SELECT count(*) FROM current_reports") == [(7,)]
    assert _rows(db, f"SELECT is_current FROM current_reports WHERE id = {first[0]}") == [(False,)]


def test_a_file_that_changes_back_is_parsed_again_as_a_version(corpus_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "corpus.duckdb"
    path = _changed_back(corpus_dir, db)
    ingest([path], db, workers=1)
    assert _rows(db, "SELECT version, status, is_current FROM reports ORDER BY version") == [
        (1, "parsed", False), (2, "parsed", False), (3, "parsed", True)]


def _changed_back(directory: Path, db: Path) -> Path:
    """The first file of a corpus, stored, changed and stored again, then changed back (not stored yet)."""
    path = sorted(directory.glob("*.txt"))[0]
    before = path.read_bytes()
    ingest([path], db, workers=1)
    path.write_bytes(before.replace("坚持".encode(), "始终坚持".encode(), 1))
    ingest([path], db, workers=1)
    path.write_bytes(before)
    return path


def _changed_back_with_a_copy(directory: Path, db: Path) -> Path:
    """A corpus whose first file changed and changed back since it was stored, and a later copy of that file."""
    path = _changed_back(directory, db)
    copy = path.with_name(f"{path.stem}副本.txt")
    copy.write_bytes(path.read_bytes())
    return copy


def test_a_run_in_segments_stores_what_a_run_in_one_segment_stores(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    rows = "SELECT id, path, sha256, status, duplicate_of, version, is_current, agency, year FROM reports ORDER BY id"
    stored = []
    for segment in (None, 1):
        directory, db = tmp_path / f"reports-{segment}", tmp_path / f"corpus-{segment}.duckdb"
        write_units(directory, unit_names(3, seed=5), years=(2022, 2023), seed=5)
        copy = _changed_back_with_a_copy(directory, db)
        if segment:
            monkeypatch.setattr(importlib.import_module("nianbao.store.ingest"), "SEGMENT_INPUTS", segment)
        result = ingest([directory], db, workers=1)
        assert (result.inputs, result.parsed, result.duplicate, result.skipped) == (7, 6, 1, 0)
        stored.append([tuple(str(v).replace(str(directory), "") for v in row) for row in _rows(db, rows)])
        (duplicate_of,), = _rows(db, f"SELECT duplicate_of FROM reports WHERE path = '{copy}'")
        assert _rows(db, f"SELECT version FROM reports WHERE id = {duplicate_of}") == [(3,)]
    assert stored[0] == stored[1]


def test_a_missing_path_is_an_error(tmp_path: Path) -> None:
    from nianbao.errors import NianbaoError

    with pytest.raises(NianbaoError) as caught:
        ingest([tmp_path / "nope"], tmp_path / "corpus.duckdb", workers=1)
    assert caught.value.code == "unreadable"


def test_wide_views_have_one_row_per_report_and_table_row(corpus_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "corpus.duckdb"
    ingest([corpus_dir], db, workers=1)
    assert _rows(db, "SELECT count(*), count(DISTINCT report_id) FROM t3_wide") == [(6 * 25, 6)]
    assert _rows(db, "SELECT count(*) FROM t4_wide") == [(6,)]
    assert _rows(db, "SELECT count(*) FROM t2_wide") == [(6,)]
    assert _rows(db, "SELECT count(*) FROM t3_wide WHERE total <> natural_person + commercial_enterprise "
                     "+ research_institution + social_welfare_org + legal_service_org + other_org") == [(0,)]


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        for children in Path(f"/proc/{todo.pop()}/task").glob("*/children"):
            kids = [int(p) for p in children.read_text().split()]
            found += kids
            todo += kids
    return found


def _gone(pids: list[int]) -> bool:
    deadline = time.monotonic() + ORPHAN_TIMEOUT_S
    while time.monotonic() < deadline:
        if not any(Path(f"/proc/{p}").exists() for p in pids):
            return True
        time.sleep(0.1)
    return False


KILLABLE_INGEST = """
import sys
from nianbao.store import ingest

def report(stage, done, total):
    print(stage, done, total, flush=True)

if __name__ == "__main__":
    ingest([sys.argv[1]], sys.argv[2], workers=2, settings={"batch_size": 20}, progress=report)
"""


def _wait_for_a_committed_batch(process: subprocess.Popen[str]) -> None:
    """Read the progress lines until one says a parsed batch was stored (the callback runs after each commit)."""
    assert process.stdout is not None
    watchdog = threading.Timer(KILL_TIMEOUT_S, process.kill)
    watchdog.start()
    try:
        for line in process.stdout:
            stage, done, _total = line.split()
            if stage == "parsing" and int(done) > 0:
                return
    finally:
        watchdog.cancel()
    pytest.fail("the ingest ended (or hung past the watchdog) before a batch was stored")


def _many_inputs(directory: Path) -> list[Path]:
    """Rendered reports, and copies of them made distinct by a trailing line (cheaper than rendering more)."""
    rendered = write_units(directory, unit_names(KILL_UNITS, seed=9), seed=9)
    copies = []
    for n in range(1, KILL_COPIES):
        for path in rendered:
            copy = path.with_name(f"{path.stem}-{n}.txt")
            copy.write_text(path.read_text(encoding="utf-8") + f"\n（副本{n}）\n", encoding="utf-8")
            copies.append(copy)
    return rendered + copies


def test_sigkill_mid_run_then_rerun_loses_and_doubles_nothing(tmp_path: Path) -> None:
    inputs = _many_inputs(tmp_path / "in")
    db = tmp_path / "corpus.duckdb"
    script = tmp_path / "killable.py"
    script.write_text(KILLABLE_INGEST, encoding="utf-8")
    process = subprocess.Popen([sys.executable, str(script), str(tmp_path / "in"), str(db)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    _wait_for_a_committed_batch(process)
    workers = _descendants(process.pid)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert workers and _gone(workers), "worker processes outlived the killed ingest"
    with duckdb.connect(str(db), read_only=True) as con:
        committed = con.execute("SELECT count(*) FROM reports").fetchone()
    assert committed is not None and 0 < committed[0] < len(inputs)
    command = [sys.executable, "-m", "nianbao", "ingest", str(tmp_path / "in"), "--db", str(db),
               "--workers", "2", "--batch-size", "20"]
    finished = subprocess.run(command, capture_output=True, check=False, env={**os.environ, "COLUMNS": "100"})
    assert finished.returncode in (0, 1), finished.stderr.decode()
    assert _rows(db, "SELECT count(*), count(DISTINCT path), count(DISTINCT sha256) FROM reports") == [
        (len(inputs), len(inputs), len(inputs))]
    assert _rows(db, "SELECT count(*) FROM reports WHERE status <> 'parsed'") == [(0,)]
    assert _rows(db, "SELECT count(DISTINCT report_id) FROM cells") == [(len(inputs),)]


def test_a_script_without_a_main_guard_stops_with_a_clear_error(corpus_dir: Path, tmp_path: Path) -> None:
    script = tmp_path / "unguarded.py"
    script.write_text("from nianbao.store import ingest\n"
                      f"ingest([{str(corpus_dir)!r}], {str(tmp_path / 'c.duckdb')!r}, workers=2)\n", encoding="utf-8")
    finished = subprocess.run([sys.executable, str(script)], capture_output=True, timeout=KILL_TIMEOUT_S, check=False)
    assert finished.returncode != 0
    assert "if __name__ == '__main__'" in finished.stderr.decode().splitlines()[-1]
    assert _rows(tmp_path / "c.duckdb", "SELECT count(*) FROM reports") == [(0,)]


def _child_commands() -> list[str]:
    """Command lines of this process's children (Linux /proc)."""
    commands = []
    for listing in Path("/proc/self/task").glob("*/children"):
        for pid in listing.read_text().split():
            try:
                commands.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode())
            except FileNotFoundError:
                continue
    return commands


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="lists child processes through /proc (Linux)")
def test_the_fork_server_ends_with_the_parsing_and_a_later_run_starts_another(corpus_dir: Path,
                                                                            tmp_path: Path) -> None:
    first = ingest([corpus_dir], tmp_path / "a.duckdb", workers=2)
    assert [c for c in _child_commands() if "forkserver" in c] == []
    second = ingest([corpus_dir], tmp_path / "b.duckdb", workers=2)
    assert first.parsed == second.parsed == 6


def _fork_servers() -> set[str]:
    """Process ids of this process's fork servers (Linux /proc)."""
    found = set()
    for listing in Path("/proc/self/task").glob("*/children"):
        for pid in listing.read_text().split():
            try:
                if b"forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    found.add(pid)
            except FileNotFoundError:
                continue
    return found


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="lists child processes through /proc (Linux)")
def test_the_segments_of_one_run_share_one_fork_server(corpus_dir: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    module = importlib.import_module("nianbao.store.ingest")
    monkeypatch.setattr(module, "SEGMENT_INPUTS", 2)
    servers: list[set[str]] = []
    commit = module._commit

    def noting_servers(*args: object) -> None:
        servers.append(_fork_servers())
        commit(*args)

    monkeypatch.setattr(module, "_commit", noting_servers)
    result = ingest([corpus_dir], tmp_path / "a.duckdb", workers=2, settings={"batch_size": 1})
    running = [found for found in servers if found]
    assert result.parsed == 6 and len(running) >= 3
    assert all(found == running[0] for found in running)
    assert [c for c in _child_commands() if "forkserver" in c] == []


def test_a_batch_stores_its_cells_in_key_order(corpus_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "corpus.duckdb"
    ingest([corpus_dir], db, workers=2)
    stored = _rows(db, "SELECT key, report_id FROM cells")  # table order: DuckDB keeps insertion order
    assert len({report for _, report in stored}) == 6
    assert stored == sorted(stored)


NO_PANDAS_CHECK = """
import hashlib
import sys
from pathlib import Path
from nianbao.store import ingest
import nianbao.store.warm  # what a worker process holds before its first task
from nianbao.store.tasks import parse_chunk
from nianbao.store.rows import Planned
if __name__ == "__main__":
    ingest([sys.argv[1]], sys.argv[2], workers=2)
    path = next(Path(sys.argv[1]).iterdir())
    planned = [Planned(1, str(path), hashlib.sha256(path.read_bytes()).hexdigest(), None, 1)]
    assert parse_chunk(planned)["cells"].num_rows == 200
    print("pandas" in sys.modules)
    import pyarrow as pa
    print(type(pa.table({"a": [1]}).to_pandas()).__name__)
"""


@pytest.mark.skipif(importlib.util.find_spec("pandas") is None, reason="pandas is not installed")
def test_ingest_and_its_workers_load_no_pandas_which_still_loads_when_asked(corpus_dir: Path, tmp_path: Path) -> None:
    script = tmp_path / "no_pandas.py"
    script.write_text(NO_PANDAS_CHECK, encoding="utf-8")
    finished = subprocess.run([sys.executable, str(script), str(corpus_dir), str(tmp_path / "c.duckdb")],
                              capture_output=True, text=True, timeout=KILL_TIMEOUT_S, check=False)
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.split() == ["False", "DataFrame"]


def test_a_batch_stores_each_cell_with_its_labels_whichever_cells_a_report_has() -> None:
    reports = list(panel(unit_names(2, seed=3), (2020, 2021), seed=3))  # both templates
    del reports[1].tables.t3["granted"]  # a report without some cells of the others
    reports[2].tables.t4.clear()
    batch = Batch()
    for number, report in enumerate(reports, 1):
        batch.add(Planned(number, f"/{number}.txt", "x", 1, 1),
                  Outcome(f"/{number}.txt", "x", "text", "parsed", report=report))
    stored = batch.to_arrow()["cells"].select(["report_id", "key", "tbl", "block", "row_key", "col_key", "raw",
                                              "value", "location"]).to_pylist()
    expected = [{"report_id": number, "key": key, "tbl": table, "block": block, "row_key": row, "col_key": col,
                 "raw": cell.raw, "value": cell.value, "location": json.dumps(cell.at, separators=(",", ":"))}
                for number, report in enumerate(reports, 1)
                for key, table, block, row, col, cell in table_cells(report)]
    assert stored == expected
    assert {row["tbl"] for row in stored} == {"t2", "t3", "t4"}
