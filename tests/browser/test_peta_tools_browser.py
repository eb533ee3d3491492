"""Peta's tools in a real browser (issue 13): the year slider's play button steps through the
years; the search box selects a kecamatan and zooms to it."""

from __future__ import annotations

import re

import pytest
from browser_harness import open_app, wait_idle

import regions
import store

pytestmark = pytest.mark.browser

INDICATOR = "persentase_penduduk_miskin"

#: Record every map draw (its ``data-drawn`` revision) and every URL the app writes.
RECORD = """() => {
  window.__drawn = []; window.__urls = [];
  const root = document.querySelector('.rbk-plotly-map');
  new MutationObserver(() => window.__drawn.push(root.getAttribute('data-drawn')))
    .observe(root, {attributes: true, attributeFilter: ['data-drawn']});
  for (const name of ['pushState', 'replaceState']) {
    const original = history[name].bind(history);
    history[name] = (s, t, url) => { window.__urls.push(String(url)); return original(s, t, url); };
  }
}"""


def wait_for_map(page):
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .choroplethlocation').length >= 666",
        timeout=60_000,
    )


def distinct(seq):
    out = []
    for x in seq:
        if not out or out[-1] != x:
            out.append(x)
    return out


def test_play_steps_through_every_year_and_stops_at_the_last(app_server, page):
    av = store.available("kecamatan")
    years = sorted(int(y) for y in av[av["indicator"] == INDICATOR].iloc[0]["years"])
    assert len(years) >= 3
    open_app(page, app_server, "peta", f"ind={INDICATOR}&year={years[0]}")
    wait_for_map(page)
    page.wait_for_function(
        f"() => (document.querySelector('.rbk-plotly-map').getAttribute('data-drawn') || '')"
        f".includes('|{years[0]}|')",
        timeout=30_000,
    )
    page.evaluate(RECORD)
    page.get_by_role("button", name="Putar").click()
    # playing: the button turns into "Berhenti"; after the last year it is "Putar" again
    page.get_by_role("button", name="Berhenti").wait_for(timeout=30_000)
    page.get_by_role("button", name="Putar").wait_for(timeout=120_000)
    wait_idle(page)
    # the page steps through every year, in order (each step is a rerun that writes its year
    # into the URL)
    url_years = distinct(
        int(m.group(1)) for u in page.evaluate("() => window.__urls")
        if (m := re.search(r"[?&]year=(\d+)", u))
    )
    assert url_years[-len(years) + 1 :] == years[1:]
    # the map draws the years in order and ends on the last one; on a loaded machine Plotly
    # may draw only the newer of two figures that arrive within one frame, so a year can be
    # passed over on screen but never drawn out of order
    drawn = page.evaluate("() => window.__drawn")
    drawn_years = distinct(int(r.split("|")[2]) for r in drawn if r)
    assert drawn_years == sorted(set(drawn_years)) and set(drawn_years) <= set(years)
    assert drawn_years[-1] == years[-1] and len(drawn_years) >= len(years) // 2
    assert re.search(rf"[?&]year={years[-1]}\b", page.url)
    # stopped at the last year: nothing more is drawn
    count = len(page.evaluate("() => window.__drawn"))
    page.wait_for_timeout(1000)
    assert len(page.evaluate("() => window.__drawn")) == count
    assert page.console_errors == []


#: The map's geo view: projection scale (the user's wheel zoom), centre, and the longitude
#: span shown (Python's zoom sets the axis ranges).
MAP_VIEW = """() => { const r = document.querySelector('.rbk-plotly-map');
  if (!r || !r._fullLayout) return null; const g = r._fullLayout.geo;
  return [g.projection.scale, g.center.lon, g.center.lat,
          (g.lonaxis.range[1] - g.lonaxis.range[0]) / g.projection.scale]; }"""

#: The screen box of a kecamatan's drawn polygon (values trace), or null.
DRAWN_BOX = """(code) => { const p = [...document.querySelectorAll('.js-plotly-plot .choroplethlocation')]
  .find(p => p.__data__ && p.__data__.loc === code);
  if (!p) return null; const r = p.getBoundingClientRect();
  return [r.x, r.y, r.width, r.height]; }"""


def test_search_selects_and_zooms_to_a_kecamatan(app_server, page):
    kec = regions.kecamatan()
    code = kec.loc[(kec["nama"] == "Gubeng") & (kec["kab_nama"] == "Kota Surabaya"), "kode"].item()
    open_app(page, app_server, "peta")
    wait_for_map(page)
    start = page.evaluate(MAP_VIEW)
    small = page.evaluate(DRAWN_BOX, code)
    page.get_by_role("combobox", name="Cari kecamatan").click()
    page.keyboard.type("Gubeng")
    page.get_by_role("option", name=re.compile(r"^Gubeng · Kota Surabaya")).click()
    page.wait_for_function(f"() => window.location.search.includes('kec={code}')", timeout=30_000)
    wait_idle(page)
    page.wait_for_function(f"(start) => ({MAP_VIEW})()[3] < start / 10", arg=start[3], timeout=30_000)
    _, lon, lat, _ = page.evaluate(MAP_VIEW)
    # the view is centred on Gubeng (its display polygon's bounding box) ...
    layer = regions.load_layer("kecamatan", "display").set_index("kode")
    minx, miny, maxx, maxy = layer.loc[code, "geometry"].bounds
    assert minx <= lon <= maxx and miny <= lat <= maxy
    # ... and Gubeng, 4-11 px wide at province zoom, is now drawn large and inside the map
    box = page.locator(".rbk-plotly-map").bounding_box()
    x, y, w, h = page.evaluate(DRAWN_BOX, code)
    assert w > 10 * small[2]
    assert box["x"] <= x and x + w <= box["x"] + box["width"]
    assert box["y"] <= y and y + h <= box["y"] + box["height"]
    # selected: outlined (a second path of the same code) and named in the summary
    page.wait_for_function(
        f"() => [...document.querySelectorAll('.js-plotly-plot .choroplethlocation')]"
        f".filter(p => p.__data__ && p.__data__.loc === '{code}').length >= 2",
        timeout=30_000,
    )
    assert page.get_by_text("Kota Surabaya · " + code).is_visible()
    assert page.console_errors == []


def segment(page, label: str):
    """The option of a segmented control whose text starts with ``label``."""
    buttons = page.locator("[data-testid='stButtonGroup'] button")
    return buttons.filter(has_text=re.compile(f"^{re.escape(label)}")).first


def wheel_zoom(page):
    page.locator(".rbk-plotly-map").scroll_into_view_if_needed()
    box = page.locator(".rbk-plotly-map").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.5)
    for _ in range(4):
        page.mouse.wheel(0, -200)
        page.wait_for_timeout(150)
    page.wait_for_timeout(500)


@pytest.mark.parametrize("mode, label", [("lisa", "Klaster LISA"), ("bivariate", "Kebutuhan")])
def test_zoom_survives_a_map_mode_switch(app_server, page, mode, label):
    open_app(page, app_server, "peta", "ind=persentase_penduduk_miskin")
    wait_for_map(page)
    start = page.evaluate(MAP_VIEW)
    wheel_zoom(page)
    zoomed = page.evaluate(MAP_VIEW)
    assert zoomed[0] > 2 * start[0]
    segment(page, label).click()
    page.wait_for_function(
        "(mode) => (document.querySelector('.rbk-plotly-map')?.getAttribute('data-drawn') || '')"
        ".startsWith(mode + '|')",
        arg=mode,
        timeout=60_000,
    )
    wait_idle(page)
    assert page.evaluate(MAP_VIEW) == pytest.approx(zoomed, rel=1e-6)
    # and back to the indicator map
    segment(page, "Indikator").click()
    page.wait_for_function(
        "() => (document.querySelector('.rbk-plotly-map')?.getAttribute('data-drawn') || '')"
        ".startsWith('indicator|')",
        timeout=60_000,
    )
    wait_idle(page)
    assert page.evaluate(MAP_VIEW) == pytest.approx(zoomed, rel=1e-6)
    assert page.console_errors == []


def test_the_selected_regions_value_is_written_whole(app_server, page):
    """The largest value of the province in a narrow summary column: never cut ("285,824
    thou…"); the number is written whole, the unit goes into its label."""
    values = store.tidy("pdrb_adhk", level="kecamatan", years=2024).set_index("region_code")
    code = values["value"].idxmax()
    open_app(page, app_server, "peta", f"ind=pdrb_adhk&year=2024&kec={code}")
    value = page.locator("[data-testid='stMetricValue']").first
    value.wait_for(timeout=30_000)
    # the catalogue's one decimal, Indonesian separators: 1.234.567,8
    expected = f"{values.at[code, 'value']:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    assert value.inner_text().strip() == expected
    cut = value.evaluate(
        "e => [e, ...e.querySelectorAll('*')].some(x => x.scrollWidth > x.clientWidth + 1)"
    )
    assert not cut
    label = page.locator("[data-testid='stMetricLabel']").first.inner_text()
    assert "2024" in label and "rupiah" in label


def test_on_a_phone_the_map_fills_the_width_and_its_frame(app_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    try:
        page = context.new_page()
        page.goto(f"{app_server}/peta", wait_until="domcontentloaded")
        wait_for_map(page)
        wait_idle(page)
        page.locator(".rbk-plotly-map").scroll_into_view_if_needed()
        box = page.locator(".rbk-plotly-map").bounding_box()
        drawn = page.evaluate(
            """() => { const rs = [...document.querySelectorAll('.js-plotly-plot .choroplethlocation')]
                 .map(p => p.getBoundingClientRect()).filter(r => r.width > 0);
               return [Math.min(...rs.map(r => r.top)), Math.max(...rs.map(r => r.bottom))]; }"""
        )
        assert box["width"] >= 0.9 * 390
        # the province fills most of the map's height: no tall empty frame around a small map
        assert drawn[1] - drawn[0] >= 0.6 * box["height"]
        # the controls stack: the summary panel comes below the map, not beside it
        summary = page.get_by_text("Wilayah terpilih").first.bounding_box()
        assert summary["y"] > box["y"] + box["height"] - 1
    finally:
        context.close()


def test_on_a_touch_phone_the_mode_bar_leaves_the_map_title_readable(app_server, browser):
    """A touch screen shows Plotly's mode bar all the time, at the top right: on a phone it
    would cover the end of the map's title (indicator, unit, year)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="id-ID", is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        page.goto(f"{app_server}/peta", wait_until="domcontentloaded")
        wait_for_map(page)
        wait_idle(page)
        title = page.locator(".rbk-plotly-map .gtitle").bounding_box()
        bar = page.locator(".rbk-plotly-map .modebar").bounding_box()
        assert page.locator(".rbk-plotly-map .modebar").is_visible()
        assert "2024" in page.locator(".rbk-plotly-map .gtitle").text_content()
        apart = (
            title["y"] >= bar["y"] + bar["height"]
            or bar["y"] >= title["y"] + title["height"]
            or title["x"] + title["width"] <= bar["x"]
        )
        assert apart, (title, bar)
        # the title stays above the drawn map
        top = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('.js-plotly-plot .choroplethlocation')]
                 .map(p => p.getBoundingClientRect()).filter(r => r.width > 0).map(r => r.top))"""
        )
        assert title["y"] + title["height"] <= top + 1
    finally:
        context.close()
