"""Register file (xlsx workbook or CSV) → its rows by column header, with sheet name and row number.

Reads only: which sheet a table is, which headers it has and the cell values as stored. Judging the values is
``check``'s job. Bounded: the file size, the rows read and the columns read per row are capped.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..errors import NianbaoError
from ..readers.text import decode_text
from ..report import Finding
from .sheets import APPLICATIONS, CASES, FIELDS

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
"""Data rows read from one sheet; a longer register is refused, not cut short."""
MAX_BLANK_RUN = 1_000
"""Blank rows in a row after which a sheet is taken to have ended (formatted but empty rows of a workbook)."""
MAX_PHYSICAL_ROWS = 5 * MAX_ROWS
"""Rows, blank or not, read from one sheet before it is refused."""
MAX_TEXT_CHARS = 2_000
MAX_COLUMNS = 40
"""Columns read from a workbook row: the register's columns and a margin for the user's own."""
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
"""What a workbook's parts may add up to once unpacked: a zip bomb is refused before it is read."""

Value = str | date | float | None


@dataclass(slots=True)
class RegisterRow:
    """One data row: its sheet, its row number as a spreadsheet shows it (header = 1) and its values."""

    sheet: str
    row: int
    values: dict[str, Value]


@dataclass
class Register:
    """The rows of a register's two tables, and the problems met in reading its layout."""

    name: str
    rows: dict[str, list[RegisterRow]] = field(default_factory=lambda: {APPLICATIONS: [], CASES: []})
    findings: list[Finding] = field(default_factory=list)
    tables: set[str] = field(default_factory=set)
    """The register tables found so far (a table may have no rows yet)."""
    sha256: str = ""
    """The file's hash; for several files, the hash of their hashes in order."""


def _header(value: object) -> str:
    return "".join(str(value or "").split()).lstrip("*")


def _sheet_for(title: str, headers: list[str]) -> str | None:
    """Which register table a sheet holds: by its name, else by its headers holding every required column."""
    if title in FIELDS:
        return title
    for sheet, fields in FIELDS.items():
        if all(f.header in headers for f in fields if f.required):
            return sheet
    return None


def _value(raw: object) -> Value:
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, int | float):
        return float(raw)
    text = str(raw).strip()[:MAX_TEXT_CHARS]
    return text or None


def _too_large(register: Register, sheet: str) -> NianbaoError:
    return NianbaoError(register.name, "too_large", f"「{sheet}」表超过 {MAX_ROWS} 行，台账过大")


def _add_table(register: Register, title: str, rows: Iterator[Sequence[object]]) -> None:
    """Add one table (header row first) to the register; a finding when a required column is missing."""
    first = next(rows, None)
    if first is None:
        return
    headers = [_header(v) for v in first]
    sheet = _sheet_for(title, headers)
    if sheet is None:
        return
    register.tables.add(sheet)
    missing = [f.header for f in FIELDS[sheet] if f.required and f.header not in headers]
    for header in missing:
        register.findings.append(Finding(
            rule="REG.missing_column", severity="error",
            message=f"{register.name}「{sheet}」表缺少必填列「{header}」：该表未计入",
            at=[{"sheet": sheet, "row": 1, "column": header}]))
    if missing:
        return
    known = {f.header for f in FIELDS[sheet]}
    index = {h: i for i, h in enumerate(headers) if h in known}
    blank_run = 0
    for number, cells in enumerate(rows, start=2):
        if number > MAX_PHYSICAL_ROWS:
            raise _too_large(register, sheet)
        values = {h: _value(cells[i]) if i < len(cells) else None for h, i in index.items()}
        if all(v is None for v in values.values()):
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        if len(register.rows[sheet]) >= MAX_ROWS:
            raise _too_large(register, sheet)
        register.rows[sheet].append(RegisterRow(sheet, number, values))


def _read_xlsx(register: Register, data: bytes) -> None:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise NianbaoError(register.name, "too_large", f"工作簿解压后超过 {MAX_UNZIPPED_BYTES} 字节")
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise NianbaoError(register.name, "unreadable", f"不是可读的 xlsx 工作簿：{exc}") from None
    try:
        for sheet in book.worksheets:
            _add_table(register, sheet.title, sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True))
    finally:
        book.close()


def _read_csv(register: Register, data: bytes) -> None:
    text = decode_text(data, register.name)
    try:
        _add_table(register, Path(register.name).stem, csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise NianbaoError(register.name, "unreadable", f"不是可读的 CSV：{exc}") from None


def read_register_bytes(data: bytes, name: str, register: Register | None = None) -> Register:
    """The register in one file held in memory (xlsx by its zip signature, else CSV), added to ``register``."""
    register = register or Register(name)
    if len(data) > MAX_BYTES:
        raise NianbaoError(name, "too_large", f"文件超过 {MAX_BYTES} 字节")
    found = Register(name, register.rows, register.findings)
    (_read_xlsx if data[:4] == b"PK\x03\x04" else _read_csv)(found, data)
    if not found.tables:
        raise NianbaoError(name, "not_a_register",
                           f"没有找到「{APPLICATIONS}」或「{CASES}」表（表头见 nianbao register template 生成的模板）")
    register.tables |= found.tables
    digest = hashlib.sha256(data).hexdigest()
    register.sha256 = hashlib.sha256((register.sha256 + digest).encode()).hexdigest() if register.sha256 else digest
    return register


def read_register(paths: list[Path] | Path) -> Register:
    """The register held in one workbook or in CSV files (one table each, told apart by their headers)."""
    paths = [paths] if isinstance(paths, Path) else paths
    register = Register(", ".join(str(p) for p in paths))
    for path in paths:
        try:
            if path.stat().st_size > MAX_BYTES:
                raise NianbaoError(str(path), "too_large", f"文件超过 {MAX_BYTES} 字节")
            data = path.read_bytes()
        except OSError as exc:
            raise NianbaoError(str(path), "unreadable", exc.strerror or str(exc)) from None
        read_register_bytes(data, str(path), register)
    return register
