"""The register page: upload, the tallied tables with cell → rows, the deadline list and its filters, downloads."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import csv_bytes

pytest.importorskip("fastapi")

ROWS = [
    {"编号": "A1", "收到日期": "2024-12-20", "申请人类型": "自然人", "答复日期": "2025-01-10",
     "办理结果": "（一）予以公开"},
    {"编号": "A2", "收到日期": "2025-03-03", "申请人类型": "商业企业", "答复日期": "2025-04-02",
     "办理结果": "（三）不予公开 / 4.保护第三方合法权益"},
    {"编号": "A3", "收到日期": "2025-06-09", "申请人类型": "<b>自然人</b>"},
]
CASES = [{"编号": "F1", "类型": "行政复议", "收到日期": "2025-05-06", "结果": "结果纠正"}]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from nianbao.web import create_app

    with TestClient(create_app(tmp_path_factory.mktemp("web") / "corpus.duckdb")) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def page(client: Any) -> str:
    """The URL of the tallied register (redirected to after the upload)."""
    files = [("files", ("申请.csv", csv_bytes("申请", ROWS), "text/csv")),
             ("files", ("复议诉讼.csv", csv_bytes("复议诉讼", CASES), "text/csv"))]
    response = client.post("/register", files=files, data={"year": "2025", "agency": "东湖街道办事处"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def test_the_form_is_offered(client: Any) -> None:
    response = client.get("/register")
    assert response.status_code == 200 and 'enctype="multipart/form-data"' in response.text


def test_the_tables_are_laid_out_with_their_cells(client: Any, page: str) -> None:
    html = client.get(page).text
    assert "表三 收到和处理政府信息公开申请情况" in html and "表四" in html and "表二" not in html
    assert 'data-key="t3.new_received.total"' in html and 'data-key="t4.review_corrected"' in html
    assert "「申请」第 4 行「申请人类型」" in html  # the bad row's finding, escaped markup and all
    assert "<b>自然人</b>" not in html


def test_a_cell_lists_the_rows_it_counts(client: Any, page: str) -> None:
    path, query = page.split("?")
    fragment = client.get(f"{path}/cells/t3.result_total.total?{query}").text
    assert "第 2、3 行" in fragment and "A1" in fragment and "A2" in fragment
    cases = client.get(f"{path}/cells/t4.review_total?{query}").text
    assert "「复议诉讼」表第 2 行" in cases and "F1" in cases
    assert client.get(f"{path}/cells/..%2Fetc?{query}").status_code == 404


def test_the_deadline_list_filters_by_status(client: Any, page: str) -> None:
    overdue = client.get(page + "&status=已超期").text
    rows = re.findall(r'<tr class="deadline[^"]*">\s*<td>(\d+)</td><td>([^<]+)</td>', overdue)
    assert rows == [("3", "A2")]  # answered on 4.2, due 3.31
    assert "A1" in client.get(page + "&q=A1").text


def test_the_report_downloads_render(client: Any, page: str, tmp_path: Path) -> None:
    path, query = page.split("?")
    data = client.get(f"{path}/report.json?{query}")
    report = json.loads(data.text)
    assert report["meta"] == {**report["meta"], "agency": "东湖街道办事处", "year": 2025}
    assert report["tables"]["t3"]["new_received"]["total"]["at"] == {"sheet": "申请", "rows": [3]}
    docx = client.get(f"{path}/report.docx?{query}")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_unknown_registers_and_foreign_files_are_refused(client: Any) -> None:
    assert client.get("/register/" + "0" * 64 + "?year=2025").status_code == 404
    assert client.get("/register/../x?year=2025").status_code == 404
    foreign = client.post("/register", files=[("files", ("x.csv", "姓名,电话\n张三,1\n".encode(), "text/csv"))],
                          data={"year": "2025"})
    assert foreign.status_code == 422 and "x.csv" in foreign.text


def test_last_years_report_gives_the_carry_over(client: Any) -> None:
    from nianbao.register import read_register_bytes, tally_register

    register = read_register_bytes(csv_bytes("申请", ROWS), "申请.csv")
    last = tally_register(register, 2024)
    last.tables.t3["carried_forward"]["natural_person"].value = 2  # disagrees with the register's one row
    files = [("files", ("申请.csv", csv_bytes("申请", ROWS), "text/csv")),
             ("previous", ("2024.json", last.to_json().encode(), "application/json"))]
    response = client.post("/register", files=files, data={"year": "2025"})
    assert response.status_code == 200
    assert "上年报告结转下年度（自然人）为 2" in response.text and "第 2 行" in response.text
    bad = client.post("/register", files=[files[0], ("previous", ("x.json", b"{}", "application/json"))],
                      data={"year": "2025"})
    assert bad.status_code == 422 and "x.json" in bad.text
