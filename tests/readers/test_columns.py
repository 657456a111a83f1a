"""Space-aligned tables whose blank cells print as nothing: values placed by where they stand, labels
wrapped in their column joined, bare page numbers at a page's edge dropped (readers/columns.py)."""

from __future__ import annotations

import random

from nianbao.api import parse_bytes
from nianbao.extract.rows import choose_window
from nianbao.readers.layout import text_to_document
from nianbao.settings import LayoutSettings, Settings

from ..variants import load_forms
from ..variants.reports import random_report
from ..variants.score import score

SAMPLE = 40


def _aligned(seed: int) -> tuple[object, bytes]:
    truth = random_report(random.Random(f"aligned/{seed}"))
    return truth, load_forms()["txt-aligned"].make(truth, random.Random(f"aligned/{seed}/form"))


def test_positions_place_blank_cells_and_never_a_wrong_one() -> None:
    by_position = Settings()
    without = Settings(layout=LayoutSettings(columns_min_width=99))
    placed = exact_with = exact_without = 0
    for seed in range(SAMPLE):
        truth, data = _aligned(seed)
        report = parse_bytes(data, f"aligned-{seed}.txt", by_position)
        result = score(truth, report)
        assert not result.wrong and not result.meta, (seed, result.wrong[:3], result.meta)
        placed += sum(1 for row in report.tables.t3.values() for cell in row.values()
                      if cell.at and "column" in cell.at)
        exact_with += result.exact
        exact_without += score(truth, parse_bytes(data, f"aligned-{seed}.txt", without)).exact
    assert placed > SAMPLE
    assert exact_with > exact_without


def test_header_columns_place_the_blank_cells_of_rows_no_stretch_places() -> None:
    near = Settings(layout=LayoutSettings(columns_header_reach=1))  # the line right above: no header
    header = exact_with = exact_without = 0
    for seed in range(SAMPLE):
        truth, data = _aligned(seed)
        report = parse_bytes(data, f"aligned-{seed}.txt")
        result = score(truth, report)
        assert not result.wrong and not result.meta, (seed, result.wrong[:3], result.meta)
        header += sum(1 for cell in report.tables.t4.values() if cell.at and "column" in cell.at)
        header += sum(1 for row in report.tables.t2.values() for cells in row.values() for cell in cells.values()
                      if cell.at and "column" in cell.at)
        exact_with += result.exact
        exact_without += score(truth, parse_bytes(data, f"aligned-{seed}.txt", near)).exact
    assert header >= 10
    assert exact_with > exact_without


GROUPED = ["  GROUP-A            GROUP-B", "", "first  second  third  fourth  fifth", ""]


def _after_a_stretch(lines: list[str]) -> str:
    """The lines on a page after one whose rows show the text aligned by characters (labels of other widths)."""
    rows = [("1.甲", ["1", "2", "3", "4", "5", "6", "21"]), ("2.乙丙丁戊", ["", "2", "", "4", "", "", "6"])]
    return "\n\n".join(_line(label, values, STARTS) for label, values in rows) + "\n\f" + "\n".join(lines) + "\n"


def _placed(document: object) -> list[list[str]]:
    rows = [r for r in document.rows() if r.in_table][-1:]  # type: ignore[attr-defined]
    return [[cell.text for cell in choose_window(row.cells, 5, None, lambda cells: True) or []] for row in rows]


def test_a_lone_row_takes_the_columns_of_the_header_above_it() -> None:
    row = "  1             7                 9"
    assert _placed(text_to_document(_after_a_stretch([*GROUPED, row]))) == [["1", "", "7", "", "9"]]


def test_a_lone_row_with_blank_marks_among_few_numbers_takes_the_header_columns() -> None:
    row = "  1             无                9"  # one number at its end: not a row of wrapped numbers' pieces
    assert _placed(text_to_document(_after_a_stretch([*GROUPED, row]))) == [["1", "", "无", "", "9"]]


def _display_line(label: str, values: list[str], starts: list[int]) -> str:
    """A row aligned as an editor aligns it: a Chinese character two columns wide."""
    line, width = label, sum(2 if ord(char) > 0x2E7F else 1 for char in label)
    for value, start in zip(values, starts, strict=True):
        if value:
            line, width = line + " " * (start - width) + value, start + len(value)
    return line


def test_headers_are_read_by_the_count_most_rows_of_the_document_were_read_by() -> None:
    by_display = [("1.甲", ["1", "2", "3", "4", "5", "6", "21"]), ("2.乙丙丁戊", ["", "2", "", "4", "", "", "6"]),
                  ("3.己庚", ["7", "", "", "", "", "1", "8"])]
    lines = [_display_line(label, values, STARTS) for label, values in by_display]
    text = "\n\n".join(lines) + "\n\f" + _after_a_stretch([*GROUPED, "  1             7                 9"])
    assert _placed(text_to_document(text))[-1] == ["1", "", "7", "", "9"]


def test_a_value_that_may_stand_in_either_of_two_columns_is_not_placed() -> None:
    row = "  1          77                    9"  # 77 touches both "second" and "third"
    assert _placed(text_to_document(_after_a_stretch([*GROUPED, row]))) == [[]]


def test_a_value_between_two_headers_but_under_one_takes_that_ones_column() -> None:
    row = "  1         7                     9"  # a character's jitter reaches "third", but 7 stands under "second"
    assert _placed(text_to_document(_after_a_stretch([*GROUPED, row]))) == [["1", "7", "", "", "9"]]


def test_headers_place_nothing_in_text_no_stretch_shows_aligned() -> None:
    row = "  1             7                 9"
    rows = [r for r in text_to_document("\n".join([*GROUPED, row, ""])).rows() if r.in_table]
    assert not any(cell.blank_before or cell.blank_after for row in rows for cell in row.cells)


def _line(label: str, values: list[str], starts: list[int]) -> str:
    line = label
    for value, start in zip(values, starts, strict=True):
        line = line.ljust(start) + value if value else line
    return line


STARTS = [30, 36, 42, 48, 54, 60, 66]


def test_a_row_missing_values_takes_blanks_where_its_columns_are_empty() -> None:
    rows = [("a1", ["1", "2", "3", "4", "5", "6", "21"]), ("b2", ["", "2", "", "4", "", "", "6"]),
            ("c3", ["7", "", "", "", "", "1", "8"])]
    document = text_to_document("\n\n".join(_line(label, values, STARTS) for label, values in rows) + "\n")
    table = [r for r in document.rows() if r.in_table]
    blanks = [[at["column"] for cell in row.cells for at in cell.blank_before] for row in table]
    assert blanks == [[], [0, 2, 4, 5], [1, 2, 3, 4]]


def test_a_row_whose_last_columns_are_blank_takes_blanks_after_its_last_value() -> None:
    rows = [("a1", ["1", "2", "3", "4", "5", "6", "21"]), ("b2", ["", "2", "", "4", "", "", ""]),
            ("c3", ["7", "", "", "", "", "", ""])]
    document = text_to_document("\n\n".join(_line(label, values, STARTS) for label, values in rows) + "\n")
    table = [r for r in document.rows() if r.in_table]
    after = [[at["column"] for cell in row.cells for at in cell.blank_after] for row in table]
    assert after == [[], [4, 5, 6], [1, 2, 3, 4, 5, 6]]
    placed = [choose_window(row.cells[1:], 7, None) for row in table]
    assert [[cell.text for cell in cells or []] for cells in placed] == [values for _, values in rows]


def test_rows_are_not_placed_where_a_value_crosses_two_columns() -> None:
    rows = [("a1", ["1", "2", "3", "4", "5", "6", "21"]), ("b2", ["", "2", "", "4", "", "", "6"]),
            ("c3", ["1234567", "", "", "", "", "", "8"])]
    text = "\n\n".join(_line(label, values, STARTS) for label, values in rows) + "\n"
    table = [r for r in text_to_document(text).rows() if r.in_table]
    assert not any(cell.blank_before for row in table for cell in row.cells)


def test_a_bare_number_at_a_page_edge_is_a_page_number() -> None:
    rows = [("a1", ["1", "2", "3", "4", "5", "6", "21"]), ("b2", ["", "2", "", "4", "", "", "6"])]
    body = "\n\n".join(_line(label, values, STARTS) for label, values in rows)
    document = text_to_document(f"{body}\n\n\n{' ' * 33}3\n\f{body}\n")
    texts = [cell.text for row in document.rows() for cell in row.cells]
    assert "3" in texts and texts.count("3") == 2  # the value 3 of each page's first row, not the page number


def test_a_label_wrapped_in_its_column_is_read_whole() -> None:
    rows = [("1.属于国家秘", ["1", "2", "3", "4", "5", "6", "21"]), ("2.其他法律行", ["", "2", "", "4", "", "", "6"])]
    lines = []
    for label, values in rows:
        lines += [_line(label, values, STARTS), "密" if label.startswith("1") else "政法规禁止公开", ""]
    table = [r for r in text_to_document("\n".join(lines)).rows() if r.in_table]
    assert [row.cells[0].text for row in table] == ["1.属于国家秘密", "2.其他法律行政法规禁止公开"]


def test_values_between_the_lines_of_a_wrapped_label_are_placed_only_where_sums_hold() -> None:
    rows = [("1.甲乙丙", ["1", "2", "3", "4", "5", "6", "21"]), ("2.丁戊己", ["", "2", "", "4", "", "", "6"])]
    lines = [_line(label, values, STARTS) for label, values in rows]
    lines += ["", "3.庚辛壬癸", _line("", ["", "", "6", "", "", "", "6"], STARTS), "子丑寅卯", ""]
    table = [r for r in text_to_document("\n\n".join(lines[:2]) + "\n" + "\n".join(lines[2:])).rows() if r.in_table]
    label, *middle = table[-1].cells
    assert label.text == "3.庚辛壬癸子丑寅卯"  # the label's lines around the values are the row's label
    assert [cell.text for cell in middle] == ["6", "6"] and all(cell.blanks_need_sums for cell in middle)
    assert choose_window(middle, 7, None, lambda cells: False) is None
    placed = choose_window(middle, 7, None, lambda cells: True)
    assert placed is not None and [cell.text for cell in placed] == ["", "", "6", "", "", "", "6"]


def test_header_lines_holding_more_cells_than_a_table_header_place_nothing() -> None:
    text = _after_a_stretch([*GROUPED, "  1             7                 9"])
    assert _placed(text_to_document(text, LayoutSettings(columns_header_max_cells=6))) == [[]]
    assert _placed(text_to_document(text, LayoutSettings(columns_header_max_cells=7))) == [["1", "", "7", "", "9"]]
