"""The dashboard's summary button: with a region and a year chosen, the 汇总分析 downloads as DOCX and HTML."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any
from urllib.parse import unquote

import pytest

pytest.importorskip("fastapi", reason="the web tests need the [web] extra: pip install 'nianbao[web]'")
pytest.importorskip("httpx2", reason="FastAPI's TestClient needs httpx2: pip install httpx2")

from docx import Document


def test_the_dashboard_offers_the_summary_of_the_chosen_region_and_year(client: Any) -> None:
    row = client.get("/api/reports?per_page=1").json()["items"][0]
    region, year = row.get("county") or row.get("city") or row.get("province"), row["year"]
    assert "汇总分析 DOCX" not in client.get("/dashboard").text
    page = client.get("/dashboard", params={"region": region, "year": year}).text
    link = re.search(r'href="(/downloads/summary\.docx\?[^"]+)"', page)
    assert link is not None
    response = client.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 200
    assert "汇总分析" in unquote(response.headers["content-disposition"])
    document = Document(BytesIO(response.content))
    assert document.tables and region in document.paragraphs[0].text
    html = client.get("/downloads/summary.html", params={"region": region, "year": year})
    assert html.status_code == 200 and "<table>" in html.text
    assert client.get("/downloads/summary.docx", params={"region": "无此地", "year": year}).status_code == 404
