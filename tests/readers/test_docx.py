"""DOCX reader: documents built with python-docx in the official merged-cell geometry, cell text, nesting."""

from __future__ import annotations

from io import BytesIO

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from nianbao.document import Document, Paragraph, Table
from nianbao.errors import NianbaoError
from nianbao.readers import read_bytes
from nianbao.readers.docx import read as read_docx
from nianbao.settings import DEFAULTS

from .official import NOTE, ORGS, T3_COLS, T3_ROWS, VERTICAL, Anchor, expected_grid, t3_anchors


def write_cell(cell, text: str) -> None:
    """Labels as authors type them: the vertical group label one character per paragraph, 商业/企业 on two."""
    if text == VERTICAL:
        cell.text = text[:2]
        for char in text[2:]:
            cell.add_paragraph(char)
    elif text == "商业企业":
        cell.text = "商业"
        cell.add_paragraph("企业")
    else:
        cell.text = text


def add_table(container, anchors: list[Anchor], rows: int, cols: int):
    table = container.add_table(rows=rows, cols=cols)
    for r, c, rowspan, colspan, text in anchors:
        cell = table.cell(r, c)
        if rowspan > 1 or colspan > 1:
            cell = cell.merge(table.cell(r + rowspan - 1, c + colspan - 1))
        write_cell(cell, text)
    return table


def saved(document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def parse(data: bytes) -> Document:
    return read_docx(data, "test.docx", DEFAULTS)


def grids(document: Document) -> list[list[list[str]]]:
    return [[[c.text for c in row] for row in b.rows] for b in document.blocks if isinstance(b, Table)]


def outline(document: Document) -> list[tuple[str, object]]:
    return [("P", b.text) if isinstance(b, Paragraph) else ("T", len(b.rows)) for b in document.blocks]


@pytest.fixture(scope="module")
def report() -> Document:
    """A short report: heading, narrative, the official 表三, closing line."""
    document = docx.Document()
    document.add_paragraph("某某县人民政府2023年政府信息公开工作年度报告")
    document.add_paragraph("")
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    add_table(document, t3_anchors(), T3_ROWS, T3_COLS)
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    return parse(saved(document))


# --- the official geometry -------------------------------------------------------------------------------------


def test_t3_merged_cells_are_expanded_exactly(report: Document) -> None:
    [grid] = grids(report)
    assert grid == expected_grid(t3_anchors(), T3_ROWS, T3_COLS)
    assert grid[1] == ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"]
    assert grid[2][4:9] == ORGS
    assert grid[5][:4] == [VERTICAL, "（一）予以公开", "", "50"]
    assert grid[15][1:4] == ["（四）无法提供", "1.本机关不掌握相关政府信息", "150"]


def test_t3_merged_regions_are_read_once(report: Document) -> None:
    [grid] = grids(report)
    flat = [text for row in grid for text in row]
    for label in [NOTE, "申请人情况", "自然人", "法人或其他组织", "总计", VERTICAL, "（三）不予公开", "（五）不予处理"]:
        assert flat.count(label) == 1, label
    assert [grid[r][0] for r in range(6, 27)] == [""] * 21
    assert grid[0][1:3] == ["", ""] and grid[2][:3] == ["", "", ""]


def test_reading_order_and_provenance(report: Document) -> None:
    assert outline(report) == [
        ("P", "某某县人民政府2023年政府信息公开工作年度报告"),
        ("P", "三、收到和处理政府信息公开申请情况"),
        ("T", T3_ROWS),
        ("P", "四、政府信息公开行政复议、行政诉讼情况"),
    ]
    first, heading, table, last = report.blocks
    assert first.at == {"paragraph": 0} and heading.at == {"paragraph": 2} and last.at == {"paragraph": 3}
    assert isinstance(table, Table) and table.at == {"table": 0, "block": 2}
    assert table.rows[9][2].at == {"table": 0, "row": 9, "col": 2}
    assert report.format == "docx"


# --- cell and paragraph text -----------------------------------------------------------------------------------


def test_cell_text_joins_paragraphs_and_breaks_cjk_aware() -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=4)
    table.cell(0, 0).text = "（三）"
    table.cell(0, 0).add_paragraph("不予公开")
    run = table.cell(0, 1).paragraphs[0].add_run("1.属于国家")
    run.add_break()
    run.add_text("秘密")
    table.cell(0, 2).text = "Total"
    table.cell(0, 2).add_paragraph("count")
    table.cell(0, 3).paragraphs[0].add_run("12\t")
    assert grids(parse(saved(document))) == [[["（三）不予公开", "1.属于国家秘密", "Total count", "12"]]]


def test_paragraph_line_breaks_make_separate_paragraphs() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("一、总体情况")
    paragraph.add_run().add_break()
    paragraph.add_run("2023年，我局认真贯彻《条例》。")
    blocks = parse(saved(document)).blocks
    assert [(b.text, b.at) for b in blocks] == [("一、总体情况", {"paragraph": 0, "line": 0}),
                                                 ("2023年，我局认真贯彻《条例》。", {"paragraph": 0, "line": 1})]


def test_hyperlink_insertion_and_smart_tag_text_is_kept_deleted_text_is_not() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("见")
    paragraph._p.append(parse_xml(
        f'<w:hyperlink {nsdecls("w", "r")} r:id="rId99"><w:r><w:t>政府网站</w:t></w:r></w:hyperlink>'))
    paragraph._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="1" w:author="a"><w:r><w:t>（新增）</w:t></w:r>'
                                  f"</w:ins>"))
    paragraph._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="2" w:author="a"><w:r><w:delText>删除</w:delText>'
                                  f"</w:r></w:del>"))
    paragraph._p.append(parse_xml(f'<w:smartTag {nsdecls("w")} w:uri="u" w:element="date"><w:r><w:t>2024年1月17日'
                                  f"</w:t></w:r></w:smartTag>"))
    assert [b.text for b in parse(saved(document)).blocks] == ["见政府网站（新增）2024年1月17日"]


# --- grid details ----------------------------------------------------------------------------------------------


def test_phantom_column_covered_in_every_row_is_dropped() -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=4)
    for r, (label, number, last) in enumerate([("信息内容", "本年制发件数", "现行有效件数"), ("规章", "5", "7"),
                                              ("行政规范性文件", "8", "9")]):
        table.cell(r, 0).text = label
        table.cell(r, 1).merge(table.cell(r, 2)).text = number
        table.cell(r, 3).text = last
    assert grids(parse(saved(document))) == [[["信息内容", "本年制发件数", "现行有效件数"], ["规章", "5", "7"],
                                               ["行政规范性文件", "8", "9"]]]


def test_blank_value_column_is_kept() -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=4)
    table.cell(0, 0).text = "一、本年新收政府信息公开申请数量"
    table.cell(0, 1).text = "3"
    table.cell(0, 3).text = "3"
    assert grids(parse(saved(document))) == [[["一、本年新收政府信息公开申请数量", "3", "", "3"]]]


def test_grid_before_leaves_leading_positions_empty() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for c, text in enumerate(["项目", "本年", "上年"]):
        table.cell(0, c).text = text
    cells = "".join(f"<w:tc><w:p><w:r><w:t>{n}</w:t></w:r></w:p></w:tc>" for n in (4, 5))
    shifted = parse_xml(f'<w:tr {nsdecls("w")}><w:trPr><w:gridBefore w:val="1"/></w:trPr>{cells}</w:tr>')
    table.rows[1]._tr.getparent().replace(table.rows[1]._tr, shifted)
    assert grids(parse(saved(document))) == [[["项目", "本年", "上年"], ["", "4", "5"]]]


def test_vertical_continuation_that_holds_text_keeps_it() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "合并"
    table.cell(0, 1).text = "1"
    table.cell(1, 1).text = "2"
    continuation = table.rows[1]._tr.tc_lst[0]
    continuation.append(parse_xml(f'<w:p {nsdecls("w")}><w:r><w:t>残留</w:t></w:r></w:p>'))
    assert grids(parse(saved(document))) == [[["合并", "1"], ["残留", "2"]]]


def test_table_inside_a_content_control_is_read() -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "规章"
    table.cell(0, 1).text = "0"
    sdt = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtPr/><w:sdtContent/></w:sdt>')
    table._tbl.addprevious(sdt)
    sdt[1].append(table._tbl)
    assert grids(parse(saved(document))) == [[["规章", "0"]]]


# --- nested tables ---------------------------------------------------------------------------------------------


def test_layout_table_is_dissolved_around_the_report_table() -> None:
    document = docx.Document()
    document.add_paragraph("标题")
    frame = document.add_table(rows=1, cols=1)
    cell = frame.cell(0, 0)
    cell.text = "三、收到和处理政府信息公开申请情况"
    add_table(cell, t3_anchors(), T3_ROWS, T3_COLS)
    cell.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    parsed = parse(saved(document))
    assert outline(parsed) == [("P", "标题"), ("P", "三、收到和处理政府信息公开申请情况"), ("T", T3_ROWS),
                               ("P", "四、政府信息公开行政复议、行政诉讼情况")]
    assert grids(parsed)[0] == expected_grid(t3_anchors(), T3_ROWS, T3_COLS)


def test_small_table_nested_in_a_cell_becomes_its_own_table() -> None:
    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "说明"
    inner = outer.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "行政许可"
    inner.cell(0, 1).text = "3"
    parsed = parse(saved(document))
    assert outline(parsed) == [("P", "说明"), ("T", 1)]
    assert grids(parsed) == [[["行政许可", "3"]]]


# --- errors and dispatch ---------------------------------------------------------------------------------------


def test_corrupt_docx_is_an_error() -> None:
    good = bytearray(saved(docx.Document()))
    with pytest.raises(NianbaoError) as caught:
        read_docx(bytes(good[: len(good) // 2]), "broken.docx", DEFAULTS)
    assert caught.value.code == "corrupt" and "broken.docx" in str(caught.value)


def test_dispatcher_reads_docx() -> None:
    document = docx.Document()
    document.add_paragraph("年度报告")
    parsed = read_bytes(saved(document), "x.docx")
    assert parsed.format == "docx" and [b.text for b in parsed.blocks] == ["年度报告"]

