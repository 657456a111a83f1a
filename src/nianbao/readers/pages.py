"""Pages of chars and tables → Document blocks in reading order: grids and text lines sorted top to bottom, page
numbers and running headers or footers dropped, tables continued over a page break stitched.

Knows no file format and nothing about annual reports. A table at the top of a page is stitched on to the table
that ends the page before when they have the same column count, or when both can be set out on the boundaries of
both without splitting a cell that states a number; the header rows it repeats are dropped. Between
a file's ruled tables, a run of text lines (over page breaks) that holds rows of values is a table drawn without
lines, read by the position of its characters.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ..document import Block, Document, Paragraph, Table, TextCell
from ..settings import PageSettings, Settings
from ..values import is_blank, is_value_like, squash
from .cells import is_wide
from .chars import Bbox, Char, bbox_of, cell_starts, chars_to_lines, line_to_spaced, line_to_text, page_at
from .edges import Edge
from .grid import Grid, GridBuilder, edges_to_tables
from .layout import is_page_furniture, text_to_document
from .stacked import Line, join_stacked_labels

_OWN_UNIT_WIDE_CHARS = 2
"""A line laid out by position takes its column unit from its own CJK chars when it holds this many."""
_DIGITS = re.compile(r"\d+")
_NUMBER = re.compile(r"[-+]?\d[\d,.]*%?")
_SPACES = re.compile(r"\s+")


@dataclass(slots=True)
class TextLine:
    """A text line outside tables, with its chars and the column unit to lay it out by position by
    (``chars.line_to_spaced``, where it is read so)."""

    text: str
    bbox: Bbox
    page: int
    chars: list[Char] = field(default_factory=list)
    unit: float = 0.0


@dataclass(slots=True)
class Page:
    """What one page holds, in reading order."""

    number: int
    height: float
    items: list[TextLine | Grid] = field(default_factory=list)
    chars: int = 0


def chars_to_page(number: int, height: float, chars: list[Char], tables: list[GridBuilder],
                  settings: PageSettings) -> Page:
    """Given a page's chars and tables, return the page: grids and text lines sorted top to bottom. A ruled box
    that holds a whole row (a table drawn with its frame, or the lines between its rows, and not those between
    its columns) is no table: its chars are text lines."""
    owners = [next((k for k, table in enumerate(tables) if table.take(c)), -1) for c in chars]
    grids = [table.to_grid(number) for table in tables]
    kept = [k for k, grid in enumerate(grids) if not _holds_a_row(grid, settings)]
    loose = [c for c, k in zip(chars, owners, strict=True) if k not in kept]
    lines = chars_to_lines(loose, settings)
    units = _line_units(lines, _column_unit(loose))
    items: list[TextLine | Grid] = [grids[k] for k in kept]
    items += [TextLine(line_to_text(line, settings), bbox_of(line), number, line, unit)
              for line, unit in zip(lines, units, strict=True)]
    items.sort(key=lambda item: (item.bbox[1], item.bbox[0]))
    return Page(number, height, items, len(chars))


def _is_row(text: str, settings: PageSettings) -> bool:
    """Whether the text holds a table's row: ``row_cell_values`` numbers or blank marks set apart."""
    return sum(map(is_value_like, text.split())) >= settings.row_cell_values


def _ends_in_cell(line: TextLine, settings: PageSettings) -> bool:
    """Whether the line ends in a number or blank mark that a gap of ``cell_gap_heights`` char heights parts from
    the text before it: a label and its row's one printed value (a table stating nothing but a 无)."""
    words = line.text.split()
    if len(words) < 2 or not is_value_like(words[-1]) or len(line.chars) <= len(words[-1]):
        return False
    left, right = line.chars[-len(words[-1]) - 1], line.chars[-len(words[-1])]
    return right.x0 - left.x1 > settings.cell_gap_heights * max(left.height, right.height)


def _holds_a_row(grid: Grid, settings: PageSettings) -> bool:
    """Whether a cell of the grid holds a whole row (a table drawn with its frame and the lines between rows, not
    those between columns)."""
    return any(_is_row(cell.text, settings) for row in grid.rows for cell in row)


def _line_units(lines: list[list[Char]], page_unit: float) -> list[float]:
    """The column unit each line is laid out by (a table set smaller than the text around it keeps its own
    columns): its own, ``_column_unit``, for a line of ``_OWN_UNIT_WIDE_CHARS`` CJK chars or more; else (numbers
    only) the unit of the line above it, the first the page's."""
    units, unit = [], page_unit
    for line in lines:
        unit = _column_unit(line) if sum(is_wide(c.text) for c in line) >= _OWN_UNIT_WIDE_CHARS else unit
        units.append(unit)
    return units


def _column_unit(chars: list[Char]) -> float:
    """The width of one text column for a line or a page: half the median width of its CJK chars (a CJK char is
    two columns wide in a text dump), else half their median height."""
    wide = sorted(c.x1 - c.x0 for c in chars if is_wide(c.text))
    sizes = wide or sorted(c.height for c in chars) or [2.0]
    return max(sizes[len(sizes) // 2] / 2, 0.5)


def geometry_to_page(number: int, size: tuple[float, float], chars: list[Char], edges: list[Edge],
                     settings: PageSettings) -> Page:
    """Given a page's number, (width, height), chars and edges, return the page; no text means no tables."""
    width, height = size
    tables = edges_to_tables(edges, (0.0, 0.0, width, height), settings, chars) if chars else []
    return chars_to_page(number, height, chars, tables, settings)


def _furniture_key(line: TextLine, height: float, margin: float) -> str | None:
    """The digit-blind text of a line in the top or bottom ``margin`` (a share of the page height), the form
    running headers repeat in. A line of several values only (a table row that opens or closes a page) has none:
    its digit-blind text would match any other row of values; a single number may be a page number."""
    if line.bbox[3] > margin * height and line.bbox[1] < (1 - margin) * height:
        return None
    tokens = line.text.split()
    if len(tokens) > 1 and all(is_value_like(token) for token in tokens):
        return None
    return _DIGITS.sub("#", _SPACES.sub("", line.text))


def drop_furniture(pages: list[Page], options: Settings) -> None:
    """Remove page-number lines, and margin lines repeated on most pages (running headers and footers)."""
    settings, page_number_max = options.page, options.layout.page_number_max_chars
    margin = settings.margin_share
    counts: Counter[str] = Counter()
    for page in pages:
        keys = {_furniture_key(item, page.height, margin) for item in page.items if isinstance(item, TextLine)}
        counts.update(key for key in keys if key is not None)
    repeated = {key for key, n in counts.items() if n >= max(2, settings.repeated_page_share * len(pages))}
    for page in pages:
        page.items = [item for item in page.items if not (
            isinstance(item, TextLine)
            and (is_page_furniture(item.text, page_number_max) or _furniture_key(item, page.height, margin) in repeated)
        )]


def _is_repeated_header(row: list[TextCell], first: list[TextCell]) -> bool:
    """True when a continuation row repeats a header row of its table: same texts, some text, no number."""
    texts = [cell.text for cell in row]
    return (texts == [cell.text for cell in first] and any(texts)
            and not any(_NUMBER.fullmatch(text) for text in texts))


def _drop_repeated_header(rows: list[list[TextCell]], table: Table, most: int) -> list[list[TextCell]]:
    """The rows of a continuation without the leading rows (``most`` at most) that repeat the table's header rows."""
    k = 0
    while k < min(len(rows) - 1, len(table.rows), most) and _is_repeated_header(rows[k], table.rows[k]):
        k += 1
    return rows[k:]


def pages_to_blocks(pages: list[Page], settings: Settings) -> list[Block]:
    """Given all pages of a file in order, drop their furniture and return the blocks in reading order, read by
    their grids and lines (no table read by position: OCR found the tables)."""
    drop_furniture(pages, settings)
    return _blocks(pages, settings, by_position=False, ruled_file=True)


_Entry = tuple[bool, TextLine | Grid]
"""An item of a page, and whether it is the first on its page."""


def _blocks(pages: list[Page], settings: Settings, by_position: bool, ruled_file: bool) -> list[Block]:
    """The blocks of pages in reading order. A run of text lines (over page breaks, between grids) is read by
    position (``_spaced_blocks``) when ``by_position`` and the file has no ruled table or the run holds rows of
    values (a table drawn without lines in a file whose other tables have them); the other lines are paragraphs.
    A table continued at the top of the next page is stitched on to the grid's table before it, its rows set out
    on that table's columns where the page merges some of them (``_onto_columns``), or both tables' rows on the
    boundaries of both where the page also draws a column of its own (``_onto_both``)."""
    entries: list[_Entry] = [(position == 0, item) for page in pages for position, item in enumerate(page.items)]
    blocks: list[Block] = []
    columns: tuple[float, ...] = ()  # the column boundaries of the last table
    open_table: Table | None = None  # the last block, when it is a table read from grids
    lines = 0
    for lined, group in itertools.groupby(entries, key=lambda entry: isinstance(entry[1], TextLine)):
        run = list(group)
        texts = [item for _, item in run if isinstance(item, TextLine)]
        if lined and by_position and (not ruled_file or any(_is_row(line.text, settings.page)
                                                            or _ends_in_cell(line, settings.page) for line in texts)):
            read, lines = _spaced_blocks(texts, settings, lines)
            blocks += read
            open_table = None
            continue
        for first, item in run:
            if isinstance(item, TextLine):
                blocks.append(Paragraph(item.text, page_at(item.page, item.bbox)))
                open_table = None
                continue
            rows = None if open_table is None or not first else item.rows \
                if len(open_table.rows[0]) == len(item.rows[0]) else _onto_columns(item, columns, settings.page.snap_pt)
            both = _onto_both(open_table, columns, item, settings.page.snap_pt) \
                if open_table is not None and first and rows is None else None
            if open_table is not None and both is not None:
                columns, open_table.rows[:], rows = both
            if open_table is not None and rows is not None:
                open_table.rows.extend(_drop_repeated_header(rows, open_table, settings.page.max_header_rows))
                open_table.at.setdefault("pages", [open_table.at["page"]]).append(item.page)
                continue
            open_table = Table(item.rows, page_at(item.page, item.bbox))
            blocks.append(open_table)
            columns = item.xs
    return blocks


def _onto_columns(grid: Grid, columns: tuple[float, ...], slack: float) -> list[list[TextCell]] | None:
    """The grid's rows set out on the column boundaries ``columns`` of the table it continues, when each of its
    own boundaries stands at one of them (within ``slack``) from the first to the last and every cell over
    several of those columns states nothing (a page of rows whose values one 无 spans; a cell holding text or a
    number there heads another table): such a cell keeps its text in the first column, the others merged into
    it. None otherwise."""
    return _spread(grid.rows, grid.xs, columns, slack, lambda text: not squash(text) or is_blank(text))


def _spread(rows: list[list[TextCell]], xs: tuple[float, ...], columns: tuple[float, ...], slack: float,
            spans: Callable[[str], bool]) -> list[list[TextCell]] | None:
    """Rows on the column boundaries ``xs`` set out on ``columns``, when each of ``xs`` stands at one of them
    (within ``slack``) from the first to the last and every cell over several of them holds text that ``spans``
    allows: it keeps its text in the first column, the others merged into it. None otherwise."""
    at = [min(range(len(columns)), key=lambda k: abs(columns[k] - x)) for x in xs] if columns else []
    if (not at or at[0] != 0 or at[-1] != len(columns) - 1 or sorted(set(at)) != at
            or any(abs(columns[k] - x) > slack for k, x in zip(at, xs, strict=True))):
        return None
    spanning = [c for c, (start, end) in enumerate(itertools.pairwise(at)) if end - start > 1]
    if any(not spans(row[c].text) for row in rows for c in spanning if c < len(row)):
        return None
    return [[spread for cell, (start, end) in zip(row, itertools.pairwise(at), strict=True)
             for spread in (cell, *(TextCell("", cell.at, merged=True) for _ in range(end - start - 1)))]
            for row in rows]


def _onto_both(table: Table, columns: tuple[float, ...], grid: Grid, slack: float
               ) -> tuple[tuple[float, ...], list[list[TextCell]], list[list[TextCell]]] | None:
    """The table and the grid that continues it set out on the boundaries of both (a page whose rows need a label
    column the page before had no row to draw, its values merged into one 无), when they share their outer
    boundaries and no cell either splits states a number (a table's value cells are alike on both pages): the
    boundaries, the table's rows and the grid's. None otherwise."""
    if not columns or abs(columns[0] - grid.xs[0]) > slack or abs(columns[-1] - grid.xs[-1]) > slack:
        return None
    both: list[float] = []
    for x in sorted((*columns, *grid.xs)):
        if not both or x - both[-1] > slack:
            both.append(x)
    union = tuple(both)
    before = _spread(table.rows, columns, union, slack, lambda text: not squash(text) or not is_value_like(text))
    after = _spread(grid.rows, grid.xs, union, slack, lambda text: not squash(text) or is_blank(text)
                    or not is_value_like(text))
    return (union, before, after) if before is not None and after is not None else None


def pages_to_document(pages: list[Page], path: str, file_format: str, settings: Settings,
                      scanned: bool = False) -> Document:
    """Given all pages of a file in order, drop their furniture and return the Document, read by the grids and
    lines of its pages and by position where a run of lines holds a table drawn without lines (``_blocks``; never
    in a file that was ``scanned``: OCR finds its tables)."""
    drop_furniture(pages, settings)
    ruled_file = scanned or any(isinstance(item, Grid) for page in pages for item in page.items)
    blocks = _blocks(pages, settings, by_position=not scanned, ruled_file=ruled_file)
    return Document(blocks, path=path, format=file_format, meta={"pages": len(pages)})


def _laid_out(page: list[TextLine], settings: PageSettings) -> list[str]:
    """The lines of one page laid out by position (``chars.line_to_spaced``), the cells ``chars.cell_starts`` finds
    set apart."""
    starts = cell_starts([line.chars for line in page], settings)
    return [line_to_spaced(line.chars, line.unit, settings, start) for line, start in zip(page, starts, strict=True)]


def _apart(by_number: dict[int, TextLine], heights: float) -> frozenset[int]:
    """The lines (by index) standing further below the line right above on their page than ``heights`` times the
    smaller one's height."""
    out = set()
    for number, line in by_number.items():
        above = by_number.get(number - 1)
        if above is not None and above.page == line.page:
            height = min(line.bbox[3] - line.bbox[1], above.bbox[3] - above.bbox[1])
            if line.bbox[1] - above.bbox[3] > heights * height:
                out.add(number - 1)
    return frozenset(out)


def _spaced_blocks(lines: list[TextLine], settings: Settings, lines_before: int) -> tuple[list[Block], int]:
    """The blocks of text lines whose tables have no ruling lines to find them by, read from the lines laid out by
    position as a text dump printed so (``layout.text_to_document``: rows from aligned columns; a page break is a
    form feed; a value that only a cell's padding parts from a label filling its column set apart, as
    ``chars.cell_starts`` finds), numbered after ``lines_before`` lines of text read so before; the pieces of
    labels wrapped around a row's values joined to its label cells (``stacked``); each block's ``at`` gets the
    page and box of the line it was read from. Returns the blocks and the lines of text read so in all."""
    pages = [list(group) for _, group in itertools.groupby(lines, key=lambda line: line.page)]
    text = "\f".join("\n".join(_laid_out(page, settings.page)) for page in pages)
    by_number: dict[int, TextLine] = {}  # line number of the text → the line it prints
    numbers = text.splitlines()
    for number, content in enumerate(numbers, start=1):
        if content.strip() and len(by_number) < len(lines):
            by_number[number] = lines[len(by_number)]
    document = text_to_document(text, settings.layout, by_display=True,
                                apart=_apart(by_number, settings.page.wrap_gap_heights))
    placed = {number: Line(line.page, line.unit, line.chars) for number, line in by_number.items()}
    document.blocks = join_stacked_labels(document.blocks, placed, settings.page.stacked_label_share,
                                          settings.page.stacked_label_slack)
    for block in document.blocks:
        ats = [block.at] if isinstance(block, Paragraph) else [cell.at for row in block.rows for cell in row]
        for at in ats:
            line = by_number.get(at.get("line", 0))
            if line is not None:
                at.update(page_at(line.page, line.bbox))
            if "line" in at:
                at["line"] += lines_before
    return document.blocks, lines_before + len(numbers)
