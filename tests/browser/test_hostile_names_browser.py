"""Text that came from a file is text, on every page that shows it (issue 11).

The upload page refuses markup in a new indicator's name (tests/ingest/test_page.py), but a
store may hold such a name from elsewhere (another tool, an older version). Here one is put
into a copy of the store with the store's own API; every page that shows the indicator must
show the name literally: no link, no image fetched from another host, no bold, in the page,
the map's title and the printable report.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from browser_harness import exception_boxes, open_app, start_server, stop_server

import regions
import settings
import store
from store.definitions import Indicator

pytestmark = pytest.mark.browser
NAME = "[x](http://a.b) ![](http://a.b/i.png) <b>x</b> **tebal**"
UNIT = "<i>u</i>"
ID = "skor_uji_markup"
FOREIGN = """() => [...document.querySelectorAll('a[href*="a.b"], img[src*="a.b"]')].length"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    src = Path(settings.database_url().removeprefix("sqlite:///"))
    dst = tmp / "store.sqlite"
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    url = f"sqlite:///{dst}"
    codes = regions.kecamatan()["kode"].tolist()
    rng = np.random.default_rng(11)
    frame = pd.concat(
        pd.DataFrame(
            {"region_code": codes, "level": "kecamatan", "indicator": ID, "year": year,
             "value": rng.uniform(10, 90, len(codes)).round(1)}
        )
        for year in (2023, 2024)
    )  # fmt: skip
    indicator = Indicator(
        id=ID, name_id=NAME, name_en=NAME, unit=UNIT, kind="percent",
        direction="higher_better", theme="layanan_dasar", levels=("kecamatan",),
        valid_min=0, valid_max=100,
    )  # fmt: skip
    store.commit(frame, dataset="uji_markup", actor="test", new_indicators=[indicator], url=url)
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
        yield base
    finally:
        stop_server(proc)
        store.dispose_all()


@pytest.mark.parametrize(
    "path, query",
    [
        ("", f"ind={ID}"),
        ("peta", f"ind={ID}&year=2024"),
        ("bandingkan", f"ind={ID}&kec=35.78.09,35.78.08"),
        ("ketimpangan", f"ind={ID}&year=2024"),
        ("profil", f"ind={ID}&kec=35.78.09"),
    ],
)
def test_a_name_with_markup_is_shown_literally(server, page, path, query):
    open_app(page, server, path, query)
    page.wait_for_timeout(1_000)
    text = page.inner_text("body")
    assert "[x](http://a.b)" in text or "<b>x</b>" in text, f"{path}: the name is not shown"
    if "<b>x</b>" in text:
        assert "**tebal**" in text
    assert page.evaluate(FOREIGN) == 0
    assert exception_boxes(page) == []
    if path == "peta":
        titles = (
            "() => [...document.querySelectorAll('.js-plotly-plot .gtitle')]"
            ".map(t => t.textContent).join(' ')"
        )
        # the component paints the map before Plotly.js has come; the title is Plotly's
        page.wait_for_function(f"() => ({titles})().length > 0", timeout=30_000)
        assert "<b>x</b>" in page.evaluate(titles)
    # the page fixture also fails the test if any request left localhost (the remote image)


def test_the_report_shows_the_name_literally(server, page):
    open_app(page, server, "profil", f"ind={ID}&kec=35.78.09")
    with page.expect_download(timeout=60_000) as info:
        page.locator("[data-testid='stDownloadButton'] button").filter(has_text="HTML").first.click()
    html = Path(info.value.path()).read_text("utf-8")
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert 'href="http://a.b' not in html and 'src="http://a.b' not in html
    assert "<b>x</b>" not in html
