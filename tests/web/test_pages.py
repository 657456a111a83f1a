"""The HTML pages: official table layout, cell evidence by format, review decisions, dashboard, downloads, safety."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web tests need the [web] extra: pip install 'nianbao[web]'")
pytest.importorskip("httpx2", reason="FastAPI's TestClient needs httpx2: pip install httpx2")

from docx import Document
from openpyxl import load_workbook

from .conftest import BROKEN_KEY, BROKEN_RAW, broken_report

WEB = Path(__file__).resolve().parents[2] / "src" / "nianbao" / "web"
Shared = tuple[Any, int]


def _uploaded(client: Any, fmt: str = "txt") -> int:
    data = broken_report(fmt)
    response = client.post("/api/reports", files={"file": (f"青石县.{fmt}", data, "application/octet-stream")})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _finding_key(client: Any, report_id: int, rule: str) -> str:
    body = client.get(f"/api/reports/{report_id}").json()
    index = next(n for n, f in enumerate(body["report"]["findings"]) if f["rule"] == rule)
    return str(body["reviews"][index]["key"])


def test_report_page_lays_out_the_official_tables(shared: Shared) -> None:
    client, report_id = shared
    page = client.get(f"/reports/{report_id}").text
    assert "表三 收到和处理政府信息公开申请情况" in page and "表四 政府信息公开行政复议、行政诉讼情况" in page
    assert re.search(r'<th rowspan="3" colspan="3">（本列数据的勾稽关系为', page)
    assert '<th colspan="7">申请人情况</th>' in page and '<th colspan="5">行政复议</th>' in page
    cell = re.search(rf'<td class="v([^"]*)"[^>]*data-key="{re.escape(BROKEN_KEY)}">', page)
    assert cell is not None and "sev-error" in cell.group(1)


def test_text_cell_evidence_shows_its_source_line(shared: Shared) -> None:
    client, report_id = shared
    fragment = client.get(f"/reports/{report_id}/cells/{BROKEN_KEY}").text
    assert "一、本年新收政府信息公开申请数量·总计" in fragment
    assert f"“{BROKEN_RAW}”" in fragment
    hit = re.search(r'<span class="line hit"><span class="ln">(\d+)</span>([^<]*)</span>', fragment)
    assert hit is not None and "一、本年新收政府信息公开申请数量" in hit.group(2) and BROKEN_RAW in hit.group(2)
    assert f"第 {hit.group(1)} 行" in fragment
    assert "T3.balance" in fragment
    assert client.get(f"/reports/{report_id}/cells/t9.nothing").text.count("报告未印制此单元格") == 1
    assert client.get(f"/reports/{report_id}/cells/..%2F..%2Fetc").status_code == 404


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_grid_cell_evidence_shows_the_table_position(client: Any, corpus_db: Path, fmt: str) -> None:
    report_id = _uploaded(client, fmt)
    for stored in corpus_db.with_name(corpus_db.name + ".files").rglob(f"*.{fmt}"):
        stored.unlink()  # the excerpt comes from the grid rows stored at ingest, not from reading the file again
    fragment = client.get(f"/reports/{report_id}/cells/{BROKEN_KEY}").text
    assert re.search(r"第 \d+ 个表格，第 \d+ 行第 \d+ 列", fragment)
    assert f'<td class="hit">{BROKEN_RAW}</td>' in fragment


def test_review_decisions_persist(client: Any) -> None:
    report_id = _uploaded(client)
    key = _finding_key(client, report_id, "T3.balance")
    url = f"/reports/{report_id}/findings/{key}/review"
    assert "已确认" in client.post(url, data={"decision": "confirmed"}).text
    assert "已确认" in client.get(f"/reports/{report_id}").text
    client.post(url, data={"decision": "dismissed"})
    reviews = {r["key"]: r["decision"] for r in client.get(f"/api/reports/{report_id}").json()["reviews"]}
    assert reviews[key] == "dismissed"
    client.post(url, data={"decision": "undo"})
    assert client.get(f"/api/reports/{report_id}").json()["reviews"][0]["decision"] is None
    assert client.post(url, data={"decision": "maybe"}).status_code == 400
    assert client.post(f"/reports/{report_id}/findings/nope/review", data={"decision": "confirmed"}).status_code == 404


def test_dismissed_findings_no_longer_mark_their_cells(client: Any) -> None:
    report_id = _uploaded(client)
    for item in client.get(f"/api/reports/{report_id}").json()["reviews"]:
        client.post(f"/reports/{report_id}/findings/{item['key']}/review", data={"decision": "dismissed"})
    page = client.get(f"/reports/{report_id}").text
    assert not re.search(rf'<td class="v sev-[a-z]+"[^>]*data-key="{re.escape(BROKEN_KEY)}"', page)


def test_report_text_is_escaped(shared: Shared) -> None:
    client, report_id = shared
    page = client.get(f"/reports/{report_id}").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    found = client.get("/", params={"text": "依申请公开"}).text
    assert "<b>" not in found and "&lt;b&gt;<mark>依申请公开</mark>" in found


def test_corpus_page_filters_and_searches(shared: Shared) -> None:
    client, _ = shared
    page = client.get("/").text
    assert page.count('<a href="/reports/') == 7
    errors = client.get("/", params={"has_errors": "true"}, headers={"HX-Request": "true", "HX-Target": "results"})
    assert "<html" not in errors.text and errors.text.count('<a href="/reports/') == 1
    found = client.get("/", params={"text": "主动公开政府信息"}).text
    assert "<mark>主动公开政府信息</mark>" in found
    assert client.get("/", params={"year": "abc"}).status_code == 400


def test_dashboard_draws_every_chart_from_local_scripts(shared: Shared) -> None:
    client, _ = shared
    page = client.get("/dashboard").text
    charts = re.findall(r'<div class="chart" id="chart-(\w+)" data-option=\'', page)
    assert charts == ["by_year", "by_region", "outcomes", "rates", "refusals", "review", "rules"]
    assert "/static/vendor/echarts/echarts.min.js" in page
    unit = client.get("/api/reports").json()["items"][-1]["unit"]
    unit_page = client.get("/dashboard", params={"unit": unit, "by": "county"}).text
    assert 'id="chart-unit"' in unit_page
    assert '<th class="num">行政复议</th><th class="num">行政诉讼</th>' in unit_page


def test_export_zip_holds_the_store_export(shared: Shared) -> None:
    client, _ = shared
    response = client.get("/downloads/export.zip", params={"fmt": "csv", "has_errors": "true"})
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert {"reports.csv", "cells.csv", "findings.csv", "datapackage.json", "CODEBOOK.md"} <= set(archive.namelist())
    assert archive.read("reports.csv").decode().count("\n") == 2


def test_rectification_lists_carry_the_evidence(shared: Shared) -> None:
    client, report_id = shared
    unit = client.get("/api/reports", params={"q": "青石县"}).json()["items"][0]["unit"]
    xlsx = client.get("/downloads/rectification.xlsx", params={"unit": unit})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    balance = next(r for r in rows if r[4] == "T3.balance")
    assert "一、本年新收政府信息公开申请数量·总计" in balance[8] and BROKEN_RAW in balance[9]
    assert re.search(r"第 \d+ 行", balance[10]) and balance[13] == str(report_id)
    docx = client.get("/downloads/rectification.docx", params={"region": "", "year": 2023})
    text = "\n".join(c.text for t in Document(io.BytesIO(docx.content)).tables for r in t.rows for c in r.cells)
    assert "T3.balance" in text and f"一、本年新收政府信息公开申请数量：总计 {BROKEN_RAW}" in text


def test_every_page_answers_with_security_headers(shared: Shared) -> None:
    client, _ = shared
    for url in ("/", "/upload", "/dashboard", "/downloads", "/docs", "/api/reports"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "default-src 'self'" in response.headers["content-security-policy"]
    refused = client.post("/api/reports", headers={"Origin": "http://evil.example"}, files={"file": ("a.txt", b"x")})
    assert refused.status_code == 403


def test_no_page_or_script_loads_anything_from_another_host() -> None:
    for path in [*WEB.glob("templates/*.html"), *WEB.glob("static/*.js"), *WEB.glob("static/*.css")]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(src|href)=\"(https?:)?//", text), path
        assert "cdn" not in text.lower(), path


def test_rectification_xlsx_carries_no_live_formula(client: Any) -> None:
    from nianbao.render import render
    from nianbao.synth import consistent_report

    report = consistent_report("2021", seed=3, agency="=青石县人民政府办公室", year=2023)
    cell = report.cell(BROKEN_KEY)
    assert cell is not None
    cell.raw, cell.value = BROKEN_RAW, int(BROKEN_RAW)
    client.post("/api/reports", files={"file": ("r.txt", bytes(render(report, "txt")), "text/plain")})
    unit = client.get("/api/reports", params={"q": "=青石县"}).json()["items"][0]["unit"]
    sheet = load_workbook(io.BytesIO(client.get("/downloads/rectification.xlsx", params={"unit": unit}).content)).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert "'=青石县人民政府办公室" in [c.value for c in cells]


def _rewrite_messages(db: Path, report_id: int, old_keys: list[str] | None = None) -> None:
    """What a re-audit does when the numbers a message quotes change; with ``old_keys``, the decisions are put
    back under the keys an older version gave them (by message)."""
    import duckdb

    con = duckdb.connect(str(db))
    try:
        con.execute("UPDATE findings SET message = message || '（已更新：70份）' WHERE report_id = ?", [report_id])
        if old_keys is not None:
            rows = con.execute("SELECT finding_key FROM reviews ORDER BY finding_key").fetchall()
            for (key,), old in zip(rows, old_keys, strict=True):
                con.execute("UPDATE reviews SET finding_key = ? WHERE finding_key = ?", [old, key])
    finally:
        con.close()


def test_a_decision_survives_a_change_of_message(corpus_db: Path) -> None:
    from fastapi.testclient import TestClient

    from nianbao.web import create_app

    with TestClient(create_app(corpus_db)) as client:
        report_id = _uploaded(client)
        key = _finding_key(client, report_id, "T3.balance")
        client.post(f"/reports/{report_id}/findings/{key}/review", data={"decision": "dismissed"})
    _rewrite_messages(corpus_db, report_id)
    with TestClient(create_app(corpus_db)) as client:
        reviews = {r["key"]: r["decision"] for r in client.get(f"/api/reports/{report_id}").json()["reviews"]}
        assert reviews[key] == "dismissed"


def test_decisions_keyed_by_message_are_carried_over(corpus_db: Path) -> None:
    import duckdb
    from fastapi.testclient import TestClient

    from nianbao.store.review import message_key
    from nianbao.web import create_app

    with TestClient(create_app(corpus_db)) as client:
        report_id = _uploaded(client)
        key = _finding_key(client, report_id, "T3.balance")
        client.post(f"/reports/{report_id}/findings/{key}/review", data={"decision": "confirmed"})
    con = duckdb.connect(str(corpus_db))
    (rule, cells, message), = con.execute("SELECT rule, cells, message FROM findings WHERE report_id = ? AND "
                                          "rule = 'T3.balance'", [report_id]).fetchall()
    con.close()
    _rewrite_messages(corpus_db, report_id, [message_key(report_id, rule, cells, message + "（已更新：70份）")])
    with TestClient(create_app(corpus_db)) as client:
        reviews = {r["key"]: r["decision"] for r in client.get(f"/api/reports/{report_id}").json()["reviews"]}
        assert reviews[key] == "confirmed"


def test_the_docx_list_stays_compact_when_a_finding_names_many_cells() -> None:
    from docx.oxml.ns import qn

    from nianbao.web.rectification import DOCX_CELL_CHARS, DOCX_COLUMNS, Evidence, Item, items_to_docx

    report = {"id": 1, "agency": "青石县人民政府办公室", "year": 2023, "province": "某省", "city": None, "county": None}
    evidence = [Evidence(f"t3.row{n // 8}.col{n % 8}", f"第{n // 8}行·第{n % 8}列", "", f"第 {30 + n // 8} 行",
                         (("line", 30 + n // 8), ("cell", n % 8))) for n in range(159)]
    message = "159 个单元格为空白：" + "、".join(e.label for e in evidence)
    items = [Item(report, "S.blank_cells", "warning", message, None, evidence)] * 59
    document = Document(io.BytesIO(items_to_docx(items, "整改清单")))
    table = document.tables[0]
    assert len(table.rows) == 60
    longest = max(len(cell.text) for row in table.rows for cell in row.cells)
    assert longest <= DOCX_CELL_CHARS
    finding = table.rows[1].cells
    assert "第0行：第0列、第1列、第2列、第3列、第4列、第5列、第6列、第7列（空白）" in finding[2].text
    assert "第 30 行第 1–8 格" in finding[3].text and "另有" in finding[2].text
    assert "全文见 XLSX 清单" in finding[1].text
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    section = document.sections[0]
    assert grid == [round(width * 360000 / 635) for _, width in DOCX_COLUMNS]  # twips, as LibreOffice lays out by
    assert sum(grid) * 635 <= section.page_width - section.left_margin - section.right_margin
    assert grid[1] > 5 * grid[0]


def test_an_export_runs_as_a_job_with_progress(client: Any) -> None:
    started = client.post("/downloads/export", data={"fmt": "csv", "year": "2023"}, headers={"hx-request": "true"})
    assert started.status_code == 200 and 'id="export-job"' in started.text
    job_id = re.search(r"/downloads/jobs/([\w-]+)", started.text)
    assert job_id, started.text
    for _ in range(600):
        fragment = client.get(f"/downloads/jobs/{job_id.group(1)}", headers={"hx-request": "true"}).text
        if "导出完成" in fragment:
            break
        assert "正在导出" in fragment and "个文件" in fragment
        time.sleep(0.1)
    download = client.get(f"/downloads/jobs/{job_id.group(1)}/file")
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    assert archive.read("reports.csv").decode().count("\n") == 1 + 3
    assert client.get("/downloads/jobs/nope").status_code == 404


def test_export_jobs_keep_a_scratch_directory_only_while_they_live(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import gc
    import tempfile

    from nianbao.web.exports import ExportJobs

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    jobs = ExportJobs()
    assert not list(tmp_path.iterdir())  # an app that never exports leaves nothing behind
    scratch = jobs._directory
    assert scratch.is_dir() and scratch.parent == tmp_path
    del jobs
    gc.collect()
    assert not scratch.exists()


def test_pages_answer_and_further_exports_are_refused_while_exports_run(client: Any,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from nianbao.web import exports

    release = threading.Event()
    real = exports.export

    def held_export(*args: Any, **kwargs: Any) -> Any:
        release.wait(60)  # the export goes on only once the pages have been read
        return real(*args, **kwargs)

    monkeypatch.setattr(exports, "export", held_export)
    try:
        started = [client.post("/downloads/export", data={"fmt": "xlsx"}, headers={"hx-request": "true"})
                   for _ in range(exports.RUNNING_AT_ONCE)]
        assert all(r.status_code == 200 and "正在导出" in r.text for r in started)
        assert client.get("/", headers={"accept": "text/html"}).status_code == 200
        assert client.get("/api/reports").json()["total"] == 6
        refused = client.post("/downloads/export", data={"fmt": "xlsx"}, headers={"hx-request": "true"})
        assert refused.status_code == 503 and "正在进行的导出太多" in refused.text
    finally:
        release.set()


def test_a_finding_names_rows_and_cells_by_their_printed_labels() -> None:
    from nianbao.web.context import label

    assert label("t3.other_handling") == "（六）其他处理"
    assert label(BROKEN_KEY) == "一、本年新收政府信息公开申请数量·总计"


def test_the_list_exports_what_it_shows(shared: Shared) -> None:
    client, _ = shared
    page = client.get("/", params={"year": 2022}, headers={"accept": "text/html"}).text
    link = re.search(r'href="(/downloads/export\.zip\?[^"]*fmt=csv)"', page)
    assert link
    archive = zipfile.ZipFile(io.BytesIO(client.get(link.group(1).replace("&amp;", "&")).content))
    assert archive.read("reports.csv").decode("utf-8-sig").count("\n") == 1 + 3


def test_dashboard_charts_click_through_to_the_list(shared: Shared) -> None:
    import html

    client, _ = shared
    page = client.get("/dashboard", params={"year": 2023}, headers={"accept": "text/html"}).text
    links = dict(re.findall(r'id="chart-(\w+)"[^>]*data-link="([^"]+)"', page))
    assert set(links) == {"by_year", "rates", "by_region"}
    region = html.unescape(links["by_region"])
    assert "year=2023" in region and region.endswith("region=")
    province = next(i["province"] for i in client.get("/api/reports").json()["items"] if i["province"])
    listed = client.get(region + province, headers={"accept": "text/html"}).text
    assert "没有符合条件的报告" not in listed
    assert html.unescape(links["by_year"]).endswith("year=") and "year=2023" not in html.unescape(links["by_year"])
