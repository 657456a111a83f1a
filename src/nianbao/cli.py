"""Command line → API calls → terminal output: ``nianbao parse`` and ``nianbao audit``.

A thin skin: every command calls one public function and formats its result.
"""

from __future__ import annotations

import copy
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer.main import get_command_name

from .cli_common import PLAIN_HELP, SettingsOption, collector_paused, settings_from
from .cli_corrections import register as register_correction_commands
from .cli_debug import register as register_debug_command
from .cli_register import add_register
from .cli_store import audit_db
from .cli_store import register as register_store_commands
from .cli_supervise import register as register_supervisor_commands
from .errors import NianbaoError
from .options import STYLES

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from .report import Cell, Finding, Report

app = typer.Typer(add_completion=False, no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]},
                  **PLAIN_HELP,
                  help="Chinese government information-disclosure annual reports → validated data.")
EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2
_MAX_PORT = 65535
_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_MARK = {"error": "✗", "warning": "!", "info": "i"}

JsonOption = Annotated[bool, typer.Option("--json", help="Print the report contract as JSON.")]


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _cell_marks(report: Report) -> dict[str, str]:
    marks: dict[str, str] = {}
    order = ("info", "warning", "error")
    for f in report.findings:
        for key in f.cells:
            if order.index(f.severity) >= order.index(marks.get(key, "info")) or key not in marks:
                marks[key] = f.severity
    return marks


def _show(cell: Cell | None, key: str, marks: dict[str, str]) -> str:
    if cell is None:
        return "[dim]—[/]"
    text = cell.raw if cell.raw else "[dim]·[/]"
    severity = marks.get(key)
    if severity and severity != "info":
        return f"[{_STYLE[severity]}]{text} {_MARK[severity]}[/]"
    return text


def _t2_table(report: Report, marks: dict[str, str]) -> Table:
    from rich.table import Table

    from .schema import formats

    t2 = formats().table("t2")
    table = Table(title=t2.title, show_lines=False)
    table.add_column(t2.row_header)
    for i in range(3):
        table.add_column(f"列{i + 1}", justify="right")
    for block in formats().t2.get(report.template or formats().latest, ()):
        table.add_row(f"[bold]{block.caption}[/]", *[c.label for c in block.columns], end_section=False)
        for spec in block.rows:
            cells = report.tables.t2.get(block.key, {}).get(spec.key, {})
            shown = [_show(cells.get(c.key), f"t2.{block.key}.{spec.key}.{c.key}", marks) for c in block.columns]
            table.add_row(spec.label, *shown)
    return table


def _t3_table(report: Report, marks: dict[str, str]) -> Table:
    from rich.table import Table

    from .schema import formats

    table = Table(title=formats().table("t3").title)
    table.add_column("")
    for column in formats().t3_columns:
        table.add_column(column.label, justify="right")
    for spec in formats().t3_rows:
        if spec.key not in report.tables.t3:
            if spec.group:
                table.add_row(f"[bold]{spec.label}[/]")
            continue
        cells = report.tables.t3[spec.key]
        table.add_row("  " * (spec.level - 1) + spec.label,
                      *[_show(cells.get(c.key), f"t3.{spec.key}.{c.key}", marks) for c in formats().t3_columns])
    return table


def _t4_table(report: Report, marks: dict[str, str]) -> Table:
    from rich.table import Table

    from .schema import formats, runs

    table = Table(title=formats().table("t4").title)
    groups = runs(formats().t4_columns, 2)
    table.add_column("")
    for column in groups[0][1]:
        table.add_column(column.label, justify="right")
    for label, group in groups:
        name = "·".join(p for p in (group[0].group, label) if p)
        table.add_row(name, *[_show(report.tables.t4.get(c.key), f"t4.{c.key}", marks) for c in group])
    return table


def _finding_line(f: Finding) -> str:
    return f"  [{_STYLE[f.severity]}]{_MARK[f.severity]} {f.rule}[/] {f.message}"


def _summary(report: Report) -> str:
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in ("error", "warning", "info")}
    meta = report.meta
    return (f"{report.source.path}: {meta.agency or '?'} {meta.year or '?'}年 · {report.template or '?'}版格式 · "
            f"错误 {counts['error']} · 警告 {counts['warning']} · 提示 {counts['info']}")


def _fail(err: NianbaoError) -> None:
    _console(stderr=True).print(f"[bold red]error[/] {err.path}: {err.reason}")


@app.command()
def parse(file: Annotated[Path, typer.Argument(help="A report file (text, markdown, …).")],
          as_json: JsonOption = False, settings: SettingsOption = None) -> None:
    """Parse one report and show its three tables with findings marked.

    \b
    Example:
        nianbao parse examples/xinhe-street-2023.txt
        nianbao parse examples/xinhe-street-2023.txt --json > report.json
    """
    with collector_paused():
        from .guard import guarded_parse as parse_report

    options = settings_from(settings)
    try:
        report = parse_report(file, options)
    except NianbaoError as err:
        _fail(err)
        raise typer.Exit(EXIT_UNREADABLE) from None
    if as_json:
        sys.stdout.write(report.to_json() + "\n")
    else:
        console = _console()
        marks = _cell_marks(report)
        console.print(_summary(report))
        for table in (_t2_table(report, marks), _t3_table(report, marks), _t4_table(report, marks)):
            console.print(table)
        for f in report.findings:
            console.print(_finding_line(f))
    raise typer.Exit(EXIT_ERRORS if report.errors else EXIT_OK)


@app.command()
def audit(paths: Annotated[list[Path] | None, typer.Argument(help="Report files or directories (recursive).")] = None,
          as_json: Annotated[bool, typer.Option("--json", help="One JSON object per report (JSON lines).")] = False,
          db: Annotated[Path | None, typer.Option("--db", help="Run the cross-report audit of a corpus.")] = None,
          hierarchy: Annotated[Path | None, typer.Option(help="CSV of unit,parent for --db.")] = None,
          roster: Annotated[Path | None, typer.Option(help="CSV of the units expected to report, for --db.")] = None,
          deadlines: Annotated[Path | None, typer.Option(
              help="Deadline calendar, CSV or YAML (deadline, and any of unit, level, year, region): replaces "
                   "条例第49条's deadlines by level; with --db, a CSV of level,deadline.")] = None,
          jump_factor: Annotated[float | None, typer.Option(help="Year-over-year change flagged, for --db.")] = None,
          settings: SettingsOption = None) -> None:
    """Audit reports: one line per report, then its findings; with --db, the cross-report audit of a corpus.

    Exit status: 0 no errors, 1 some report has errors, 2 some input could not be read.

    \b
    Example:
        nianbao audit examples/
        nianbao audit --db corpus.duckdb --roster units.csv
    """
    if db is not None:
        audit_db(db, hierarchy, roster, deadlines, jump_factor, as_json)
    from .audit.timeliness import with_calendar
    from .guard import parse_each

    console = _console()
    status = EXIT_OK
    try:
        options = with_calendar(settings_from(settings), deadlines)
    except NianbaoError as err:
        _fail(err)
        raise typer.Exit(EXIT_UNREADABLE) from None
    for report in parse_each(paths or [], options):
        if isinstance(report, NianbaoError):
            status = EXIT_UNREADABLE
            if as_json:
                sys.stdout.write(json.dumps({"path": report.path, "error": report.code, "message": report.reason},
                                            ensure_ascii=False) + "\n")
            else:
                _fail(report)
            continue
        if report.errors and status == EXIT_OK:
            status = EXIT_ERRORS
        if as_json:
            sys.stdout.write(report.to_json(indent=None) + "\n")
            continue
        console.print(_summary(report))
        for f in report.findings:
            console.print(_finding_line(f))
    raise typer.Exit(status)


@app.command()
def render(report_file: Annotated[Path, typer.Argument(help="Report contract as JSON or YAML.")],
           to: Annotated[str, typer.Option("--to", help="docx, html, md or txt.")] = "docx",
           output: Annotated[Path | None, typer.Option("-o", "--output", help="Output file.")] = None,
           style: Annotated[str, typer.Option(help=f"Table layout for txt: {', '.join(STYLES)}.")] = "tabs",
           force: Annotated[bool, typer.Option("--force", help="Render even when an identity is broken.")] = False,
           ) -> None:
    """Render a report (the JSON that parse --json prints, or YAML) in the official format.

    Data that breaks a table identity is refused with its findings unless --force.

    \b
    Example:
        nianbao new --agency 东湖街道办事处 --year 2024 -o report.json
        nianbao render report.json --to docx -o report.docx
    """
    from .api import load_report, recheck
    from .render import render as render_report

    try:
        report = recheck(load_report(report_file))
        if report.errors and not force:
            console = _console(stderr=True)
            console.print(f"[bold red]refused[/] {report_file}: {len(report.errors)} broken identities "
                          "(--force renders anyway)")
            for f in report.errors:
                console.print(_finding_line(f))
            raise typer.Exit(EXIT_ERRORS)
        data = render_report(report, to, style)
    except NianbaoError as err:
        _fail(err)
        raise typer.Exit(EXIT_UNREADABLE) from None
    except (ValueError, ModuleNotFoundError) as exc:
        _console(stderr=True).print(f"[bold red]error[/] {exc}")
        raise typer.Exit(EXIT_UNREADABLE) from None
    target = output or report_file.with_suffix("." + to)
    target.write_bytes(data)
    _console().print(f"{target}")


@app.command()
def new(agency: Annotated[str, typer.Option("--agency", help="Full name of the reporting body.")],
        year: Annotated[int, typer.Option("--year", help="Report year.")],
        previous: Annotated[Path | None, typer.Option("--previous", help="Last year's report, any format.")] = None,
        output: Annotated[Path | None, typer.Option("-o", "--output", help="Write JSON here, not stdout.")] = None,
        settings: SettingsOption = None) -> None:
    """Start a report: the right template, zeros in every cell, carry-overs from last year.

    \b
    Example:
        nianbao new --agency 东湖街道办事处 --year 2024 --previous report-2023.docx -o report-2024.json
    """
    from .api import new_report

    options = settings_from(settings)
    try:
        report = new_report(agency, year, previous, options)
    except NianbaoError as err:
        _fail(err)
        raise typer.Exit(EXIT_UNREADABLE) from None
    except ValueError as exc:
        _console(stderr=True).print(f"[bold red]error[/] {exc}")
        raise typer.Exit(EXIT_UNREADABLE) from None
    text = report.to_json() + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


@app.command()
def serve(
    db: Annotated[Path, typer.Option("--db", help="The corpus database (DuckDB file); created when missing.")],
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on (1-65535).")] = 8000,
    auth: Annotated[Path | None, typer.Option("--auth", help="Users file (see nianbao user): sign-in required.")]
    = None,
    allowed_host: Annotated[list[str] | None, typer.Option(
        "--allowed-host", help="A host name the server is reached by (repeatable); localhost and IP addresses "
                               "are always answered.")] = None,
    settings: SettingsOption = None,
) -> None:
    """Serve the web interface over a corpus: reports, cell evidence, dashboard, downloads, JSON API (/docs).

    \b
    Example:
        nianbao serve --db corpus.duckdb --port 8000
        nianbao serve --db corpus.duckdb --host 0.0.0.0 --auth users.txt --allowed-host nianbao.example.gov.cn
    """
    if not 1 <= port <= _MAX_PORT:
        _console(stderr=True).print(f"[bold red]error[/] 端口号应在1到{_MAX_PORT}之间：{port}")
        raise typer.Exit(EXIT_UNREADABLE)
    options = settings_from(settings)
    try:
        from .web import serve as serve_web
        from .web.identity import is_loopback
    except ModuleNotFoundError as exc:
        _console(stderr=True).print(f"[bold red]error[/] the web interface needs the package '{exc.name}': "
                                    "pip install 'nianbao[web]'")
        raise typer.Exit(EXIT_UNREADABLE) from None
    if not is_loopback(host):
        _console(stderr=True).print(f"[bold yellow]警告[/] 在 {host} 上监听：同一网络中的其他计算机都能访问本服务"
                                    + ("。" if auth else "，且无需登录即可上传、审核和下载；请用 --auth 开启登录"))
    try:
        serve_web(db, host, port, auth, allowed_host or (), options)
    except NianbaoError as err:
        _fail(err)
        raise typer.Exit(EXIT_UNREADABLE) from None


@app.command()
def user(
    users: Annotated[Path, typer.Argument(help="The users file (created when missing).")],
    name: Annotated[str, typer.Argument(help="User name.")],
) -> None:
    """Add a user to a users file for serve --auth, or change their password (asked for twice, stored hashed).

    \b
    Example:
        nianbao user users.txt 张三
    """
    password = typer.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")
    try:
        from .web.identity import add_user

        add_user(users, name, password)
    except NianbaoError as err:
        _fail(err)
        raise typer.Exit(EXIT_UNREADABLE) from None
    _console().print(f"已保存用户 {name}")


@app.command()
def rules(markdown: Annotated[bool, typer.Option("--markdown", help="Print docs/rules.md: the catalogue "
                                                  "with an example message of each rule.")] = False) -> None:
    """List the rule catalogue: id, severity, basis and title.

    \b
    Example:
        nianbao rules
        nianbao rules --markdown > docs/rules.md
    """
    if markdown:
        from .render.rules_doc import rules_markdown

        typer.echo(rules_markdown(), nl=False)
        return
    from rich.table import Table

    from .schema import catalogue

    table = Table(title="规则目录")
    for name in ("id", "severity", "basis", "title"):
        table.add_column(name)
    for rule in catalogue().rules:
        table.add_row(rule.id, rule.severity, rule.basis, rule.title)
    _console().print(table)


def _show_version(wanted: bool) -> None:
    if wanted:
        from . import __version__

        _console().print(f"nianbao {__version__}")
        raise typer.Exit()


@app.callback()
def _options(version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                                   help="Print the version and exit.")] = False) -> None:
    """Chinese government information-disclosure annual reports → validated data."""


register_store_commands(app)
add_register(app)
register_correction_commands(app)
register_supervisor_commands(app)
register_debug_command(app)


def _only_named(args: list[str]) -> typer.Typer:
    """The app with only the command (or group of commands) that ``args`` starts with: typer builds the options of
    every command it holds at each start, which would cost a command a fifth of its start. The whole app when
    ``args`` names none (``--help``, ``--version``, a misspelt name: these list or suggest the commands)."""
    name = args[0] if args else ""
    commands = [c for c in app.registered_commands
                if (c.name or get_command_name(getattr(c.callback, "__name__", ""))) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    alone = copy.copy(app)
    alone.registered_commands, alone.registered_groups = commands, groups
    return alone


def main() -> None:
    """Entry point of the ``nianbao`` command. Pydantic's plugins are off unless the environment sets them: the
    project uses none, and looking for them reads the metadata of every installed package at each start."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _only_named(sys.argv[1:])()
