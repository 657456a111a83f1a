"""Reader output → Document: paragraphs and table grids, each piece with where it was found.

A Document knows nothing about annual reports; readers build it, the extractor reads it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

At = dict[str, Any]
"""Where a piece of text was found: line, page, bbox, table/row/column … (free-form)."""
UNREADABLE = "unreadable"
"""Key a reader sets (True) in the ``at`` of a table cell that holds print it could not read (an OCR'd scan):
the cell is not a blank, and the extractor leaves it out with a finding. THIN: the cell is too thin to show print;
UNSURE: its print contradicts the number read (the reading and what the print shows under ``at[READINGS]``); CUT: it
was read as a mark from a print the cell's inside cuts, whose whole shape is no such mark (a 7 whose bar sits close to
the line above reads as a slash; the reading under ``at[READINGS]``).
"""
THIN = "thin"
UNSURE = "unsure"
CUT = "cut"
READINGS = "readings"

UNCERTAIN_ORDER = "uncertain"
"""``at["order"]`` of a row whose values a reader could not put in their columns' order (a number cut by a
page break, values printed column by column): the extractor reports such a row instead of reading it."""
DOUBTED_BESIDE = "beside"
"""``at["beside"]`` of a row marked ``UNCERTAIN_ORDER`` only because lines near it may hold pieces of its numbers, or
the tail of it that a page break cut off: the numbers of those lines. Where each of them holds a row of its own, the
doubt is void."""
MAYBE_FOLIO = "folio"
"""``at["folio"]`` (with ``UNCERTAIN_ORDER``) of a value alone on its line that reads its page's own number, in text
whose every page prints its number bare, maybe amid its cells (plain ``pdftotext``), on a page where several lines
read it: any of them may be the page number. A row taking it is sure only where its row identity holds with it and
cannot without it."""
PRINTED_ORDER = "printed"
"""``at["order"]`` of a row rebuilt from one cell per line whose values sit, in order, on the lines between
its label and the next row's, none wrapped: they are its own, though blank cells may have left no line."""


@dataclass(slots=True)
class TextCell:
    """One cell of a table grid (or the whole text of a paragraph).

    ``merged`` marks a grid position covered by another cell's span: it prints nothing of its own.
    ``blank_before`` holds where the row printed empty cells just before this one, in grid columns
    the reader dropped as empty everywhere (spans that disagree between rows can leave a printed
    blank alone in such a column); ``blank_after``, on a row's last cell, the empty cells it printed after
    it (read from positions in aligned text).
    """

    text: str
    at: At
    merged: bool = False
    blank_before: tuple[At, ...] = ()
    blank_after: tuple[At, ...] = ()
    blanks_need_sums: bool = False
    """The blanks before (and after) it are a reading of positions that may be pieces of wrapped numbers: taken only
    where the row's sums hold."""


@dataclass(slots=True)
class Paragraph:
    """A line or paragraph of running text."""

    text: str
    at: At


@dataclass(slots=True)
class Table:
    """A grid of cells, merged cells already expanded (a covered position holds an empty cell marked ``merged``)."""

    rows: list[list[TextCell]]
    at: At


Block = Paragraph | Table


@dataclass(slots=True)
class Row:
    """One row of the reading-order stream the extractor walks: a table row or a paragraph.

    ``joined`` keeps the row's text as one line once it has been asked for (see ``extract.sections.row_text``),
    and ``kinds`` the kind of each cell (see ``extract.rows.cell_kinds``): the extractor reads some rows many
    times, and a row's cells do not change once it is made.
    """

    cells: list[TextCell]
    at: At
    in_table: bool
    joined: str | None = field(default=None, repr=False, compare=False)
    kinds: list[int] | None = field(default=None, repr=False, compare=False)


@dataclass(slots=True)
class Document:
    """Everything a reader found in one file, in reading order."""

    blocks: list[Block]
    path: str = ""
    format: str = "text"
    sha256: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    def rows(self) -> Iterator[Row]:
        """Yield paragraphs as one-cell rows and table rows as they are, in reading order."""
        for block in self.blocks:
            if isinstance(block, Paragraph):
                yield Row([TextCell(block.text, block.at)], block.at, False)
            else:
                for cells in block.rows:
                    if cells:
                        yield Row(cells, cells[0].at, True)
