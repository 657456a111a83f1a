"""What the command modules share: the exit statuses, the ``--db`` and ``--settings`` options, the console, the
one-line error and the plain help of the command groups.

Light on purpose (rich is imported on first use), so that every command starts fast: the help is written by click's
plain formatter, as typer's rich help would import most of rich (about 80 ms) at every ``--help``.
"""

from __future__ import annotations

import gc
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer import _click as click
from typer.core import TyperGroup

from .errors import NianbaoError

if TYPE_CHECKING:
    from rich.console import Console

    from .settings import Settings

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2
"""0 all well; 1 some report has errors (or a request was refused); 2 some input could not be read."""
DbOption = Annotated[Path, typer.Option("--db", help="The corpus database (DuckDB file).")]
SettingsOption = Annotated[Path | None, typer.Option(
    "--settings", help="A YAML or JSON file of settings (reader limits, tolerances, audit thresholds; see "
                       "nianbao.settings): every input is read with them. Default: the built-in settings.")]


def settings_from(path: Path | None) -> Settings | None:
    """The settings of ``--settings FILE`` (None: the built-in ones); a bad file ends the command with its line."""
    if path is None:
        return None
    from .settings import load_settings

    try:
        return load_settings(path)
    except NianbaoError as err:
        raise fail(err) from None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Cyclic garbage collection paused while a command loads what it runs, and what was loaded left out of later
    collections (frozen): the modules build tens of thousands of objects that live as long as the process (classes,
    models, compiled patterns), none of them garbage, which the collector would otherwise walk again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def console(stderr: bool = False) -> Console:
    """A console for command output (stderr for errors), without syntax highlighting or hard wraps."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def fail(err: NianbaoError) -> typer.Exit:
    """Print the one line that names the input and the reason; return the exit to raise."""
    console(stderr=True).print(f"[bold red]错误[/] {err.path}：{err.reason}")
    return typer.Exit(EXIT_UNREADABLE)


_WIDE = "\0"
"""Put after each wide character while click wraps the help, so that it counts two columns; removed afterwards."""


def _widened(text: str) -> str:
    return "".join(c + _WIDE if unicodedata.east_asian_width(c) in "WF" else c for c in text)


class HelpFormatter(click.HelpFormatter):
    """Click's plain help formatter, wrapping by display width: a Chinese character takes two columns. One column
    is kept free, as a run of Chinese cut at the line's end may leave a character's second column to the next line."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.width -= 1

    def write_text(self, text: str) -> None:
        super().write_text(_widened(text))

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(term, _widened(text)) for term, text in rows], col_max, col_spacing)

    def getvalue(self) -> str:
        return super().getvalue().replace(_WIDE, "")


class HelpContext(typer.Context):
    """A command's context, writing its help with :class:`HelpFormatter`."""

    formatter_class = HelpFormatter


class Commands(TyperGroup):
    """A command group with the plain help: each command listed with the first sentence of its help, wrapped,
    never cut; Chinese wrapped by display width."""

    context_class = HelpContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for command in self.commands.values():
            command.context_class = HelpContext

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, command.get_short_help_str(limit=sys.maxsize)) for name in self.list_commands(ctx)
                if (command := self.get_command(ctx, name)) is not None and not command.hidden]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


PLAIN_HELP: dict[str, Any] = {"cls": Commands, "rich_markup_mode": None}
"""Arguments of ``typer.Typer`` for a group with the plain help."""
