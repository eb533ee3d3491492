"""Browser test fixtures (see ``browser_harness.py`` for the helpers and the method).

Fixtures
--------
``app_server`` (session)
    Starts ``streamlit run dashboard.py`` on a free localhost port with the project's
    ``.streamlit/config.toml`` (headless, static serving) and yields its base URL
    (``http://localhost:<port>``). Stopped at the end of the session.
``browser`` (session)
    Playwright Chromium launched from ``/usr/bin/chromium`` with the flags of the team brief.
``browser_context`` (session)
    One context (shared HTTP cache, like a returning user's browser).
``page`` (function)
    A fresh page (and Streamlit session). It records console errors (``page.console_errors``),
    uncaught page errors (``page.page_errors``) and every request whose host is not the
    local server (``page.external_requests``); the test fails at teardown when any request
    left localhost.

Every test under ``tests/browser/`` is marked ``browser``; skip them with ``-m "not browser"``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_harness import (  # noqa: F401 - re-exported for older imports
    CHROMIUM,
    CHROMIUM_ARGS,
    LOCAL_HOSTS,
    ROOT,
    STREAMLIT_PROBE,
    exception_boxes,
    free_port,
    instrument,
    is_local,
    launch_browser,
    open_app,
    start_server,
    stop_server,
    wait_idle,
)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def app_server():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make browser)")
    proc, base = start_server()
    try:
        yield base
    finally:
        stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = launch_browser(pw)
        yield b
        b.close()


@pytest.fixture(scope="session")
def browser_context(browser):
    """One context for the session: its HTTP cache keeps Plotly.js and the GeoJSON between
    tests, as a user's browser would (each test still gets its own page and Streamlit
    session)."""
    context = browser.new_context(viewport={"width": 1400, "height": 950}, locale="id-ID")
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    pg = instrument(browser_context.new_page())
    yield pg
    pg.close()
    assert not pg.external_requests, f"requests left localhost: {pg.external_requests}"
