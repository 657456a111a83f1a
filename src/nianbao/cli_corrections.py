"""Command line → cell corrections of the corpus: ``nianbao correct`` (one cell, a CSV of many, or a withdrawal)
and ``nianbao corrections`` (a report's history and the candidates a new version of its file inherits).

A thin skin over ``nianbao.store.corrections``: ``register(app)`` adds the two commands to the main typer app.
"""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .cli_common import EXIT_ERRORS, DbOption
from .cli_common import console as _console
from .cli_common import fail as _fail
from .errors import NianbaoError


def _default_who() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def correct_command(
    db: DbOption,
    report_id: Annotated[int | None, typer.Argument(help="The report's id (reports.id).")] = None,
    key: Annotated[str | None, typer.Argument(help="The cell's dotted key, e.g. t3.new_received.total.")] = None,
    value: Annotated[str | None, typer.Argument(help="The corrected number.")] = None,
    why: Annotated[str | None, typer.Option("--why", help="Why the cell is corrected (required).")] = None,
    who: Annotated[str | None, typer.Option("--who", help="Who corrects it (default: the system user).")] = None,
    from_file: Annotated[Path | None, typer.Option(
        "--from-file", help="CSV with columns report_id,key,value,why (optional who): many corrections.")] = None,
    undo: Annotated[bool, typer.Option("--withdraw", help="Withdraw the cell's correction in force.")] = False,
) -> None:
    """Correct a cell of a stored report (the printed value is kept), or withdraw a correction.

    The report's audit and the cross-report audit run again; views, exports and the dashboard use the
    corrected value and mark it.

    \b
    Example:
        nianbao correct --db corpus.duckdb 12 t3.new_received.total 35 --why "单位来函更正"
        nianbao correct --db corpus.duckdb --from-file corrections.csv
        nianbao correct --db corpus.duckdb 12 t3.new_received.total --withdraw --why "来函有误"
    """
    from .store.corrections import correct, withdraw
    from .store.db import connect

    who = who or _default_who()
    try:
        con = connect(db)
    except NianbaoError as err:
        raise _fail(err) from None
    try:
        if from_file is not None:
            _from_file(con, from_file, who)
            return
        if report_id is None or key is None or (value is None and not undo):
            raise NianbaoError("correct", "bad_option", "须给出 REPORT_ID CELL_KEY VALUE，或 --from-file")
        if undo:
            rid = withdraw(con, report_id, key, why or "", who)
            _console().print(f"已撤回报告 {rid} 单元格 {key} 的修正")
        else:
            rid = correct(con, report_id, key, value or "", why or "", who)
            _console().print(f"已修正报告 {rid} 单元格 {key} 为 {value}")
    except NianbaoError as err:
        raise _fail(err) from None
    finally:
        con.close()


def _from_file(con: Any, path: Path, who: str | None) -> None:
    from .store.corrections import correct_from_file

    applied, refused = correct_from_file(con, path, who)
    console = _console()
    for item in refused:
        console.print(f"[bold red]拒绝[/] {path}:{item.line} {item.reason}")
    console.print(f"已应用 {applied} 条修正，拒绝 {len(refused)} 条")
    if refused:
        raise typer.Exit(EXIT_ERRORS)


def corrections_command(
    db: DbOption,
    report_id: Annotated[int, typer.Argument(help="The report's id (reports.id).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: history and candidates.")] = False,
) -> None:
    """Show a report's correction history and the corrections of earlier versions of its file (candidates, not
    applied).

    \b
    Example:
        nianbao corrections --db corpus.duckdb 12
    """
    from rich.table import Table
    from rich.text import Text

    from .store.corrections import candidates, history
    from .store.db import connect

    try:
        con = connect(db, read_only=True)
        try:
            acts, offered = history(con, report_id), candidates(con, report_id)
        finally:
            con.close()
    except NianbaoError as err:
        raise _fail(err) from None
    if as_json:
        sys.stdout.write(json.dumps({"history": acts, "candidates": offered}, ensure_ascii=False, default=str) + "\n")
        return
    console = _console()
    for title, rows, columns in (("修正记录", acts, ("id", "made_at", "action", "key", "raw", "printed", "value",
                                                      "who", "why")),
                                  ("上一版本的修正（候选，未应用）", offered,
                                   ("key", "raw", "printed", "value", "who", "made_at", "why"))):
        table = Table(title=title)
        for name in columns:
            table.add_column(name)
        for row in rows:
            table.add_row(*(Text("" if row[c] is None else str(row[c])) for c in columns))
        console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``correct`` and ``corrections`` to the ``nianbao`` command."""
    app.command("correct")(correct_command)
    app.command("corrections")(corrections_command)
