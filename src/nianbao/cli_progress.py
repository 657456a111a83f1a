"""Ingest progress callback → rich progress bars on the terminal, one per stage (``nianbao ingest``).

Apart from ``cli_store`` so that the commands that draw no progress bar do not load rich's progress module.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    """Inputs per second: the recent rate while running, the stage's final rate once it is done (rich
    keeps too few samples of a stage fed in batches, so the average over the elapsed time stands in)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        if speed is None and task.elapsed:
            speed = task.completed / task.elapsed
        return Text(f"{speed or 0:,.1f}/s", style="progress.data.speed")


class Bars:
    """One rich progress bar per ingest stage, fed by ``ingest``'s progress callback."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=total)
        self.progress.update(self.tasks[stage], completed=done, total=total)


def progress_bars(console: Console) -> Progress:
    """The progress display of an ingest: stage, bar, done of total, rate, elapsed and remaining time."""
    columns = (TextColumn("{task.description:>8}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
    return Progress(*columns, console=console, transient=False)
