"""A narrative finding on the report page quotes the sentence it read and names the cells compared."""

from __future__ import annotations

from typing import Any

from .conftest import broken_report

SENTENCE = "全年共收到政府信息公开申请5件"


def test_report_page_quotes_the_sentence_of_a_narrative_finding(client: Any) -> None:
    data = broken_report(narrative=f"{SENTENCE}，均已按期答复。")
    response = client.post("/api/reports", files={"file": ("青石县2023.txt", data, "text/plain")})
    assert response.status_code == 201, response.text
    page = client.get(f"/reports/{response.json()['id']}").text
    assert f"原文：“{SENTENCE}，均已按期答复。”" in page
    assert "表三“一、本年新收政府信息公开申请数量·总计”为999件" in page
