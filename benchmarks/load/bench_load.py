"""Load benchmark: N sessions arriving within a time window, each opening ``/peta`` and
changing the indicator twice.

Run from the project root after ``make data``::

    .venv/bin/python benchmarks/load/bench_load.py [--sessions 1,10,25,50] [--window 10]
        [--choices same|random]
        [--browser-sample 10] [--browser-during 50,3] [--url http://localhost:8501] [--out results.json]

Without ``--url`` it starts ``streamlit run dashboard.py`` on a free localhost port (the
browser tests' harness) and samples that process's memory and CPU time from ``/proc``.

Clients speak Streamlit's own websocket protocol with the installed ``streamlit`` package's
protobufs (``BackMsg``/``ForwardMsg``), as the browser does: a ``rerun_script`` for the page,
then, for each indicator change, a ``rerun_script`` carrying the indicator selectbox's new
value (its id and options are read from the page's own delta messages). A step ends at the
page's final ``script_finished`` (runs that end early for a rerun — the router's first
``st.rerun`` — are followed to the run that finishes). So the load generator costs little
CPU (it parses protobufs and never renders) and the figures are the server's.

Per N it reports the median and p95 of: time to the page's ``script_finished`` on opening
``/peta`` and on each indicator change, errors (exception elements, closed sockets, steps
over the timeout), peak server RSS, the server's CPU seconds, and memory per idle session
(RSS with all N sessions open and idle minus RSS before, over N). Before the runs: the
server CPU time of one lone ``/peta`` run, cold (first run after start) and warm.

``--browser-sample K`` then opens ``/peta`` in K fresh Chromium contexts arriving over the
same window and reports the time until the page's script has finished with the map element
in the page (what the protocol clients time, seen from a browser: it includes loading the
page's own JavaScript) and the time to a drawn map (every kecamatan path in the DOM).
``--browser-during N,K`` opens K Chromium contexts while N protocol sessions arrive in the same
window: what a person sees on a loaded server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from browser_harness import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server  # noqa: E402

#: ``ForwardMsg.script_finished`` value of a run that stopped because another run follows.
FINISHED_EARLY_FOR_RERUN = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
INDICATOR_KEY = "-indicator"  # the indicator selectbox's user key, at the end of its id
HEADING = "\u2500\u2500"  # the picker's heading line, "── data ilustrasi ──"
STEP_TIMEOUT = 180.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Session:
    """What one protocol-level session measured."""

    arrival: float
    open_s: float | None = None
    change_s: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    finished: bool = False  # measured (or failed): now idle until released


class Client:
    """One websocket session speaking Streamlit's protocol."""

    def __init__(self, base: str, page: str = "peta"):
        self.base, self.page = base, page
        self.ws = None
        self.indicator: tuple[str, list[str], int] | None = None  # id, options, current
        self.exceptions: list[str] = []

    async def __aenter__(self):
        url = self.base.replace("http", "ws", 1) + "/_stcore/stream"
        self.ws = await websockets.connect(
            url, subprotocols=["streamlit"], origin=self.base, max_size=None
        )
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()

    async def run(self, widget_value: str | None = None) -> float:
        """Ask for a run (optionally with a new indicator); seconds to its final finish."""
        msg = BackMsg()
        state = msg.rerun_script
        state.page_name = self.page
        state.context_info.url = f"{self.base}/{self.page}"
        if widget_value is not None:
            widget = state.widget_states.widgets.add()
            widget.id = self.indicator[0]
            widget.string_value = widget_value
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self.ws.recv(), STEP_TIMEOUT))
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self._read_element(fwd.delta.new_element)
            elif kind == "script_finished" and fwd.script_finished != FINISHED_EARLY_FOR_RERUN:
                return time.perf_counter() - start

    def _read_element(self, element) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.exceptions.append(element.exception.message[:200])
        elif kind == "selectbox" and element.selectbox.id.endswith(INDICATOR_KEY):
            box = element.selectbox
            current = box.raw_value if box.HasField("raw_value") else box.options[box.default]
            self.indicator = (box.id, list(box.options), list(box.options).index(current))


async def one_session(
    base: str, s: Session, changes: int, hold: asyncio.Event, rng: random.Random | None = None
) -> Session:
    """Open ``/peta``, change the indicator ``changes`` times, then stay idle until ``hold``.

    Every session takes the next indicators of the list, unless ``rng`` draws them at random
    (``--choices random``: other sessions have seldom drawn the same map before).
    """
    await asyncio.sleep(s.arrival)
    try:
        async with Client(base) as c:
            s.open_s = await c.run()
            for k in range(changes):
                if c.indicator is None:
                    s.errors.append("no indicator selectbox")
                    break
                _, options, current = c.indicator
                if rng is None:
                    wanted = options[(current + 1 + k) % len(options)]
                else:
                    # not the picker's "illustrative data" heading (it stands for the next one)
                    wanted = rng.choice(
                        [o for i, o in enumerate(options) if i != current and HEADING not in o]
                    )
                s.change_s.append(await c.run(wanted))
                if c.indicator is None or c.indicator[1][c.indicator[2]] != wanted:
                    s.errors.append(f"the indicator did not change to {wanted!r}")
            s.errors += [f"exception: {m}" for m in c.exceptions]
            s.finished = True
            await hold.wait()
    except (OSError, TimeoutError, websockets.WebSocketException) as exc:
        s.errors.append(f"{type(exc).__name__}: {exc}")
    s.finished = True
    return s


class ServerProbe:
    """RSS and CPU seconds of the server process, read from /proc."""

    def __init__(self, pid: int | None):
        self.pid = pid
        self.peak = 0

    def rss_mb(self) -> float | None:
        if self.pid is None:
            return None
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return None

    def cpu_s(self) -> float | None:
        if self.pid is None:
            return None
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    async def sample(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.peak = max(self.peak, self.rss_mb() or 0)
            await asyncio.sleep(0.25)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


async def load_round(
    base: str, n: int, window: float, probe: ServerProbe, seed: int, choices: str = "same"
) -> dict:
    rng = random.Random(seed)
    arrivals = sorted(rng.uniform(0, window) for _ in range(n)) if n > 1 else [0.0]
    hold, stop = asyncio.Event(), asyncio.Event()
    rss_before, cpu_before = probe.rss_mb(), probe.cpu_s()
    sampler = asyncio.create_task(probe.sample(stop))
    sessions = [Session(a) for a in arrivals]
    pickers = [random.Random(seed * 1000 + i) if choices == "random" else None for i in range(n)]
    tasks = [
        asyncio.create_task(one_session(base, s, 2, hold, rng))
        for s, rng in zip(sessions, pickers, strict=True)
    ]
    while not all(s.finished for s in sessions):  # every session measured, now idle
        await asyncio.sleep(0.5)
    await asyncio.sleep(2)  # let the server settle with every session open and idle
    rss_idle = probe.rss_mb()
    hold.set()
    await asyncio.gather(*tasks)
    stop.set()
    await sampler
    opens = [s.open_s for s in sessions if s.open_s is not None]
    changes = [c for s in sessions for c in s.change_s]
    every = opens + changes
    errors = [e for s in sessions for e in s.errors]
    out = {
        "sessions": n,
        "window_s": window,
        "choices": choices,
        "open_median_s": _r(statistics.median(opens)) if opens else None,
        "open_p95_s": _r(percentile(opens, 95)),
        "change_median_s": _r(statistics.median(changes)) if changes else None,
        "change_p95_s": _r(percentile(changes, 95)),
        "all_steps_median_s": _r(statistics.median(every)) if every else None,
        "all_steps_p95_s": _r(percentile(every, 95)),
        "errors": len(errors),
        "error_samples": errors[:5],
        "server_rss_before_mb": _r(rss_before),
        "server_rss_peak_mb": _r(probe.peak),
        "memory_per_idle_session_mb": _r((rss_idle - rss_before) / n) if rss_before else None,
        "server_cpu_s": _r(probe.cpu_s() - cpu_before) if cpu_before is not None else None,
    }
    probe.peak = 0
    return out


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 3)


async def lone_run(base: str, probe: ServerProbe) -> float | None:
    """Server CPU seconds of one run of ``/peta`` in a new session."""
    before = probe.cpu_s()
    async with Client(base) as c:
        await c.run()
    await asyncio.sleep(0.3)
    return None if before is None else _r(probe.cpu_s() - before)


async def browser_sample(base: str, k: int, window: float, seed: int) -> dict:
    """Time to a drawn map of ``/peta`` in ``k`` fresh Chromium contexts."""
    from playwright.async_api import async_playwright

    finished = (
        "() => document.querySelector('[data-testid=\"stApp\"]')"
        "?.getAttribute('data-test-script-state') === 'notRunning'"
        " && document.querySelector('[data-testid=\"rbkPlotlyMap\"]') !== null"
    )
    drawn = (
        "() => document.querySelectorAll('.js-plotly-plot .choroplethlocation').length >= 600"
        " && document.querySelector('[data-testid=\"stApp\"]')"
        "?.getAttribute('data-test-script-state') === 'notRunning'"
    )
    rng = random.Random(seed)
    arrivals = sorted(rng.uniform(0, window) for _ in range(k)) if k > 1 else [0.0]
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )

        async def visit(arrival: float) -> tuple[float, float] | str:
            await asyncio.sleep(arrival)
            context = await browser.new_context(viewport={"width": 1440, "height": 900})
            page = await context.new_page()
            start = time.perf_counter()
            try:
                await page.goto(f"{base}/peta", wait_until="domcontentloaded", timeout=180_000)
                await page.wait_for_function(finished, timeout=180_000, polling=50)
                script = time.perf_counter() - start
                await page.wait_for_function(drawn, timeout=180_000, polling=50)
                return script, time.perf_counter() - start
            except Exception as exc:  # noqa: BLE001 - a benchmark counts any failure
                return f"{type(exc).__name__}: {exc}"[:200]
            finally:
                await context.close()

        results = await asyncio.gather(*(visit(a) for a in arrivals))
        await browser.close()
    ok = [r for r in results if isinstance(r, tuple)]
    script, times = [r[0] for r in ok], [r[1] for r in ok]
    return {
        "contexts": k,
        "script_finished_median_s": _r(statistics.median(script)) if script else None,
        "script_finished_p95_s": _r(percentile(script, 95)),
        "drawn_median_s": _r(statistics.median(times)) if times else None,
        "drawn_p95_s": _r(percentile(times, 95)),
        "errors": len(results) - len(ok),
    }


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }


async def main_async(args, base: str, probe: ServerProbe) -> dict:
    report = {"machine": machine(), "url": base}
    report["lone_run_server_cpu_s_cold"] = await lone_run(base, probe)
    warm = [await lone_run(base, probe) for _ in range(5)]
    report["lone_run_server_cpu_s_warm_median"] = (
        _r(statistics.median(warm)) if None not in warm else None
    )
    report["rounds"] = []
    for n in args.sessions:
        row = await load_round(base, n, args.window, probe, seed=n, choices=args.choices)
        print(json.dumps(row), flush=True)
        report["rounds"].append(row)
        await asyncio.sleep(3)
    if args.browser_sample:
        report["browser"] = await browser_sample(base, args.browser_sample, args.window, 7)
        print(json.dumps(report["browser"]), flush=True)
    if args.browser_during:
        # K browsers among N protocol sessions arriving in the same window: what a person
        # sees while the server is loaded (fewer browsers than sessions: they share the
        # machine's two cores with the server, as real users' browsers do not)
        n, k = args.browser_during
        await asyncio.sleep(3)
        row, seen = await asyncio.gather(
            load_round(base, n, args.window, probe, seed=n + 1, choices=args.choices),
            browser_sample(base, k, args.window, 11),
        )
        report["browser_during"] = {"protocol": row, "browser": seen}
        print(json.dumps(report["browser_during"]), flush=True)
    report["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return report


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sessions", default="1,10,25,50", type=lambda s: [int(x) for x in s.split(",")]
    )
    parser.add_argument("--window", type=float, default=10.0)
    parser.add_argument(
        "--choices",
        choices=("same", "random"),
        default="same",
        help="indicators each session changes to: the next ones of the list, or drawn at random",
    )
    parser.add_argument("--browser-sample", type=int, default=0)
    parser.add_argument(
        "--browser-during",
        type=lambda s: tuple(int(x) for x in s.split(",")),
        metavar="N,K",
        help="K Chromium contexts among N protocol sessions in one window (e.g. 50,3)",
    )
    parser.add_argument("--url", help="a running server (default: start one)")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("results.json"))
    args = parser.parse_args(argv)
    proc = None
    if args.url:
        base, pid = args.url.rstrip("/"), None
    else:
        proc, base = start_server()
        pid = proc.pid
    try:
        report = asyncio.run(main_async(args, base, ServerProbe(pid)))
    finally:
        if proc is not None:
            stop_server(proc)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
