"""Peta in a real browser (issue 13): the year slider's play button steps through the years."""

from __future__ import annotations

import re

import pytest
from browser_harness import open_app, wait_idle

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
    drawn = page.evaluate("() => window.__drawn")
    drawn_years = distinct(int(r.split("|")[2]) for r in drawn if r)
    assert drawn_years[-len(years) + 1 :] == years[1:]
    assert drawn_years[-1] == years[-1]
    url_years = distinct(
        int(m.group(1)) for u in page.evaluate("() => window.__urls")
        if (m := re.search(r"[?&]year=(\d+)", u))
    )
    assert url_years[-len(years) + 1 :] == years[1:]
    assert re.search(rf"[?&]year={years[-1]}\b", page.url)
    # stopped at the last year: nothing more is drawn
    count = len(page.evaluate("() => window.__drawn"))
    page.wait_for_timeout(1000)
    assert len(page.evaluate("() => window.__drawn")) == count
    assert page.console_errors == []
