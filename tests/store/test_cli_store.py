"""The store commands in-process: ingest, query, export and ``audit --db``, and their JSON against the API."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from nianbao.cli_store import audit_db
from nianbao.store import audit_corpus, query

runner = CliRunner()


def _ingest(app: typer.Typer, corpus_dir: Path, db: Path, *extra: str) -> tuple[int, str]:
    result = runner.invoke(app, ["ingest", str(corpus_dir), "--db", str(db), "--workers", "1", *extra])
    return result.exit_code, result.output


def test_ingest_prints_counts_and_exits_by_outcome(store_app: typer.Typer, corpus_dir: Path, tmp_path: Path) -> None:
    code, output = _ingest(store_app, corpus_dir, tmp_path / "c.duckdb")
    assert code == 0, output
    assert "6 inputs: 6 parsed" in output
    (corpus_dir / "broken.txt").write_bytes(b"\x00\x01")
    code, output = _ingest(store_app, corpus_dir, tmp_path / "c.duckdb", "--json")
    counts = json.loads(output.strip().splitlines()[-1])
    assert code == 2 and (counts["skipped"], counts["failed"]) == (6, 1)


def test_ingest_reads_every_input_with_the_settings_file(store_app: typer.Typer, corpus_dir: Path,
                                                        tmp_path: Path) -> None:
    settings = tmp_path / "settings.yaml"
    settings.write_text("reader:\n  max_file_bytes: 100\n", encoding="utf-8")
    code, output = _ingest(store_app, corpus_dir, tmp_path / "c.duckdb", "--json", "--settings", str(settings))
    counts = json.loads(output.strip().splitlines()[-1])
    assert code == 2 and counts["failed"] == 6
    assert {error_code for _, error_code, _ in counts["failures"]} == {"too_large"}


def test_query_json_equals_the_api(store_app: typer.Typer, corpus_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    _ingest(store_app, corpus_dir, db)
    sql = "SELECT id, agency, year, published FROM reports ORDER BY id"
    result = runner.invoke(store_app, ["query", sql, "--db", str(db), "--json"])
    names, rows = query(db, sql)
    assert json.loads(result.output) == [
        {n: (v.isoformat() if hasattr(v, "isoformat") else v) for n, v in zip(names, row, strict=True)}
        for row in rows]
    csv = runner.invoke(store_app, ["query", sql, "--db", str(db), "--csv"]).output.splitlines()
    assert csv[0] == "id,agency,year,published" and len(csv) == 7
    table = runner.invoke(store_app, ["query", "SELECT count(*) AS n FROM reports", "--db", str(db)])
    assert table.exit_code == 0 and "6" in table.output


def test_query_errors_exit_2(store_app: typer.Typer, tmp_path: Path) -> None:
    result = runner.invoke(store_app, ["query", "SELECT 1", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2 and "no such corpus database" in result.output


def test_export_writes_files_and_codebook(store_app: typer.Typer, corpus_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    _ingest(store_app, corpus_dir, db)
    result = runner.invoke(store_app, ["export", "--db", str(db), "--to", "csv", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "CODEBOOK.md").exists() and "datapackage.json" in result.output


def test_audit_db_json_equals_the_api(store_app: typer.Typer, corpus_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    _ingest(store_app, corpus_dir, db)
    roster = tmp_path / "roster.csv"
    roster.write_text("unit\n宁波市鄞州区司法局\n", encoding="utf-8")
    app = typer.Typer()

    @app.command()
    def audit(as_json: bool = typer.Option(False, "--json")) -> None:
        audit_db(db, roster=roster, as_json=as_json)

    result = runner.invoke(app, ["--json"])
    assert result.exit_code == 0, result.output
    printed = [json.loads(line) for line in result.output.splitlines()]
    assert printed == [f.model_dump(mode="json") for f in audit_corpus(db)]
    assert any(f["rule"] == "Q.roster_missing" for f in printed)
    plain = runner.invoke(app, [])
    assert "Q.roster_missing" in plain.output and "cross-report findings" in plain.output


def test_the_progress_rate_of_a_stage_fed_in_batches_is_not_zero() -> None:
    from rich.progress import Progress

    from nianbao.cli_progress import RateColumn

    with Progress(disable=True) as progress:
        task_id = progress.add_task("parse", total=400)
        progress.start_task(task_id)
        task = progress.tasks[0]
        task.start_time = progress.get_time() - 2.0  # two seconds ago, then one batch of 400 at once
        progress.update(task_id, completed=400)
        assert RateColumn().render(task).plain == "200.0/s"


def test_query_and_where_cannot_touch_files(store_app: typer.Typer, corpus_dir: Path, tmp_path: Path) -> None:
    from nianbao.store.db import REFUSED

    db = tmp_path / "c.duckdb"
    _ingest(store_app, corpus_dir, db)
    secret = tmp_path / "secret.csv"
    secret.write_text("name\n机密\n", encoding="utf-8")
    copied = tmp_path / "x.csv"
    attempts = [f"copy reports to '{copied}'", f"select * from read_csv('{secret}')",
                "select * from read_csv('/etc/passwd')", f"select * from read_text('{secret}')",
                f"attach '{tmp_path / 'other.duckdb'}'",
                "set enable_external_access = true", "select * from glob('/etc/*')"]
    for sql in attempts:
        result = runner.invoke(store_app, ["query", sql, "--db", str(db)])
        assert result.exit_code == 2 and REFUSED in result.output, (sql, result.output)
    where = f"id IN (SELECT 1 FROM read_csv('{secret}'))"
    result = runner.invoke(store_app, ["export", "--db", str(db), "-o", str(tmp_path / "out"), "--where", where])
    assert result.exit_code == 2 and REFUSED in result.output
    assert not copied.exists() and not (tmp_path / "other.duckdb").exists()
    assert query(db, "select count(*) from reports")[1] == [(6,)]
