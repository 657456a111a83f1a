"""Sections 五 and 六 in substance, copy-paste traces, timeliness, regulation power and risk indicators:
each rule on reports that break it and on reports (real wording included) that do not."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from nianbao.audit import audit
from nianbao.audit.timeliness import load_calendar
from nianbao.cli import app
from nianbao.errors import NianbaoError
from nianbao.findings import finding
from nianbao.report import Report
from nianbao.settings import Settings
from nianbao.synth import consistent_report

from .conftest import shared_path

_SPECIFIC = ("2023年，本局在政府信息公开工作中存在的主要问题是：部门预算说明未按科目逐项公开，"
             "12件行政处罚决定超过7个工作日才公开。针对2022年度报告指出的政策解读滞后问题，"
             "已于3月建立解读与文件同步审签制度，全年同步解读率达到100%。下一步将按科目细化预算公开。")


def _report(template: str = "2021", **sections: str) -> Report:
    report = consistent_report(template, seed=5, agency="青石县人民政府办公室",
                               year=2023 if template == "2021" else 2020)
    report.sections.update({"problems_improvements": _SPECIFIC, "other_matters": "本年度未收取信息处理费。",
                            "overview": "2023年，本机关主动公开政府信息120条。"} if template == "2021" else {})
    report.sections.update(sections)
    return report


def _rules(report: Report, settings: Settings | dict[str, object] | None = None) -> list[str]:
    return [f.rule for f in audit(report, settings).findings]


def _found(report: Report, rule: str) -> list[str]:
    return [f.message for f in audit(report).findings if f.rule == rule]


@pytest.mark.parametrize(("text", "reason"), [
    ("", "为空"), ("无", "只写了“无”"), ("无。", "只写了“无”"), ("工作人员业务水平有待提高。", "只有寥寥数语"),
])
def test_an_empty_or_token_section_five_is_a_warning(text: str, reason: str) -> None:
    for template in ("2019", "2021"):
        messages = _found(_report(template, problems_improvements=text), "C.problems_empty")
        assert len(messages) == 1 and reason in messages[0] and "第五部分" in messages[0]


def test_a_missing_section_five_is_left_to_the_structure_finding() -> None:
    report = _report(problems_improvements="")
    report.findings = [finding("S.missing_section", number="五", label="存在的主要问题及改进情况")]
    assert "C.problems_empty" not in _rules(report)


def test_problems_written_in_stock_phrases() -> None:
    stock = ("2023年，我局政府信息公开工作取得一定成效，但对照上级要求，仍存在一定差距。如依申请公开工作规范性"
             "还有待提高、政务公开内容的深度和广度还有待提升、政务公开队伍建设有待加强等。下一步，我局将加强培训。")
    messages = _found(_report(problems_improvements=stock), "C.problems_stock")
    assert len(messages) == 1 and "有待提高" in messages[0]
    assert "C.problems_stock" not in _rules(_report())
    assert "C.problems_stock" not in _rules(_report("2019", problems_improvements=stock))


def test_section_five_must_say_how_last_years_problems_were_dealt_with() -> None:
    without = _SPECIFIC.replace("针对2022年度报告指出的政策解读滞后问题，已于3月建立解读与文件同步审签制度，"
                                "全年同步解读率达到100%。", "")
    assert "C.problems_no_followup" in _rules(_report(problems_improvements=without))
    for account in (_SPECIFIC, without + "上年度报告所列问题已全部整改完成。",
                    without + "（一）2022年工作中存在问题的改进情况：已开设政策专栏。",
                    without + "去年提出的改进措施均已落实。", without + "上年度问题整改情况：解读专栏已上线。",
                    without + "针对上一年度存在的政策解读不足问题，我局开设了解读专栏。",
                    without + "对2022年度报告中发现的问题进行了逐项整改。"):
        assert "C.problems_no_followup" not in _rules(_report(problems_improvements=account)), account
    assert "C.problems_no_followup" not in _rules(_report("2019", problems_improvements=without))


@pytest.mark.parametrize("text", [
    "2023年，区政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费0元。",
    "2025年度本机关未收取信息公开处理费。",
    "本年度信息公开处理费收费情况\n2024年，市科委未发生政府信息公开收费事项。",
    "全县行政机关在办理2025年度信息公开申请中收取信息处理费共计380元，其中民政局1件，收取380元。",
    "2023年度，县发展和改革局政府信息公开未发生收费情况。",
    "本年度未向申请人收取信息处理费。",
    "本机关本年度办理的政府信息公开申请均不涉及收取信息处理费。",
    "本年度没有收取政府信息公开信息处理费。",
    "本年度无信息处理费收取情况。",
])
def test_a_fee_statement_in_section_six_satisfies_the_2021_format(text: str) -> None:
    rules = _rules(_report(other_matters=text))
    assert "C.fee_statement" not in rules and "C.fee_statement_required" not in rules


@pytest.mark.parametrize("text", ["无其他需要报告的事项。", "本年度无其他需要报告的事项。",
                                  "本年度认真落实政务公开工作要点，人大代表建议和政协提案办理结果全部公开。",
                                  "本年度收到人大代表建议3件，均已办结并公开答复。"])
def test_a_section_six_without_fee_statement(text: str) -> None:
    assert "C.fee_statement" in _rules(_report(other_matters=text))


def test_unpaid_fee_notices_require_the_statement_and_2019_reports_are_not_asked() -> None:
    assert "C.fee_statement" not in _rules(_report("2019", other_matters="无其他需要报告的事项。"))
    unpaid = _report(other_matters="无其他需要报告的事项。")
    cell = unpaid.tables.t3["other_fee_unpaid"]["total"]
    cell.raw, cell.value = "2", 2
    findings = [f for f in audit(unpaid).findings if f.rule.startswith("C.fee")]
    assert [f.rule for f in findings] == ["C.fee_statement_required"] and findings[0].severity == "warning"
    assert "逾期未按收费通知要求缴纳费用" in findings[0].message and "t3." not in findings[0].message


def test_the_fee_statement_is_not_tied_to_table_two_administrative_fees() -> None:
    report = _report(other_matters="本年度未收取信息处理费。")
    fee = report.tables.t2["art20_8"]["admin_fee"]["fee_amount"]
    fee.raw, fee.value = "4068.2", 4068.2
    assert not [r for r in _rules(report) if r.startswith("C.fee")]


@pytest.mark.parametrize(("section", "text"), [
    ("overview", "2022年，本局认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开信息120条。"),
    ("overview", "本单位2022年度共主动公开政府信息120条。"),
    ("overview", "现将本局2022年度政府信息公开工作情况报告如下。"),
])
def test_the_previous_year_written_as_the_current_one(section: str, text: str) -> None:
    messages = _found(_report(**{section: text}), "C.stale_year")
    assert len(messages) == 1 and "2022" in messages[0] and "2023年度" in messages[0]


@pytest.mark.parametrize("text", [
    "2023年，本局主动公开政府信息120条，较2022年增长12%。",
    "全年收到申请15件，2022年结转2件。",
    "与2022年相比，本机关主动公开信息数量基本持平。",
    "针对2022年度报告中指出的问题，本局已于3月完成整改。",
    "2023年，本局主动公开信息120条。2022年，本局制定的《信息发布管理办法》继续执行。",
])
def test_the_previous_year_named_as_such_is_not_flagged(text: str) -> None:
    assert "C.stale_year" not in _rules(_report(overview=text))


@pytest.mark.parametrize(("text", "leftover"), [
    ("XX局认真贯彻落实条例。", "XX"), ("本机关（或本部门）全年主动公开信息120条。", "（或本部门）"),
    ("联系人：×××，电话：0000。", "×××"), ("（单位名称）2023年度报告", "（单位名称）"),
])
def test_template_leftovers(text: str, leftover: str) -> None:
    messages = _found(_report(overview=text), "C.template_leftover")
    assert len(messages) == 1 and leftover in messages[0]


@pytest.mark.parametrize("text", [
    "二〇二三年，本局主动公开信息120条。", "网站www.example.gov.cn/XXZX栏目公开信息。", "签发日期：二〇二〇年一月。",
])
def test_ordinary_text_has_no_template_leftover(text: str) -> None:
    assert "C.template_leftover" not in _rules(_report(overview=text))


def _dated(published: str | None, level: str = "department", agency: str = "青石县发展和改革局") -> Report:
    report = _report()
    report.meta.published, report.meta.level, report.meta.agency = published, level, agency
    return report


@pytest.mark.parametrize(("published", "level", "late"), [
    ("2024-01-31", "department", False), ("2024-02-01", "department", True), ("2024-03-31", "county", False),
    ("2024-04-02", "city", True), ("2024-06-30", "township", False),
])
def test_timeliness_by_the_level_of_the_body(published: str, level: str, late: bool) -> None:
    messages = _found(_dated(published, level), "C.published_late")
    assert bool(messages) == late
    if late:
        assert "条例第四十九条" in messages[0] and published in messages[0]


def test_a_date_years_after_the_report_year_is_not_taken_for_lateness() -> None:
    report = _dated("2027-02-01")
    rules = _rules(report)
    assert "C.published_late" not in rules and "C.undated" in rules
    assert "C.published_late" in _rules(_dated("2025-02-01"))


def test_a_report_without_a_date_cannot_be_checked() -> None:
    report = _dated(None)
    messages = _found(report, "C.undated")
    assert len(messages) == 1 and "无法核对" in messages[0]
    assert "C.undated" not in _rules(_dated("2024-01-20"))


@pytest.mark.parametrize(("source", "named"), [("signature", "落款日期"), ("heading", "标题下所署日期"),
                                               ("page", "网页发布日期"), (None, "报告日期")])
def test_the_date_named_by_its_source(source: str | None, named: str) -> None:
    report = _dated("2024-02-03")
    report.meta.published_from = source  # type: ignore[assignment]
    assert _found(report, "C.published_late")[0].startswith(f"{named}2024-02-03晚于公布期限2024-01-31")


def test_a_calendar_overrides_the_statutory_deadline(tmp_path: Path) -> None:
    csv_file = tmp_path / "deadlines.csv"
    csv_file.write_text("unit,level,year,deadline\n,department,2023,02-10\n青石县发展和改革局,,2023,2024-01-25\n"
                        ",township,,01-31\n", encoding="utf-8")
    calendar = load_calendar(csv_file)
    settings = {"audit": {"calendar": [c.model_dump() for c in calendar]}}
    assert "C.published_late" in _rules(_dated("2024-01-28"), settings)
    assert "C.published_late" not in _rules(_dated("2024-02-05", agency="青石县教育局"), settings)
    assert "C.published_late" in _rules(_dated("2024-02-11", agency="青石县教育局"), settings)
    assert "C.published_late" in _rules(_dated("2024-02-02", "township", "青石镇人民政府"), settings)
    yaml_file = tmp_path / "deadlines.yaml"
    yaml_file.write_text("deadlines:\n  - level: 部门\n    deadline: '02-10'\n", encoding="utf-8")
    assert load_calendar(yaml_file)[0].level == "department"


@pytest.mark.parametrize("content", ["level,date_due\ndepartment,01-31\n", "deadline\n31 January\n",
                                     "deadline: [unclosed\n"])
def test_a_bad_calendar_names_the_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / ("bad.yaml" if content.startswith("deadline:") else "bad.csv")
    path.write_text(content, encoding="utf-8")
    with pytest.raises(NianbaoError) as caught:
        load_calendar(path)
    assert caught.value.path == str(path)


def test_the_cli_takes_a_deadline_calendar(tmp_path: Path) -> None:
    seed = shared_path("seeds", "000_d67fec3efbc2aac7.txt")
    calendar = tmp_path / "deadlines.csv"
    calendar.write_text("level,deadline\ndepartment,01-20\n", encoding="utf-8")
    plain = CliRunner().invoke(app, ["audit", str(seed)])
    assert "C.published_late" not in plain.output
    late = CliRunner().invoke(app, ["audit", str(seed), "--deadlines", str(calendar)])
    assert "C.published_late" in late.output and "2021-01-30" in late.output


@pytest.mark.parametrize(("agency", "level", "flagged"), [
    ("青石县发展和改革局", "department", True), ("四平市铁西区人民政府办公室", "department", True),
    ("青石县人民政府", "county", True), ("青石镇人民政府", "township", True),
    ("淮安市发展和改革委员会", "department", False), ("上海市人民政府办公厅", "department", False),
    ("淮安市人民政府", "city", False), ("广西壮族自治区司法厅", "department", False),
])
def test_regulation_power_covers_county_departments(agency: str, level: str, flagged: bool) -> None:
    report = _report()
    report.meta.agency, report.meta.level = agency, level
    cell = report.tables.t2["art20_1"]["regulation"]["issued"]
    cell.raw, cell.value = "1", 1
    messages = _found(report, "T2.regulation_power")
    assert bool(messages) == flagged
    if flagged:
        assert "规章" in messages[0] and "t2." not in messages[0]


def _cases(report: Report, **values: int) -> Report:
    for key, value in values.items():
        cell = report.cell(key)
        assert cell is not None
        cell.raw, cell.value = str(value), value
    return report


def test_correction_rates_of_review_and_litigation() -> None:
    report = _cases(_report(), **{"t4.review_upheld": 3, "t4.review_corrected": 1, "t4.review_other": 0,
                                  "t4.review_pending": 2, "t4.review_total": 6})
    messages = _found(report, "R.review_correction")
    assert messages == ["行政复议纠错率25%：表四行政复议结果纠正1件，已审结4件"]
    clean = _cases(_report(), **{"t4.review_upheld": 3, "t4.review_corrected": 0, "t4.review_other": 0,
                                 "t4.review_pending": 0, "t4.review_total": 3})
    assert "R.review_correction" not in _rules(clean)


def test_outcome_shares_reach_their_threshold_only_on_enough_applications() -> None:
    report = consistent_report("2021", seed=1)
    values = {f"t3.{r}.total": 0 for r in report.tables.t3}
    values.update({"t3.result_total.total": 20, "t3.unable_not_held.total": 9, "t3.granted.total": 11})
    findings = {f.rule: f for f in audit(_cases(report, **values)).findings if f.rule.endswith("_share")}
    assert set(findings) == {"R.not_held_share"} and findings["R.not_held_share"].actual == 9
    assert "45%" in findings["R.not_held_share"].message
    small = _cases(consistent_report("2021", seed=1), **{**values, "t3.result_total.total": 5,
                                                          "t3.unable_not_held.total": 4})
    assert not [r for r in _rules(small) if r.endswith("_share")]


def test_real_reports_give_no_copy_paste_signal_and_state_their_fees() -> None:
    import nianbao

    paths = [*sorted(shared_path("seeds").glob("*.txt")),
             *sorted(p for p in shared_path("corpus", "raw").rglob("*") if p.suffix in (".txt", ".md", ".html")
                     and p.name != "SOURCES.md")]
    for path in paths:
        report = nianbao.parse(path)
        rules = {f.rule for f in report.findings}
        assert not {"C.stale_year", "C.template_leftover", "C.fee_statement_required"} & rules, path
        if report.template == "2021" and "其他需要报告的事项" not in report.sections["other_matters"] \
                and report.sections["other_matters"]:
            assert "C.fee_statement" not in rules, path


@pytest.mark.parametrize(("rows", "rule"), [
    ({"t3.denied_state_secret.total": 4, "t3.denied_process_info.total": 3}, "R.denied_share"),
    ({"t3.other_no_correction.total": 5, "t3.other_other.total": 2}, "R.other_share"),
    ({"t3.unable_not_held.total": 7}, "R.not_held_share"),
])
def test_each_outcome_share(rows: dict[str, int], rule: str) -> None:
    report = consistent_report("2021", seed=1)
    values = {f"t3.{r}.total": 0 for r in report.tables.t3}
    values.update({"t3.result_total.total": 20, "t3.granted.total": 20 - sum(rows.values()), **rows})
    shares = [f for f in audit(_cases(report, **values)).findings if f.rule.endswith("_share")]
    assert [(f.rule, f.actual) for f in shares] == [(rule, 7)] and "35%" in shares[0].message


def test_litigation_correction_counts_both_kinds_of_suit() -> None:
    report = _cases(_report(), **{"t4.lit_direct_corrected": 1, "t4.lit_direct_total": 3, "t4.lit_direct_pending": 0,
                                  "t4.lit_after_review_corrected": 1, "t4.lit_after_review_total": 5,
                                  "t4.lit_after_review_pending": 2})
    assert _found(report, "R.litigation_correction") == ["行政诉讼纠错率33.3%：表四行政诉讼结果纠正2件，已审结6件"]
    quiet = _cases(_report(), **{"t4.lit_direct_corrected": 0, "t4.lit_after_review_corrected": 0})
    assert "R.litigation_correction" not in _rules(quiet)
