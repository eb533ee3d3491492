"""Map benchmark: Playwright + Debian's headless Chromium against `streamlit run dashboard.py`.

Measures, on a warm server (the app has run once before the first measurement, and the
server's idle-time warm-up that run started is over: ``benchmarks.server.wait_quiet``):

1. time to first map: from ``page.goto(.../peta)`` in a fresh browser context (empty cache) to
   every kecamatan path of the choropleth painted with its fill, whether by the component's
   first paint or by Plotly (and, reported apart, until Plotly has drawn it); and the same for
   a returning browser (HTTP cache already holding Plotly.js and the GeoJSON);
2. settle time after an indicator change: from clicking another indicator in the sidebar to
   the map showing the new fills with the script finished (each change goes to an indicator
   not yet shown in the session);
3. bytes per indicator change (between the click and the settle): the websocket frames'
   payloads as the browser receives them (after permessage-deflate is undone), and the bytes
   the server's TCP sockets sent (the kernel's ``tcp_info.bytes_sent``, read with ``ss``):
   what crosses the network.

4. the floor: Streamlit's own page with one line of text (``st.write``), served the same way
   with the project's ``.streamlit/config.toml`` from a temporary folder, from ``page.goto``
   in a fresh context until the text is shown and the script has finished. The issue's aim
   is "first map <= 1.5 s, i.e. <= floor + 0.55 s": the difference depends much less on how
   busy the shared machine is than either time alone.

Each figure is the median of ``--runs`` runs (default 5). ``--rtt MS`` puts a relay between
the browser and the server (and the floor's server) that holds every chunk of bytes for half
of ``MS`` in each direction: a round trip as on an office network, for every connection the
page opens (loopback alone has none, which hides the cost of each request that waits for
another). Run from the project root:

    .venv/bin/python benchmarks/map/bench_map.py [--runs 5] [--json out.json] [--rtt MS]
        [--url URL --server-pid PID[,PID...]] [--page peta|beranda]

``--page beranda`` times the first map of Beranda (the small map of the landing page)
instead of Peta's; the changes are measured on Peta either way.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

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

from benchmarks.relay import LoopbackRelay  # noqa: E402
from benchmarks.server import wait_quiet  # noqa: E402

KEC = r"/^35\.\d\d\.\d\d$/"
FILLS = (
    "() => [...document.querySelectorAll('.js-plotly-plot .choroplethlocation')]"
    f".filter(p => p.__data__ && {KEC}.test(p.__data__.loc) && p.getAttribute('fill'))"
    ".map(p => p.getAttribute('fill')).join()"
)
COUNT = (
    "() => [...document.querySelectorAll('.js-plotly-plot .choroplethlocation')]"
    f".filter(p => p.__data__ && {KEC}.test(p.__data__.loc) && p.getAttribute('fill')).length"
)
#: Kecamatan painted with a fill, by Plotly or by the component's first paint before Plotly
#: has loaded (``.rbk-map-preview``, the same paths: tests/browser/test_map_browser.py).
PAINTED = (
    f"() => Math.max(({COUNT})(), [...document.querySelectorAll('.rbk-map-preview path')]"
    f".filter(p => {KEC}.test(p.getAttribute('data-code')) && p.getAttribute('fill')).length)"
)
INDICATORS = ("persentase_penduduk_miskin", "cakupan_pkh")
#: Indicators visited one after another for the change measurements (each one new to the
#: session, so nothing can come from the browser's message cache).
CHANGES = (
    "cakupan_pkh",
    "cakupan_bpnt",
    "cakupan_pbi_jkn",
    "akses_air_minum_layak",
    "akses_sanitasi_layak",
    "rasio_elektrifikasi",
    "akses_fasilitas_kesehatan",
    "akses_smp",
    "kepadatan_penduduk",
    "pdrb_per_kapita",
)


class LatencyRelay(LoopbackRelay):
    """A TCP relay on a free loopback port to the server of ``target`` (a URL) that delivers
    each chunk of bytes ``rtt_ms / 2`` after it arrived, in each direction and in order: every
    connection through it has a round-trip time of ``rtt_ms`` (bandwidth unlimited).

    Use as a context manager (it runs its own event loop in a thread, since the browser is
    driven synchronously); ``url`` is ``target`` with the relay's address.
    """

    def __init__(self, target: str, rtt_ms: float):
        super().__init__(target)
        self.delay = rtt_ms / 2000
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> LatencyRelay:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the latency relay did not start")
        return self

    def __exit__(self, *exc) -> None:
        asyncio.run_coroutine_threadsafe(self.stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self.start())
        self._ready.set()
        self.loop.run_forever()
        self.loop.close()

    async def relay(self, client_reader, client_writer, server_reader, server_writer) -> None:
        await asyncio.gather(
            self._pump(client_reader, server_writer), self._pump(server_reader, client_writer)
        )

    async def _pump(self, reader, writer) -> None:
        """Copy ``reader`` to ``writer``, each chunk ``delay`` after it was read; at the end
        of ``reader``, end ``writer`` (as late)."""
        queue: asyncio.Queue = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, data = await queue.get()
                await asyncio.sleep(max(0.0, due - time.monotonic()))
                if not data:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()

        delivery = asyncio.create_task(deliver())
        try:
            while data := await reader.read(65536):
                queue.put_nowait((time.monotonic() + self.delay, data))
        finally:
            queue.put_nowait((time.monotonic() + self.delay, b""))
            with contextlib.suppress(OSError, RuntimeError):
                await delivery


def relayed(base: str, rtt_ms: float) -> contextlib.AbstractContextManager:
    """A :class:`LatencyRelay` to ``base`` when ``rtt_ms`` > 0, else nothing in between (the
    context value has ``url``)."""
    if rtt_ms > 0:
        return LatencyRelay(base, rtt_ms)
    return contextlib.nullcontext(argparse.Namespace(url=base))


#: The pages whose first map is timed (``--page``): the path and query opened.
PAGES = {"peta": f"peta?ind={INDICATORS[0]}", "beranda": f"?ind={INDICATORS[0]}"}


def first_map(browser, base: str, context=None, page_name: str = "peta") -> tuple[float, float]:
    """Seconds from navigation to ``page_name`` until the map is painted (every kecamatan with
    its fill, by either renderer) and until Plotly has drawn it (hover, zoom and clicks work)."""
    own = context is None
    context = context or browser.new_context(viewport={"width": 1400, "height": 950})
    page = instrument(context.new_page())
    t0 = time.perf_counter()
    page.goto(f"{base}/{PAGES[page_name]}", wait_until="commit")
    page.wait_for_function(f"() => ({PAINTED})() >= 666", timeout=120_000, polling="raf")
    painted = time.perf_counter() - t0
    page.wait_for_function(f"() => ({COUNT})() >= 666", timeout=120_000, polling="raf")
    drawn = time.perf_counter() - t0
    assert not page.external_requests, page.external_requests
    if own:
        context.close()
    else:
        page.close()
    return painted, drawn


FLOOR_APP = 'import streamlit as st\n\nst.write("Jawa Timur")\n'


def floor(browser, runs: int, rtt_ms: float = 0) -> list[float]:
    """Time to Streamlit's own one-line page in fresh contexts (see the module docstring)."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="rbk-floor-") as tmp:
        (Path(tmp) / ".streamlit").mkdir()
        shutil.copy(ROOT / ".streamlit" / "config.toml", Path(tmp) / ".streamlit")
        (Path(tmp) / "app.py").write_text(FLOOR_APP)
        proc, server = start_server(script="app.py", cwd=Path(tmp))
        try:
            with relayed(server, rtt_ms) as relay:
                return _floor_runs(browser, relay.url, runs)
        finally:
            stop_server(proc)


def _floor_runs(browser, base: str, runs: int) -> list[float]:
    times = []
    for k in range(runs + 1):  # the first one warms the server
        context = browser.new_context(viewport={"width": 1400, "height": 950})
        page = context.new_page()
        t0 = time.perf_counter()
        page.goto(base, wait_until="commit")
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=stMarkdown]')]"
            ".some(e => e.textContent.includes('Jawa Timur'))"
            " && document.querySelector('[data-testid=stApp]')"
            ".getAttribute('data-test-script-state') === 'notRunning'",
            timeout=60_000,
            polling="raf",
        )
        if k:
            times.append(time.perf_counter() - t0)
        context.close()
    return times


def bytes_sent(base: str) -> dict[str, int]:
    """Bytes each established TCP connection of the server has sent so far (``ss -ti``), by
    the client's address."""
    port = urlparse(base).port
    out = subprocess.run(
        ["ss", "-tinH", "state", "established", f"( sport = :{port} )"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pairs = re.findall(r"(\S+:\d+)[ \t]*\n[^\n]*?bytes_sent:(\d+)", out)
    return {peer: int(n) for peer, n in pairs}


def wire_bytes(before: dict[str, int], after: dict[str, int]) -> int:
    """Bytes sent between two :func:`bytes_sent` readings (a connection opened in between
    counts from zero)."""
    return sum(n - before.get(peer, 0) for peer, n in after.items())


def choose_indicator(page, name: str) -> None:
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").nth(1)
    box.click()
    page.keyboard.type(name)  # the list is virtualised: type, as a person does, to reach it
    option = page.locator("[role='option']").filter(has_text=name).first
    option.wait_for()
    option.click()


def changes(
    browser, base: str, runs: int, pids: list[int]
) -> tuple[list[float], list[int], list[int]]:
    import store

    names = store.catalogue()["name_id"].to_dict()
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    page = instrument(context.new_page())
    received: list[int] = []

    def on_ws(ws):
        ws.on(
            "framereceived",
            lambda payload: received.append(
                len(payload) if isinstance(payload, bytes | bytearray) else len(payload.encode())
            ),
        )

    page.on("websocket", on_ws)
    open_app(page, base, "peta", f"ind={INDICATORS[0]}")
    page.wait_for_function(f"() => ({COUNT})() >= 666", timeout=120_000)
    if pids:  # a person looks at the map a moment; the server warms the other indicators
        wait_quiet(pids)
    settle, sizes, wire = [], [], []
    for target in CHANGES[: runs + 1]:
        before = page.evaluate(FILLS)
        page.wait_for_timeout(300)
        received.clear()
        sent_before = bytes_sent(base)
        choose_indicator(page, names[target])
        t0 = time.perf_counter()
        page.wait_for_function(
            f"(before) => document.querySelector('[data-testid=\"stApp\"]')"
            f".getAttribute('data-test-script-state') === 'notRunning'"
            f" && ({COUNT})() >= 666 && ({FILLS})() !== before",
            arg=before,
            timeout=60_000,
            polling="raf",
        )
        elapsed = time.perf_counter() - t0
        page.wait_for_timeout(500)  # late frames of the same rerun
        settle.append(elapsed)
        sizes.append(sum(received))
        wire.append(wire_bytes(sent_before, bytes_sent(base)))
    wait_idle(page)
    assert not page.external_requests, page.external_requests
    context.close()
    return settle, sizes, wire


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--url", help="a running server, e.g. make serve's nginx (default: start one)"
    )
    parser.add_argument(
        "--rtt", type=float, default=0, help="round-trip time (ms) added by a relay (default 0)"
    )
    parser.add_argument(
        "--page",
        choices=sorted(PAGES),
        default="peta",
        help="the page whose first map is timed (the changes are always Peta's; default peta)",
    )
    parser.add_argument(
        "--server-pid",
        help="with --url: the process ids of the Streamlit replicas behind it (make serve's "
        "state.json lists them), whose idle-time warm-up the benchmark waits for",
    )
    args = parser.parse_args()
    if args.url and not args.server_pid:
        parser.error("--url needs --server-pid (the warm-up to wait for)")
    from playwright.sync_api import sync_playwright

    proc, server = (None, args.url.rstrip("/")) if args.url else start_server()
    pids = [int(p) for p in args.server_pid.split(",")] if args.url else [proc.pid]
    try:
        with relayed(server, args.rtt) as relay, sync_playwright() as pw:
            base = relay.url
            browser = launch_browser(pw)
            first_map(browser, base, page_name=args.page)  # warm: imports, caches, static copy
            warm_up_s = wait_quiet(pids)  # the idle-time warm-up that first run started
            fresh = [first_map(browser, base, page_name=args.page) for _ in range(args.runs)]
            firsts, plotly_firsts = [f[0] for f in fresh], [f[1] for f in fresh]
            returning = browser.new_context(viewport={"width": 1400, "height": 950})
            first_map(browser, base, returning, args.page)  # fills this browser's HTTP cache
            cached = [first_map(browser, base, returning, args.page)[0] for _ in range(args.runs)]
            returning.close()
            settle, sizes, wire = changes(browser, base, args.runs, pids)
            floors = floor(browser, args.runs, args.rtt)
            browser.close()
    finally:
        if proc is not None:
            stop_server(proc)
    result = {
        "url": args.url or "streamlit run dashboard.py",
        "page": args.page,
        "runs": args.runs,
        "rtt_ms": args.rtt,
        "load_average_1min": os.getloadavg()[0],
        "warm_up_wait_s": warm_up_s,
        "first_map_s": {"median": statistics.median(firsts), "all": firsts},
        "first_map_plotly_drawn_s": {
            "median": statistics.median(plotly_firsts),
            "all": plotly_firsts,
        },
        "floor_s": {"median": statistics.median(floors), "all": floors},
        "first_map_minus_floor_s": statistics.median(firsts) - statistics.median(floors),
        "first_map_http_cache_warm_s": {"median": statistics.median(cached), "all": cached},
        "settle_after_indicator_change_s": {"median": statistics.median(settle), "all": settle},
        "ws_payload_bytes_per_change": {"median": statistics.median(sizes), "all": sizes},
        "wire_bytes_per_change": {"median": statistics.median(wire), "all": wire},
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
