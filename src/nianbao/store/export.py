"""Corpus database → files: reports, cells, findings, sections and the wide views as CSV, Parquet, XLSX or JSON,
with ``datapackage.json`` and ``CODEBOOK.md`` beside them.

CSV files start with a UTF-8 byte-order mark and write whole numbers without a decimal point; text in CSV and XLSX
files is made inert (a spreadsheet shows it, never runs it as a formula).
Deterministic: rows in key order, no wall-clock timestamps (the ingest time is not exported, XLSX dates are
pinned), so exporting the same database twice gives byte-identical files.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import duckdb

from ..errors import NianbaoError
from ..options import FORMATS, HEADERS
from .codebook import codebook_markdown, datapackage
from .db import connect, sandboxed, user_sql_error
from .inert import inert, inert_sql
from .tables import Spec, exported_specs

XLSX_MAX_ROWS = 1_048_575
BOM = "\ufeff".encode()
_COPY_BUFFER = 1 << 20
_XLSX_FETCH = 10_000
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FIXED_XML_TIME = "2000-01-01T00:00:00Z"
_CORE_DATES = re.compile(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _column(name: str, sql: str, spreadsheet: bool) -> str:
    """A column of an export query; for a spreadsheet (CSV), text made inert and whole numbers written without
    a decimal point (4, not 4.0)."""
    if spreadsheet and sql == "VARCHAR":
        return f"{inert_sql(name)} AS {name}"
    if spreadsheet and sql == "DOUBLE":
        return f"CASE WHEN {name} = trunc({name}) AND abs({name}) < 1e15 THEN CAST({name} AS BIGINT)::VARCHAR " \
               f"ELSE {name}::VARCHAR END AS {name}"
    return name


def _select(spec: Spec, where: str | None, spreadsheet: bool = False) -> str:
    """The export query of ``spec`` (for a spreadsheet: see ``_column``)."""
    columns = ", ".join(_column(c.name, c.sql, spreadsheet) for c in spec.exported())
    if spec.name == "reports":
        condition = "id IN (SELECT id FROM _selected)"
    elif spec.name == "findings" and where is None:
        condition = "report_id IN (SELECT id FROM _selected) OR report_id IS NULL"
    else:
        condition = "report_id IN (SELECT id FROM _selected)"
    return f"SELECT {columns} FROM {spec.name} WHERE {condition} ORDER BY {spec.order_by}"


def _copy(con: duckdb.DuckDBPyConnection, sql: str, path: Path, options: str) -> None:
    con.execute(f"COPY ({sql}) TO '{_quoted(path)}' ({options})")


def _with_bom(path: Path) -> None:
    """Start a UTF-8 file with the byte-order mark, which Excel on Chinese Windows needs to read it as UTF-8."""
    marked = path.with_name(path.name + ".bom")
    with path.open("rb") as source, marked.open("wb") as target:
        target.write(BOM)
        shutil.copyfileobj(source, target, _COPY_BUFFER)
    marked.replace(path)


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _pinned_xlsx(data: bytes, path: Path) -> None:
    """Rewrite an XLSX with fixed entry times and document dates (openpyxl stamps the current time)."""
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(rf"\g<1>{_FIXED_XML_TIME}\g<2>", content.decode()).encode()
            target.writestr(zipfile.ZipInfo(item.filename, _FIXED_ZIP_TIME), content, zipfile.ZIP_DEFLATED)


def _write_xlsx(con: duckdb.DuckDBPyConnection, sql: str, spec: Spec, path: Path, headers: str) -> None:
    try:
        from openpyxl import Workbook
    except ModuleNotFoundError:
        raise NianbaoError(str(path), "missing_dependency",
                           "exporting XLSX needs the package 'openpyxl': pip install openpyxl") from None
    count = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()
    if count and count[0] > XLSX_MAX_ROWS:
        raise NianbaoError(str(path), "too_many_rows", f"{spec.name} has {count[0]} rows, more than an XLSX sheet "
                           "holds; narrow the export with --where or use csv or parquet")
    book = Workbook(write_only=True)
    sheet = book.create_sheet(spec.name)
    sheet.append([inert(c.title or c.name) if headers == "labels" else c.name for c in spec.exported()])
    cursor = con.execute(sql)
    while rows := cursor.fetchmany(_XLSX_FETCH):
        for row in rows:
            sheet.append(["" if v is None else inert(v) for v in row])
    buffer = BytesIO()
    book.save(buffer)
    _pinned_xlsx(buffer.getvalue(), path)


def _write(con: duckdb.DuckDBPyConnection, spec: Spec, where: str | None, fmt: str, path: Path, headers: str
           ) -> None:
    sql = _select(spec, where)
    if fmt == "csv":
        _copy(con, _select(spec, where, spreadsheet=True), path, "FORMAT csv, HEADER true")
        _with_bom(path)
    elif fmt == "parquet":
        _copy(con, sql, path, "FORMAT parquet, COMPRESSION zstd")
    elif fmt == "json":
        _copy(con, sql, path, "FORMAT json, ARRAY true")
    else:
        _write_xlsx(con, sql, spec, path, headers)


def _selected_ids(where: str, db_path: str | Path) -> list[int]:
    """The ids of the reports ``where`` keeps, the condition run in the sandbox of user SQL."""
    con = sandboxed(db_path)
    try:
        return [int(row[0]) for row in con.execute(f"SELECT id FROM reports WHERE {where}").fetchall()]
    except duckdb.Error as exc:
        raise user_sql_error(db_path, exc, f"--where {where!r}: ") from None
    finally:
        con.close()


def _select_reports(con: duckdb.DuckDBPyConnection, where: str | None, db_path: str | Path) -> None:
    if where is None:
        con.execute("CREATE TEMP TABLE _selected AS SELECT id FROM reports")
    else:
        con.execute("CREATE TEMP TABLE _selected AS SELECT unnest(?::BIGINT[]) AS id", [_selected_ids(where, db_path)])


def export(db_path: str | Path, out_dir: str | Path, fmt: str = "csv", where: str | None = None,
           headers: str = "labels", progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Write the corpus (the reports matching the SQL condition ``where`` and their rows) to ``out_dir``.

    An XLSX sheet's header row carries the columns' printed labels (``headers="keys"``: their names, as in the
    other formats and ``datapackage.json``). ``progress`` is told (files written, files to write) after each file.

    Returns the files written: one per table and view, then ``datapackage.json`` and ``CODEBOOK.md``. Corpus
    findings about no report (a unit missing from the roster) are exported only without ``where``.
    """
    if fmt not in FORMATS:
        raise NianbaoError(str(out_dir), "bad_option", f"unknown export format {fmt!r}; use {', '.join(FORMATS)}")
    if headers not in HEADERS:
        raise NianbaoError(str(out_dir), "bad_option", f"unknown headers {headers!r}; use {' or '.join(HEADERS)}")
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    con = connect(db_path, read_only=True)
    written = []
    try:
        con.execute("SET threads = 1")
        _select_reports(con, where, db_path)
        specs = exported_specs()
        for spec in specs:
            path = directory / f"{spec.name}.{fmt}"
            _write(con, spec, where, fmt, path, headers)
            written.append(path)
            if progress:
                progress(len(written), len(specs) + 2)
    finally:
        con.close()
    package = datapackage(exported_specs(), fmt)
    (directory / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n",
                                                encoding="utf-8")
    (directory / "CODEBOOK.md").write_text(codebook_markdown(package) + "\n", encoding="utf-8")
    if progress:
        progress(len(written) + 2, len(written) + 2)
    return [*written, directory / "datapackage.json", directory / "CODEBOOK.md"]
