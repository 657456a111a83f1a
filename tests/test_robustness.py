"""The bad-input matrix: every case ends in a clear error or warning naming the file and the reason,
within a time limit, and a batch records it and goes on (docs/robustness.md)."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nianbao import NianbaoError
from nianbao.cli import app
from nianbao.guard import guarded_parse
from nianbao.render import render
from nianbao.synth import consistent_report

LIMIT_SECONDS = 30
BOMB_MEBIBYTES = 300
runner = CliRunner()


def _docx() -> bytes:
    return render(consistent_report("2021", 1), "docx")


def _zip_with(name: str, payload: bytes, base: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, payload if item.filename == name else source.read(item.filename))
    return out.getvalue()


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_docx())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == "word/document.xml":
                with target.open(item.filename, "w") as handle:
                    chunk = b" " * (1 << 20)
                    for _ in range(BOMB_MEBIBYTES):
                        handle.write(chunk)
            else:
                target.writestr(item, source.read(item.filename))
    return out.getvalue()


ENTITY_BOMB = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
               + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9))
               + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
               b"<w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>")


def _deep_html() -> bytes:
    return b"<html><body>" + b"<div>" * 200_000 + "深".encode() + b"</div>" * 200_000 + b"</body></html>"


def _truncated_pdf() -> bytes:
    reportlab = pytest.importorskip("reportlab.pdfgen.canvas")
    buffer = io.BytesIO()
    canvas = reportlab.Canvas(buffer)
    canvas.drawString(72, 720, "2021 annual report")
    canvas.save()
    return buffer.getvalue()[: len(buffer.getvalue()) // 2]


CASES = {
    "empty": (lambda: b"", "empty"),
    "binary junk": (lambda: bytes(range(256)) * 64, "binary"),
    "truncated pdf": (_truncated_pdf, "corrupt"),
    "truncated docx": (lambda: _docx()[:4000], "corrupt"),
    "docx zip bomb": (_zip_bomb, "zip_bomb"),
    "xml entity bomb": (lambda: _zip_with("word/document.xml", ENTITY_BOMB, _docx()), "corrupt"),
    "html nested 200000 levels": (_deep_html, "not_a_report"),
    "not a report": ("天气很好，我们去公园散步。\n".encode() * 50, "not_a_report"),
    "report without tables": ("临水县人民政府2021年政府信息公开工作年度报告\n一、总体情况\n正文。\n"
                              "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n".encode(), "warning"),
    "mixed encodings": ("临水县人民政府2021年政府信息公开工作年度报告\n".encode("gb18030")
                        + "一、总体情况\n正文。\n".encode(), "warning"),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_ends_in_a_clear_error_or_warning(case: str, tmp_path: Path) -> None:
    make, expected = CASES[case]
    data = make() if callable(make) else make
    path = tmp_path / "input.bin"
    path.write_bytes(data)
    start = time.monotonic()
    try:
        report = guarded_parse(path)
    except NianbaoError as err:
        assert err.path == str(path) and err.reason
        assert expected in (None, err.code), (err.code, err.reason)
    else:
        assert expected in (None, "warning")
        assert any(f.severity in ("warning", "error") for f in report.findings)
    assert time.monotonic() - start < LIMIT_SECONDS


def test_a_one_gigabyte_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(1 << 30)
    start = time.monotonic()
    with pytest.raises(NianbaoError) as caught:
        guarded_parse(path)
    assert caught.value.code == "too_large" and time.monotonic() - start < 1


def test_a_batch_records_every_bad_input_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a-empty.txt").write_bytes(b"")
    (tmp_path / "b-junk.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 10)
    (tmp_path / "c-good.txt").write_bytes(render(consistent_report("2019", 2), "txt"))
    (tmp_path / "d-bomb.docx").write_bytes(_zip_with("word/document.xml", ENTITY_BOMB, _docx()))
    result = runner.invoke(app, ["audit", str(tmp_path)])
    assert result.exit_code == 2
    for name in ("a-empty.txt", "b-junk.pdf", "d-bomb.docx"):
        assert f"{tmp_path / name}:" in result.output
    assert "c-good.txt: 青石县人民政府办公室 2020年" in result.output


def test_a_500_page_pdf_is_read_within_the_time_limit(tmp_path: Path) -> None:
    canvas_module = pytest.importorskip("reportlab.pdfgen.canvas")
    path = tmp_path / "long.pdf"
    canvas = canvas_module.Canvas(str(path))
    for page in range(500):
        canvas.drawString(72, 720, f"page {page + 1}: nothing but filler text")
        canvas.line(72, 700, 500, 700)
        canvas.showPage()
    canvas.save()
    start = time.monotonic()
    with pytest.raises(NianbaoError) as caught:
        guarded_parse(path)
    assert caught.value.code == "not_a_report"
    assert time.monotonic() - start < 120
