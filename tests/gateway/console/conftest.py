"""A real gateway on a loopback port, an admin account in it, and headless Chromium.

The browser is Debian's Chromium at /usr/bin/chromium (`.ci/run` installs the package),
driven by Playwright's Python client; Playwright's own browser download is never used. Where
that browser is missing, the browser tests skip saying so. A failed test leaves a screenshot
of the page it stood on in its pytest tmp_path (`console-failure.png`).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from contracts.credentials import Vendor
from gateway.app import create_app
from gateway.settings import load_settings
from tests.harness import enrol

CHROMIUM = Path("/usr/bin/chromium")
# as the probe of this machine kind starts it: no sandbox as root, no calls home
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="package")
def console_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The whole gateway served by uvicorn on a free loopback port, with an admin account."""
    data = tmp_path_factory.mktemp("console-data")
    admin = enrol(data, Vendor.admin)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = load_settings({"data": data, "port": port, "warm_up": False}, environ={})
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_config=None)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "the gateway did not start"
    yield {"url": f"http://127.0.0.1:{port}", "admin": admin, "data": data}
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.skip("Debian's chromium is not installed here (.ci/run installs it for CI)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """A fresh browser context (no cookies) and page; a screenshot if the test failed."""
    context = browser.new_context()
    opened = context.new_page()
    opened.set_default_timeout(60_000)  # the first comparison loads the face models
    yield opened
    if request.node.stash.get(_FAILED, False):
        opened.screenshot(path=str(tmp_path / "console-failure.png"), full_page=True)
    context.close()
