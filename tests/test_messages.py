"""Messages a user reads name cells by their printed labels: never an internal key (t2./t3./t4.)."""

from __future__ import annotations

import re
import string

import pytest

from nianbao import parse_bytes
from nianbao.audit import audit
from nianbao.findings import BLANK, finding
from nianbao.report import Cell, Report
from nianbao.schema import catalogue, cell_labels
from nianbao.skeleton import skeleton
from nianbao.synth import consistent_report

from .cells import cells_of
from .conftest import shared_path

INTERNAL_KEY = re.compile(r"\bt[234]\.|\bt[234]\b")
SAMPLE_CELLS = {"t2": "t2.art20_1.normative_doc.in_force", "t3": "t3.carried_forward.total", "t4": "t4.review_total"}


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("rule", catalogue().rules, ids=lambda r: r.id)
@pytest.mark.parametrize("table", sorted(SAMPLE_CELLS))
def test_every_rule_renders_its_cells_by_label(rule, table: str) -> None:  # type: ignore[no-untyped-def]
    key = SAMPLE_CELLS[table]
    fields = {name: "1" for name in _placeholders(rule.message) - {"where", "expected", "actual"}}
    message = finding(rule.id, cells=[key], expected=1, actual=2, **fields).message
    assert not INTERNAL_KEY.search(message), message
    if "{where}" in rule.message:
        assert cell_labels()[key] in message


def _set(report: Report, key: str, value: object) -> None:
    parts = key.split(".")
    node = getattr(report.tables, parts[0])
    for part in parts[1:-1]:
        node = node[part]
    node[parts[-1]] = Cell(raw="" if value is None else str(value), value=value, at={})  # type: ignore[arg-type]


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_no_message_of_the_audit_names_a_key(template: str) -> None:
    """Every cell changed in turn (to a larger count, a negative one, a blank), on a township report."""
    base = consistent_report(template, 4)
    messages: set[str] = set()
    for key, (_, value) in cells_of(base).items():
        for changed in (float(value or 0) + 100_000, -1.5, None):
            report = base.model_copy(deep=True)
            report.meta.level = "township"
            _set(report, key, changed)
            messages.update(f.message for f in audit(report).findings)
    assert len(messages) > 100
    leaking = [m for m in messages if INTERNAL_KEY.search(m)]
    assert not leaking, leaking[:5]
    assert any(BLANK in m for m in messages)


def test_no_message_on_the_shared_reports_names_a_key() -> None:
    for path in sorted(shared_path("seeds").glob("*.txt")):
        report = parse_bytes(path.read_bytes(), path.name)
        assert not [f.message for f in report.findings if INTERNAL_KEY.search(f.message)], path


def test_a_blank_total_is_shown_as_blank_not_as_zero() -> None:
    report = skeleton("2021", "临水县人民政府", 2023, {"t3.carried_forward.natural_person": 1})
    _set(report, "t3.carried_forward.total", None)
    row_sum = next(f for f in audit(report).findings if f.rule == "T3.row_sum")
    assert f"总计为{BLANK}" in row_sum.message


