"""The official formats and the rule catalogue, loaded once from the data files beside this module.

Nothing here parses or checks a report; it only answers what the formats and rules are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

_HERE = Path(__file__).parent


@cache
def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((_HERE / name).read_text(encoding="utf-8"))
    return data


TEMPLATES: tuple[str, ...] = tuple(_load("formats.json")["templates"])
"""The keys of the official formats, oldest first (as ``formats.json`` lists them)."""


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an official table: its key, its printed label and what it holds."""
    key: str
    label: str
    type: str = "count"
    group: str | None = None
    subgroup: str | None = None
    note_words: tuple[str, ...] = ()
    role: str = "data"
    """``total`` for the column that sums the others; in 表二 ``made_documents`` and ``new_documents`` (the year's
    documents made, and new), ``repealed_documents`` (the year's repealed ones), ``in_force`` (the documents in
    force: last year's, plus the new, less the repealed), ``published_documents`` (the documents published in
    all: at least the new), ``previous_items`` (the items at the start of the year: last year's, plus last year's
    change) and ``items_change`` (the year's signed change of the items)."""
    variants: tuple[str, ...] = ()
    """Header wordings seen in published reports besides ``label`` (合计 for 总计)."""


@dataclass(frozen=True, slots=True)
class RowSpec:
    """One row of an official table: its key, its printed label and wordings, and where it sits among the rows."""
    key: str
    label: str
    variants: tuple[str, ...] = ()
    level: int = 1
    group: bool = False
    templates: tuple[str, ...] = TEMPLATES
    group_in: tuple[str, ...] = ()
    """Formats that print the row as the group of the rows under it (it is a data row where ``templates`` says)."""
    role: str = "data"
    """``total`` for the row that sums the rows of its group; ``received`` for 表三's row of applications received
    this year."""
    from_previous: str | None = None
    """The row of the previous year's report whose numbers this row repeats (上年结转 ← 结转下年度)."""

    def is_group(self, template: str) -> bool:
        """Whether the row only groups the rows under it in ``template`` (it carries no numbers there)."""
        return self.group or template in self.group_in


@dataclass(frozen=True, slots=True)
class Block:
    """One block of 表二: its caption, its columns and its rows."""
    key: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[RowSpec, ...]


@dataclass(frozen=True, slots=True)
class Section:
    """One numbered section of the official format: its number, label, kind and the wordings of its heading."""
    key: str
    number: str
    label: str
    kind: str
    variants: tuple[str, ...] = ()
    cues: tuple[tuple[str, ...], ...] = ()
    """Words a numbered heading of the section contains: one of each group (any wording)."""

    @property
    def heading(self) -> str:
        """The heading as the official format prints it: ``一、总体情况``."""
        return f"{self.number}、{self.label}"


@dataclass(frozen=True, slots=True)
class TableSpec:
    """One official table: its name (表二…), its key and the section that prints it."""

    key: str
    name: str
    section: Section
    row_header: str = ""
    """The header of its label column, when the format prints one."""

    @property
    def title(self) -> str:
        """``表二 主动公开政府信息情况``."""
        return f"{self.name} {self.section.label}"

    @property
    def long_name(self) -> str:
        """``表二（主动公开政府信息情况）``, as a sentence names the table."""
        return f"{self.name}（{self.section.label}）"


@dataclass(frozen=True, slots=True)
class Level:
    """An administrative level of reporting bodies: key, short label, the bodies it names, words a user writes."""

    key: str
    label: str
    body: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of the catalogue: what it checks (an expression or a named check), its severity, basis and message."""
    id: str
    family: str
    severity: str
    basis: str
    title: str
    message: str
    templates: tuple[str, ...] = TEMPLATES
    for_each: dict[str, Any] = field(default_factory=dict)
    expr: str | None = None
    check: str | None = None
    cells: tuple[str, ...] = ()
    expected_side: str = "lhs"
    params: dict[str, Any] = field(default_factory=dict)
    """What the rule's named check (or narrative claim) reads besides its cells."""


def _column(d: dict[str, Any]) -> Column:
    return Column(d["key"], d["label"], d.get("type", "count"), d.get("group"), d.get("subgroup"),
                  tuple(d.get("note_words", ())), d.get("role", "data"), tuple(d.get("variants", ())))


def _row(d: dict[str, Any]) -> RowSpec:
    return RowSpec(d["key"], d["label"], tuple(d.get("variants", ())), d.get("level", 1),
                   d.get("group", False), tuple(d.get("in", TEMPLATES)), tuple(d.get("group_in", ())),
                   d.get("role", "data"), d.get("from_previous"))


@dataclass(frozen=True, slots=True)
class Template:
    """One official format: its key, its name, the notice that issued it and the report years it governs."""

    key: str
    name: str
    notice: str
    first_year: int
    last_year: int | None
    """None while the format is still in force."""

    def governs(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


def _template(key: str, d: dict[str, Any]) -> Template:
    years = d.get("report_years")
    if years:
        return Template(key, d["name"], d["notice"], min(years), max(years))
    return Template(key, d["name"], d["notice"], d["report_years_from"], None)


@dataclass(frozen=True)
class Formats:
    """Both official formats: tables, sections and template markers. What is derived from them is computed
    once, on first use (``cached_property``): the extractor asks for it for every report."""

    t2: dict[str, tuple[Block, ...]]
    t3_columns: tuple[Column, ...]
    t3_rows: tuple[RowSpec, ...]
    t4_columns: tuple[Column, ...]
    sections: tuple[Section, ...]
    markers: dict[str, tuple[str, ...]]
    t3_note_cell: str
    t3_applicants_cell: str
    templates: dict[str, Template]
    tables: tuple[TableSpec, ...]
    levels: dict[str, Level]
    """Key → level, from the highest."""

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def table(self, key: str) -> TableSpec:
        """One official table by key (t2, t3, t4)."""
        return next(t for t in self.tables if t.key == key)

    def body(self, *keys: str) -> str:
        """The bodies of a level as a rule names them; with two keys the second's bodies at the first's level
        (``county``, ``department`` → 县级人民政府部门)."""
        found = [self.levels[key] for key in keys]
        return found[0].body if len(found) == 1 else found[0].label + found[1].body

    def t3_row(self, key: str) -> RowSpec:
        return next(r for r in self.t3_rows if r.key == key)

    def t3_role(self, role: str) -> RowSpec:
        """The row of 表三 with ``role`` (``received``, ``total``)."""
        return next(r for r in self.t3_rows if r.role == role)

    @property
    def t3_carried(self) -> tuple[RowSpec, RowSpec]:
        """The row of 表三 that repeats a row of the previous year's report, and that row (上年结转, 结转下年度)."""
        opening = next(r for r in self.t3_rows if r.from_previous)
        return opening, self.t3_row(opening.from_previous or "")

    def t3_children(self, key: str) -> tuple[RowSpec, ...]:
        """The rows printed under a row of 表三: deeper level, up to the next row of its level."""
        return self._t3_children[key]

    @cached_property
    def _t3_children(self) -> dict[str, tuple[RowSpec, ...]]:
        """``t3_children`` of every row of 表三, worked out once."""
        found: dict[str, tuple[RowSpec, ...]] = {}
        for start, parent in enumerate(self.t3_rows):
            children: list[RowSpec] = []
            for row in self.t3_rows[start + 1:]:
                if row.level <= parent.level:
                    break
                children.append(row)
            found.setdefault(parent.key, tuple(children))
        return found

    @cached_property
    def t3_split_rows(self) -> tuple[RowSpec, ...]:
        """Rows of 表三 that one format prints as data and the other as the group of rows under them."""
        return tuple(r for r in self.t3_rows if r.group_in)

    @cached_property
    def t3_outcome_rows(self) -> tuple[RowSpec, ...]:
        """Rows of 表三 counting applications by how they were handled, in either format (not their total)."""
        results = next(r for r in self.t3_rows if r.group and r.level == 1)
        return tuple(r for r in self.t3_children(results.key) if not r.group and r.role != "total")

    @cached_property
    def headline_cells(self) -> tuple[str, ...]:
        """The cells that sum a report up: 表三's totals of its first-level rows and of the outcomes (not the row
        that repeats last year's report), 表四's totals, and the 表二 cells both formats print."""
        total = next(c.key for c in self.t3_columns if c.role == "total")
        t3 = [f"t3.{r.key}.{total}" for r in self.t3_rows
              if not r.group and not r.from_previous and (r.level == 1 or r.role == "total")]
        t4 = [f"t4.{c.key}" for c in self.t4_columns if c.role == "total"]
        per_format = [[f"t2.{b.key}.{r.key}.{c.key}" for b in blocks for r in b.rows for c in b.columns]
                      for blocks in self.t2.values()]
        t2 = [key for key in per_format[0] if all(key in keys for keys in per_format[1:])]
        return (*t3, *t4, *t2)

    @cached_property
    def t3_applicant_columns(self) -> tuple[Column, ...]:
        """Columns of 表三 counting one kind of applicant (not their total)."""
        return tuple(c for c in self.t3_columns if c.role != "total")

    def template_for_year(self, year: int) -> Template | None:
        """The format in force for a report year; None before the first official format."""
        return next((t for t in self.templates.values() if t.governs(year)), None)

    @cached_property
    def latest(self) -> str:
        """The key of the newest format (the one in force for the latest report years)."""
        return max(self.templates.values(), key=lambda t: t.first_year).key

    @cached_property
    def first_report_year(self) -> int:
        """The first report year an official format governs."""
        return min(t.first_year for t in self.templates.values())

    def t2_templates_with(self, role: str) -> tuple[str, ...]:
        """The formats whose 表二 has a column of ``role``, oldest first."""
        return tuple(t for t, blocks in self.t2.items() if any(c.role == role for b in blocks for c in b.columns))

    def t2_column_with(self, role: str, templates: tuple[str, ...] | None = None) -> str:
        """The key of the 表二 column of ``role`` (one key in every format that has it, of ``templates`` when
        given)."""
        keys = {c.key for t, blocks in self.t2.items() if templates is None or t in templates
                for b in blocks for c in b.columns if c.role == role}
        if len(keys) != 1:
            raise ValueError(f"表二 has {len(keys)} column keys of role {role!r}")
        return keys.pop()

    def t2_blocks_with(self, role: str) -> tuple[str, ...]:
        """The 表二 blocks that print a column of ``role`` in some format, in printed order, once."""
        return tuple(dict.fromkeys(item.split(".")[0] for item in self.t2_rows_with(role)))

    def t2_rows_with(self, role: str) -> tuple[str, ...]:
        """``block.row`` of the 表二 rows that print a column of ``role`` in some format, in printed order, once."""
        found = (f"{b.key}.{r.key}" for blocks in self.t2.values() for b in blocks
                 if any(c.role == role for c in b.columns) for r in b.rows)
        return tuple(dict.fromkeys(found))

    def t3_data_rows(self, template: str) -> tuple[RowSpec, ...]:
        """Rows of 表三 that carry numbers in a template, in printed order."""
        return self._t3_data_rows.get(template, ())

    @cached_property
    def _t3_data_rows(self) -> dict[str, tuple[RowSpec, ...]]:
        """``t3_data_rows`` of every format, worked out once."""
        templates = dict.fromkeys(t for r in self.t3_rows for t in r.templates)
        return {t: tuple(r for r in self.t3_rows if not r.group and t in r.templates) for t in templates}


def runs(columns: tuple[Column, ...], depth: int) -> list[tuple[str | None, tuple[Column, ...]]]:
    """Consecutive columns under one header cell at ``depth`` (1: group, 2: group and subgroup): (label, columns).

    The label is None where the columns have no header at that depth."""
    out: list[tuple[str | None, tuple[Column, ...]]] = []
    for column in columns:
        key = (column.group, column.subgroup)[:depth]
        label = key[-1] if all(key) else None
        if out and out[-1][1][-1].group == column.group and (depth == 1 or out[-1][1][-1].subgroup == column.subgroup):
            out[-1] = (out[-1][0], (*out[-1][1], column))
        else:
            out.append((label, (column,)))
    return out


@cache
def formats() -> Formats:
    """The two official formats, read from ``formats.json``."""
    d = _load("formats.json")
    t2 = {
        tpl: tuple(
            Block(b["key"], b["caption"], tuple(_column(c) for c in b["columns"]),
                  tuple(_row(r) for r in b["rows"]))
            for b in blocks
        )
        for tpl, blocks in d["t2"].items()
    }
    sections = tuple(Section(s["key"], s["number"], s["label"], s["kind"], tuple(s["variants"]),
                             tuple(tuple(group) for group in s.get("cues", ())))
                     for s in d["sections"])
    by_key = {s.key: s for s in sections}
    return Formats(
        t2=t2,
        t3_columns=tuple(_column(c) for c in d["t3"]["columns"]),
        t3_rows=tuple(_row(r) for r in d["t3"]["rows"]),
        t4_columns=tuple(_column(c) for c in d["t4"]["columns"]),
        sections=sections,
        markers={k: tuple(v) for k, v in d["markers"].items()},
        t3_note_cell=d["t3"]["note_cell"],
        t3_applicants_cell=d["t3"]["applicants_cell"],
        templates={key: _template(key, t) for key, t in d["templates"].items()},
        tables=tuple(TableSpec(t["key"], t["name"], by_key[t["section"]], t.get("row_header", ""))
                     for t in d["tables"]),
        levels={lv["key"]: Level(lv["key"], lv["label"], lv["body"], tuple(lv["aliases"])) for lv in d["levels"]},
    )


@cache
def cell_labels() -> dict[str, str]:
    """The printed label of every cell key of both templates (表三 row·column, 表四 group·column, 表二 row·column)."""
    fmt = formats()
    labels = {f"t3.{r.key}.{c.key}": f"{r.label}·{c.label}" for r in fmt.t3_rows for c in fmt.t3_columns}
    labels.update((f"t4.{c.key}", "·".join(p for p in (c.group, c.subgroup, c.label) if p)) for c in fmt.t4_columns)
    for template in TEMPLATES:
        for block in fmt.t2[template]:
            labels.update((f"t2.{block.key}.{r.key}.{c.key}", f"{block.caption}{r.label}·{c.label}")
                          for r in block.rows for c in block.columns)
    return labels


@cache
def cell_order() -> dict[str, int]:
    """The position of every cell key in ``cell_labels`` (the order findings list cells in)."""
    return {key: i for i, key in enumerate(cell_labels())}


def cell_label(key: str) -> str:
    """The printed label of a cell key (the key itself when unknown)."""
    return cell_labels().get(key, key)


@lru_cache(maxsize=4096)
def cell_name(key: str) -> str:
    """A cell as a reader finds it in the report: its table, then its printed row and column labels."""
    table = next((t.name for t in formats().tables if t.key == key.split(".")[0]), "")
    return f"{table}“{cell_label(key)}”" if key in cell_labels() else table or key


@dataclass(frozen=True)
class Catalogue:
    """Every rule nianbao checks, and the named groups of keys their expressions use."""

    rules: tuple[Rule, ...]
    groups: dict[str, tuple[str, ...]]

    @cached_property
    def _by_id(self) -> dict[str, Rule]:
        by_id: dict[str, Rule] = {}
        for rule in self.rules:
            by_id.setdefault(rule.id, rule)
        return by_id

    def get(self, rule_id: str) -> Rule:
        return self._by_id[rule_id]


@cache
def catalogue() -> Catalogue:
    """The rule catalogue, read from ``rules.json``."""
    d = _load("rules.json")
    rules = tuple(
        Rule(r["id"], r["family"], r["severity"], r["basis"], r["title"], r["message"],
             tuple(r.get("templates", TEMPLATES)), r.get("for_each", {}), r.get("expr"),
             r.get("check"), tuple(r.get("cells", ())), r.get("expected", "lhs"), r.get("params", {}))
        for r in d["rules"]
    )
    fmt = formats()
    groups = {"t3_outcome_rows": tuple(r.key for r in fmt.t3_outcome_rows),
              "t3_applicant_columns": tuple(c.key for c in fmt.t3_applicant_columns)}
    return Catalogue(rules, groups)


@cache
def lexicon() -> dict[str, Any]:
    """Wording the narrative checks look for (stock phrases, fee statements, template leftovers…), from
    ``lexicon.json``."""
    return _load("lexicon.json")
