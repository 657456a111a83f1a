"""Artefacts of real reports the official layout lacks (tests/variants/wild.py, amounts with units and a blank
总计 column in tests/variants/reports.py): drawn as the generator says, and parsed without a wrong cell."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace

import pytest

from nianbao.api import parse_bytes
from nianbao.render import render_text
from nianbao.render.grid import Slot, t4_grid
from nianbao.report import Cell, Report
from nianbao.schema import formats
from nianbao.values import parse_value

from .variants import load_forms, wild
from .variants.drawing import draw
from .variants.reports import AMOUNTS, all_rows, random_report, received_nothing
from .variants.score import bench_truth, cells, pinned, score

FORMS = load_forms()
STYLES = ("tabs", "cells", "pipes", "columns", "lines", "markdown")
JILIN = "2020年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、消息类）：65条"


def _report(seed: str, template: str | None = None) -> Report:
    for index in range(100):
        report = bench_truth(seed, index)
        if template in (None, report.template):
            return report
    raise AssertionError(f"no report of template {template} drawn")


def test_every_artefact_is_drawn_for_some_files_and_extra_rows_belong_to_no_cell() -> None:
    seen: Counter[str] = Counter()
    for index in range(80):
        report = random_report(random.Random(f"wild/{index}"))
        drawing = draw(report)
        seen.update(f"{axis}={drawing.axes[axis]}" for axis in ("notes", "extra_rows", "junk", "caption",
                                                                "amount_unit", "t3_totals"))
        keys = {s.key for grid in drawing.layout.grids.values() for row in grid for s in row if s.value}
        assert {k for k in keys if k} <= set(cells(report))  # an extra row's values have no key
        if drawing.axes["extra_rows"] != "none":
            assert "" in keys
    for axis in ("notes=after", "notes=labels", "extra_rows=other_docs", "junk=spaces", "amount_unit=元",
                 "amount_unit=万元", "t3_totals=blank"):
        assert seen[axis], axis


def test_amounts_printed_with_a_unit_keep_it_in_the_raw_text_and_read_the_number() -> None:
    found = 0
    for index in range(80):
        report = random_report(random.Random(f"unit/{index}"))
        for row in all_rows(report):
            for key, cell in row.items():
                if key in AMOUNTS and cell.raw.endswith("元"):
                    found += 1
                    assert cell.value == parse_value(cell.raw.removesuffix("万元").removesuffix("元"))[0]
    assert found


def test_a_row_label_with_a_parenthetical_note_is_still_its_row() -> None:
    report = _report("note-label")
    layout = draw(report).layout
    grid = [[replace(slot) for slot in row] for row in layout.grid(1, report)]
    label = next(row[0] for row in grid if row[0].text == formats().t2[report.template or "2021"][0].rows[0].label)
    label.text += "（不含内部管理事项，单位：件）"
    text = render_text(report, "tabs", replace(layout, grids={**layout.grids, 1: grid}))
    result = score(report, parse_bytes(text.encode("utf-8"), "noted.txt"))
    assert result.perfect, (result.missing[:3], result.wrong[:3])


@pytest.mark.parametrize("style", STYLES)
def test_a_note_line_after_a_table_stays_out_of_its_cells(style: str) -> None:
    report = _report("note-after")
    layout = draw(report).layout
    text = render_text(report, style, replace(layout, notes={1: JILIN, 2: "注：本表统计期限为1月1日至12月31日。"}))
    result = score(report, parse_bytes(text.encode("utf-8"), f"noted-{style}.txt"))
    assert not result.wrong and not result.meta


def test_a_note_after_a_table_4_printing_one_merged_nil_leaves_it_read() -> None:
    """表四 of a unit that received nothing, one 无 merged across its row, then a note: the note is text after
    the table's values, not label text between them."""
    report = _report("note-nil")
    received_nothing(report, "nil_first_total")
    grid = t4_grid(report)
    grid[-1] = [Slot("无", colspan=len(formats().t4_columns), value=True, key=grid[-1][-1].key)]
    layout = replace(draw(report).layout, grids={**draw(report).layout.grids, 3: grid},
                     notes={3: "注：本表中“0”表示本年度未发生相关事项。"})
    got = parse_bytes(render_text(report, "tabs", layout).encode("utf-8"), "nil.txt")
    result = score(report, got)
    assert not [key for key in result.missing if key.startswith("t4.")] and not result.wrong


@pytest.mark.parametrize("form", ["scraped-space", "scraped-newline", "scraped-tab"])
def test_a_scraped_amount_printed_with_a_unit_is_read(form: str) -> None:
    report = _report("scraped-unit", "2021")
    cells = report.tables.t2["art20_8"]["admin_fee"]
    cells["fee_amount"] = Cell(raw="12.35元", value=12.35, at=cells["fee_amount"].at)
    data = FORMS[form].make(report, random.Random(form))
    got = parse_bytes(data, f"{form}.txt")
    assert got.tables.t2["art20_8"]["admin_fee"]["fee_amount"].raw == "12.35元"
    assert not score(report, got).wrong


WILD_ONCE_WRONG = [("txt-columns", 0, 12), ("txt-lines", 0, 12), ("scraped-nosep", 0, 12), ("scraped-space", 0, 4),
                   ("pdftotext-layout", 2026, 1), ("pdftotext", 1, 38), ("pdftotext", 1, 41),
                   ("pdftotext", 1, 25), ("pdftotext", 11, 40),
                   ("tab-rows", 11, 7), ("pandoc-plain", 11, 7), ("lo-pdf-rules", 8, 4), ("pdftotext-layout", 4, 9),
                   ("scan-tiff", 0, 8), ("txt-aligned", 6, 10)]
"""Bench files (form, seed, index) that once put values in wrong cells: rows whose blank cells vanished under a
总计 column left blank, read by the row sums the table breaks, or placed among columns one of which was a group
label's character (无 of 无法提供) read as a value; an amount printed with its unit read as its row's blank cell;
表四's header listed among its values by plain pdftotext, whose runs of values follow the labels above them in
another order; 行政强制 printed alone above an agency's own 行政检查 and its value; rows printed a value a line
after 表三's header printed again, one of their values (自然人's) printed after the others; three rows' values after
one label, a value a paragraph, the first seven adding up by chance; a row padded by an empty label column whose
blank 总计 let the row sum pick the run one column left of the other rows'; a 表二 label printed alone above its
note wrapped over two lines, its values beside the note's last line, read as a row of blank cells; a scan's sliver
of a row between two ruling lines drawn apart, taking a label, its cells too thin to hold print read as blank; a
表二 header printed a character a line, its titles' characters stacked in the first columns, which set out three
columns over a row with a short label and two over the next row."""


@pytest.mark.parametrize(("name", "seed", "index"), WILD_ONCE_WRONG)
def test_bench_files_that_once_gave_wrong_cells_give_none(name: str, seed: int, index: int) -> None:
    result = pinned(name, seed, index)
    assert not result.wrong and not result.meta


@pytest.mark.parametrize("name", ["txt-columns", "pdftotext-layout"])
def test_rows_of_a_table_whose_total_column_is_left_blank_are_placed_by_the_column_sums(name: str) -> None:
    """Bench file 0/40 prints 表三's 总计 column blank on every outcome row, so their blank cells vanish where no
    row's own sum can place them: the sums down the other columns still tie the rows, and what they decide is read
    (every row's first three cells, one whole row), what they leave open stays missing with its finding."""
    result = pinned(name, 0, 40)
    assert not result.wrong and not result.meta and not result.unflagged
    placed = {"natural_person", "commercial_enterprise", "research_institution"}
    assert not [key for key in result.missing if key.startswith("t3.") and key.rsplit(".", 1)[1] in placed]
    assert not [key for key in result.missing if key.startswith("t3.denied_security_stability.")]


@pytest.mark.parametrize(("name", "seed", "index"), [("txt-aligned", 1, 29), ("txt-aligned", 1, 39),
                                                     ("lo-pdf-rules", 1, 6)])
def test_a_table_two_row_printing_its_label_alone_is_a_row_of_blank_cells(name: str, seed: int, index: int) -> None:
    """Bench files whose 表二 prints 规章 alone on its line (its blank cells print nothing) in a table printing every
    other row's values beside its label: once joined by the reader to the next row's label (as a label wrapped
    around that row's values, notes and all), once beside rows the agency added (行政检查). 规章 is a row of
    blank cells."""
    result = pinned(name, seed, index)
    assert not result.wrong and not result.meta
    assert not [key for key in result.missing if key.startswith("t2.art20_1.")]


def test_a_bench_pipe_table_four_whose_first_cell_is_blank_under_a_vertical_header_is_read() -> None:
    """Bench file 1/14 of ``txt-pipes``: 表四's header prints a character a line, its row of values starts blank."""
    assert pinned("txt-pipes", 1, 14).perfect


def test_a_note_under_the_table_is_no_piece_of_its_last_rows_label() -> None:
    """Bench file 0/0 of ``lo-pdf-rules``: a note stating a number (``注：…287 条…``) printed under 表三's last row,
    left of its values: no piece of the row's label (a label wraps over lines stating no number but its own)."""
    assert pinned("lo-pdf-rules", 0, 0).perfect



def test_a_split_only_an_inequality_singles_out_is_not_taken() -> None:
    """Bench file 5/44 of ``scraped-nosep``: 表二's 规章 prints ``/20`` glued, and the report breaks 对外公开总数量 ≥
    本年新公开数量 (2 and 0): the one split that keeps the inequality is no evidence, the row is left missing with
    its finding, and no cell is wrong."""
    result = pinned("scraped-nosep", 5, 44)
    assert not result.wrong and not result.unflagged
    assert any(key.startswith("t2.art20_1.regulation.") for key in result.missing)


def test_an_empty_line_before_a_note_is_no_blank_cell_where_blank_cells_take_no_line() -> None:
    """Bench file 7/31 of ``txt-lines``: a cell a line, blank cells printing nothing (rows short of values meet the
    next label early); the last row's values stand before an empty line and a note: the empty line is no blank cell,
    the row's values go to the sums like any row whose blank cells vanished."""
    result = pinned("txt-lines", 7, 31)
    assert not result.wrong and not result.meta and not result.unflagged


def test_a_one_cell_pipe_row_under_a_header_of_wrapped_cells_is_a_row() -> None:
    """Bench file 5/17 of ``txt-pipes``: 表四 of a unit that received nothing prints one 无 merged across its row
    (`` 无 |``) under a header whose cells wrap over lines, each ending in a bar: the line is the table's row."""
    assert pinned("txt-pipes", 5, 17).perfect


def test_nil_rows_of_a_grid_that_lost_a_column_line_state_nothing() -> None:
    """Bench file 5/13 of ``lo-pdf``: 表三 of a unit that received nothing, each row's 无 merged across its values;
    the rows under a group label hold fewer cells than the table's columns (a line between two columns lost), one
    row's label is cut by a page break: each such row states nothing in every cell."""
    assert pinned("lo-pdf", 5, 13).perfect


def test_font_size_buttons_on_a_line_of_their_own_are_no_part_of_the_title() -> None:
    """Bench file 10/43 of ``browser-pdf``: a portal page printed by a browser sets its font-size buttons (``大中小``)
    on the line above the report's title: page chrome, not the agency's first characters."""
    assert pinned("browser-pdf", 10, 43).perfect


@pytest.mark.parametrize("name", ["lo-txt", "cell-lines"])
def test_table_four_ending_in_blank_cells_printed_a_line_each_is_read(name: str) -> None:
    """Bench file 5/36: 表四 printed a cell a line, an empty line for each blank cell (one shows among the values),
    its last group all blank: the empty lines up to the next part's heading hold its cells."""
    assert pinned(name, 5, 36).perfect


def test_rows_of_values_opening_two_pages_are_no_running_header() -> None:
    """Bench file 0/21 of ``lo-pdf-rules``: a 表三 row's values open one page and 表四's open the next, both
    in the top margin, both digits only: they are table rows, not a header repeated on every page; a page number
    printed as a bare number at the foot of every page still goes (``lo-pdf`` 0/40)."""
    result = pinned("lo-pdf-rules", 0, 21)
    assert not result.wrong
    assert not [key for key in result.missing if key.startswith(("t3.denied_process_info", "t4.review"))]
    assert pinned("lo-pdf", 0, 40).perfect


def test_a_no_break_space_set_apart_in_an_aligned_row_is_no_cell() -> None:
    """Bench file 1/40 of ``txt-aligned``: a row whose blank cells print as spaces holds a no-break space between
    two gaps, and another glued to a value: the positions place its three values, the lone space is no cell."""
    result = pinned("txt-aligned", 1, 40)
    assert not result.wrong
    assert not [key for key in result.missing if key.startswith("t3.rejected_duplicate")]


def test_headings_wrapped_on_a_narrow_page_start_their_parts() -> None:
    """Bench file 5/35 of ``pdftotext-layout``: the headings of parts 四 and 五, in long wordings, wrap onto a
    second line on a narrow page: both parts are found and 表四 under the first is read."""
    result = pinned("pdftotext-layout", 5, 35)
    assert not result.wrong
    assert not [key for key in result.missing if key.startswith("t4.")]


@pytest.mark.parametrize("name", ["pdftotext-layout", "lo-pdf-rules"])
def test_a_wrapped_label_printed_alone_in_aligned_columns_is_a_row_of_blank_cells(name: str) -> None:
    """Bench file 0/20: 表三's row 2 of （六） prints nothing but its label, wrapped over three lines of its own,
    in a table whose blank cells print nothing: joined, the lines name the row, and its cells are blank."""
    result = pinned(name, 0, 20)
    assert not result.wrong
    assert not [key for key in result.missing if key.startswith("t3.other_fee_unpaid")]


@pytest.mark.parametrize("index", [19, 28])
def test_a_label_cut_by_a_page_break_into_another_column_of_its_span_is_joined(index: int) -> None:
    """Bench files 1/19 and 1/28 of ``browser-pdf``: in a nil 表三, a row's label spans two grid columns and a
    page break cuts it; the next page's grid sets the label's rest in the second column of that span."""
    assert pinned("browser-pdf", 1, index).perfect


def test_labels_wrapped_around_their_values_after_a_repeated_header_are_joined(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bench file 5/2 of ``pdftotext-layout`` (drawn without last year's 表四 row it now prints): 表三 continues on a
    page under its repeated header, each row's label wrapped around its values (head above, rest below, a group
    label's pieces set apart in front): joined, each names its row, which no longer depends on the order of rows the
    header interrupts."""
    monkeypatch.setattr(wild, "LAST_YEAR_SHARE", 0.0)
    result = pinned("pdftotext-layout", 5, 2)
    assert not result.wrong
    assert result.perfect, result.missing[:5]
