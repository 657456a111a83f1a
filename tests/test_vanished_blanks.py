"""Rows whose blank cells vanished when the table was printed as text (``1  250  1  0  253`` under seven
columns): the printed values keep their order, and the blank cells go where the table's own sums put them
when only one placement satisfies them; otherwise the row stays missing with its candidates listed."""

from __future__ import annotations

import random

import pytest

from nianbao.api import parse_bytes
from nianbao.report import Cell, Report
from nianbao.synth import consistent_report

from .cells import cells_of
from .variants import FORMS, load_forms
from .variants.reports import random_report
from .variants.score import pinned, score

load_forms()
COLUMNS = FORMS["txt-columns"]
SAMPLE = 40


@pytest.mark.parametrize("name", ["txt-columns", "txt-lines"])
def test_placed_blanks_are_right_and_every_other_row_lists_its_candidates(name: str) -> None:
    """Over generated reports printed in space-aligned columns or one cell per line (blank cells printed
    as nothing), no cell is ever wrong; rows placed by the sums are exact, and an ambiguous row keeps its
    cells missing."""
    placed = ambiguous = 0
    for seed in range(SAMPLE):
        rng = random.Random(f"vanished/{seed}")
        truth = random_report(rng)
        got = parse_bytes(FORMS[name].make(truth, rng), f"{name}.txt")
        assert not score(truth, got).wrong, seed
        expected, found = cells_of(truth), cells_of(got)
        for f in got.findings:
            if f.rule == "S.blanks_placed":
                placed += 1
                assert f.severity == "info"
                assert all(found[key][1] == expected[key][1] for key in f.cells), (seed, f.message)
            elif f.rule == "S.blanks_ambiguous":
                ambiguous += 1
                assert f.severity == "warning" and "（空）" in f.message
                assert not any(key in found for key in f.cells), (seed, f.message)
    assert placed and ambiguous


def test_a_leading_dash_is_a_value_not_a_list_bullet() -> None:
    truth = consistent_report("2021", seed=6)
    t4 = truth.tables.t4
    t4["review_upheld"].raw, t4["review_upheld"].value = "-", None
    total = sum(t4[f"review_{part}"].value or 0 for part in ("upheld", "corrected", "other", "pending"))
    t4["review_total"].raw, t4["review_total"].value = str(total), total
    text = COLUMNS.make(truth, random.Random(1)).decode("utf-8")
    assert any(line.startswith("-    ") for line in text.splitlines())
    got = parse_bytes(text.encode("utf-8"), "columns.txt")
    assert {k: v for k, v in cells_of(got).items() if k.startswith("t4.")} == {
        k: v for k, v in cells_of(truth).items() if k.startswith("t4.")}


def _blank_row(truth: Report, key: str) -> None:
    """Make 表三's row ``key`` blank, keeping every identity: its numbers leave 办理结果总计 for 结转下年度."""
    row, total, forward = truth.tables.t3[key], truth.tables.t3["result_total"], truth.tables.t3["carried_forward"]
    for column, cell in row.items():
        value = cell.value or 0
        for target, change in ((total, -value), (forward, value)):
            number = (target[column].value or 0) + change
            target[column] = Cell(raw=str(number), value=number, at={})
        row[column] = Cell(raw="", value=None, at={})


def test_a_row_printing_its_label_alone_is_a_row_of_blank_cells() -> None:
    """One cell a line, blank cells printed as nothing: a 表三 row whose label the next label follows is blank."""
    truth = consistent_report("2021", seed=4)
    _blank_row(truth, "granted")
    got = parse_bytes(FORMS["txt-lines"].make(truth, random.Random(2)), "lines.txt")
    assert {column: (cell.raw, cell.value) for column, cell in got.tables.t3["granted"].items()} == {
        column: ("", None) for column in truth.tables.t3["granted"]}
    assert not score(truth, got).wrong


def test_a_table_whose_every_label_stands_alone_is_not_read_blank() -> None:
    """Every 表三 label alone on its line: the values were printed elsewhere (plain pdftotext prints columns
    apart), so no row is read as blank."""
    truth = consistent_report("2021", seed=4)
    for key in list(truth.tables.t3):
        truth.tables.t3[key] = {column: Cell(raw="", value=None, at={}) for column in truth.tables.t3[key]}
    got = parse_bytes(FORMS["txt-lines"].make(truth, random.Random(2)), "lines.txt")
    assert not got.tables.t3


def test_cells_every_placement_agrees_on_are_read() -> None:
    """``2 1 0 3`` for 行政复议's five columns: the blank may be any of the four results, the 总计 is 3 in every
    placement, and the groups after it are whole."""
    truth = consistent_report("2021", seed=6)
    t4 = truth.tables.t4
    for key, raw in zip(("review_upheld", "review_corrected", "review_other", "review_pending", "review_total"),
                        ("2", "", "1", "0", "3"), strict=True):
        t4[key] = Cell(raw=raw, value=int(raw) if raw else None, at={})
    got = parse_bytes(COLUMNS.make(truth, random.Random(1)), "columns.txt")
    read = {key: cell.raw for key, cell in got.tables.t4.items()}
    assert read == {key: cell.raw for key, cell in t4.items() if not key.startswith("review_") or key == "review_total"}
    partly = [f for f in got.findings if f.rule == "S.blanks_partly"]
    assert partly and "？ ？ ？ ？ 3" in partly[0].message


def test_a_cell_every_placement_leaves_stating_nothing_reads_blank() -> None:
    """``— 1 0 1`` for 行政复议's five columns: the blank may be any of the four results, so 维持 holds the dash or
    nothing, stating nothing either way, and reads blank; the 总计 is 1 in every placement."""
    truth = consistent_report("2021", seed=6)
    t4 = truth.tables.t4
    for key, raw in zip(("review_upheld", "review_corrected", "review_other", "review_pending", "review_total"),
                        ("—", "", "1", "0", "1"), strict=True):
        t4[key] = Cell(raw=raw, value=int(raw) if raw.isdigit() else None, at={})
    got = parse_bytes(COLUMNS.make(truth, random.Random(1)), "columns.txt")
    read = got.tables.t4
    assert read["review_upheld"].raw == "" and read["review_upheld"].value is None
    assert read["review_total"].raw == "1"
    assert not {"review_corrected", "review_other", "review_pending"} & set(read)
    partly = [f for f in got.findings if f.rule == "S.blanks_partly"]
    assert partly and "（空） ？ ？ ？ 1" in partly[0].message


def test_bench_rows_of_marks_and_zeros_read_their_cells_of_nothing() -> None:
    """``txt-columns`` file 0/6: ``—  -  0  0`` under 表三's seven columns fits 35 placements; the first two
    columns hold a mark or nothing in each, so they read blank, and no cell is wrong."""
    result = pinned("txt-columns", 0, 6)
    assert not result.wrong
    assert not {"t3.denied_third_party_rights.natural_person",
                "t3.denied_third_party_rights.commercial_enterprise"} & set(result.missing)


@pytest.mark.parametrize("name", ["txt-columns", "txt-lines"])
def test_bench_table_printing_its_total_column_blank_places_rows_by_its_column_sums(name: str) -> None:
    """File 0/12 prints 表三's 总计 column blank in most rows, so most rows break their row sum: no row is placed by
    it (``2  0  —  0  无  2`` fits it with its last 2 as 总计, though that 2 is the 其他's), and the column sums
    the table keeps place the rows or read the cells every placement they leave agrees on; no cell is wrong."""
    result = pinned(name, 0, 12)
    assert not result.wrong
    assert not {"t3.denied_prohibited_by_law.other_org", "t3.denied_prohibited_by_law.total",
                "t3.denied_third_party_rights.other_org", "t3.granted.natural_person",
                "t3.denied_state_secret.other_org"} & set(result.missing)


@pytest.mark.parametrize(("seed", "index"), [(2, 19), (5, 7)])
def test_bench_table_two_row_printing_its_label_alone_is_blank_when_table_three_shows_blanks_take_no_line(
        seed: int, index: int) -> None:
    """``txt-lines`` files 2/19 (``规章`` then ``行政规范性文件`` and its three values) and 5/7 (``行政许可`` alone
    in its block; ``行政处罚`` then ``行政强制`` and its one value): no row of 表二 prints fewer values than its
    columns to show that blank cells take no line, but a row of 表三 does (fewer values than its seven columns on the
    lines after its label, the next label right after them). A 表二 row whose label the next label follows is then
    a row of blank cells."""
    result = pinned("txt-lines", seed, index)
    assert not result.wrong
    assert not [key for key in result.missing if key.startswith("t2.")]


@pytest.mark.parametrize("name", ["txt-columns", "txt-lines"])
def test_bench_column_sums_the_print_breaks_whatever_the_placement_are_set_aside(name: str) -> None:
    """File 4/41 (a large body's): 表三's 自然人, 科研机构, 社会公益组织, 法律服务机构 and 总计 columns do not add up
    to （七）总计 wherever the blanks of ``52  115  115  0  /  282`` (本机关不掌握) and ``40  0  145  120  0  305``
    (重复申请) go, so they tell nothing of them; the 商业企业 and 其他 columns, which some placement keeps, place the
    first (its blank is the 商业企业's: 115 there would break that column) and the second but for its 0 and blank,
    which either order keeps every identity with."""
    result = pinned(name, 4, 41, large=True)
    assert not result.wrong
    assert not [key for key in result.missing if key.startswith("t3.unable_not_held.")]
    assert {key for key in result.missing if key.startswith("t3.rejected_duplicate.")} == {
        "t3.rejected_duplicate.legal_service_org", "t3.rejected_duplicate.other_org"}


@pytest.mark.parametrize(("name", "seed", "index", "read"), [
    ("txt-columns", 2, 37, "t2.art20_1.regulation.new_made"),
    ("txt-lines", 2, 17, "t2.art20_1.regulation.total_published")])
def test_bench_row_no_sum_ties_reads_the_cells_every_placement_agrees_on(
        name: str, seed: int, index: int, read: str) -> None:
    """规章 prints two of its three values (``/  0``, ``0  /``): no sum ties the row and its column types allow three
    placements, but one cell holds a mark or nothing in each of them, so it reads blank; the others stay missing."""
    result = pinned(name, seed, index, large=True)
    assert not result.wrong
    row = {key for key in result.missing if key.startswith("t2.art20_1.regulation.")}
    assert len(row) == 2 and read not in row
