"""The audit on reports built here: consistent reports pass, one changed cell is caught."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao.audit import audit
from nianbao.report import Cell, Report
from nianbao.skeleton import skeleton
from nianbao.synth import consistent_report

from .cells import cells_of

TABLE_FAMILIES = ("T2", "T3", "T4")


def _table_errors(report: Report) -> set[tuple[str, str]]:
    return {(f.rule, key) for f in report.findings if f.severity == "error"
            and f.rule.split(".")[0] in TABLE_FAMILIES for key in f.cells}


def _set(report: Report, key: str, value: int) -> None:
    parts = key.split(".")
    table = getattr(report.tables, parts[0])
    for part in parts[1:-1]:
        table = table[part]
    table[parts[-1]] = Cell(raw=str(value), value=value, at={"key": key})


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("seed", range(5))
def test_consistent_reports_raise_no_table_error(template: str, seed: int) -> None:
    assert _table_errors(audit(consistent_report(template, seed))) == set()


@pytest.mark.parametrize(("key", "rules"), [
    ("t3.new_received.natural_person", {"T3.balance", "T3.row_sum"}),
    ("t3.granted.total", {"T3.outcome_sum", "T3.row_sum"}),
    ("t3.result_total.commercial_enterprise", {"T3.outcome_sum", "T3.balance", "T3.row_sum"}),
    ("t3.carried_forward.total", {"T3.balance", "T3.row_sum", "T3.carry_bound"}),
    ("t4.review_pending", {"T4.review_sum"}),
    ("t4.lit_direct_total", {"T4.direct_sum"}),
    ("t4.lit_after_review_upheld", {"T4.after_review_sum"}),
])
@pytest.mark.parametrize("template", ["2019", "2021"])
def test_one_changed_cell_is_flagged_by_every_identity_covering_it(key: str, rules: set[str], template: str) -> None:
    report = consistent_report(template, 3)
    current = report.cell(key)
    assert current is not None
    _set(report, key, int(current.value or 0) + 100)
    flagged = {rule for rule, cell in _table_errors(audit(report)) if cell == key}
    assert rules - {"T3.carry_bound"} <= flagged


def test_one_finding_per_broken_column_with_expected_and_actual() -> None:
    report = consistent_report("2021", 1)
    _set(report, "t3.new_received.natural_person", 999)
    _set(report, "t3.new_received.total", 999 + sum(
        int(report.tables.t3["new_received"][c].value or 0) for c in
        ("commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org", "other_org")))
    balance = [f for f in audit(report).findings if f.rule == "T3.balance"]
    assert sorted(f.cells[0] for f in balance) == ["t3.new_received.natural_person", "t3.new_received.total"]
    assert all(f.expected != f.actual and "列" in f.message for f in balance)


def test_negative_and_fractional_counts_are_errors_but_signed_change_is_not() -> None:
    report = skeleton("2019", "临水县人民政府办公室", 2020,
                      {"t2.art20_5.admin_license.change_this_year": "-6",
                       "t2.art20_5.admin_license.prev_year_items": 10,
                       "t4.review_upheld": "1.5", "t4.review_total": "1.5"})
    rules = {f.rule for f in audit(report).findings}
    assert "T4.nonneg" in rules and "T2.nonneg" not in rules


def test_blank_cells_read_as_zero_are_listed_in_one_warning() -> None:
    report = skeleton("2021", "东湖街道办事处", 2023, default=None)
    report.tables.t3["new_received"]["total"] = Cell(raw="无", value=None, at={})
    findings = audit(report).findings
    blank = [f for f in findings if f.rule == "S.blank_cells"]
    assert len(blank) == 1 and "t3.new_received.total" in blank[0].cells
    assert not [f for f in findings if f.severity == "error"]


def test_outcome_sum_catches_outcomes_under_a_blank_total() -> None:
    report = skeleton("2019", "临水县人民政府办公室", 2020, {"t3.unable_not_held.natural_person": 6,
                                                       "t3.unable_not_held.total": 6}, default=None)
    assert {"T3.outcome_sum"} <= {f.rule for f in audit(report).findings if f.severity == "error"}


def test_plausibility_rules_of_table_2() -> None:
    report = skeleton("2021", "东湖街道办事处", 2023, {"t2.art20_1.regulation.issued": 3,
                                                  "t2.art20_1.regulation.in_force": 1})
    report.meta.level = "township"
    rules = {f.rule: f.severity for f in audit(report).findings}
    assert rules["T2.2021.in_force_ge_issued"] == "warning"
    assert rules["T2.regulation_power"] == "warning"


def test_narrative_numbers_are_compared_with_the_tables() -> None:
    report = consistent_report("2021", 2)
    received = int(report.tables.t3["new_received"]["total"].value or 0)
    report.sections["overview"] = (f"全年共收到政府信息公开申请{received + 7}件。"
                                   f"共发生行政复议{int(report.tables.t4['review_total'].value or 0)}件。")
    findings = {f.rule: f for f in audit(report).findings}
    assert findings["X.received"].actual == received + 7
    assert findings["X.received"].expected == received
    assert "X.review" not in findings


@pytest.mark.parametrize(("stated", "received", "rules"), [
    ("1,234", 1234, set()), ("1,234", 1243, {"X.received"}), ("十二", 12, set()), ("一百零五", 150, {"X.received"}),
    ("两", 2, set()),
])
def test_narrative_counts_with_separators_or_in_chinese_numerals(stated: str, received: int, rules: set[str]) -> None:
    report = skeleton("2021", "临水县人民政府", 2023, {"t3.new_received.natural_person": received,
                                                       "t3.new_received.total": received})
    report.sections["overview"] = f"全年共收到政府信息公开申请{stated}件。"
    assert {f.rule for f in audit(report).findings if f.rule.startswith("X.")} == rules


def test_text_saying_nothing_was_received_against_a_table_that_says_otherwise() -> None:
    report = skeleton("2019", "东湖街道", 2020, {"t3.new_received.natural_person": 2, "t3.new_received.total": 2})
    report.sections["overview"] = "2020年，东湖街道未收到依申请公开。"
    assert "X.none_received" in {f.rule for f in audit(report).findings}


def test_the_texts_own_breakdown_of_applicants_is_checked() -> None:
    report = skeleton("2021", "临水县人民政府", 2023, {
        "t3.new_received.natural_person": 5, "t3.new_received.legal_service_org": 2, "t3.new_received.total": 7,
        "t3.carried_over.natural_person": 1, "t3.carried_over.total": 1})
    report.sections["overview"] = "全年共受理政府信息公开申请8件，其中自然人申请6件，法人或其他组织申请2件。"
    assert not [f for f in audit(report.model_copy(deep=True)).findings if f.rule.startswith("X.")]
    report.sections["overview"] = "全年共受理政府信息公开申请8件，其中自然人申请6件，法人或其他组织申请3件。"
    assert "X.text_sum" in {f.rule for f in audit(report.model_copy(deep=True)).findings}
    report.sections["overview"] = "全年共受理政府信息公开申请8件，其中自然人申请7件，法人或其他组织申请1件。"
    findings = [f for f in audit(report).findings if f.rule == "X.received"]
    assert sorted((f.actual, f.expected) for f in findings) == [(1, 2), (7, 6)]


@pytest.mark.parametrize(("template", "values", "level", "rule"), [
    ("2019", {}, None, None),
    ("2021", {}, "township", None),
    ("2019", {"t2.art20_6.admin_penalty.prev_year_items": 2, "t2.art20_6.admin_penalty.change_this_year": "-5"},
     None, "T2.2019.items_floor"),
    ("2019", {"t2.art20_1.normative_doc.new_published": 4, "t2.art20_1.normative_doc.total_published": 1},
     None, "T2.2019.total_ge_new"),
    ("2019", {"t2.art20_9.central_procurement.procurement_items": 3}, None, "T2.2019.procurement_pair"),
    ("2019", {"t2.art20_9.central_procurement.procurement_items": 37,
              "t2.art20_9.central_procurement.procurement_amount": 169844}, "township", "T2.amount_unit"),
    ("2021", {"t3.carried_forward.natural_person": 2, "t3.carried_forward.total": 2,
              "t3.result_total.natural_person": -2, "t3.result_total.total": -2}, None, "T3.carry_bound"),
    ("2021", {"t3.granted.natural_person": -1, "t3.granted.total": -1}, None, "T3.nonneg"),
])
def test_each_plausibility_rule(template: str, values: dict[str, int | str], level: str | None,
                                rule: str | None) -> None:
    report = skeleton(template, "临水县人民政府办公室", 2020 if template == "2019" else 2023, values)
    report.meta.level = level
    found = {f.rule for f in audit(report).findings}
    if rule:
        assert rule in found
    else:
        assert not {r for r in found if r.startswith("T2.")}


def test_every_rule_of_the_catalogue_has_a_message_and_a_known_family() -> None:
    from nianbao.schema import catalogue

    for rule in catalogue().rules:
        assert rule.message and rule.title and rule.severity in ("error", "warning", "info")
        assert rule.id.split(".")[0] in ("T2", "T3", "T4", "S", "X", "C", "Y", "H", "Q", "R")
        assert rule.expr or rule.check or rule.family != "table", rule.id


def _covering(key: str) -> set[str]:
    """The identities of the official tables that read ``key`` (written out independently of the catalogue)."""
    parts = key.split(".")
    if parts[0] == "t4":
        group = parts[1].rsplit("_", 1)[0]
        return {{"review": "T4.review_sum", "lit_direct": "T4.direct_sum",
                 "lit_after_review": "T4.after_review_sum"}[group]}
    row = parts[1]
    rules = {"T3.row_sum"}
    if row in ("new_received", "carried_over", "result_total", "carried_forward"):
        rules.add("T3.balance")
    if row not in ("new_received", "carried_over", "carried_forward"):
        rules.add("T3.outcome_sum")
    return rules


@settings(max_examples=200, deadline=None)
@given(template=st.sampled_from(["2019", "2021"]), seed=st.integers(0, 10_000), data=st.data())
def test_any_changed_cell_is_flagged_by_every_identity_covering_it(template: str, seed: int,
                                                                     data: st.DataObject) -> None:
    report = consistent_report(template, seed)
    keys = sorted(k for k in cells_of(report) if k.startswith(("t3.", "t4.")))
    key = data.draw(st.sampled_from(keys))
    delta = data.draw(st.integers(1, 50))
    current = report.cell(key)
    assert current is not None
    _set(report, key, int(current.value or 0) + delta)
    flagged = {rule for rule, cell in _table_errors(audit(report)) if cell == key}
    assert _covering(key) <= flagged


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_a_cell_that_could_not_be_read_leaves_the_sums_over_it_unchecked(template: str) -> None:
    report = consistent_report(template, seed=11)
    row = report.tables.t3["granted"]
    row["natural_person"] = Cell(raw=str(int(row["natural_person"].value or 0) + 5),
                                 value=int(row["natural_person"].value or 0) + 5)
    del row["commercial_enterprise"]  # a cell the extractor left missing, the rest of its row read
    errors = _table_errors(audit(report))
    assert ("T3.row_sum", "t3.granted.total") not in errors
    assert ("T3.outcome_sum", "t3.result_total.commercial_enterprise") not in errors
    assert ("T3.outcome_sum", "t3.result_total.natural_person") in errors  # its column is whole: still checked
