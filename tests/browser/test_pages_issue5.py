"""Browser tests of Bandingkan, Ketimpangan, Profil Kecamatan and Data & Metode (issue 5)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import exception_boxes, open_app, wait_idle

PAGES = {
    "bandingkan": {"id": "Bandingkan wilayah", "en": "Compare regions"},
    "ketimpangan": {"id": "Ketimpangan", "en": "Disparity"},
    "profil": {"id": "Profil Kecamatan", "en": "Kecamatan profile"},
    "metode": {"id": "Data & Metode", "en": "Data & Methods"},
}
SUKOLILO = "35.78.09"
GUBENG = "35.78.08"


def _assert_clean(page):
    assert exception_boxes(page) == []
    assert page.page_errors == []
    assert page.console_errors == []


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("path", sorted(PAGES))
def test_page_loads_without_errors(page, app_server, path, lang):
    query = f"lang={lang}&kec={SUKOLILO},{GUBENG}"
    open_app(page, app_server, path, query)
    page.wait_for_selector("h1", timeout=30_000)
    assert PAGES[path][lang] in page.locator("h1").first.inner_text()
    # the charts of the page have drawn (Plotly adds its SVG once drawn)
    for plot in page.locator("[data-testid='stPlotlyChart']").all():
        plot.locator(".main-svg").first.wait_for(timeout=30_000)
    _assert_clean(page)


def _selected_in_url(page) -> list[str]:
    values = parse_qs(urlparse(page.url).query).get("kec", [""])[0]
    return [v for v in values.split(",") if v]


def test_selection_on_the_map_opens_in_the_profile(page, app_server):
    open_app(page, app_server, "peta")
    page.locator("[data-testid='stPlotlyChart'] .main-svg").first.wait_for(timeout=60_000)
    shapes = page.locator("[data-testid='stPlotlyChart'] path.choroplethlocation")
    if shapes.count() == 0:  # MapLibre map: features are drawn on a canvas
        shapes = page.locator("[data-testid='stPlotlyChart'] canvas")
    count = shapes.count()
    assert count > 0, "no map drawn on the Peta page"
    chosen = []
    for k in (count // 2, count // 3, count // 4, 10, 100):
        box = shapes.nth(min(k, count - 1)).bounding_box()
        if not box or box["width"] < 4 or box["height"] < 4:
            continue
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        wait_idle(page)
        page.wait_for_timeout(500)
        wait_idle(page)
        chosen = _selected_in_url(page)
        if chosen:
            break
    assert chosen, "clicking the map did not select a kecamatan"
    focus = chosen[0]
    page.get_by_role("link", name=re.compile("Profil Kecamatan")).first.click()
    page.wait_for_url(re.compile(r".*/profil.*"), timeout=30_000)
    wait_idle(page)
    page.wait_for_selector("h1", timeout=30_000)
    body = page.locator("[data-testid='stMain']").inner_text()
    assert focus in body, f"the profile does not show the selected kecamatan {focus}"
    _assert_clean(page)


def test_report_downloads_and_names_the_kecamatan(page, app_server):
    open_app(page, app_server, "profil", f"kec={SUKOLILO}")
    button = page.get_by_role("button", name=re.compile("Unduh laporan"))
    button.first.wait_for(timeout=60_000)
    with page.expect_download(timeout=60_000) as info:
        button.first.click()
    download = info.value
    assert download.suggested_filename.endswith(".html")
    html = open(download.path(), encoding="utf-8").read()
    assert "Sukolilo" in html and SUKOLILO in html and "3578080" in html
    assert "Kota Surabaya" in html
    _assert_clean(page)


def test_compare_table_lists_both_kecamatan(page, app_server):
    open_app(page, app_server, "bandingkan", f"kec={SUKOLILO},{GUBENG}")
    table = page.locator("[data-testid='stDataFrame']").first
    table.wait_for(timeout=60_000)
    text = page.locator("[data-testid='stMain']").inner_text()
    assert "Sukolilo" in text and "Gubeng" in text
    _assert_clean(page)
