"""A change to an indicator no session has shown yet finds its map already built: while the
server is idle after a run of Peta, it builds the map of every other indicator the sidebar
offers (``ui.petamap.warm_changes``). Observed through Streamlit's own cache counters
(``/_stcore/metrics`` of the server, which the proxy does not expose), on a server of this
module's own, so that no other test can have built those maps; it serves Beranda first."""

from __future__ import annotations

import re
import time
import urllib.request

import pytest
from browser_harness import open_app, start_server, stop_server, wait_idle

import store
from ui import data

pytestmark = pytest.mark.browser

PETA_MAP = "ui.petamap.peta_map[versioned]"

FILLS = """() => [...document.querySelectorAll('.js-plotly-plot .choroplethlocation')]
  .map(p => p.getAttribute('fill')).join()"""


def lookups(base: str, cache: str) -> dict[str, int]:
    """Hits and misses of one cached function so far."""
    text = urllib.request.urlopen(f"{base}/_stcore/metrics", timeout=10).read().decode()
    out = {"hit": 0, "miss": 0}
    for line in text.splitlines():
        if line.startswith("cache_lookups_total{") and f'cache="{cache}"' in line:
            result = re.search(r'result="(\w+)"', line).group(1)
            out[result] = int(float(line.rsplit(" ", 1)[1]))
    return out


def wait_until_warmed(base: str, timeout: float = 90) -> dict[str, int]:
    """Wait until the server has built no new map for 2 s (the warmer is done)."""
    last, since, deadline = None, time.monotonic(), time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = lookups(base, PETA_MAP)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= 2:
            return now
        time.sleep(0.25)
    pytest.fail(f"the server kept building maps for {timeout} s: {last}")


def choose_indicator(page, name: str) -> None:
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").nth(1)
    box.click()
    page.keyboard.type(name)  # the list is virtualised: type, as a person does
    option = page.locator("[role='option']").filter(has_text=name).first
    option.wait_for()
    option.click()


@pytest.fixture(scope="module")
def fresh_server():
    proc, base = start_server()
    try:
        yield base
    finally:
        stop_server(proc)


def test_a_change_to_an_unseen_indicator_is_served_from_the_warm_cache(fresh_server, page):
    base = fresh_server
    names = store.catalogue()["name_id"]
    open_app(page, base)  # Beranda: another page (and cache) first
    assert lookups(base, PETA_MAP) == {"hit": 0, "miss": 0}

    open_app(page, base, "peta", "ind=idm")
    page.wait_for_function(f"() => ({FILLS})().length > 0", timeout=60_000)
    wait_idle(page)
    before = wait_until_warmed(base)
    # Peta's own map, then every other indicator's, each built once
    assert before["miss"] == len(data.indicators_for("kecamatan"))
    fills = page.evaluate(FILLS)

    choose_indicator(page, names["ike"])  # 2024 too: the same year, a map nobody has shown
    page.wait_for_function(f"(before) => ({FILLS})() !== before", arg=fills, timeout=30_000)
    wait_idle(page)
    assert "ind=ike" in page.url
    after = wait_until_warmed(base)
    # IKE's neighbours in 2024 are IDM's: nothing new to build, for the change or after it
    assert after["miss"] == before["miss"], "the change built its map: it was not warmed"
    assert after["hit"] > before["hit"]
    assert page.console_errors == []
