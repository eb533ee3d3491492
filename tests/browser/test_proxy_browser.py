"""Two replicas behind nginx (``scripts/serve.py``, ``make serve``), driven in a real browser.

Every page loads cleanly through the proxy; Streamlit's metrics are not public; the static
geometry is gzipped and cached for good; the frame headers are set; and a commit made in the
browser on replica A is seen by a browser held on replica B within 2 s. The replicas run on a
copy of the built store and a temporary credentials file, as in ``test_upload.py``.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
import streamlit
from browser_harness import ROOT, exception_boxes, free_port, open_app, wait_idle

import settings
import store
from ui.auth import hash_password

pytestmark = pytest.mark.browser
PASSWORD = "kata-sandi-proksi-42"
PAGES = ["", "peta", "bandingkan", "ketimpangan", "profil", "metode", "unggah"]
NEW_VALUE = 63.75
FILE = f"kode;kecamatan;akses_smp\n35.78.04;Wonokromo;{NEW_VALUE}\n".encode()
MAP_VALUE = """(code) => { for (const gd of document.querySelectorAll('.js-plotly-plot')) {
  for (const tr of (gd.data || [])) { if (!tr.locations || !tr.customdata) continue;
    const i = Array.from(tr.locations).indexOf(code);
    if (i >= 0) return tr.customdata[i][0]; } } return null; }"""


def serve(*args: str, env=None) -> str:
    cmd = [sys.executable, str(ROOT / "scripts" / "serve.py"), *args]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    """``(base url, run dir, store url)`` of nginx in front of two replicas."""
    tmp = tmp_path_factory.mktemp("proxy")
    src = Path(settings.database_url().removeprefix("sqlite:///"))
    dst = tmp / "store.sqlite"
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    secrets = tmp / "secrets.toml"
    secrets.write_text(
        f'[rbk_analysts.ana]\nname = "Ana Uji"\npassword_hash = "{hash_password(PASSWORD, 4)}"\n'
    )
    url = f"sqlite:///{dst}"
    env = dict(os.environ, RBK_DATABASE_URL=url, RBK_SECRETS_FILE=str(secrets))
    port, run = free_port(), tmp / "run"
    serve("start", "--replicas", "2", "--port", str(port), "--run-dir", str(run), env=env)
    try:
        yield f"http://localhost:{port}", run, url
    finally:
        serve("stop", "--run-dir", str(run), env=env)


def upstream_of(base: str, run: Path, route: str) -> str:
    """The replica nginx sends a browser holding ``rbk_route=route`` to (from its access log:
    a request with a path of its own, found by that path)."""
    nonce = f"/_stcore/probe-{uuid.uuid4().hex}"
    request = urllib.request.Request(f"{base}{nonce}", headers={"Cookie": f"rbk_route={route}"})
    try:
        urllib.request.urlopen(request, timeout=10).close()
    except urllib.error.HTTPError:
        pass  # the replica answers 404; nginx has logged where it sent the request
    for _ in range(50):
        lines = [x for x in (run / "access.log").read_text().splitlines() if nonce in x]
        if lines:
            return re.search(r'"(127\.0\.0\.1:\d+)"$', lines[0]).group(1)
        time.sleep(0.1)
    raise AssertionError(f"{nonce} not in the access log")


def test_every_page_loads_through_the_proxy(proxy, page):
    base, _, _ = proxy
    for path in PAGES:
        open_app(page, base, path)
        page.wait_for_selector("h1", timeout=60_000)
        assert exception_boxes(page) == [], path
    assert page.console_errors == []
    assert page.page_errors == []
    assert page.external_requests == []


def test_a_page_opened_at_its_path_finds_the_server_at_the_root_at_once(proxy, page):
    """Opened at /peta, Streamlit's frontend looks for its server at /peta/_stcore/ first (404)
    and at / about 0.1 s later; through nginx the page says the app is at the root, so the
    frontend asks there straight away. Links between pages keep working."""
    base, _, _ = proxy
    asked = []
    page.on("request", lambda r: "/_stcore/" in r.url and asked.append(urlparse(r.url).path))
    page.on("websocket", lambda ws: asked.append(urlparse(ws.url).path))
    open_app(page, base, "peta")
    page.wait_for_selector("h1", timeout=60_000)
    assert "/_stcore/health" in asked and "/_stcore/stream" in asked, asked
    assert [p for p in asked if not p.startswith("/_stcore/")] == []
    page.locator("[data-testid='stSidebarNav'] a[href$='/ketimpangan']").first.click()
    page.wait_for_url(re.compile(r".*/ketimpangan.*"), timeout=30_000)
    wait_idle(page)
    assert exception_boxes(page) == []
    assert [p for p in asked if not p.startswith("/_stcore/")] == []
    assert page.console_errors == []
    assert page.page_errors == []


def test_headers_static_and_metrics(proxy):
    base, _, _ = proxy
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{base}/_stcore/metrics", timeout=10)
    assert err.value.code == 404
    with urllib.request.urlopen(f"{base}/", timeout=10) as r:
        assert r.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    name = next(p.name for p in (ROOT / "static" / "generated").glob("kecamatan_display.*.geojson"))
    request = urllib.request.Request(
        f"{base}/app/static/generated/{name}", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request, timeout=10) as r:
        assert r.headers["Content-Encoding"] == "gzip"
        assert "immutable" in r.headers["Cache-Control"]
        assert len(r.read()) < (ROOT / "static" / "generated" / name).stat().st_size / 3


def test_streamlit_scripts_come_from_nginx(proxy):
    """Streamlit's own scripts (content-hashed) are served by nginx from the installed package:
    compressed, cached for good, and no replica sees the request."""
    base, run, _ = proxy
    with urllib.request.urlopen(f"{base}/peta", timeout=10) as r:
        html = r.read().decode()
    script = re.search(r'src="\.?/?(static/js/[^"]+\.js)"', html).group(1)
    request = urllib.request.Request(f"{base}/{script}", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as r:
        assert r.headers["Content-Encoding"] == "gzip"
        assert "immutable" in r.headers["Cache-Control"]
        assert "javascript" in r.headers["Content-Type"]
        body = gzip.decompress(r.read())
    assert body == (Path(streamlit.__file__).parent / "static" / script).read_bytes()
    logged = [line for line in (run / "access.log").read_text().splitlines() if script in line]
    assert logged and all(line.endswith(' "-"') for line in logged), logged  # no upstream


def test_a_commit_on_one_replica_is_seen_through_the_other(proxy, browser):
    base, run, url = proxy
    # two browsers held on different replicas by their route cookies
    routes: dict[str, str] = {}
    for i in range(64):
        routes.setdefault(upstream_of(base, run, f"r{i}"), f"r{i}")
        if len(routes) == 2:
            break
    assert len(routes) == 2, "nginx sent every route to one replica"
    (route_a, route_b) = routes.values()
    pages = []
    for route in (route_a, route_b):
        context = browser.new_context(viewport={"width": 1400, "height": 950})
        context.add_cookies([{"name": "rbk_route", "value": route, "url": base}])
        pages.append(context.new_page())
    a, b = pages
    assert store.series("akses_smp", 2024, url=url)["35.78.04"] != NEW_VALUE
    # B shows the current value first (its caches are warm with it)
    open_app(b, base, "peta", "ind=akses_smp&year=2024")
    b.wait_for_function("() => document.querySelectorAll('.choroplethlocation').length >= 666")
    old = b.evaluate(MAP_VALUE, "35.78.04")
    assert old != pytest.approx(NEW_VALUE)
    # A signs in and commits a file through the page
    open_app(a, base, "unggah")
    a.get_by_label("Nama pengguna").fill("ana")
    a.get_by_label("Kata sandi").fill(PASSWORD)
    a.get_by_role("button", name="Masuk").click()
    wait_idle(a)
    a.set_input_files(
        "input[type=file]", files=[{"name": "smp.csv", "mimeType": "text/csv", "buffer": FILE}]
    )
    wait_idle(a)
    year = a.get_by_label("Tahun data", exact=True).and_(a.locator("input"))
    year.fill("2024")
    year.press("Enter")
    wait_idle(a)
    a.get_by_text("Saya sudah memeriksa laporan").click()
    wait_idle(a)
    a.get_by_role("button", name="Simpan sebagai versi baru").click()
    a.get_by_text("sekarang aktif").wait_for(timeout=30_000)
    store.dispose_all()
    assert store.series("akses_smp", 2024, url=url)["35.78.04"] == NEW_VALUE
    # within 2 s, B's next rerun (a reload of its view) shows the new value
    b.wait_for_timeout(2_000)
    open_app(b, base, "peta", "ind=akses_smp&year=2024")
    b.wait_for_function("() => document.querySelectorAll('.choroplethlocation').length >= 666")
    assert b.evaluate(MAP_VALUE, "35.78.04") == pytest.approx(NEW_VALUE)
    assert upstream_of(base, run, route_a) != upstream_of(base, run, route_b)
    for p in pages:
        assert exception_boxes(p) == []
        p.context.close()


def test_a_killed_replica_hands_the_user_to_a_live_one(proxy, browser):
    """Runs last in this module: it kills the replica a browser is on. The user's next action
    reaches the other replica, and the view comes back from the URL."""
    base, run, _ = proxy
    route = "k0"
    victim = upstream_of(base, run, route)
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    context.add_cookies([{"name": "rbk_route", "value": route, "url": base}])
    page = context.new_page()
    open_app(page, base, "peta", "ind=akses_smp&year=2024&kec=35.78.09")
    page.wait_for_function("() => document.querySelectorAll('.choroplethlocation').length >= 666")
    replicas = json.loads((run / "state.json").read_text())["replicas"]
    os.killpg(replicas[victim.split(":")[1]], signal.SIGKILL)
    # the user's next action: reload the view (Streamlit's own reconnect does the same)
    open_app(page, base, "peta", "ind=akses_smp&year=2024&kec=35.78.09")
    page.wait_for_function("() => document.querySelectorAll('.choroplethlocation').length >= 666")
    assert upstream_of(base, run, route) != victim
    assert "kec=35.78.09" in page.url and "ind=akses_smp" in page.url
    assert page.get_by_text(re.compile(r"Jawa Timur: peringkat \d+ dari \d+")).first.is_visible()
    assert exception_boxes(page) == []
    context.close()
