"""The /metrics page shows every metric of the dictionary with its version; the dashboard names that version."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web tests need the [web] extra: pip install 'nianbao[web]'")
pytest.importorskip("httpx2", reason="FastAPI's TestClient needs httpx2: pip install httpx2")

from nianbao.schema.metrics import metric_dictionary


def test_the_metrics_page_lists_the_dictionary(client: Any) -> None:
    page = client.get("/metrics")
    assert page.status_code == 200
    dictionary = metric_dictionary()
    assert dictionary.label in page.text
    for metric in dictionary.metrics.values():
        assert f'id="metric-{metric.key}"' in page.text and metric.name in page.text
    assert "予以公开" in page.text  # formulas are written with the cells' printed labels
    assert dictionary.label in client.get("/dashboard").text
