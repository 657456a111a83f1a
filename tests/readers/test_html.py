"""HTML reader: merged-cell geometry of the official tables, encodings, Word-exported markup, layout tables."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nianbao.document import Paragraph, Table
from nianbao.errors import NianbaoError
from nianbao.readers import read, read_bytes
from nianbao.readers.cells import clean_text, join_lines
from nianbao.readers.html import read as read_html
from nianbao.settings import DEFAULTS

from .official import NOTE, ORGS, T3_COLS, T3_ROWS, Anchor, expected_grid, t3_anchors, t4_anchors, value


def plain_cell(text: str) -> str:
    return text


def word_cell(text: str) -> str:
    """A cell as Word's "save as web page" writes it: MsoNormal paragraph, spans, <o:p>, wrapped source lines."""
    middle = len(text) // 2
    wrapped = f"{text[:middle]}\n  {text[middle:]}" if len(text) > 6 else text
    return (f"<p class=MsoNormal align=center style='text-align:center'><span lang=EN-US "
            f"style='font-size:10.5pt;font-family:\n宋体'>{wrapped}<o:p></o:p></span></p>")


def table_html(anchors: list[Anchor], rows: int, cell=plain_cell) -> str:
    lines = ["<table border=1>"]
    for r in range(rows):
        tds = []
        for _, _, rowspan, colspan, text in sorted(a for a in anchors if a[0] == r):
            spans = (f" rowspan={rowspan}" if rowspan > 1 else "") + (f" colspan={colspan}" if colspan > 1 else "")
            tds.append(f"<td{spans}>{cell(text)}</td>")
        lines.append(f"<tr>{''.join(tds)}</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def page(body: str, head: str = '<meta charset="utf-8">') -> bytes:
    return f"<!DOCTYPE html><html><head>{head}<title>页面标题</title></head><body>{body}</body></html>".encode()


def grids(data: bytes) -> list[list[list[str]]]:
    document = read_html(data, "test.html", DEFAULTS)
    return [[[c.text for c in row] for row in b.rows] for b in document.blocks if isinstance(b, Table)]


def texts(data: bytes) -> list[str]:
    return [b.text for b in read_html(data, "test.html", DEFAULTS).blocks if isinstance(b, Paragraph)]


# --- geometry of the official tables ---------------------------------------------------------------------------


@pytest.mark.parametrize("cell", [plain_cell, word_cell], ids=["plain", "word"])
def test_t3_official_geometry_is_expanded_exactly(cell) -> None:
    [grid] = grids(page(table_html(t3_anchors(), T3_ROWS, cell)))
    assert grid == expected_grid(t3_anchors(), T3_ROWS, T3_COLS)
    assert grid[0][:4] == [NOTE, "", "", "申请人情况"]
    assert grid[1] == ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"]
    assert grid[2][4:9] == ORGS
    assert grid[5][:4] == ["三、本年度办理结果", "（一）予以公开", "", "50"]
    assert grid[7][:4] == ["", "（三）不予公开", "1.属于国家秘密", "70"]
    assert grid[14][1:3] == ["", "8.属于行政查询事项"]
    assert grid[26] == ["", "（七）总计", "", *[value(26, k) for k in range(7)]]
    assert grid[27][0] == "四、结转下年度继续办理" and grid[27][-1] == "276"


def test_t3_merged_regions_are_read_once() -> None:
    [grid] = grids(page(table_html(t3_anchors(), T3_ROWS)))
    flat = [text for row in grid for text in row]
    for label in ["三、本年度办理结果", "（三）不予公开", "（六）其他处理", "申请人情况", "法人或其他组织", NOTE]:
        assert flat.count(label) == 1
    assert all(grid[r][0] == "" for r in range(6, 27))
    assert all(grid[r][1] == "" for r in range(8, 15))


def test_t3_provenance_is_the_grid_position() -> None:
    document = read_html(page("<p>前言</p>" + table_html(t3_anchors(), T3_ROWS)), "t.html", DEFAULTS)
    table = document.blocks[1]
    assert isinstance(table, Table)
    assert table.at == {"table": 0, "block": 1}
    assert table.rows[7][2].at == {"table": 0, "row": 7, "col": 2}
    assert all(len(row) == T3_COLS for row in table.rows)


def test_t4_official_geometry() -> None:
    [grid] = grids(page(table_html(t4_anchors(), 4)))
    assert grid[0] == ["行政复议", "", "", "", "", "行政诉讼", *[""] * 9]
    assert grid[1][:6] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉"]
    assert grid[1][10] == "复议后起诉"
    assert grid[2][:5] == [""] * 5
    assert grid[2][5:] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    assert grid[3] == [str(i) for i in range(1, 16)]


def test_t2_merged_value_cells_keep_their_column() -> None:
    html = """<table>
      <tr><td colspan=4>第二十条第（一）项</td></tr>
      <tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
      <tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>
      <tr><td colspan=4>第二十条第（五）项</td></tr>
      <tr><td>信息内容</td><td colspan=3>本年处理决定数量</td></tr>
      <tr><td>行政许可</td><td colspan=3>12</td></tr>
    </table>"""
    [grid] = grids(page(html))
    assert grid == [
        ["第二十条第（一）项", "", "", ""],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "0"],
        ["第二十条第（五）项", "", "", ""],
        ["信息内容", "本年处理决定数量", "", ""],
        ["行政许可", "12", "", ""],
    ]


def test_spans_beyond_the_table_and_zero_spans_are_clamped() -> None:
    html = "<table><tr><td rowspan=9>A</td><td colspan=0>B</td></tr><tr><td rowspan=0>1</td></tr></table>"
    assert grids(page(html)) == [[["A", "B"], ["", "1"]]]


def test_thead_tbody_tfoot_and_th() -> None:
    html = ("<table><thead><tr><th>项目</th><th>数量</th></tr></thead>"
            "<tbody><tr><td>规章</td><td>3</td></tr></tbody><tfoot><tr><td>合计</td><td>3</td></tr></tfoot></table>")
    assert grids(page(html)) == [[["项目", "数量"], ["规章", "3"], ["合计", "3"]]]


# --- phantom columns -------------------------------------------------------------------------------------------


def test_phantom_column_covered_everywhere_is_dropped() -> None:
    html = """<table>
      <tr><td>信息内容</td><td colspan=2>本年制发件数</td><td>现行有效件数</td></tr>
      <tr><td>规章</td><td colspan=2>5</td><td>7</td></tr>
      <tr><td>行政规范性文件</td><td>8</td><td></td><td>9</td></tr>
    </table>"""
    [grid] = grids(page(html))
    assert grid == [["信息内容", "本年制发件数", "现行有效件数"], ["规章", "5", "7"], ["行政规范性文件", "8", "9"]]


def test_blank_value_column_with_its_own_cells_is_kept() -> None:
    html = "<table><tr><td>一、本年新收</td><td>3</td><td></td><td>&nbsp;</td><td>3</td></tr></table>"
    assert grids(page(html)) == [[["一、本年新收", "3", "", "", "3"]]]


def test_ragged_rows_are_padded() -> None:
    html = "<table><tr><td>a</td><td>1</td><td>2</td></tr><tr><td>b</td><td>3</td></tr></table>"
    assert grids(page(html)) == [[["a", "1", "2"], ["b", "3", ""]]]


# --- text of cells and paragraphs ------------------------------------------------------------------------------


def test_word_exported_cells() -> None:
    html = """<table>
    <tr><td><p class=MsoNormal><span lang=EN-US>&nbsp;<o:p></o:p></span></p>
            <p class=MsoNormal><span>自然</span><span>人</span><span><o:p></o:p></span></p></td>
        <td><p>商业</p><p>企业</p></td>
        <td>三、<br>本<br>年<br>度<br>办<br>理<br>结<br>果</td>
        <td><p><span lang=EN-US>26<o:p></o:p></span></p></td>
        <td><span>（二）部分公开（区分处理的，只计这一情形，
              不计其他情形）</span></td>
        <td><![if !supportEmptyParas]>&nbsp;<![endif]><o:p></o:p></td>
        <td>Total<br>count</td></tr>
    </table>"""
    [[row]] = grids(page(html))
    assert row == ["自然人", "商业企业", "三、本年度办理结果", "26",
                   "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "", "Total count"]


def test_paragraphs_are_block_lines_in_document_order() -> None:
    body = """<nav><a>首页</a></nav><script>var x = "脚本";</script><style>p {color: red}</style>
      <h1>某某局2023年政府信息公开工作年度报告</h1>
      <div>一、总体情况<br>2023年，我局<b>认真</b>贯彻《条例》。</div>
      <p>二、主动公开政府信息情况</p>
      <table><tr><td>规章</td><td>0</td></tr></table>
      <ul><li>第一项</li><li>第二项</li></ul>尾部文字"""
    document = read_html(page(body), "t.html", DEFAULTS)
    kinds = [(type(b).__name__, b.text if isinstance(b, Paragraph) else None) for b in document.blocks]
    assert kinds == [
        ("Paragraph", "某某局2023年政府信息公开工作年度报告"),
        ("Paragraph", "一、总体情况"),
        ("Paragraph", "2023年，我局认真贯彻《条例》。"),
        ("Paragraph", "二、主动公开政府信息情况"),
        ("Table", None),
        ("Paragraph", "第一项"),
        ("Paragraph", "第二项"),
        ("Paragraph", "尾部文字"),
    ]
    assert [b.at for b in document.blocks[:2]] == [{"block": 0}, {"block": 1}]
    assert document.meta["title"] == "页面标题"
    assert document.format == "html"


def test_clean_text_and_join_lines() -> None:
    assert clean_text("  本年新收政府信息公开申请\n     数量 ") == "本年新收政府信息公开申请数量"
    assert clean_text("Annual\n report") == "Annual report"
    assert clean_text("信息公开年报\u00a0\u00a0\n其他") == "信息公开年报 其他"
    assert clean_text("\u200b商业\ufeff企业") == "商业企业"
    assert join_lines(["（三）", "不予", "公开"]) == "（三）不予公开"
    assert join_lines(["26", "件"]) == "26 件"
    assert join_lines(["", "a", "b"]) == "a b"


# --- layout tables ---------------------------------------------------------------------------------------------


def test_layout_table_does_not_swallow_the_report_table() -> None:
    body = f"""<table class=layout><tr><td>
        <p>三、收到和处理政府信息公开申请情况</p>
        {table_html(t3_anchors(), T3_ROWS)}
        <p>四、政府信息公开行政复议、行政诉讼情况</p>
        <table><tr><td><table><tr><td>深层</td><td>1</td></tr></table></td></tr></table>
      </td><td>侧栏</td></tr></table>"""
    document = read_html(page(body), "t.html", DEFAULTS)
    blocks = [(type(b).__name__, b.text if isinstance(b, Paragraph) else len(b.rows)) for b in document.blocks]
    assert blocks == [("Paragraph", "三、收到和处理政府信息公开申请情况"), ("Table", T3_ROWS),
                      ("Paragraph", "四、政府信息公开行政复议、行政诉讼情况"), ("Table", 1), ("Paragraph", "侧栏")]
    assert grids(page(body))[0] == expected_grid(t3_anchors(), T3_ROWS, T3_COLS)


def test_caption_becomes_a_paragraph_before_its_table() -> None:
    html = "<table><caption>表三 收到和处理政府信息公开申请情况</caption><tr><td>a</td></tr></table>"
    assert texts(page(html)) == ["表三 收到和处理政府信息公开申请情况"]


# --- encodings -------------------------------------------------------------------------------------------------


def gbk_page(meta: str) -> bytes:
    body = "<p>沭阳县发展和改革局</p>" + table_html(t3_anchors(), T3_ROWS)
    return f"<html><head>{meta}</head><body>{body}</body></html>".encode("gbk")


@pytest.mark.parametrize("meta", [
    '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
    '<meta charset="GBK">',
    "",
    '<meta charset="iso-8859-1">',
], ids=["gb2312-http-equiv", "gbk-meta-charset", "no-declaration", "wrong-latin1-declaration"])
def test_gbk_pages(meta: str) -> None:
    document = read_html(gbk_page(meta), "t.html", DEFAULTS)
    assert document.meta["encoding"] == "gb18030"
    assert texts(gbk_page(meta)) == ["沭阳县发展和改革局"]
    assert grids(gbk_page(meta))[0][5][0] == "三、本年度办理结果"


def test_declared_charset_wins_over_utf8_guess() -> None:
    data = '<html><head><meta charset="big5"></head><body><p>政府資訊公開</p></body></html>'.encode("big5")
    assert texts(data) == ["政府資訊公開"]


def test_utf8_page_that_still_declares_gb2312() -> None:
    data = '<html><head><meta charset="gb2312"></head><body><p>沭阳县发展和改革局</p></body></html>'.encode()
    assert texts(data) == ["沭阳县发展和改革局"]


def test_utf8_bom_and_xml_declaration() -> None:
    data = b"\xef\xbb\xbf" + '<?xml version="1.0" encoding="utf-8"?><html><body><p>年度报告</p></body></html>'.encode()
    assert texts(data) == ["年度报告"]


def test_utf16_with_bom() -> None:
    assert texts("<html><body><p>年度报告</p></body></html>".encode("utf-16")) == ["年度报告"]


def test_empty_input_is_an_error() -> None:
    with pytest.raises(NianbaoError) as caught:
        read_html(b"   ", "blank.html", DEFAULTS)
    assert caught.value.code == "empty"


def test_dispatcher_reads_html() -> None:
    document = read_bytes(page("<p>报告</p>"), "x.html")
    assert document.format == "html" and document.path == "x.html" and document.sha256


# --- the real corpus page --------------------------------------------------------------------------------------

CORPUS_PAGE = ("corpus/raw/zxj6827111-blip__KIROGOVCOMPARE/tests/"
               "沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局_2025-12-30.html")


def shared_file(relative: str) -> Path:
    """A file of the shared project folder (the repo's sibling ``../shared``); skips when it is absent."""
    path = Path(__file__).resolve().parents[2].parent / "shared" / relative
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing (CI must provide ../shared)")
        pytest.skip(f"{path} not found: the shared corpus is not checked out next to the repo")
    return path


def test_corpus_portal_page() -> None:
    document = read(shared_file(CORPUS_PAGE))
    tables = [b for b in document.blocks if isinstance(b, Table)]
    grid = [[[c.text for c in row] for row in t.rows] for t in tables]
    assert len(tables) == 4
    assert grid[1][3] == ["规范性文件", "8", "0", "18"]
    assert grid[1][5] == ["信息内容", "本年处理决定数量", "", ""]
    t3 = grid[2]
    assert len(t3) == T3_ROWS and all(len(row) == T3_COLS for row in t3)
    assert t3[1] == ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"]
    assert t3[2][4:9] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert t3[3] == ["一、本年新收政府信息公开申请数量", "", "", "26", "", "", "", "", "", "26"]
    assert t3[5][:2] == ["三、本年度办理结果", "（一）予以公开"]
    assert t3[23][1] == "（六）其他处理"
    assert grid[3][2][:5] == [""] * 5 and grid[3][3][3:5] == ["1", "1"]
    paragraphs = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert "三、收到和处理政府信息公开申请情况" in paragraphs
    assert not any("function time()" in text or "websiteId" in text for text in paragraphs)
