"""Command line → register API: ``nianbao register template|check|tally``.

A thin skin over ``nianbao.register``: ``add_register(app)`` adds the ``register`` group to the main typer app.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .cli_common import EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE, PLAIN_HELP
from .cli_common import console as _console
from .cli_common import fail as _fail
from .errors import NianbaoError
from .options import APPLICATIONS

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from .register import Deadline
    from .report import Finding, Report

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_STATUS_STYLE = {"已超期": "bold red", "将到期": "yellow", "正常": "green"}

group = typer.Typer(no_args_is_help=True, help="Application register (台账) → 表三、表四 and reply deadlines.",
                    **PLAIN_HELP)
Files = Annotated[list[Path], typer.Argument(help="The register: one xlsx workbook, or CSV files (申请, 复议诉讼).")]
Year = Annotated[int, typer.Option("--year", help="Report year.")]


def _finding_lines(findings: list[Finding], console: Console) -> None:
    for f in findings:
        console.print(f"  [{_STYLE[f.severity]}]{f.rule}[/] {f.message}")


@group.command("template")
def template_command(
    output: Annotated[Path, typer.Option("-o", "--output", help="The workbook (.xlsx) or one sheet's CSV (.csv).")],
    year: Annotated[int, typer.Option("--year", help="Year the register is for (decides the outcome labels).")]
    = date.today().year,
    sheet: Annotated[str, typer.Option("--sheet", help="For .csv: 申请 or 复议诉讼.")] = APPLICATIONS,
) -> None:
    """Write a blank register: sheets 申请 and 复议诉讼 with drop-downs, frozen headers and a 说明 sheet.

    \b
    Example:
        nianbao register template -o 台账.xlsx --year 2025
    """
    from .register import write_template
    from .register.sheets import FIELDS

    if sheet not in FIELDS:
        _console(stderr=True).print(f"[bold red]error[/] --sheet 应为 {' 或 '.join(FIELDS)}")
        raise typer.Exit(EXIT_UNREADABLE)
    try:
        write_template(output, year, sheet)
    except OSError as exc:
        _console(stderr=True).print(f"[bold red]error[/] {output}: {exc.strerror or exc}")
        raise typer.Exit(EXIT_UNREADABLE) from None
    except NianbaoError as err:
        raise _fail(err) from None
    _console().print(str(output))


def _deadline_json(d: Deadline) -> dict[str, object]:
    data = asdict(d)
    data["label"] = d.label
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in data.items()}


def _deadline_table(found: list[Deadline]) -> Table:
    from rich.table import Table

    table = Table(title="答复期限（条例第30–33条，工作日）")
    for name in ("行", "编号", "收到日期", "起算日", "答复期限", "答复日期", "状态", "说明"):
        table.add_column(name)
    for d in found:
        style = _STATUS_STYLE[d.status]
        table.add_row(str(d.row), d.id, str(d.received), str(d.start or "—"), str(d.due or "—"),
                      str(d.replied or "—"), f"[{style}]{d.label}[/]", "；".join(d.notes))
    return table


@group.command("check")
def check_command(
    files: Files, year: Year,
    today: Annotated[str | None, typer.Option("--today", help="Date the deadlines are judged on (YYYY-MM-DD).")]
    = None,
    holidays: Annotated[Path | None, typer.Option("--holidays", help="CSV of 日期,类型 (休息日/工作日) for years "
                                                                    "chinese-calendar does not cover.")] = None,
    warn_days: Annotated[int, typer.Option("--warn-days", help="Working days left that count as 将到期.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print findings and deadlines as JSON.")] = False,
) -> None:
    """Check a register's rows and list every application's reply deadline.

    Exit status: 0 no row errors, 1 some row has errors, 2 the register could not be read.

    \b
    Example:
        nianbao register check 台账.xlsx --year 2025
    """
    from .register import check_register, read_register

    try:
        when = date.fromisoformat(today) if today else date.today()
        checked, found = check_register(read_register(files), year, when, holidays, warn_days)
    except ValueError:
        _console(stderr=True).print(f"[bold red]error[/] --today {today}: 应为 YYYY-MM-DD")
        raise typer.Exit(EXIT_UNREADABLE) from None
    except NianbaoError as err:
        raise _fail(err) from None
    errors = [f for f in checked.findings if f.severity == "error"]
    if as_json:
        sys.stdout.write(json.dumps({"findings": [f.model_dump() for f in checked.findings],
                                     "deadlines": [_deadline_json(d) for d in found]}, ensure_ascii=False) + "\n")
        raise typer.Exit(EXIT_ERRORS if errors else EXIT_OK)
    console = _console()
    console.print(f"{checked.name}: 申请 {len(checked.applications)} 件 · 复议诉讼 {len(checked.cases)} 件 · "
                  f"问题 {len(checked.findings)} 个")
    _finding_lines(checked.findings, console)
    console.print(_deadline_table(found))
    raise typer.Exit(EXIT_ERRORS if errors else EXIT_OK)


def _previous(path: Path) -> Report:
    from .api import load_report
    from .guard import guarded_parse

    if path.suffix.lower() in (".json", ".yaml", ".yml"):
        return load_report(path)
    return guarded_parse(path)


@group.command("tally")
def tally_command(
    files: Files, year: Year,
    agency: Annotated[str | None, typer.Option("--agency", help="Full name of the reporting body.")] = None,
    previous: Annotated[Path | None, typer.Option("--previous", help="Last year's report (JSON or any report file):"
                                                                     " 上年结转 from its 结转下年度.")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write the report JSON here, not stdout.")]
    = None,
) -> None:
    """Count a register into 表三 and 表四 of the year's report (JSON for ``nianbao render``), audited.

    Every cell's ``at`` lists the register rows it counts. Exit status 1 when the result has errors.

    \b
    Example:
        nianbao register tally 台账.xlsx --year 2025 --agency 东湖街道办事处 -o report.json
        nianbao render report.json --to docx
    """
    from .register import read_register, tally_register

    try:
        last = _previous(previous) if previous is not None else None
        report = tally_register(read_register(files), year, agency, last, str(previous or ""))
    except NianbaoError as err:
        raise _fail(err) from None
    text = report.to_json() + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        console = _console(stderr=True)
        console.print(f"{output}: 表三、表四已统计 · 错误 {len(report.errors)} · 发现 {len(report.findings)}")
        _finding_lines(report.findings, console)
    raise typer.Exit(EXIT_ERRORS if report.errors else EXIT_OK)


def add_register(app: typer.Typer) -> None:
    """Add the ``register`` command group to the ``nianbao`` command."""
    app.add_typer(group, name="register")
