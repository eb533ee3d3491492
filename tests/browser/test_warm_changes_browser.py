"""A change to an indicator no session has shown yet finds everything it needs already
computed: while the server is idle after a run of Peta or Beranda, it builds what a change to
each other indicator the sidebar offers will ask for (:mod:`ui.warming`). Observed through
Streamlit's own cache counters (``/_stcore/metrics`` of the server, which the proxy does not
expose), on a server of this module's own, so that no other test can have computed those
entries; it serves another page first."""

from __future__ import annotations

import re
import time
import urllib.request

import pytest
from browser_harness import open_app, start_server, stop_server, wait_idle

import store
from ui import data
from ui.i18n import t

pytestmark = pytest.mark.browser

PETA_MAP = "ui.petamap.shared_map[versioned]"
SMALL_MAP = "ui.petamap.small_map[versioned]"
LISA_MAP = "ui.data.maps.lisa_map[versioned]"

FILLS = """() => [...document.querySelectorAll('.js-plotly-plot .choroplethlocation')]
  .map(p => p.getAttribute('fill')).join()"""


def lookups(base: str) -> dict[str, dict[str, int]]:
    """Hits and misses of every cached function so far, by function."""
    text = urllib.request.urlopen(f"{base}/_stcore/metrics", timeout=10).read().decode()
    out: dict[str, dict[str, int]] = {}
    for line in text.splitlines():
        if line.startswith("cache_lookups_total{"):
            cache = re.search(r'cache="([^"]+)"', line).group(1)
            result = re.search(r'result="(\w+)"', line).group(1)
            out.setdefault(cache, {"hit": 0, "miss": 0})[result] = int(float(line.rsplit(" ", 1)[1]))
    return out


def misses(counts: dict[str, dict[str, int]]) -> dict[str, int]:
    return {cache: n["miss"] for cache, n in counts.items() if n["miss"]}


def wait_until_warmed(base: str, timeout: float = 180) -> dict[str, dict[str, int]]:
    """Wait until the server has computed nothing new for 2 s (the warm-up is done)."""
    last, since, deadline = None, time.monotonic(), time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = lookups(base)
        if misses(now) != (misses(last) if last else None):
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= 2:
            return now
        time.sleep(0.25)
    pytest.fail(f"the server kept computing for {timeout} s")


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


def change_and_count(page, base: str, target: str) -> tuple[dict, dict]:
    """Cache counters once warmed, and after changing the indicator to ``target`` (and
    waiting for the warm-up that follows it)."""
    names = store.catalogue()["name_id"]
    page.wait_for_function(f"() => ({FILLS})().length > 0", timeout=60_000)
    wait_idle(page)
    before = wait_until_warmed(base)
    fills = page.evaluate(FILLS)
    choose_indicator(page, names[target])
    page.wait_for_function(f"(before) => ({FILLS})() !== before", arg=fills, timeout=30_000)
    wait_idle(page)
    assert f"ind={target}" in page.url
    return before, wait_until_warmed(base)


def test_a_change_on_peta_is_served_from_the_warm_cache(fresh_server, page):
    base = fresh_server
    open_app(page, base, "metode")  # another page first
    assert PETA_MAP not in lookups(base)

    open_app(page, base, "peta", "ind=idm")
    before, after = change_and_count(page, base, "ike")
    # Peta's own map, then every other indicator's, each built once
    assert before[PETA_MAP]["miss"] == len(data.indicators_for("kecamatan"))
    # IKE's neighbours in 2024 are IDM's: nothing new to compute, for the change or after it
    assert misses(after) == misses(before), "the change computed what was not warmed"
    assert after[PETA_MAP]["hit"] > before[PETA_MAP]["hit"]
    assert page.console_errors == []


def test_a_change_on_beranda_is_served_from_the_warm_cache(fresh_server, page):
    base = fresh_server
    open_app(page, base, "", "ind=idm")
    before, after = change_and_count(page, base, "iks")
    assert before[SMALL_MAP]["miss"] >= len(data.indicators_for("kecamatan"))
    assert misses(after) == misses(before), "the change computed what was not warmed"
    assert after[SMALL_MAP]["hit"] > before[SMALL_MAP]["hit"]
    assert page.console_errors == []


def test_a_change_on_a_lisa_map_is_served_from_the_warm_cache(fresh_server, page):
    base = fresh_server
    open_app(page, base, "peta", "ind=idm&mode=lisa")
    before, after = change_and_count(page, base, "ike")
    # IDM's LISA map, then every other indicator's (None where LISA is undefined)
    assert before[LISA_MAP]["miss"] == len(data.indicators_for("kecamatan"))
    assert misses(after) == misses(before), "the change computed what was not warmed"
    assert after[PETA_MAP]["hit"] > before[PETA_MAP]["hit"]
    assert page.get_by_text(t("peta.lisa.title", lang="id")).count() > 0
    assert page.console_errors == []
