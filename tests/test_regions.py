"""Region resolution: agency names to divisions with official codes; ambiguous names keep their candidates; the
division is found while the metadata is extracted, so ``parse --json`` and the corpus give the same ``meta.region``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.extract import extract
from nianbao.readers import read_bytes
from nianbao.regions import DATA, NAMES_FILE, find_mentions, resolve_region
from nianbao.regions.compact import names_text
from nianbao.render import render
from nianbao.report import Report
from nianbao.store import ingest, parse_input, query
from nianbao.synth import consistent_report

from .conftest import shared_path


def _seed(number: str) -> Path:
    return next(shared_path("seeds").glob(f"{number}_*.txt"))


def test_seed_001_township_resolves_through_the_district_named_in_the_text() -> None:
    outcome = parse_input(str(_seed("001")))
    region = outcome["region"]
    assert (region["province"], region["city"], region["county"], region["code"]) == ("浙江省", "宁波市", "鄞州区",
                                                                                      "330212")
    assert (region["township"], region["township_code"]) == ("东柳街道", "330212014000")
    assert outcome["report"]["meta"]["region"] == {"province": "浙江省", "city": "宁波市", "county": "鄞州区",
                                                   "code": "330212"}


def test_seed_003_city_and_district_in_the_name() -> None:
    region = parse_input(str(_seed("003")))["region"]
    assert (region["province"], region["city"], region["county"], region["code"]) == ("吉林省", "四平市", "铁西区",
                                                                                      "220302")
    assert region["status"] == "resolved"


def test_an_ambiguous_district_keeps_its_candidates() -> None:
    found = resolve_region("铁西区人民政府", 2020)
    assert found.status == "ambiguous" and found.division is None
    assert sorted(d.code for d in found.candidates) == ["210106", "210303", "220302"]
    assert found.as_dict(10)["candidate_count"] == 3


def test_clues_in_the_text_settle_an_ambiguous_name() -> None:
    found = resolve_region("铁西区人民政府", 2020, "如对本报告有任何疑问，请与沈阳市铁西区人民政府办公室联系")
    assert found.status == "resolved" and found.division is not None and found.division.code == "210106"


def test_clues_naming_no_candidate_leave_it_ambiguous() -> None:
    assert resolve_region("铁西区人民政府", 2020, "本报告由区政府办公室编制。").status == "ambiguous"


def test_leftmost_longest_names_and_municipal_districts() -> None:
    found = resolve_region("北京市朝阳区人民政府", 2022)
    assert found.division is not None
    assert (found.division.province, found.division.city, found.division.code) == ("北京市", None, "110105")


def test_a_name_without_any_division_is_unresolved() -> None:
    found = resolve_region("青石县人民政府办公室", 2023)
    assert (found.status, found.candidates) == ("unresolved", ())


def test_year_picks_the_code_in_force() -> None:
    assert resolve_region("淮安市洪泽区人民政府", 2023).division.code == "320813"  # type: ignore[union-attr]
    assert resolve_region("淮安市洪泽县人民政府", 2010).division.code == "320829"  # type: ignore[union-attr]


def _cli_meta(path: Path) -> dict[str, object]:
    result = CliRunner().invoke(app, ["parse", str(path), "--json"])
    assert result.exit_code in (0, 1), result.output
    meta: dict[str, object] = json.loads(result.stdout)["meta"]
    return meta


@pytest.mark.parametrize(("agency", "overview", "code"), [
    ("西工区金谷园街道办事处", "全年主动公开政府信息。", "410303"),
    ("铁西区人民政府办公室", "四平市铁西区人民政府办公室全年主动公开政府信息。", "220302"),
    ("铁西区人民政府办公室", "全年主动公开政府信息。", None),
])
def test_parse_json_carries_the_region_the_corpus_stores(tmp_path: Path, agency: str, overview: str,
                                                         code: str | None) -> None:
    report = consistent_report("2021", seed=3, agency=agency, year=2023)
    report.sections["overview"] = overview
    path = tmp_path / "report.txt"
    path.write_bytes(bytes(render(report, "txt")))
    printed = _cli_meta(path)
    ingest([path], tmp_path / "corpus.duckdb", workers=1)
    _, rows = query(tmp_path / "corpus.duckdb", "SELECT meta, region_code, region_status FROM reports")
    (stored, stored_code, status), = rows
    assert printed["region"] == json.loads(stored)["region"]
    region = printed["region"]
    assert (region["code"] if isinstance(region, dict) else None) == code == stored_code
    assert status == ("resolved" if code else "ambiguous")


def test_the_shipped_name_list_is_what_the_division_tables_give() -> None:
    assert (DATA / NAMES_FILE).read_text(encoding="utf-8") == names_text()


def test_a_township_resolves_with_its_county_and_its_own_code() -> None:
    found = resolve_region("宁波市鄞州区东柳街道办事处", 2023)
    assert found.division is not None
    assert (found.division.county, found.division.code, found.division.township_code) == ("鄞州区", "330212",
                                                                                          "330212014000")


def test_mentions_are_leftmost_longest_and_skip_unknown_text() -> None:
    assert find_mentions("四平市铁西区某某某办公室") == ["四平市", "铁西区"]
    assert find_mentions("某某某") == []


def _read_by_ocr(agency: str, ocr: bool = True) -> Report:
    """A report printed for ``agency`` and read back as a scan's text would be (its pages marked as OCR'd)."""
    printed = render(consistent_report("2021", seed=3, agency=agency), "txt")
    document = read_bytes(printed, "scan.txt")
    if ocr:
        document.meta["ocr_pages"] = [1]
    return extract(document)


def test_a_township_misread_by_ocr_is_the_one_township_of_its_county_one_character_off() -> None:
    # 襄垣县 has 虒亭镇 and no 虎亭镇: OCR's usual slip on the rarer character
    report = _read_by_ocr("长治市襄垣县虎亭镇人民政府")
    assert report.meta.agency == "长治市襄垣县虒亭镇人民政府"
    assert report.meta.region is not None and report.meta.region.county == "襄垣县"
    (read_again,) = [f for f in report.findings if f.rule.startswith("S.ocr_township")]
    assert read_again.rule == "S.ocr_township" and "虎亭镇" in read_again.message and "虒亭镇" in read_again.message
    assert read_again.at, "the finding points at where the name is printed"


def test_a_misread_township_that_several_townships_fit_stays_as_read_with_the_candidates() -> None:
    # 宁河区 has 潘庄镇, 廉庄镇 and 苗庄镇, each one character off 蕃庄镇
    report = _read_by_ocr("天津市宁河区蕃庄镇人民政府")
    assert report.meta.agency == "天津市宁河区蕃庄镇人民政府"
    (unsure,) = [f for f in report.findings if f.rule.startswith("S.ocr_township")]
    assert unsure.rule == "S.ocr_township_unsure" and unsure.severity == "warning"
    assert all(name in unsure.message for name in ("潘庄镇", "廉庄镇", "苗庄镇"))


def test_a_township_name_in_text_or_known_to_its_county_is_never_changed() -> None:
    assert _read_by_ocr("长治市襄垣县虎亭镇人民政府", ocr=False).meta.agency == "长治市襄垣县虎亭镇人民政府"
    known = _read_by_ocr("长治市襄垣县虒亭镇人民政府")
    assert known.meta.agency == "长治市襄垣县虒亭镇人民政府"
    assert not [f for f in known.findings if f.rule.startswith("S.ocr_township")]


def test_a_division_name_misread_by_ocr_is_the_one_division_one_character_off_that_the_other_names_agree_with(
) -> None:
    # 涼 for 凉, 叙 for 溆: eight more counties are ?浦县, but only 溆浦县 lies in 怀化市 and holds 龙庄湾乡
    for read, meant in (("涼山彝族自治州越西县教育局", "凉山彝族自治州越西县教育局"),
                        ("怀化市叙浦县龙庄湾乡人民政府", "怀化市溆浦县龙庄湾乡人民政府")):
        report = _read_by_ocr(read)
        assert report.meta.agency == meant
        (mended,) = [f for f in report.findings if f.rule.startswith("S.ocr_place")]
        assert mended.rule == "S.ocr_place" and read in mended.message and mended.at


def test_a_misread_division_name_that_several_divisions_fit_stays_as_read_with_the_candidates() -> None:
    # 福建省 has 漳浦县 and 霞浦县, each one character off 潭浦县
    report = _read_by_ocr("福建省潭浦县人民政府")
    assert report.meta.agency == "福建省潭浦县人民政府"
    (unsure,) = [f for f in report.findings if f.rule.startswith("S.ocr_place")]
    assert unsure.rule == "S.ocr_place_unsure" and "漳浦县" in unsure.message and "霞浦县" in unsure.message


def test_a_division_name_alone_or_in_text_is_never_changed() -> None:
    alone = _read_by_ocr("潭浦县人民政府")  # nothing else in the name tells which ?浦县 it is
    assert alone.meta.agency == "潭浦县人民政府"
    assert _read_by_ocr("涼山彝族自治州越西县教育局", ocr=False).meta.agency == "涼山彝族自治州越西县教育局"


def test_the_name_list_is_searched_from_its_first_line_to_its_last() -> None:
    from nianbao.regions import _Names

    names = _Names("丙县\t5\t\n乙市\t1 2\t\n乙市区\t3\t4:120000000000\n".encode(), (2019, 2024))  # sorted as bytes
    assert names.places("乙市") == ((1, 2), ())
    assert names.places("乙市区") == ((3,), (((4,), "120000000000"),))
    assert names.places("丙县") == ((5,), ())
    assert names.places("甲") == names.places("乙") == names.places("丁县") == ((), ())
    assert names.starting("乙市") == ("乙市区", "乙市")
    assert names.starting("丙") == ("丙县",) and names.starting("丁") == ()
