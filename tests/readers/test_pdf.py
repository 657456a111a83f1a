"""Tests of the PDF reader: PDFs drawn here with reportlab, plus the real corpus PDFs from ../shared."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from nianbao.document import Document, Paragraph, Table
from nianbao.errors import NianbaoError
from nianbao.readers import image, raster, read, read_bytes
from nianbao.readers.chars import Char
from nianbao.readers.edges import subpaths_to_edges
from nianbao.readers.scanned import has_unmapped_text
from nianbao.settings import DEFAULTS

FONT = "STSong-Light"  # Adobe's CID font known to every PDF viewer: CJK text without shipping a font file
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
WIDTH, HEIGHT = A4
SHARED = Path(__file__).parents[2] / ".." / "shared"
CORPUS = SHARED / "corpus" / "raw"
HZQ2023 = CORPUS / "zxj6827111-blip__KIROGOVCOMPARE" / "sample_pdfs_v1" / "hzq2023_working.pdf"
HZQ2024 = CORPUS / "zxj6827111-blip__KIROGOVCOMPARE" / "sample_pdfs_v1" / "hzq2024_working.pdf"
HUAIAN2024 = CORPUS / "zxj6827111-blip__govnianbao" / "szfgs2024.pdf"

Draw = Callable[[Canvas, int], None]


# --- fixture builders ----------------------------------------------------------------------------


def make_pdf(draw: Draw, pages: int = 1, **canvas_options: object) -> bytes:
    """PDF bytes of ``pages`` A4 pages, each drawn by ``draw(canvas, page_index)``."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, **canvas_options)
    for index in range(pages):
        canvas.setFont(FONT, 10)
        draw(canvas, index)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def text(canvas: Canvas, x: float, top: float, words: str, size: float = 10) -> None:
    """Write ``words`` with their baseline ``size`` points below ``top`` (top-left origin)."""
    canvas.setFont(FONT, size)
    canvas.drawString(x, HEIGHT - top - size, words)


def grid(canvas: Canvas, x0: float, top: float, widths: list[float], row_height: float,
         cells: list[tuple[int, int, int, int, str]]) -> None:
    """Draw ruled cells (row, col, rowspan, colspan, text) on a grid; a cell's text starts at its top left."""
    lefts = [x0 + sum(widths[:i]) for i in range(len(widths) + 1)]
    for row, col, rowspan, colspan, words in cells:
        x, y = lefts[col], top + row * row_height
        w, h = lefts[col + colspan] - x, rowspan * row_height
        canvas.rect(x, HEIGHT - y - h, w, h, stroke=1, fill=0)
        for k, line in enumerate(words.split("\n")):
            text(canvas, x + 3, y + 4 + 12 * k, line)


T2_CELLS = [
    (0, 0, 1, 4, "第二十条第（一）项"),
    (1, 0, 1, 1, "信息内容"), (1, 1, 1, 1, "本年制发件数"), (1, 2, 1, 1, "本年废止件数"), (1, 3, 1, 1, "现行有效件数"),
    (2, 0, 1, 1, "规章"), (2, 1, 1, 1, "0"), (2, 2, 1, 1, "0"), (2, 3, 1, 1, "0"),
    (3, 0, 1, 1, "行政规范性文件"), (3, 1, 1, 1, "12"), (3, 2, 1, 1, "-3"), (3, 3, 1, 1, "7730.28"),
]


def _table_page(canvas: Canvas, _: int) -> None:
    text(canvas, 72, 60, "一、总体情况")
    grid(canvas, 72, 100, [120.0, 100.0, 100.0, 100.0], 20.0, T2_CELLS)
    text(canvas, 72, 200, "二、其他需要报告的事项")
    text(canvas, 280, 800, "- 4 -")


FOOT_PT = 60.0  # the margin under a scanned picture, where its page number is written


def scan_pdf(picture: Image.Image, dpi: float, footer: str) -> bytes:
    """A scanned page: the picture at its size (``dpi``) filling a page but for a bottom margin that holds
    ``footer`` as the page's only text, the way scanning software stamps a page number on a scan."""
    width, height = picture.width * 72 / dpi, picture.height * 72 / dpi

    def draw(canvas: Canvas, _: int) -> None:
        canvas.setPageSize((width, height + FOOT_PT))
        canvas.drawImage(ImageReader(picture), 0, FOOT_PT, width, height)
        canvas.drawString(width / 2, FOOT_PT / 2, footer)

    return make_pdf(draw)


def no_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any attempt to OCR a page fail the test."""
    def refuse(*args: object) -> None:
        raise AssertionError("a page with a text layer that carries the content was OCR'd")

    monkeypatch.setattr(image, "pixels_to_page", refuse)


def only(document: Document, kind: type) -> list:
    return [block for block in document.blocks if isinstance(block, kind)]


def row_texts(document: Document) -> list[str]:
    """The text of each row (a paragraph, or a table row's cells joined by a space)."""
    return [" ".join(cell.text for cell in row.cells if cell.text) for row in document.rows()]


def texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


# --- grids ---------------------------------------------------------------------------------------


def test_table_cells_exact_with_merged_caption_expanded() -> None:
    document = read_bytes(make_pdf(_table_page), "t.pdf")
    assert document.format == "pdf"
    [table] = only(document, Table)
    assert texts(table) == [
        ["第二十条第（一）项", "", "", ""],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "0"],
        ["行政规范性文件", "12", "-3", "7730.28"],
    ]


def test_reading_order_interleaves_paragraphs_and_tables_and_drops_page_numbers() -> None:
    document = read_bytes(make_pdf(_table_page), "t.pdf")
    kinds = [(type(b).__name__, b.text if isinstance(b, Paragraph) else len(b.rows)) for b in document.blocks]
    assert kinds == [("Paragraph", "一、总体情况"), ("Table", 4), ("Paragraph", "二、其他需要报告的事项")]


def test_every_cell_and_paragraph_has_page_and_bbox_in_top_left_points() -> None:
    document = read_bytes(make_pdf(_table_page), "t.pdf")
    for row in document.rows():
        for cell in row.cells:
            assert cell.at["page"] == 1
            bbox = cell.at["bbox"]
            assert len(bbox) == 4 and bbox[0] < bbox[2] and bbox[1] < bbox[3]
            assert all(v == round(v, 1) for v in bbox)
    [table] = only(document, Table)
    assert table.rows[0][0].at["bbox"] == [72.0, 100.0, 492.0, 120.0]  # the merged caption cell
    assert table.rows[0][1].at["bbox"] == [192.0, 100.0, 292.0, 120.0]  # a position it covers
    assert table.rows[2][1].at["bbox"] == [192.0, 140.0, 292.0, 160.0]
    heading = document.blocks[0].at["bbox"]
    assert heading[0] == pytest.approx(72, abs=0.5)
    assert 59 <= heading[1] < heading[3] <= 74  # baseline at 70, descent below it


def _cjk_font_found() -> bool:
    """Whether pdfium finds a CJK font on this machine for text in a font the PDF does not embed: without
    one it drops those characters (Debian's fonts-noto-cjk provides one; ``make test`` installs it as root)."""
    try:
        document = read_bytes(make_pdf(lambda canvas, _: text(canvas, 72, 100, "三")), "probe.pdf")
    except NianbaoError:
        return False
    return any(isinstance(b, Paragraph) and "三" in b.text for b in document.blocks)


NEEDS_CJK_FONT = pytest.mark.skipif(
    not os.environ.get("CI") and not _cjk_font_found(),
    reason="no CJK font on this machine for PDF text in a font the file does not embed: apt-get install fonts-noto-cjk")


@NEEDS_CJK_FONT
def test_vertical_label_and_wrapped_label_become_one_string_each() -> None:
    cells = [
        (0, 0, 4, 1, "三\n、\n本\n年"), (0, 1, 2, 1, "（二）部分公开（区分处理的，\n只计这一情形）"),
        (0, 2, 1, 1, "4"), (1, 2, 1, 1, ""),
        (2, 1, 1, 1, "（三）不予公开"), (2, 2, 1, 1, "1"),
        (3, 1, 1, 1, "结果 维持"), (3, 2, 1, 1, "0"),
    ]
    document = read_bytes(make_pdf(lambda c, _: grid(c, 72, 100, [40.0, 200.0, 60.0], 30.0, cells)), "v.pdf")
    [table] = only(document, Table)
    assert texts(table) == [
        ["三、本年", "（二）部分公开（区分处理的，只计这一情形）", "4"],
        ["", "", ""],
        ["", "（三）不予公开", "1"],
        ["", "结果维持", "0"],
    ]


def test_fake_bold_overprint_is_read_once() -> None:
    def draw(canvas: Canvas, _: int) -> None:
        for dx, dy in ((0, 0), (0.3, 0), (0, 0.3), (0.3, 0.3)):
            text(canvas, 72 + dx, 100 + dy, "第二十条第（六）项 4119")

    document = read_bytes(make_pdf(draw), "b.pdf")
    assert row_texts(document) == ["第二十条第（六）项 4119"]


def test_white_backgrounds_and_shading_do_not_make_tables() -> None:
    def draw(canvas: Canvas, _: int) -> None:
        for k in range(4):  # WPS puts an invisible white box behind every line of text
            canvas.setFillColorRGB(1, 1, 1)
            canvas.rect(72, HEIGHT - 120 - 27 * k, 440, 27, stroke=0, fill=1)
            canvas.setFillColorRGB(0, 0, 0)
            text(canvas, 80, 100 + 27 * k, f"第{k + 1}行正文")
        canvas.setFillColorRGB(0.78, 0.85, 0.95)  # light shading is not a ruling line either
        canvas.rect(72, HEIGHT - 300, 200, 40, stroke=0, fill=1)
        canvas.rect(272, HEIGHT - 300, 200, 40, stroke=0, fill=1)

    document = read_bytes(make_pdf(draw), "w.pdf")
    assert only(document, Table) == []
    assert [b.text for b in document.blocks] == ["第1行正文", "第2行正文", "第3行正文", "第4行正文"]


def test_thin_filled_bars_are_ruling_lines() -> None:
    def draw(canvas: Canvas, _: int) -> None:
        for y in (100, 120, 140):
            canvas.rect(72, HEIGHT - y - 0.5, 200, 0.5, stroke=0, fill=1)
        for x in (72, 172, 272):
            canvas.rect(x, HEIGHT - 140.5, 0.5, 40.5, stroke=0, fill=1)
        text(canvas, 76, 104, "行政处罚")
        text(canvas, 176, 104, "4119")
        text(canvas, 76, 124, "行政强制")
        text(canvas, 176, 124, "195")

    [table] = only(read_bytes(make_pdf(draw), "bars.pdf"), Table)
    assert texts(table) == [["行政处罚", "4119"], ["行政强制", "195"]]


def test_table_inside_a_form_xobject_is_found() -> None:
    def draw(canvas: Canvas, index: int) -> None:
        canvas.beginForm("grid")
        grid(canvas, 72, 100, [100.0, 100.0], 20.0, [(0, 0, 1, 1, "自然人"), (0, 1, 1, 1, "21")])
        grid(canvas, 72, 120, [100.0, 100.0], 20.0, [(0, 0, 1, 1, "总计"), (0, 1, 1, 1, "21")])
        canvas.endForm()
        canvas.doForm("grid")

    [table] = only(read_bytes(make_pdf(draw), "form.pdf"), Table)
    assert texts(table) == [["自然人", "21"], ["总计", "21"]]


@pytest.mark.parametrize("repeat_header", [False, True])
def test_table_cut_by_page_breaks_is_stitched_and_furniture_dropped(repeat_header: bool) -> None:
    widths = [140.0, 80.0, 80.0]
    header = [(0, 0, 1, 1, "信息内容"), (0, 1, 1, 1, "自然人"), (0, 2, 1, 1, "总计")]

    def draw(canvas: Canvas, index: int) -> None:
        text(canvas, 72, 40, "某某区人民政府2023年政府信息公开工作年度报告")  # running header
        if index == 0:
            text(canvas, 72, 600, "三、收到和处理政府信息公开申请情况")
            grid(canvas, 72, 640, widths, 40.0, [*header, (1, 0, 1, 1, "1.属于国家秘密"), (1, 1, 1, 1, "1"),
                                                (1, 2, 1, 1, "1")])
        else:
            top = 80.0
            if repeat_header:  # Word's "repeat header row" option draws it again on the new page
                grid(canvas, 72, top, widths, 40.0, header)
                top += 40
            grid(canvas, 72, top, widths, 40.0, [(0, 0, 1, 1, "2.重复申请"), (0, 1, 1, 1, "0"), (0, 2, 1, 1, "0"),
                                                (1, 0, 1, 1, "（七）总计"), (1, 1, 1, 1, "21"), (1, 2, 1, 1, "21")])
            text(canvas, 72, 260, "四、结转下年度继续办理")
        text(canvas, 250, 800, f"第 {index + 1} 页 共 2 页")

    document = read_bytes(make_pdf(draw, pages=2), "two.pdf")
    [table] = only(document, Table)
    assert texts(table) == [["信息内容", "自然人", "总计"], ["1.属于国家秘密", "1", "1"],
                            ["2.重复申请", "0", "0"], ["（七）总计", "21", "21"]]
    assert table.at["pages"] == [1, 2]
    assert [row.at["page"] for row in document.rows() if row.in_table] == [1, 1, 2, 2]
    paragraphs = [b.text for b in only(document, Paragraph)]
    assert paragraphs == ["三、收到和处理政府信息公开申请情况", "四、结转下年度继续办理"]


def test_row_left_open_at_the_page_bottom_is_kept() -> None:
    def draw(canvas: Canvas, _: int) -> None:
        grid(canvas, 72, 700, [100.0, 100.0], 20.0, [(0, 0, 1, 1, "行政处罚"), (0, 1, 1, 1, "4119")])
        for x in (72, 172, 272):  # the last row has side borders but no bottom border
            canvas.line(x, HEIGHT - 720, x, HEIGHT - 745)
        text(canvas, 75, 726, "行政强制")
        text(canvas, 175, 726, "195")

    [table] = only(read_bytes(make_pdf(draw), "open.pdf"), Table)
    assert texts(table) == [["行政处罚", "4119"], ["行政强制", "195"]]


def test_row_inside_a_frame_left_open_at_the_page_bottom_keeps_its_cells() -> None:
    """A browser prints each cell's own border and the table's frame apart; a page break leaves the frame open
    below the page's last row, and the line closing it makes one more cell around that row's cells."""
    def draw(canvas: Canvas, _: int) -> None:
        grid(canvas, 72, 640, [60.0, 100.0, 60.0, 60.0], 30.0, [
            (0, 0, 1, 1, "办理结果"), (0, 1, 1, 1, "（五）不予处理"), (0, 2, 1, 1, "2"), (0, 3, 1, 1, "2"),
            (1, 1, 1, 1, "（六）其他处理"), (1, 2, 1, 1, "1"), (1, 3, 1, 1, "5")])  # nothing under 办理结果
        for x in (71.5, 352.5):  # the frame, just outside the cells: down the page's bottom margin, never closed
            canvas.line(x, HEIGHT - 639.5, x, HEIGHT - 760)
        canvas.line(71.5, HEIGHT - 639.5, 352.5, HEIGHT - 639.5)

    [table] = only(read_bytes(make_pdf(draw), "frame.pdf"), Table)
    rows = [[t for t in row if t] for row in texts(table)]
    assert [row for row in rows if row] == [["办理结果", "（五）不予处理", "2", "2"], ["（六）其他处理", "1", "5"]]


def _cell_borders(canvas: Canvas, lefts: list[float], tops: list[float],
                  cells: list[tuple[int, int, int, int, list[str]]]) -> None:
    """Cells as a browser prints a table styled without the borders between columns: each cell draws its own top
    and bottom borders just inside its box (a thin filled bar as wide as the cell), its lines centred in it."""
    canvas.setFillColorRGB(0, 0, 0)
    for row, col, rowspan, colspan, lines in cells:
        x0, x1, top, bottom = lefts[col], lefts[col + colspan], tops[row], tops[row + rowspan]
        for y in (top, bottom - 0.75):
            canvas.rect(x0, HEIGHT - y - 0.75, x1 - x0, 0.75, stroke=0, fill=1)
        first = (top + bottom) / 2 - 6 * len(lines)
        for k, line in enumerate(lines):
            text(canvas, x0 + 2, first + 12 * k + 1, line)


def _framed_cell_by_cell() -> bytes:
    """A framed table whose cells draw their own top and bottom borders only: a label wrapped over three lines, a
    group label spanning rows, a blank cell."""
    lefts, tops = [72.0, 132.0, 232.0, 282.0, 332.0], [100.0, 130.0, 180.0, 210.0]
    cells = [(0, 0, 1, 2, ["信息内容"]), (0, 2, 1, 1, ["自然人"]), (0, 3, 1, 1, ["总计"]),
             (1, 0, 2, 1, ["（三）", "不予", "公开"]), (1, 1, 1, 1, ["1.属于国家", "秘密事项的", "申请"]),
             (1, 2, 1, 1, [""]), (1, 3, 1, 1, ["7"]), (2, 1, 1, 1, ["2.其他"]), (2, 2, 1, 1, ["3"]),
             (2, 3, 1, 1, ["3"])]

    def draw(canvas: Canvas, _: int) -> None:
        _cell_borders(canvas, lefts, tops, cells)
        for x in (71.5, 332.5):  # the table's frame, apart from the cells' borders
            canvas.line(x, HEIGHT - 99.5, x, HEIGHT - 210.5)

    return make_pdf(draw)


def test_a_framed_table_ruled_cell_by_cell_between_rows_only_is_read_by_its_cells() -> None:
    """The ends of each cell's own top and bottom borders show its sides: a label wrapped over three lines stays
    one cell beside its row's values (printed on its middle line), a group label spanning rows stays one cell,
    and a blank cell keeps its place."""
    [table] = only(read_bytes(_framed_cell_by_cell(), "rows.pdf"), Table)
    assert texts(table) == [["信息内容", "", "自然人", "总计"],
                            ["（三）不予公开", "1.属于国家秘密事项的申请", "", "7"],
                            ["", "2.其他", "3", "3"]]


def test_a_frame_with_more_rule_segments_than_the_limit_gets_no_cell_sides() -> None:
    """The sides read from the rules' ends cost the square of their segments: a frame holding more than
    ``page.sides_max_segments`` (a crafted page) is read without them."""
    tables = only(read_bytes(_framed_cell_by_cell(), "rows.pdf", {"page": {"sides_max_segments": 10}}), Table)
    assert not any(texts(table) and len(texts(table)[0]) == 4 for table in tables)


def test_rules_of_one_piece_inside_a_frame_show_no_cell_sides() -> None:
    """A table drawn with its frame and whole lines (no cell drew its own borders) gives no columns from the
    lines' ends: the line under its row stopping short is not a cell's side, and the row is read by position."""
    def draw(canvas: Canvas, _: int) -> None:
        for x in (72, 372):
            canvas.line(x, HEIGHT - 100, x, HEIGHT - 200)
        canvas.line(72, HEIGHT - 100, 372, HEIGHT - 100)
        canvas.line(240, HEIGHT - 200, 372, HEIGHT - 200)
        for x, word in zip((80, 200, 260, 320), ("行政处罚", "12", "3", "15"), strict=True):
            text(canvas, x, 140, word)

    tables = only(read_bytes(make_pdf(draw), "whole.pdf"), Table)
    assert [row for table in tables for row in texts(table)] == [["行政处罚", "12", "3", "15"]]


def test_a_frame_side_with_mitred_ends_is_a_ruling_line() -> None:
    """A table's outset border prints each side as a thin bar whose ends are cut on the diagonal."""
    def draw(canvas: Canvas, _: int) -> None:
        grid(canvas, 72, 100, [100.0, 100.0], 20.0, [(0, 0, 1, 1, "行政处罚"), (0, 1, 1, 1, "4119")])
        path = canvas.beginPath()  # the left side of a frame around it, 1 point thick, mitred at both ends
        for x, y in ((70, 98), (70, 142), (71, 141), (71, 99)):
            (path.lineTo if x != 70 or y != 98 else path.moveTo)(x, HEIGHT - y)
        path.close()
        canvas.drawPath(path, stroke=0, fill=1)

    edges = subpaths_to_edges([[(70, 98, False), (70, 142, True), (71, 141, True), (71, 99, True), (70, 98, True)]],
                              False, DEFAULTS.page)
    assert [(e["orientation"], e["top"], e["bottom"]) for e in edges] == [("v", 98, 142)]
    [table] = only(read_bytes(make_pdf(draw), "mitred.pdf"), Table)
    assert texts(table)[0] == ["行政处罚", "4119"]


@NEEDS_CJK_FONT
def test_a_value_a_cells_padding_parts_from_a_label_filling_its_column_is_a_cell_of_its_own() -> None:
    """A table printed without borders whose label fills its column: its value stands a point and a half (the
    cells' padding) after the label, too close for a space, but where the header and the other rows start the
    column; a number so close to text that starts no column stays in its line."""
    def draw(canvas: Canvas, _: int) -> None:
        canvas.setFont(FONT, 12)
        for top, words in ((100, ("信息内容", "上一年项目数量", "本年增减")), (120, ("行政许可", "74", "-16")),
                           (140, ("其他对外管理服务事项", "84", "-23"))):
            for x, word in zip((60, 181.5, 300), words, strict=True):
                canvas.drawString(x, HEIGHT - top, word)
        canvas.drawString(60, HEIGHT - 200, "全年主动公开信息")
        canvas.drawString(157.5, HEIGHT - 200, "2609")

    document = read_bytes(make_pdf(draw), "glued.pdf")
    rows = [texts(table) for table in only(document, Table)]
    assert ["其他对外管理服务事项", "84", "-23"] in [row for table in rows for row in table]
    assert [row for table in rows for row in table if "行政许可" in row] == [["行政许可", "74", "-16"]]
    assert "全年主动公开信息2609" in [b.text for b in only(document, Paragraph)]


def test_a_position_another_cells_span_covers_is_merged() -> None:
    def draw(canvas: Canvas, _: int) -> None:
        grid(canvas, 72, 100, [100.0, 50.0, 50.0, 50.0], 20.0, [
            (0, 0, 1, 1, "信息内容"), (0, 1, 1, 2, "自然人"), (0, 3, 1, 1, "总计"),
            (1, 0, 1, 1, "（一）予以公开"), (1, 1, 1, 1, ""), (1, 2, 1, 1, "19"), (1, 3, 1, 1, "19")])

    [table] = only(read_bytes(make_pdf(draw), "spans.pdf"), Table)
    assert [[(c.text, c.merged) for c in row] for row in table.rows] == [
        [("信息内容", False), ("自然人", False), ("", True), ("总计", False)],
        [("（一）予以公开", False), ("", False), ("19", False), ("19", False)]]


# reportlab's page size is the size shown: with /Rotate 90 or 270 it writes a landscape MediaBox, so the content
# is drawn on a HEIGHT x WIDTH sheet, turned back so that it reads upright on the portrait page shown
TURNS = {90: ((HEIGHT, 0), 90), 270: ((0, WIDTH), -90)}


@NEEDS_CJK_FONT
@pytest.mark.parametrize("rotation", sorted(TURNS))
def test_rotated_page_reads_in_displayed_order(rotation: int) -> None:
    def draw(canvas: Canvas, _: int) -> None:
        canvas.setPageRotation(rotation)
        canvas.saveState()
        canvas.translate(*TURNS[rotation][0])
        canvas.rotate(TURNS[rotation][1])
        canvas.setFont(FONT, 12)
        for k, line in enumerate(("第一行", "第二行", "第三行")):
            canvas.drawString(72, HEIGHT - 100 - 30 * k, line)
        grid(canvas, 72, 300, [100.0, 100.0], 20.0, [(0, 0, 1, 1, "行政处罚"), (0, 1, 1, 1, "4119"),
                                                    (1, 0, 1, 1, "行政强制"), (1, 1, 1, 1, "195")])
        canvas.restoreState()

    document = read_bytes(make_pdf(draw), "rot.pdf")
    [table] = only(document, Table)
    assert texts(table) == [["行政处罚", "4119"], ["行政强制", "195"]]
    assert table.at["bbox"] == [72.0, 300.0, 272.0, 340.0]
    paragraphs = only(document, Paragraph)
    assert [b.text for b in paragraphs] == ["第一行", "第二行", "第三行"]
    for k, block in enumerate(paragraphs):
        x0, top, _, bottom = block.at["bbox"]
        assert x0 == pytest.approx(72, abs=0.5) and top < 100 + 30 * k < bottom <= HEIGHT


def test_one_column_frame_is_read_as_paragraphs() -> None:
    def draw(canvas: Canvas, _: int) -> None:
        grid(canvas, 72, 100, [400.0], 40.0, [(0, 0, 1, 1, "（一）主动公开情况。\n全年主动公开政府信息1136条。"),
                                               (1, 0, 1, 1, "（二）依申请公开情况。")])

    document = read_bytes(make_pdf(draw), "frame.pdf")
    assert only(document, Table) == []
    assert [b.text for b in document.blocks] == ["（一）主动公开情况。", "全年主动公开政府信息1136条。",
                                                 "（二）依申请公开情况。"]


def test_threads_can_read_at_once() -> None:
    data = make_pdf(_table_page)
    with ThreadPoolExecutor(max_workers=4) as pool:
        documents = list(pool.map(lambda _: read_bytes(data, "t.pdf"), range(8)))
    assert all(texts(only(d, Table)[0]) == texts(only(documents[0], Table)[0]) for d in documents)


# --- refusals ------------------------------------------------------------------------------------


def test_encrypted_pdf_is_refused() -> None:
    data = make_pdf(_table_page, encrypt=StandardEncryption("secret", canPrint=0))
    with pytest.raises(NianbaoError) as caught:
        read_bytes(data, "enc.pdf")
    assert caught.value.code == "encrypted"
    assert "password" in caught.value.reason


def test_pdf_restricted_by_an_owner_password_only_is_read() -> None:
    data = make_pdf(_table_page, encrypt=StandardEncryption("", ownerPassword="owner", canCopy=0, canModify=0))
    [table] = only(read_bytes(data, "restricted.pdf"), Table)
    assert texts(table)[3] == ["行政规范性文件", "12", "-3", "7730.28"]


@pytest.mark.parametrize("share", [0.3, 0.6, 0.95])
def test_truncated_pdf_is_refused(share: float) -> None:
    data = make_pdf(_table_page)
    with pytest.raises(NianbaoError) as caught:
        read_bytes(data[: int(len(data) * share)], "cut.pdf")
    assert caught.value.code == "corrupt"
    assert caught.value.reason.startswith("corrupt or truncated PDF")


def test_garbage_after_pdf_header_is_refused() -> None:
    with pytest.raises(NianbaoError) as caught:
        read_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8, "junk.pdf")
    assert caught.value.code == "corrupt"


def test_pdf_without_text_layer_is_refused_without_the_ocr_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    def draw(canvas: Canvas, _: int) -> None:
        canvas.rect(72, 400, 300, 200, stroke=1, fill=1)  # stands in for a scanned image

    monkeypatch.setitem(sys.modules, "rapidocr", None)  # as if the [ocr] extra were not installed
    with pytest.raises(NianbaoError) as caught:
        read_bytes(make_pdf(draw, pages=2), "scan.pdf")
    assert caught.value.code == "no_text_layer"
    assert "OCR" in caught.value.reason and "[ocr]" in caught.value.reason


def test_scan_with_a_page_number_as_its_text_is_refused_without_the_ocr_extra(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr", None)
    picture = Image.new("L", (800, 1100), 255)
    with pytest.raises(NianbaoError) as caught:
        read_bytes(scan_pdf(picture, 100, "- 1 -"), "scan.pdf")
    assert caught.value.code == "no_text_layer"
    assert "scanned PDF" in caught.value.reason and "[ocr]" in caught.value.reason


def test_text_page_over_a_full_page_picture_takes_the_text_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def draw(canvas: Canvas, index: int) -> None:
        canvas.drawImage(ImageReader(Image.new("L", (60, 85), 235)), 0, 0, WIDTH, HEIGHT)  # a letterhead background
        _table_page(canvas, index)

    no_ocr(monkeypatch)
    document = read_bytes(make_pdf(draw), "background.pdf")
    assert document.meta == {"pages": 1}
    [table] = only(document, Table)
    assert texts(table)[3] == ["行政规范性文件", "12", "-3", "7730.28"]
    assert table.rows[0][0].at["bbox"] == [72.0, 100.0, 492.0, 120.0]  # the text layer's geometry


# --- the real corpus -----------------------------------------------------------------------------


def corpus(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"corpus PDF missing in CI: {path}")
        pytest.skip(f"corpus PDF not available (needs the shared folder beside the repo): {path}")
    return path


def rows_of(path: Path) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in read(corpus(path)).rows()]


def test_corpus_hzq2023_table3_vertical_label_and_stitch_over_page_break() -> None:
    document = read(corpus(HZQ2023))
    rows = [[cell.text for cell in row.cells] for row in document.rows()]
    assert ["三、本年度办理结果", "（一）予以公开", "", "0", "0", "0", "0", "0", "0", "0"] in rows
    assert ["", "", "2.没有现成信息需要另行制作", "3", "0", "0", "0", "0", "0", "3"] in rows  # last row of page 3
    assert ["", "", "3.补正后申请内容仍不明确", "0", "0", "0", "0", "0", "0", "0"] in rows  # first row of page 4
    assert ["", "（七）总计", "", "21", "0", "0", "0", "0", "0", "21"] in rows
    [t3] = [t for t in only(document, Table) if t.at.get("pages") == [3, 4]]
    assert len(t3.rows) == 26 and all(len(row) == 10 for row in t3.rows)
    assert ["10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"] in rows
    assert not any(r[0].strip() in {"- 3 -", "- 4 -"} for r in rows)


def test_corpus_hzq2023_table2_header_cell_without_top_border() -> None:
    rows = rows_of(HZQ2023)
    start = rows.index(["信息内容", "本年处理决定数量"])
    assert rows[start + 1: start + 3] == [["行政处罚", "4119"], ["行政强制", "195"]]
    assert ["行政事业性收费", "7730.28"] in rows


def test_corpus_hzq2024_values() -> None:
    rows = rows_of(HZQ2024)
    assert ["行政规范性文件", "3", "0", "8"] in rows
    partly = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert ["", partly, "", "9", "0", "0", "0", "0", "0", "9"] in rows
    assert ["1", "1", "0", "0", "2", "1", "0", "0", "0", "1", "2", "0", "1", "0", "3"] in rows


def test_corpus_huaian2024_values_and_positions() -> None:
    document = read(corpus(HUAIAN2024))
    rows = [[cell.text for cell in row.cells] for row in document.rows()]
    assert ["行政许可", "447228", "", ""] in rows
    assert ["一、本年新收政府信息公开申请数量", "", "", "3001", "53", "0", "0", "61", "4", "3119"] in rows
    assert ["", "", "3、其他", "108", "2", "0", "0", "0", "0", "110"] in rows
    assert ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"] in rows
    for row in document.rows():
        for cell in row.cells:
            assert 1 <= cell.at["page"] <= 6 and len(cell.at["bbox"]) == 4


@pytest.mark.parametrize("path", [HZQ2023, HZQ2024, HUAIAN2024], ids=lambda path: path.stem)
def test_corpus_pdfs_are_not_ocred(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    no_ocr(monkeypatch)
    assert "ocr_pages" not in read(corpus(path)).meta


def test_a_page_too_large_for_the_pixel_limit_is_rendered_smaller_for_ocr() -> None:
    from nianbao.readers import pdf

    limit, full = DEFAULTS.reader.max_image_pixels, DEFAULTS.scan.render_dpi / raster.POINTS_PER_INCH
    assert pdf.render_scale((WIDTH, HEIGHT), DEFAULTS) == pytest.approx(full)
    huge = pdf.render_scale((14_000, 14_000), DEFAULTS)
    assert (14_000 * huge) ** 2 <= limit * 1.0001 and huge < full
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(14_000, 14_000))
    canvas.rect(100, 100, 5_000, 5_000, fill=1)
    canvas.showPage()
    canvas.save()
    pixels, points_per_pixel = pdf.render_scan(pypdfium2.PdfDocument(out.getvalue()), 0, DEFAULTS)
    assert pixels.size <= limit * 1.001 and points_per_pixel == pytest.approx(1 / huge)


def test_page_tolerances_come_from_the_settings_passed_to_the_reader() -> None:
    def draw(canvas: Canvas, _: int) -> None:
        canvas.setFont(FONT, 10)
        canvas.drawString(72, HEIGHT - 100, "12")
        canvas.drawString(72 + canvas.stringWidth("12", FONT, 10) + 5, HEIGHT - 100, "34")

    data = make_pdf(draw)
    assert row_texts(read_bytes(data, "gap.pdf")) == ["12 34"]  # a 5 pt gap: wider than space_gap_share (0.15)
    wider = read_bytes(data, "gap.pdf", {"page": {"space_gap_share": 1.0, "digit_gap_share": 1.0}})  # of 10 pt
    assert row_texts(wider) == ["1234"]


def test_a_dashed_line_in_the_margin_adds_no_column_to_the_table_beside_it() -> None:
    def draw(canvas: Canvas, index: int) -> None:
        _table_page(canvas, index)
        for top, bottom in ((94.0, 114.0), (120.0, 140.0), (146.0, 166.0)):  # one dash from row line to row line
            canvas.line(560, HEIGHT - top, 560, HEIGHT - bottom)

    [table] = [block for block in read_bytes(make_pdf(draw), "dashed.pdf").blocks if isinstance(block, Table)]
    assert {len(row) for row in table.rows} == {4}
    assert table.rows[3][3].text == "7730.28" and table.at["bbox"][2] == 492.0


def test_a_text_layer_of_glyphs_without_a_unicode_mapping_is_read_as_a_scan() -> None:
    """A font embedded without a Unicode map prints the page right, but text extraction gives control and
    private-use characters for its glyphs, some of them digits by chance: such a page is read from its print."""
    settings = DEFAULTS.scan

    def chars(text: str) -> list[Char]:
        return [Char(t, 10.0 * i, 0.0, 10.0 * i + 9, 10.0, 9.0) for i, t in enumerate(text)]

    assert has_unmapped_text(chars("\x01\x04\x05\x06\x07\x08\t3\x0b\x0c\r0\x0e\x0f1"), settings)
    assert has_unmapped_text(chars("总体情况\ue001\ue002\ue003"), settings)
    assert not has_unmapped_text(chars("一、总体情况 2023年共受理申请12件"), settings)
    assert not has_unmapped_text([], settings)


def test_a_table_ruled_by_its_inner_lines_only_keeps_its_outer_columns() -> None:
    """Without a frame, the first and last columns have no line on their outer side: the ends of the rows'
    lines close them."""
    def draw(canvas: Canvas, _: int) -> None:
        lefts, tops = [72.0, 192.0, 252.0, 312.0], [100.0, 120.0, 140.0]  # three columns of values after the label
        for top in tops[1:]:
            canvas.line(lefts[0], HEIGHT - top, 372, HEIGHT - top)
        for x in lefts[1:]:
            canvas.line(x, HEIGHT - tops[0], x, HEIGHT - 160)
        for top, cells in zip(tops, (["信息内容", "自然人", "其他", "总计"], ["（一）予以公开", "1", "2", "3"],
                                     ["（二）部分公开", "4", "5", "9"]), strict=True):
            for x, words in zip(lefts, cells, strict=True):
                text(canvas, x + 3, top + 4, words)

    [table] = only(read_bytes(make_pdf(draw), "inner.pdf"), Table)
    assert texts(table) == [["信息内容", "自然人", "其他", "总计"], ["（一）予以公开", "1", "2", "3"],
                            ["（二）部分公开", "4", "5", "9"]]


TWO_COLUMNS = ((("信息内容", "本年处理决定数量"), ("行政许可", "36")),
               (("信息内容", "本年收费金额（单位：万元）"), ("行政事业性收费", "1.2")))


def test_two_column_tables_ruled_by_their_inner_lines_only_keep_their_last_rows() -> None:
    """One line between the columns, one under the header, no frame: the column line's open end closes the last
    row as wide as the line it crosses."""
    def draw(canvas: Canvas, _: int) -> None:
        for first, rows in zip((100, 200), TWO_COLUMNS, strict=True):
            canvas.line(72, HEIGHT - first - 20, 312, HEIGHT - first - 20)
            canvas.line(192, HEIGHT - first, 192, HEIGHT - first - 40)
            for top, cells in zip((first, first + 20), rows, strict=True):
                for x, words in zip((72, 192), cells, strict=True):
                    text(canvas, x + 3, top + 4, words, size=8)

    tables = only(read_bytes(make_pdf(draw), "two.pdf"), Table)
    assert [texts(table) for table in tables] == [[list(row) for row in rows] for rows in TWO_COLUMNS]


ROWS = [("（一）予以公开", "1", "2", "3", "0", "0", "0", "6"), ("（二）部分公开", "4", "", "5", "0", "0", "0", "9"),
        ("（三）不予公开", "7", "8", "", "0", "0", "0", "15")]


def test_a_table_without_ruling_lines_is_read_from_its_columns_positions() -> None:
    """No line to find the table by: its rows are read as a text dump laid out by position, a blank cell where a
    row leaves a column empty, each cell on its page."""
    def draw(canvas: Canvas, _: int) -> None:
        for k, cells in enumerate(ROWS):
            for x, words in zip((72, 220, 260, 300, 340, 380, 420, 460), cells, strict=True):
                text(canvas, x, 100 + 20 * k, words)

    document = read_bytes(make_pdf(draw), "plain.pdf")
    rows = [[text for cell in row.cells for text in [""] * len(cell.blank_before) + [cell.text]]
            for row in document.rows()]
    assert rows == [list(row) for row in ROWS]
    assert {cell.at["page"] for row in document.rows() for cell in row.cells} == {1}


def test_a_table_ruled_between_rows_only_is_read_from_its_columns_positions() -> None:
    """A frame, the lines between rows and the line after the labels, none between the values (a stylesheet that
    drops the cells' side borders but for the label's): each ruled box right of a label holds the row's values,
    which is no cell; the page is read by position instead."""
    lefts = (72, 220, 260, 300, 340, 380, 420, 460)

    def draw(canvas: Canvas, _: int) -> None:
        canvas.rect(66, HEIGHT - 100 - 20 * len(ROWS) + 4, 440, 20 * len(ROWS), stroke=1, fill=0)
        canvas.line(214, HEIGHT - 96, 214, HEIGHT - 96 - 20 * len(ROWS))
        for k, cells in enumerate(ROWS):
            canvas.line(66, HEIGHT - 96 - 20 * k, 506, HEIGHT - 96 - 20 * k)
            for x, words in zip(lefts, cells, strict=True):
                text(canvas, x, 100 + 20 * k, words)

    document = read_bytes(make_pdf(draw), "rows.pdf")
    rows = [[text for cell in row.cells for text in [""] * len(cell.blank_before) + [cell.text]]
            for row in document.rows()]
    assert rows == [list(row) for row in ROWS]


def test_a_value_printed_against_a_long_label_is_never_read_as_a_blank_cell() -> None:
    """Without ruling lines, a label wide enough to reach its row's first value leaves only a point before it:
    the value stands where the column's other values start, so it is the first column's value (not a blank), and
    the row's other values are placed by position, its blank cell in its place."""
    glued = ("（二）部分公开区分处理的只计这", "4", "", "5", "0", "0", "0", "9")

    def draw(canvas: Canvas, _: int) -> None:
        for k, cells in enumerate([ROWS[0], glued, ROWS[2], ("合计", "8", "10", "8", "0", "0", "0", "26")]):
            for x, words in zip((72, 220, 260, 300, 340, 380, 420, 460), cells, strict=True):
                text(canvas, x if k != 1 or x != 72 else 220 - 10 * len(words) - 1, 100 + 20 * k, words)

    document = read_bytes(make_pdf(draw), "glued.pdf")
    second = list(document.rows())[1]
    assert [text for cell in second.cells for text in [""] * len(cell.blank_before) + [cell.text]] == list(glued)


def test_a_table_set_smaller_than_its_text_is_read_from_its_own_columns() -> None:
    """Body text in a large size around a table in a small one, no ruling: the table's lines are laid out by
    the width of their own characters, so its values keep their columns whatever its labels' lengths."""
    rows = [("1.甲乙", "1", "2", "3", "4", "5", "6", "21"), ("2.乙丙丁戊己庚辛壬", "", "2", "", "4", "", "", "6"),
            ("3.己庚", "7", "", "", "", "", "1", "8")]

    def draw(canvas: Canvas, _: int) -> None:
        for k in range(6):
            text(canvas, 72, 60 + 22 * k, "本机关全年主动公开政府信息共计若干条，其中政策解读若干篇。", size=16)
        for k, cells in enumerate(rows):
            for x, words in zip((72, 200, 230, 260, 290, 320, 350, 380), cells, strict=True):
                text(canvas, x, 220 + 16 * k, words, size=8)

    document = read_bytes(make_pdf(draw), "small.pdf")
    placed = [[text for cell in row.cells for text in [""] * len(cell.blank_before) + [cell.text]
               + [""] * len(cell.blank_after)] for row in document.rows() if row.in_table]
    assert placed == [list(row) for row in rows]


def test_a_page_whose_table_has_no_lines_is_read_by_position_in_a_file_whose_other_tables_have_them() -> None:
    """A ruled table on one page, a table drawn without lines on the next: each page is read its own way."""
    def draw(canvas: Canvas, index: int) -> None:
        if index == 0:
            grid(canvas, 72, 100, [120.0, 100.0, 100.0, 100.0], 20.0, T2_CELLS)
            return
        for k, cells in enumerate(ROWS):
            for x, words in zip((72, 220, 260, 300, 340, 380, 420, 460), cells, strict=True):
                text(canvas, x, 100 + 20 * k, words)

    document = read_bytes(make_pdf(draw, pages=2), "mixed.pdf")
    [ruled] = only(document, Table)[:1]
    assert texts(ruled)[-1] == ["行政规范性文件", "12", "-3", "7730.28"]
    placed = [[text for cell in row.cells for text in [""] * len(cell.blank_before) + [cell.text]]
              for row in document.rows() if row.cells[0].at.get("page") == 2]
    assert placed == [list(row) for row in ROWS]


def test_a_row_whose_label_wraps_around_its_values_keeps_its_blank_cells() -> None:
    """A label set on two lines in its cell, the row's few values on a line of their own between them: a line of
    bare numbers with no numbers right above or below is the row's values, not pieces of a wrapped number (whose
    doubt would leave the rows next to each other unplaced), and the label's two lines are its label cell."""
    rows = [ROWS[0], ("（二）部分公开", "", "4", "", "", "", "", "4"), ROWS[2],
            ("（四）无法提供", "1", "", "1", "0", "0", "0", "2")]

    def draw(canvas: Canvas, _: int) -> None:
        for k, cells in enumerate(rows):
            top = 100 + 24 * k
            for x, words in zip((72, 220, 260, 300, 340, 380, 420, 460), cells, strict=True):
                if x == 72 and k == 1:
                    text(canvas, x, top - 7, words[:5])
                    text(canvas, x, top + 7, words[5:])
                else:
                    text(canvas, x, top, words)

    document = read_bytes(make_pdf(draw), "wrapped-label.pdf")
    blanks = [[len(cell.blank_before) for cell in row.cells] for row in document.rows() if row.in_table]
    assert blanks == [[0] * 8, [0, 1, 4], [0, 0, 0, 1, 0, 0, 0], [0, 0, 1, 0, 0, 0, 0]]
    assert [row.cells[0].text for row in document.rows()] == [row[0] for row in rows]


def test_a_row_printed_after_a_piece_of_its_group_label_is_a_row_not_pieces_of_a_number() -> None:
    """A group label printed down its narrow cell sets a piece (``开``) on a row's line, before the row's own
    numbered label: the line's few numbers are that row's values, so the rows around it keep their places."""
    rows = [("1.甲乙", "1", "2", "3", "0", "0", "0", "6"), ("2.乙丙", "", "4", "", "", "", "", "4"),
            ("3.丙丁", "7", "8", "", "0", "0", "0", "15")]

    def draw(canvas: Canvas, _: int) -> None:
        text(canvas, 40, 120, "开")
        for k, cells in enumerate(rows):
            for x, words in zip((72, 220, 260, 300, 340, 380, 420, 460), cells, strict=True):
                text(canvas, x, 100 + 20 * k, words)

    document = read_bytes(make_pdf(draw), "group-piece.pdf")
    blanks = [[len(cell.blank_before) for cell in row.cells] for row in document.rows() if row.in_table]
    assert blanks[-1] == [0, 0, 0, 1, 0, 0, 0]


def test_a_table_continued_on_a_page_whose_rows_merge_its_value_columns_is_stitched_on_its_columns() -> None:
    """A table of no numbers at all, each row's 无 merged across its value columns: the page that continues it
    has fewer columns; its boundaries stand at the table's own, so its rows are set out on the table's columns."""
    widths = [120.0, 100.0, 100.0, 100.0]
    first = [(0, 0, 1, 1, "信息内容"), (0, 1, 1, 1, "自然人"), (0, 2, 1, 1, "其他"), (0, 3, 1, 1, "总计"),
             (1, 0, 1, 1, "1.甲"), (1, 1, 1, 3, "无")]
    after = [(0, 0, 1, 1, "2.乙"), (0, 1, 1, 3, "无"), (1, 0, 1, 1, "3.丙"), (1, 1, 1, 3, "无")]

    def draw(canvas: Canvas, index: int) -> None:
        grid(canvas, 72, 700 if index == 0 else 72, widths, 20.0, first if index == 0 else after)

    [table] = only(read_bytes(make_pdf(draw, pages=2), "nil.pdf"), Table)
    assert texts(table)[1:] == [["1.甲", "无", "", ""], ["2.乙", "无", "", ""], ["3.丙", "无", "", ""]]
    assert [cell.merged for cell in table.rows[-1]] == [False, False, True, True]


def test_a_row_of_blank_cells_printing_its_label_alone_is_no_piece_of_the_next_rows_label() -> None:
    """Between two rows of values, two rows whose cells are all blank print their labels alone, each nearer one
    of those rows: each is its own line, not a piece of a neighbour's label (whose row would take its name)."""
    rows = [("1.甲乙", "1", "2", "3", "0", "0", "0", "6"), ("2.乙丙", "7", "8", "1", "0", "0", "0", "16"),
            ("3.丙丁",), ("4.丁戊",), ("5.戊己", "1", "1", "1", "0", "0", "0", "3"),
            ("6.己庚", "1", "", "", "", "", "", "1")]

    def draw(canvas: Canvas, _: int) -> None:
        for k, cells in enumerate(rows):
            for x, words in zip((72, 220, 260, 300, 340, 380, 420, 460), cells, strict=False):
                text(canvas, x, 100 + 24 * k, words)

    document = read_bytes(make_pdf(draw), "blank-rows.pdf")
    assert [row.cells[0].text for row in document.rows()] == [row[0] for row in rows]
