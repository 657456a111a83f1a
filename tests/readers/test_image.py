"""Tests of the scan reader: table scans drawn here with PIL, OCR'd offline as PNG, as an image-only PDF, as a PDF
page whose only text is a page number and as a scanned OFD page; and which pages count as scans."""

from __future__ import annotations

import io
import os
import random
import socket
import sys
import unicodedata
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from nianbao.document import Document, Paragraph, Table
from nianbao.errors import NianbaoError
from nianbao.readers import read_bytes
from nianbao.readers.chars import Char
from nianbao.readers.ocr import TextBox, box_to_chars, ink_shape, lone_look_alike, ocr_to_chars
from nianbao.readers.ofd import PT_PER_MM
from nianbao.readers.raster import POINTS_PER_INCH, compose
from nianbao.readers.scanned import covered_share, is_scanned_page, picture_box
from nianbao.settings import DEFAULTS

from .test_ofd import scanned_ofd
from .test_pdf import scan_pdf

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")  # Debian's fonts-noto-cjk, installed by CI
DPI = 200
COLUMNS = [100, 560, 760, 960, 1160, 1360]  # pixels at DPI
ROWS = [230, 300, 370, 440, 510, 580]
CELLS = [  # row, column, rowspan, colspan, text
    (0, 0, 2, 1, "申请情况"), (0, 1, 1, 4, "申请人情况"),
    (1, 1, 1, 1, "自然人"), (1, 2, 1, 1, "法人"), (1, 3, 1, 1, "其他"), (1, 4, 1, 1, "总计"),
    (2, 0, 1, 1, "本年新收申请数量"), (2, 1, 1, 1, "21"), (2, 2, 1, 1, "3"), (2, 3, 1, 1, "0"), (2, 4, 1, 1, "24"),
    (3, 0, 1, 1, "上年结转申请数量"), (3, 1, 1, 1, "7"), (3, 2, 1, 1, "11"), (3, 3, 1, 1, "5"), (3, 4, 1, 1, "23"),
    (4, 0, 1, 1, "（一）予以公开"), (4, 1, 1, 1, "4119"), (4, 2, 1, 1, "195"), (4, 3, 1, 1, "12"),
    (4, 4, 1, 1, "4326"),
]
EXPECTED = [
    ["申请情况", "申请人情况", "", "", ""],
    ["", "自然人", "法人", "其他", "总计"],
    ["本年新收申请数量", "21", "3", "0", "24"],
    ["上年结转申请数量", "7", "11", "5", "23"],
    ["(一)予以公开", "4119", "195", "12", "4326"],
]
HEADING = "三、收到和处理政府信息公开申请情况"
CLOSING = "全年共主动公开政府信息1136条。"


# --- fixtures ------------------------------------------------------------------------------------


def _needs(available: bool, message: str) -> None:
    """Skip a test whose prerequisite is missing, except in CI, where it must be there."""
    if not available:
        if os.environ.get("CI"):
            pytest.fail(f"{message} (required in CI)")
        pytest.skip(message)


@pytest.fixture
def ocr() -> None:
    try:
        import rapidocr  # noqa: F401
    except ImportError:
        _needs(False, "rapidocr is not installed: OCR tests need pip install 'nianbao[ocr]'")


@pytest.fixture
def font() -> ImageFont.FreeTypeFont:
    _needs(FONT.exists(), f"no CJK font at {FONT} (Debian package fonts-noto-cjk)")
    return ImageFont.truetype(str(FONT), 30)


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails: models must come from the installed wheel."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access attempted during OCR")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def draw_scan(font: ImageFont.FreeTypeFont, angle: float = 0.5) -> Image.Image:
    """A grey A4-wide page at DPI with a heading, a ruled table with merged cells and a closing line;
    turned by ``angle`` degrees, blurred and speckled like a scan."""
    page = Image.new("L", (1654, 820), 255)
    pen = ImageDraw.Draw(page)
    pen.text((COLUMNS[0], 120), HEADING, font=font, fill=0)
    for row, col, rowspan, colspan, words in CELLS:
        box = (COLUMNS[col], ROWS[row], COLUMNS[col + colspan], ROWS[row + rowspan])
        pen.rectangle(box, outline=0, width=3)
        pen.text((box[0] + 14, box[1] + 16), words, font=font, fill=0)
    pen.text((COLUMNS[0], ROWS[-1] + 80), CLOSING, font=font, fill=0)
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255).filter(ImageFilter.GaussianBlur(0.7))
    noise = random.Random(7)
    pixels = page.load()
    for _ in range(6000):
        x, y = noise.randrange(page.width), noise.randrange(page.height)
        pixels[x, y] = noise.choice((90, 170, 230))
    return page


def png(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.save(out, "PNG", dpi=(DPI, DPI))
    return out.getvalue()


def image_pdf(picture: Image.Image) -> bytes:
    """An image-only PDF: one page holding the picture at DPI, no text layer."""
    out = io.BytesIO()
    picture.save(out, "PDF", resolution=DPI)
    return out.getvalue()


def nfkc_rows(document: Document) -> list[list[str]]:
    [table] = [block for block in document.blocks if isinstance(block, Table)]
    return [[unicodedata.normalize("NFKC", cell.text) for cell in row] for row in table.rows]


def paragraphs(document: Document) -> list[str]:
    return [block.text for block in document.blocks if isinstance(block, Paragraph)]


# --- OCR -----------------------------------------------------------------------------------------


@pytest.mark.usefixtures("ocr", "offline")
def test_scanned_png_table_cells_and_text(font: ImageFont.FreeTypeFont) -> None:
    document = read_bytes(png(draw_scan(font)), "scan.png")
    assert document.format == "image" and document.meta == {"pages": 1, "ocr_pages": [1]}
    assert nfkc_rows(document) == EXPECTED
    assert paragraphs(document) == [HEADING, CLOSING]
    [table] = [block for block in document.blocks if isinstance(block, Table)]
    scale = POINTS_PER_INCH / DPI
    for got, drawn in zip(table.at["bbox"], (COLUMNS[0], ROWS[0], COLUMNS[-1], ROWS[-1]), strict=True):
        assert got == pytest.approx(drawn * scale, abs=4)  # points, after straightening the 0.5° skew


@pytest.mark.usefixtures("ocr", "offline")
def test_scanned_pdf_pages_are_ocred(font: ImageFont.FreeTypeFont) -> None:
    document = read_bytes(image_pdf(draw_scan(font, angle=0.0)), "scan.pdf")
    assert document.format == "pdf" and document.meta == {"pages": 1, "ocr_pages": [1]}
    assert nfkc_rows(document) == EXPECTED
    assert paragraphs(document) == [HEADING, CLOSING]


def tiff(pictures: list[Image.Image]) -> bytes:
    out = io.BytesIO()
    pictures[0].save(out, "TIFF", dpi=(DPI, DPI), save_all=True, append_images=pictures[1:])
    return out.getvalue()


@pytest.mark.usefixtures("ocr", "offline")
def test_pages_read_at_once_come_out_in_order_as_read_one_at_a_time(font: ImageFont.FreeTypeFont) -> None:
    blank = Image.new("L", (1654, 820), 255)
    scan = tiff([draw_scan(font), blank, draw_scan(font, angle=-0.8), blank, draw_scan(font, angle=0.0)])
    at_once = read_bytes(scan, "scan.tif", {"scan": {"threads": 2}})
    assert at_once.meta == {"pages": 5, "ocr_pages": [1, 2, 3, 4, 5]}
    tables = [block for block in at_once.blocks if isinstance(block, Table)]
    assert [table.at["page"] for table in tables] == [1, 3, 5]
    assert all([[unicodedata.normalize("NFKC", c.text) for c in row] for row in t.rows] == EXPECTED for t in tables)
    assert at_once.blocks == read_bytes(scan, "scan.tif", {"scan": {"threads": 1}}).blocks


def _table_box(document: Document) -> list[float]:
    [table] = [block for block in document.blocks if isinstance(block, Table)]
    return table.at["bbox"]


def _drawn_box(left: float, top: float) -> list[float]:
    """The table's box drawn on the scan, in points, the scan's top-left corner at (left, top) points."""
    scale = POINTS_PER_INCH / DPI
    return [left + COLUMNS[0] * scale, top + ROWS[0] * scale, left + COLUMNS[-1] * scale, top + ROWS[-1] * scale]


@pytest.mark.usefixtures("ocr", "offline")
def test_scanned_ofd_page_is_ocred_where_its_image_object_places_it(font: ImageFont.FreeTypeFont) -> None:
    document = read_bytes(scanned_ofd(draw_scan(font), DPI, origin=(5.0, 20.0)), "scan.ofd")
    assert document.format == "ofd" and document.meta == {"pages": 1, "ocr_pages": [1]}
    assert nfkc_rows(document) == EXPECTED
    assert paragraphs(document) == [HEADING, CLOSING]
    for got, drawn in zip(_table_box(document), _drawn_box(5 * PT_PER_MM, 20 * PT_PER_MM), strict=True):
        assert got == pytest.approx(drawn, abs=4)  # page points, after straightening the 0.5° skew


@pytest.mark.usefixtures("ocr", "offline")
def test_scan_whose_text_layer_is_a_page_number_is_ocred(font: ImageFont.FreeTypeFont) -> None:
    document = read_bytes(scan_pdf(draw_scan(font, angle=0.0), DPI, "- 1 -"), "numbered.pdf")
    assert document.format == "pdf" and document.meta == {"pages": 1, "ocr_pages": [1]}
    assert nfkc_rows(document) == EXPECTED
    assert paragraphs(document) == [HEADING, CLOSING]  # the page number, read again by OCR, is page furniture
    for got, drawn in zip(_table_box(document), _drawn_box(0, 0), strict=True):
        assert got == pytest.approx(drawn, abs=2)


# --- which pages are scans -----------------------------------------------------------------------


def _line(text: str, top: float = 800.0) -> list[Char]:
    return [Char(ch, 100.0 + 10 * k, top, 110.0 + 10 * k, top + 10, top + 10) for k, ch in enumerate(text)]


A4_PT = (595.0, 842.0)
FULL = (0.0, 0.0, 595.0, 842.0)
REPORT_LINE = "本机关全年共主动公开政府信息一千一百三十六条其中规章规范性文件"


def test_pictures_are_counted_once_where_they_overlap_and_only_on_the_page() -> None:
    assert covered_share([(0, 0, 60, 100), (40, 0, 100, 100)], (100, 100)) == pytest.approx(1.0)
    assert covered_share([(-50, -50, 50, 50), (0, 0, 10, 10)], (100, 100)) == pytest.approx(0.25)
    assert covered_share([(0, 10 * k, 100, 10 * k + 5) for k in range(10)], (100, 100)) == pytest.approx(0.5)
    assert covered_share([], (100, 100)) == 0.0


@pytest.mark.parametrize(("chars", "pictures", "scan"), [
    (_line("- 3 -"), [FULL], True),  # a page number over a scan
    (_line("扫描全能王 创建"), [FULL], True),  # a scanner app's caption
    ([c for k in range(12) for c in _line("内部资料仅供参考", 60.0 * k)], [FULL], True),  # a watermark tiled 12 times
    (_line("Il1 ,.'| rn~ Ii 1-1 .,,J I' |"), [(0, 0, 595, 300), (0, 300, 595, 842)], True),  # Latin OCR garbage
    (_line(REPORT_LINE), [FULL], False),  # text that carries the content, over a letterhead background
    (_line("- 3 -"), [(400, 20, 560, 180)], False),  # a page number beside a seal picture
])
def test_scanned_page_is_thin_text_over_pictures(chars: list[Char], pictures: list, scan: bool) -> None:
    assert is_scanned_page(chars, pictures, A4_PT, DEFAULTS.scan) is scan


@pytest.mark.usefixtures("ocr")
def test_picture_is_placed_by_its_matrix() -> None:
    import numpy as np

    picture = np.full((10, 20), 255, np.uint8)
    picture[:, :10] = 0  # the left half is black
    turned = (0.0, 36.0, -18.0, 0.0, 45.0, 18.0)  # turned 90° clockwise: the unit square to x 27–45, y 18–54 pt
    assert picture_box(turned) == (27.0, 18.0, 45.0, 54.0)
    canvas, pt_per_px = compose((72.0, 72.0), [(picture, turned)], DEFAULTS)
    assert canvas.shape == (200, 200) and pt_per_px == pytest.approx(72 / 200)

    def grey(x: float, y: float) -> int:
        return int(canvas[round(y / pt_per_px), round(x / pt_per_px)])

    assert grey(36, 27) == 0 and grey(36, 45) == 255 and grey(20, 27) == 255 and grey(36, 10) == 255


# --- without the OCR extra -----------------------------------------------------------------------


def _blank_scan() -> Image.Image:
    page = Image.new("L", (800, 600), 255)
    ImageDraw.Draw(page).rectangle((100, 100, 700, 500), outline=0, width=3)
    return page


def test_scan_without_the_ocr_extra_names_the_file_and_the_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr", None)  # as if not installed: importing it fails
    with pytest.raises(NianbaoError) as caught:
        read_bytes(png(_blank_scan()), "scans/p1.png")
    assert caught.value.code == "missing_dependency"
    assert caught.value.path == "scans/p1.png" and str(caught.value).startswith("scans/p1.png: ")
    assert "pip install 'nianbao[ocr]'" in caught.value.reason


def test_scanned_pdf_without_the_ocr_extra_is_refused_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr", None)
    with pytest.raises(NianbaoError) as caught:
        read_bytes(image_pdf(_blank_scan()), "scan.pdf")
    assert caught.value.code == "no_text_layer"
    assert "scanned PDF" in caught.value.reason and "pip install 'nianbao[ocr]'" in caught.value.reason


@pytest.mark.usefixtures("ocr")
def test_scanned_ofd_image_that_cannot_be_decoded_is_refused_naming_it() -> None:
    jbig2 = b"\x97JB2\r\n\x1a\n\x01\x00\x00\x00\x01" + bytes(64)  # JBIG2, which Pillow does not read
    with pytest.raises(NianbaoError) as caught:
        read_bytes(scanned_ofd(_blank_scan(), DPI, media=jbig2), "jbig2.ofd")
    assert caught.value.code == "corrupt" and caught.value.path == "jbig2.ofd"
    assert caught.value.reason.startswith("OFD image Doc_0/Res/scan_5.jpg: ")


@pytest.mark.usefixtures("ocr")
def test_corrupt_image_is_refused() -> None:
    data = png(_blank_scan())
    with pytest.raises(NianbaoError) as caught:
        read_bytes(data[: len(data) // 3], "cut.png")
    assert caught.value.code == "corrupt"


# --- splitting OCR boxes -------------------------------------------------------------------------


def test_box_is_split_in_proportion_to_character_widths() -> None:
    chars = box_to_chars("共51 75", (0.0, 0.0, 35.0, 10.0), DEFAULTS.scan)  # 1 + 0.5 × 5 (one a space): 3.5 widths
    assert [(c.text, c.x0, c.x1) for c in chars] == [("共", 0.0, 10.0), ("5", 10.0, 15.0), ("1", 15.0, 20.0),
                                                     ("7", 25.0, 30.0), ("5", 30.0, 35.0)]
    assert all((c.top, c.bottom, c.base) == (0.0, 10.0, 10.0) for c in chars)


def test_space_next_to_cjk_takes_no_room() -> None:
    chars = box_to_chars("(一) 予", (0.0, 0.0, 30.0, 10.0), DEFAULTS.scan)  # 0.5 + 1 + 0.5 + 0 + 1 = 3 widths
    assert [(c.text, c.x0, c.x1) for c in chars] == [("(", 0.0, 5.0), ("一", 5.0, 15.0), (")", 15.0, 20.0),
                                                     ("予", 20.0, 30.0)]


def test_lone_one_in_a_tall_box_is_the_digit() -> None:
    boxes = [TextBox("一", (0, 0, 19, 29)), TextBox("一", (40, 0, 70, 8))]  # pixels
    assert [c.text for c in ocr_to_chars(boxes, 1.0, DEFAULTS.scan)] == ["1", "一"]


def test_tall_box_is_a_column_of_characters() -> None:
    chars = box_to_chars("三、本", (0.0, 0.0, 10.0, 30.0), DEFAULTS.scan)
    assert [(c.text, c.top, c.bottom) for c in chars] == [("三", 0.0, 10.0), ("、", 10.0, 20.0), ("本", 20.0, 30.0)]


@pytest.mark.parametrize(("printed", "read", "meant"), [
    ("-", "1", "-"), ("-", "7", "-"), ("/", "1", "/"), ("/", "7", "/"), ("7", "7", "7"), ("1", "1", "1"),
    ("4", "4", "4"), ("0", "0", "0"),
])
def test_a_lone_box_read_as_a_digit_its_ink_cannot_be_is_the_mark_it_is(font: ImageFont.FreeTypeFont, printed: str,
                                                                         read: str, meant: str) -> None:
    """A blank cell's dash or slash read alone as 1 or 7 is still a dash or a slash (never a number), by the shape
    of its ink; a digit's own ink keeps its reading."""
    import numpy as np

    picture = Image.new("L", (120, 120), 255)
    ImageDraw.Draw(picture).text((30, 30), printed, font=font, fill=0)
    ink = (np.asarray(picture) < DEFAULTS.scan.ink_level).astype(np.uint8)
    ys, xs = np.nonzero(ink)
    box = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    assert lone_look_alike(read, box, ink_shape(ink, box, DEFAULTS.scan)) == meant
