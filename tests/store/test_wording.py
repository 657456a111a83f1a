"""Corpus wording rules: 五 repeating the problems of the unit's report of the year before, and another place's
portal cited as the unit's own; each on reports that break it and on reports that do not."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from nianbao.report import Report
from nianbao.store import audit_corpus, ingest, oversight, query, wording
from nianbao.store.db import connect
from nianbao.synth import unit_reports

from .conftest import write_reports

_PROBLEMS_2022 = ("2022年，本街道政府信息公开工作存在的主要问题是：部门预算说明未按科目逐项公开。"
                  "行政处罚决定有12件超过7个工作日才公开。针对上年度报告指出的问题已全部整改。下一步将细化预算公开。")
_PROBLEMS_OTHER = ("2023年，本街道存在的主要问题是：政策解读材料与文件未同步发布，社区公开栏更新不及时。"
                   "针对上年度报告指出的问题已全部整改。下一步将建立同步审签制度。")


def _reports(agency: str, problems: tuple[str, str], overview: str = "全年主动公开政府信息120条。") -> list[Report]:
    reports = list(unit_reports(agency, (2022, 2023), seed=3, faults=False))
    for report, text in zip(reports, problems, strict=True):
        report.sections = {"overview": f"{report.meta.year}年，本单位深入贯彻《条例》。{overview}",
                           "problems_improvements": text, "other_matters": "本年度未收取信息处理费。"}
    return reports


def _findings(tmp_path: Path, reports: list[Report]) -> list[tuple[str, str | None, int | None, str]]:
    write_reports(tmp_path / "in", reports)
    db = tmp_path / "corpus.duckdb"
    ingest([tmp_path / "in"], db, workers=1)
    return [(f.rule, f.unit, f.year, f.message) for f in audit_corpus(db)
            if f.rule in ("Q.copied_problems", "Q.foreign_place")]


def test_problems_copied_from_the_units_previous_report(tmp_path: Path) -> None:
    copied = _reports("洛阳市西工区金谷园街道办事处", (_PROBLEMS_2022, _PROBLEMS_2022.replace("2022年", "2023年")))
    fresh = _reports("洛阳市涧西区重庆路街道办事处", (_PROBLEMS_2022, _PROBLEMS_OTHER))
    found = _findings(tmp_path, copied + fresh)
    assert [(rule, unit, year) for rule, unit, year, _ in found] == [
        ("Q.copied_problems", "洛阳市西工区金谷园街道办事处", 2023)]
    assert "2022年度报告相同" in found[0][3] and "部门预算说明未按科目逐项公开" in found[0][3]


def test_another_places_portal_cited_as_the_units_own(tmp_path: Path) -> None:
    zone = _reports("洛阳市西工区金谷园街道办事处", (_PROBLEMS_2022, _PROBLEMS_OTHER),
                    "我办通过公示栏、高新区门户网站等方式公布街道的机构职能。")
    sibling = _reports("洛阳市瀍河回族区北窑街道办事处", (_PROBLEMS_2022, _PROBLEMS_OTHER),
                       "本街道通过涧西区人民政府门户网站公开信息。")
    own = _reports("洛阳市涧西区重庆路街道办事处", (_PROBLEMS_2022, _PROBLEMS_OTHER),
                   "本街道通过涧西区人民政府门户网站、洛阳市人民政府门户网站和中国政府网公开信息。")
    county_zone = _reports("沭阳县发展和改革局", (_PROBLEMS_2022, _PROBLEMS_OTHER),
                           "本局通过沭阳高新区门户网站和沭阳县人民政府门户网站公开信息。")
    city = _reports("洛阳市发展和改革委员会", (_PROBLEMS_2022, _PROBLEMS_OTHER),
                    "本委通过洛阳市人民政府门户网站和河南省人民政府门户网站公开信息，并在高新区门户网站转载。")
    found = _findings(tmp_path, zone + sibling + own + county_zone + city)
    places = sorted((unit, year, message.split("，")[0]) for rule, unit, year, message in found
                    if rule == "Q.foreign_place")
    assert places == [
        ("洛阳市瀍河回族区北窑街道办事处", 2022, "正文提到涧西区人民政府门户网站"),
        ("洛阳市瀍河回族区北窑街道办事处", 2023, "正文提到涧西区人民政府门户网站"),
        ("洛阳市西工区金谷园街道办事处", 2022, "正文提到高新区门户网站"),
        ("洛阳市西工区金谷园街道办事处", 2023, "正文提到高新区门户网站"),
    ]


def test_timeliness_in_a_corpus_is_judged_once_against_its_calendar(tmp_path: Path) -> None:
    report = _reports("洛阳市发展和改革委员会", (_PROBLEMS_2022, _PROBLEMS_OTHER))[1]
    report.meta.published = "2024-02-20"
    write_reports(tmp_path / "in", [report])
    db = tmp_path / "corpus.duckdb"
    ingest([tmp_path / "in"], db, workers=1)
    stored = query(db, "SELECT rule FROM findings WHERE rule IN ('Q.late', 'C.published_late')")[1]
    assert stored == [("Q.late",)]


def test_the_audit_finds_the_same_whatever_the_reports_read_at_a_time(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The narrative rules read reports (or the portals they name) a page at a time and Q.late its reports a few
    rows at a time: pages of one, two or three find what one page of all of them finds, in the same order."""
    reports = []
    for agency, overview in (("洛阳市瀍河回族区北窑街道办事处", "本街道通过涧西区人民政府门户网站公开信息。"),
                             ("洛阳市西工区金谷园街道办事处", "我办通过公示栏、高新区门户网站等方式公布机构职能。"),
                             ("洛阳市涧西区重庆路街道办事处", "本街道通过涧西区人民政府门户网站公开信息。"),
                             ("洛阳市老城区西关街道办事处", "本街道通过西工区人民政府门户网站公开信息。")):
        reports += _reports(agency, (_PROBLEMS_2022, _PROBLEMS_2022.replace("2022年", "2023年")), overview)
    for late in reports[1::3]:
        late.meta.published = f"{late.meta.year + 1}-04-20"
    write_reports(tmp_path / "in", reports)
    db = tmp_path / "corpus.duckdb"
    ingest([tmp_path / "in"], db, workers=1)
    found = {}
    for size in (1, 2, 3, 1000):
        monkeypatch.setattr(wording, "PAGE_REPORTS", size)
        monkeypatch.setattr(wording, "PAGE_MENTIONS", size)
        monkeypatch.setattr(oversight, "FETCH_ROWS", size)
        found[size] = [f.model_dump() for f in audit_corpus(db, write=False)]
    rules = [f["rule"] for f in found[1000]]
    assert (rules.count("Q.copied_problems"), rules.count("Q.foreign_place"), rules.count("Q.late")) == (4, 6, 3)
    assert found[1] == found[2] == found[3] == found[1000]


_PORTALS = "SELECT report_id, at_char, text_before, portal, text_after FROM portals ORDER BY ALL"


def test_a_corpus_written_before_portals_gets_the_same_ones_and_findings(tmp_path: Path) -> None:
    reports = _reports("洛阳市瀍河回族区北窑街道办事处", (_PROBLEMS_2022, _PROBLEMS_OTHER),
                       "本街道通过 涧西区人民政府\n门户网站公开信息，并在洛阳市人民政府门户网站转载。")
    write_reports(tmp_path / "in", reports)
    db = tmp_path / "corpus.duckdb"
    ingest([tmp_path / "in"], db, workers=1)
    stored = query(db, _PORTALS)[1]
    findings = [f.model_dump() for f in audit_corpus(db, write=False)]
    assert [row[3] for row in stored] == ["人民政府门户网站", "人民政府门户网站"] * 2
    assert stored[0][2].endswith("本街道通过涧西区") and stored[0][4].startswith("公开信息，并在洛阳市")
    assert [f["rule"] for f in findings].count("Q.foreign_place") == 2
    with duckdb.connect(str(db)) as con:
        con.execute("DROP TABLE portals")
    assert [f.model_dump() for f in audit_corpus(db, write=False)] == findings
    connect(db).close()
    assert query(db, _PORTALS)[1] == stored
