"""The web interface in Debian's headless Chromium (playwright): upload → report page → click a flagged cell →
its source line; the dashboard draws its charts with no console error and no request beyond this machine.

Screenshots of the report page and the dashboard go to the directory named by NIANBAO_SCREENSHOTS (``docs`` to
refresh the ones kept there), else to a temporary directory. Skipped when playwright or /usr/bin/chromium is missing,
unless CI is set (CI installs both, so there a missing browser fails the run).
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from nianbao.store import ingest

from .conftest import BROKEN_KEY, BROKEN_RAW, broken_report, write_panel

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOTS = "NIANBAO_SCREENSHOTS"
START_SECONDS = 15.0
TIMEOUT_MS = 20_000
VIEWPORT_WIDTH, VIEWPORT_HEIGHT = 1440, 1000
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _missing() -> str | None:
    for module in ("playwright", "fastapi", "uvicorn"):
        if importlib.util.find_spec(module) is None:
            return f"browser tests need the Python package {module}: pip install playwright 'nianbao[web]'"
    if not CHROMIUM.exists():
        return f"browser tests need Debian's Chromium at {CHROMIUM}: apt-get install chromium"
    return _driver_problem()


def _driver_problem() -> str | None:
    """Why Playwright's driver (a Node.js binary in the wheel) cannot start here, if it cannot."""
    from playwright._impl._driver import compute_driver_executable

    node = compute_driver_executable()[0]
    ran = subprocess.run([node, "--version"], capture_output=True, text=True, check=False)
    if ran.returncode:
        first = (ran.stderr.strip().splitlines() or ["no output"])[0]
        return f"Playwright's driver cannot start ({first}): apt-get install libatomic1"
    return None


MISSING = _missing()
pytestmark = pytest.mark.skipif(bool(MISSING) and not os.environ.get("CI"), reason=MISSING or "")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(db: Path) -> Iterator[str]:
    """The app over ``db`` served by uvicorn on a free loopback port in a background thread; its base URL."""
    import uvicorn

    from nianbao.web import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_SECONDS
    while not running.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the web server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(START_SECONDS)


@pytest.fixture
def server(corpus_db: Path) -> Iterator[str]:
    """The app over the small corpus."""
    with serving(corpus_db) as url:
        yield url


@pytest.fixture
def rich_server(tmp_path: Path) -> Iterator[str]:
    """The app over a corpus worth charting: 10 units × 4 years with the synthetic faults, plus broken reports."""
    reports = write_panel(tmp_path / "rich", 10, (2020, 2021, 2022, 2023), seed=7)
    (reports / "broken.txt").write_bytes(broken_report())
    ingest([reports], tmp_path / "rich.duckdb", workers=1)
    with serving(tmp_path / "rich.duckdb") as url:
        yield url


@dataclass
class Watch:
    """What a page did: console errors, uncaught exceptions and the hosts it sent requests to."""

    errors: list[str] = field(default_factory=list)
    hosts: set[str] = field(default_factory=set)

    def attach(self, page: Any) -> None:
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.hosts.add(urlsplit(r.url).hostname or r.url.split(":")[0]))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, launched once for the module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=TIMEOUT_MS)
        yield launched
        launched.close()


@pytest.fixture
def browser_page(browser: Any) -> Iterator[tuple[Any, Watch]]:
    """A fresh page (1440×1000, zh-CN) and what it does."""
    context = browser.new_context(viewport={"width": VIEWPORT_WIDTH, "height": VIEWPORT_HEIGHT}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    watch = Watch()
    watch.attach(page)
    yield page, watch
    context.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where this test's screenshots go (see the module's docstring)."""
    kept = os.environ.get(SCREENSHOTS)
    return Path(kept) if kept else tmp_path


def _screenshot(page: Any, path: Path, full_page: bool = False) -> None:
    page.screenshot(path=str(path), full_page=full_page)
    assert path.read_bytes().startswith(b"\x89PNG")


def _remote(hosts: set[str]) -> set[str]:
    return {h for h in hosts if h not in LOOPBACK and h not in ("data", "blob")}


def test_upload_then_click_a_flagged_cell_shows_its_source_line(server: str, browser_page: tuple[Any, Watch],
                                                                  shots: Path) -> None:
    page, watch = browser_page
    page.goto(f"{server}/upload")
    page.set_input_files("#upload-files", files=[
        {"name": "青石县2023.txt", "mimeType": "text/plain", "buffer": broken_report()},
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": "今天天气很好。\n".encode()},
    ])
    page.click("#upload-start")
    page.wait_for_selector("text=完成：共 2 个文件")
    assert page.locator("#upload-results td.failed").count() == 1
    page.locator("#upload-results a").first.click()
    page.wait_for_selector("table.official.t3")
    flagged = page.locator(f'td.sev-error[data-key="{BROKEN_KEY}"] button')
    flagged.scroll_into_view_if_needed()
    flagged.click()
    hit = page.locator("#evidence pre.source .line.hit")
    hit.wait_for()
    assert BROKEN_RAW in hit.inner_text() and "一、本年新收政府信息公开申请数量" in hit.inner_text()
    assert "第" in page.locator("#evidence dd.where").inner_text()
    assert page.locator(f'td.selected[data-key="{BROKEN_KEY}"]').count() == 1
    page.locator("table.official.t3").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -60)")
    page.mouse.move(0, 0)
    _screenshot(page, shots / "web-report.png")
    finding = page.locator("tr.finding.sev-error").first
    finding.locator("button[value=confirmed]").click()
    page.wait_for_selector("tr.finding.decided-confirmed .decision.confirmed")
    page.reload()
    assert page.locator("tr.finding.decided-confirmed").count() == 1
    assert [e for e in watch.errors if "422" not in e] == []  # 422: notes.txt, refused as no report
    assert not _remote(watch.hosts)


def test_dashboard_draws_its_charts_locally(rich_server: str, browser_page: tuple[Any, Watch], shots: Path) -> None:
    page, watch = browser_page
    page.goto(f"{rich_server}/dashboard")
    page.wait_for_selector("#chart-rules canvas")
    assert page.locator(".chart canvas").count() == 7
    unit = page.locator("select[name=unit] option").nth(1).get_attribute("value")
    page.select_option("select[name=unit]", unit)  # submits the form: the unit's year-over-year view
    page.wait_for_selector("#chart-unit canvas")
    assert page.locator("#unit table tbody tr").count() == 4
    page.wait_for_timeout(800)  # the charts' entry animation
    _screenshot(page, shots / "web-dashboard.png", full_page=True)
    assert watch.errors == []
    assert watch.hosts <= LOOPBACK


def test_api_docs_render_offline(server: str, browser_page: tuple[Any, Watch]) -> None:
    page, watch = browser_page
    page.goto(f"{server}/docs")
    page.wait_for_selector(".opblock-summary-path")
    assert "/api/reports" in page.locator("#swagger-ui").inner_text()
    assert watch.errors == []
    assert watch.hosts <= LOOPBACK


LAYOUTS = ({"width": 390, "height": 844}, {"width": 1280, "height": 800})
OVERFLOW_JS = "document.documentElement.scrollWidth"
MENU_LINES_JS = """Math.max(...[...document.querySelectorAll('header.top nav a')].map(a => {
  const range = document.createRange(); range.selectNodeContents(a);
  return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; }))"""
"""The most lines any menu entry's words take (a menu squeezed to one character per line takes many)."""


@pytest.mark.parametrize("viewport", LAYOUTS, ids=lambda v: f"{v['width']}px")
def test_no_page_is_wider_than_the_screen_and_a_tapped_cell_shows_its_evidence(
        rich_server: str, browser: Any, viewport: dict[str, int]) -> None:
    import httpx2

    listed = httpx2.get(f"{rich_server}/api/reports", params={"has_errors": True}).json()["items"]
    report_id = listed[0]["id"]
    context = browser.new_context(viewport=viewport, locale="zh-CN", has_touch=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        for path in ("/", f"/reports/{report_id}", "/dashboard", "/upload"):
            page.goto(f"{rich_server}{path}")
            page.wait_for_load_state("networkidle")
            assert page.evaluate(OVERFLOW_JS) <= viewport["width"], (path, page.evaluate(OVERFLOW_JS))
            assert page.evaluate(MENU_LINES_JS) == 1, path
        page.goto(f"{rich_server}/reports/{report_id}")
        cell = page.locator("td.sev-error button.cellbtn, td.sev-warning button.cellbtn").first
        cell.scroll_into_view_if_needed()
        cell.tap()
        shown = page.locator("#evidence dd.where")
        shown.wait_for()
        page.wait_for_timeout(300)
        box = shown.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], box
    finally:
        context.close()
