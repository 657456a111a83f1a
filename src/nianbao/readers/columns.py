"""Space-aligned table rows (``pdftotext -layout``): which column each printed value stands in.

Where a table's blank cells print as nothing, a row shows fewer values than the table has columns, and
only where each value stands says which column it fills. Over one stretch of rows (the part of a table
one page holds), the values' spans, widened by a character for the jitter of layout, form columns:
values that overlap share one (in lines a PDF's positions lay out, where so widened two values of a row run
together, columns a character or two apart, the spans are read as they stand). A column standing inside another
row's label is a label's character read as a value (无 of a group label printed a character a line, on the line of
a row whose own label wraps around its values): where each of its values is a mark stating nothing that starts its
line, the marks are read as their rows' labels and the columns formed again; any other such column leaves the
stretch showing no columns. When no row puts two values in one column, each row's values name their columns, and the
columns a row leaves out between them are its blank cells; but two columns that touch, so widened, with no row filling
both may be one column's values the tool set a character or two apart, and so may a single value standing within its
jitter of a column every row but two at most fills (at least ``_LONE_BESIDE_LEAST`` values), its row leaving that
column blank: read alone in characters, the stretch then places no row.
A lone number on a line of its own (a page number, maybe) takes no part, but where it stands right between two lines
of a label wrapped around it. In a stretch where ``wrapped`` found pieces of numbers too wide for their cells, no
row is placed that has values on the line right above or below it, nor a row
whose numbers were joined from pieces; a line it took for pieces it could not join (which may as well be
a row's values printed between the lines of its label), and bare numbers too few for a row of their own right
between two lines of a label (but in lines a PDF's positions lay out, each a baseline, where such numbers are a
row's), are placed for the extractor to take only where the row's sums hold.

Positions are counted in characters (``pdftotext -layout`` sets one character per cell) and in display
columns (a Chinese character two wide, as editors align text). Counted in characters, a value set a single space
after the text before it is packed: the tool joined it to the word before (a wide 无 or — counts one character),
so it stands left of where it was printed and forms no column; a run of packed values takes the columns right
after the value before it only where it fills exactly those up to the next value standing where it was printed
(or the stretch's last), else its row is not placed by the stretch, and under a header it may stand in any
column after the value before it. A stretch is read by whichever count
gives such columns; where both do, by the one that gives fewer (counted the wrong way, labels of other
lengths shift a column's values apart); where they give as many and disagree on a row, the row is left as
it was. A stretch ends at a page break, a page number line or a section heading, so that tables and pages with
other columns do not mix. A stretch that only page breaks and page numbers part from the one before is that
table continued, and so is one that a row's numbered label parts from it (the label's line right above the row's
values, which print between the lines of a label wrapped around them, reads as a heading): where one of the two
cannot be read alone (too few rows) or leaves a column blank throughout (a page of rows none of which fills it)
and each count that reads one reads both together in as many columns as the wider, the two are read as one; but not
where both pages print a header and the headers' columns stand apart (a tool laying out each page apart sets a page's
header a character or two apart from another's, and its values with it: their positions are no guide to each
other's).
One that continues a table in up to ``columns_extra`` columns more than the stretch before it (whitespace the tool
set before some rows' values shifts them apart from their columns) is read in as many columns as the stretch before,
where exactly one way joins its adjacent columns into so many with no row holding two values in one, and no count
reads it in as many columns as any count read the stretch before; its rows are placed to be taken only where their
sums hold.
The placement is a reading of positions only: the extractor takes it where the row's table has as many columns
as the stretch.
A text is laid out by one count: where the stretches show which (most of the rows they read) and the other count
read some of them in fewer columns, or the count is display columns (an editor aligns every page alike), every
stretch is read again by that count alone (a table whose columns that count finds too few to read, 表二, is left to
its header, not read by the other count in more columns).

A row no stretch places (a table of one row, the first row of a page) is placed under the header lines above it (a row
printing no label, its label wrapped around its values, has the label's lines right above it, holding text only left of
its values, set aside, and its label ends where their text does): their cells (characters standing alone a single space
apart each a cell: a header printed a character a line over columns that narrow), less those heading a group of columns
(or reaching, as far as it prints, over two cells of a line below: counted in characters, a Chinese cell, a caption's,
reaches twice as far as it counts), form the columns right of the row's label (in a header printed a character a line, a
cell of several characters stacked with other lines' is as many columns printed side by side; a section heading's end
wrapped onto the line under it is no header), and a value can stand in a column only between the headers of the columns
beside it. Where exactly one way puts each value in its own column, counted as most of the document's rows read by
stretches were (a document where no count reads more of them shows no columns to trust), the row is placed, to be taken
only where its sums hold. Where several ways do (narrow columns), the one way, if any, that also puts each value under
its own column's header is taken; counted in characters, where no way does, a header is taken twice as wide as it counts
(a Chinese character prints two wide). A row its stretch's columns hold in more ways than one (its packed values in
either of two columns) is so placed only where the header puts each of its values standing where it was printed in the
stretch's column. In a text laid out in display columns (an editor's, every page alike), the header lines may stand
on the page before the row's, where its table goes on on a page printing no header.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace

from ..settings import LayoutSettings
from ..values import is_blank, is_value_like, squash
from .cells import display_width, text_width
from .wrapped import NUMBERED, between_labels

_TOKEN = re.compile(r"\S+")
_CHUNK = re.compile(r"\S+(?: \S+)*")
"""Text set apart by two or more spaces: one cell of an aligned row."""
_BARE_NUMBERS = re.compile(r"[\s\d.,+-]*")
_HEADING = re.compile(r"\s*[一二三四五六七八九十]+、")
_LONE_BESIDE_LEAST = 6
"""The fewest values of a column for a single value standing next to it, in a column of its own, to be read as maybe
set apart from it (``_not_apart``): fewer rows say too little of where the column's values stand."""
_STACK_LINES = 4
"""The fewest lines a header's column printed a character a line stands on (a result label of 表四's is four
characters): a label wrapped a few characters a line in a wider column stands on fewer."""


@dataclass(frozen=True, slots=True)
class Placement:
    """The columns of a row's trailing values, left to right, among the ``width`` columns of its stretch."""

    columns: tuple[int, ...]
    width: int
    values: tuple[str, ...]
    need_sums: bool = False
    """The line may hold pieces of wrapped numbers rather than a row's values: the placement holds only
    where the row's sums do."""
    label_covers: bool = False
    """The row's label runs into a column the placement leaves blank (a value printed against the label may
    stand there): the row is not placed."""
    width_unsure: bool = False
    """Two of the stretch's columns may be one (``_not_apart``): read alone in characters, the stretch places no
    row."""


@dataclass(frozen=True, slots=True)
class Wrapping:
    """What the reader of wrapped numbers found: lines holding pieces of numbers too wide for their cells,
    and row lines whose numbers it joined from pieces or cannot trust."""

    pieces: set[int]
    untrusted: set[int]


@dataclass(slots=True)
class _Stretch:
    """A stretch of lines holding values, by line, with what the reader of wrapped numbers left doubtful."""
    rows: dict[int, list[re.Match[str]]]
    doubtful: set[int] = field(default_factory=set)
    """Lines the reader of wrapped numbers took for pieces it could not join (they may be a row's values), and bare
    numbers, too few for a row of their own, between the lines of a label wrapped around them
    (``wrapped.between_labels``)."""
    wrapping: bool = False
    """Whether pieces of wrapped numbers lie inside: then no row next to a line of values is placed."""
    continues: bool = False
    """Whether only page breaks, page numbers or a row's label taken for a heading part it from the stretch
    before it (the same table, continued)."""


@dataclass(frozen=True, slots=True)
class _Pages:
    """The kinds of a text's lines and where its pages start; ``breaks``: the lines starting a page or numbering one,
    in order."""

    kinds: list[str]
    starts: set[int]
    breaks: list[int] = field(init=False)

    def __post_init__(self) -> None:
        furniture = (i for i, kind in enumerate(self.kinds) if kind == "furniture")
        object.__setattr__(self, "breaks", sorted(self.starts.union(furniture)))


@dataclass(frozen=True, slots=True)
class _Value:
    """A value printed in a line and where it starts and ends; ``packed``: set one space after the text before it,
    where it stands may not be where it was printed."""
    text: str
    start: int
    end: int
    packed: bool = False


def char_count(line: str) -> Callable[[int], int]:
    """Positions in characters: an offset is its own position."""
    return lambda offset: offset


def display_columns(line: str) -> Callable[[int], int]:
    """Positions in display columns (a Chinese character two wide), summed once per line."""
    widths = [0, *itertools.accumulate(map(display_width, line))]
    return widths.__getitem__


Metric = Callable[[str], Callable[[int], int]]
"""A way to count positions along a line: the line → its offset → position function."""
_METRICS: tuple[Metric, ...] = (char_count, display_columns)


def trailing_values(line: str) -> list[re.Match[str]]:
    """The value tokens the line ends with (after a label, or the whole line)."""
    tokens = list(_TOKEN.finditer(line))
    count = 0
    for token in reversed(tokens):
        if not is_value_like(token.group()):
            break
        count += 1
    return tokens[len(tokens) - count:] if count else []


def _ends_stretch(line: str, kind: str, settings: LayoutSettings) -> bool:
    """A page number line or a section heading (numbered, long, no value after it) ends a stretch."""
    if kind == "furniture":
        return True
    return (kind == "text" and bool(_HEADING.match(line))
            and len(squash(line)) >= settings.columns_heading_chars and not trailing_values(line))


def _may_continue(texts: list[str], kinds: list[str], i: int) -> bool:
    """Whether the stretch that line ``i`` ends may go on after it: the line is a page number, or a heading right
    above a line of values (a row's label wrapped around them)."""
    return kinds[i] == "furniture" or (i + 1 < len(texts) and kinds[i + 1] == "text"
                                       and bool(trailing_values(texts[i + 1])))


def value_rows(texts: list[str], kinds: list[str], settings: LayoutSettings) -> dict[int, list[re.Match[str]]]:
    """Line index → trailing value tokens, for the text lines laid out in columns that end in values (a lone
    number with no label may be a page number: not a row, but where it stands right between the lines of a label
    wrapped around it, ``wrapped.between_labels``)."""
    gap = " " * settings.column_gap
    rows: dict[int, list[re.Match[str]]] = {}
    for i in [i for i, line in enumerate(texts) if gap in line]:  # most lines hold no gap: not looked at again
        line = texts[i]
        if kinds[i] != "text":
            continue
        if gap in line.strip():
            values = trailing_values(line)
            if len(values) > 1 or (values and len(values) < len(line.split())):
                rows[i] = values
        elif between_labels(texts, kinds, i):
            rows[i] = trailing_values(line)
    return rows


def _stretches(texts: list[str], kinds: list[str], rows: dict[int, list[re.Match[str]]], page_starts: set[int],
               settings: LayoutSettings, wrapping: Wrapping, exact: bool) -> list[_Stretch]:
    """The value lines of each stretch (line index → its trailing value tokens); lines the wrapped-number
    reader took for pieces are marked doubtful and make the stretch one where numbers wrap (bare numbers too few for
    a row of their own between the lines of a label wrapped around them are marked doubtful only, but in lines laid
    out from a PDF's positions, ``exact``, each a baseline of its page, where they are a row's); a stretch that
    only page breaks, page numbers or a row's label taken for a heading (``_may_continue``) part from the one before
    is marked as continuing it."""
    stretches = [_Stretch({})]
    for i, (line, kind) in enumerate(zip(texts, kinds, strict=True)):
        ends = _ends_stretch(line, kind, settings)
        if i in page_starts or ends:
            continues = not ends or _may_continue(texts, kinds, i)
            if not stretches[-1].rows:  # no row since the last end: both part the same two stretches
                continues = continues and stretches[-1].continues
                stretches.pop()
            stretches.append(_Stretch({}, continues=continues))
        if i in wrapping.pieces:
            stretches[-1].wrapping = True
            stretches[-1].doubtful.add(i)
        elif not exact and i in rows and len(rows[i]) < settings.wrap_min_numbers and between_labels(texts, kinds, i):
            stretches[-1].doubtful.add(i)
        if i in rows:
            stretches[-1].rows[i] = rows[i]
    return stretches


def _over_breaks(texts: list[str], stretches: list[_Stretch], metrics: tuple[Metric, ...],
                 settings: LayoutSettings, exact: bool, pages: _Pages) -> list[_Stretch]:
    """The stretches of enough rows to read, each one that continues a table over a page break joined to the one
    before where one of the two cannot be read alone or leaves a column blank throughout (``_joined``)."""
    out: list[_Stretch] = []
    for stretch in stretches:
        joined = _joined(texts, out[-1], stretch, metrics, settings, exact, pages) \
            if out and stretch.continues else None
        if joined is None:
            out.append(stretch)
        else:
            out[-1] = joined
    return [stretch for stretch in out if len(stretch.rows) >= settings.columns_min_rows]


def _headed_apart(texts: list[str], pages: _Pages, before: _Stretch, after: _Stretch, metric: Metric,
                  settings: LayoutSettings) -> bool:
    """Whether the pages of two stretches each print a header over their rows, heading as many columns right of their
    rows' labels (counted by ``metric``), and the two headers' columns stand apart, most of them further than the
    jitter of layout from the other's: the pages are laid out apart, their columns' positions no guide to each
    other's."""
    spans = [_header_over(texts, pages, part, first, metric, settings)
             for part, first in ((before, _pages(sorted(before.rows), pages.breaks)[-1][0]),
                                 (after, min(after.rows)))]
    if len(spans[0]) != len(spans[1]):
        return False  # a header misread on either page: no evidence
    apart = [abs(one[0] - other[0]) > settings.columns_jitter for one, other in zip(spans[0], spans[1], strict=True)]
    return sum(apart) * 2 > len(apart)


def _header_over(texts: list[str], pages: _Pages, stretch: _Stretch, i: int, metric: Metric,
                 settings: LayoutSettings) -> list[tuple[int, int]]:
    """The spans of the columns the header over row ``i`` of the stretch heads (``_header_spans``), if any."""
    label = _label_above(texts, pages.kinds, i, stretch.rows[i], metric, settings)
    header = _header_lines(texts, pages.kinds, stretch.rows, min(label, default=i), pages.starts, settings)
    return (_header_spans(texts, header, i, stretch.rows[i], metric, settings, label) if header else None) or []


def _pages(lines: list[int], breaks: list[int]) -> list[list[int]]:
    """The lines (in order) by the page holding them (``breaks``: the lines starting a page or numbering one,
    in order)."""
    out: dict[int, list[int]] = {}
    for i in lines:
        out.setdefault(bisect.bisect_right(breaks, i), []).append(i)
    return list(out.values())


def _joined(texts: list[str], before: _Stretch, after: _Stretch, metrics: tuple[Metric, ...],
            settings: LayoutSettings, exact: bool, pages: _Pages) -> _Stretch | None:
    """The two stretches (both holding rows, neither pieces of wrapped numbers, which would keep rows of the other
    from being placed) as one, when each count that reads one of them reads them together in as many columns as
    the wider it reads (every value of the other stands in one of its columns) and their pages' headers, if both
    print one, stand alike (``_headed_apart``), and some count reads one of them only, or the two in numbers of
    columns one apart (a column one leaves blank throughout; two stretches further apart are not read alike); None
    otherwise."""
    if not before.rows or not after.rows or before.wrapping or after.wrapping:
        return None
    joined = _Stretch({**before.rows, **after.rows}, continues=before.continues)
    gains = False
    for metric in metrics:
        widths = [_width(alone) if len(part.rows) >= settings.columns_min_rows
                  and (alone := _read(texts, part, metric, settings, exact)) else 0 for part in (before, after)]
        if not any(widths):
            continue
        both = _read(texts, joined, metric, settings, exact)
        if not both or _width(both) != max(widths) or (all(widths) and abs(widths[0] - widths[1]) > 1) \
                or _headed_apart(texts, pages, before, after, metric, settings):
            return None
        gains = gains or widths[0] != widths[1]
    return joined if gains else None


def _columns(rows: dict[int, list[_Value]], jitter: int) -> list[tuple[int, int]]:
    """Spans of the columns the values form: widened spans that overlap are one column."""
    spans = sorted((value.start - jitter, value.end + jitter) for values in rows.values() for value in values
                   if not value.packed)
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _found(rows: dict[int, list[_Value]], jitter: int
           ) -> tuple[list[tuple[int, int]], dict[int, list[int | None]]]:
    """The columns the values form (spans widened by ``jitter``) and each row's columns, value by value (None for a
    packed value, which forms no column)."""
    columns = _columns(rows, jitter)
    starts = [start for start, _ in columns]
    return columns, {i: [None if value.packed else bisect.bisect_right(starts, value.start) - 1
                         for value in values] for i, values in rows.items()}


def _crowded(found: dict[int, list[int | None]]) -> bool:
    """Whether a row puts two values in one column (a packed value, standing in none, aside)."""
    return any(len(set(sure)) < len(sure)
               for sure in ([k for k in placed if k is not None] for placed in found.values()))


def _placements(rows: dict[int, list[_Value]], labels: dict[int, tuple[int, int]], jitter: int,
                settings: LayoutSettings, width: int | None = None) -> dict[int, Placement] | None:
    """Each row's placement among the stretch's columns (spans widened by ``jitter``; ``width``: joined into so many
    runs, ``_joined_runs``), or None when the columns do not hold; marked where the row's label (``labels``: its
    span) runs into the first column and the row leaves that column out."""
    columns, found = _found(rows, jitter)
    if _crowded(found):
        return None  # two values of one row in one column: not laid out in columns
    if width is not None and len(columns) > width:
        runs = _joined_runs(columns, found, width)
        if runs is None:
            return None
        columns, found = runs
    if any(_inside_label(column, labels, jitter) for column in columns):
        return None  # a column inside a row's label: a label's character read as a value
    if len(columns) < settings.columns_min_width:
        return None
    first = columns[0][0] + jitter
    filled = {i: columns_of for i, placed in found.items() if (columns_of := _fill(placed, len(columns)))}
    unsure = _not_apart(columns, found, jitter)
    return {i: Placement(placed, len(columns), tuple(v.text for v in rows[i]),
                         label_covers=placed[0] > 0 and labels[i][1] > first, width_unsure=unsure)
            for i, placed in filled.items()}


def _not_apart(columns: list[tuple[int, int]], found: dict[int, list[int | None]], jitter: int) -> bool:
    """Whether two adjacent columns (spans widened by ``jitter``) no row fills both may be one: they touch (values of
    one column that the tool set a character or two apart, ``13`` and ``-`` of one cell, as likely as two columns),
    or one holds a single value standing within a value's jitter of the other, which nearly every row fills
    (``_lone_beside``: a value the row leaves that column blank for, set apart from its column; a column of its own
    would make the stretch one column wider)."""
    filled = [{k for k in placed if k is not None} for placed in found.values()]
    held = Counter(k for row in filled for k in row)
    return any(not any(k in row and k + 1 in row for row in filled)
               and (columns[k + 1][0] <= columns[k][1] or (columns[k + 1][0] <= columns[k][1] + 2 * jitter
                                                           and _lone_beside(held[k], held[k + 1], len(filled))))
               for k in range(len(columns) - 1))


def _lone_beside(one: int, other: int, rows: int) -> bool:
    """Whether of two adjacent columns' counts of values one is a single value and the other's fill the stretch's
    rows but two at most, the single value's among them (and number at least ``_LONE_BESIDE_LEAST``)."""
    return min(one, other) == 1 and max(one, other) >= max(_LONE_BESIDE_LEAST, rows - 2)


def _joined_runs(columns: list[tuple[int, int]], found: dict[int, list[int | None]], width: int
                 ) -> tuple[list[tuple[int, int]], dict[int, list[int | None]]] | None:
    """The columns joined into ``width`` runs of adjacent columns, no row holding two values in one run, with each
    row's values by run, where exactly one such joining exists (whitespace the tool set between a row's label and
    its values shifts them apart from their columns: a column too many); None otherwise."""
    count = len(columns)
    free = [[all(sum(1 for k in placed if k is not None and a <= k < b) <= 1 for placed in found.values())
             for b in range(count + 1)] for a in range(count + 1)]
    ways = [[0] * (width + 1) for _ in range(count + 1)]  # ways[b][g]: joinings of columns 0..b-1 into g runs
    ways[0][0] = 1
    start = [[0] * (width + 1) for _ in range(count + 1)]
    for b in range(1, count + 1):
        for g in range(1, width + 1):
            for a in range(b):
                if ways[a][g - 1] and free[a][b]:
                    ways[b][g] = min(2, ways[b][g] + ways[a][g - 1])
                    start[b][g] = a
    if ways[count][width] != 1:
        return None
    bounds: list[tuple[int, int]] = []
    end = count
    for g in range(width, 0, -1):
        bounds.append((start[end][g], end))
        end = start[end][g]
    bounds.reverse()
    run_of = {k: n for n, (a, b) in enumerate(bounds) for k in range(a, b)}
    return ([(columns[a][0], columns[b - 1][1]) for a, b in bounds],
            {i: [None if k is None else run_of[k] for k in placed] for i, placed in found.items()})


def _inside_label(column: tuple[int, int], labels: dict[int, tuple[int, int]], jitter: int) -> bool:
    """Whether the column (widened by ``jitter``) stands inside a row's label."""
    return any(start < end and start <= column[0] + jitter and column[1] - jitter <= end
               for start, end in labels.values())


def _without_label_marks(rows: dict[int, list[_Value]], labels: dict[int, tuple[int, int]], jitter: int
                         ) -> tuple[dict[int, list[_Value]], dict[int, tuple[int, int]]]:
    """The rows and their labels' spans with the marks that form a column inside a row's label taken into their
    rows' labels: a group label printed a character a line puts its 无 (of 无法提供) on the line of a row whose own
    label wraps around its values. Only a column whose every value is a mark stating nothing that starts its line
    is so read; any other column inside a label leaves the rows as they are (they show no columns)."""
    columns = [column for column in _columns(rows, jitter) if _inside_label(column, labels, jitter)]

    def inside(value: _Value) -> bool:
        return not value.packed and any(start <= value.start - jitter and value.end + jitter <= end
                                        for start, end in columns)

    marked = {i for i, values in rows.items() if any(inside(value) for value in values)}
    if not marked or any(labels[i][0] < labels[i][1] or not is_blank(rows[i][0].text)
                         or any(inside(value) for value in rows[i][1:]) for i in marked):
        return rows, labels
    kept = {i: values[1:] if i in marked else values for i, values in rows.items()}
    spans = {i: (rows[i][0].start, rows[i][0].end) if i in marked else labels[i] for i in rows}
    return {i: values for i, values in kept.items() if values}, {i: spans[i] for i in kept if kept[i]}


def _fill(placed: list[int | None], width: int) -> tuple[int, ...] | None:
    """The columns of a row's values, given those of the values standing where they were printed (None for a
    packed one): a run of packed values fills the columns between the values around it (or the row's ends) only
    where there are as many; else the row is not placed."""
    out: list[int] = []
    for n, column in enumerate(placed):
        if column is None:
            after = [k for k in placed[n:] if k is not None]
            run = placed[n:].index(after[0]) if after else len(placed) - n
            column = (out[-1] if out else -1) + 1
            bound = after[0] if after else width
            if bound - column != run:
                return None
        out.append(column)
    return tuple(out) if all(a < b for a, b in itertools.pairwise(out)) else None


def _values(tokens: list[re.Match[str]], position: Callable[[int], int], line: str = "") -> list[_Value]:
    """The values with their positions; given the ``line`` (counted in characters: a tool laying out a page so
    packs the words of a line), one set a single space after the text before it is packed."""
    return [_Value(m.group(), position(m.start()), position(m.end()), packed=_packed(line, m.start()))
            for m in tokens]


def _packed(line: str, start: int) -> bool:
    return 2 <= start <= len(line) and line[start - 1] == " " and line[start - 2] != " "


def _touches(texts: list[str], i: int) -> bool:
    """Whether the line right above or below holds values too (where numbers wrap, their pieces print so)."""
    return any(0 <= j < len(texts) and trailing_values(texts[j]) for j in (i - 1, i + 1))


def _label_span(line: str, values_start: int, metric: Metric) -> tuple[int, int]:
    """Where the text before a row's values stands (counted by ``metric``): empty for a row printing no label."""
    label = line[:values_start].rstrip()
    at = metric(line)
    return at(len(label) - len(label.lstrip())), at(len(label))


def _positions(texts: list[str], stretch: _Stretch, metric: Metric, settings: LayoutSettings
               ) -> tuple[dict[int, list[_Value]], dict[int, tuple[int, int]]]:
    """The stretch's rows' values and their labels' spans, counted by ``metric``, a group label's marks standing on
    a row's line taken into its label (``_without_label_marks``)."""
    rows = {i: _values(values, metric(texts[i]), texts[i] if metric is char_count else "")
            for i, values in stretch.rows.items()}
    labels = {i: _label_span(texts[i], values[0].start(), metric) for i, values in stretch.rows.items()}
    return _without_label_marks(rows, labels, settings.columns_jitter)


def _read(texts: list[str], stretch: _Stretch, metric: Metric, settings: LayoutSettings, exact: bool,
          width: int | None = None) -> dict[int, Placement] | None:
    """The placements of the stretch's rows counted by ``metric`` (in ``width`` columns: ``_joined_runs``); where
    the positions are ``exact`` (laid out from a PDF's coordinates) and values widened for jitter run together
    (columns a character or two apart), read again from their spans as they stand."""
    rows, labels = _positions(texts, stretch, metric, settings)
    placed = _placements(rows, labels, settings.columns_jitter, settings, width)
    if placed is None and exact and settings.columns_jitter and _crowded(_found(rows, settings.columns_jitter)[1]):
        placed = _placements(rows, labels, 0, settings, width)
    if placed is None or not stretch.wrapping:
        return placed
    return {i: found for i, found in placed.items() if not _touches(texts, i)}


@dataclass(frozen=True, slots=True)
class Columns:
    """Where a text's rows put their values, and how the text counts positions."""

    placed: dict[int, Placement]
    """Line index → the placement of its trailing values."""
    metric: Metric | None
    """The count of positions by which most rows read by stretches were placed; None when no stretch says."""


def value_columns(texts: list[str], kinds: list[str], page_starts: set[int], settings: LayoutSettings,
                  wrapping: Wrapping, by_display: bool = False) -> Columns:
    """The placements of trailing values, for the rows of stretches laid out in columns and, failing that, for
    labelled rows under header lines whose columns place them (``texts`` as printed, before wrapped numbers were
    joined); ``by_display``: the text is known to be laid out in display columns (a PDF's lines laid out by
    position), the only count read."""
    metrics = (display_columns,) if by_display else _METRICS
    gap = " " * settings.column_gap
    if not any(kind == "text" and gap in line for line, kind in zip(texts, kinds, strict=True)):
        return Columns({}, None)  # no line laid out in columns (most text): no stretch to read
    rows = value_rows(texts, kinds, settings)
    stretches = _stretches(texts, kinds, rows, page_starts, settings, wrapping, by_display)
    pages = _Pages(kinds, page_starts)
    placed, touchy, held, counted = _by_stretches(texts, stretches, metrics, settings, wrapping, by_display, pages)
    ranked = counted.most_common()
    if not ranked or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return Columns(placed, None)  # no stretch shows the text laid out in columns, or by which count: headers
    metric = ranked[0][0]                # place nothing
    if len(ranked) > 1 or (len(metrics) > 1 and metric is display_columns):
        # a text is laid out by one count: the stretches are read again by it alone (joined anew where an editor laid
        # it out, aligning every page alike; counted in characters, a tool laying out each page apart closes up a
        # column a page leaves blank, and both counts keep the say on joining pages)
        placed, touchy, held, _ = _by_stretches(texts, stretches, (metric,), settings, wrapping, by_display, pages)
    by_header: dict[tuple[int, ...], dict[int, Placement]] = {}
    for i in rows.keys() - placed.keys() - wrapping.untrusted - touchy:
        if i in wrapping.pieces and _BARE_NUMBERS.fullmatch(texts[i]):
            continue  # bare numbers near a row whose numbers wrap: pieces, not a row (blank marks do not wrap)
        label = _label_above(texts, kinds, i, rows[i], metric, settings)
        header = _header_lines(texts, kinds, rows, min(label, default=i), page_starts, settings,
                               metric is display_columns)
        under = _under_header(texts, header, i, rows[i], metric, settings, label) if header else None
        if under is not None and (i not in held or _agrees(under, held[i])):
            by_header.setdefault(header, {})[i] = under
    for under_one in by_header.values():
        if len({placement.width for placement in under_one.values()}) == 1:
            placed.update(under_one)  # a header heads as many columns over every row under it; else it is misread
    return Columns(placed, metric)


def _by_stretches(texts: list[str], stretches: list[_Stretch], metrics: tuple[Metric, ...], settings: LayoutSettings,
                  wrapping: Wrapping, exact: bool, pages: _Pages
                  ) -> tuple[dict[int, Placement], set[int], dict[int, _Held], Counter[Metric]]:
    """The placements of the rows the stretches read (by ``metrics``, joined over page breaks), the rows no header
    may place either (a value may stand against their label, or next to pieces of wrapped numbers), the rows whose
    stretch's columns hold their values in more ways than one (``_Held``: a header places them only as those columns
    do), and how many rows each count alone read in the fewest columns."""
    placed: dict[int, Placement] = {}
    touchy: set[int] = set()
    held: dict[int, _Held] = {}
    counted: Counter[Metric] = Counter()
    before: dict[Metric, int] = {}  # the widths the stretch before reads in
    for stretch in _over_breaks(texts, stretches, metrics, settings, exact, pages):
        readings = {metric: r for metric in metrics if (r := _read(texts, stretch, metric, settings, exact))}
        joined = _as_before(texts, stretch, readings, before if stretch.continues else {}, settings, exact)
        readings.update(joined)
        before = {metric: _width(reading) for metric, reading in readings.items()}
        fewest = min((_width(reading) for reading in readings.values()), default=0)
        best = [metric for metric, reading in readings.items() if _width(reading) == fewest]
        if len(best) == 1:
            counted[best[0]] += len(readings[best[0]])
        unsure = [metric for metric in best if metric is char_count and metric not in joined  # editors align exactly
                  and any(placement.width_unsure for placement in readings[metric].values())]
        for i in stretch.rows:
            found = {readings[metric][i] for metric in best if i in readings[metric] and metric not in unsure}
            if any(placement.label_covers for placement in found):
                touchy.add(i)  # a value may stand against the label: the row is not placed
            elif not found and (sure := [m for m in best if m not in unsure and i not in readings[m]]):
                held[i] = _held(texts, stretch, sure[0], settings, i)
            elif len(found) == 1 and i not in wrapping.untrusted:
                placed[i] = replace(found.pop(), need_sums=i in stretch.doubtful or any(m in joined for m in best))
        if stretch.wrapping:
            touchy.update(i for i in stretch.rows if _touches(texts, i))
    return placed, touchy, held, counted


@dataclass(frozen=True, slots=True)
class _Held:
    """The columns a stretch holds a row's values in, value by value (None for a packed value, standing in none),
    among its ``width`` columns, where the stretch places the row in no one way."""

    columns: tuple[int | None, ...]
    width: int


def _held(texts: list[str], stretch: _Stretch, metric: Metric, settings: LayoutSettings, i: int) -> _Held:
    """The columns the stretch's values form (counted by ``metric``, as ``_read`` reads them) holding row ``i``'s."""
    rows, _ = _positions(texts, stretch, metric, settings)
    columns, found = _found(rows, settings.columns_jitter)
    return _Held(tuple(found.get(i, ())), len(columns))


def _agrees(placement: Placement, held: _Held) -> bool:
    """Whether a placement puts each of the row's values the stretch's columns hold where they hold it."""
    return (placement.width == held.width and len(placement.columns) == len(held.columns)
            and all(k is None or k == column for k, column in zip(held.columns, placement.columns, strict=True)))


def _as_before(texts: list[str], stretch: _Stretch, readings: dict[Metric, dict[int, Placement]],
               before: dict[Metric, int], settings: LayoutSettings, exact: bool) -> dict[Metric, dict[int, Placement]]:
    """The readings of a stretch continuing a table in as many columns as the stretch ``before`` it was read in, for
    each count that reads it in one or two more (``_joined_runs``: whitespace shifted some values apart), where no
    count reads it in as many as any count read the stretch before (then the counts disagree, not the pages)."""
    out: dict[Metric, dict[int, Placement]] = {}
    if any(_width(reading) in before.values() for reading in readings.values()):
        return out
    for metric, width in before.items():
        if metric in readings and 0 < _width(readings[metric]) - width <= settings.columns_extra:
            joined = _read(texts, stretch, metric, settings, exact, width)
            if joined:
                out[metric] = joined
    return out


def _width(reading: dict[int, Placement]) -> int:
    return next(iter(reading.values())).width


def _label_above(texts: list[str], kinds: list[str], i: int, values: list[re.Match[str]], metric: Metric,
                 settings: LayoutSettings) -> list[int]:
    """The lines right above row ``i``, a row printing no label, that hold text only left of its first value (at
    most ``label_wrap_lines``): its label, wrapped around its values; none where the row prints a label."""
    if texts[i][:values[0].start()].strip():
        return []
    first = metric(texts[i])(values[0].start())
    found: list[int] = []
    j = i - 1
    while (j >= 0 and len(found) < settings.label_wrap_lines and kinds[j] == "text" and not trailing_values(texts[j])
           and metric(texts[j])(len(texts[j].rstrip())) <= first):
        found.append(j)
        j -= 1
    return found


def _header_lines(texts: list[str], kinds: list[str], rows: dict[int, list[re.Match[str]]], i: int,
                  page_starts: set[int], settings: LayoutSettings, across: bool = False) -> tuple[int, ...]:
    """The header lines above row ``i``, top to bottom: the text lines holding no value found going up (past
    the rows of its own table, over empty lines) before a row, a page break, a page number or a section
    heading (and the end of its text it wraps onto the line below), within ``columns_header_reach`` lines;
    ``across``: past page breaks and page numbers before the first header line (a text whose every page is laid out
    alike, its table going on on a page printing no header)."""
    found: list[int] = []
    for j in range(i - 1, max(-1, i - 1 - settings.columns_header_reach), -1):
        if across and not found and kinds[j] == "furniture":
            continue
        if (j + 1 in page_starts and (found or not across)) or _ends_stretch(texts[j], kinds[j], settings):
            break
        if kinds[j] == "blank":
            continue
        if j in rows and not found:
            continue
        if kinds[j] != "text" or j in rows or trailing_values(texts[j]) or _heading_tail(texts, kinds, j, settings):
            break
        found.append(j)
    return tuple(reversed(found))


def _heading_tail(texts: list[str], kinds: list[str], j: int, settings: LayoutSettings) -> bool:
    """Whether line ``j`` is one cell of text right under a section heading: the heading's end, wrapped (``情况``)."""
    return (j > 0 and _ends_stretch(texts[j - 1], kinds[j - 1], settings) and kinds[j - 1] == "text"
            and len(_CHUNK.findall(texts[j])) == 1)


def _header_cells(line: str) -> list[re.Match[str]]:
    """The cells of a header line: text set apart by two or more spaces, but a character standing alone a single space
    from the text beside it is a cell of its own (a header printed a character a line, its columns so narrow that the
    characters of two stand a space apart: 其 尚, 果 其他)."""
    out: list[re.Match[str]] = []
    for chunk in _CHUNK.finditer(line):
        words = list(_TOKEN.finditer(line, chunk.start(), chunk.end()))
        first = 0
        for k, word in enumerate(words):
            if k + 1 == len(words) or len(word.group()) == 1 or len(words[k + 1].group()) == 1:
                out.append(_CHUNK.match(line, words[first].start(), word.end()) or word)
                first = k + 1
    return out


def _header_columns(lines: list[list[tuple[int, int]]], reach: list[list[int]]) -> list[tuple[int, int]]:
    """The spans of the columns that header lines' cells (spans by line, top to bottom) head: a cell over two
    or more cells below that stand apart (of one line, or of lines below one under the other) heads a group, not a
    column, or is no header (a table's caption over the first columns' headers); so does one above none that
    stands between
    cells of a line below while no line from its own up holds cells on both its sides (a group's title
    centred over the gap between its columns); so does one that, reaching as far as it prints (``reach``, by
    line: counted in characters, a Chinese cell prints wider than it counts), stands over two cells of a line below
    (a caption over the table); so does one alone on its line under a group's heading, over no cell below (the
    heading's wrapped end); the other cells that overlap are one column."""
    starts = [[s for s, _ in line] for line in lines]
    ends = [[e for _, e in line] for line in lines]
    kept = []
    groups: list[tuple[int, int, int]] = []  # (line, start, end) of the cells heading a group
    for a, line in enumerate(lines):
        for (start, end), far in zip(line, reach[a], strict=True):
            hits = [bisect.bisect_left(starts[b], end) - bisect.bisect_right(ends[b], start)  # cells overlapping
                    for b in range(a + 1, len(lines))]
            if any(hit > 1 for hit in hits) or _apart(lines[a + 1:], start, end):
                groups.append((a, start, end))
                continue
            if not any(hits) and _wrapped_end(lines, groups, a, start, end):
                continue
            if not any(hits) and _between(lines[a + 1:], start, end) and not _between(lines[:a + 1], start, end):
                continue
            if far > end and any(bisect.bisect_left(starts[b], far) - bisect.bisect_right(ends[b], start) > 1
                                 for b in range(a + 1, len(lines))):
                continue
            kept.append((start, end))
    merged: list[list[int]] = []
    for start, end in sorted(kept):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _wrapped_end(lines: list[list[tuple[int, int]]], groups: list[tuple[int, int, int]], a: int, start: int,
                 end: int) -> bool:
    """Whether line ``a``'s cell spanning ``start``–``end`` is the wrapped end of a group's heading: the nearest
    cell above it is a group's, reaching over it, and it is the only cell of its line under that heading
    (``未经复议直接起`` over ``诉``)."""
    above = next((b for b in range(a - 1, -1, -1) if any(s < end and start < e for s, e in lines[b])), None)
    return above is not None and any(
        b == above and s <= start and end <= e and sum(s < ce and cs < e for cs, ce in lines[a]) == 1
        for b, s, e in groups)


def _apart(lines: list[list[tuple[int, int]]], start: int, end: int) -> bool:
    """Whether the cells of the lines that overlap the span form two or more columns (spans that overlap none of
    the others)."""
    under = sorted(cell for line in lines for cell in line if cell[0] < end and start < cell[1])
    reach = under[0][1] if under else 0
    for cell_start, cell_end in under[1:]:
        if cell_start >= reach:
            return True
        reach = max(reach, cell_end)
    return False


def _between(lines: list[list[tuple[int, int]]], start: int, end: int) -> bool:
    """Whether one of the lines (cells left to right) holds cells wholly left and wholly right of the span."""
    return any(line and line[0][1] <= start and line[-1][0] >= end for line in lines)


def _only_assignment(values: list[_Value], columns: list[tuple[int, int]], jitter: int,
                     under: list[tuple[int, int]] | None = None) -> tuple[int, ...] | None:
    """The columns of the values, left to right, when exactly one way puts each in its own column between the
    headers of the columns beside it (a cell holds its header and its value, and neither neighbour's; a packed
    value anywhere after the value before it); with
    ``under`` (the headers' spans as printed), also under its own column's header widened by ``jitter``, as a
    cell centres both."""
    width = len(columns)

    def fits(value: _Value, k: int) -> bool:
        if value.packed:
            return True  # where it stands says nothing: any column between its neighbours'
        left = columns[k - 1][1] - jitter if k > 0 else value.start
        right = columns[k + 1][0] + jitter if k + 1 < width else value.end
        return left <= value.start and value.end <= right and (
            under is None or (value.start < under[k][1] + jitter and under[k][0] - jitter < value.end))

    ways = [[0] * width for _ in values]  # ways[n][k]: placings of values 0..n with value n in column k, capped at 2
    for n, value in enumerate(values):
        before = [1] * (width + 1) if n == 0 else [0, *itertools.accumulate(ways[n - 1])]  # by the column before
        for k in range(width):
            ways[n][k] = min(2, before[k]) if fits(value, k) else 0
    if not values or sum(ways[-1]) != 1:
        return None
    placed = [ways[-1].index(1)]
    for n in range(len(values) - 2, -1, -1):
        placed.append(next(k for k in range(placed[-1] - 1, -1, -1) if ways[n][k]))
    return tuple(reversed(placed))


def _by_character(cells: list[list[re.Match[str]]]) -> bool:
    """Whether most of the header lines' cells are one character each: a header printed a character a line."""
    sizes = [len(squash(m.group())) for line in cells for m in line]
    return sum(size == 1 for size in sizes) * 2 > len(sizes)


def _characters(cell: re.Match[str], at: Callable[[int], int], metric: Metric) -> list[tuple[int, int, int]]:
    """The span of each of a cell's characters and how far it prints (``_under_header``'s reach)."""
    return [(at(cell.start() + k), at(cell.start() + k + 1),
             at(cell.start() + k) + text_width(char) if metric is char_count else at(cell.start() + k + 1))
            for k, char in enumerate(cell.group()) if not char.isspace()]


def _stack_height(placed: list[set[tuple[int, int]]], a: int, span: tuple[int, int]) -> int:
    """How many lines on end, line ``a``'s among them, print a character over exactly ``span``."""
    above = next((k for k in range(a - 1, -1, -1) if span not in placed[k]), -1)
    below = next((k for k in range(a + 1, len(placed)) if span not in placed[k]), len(placed))
    return below - above - 1


def _stacks_apart(cells: list[list[re.Match[str]]], positions: list[Callable[[int], int]],
                  lines: list[list[tuple[int, int]]], reach: list[list[int]], metric: Metric
                  ) -> tuple[list[list[tuple[int, int]]], list[list[int]]]:
    """The header cells (spans and reaches by line) with each cell of several characters split into its
    characters where each stands right over or under a character of the line above or below, one of them in a
    stack of ``_STACK_LINES`` lines or more: in a header printed a character a line, columns too narrow for a
    space between them print their characters side by side (``结结`` over ``果果``, ``维纠``, ``持正``: the columns
    of 结果维持 and 结果纠正). A label wrapped a few characters a line (``结果`` over ``维持``) stacks on fewer."""
    placed = [{(start, end) for cell in line for start, end, _ in _characters(cell, at, metric)}
              for line, at in zip(cells, positions, strict=True)]
    out_lines: list[list[tuple[int, int]]] = []
    out_reach: list[list[int]] = []
    for a, (line, at) in enumerate(zip(cells, positions, strict=True)):
        spans: list[tuple[int, int]] = []
        far: list[int] = []
        for cell, span, end in zip(line, lines[a], reach[a], strict=True):
            own = _characters(cell, at, metric)
            heights = [_stack_height(placed, a, (start, stop)) for start, stop, _ in own]
            if len(own) > 1 and min(heights) > 1 and max(heights) >= _STACK_LINES:
                spans += [(start, stop) for start, stop, _ in own]
                far += [printed for _, _, printed in own]
            else:
                spans.append(span)
                far.append(end)
        out_lines.append(spans)
        out_reach.append(far)
    return out_lines, out_reach


def _header_spans(texts: list[str], header: tuple[int, ...], i: int, values: list[re.Match[str]], metric: Metric,
                  settings: LayoutSettings, label: list[int]) -> list[tuple[int, int]] | None:
    """The spans of the header's columns right of row ``i``'s label, counted by ``metric`` (where its ``label`` lines
    print its label above it, the columns reaching past their text); None where the lines read as no header."""
    cells = [_header_cells(texts[j]) for j in header]
    if sum(map(len, cells)) > settings.columns_header_max_cells:
        return None  # not a table's header: a header is read in time quadratic in its lines
    positions = [metric(texts[j]) for j in header]
    lines = [[(at(m.start()), at(m.end())) for m in line] for line, at in zip(cells, positions, strict=True)]
    reach = [[at(m.start()) + text_width(m.group()) if metric is char_count else at(m.end()) for m in line]
             for line, at in zip(cells, positions, strict=True)]
    if _by_character(cells):
        lines, reach = _stacks_apart(cells, positions, lines, reach, metric)
    row = metric(texts[i])
    label_end = row(len(texts[i][:values[0].start()].rstrip()))
    if not label_end and lines[-1] and lines[-1][-1][1] <= row(values[0].start()):
        return None  # text right above a row printing no label, wholly left of its values, is its wrapped label
    if label:
        label_end = max(metric(texts[j])(len(texts[j].rstrip())) for j in label)
    return [span for span in _header_columns(lines, reach)
            if (span[1] > label_end if label else span[0] >= label_end)]


def _under_header(texts: list[str], header: tuple[int, ...], i: int, values: list[re.Match[str]], metric: Metric,
                  settings: LayoutSettings, label: list[int]) -> Placement | None:
    """The placement of row ``i``'s values among the header's columns right of its label (``_header_spans``)."""
    columns = _header_spans(texts, header, i, values, metric, settings, label)
    if columns is None or len(values) > len(columns):
        return None  # each value stands in a column of its own
    jitter = settings.columns_jitter if metric is char_count else 0  # an editor aligns text exactly
    found = _values(values, metric(texts[i]), texts[i] if metric is char_count else "")
    wide = [(start, end + (end - start)) for start, end in columns]  # a header of Chinese counted in characters
    placed = (_only_assignment(found, columns, jitter) or _only_assignment(found, columns, jitter, columns)
              or (_only_assignment(found, columns, jitter, wide) if metric is char_count else None))
    if placed is None:
        return None
    return Placement(placed, len(columns), tuple(m.group() for m in values), need_sums=True)


def wrapped_labels(texts: list[str], kinds: list[str], i: int, labels: list[str], settings: LayoutSettings,
                   apart: Collection[int] = ()) -> tuple[list[str], int]:
    """The label cells of row line ``i`` with the rest of each, wrapped in its column onto the lines right
    below (text only, short, not starting a row's number, every piece starting where one of the row's
    label cells starts, none of the lines ``apart`` from the line above); and the index of the last line taken."""
    chunks = list(_CHUNK.finditer(texts[i]))[:len(labels)]
    if [squash(chunk.group()) for chunk in chunks] != [squash(label) for label in labels]:
        return labels, i
    out, j = list(labels), i + 1
    while (j < len(texts) and j not in apart and kinds[j] == "text" and not NUMBERED.match(texts[j])
           and not trailing_values(texts[j])):
        parts = next((p for p in (_under(texts[i], chunks, texts[j], metric) for metric in _METRICS) if p), None)
        if parts is None or any(len(squash(text)) > settings.continuation_max_chars for _, text in parts):
            break
        for k, text in parts:
            out[k] += text
        j += 1
    return out, j - 1


def _under(row: str, chunks: list[re.Match[str]], line: str, metric: Metric) -> list[tuple[int, str]] | None:
    """The pieces of ``line`` by the label cell each starts under, or None when one starts elsewhere."""
    in_row, in_line = metric(row), metric(line)
    starts = {in_row(chunk.start()): k for k, chunk in enumerate(chunks)}
    parts = [(starts.get(in_line(m.start())), m.group()) for m in _CHUNK.finditer(line)]
    if not parts or any(k is None for k, _ in parts):
        return None
    return [(k, text) for k, text in parts if k is not None]
