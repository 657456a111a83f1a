"""The named table checks: every ``check`` of the rule catalogue runs a registered function, every registered
function is named by a rule, and a check reads its cells and parameters from the catalogue."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from nianbao.audit import audit
from nianbao.audit.checks import CHECKS, Subject, run_check
from nianbao.audit.tables import cells_by_table
from nianbao.report import Report
from nianbao.schema import catalogue
from nianbao.settings import resolve
from nianbao.skeleton import skeleton

AUDIT = Path(__file__).resolve().parents[1] / "src" / "nianbao" / "audit"


def test_every_check_of_the_catalogue_is_registered_and_every_registered_check_is_named() -> None:
    named = {rule.check for rule in catalogue().rules if rule.check}
    assert named - CHECKS.keys() == set(), "checks the catalogue names without a function"
    assert CHECKS.keys() - named == set(), "registered checks no rule names"


def test_a_rule_naming_an_unknown_check_is_refused_by_name() -> None:
    rule = dataclasses.replace(catalogue().get("T2.amount_unit"), check="no_such_check")
    with pytest.raises(KeyError, match="no_such_check"):
        run_check(rule, _subject(skeleton("2021")))


def _names_a_rule(node: ast.expr) -> bool:
    """``rule.check``, ``rule.id``, ``claim.rule``: what a rule or check is called, as code would branch on it."""
    return isinstance(node, ast.Attribute) and (node.attr == "check" or (
        node.attr in ("id", "rule") and isinstance(node.value, ast.Name) and node.value.id in ("rule", "claim")))


def _constants(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) or (
        isinstance(node, (ast.Tuple, ast.List, ast.Set)) and all(isinstance(e, ast.Constant) for e in node.elts))


def branches_on_names(source: str) -> list[int]:
    """Lines comparing a rule's or check's name with a written name (``rule.check == "zero_together"``)."""
    return [node.lineno for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Compare)
            and any((_names_a_rule(a) and _constants(b)) or (_names_a_rule(b) and _constants(a))
                    for a, b in zip((node.left, *node.comparators), node.comparators, strict=False))]


def test_no_audit_code_branches_on_a_rule_or_check_name() -> None:
    found = [f"{path.name}:{line}" for path in sorted(AUDIT.glob("*.py"))
             for line in branches_on_names(path.read_text(encoding="utf-8"))]
    assert not found, found
    assert branches_on_names('if rule.check in ("a", "b"):\n    pass\nelif claim.rule == "X.received":\n    pass\n'
                             'if "X.a" not in seen and f.rule == other:\n    pass\n') == [1, 3]


def _subject(report: Report) -> Subject:
    return Subject(report, cells_by_table(report), resolve(None).audit)


def _large_fee(level: str | None) -> Report:
    report = skeleton("2021", "东湖街道办事处", 2023, {"t2.art20_8.admin_fee.fee_amount": 169844})
    report.meta.level = level
    return report


def test_amount_unit_reads_its_cells_and_levels_from_the_catalogue() -> None:
    rule = catalogue().get("T2.amount_unit")
    assert [f.cells for f in run_check(rule, _subject(_large_fee("township")))] == [
        ["t2.art20_8.admin_fee.fee_amount"]]
    assert not list(run_check(rule, _subject(_large_fee("city"))))
    wider = dataclasses.replace(rule, params={**rule.params, "levels": ["city"]})
    assert list(run_check(wider, _subject(_large_fee("city"))))
    elsewhere = dataclasses.replace(rule, params={**rule.params, "amounts": ["t2.art20_1.regulation.issued"]})
    assert not list(run_check(elsewhere, _subject(_large_fee("township"))))


def test_regulation_power_names_the_bodies_from_the_format_data() -> None:
    report = skeleton("2021", "青石县发展和改革局", 2023, {"t2.art20_1.regulation.issued": 2})
    report.meta.level = "department"
    found = [f for f in audit(report).findings if f.rule == "T2.regulation_power"]
    assert len(found) == 1 and "县级人民政府部门" in found[0].message and found[0].cells == [
        "t2.art20_1.regulation.issued"]
    rule = catalogue().get("T2.regulation_power")
    report.meta.level = "city"
    assert not list(run_check(rule, _subject(report)))
    assert list(run_check(dataclasses.replace(rule, params={**rule.params, "levels": ["city"]}), _subject(report)))


def test_zero_together_and_the_non_negative_checks_find_their_cells() -> None:
    report = skeleton("2019", "临水县人民政府办公室", 2020, {"t2.art20_9.central_procurement.procurement_items": 3,
                                                      "t2.art20_5.admin_license.change_this_year": "-2",
                                                      "t3.granted.natural_person": -1, "t4.review_upheld": 1.5})
    found = {(f.rule, tuple(f.cells)) for f in audit(report).findings}
    assert ("T2.2019.procurement_pair", ("t2.art20_9.central_procurement.procurement_items",
                                         "t2.art20_9.central_procurement.procurement_amount")) in found
    assert ("T3.nonneg", ("t3.granted.natural_person",)) in found
    assert not any(rule == "T2.nonneg" for rule, _ in found), "a negative change is allowed in 表二"
    assert any(rule.startswith("T4.") and cells == ("t4.review_upheld",) for rule, cells in found)
