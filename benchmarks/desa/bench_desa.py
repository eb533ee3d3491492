"""Desa map benchmark: display layer sizes, the desa map of one kabupaten in the app, and the
first draw of all 8,494 desa of the province (SVG ``geo`` against WebGL ``choroplethmap``).

1. **Layer size**: for every ``data/build/geo/desa_display/<kab>.geojson`` and the province
   file ``desa_display.geojson``: bytes raw, bytes gzipped (level 6, what a server sends
   compressed), features and vertices (every coordinate pair of every ring).
2. **One kabupaten in the app** (Playwright + Debian's headless Chromium against
   ``streamlit run dashboard.py``): the Peta page at ``level=desa`` is open on one
   kabupaten; the kabupaten is changed in the sidebar picker to one not shown yet in the
   session (its GeoJSON not yet in the browser); the time runs from the click on the option
   until every desa path of the new kabupaten is drawn with its fill and the script has
   finished.
3. **The whole province, first draw**: a static page (served on localhost by Python's
   ``http.server``) with the app's Plotly.js bundle draws the 8,494 desa from the province
   GeoJSON, classes as in the app (a discrete colour scale, white edges), in a fresh browser
   context: (a) SVG ``choropleth`` on ``geo`` as the app draws, until 8,494 paths carry
   their fill; (b) WebGL ``choroplethmap`` with an empty offline style (no tiles, no fonts),
   with the full Plotly.js bundle (the geo-only one has no ``choroplethmap``), until the
   map's ``idle`` event (everything rendered). Both from ``page.goto`` in a fresh context.

Medians of ``--runs`` runs (default 5). Run from the project root:

    .venv/bin/python benchmarks/desa/bench_desa.py [--runs 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT))

from browser_harness import (  # noqa: E402
    instrument,
    launch_browser,
    open_app,
    start_server,
    stop_server,
    wait_idle,
)

import settings  # noqa: E402

DESA_DIR = settings.GEO_DIR / "desa_display"
PROVINCE = settings.GEO_DIR / "desa_display.geojson"
#: The kabupaten visited one after another (each new to the session): larger ones, up to
#: 390 desa (Kabupaten Malang); the first is where the page opens.
KABUPATEN = ("35.01", "35.07", "35.14", "35.25", "35.15", "35.06", "35.29", "35.13")

DESA = r"/^35\.\d\d\.\d\d\.\d{4}$/"


def drawn(prefix: str) -> str:
    """JS: the number of desa paths of kabupaten ``prefix`` drawn with a fill."""
    return (
        "() => [...document.querySelectorAll('.js-plotly-plot .choroplethlocation')]"
        f".filter(p => p.__data__ && {DESA}.test(p.__data__.loc)"
        f" && p.__data__.loc.startsWith('{prefix}.') && p.getAttribute('fill')).length"
    )


# --------------------------------------------------------------------------- sizes


def vertices(geometry: dict) -> int:
    """Coordinate pairs of a Polygon or MultiPolygon (closing points included)."""
    rings = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        return sum(len(r) for r in rings)
    return sum(len(r) for poly in rings for r in poly)


def layer_size(path: Path) -> dict:
    raw = path.read_bytes()
    features = json.loads(raw)["features"]
    return {
        "bytes": len(raw),
        "gzip_bytes": len(gzip.compress(raw, 6)),
        "features": len(features),
        "vertices": sum(vertices(f["geometry"]) for f in features),
    }


def sizes() -> dict:
    per_kab = {p.stem: layer_size(p) for p in sorted(DESA_DIR.glob("35.*.geojson"))}
    return {"province": layer_size(PROVINCE), "kabupaten": per_kab}


# --------------------------------------------------------------------------- in the app


def choose_kabupaten(page, name: str) -> None:
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").nth(1)
    box.click()
    page.keyboard.type(name)  # the list is virtualised: narrow it, as a person would
    option = page.locator("[role='option']").filter(has_text=name).first
    option.wait_for()
    option.click()


def kabupaten_changes(browser, base: str, runs: int) -> list[dict]:
    import regions

    names = regions.kabupaten().set_index("kode")["nama"].to_dict()
    counts = regions.desa().groupby("kab_kode").size().to_dict()
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    page = instrument(context.new_page())
    first = KABUPATEN[0]
    open_app(page, base, "peta", f"level=desa&kab={first}")
    page.wait_for_function(f"() => ({drawn(first)})() >= {counts[first]}", timeout=120_000)
    out = []
    for kab in KABUPATEN[1 : runs + 1]:
        page.wait_for_timeout(300)
        choose_kabupaten(page, names[kab])
        t0 = time.perf_counter()
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stApp\"]')"
            ".getAttribute('data-test-script-state') === 'notRunning'"
            f" && ({drawn(kab)})() >= {counts[kab]}",
            timeout=60_000,
            polling="raf",
        )
        out.append({"kab": kab, "desa": counts[kab], "s": time.perf_counter() - t0})
    wait_idle(page)
    assert not page.external_requests, page.external_requests
    context.close()
    return out


# --------------------------------------------------------------------------- province

PAGE = """<!doctype html><html><head><meta charset="utf-8"><script src="{bundle}"></script>
</head><body><div id="map" style="width:1100px;height:620px"></div><script>
const KIND = "{kind}";
const COLORS = ["#ffffd9", "#c7e9b4", "#41b6c4", "#225ea8", "#081d58"];
const scale = COLORS.flatMap((c, i) => [[i / 5, c], [(i + 1) / 5, c]]);
fetch("desa.geojson").then(r => r.json()).then(gj => {{
  const locs = gj.features.map(f => f.id);
  const z = locs.map((_, i) => i % 5);
  const common = {{locations: locs, z: z, zmin: -0.5, zmax: 4.5, colorscale: scale,
    showscale: false, featureidkey: "id", marker: {{line: {{color: "#fff", width: 0.3}}}}}};
  if (KIND === "geo") {{
    Plotly.newPlot("map", [Object.assign({{type: "choropleth", geojson: "desa.geojson"}}, common)],
      {{geo: {{visible: false, fitbounds: "locations", projection: {{type: "mercator"}}}},
        margin: {{l: 0, r: 0, t: 0, b: 0}}}}, {{topojsonURL: "topojson/"}});
  }} else {{
    Plotly.newPlot("map", [Object.assign({{type: "choroplethmap", geojson: gj}}, common)],
      {{map: {{style: {{version: 8, sources: {{}}, layers: []}}, center: {{lon: 112.7, lat: -7.6}},
        zoom: 6.6}}, margin: {{l: 0, r: 0, t: 0, b: 0}}}}).then(gd => {{
      const m = gd._fullLayout.map._subplot.map;
      m.once("idle", () => {{ window.__idle = true; }});
      m.triggerRepaint();  // an idle event after everything drawn, even if one came before
    }});
  }}
}});
</script></body></html>"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # no access log on the benchmark's output
        pass


def serve(directory: Path):
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def province_draws(browser, runs: int) -> dict:
    import plotly

    full = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    geo_bundle = sorted((settings.STATIC_DIR / "generated").glob("plotly-geo-*.min.js"))
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        shutil.copyfile(PROVINCE, d / "desa.geojson")
        shutil.copytree(settings.STATIC_DIR / "topojson", d / "topojson")
        shutil.copyfile(full, d / "plotly.min.js")
        bundle = "plotly.min.js"
        if geo_bundle:
            shutil.copyfile(geo_bundle[-1], d / "plotly-geo.min.js")
            bundle = "plotly-geo.min.js"
        (d / "geo.html").write_text(PAGE.format(bundle=bundle, kind="geo"))
        (d / "map.html").write_text(PAGE.format(bundle="plotly.min.js", kind="map"))
        server, base = serve(d)
        n = len(json.loads(PROVINCE.read_text())["features"])
        waits = {
            "geo": (
                "() => [...document.querySelectorAll('.choroplethlocation')]"
                f".filter(p => p.getAttribute('fill')).length >= {n}"
            ),
            "map": "() => window.__idle === true",
        }
        result = {"geo_bundle": bundle}
        try:
            for kind, wait in waits.items():
                times = []
                for _ in range(runs + 1):  # the first one warms the OS file cache
                    context = browser.new_context(viewport={"width": 1400, "height": 950})
                    page = context.new_page()
                    t0 = time.perf_counter()
                    page.goto(f"{base}/{kind}.html", wait_until="commit")
                    page.wait_for_function(wait, timeout=180_000, polling="raf")
                    times.append(time.perf_counter() - t0)
                    context.close()
                result[kind] = times[1:]
        finally:
            server.shutdown()
    return result


def med(xs):
    return statistics.median(xs) if xs else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    layer = sizes()
    load = [os.getloadavg()[0]]
    proc, base = start_server()
    try:
        with sync_playwright() as pw:
            browser = launch_browser(pw)
            changes = kabupaten_changes(browser, base, args.runs)
            load.append(os.getloadavg()[0])
            province = province_draws(browser, args.runs)
            load.append(os.getloadavg()[0])
            browser.close()
    finally:
        stop_server(proc)
    kab = list(layer["kabupaten"].values())
    result = {
        "runs": args.runs,
        "load_average_1min": load,
        "kabupaten_change_s": {"median": med([c["s"] for c in changes]), "all": changes},
        "province_first_draw_svg_geo_s": {"median": med(province["geo"]), "all": province["geo"]},
        "province_first_draw_webgl_choroplethmap_s": {
            "median": med(province["map"]),
            "all": province["map"],
        },
        "svg_geo_bundle": province["geo_bundle"],
        "layer_province": layer["province"],
        "layer_kabupaten_median": {k: med([x[k] for x in kab]) for k in kab[0]},
        "layer_kabupaten_max": {k: max(x[k] for x in kab) for k in kab[0]},
        "layer_kabupaten": layer["kabupaten"],
    }
    print(json.dumps({k: v for k, v in result.items() if k != "layer_kabupaten"}, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
