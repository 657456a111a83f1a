"""Extraction rules on small reports built here: labels, label-less rows, ambiguity, formats."""

from __future__ import annotations

from nianbao import parse_bytes
from nianbao.document import UNCERTAIN_ORDER, Row, TextCell
from nianbao.extract.t4 import extract_t4
from nianbao.report import Report
from nianbao.settings import ExtractSettings

T3_HEAD = "三、收到和处理政府信息公开申请情况\n"
T4_HEAD = "四、政府信息公开行政复议、行政诉讼情况\n"
T4_ROW = "\t".join(["0"] * 15) + "\n"


def _parse(body: str, title: str = "青石县人民政府办公室2023年政府信息公开工作年度报告") -> Report:
    return parse_bytes(f"{title}\n一、总体情况\n正文。\n{body}".encode(), "test.txt")


def _row(label: str, *numbers: int | str) -> str:
    return "| " + " | ".join([label, *map(str, numbers)]) + " |\n"


def _rules(report: Report) -> list[str]:
    return [f.rule for f in report.findings]


def test_rows_found_by_label_whatever_their_order_and_numbering() -> None:
    body = (T3_HEAD + _row("(二) 部分公开", 1, 0, 0, 0, 0, 0, 1)
            + _row("一、本年新收政府信息公开申请数量", 5, 0, 0, 0, 0, 0, 5))
    report = _parse(body + T4_HEAD + T4_ROW)
    assert report.tables.t3["partially_granted"]["natural_person"].value == 1
    assert report.tables.t3["new_received"]["total"].raw == "5"


def test_typo_in_label_is_matched() -> None:
    report = _parse(T3_HEAD + _row("2.其他法律行政止公开", 2, 0, 0, 0, 0, 0, 2) + T4_HEAD + T4_ROW)
    assert report.tables.t3["denied_prohibited_by_law"]["total"].value == 2


def test_label_less_rows_between_two_labelled_rows_are_placed_in_order() -> None:
    body = (T3_HEAD + _row("（一）予以公开", 1, 0, 0, 0, 0, 0, 1)
            + "| 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n"
            + _row("1.属于国家秘密", 3, 0, 0, 0, 0, 0, 3))
    report = _parse(body + T4_HEAD + T4_ROW)
    assert report.tables.t3["partially_granted"]["total"].value == 2
    assert "S.row_by_order" in _rules(report)


def test_label_less_rows_that_do_not_fit_the_gap_are_reported_not_used() -> None:
    body = (T3_HEAD + _row("（一）予以公开", 1, 0, 0, 0, 0, 0, 1)
            + "| 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n| 4 | 0 | 0 | 0 | 0 | 0 | 4 |\n"
            + _row("1.属于国家秘密", 3, 0, 0, 0, 0, 0, 3))
    report = _parse(body + T4_HEAD + T4_ROW)
    assert "partially_granted" not in report.tables.t3
    assert _rules(report).count("S.unplaced_row") == 2


def test_values_no_row_can_take_name_the_rows_they_may_belong_to() -> None:
    """Three values between two labelled rows that two rows lack: under seven columns they are no row's, and
    the finding names both rows left between the neighbours."""
    body = (T3_HEAD + _row("3.要求提供公开出版物", 0, 0, 0, 0, 0, 0, 0) + "1 0 1\n"
            + _row("（六）其他处理", 0, 0, 0, 0, 0, 0, 0))
    report = _parse(body + T4_HEAD + T4_ROW)
    unplaced = [f for f in report.findings if f.rule == "S.unplaced_row"]
    assert [f.cells for f in unplaced] == [["t3.rejected_excessive", "t3.rejected_confirm_reissue"]]
    assert "可能属于“4.无正当理由大量反复申请”、“5.要求行政机关确认或重新出具已获取信息”" in unplaced[0].message


def test_values_under_the_label_of_the_one_row_a_gap_lacks_are_that_rows() -> None:
    """A label wrapped over two lines, its values on the line after: the row's, its blank cells placed by the
    identities where they can be (the last of 1 0 1 is the 总计 wherever the blanks stand), missing elsewhere."""
    body = (T3_HEAD + _row("4.无正当理由大量反复申请", 0, 0, 0, 0, 0, 0, 0)
            + "5.要求行政机关确认或重新出具已\n获取信息\n1 0 1\n" + _row("（六）其他处理", 0, 0, 0, 0, 0, 0, 0))
    report = _parse(body + T4_HEAD + T4_ROW)
    assert {k: c.raw for k, c in report.tables.t3["rejected_confirm_reissue"].items()} == {"total": "1"}
    assert any(f.rule == "S.blanks_partly" and f.cells[0].startswith("t3.rejected_confirm_reissue.")
               for f in report.findings)
    assert "S.unplaced_row" not in _rules(report)


def test_a_table_two_row_printed_as_its_label_alone_is_a_missing_row() -> None:
    body = ("二、主动公开政府信息情况\n第二十条第（五）项\n信息内容\n本年处理决定数量\n行政许可\n"
            "第二十条第（八）项\n信息内容\n本年收费金额（单位：万元）\n行政事业性收费\n0.25\n")
    report = _parse(body + T3_HEAD + T4_HEAD + T4_ROW)
    assert report.tables.t2["art20_8"]["admin_fee"]["fee_amount"].value == 0.25
    missing = [f.cells for f in report.findings if f.rule == "S.missing_row"]
    assert ["t2.art20_5.admin_license"] in missing and ["t2.art20_8.admin_fee"] not in missing


def test_row_with_too_few_values_is_ambiguous_not_guessed() -> None:
    """``3 3`` under seven columns: the first 3 may be any applicant's, the last is the 总计 in every placement."""
    report = _parse(T3_HEAD + "1.属于国家秘密 3 3\n" + T4_HEAD + T4_ROW)
    assert {key: cell.raw for key, cell in report.tables.t3["denied_state_secret"].items()} == {"total": "3"}
    partly = [f for f in report.findings if f.rule == "S.blanks_partly"]
    assert partly and "有6种空白位置" in partly[0].message and "？ ？ ？ ？ ？ ？ 3" in partly[0].message


def test_merged_cell_gaps_that_vary_by_row() -> None:
    body = (T3_HEAD + "一、本年新收政府信息公开申请数量\t\t4\t0\t0\t0\t0\t0\t4\t\t\n"
            + "\t(三) 不予公开\t1.属于国家秘密\t\t1\t0\t0\t0\t0\t0\t1\n"
            + "\t\t2.其他法律行政法规禁止公开\t\t\t\t\t\t\t\t\n")
    report = _parse(body + T4_HEAD + T4_ROW)
    t3 = report.tables.t3
    assert [t3["new_received"][c].raw for c in ("natural_person", "total")] == ["4", "4"]
    assert t3["denied_state_secret"]["natural_person"].value == 1
    assert all(cell.raw == "" for cell in t3["denied_prohibited_by_law"].values())


def test_2021_tables_with_a_single_other_handling_row_keep_the_printed_row() -> None:
    body = ("二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n"
            + T3_HEAD + _row("（六）其他处理", 1, 0, 0, 0, 0, 0, 1) + _row("（七）总计", 1, 0, 0, 0, 0, 0, 1))
    report = _parse(body + T4_HEAD + T4_ROW)
    assert report.template == "2021"
    assert "other_handling" in report.tables.t3 and "other_other" not in report.tables.t3
    assert "S.template_mixed" in _rules(report)


def test_template_from_labels_not_year() -> None:
    body = "二、主动公开政府信息情况\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n规章\t0\t0\t0\n"
    report = _parse(body + T3_HEAD + T4_HEAD + T4_ROW)
    assert report.template == "2019"
    assert "S.template_year" in _rules(report)


def test_table2_label_and_value_on_separate_lines() -> None:
    body = ("二、主动公开政府信息情况\n第二十条第（八）项\n信息内容\t本年收费金额（单位：万元）\n\n行政事业性收费\n\n"
            "0.25\n" + T3_HEAD + T4_HEAD + T4_ROW)
    assert _parse(body).tables.t2["art20_8"]["admin_fee"]["fee_amount"].value == 0.25


def test_table2_cell_pushed_out_of_its_row_goes_where_its_note_says() -> None:
    body = ("二、主动公开政府信息情况\n第二十条第（一）项\n9\n（含自然失效 3 件）\n"
            "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| 规章 | 2 | 40 |\n"
            + T3_HEAD + T4_HEAD + T4_ROW)
    report = _parse(body)
    row = report.tables.t2["art20_1"]["regulation"]
    assert (row["issued"].raw, row["repealed"].value, row["in_force"].raw) == ("2", 9, "40")
    assert "S.cell_by_note" in _rules(report)


def test_table4_split_into_one_table_per_group() -> None:
    body = T3_HEAD + T4_HEAD + "".join(f"### 组{i}\n| 1 | 0 | 0 | 0 | 1 |\n" for i in range(3))
    t4 = _parse(body).tables.t4
    assert [t4[k].value for k in ("review_total", "lit_direct_total", "lit_after_review_upheld")] == [1, 1, 1]


def test_every_cell_carries_where_it_was_found() -> None:
    report = _parse(T3_HEAD + _row("2.重复申请", 1, 0, 0, 0, 0, 0, 1) + T4_HEAD + T4_ROW)
    assert report.tables.t3["rejected_duplicate"]["total"].at["line"] == 5
    assert all(cell.at for cell in report.tables.t4.values())


def _lines(label: str, *numbers: int | str) -> str:
    """A row printed one cell per line with no marker, as plain pdftotext prints a table."""
    return "\n".join([label, *map(str, numbers)]) + "\n"


def test_table_printed_one_bare_cell_per_line() -> None:
    body = (T3_HEAD + "申请人情况\n自然人\n法人或其他组织\n商业\n企业\n总计\n"
            + _lines("一、本年新收政府信息公开申请数量", 5, 0, 0, 0, 0, 1, 6)
            + "（二）部分公开（区分处理的，只计这一情\n" + _lines("形，不计其他情形）", 1, 0, 0, 0, 0, 0, 1)
            + T4_HEAD + "\n".join(["0"] * 15) + "\n")
    report = _parse(body)
    assert [report.tables.t3["new_received"][c].value for c in ("natural_person", "other_org", "total")] == [5, 1, 6]
    label_line = body.split("\n").index("形，不计其他情形）") + 4  # the title and the first section come first
    assert report.tables.t3["partially_granted"]["total"].at == {"line": label_line + 7}
    assert report.tables.t4["review_total"].value == 0


def test_bare_values_of_several_rows_after_one_label_are_split_by_the_table_width() -> None:
    body = (T3_HEAD + _lines("二、上年结转政府信息公开申请数量", 1, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 2,
                             3, 0, 0, 0, 0, 0, 3)
            + _lines("（三）不予公开", "") + _lines("1.属于国家秘密", 4, 0, 0, 0, 0, 0, 4) + T4_HEAD + T4_ROW)
    report = _parse(body)
    assert [report.tables.t3[k]["total"].value for k in ("carried_over", "granted", "partially_granted",
                                                          "denied_state_secret")] == [1, 2, 3, 4]
    assert _rules(report).count("S.row_by_order") == 2


def test_bare_values_that_are_not_whole_rows_are_not_split() -> None:
    body = (T3_HEAD + _lines("二、上年结转政府信息公开申请数量", *([1] * 12))
            + _lines("1.属于国家秘密", 4, 0, 0, 0, 0, 0, 4) + T4_HEAD + T4_ROW)
    report = _parse(body)
    assert "carried_over" not in report.tables.t3
    assert "S.ambiguous_row" in _rules(report)


def test_a_row_label_broken_by_a_page_is_joined_and_keeps_its_values() -> None:
    head = _row("（三）不予公开", "2.其他法", 3, 0, 0, 0, 0, 0, 3)
    tail = _row("", "律行政法规禁止公开", "", "", "", "", "", "", "")
    report = _parse(T3_HEAD + _row("（三）不予公开", "1.属于国家秘密", 1, 0, 0, 0, 0, 0, 1) + head + tail
                    + _row("", "3.危及“三安全一稳定”", 2, 0, 0, 0, 0, 0, 2) + T4_HEAD + T4_ROW)
    assert report.tables.t3["denied_prohibited_by_law"]["total"].raw == "3"
    assert report.tables.t3["denied_security_stability"]["total"].raw == "2"
    assert "S.duplicate_row" not in _rules(report) and "S.unplaced_row" not in _rules(report)


def test_halves_that_both_hold_values_are_not_joined() -> None:
    head = _row("（三）不予公开", "2.其他法", 3, 0, 0, 0, 0, 0, 3)
    tail = _row("", "律行政法规禁止公开", 4, 0, 0, 0, 0, 0, 4)
    report = _parse(T3_HEAD + head + tail + T4_HEAD + T4_ROW)
    assert report.tables.t3["denied_prohibited_by_law"]["total"].raw == "4"  # the tail's own values


def test_a_row_of_blank_cells_whose_label_no_wording_names_is_a_missing_row() -> None:
    labels = ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（一）表格此行字迹无法辨认")
    rows = "".join(_row(label, *[""] * 7) for label in labels)
    report = _parse(T3_HEAD + rows + T4_HEAD + T4_ROW)
    missing = {f.cells[0] for f in report.findings if f.rule == "S.missing_row"}
    assert "t3.granted" in missing and "t3.new_received" not in missing
    assert all(f.severity == "warning" for f in report.findings if f.rule == "S.missing_row")


def test_a_wide_row_of_blank_cells_above_the_values_is_no_table_four() -> None:
    """A grid a page break left wider than 表四 (16 columns, one covered by a span) prints an empty row above the
    values: the values are read, never the empty row's blanks."""
    values = ["1", "0", "7", "", "8", "2", "7", "1", "—", "10", "1", "2", "2", "无", "5"]

    def wide(texts: list[str], top: int) -> Row:
        cells = [TextCell(text, {"page": 7, "bbox": [50.0 + 40 * i, top, 90.0 + 40 * i, top + 40]})
                 for i, text in enumerate(texts)]
        cells.insert(6, TextCell("", {"page": 7, "bbox": [290.0, top, 330.0, top + 40]}, merged=True))
        return Row(cells, cells[0].at, True)

    t4, findings = extract_t4([wide([""] * 15, 75), wide(values, 128)], "2021", ExtractSettings())
    assert [cell.raw for cell in t4.values()] == values and not findings


def test_marks_alone_in_a_table_four_whose_header_broke_its_order_state_nothing() -> None:
    """Three 无 printed in an order a broken header leaves uncertain: with no number anywhere in the section,
    every cell states nothing (each 无 read as its group's 总计, as a 无 merged across a group is); one number
    anywhere and the row stays missing."""
    def line(texts: list[str], number: int, order: str | None = None) -> Row:
        at = {"line": number, **({"order": order} if order else {})}
        return Row([TextCell(text, {"line": number, "cell": i}) for i, text in enumerate(texts)], at, True)

    header = [line(["行政复议", "行政诉讼"], 1), line(["总", "计"], 2)]
    marks = line(["无", "无", "无"], 3, UNCERTAIN_ORDER)
    t4, findings = extract_t4([*header, marks], "2021", ExtractSettings())
    assert [key for key, cell in t4.items() if cell.raw] == ["review_total", "lit_direct_total",
                                                               "lit_after_review_total"]
    assert len(t4) == 15 and all(cell.value is None for cell in t4.values()) and not findings
    t4, findings = extract_t4([*header, line(["2"], 3), marks], "2021", ExtractSettings())
    assert not t4 and [f.rule for f in findings] == ["S.ambiguous_row"]


def test_values_under_a_row_an_agency_added_are_not_the_row_above_it() -> None:
    """行政强制 printed its label alone (a blank cell printing nothing), then the agency's own 行政检查 row with its
    value: the value is 行政检查's, never 行政强制's, on one line or on its own."""
    for rows in ("行政强制\n行政检查\n0\n", "行政强制\t行政检查\t0\n"):
        body = ("二、主动公开政府信息情况\n第二十条第（六）项\n信息内容\n本年处理决定数量\n行政处罚\n18\n" + rows
                + "第二十条第（八）项\n信息内容\n本年收费金额（单位：万元）\n行政事业性收费\n0.25\n")
        report = _parse(body + T3_HEAD + T4_HEAD + T4_ROW)
        assert report.tables.t2["art20_6"]["admin_penalty"]["decisions"].raw == "18"
        assert "admin_coercion" not in report.tables.t2["art20_6"]


def _paragraphs(*pieces: str) -> list[Row]:
    """One row per line of each piece (its characters a line when set apart by spaces, a label printed vertically),
    an empty line between pieces (a table printed cell by cell, plain pdftotext)."""
    rows: list[Row] = []
    line = 0
    for piece in pieces:
        for text in piece.split():
            rows.append(Row([TextCell(text, {"line": line, "cell": 0})], {"line": line}, True))
            line += 1
        line += 1
    return rows


HEADER = ["结 果 维 持", "结 果 纠 正", "其 他 结 果", "尚 未 审 结", "总 计"]
"""表四's result labels, printed a character a line."""


def test_table_four_printed_a_value_a_paragraph_with_its_header_between_runs_is_read_where_the_header_shows_order(
        ) -> None:
    """Plain pdftotext reads 表四's vertical header column by column: a group's values come after pieces of the
    column labels, in another order than the columns' (2 0 1 1 4 for 1 1 2 0 4) where the pieces of several columns
    stand side by side, though each run ends where a group ends and the sums hold. Such values are left missing; where
    the labels before each run are whole, in the columns' order, one for each of its values, they are read."""
    first = ["1", "0", "0", "0", "1"]
    rest = ["0", "0", "0", "7", "7", "2", "0", "1", "1", "4"]
    head = ["四、政府信息公开行政复议、行政诉讼情况", "行政复议", "行政诉讼"]
    across = ["尚 未 总 审 计 结", "结 结 总 果 果 计 维 纠 持 正"]  # pieces of several columns side by side
    mixed = ["未经复议直接起诉", "复议后起诉", *HEADER[:3], *across, *HEADER[2:4]]
    t4, findings = extract_t4(_paragraphs(*head, *HEADER, *first, *mixed, *rest), "2021", ExtractSettings())
    assert not t4 and [f.rule for f in findings] == ["S.ambiguous_row"]
    shown = ["未经复议直接起诉 复议后起诉", *HEADER, *HEADER]
    t4, findings = extract_t4(_paragraphs(*head, *HEADER, *first, *shown, *rest), "2021", ExtractSettings())
    assert " ".join(cell.raw for cell in t4.values()) == " ".join(first + rest) and not findings
