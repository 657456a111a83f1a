"""表二 rows → cells: each row found by its label (labels are unique across the blocks), columns
taken in the block's official order; repairs a label and its values printed on separate lines (a note its label
opened wrapped over the lines between) and a multi-line cell pushed out of its row, when its note names the column.
A row printing its whole label alone, in a table whose every row printing values prints them beside its label (or
on the line right under it) and is read, is a row of blank cells whose blank cells print nothing; so is one no value
follows before the next row in a table printed one cell per line. A row printing fewer values than columns, in their
order, is placed by the column types when they allow one placement only.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..document import Row, TextCell
from ..findings import finding
from ..report import Cell, Finding
from ..schema import Block, Column, formats
from ..settings import ExtractSettings
from ..values import parse_value, squash
from .broken import join_broken_labels
from .glued import Glued, fits_type, gapped_row, glued_text, is_glued, is_short, solve
from .labels import NO_MATCH, LabelIndex, Match, norm_label
from .rows import OffsetHabits, Split, choose_window, match_row, number_in_label, printed_values, split_row, to_cell
from .years import Choice, agreed, choose_copy

_CAPTION_START = "第二十条第"
"""What a block's caption starts with (looked for before the caption's whole pattern)."""
_CAPTION = re.compile(_CAPTION_START + "([一二三四五六七八九十]+)项")
_NOTE = re.compile(r"[（(].*[)）]")
_TWO_NUMBERS = re.compile(r"\s*[+-]?\d[\d,.]*\s+[+-]?\d[\d,.]*\s*")
"""A cell holding two numbers set apart: two cells' values read as one (a scan whose rule between them was lost)."""


@dataclass(slots=True)
class _Row:
    """A row of 表二 as read: its block, its key, its printed label and values."""
    block: Block
    key: str
    split: Split
    values: list[TextCell]
    followed: bool = False
    """Whether no value stands between its label and the next line starting a row, a row of the agency's own or a
    block (its caption), or the end of the table."""
    own_lines: bool = field(init=False)
    """Whether its values were gathered from lines after its label (rebuilt from one cell per line)."""

    def __post_init__(self) -> None:
        label_lines = {cell.at.get("line") for cell in self.split.labels}
        for cell in self.values:  # most rows print their first value on their label's line: one look tells
            line = cell.at.get("line")
            if line is None or line in label_lines:
                self.own_lines = False
                break
        else:
            self.own_lines = True


@lru_cache(maxsize=8)
def _index(template: str, settings: ExtractSettings) -> LabelIndex:
    labels: list[tuple[str, str]] = []
    for block in formats().t2[template]:
        for spec in block.rows:
            labels.extend((f"{block.key}.{spec.key}", label) for label in (spec.label, *spec.variants))
    return LabelIndex(labels, settings.min_fragment_chars, settings.fuzzy_min_ratio, settings.label_max_chars)


@lru_cache(maxsize=1)
def _item_keys() -> dict[str, str]:
    """The item number a block's caption prints (一, 五…) → the block's key, in either format."""
    keys: dict[str, str] = {}
    for blocks in formats().t2.values():
        for block in blocks:
            found = _CAPTION.search(norm_label(block.caption))
            if found:
                keys[found.group(1)] = block.key
    return keys


def _caption_block(split: Split, template: str) -> str | None:
    for cell in split.labels:
        text = norm_label(cell.text)
        found = _CAPTION.search(text) if _CAPTION_START in text else None  # most labels are no caption: not searched
        if found:
            return _item_keys().get(found.group(1))
    return None


def _is_note(split: Split) -> bool:
    return len(split.labels) == 1 and not split.values and bool(_NOTE.fullmatch(squash(split.labels[0].text)))


def _detached(value: TextCell, note: TextCell | None) -> TextCell:
    if note is None:
        return value
    return TextCell(value.text.strip() + note.text.strip(), value.at)


def extract_t2(rows: list[Row], template: str, settings: ExtractSettings,
               vanishing: Callable[[], bool] | None = None, year: int | None = None
               ) -> tuple[dict[str, dict[str, dict[str, Cell]]], list[Finding]]:
    """Cells of 表二 found in ``rows`` and the problems met; ``vanishing``: whether the document shows elsewhere (表三)
    that its blank cells take no line, printed one cell per line (``rows.blanks_take_no_line``; asked only of a table
    printed by lines); a block whose rows are printed twice, another year's beside the report's (``year``), is read
    from the copy its caption names (``years``)."""
    index = _index(template, settings)
    blocks = {b.key: b for b in formats().t2[template]}
    splits = [split_row(r) for r in join_broken_labels(rows, index)]
    found: list[_Row] = []
    bare: list[_Row] = []
    alone: list[_Row] = []
    unplaced: list[Row] = []
    crowded: set[int] = set()
    loose: dict[str, list[TextCell]] = {}
    current: str | None = None
    pending_label: tuple[Block, str, Split] | None = None
    depth = 0
    stray = False
    starts: set[object] = set()
    values: set[object] = set()
    i = 0
    while i < len(splits):
        split = splits[i]
        current = _caption_block(split, template) or current
        match = match_row(split, index, fuzzy=False)
        match = match if match.keys else _before_open_note(split, index)
        key = match.unique
        starts.update(_starts(split, template, index))
        values.update([cell.at.get("line") for cell in split.values])
        if _header_with_values(split, template):
            scrambled = [found.pop()] if found and found[-1].own_lines else []
            unplaced.extend(row.split.row for row in scrambled)
            unplaced.append(split.row)
        elif key:
            block_key, row_key = key.split(".")
            bare += _bare_rows(split, index, blocks)
            if split.values and _after_other_label(split, key, index):
                crowded.add(id(split.row))
            alone += _joined_in_front(split, match, index, blocks)
            if split.values and len(split.labels) > 1 and _foreign_label(split.labels[-1:], template, index):
                pending_label = None  # its label printed alone, then a row of the agency's own with its values
            elif split.values:
                found.append(_Row(blocks[block_key], row_key, split, split.values))
                pending_label = None
            else:
                pending_label, depth = (blocks[block_key], row_key, split), _depth(split)
                bare.append(_Row(blocks[block_key], row_key, split, []))
                if match.how == "exact" and len(split.labels) == 1:
                    alone.append(_Row(blocks[block_key], row_key, split, []))
        elif pending_label and split.labels and (depth > 0 or _opens_note(split)):
            depth += _depth(split)  # the note its label opened or starts here, wrapped onto this line: no row
            block, row_key, label_split = pending_label
            label_split = Split(label_split.row, [*label_split.labels, *split.labels], [], False)
            pending_label = None if split.values else (block, row_key, label_split)
            found += [_Row(block, row_key, label_split, split.values)] if split.values else []
        elif _foreign_label(split.labels, template, index):
            pending_label = None  # a row of the agency's own (行政检查): the values after it are its
        elif not split.labels and split.has_number:
            stray = stray or not pending_label
            if pending_label:
                block, row_key, label_split = pending_label
                found.append(_Row(block, row_key, label_split, split.values))
                pending_label = None
            elif current and len(split.values) == 1:
                note = splits[i + 1].labels[0] if i + 1 < len(splits) and _is_note(splits[i + 1]) else None
                loose.setdefault(current, []).append(_detached(split.values[0], note))
                i += 1 if note else 0
        i += 1
    _mark_followed(bare, starts, values)
    twice = _printed_twice(found)
    chosen: list[Finding] = []
    for block in list(twice):
        choice = _own_year(block, found, rows, year)
        if choice is not None:
            found, bare, alone = ([row for row in kept if row.block != block or not choice.drops(row.split.row.at)]
                                  for kept in (found, bare, alone))
            chosen.append(choice.finding([f"t2.{block.key}.{row.key}" for row in block.rows], block.caption))
            del twice[block]
    count = _copy_count(twice, found)
    copies = [_one_copy(found, twice, k) for k in range(count)] if count else [
        [row for row in found if row.block not in twice]]
    bare, alone = ([row for row in kept if row.block not in twice] for kept in (bare, alone))
    read = [_assemble(copy, bare, loose, rows, template, settings, crowded, stray or bool(unplaced), vanishing)
            for copy in copies]
    table, findings = read[0]
    if count:
        chosen += _agreed(table, [own for own, _ in read], twice)
    found = copies[0]
    if alone and not unplaced and _beside(found, splits, index, template):
        _add_blank_rows(table, alone, {(row.block.key, row.key) for row in found}, template)
    return table, [*findings, *(_unplaced(row) for row in unplaced), *_twice_findings({} if count else twice),
                   *chosen]


def _copy_count(twice: dict[Block, list[_Row]], found: list[_Row]) -> int:
    """How many times each row of the blocks printed twice with other values (``twice``) is printed, when every row
    found of those blocks is printed as often; 0 otherwise (which copy a row printed once belongs to the print does
    not say)."""
    counts = Counter((row.block.key, row.key) for row in found if row.block in twice)
    return next(iter(set(counts.values()))) if len(set(counts.values())) == 1 else 0


def _one_copy(found: list[_Row], twice: dict[Block, list[_Row]], own: int) -> list[_Row]:
    """The rows ``found`` with, of the blocks printed twice (``twice``), only the ``own``-th copy of each row."""
    seen: Counter[tuple[str, str]] = Counter()
    kept = []
    for row in found:
        key = (row.block.key, row.key)
        seen[key] += row.block in twice
        if row.block not in twice or seen[key] == own + 1:
            kept.append(row)
    return kept


def _agreed(table: dict[str, dict[str, dict[str, Cell]]], read: list[dict[str, dict[str, dict[str, Cell]]]],
            twice: dict[Block, list[_Row]]) -> list[Finding]:
    """Into ``table``, each block printed twice (``twice``) as the cells every copy's reading (``read``) states
    alike; a finding for each block naming the others."""
    findings = []
    for block, rows in twice.items():
        flat = [{f"t2.{block.key}.{row}.{col}": cell for row, cells in own.get(block.key, {}).items()
                 for col, cell in cells.items()} for own in read]
        cells, differ = agreed(flat, block.caption, [row.split.row.at for row in rows])
        table.pop(block.key, None)
        for key, cell in cells.items():
            _, _, row, col = key.split(".")
            table.setdefault(block.key, {}).setdefault(row, {})[col] = cell
        findings += [differ] if differ else []
    return findings


def _own_year(block: Block, found: list[_Row], rows: list[Row], year: int | None) -> Choice | None:
    """The copy of ``block``'s rows printed more than once that the captions above the copies name the report's
    ``year``'s (``years``), every such row printed as often."""
    copies: dict[str, list[_Row]] = {}
    for row in found:
        if row.block == block:
            copies.setdefault(row.key, []).append(row)
    counts = {len(printed) for printed in copies.values() if len(printed) > 1}
    if len(counts) != 1:
        return None
    count = counts.pop()
    repeated = [printed for printed in copies.values() if len(printed) == count]
    return choose_copy([[printed[k].split.row.at for printed in repeated] for k in range(count)], rows, year)


@lru_cache(maxsize=2)
def _column_labels(template: str) -> frozenset[str]:
    return frozenset(norm_label(column.label) for block in formats().t2[template] for column in block.columns)


@lru_cache(maxsize=2)
def _header_text(template: str) -> str:
    """What 表二's header prints: its column labels, its row header and its captions, a line each (normalised, so
    that no line holds a line break)."""
    blocks = formats().t2[template]
    return "\n".join((*_column_labels(template), norm_label(formats().table("t2").row_header),
                      *(norm_label(block.caption) for block in blocks)))


_NOTE_MARKS = frozenset("（）()")
"""The brackets of a note."""


def _foreign_label(labels: list[TextCell], template: str, index: LabelIndex) -> bool:
    """Label text naming no row of the format, not even in part, and no piece of its header or a note: a row an
    agency added (行政检查 under 行政强制), whose values are not those of the row printed above it."""
    return _foreign_text("".join([squash(cell.text) for cell in labels]), template, index)


@lru_cache(maxsize=4096)
def _foreign_text(printed: str, template: str, index: LabelIndex) -> bool:
    """``_foreign_label`` of the labels' text as printed, whitespace aside (remembered: a table's labels are asked
    about by several steps, and the same labels come back report after report)."""
    text = norm_label(printed)
    if len(text) < index.min_fragment or not _NOTE_MARKS.isdisjoint(printed):
        return False  # a piece of a wrapped label, header or note
    return text not in _header_text(template) and not index.match(text).keys  # in no line of the header


def _before_open_note(split: Split, index: LabelIndex) -> Match:
    """The row a lone label names whose note it opens and leaves open, wrapped onto the lines after it
    (``规章（按本年度实际发`` / ``生数填写）``): its text before the note's bracket is a row's whole label."""
    if len(split.labels) != 1 or _depth(split) <= 0:
        return NO_MATCH
    text = squash(split.labels[0].text)
    opened = max(text.rfind("（"), text.rfind("("))
    keys = index.whole(text[:opened]) if opened > 0 else frozenset()
    return Match(keys, "exact") if keys else NO_MATCH


def _opens_note(split: Split) -> bool:
    """Whether the split's label text starts with a note's bracket: a note on the line after its label's, no row
    of its own (a label alone, its note and values on the next line: the note's values are that label's)."""
    return squash(split.labels[0].text)[:1] in ("（", "(")


def _depth(split: Split) -> int:
    """How many brackets the split's label text opens and leaves open (a note wrapped onto the lines after it)."""
    text = "".join(cell.text for cell in split.labels)
    return sum(text.count(mark) for mark in "（(") - sum(text.count(mark) for mark in "）)")


def _mark_followed(bare: list[_Row], starts: set[object], values: set[object]) -> None:
    """Mark each of the ``bare`` rows ``followed`` when no line of ``values`` stands between its label and the next
    line of ``starts`` (or the end of the table)."""
    starting = sorted(line for line in starts if isinstance(line, int))
    holding = sorted(line for line in values if isinstance(line, int))
    for row in bare:
        label = _label_line(row)
        if label is None:
            continue
        after = bisect.bisect_right(starting, label)
        end = starting[after] if after < len(starting) else None
        first = bisect.bisect_right(holding, label)
        row.followed = first == len(holding) or (end is not None and holding[first] > end)


def _starts(split: Split, template: str, index: LabelIndex) -> set[object]:
    """The lines of the split's label cells that start a row (naming it whole), a row of the agency's own or a
    block (its caption)."""
    return {cell.at.get("line") for cell in split.labels if _starting(cell.text, template, index)}


@lru_cache(maxsize=4096)
def _starting(text: str, template: str, index: LabelIndex) -> bool:
    """Whether a label cell's text starts a row (see ``_starts``; remembered, as ``_foreign_text``)."""
    return (index.match(text).how == "exact" or _foreign_text(squash(text), template, index)
            or (_CAPTION_START in (normed := norm_label(text)) and _CAPTION.search(normed) is not None))


def _header_with_values(split: Split, template: str) -> bool:
    """A column label of 表二 printed with numbers after it: a dump that read the table column by column
    (plain pdftotext), so the values before it were not paired with their row in order."""
    if not split.has_number:
        return False
    label = norm_label("".join(cell.text for cell in split.labels))
    return bool(label) and label in _column_labels(template)


def _bare_rows(split: Split, index: LabelIndex, blocks: dict[str, Block]) -> list[_Row]:
    """Rows whose whole label stands among the labels before the split's own, with no value: in a table printed
    by lines (``_printed_by_lines``) a row of blank cells, its empty lines setting it apart (the last row of a
    block stands before the next block's caption)."""
    rows = []
    for cell in split.labels[:-1]:
        key = index.match(cell.text).unique
        if key:
            block, row = key.split(".")
            rows.append(_Row(blocks[block], row, Split(split.row, [cell], [], False), []))
    return rows


def _joined_in_front(split: Split, match: Match, index: LabelIndex, blocks: dict[str, Block]) -> list[_Row]:
    """The row whose whole label a reader joined in front of the label the split's last label cell contains (a
    label printed alone on the line above, taken for the first line of a label wrapped around the row's values),
    as a row printing its label alone."""
    if match.how != "contains" or not split.labels:
        return []
    before = index.before_contained(split.labels[-1].text)
    leading = index.match(before) if before else NO_MATCH
    key = leading.unique
    if not key or key == match.unique or leading.how != "exact":
        return []
    block, row = key.split(".")
    return [_Row(blocks[block], row, split, [])]


def _after_other_label(split: Split, key: str, index: LabelIndex) -> bool:
    """Whether the whole label of another row of the same block stands among the labels before the row's own
    (``key``), on a line of its own or wrapped over several: the block's labels listed before its values."""
    block = key.split(".")[0]
    cells = [cell.text.strip() for cell in split.labels[:-1]]
    longest = index.max_chars
    for start in range(len(cells)):
        joined = ""
        for text in cells[start:]:
            joined += text
            if len(joined) > longest:  # folding only shortens a text
                break
            if any(other != key and other.split(".")[0] == block for other in index.whole(joined)):
                return True
    return False


def _beside(found: list[_Row], splits: list[Split], index: LabelIndex, template: str) -> bool:
    """Whether the table prints each row's values beside its label: some row does, each row read does (or on the line
    right after its label's last, a label wrapped over lines), and no line prints values without a label naming a row
    (a row's values printed apart from it, or beside the last line of a note wrapped under its label) but a row an
    agency added (行政检查), beside its own."""
    under = {id(row.values[0]) for row in found if row.own_lines and row.values and _under_label(row)}
    return (bool(found) and not any(row.own_lines and not _under_label(row) for row in found)
            and not any(split.has_number and not match_row(split, index, fuzzy=False).keys and
                        not (split.labels and _foreign_label(split.labels, template, index))
                        and not (split.values and id(split.values[0]) in under) for split in splits))


def _under_label(row: _Row) -> bool:
    """Whether the row's label is wrapped over lines and its values all stand on the line right after its last (a dump
    printing a cell's lines before the next cell's)."""
    label = _label_line(row)
    return len(row.split.labels) > 1 and label is not None and all(cell.at.get("line") == label + 1
                                                                   for cell in row.values)


def _drifting_blocks(found: list[_Row]) -> set[str]:
    """Blocks where a row rebuilt from one cell per line holds fewer values than columns: the value it lacks
    may have been printed among the next row's values (plain pdftotext), so no such row of the block is
    read by counting."""
    return {row.block.key for row in found
            if row.own_lines and len(row.values) < len(row.block.columns)}


def _label_line(row: _Row) -> int | None:
    line = row.split.labels[-1].at.get("line") if row.split.labels else None
    return line if isinstance(line, int) else None


def _printed_by_lines(found: list[_Row]) -> bool:
    """Whether the table prints one cell per line with an empty line for each blank cell: some row shows
    all its values on the lines right after its label, and every such row does (plain pdftotext puts empty
    lines of its own between cells, which a blank cell's cannot be told from)."""
    full = [row for row in found if row.own_lines and len(row.values) == len(row.block.columns)]
    return bool(full) and all(
        [cell.at.get("line") for cell in row.values] == list(range(line + 1, line + len(row.values) + 1))
        for row in full if (line := _label_line(row)) is not None)


def _by_lines(row: _Row, content: list[int]) -> list[TextCell] | None:
    """A row's cells by the lines of its values (see ``_printed_by_lines``): the lines after its label, one
    per column, when no other text stands on them and the table's text goes on after them."""
    width, label = len(row.block.columns), _label_line(row)
    at = {cell.at.get("line"): cell for cell in row.values}
    if label is None or not all(isinstance(line, int) and label < line <= label + width for line in at):
        return None
    end = bisect.bisect_right(content, label + width)
    if set(content[bisect.bisect_right(content, label):end]) != set(at) or (label + width not in at
                                                                         and end == len(content)):
        return None
    return [at.get(line) or TextCell("", {"line": line}) for line in range(label + 1, label + width + 1)]


def _vanishing(found: list[_Row], content: list[int], shown: Callable[[], bool] | None) -> bool:
    """Whether a table printed by lines shows that its blank cells take no line, or the document ``shown`` it
    elsewhere: some row prints fewer values than its columns, in order on the lines right after its label, the
    table's text going on right after them (``_in_order``), and no row prints more values than its columns."""
    return not any(len(row.values) > len(row.block.columns) for row in found) and (any(
        row.own_lines and 0 < len(row.values) < len(row.block.columns) and _in_order(row, content) for row in found)
        or (shown is not None and shown()))


def _printed_alone(row: _Row) -> list[TextCell] | None:
    """The blank cells of a row printing its label alone, no value between it and the next row (``followed``), in a
    table printed by lines whose blank cells take no line (``_vanishing``): its cells took no line, which only blank
    cells do; None otherwise."""
    if row.values or not row.followed:
        return None
    at = row.split.labels[-1].at
    return [TextCell("", {**at, "column": k}) for k in range(len(row.block.columns))]


def _in_order(row: _Row, content: list[int]) -> bool:
    """Whether a row rebuilt from one cell per line prints its values on the lines right after its label and the
    table's text goes on right after them, in a table printed by lines (see ``_printed_by_lines``): its blank cells
    took no line, and the values are its own, in order."""
    label, lines = _label_line(row), [cell.at.get("line") for cell in row.values]
    if label is None or not lines or lines != list(range(label + 1, label + 1 + len(lines))):
        return False
    after = bisect.bisect_right(content, label + len(lines))
    return after < len(content) and content[after] == label + len(lines) + 1


def _unplaced(row: Row) -> Finding:
    shown = " ".join(c.text for c in row.cells if c.text)
    return finding("S.unplaced_row", actual=shown, line=row.at.get("line", "?"), at=[row.at])


def _printed_twice(found: list[_Row]) -> dict[Block, list[_Row]]:
    """The blocks a row of which is printed twice, each time with values, the values differing (another year's rows
    printed beside this year's), with the copies of those rows: which copy is this year's the print does not say,
    nor whether a row of the block printed once is this year's, so the block is not read."""
    copies: dict[tuple[str, str], list[_Row]] = {}
    for row in found:
        if any(squash(c.text) for c in row.values):
            copies.setdefault((row.block.key, row.key), []).append(row)
    twice: dict[Block, list[_Row]] = {}
    for rows in copies.values():
        if len(rows) > 1 and len({printed_values(row.values) for row in rows}) > 1:
            twice.setdefault(rows[0].block, []).extend(rows)
    return twice


def _twice_findings(twice: dict[Block, list[_Row]]) -> list[Finding]:
    """A finding for each block ``_printed_twice`` left unread, naming its rows."""
    findings = []
    for block, copies in twice.items():
        keys = {row.key for row in copies}
        printed = "、".join(f"“{row.label}”" for row in block.rows if row.key in keys)
        findings.append(finding("S.table_twice", cells=[f"t2.{block.key}.{row.key}" for row in block.rows],
                                where=block.caption, rows=printed, at=[row.split.row.at for row in copies]))
    return findings


def _content_lines(rows: list[Row]) -> list[int]:
    """The lines holding the text of ``rows``, in order."""
    return sorted({line for row in rows for cell in row.cells if isinstance(line := cell.at.get("line"), int)})


def _assemble(found: list[_Row], bare: list[_Row], loose: dict[str, list[TextCell]], rows: list[Row],
              template: str, settings: ExtractSettings, crowded: set[int], stray: bool,
              elsewhere: Callable[[], bool] | None) -> tuple[dict[str, dict[str, dict[str, Cell]]], list[Finding]]:
    """The table from the rows found and, in a table printed by lines, the ``bare`` rows whose lines are empty
    (among the lines holding text of ``rows``, the table's, looked up only then). Elsewhere a ``crowded`` row (by
    the id of its printed row) rebuilt from one cell per line is not read: a dump listing a block's labels before
    its values (plain pdftotext) does not show which row the values after them are. A row short of values is placed by
    its column types only where the table printed no value apart from its rows (``stray``) and the row printed its
    values beside its label, or in order on the lines after it. ``elsewhere``: the document shows elsewhere that
    blank cells take no line (see ``_vanishing``)."""
    findings: list[Finding] = []
    table: dict[str, dict[str, dict[str, Cell]]] = {}
    habits = {w: OffsetHabits([r.values for r in found if len(r.block.columns) == w],
                              [_start(r) for r in found if len(r.block.columns) == w], w) for w in (1, 2, 3)}
    glued: list[Glued] = []
    drifting = _drifting_blocks(found)
    by_lines = _printed_by_lines(found)
    content = _content_lines(rows) if by_lines else []
    read = {(row.block.key, row.key) for row in found}
    vanishing = by_lines and _vanishing(found, content, elsewhere)
    blank = [row for row in bare if by_lines and (row.block.key, row.key) not in read
             and (_by_lines(row, content) or (vanishing and not loose.get(row.block.key) and _printed_alone(row)))]
    for row in sorted([*found, *blank], key=lambda r: _label_line(r) or 0) if blank else found:
        columns = row.block.columns
        if row.key in table.get(row.block.key, {}):
            findings.append(finding("S.duplicate_row", cells=[f"t2.{row.block.key}.{row.key}"], where=_where(row),
                                    at=[row.split.row.at]))
            continue
        own_lines = row.own_lines
        if own_lines and not by_lines and id(row.split.row) in crowded:
            findings.append(_unplaced(row.split.row))  # another row's label printed before it, with no values
            continue
        if by_lines and own_lines:
            cells = _by_lines(row, content) or (_printed_alone(row) if row in blank else None)
        else:
            cells = None if row.block.key in drifting and own_lines else choose_window(
                row.values, len(columns), habits[len(columns)].preferred(row.values, _start(row)))
        if cells is not None and len(row.values) < len(columns) and _misplaced(cells, columns):
            cells = None  # placed past a vanished blank, a number its column cannot hold: another placement
        if cells is None and is_glued(row.values):
            glued.append(Glued(tuple(f"t2.{row.block.key}.{row.key}.{c.key}" for c in columns),
                               tuple(c.type for c in columns), glued_text(row.values), _where(row), row.split.row.at))
            continue
        if cells is None:
            cells = _fill_from_note(row, loose.get(row.block.key, []), findings, _where(row))
        in_order = cells is None and by_lines and _in_order(row, content)  # asked only of a row not read yet
        if cells is None and is_short(row.values, len(columns), in_order):
            gapped = gapped_row(tuple(f"t2.{row.block.key}.{row.key}.{c.key}" for c in columns),
                                tuple(c.type for c in columns), row.values, _where(row), row.split.row.at)
            gapped.own = not stray and (in_order or not own_lines)
            glued.append(gapped)
            continue
        if number_in_label(row.split) and not any(squash(c.text) for c in row.values):
            cells = None  # its value joined to its label (a scan's cell drawn over the value's), its own cell blank
        if cells is not None and any(_TWO_NUMBERS.fullmatch(c.text) for c in cells):
            cells = None
        if cells is None:
            shown = sum(1 for c in row.values if squash(c.text))
            findings.append(finding("S.ambiguous_row", cells=[f"t2.{row.block.key}.{row.key}"], where=_where(row),
                                    found=shown, expected=len(columns), at=[row.split.row.at]))
            continue
        table.setdefault(row.block.key, {})[row.key] = {
            col.key: to_cell(cell) for col, cell in zip(columns, cells, strict=True)}
    if glued:
        findings += _solve_glued(table, glued, template, settings)
    return table, findings


def _misplaced(cells: list[TextCell], columns: Sequence[Column]) -> bool:
    """Whether a number stands in a column its type cannot hold (``glued.fits_type``: a decimal or a unit among
    counts, a sign among unsigned counts): asked of a row printing fewer values than columns, whose placement was
    inferred (a row printing one per column is read as printed, a report's own slip included)."""
    return any(parse_value(cell.text)[0] is not None and not fits_type(column.type, cell.text)
               for cell, column in zip(cells, columns, strict=True))


def _add_blank_rows(table: dict[str, dict[str, dict[str, Cell]]], alone: list[_Row], read: set[tuple[str, str]],
                   template: str) -> None:
    """Each row that printed its label alone and was not read otherwise, as blank cells (at its label), into
    ``table``, kept in the official order."""
    for row in alone:
        if (row.block.key, row.key) not in read and row.key not in table.get(row.block.key, {}):
            at = row.split.labels[0].at
            table.setdefault(row.block.key, {})[row.key] = {
                col.key: to_cell(TextCell("", {**at, "column": k})) for k, col in enumerate(row.block.columns)}
    _order(table, template)


def _order(table: dict[str, dict[str, dict[str, Cell]]], template: str) -> None:
    """Sort ``table``'s blocks, rows and columns into the official order, in place."""
    ordered = {b.key: {r.key: {c.key: table[b.key][r.key][c.key] for c in b.columns if c.key in table[b.key][r.key]}
                       for r in b.rows if r.key in table.get(b.key, {})}
               for b in formats().t2[template] if b.key in table}
    table.clear()
    table.update(ordered)


def _solve_glued(table: dict[str, dict[str, dict[str, Cell]]], glued: list[Glued], template: str,
                 settings: ExtractSettings) -> list[Finding]:
    """Add the glued rows the identities split to ``table`` (blocks and rows in printed order)."""
    fixed = {f"t2.{b}.{r}.{c}": cell for b, rows in table.items()
             for r, cols in rows.items() for c, cell in cols.items()}
    cells, findings = solve(glued, fixed, template, settings)
    for key, cell in cells.items():
        _, block, row, col = key.split(".")
        table.setdefault(block, {}).setdefault(row, {})[col] = cell
    _order(table, template)
    return findings


def _start(row: _Row) -> int:
    """Column where the row's values begin (values printed on a line of their own start at 0)."""
    return len(row.split.row.cells) - len(row.split.values) if row.values is row.split.values else 0


def _row_label(row: _Row) -> str:
    return next(s.label for s in row.block.rows if s.key == row.key)


def _where(row: _Row) -> str:
    """The row as a finding names it (its block's caption and its label), asked only by a row that needs one."""
    return f"{row.block.caption}{_row_label(row)}"


def _fill_from_note(row: _Row, loose: list[TextCell], findings: list[Finding], where: str) -> list[TextCell] | None:
    """A row one value short takes the next detached cell whose note names the missing column."""
    columns = row.block.columns
    present = [c for c in row.values if squash(c.text)]
    if len(present) != len(columns) - 1 or not loose:
        return None
    cell = loose[0]
    named = [i for i, col in enumerate(columns) if any(w in cell.text for w in col.note_words)]
    if len(named) != 1:
        return None
    loose.pop(0)
    cells = list(present)
    cells.insert(named[0], cell)
    findings.append(finding("S.cell_by_note", cells=[f"t2.{row.block.key}.{row.key}.{columns[named[0]].key}"],
                            where=where, actual=cell.text, at=[cell.at]))
    return cells
