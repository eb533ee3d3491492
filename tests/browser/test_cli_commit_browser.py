"""A commit made from the command line reaches a Peta that is already open in a browser.

The map is open on the poverty-free indicator ``akses_smp``; ``python -m ingest`` commits a new
value for one kecamatan into the same store (a copy of the built one); the user's next action
on the open page (choosing the year again in the sidebar) shows the new value, at most 2 s
after the command returned (the rerun the user starts then shows it). No reload, no new session: the page's caches are keyed by the
store's version stamp (``ui.data.cache``), not by time.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from browser_harness import ROOT, exception_boxes, open_app, start_server, stop_server, wait_idle

import settings
import store

pytestmark = pytest.mark.browser
CODE = "35.78.04"
MAP_VALUE = """(code) => { for (const gd of document.querySelectorAll('.js-plotly-plot')) {
  for (const tr of (gd.data || [])) { if (!tr.locations || !tr.customdata) continue;
    const i = Array.from(tr.locations).indexOf(code);
    if (i >= 0) return tr.customdata[i][0]; } } return null; }"""


@pytest.fixture
def server(tmp_path):
    src = Path(settings.database_url().removeprefix("sqlite:///"))
    dst = tmp_path / "store.sqlite"
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    url = f"sqlite:///{dst}"
    saved = os.environ.get("RBK_DATABASE_URL")
    os.environ["RBK_DATABASE_URL"] = url
    try:
        proc, base = start_server()
    finally:
        if saved is None:
            os.environ.pop("RBK_DATABASE_URL", None)
        else:
            os.environ["RBK_DATABASE_URL"] = saved
    try:
        yield base, url
    finally:
        stop_server(proc)
        store.dispose_all()


def test_a_cli_commit_is_seen_on_an_open_peta_at_the_next_rerun(server, page, tmp_path):
    base, url = server
    open_app(page, base, "peta", "ind=akses_smp&year=2024")
    page.wait_for_function("() => document.querySelectorAll('.choroplethlocation').length >= 666")
    old = page.evaluate(MAP_VALUE, CODE)
    new = 12.5 if old is None or abs(float(old) - 12.5) > 1 else 87.5  # a percentage, unlike old
    upload = tmp_path / "smp.csv"
    upload.write_text(f"kode;akses_smp\n{CODE};{str(new).replace('.', ',')}\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "ingest", str(upload), "--year", "2024"],
        cwd=ROOT,
        env=dict(os.environ, RBK_DATABASE_URL=url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    store.dispose_all()
    assert store.series("akses_smp", 2024, url=url)[CODE] == pytest.approx(new)
    # The user's next action, 1.1 s after the command returned (a server process reads the
    # store's version stamp at most once a second): another classification on the open page.
    # That one rerun must already show the new value; no reload, no second rerun.
    page.wait_for_timeout(1_100)
    drawn = page.get_attribute("[data-testid=rbkPlotlyMap]", "data-drawn")
    page.get_by_role("combobox", name="Klasifikasi", exact=True).locator("xpath=..").get_by_role(
        "button", name="Open"
    ).click()
    page.locator("[role='option']").nth(1).click()
    wait_idle(page)
    # the map of that rerun (another classification: another revision) has been drawn; the
    # script finishing does not mean the component has redrawn yet
    page.wait_for_function(
        "(before) => document.querySelector('[data-testid=rbkPlotlyMap]')"
        ".getAttribute('data-drawn') !== before",
        arg=drawn,
        timeout=30_000,
    )
    assert page.evaluate(MAP_VALUE, CODE) == pytest.approx(new)
    wait_idle(page)
    assert exception_boxes(page) == []
