"""Text tables set out under a rule of dashes (pandoc's plain and markdown tables) → TAB rows.

Such a table prints ``-----  --------  ---`` above its rows: each run of dashes is one column, in display
columns (a Chinese character is two wide). Every line from that rule to the closing one is cut at the
columns' starts, and the lines of one row (in a multiline table, rows are set apart by blank lines) are
joined column by column, so a blank cell keeps its place instead of vanishing between spaces (a row of
only blank cells stays a row of the table).
"""

from __future__ import annotations

import re

from .cells import text_width

_RULE = re.compile(r"^[ ]*-{3,}(?:[ ]+-{3,})+[ ]*$", re.MULTILINE)
_DASHES = re.compile(r"-{3,}")
_ONLY_DASHES = re.compile(r"[ ]*-{3,}(?:[ ]+-{3,})*[ ]*")
_CHUNK = re.compile(r"\S+(?: \S+)*")
"""Text set apart by two or more spaces (one space may stand inside a cell)."""


def _starts(rule: str) -> list[int]:
    return [match.start() for match in _DASHES.finditer(rule)]


def _cells(line: str, starts: list[int]) -> list[str]:
    """The line's text per column: each chunk goes to the last column starting at or before it."""
    cells = [""] * len(starts)
    for match in _CHUNK.finditer(line):
        column = text_width(line[:match.start()])
        index = max((k for k, start in enumerate(starts) if start <= column), default=0)
        cells[index] += match.group()
    return cells


def _blank(line: str, starts: list[int]) -> bool:
    """Whether a line under a rule is a blank line: a line of spaces reaching the last column is a row of blank
    cells (pandoc pads one so)."""
    return not line.strip() and len(line) < starts[-1]


def _row_blocks(lines: list[str], starts: list[int]) -> list[list[int]]:
    """The lines of each row: set apart by blank lines where any row takes several lines (a multiline
    table), else one line each (a simple table)."""
    filled = [i for i, line in enumerate(lines) if not _blank(line, starts)]
    if not filled or filled[-1] - filled[0] + 1 == len(filled):
        return [[i] for i in filled]
    blocks: list[list[int]] = [[]]
    for i in range(filled[0], filled[-1] + 1):
        if not _blank(lines[i], starts):
            blocks[-1].append(i)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _table(lines: list[str], first: int, last: int, starts: list[int]) -> None:
    """Rewrite lines ``first..last-1`` in place: one TAB row per row block, its other lines emptied."""
    for block in _row_blocks(lines[first:last], starts):
        rows = [_cells(lines[first + i], starts) for i in block]
        joined = ["".join(parts) for parts in zip(*rows, strict=True)]
        lines[first + block[0]] = "\t".join(joined)
        for i in block[1:]:
            lines[first + i] = ""


def aligned_to_tabs(text: str) -> str:
    """The text with every dash-ruled table rewritten as TAB rows (its rule lines emptied); other text,
    and the number of lines, unchanged."""
    if "--- " not in text or not _RULE.search(text):  # a rule's first run of dashes is followed by a blank: the
        return text                                     # substring test is many times faster
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if _RULE.fullmatch(lines[i]):
            starts = _starts(lines[i])
            end = _table_end(lines, i + 1, starts)
            _table(lines, i + 1, end, starts)
            lines[i] = ""
            i = end
        i += 1
    return "\n".join(lines)


def _table_end(lines: list[str], start: int, starts: list[int]) -> int:
    """Where the rows under a rule (its columns' ``starts``) end: at the closing line of dashes (emptied) if one
    comes before two blank lines in a row, else at the first blank line (a simple table has no closing rule)."""
    for i in range(start, len(lines)):
        if _ONLY_DASHES.fullmatch(lines[i]):
            lines[i] = ""
            return i
        if i + 1 < len(lines) and _blank(lines[i], starts) and _blank(lines[i + 1], starts):
            break
    return next((i for i in range(start, len(lines)) if _blank(lines[i], starts)), len(lines))
