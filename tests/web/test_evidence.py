"""Evidence of a cell: describing its location, source lines, and the PDF page with the cell's box drawn."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from nianbao.web.evidence import BOX_COLOUR, PAGE_SCALE, describe_at, page_png, source_lines
from tests.conftest import shared_path

WIDTH, HEIGHT = A4
BOX = (100.0, 200.0, 160.0, 220.0)


def _pdf(pages: int = 2) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for _ in range(pages):
        canvas.drawString(BOX[0] + 5, HEIGHT - BOX[3] + 5, "42")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _red(pixel: Any) -> bool:
    return bool(tuple(pixel[:3]) == BOX_COLOUR)


def test_page_png_outlines_the_cell_on_the_whole_page() -> None:
    image = Image.open(io.BytesIO(page_png(_pdf(), "pdf", {"page": 2, "bbox": list(BOX)}, band=False)))
    assert abs(image.width - WIDTH * PAGE_SCALE) < 2 and abs(image.height - HEIGHT * PAGE_SCALE) < 2
    x0, top, x1, bottom = (v * PAGE_SCALE for v in BOX)
    middle = int((top + bottom) / 2)
    left = [x for x in range(int(x0) - 10, int(x0) + 10) if _red(image.getpixel((x, middle)))]
    assert left, "no outline at the cell's left edge"
    assert not _red(image.getpixel((int((x0 + x1) / 2), middle)))


def test_page_png_is_cut_around_the_cell() -> None:
    image = Image.open(io.BytesIO(page_png(_pdf(), "pdf", {"page": 1, "bbox": list(BOX)})))
    assert image.width < WIDTH * PAGE_SCALE * 0.7 and image.height < HEIGHT * PAGE_SCALE / 3


@pytest.mark.parametrize(("at", "expected"), [
    ({"line": 35, "cell": 7}, "第 35 行第 8 格"),
    ({"table": 1, "row": 3, "col": 9}, "第 2 个表格，第 4 行第 10 列"),
    ({"page": 3, "bbox": [483.1, 478.8, 516.5, 501.6]}, "第 3 页，区域 (483.1, 478.8)–(516.5, 501.6) 磅"),
    ({}, "未记录位置"),
])
def test_describe_at(at: dict[str, Any], expected: str) -> None:
    assert describe_at(at) == expected


def test_source_lines_keep_the_reader_numbering() -> None:
    lines = source_lines("一\r\n二\r\n三\r\n四\r\n五\r\n".encode(), "x.txt", 2, context=1)
    assert [(line.number, line.text, line.target) for line in lines] == [(1, "一", False), (2, "二", True),
                                                                          (3, "三", False)]


def test_a_real_pdf_report_shows_its_page(tmp_path: Any) -> None:
    pytest.importorskip("fastapi", reason="the web tests need the [web] extra: pip install 'nianbao[web]'")
    pytest.importorskip("httpx2", reason="FastAPI's TestClient needs httpx2: pip install httpx2")
    from fastapi.testclient import TestClient

    from nianbao.web import create_app

    pdf = shared_path("corpus", "raw", "zxj6827111-blip__KIROGOVCOMPARE", "sample_pdfs_v1", "hzq2023_working.pdf")
    with TestClient(create_app(tmp_path / "corpus.duckdb")) as client:
        body = client.post("/api/reports", files={"file": (pdf.name, pdf.read_bytes(), "application/pdf")}).json()
        fragment = client.get(f"/reports/{body['id']}/cells/t4.review_total").text
        assert "第 4 页" in fragment and "/cells/t4.review_total/page.png" in fragment
        png = client.get(f"/reports/{body['id']}/cells/t4.review_total/page.png")
        assert png.headers["content-type"] == "image/png"
        assert Image.open(io.BytesIO(png.content)).width < WIDTH * PAGE_SCALE
        full = client.get(f"/reports/{body['id']}/cells/t4.review_total/page.png", params={"full": 1})
        assert abs(Image.open(io.BytesIO(full.content)).width - WIDTH * PAGE_SCALE) < 2
