"""Browser tests of Bandingkan, Ketimpangan, Profil Kecamatan and Data & Metode: each page
opens in both languages, and its clicks, links and downloads work."""

from __future__ import annotations

import re

import pytest
from browser_harness import exception_boxes, open_app, wait_idle

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


# Both languages are checked by the AppTests (tests/ui); in the browser, Bahasa Indonesia
# (the default) for every page and English for the lightest one keep this file short.
@pytest.mark.parametrize(("path", "lang"), [(p, "id") for p in sorted(PAGES)] + [("metode", "en")])
def test_page_loads_without_errors(page, app_server, path, lang):
    query = f"lang={lang}&kec={SUKOLILO},{GUBENG}"
    open_app(page, app_server, path, query)
    page.wait_for_selector("h1", timeout=30_000)
    assert PAGES[path][lang] in page.locator("h1").first.inner_text()
    # the charts of the page have drawn (Plotly adds its SVG once drawn)
    for plot in page.locator("[data-testid='stPlotlyChart']").all():
        plot.locator(".main-svg").first.wait_for(timeout=30_000)
    _assert_clean(page)


#: Screen position inside a drawn kecamatan of the map (largest shapes first) and its code.
KECAMATAN_ON_MAP = """() => {
  const paths = [...document.querySelectorAll('.js-plotly-plot .choroplethlocation')]
    .filter(p => p.__data__ && /^35\\.\\d\\d\\.\\d\\d$/.test(p.__data__.loc));
  paths.sort((a, b) => { const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
    return rb.width * rb.height - ra.width * ra.height; });
  for (const p of paths.slice(20)) {
    const r = p.getBoundingClientRect();
    const x = r.x + r.width / 2, y = r.y + r.height / 2;
    const pt = new DOMPoint(x, y).matrixTransform(p.getScreenCTM().inverse());
    if (p.isPointInFill(pt)) return [p.__data__.loc, x, y];
  }
  return null;
}"""


def test_selection_on_the_map_opens_in_the_profile(page, app_server):
    open_app(page, app_server, "peta")
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .choroplethlocation').length >= 666",
        timeout=60_000,
    )
    page.locator(".rbk-plotly-map").scroll_into_view_if_needed()
    found = page.evaluate(KECAMATAN_ON_MAP)
    assert found, "no clickable kecamatan on the map"
    code, x, y = found
    page.mouse.click(x, y)
    page.wait_for_function(f"() => window.location.search.includes('kec={code}')", timeout=30_000)
    wait_idle(page)
    page.locator("[data-testid='stSidebarNav'] a[href$='/profil']").first.click()
    page.wait_for_url(re.compile(r".*/profil.*"), timeout=30_000)
    wait_idle(page)
    kemendagri = page.locator("[data-testid='stMetric']").first
    kemendagri.wait_for(timeout=30_000)
    assert code in kemendagri.inner_text(), f"the profile does not show {code}"
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


def test_profile_peers_open_in_the_comparison(page, app_server):
    open_app(page, app_server, "profil", f"kec={SUKOLILO}")
    button = page.get_by_role("button", name=re.compile("Bandingkan dengan pembanding"))
    button.first.wait_for(timeout=60_000)
    button.first.click()
    page.wait_for_url(re.compile(r".*/bandingkan.*"), timeout=30_000)
    wait_idle(page)
    tags = page.locator("[data-testid='stMain'] [data-testid='stMultiSelect']").first
    tags.wait_for(timeout=30_000)
    chosen = tags.inner_text()
    assert "Sukolilo — Kota Surabaya" in chosen
    assert chosen.count(" — ") == 6  # the kecamatan and its 5 peers
    _assert_clean(page)


def test_beranda_typed_as_a_path_opens_the_home_page_with_its_query(page, app_server):
    """Beranda lives at "/" (Streamlit's default page); "/beranda", typed like "/peta", used
    to open Streamlit's own English "Page not found" dialog."""
    # a session has run the router, as on any server in use (a fresh server starts in
    # Streamlit's pages-directory mode, where pages/beranda.py exists: see ui/router.py)
    open_app(page, app_server, "metode")
    page.goto(f"{app_server}/beranda?lang=en&kec={SUKOLILO}", wait_until="domcontentloaded")
    page.wait_for_function("() => location.pathname === '/'", timeout=30_000)
    page.wait_for_selector("[data-testid='stSidebar']", timeout=30_000)
    wait_idle(page)
    assert page.locator("h1").first.inner_text().startswith("Overview")
    assert "lang=en" in page.url and f"kec={SUKOLILO}" in page.url
    assert page.get_by_text("Page not found").count() == 0
    _assert_clean(page)
