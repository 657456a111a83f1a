"""``nianbao debug``: the page a PDF or a scan shows, with what the reader saw drawn in its colours over the table,
and one Chinese line naming the file when it cannot be drawn."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageFont
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.readers.raster import POINTS_PER_INCH
from nianbao.render.sight import CELL_COLOUR, CHAR_COLOUR, ROW_COLOUR, RULE_COLOUR
from nianbao.settings import DEFAULTS

from .readers.test_image import COLUMNS, ROWS, draw_scan, png
from .readers.test_image import font as font
from .readers.test_image import ocr as ocr
from .readers.test_pdf import HEIGHT, WIDTH, _table_page, make_pdf

TABLE_PT = (72.0, 100.0, 492.0, 180.0)
"""Where ``_table_page`` draws its ruled table (x0, top, x1, bottom in points)."""


def _colours_inside(picture: Image.Image, box: tuple[float, float, float, float]) -> set[tuple[int, int, int]]:
    crop = picture.convert("RGB").crop(tuple(round(v) for v in box))
    return {colour for _, colour in crop.getcolors(crop.width * crop.height)}


def _debug(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["debug", *args])
    return result.exit_code, result.output


def test_a_pdf_page_is_drawn_with_chars_lines_cells_and_placed_rows(tmp_path: Path) -> None:
    source, out = tmp_path / "report.pdf", tmp_path / "page.png"
    source.write_bytes(make_pdf(_table_page))
    code, output = _debug(str(source), "--page", "1", "-o", str(out))
    assert code == 0, output
    picture = Image.open(out)
    scale = DEFAULTS.scan.render_dpi / POINTS_PER_INCH  # the page as the reader renders it
    assert abs(picture.width - WIDTH * scale) <= 1 and abs(picture.height - HEIGHT * scale) <= 1
    inside = _colours_inside(picture, tuple(v * scale for v in TABLE_PT))
    assert {CHAR_COLOUR, RULE_COLOUR, ROW_COLOUR} <= inside
    above = _colours_inside(picture, (0, 0, picture.width, TABLE_PT[1] * scale - 4 * scale))
    assert RULE_COLOUR not in above and ROW_COLOUR not in above  # the heading's chars only


def test_a_scan_is_drawn_with_the_boxes_ocr_read(tmp_path: Path, ocr: None, font: ImageFont.FreeTypeFont) -> None:
    source, out = tmp_path / "scan.png", tmp_path / "page.png"
    scan = draw_scan(font, angle=0.0)
    source.write_bytes(png(scan))
    code, output = _debug(str(source), "-o", str(out))
    assert code == 0, output
    picture = Image.open(out)
    assert picture.size == scan.size  # scanned at DPI, read at DPI: one pixel per pixel
    table = (COLUMNS[0], ROWS[0], COLUMNS[-1], ROWS[-1])
    assert {CHAR_COLOUR, RULE_COLOUR, CELL_COLOUR} <= _colours_inside(picture, table)


def test_a_file_that_cannot_be_drawn_gives_one_chinese_line_naming_it(tmp_path: Path) -> None:
    broken, out = tmp_path / "broken.pdf", tmp_path / "page.png"
    broken.write_bytes(b"%PDF-1.4\nnot a pdf at all")
    code, output = _debug(str(broken), "-o", str(out))
    assert code == 2 and not out.exists()
    assert output.count("\n") == 1 and output.startswith("错误") and "broken.pdf" in output


@pytest.mark.parametrize(("name", "data", "words"), [
    ("report.txt", "一、总体情况\n".encode(), "只有 PDF、OFD 和扫描图片有页面可画"),
    ("report.pdf", None, "没有第 9 页"),
])
def test_a_page_that_is_not_there_is_named(tmp_path: Path, name: str, data: bytes | None, words: str) -> None:
    source = tmp_path / name
    source.write_bytes(data if data is not None else make_pdf(_table_page))
    code, output = _debug(str(source), "--page", "9", "-o", str(tmp_path / "page.png"))
    assert code == 2 and words in output and name in output
