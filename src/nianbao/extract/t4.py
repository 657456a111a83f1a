"""表四 rows → cells: the 15 values of its one unlabelled row, gathered in order from the value
rows under its heading (one row, or one row per group when a dump splits the table). When the row is
wider than 15 cells, the columns under the printed result labels (结果维持 … 总计) are the values.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from functools import lru_cache

from ..document import UNCERTAIN_ORDER, At, Row, TextCell
from ..findings import finding
from ..report import Cell, Finding
from ..schema import catalogue, formats
from ..schema.expressions import Comparison, instances
from ..settings import ExtractSettings
from ..values import BLANK, NUMBER, cell_kind, parse_value, squash
from .glued import Glued, gapped_row, glued_text, is_glued, is_short, solve
from .labels import norm_label
from .rows import Split, choose_window, gapped, printed_cells, printed_values, split_row, to_cell
from .years import agreed, at_key, caption_year, choose_copy

_WORDINGS = tuple(frozenset(norm_label(label) for label in (c.label, *c.variants)) for c in formats().t4_columns)
"""Each column's result label in the wordings reports print (总计 or 合计), folded."""
_RESULT_LABELS = frozenset().union(*_WORDINGS)
_RESULT_CHARS = frozenset("".join(_RESULT_LABELS))
_GROUP_LABELS = tuple(sorted({norm_label(name) for c in formats().t4_columns for name in (c.group, c.subgroup) if name},
                             key=len, reverse=True))


def _column_header(split: Split) -> bool:
    """Whether the row's labels are all result labels or pieces of them (结 | 果 | 维 | 持, a vertical header read a
    character a line, or several columns' characters side by side): the table's column header, not a group's name."""
    texts = [norm_label(cell.text) for cell in split.labels]
    return bool(texts) and all(text and set(text) <= _RESULT_CHARS for text in texts)


def _header_piece(split: Split) -> bool:
    """Whether the row's labels are all pieces of the column header: group names (行政复议, 未经复议直接起诉) or result
    labels, whole or in pieces."""
    texts = [norm_label(cell.text) for cell in split.labels]
    return bool(texts) and all(text and (_group_names(text) or set(text) <= _RESULT_CHARS) for text in texts)


def _from_header(rows: list[Row]) -> list[Row]:
    """The rows without the values printed before the column header, when values follow it: a page's last values of
    表三 that plain pdftotext prints after 表四's heading (a page break cutting 表三). Each value of 表四 stands under
    its column's header, which a dump reading down the page prints first, so none comes before the whole header. The
    rows unchanged where no value stands before the header or none after it."""
    splits = [split_row(row) for row in rows]
    start = next((i for i, split in enumerate(splits) if _header_piece(split)), None)
    if start is None:
        return rows
    filled = [not split.labels and any(squash(c.text) for c in split.values) for split in splits]
    if not any(filled[:start]) or not any(filled[start:]):
        return rows
    return [row for row, split in zip(rows[:start], splits[:start], strict=True) if split.labels] + rows[start:]


def _paragraphs(rows: list[Row]) -> list[str]:
    """The texts of label rows on adjacent lines joined (a label wrapped or printed a character a line), folded."""
    out: list[str] = []
    previous: object = None
    for row in rows:
        line = row.at.get("line")
        text = norm_label("".join(cell.text for cell in row.cells))
        if out and isinstance(line, int) and isinstance(previous, int) and line == previous + 1:
            out[-1] += text
        else:
            out.append(text)
        previous = line
    return out


def _without_groups(text: str) -> str:
    """The text without the column groups' names it holds (行政诉讼未经复议直接起诉尚未审结: 尚未审结)."""
    for name in _GROUP_LABELS:
        text = text.replace(name, "")
    return text


def _group_names(text: str) -> bool:
    """Whether the text is made of column groups' names only (行政诉讼未经复议直接起诉)."""
    return not _without_groups(text)


def _label_columns(texts: list[str], first: int) -> bool:
    """Whether the texts are the result labels of the columns from index ``first`` on, one each, in order."""
    wordings = _WORDINGS[first:first + len(texts)]
    return len(wordings) == len(texts) and all(text in names for text, names in zip(texts, wordings, strict=True))


def _header_in_order(rows: list[Row], splits: list[Split], last: int) -> bool:
    """Whether values printed a value a line, in runs between pieces of the column header, follow labels that
    show their order: the labels printed since the run before read, paragraph by paragraph, as whole result labels
    in the table's column order (group names aside, a label's paragraph joined to them or not, and the heading's text
    before the first run), one for each value
    of the run. A paragraph holding pieces of several columns (their characters side by side), other text between
    the runs, or a run of another length shows nothing."""
    done = 0
    pending: list[Row] = []
    run = 0
    for row, split in zip([*rows[:last + 1], None], [*splits[:last + 1], None], strict=True):
        if split is not None and not split.labels:
            run += len(split.values)
            continue
        if run:
            texts = [rest for text in _paragraphs(pending) if (rest := _without_groups(text))]
            header = [text for text in texts if set(text) <= _RESULT_CHARS]
            if (done and len(header) < len(texts)) or len(header) != run or not _label_columns(header, done):
                return False
            done, pending, run = done + run, [], 0
        if row is not None:
            pending.append(row)
    return done == len(_WORDINGS)


def _labelled_columns(header_rows: list[Row]) -> list[int]:
    """Column indexes that carry a result label (结果维持, 结果纠正, 其他结果, 尚未审结, 总计) in the header rows."""
    return sorted({i for row in header_rows for i, cell in enumerate(row.cells)
                   if cell.text and norm_label(cell.text) in _RESULT_LABELS})


def _by_header(row: Row, header_rows: list[Row], width: int) -> list[TextCell] | None:
    """The row's cells under the labelled columns, when there are exactly ``width`` of them."""
    columns = _labelled_columns(header_rows)
    if len(columns) != width or columns[-1] >= len(row.cells):
        return None
    rest = [c for i, c in enumerate(row.cells) if i not in set(columns)]
    return [row.cells[i] for i in columns] if not any(squash(c.text) for c in rest) else None


def _group_ends() -> frozenset[int]:
    """How many values precede the end of each column group (行政复议, then each kind of 行政诉讼)."""
    groups = [(c.group, c.subgroup) for c in formats().t4_columns]
    return frozenset(i for i in range(1, len(groups) + 1) if i == len(groups) or groups[i] != groups[i - 1])


def _whole_groups(sizes: list[int]) -> bool:
    """Whether rows of these sizes, gathered in order, each end where a column group ends (or hold one value)."""
    if all(size == 1 for size in sizes):
        return True
    ends = _group_ends()
    return all(total in ends for total in itertools.accumulate(sizes[:-1]))


@lru_cache(maxsize=1)
def _identities() -> tuple[Comparison, ...]:
    """The equalities among 表四's own cells (each group's 总计 is the sum of its results)."""
    found = []
    for rule in catalogue().rules:
        if not rule.expr or rule.for_each:
            continue
        for _, _, comparison in instances(rule.id, ()):
            keys = [key for side in (comparison.lhs, comparison.rhs) for _, key, _ in side.operands]
            if comparison.op == "==" and keys and all(key.startswith("t4.") for key in keys):
                found.append(comparison)
    return tuple(found)


def _identities_hold(cells: list[TextCell]) -> bool:
    """Whether values gathered one per line, apart, satisfy 表四's identities (blank and 无 read as 0): such
    values are in the order the dump read them, which for a table with vertical headers need not be the
    columns', and a blank cell among them vanishes unseen."""
    values = {f"t4.{col.key}": parse_value(cell.text)[0] or 0 for col, cell in zip(formats().t4_columns, cells,
                                                                                   strict=True)}
    for comparison in _identities():
        sides = [side.constant + sum(sign * values[key] for sign, key, _ in side.operands)
                 for side in (comparison.lhs, comparison.rhs)]
        if abs(sides[0] - sides[1]) > ROUNDING:
            return False
    return True


ROUNDING = 1e-6


def _nil_cells(gathered: list[TextCell]) -> dict[str, Cell] | None:
    """表四 of a unit that states no number, one 无 per column group: each is that group's 总计 (as a 无
    merged across a group is read), the other cells blank. None otherwise (a lone 无 may be any group's
    or the whole row's, and its fellows may have been printed out of the table's place)."""
    printed = [c for c in gathered if squash(c.text)]
    ends = sorted(_group_ends())
    if len(printed) != len(ends) or any(cell_kind(c.text) != BLANK for c in printed):
        return None
    at = {end - 1: cell for end, cell in zip(ends, printed, strict=True)}
    where = printed[0].at
    return {col.key: to_cell(at[i]) if i in at else Cell("", None, where) for i, col in enumerate(formats().t4_columns)}


def _nothing_stated(gathered: list[TextCell]) -> dict[str, Cell]:
    """表四 printing no number at all, only marks (无, a dash) that no reading places (a 无 merged across the row
    printed once per copy of it): every cell blank, whichever column each mark stood in."""
    where = next((c.at for c in gathered if squash(c.text)), gathered[0].at)
    return {col.key: Cell("", None, where) for col in formats().t4_columns}


def _row_nil(row: Row) -> dict[str, Cell] | None:
    """表四 of a unit that states no number, printed as one 无 merged across the whole row (its first cell, the
    others covered by its span): the row's 总计, the other cells blank, as a 无 merged across a group is read.
    None otherwise."""
    first, *rest = row.cells
    if not rest or cell_kind(first.text) != BLANK or not squash(first.text) or not all(c.merged for c in rest):
        return None
    columns = formats().t4_columns
    return {col.key: to_cell(first) if i == len(columns) - 1 else Cell("", None, first.at)
            for i, col in enumerate(columns)}


def _last_values(splits: list[Split]) -> int:
    """Index of the last row of values (no label) that states something (-1 when none): a row of blank
    cells before it is a piece of the table a page break cut off (or a spacer), not its values."""
    for index in range(len(splits) - 1, -1, -1):
        if not splits[index].labels and any(squash(c.text) for c in splits[index].values):
            return index
    return -1


def _another_row(gathered: list[TextCell], later: list[Split], width: int) -> bool:
    """Whether the value rows after the row gathered print another row of other values (another year's row printed
    beside this year's): a whole row, or a column group's worth of values at least (a row whose blank cells took no
    place); which is this year's the print does not say. A page number or two after the table is no row."""
    rest = [cell for split in later if not split.labels and any(squash(c.text) for c in split.values)
            for cell in split.values]
    if len(rest) >= width:
        return printed_values(rest[:width]) != printed_values(gathered[:width])
    return sum(1 for cell in rest if squash(cell.text)) >= width // len(_group_ends())


def _twice(at: dict[str, object] | None) -> Finding:
    return finding("S.table_twice", cells=["t4"], where=formats().table("t4").name, rows="此行", at=[at] if at else [])


def _by_lines(rows: list[Row], splits: list[Split], width: int, after: int | None) -> list[TextCell] | None:
    """The row's cells when the table prints one cell per line with an empty line for each blank cell
    (LibreOffice's text export): the ``width`` lines after the header's last line, when values fill only
    those lines, the last of them too (or, an empty line among the values showing a blank cell, the text after
    the table on line ``after`` comes after them all), two of them (or the first and the header) on adjacent
    lines (a dump with an empty line of its own after each cell never has any), the next row comes after them,
    and the cells so placed satisfy the table's identities."""
    lone = [i for i, split in enumerate(splits) if not split.labels and len(split.values) == 1]
    head = next((i for i in range(lone[0] - 1, -1, -1) if splits[i].labels), None) if lone else None
    start = rows[head].at.get("line") if head is not None else None
    if head is None or not isinstance(start, int):
        return None
    at: dict[int, TextCell] = {}
    for row, split in zip(rows[head + 1:], splits[head + 1:], strict=True):
        line = row.at.get("line")
        if not isinstance(line, int) or line > start + width:
            break
        if split.labels or len(split.values) != 1:
            return None
        at[line] = split.values[0]
    else:
        shown = any(line not in at for line in range(start + 1, max(at, default=start)))
        if start + width not in at and not (shown and after is not None and after > start + width):
            return None  # the table's end does not show that the lines left are blank cells
    if not any(b == a + 1 for a, b in itertools.pairwise([start, *sorted(at)])):
        return None  # every cell apart: a dump with an empty line of its own after each cell
    cells = [at.get(line, TextCell("", {"line": line})) for line in range(start + 1, start + width + 1)]
    return cells if _identities_hold(cells) else None


def _runs(breaks: list[int], width: int) -> list[tuple[int, int]]:
    """The spans of the runs of values that label text between them cut the row into."""
    edges = [0, *sorted({at for at in breaks if 0 < at < width}), width]
    return list(itertools.pairwise(edges))


def _trusted(start: int, end: int) -> bool:
    """Whether a run's values are in their columns' order: a run of one value, or one starting and ending where
    column groups do."""
    ends = _group_ends()
    return end - start == 1 or (start in ends | {0} and end in ends)


def _arrangements(run: list[TextCell]) -> list[tuple[TextCell, ...]]:
    """The run's values in every order telling its columns apart (values printed alike swap unseen), each once."""
    if not run:
        return [()]
    out: list[tuple[TextCell, ...]] = []
    firsts: set[str] = set()
    for index, cell in enumerate(run):
        if cell.text not in firsts:
            firsts.add(cell.text)
            out += [(cell, *rest) for rest in _arrangements(run[:index] + run[index + 1:])]
    return out


def _orders_count(run: list[TextCell]) -> int:
    """How many orders of the run's values tell its columns apart."""
    count = math.factorial(len(run))
    for same in Counter(cell.text for cell in run).values():
        count //= math.factorial(same)
    return count


ORDERS = 20_000
"""The most orders of a row's runs tried against 表四's identities."""
SHOWN = 6
"""How many of the surviving orders a finding lists."""


def _by_runs(gathered: list[TextCell], breaks: list[int], name: str, at: dict[str, object]
             ) -> tuple[dict[str, Cell], list[Finding]] | None:
    """表四 printed in runs under a header showing each run's columns (``_header_in_order``) where some run ends
    within a column group: plain pdftotext may print such a run's values in another order (a value whose label
    fits one line after those whose labels wrap), so each of its values may be any of its columns'; runs of one
    value and runs of whole groups are in order (a table printed in such runs only is read as printed, a group's
    broken sum the report's own mistake). Every order of the doubtful runs that keeps 表四's identities is a
    candidate, the printed one among them (None where it breaks them: the report's own mistake makes no candidate
    evidence, or where the orders are too many to try); the cells every candidate gives the same value are read,
    the others stay missing with a finding listing the candidates."""
    width = len(gathered)
    runs = [gathered[start:end] for start, end in _runs(breaks, width)]
    trusted = [_trusted(start, end) for start, end in _runs(breaks, width)]
    if all(trusted):
        return {col.key: to_cell(cell) for col, cell in zip(formats().t4_columns, gathered, strict=True)}, []
    if not _identities_hold(gathered) or math.prod(
            1 if sure else _orders_count(run) for run, sure in zip(runs, trusted, strict=True)) > ORDERS:
        return None
    choices = [[tuple(run)] if sure else _arrangements(run) for run, sure in zip(runs, trusted, strict=True)]
    candidates = [cells for combo in itertools.product(*choices)
                  if _identities_hold(cells := [cell for run in combo for cell in run])]
    agreed = [cells[0] if len({cell.text for cell in cells}) == 1 else None
              for cells in zip(*candidates, strict=True)]
    columns = formats().t4_columns
    read = {col.key: to_cell(cell) for col, cell in zip(columns, agreed, strict=True) if cell is not None}
    if len(read) == width:
        return read, []
    shown = "；".join(" ".join(cell.text for cell in cells) for cells in candidates[:SHOWN])
    return read, [finding("S.order_partly", cells=[f"t4.{col.key}" for col, cell in zip(columns, agreed, strict=True)
                                                   if cell is None],
                          where=name, actual=" ".join(cell.text for cell in gathered), count=len(candidates),
                          candidates=shown + ("等" if len(candidates) > SHOWN else ""),
                          expected=" ".join("？" if cell is None else cell.text for cell in agreed), at=[at])]


def extract_t4(rows: list[Row], template: str | None, settings: ExtractSettings, after: int | None = None,
               year: int | None = None) -> tuple[dict[str, Cell], list[Finding]]:
    """``read_t4``; a row printed twice, another year's beside the report's (``year``), is read from the copy its
    caption names (``years``), or where no caption decides, in the cells every copy states alike (``_copies``); copies
    printing a cell a line one right after the other are told apart by their lines (``_line_copies``)."""
    cells, findings = read_t4(rows, template, settings, after)
    if not any(found.rule in ("S.table_twice", "S.ambiguous_row") for found in findings):
        return cells, findings
    copies = _copies(rows)
    choice = choose_copy(copies, rows, year) if len(copies) == 2 else None
    if choice is None:
        by_lines = _own_lines(_line_copies(rows, len(formats().t4_columns), after), rows, year)
        return by_lines or _agreed(rows, copies, template, settings, after) or (cells, findings)
    again, found_again = read_t4([row for row in rows if not choice.drops(row.at)], template, settings, after)
    if not again or any(found.rule == "S.table_twice" for found in found_again):
        return cells, findings
    return again, [*found_again, choice.finding(["t4"], formats().table("t4").name)]


def _line_copies(rows: list[Row], width: int, after: int | None) -> list[list[TextCell]]:
    """表四's row printed more than once a cell a line with an empty line for each blank cell (``_by_lines``), each
    copy on the ``width`` lines after its caption row (``2023年度``) or right after the copy before, the first after
    the header: each copy's cells, when every line after the header is a caption between copies or one value, the
    copies end where the table does (their last line filled, or the text after them on line ``after``) and two cells
    sit on adjacent lines; none otherwise."""
    splits = [split_row(row) for row in rows]
    lone = [i for i, split in enumerate(splits) if not split.labels and len(split.values) == 1]
    head = next((i for i in range(lone[0] - 1, -1, -1) if splits[i].labels), None) if lone else None
    start = rows[head].at.get("line") if head is not None else None
    if head is None or not isinstance(start, int):
        return []
    at: dict[int, TextCell] = {}
    captions: set[int] = set()
    for row, split in zip(rows[head + 1:], splits[head + 1:], strict=True):
        line = row.at.get("line")
        if not isinstance(line, int) or (caption_year(row) is None and (split.labels or len(split.values) != 1)):
            return []
        if caption_year(row) is not None:
            captions.add(line)
        else:
            at[line] = split.values[0]
    copies: list[list[TextCell]] = []
    line = start + 1
    while line <= max(at, default=0):
        line += 1 if line in captions else 0
        if any(line <= caption < line + width for caption in captions):
            return []
        copies.append([at.get(k, TextCell("", {"line": k})) for k in range(line, line + width)])
        line += width
    if (any(caption >= line for caption in captions) or (line - 1 not in at and (after is None or after < line))
            or not any(b == a + 1 for a, b in itertools.pairwise(sorted(at)))):
        return []
    return copies


def _own_lines(copies: list[list[TextCell]], rows: list[Row], year: int | None
               ) -> tuple[dict[str, Cell], list[Finding]] | None:
    """The cells of the copy (``_line_copies``) the captions name the report's ``year``'s, where it keeps the table's
    identities (the lines placing its cells in their columns); None otherwise. Another year's copy need not keep
    them (its numbers are no concern of this report's)."""
    printed = [[cell.at for cell in cells if squash(cell.text)] for cells in copies]
    choice = choose_copy(printed, rows, year) if len(copies) == 2 and all(printed) else None
    if choice is None:
        return None
    own = [cells for cells, ats in zip(copies, printed, strict=True) if not choice.drops(ats[0])]
    if len(own) != 1 or not _identities_hold(own[0]):
        return None
    return ({col.key: to_cell(cell) for col, cell in zip(formats().t4_columns, own[0], strict=True)},
            [choice.finding(["t4"], formats().table("t4").name)])


def _copies(rows: list[Row]) -> list[list[At]]:
    """Where the copies of 表四's row stand, each a row of its values or a run of rows printing a value a line
    (between label rows): all its values, or fewer under a year caption (its blank cells took no line), or two rows
    printing as many (their blank cells left no place alike), or a run of lines printing several copies' values one
    after the other (``_lined_copies``); rows of blank cells (a spacer, a piece a page break cut off) passed over."""
    width = len(formats().t4_columns)
    runs: list[tuple[bool, list[tuple[At, list[TextCell]]]]] = [(False, [])]  # (captioned, [(row's place, values)])
    for row in rows:
        split = split_row(row)
        filled = not split.labels and any(squash(cell.text) for cell in split.values)
        # a row printing several values is a copy of its own, never part of a run printing a value a line
        if split.labels or (filled and runs[-1][1] and (len(split.values) > 1 or len(runs[-1][1][-1][1]) > 1)):
            runs.append((caption_year(row) is not None, []))
        if filled:
            runs[-1][1].append((row.at, split.values))
    sizes = [(captioned, [at for at, _ in run], sum(len(values) for _, values in run)) for captioned, run in runs]
    whole = [run for captioned, run, size in sizes if size == width or (0 < size < width and captioned)]
    alike = [(run, size) for _, run, size in sizes if len(run) == 1 and 0 < size < width]
    if len(whole) < 2 and len(alike) == 2 and alike[0][1] == alike[1][1]:
        return [run for run, _ in alike]  # two rows as many values: their blank cells left no place alike
    lined = [copy for captioned, run in runs if not captioned for copy in _lined_copies(run, width)]
    return whole if whole or not lined else lined


def _lined_copies(run: list[tuple[At, list[TextCell]]], width: int) -> list[list[At]]:
    """The copies a run of lines printing one value each holds when it prints a whole number of copies of the row,
    every cell filled (a blank cell took no line, so copies printing fewer could be cut anywhere), and some copy
    keeps the table's identities (the cut falls between copies; another year's copy need not keep them); none
    otherwise."""
    if len(run) <= width or len(run) % width or any(len(values) != 1 for _, values in run):
        return []
    copies = [run[start:start + width] for start in range(0, len(run), width)]
    if not any(_identities_hold([values[0] for _, values in copy]) for copy in copies):
        return []
    return [[at for at, _ in copy] for copy in copies]


def _agreed(rows: list[Row], copies: list[list[At]], template: str | None, settings: ExtractSettings,
            after: int | None) -> tuple[dict[str, Cell], list[Finding]] | None:
    """The cells every copy of 表四's row (``copies``, none decided by a caption) states alike, with a finding naming
    the others; None when there are not several copies or some copy does not read whole alone."""
    if len(copies) < 2:
        return None
    readings = []
    for own in copies:
        others = {at_key(at) for copy in copies if copy is not own for at in copy}
        read, found = read_t4([row for row in rows if at_key(row.at) not in others], template, settings, after)
        if len(read) != len(formats().t4_columns) or any(f.rule == "S.table_twice" for f in found):
            return None
        readings.append(read)
    return _alike(readings, [copy[0] for copy in copies])


def _alike(readings: list[dict[str, Cell]], at: list[At]) -> tuple[dict[str, Cell], list[Finding]]:
    """The cells every copy's reading (by column) states alike, and the finding naming the others
    (``years.agreed``); ``at``: where each copy starts."""
    read, differ = agreed([{f"t4.{key}": cell for key, cell in reading.items()} for reading in readings],
                          formats().table("t4").name, at)
    return {key.removeprefix("t4."): cell for key, cell in read.items()}, [differ] if differ else []


def read_t4(rows: list[Row], template: str | None, settings: ExtractSettings, after: int | None = None
            ) -> tuple[dict[str, Cell], list[Finding]]:
    """Cells of 表四 found in ``rows`` and the problems met (``after``: the line of the text after them). Values
    gathered over several rows must break only where a column group ends, unless every row holds one value: a run
    cut elsewhere by label text is a dump that interleaved the header with the values (so is one printing a value a
    line with pieces of the column header between its runs, wherever they end: plain pdftotext reads a vertical
    header column by column and may print a group's values in another order), and a row followed by a few
    loose values is one whose numbers wrapped or lost a blank cell; the order of either cannot be trusted. Where the
    header printed before each run shows its order (``_header_in_order``: whole result labels in the columns' order,
    one for each value) and the runs end where column groups end, the print places every value: the runs are read in
    order after a page break too, and a group whose 总计 is not the sum of its results is read as printed (the
    report's own mistake). A run ending within a group may print the group's values in another order even under
    such a header (a value whose label fits one line printed after those whose labels wrap): its cells are read
    only where every order of such runs keeping the identities gives them the same value (``_by_runs``)."""
    columns = formats().t4_columns
    width = len(columns)
    rows = _from_header(rows)
    gathered: list[TextCell] = []
    first_at = None
    interleaved = False
    sizes: list[int] = []
    breaks: list[int] = []
    splits = [split_row(row) for row in rows]
    last_values = _last_values(splits)
    shown = lru_cache(maxsize=1)(lambda: _header_in_order(rows, splits, last_values))
    for index, (row, split) in enumerate(zip(rows, splits, strict=True)):
        if split.labels and gathered and index < last_values and (
                len(gathered) not in _group_ends() or (max(sizes) == 1 and _column_header(split) and not shown())):
            interleaved = True  # label text between values (text after the last values, a note, is not)
        if split.labels and gathered and index < last_values:
            breaks.append(len(gathered))
        if split.labels or not split.values:
            continue
        nil = None if gathered else _row_nil(row)
        if nil is not None:
            return ({}, [_twice(row.at)]) if _another_row(split.values, splits[index + 1:], width) else (nil, [])
        filled = any(squash(c.text) for c in split.values)
        if not filled and index < last_values:
            continue  # a row of blank cells before the values: a piece a page break cut off, or a spacer
        if not gathered and len(row.cells) > width:
            aligned = printed_cells(split.values, width) or _by_header(row, rows[:index], width)
            if aligned and _another_row(split.values, splits[index + 1:], width):
                return {}, [_twice(row.at)]
            if aligned:
                return {col.key: to_cell(cell) for col, cell in zip(columns, aligned, strict=True)}, []
        if not filled and (gathered or len(split.values) != width):
            continue
        first_at = first_at or row.at
        interleaved = interleaved or (row.at.get("order") == UNCERTAIN_ORDER and not shown())
        gathered.extend(split.values)
        sizes.append(len(split.values))
        if len(gathered) >= width:
            if _another_row(gathered, splits[index + 1:], width):
                return {}, [_twice(first_at)]
            break
    if not gathered:
        return {}, []
    numbers = any(cell_kind(c.text) == NUMBER for split in splits for c in split.values)
    # marks alone state nothing wherever the header broke them
    nil = None if numbers and interleaved else _nil_cells(gathered)
    if nil is not None:
        return nil, []
    uncertain = interleaved or not _whole_groups(sizes)
    if uncertain and len(gathered) == width and all(squash(c.text) for c in gathered) and shown():
        by_runs = _by_runs(gathered, breaks, formats().table("t4").name, first_at or {})
        if by_runs is not None:
            return by_runs
    cells = None if uncertain else choose_window(gathered, width, 0, _identities_hold)
    if (cells is not None and len(sizes) > 1 and max(sizes) == 1 and gapped(gathered) and not shown()
            and not _identities_hold(cells)):
        cells = None
    if cells is None and not interleaved and max(sizes) == 1:
        cells = _by_lines(rows, splits, width, after)
    keys, types, name = tuple(f"t4.{c.key}" for c in columns), ("count",) * width, formats().table("t4").name
    run = None
    if cells is None and not uncertain and is_glued(gathered):
        run = Glued(keys, types, glued_text(gathered), name, first_at or {})
    elif cells is None and not uncertain and is_short(gathered, width, max(sizes) == 1 and not gapped(gathered)):
        run = gapped_row(keys, types, gathered, name, first_at or {})
    if run is not None:
        solved, findings = solve([run], {}, template, settings)
        if solved or numbers:
            return {col.key: solved[key] for col, key in zip(columns, run.keys, strict=True) if key in solved}, findings
    if cells is None and not numbers and all(cell_kind(c.text) == BLANK for c in gathered):
        return _nothing_stated(gathered), []
    if cells is None:
        found = sum(1 for c in gathered if squash(c.text))
        return {}, [finding("S.ambiguous_row", cells=["t4"], where=name, found=found,
                            expected=width, at=[first_at] if first_at else [])]
    return {col.key: to_cell(cell) for col, cell in zip(columns, cells, strict=True)}, []
