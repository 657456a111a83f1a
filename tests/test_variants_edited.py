"""An editor's unprinted revisions (tests/variants/edited.py), last year's rows printed in this year's tables
(tests/variants/wild.py ``draw_last_year``) and note marks set as superscripts after values: no cell read wrong,
none read from text a reader does not see, a table printing a row twice with other values left missing with a
finding, a note's mark kept apart from the value's digits."""

from __future__ import annotations

import copy
import random
import re
import zipfile
from collections.abc import Callable
from io import BytesIO

import pytest
from lxml import etree

from nianbao.api import parse_bytes
from nianbao.report import Report
from nianbao.values import is_blank

from .variants import load_forms
from .variants.determined import copies_undecided
from .variants.drawing import draw
from .variants.office import docx_of
from .variants.reports import random_report
from .variants.score import cells, score
from .variants.wild import CAPTIONED

FORMS = load_forms()
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.mark.parametrize("name", ["html-edited", "docx-edited"])
def test_revisions_no_reader_sees_leave_every_cell_as_printed(name: str) -> None:
    form = FORMS[name]
    for index in range(10):
        truth = random_report(random.Random(f"edited/{index}"))
        result = score(truth, parse_bytes(form.make(truth, random.Random(f"edited/{name}/{index}")), f"e{form.suffix}"))
        assert not result.wrong and not result.meta and not result.error, (index, result.wrong[:3])
        assert result.perfect or draw(truth).axes["last_year"] != "none", (index, result.missing[:3])


def _last_year_reports(count: int) -> list[tuple[str, Report]]:
    found = []
    for index in range(400):
        truth = random_report(random.Random(f"last-year/{index}"))
        axis = draw(truth).axes["last_year"]
        if axis != "none":
            found.append((axis, truth))
        if len(found) == count:
            break
    return found


@pytest.mark.parametrize("name", ["html", "tab-rows", "txt-lines", "cell-lines", "txt-aligned"])
def test_last_years_rows_beside_this_years_are_never_read_as_this_years(name: str) -> None:
    form = FORMS[name]
    drawn = _last_year_reports(8)
    assert {axis.partition("_")[0] for axis, _ in drawn} >= {"t3", "t4"}
    for axis, truth in drawn:
        parsed = parse_bytes(form.make(truth, random.Random(f"last-year/{name}")), f"l{form.suffix}")
        result = score(truth, parsed)
        assert not result.wrong and not result.unflagged, (axis, result.wrong[:3], result.unflagged[:3])
        table = axis.partition("_")[0]
        if any(key.startswith(table) for key in result.missing):  # the copies (or their rows run together) named,
            # or the copy the captions name read (its cells lost otherwise are named by findings of their own)
            assert any(f.rule in ("S.table_twice", "S.ambiguous_row", "S.copies_differ", "S.other_year")
                       for f in parsed.findings), axis


@pytest.mark.parametrize("name", ["html", "tab-rows", "docx"])
def test_copies_no_caption_decides_are_read_where_they_agree(name: str) -> None:
    """Uncaptioned copies of a table's rows: every cell both copies state alike is read, each other cell is missing
    and named, with both copies' texts, by S.copies_differ."""
    form = FORMS[name]
    if form.missing():
        pytest.skip(f"form {name} needs {', '.join(form.missing())}, not installed")
    drawn = [(axis, truth) for axis, truth in _last_year_reports(24) if not axis.endswith(CAPTIONED)]
    assert {axis.partition("_")[0] for axis, _ in drawn} >= {"t2", "t3", "t4"}
    for axis, truth in drawn:
        parsed = parse_bytes(form.make_all([(truth, random.Random(f"last-year/{name}"))])[0], f"l{form.suffix}")
        result = score(truth, parsed)
        undecided = copies_undecided(truth)
        assert not result.wrong and undecided and set(result.missing) == undecided, (axis, result.missing[:3])
        named = {key for f in parsed.findings if f.rule == "S.copies_differ" for key in f.cells}
        assert named == undecided, axis


@pytest.mark.parametrize("name", ["html", "docx", "tab-rows", "md", "txt-tabs", "pandoc-plain", "lo-pdf"])
def test_last_years_rows_under_a_caption_naming_their_year_are_left_out(name: str) -> None:
    """A caption row above each copy (``2020年度``, ``2019年度``) says which is this year's: that copy is read, with
    a finding naming the other year."""
    form = FORMS[name]
    if form.missing():
        pytest.skip(f"form {name} needs {', '.join(form.missing())}, not installed")
    drawn = [(axis, truth) for axis, truth in _last_year_reports(16) if axis.endswith(CAPTIONED)]
    chosen = set()
    for axis, truth in drawn:
        parsed = parse_bytes(form.make_all([(truth, random.Random(f"last-year/{name}"))])[0], f"l{form.suffix}")
        result = score(truth, parsed)
        assert not result.wrong and not result.unflagged, (axis, result.wrong[:3], result.unflagged[:3])
        table = axis.partition("_")[0]
        nil = all(is_blank(cell.raw) for key, cell in cells(truth).items() if key.startswith(table))
        assert result.perfect or nil, (axis, result.missing[:3])  # two copies of a 无 row: its marks run together
        if any(f.rule == "S.other_year" and f"{(truth.meta.year or 0) - 1}年度" in f.message for f in parsed.findings):
            chosen.add(axis.partition("_")[0])  # none where both copies print the same values (a unit's 无 rows)
    assert chosen >= {"t2", "t3", "t4"}


@pytest.mark.parametrize("name", ["cell-lines", "lo-txt"])
def test_last_years_table_printed_a_value_a_line_under_its_caption_is_left_out(name: str) -> None:
    """表四 printed a value a line, each copy under a caption naming its year: the runs of values between the
    captions are the copies, and the report's year's is read."""
    form = FORMS[name]
    if form.missing():
        pytest.skip(f"form {name} needs {', '.join(form.missing())}, not installed")
    drawn = [truth for axis, truth in _last_year_reports(40) if axis == f"t4_after{CAPTIONED}"]
    assert drawn
    for truth in drawn:
        parsed = parse_bytes(form.make_all([(truth, random.Random(f"last-year/{name}"))])[0], f"l{form.suffix}")
        result = score(truth, parsed)
        assert result.perfect, result.missing[:3]
        assert any(f.rule == "S.other_year" for f in parsed.findings)


def _note_marked_docx(truth: Report) -> bytes:
    """The renderer's DOCX with a superscript ``1`` (a note's mark, ``w:vertAlign``) after every value's run."""
    source = zipfile.ZipFile(BytesIO(docx_of(truth)))
    root = etree.fromstring(source.read("word/document.xml"))
    for text in list(root.iter(f"{W}t")):
        if text.text and text.text.strip().isdigit():
            mark = copy.deepcopy(text.getparent())
            properties = mark.find(f"{W}rPr")
            etree.SubElement(properties, f"{W}vertAlign").set(f"{W}val", "superscript")
            mark.find(f"{W}t").text = "1"
            text.getparent().addnext(mark)
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = etree.tostring(root) if info.filename == "word/document.xml" else source.read(info.filename)
            target.writestr(info, data)
    return out.getvalue()


def _note_marked_html(truth: Report) -> bytes:
    """The renderer's HTML page with ``<sup>1</sup>`` after every value."""
    page = FORMS["html"].make(truth, random.Random(0)).decode("utf-8")
    return re.sub(r"(<td[^>]*>)(\d+)</td>", r"\1\2<sup>1</sup></td>", page).encode("utf-8")


@pytest.mark.parametrize(("make", "suffix"), [(_note_marked_docx, ".docx"), (_note_marked_html, ".html")])
def test_a_superscript_note_mark_after_a_value_is_not_one_of_its_digits(make: Callable[[Report], bytes],
                                                                      suffix: str) -> None:
    truth = random_report(random.Random("note-mark/0"))
    parsed = parse_bytes(make(truth), f"n{suffix}")
    expected, got = cells(truth), cells(parsed)
    marked = [key for key, cell in expected.items() if cell.raw.strip().isdigit()]
    assert marked
    for key in marked:
        assert got[key].value == expected[key].value and got[key].raw.endswith("¹"), (key, got[key].raw)
