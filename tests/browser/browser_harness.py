"""Browser test harness: a real `streamlit run dashboard.py` and Debian's headless Chromium.

Helpers for tests and benchmarks; import them as ``from browser_harness import ...`` (a
unique module name; ``from conftest import`` resolves to whichever conftest loaded first).
The pytest fixtures are in ``conftest.py``.

Helpers
-------
``open_app(page, base_url, path="", query="")`` navigates and waits until Streamlit has
finished running the script; ``wait_idle(page)`` waits for the current rerun to finish;
``exception_boxes(page)`` returns the texts of Streamlit exception or error boxes;
``start_server()``/``stop_server()`` run ``streamlit run dashboard.py`` on a free port;
``launch_browser(playwright)`` starts Debian's Chromium; ``instrument(page)`` records console
errors, page errors and requests that leave localhost.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}

#: Streamlit's own start-up probes: on a deep link (``/peta``) the frontend first asks
#: ``/peta/_stcore/health`` and ``/peta/_stcore/host-config`` (404), then the server root.
#: These two 404s are Streamlit's, not the app's; every other console error counts.
STREAMLIT_PROBE = re.compile(r"^http://[^/]+/[^_][^?]*/_stcore/(health|host-config)$")


def free_port() -> int:
    """A TCP port free on localhost right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    port: int | None = None, timeout: float = 60.0, script: str = "dashboard.py", cwd: Path = ROOT
):
    """Start ``streamlit run <script>`` (the dashboard) in ``cwd``; return ``(process,
    base_url)`` once healthy."""
    port = port or free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1", STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.headless",
        "true",
        "--server.address",
        "localhost",
        "--server.port",
        str(port),
    ]
    log = (
        open(ROOT / ".pytest_cache" / f"streamlit-{port}.log", "w")
        if (ROOT / ".pytest_cache").is_dir()
        else subprocess.DEVNULL
    )
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://localhost:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError(f"streamlit did not become healthy on port {port} in {timeout} s")


def stop_server(proc) -> None:
    """Stop a server started by :func:`start_server`."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def launch_browser(playwright):
    """Debian's Chromium through Playwright (never ``playwright install``)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def is_local(url: str) -> bool:
    """Whether a request URL stays on this machine (data:, blob: and localhost)."""
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about", "chrome-extension"):
        return True
    return (parsed.hostname or "") in LOCAL_HOSTS


def instrument(pg):
    """Attach console-error, page-error and external-request recorders to a page."""
    pg.console_errors = []
    pg.page_errors = []
    pg.external_requests = []

    def on_console(msg):
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        if "404" in msg.text and STREAMLIT_PROBE.match(url):
            return
        pg.console_errors.append(f"{msg.text} ({url})" if url else msg.text)

    pg.on("console", on_console)
    pg.on("pageerror", lambda e: pg.page_errors.append(str(e)))
    pg.on("request", lambda r: None if is_local(r.url) else pg.external_requests.append(r.url))
    return pg


def wait_idle(pg, timeout: float = 30_000) -> None:
    """Wait until Streamlit reports that the script is not running."""
    pg.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    pg.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')"
        "?.getAttribute('data-test-script-state') === 'notRunning'",
        timeout=timeout,
    )
    pg.wait_for_timeout(200)


def open_app(pg, base_url: str, path: str = "", query: str = "", timeout: float = 60_000):
    """Navigate to ``base_url/path?query`` and wait until the page has rendered."""
    url = f"{base_url}/{path}" + (f"?{query}" if query else "")
    pg.goto(url, wait_until="domcontentloaded", timeout=timeout)
    pg.wait_for_selector("[data-testid='stSidebar']", timeout=timeout)
    wait_idle(pg, timeout)
    return pg


def exception_boxes(pg) -> list[str]:
    """Texts of Streamlit exception boxes and error alerts on the page."""
    return pg.eval_on_selector_all(
        "[data-testid='stException'], [data-testid='stAlertContentError']",
        "els => els.map(e => e.innerText)",
    )
