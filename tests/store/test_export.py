"""Exports: every format opens with the documented columns, the codebook lists them all, re-exports are identical."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from nianbao.errors import NianbaoError
from nianbao.store import export, ingest, query
from nianbao.store.tables import exported_specs

TABLE_FILES = [spec.name for spec in exported_specs()]


@pytest.fixture
def db(corpus_dir: Path, tmp_path: Path) -> Path:
    path = tmp_path / "corpus.duckdb"
    ingest([corpus_dir], path, workers=1)
    return path


def _package(directory: Path) -> dict[str, dict[str, object]]:
    package = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    return {r["name"]: r for r in package["resources"]}


def _fields(resource: dict[str, object]) -> list[str]:
    return [f["name"] for f in resource["schema"]["fields"]]  # type: ignore[index]


def test_csv_export_opens_in_pandas_with_the_documented_columns(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    written = export(db, out, "csv")
    assert [p.name for p in written] == [f"{n}.csv" for n in TABLE_FILES] + ["datapackage.json", "CODEBOOK.md"]
    resources = _package(out)
    codebook = (out / "CODEBOOK.md").read_text(encoding="utf-8")
    for name in TABLE_FILES:
        frame = pd.read_csv(out / f"{name}.csv", keep_default_na=False)
        assert list(frame.columns) == _fields(resources[name]), name
        assert f"## {name} " in codebook
        for column in frame.columns:
            assert f"| `{column}` |" in codebook, (name, column)
    assert len(pd.read_csv(out / "reports.csv")) == 6
    assert "ingested_at" not in _fields(resources["reports"])


def test_titles_are_the_printed_labels(db: Path, tmp_path: Path) -> None:
    export(db, tmp_path / "out", "csv")
    fields = {f["name"]: f for f in _package(tmp_path / "out")["t3_wide"]["schema"]["fields"]}  # type: ignore[index]
    assert fields["natural_person"]["title"] == "自然人"
    assert fields["natural_person"]["constraints"] == {"minimum": 0}
    t4 = {f["name"]: f["title"] for f in _package(tmp_path / "out")["t4_wide"]["schema"]["fields"]}  # type: ignore[index]
    assert t4["lit_direct_total"] == "行政诉讼·未经复议直接起诉·总计"


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json", "xlsx"])
def test_re_exports_are_byte_identical(db: Path, tmp_path: Path, fmt: str) -> None:
    if fmt == "xlsx":
        pytest.importorskip("openpyxl", reason="xlsx export needs openpyxl")
    first, second = export(db, tmp_path / "a", fmt), export(db, tmp_path / "b", fmt)
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_parquet_and_json_open_in_duckdb(db: Path, tmp_path: Path) -> None:
    export(db, tmp_path / "pq", "parquet")
    export(db, tmp_path / "js", "json")
    resources = _package(tmp_path / "pq")
    for name in TABLE_FILES:
        for path in (tmp_path / "pq" / f"{name}.parquet", tmp_path / "js" / f"{name}.json"):
            if path.suffix == ".json" and not json.loads(path.read_text(encoding="utf-8")):  # no row, no columns
                continue
            relation = duckdb.sql(f"SELECT * FROM '{path}'")
            assert relation.columns == _fields(resources[name]), path


def test_xlsx_opens_in_pandas_with_printed_labels_or_keys(db: Path, tmp_path: Path) -> None:
    pytest.importorskip("openpyxl", reason="xlsx export needs openpyxl")
    export(db, tmp_path / "x", "xlsx", headers="keys")
    frame = pd.read_excel(tmp_path / "x" / "t4_wide.xlsx")
    assert list(frame.columns) == _fields(_package(tmp_path / "x")["t4_wide"]) and len(frame) == 6
    export(db, tmp_path / "labels", "xlsx")
    fields = _package(tmp_path / "labels")["reports"]["schema"]["fields"]  # type: ignore[index]
    labelled = pd.read_excel(tmp_path / "labels" / "reports.xlsx")
    assert list(labelled.columns) == [f.get("title") or f["name"] for f in fields]
    assert "报告单位" in labelled.columns and "agency" not in labelled.columns


def test_where_selects_reports_and_their_rows(db: Path, tmp_path: Path) -> None:
    export(db, tmp_path / "out", "csv", where="year = 2023")
    reports = pd.read_csv(tmp_path / "out" / "reports.csv")
    cells = pd.read_csv(tmp_path / "out" / "cells.csv")
    assert set(reports["year"]) == {2023} and len(reports) == 3
    assert set(cells["report_id"]) == set(reports["id"])


def test_a_bad_where_or_format_is_a_clear_error(db: Path, tmp_path: Path) -> None:
    with pytest.raises(NianbaoError) as caught:
        export(db, tmp_path / "out", "csv", where="no_such_column = 1")
    assert caught.value.code == "bad_query"
    with pytest.raises(NianbaoError) as caught:
        export(db, tmp_path / "out", "sav")
    assert caught.value.code == "bad_option"


def test_the_csv_package_validates_with_frictionless(db: Path, tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless", reason="frictionless is an optional dev dependency")
    export(db, tmp_path / "out", "csv")
    report = frictionless.validate(tmp_path / "out" / "datapackage.json")
    assert report.valid, report.flatten(["taskNumber", "rowNumber", "fieldName", "type", "note"])[:10]


def test_queries_are_read_only(db: Path) -> None:
    with pytest.raises(NianbaoError) as caught:
        query(db, "DELETE FROM reports")
    assert caught.value.code == "bad_query"
    assert query(db, "SELECT count(*) FROM reports")[1] == [(6,)]


HOSTILE_AGENCY = "=青石县人民政府办公室"
HOSTILE_TEXTS = ("+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,1)", "\t=1")


def test_spreadsheet_exports_never_carry_a_live_formula(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from nianbao.render.text import render_text
    from nianbao.synth import consistent_report

    report = consistent_report("2021", seed=3, agency=HOSTILE_AGENCY, year=2023)
    report.sections.update(zip(("overview", "problems_improvements", "other_matters"), HOSTILE_TEXTS, strict=False))
    path = tmp_path / "corpus.duckdb"
    source = tmp_path / "hostile.txt"
    source.write_text(render_text(report), encoding="utf-8")
    ingest([source], path, workers=1)
    export(path, tmp_path / "csv", "csv")
    export(path, tmp_path / "xlsx", "xlsx")
    csv_text = "".join(p.read_text(encoding="utf-8-sig") for p in (tmp_path / "csv").glob("*.csv"))
    assert f"'{HOSTILE_AGENCY}" in csv_text and f",{HOSTILE_AGENCY}" not in csv_text
    assert "'+1+cmd" in csv_text and ",+1+cmd" not in csv_text
    values = []
    for book_path in (tmp_path / "xlsx").glob("*.xlsx"):
        for sheet in load_workbook(book_path).worksheets:
            for row in sheet.iter_rows():
                assert all(cell.data_type != "f" for cell in row)
                values += [cell.value for cell in row if isinstance(cell.value, str)]
    assert values and not [v for v in values if v.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert f"'{HOSTILE_AGENCY}" in values and "'-2+3" in values


def test_csv_opens_in_excel_as_utf8_with_whole_counts(db: Path, tmp_path: Path) -> None:
    export(db, tmp_path / "out", "csv")
    for path in (tmp_path / "out").glob("*.csv"):
        assert path.read_bytes().startswith("\ufeff".encode()), path.name
    cells = pd.read_csv(tmp_path / "out" / "cells.csv", dtype=str, keep_default_na=False)
    values = [v for v in cells["value"] if v]
    assert values and not [v for v in values if v.endswith(".0")]
