"""Command line → the supervisor's documents: ``nianbao rollup`` (a region's three tables summed over the
parent's children, as a report JSON that ``nianbao render`` draws).

A thin skin over ``nianbao.store.rollup``: ``register(app)`` adds the commands to the main typer app.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .errors import NianbaoError

if TYPE_CHECKING:
    from rich.console import Console

EXIT_OK, EXIT_UNREADABLE = 0, 2
DbOption = Annotated[Path, typer.Option("--db", help="The corpus database (DuckDB file).")]
YearOption = Annotated[int, typer.Option("--year", help="Report year.")]


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _fail(err: NianbaoError) -> typer.Exit:
    _console(stderr=True).print(f"[bold red]错误[/] {err.path}：{err.reason}")
    return typer.Exit(EXIT_UNREADABLE)


def rollup_command(
    db: DbOption,
    parent: Annotated[str, typer.Option("--parent", help="The parent unit, as the hierarchy names it.")],
    year: YearOption,
    output: Annotated[Path, typer.Option("-o", "--output", help="The roll-up's report JSON.")],
    hierarchy: Annotated[Path | None, typer.Option(
        "--hierarchy", help="CSV with columns unit,parent, used instead of the stored hierarchy.")] = None,
) -> None:
    """Sum 表二, 表三 and 表四 over the parent's children into a report JSON (each cell's at lists what it sums).

    \b
    Example:
        nianbao rollup --db corpus.duckdb --parent 淮安市 --year 2024 -o rollup.json
        nianbao render rollup.json --to docx -o 淮安市汇总.docx
    """
    from .store.rollup import rollup

    try:
        result = rollup(db, parent, year, hierarchy)
    except NianbaoError as err:
        raise _fail(err) from None
    output.write_text(json.dumps(result.as_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    with_errors = [c for c in result.children if c.n_errors]
    _console().print(f"{output}：{len(result.children)} 份下级单位报告汇总；未报送 {len(result.missing)} 个；"
                     f"有错误 {len(with_errors)} 个")


def register(app: typer.Typer) -> None:
    """Add ``rollup`` to the ``nianbao`` command."""
    app.command("rollup")(rollup_command)
