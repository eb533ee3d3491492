"""The dashboard in a real browser: pages load cleanly, the map draws, clicks select,
the indicator redraws, the language switches, and nothing leaves localhost."""

from __future__ import annotations

import re

import pytest
from browser_harness import (
    exception_boxes,
    instrument,
    open_app,
    start_server,
    stop_server,
    wait_idle,
)

import regions

pytestmark = pytest.mark.browser

PAGES = ["", "peta", "bandingkan", "ketimpangan", "profil", "metode", "unggah"]

#: The screen position of a kecamatan path's interior (its bounding-box centre when that
#: point is inside the polygon), largest polygons first.
FIND_KECAMATAN = """(exclude) => {
  const paths = [...document.querySelectorAll('.js-plotly-plot .choroplethlocation')]
    .filter(p => p.__data__ && /^35\\.\\d\\d\\.\\d\\d$/.test(p.__data__.loc)
                 && !(exclude || []).includes(p.__data__.loc));
  paths.sort((a, b) => { const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
    return rb.width * rb.height - ra.width * ra.height; });
  for (const p of paths) {
    const r = p.getBoundingClientRect();
    const x = r.x + r.width / 2, y = r.y + r.height / 2;
    const pt = new DOMPoint(x, y).matrixTransform(p.getScreenCTM().inverse());
    if (p.isPointInFill(pt)) return [p.__data__.loc, x, y];
  }
  return null;
}"""

DRAWN_CODES = """() => [...document.querySelectorAll('.js-plotly-plot .choroplethlocation')]
  .map(p => p.__data__ && p.__data__.loc).filter(c => c && /^35\\.\\d\\d\\.\\d\\d$/.test(c))"""

FILLS = """() => [...document.querySelectorAll('.js-plotly-plot .choroplethlocation')]
  .filter(p => p.__data__ && /^35\\.\\d\\d\\.\\d\\d$/.test(p.__data__.loc))
  .map(p => p.__data__.loc + '=' + p.getAttribute('fill'))"""


def wait_for_map(page, minimum: int = 666):
    page.wait_for_function(
        f"() => document.querySelectorAll('.js-plotly-plot .choroplethlocation').length >= {minimum}",
        timeout=60_000,
    )
    # the controls above the map (search, year slider, views) may push it below the fold
    page.locator(".rbk-plotly-map").scroll_into_view_if_needed()


def query_value(url: str, name: str) -> str | None:
    m = re.search(rf"[?&]{name}=([^&]*)", url)
    return m.group(1) if m else None


def test_every_page_loads_cleanly(app_server, page):
    problems = {}
    for path in PAGES:
        open_app(page, app_server, path)
        page.wait_for_timeout(500)
        found = exception_boxes(page) + page.console_errors + page.page_errors
        if found:
            problems[path or "beranda"] = found
        page.console_errors.clear()
        page.page_errors.clear()
    assert problems == {}


def test_map_draws_every_kecamatan(app_server, page):
    open_app(page, app_server, "peta")
    wait_for_map(page)
    codes = page.evaluate(DRAWN_CODES)
    # each kecamatan is drawn once (values or no-data trace), plus the selection outline
    assert len(set(codes)) == 666
    assert page.console_errors == []


def kelurahan_only() -> list[str]:
    """The kecamatan without a single desa, where IDM (the default indicator) does not apply."""
    desa = regions.desa()
    with_desa = set(desa.loc[desa["jenis"] == "desa", "kec_kode"])
    return sorted(set(regions.kecamatan()["kode"]) - with_desa)


def test_click_selects_a_kecamatan(app_server, page):
    open_app(page, app_server, "peta")
    wait_for_map(page)
    off = kelurahan_only()
    code, x, y = page.evaluate(FIND_KECAMATAN, off)
    page.mouse.click(x, y)
    page.wait_for_function(f"() => window.location.search.includes('kec={code}')", timeout=30_000)
    wait_idle(page)
    # outlined on the map and summarised beside it
    page.wait_for_function(
        f"() => [...document.querySelectorAll('.js-plotly-plot .choroplethlocation')]"
        f".filter(p => p.__data__ && p.__data__.loc === '{code}').length >= 2",
        timeout=30_000,
    )
    summary = page.get_by_text(re.compile(r"Jawa Timur: peringkat \d+ dari \d+")).first
    assert summary.is_visible()
    # with "clicks add to the selection" a second click keeps the first kecamatan
    page.get_by_text("Klik menambah pilihan").click()
    wait_idle(page)
    second, x2, y2 = page.evaluate(FIND_KECAMATAN, [code, *off])
    page.mouse.click(x2, y2)
    page.wait_for_function(
        f"() => decodeURIComponent(window.location.search).includes('kec={second},{code}')",
        timeout=30_000,
    )
    assert page.console_errors == []


def test_a_kelurahan_only_kecamatan_says_idm_does_not_apply(app_server, page):
    open_app(page, app_server, "peta")
    wait_for_map(page)
    off = kelurahan_only()
    others = sorted(set(regions.kecamatan()["kode"]) - set(off))
    code, x, y = page.evaluate(FIND_KECAMATAN, others)
    assert code in off
    page.mouse.click(x, y)
    page.wait_for_function(f"() => window.location.search.includes('kec={code}')", timeout=30_000)
    wait_idle(page)
    assert page.get_by_text(re.compile(r"tidak berlaku", re.I)).first.is_visible()
    assert not page.get_by_text(re.compile(r"Jawa Timur: peringkat \d+ dari \d+")).first.is_visible()
    assert page.console_errors == []


def test_changing_the_indicator_redraws(app_server, page):
    open_app(page, app_server, "peta")
    wait_for_map(page)
    before_ind = query_value(page.url, "ind")
    before = page.evaluate(FILLS)
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").nth(1)
    box.click()
    options = page.locator("[role='option']")
    options.first.wait_for()
    # choose an option other than the current one
    texts = options.all_inner_texts()
    # the Indonesian name of the current indicator (the default: poverty rate)
    choice = next(i for i, text in enumerate(texts) if "miskin" not in text.lower())
    options.nth(choice).click()
    page.wait_for_function(
        f"() => !window.location.search.includes('ind={before_ind}&')"
        f" && !window.location.search.endsWith('ind={before_ind}')",
        timeout=30_000,
    )
    wait_idle(page)
    wait_for_map(page)
    page.wait_for_function(
        "(before) => { const now = " + FILLS.replace("() =>", "(() =>") + ")();"
        " return now.length >= 600 && now.join() !== before.join(); }",
        arg=before,
        timeout=30_000,
    )
    assert page.console_errors == []


def test_the_websocket_is_compressed(app_server, page):
    """The browser and the server agree on permessage-deflate (a change of indicator is ~25 kB
    of JSON deltas, ~12 kB on the wire: benchmarks/map/README.md)."""
    page.add_init_script(
        "window.__sockets = []; const Native = window.WebSocket;"
        "window.WebSocket = function (...args) { const ws = new Native(...args);"
        " window.__sockets.push(ws); return ws; };"
        "window.WebSocket.prototype = Native.prototype;"
        "Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});"
    )
    open_app(page, app_server, "peta")
    wait_for_map(page)
    extensions = page.evaluate(
        "() => window.__sockets.filter(ws => ws.readyState === 1).map(ws => ws.extensions)"
    )
    assert extensions and all("permessage-deflate" in ext for ext in extensions), extensions


def test_switching_language_changes_labels(app_server, page):
    open_app(page, app_server, "peta")
    nav = page.locator("[data-testid='stSidebarNav']")
    assert "Peta" in nav.inner_text() and "Map" not in nav.inner_text()
    page.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).click()
    page.wait_for_function("() => window.location.search.includes('lang=en')", timeout=30_000)
    wait_idle(page)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stSidebarNav\"]').innerText.includes('Map')",
        timeout=30_000,
    )
    text = nav.inner_text()
    assert "Overview" in text and "Beranda" not in text
    assert page.locator("h1").first.inner_text().strip() == "Map"
    assert page.console_errors == []


MAP_VIEW = """() => { const r = document.querySelector('.rbk-plotly-map');
  return r && r._fullLayout ? [r._fullLayout.geo.projection.scale,
    r._fullLayout.geo.center.lon, r._fullLayout.geo.center.lat] : null; }"""


def wheel(page, dy: int, times: int) -> None:
    """Turn the mouse wheel over the map (``dy`` < 0 zooms in)."""
    page.locator(".rbk-plotly-map").scroll_into_view_if_needed()
    box = page.locator(".rbk-plotly-map").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.5)
    for _ in range(times):
        page.mouse.wheel(0, dy)
        page.wait_for_timeout(150)


def choose_pkh(page) -> None:
    """Choose the PKH coverage in the sidebar's indicator box, as a person would, and wait
    until the map has drawn it."""
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").nth(1).click()
    # the list is long and virtualised: type to narrow it
    page.keyboard.type("Keluarga Harapan")
    page.locator("[role='option']").filter(has_text="Keluarga Harapan").first.click()
    page.wait_for_function(
        "() => (document.querySelector('.rbk-plotly-map').getAttribute('data-drawn') || '')"
        ".includes('cakupan_pkh')",
        timeout=30_000,
    )
    wait_idle(page)


def test_zoom_survives_an_indicator_change(app_server, page):
    open_app(page, app_server, "peta", "ind=persentase_penduduk_miskin")
    wait_for_map(page)
    start = page.evaluate(MAP_VIEW)
    wheel(page, -200, 4)
    page.wait_for_timeout(500)
    zoomed = page.evaluate(MAP_VIEW)
    assert zoomed[0] > 2 * start[0]
    choose_pkh(page)
    after = page.evaluate(MAP_VIEW)
    assert after == pytest.approx(zoomed, rel=1e-6)
    assert page.console_errors == []


#: The GeoJSON layers the map draws (file stems) and its ``data-detail``.
LAYERS = """() => { const r = document.querySelector('.rbk-plotly-map');
  const stems = r.data.map(t => t.geojson).filter(Boolean).map(u => u.split('/').pop().split('.')[0]);
  return [r.getAttribute('data-detail'), [...new Set(stems)].sort()]; }"""

OVERVIEW = ["kabupaten_overview", "kecamatan_overview"]
DETAIL = ["kabupaten_display", "kecamatan_display"]


def wait_detail(page, detail: str) -> None:
    page.wait_for_function(
        "(d) => document.querySelector('.rbk-plotly-map').getAttribute('data-detail') === d",
        arg=detail,
        timeout=30_000,
    )


def test_zooming_in_fetches_and_draws_the_detailed_layers(app_server, page):
    """A map of the whole province fetches and draws the overview layers (half the vertices,
    under a pixel there); zoomed in with the wheel, it fetches and draws the display layers,
    also after an indicator change; zoomed back out, the overview again."""
    fetched = []
    page.on("request", lambda r: r.url.endswith(".geojson") and fetched.append(r.url))
    stems = lambda: sorted({u.split("/")[-1].split(".")[0] for u in fetched})  # noqa: E731
    open_app(page, app_server, "peta", "ind=persentase_penduduk_miskin")
    wait_for_map(page)
    assert page.evaluate(LAYERS) == ["overview", OVERVIEW]
    assert stems() == OVERVIEW
    wheel(page, -200, 4)
    wait_detail(page, "display")
    assert page.evaluate(MAP_VIEW)[0] >= 1.5
    assert page.evaluate(LAYERS) == ["display", DETAIL]
    assert stems() == sorted(OVERVIEW + DETAIL)
    assert len(page.evaluate(DRAWN_CODES)) >= 666
    # a rerun's figure names the overview: the zoomed map keeps the detail
    choose_pkh(page)
    assert page.evaluate(LAYERS) == ["display", DETAIL]
    wheel(page, 200, 8)
    wait_detail(page, "overview")
    assert page.evaluate(MAP_VIEW)[0] < 1.5
    assert page.evaluate(LAYERS) == ["overview", OVERVIEW]
    assert page.console_errors == []


def test_deep_link_restores_the_view(app_server, page):
    open_app(page, app_server, "peta", "level=kabupaten&lang=en&kab=35.78")
    wait_for_map(page, 38)
    codes = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot .choroplethlocation')]"
        ".map(p => p.__data__ && p.__data__.loc).filter(c => c && /^35\\.\\d\\d$/.test(c))"
    )
    assert len(set(codes)) == 38
    assert "Zoom to kabupaten/kota" in page.inner_text("body")
    assert page.console_errors == []


def test_deep_link_on_a_fresh_server_runs_through_the_router(page):
    """Streamlit runs the first request of a new server on /peta in its legacy ``pages/``
    mode (without ``dashboard.py``); the page must still get the router, sidebar and footer."""
    proc, base = start_server()
    try:
        open_app(page, base, "peta", "lang=en&level=kabupaten")
        wait_for_map(page, 38)
        nav = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert "Overview" in nav and "Upload Data" in nav
        assert "Sources and licences" in page.inner_text("body")
        assert page.console_errors == []
    finally:
        stop_server(proc)


#: Each kecamatan or kabupaten path's box on the screen and its fill, by code: the first
#: paint's (``data-code``) or Plotly's (its datum's ``loc``).
PATH_BOXES = """(selector) => Object.fromEntries([...document.querySelectorAll(selector)]
  .map(p => { const r = p.getBoundingClientRect();
    return [p.getAttribute('data-code') || (p.__data__ && p.__data__.loc),
            [r.x, r.y, r.width, r.height, getComputedStyle(p).fill]]; }))"""
#: Run before the page's scripts: records whether a first paint ever entered the page.
SEES_PREVIEW = """window.__sawPreview = false;
new MutationObserver(() => { if (document.querySelector('.rbk-map-preview')) window.__sawPreview = true; })
  .observe(document, {childList: true, subtree: true});"""
#: The first paint's view box (its clip rectangle) on the screen.
VIEW_BOX = """() => { const svg = document.querySelector('.rbk-map-preview');
  const r = svg.getBoundingClientRect(), c = svg.querySelector('clipPath rect');
  return ['x', 'y', 'width', 'height'].map(k => +c.getAttribute(k))
    .map((v, i) => v + (i === 0 ? r.x : i === 1 ? r.y : 0)); }"""
#: Each legend entry's text, its text's and symbol's boxes on the screen and the symbol's fill:
#: the first paint's (``.rbk-map-preview-legend-entry``) or Plotly's (``.legend .traces``).
LEGEND_ENTRIES = """(selector) => [...document.querySelectorAll(selector)].map(g => {
  const text = g.querySelector('text'), symbol = g.querySelector('rect, .legendpoints path');
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; };
  return [text.textContent, box(text), box(symbol), getComputedStyle(symbol).fill]; })"""
#: The rows of Plotly's legend (its entries' distinct heights on the screen).
LEGEND_ROWS = """() => new Set([...document.querySelectorAll('.legend .traces')]
  .map(t => Math.round(t.getBoundingClientRect().y))).size"""
#: The text and box on the screen of each element a selector finds (a title: none or one).
TITLES = """(selector) => [...document.querySelectorAll(selector)].map(t => {
  const r = t.getBoundingClientRect(); return [t.textContent, r.x, r.y, r.width, r.height]; })"""


@pytest.mark.parametrize(
    ("path", "window", "query", "legend_rows"),
    [
        ("peta", 1400, "", 1),
        ("peta", 1400, "kab=35.07", 1),
        ("peta", 1400, "kec=35.78.09", 1),
        ("peta", 1400, "mode=lisa", 2),
        ("peta", 1400, "mode=bivariate", 3),
        ("peta", 1000, "", 2),
        ("", 1400, "", 2),
    ],
    ids=[
        "province",
        "kabupaten",
        "with-a-selection",
        "lisa",
        "need-coverage",
        "narrow-window",
        "beranda",
    ],
)
def test_the_first_paint_is_the_map_plotly_then_draws(
    browser, app_server, path, window, query, legend_rows
):
    """Opened in a browser whose Plotly.js is slow to come, the page paints the map at once
    (every region in its class colour, the kabupaten outlines, the title) exactly where
    Plotly then draws it, and gives way to Plotly's map; zoomed to a kabupaten, the regions
    reaching out of the view are cut at its edge as Plotly cuts them; where Plotly's legend
    takes two or three rows below the map (the LISA and need × coverage maps, a narrower
    window), the map is painted in the area those rows leave; the legend is painted as Plotly
    draws it. Beranda's small map (no title, no kabupaten outlines) likewise."""
    context = browser.new_context(viewport={"width": window, "height": 950}, locale="id-ID")
    page = instrument(context.new_page())
    held = []
    page.route("**/plotly-geo-*.js", lambda route: held.append(route))  # held until released
    try:
        page.goto(f"{app_server}/{path}?{query}", wait_until="domcontentloaded")
        page.wait_for_selector(".rbk-map-preview path", timeout=60_000)
        page.locator(".rbk-plotly-map").scroll_into_view_if_needed()
        first = page.evaluate(PATH_BOXES, ".rbk-map-preview path")
        first_titles = page.evaluate(TITLES, ".rbk-map-preview > text")
        first_titles += page.evaluate(TITLES, ".rbk-map-preview-legend-title")
        first_legend = page.evaluate(LEGEND_ENTRIES, ".rbk-map-preview-legend-entry")
        view = page.evaluate(VIEW_BOX)
        assert page.locator(".js-plotly-plot").count() == 0
        assert held, "Plotly.js was not asked for"
        kecamatan = {c for c in first if re.fullmatch(r"35\.\d\d\.\d\d", c)}
        kabupaten = {c for c in first if re.fullmatch(r"35\.\d\d", c)}
        assert (len(kecamatan), len(kabupaten)) == (666, 38 if path == "peta" else 0)

        for route in held:
            route.continue_()
        page.unroute("**/plotly-geo-*.js")
        page.wait_for_selector(".rbk-plotly-map[data-drawn]", timeout=60_000)
        drawn = page.evaluate(PATH_BOXES, ".js-plotly-plot .choroplethlocation")
        assert page.evaluate(LEGEND_ROWS) == legend_rows
        assert page.locator(".rbk-map-preview").count() == 0
        # Plotly cuts a region at the view's edge; compare the regions wholly inside it
        x, y, w, h = view
        inside = [
            code
            for code, (bx, by, bw, bh, _) in first.items()
            if bx >= x + 1 and by >= y + 1 and bx + bw <= x + w - 1 and by + bh <= y + h - 1
        ]
        assert len(inside) >= (666 if not query else 20)
        off = {
            code: max(abs(a - b) for a, b in zip(first[code][:4], drawn[code][:4], strict=True))
            for code in inside
        }
        assert max(off.values()) < 1.0, sorted(off.items(), key=lambda kv: -kv[1])[:5]
        assert {c: first[c][4] for c in first} == {c: drawn[c][4] for c in first}
        # the titles (the map's, the legend's) with the same words where Plotly puts them
        drawn_titles = page.evaluate(TITLES, ".js-plotly-plot .gtitle")
        drawn_titles += page.evaluate(TITLES, ".legend .legendtitletext")
        assert [t[0] for t in first_titles] == [t[0] for t in drawn_titles]
        assert len(first_titles) >= (1 if path == "peta" else 0)
        for painted, plotly in zip(first_titles, drawn_titles, strict=True):
            assert max(abs(a - b) for a, b in zip(painted[1:], plotly[1:], strict=True)) < 2.0
        # the legend: the same entries, symbols of the same colours, each where Plotly puts it
        drawn_legend = page.evaluate(LEGEND_ENTRIES, ".legend .traces")
        assert [(e[0], e[3]) for e in first_legend] == [(e[0], e[3]) for e in drawn_legend]
        assert len(first_legend) >= 5
        for painted, plotly in zip(first_legend, drawn_legend, strict=True):
            for a, b in ((painted[1], plotly[1]), (painted[2], plotly[2])):
                assert max(abs(u - v) for u, v in zip(a, b, strict=True)) < 2.0, (painted, plotly)
        assert page.console_errors == [] and page.page_errors == []
    finally:
        context.close()


def test_no_first_paint_where_the_legend_would_scroll(browser, app_server):
    """On a narrow window the need × coverage legend's nine entries take more rows than half
    the map's height, where Plotly makes the legend scroll (so the map's area is only known
    once Plotly has laid it out): Plotly alone draws the map."""
    context = browser.new_context(viewport={"width": 1000, "height": 950}, locale="id-ID")
    page = instrument(context.new_page())
    page.add_init_script(SEES_PREVIEW)
    try:
        page.goto(f"{app_server}/peta?mode=bivariate", wait_until="domcontentloaded")
        page.wait_for_selector(".rbk-plotly-map[data-drawn]", timeout=60_000)
        rows = page.evaluate(LEGEND_ROWS)
        height = page.evaluate("() => document.querySelector('.rbk-plotly-map')._fullLayout.height")
        assert 29 * rows > height / 2
        assert page.evaluate("() => window.__sawPreview") is False
        wait_for_map(page)
    finally:
        context.close()
