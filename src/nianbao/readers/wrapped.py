"""Numbers wrapped inside narrow table cells of space-aligned text (``pdftotext -layout``), put back together.

A number too wide for its cell is printed over two or more lines: pieces of it stand alone on the lines
just above and below its row's line (``1`` / ``3`` around a row missing its ``13``), or one piece sits in
the row and the rest beside it (``28`` in the row, ``0`` below). A piece belongs to the row's number its
columns overlap; pieces over a gap of the row are a number of their own, read top to bottom. A row whose
pieces cannot be placed so (a piece over several numbers or between two rows, text not laid out in
columns, a row the page cut in two) is returned as uncertain, for the extractor to report, not read. Bare numbers
right between two lines of text ending before them are no pieces: they are a row's values, its label wrapped around
them.

A wrapped number fills every line of its cell but the last: of two pieces one above the other, the upper is at
least as wide as the lower, and the two read top to bottom make a number (``0`` over ``7`` makes none). A line
holding a label and numbers none of which can be so a piece with a number it stands over or under on the lines
next to it (counted in characters or in display columns), or one of which stands over a value it can make no
number with (``51  18`` under ``68  -21  —``), is a row of its own (``规章  0  0`` over
``规范性文件  7  7  56``, a row whose blank cells print nothing), not pieces; so is one right next to a row holding
a number that can be no piece of the row's: it stands over or under one of the row's numbers and makes no wrapped
number with it (``4`` over the ``13`` of the row below), or it stands over or under none while no number on the
row's other side stands in the same place (a number in a cell its row's line leaves empty wraps around that line).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from ..settings import LayoutSettings
from ..values import is_value_like
from .cells import text_width

_PIECES = re.compile(r"[ \t]*\d[\d.,]*(?:[ \t]+\d[\d.,]*)*[ \t]*")
_TOKEN = re.compile(r"\S+")
_ROW_NUMBER = r"(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、](?!\d))"
NUMBERED = re.compile(rf"\s*{_ROW_NUMBER}")
"""A row label's number (``一、``, ``（三）``, ``2.``) at the start of a line."""
_NUMBERED_CELL = re.compile(rf"(?:^|\s){_ROW_NUMBER}")
"""A row label's number starting a cell of a line (after a group label's piece printed on the row's line)."""
_NUMBER = re.compile(r"[+-]?\d[\d.,]*")
_LEADING_ZERO = re.compile(r"[+-]?0\d")
_SUB_ROW = re.compile(r"\s*\d{1,2}[.．、](?!\d)")
"""A sub-row's number (``2.``) starting a line: the line starts a row's label (a cut label goes on without it)."""


@dataclass(slots=True)
class _Token:
    """A run of text in a line and where it starts and ends."""
    start: int
    end: int
    text: str

    def overlaps(self, other: _Token) -> bool:
        return self.start < other.end and other.start < self.end


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _row_numbers(text: str, least: int) -> list[_Token] | None:
    """The numbers a row line ends with, when there are at least ``least`` of them."""
    tokens = _tokens(text)
    count = 0
    for token in reversed(tokens):
        if not _NUMBER.fullmatch(token.text):
            break
        count += 1
    return tokens[len(tokens) - count:] if count >= least else None


def _trailing(text: str, counts: Callable[[str], object]) -> int:
    """How many tokens that ``counts`` end the line."""
    count = 0
    for token in reversed(text.split()):
        if not counts(token):
            break
        count += 1
    return count


def _trailing_numbers(text: str) -> int:
    return _trailing(text, _NUMBER.fullmatch)


def _trailing_values(text: str) -> int:
    """How many value tokens (numbers and the marks that state nothing: 无, dashes, slashes) end the line."""
    return _trailing(text, is_value_like)


@dataclass(slots=True)
class _Near:
    """Lines near a row that may hold pieces of its numbers, and whether they surely are pieces that
    positions can join: bare numbers on the lines right next to the row, with no label line beyond."""

    lines: list[int]
    sure: bool


def _numbered(line: str, by_baseline: bool) -> bool:
    """Whether the line holds a row label's number: at its start, or (``by_baseline``) starting any cell."""
    return bool(_NUMBERED_CELL.search(line) if by_baseline else NUMBERED.match(line))


def _near(texts: list[str], kinds: list[str], row: int, step: int, size: int, settings: LayoutSettings,
          by_baseline: bool) -> _Near:
    """Lines near ``row`` (going by ``step``, over at most one blank line) ending in fewer numbers than the
    row's ``size``, with no other text or only a label's continuation (a label not starting a row). A line
    ending in as many values as the row, blank marks counted, is a row of its own (``部分公开  /  43  -  0``); so
    is none a line whose text ends before the row's begins (a page number at the margin under an indented row).
    Where the row is laid out in no columns (no wide gap in it: ``pdftotext -raw`` prints each cell's text in the
    order it was drawn, a label's lines before the values) a line holding text as well is a row of its own too:
    a wrapped number's pieces print on lines of bare numbers there, and none above a row line holding its label
    (what stands above it was drawn before the row)."""
    reach = settings.wrap_reach
    found: list[int] = []
    cells = _trailing_values(texts[row])
    indent = _indent(texts[row])
    drawn = settings.column_gap * " " not in texts[row].strip()
    if drawn and step < 0 and cells < len(texts[row].split()):
        return _Near(found, True)
    sure = True
    i = row + step
    if 0 <= i < len(texts) and kinds[i] == "blank":
        i += step
        sure = False
    while 0 <= i < len(texts) and kinds[i] == "text" and len(found) < reach:
        count = _trailing_numbers(texts[i])
        if (not 0 < count < size or _numbered(texts[i], by_baseline) or _trailing_values(texts[i]) >= cells
                or len(texts[i].rstrip()) <= indent or (drawn and not _PIECES.fullmatch(texts[i]))
                or not _may_hold_pieces(texts, kinds, i, reach)
                or (not found and not _PIECES.fullmatch(texts[i]) and not _pieces_of(texts, kinds, row, i))):
            break
        sure = sure and bool(_PIECES.fullmatch(texts[i]))
        found.append(i)
        i += step
    beyond_is_label = (0 <= i < len(texts) and kinds[i] == "text"
                       and _row_numbers(texts[i], settings.wrap_min_numbers) is None)
    return _Near(found, not found or (sure and not beyond_is_label))


def _pieces_of(texts: list[str], kinds: list[str], row: int, line: int) -> bool:
    """Whether each number ending ``line``, right next to ``row`` and holding text as well, can be a piece of a
    number of the row: it stands over or under one of the row's numbers and makes a wrapped number with it (see the
    module docstring), or it stands over or under none, and a number of the line next to the row on its other side
    (past one empty line) stands over or under it (a number wrapped around the row's line). A line holding a number
    that can be neither is a row of its own (a row leaving blank a cell its neighbour fills)."""
    numbers = _row_numbers(texts[row], 1) or []
    step = 1 if line > row else -1
    other = row - step
    if 0 <= other < len(texts) and kinds[other] == "blank":
        other -= step
    beyond = [token for token in _tokens(texts[other]) if _NUMBER.fullmatch(token.text)] \
        if 0 <= other < len(texts) and kinds[other] == "text" else []
    for piece in _row_numbers(texts[line], 1) or []:
        over = [number for number in numbers if _stand_over(texts[line], piece, texts[row], number)]
        if not over and not any(_stand_over(texts[line], piece, texts[other], token) for token in beyond):
            return False
        if over and not any(_joinable(*((number.text, piece.text) if step > 0 else (piece.text, number.text)))
                            for number in over):
            return False
    return True


def _joinable(upper: str, lower: str) -> bool:
    """Whether the two pieces, one over the other, can make one wrapped number (see the module docstring)."""
    joined = upper + lower
    return len(upper) >= len(lower) and not _LEADING_ZERO.match(joined) and bool(_NUMBER.fullmatch(joined))


def _merge(row: int, numbers: list[_Token], pieces: list[tuple[int, _Token]]) -> list[str] | None:
    """The row's numbers with the pieces (line, token) joined in top to bottom (see the module docstring);
    None when a piece overlaps several of the row's numbers."""
    parts: dict[int, list[tuple[int, str]]] = {id(n): [(row, n.text)] for n in numbers}
    clusters: list[tuple[_Token, list[tuple[int, str]]]] = []
    for line, piece in pieces:
        hits = [n for n in numbers if n.overlaps(piece)]
        if len(hits) > 1:
            return None
        if hits:
            parts[id(hits[0])].append((line, piece.text))
            continue
        cluster = next((c for c in clusters if c[0].overlaps(piece)), None)
        if cluster is None:
            clusters.append((piece, [(line, piece.text)]))
        else:
            cluster[1].append((line, piece.text))
    placed = [(n.start, parts[id(n)]) for n in numbers] + [(first.start, found) for first, found in clusters]
    return ["".join(text for _, text in sorted(found)) for _, found in sorted(placed, key=lambda p: p[0])]


@dataclass(frozen=True, slots=True)
class Unwrapped:
    """What joining wrapped numbers found: the row lines whose numbers cannot be trusted, and the lines that
    hold pieces of numbers (joined into their rows, or left where they are)."""

    cut: set[int]
    pieces: set[int]
    beside: dict[int, set[int]] = field(default_factory=dict)
    """Row lines cut only for lines near them that may hold pieces of their numbers, or the tail of the row a page
    break cut off (row line → those lines): where each of those holds a row of its own, the row is whole."""


def unwrap_numbers(text: str, texts: list[str], kinds: list[str], settings: LayoutSettings,
                   by_baseline: bool = False) -> Unwrapped:
    """Join wrapped number pieces into their row lines, in place (the pieces' own lines become blank).
    The row lines whose numbers cannot be trusted are rows near pieces that cannot be joined surely, and
    the last row before a page break when pieces, alone or after a label's continuation, follow the break
    before any row (a row the page cut in two). ``by_baseline``: each line of the text is one baseline of a
    page, none left out (a PDF's lines laid out by position), so a line of bare numbers with no number ending
    the lines right above and below it is no piece (a wrapped number's pieces stand next to its row's line):
    it is the row's values, its label wrapped around them; and a line holding a row label's number after a piece
    of a group label is a row. A row cut only for the lines near it that may hold its pieces, or for the tail after a
    page break, is returned with those lines (``Unwrapped.beside``), where it is laid out in columns (a text printing
    cells in the order they were drawn, ``pdftotext -raw``, may print a wrapped number's pieces after the next row's
    label)."""
    joinable: dict[int, tuple[list[_Token], list[int]]] = {}
    cut: set[int] = set()
    beside: dict[int, set[int]] = {}
    doubted: set[int] = set()
    pieces_lines: list[int] = []
    continued: list[int] = []
    least = settings.wrap_min_numbers
    ending = [i for i, kind in enumerate(kinds) if kind == "text" and texts[i].rstrip()[-1:].isdigit()]
    for i in ending:  # the text lines ending in a digit, found in one pass (most lines are none)
        line = texts[i]
        numbers = _row_numbers(line, least)
        numbered = _numbered(line, by_baseline)
        if numbers is None:
            if _PIECES.fullmatch(line) or not numbered:
                pieces_lines.append(i)
            continue
        if not numbered:
            continued.append(i)
        above = _near(texts, kinds, i, -1, len(numbers), settings, by_baseline)
        below = _near(texts, kinds, i, 1, len(numbers), settings, by_baseline)
        if not above.lines and not below.lines:
            continue
        if above.sure and below.sure and _aligned(texts, i, above.lines + below.lines, settings.column_gap):
            joinable[i] = (numbers, above.lines + below.lines)
        else:
            cut.add(i)
            beside[i] = {*above.lines, *below.lines}
    claimed: dict[int, int] = {}
    for _, lines in joinable.values():
        for k in lines:
            claimed[k] = claimed.get(k, 0) + 1
    for i, (numbers, lines) in joinable.items():
        merged = _merge(i, numbers, [(k, t) for k in sorted(lines) for t in _tokens(texts[k])])
        if i in claimed or merged is None or any(claimed[k] > 1 for k in lines):
            cut.add(i)
            doubted.add(i)  # pieces that cannot be joined surely: no row beside it clears the doubt
            continue
        head = texts[i][:numbers[0].start].rstrip()
        texts[i] = (head + "  " if head else "") + "  ".join(merged)
    for i, (_, lines) in joinable.items():
        if i not in cut:
            for k in lines:
                texts[k], kinds[k] = "", "blank"
    orphans = [i for i in pieces_lines if i not in claimed and not (by_baseline and not _numbers_beside(texts, i))
               and not between_labels(texts, kinds, i)]
    pieces = set(claimed) | {i for i in orphans if _may_hold_pieces(texts, kinds, i, settings.wrap_reach)}
    if orphans:
        near = _rows_near(texts, kinds, orphans, settings)
        cut |= near
        doubted |= near
    for row, tails in _cut_rows(text, texts, kinds, [*orphans, *continued], least).items():
        cut.add(row)
        beside.setdefault(row, set()).update(tails)
    gap = settings.column_gap * " "
    return Unwrapped(cut, pieces, {row: lines for row, lines in beside.items()
                                   if row not in doubted and gap in texts[row].strip()})


def _may_hold_pieces(texts: list[str], kinds: list[str], i: int, reach: int) -> bool:
    """Whether line ``i`` may hold pieces of wrapped numbers: it prints bare numbers, or the numbers ending it hold
    pieces of the values of one of the ``reach`` text lines next to it (past one empty line), positions counted in
    characters or in display columns (``_holds_pieces_of``)."""
    line = texts[i]
    if _PIECES.fullmatch(line):
        return True
    own = _row_numbers(line, 1) or []
    for j in _lines_next_to(kinds, i, reach):
        other = [token for token in _tokens(texts[j]) if is_value_like(token.text)]
        for display in (False, True):
            if _holds_pieces_of(_spans(line, own, display), _spans(texts[j], other, display), j < i):
                return True
    return False


Spanned = list[tuple[_Token, int, int]]
"""Tokens with where they start and end in one count of positions."""


def _spans(line: str, tokens: list[_Token], display: bool) -> Spanned:
    """The tokens of ``line`` with their spans, in characters or (``display``) in display columns."""
    if not display:
        return [(token, token.start, token.end) for token in tokens]
    return [(token, text_width(line[:token.start]), text_width(line[:token.end])) for token in tokens]


def _holds_pieces_of(own: Spanned, other: Spanned, above: bool) -> bool:
    """Whether the numbers ``own`` may be pieces of the values ``other`` of a line above them (``above``) or below:
    one of them stands over or under (spans overlapping or touching) a number with which it makes one wrapped
    number (see the module docstring), and none overlaps a value with which it makes none (a mark of nothing, a
    number it cannot be a piece of): a number so placed is a cell of a row of its own (``51  18`` under
    ``68  -21  —``, a row whose blank cell prints nothing), not a piece."""
    joins = False
    for (piece, start, end), (value, low, high) in itertools.product(own, other):
        if start > high or low > end:
            continue
        upper, lower = (value.text, piece.text) if above else (piece.text, value.text)
        if _joinable(upper, lower):
            joins = True
        elif start < high and low < end:
            return False
    return joins


def _lines_next_to(kinds: list[str], i: int, reach: int) -> list[int]:
    """The ``reach`` text lines right above line ``i`` and those right below it, past one empty line each side."""
    found: list[int] = []
    for step in (-1, 1):
        start = i + step
        if 0 <= start < len(kinds) and kinds[start] == "blank":
            start += step
        for j in range(start, start + step * reach, step):
            if not (0 <= j < len(kinds) and kinds[j] == "text"):
                break
            found.append(j)
    return found


def _stand_over(line: str, piece: _Token, other: str, number: _Token) -> bool:
    """Whether the two tokens' spans overlap or touch, counted in characters or in display columns."""
    if piece.start <= number.end and number.start <= piece.end:
        return True
    start, end = text_width(line[:piece.start]), text_width(line[:piece.end])
    return start <= text_width(other[:number.end]) and text_width(other[:number.start]) <= end


def _numbers_beside(texts: list[str], i: int) -> bool:
    """Whether the line right above or right below line ``i`` ends in a number."""
    return any(0 <= j < len(texts) and texts[j].rstrip()[-1:].isdigit() for j in (i - 1, i + 1))


def between_labels(texts: list[str], kinds: list[str], i: int) -> bool:
    """Whether line ``i``, bare numbers, stands right between two lines of text that end before its numbers begin
    and hold no value: a row's values, its label wrapped around them (a wrapped number's pieces stand right next to
    their row's line, each the whole width of its cell but the last)."""
    line = texts[i]
    if not _PIECES.fullmatch(line):
        return False
    start = len(line) - len(line.lstrip())
    return all(0 <= j < len(texts) and kinds[j] == "text" and bool(texts[j].strip())
               and len(texts[j].rstrip()) <= start and not _trailing_values(texts[j]) for j in (i - 1, i + 1))


def _rows_near(texts: list[str], kinds: list[str], orphans: list[int], settings: LayoutSettings) -> set[int]:
    """The nearest row line above and below each lone line of bare numbers, within ``wrap_reach + 1`` lines: a
    number wrapped around a row whose label wrapped too, its pieces beyond the label's lines. Numbers that end
    before the row's text begins (a page number at the margin under an indented row) stand under none of its
    numbers: not its pieces. Numbers at the start of their line are laid out in no column (``pdftotext -raw``
    prints a cell's text in the order it was drawn): a wrapped number's pieces follow one another and its row's
    other values there, so a line of other text between them and a row (a label's line) says they are not its."""
    reach, least = settings.wrap_reach, settings.wrap_min_numbers
    near: set[int] = set()
    for orphan in orphans:
        if not _PIECES.fullmatch(texts[orphan]):
            continue
        end = len(texts[orphan].rstrip())
        drawn = not _indent(texts[orphan])
        for step in (-1, 1):
            for i in range(orphan + step, orphan + step * (reach + 2), step):
                if not 0 <= i < len(texts) or kinds[i] != "text":
                    continue
                if _row_numbers(texts[i], least) is not None:
                    if end > _indent(texts[i]):
                        near.add(i)
                    break
                if drawn and not _PIECES.fullmatch(texts[i]):
                    break
    return near


def _indent(text: str) -> int:
    """Where the line's text begins (spaces before it count one each in any count of positions)."""
    return len(text) - len(text.lstrip(" "))


def _aligned(texts: list[str], row: int, pieces: list[int], gap: int) -> bool:
    """Whether the pieces' positions say which number they belong to: the lines are laid out in columns
    (``-layout`` pads them with ``gap`` spaces or more; ``-raw`` never does) and the row holds only numbers
    (after wide characters, such as a Chinese label, ``-layout`` shifts a line's columns by amounts that vary
    along the line)."""
    text = texts[row]
    return (text.isascii() and (gap * " " in text.strip() or any(texts[line][:1].isspace() for line in pieces)))


def _cut_rows(text: str, texts: list[str], kinds: list[str], orphans: list[int], least: int) -> dict[int, set[int]]:
    """The last row line before each page break that lone pieces follow with no row line between, with those
    pieces' lines, when they
    end in fewer values than the row (the tail of a row whose label and numbers the break cut,
    ``形，不计其他情形）  1  3  5``; a line of as many values, blank marks counted, is a row of its own, and so
    are pieces after a line starting a sub-row's label, ``6.属于四类过`` / ``7  —  2  0  9``)."""
    if not orphans or "\f" not in text:
        return {}  # no page break: no row was cut by one
    page_starts = {i + 1 for i, line in enumerate(text.splitlines(keepends=True)) if line.endswith("\f")}
    cut: dict[int, set[int]] = {}

    @cache
    def is_row(j: int) -> bool:  # each line is read once however many orphans walk past it
        return _row_numbers(texts[j], least) is not None

    for orphan in orphans:
        i = orphan
        while i > 0 and i not in page_starts and not is_row(i - 1):
            i -= 1
        if i not in page_starts or any(_SUB_ROW.match(texts[j]) for j in range(i, orphan)):
            continue  # no break above, or a sub-row's label starts after it: the orphan is that row's values
        row = next((j for j in range(i - 1, -1, -1) if kinds[j] == "text" and is_row(j)), None)
        if row is not None and _trailing_values(texts[orphan]) < _trailing_values(texts[row]):
            cut.setdefault(row, set()).add(orphan)
    return cut
