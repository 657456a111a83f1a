"""Command line → corpus store: ``nianbao ingest``, ``nianbao query``, ``nianbao export`` and ``audit --db``.

A thin skin over ``nianbao.store``: ``register(app)`` adds the three commands to the main typer app, and
``audit_db`` is what ``nianbao audit --db`` calls.
"""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from .cli_common import DbOption, SettingsOption, settings_from
from .errors import NianbaoError
from .options import DEFAULT_BATCH_SIZE, EXECUTORS, FORMATS

if TYPE_CHECKING:
    from rich.console import Console

    from .store import CorpusFinding, IngestResult

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2  # as ``nianbao audit``
_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_MARK = {"error": "✗", "warning": "!", "info": "i"}
_FAILURES_SHOWN = 20


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _fail(err: NianbaoError) -> NoReturn:
    _console(stderr=True).print(f"[bold red]error[/] {err.path}: {err.reason}")
    raise typer.Exit(EXIT_UNREADABLE)


def _summary(result: IngestResult) -> None:
    console = _console()
    console.print(f"{result.inputs} inputs: {result.parsed} parsed ({result.with_errors} with errors), "
                  f"{result.failed} failed, {result.duplicate} duplicates, {result.skipped} already stored, "
                  f"{result.new_versions} new versions · {result.corpus_findings} cross-report findings · "
                  f"{result.seconds:.1f} s")
    for path, code, message in result.failures[:_FAILURES_SHOWN]:
        console.print(f"  [bold red]✗[/] {path}: {message} ({code})")
    if len(result.failures) > _FAILURES_SHOWN:
        console.print(f"  … and {len(result.failures) - _FAILURES_SHOWN} more failed inputs (see the reports table)")


def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="Report files or directories (searched recursively).")],
    db: DbOption,
    workers: Annotated[int | None, typer.Option("--workers", help="Worker processes (default: one per core).")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Inputs per task and per commit.")]
    = DEFAULT_BATCH_SIZE,
    executor: Annotated[str, typer.Option("--executor", help=f"{' or '.join(EXECUTORS)}.")] = "process",
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address.")] = None,
    shards: Annotated[Path | None, typer.Option("--shards", help="Directory for Parquet shards of cluster "
                                                                 "runs (default: DB.shards).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run's counts as JSON.")] = False,
    wait: Annotated[float, typer.Option("--wait", help="Seconds to wait while another program (a running "
                                                       "nianbao serve or ingest) holds the database.")] = 60.0,
    settings: SettingsOption = None,
) -> None:
    """Parse report files into a corpus database, then audit across reports.

    Idempotent and resumable: inputs already stored (same path and content) are skipped, each batch is
    committed on its own. Exit status: 0 all parsed, 1 some report has errors, 2 some input failed.

    \b
    Example:
        nianbao ingest examples/ --db corpus.duckdb
        nianbao ingest reports/ --db corpus.duckdb --executor dask --scheduler tcp://10.0.0.5:8786
    """
    from .cli_progress import Bars, progress_bars
    from .store import ingest

    options = settings_from(settings)
    try:
        with progress_bars(_console(stderr=True)) as progress:
            result = ingest(paths, db, workers=workers, settings={"batch_size": batch_size}, progress=Bars(progress),
                            executor=executor, scheduler=scheduler, shard_dir=shards, wait=wait, parse_settings=options,
                            waiting=lambda: progress.console.print(
                                f"报告库正被另一个程序使用，最多等待 {wait:g} 秒（--wait）…"))
    except NianbaoError as err:
        _fail(err)
    if as_json:
        sys.stdout.write(json.dumps(asdict(result), ensure_ascii=False) + "\n")
    else:
        _summary(result)
    raise typer.Exit(EXIT_UNREADABLE if result.failed else EXIT_ERRORS if result.with_errors else EXIT_OK)


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, int | float | str | bool) else str(value)


def query_command(
    sql: Annotated[str, typer.Argument(help="SQL to run (read-only).")],
    db: DbOption,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array of row objects.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV with a header row.")] = False,
) -> None:
    """Run SQL on a corpus database over a read-only connection.

    \b
    Example:
        nianbao query --db corpus.duckdb "SELECT province, year, count(*) FROM current_reports GROUP BY ALL"
        nianbao query --db corpus.duckdb --csv "SELECT * FROM t4_wide" > t4.csv
    """
    from .store import query

    try:
        names, rows = query(db, sql)
    except NianbaoError as err:
        _fail(err)
    if as_json:
        records = [{n: _plain(v) for n, v in zip(names, row, strict=True)} for row in rows]
        sys.stdout.write(json.dumps(records, ensure_ascii=False) + "\n")
    elif as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(names)
        writer.writerows([_plain(v) for v in row] for row in rows)
    else:
        from rich.table import Table
        from rich.text import Text

        table = Table()
        for name in names:
            table.add_column(Text(name))
        for row in rows:
            table.add_row(*(Text("" if v is None else str(v)) for v in row))
        _console().print(table)


def export_command(
    db: DbOption,
    to: Annotated[str, typer.Option("--to", help=f"File format: {', '.join(FORMATS)}.")] = "csv",
    output: Annotated[Path, typer.Option("-o", "--output", help="Directory to write to.")] = Path("export"),
    where: Annotated[str | None, typer.Option("--where", help="SQL condition on the reports table.")] = None,
    headers: Annotated[str, typer.Option("--headers", help="XLSX header row: labels (as printed) or keys "
                                                           "(column names).")] = "labels",
) -> None:
    """Export the corpus as files with a datapackage.json and a CODEBOOK.md beside them.

    Writes reports, cells, findings, sections and the wide views t2_wide, t3_wide, t4_wide; exporting
    the same database again gives byte-identical files.

    \b
    Example:
        nianbao export --db corpus.duckdb --to csv -o out/
        nianbao export --db corpus.duckdb --to parquet -o out/ --where "province = '浙江省' AND is_current"
    """
    from .store import export

    try:
        written = export(db, output, to, where, headers)
    except NianbaoError as err:
        _fail(err)
    for path in written:
        _console().print(str(path))


def _finding_line(f: CorpusFinding) -> str:
    subject = f"{f.unit or '?'} {f.year or ''}".strip()
    return f"[{_STYLE[f.severity]}]{_MARK[f.severity]} {f.rule}[/] {subject}: {f.message}"


def audit_db(db: Path, hierarchy: Path | None = None, roster: Path | None = None, deadlines: Path | None = None,
             jump_factor: float | None = None, as_json: bool = False) -> NoReturn:
    """``nianbao audit --db``: run the cross-report audit, store and print its findings, exit with the status."""
    from .store import audit_corpus

    settings = {"jump_factor": jump_factor} if jump_factor is not None else None
    try:
        findings = audit_corpus(db, settings, hierarchy=hierarchy, roster=roster, deadlines=deadlines)
    except NianbaoError as err:
        _fail(err)
    console = _console()
    for f in findings:
        if as_json:
            sys.stdout.write(f.model_dump_json() + "\n")
        else:
            console.print(_finding_line(f))
    if not as_json:
        counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
        console.print(f"{len(findings)} cross-report findings: 错误 {counts['error']} · 警告 {counts['warning']} · "
                      f"提示 {counts['info']}")
    raise typer.Exit(EXIT_ERRORS if any(f.severity == "error" for f in findings) else EXIT_OK)


def register(app: typer.Typer) -> None:
    """Add ``ingest``, ``query`` and ``export`` to the ``nianbao`` command."""
    app.command("ingest")(ingest_command)
    app.command("query")(query_command)
    app.command("export")(export_command)
