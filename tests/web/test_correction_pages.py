"""The 修正 part of a cell's evidence pane: a correction made on the page is marked on the report, clears the
finding it fixes, keeps the printed value visible and can be withdrawn."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web tests need the [web] extra: pip install 'nianbao[web]'")
pytest.importorskip("httpx2", reason="FastAPI's TestClient needs httpx2: pip install httpx2")

from .conftest import BROKEN_KEY, BROKEN_RAW, broken_report


def _uploaded(client: Any) -> int:
    response = client.post("/api/reports", files={"file": ("青石县.txt", broken_report(), "text/plain")})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _rules(client: Any, report_id: int) -> set[str]:
    return {f["rule"] for f in client.get(f"/api/reports/{report_id}").json()["report"]["findings"]}


def test_a_correction_made_on_the_page_is_marked_and_can_be_withdrawn(client: Any) -> None:
    report_id = _uploaded(client)
    assert "T3.balance" in _rules(client, report_id)
    pane = client.get(f"/reports/{report_id}/cells/{BROKEN_KEY}").text
    assert f'hx-get="/reports/{report_id}/cells/{BROKEN_KEY}/correction"' in pane
    form = client.get(f"/reports/{report_id}/cells/{BROKEN_KEY}/correction").text
    assert "修正" in form and 'name="why"' in form
    row = client.get(f"/api/reports/{report_id}").json()["report"]["tables"]["t3"]["new_received"]
    total = sum(int(cell["value"]) for column, cell in row.items() if column != "total")
    url = f"/reports/{report_id}/cells/{BROKEN_KEY}/correction"
    refused = client.post(url, data={"action": "correct", "value": "很多", "why": "来函"})
    assert refused.status_code == 400 and "修正值不是数字" in refused.text
    done = client.post(url, data={"action": "correct", "value": str(total), "why": "单位来函更正", "who": "张三"})
    assert done.status_code == 200 and done.headers.get("HX-Refresh") == "true"
    assert "T3.balance" not in _rules(client, report_id)
    page = client.get(f"/reports/{report_id}").text
    assert f'corrected" data-key="{BROKEN_KEY}"' in page or f'corrected"  data-key="{BROKEN_KEY}"' in page
    assert f'title="原印 {BROKEN_RAW}"' in page
    pane = client.get(url).text
    assert "张三" in pane and "单位来函更正" in pane and BROKEN_RAW in pane
    client.post(url, data={"action": "withdraw", "why": "来函有误", "who": "李四"})
    assert "T3.balance" in _rules(client, report_id)
    assert "李四" in client.get(url).text


def test_the_dashboard_counts_reports_with_corrections(client: Any) -> None:
    report_id = _uploaded(client)
    assert "份报告有已修正的单元格" not in client.get("/dashboard").text
    client.post(f"/reports/{report_id}/cells/{BROKEN_KEY}/correction",
                data={"action": "correct", "value": "5", "why": "来函", "who": "张三"})
    assert "<strong class=\"corrected-value\">1</strong> 份报告有已修正的单元格" in client.get("/dashboard").text
