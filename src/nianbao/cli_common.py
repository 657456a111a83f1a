"""What the command modules share: the exit statuses, the ``--db`` option, the console and the one-line error.

Light on purpose (rich is imported on first use), so that every command starts fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .errors import NianbaoError

if TYPE_CHECKING:
    from rich.console import Console

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2
"""0 all well; 1 some report has errors (or a request was refused); 2 some input could not be read."""
DbOption = Annotated[Path, typer.Option("--db", help="The corpus database (DuckDB file).")]


def console(stderr: bool = False) -> Console:
    """A console for command output (stderr for errors), without syntax highlighting or hard wraps."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def fail(err: NianbaoError) -> typer.Exit:
    """Print the one line that names the input and the reason; return the exit to raise."""
    console(stderr=True).print(f"[bold red]错误[/] {err.path}：{err.reason}")
    return typer.Exit(EXIT_UNREADABLE)
