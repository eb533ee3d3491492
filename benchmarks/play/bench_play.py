"""Benchmark: how long the Peta play button takes to advance one year in a real browser.

Run: ``.venv/bin/python benchmarks/play/bench_play.py --runs 5 --out benchmarks/play/results.json``
(see README.md for the method).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]

from browser_harness import launch_browser, open_app, start_server, stop_server, wait_idle  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

INDICATOR = "persentase_penduduk_miskin"
RECORD = """() => {
  window.__drawn = [];
  const root = document.querySelector('.rbk-plotly-map');
  new MutationObserver(() => window.__drawn.push([root.getAttribute('data-drawn'), performance.now()]))
    .observe(root, {attributes: true, attributeFilter: ['data-drawn']});
}"""


def one_run(page, base: str, first: int) -> list[float]:
    """Seconds between the draws of consecutive years during one play (first to last)."""
    open_app(page, base, "peta", f"ind={INDICATOR}&year={first}")
    page.wait_for_function(
        f"() => (document.querySelector('.rbk-plotly-map')?.getAttribute('data-drawn') || '')"
        f".includes('|{first}|')",
        timeout=60_000,
    )
    page.evaluate(RECORD)
    page.get_by_role("button", name="Putar").click()
    page.get_by_role("button", name="Berhenti").wait_for(timeout=30_000)
    page.get_by_role("button", name="Putar").wait_for(timeout=120_000)
    wait_idle(page)
    seen: dict[int, float] = {}
    for revision, at in page.evaluate("() => window.__drawn"):
        seen.setdefault(int(revision.split("|")[2]), at)
    years = sorted(seen)
    return [(seen[b] - seen[a]) / 1000 for a, b in zip(years, years[1:], strict=False)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    proc, base = start_server()
    try:
        with sync_playwright() as pw:
            browser = launch_browser(pw)
            page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
            one_run(page, base, 2018)  # warm-up: caches of every year filled
            runs = [one_run(page, base, 2018) for _ in range(args.runs)]
            browser.close()
    finally:
        stop_server(proc)
    steps = [s for run in runs for s in run]
    result = {
        "indicator": INDICATOR,
        "runs": runs,
        "median_step_s": statistics.median(steps),
        "max_step_s": max(steps),
        "median_of_run_medians_s": statistics.median(statistics.median(r) for r in runs),
    }
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
