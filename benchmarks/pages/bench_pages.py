"""Benchmark: time for the issue-5 pages to settle in headless Chromium.

Run from the project root after ``make data``::

    .venv/bin/python benchmarks/pages/bench_pages.py [--runs 5] [--out results.json]

It starts ``streamlit run dashboard.py`` on a free localhost port (the browser tests'
harness), drives Debian's Chromium through Playwright and measures, for Bandingkan,
Ketimpangan, Profil Kecamatan and Data & Metode:

``load``
    a full page load of ``/<page>`` (new session): from ``goto`` until the script has
    finished and every Plotly chart has drawn its SVG;
``switch``
    in-app navigation: from a click on the page's sidebar link (coming from another
    page, same session, warm caches) until settled;
``indicator``
    a change of the sidebar indicator while on the page: from the click on another
    option until settled (alternating between two indicators, so after the first
    round the cached computations are warm — as when a user goes back and forth).

Each figure is the median of ``--runs`` repetitions, after one warm-up round.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from browser_harness import launch_browser, start_server, stop_server  # noqa: E402

PAGES = {
    "bandingkan": "Bandingkan",
    "ketimpangan": "Ketimpangan",
    "profil": "Profil Kecamatan",
    "metode": "Data & Metode",
}
QUERY = "kec=35.78.09,35.78.08,35.07.01"
#: Quiet period (ms) after which the page counts as settled; subtracted from the times.
QUIET_MS = 300
SETTLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const reset = () => { window.__rbkStable = null; return false; };
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return reset();
  if (!document.querySelector('h1')) return reset();
  if (document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')) return reset();
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  if (!charts.every(c => c.querySelector('.main-svg'))) return reset();
  const sig = document.querySelectorAll('[data-testid="stElementContainer"]').length
    + ':' + charts.length;
  const now = performance.now();
  if (!window.__rbkStable || window.__rbkStable.sig !== sig) {
    window.__rbkStable = {sig: sig, t: now};
    return false;
  }
  return now - window.__rbkStable.t >= QUIET;
}""".replace("QUIET", str(QUIET_MS))


def settle(page, timeout: float = 60_000) -> None:
    """Wait for a rerun to start (if it has not already ended) and then to settle: script
    finished, no stale element or skeleton, every chart drawn, and the page unchanged for
    :data:`QUIET_MS`."""
    page.evaluate("() => { window.__rbkStable = null; }")
    try:
        page.wait_for_function(
            "() => document.querySelector('[data-testid=stApp]')"
            "?.getAttribute('data-test-script-state') === 'running'",
            timeout=1_500,
        )
    except Exception:  # noqa: BLE001 - the rerun may already be over
        pass
    page.wait_for_function(SETTLE_JS, timeout=timeout, polling=20)


def measure_load(page, base: str, path: str) -> float:
    t0 = time.perf_counter()
    page.goto(f"{base}/{path}?{QUERY}", wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stSidebar']", timeout=60_000)
    page.wait_for_function(SETTLE_JS, timeout=60_000, polling=20)
    return time.perf_counter() - t0 - QUIET_MS / 1000


def measure_switch(page, path: str) -> float:
    link = page.locator(f"[data-testid='stSidebarNav'] a[href$='/{path}']").first
    t0 = time.perf_counter()
    link.click()
    page.wait_for_url(f"**/{path}**", timeout=30_000)
    settle(page)
    return time.perf_counter() - t0 - QUIET_MS / 1000


def measure_indicator(page, option_index: int) -> float:
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").nth(1)
    box.click()
    option = page.locator("[role='option']").nth(option_index)
    option.wait_for(timeout=10_000)
    t0 = time.perf_counter()
    option.click()
    settle(page)
    return time.perf_counter() - t0 - QUIET_MS / 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    proc, base = start_server()
    results: dict[str, dict[str, list[float]]] = {p: {} for p in PAGES}
    try:
        with sync_playwright() as pw:
            browser = launch_browser(pw)
            context = browser.new_context(viewport={"width": 1400, "height": 950})
            page = context.new_page()
            # warm-up: every page once (server caches, browser cache of the bundle)
            for path in PAGES:
                measure_load(page, base, path)
            for path in PAGES:
                loads = [measure_load(page, base, path) for _ in range(args.runs)]
                switches, changes = [], []
                other = "metode" if path != "metode" else "bandingkan"
                for _ in range(args.runs):
                    measure_switch(page, other)
                    switches.append(measure_switch(page, path))
                # alternate between the 2nd and 3rd option of the indicator list
                measure_indicator(page, 1)
                for run in range(args.runs):
                    changes.append(measure_indicator(page, 2 if run % 2 == 0 else 1))
                results[path] = {"load": loads, "switch": switches, "indicator": changes}
                print(
                    f"{path:12s} load {statistics.median(loads):6.2f} s   "
                    f"switch {statistics.median(switches):6.2f} s   "
                    f"indicator {statistics.median(changes):6.2f} s",
                    flush=True,
                )
            browser.close()
    finally:
        stop_server(proc)
    summary = {
        p: {k: round(statistics.median(v), 3) for k, v in r.items()} for p, r in results.items()
    }
    payload = {"runs": args.runs, "median_seconds": summary, "raw_seconds": results}
    text = json.dumps(payload, indent=2)
    if args.out:
        args.out.write_text(text)
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
