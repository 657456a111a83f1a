"""Pages of chars and tables → Document blocks in reading order: grids and text lines sorted top to bottom, page
numbers and running headers or footers dropped, tables continued over a page break stitched.

Knows no file format and nothing about annual reports. A table at the top of a page is stitched on to the table
that ends the page before when they have the same column count; the header rows it repeats are dropped.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from ..document import Block, Document, Paragraph, Table, TextCell
from ..settings import PageSettings, Settings
from ..values import is_blank, is_value_like, squash
from .cells import is_wide
from .chars import Bbox, Char, bbox_of, chars_to_lines, line_to_spaced, line_to_text, page_at
from .edges import Edge
from .grid import Grid, GridBuilder, edges_to_tables
from .layout import is_page_furniture, text_to_document

_OWN_UNIT_WIDE_CHARS = 2
"""A line laid out by position takes its column unit from its own CJK chars when it holds this many."""
_DIGITS = re.compile(r"\d+")
_NUMBER = re.compile(r"[-+]?\d[\d,.]*%?")
_SPACES = re.compile(r"\s+")


@dataclass(slots=True)
class TextLine:
    """A text line outside tables; ``spaced`` is the line laid out by position (``chars.line_to_spaced``), kept
    on pages without a ruled table only."""

    text: str
    bbox: Bbox
    page: int
    spaced: str = ""


@dataclass(slots=True)
class Page:
    """What one page holds, in reading order."""

    number: int
    height: float
    items: list[TextLine | Grid] = field(default_factory=list)
    chars: int = 0


def chars_to_page(number: int, height: float, chars: list[Char], tables: list[GridBuilder],
                  settings: PageSettings) -> Page:
    """Given a page's chars and tables, return the page: grids and text lines sorted top to bottom."""
    loose = [c for c in chars if not any(t.take(c) for t in tables)]
    items: list[TextLine | Grid] = [t.to_grid(number) for t in tables]
    if any(_holds_a_row(grid, settings) for grid in items if isinstance(grid, Grid)):
        loose, items = chars, []  # lines around rows, not cells: the page is read by position
    lines = chars_to_lines(loose, settings)
    ruled = bool(items)  # a page with a ruled table is never read by position
    units = [0.0] * len(lines) if ruled else _line_units(lines, _column_unit(loose))
    for line, unit in zip(lines, units, strict=True):
        spaced = "" if ruled else line_to_spaced(line, unit, settings)
        items.append(TextLine(line_to_text(line, settings), bbox_of(line), number, spaced))
    items.sort(key=lambda item: (item.bbox[1], item.bbox[0]))
    return Page(number, height, items, len(chars))


def _is_row(text: str, settings: PageSettings) -> bool:
    """Whether the text holds a table's row: ``row_cell_values`` numbers or blank marks set apart."""
    return sum(map(is_value_like, text.split())) >= settings.row_cell_values


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
    running headers repeat in."""
    if line.bbox[3] > margin * height and line.bbox[1] < (1 - margin) * height:
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
    """Given all pages of a file in order, drop their furniture and return the blocks in reading order."""
    drop_furniture(pages, settings)
    return _grid_blocks(pages, settings)


def _grid_blocks(pages: list[Page], settings: Settings) -> list[Block]:
    """The blocks of pages read by their grids and lines, in reading order: a table continued at the top of the
    next page is stitched on to the table before it, its rows set out on that table's columns where the page
    merges some of them (``_onto_columns``)."""
    blocks: list[Block] = []
    columns: tuple[float, ...] = ()  # the column boundaries of the last table
    for page in pages:
        for position, item in enumerate(page.items):
            if isinstance(item, TextLine):
                blocks.append(Paragraph(item.text, page_at(item.page, item.bbox)))
                continue
            last = blocks[-1] if blocks else None
            rows = item.rows if isinstance(last, Table) and len(last.rows[0]) == len(item.rows[0]) else \
                _onto_columns(item, columns, settings.page.snap_pt)
            if position == 0 and isinstance(last, Table) and rows is not None:
                last.rows.extend(_drop_repeated_header(rows, last, settings.page.max_header_rows))
                last.at.setdefault("pages", [last.at["page"]]).append(item.page)
                continue
            blocks.append(Table(item.rows, page_at(item.page, item.bbox)))
            columns = item.xs
    return blocks


def _onto_columns(grid: Grid, columns: tuple[float, ...], slack: float) -> list[list[TextCell]] | None:
    """The grid's rows set out on the column boundaries ``columns`` of the table it continues, when each of its
    own boundaries stands at one of them (within ``slack``) from the first to the last and every cell over
    several of those columns states nothing (a page of rows whose values one 无 spans; a cell holding text or a
    number there heads another table): such a cell keeps its text in the first column, the others merged into
    it. None otherwise."""
    at = [min(range(len(columns)), key=lambda k: abs(columns[k] - x)) for x in grid.xs] if columns else []
    if (not at or at[0] != 0 or at[-1] != len(columns) - 1 or sorted(set(at)) != at
            or any(abs(columns[k] - x) > slack for k, x in zip(at, grid.xs, strict=True))):
        return None
    spanning = [c for c, (start, end) in enumerate(itertools.pairwise(at)) if end - start > 1]
    if any(squash(row[c].text) and not is_blank(row[c].text) for row in grid.rows for c in spanning):
        return None
    return [[spread for cell, (start, end) in zip(row, itertools.pairwise(at), strict=True)
             for spread in (cell, *(TextCell("", cell.at, merged=True) for _ in range(end - start - 1)))]
            for row in grid.rows]


def has_grids(pages: list[Page]) -> bool:
    """Whether some page holds a table found from ruling lines."""
    return any(_ruled(page) for page in pages)


def _ruled(page: Page) -> bool:
    return any(isinstance(item, Grid) for item in page.items)


def _holds_rows(page: Page, settings: PageSettings) -> bool:
    """Whether a line of the page holds a table's row."""
    return any(isinstance(item, TextLine) and _is_row(item.text, settings) for item in page.items)


def pages_to_document(pages: list[Page], path: str, file_format: str, settings: Settings,
                      scanned: bool = False) -> Document:
    """Given all pages of a file in order, drop their furniture and return the Document. Pages are read by their
    grids and lines, but a run of pages without a ruled table is read by position (``_spaced_blocks``) where the
    file holds no ruled table at all (unless it was ``scanned``: OCR finds its tables), or where the run's pages
    hold rows of values (a table drawn without lines in a file whose other tables have them)."""
    drop_furniture(pages, settings)
    ruled_file = scanned or has_grids(pages)
    blocks: list[Block] = []
    lines = 0
    for by_position, run in itertools.groupby(pages, key=lambda page: not scanned and not _ruled(page) and (
            not ruled_file or _holds_rows(page, settings.page))):
        if by_position:
            read, lines = _spaced_blocks(list(run), settings, lines)
            blocks += read
        else:
            blocks += _grid_blocks(list(run), settings)
    return Document(blocks, path=path, format=file_format, meta={"pages": len(pages)})


def _spaced_blocks(pages: list[Page], settings: Settings, lines_before: int) -> tuple[list[Block], int]:
    """The blocks of pages whose tables have no ruling lines to find them by, read from their lines laid out by
    position as a text dump printed so (``layout.text_to_document``: rows from aligned columns), numbered after
    ``lines_before`` lines of text read so before; each block's ``at`` gets the page and box of the line it was
    read from. Returns the blocks and the lines of text read so in all."""
    lines = [[item for item in page.items if isinstance(item, TextLine)] for page in pages]
    text = "\f".join("\n".join(line.spaced for line in page_lines) for page_lines in lines)
    printed = [line for page_lines in lines for line in page_lines]
    by_number: dict[int, TextLine] = {}  # line number of the text → the line it prints
    numbers = text.splitlines()
    for number, content in enumerate(numbers, start=1):
        if content.strip() and len(by_number) < len(printed):
            by_number[number] = printed[len(by_number)]
    document = text_to_document(text, settings.layout, by_display=True)
    for block in document.blocks:
        ats = [block.at] if isinstance(block, Paragraph) else [cell.at for row in block.rows for cell in row]
        for at in ats:
            line = by_number.get(at.get("line", 0))
            if line is not None:
                at.update(page_at(line.page, line.bbox))
            if "line" in at:
                at["line"] += lines_before
    return document.blocks, lines_before + len(numbers)
