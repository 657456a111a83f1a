"""One count of findings everywhere: the report badges, the list, the has_errors filter and the dashboard count a
report's own and cross-report findings, leave dismissed ones out, and show a finding about two copies on both."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web tests need the [web] extra: pip install 'nianbao[web]'")

from nianbao.render import render
from nianbao.synth import consistent_report

from .conftest import AGENCY, BROKEN_KEY, BROKEN_RAW

SHARED_RULE = "Q.duplicate_unit_year"


def _copy(seed: int, broken: bool) -> bytes:
    report = consistent_report("2021", seed=seed, agency=AGENCY, year=2023)
    if broken:
        cell = report.cell(BROKEN_KEY)
        assert cell is not None
        cell.raw, cell.value = BROKEN_RAW, int(BROKEN_RAW)
    return bytes(render(report, "txt"))


def _badges(client: Any, report_id: int) -> tuple[int, int]:
    page = client.get(f"/reports/{report_id}").text
    found = re.search(r"错误 (\d+)</span>\s*<span class=\"badge warning\">警告 (\d+)", page)
    assert found, page[:2000]
    return int(found.group(1)), int(found.group(2))


def _listed(client: Any, **params: Any) -> dict[int, tuple[int, int]]:
    items = client.get("/api/reports", params={"q": AGENCY, **params}).json()["items"]
    return {i["id"]: (i["n_errors"], i["n_warnings"]) for i in items}


def test_every_page_shows_the_same_count(client: Any) -> None:
    first = client.post("/api/reports", files={"file": ("a.txt", _copy(3, True), "text/plain")}).json()
    second = client.post("/api/reports", files={"file": ("b.txt", _copy(4, False), "text/plain")}).json()
    ids = (first["id"], second["id"])
    pages = {i: client.get(f"/api/reports/{i}").json() for i in ids}
    for report_id in ids:
        rules = [f["rule"] for f in pages[report_id]["report"]["findings"]]
        assert SHARED_RULE in rules, (report_id, rules)
    listed = _listed(client)
    for report_id in ids:
        assert listed[report_id] == _badges(client, report_id)
        findings = pages[report_id]["report"]["findings"]
        assert listed[report_id] == (sum(f["severity"] == "error" for f in findings),
                                     sum(f["severity"] == "warning" for f in findings))
    assert listed[first["id"]][0] > 0 and first["id"] in _listed(client, has_errors=True)
    with_errors = _with_errors(client)
    page = pages[first["id"]]
    for finding, review in zip(page["report"]["findings"], page["reviews"], strict=True):
        if finding["severity"] == "error":
            client.post(f"/reports/{first['id']}/findings/{review['key']}/review", data={"decision": "dismissed"})
    after = _listed(client)
    assert after[first["id"]] == _badges(client, first["id"]) == (0, listed[first["id"]][1])
    assert first["id"] not in _listed(client, has_errors=True)
    assert first["id"] in _listed(client, has_errors=False)
    assert _with_errors(client) == with_errors - 1


def _with_errors(client: Any) -> int:
    found = re.search(r"有错误的报告 <strong>(\d+)</strong>", client.get("/dashboard").text)
    assert found
    return int(found.group(1))
