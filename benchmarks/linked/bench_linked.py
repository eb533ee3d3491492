"""Benchmark: from the end of a brush on the Klassen scatter to the map outlining the brushed
regions (Ketimpangan's linked views), in headless Chromium.

Run from the project root after ``make data``::

    .venv/bin/python benchmarks/linked/bench_linked.py [--runs 5] [--out results.json]

It starts ``streamlit run dashboard.py`` on a free localhost port (the browser tests'
harness), opens Ketimpangan's Klassen section at each level, and drags a box over the scatter
with the mouse, alternating between two boxes so that every brush changes the selection. The
time runs from the mouse button's release until the map's ``selected`` trace has changed
(new outlined regions drawn) and Streamlit reports the script as not running (that the
outlined regions are exactly the brushed ones is the browser test's job,
``tests/browser/test_linked_views_browser.py``).
For comparison it also times a switch of the section's growth reference (radio), which
redraws the same two charts without a brush. One warm-up per level and kind; each figure is
the median of ``--runs``.
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

from browser_harness import launch_browser, open_app, start_server, stop_server  # noqa: E402

#: Two boxes (fractions of the scatter's plot area: left, top, right, bottom).
BOXES = [(0.55, 0.2, 0.9, 0.75), (0.1, 0.45, 0.5, 0.95)]
POINTS = """(box) => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => (g._fullData || [])
    .some(tr => tr.type === 'scatter' && tr.customdata));
  const a = gd.querySelector('.nsewdrag').getBoundingClientRect();
  const [l, t, r, b] = [a.x + box[0] * a.width, a.y + box[1] * a.height,
                        a.x + box[2] * a.width, a.y + box[3] * a.height];
  const inside = [];
  gd.querySelectorAll('.scatterlayer .trace').forEach(group => {
    const trace = group.__data__ && group.__data__[0] && group.__data__[0].trace;
    if (!trace || !trace.customdata) return;
    group.querySelectorAll('path.point').forEach(p => {
      const q = p.getBoundingClientRect(), x = q.x + q.width / 2, y = q.y + q.height / 2;
      if (x > l && x < r && y > t && y < b) inside.push(String(trace.customdata[p.__data__.i][0]));
    });
  });
  return {box: [l, t, r, b], inside: inside.sort()};
}"""
OUTLINED = """() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => (g._fullData || [])
    .some(tr => tr.type === 'choropleth'));
  const sel = gd && gd._fullData.find(tr => tr.name === 'selected');
  return sel ? JSON.stringify(sel.locations.map(String).sort()) : '[]';
}"""
DONE = f"""(before) => {{
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  return ({OUTLINED})() !== before;
}}"""


def brush(page, box) -> tuple[float, int]:
    """Brush ``box``; return the seconds until the map outlines a new selection, and the
    number of regions outlined."""
    drawn = page.evaluate(POINTS, list(box))
    before = page.evaluate(OUTLINED)
    left, top, right, bottom = drawn["box"]
    page.mouse.move(left, top)
    page.mouse.down()
    page.mouse.move(right, bottom, steps=10)
    start = time.perf_counter()
    page.mouse.up()
    page.wait_for_function(DONE, arg=before, timeout=120_000, polling=20)
    elapsed = time.perf_counter() - start
    return elapsed, len(json.loads(page.evaluate(OUTLINED)))


SHAPES = """() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => (g._fullData || [])
    .some(tr => tr.type === 'scatter' && tr.customdata));
  return gd ? JSON.stringify(gd._fullLayout.shapes.map(s => [s.x0, s.y0])) : '';
}"""
REDRAWN = f"""(before) => {{
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const now = ({SHAPES})();
  return now !== '' && now !== before;
}}"""
#: The two growth references of the Klassen section (radio labels in Bahasa Indonesia).
REFERENCES = (
    "Dihitung: pertumbuhan jumlah PDRB 38 kabupaten/kota", "Pertumbuhan yang dipublikasikan BPS"
)


def redraw(page, i: int) -> float:
    """Switch the growth reference (the same two charts redrawn without a brush): seconds
    until the scatter's reference lines have moved and the script is idle."""
    before = page.evaluate(SHAPES)
    start = time.perf_counter()
    page.get_by_text(REFERENCES[i % 2], exact=True).click()
    page.wait_for_function(REDRAWN, arg=before, timeout=120_000, polling=20)
    return time.perf_counter() - start


def run(runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    proc, base = start_server()
    results = {}
    try:
        with sync_playwright() as pw:
            browser = launch_browser(pw)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            for level in ("kecamatan", "kabupaten"):
                open_app(page, base, "ketimpangan", f"level={level}")
                page.get_by_text("Tipologi Klassen", exact=True).click()
                page.wait_for_function(
                    "() => document.querySelectorAll('.js-plotly-plot .choroplethlocation')"
                    ".length > 30",
                    timeout=60_000,
                )
                page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
                page.wait_for_timeout(500)
                brush(page, BOXES[1])  # warm-up
                done = [brush(page, BOXES[i % 2]) for i in range(runs)]
                times = [d[0] for d in done]
                redraws = [redraw(page, i) for i in range(runs + 1)][1:]  # first: warm-up
                results[level] = {
                    "runs": times, "outlined": [d[1] for d in done], "median": statistics.median(times),
                    "reference_runs": redraws, "reference_median": statistics.median(redraws),
                }
            browser.close()
    finally:
        stop_server(proc)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    results = run(args.runs)
    for level, r in results.items():
        print(f"{level:10s} brush median {r['median']:.2f} s  runs {[round(t, 2) for t in r['runs']]}"
              f"  reference median {r['reference_median']:.2f} s")
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
