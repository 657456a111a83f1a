"""The JSON API: upload (parse, store, return the contract and its id), fetch, list with filters, refusals."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web tests need the [web] extra: pip install 'nianbao[web]'")
pytest.importorskip("httpx2", reason="FastAPI's TestClient needs httpx2: pip install httpx2")

from fastapi.testclient import TestClient

from nianbao.web import create_app

from .conftest import AGENCY, BROKEN_KEY, BROKEN_RAW, broken_report

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
Shared = tuple[Any, int]


def _upload(client: Any, data: bytes, name: str = "report.txt") -> Any:
    return client.post("/api/reports", files={"file": (name, data, "application/octet-stream")})


def test_upload_parses_stores_and_returns_the_contract(client: Any, corpus_db: Path) -> None:
    response = _upload(client, broken_report(), "青石县2023.txt")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "parsed" and isinstance(body["id"], int) and body["name"] == "青石县2023.txt"
    report = body["report"]
    assert report["schema"] == "nianbao.report/1"
    assert report["meta"]["agency"] == AGENCY and report["meta"]["year"] == 2023
    assert report["tables"]["t3"]["new_received"]["total"]["raw"] == BROKEN_RAW
    assert report["tables"]["t3"]["new_received"]["total"]["at"]["line"] > 0
    assert ("T3.balance", BROKEN_KEY) in {(f["rule"], c) for f in report["findings"] for c in f["cells"]}
    stored = list((corpus_db.parent / "corpus.duckdb.files" / "uploads").rglob("*.txt"))
    assert [p.stem for p in stored] == [report["source"]["sha256"]]
    assert client.get(f"/api/reports/{body['id']}").json()["report"] == report
    again = _upload(client, broken_report(), "copy.txt").json()
    assert again["id"] == body["id"]
    assert client.get("/api/reports", params={"q": "青石县"}).json()["total"] == 1


def test_example_files_upload(client: Any) -> None:
    for path in sorted(EXAMPLES.glob("*.txt")) + sorted(EXAMPLES.glob("*.md")):
        response = _upload(client, path.read_bytes(), path.name)
        assert response.status_code == 201, path
        assert response.json()["report"]["source"]["format"] in ("text", "markdown")


def test_fetch_an_unknown_report(shared: Shared) -> None:
    client, _ = shared
    assert client.get("/api/reports/99999").status_code == 404
    assert client.get("/api/reports/abc").status_code == 422


@pytest.mark.parametrize(("params", "expected"), [
    ({}, 7), ({"year": 2022}, 3), ({"year": 2023}, 4), ({"q": "青石县"}, 1), ({"has_errors": "true"}, 1),
    ({"has_errors": "false"}, 6), ({"template": "2021"}, 7), ({"template": "2019"}, 0), ({"status": "failed"}, 0),
    ({"level": "department"}, 7), ({"level": "province"}, 0), ({"text": "规范办理<b>依申请公开"}, 1),
    ({"year": "", "q": ""}, 7),
])
def test_list_filters(shared: Shared, params: dict[str, Any], expected: int) -> None:
    client, _ = shared
    body = client.get("/api/reports", params=params).json()
    assert body["total"] == expected, body
    assert len(body["items"]) == expected


def test_list_filters_by_region_and_pages(shared: Shared) -> None:
    client, _ = shared
    items = client.get("/api/reports").json()["items"]
    province = items[-1]["province"]
    assert province
    by_region = client.get("/api/reports", params={"region": province}).json()
    assert by_region["total"] == sum(1 for i in items if i["province"] == province)
    short = client.get("/api/reports", params={"region": province[:2]}).json()
    assert short["total"] >= by_region["total"] > 0
    code = client.get("/api/reports", params={"region": items[-1]["region_code"][:2]}).json()
    assert code["total"] >= by_region["total"]
    page = client.get("/api/reports", params={"per_page": 4, "page": 2}).json()
    assert (page["total"], len(page["items"]), page["page"]) == (7, 3, 2)
    assert client.get("/api/reports", params={"per_page": 1000}).status_code == 422
    assert client.get("/api/reports", params={"level": "village"}).status_code == 422


RISK_OFF = {"audit": {"risk_min_cases": 10**9, "risk_min_applications": 10**9}}
"""Settings under which no risk indicator (R.*) is ever reported."""


def _rules(client: Any) -> set[str]:
    response = _upload(client, broken_report())
    assert response.status_code == 201, response.text
    return {f["rule"] for f in response.json()["report"]["findings"]}


def test_uploads_are_read_with_the_server_settings(corpus_db: Path, tmp_path: Path) -> None:
    other = Path(shutil.copy(corpus_db, tmp_path / "other.duckdb"))
    with TestClient(create_app(corpus_db)) as plain, TestClient(create_app(other, RISK_OFF)) as quiet:
        usual, settled = _rules(plain), _rules(quiet)
    assert "T3.balance" in usual & settled
    assert any(r.startswith("R.") for r in usual) and not any(r.startswith("R.") for r in settled)


def test_oversized_upload_is_refused(corpus_db: Path) -> None:
    with TestClient(create_app(corpus_db, {"reader": {"max_file_bytes": 1000}})) as small:
        response = _upload(small, broken_report())
        assert response.status_code == 413
        assert "大小上限" in response.json()["detail"]
        announced = small.post("/api/reports", content=b"x" * 70_000, headers={"content-type": "multipart/form-data"})
        assert announced.status_code == 413
        assert small.get("/api/reports").json()["total"] == 6
    assert not (corpus_db.parent / "corpus.duckdb.files" / "uploads").exists()


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("report.txt", "x")
    return out.getvalue()


@pytest.mark.parametrize("data", [_zip(), bytes(range(256)) * 40, b"   "])
def test_unsupported_upload_is_refused(shared: Shared, data: bytes) -> None:
    client, _ = shared
    response = _upload(client, data, "evil.txt")
    assert response.status_code == 415
    assert client.get("/api/reports").json()["total"] == 7


def test_text_that_is_no_report_is_stored_as_failed(client: Any) -> None:
    response = _upload(client, "今天天气很好，我们去公园散步。\n".encode(), "notes.txt")
    assert response.status_code == 422
    body = response.json()
    assert body["status"] == "failed" and body["error_code"] == "not_a_report" and body["report"] is None
    assert body["error_message"].startswith("不是政府信息公开工作年度报告") and body["name"] == "notes.txt"
    page = client.get(f"/reports/{body['id']}").text
    assert "不是政府信息公开工作年度报告" in page and "not a government" not in page and "/tmp" not in page
    assert client.get("/api/reports", params={"status": "failed"}).json()["items"][0]["id"] == body["id"]


def test_upload_needs_a_file(shared: Shared) -> None:
    client, _ = shared
    assert client.post("/api/reports").status_code == 422


def test_openapi_documents_the_api(shared: Shared) -> None:
    client, _ = shared
    schema = client.get("/openapi.json").json()
    assert {"/api/reports", "/api/reports/{report_id}"} <= set(schema["paths"])
    listed = {p["name"] for p in schema["paths"]["/api/reports"]["get"]["parameters"]}
    assert {"region", "year", "level", "template", "status", "has_errors", "q", "text", "page", "per_page"} <= listed
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()


def test_a_chunked_body_is_refused_once_it_passes_the_limit(corpus_db: Path) -> None:
    import asyncio

    limit, chunk, chunks = 100_000, 10_000, 1_000
    app = create_app(corpus_db, {"reader": {"max_file_bytes": limit}})
    sent: list[dict[str, Any]] = []
    read = 0

    async def receive() -> dict[str, Any]:
        nonlocal read
        read += 1
        head = b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n" if read == 1 else b""
        return {"type": "http.request", "body": head + b"x" * chunk, "more_body": read < chunks}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/reports", "raw_path": b"/api/reports",
             "query_string": b"", "root_path": "", "scheme": "http", "server": ("127.0.0.1", 80),
             "client": ("127.0.0.1", 1), "http_version": "1.1",
             "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"multipart/form-data; boundary=b"),
                         (b"transfer-encoding", b"chunked")]}
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413
    assert read * chunk < 2 * limit


def test_odd_requests_get_chinese_answers_not_500(shared: Shared) -> None:
    client, _ = shared
    as_text = client.post("/api/reports", data={"file": "abc"}, files={"other": ("x.txt", b"x", "text/plain")})
    assert as_text.status_code == 422 and "文件" in as_text.json()["detail"][0]["msg"]
    assert client.post("/api/reports").json()["detail"][0]["msg"] == "文件：缺少此项"
    huge = client.get("/api/reports", params={"page": 9223372036854775807})
    assert huge.status_code == 422 and "页码" in huge.json()["detail"][0]["msg"]
    page = client.get("/", params={"page": 9223372036854775807}, headers={"accept": "text/html"})
    assert page.status_code == 400 and "页码" in page.text
    wrong_method = client.delete("/api/reports")
    assert wrong_method.status_code == 405 and wrong_method.json()["detail"] == "不支持此请求方法"
    head = client.head("/")
    assert head.status_code == 200 and head.content == b""
    assert client.get("/no-such-page").json()["detail"] == "页面不存在"


def test_a_failed_upload_can_be_deleted(client: Any, corpus_db: Path) -> None:
    body = _upload(client, "今天天气很好，我们去公园散步。\n".encode(), "notes.txt").json()
    stored = list((corpus_db.parent / "corpus.duckdb.files" / "uploads").rglob("*.txt"))
    assert len(stored) == 1
    assert "删除这份未能解析的文件" in client.get(f"/reports/{body['id']}").text
    gone = client.post(f"/reports/{body['id']}/delete", follow_redirects=False)
    assert gone.status_code == 303 and client.get(f"/api/reports/{body['id']}").status_code == 404
    assert not stored[0].exists()
    assert client.post("/reports/1/delete").status_code == 404
    assert client.get("/api/reports").json()["total"] == 6


def test_the_list_sorts(shared: Shared) -> None:
    client, _ = shared
    by_errors = client.get("/api/reports", params={"sort": "errors"}).json()["items"]
    errors = [i["n_errors"] or 0 for i in by_errors]
    assert errors == sorted(errors, reverse=True) and errors[0] > 0
    by_year = [i["year"] for i in client.get("/api/reports", params={"sort": "year"}).json()["items"]]
    assert by_year == sorted(by_year, reverse=True)
    agencies = [i["agency"] for i in client.get("/api/reports", params={"sort": "agency"}).json()["items"]]
    assert agencies == sorted(agencies)
    assert client.get("/api/reports", params={"sort": "evil; drop table reports"}).status_code == 422
    assert "sort=errors" in client.get("/", headers={"accept": "text/html"}).text


def test_a_repeated_upload_says_it_was_stored_before(client: Any) -> None:
    first = _upload(client, broken_report(), "青石县2023.txt")
    assert first.status_code == 201 and first.json()["already_stored"] is False
    again = _upload(client, broken_report(), "copy.txt")
    assert again.status_code == 200 and again.json()["already_stored"] is True
    assert again.json()["id"] == first.json()["id"]


def test_pages_and_the_api_name_the_uploaded_file_never_a_server_path(client: Any, corpus_db: Path) -> None:
    body = _upload(client, broken_report(), "青石县2023.txt").json()
    assert body["report"]["source"]["path"] == "青石县2023.txt"
    directory = str(corpus_db.parent)
    for url in ("/", f"/reports/{body['id']}", f"/api/reports/{body['id']}", "/api/reports"):
        text = client.get(url, headers={"accept": "text/html"}).text
        assert directory not in text, url
    listed = client.get("/", params={"q": "青石县"}, headers={"accept": "text/html"}).text
    assert "青石县2023.txt" in listed
