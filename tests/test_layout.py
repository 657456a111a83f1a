"""Flattened text → table rows, one test per flattening style, on text built here."""

from nianbao.readers.layout import text_to_document


def _rows(text: str) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in text_to_document(text).rows() if row.in_table]


def test_cell_per_line_with_vertical_labels_and_blank_line_inside_a_cell() -> None:
    text = ("\t规章\n\t0\n\t\n\t3\n\n"
            "\t三、\n本\n年\n度\n办\n理\n结\n果\n\t（一）予以公开\n\t1\n\n"
            "\t结果\n\n维持\n\t结果纠正\n")
    assert _rows(text) == [["规章", "0", "", "3"], ["三、本年度办理结果", "（一）予以公开", "1"],
                           ["结果维持", "结果纠正"]]


def test_cell_lines_keep_their_line_numbers() -> None:
    rows = list(text_to_document("标题\n\t规章\n\t7\n").rows())
    assert [c.at["line"] for c in rows[1].cells] == [2, 3]


def test_tab_rows_keep_empty_cells() -> None:
    assert _rows("\t\t2.重复申请\t\t0\t1\t\n规章\t0\t0\t0\n") == [
        ["", "", "2.重复申请", "", "0", "1", ""], ["规章", "0", "0", "0"]]


def test_pipe_rows_and_collapsed_empty_cells() -> None:
    assert _rows("规章 | 0 | 0 | 0 |\n第二十条第(一)项 | |||\n") == [
        ["规章", "0", "0", "0"], ["第二十条第(一)项", "", "", ""]]


def test_pipe_rows_without_an_opening_bar_keep_a_blank_first_cell() -> None:
    text = "结果维持 | 结果纠正 | 总计 |\n | 2 | 2 |\n| 3 | 3 |\n"
    assert _rows(text) == [["结果维持", "结果纠正", "总计"], ["", "2", "2"], ["", "3", "3"]]
    assert _rows("| 结果维持 | 总计 |\n| 1 | 1 |\n") == [["结果维持", "总计"], ["1", "1"]]


def test_markdown_table_drops_rule_lines() -> None:
    text = "| 信息内容 | 本年制发件数 |\n|---|---|\n| 规章 | 4 |\n"
    assert _rows(text) == [["信息内容", "本年制发件数"], ["规章", "4"]]


def test_tab_separated_rule_line_is_dropped() -> None:
    assert _rows("0\t0\t0\n---\t---\t---\n") == [["0", "0", "0"]]


def test_cells_separated_by_bar_lines() -> None:
    assert _rows("信息内容\n|\n本年制发件数\n|\n本年废止件数\n") == [["信息内容", "本年制发件数", "本年废止件数"]]


def test_space_aligned_columns_and_label_then_numbers() -> None:
    text = "规章          0        2       14\n行政许可 97\n0 0 0 1 1\n"
    assert _rows(text) == [["规章", "0", "2", "14"], ["行政许可", "97"], ["0", "0", "0", "1", "1"]]


def test_narrative_stays_a_paragraph() -> None:
    document = text_to_document("2020年，本机关共收到申请15件，全部按期答复。\n2021年1月30日\n")
    assert [row.in_table for row in document.rows()] == [False, False]


def test_page_furniture_is_dropped() -> None:
    text = "\t规章\n\t1\n\n- 4 -\n— 5 —\n第 2 页 共 4 页\n\t规范性文件\n\t2\n"
    assert _rows(text) == [["规章", "1"], ["规范性文件", "2"]]


def test_a_dash_ruled_simple_table_keeps_blank_cells_in_their_columns() -> None:
    text = ("  ------------ ------ ------ ------\n"
            "  行政处罚       12              12\n"
            "  行政强制              3        3\n"
            "\n正文。\n")
    assert _rows(text) == [["行政处罚", "12", "", "12"], ["行政强制", "", "3", "3"]]


def test_a_dash_ruled_multiline_table_joins_the_lines_of_each_row() -> None:
    text = ("  ------------ ------ ------\n"
            "  2.其他法律     5\n"
            "  行政法规禁止          5\n"
            "  公开\n"
            "\n"
            "  3.危及         —       2\n"
            "  ------------ ------ ------\n"
            "正文。\n")
    assert _rows(text) == [["2.其他法律行政法规禁止公开", "5", "5"], ["3.危及", "—", "2"]]


def test_a_dash_ruled_row_of_blank_cells_stays_a_row() -> None:
    text = ("  ---------------------------------- ------ ------\n"
            "  一、本年新收政府信息公开申请数量               无\n"
            "  二、上年结转政府信息公开申请数量\n"
            "  ---------------------------------- ------ ------\n"
            "正文。\n")
    assert _rows(text) == [["一、本年新收政府信息公开申请数量", "", "无"], ["二、上年结转政府信息公开申请数量", "", ""]]


def test_a_bare_number_that_is_its_page_number_at_the_page_edge_is_furniture() -> None:
    document = text_to_document("行政处罚 5\n行政强制\n1\n\f第二十条第（八）项\n2\n\f第三页\n")
    texts = [cell.text for row in document.rows() for cell in row.cells]
    assert "1" not in texts and "2" not in texts


def test_values_one_per_line_cut_by_a_page_break_are_of_uncertain_order() -> None:
    document = text_to_document("一、本年新收政府信息公开申请数量\n250\n1\n第2页\n0\n250\n")
    after = [row for row in document.rows() if row.cells[0].text == "0"]
    assert after and after[0].at.get("order") == "uncertain"


def test_pipe_rows_under_a_header_of_cells_wrapped_over_lines_keep_a_blank_first_cell() -> None:
    """A header whose cells print a character a line (``议 | 行``: the table opens its rows with no bar) above a row
    whose first cell is blank: the row's opening bar closes that blank cell."""
    text = "行\n政\n复\n议 | 总\n计 |\n | 0 | 1 |\n"
    assert _rows(text)[-1] == ["", "0", "1"]
    assert _rows("| 总 |\n| 计 |\n| 0 | 1 |\n")[-1] == ["0", "1"]

