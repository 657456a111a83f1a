"""Legacy .doc reader: LibreOffice conversion of a report in the official 表三 geometry, batches, clear errors."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from nianbao.document import Paragraph, Table
from nianbao.errors import NianbaoError
from nianbao.readers import doc as doc_reader
from nianbao.readers import read, read_bytes
from nianbao.settings import DEFAULTS

from .official import T3_COLS, T3_ROWS, expected_grid, t3_anchors
from .test_docx import add_table

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def require_libreoffice() -> str:
    binary = doc_reader.find_soffice()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) must be installed in CI: apt-get install libreoffice-writer-nogui")
        pytest.skip("LibreOffice (soffice) is not on PATH: apt-get install libreoffice-writer-nogui to run this test")
    return binary


def soffice_convert(binary: str, source: Path, target_format: str, workdir: Path) -> Path:
    subprocess.run([binary, "--headless", "--norestore", f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
                    "--convert-to", target_format, "--outdir", str(workdir), str(source)],
                   check=True, capture_output=True, timeout=300)
    return workdir / f"{source.stem}.{target_format}"


@pytest.fixture(scope="module")
def doc_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A .doc made by LibreOffice from a python-docx report holding the official 表三.

    Goes through .odt: LibreOffice 7.4 drops python-docx tables when it writes .doc straight from .docx.
    """
    binary = require_libreoffice()
    workdir = tmp_path_factory.mktemp("doc")
    document = docx.Document()
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    add_table(document, t3_anchors(), T3_ROWS, T3_COLS)
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    document.save(workdir / "report.docx")
    odt = soffice_convert(binary, workdir / "report.docx", "odt", workdir)
    return soffice_convert(binary, odt, "doc", workdir)


def test_doc_is_read_through_libreoffice(doc_file: Path) -> None:
    document = read(doc_file)
    assert document.format == "doc"
    assert [b.text for b in document.blocks if isinstance(b, Paragraph)] == [
        "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]
    [table] = [b for b in document.blocks if isinstance(b, Table)]
    grid = [[c.text for c in row] for row in table.rows]
    assert grid == expected_grid(t3_anchors(), T3_ROWS, T3_COLS)
    flat = [text for row in grid for text in row]
    assert flat.count("三、本年度办理结果") == 1 and flat.count("（三）不予公开") == 1


def test_convert_many_converts_a_batch_in_one_call(doc_file: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "年度报告.doc", tmp_path / "b" / "年度报告.doc"
    for target in (first, second):
        target.parent.mkdir()
        shutil.copyfile(doc_file, target)
    missing = tmp_path / "missing.doc"
    converted = doc_reader.convert_many([first, str(second), missing])
    assert set(converted) == {str(first), str(second), str(missing)}
    for name in (str(first), str(second)):
        result = converted[name]
        assert isinstance(result, bytes)
        assert read_bytes(result, name).format == "docx"
    assert isinstance(converted[str(missing)], NianbaoError)
    assert doc_reader.convert_many([]) == {}


def test_slow_conversion_is_a_timeout_error(doc_file: Path) -> None:
    [result] = doc_reader.convert_many([doc_file], timeout=0.01).values()
    assert isinstance(result, NianbaoError) and result.code == "timeout"


def test_unreadable_doc_is_a_corrupt_error() -> None:
    require_libreoffice()
    junk = OLE_MAGIC + b"\0" * 100 + "WordDocument".encode("utf-16-le") + b"\x01\x02" * 2000
    with pytest.raises(NianbaoError) as caught:
        doc_reader.read(junk, "junk.doc", DEFAULTS)
    assert caught.value.code == "corrupt" and "LibreOffice could not convert" in caught.value.reason


def test_missing_libreoffice_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    data = OLE_MAGIC + b"\0" * 100 + "WordDocument".encode("utf-16-le")
    with pytest.raises(NianbaoError) as caught:
        read_bytes(data, "old.doc")
    assert caught.value.code == "missing_dependency"
    assert caught.value.reason == "reading .doc files needs LibreOffice (apt-get install libreoffice-writer-nogui)"
    with pytest.raises(NianbaoError):
        doc_reader.convert_many(["old.doc"])


def test_ole2_file_without_a_word_document_is_unsupported() -> None:
    with pytest.raises(NianbaoError) as caught:
        read_bytes(OLE_MAGIC + b"\0" * 100 + "Workbook".encode("utf-16-le"), "table.xls")
    assert caught.value.code == "unsupported"
