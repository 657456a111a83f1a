"""The generator of synthetic reports: every report it makes adds up by the rule catalogue, a unit's reports
continue one another along the chains of the format data, and single reports keep the spread readers meet."""

from __future__ import annotations

import itertools

import pytest

from nianbao import parse_bytes
from nianbao.render import render_text
from nianbao.report import Report
from nianbao.schema import TEMPLATES, catalogue, formats
from nianbao.synth import DEPARTMENTS, YEARS, consistent_report, panel, unit_names, unit_reports

from .cells import cells_of

SEEDS = range(40)


def _table_findings(report: Report) -> list[tuple[str, str, tuple[str, ...]]]:
    """Findings of the identities and bounds of the tables (and any error), after a round trip through text."""
    parsed = parse_bytes(render_text(report, "tabs").encode("utf-8"), "report.txt")
    assert cells_of(parsed) == cells_of(report)
    table = {r.id for r in catalogue().rules if r.family == "table"}
    return [(f.rule, f.severity, tuple(f.cells)) for f in parsed.findings
            if f.rule in table or f.severity == "error"]


@pytest.mark.parametrize("template", TEMPLATES)
def test_single_reports_break_no_rule_of_the_tables(template: str) -> None:
    for seed in SEEDS:
        report = consistent_report(template, seed)
        assert report.template == template
        assert _table_findings(report) == [], seed


def test_every_year_of_a_unit_breaks_no_rule_of_the_tables() -> None:
    reports = list(panel(unit_names(4, seed=3), YEARS, seed=3, faults=False))
    assert {r.template for r in reports} == set(TEMPLATES)
    for report in reports:
        assert _table_findings(report) == [], (report.meta.agency, report.meta.year)


def _value(report: Report, key: str) -> int:
    cell = report.cell(key)
    assert cell is not None and isinstance(cell.value, int), key
    return cell.value


def _columns(report: Report, role: str) -> list[tuple[str, str]]:
    """(row prefix, column key) of the report's 表二 columns of ``role``."""
    return [(f"t2.{block.key}.{row.key}", column.key) for block in formats().t2[report.template]
            for row in block.rows for column in block.columns if column.role == role]


def _of_role(report: Report, prefix: str, role: str) -> int:
    block = next(b for b in formats().t2[report.template] if prefix.startswith(f"t2.{b.key}."))
    return sum(_value(report, f"{prefix}.{c.key}") for c in block.columns if c.role == role)


def _continues(last: Report, this: Report) -> None:
    opening, closing = formats().t3_carried
    for column in formats().t3_columns:
        assert _value(this, f"t3.{opening.key}.{column.key}") == _value(last, f"t3.{closing.key}.{column.key}")
    if this.template != last.template:
        return
    for prefix, key in _columns(this, "in_force"):
        new, repealed = _of_role(this, prefix, "new_documents"), _of_role(this, prefix, "repealed_documents")
        assert _value(this, f"{prefix}.{key}") == _value(last, f"{prefix}.{key}") + new - repealed, prefix
    for prefix, key in _columns(this, "previous_items"):
        change = _of_role(last, prefix, "items_change")
        assert _value(this, f"{prefix}.{key}") == _value(last, f"{prefix}.{key}") + change, prefix


@pytest.mark.parametrize("seed", range(6))
def test_a_unit_continues_its_previous_report(seed: int) -> None:
    followed = set()
    for agency in unit_names(3, seed=seed):
        reports = list(unit_reports(agency, YEARS, seed, faults=False))
        for last, this in itertools.pairwise(reports):
            _continues(last, this)
            if this.template == last.template and (_columns(this, "in_force") or _columns(this, "previous_items")):
                followed.add(this.template)
    assert followed == set(TEMPLATES)


def test_faults_break_some_carry_overs() -> None:
    broken = 0
    for agency in unit_names(60, seed=1):
        reports = list(unit_reports(agency, YEARS, 1))
        for last, this in itertools.pairwise(reports):
            try:
                _continues(last, this)
            except AssertionError:
                broken += 1
    assert broken > 0


def test_single_reports_keep_the_spread_readers_meet() -> None:
    raws = [(key, raw) for template in TEMPLATES for seed in SEEDS
            for key, (raw, _) in cells_of(consistent_report(template, seed)).items()]
    values = [int(raw) for _, raw in raws if raw.lstrip("-").isdigit()]
    assert min(values) < 0 and max(values) >= 10000
    assert any("." in raw for _, raw in raws)
    zero_rows = [row for template in TEMPLATES for seed in SEEDS
                 for block in consistent_report(template, seed).tables.t2.values() for row in block.values()
                 if all(cell.value == 0 for cell in row.values())]
    assert zero_rows


def test_a_seed_gives_the_same_report() -> None:
    assert consistent_report("2021", 5) == consistent_report("2021", 5)
    assert consistent_report("2021", 5) != consistent_report("2021", 6)


def test_a_national_panel_names_every_level_and_department() -> None:
    names = unit_names(170_000, seed=2)
    assert len(set(names)) == 170_000
    departments = {kind for kind in DEPARTMENTS if any(name.endswith(kind) for name in names[::50])}
    assert len(departments) > len(DEPARTMENTS) // 2
    with pytest.raises(ValueError, match="unit names"):
        unit_names(10_000_000)
