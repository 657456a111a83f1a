"""Cross-report audit: each Y/H/Q rule fires on a corpus built to break it once, and only there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nianbao.errors import NianbaoError
from nianbao.report import Cell, Report
from nianbao.skeleton import skeleton
from nianbao.store import CorpusFinding, audit_corpus, corpus_audit, ingest, query
from nianbao.store.db import connect
from nianbao.store.oversight import Matcher
from nianbao.store.scope import Scope
from nianbao.synth import consistent_report, unit_names, unit_reports

from ..conftest import shared_path
from .conftest import write_reports, write_units

UNIT = "宁波市鄞州区财政局"
OTHER = "四平市铁西区教育局"
PDFS = ("corpus", "raw", "zxj6827111-blip__KIROGOVCOMPARE", "sample_pdfs_v1")


def _flat(findings: list[CorpusFinding]) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.rule, tuple(f.cells)) for f in findings]


def _set(report: Report, key: str, value: int) -> None:
    cell = report.cell(key)
    assert cell is not None, key
    cell.raw, cell.value = str(value), value


def _audit(tmp_path: Path, reports: list[Report], **references: Path) -> list[CorpusFinding]:
    write_reports(tmp_path / "in", reports)
    db = tmp_path / "corpus.duckdb"
    ingest([tmp_path / "in"], db, workers=1)
    return audit_corpus(db, **references)  # type: ignore[arg-type]


def _chain(agency: str = UNIT, years: tuple[int, ...] = (2022, 2023), seed: int = 1) -> list[Report]:
    return list(unit_reports(agency, years, seed, faults=False))


def test_a_consistent_chain_has_no_cross_year_findings(tmp_path: Path) -> None:
    findings = _audit(tmp_path, _chain(years=(2019, 2020, 2021, 2022, 2023)))
    assert [f for f in findings if f.rule.startswith("Y.")] == []


def test_carry_over_is_checked_per_column(tmp_path: Path) -> None:
    first, second = _chain()
    forward = first.cell("t3.carried_forward.natural_person")
    assert forward is not None and forward.value is not None
    for key in ("t3.carried_over.natural_person", "t3.carried_over.total"):
        cell = second.cell(key)
        assert cell is not None and cell.value is not None
        _set(second, key, int(cell.value) + 2)
    findings = [f for f in _audit(tmp_path, [first, second]) if f.rule == "Y.T3.carry"]
    assert _flat(findings) == [("Y.T3.carry", ("t3.carried_over.natural_person",)),
                               ("Y.T3.carry", ("t3.carried_over.total",))]
    assert findings[0].expected == forward.value and findings[0].actual == forward.value + 2
    assert findings[0].year == 2023 and findings[0].unit == UNIT and len(findings[0].related) == 1
    assert "自然人列" in findings[0].message and "2022年报告" in findings[0].message


def test_in_force_chain_2021_format(tmp_path: Path) -> None:
    first, second = _chain()
    cell = second.cell("t2.art20_1.normative_doc.in_force")
    assert cell is not None and cell.value is not None
    _set(second, "t2.art20_1.normative_doc.in_force", int(cell.value) + 1)
    findings = [f for f in _audit(tmp_path, [first, second]) if f.rule.startswith("Y.T2")]
    assert _flat(findings) == [("Y.T2.2021.in_force", ("t2.art20_1.normative_doc.in_force",
                                                       "t2.art20_1.normative_doc.issued",
                                                       "t2.art20_1.normative_doc.repealed"))]
    assert findings[0].actual == findings[0].expected + 1


def test_item_count_chain_2019_format(tmp_path: Path) -> None:
    first, second = _chain(years=(2019, 2020))
    cell = second.cell("t2.art20_6.admin_penalty.prev_year_items")
    assert cell is not None and cell.value is not None
    _set(second, "t2.art20_6.admin_penalty.prev_year_items", int(cell.value) + 5)
    findings = [f for f in _audit(tmp_path, [first, second]) if f.rule.startswith("Y.T2")]
    assert _flat(findings) == [("Y.T2.2019.items", ("t2.art20_6.admin_penalty.prev_year_items",))]
    assert findings[0].severity == "info"


def test_year_over_year_jump(tmp_path: Path) -> None:
    first, second = _chain()
    _set(first, "t4.review_total", 2)
    _set(second, "t4.review_total", 300)
    findings = [f for f in _audit(tmp_path, [first, second]) if f.rule == "Y.jump"]
    assert _flat(findings) == [("Y.jump", ("t4.review_total",))]
    assert (findings[0].expected, findings[0].actual) == (2, 300)


def test_units_are_matched_across_years_by_division_not_spelling(tmp_path: Path) -> None:
    first, second = _chain(agency="淮安市洪泽区人民政府")
    second.meta.agency = "洪泽区人民政府"
    write_reports(tmp_path / "in", [first, second])
    db = tmp_path / "corpus.duckdb"
    ingest([tmp_path / "in"], db, workers=1)
    assert query(db, "SELECT count(*) FROM year_pairs")[1] == [(1,)]


def test_two_reports_of_one_unit_and_year_are_reported_not_paired(tmp_path: Path) -> None:
    first, second = _chain()
    again = second.model_copy(deep=True)
    _set(again, "t4.review_total", 9)
    write_reports(tmp_path / "in", [first, second])
    write_reports(tmp_path / "in" / "again", [again])
    db = tmp_path / "corpus.duckdb"
    ingest([tmp_path / "in"], db, workers=1)
    findings = audit_corpus(db)
    assert [f.rule for f in findings] == ["Q.duplicate_unit_year"]
    assert findings[0].year == 2023 and len(findings[0].related) == 1


def test_copied_narrative_between_units_and_from_last_year(tmp_path: Path) -> None:
    mine = _chain(seed=3)
    theirs = _chain(agency=OTHER, seed=4)
    theirs[1].sections = dict(mine[1].sections)
    mine[0].sections = dict(mine[1].sections)
    findings = [f for f in _audit(tmp_path, [*mine, *theirs]) if f.rule.startswith("Q.copied")]
    assert sorted(f.rule for f in findings) == ["Q.copied_narrative", "Q.copied_own_narrative", "Q.copied_problems"]
    between = next(f for f in findings if f.rule == "Q.copied_narrative")
    assert between.year == 2023 and between.actual >= 90 and between.at and "passage" in between.at[0]
    assert "雷同" in between.message and "“" in between.message


def test_different_narratives_are_not_flagged(tmp_path: Path) -> None:
    findings = _audit(tmp_path, [*_chain(seed=3), *_chain(agency=OTHER, seed=4)])
    assert [f for f in findings if f.rule.startswith("Q.copied")] == []


def test_timeliness_with_default_and_configured_deadlines(tmp_path: Path) -> None:
    first, second = _chain()
    second.meta.published = "2024-02-20"
    findings = _audit(tmp_path, [first, second])
    late = [f for f in findings if f.rule == "Q.late"]
    assert [(f.expected, f.actual) for f in late] == [("2024-01-31", "2024-02-20")]
    assert "迟20天" in late[0].message
    calendar = tmp_path / "deadlines.csv"
    calendar.write_text("level,deadline,region\ndepartment,02-28,3302\n", encoding="utf-8")
    assert [f for f in audit_corpus(tmp_path / "corpus.duckdb", deadlines=calendar) if f.rule == "Q.late"] == []


def _t3_t4_values(report: Report) -> dict[str, int]:
    values = {f"t3.{row}.{col}": cell.value for row, cols in report.tables.t3.items() for col, cell in cols.items()}
    values.update({f"t4.{col}": cell.value for col, cell in report.tables.t4.items()})
    return {k: int(v or 0) for k, v in values.items()}


def test_parent_against_sum_of_children_and_missing_children(tmp_path: Path) -> None:
    children = [consistent_report("2021", seed=s, agency=a, year=2023)
                for s, a in ((1, "宁波市鄞州区财政局"), (2, "宁波市鄞州区教育局"))]
    totals: dict[str, int] = {}
    for child in children:
        for key, value in _t3_t4_values(child).items():
            totals[key] = totals.get(key, 0) + value
    totals["t4.review_upheld"] += 1
    parent = skeleton("2021", "宁波市鄞州区人民政府", 2023, totals)
    parent.sections = dict(children[0].sections)
    hierarchy = tmp_path / "hierarchy.csv"
    hierarchy.write_text("unit,parent\n鄞州区财政局,鄞州区人民政府\n宁波市鄞州区教育局,宁波市鄞州区人民政府\n"
                         "宁波市鄞州区司法局,宁波市鄞州区人民政府\n", encoding="utf-8")
    findings = [f for f in _audit(tmp_path, [*children, parent], hierarchy=hierarchy) if f.rule.startswith("H.")]
    assert [(f.rule, f.cells) for f in findings] == [("H.missing_child", []), ("H.children_sum", ["t4.review_upheld"])]
    assert "宁波市鄞州区司法局" in findings[0].message
    assert (findings[1].expected, findings[1].actual, len(findings[1].related)) == (
        totals["t4.review_upheld"] - 1, totals["t4.review_upheld"], 2)


def test_roster_missing_and_unlisted_units(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(f"unit,year\n{UNIT},2023\n宁波市鄞州区司法局,2023\n", encoding="utf-8")
    findings = _audit(tmp_path, [*_chain(), *_chain(agency=OTHER, seed=2)], roster=roster)
    found = [(f.rule, f.unit, f.year) for f in findings if f.rule.startswith("Q.roster")]
    assert found == [("Q.roster_missing", "宁波市鄞州区司法局", 2023), ("Q.roster_unlisted", OTHER, 2023)]


def test_the_reference_lists_match_holding_only_the_reports_of_the_units_they_name(tmp_path: Path) -> None:
    write_reports(tmp_path / "in", [*_chain(), *_chain(agency=OTHER, seed=2)])
    db = tmp_path / "corpus.duckdb"
    ingest([tmp_path / "in"], db, workers=1)
    ids = dict(query(db, f"SELECT year, id FROM reports WHERE agency = '{UNIT}'")[1])
    con = connect(db, read_only=True)
    try:
        matcher = Matcher.load(con, Scope(full=True), ["鄞州区财政局"])  # found by its unit key
    finally:
        con.close()
    assert (matcher.find("鄞州区财政局", 2023), matcher.years) == ([ids[2023]], [2022, 2023])
    assert matcher.agency == {ids[2022]: UNIT, ids[2023]: UNIT}


def test_reference_lists_are_kept_for_later_audits(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("unit\n宁波市鄞州区司法局\n", encoding="utf-8")
    _audit(tmp_path, _chain(), roster=roster)
    db = tmp_path / "corpus.duckdb"
    assert any(f.rule == "Q.roster_missing" for f in audit_corpus(db))
    stored = query(db, "SELECT rule, count(*) FROM findings WHERE scope = 'corpus' GROUP BY rule ORDER BY rule")[1]
    assert stored == [("Q.roster_missing", 2), ("Q.roster_unlisted", 2)]


def test_a_reference_list_without_its_columns_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "hierarchy.csv"
    bad.write_text("name,boss\na,b\n", encoding="utf-8")
    write_reports(tmp_path / "in", _chain())
    ingest([tmp_path / "in"], tmp_path / "corpus.duckdb", workers=1)
    with pytest.raises(NianbaoError) as caught:
        audit_corpus(tmp_path / "corpus.duckdb", hierarchy=bad)
    assert caught.value.code == "bad_reference"


def test_corpus_findings_are_stored_with_scope_corpus(tmp_path: Path) -> None:
    first, second = _chain()
    _set(second, "t3.carried_over.total", 99)
    _audit(tmp_path, [first, second])
    rows = query(tmp_path / "corpus.duckdb", "SELECT rule, report_id IS NOT NULL, related FROM findings "
                                             "WHERE scope = 'corpus' AND rule = 'Y.T3.carry'")[1]
    assert len(rows) == 1 and rows[0][1] and rows[0][2].startswith("[")


def test_real_pdfs_of_one_unit_give_a_carry_over_result(tmp_path: Path) -> None:
    pdfs = sorted(shared_path(*PDFS).glob("hzq202[34]_working.pdf"))
    db = tmp_path / "corpus.duckdb"
    result = ingest(pdfs, db, workers=1)
    assert result.parsed == 2
    pairs = query(db, "SELECT r.year, p.year FROM year_pairs y JOIN reports r ON r.id = y.report_id "
                      "JOIN reports p ON p.id = y.previous_id")[1]
    assert pairs == [(2024, 2023)]
    carried = query(db, "SELECT count(*) FROM year_pairs y JOIN cells a ON a.report_id = y.report_id "
                        "AND a.row_key = 'carried_over' JOIN cells b ON b.report_id = y.previous_id "
                        "AND b.row_key = 'carried_forward' AND b.col_key = a.col_key")[1]
    assert carried == [(7,)]
    findings = audit_corpus(db)
    assert [f for f in findings if f.rule in ("Y.T3.carry", "Y.T2.2021.in_force")] == []


def test_a_missing_database_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(NianbaoError) as caught:
        audit_corpus(tmp_path / "nope.duckdb", write=False)
    assert caught.value.code == "no_database"


def test_cells_without_values_read_as_zero_in_carry_over(tmp_path: Path) -> None:
    first, second = _chain()
    cell = first.cell("t3.carried_forward.other_org")
    assert cell is not None
    first.tables.t3["carried_forward"]["other_org"] = Cell(raw="", value=None, at=cell.at)
    _set(second, "t3.carried_over.other_org", 0)
    findings = _audit(tmp_path, [first, second])
    assert [f for f in findings if f.rule == "Y.T3.carry" and f.cells == ["t3.carried_over.other_org"]] == []


def test_a_copy_of_a_report_without_a_recognised_unit_names_it_by_number_apart_from_its_year(tmp_path: Path) -> None:
    import duckdb

    mine = _chain(seed=3)
    theirs = _chain(agency=OTHER, seed=4)
    theirs[1].sections = dict(mine[1].sections)
    write_reports(tmp_path / "in", [*mine, *theirs])
    db = tmp_path / "corpus.duckdb"
    ingest([tmp_path / "in"], db, workers=1)
    con = duckdb.connect(str(db))
    con.execute("UPDATE reports SET agency = NULL, unit = NULL WHERE year = 2023")
    con.close()
    found = [f for f in audit_corpus(db) if f.rule == "Q.copied_narrative"]
    assert found, "the copied narrative was not found"
    assert all(re.search(r"正文与编号\d+（单位未识别）的2023年度报告雷同", f.message) for f in found), found


def test_the_findings_are_stored_the_same_whatever_the_rows_inserted_at_a_time(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    write_units(tmp_path / "in", unit_names(4, seed=2), seed=2)
    db = tmp_path / "corpus.duckdb"
    ingest([tmp_path / "in"], db, workers=1)
    stored = {}
    for size in (1, 3, 10_000):
        monkeypatch.setattr(corpus_audit, "_INSERT_FINDINGS", size)
        returned = audit_corpus(db, {"jump_factor": 1.5, "jump_min_delta": 1})
        stored[size] = query(db, "SELECT id, rule, report_id, message FROM findings WHERE scope = 'corpus' "
                                 "ORDER BY TRY_CAST(split_part(id, '.', 2) AS INTEGER)")[1]
        assert [(rule, report, message) for _, rule, report, message in stored[size]] == [
            (f.rule, f.report_id, f.message) for f in returned]
    assert len(stored[10_000]) > 10
    assert stored[1] == stored[3] == stored[10_000]
    assert [i for i, *_ in stored[1]] == [f"corpus.{n}" for n in range(1, len(stored[1]) + 1)]
