"""The summary report (汇总分析): coverage against the roster, the region's tables and rankings equal SQL over the
corpus, the DOCX opens in python-docx and LibreOffice converts it to PDF, charts are left out with a note where no
CJK font exists."""

from __future__ import annotations

import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import duckdb
import pytest
from docx import Document
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.render import summary as summary_render
from nianbao.render.summary import to_docx, to_html
from nianbao.schema import formats
from nianbao.schema.metrics import metric_dictionary
from nianbao.store import audit_corpus, ingest
from nianbao.store.summary import summary
from nianbao.synth import panel, unit_names

from .conftest import write_reports

REGION, YEAR = "淮安市", 2024
POPULATION = 20_000


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], list[str]]:
    """Forty units of 淮安市 over two years, and a roster listing three more that sent nothing."""
    directory = tmp_path_factory.mktemp("summary")
    names = unit_names(43, seed=8, within=REGION)
    sent, absent = names[:40], names[40:]
    write_reports(directory / "reports", panel(sent, (YEAR - 1, YEAR), seed=8))
    database = directory / "corpus.duckdb"
    ingest([directory / "reports"], database, workers=1)
    roster = directory / "roster.csv"
    roster.write_text("unit,population\n" + "".join(f"{n},{POPULATION + 1000 * i}\n" for i, n in enumerate(names)),
                      encoding="utf-8")
    audit_corpus(database, roster=roster)
    return database, sent, absent


def _sql(database: Path, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _text(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return str(int(number)) if number.is_integer() else f"{number:g}"


def test_coverage_follows_the_roster(region: tuple[Path, list[str], list[str]]) -> None:
    database, _, absent = region
    data = summary(database, REGION, YEAR)
    assert (data.coverage.expected, data.coverage.received) == (43, 40)  # the roster lists 43 units of the region
    assert sorted(data.coverage.missing) == sorted(absent)
    (late,), = _sql(database, "SELECT count(*) FROM findings f JOIN current_reports r ON r.id = f.report_id "
                              "WHERE f.rule = 'Q.late' AND r.year = ?", [YEAR])
    assert len(data.coverage.late) == late


def test_the_docx_tables_equal_sql_over_the_corpus(region: tuple[Path, list[str], list[str]]) -> None:
    database, _, _ = region
    document = Document(BytesIO(to_docx(summary(database, REGION, YEAR))))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    columns = [c.key for c in formats().t3_columns]
    t3 = next(t for t in tables if t[0][1:] == [c.label for c in formats().t3_columns])
    sums = {(k, ): v for k, v in _sql(database, "SELECT c.key, sum(c.value) FROM cells c JOIN current_reports r ON "
                                                "r.id = c.report_id WHERE r.year = ? AND r.city = ? AND c.tbl = 't3' "
                                                "GROUP BY c.key", [YEAR, REGION])}
    rows = formats().t3_data_rows("2021")
    assert [line[0] for line in t3[1:]] == [r.label for r in rows]
    for row, line in zip(rows, t3[1:], strict=True):
        for column, text in zip(columns, line[1:], strict=True):
            assert text == _text(sums[(f"t3.{row.key}.{column}",)]), (row.key, column)
    rate = metric_dictionary()["disclosure_rate"]
    ranked = next(t for t in tables if t[0] == ["名次", "单位", f"{rate.name}（{rate.unit}）"])
    top = " + ".join(f"coalesce(sum(c.value) FILTER (WHERE c.key = '{k}'), 0)" for k in rate.numerator)
    expected = _sql(database, f"SELECT r.agency, round(100 * ({top}) / sum(c.value) FILTER (WHERE c.key = "
                              f"'{rate.denominator[0]}'), 1) AS v FROM current_reports r JOIN cells c ON "
                              "c.report_id = r.id WHERE r.year = ? AND r.city = ? GROUP BY r.agency "
                              "HAVING sum(c.value) FILTER (WHERE c.key = 't3.result_total.total') > 0 "
                              "ORDER BY v DESC, r.agency LIMIT 10", [YEAR, REGION])
    assert expected and [(line[1], line[2]) for line in ranked[1:]] == [(a, _text(v)) for a, v in expected]
    assert any(metric_dictionary().label in p.text for p in document.paragraphs) or any(
        metric_dictionary().label in t[0][0] for t in tables)


def test_growth_and_population_rankings_follow_their_definitions(region: tuple[Path, list[str], list[str]]) -> None:
    database, sent, _ = region
    rankings = {r.metric.key: r for r in summary(database, REGION, YEAR).rankings}
    new = {a: {y: v for y, v in years} for a, years in _by_agency(database)}
    per_10k = rankings["applications_per_10k"]
    assert per_10k.count == 40
    for agency, _, rate in per_10k.rows:
        assert rate == round(10_000 * new[agency][YEAR] / (POPULATION + 1000 * sent.index(agency)), 1)
    growth = rankings["applications_yoy"]
    assert growth.rows and growth.count == sum(1 for years in new.values() if years.get(YEAR - 1))
    for agency, _, change in growth.rows:
        assert change == round(100 * (new[agency][YEAR] - new[agency][YEAR - 1]) / new[agency][YEAR - 1], 1)


def _by_agency(database: Path) -> list[tuple[str, list[tuple[int, float]]]]:
    return [(a, list(zip(ys, vs, strict=True))) for a, ys, vs in _sql(
        database, "SELECT r.agency, list(r.year ORDER BY r.year), list(c.value ORDER BY r.year) FROM current_reports r "
                  "JOIN cells c ON c.report_id = r.id AND c.key = 't3.new_received.total' GROUP BY r.agency")]


def test_libreoffice_converts_the_docx_to_pdf(region: tuple[Path, list[str], list[str]], tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    database, _, _ = region
    done = CliRunner().invoke(app, ["summary", "--db", str(database), "--region", REGION, "--year", str(YEAR),
                                    "-o", str(tmp_path / "汇总分析.docx")])
    assert done.exit_code == 0, done.output
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "汇总分析.docx")], check=True, capture_output=True,
                   timeout=300)
    assert (tmp_path / "汇总分析.pdf").read_bytes().startswith(b"%PDF")


def test_html_and_the_missing_font_note(region: tuple[Path, list[str], list[str]],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    database, _, absent = region
    data = summary(database, REGION, YEAR)
    page = to_html(data)
    assert absent[0] in page and "<table>" in page
    if summary_render.cjk_font() is not None:
        assert "data:image/png;base64," in page
    monkeypatch.setattr(summary_render, "cjk_font", lambda: None)
    page = to_html(data)
    assert "图表从略" in page and "data:image/png" not in page
