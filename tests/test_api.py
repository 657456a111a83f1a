"""``nianbao.api.parse_file``: one read of a file gives the Document, the Report and the region behind its meta."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.api import find_inputs, parse, parse_bytes, parse_file
from nianbao.document import Document
from nianbao.errors import NianbaoError
from nianbao.render import render
from nianbao.synth import consistent_report


def _written(tmp_path: Path, agency: str, fmt: str = "txt") -> Path:
    path = tmp_path / f"report.{fmt}"
    path.write_bytes(bytes(render(consistent_report("2021", seed=3, agency=agency, year=2023), fmt)))
    return path


def test_parse_file_keeps_the_document_the_report_was_read_from(tmp_path: Path) -> None:
    path = _written(tmp_path, "四平市铁西区人民政府办公室", "docx")
    parsed = parse_file(path)
    assert isinstance(parsed.document, Document) and parsed.document.format == "docx"
    assert parsed.document.sha256 == parsed.report.source.sha256
    places = [cell.at for row in parsed.document.rows() for cell in row.cells]
    cell = parsed.report.cell("t3.new_received.total")
    assert cell is not None and cell.at in places
    alone = parse(path).model_dump()
    assert parsed.report.model_dump() == alone == parse_bytes(path.read_bytes(), str(path)).model_dump()


def test_parse_file_of_bytes_reads_them_and_names_them_by_path(tmp_path: Path) -> None:
    path = _written(tmp_path, "四平市铁西区人民政府办公室")
    parsed = parse_file("上传.txt", data=path.read_bytes())
    assert parsed.report.source.path == parsed.document.path == "上传.txt"


def test_the_region_of_parsed_is_the_one_in_its_meta(tmp_path: Path) -> None:
    parsed = parse_file(_written(tmp_path, "四平市铁西区人民政府办公室"))
    assert parsed.region.status == "resolved" and parsed.region.division is not None
    region = parsed.report.meta.region
    assert region is not None and (region.city, region.county, region.code) == ("四平市", "铁西区", "220302")
    assert region.code == parsed.region.division.code


def test_an_ambiguous_agency_keeps_its_candidates_and_prints_no_region(tmp_path: Path) -> None:
    parsed = parse_file(_written(tmp_path, "铁西区人民政府办公室"))
    assert parsed.region.status == "ambiguous" and len(parsed.region.candidates) == 3
    assert parsed.report.meta.region is None


def test_find_inputs_walks_directories_by_the_readable_suffixes_and_keeps_paths_as_given(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nianbao.readers import FORMAT_SUFFIXES

    for name in ("b/z.TIF", "b/a.htm", "a.md", "notes.csv", "b/c/d.ofd"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    found = find_inputs(["b", ".", "a.md"])
    assert [str(p) for p in found] == ["a.md", "b/a.htm", "b/c/d.ofd", "b/z.TIF"]
    assert ".tif" in FORMAT_SUFFIXES["image"]
    with pytest.raises(NianbaoError) as missing:
        find_inputs(["nope"])
    assert missing.value.path == "nope" and missing.value.code == "unreadable"


def test_find_inputs_lists_in_path_order_where_a_name_extends_another(tmp_path: Path) -> None:
    names = ("a/x.txt", "a-b.txt", "a.txt", "a b/y.txt", "ab/c/z.txt", "ab/c.txt", "a/b/w.txt", "年报/2023.txt",
             "a/b.txt")
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in find_inputs([tmp_path / "ab", tmp_path, tmp_path / "a.txt"])]
    assert found == [p.relative_to(tmp_path).as_posix() for p in sorted(tmp_path / name for name in names)]
