"""Tests of the OFD reader: OFD packages written here (GB/T 33190 XML in a zip), plus refusals of bad packages.

Scanned OFD pages (an ImageObject and no text) are OCR'd: those tests are in test_image.py, with the other scans.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile

import pytest
from lxml import etree
from PIL import Image, ImageDraw

from nianbao.document import Document, Paragraph, Table
from nianbao.errors import NianbaoError
from nianbao.readers import detect_format, ofd, read_bytes
from nianbao.readers.ofd import PT_PER_MM, deltas, picture_matrix
from nianbao.settings import DEFAULTS, resolve

NS = "http://www.ofdspec.org/2016"
SIZE = 3.5  # font size in mm (about 10 pt)

OFD_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">
  <ofd:DocBody>
    <ofd:DocInfo><ofd:DocID>0c5b8f1e</ofd:DocID><ofd:Title>年度报告</ofd:Title></ofd:DocInfo>
    <ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>
  </ofd:DocBody>
</ofd:OFD>"""

DOCUMENT_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:Document xmlns:ofd="{NS}">
  <ofd:CommonData>
    <ofd:MaxUnitID>99</ofd:MaxUnitID>
    <ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>
    <ofd:PublicRes>PublicRes.xml</ofd:PublicRes>
    <ofd:TemplatePage ID="2" BaseLoc="Tpls/Tpl_0/Content.xml" ZOrder="Background"/>
  </ofd:CommonData>
  <ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages>
</ofd:Document>"""

PUBLIC_RES_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">
  <ofd:Fonts><ofd:Font ID="3" FontName="宋体" FamilyName="宋体"/></ofd:Fonts>
</ofd:Res>"""

COLUMNS = [20.0, 40.0, 80.0, 115.0, 150.0, 190.0]  # mm
ROWS = [40.0, 50.0, 60.0, 70.0, 80.0, 90.0]  # mm


def page_xml(objects: list[str], template: bool = True) -> str:
    use = '<ofd:Template TemplateID="2"/>' if template else ""
    body = "\n".join(objects)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{NS}">{use}'
            f'<ofd:Area><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:Area>'
            f'<ofd:Content><ofd:Layer ID="9" Type="Body">{body}</ofd:Layer></ofd:Content></ofd:Page>')


def text(x: float, y: float, words: str, *, ctm: str = "", size: float = SIZE, delta: str | None = None,
         extra: str = "") -> str:
    """A TextObject whose first glyph's top-left corner is near (x, y) mm; glyphs advance by DeltaX."""
    if delta is None:
        delta = f"g {len(words) - 1} {size}" if len(words) > 1 else ""
    ctm_attr = f' CTM="{ctm}"' if ctm else ""
    delta_attr = f' DeltaX="{delta}"' if delta else ""
    return (f'<ofd:TextObject ID="0" Boundary="{x} {y} 60 12" Font="3" Size="{size}"{ctm_attr}>'
            f'<ofd:TextCode X="0" Y="{size}"{delta_attr}{extra}>{words}</ofd:TextCode></ofd:TextObject>')


def path(boundary: str, data: str, attrs: str = "", children: str = "") -> str:
    return (f'<ofd:PathObject ID="0" Boundary="{boundary}" LineWidth="0.25"{attrs}>{children}'
            f'<ofd:AbbreviatedData>{data}</ofd:AbbreviatedData></ofd:PathObject>')


def line(x0: float, y0: float, x1: float, y1: float) -> str:
    """A stroked segment in page coordinates (the Boundary at the page origin)."""
    return path("0 0 210 297", f"M {x0} {y0} L {x1} {y1}")


TEMPLATE_XML = page_xml([
    # the table's outer frame comes from the template page: without it the grid has no outer border
    path(f"{COLUMNS[0]} {ROWS[0]} 170 50", "M 0 0 L 170 0 L 170 50 L 0 50 C"),
    text(100, 280, "- 1 -"),  # a page number in the footer: page furniture
], template=False)


def table_page() -> str:
    x, y = COLUMNS, ROWS
    cells = [
        # the caption spans all columns; drawn at twice the size and scaled down by its CTM
        text(x[0] + 1, y[0] + 1, "第二十条第（一）项", ctm="0.5 0 0 0.5 0 0", size=2 * SIZE),
        text(x[0] + 1, y[1] + 1, "类别"), text(x[1] + 1, y[1] + 1, "信息内容"),
        text(x[2] + 1, y[1] + 1, "本年制发件数"), text(x[3] + 1, y[1] + 1, "本年废止件数"),
        # two TextCodes in one object
        f'<ofd:TextObject ID="0" Boundary="{x[4] + 1} {y[1] + 1} 38 8" Font="3" Size="{SIZE}">'
        f'<ofd:TextCode X="0" Y="{SIZE}" DeltaX="g 2 {SIZE}">现行有</ofd:TextCode>'
        f'<ofd:TextCode X="{3 * SIZE}" DeltaX="{SIZE} {SIZE}">效件数</ofd:TextCode></ofd:TextObject>',
        # written top to bottom with DeltaY in the cell merged over two rows
        text(x[0] + 1, y[2] + 1, "文件", delta="0", extra=f' DeltaY="{SIZE + 1}"'),
        text(x[1] + 1, y[2] + 1, "规章"), text(x[2] + 1, y[2] + 1, "5", delta=""),
        text(x[3] + 1, y[2] + 1, "0", delta=""), text(x[4] + 1, y[2] + 1, "12", delta="1.8"),
        text(x[1] + 1, y[3] + 1, "行政规范性文件"), text(x[2] + 1, y[3] + 1, "38", delta="1.8"),
        text(x[3] + 1, y[3] + 1, "-4", delta="1.8"), text(x[4] + 1, y[3] + 1, "7730.28", delta="g 6 1.8"),
        text(x[0] + 1, y[4] + 1, "备注"), text(x[1] + 1, y[4] + 1, "无"),
    ]
    rules = [
        line(x[0], y[1], x[5], y[1]), line(x[0], y[2], x[5], y[2]), line(x[0], y[4], x[5], y[4]),
        # the row line under 规章 stops at the merged 文件 cell; placed by its CTM
        path("0 0 210 297", f"M {x[1] - x[0]} 0 L {x[5] - x[0]} 0", f' CTM="1 0 0 1 {x[0]} {y[3]}"'),
        line(x[1], y[1], x[1], y[5]), line(x[2], y[1], x[2], y[4]), line(x[4], y[1], x[4], y[4]),
        # a thin filled bar is a ruling line too
        path(f"{x[3] - 0.15} {y[1]} 0.3 30", "M 0 0 L 0.3 0 L 0.3 30 L 0 30 Z", ' Stroke="false" Fill="true"'),
        # a white line is invisible: it must not split a column
        path("0 0 210 297", f"M 60 {y[1]} L 60 {y[5]}", "", '<ofd:StrokeColor Value="255 255 255"/>'),
    ]
    block = "<ofd:PageBlock ID=\"0\">" + "".join(rules[3:]) + "</ofd:PageBlock>"
    prose = [text(20, 25, "一、总体情况"), text(20, 100, "全年主动公开政府信息1136条。")]
    return page_xml([*prose, *cells, *rules[:3], block])


def make_ofd(parts: dict[str, str | bytes] | None = None, drop: tuple[str, ...] = ()) -> bytes:
    files = {
        "OFD.xml": OFD_XML,
        "Doc_0/Document.xml": DOCUMENT_XML,
        "Doc_0/PublicRes.xml": PUBLIC_RES_XML,
        "Doc_0/Tpls/Tpl_0/Content.xml": TEMPLATE_XML,
        "Doc_0/Pages/Page_0/Content.xml": table_page(),
        **(parts or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in files.items():
            if name not in drop:
                package.writestr(name, content.encode("utf-8") if isinstance(content, str) else content)
    return out.getvalue()


def scanned_ofd(picture: Image.Image, dpi: float, origin: tuple[float, float] = (5.0, 20.0),
                page_text: str = "", media: bytes | None = None) -> bytes:
    """An OFD whose page is a scan: the picture as a JPEG in the DocumentRes (under its BaseLoc folder), placed
    at its size (``dpi``) with its top-left corner at ``origin`` mm by the ImageObject's Boundary and CTM; any
    ``page_text`` is written at the foot of the page, and ``media`` replaces the JPEG's bytes."""
    width, height = picture.width * 25.4 / dpi, picture.height * 25.4 / dpi
    jpeg = io.BytesIO(media)
    if media is None:
        picture.convert("L").save(jpeg, "JPEG", quality=90)
    res = (f'<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:MultiMedias><ofd:MultiMedia ID="5" Type="Image" '
           f'Format="JPEG"><ofd:MediaFile>scan_5.jpg</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias></ofd:Res>')
    scan = (f'<ofd:ImageObject ID="6" ResourceID="5" Boundary="{origin[0]} {origin[1]} {width} {height}" '
            f'CTM="{width} 0 0 {height} 0 0"/>')
    document = DOCUMENT_XML.replace("</ofd:PublicRes>", "</ofd:PublicRes><ofd:DocumentRes>DocumentRes.xml"
                                                        "</ofd:DocumentRes>")
    page = page_xml([scan, text(100, 280, page_text)] if page_text else [scan], template=False)
    return make_ofd({"Doc_0/Document.xml": document, "Doc_0/DocumentRes.xml": res,
                     "Doc_0/Res/scan_5.jpg": jpeg.getvalue(), "Doc_0/Pages/Page_0/Content.xml": page})


def only(document: Document, kind: type) -> list:
    return [block for block in document.blocks if isinstance(block, kind)]


def texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def pt(*mm: float) -> list[float]:
    return [round(v * PT_PER_MM, 1) for v in mm]


# --- reading -------------------------------------------------------------------------------------


def test_merged_cell_table_every_cell() -> None:
    document = read_bytes(make_ofd(), "t.ofd")
    assert document.format == "ofd"
    [table] = only(document, Table)
    assert texts(table) == [
        ["第二十条第（一）项", "", "", "", ""],
        ["类别", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["文件", "规章", "5", "0", "12"],
        ["", "行政规范性文件", "38", "-4", "7730.28"],
        ["备注", "无", "", "", ""],
    ]


def test_reading_order_paragraphs_and_page_number_dropped() -> None:
    document = read_bytes(make_ofd(), "t.ofd")
    kinds = [(type(b).__name__, b.text if isinstance(b, Paragraph) else len(b.rows)) for b in document.blocks]
    assert kinds == [("Paragraph", "一、总体情况"), ("Table", 5), ("Paragraph", "全年主动公开政府信息1136条。")]
    assert document.meta == {"pages": 1}


def test_positions_are_points_with_top_left_origin() -> None:
    document = read_bytes(make_ofd(), "t.ofd")
    [table] = only(document, Table)
    x, y = COLUMNS, ROWS
    assert table.rows[0][0].at == {"page": 1, "bbox": pt(x[0], y[0], x[5], y[1])}  # the merged caption
    assert table.rows[2][0].at["bbox"] == pt(x[0], y[2], x[1], y[4])  # merged over two rows
    assert table.rows[3][4].at["bbox"] == pt(x[4], y[3], x[5], y[4])
    heading = document.blocks[0].at["bbox"]  # 一、总体情况: baseline SIZE below the top of its Boundary at (20, 25)
    assert heading[0] == pt(20)[0]
    assert heading[1] < (25 + SIZE) * PT_PER_MM < heading[3] < (25 + 1.5 * SIZE) * PT_PER_MM


def test_text_runs_agree_with_ofdkit() -> None:
    ofdkit = pytest.importorskip("ofdkit", reason="ofdkit (test-only cross-check) is not installed")
    data = make_ofd()
    document = read_bytes(data, "t.ofd")
    ours = "".join(cell.text for row in document.rows() for cell in row.cells)
    theirs = "".join(run.text for run in ofdkit.open(io.BytesIO(data)).pages[0].runs)
    assert sorted(ours.replace(" ", "")) == sorted(theirs.replace(" ", "").replace("-1-", ""))


def test_delta_repeat_form() -> None:
    assert deltas("g 3 2.5 1 g 2 0.5", 6) == [2.5, 2.5, 2.5, 1.0, 0.5, 0.5]
    assert deltas("1.5", 3) == [1.5, None, None]
    assert deltas(None, 2) == [None, None]


def test_package_detected_as_ofd() -> None:
    assert detect_format(make_ofd()) == "ofd"


# --- refusals ------------------------------------------------------------------------------------


def _declare_size(data: bytes, name: str, size: int) -> bytes:
    """The package with the uncompressed size of ``name`` in the central directory set to ``size``."""
    entry = data.index(b"PK\x01\x02")
    while data[entry + 46: entry + 46 + len(name)] != name.encode():
        entry = data.index(b"PK\x01\x02", entry + 4)
    return data[: entry + 24] + struct.pack("<I", size) + data[entry + 28:]


@pytest.mark.parametrize("reader", ["dispatcher", "ofd"])
def test_zip_bomb_is_refused_before_unpacking(reader: str) -> None:
    data = _declare_size(make_ofd(), "Doc_0/Pages/Page_0/Content.xml", 0xFFFF_FFF0)
    with pytest.raises(NianbaoError) as caught:
        read_bytes(data, "bomb.ofd") if reader == "dispatcher" else ofd.read(data, "bomb.ofd", DEFAULTS)
    assert caught.value.code == "zip_bomb"
    assert caught.value.path == "bomb.ofd"


def test_package_with_too_many_files_is_refused_by_the_ofd_reader_too() -> None:
    settings = resolve({"reader": {"max_archive_members": 4}})  # the package has 5 parts
    with pytest.raises(NianbaoError) as caught:
        ofd.read(make_ofd(), "many.ofd", settings)
    assert caught.value.code == "zip_bomb" and "max_archive_members = 4" in caught.value.reason


def test_path_traversal_is_refused() -> None:
    with pytest.raises(NianbaoError) as caught:
        read_bytes(make_ofd({"../../etc/evil.xml": "<x/>"}), "evil.ofd")
    assert caught.value.code == "corrupt" and "outside the package" in caught.value.reason
    escaping = DOCUMENT_XML.replace("Pages/Page_0/Content.xml", "../../../etc/passwd")
    with pytest.raises(NianbaoError) as caught:
        read_bytes(make_ofd({"Doc_0/Document.xml": escaping}), "evil.ofd")
    assert caught.value.code == "corrupt" and "outside the package" in caught.value.reason


@pytest.mark.parametrize(("change", "words"), [
    ({"Doc_0/Pages/Page_0/Content.xml": "<ofd:Page xmlns:ofd='x'><ofd:Content>"}, "not well-formed"),
    ({"OFD.xml": OFD_XML.replace("<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>", "")}, "DocRoot"),
    ({"Doc_0/Document.xml": DOCUMENT_XML.replace("0 0 210 297", "0 0 a4")}, "corrupt OFD"),
    ({"Doc_0/Pages/Page_0/Content.xml": page_xml([path("0 0 10 10", "M 0 0 L 5")])}, "too few numbers"),
])
def test_broken_ofd_is_refused(change: dict[str, str], words: str) -> None:
    with pytest.raises(NianbaoError) as caught:
        read_bytes(make_ofd(change), "broken.ofd")
    assert caught.value.code == "corrupt"
    assert words in caught.value.reason


def test_missing_page_part_and_truncated_package_are_refused() -> None:
    with pytest.raises(NianbaoError) as caught:
        read_bytes(make_ofd(drop=("Doc_0/Pages/Page_0/Content.xml",)), "missing.ofd")
    assert caught.value.code == "corrupt" and "missing part" in caught.value.reason
    data = make_ofd()
    with pytest.raises(NianbaoError) as caught:
        ofd.read(data[: len(data) // 2], "cut.ofd", DEFAULTS)
    assert caught.value.code == "corrupt" and caught.value.path == "cut.ofd"


def test_entities_are_not_expanded() -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
            '<!ENTITY ext SYSTEM "file:///etc/passwd">]>')
    page = page_xml([text(20, 25, "&lol2;&ext;正文")]).replace('<?xml version="1.0" encoding="UTF-8"?>', bomb)
    document = read_bytes(make_ofd({"Doc_0/Pages/Page_0/Content.xml": page}), "ent.ofd")
    assert [b.text for b in document.blocks] == ["&lol2;&ext;正文"]  # not expanded, no file read


def test_ofd_without_text_is_refused() -> None:
    page = page_xml([line(20, 20, 100, 20)], template=False)
    with pytest.raises(NianbaoError) as caught:
        read_bytes(make_ofd({"Doc_0/Pages/Page_0/Content.xml": page}), "empty.ofd")
    assert caught.value.code == "no_text"


def _ruled_picture() -> Image.Image:
    """A blank page with a frame, 203 × 279 mm at 100 dpi: nearly all of an A4 page."""
    picture = Image.new("L", (800, 1100), 255)
    ImageDraw.Draw(picture).rectangle((100, 100, 700, 500), outline=0, width=3)
    return picture


@pytest.mark.parametrize("page_text", ["", "- 1 -"])
def test_scanned_ofd_without_the_ocr_extra_is_refused_clearly(monkeypatch: pytest.MonkeyPatch, page_text: str) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr", None)  # as if the [ocr] extra were not installed
    with pytest.raises(NianbaoError) as caught:
        read_bytes(scanned_ofd(_ruled_picture(), 100, (3.0, 3.0), page_text), "scan.ofd")
    assert caught.value.code == "no_text_layer"
    assert "scanned OFD" in caught.value.reason and "pip install 'nianbao[ocr]'" in caught.value.reason


def test_picture_fills_its_unit_square_or_without_a_ctm_its_boundary() -> None:
    placed = etree.fromstring(f'<ofd:ImageObject xmlns:ofd="{NS}" Boundary="10 20 100 50" CTM="0 40 -80 0 80 0"/>')
    assert picture_matrix(placed) == pytest.approx(tuple(v * PT_PER_MM for v in (0, 40, -80, 0, 90, 20)))
    filling = etree.fromstring(f'<ofd:ImageObject xmlns:ofd="{NS}" Boundary="10 20 100 50"/>')
    assert picture_matrix(filling) == pytest.approx(tuple(v * PT_PER_MM for v in (100, 0, 0, 50, 10, 20)))


def test_text_ofd_with_a_small_picture_is_not_a_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr", None)  # OCR is never needed: the page has text
    logo = '<ofd:ImageObject ID="7" ResourceID="404" Boundary="170 5 20 20" CTM="20 0 0 20 0 0"/>'
    page = table_page().replace('<ofd:Layer ID="9" Type="Body">', f'<ofd:Layer ID="9" Type="Body">{logo}')
    document = read_bytes(make_ofd({"Doc_0/Pages/Page_0/Content.xml": page}), "logo.ofd")
    assert document.meta == {"pages": 1}  # no ocr_pages, and the logo's missing resource is never looked up
    assert texts(only(document, Table)[0])[2] == ["文件", "规章", "5", "0", "12"]
