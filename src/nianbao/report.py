"""The report contract (nianbao.report/1): pydantic models every interface shares.

Only the shape of the data lives here; extraction and audit fill it.
"""
# No ``from __future__ import annotations``: the models' annotations are evaluated once, as the module loads,
# not compiled again from their text by pydantic for every field.

from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

SCHEMA_ID = "nianbao.report/1"

Severity = Literal["error", "warning", "info"]
Value = int | float | None


@dataclass(slots=True)
class Cell:
    """One table cell: the text as printed, the number it states, and where it was found.

    A plain dataclass (pydantic validates and serialises it inside Report): reports hold
    hundreds of cells and building them must stay cheap.
    """

    raw: str
    value: Value = None
    at: dict[str, Any] = field(default_factory=dict)


class Finding(BaseModel):
    """One broken rule instance or one structural problem, with its evidence."""

    rule: str
    severity: Severity
    cells: list[str] = Field(default_factory=list)
    expected: Any = None
    actual: Any = None
    message: str
    at: list[dict[str, Any]] = Field(default_factory=list)


class Source(BaseModel):
    """The input file a report was read from."""

    path: str
    sha256: str
    format: str


class Region(BaseModel):
    """Administrative division of the reporting body."""

    province: str | None = None
    city: str | None = None
    county: str | None = None
    code: str | None = None


class Contact(BaseModel):
    """Where readers can reach the reporting body and download the report."""

    address: str | None = None
    postcode: str | None = None
    phone: str | None = None
    fax: str | None = None
    email: str | None = None
    website: str | None = None


def _known_level(key: str) -> str:
    from .schema import formats

    if key not in formats().levels:
        raise ValueError(f"未知的层级 {key!r}，应为 {'、'.join(formats().levels)} 之一")
    return key


LevelKey = Annotated[str, AfterValidator(_known_level)]
"""The key of an administrative level of the official format data."""


def _known_template(key: str) -> str:
    from .schema import formats

    if key not in formats().templates:
        raise ValueError(f"未知的格式版本 {key!r}，应为 {'、'.join(formats().templates)} 之一")
    return key


TemplateKey = Annotated[str, AfterValidator(_known_template)]
"""The key of an official format (2019, 2021)."""


class Meta(BaseModel):
    """Who reported, for which year, published when."""

    agency: str | None = None
    year: int | None = None
    published: str | None = None
    published_from: Literal["signature", "heading", "page"] | None = None
    region: Region | None = None
    level: LevelKey | None = None
    contact: Contact | None = None


class Tables(BaseModel):
    """表二 (block → row → column), 表三 (row → column), 表四 (column)."""

    t2: dict[str, dict[str, dict[str, Cell]]] = Field(default_factory=dict)
    t3: dict[str, dict[str, Cell]] = Field(default_factory=dict)
    t4: dict[str, Cell] = Field(default_factory=dict)


class Report(BaseModel):
    """One parsed annual report with its audit findings."""

    model_config = ConfigDict(populate_by_name=True)

    schema_id: str = Field(default=SCHEMA_ID, alias="schema")
    source: Source
    template: TemplateKey | None = None
    meta: Meta = Field(default_factory=Meta)
    tables: Tables = Field(default_factory=Tables)
    sections: dict[str, str] = Field(default_factory=dict)
    findings: list[Finding] = Field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        """Findings of severity error."""
        return [f for f in self.findings if f.severity == "error"]

    def cell(self, key: str) -> Cell | None:
        """The cell named by a dotted key such as ``t3.new_received.total``."""
        parts = key.split(".")
        node: Any = getattr(self.tables, parts[0], None)
        for part in parts[1:]:
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node if isinstance(node, Cell) else None

    def to_json(self, indent: int | None = 2) -> str:
        """The contract as JSON text (keys as OUTPUT.md names them)."""
        return self.model_dump_json(by_alias=True, indent=indent)


def table_rows(report: Report) -> list[tuple[str, str | None, str | None, dict[str, Cell]]]:
    """(table, block, row, cells by column) of every row of 表二, 表三 and 表四 (表四 is one row without a key)."""
    tables = report.tables
    found: list[tuple[str, str | None, str | None, dict[str, Cell]]] = [
        ("t2", block, row, cols) for block, rows in tables.t2.items() for row, cols in rows.items()]
    found += [("t3", None, row, cols) for row, cols in tables.t3.items()]
    if tables.t4:
        found.append(("t4", None, None, tables.t4))
    return found


def cell_key(table: str, block: str | None, row: str | None, column: str) -> str:
    """The dotted key of a cell: t2.<block>.<row>.<column>, t3.<row>.<column> or t4.<column>."""
    return ".".join(part for part in (table, block, row, column) if part is not None)


def table_cells(report: Report) -> list[tuple[str, str, str | None, str | None, str, Cell]]:
    """(key, table, block, row, column, cell) of every cell of 表二, 表三 and 表四."""
    return [(cell_key(table, block, row, col), table, block, row, col, cell)
            for table, block, row, cols in table_rows(report) for col, cell in cols.items()]
