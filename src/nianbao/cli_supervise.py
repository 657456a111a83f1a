"""Command line → the supervisor's documents: ``nianbao rollup`` (a region's three tables summed over the
parent's children, as a report JSON that ``nianbao render`` draws) and ``nianbao summary`` (the summary report,
汇总分析, as DOCX or HTML).

A thin skin over ``nianbao.store.rollup``, ``nianbao.store.summary`` and ``nianbao.render.summary``:
``register(app)`` adds the commands to the main typer app.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .cli_common import DbOption
from .cli_common import console as _console
from .cli_common import fail as _fail
from .errors import NianbaoError

if TYPE_CHECKING:
    pass

YearOption = Annotated[int, typer.Option("--year", help="Report year.")]


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


def summary_command(
    db: DbOption,
    region: Annotated[str, typer.Option("--region", help="Province, city or county name, e.g. 淮安市.")],
    year: YearOption,
    output: Annotated[Path, typer.Option("-o", "--output", help="The document to write.")],
    to: Annotated[str, typer.Option("--to", help="docx or html.")] = "docx",
) -> None:
    """Write the summary report (汇总分析) of a region's reports for a year: coverage, the region's three tables,
    rankings by the metric dictionary, problems by rule, each unit's errors and warnings, year-over-year changes
    and charts.

    \b
    Example:
        nianbao summary --db corpus.duckdb --region 淮安市 --year 2024 -o 汇总分析.docx
        nianbao summary --db corpus.duckdb --region 淮安市 --year 2024 --to html -o 汇总分析.html
    """
    if to not in ("docx", "html"):
        raise _fail(NianbaoError(to, "bad_option", "--to 只能是 docx 或 html"))
    from .render.summary import to_docx, to_html
    from .store.summary import summary

    try:
        data = summary(db, region, year)
    except NianbaoError as err:
        raise _fail(err) from None
    if to == "docx":
        output.write_bytes(to_docx(data))
    else:
        output.write_text(to_html(data), encoding="utf-8")
    _console().print(f"{output}：{data.coverage.received} 份报告，{len(data.units)} 个单位有错误或警告")


def register(app: typer.Typer) -> None:
    """Add ``rollup`` and ``summary`` to the ``nianbao`` command."""
    app.command("rollup")(rollup_command)
    app.command("summary")(summary_command)
