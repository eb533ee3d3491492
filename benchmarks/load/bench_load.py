"""Load benchmark: N sessions arriving within a time window, each opening ``/peta`` and
changing the indicator twice.

Run from the project root after ``make data``::

    .venv/bin/python benchmarks/load/bench_load.py [--sessions 1,10,25,50] [--window 10]
        [--choices same|random] [--select] [--think S] [--page peta|beranda|profil]
        [--browser-sample 10] [--browser-during 50,3] [--pin]
        [--url http://localhost:8500 --server-pid PID] [--out results.json]

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
same window; each changes the indicator twice in the sidebar (the same indicators as the
protocol sessions). Its steps are timed as the protocol clients time theirs, from the
browser's own websocket frames (Chromium's network stack timestamps them: CDP
``Network.webSocketFrameSent``/``Received``; they include the browser's own wait, as a busy
renderer takes frames late); it also reports what the person sees: the time
from navigation to the page's script finished with the map element in it, to the first
map seen (every kecamatan painted, by the component before Plotly.js has come or by Plotly)
and to Plotly's drawn map, and the server's CPU per session. When a protocol round
of the same size ran, ``agreement`` compares the two: server CPU per session (less the idle
server's own CPU over each round's duration) and the step medians and p95.
``--browser-during N,K`` opens K Chromium contexts while N protocol sessions arrive in the same
window: what a person sees on a loaded server.

``--select`` opens each session's page with a kecamatan of its own selected (``?kec=``), so
no two sessions share a view or the maps the idle-time warm-up builds for it; ``--think S``
makes each session wait S seconds before each change, as a person looks at the map (the
warm-up works in those pauses).

``--pin`` puts the server on CPU 0 and this process with its clients and Chromium on the
other CPUs, so that browsers take no CPU from the server, as users' browsers on their own
machines do not (on two cores, ten Chromium renderers otherwise starve the server).
``--url`` measures a running server (``make serve``'s nginx); ``--server-pid`` names its one
replica for the memory and CPU figures and ``--pin``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import sys
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT))

from browser_harness import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server  # noqa: E402

import regions  # noqa: E402
from benchmarks.map.bench_map import PAINTED  # noqa: E402
from benchmarks.relay import LoopbackRelay  # noqa: E402
from benchmarks.server import cpu_seconds  # noqa: E402

#: ``ForwardMsg.script_finished`` value of a run that stopped because another run follows.
FINISHED_EARLY_FOR_RERUN = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
INDICATOR_KEY = "-indicator"  # the indicator selectbox's user key, at the end of its id
#: The first map seen: every kecamatan painted, by the component's first paint or by Plotly
#: (benchmarks/map: bench_map.PAINTED).
SEEN = f"() => ({PAINTED})() >= 666"
#: Plotly's map drawn (every kecamatan path in the DOM) and the page's script finished.
DRAWN = (
    "() => document.querySelectorAll('.js-plotly-plot .choroplethlocation').length >= 600"
    " && document.querySelector('[data-testid=\"stApp\"]')"
    "?.getAttribute('data-test-script-state') === 'notRunning'"
)
HEADING = "\u2500\u2500"  # the picker's heading line, "── data ilustrasi ──"
STEP_TIMEOUT = 180.0


@dataclass
class Session:
    """What one protocol-level session measured."""

    arrival: float
    open_s: float | None = None
    change_s: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    finished: bool = False  # measured (or failed): now idle until released


def next_indicator(options: list[str], current: int, k: int) -> str:
    """The ``k``-th change of a session (``--choices same``): the option ``k + 1`` places
    after the current one, skipping the picker's heading lines (protocol and browser
    sessions alike)."""
    later = options[current + 1 + k :] + options
    return next(o for o in later if HEADING not in o and o != options[current])


#: ``--page``: the URL path each session opens (Beranda, the landing page, is the root).
PAGES = {"peta": "peta", "beranda": "", "profil": "profil"}


class Client:
    """One websocket session speaking Streamlit's protocol."""

    def __init__(self, base: str, page: str = "peta", query: str = ""):
        self.base, self.page = base, page
        self.query = query  # the URL's query string, sent with the first run (as a link opens)
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
        if self.query:
            state.query_string, self.query = self.query, ""
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
                self.read_element(fwd.delta.new_element)
            elif kind == "script_finished" and fwd.script_finished != FINISHED_EARLY_FOR_RERUN:
                return time.perf_counter() - start

    def read_element(self, element) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.exceptions.append(element.exception.message[:200])
        elif kind == "selectbox" and element.selectbox.id.endswith(INDICATOR_KEY):
            box = element.selectbox
            current = box.raw_value if box.HasField("raw_value") else box.options[box.default]
            self.indicator = (box.id, list(box.options), list(box.options).index(current))


@dataclass
class Assets:
    """What a fresh browser fetches over HTTP for ``/peta``, recorded once from Chromium's
    Resource Timing: ``boot`` before the page opens its websocket (``index.html``,
    Streamlit's start-up scripts, its health probes), ``page`` after (the widgets' lazy
    chunks, the map component, Plotly.js, the GeoJSON)."""

    boot: list[str]
    page: list[str]


async def record_assets(base: str, path: str = "peta") -> Assets:
    """Open ``/<path>`` in a fresh Chromium context and list the same-origin requests."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        page = await (await browser.new_context()).new_page()
        await page.goto(f"{base}/{path}", timeout=180_000)
        await page.wait_for_function(DRAWN, timeout=180_000, polling=100)
        names = await page.evaluate(
            "() => [location.href, ...performance.getEntriesByType('resource').map(e => e.name)]"
        )
        await browser.close()
    paths = [
        urlsplit(n)._replace(scheme="", netloc="").geturl() for n in names if n.startswith(base)
    ]
    # the websocket opens after the frontend's second host-config probe (the server root's)
    marks = [i for i, p in enumerate(paths) if p.endswith("/_stcore/host-config")]
    cut = marks[-1] + 1 if marks else len(paths)
    return Assets(paths[:cut], paths[cut:])


async def fetch_all(base: str, paths: list[str], connections: int = 6) -> int:
    """GET ``paths`` over ``connections`` keep-alive HTTP/1.1 connections (as a browser
    does: gzip accepted); the bytes received."""
    url = urlsplit(base)
    host, port = url.hostname, url.port or 80

    async def one(share: list[str]) -> int:
        reader, writer = await asyncio.open_connection(host, port)
        got = 0
        try:
            for path in share:
                writer.write(
                    f"GET {path} HTTP/1.1\r\nHost: {url.netloc}\r\n"
                    "Accept-Encoding: gzip\r\n\r\n".encode()
                )
                await writer.drain()
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
                if "transfer-encoding: chunked" in head:
                    while size := int((await reader.readline()).split(b";")[0], 16):
                        got += len(await reader.readexactly(size + 2)) - 2
                    await reader.readline()
                else:
                    match = re.search(r"content-length: *(\d+)", head)
                    got += len(await reader.readexactly(int(match.group(1)) if match else 0))
        finally:
            writer.close()
        return got

    shares = [paths[i::connections] for i in range(connections)]
    return sum(await asyncio.gather(*(one(s) for s in shares if s)))


async def one_session(
    base: str,
    s: Session,
    changes: int,
    hold: asyncio.Event,
    rng: random.Random | None = None,
    assets: Assets | None = None,
    page: str = "peta",
    query: str = "",
    think: float = 0.0,
) -> Session:
    """Open ``/peta``, change the indicator ``changes`` times, then stay idle until ``hold``.

    Every session takes the next indicators of the list, unless ``rng`` draws them at random
    (``--choices random``: other sessions have seldom drawn the same map before). With
    ``assets`` (``--static``) it also fetches what a fresh browser fetches: the start-up files
    before it opens the websocket, the page's files while its first run goes on.
    """
    await asyncio.sleep(s.arrival)
    try:
        if assets is not None:
            await fetch_all(base, assets.boot)
        async with Client(base, page, query) as c:
            page_files = asyncio.create_task(fetch_all(base, assets.page)) if assets else None
            s.open_s = await c.run()
            if page_files is not None:
                await page_files
            for k in range(changes):
                if c.indicator is None:
                    s.errors.append("no indicator selectbox")
                    break
                _, options, current = c.indicator
                if rng is None:
                    wanted = next_indicator(options, current, k)
                else:
                    # not the picker's "illustrative data" heading (it stands for the next one)
                    wanted = rng.choice(
                        [o for i, o in enumerate(options) if i != current and HEADING not in o]
                    )
                await asyncio.sleep(think)  # the person looks at the map first
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
    """RSS and CPU seconds of the server's processes (its replicas, summed), read from /proc."""

    def __init__(self, pids: list[int]):
        self.pids = pids
        self.peak = 0

    def rss_mb(self) -> float | None:
        if not self.pids:
            return None
        total = 0
        for pid in self.pids:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        return total / 1024

    def cpu_s(self) -> float | None:
        return cpu_seconds(self.pids) if self.pids else None

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
    base: str,
    n: int,
    window: float,
    probe: ServerProbe,
    seed: int,
    choices: str = "same",
    assets: Assets | None = None,
    page: str = "peta",
    select: bool = False,
    think: float = 0.0,
) -> dict:
    rng = random.Random(seed)
    arrivals = sorted(rng.uniform(0, window) for _ in range(n)) if n > 1 else [0.0]
    hold, stop = asyncio.Event(), asyncio.Event()
    rss_before, cpu_before = probe.rss_mb(), probe.cpu_s()
    began = time.perf_counter()
    sampler = asyncio.create_task(probe.sample(stop))
    sessions = [Session(a) for a in arrivals]
    pickers = [random.Random(seed * 1000 + i) if choices == "random" else None for i in range(n)]
    # --select: each session opens the page with a kecamatan of its own selected
    codes = sorted(regions.kecamatan()["kode"]) if select else []
    queries = [f"kec={c}" for c in random.Random(seed).sample(codes, n)] if select else [""] * n
    tasks = [
        asyncio.create_task(one_session(base, s, 2, hold, rng, assets, page, query, think))
        for s, rng, query in zip(sessions, pickers, queries, strict=True)
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
        "select": select,
        "think_s": think,
        "static_files": assets is not None,
        **spread("open", opens),
        **spread("change", changes),
        **spread("all_steps", every),
        "errors": len(errors),
        "error_samples": errors[:5],
        "server_rss_before_mb": _r(rss_before),
        "server_rss_peak_mb": _r(probe.peak) if rss_before is not None else None,
        "memory_per_idle_session_mb": _r((rss_idle - rss_before) / n) if rss_before else None,
        "server_cpu_s": _r(probe.cpu_s() - cpu_before) if cpu_before is not None else None,
        "duration_s": _r(time.perf_counter() - began),
    }
    probe.peak = 0
    return out


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 3)


def spread(name: str, values: list[float]) -> dict[str, float | None]:
    """``<name>_median_s`` and ``<name>_p95_s`` of ``values`` (None when there are none)."""
    return {
        f"{name}_median_s": _r(statistics.median(values)) if values else None,
        f"{name}_p95_s": _r(percentile(values, 95)),
    }


async def lone_run(base: str, probe: ServerProbe, page: str = "peta") -> float | None:
    """Server CPU seconds of one run of ``/<page>`` in a new session."""
    before = probe.cpu_s()
    async with Client(base, page) as c:
        await c.run()
    await asyncio.sleep(0.3)
    return None if before is None else _r(probe.cpu_s() - before)


class FrameLog:
    """The Streamlit messages of one browser page, timed on the wire by a :class:`FrameTap`.

    Steps are timed as the protocol clients time theirs: from a ``rerun_script`` BackMsg to
    the final ``script_finished`` after it.
    """

    def __init__(self, base: str):
        self.events: list[tuple[float, str, int]] = []  # (timestamp, "rerun"|"finished", status)
        self.reader = Client(base)  # reads the indicator picker and exceptions from deltas

    def sent(self, stamp: float, payload: bytes) -> None:
        """A binary message from the browser to the server."""
        msg = BackMsg()
        msg.ParseFromString(payload)
        if msg.WhichOneof("type") == "rerun_script":
            self.events.append((stamp, "rerun", 0))

    def received(self, stamp: float, payload: bytes) -> None:
        """A binary message from the server to the browser."""
        fwd = ForwardMsg()
        fwd.ParseFromString(payload)
        kind = fwd.WhichOneof("type")
        if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            self.reader.read_element(fwd.delta.new_element)
        elif kind == "script_finished":
            self.events.append((stamp, "finished", fwd.script_finished))

    def steps(self) -> list[float]:
        """Seconds from each rerun request to the final finish of the run it started."""
        out, start = [], None
        for ts, kind, status in self.events:
            if kind == "rerun" and start is None:
                start = ts
            elif kind == "finished" and status != FINISHED_EARLY_FOR_RERUN and start is not None:
                out.append(ts - start)
                start = None
        return out


class FrameTap(LoopbackRelay):
    """A loopback TCP relay to ``target`` (a URL) for one browser page, which reads the page's
    websocket messages on the wire and hands the binary ones to ``log`` as they pass.

    Why not the browser's own frame events (CDP ``Network.webSocketFrame*``): Blink emits them
    when the page's main thread takes a frame, so a renderer busy starting Streamlit's page
    (or sharing a core with nine others) delays them, and a step timed from them measures the
    browser as much as the server. The tap reads the server's frames as soon as they arrive
    (it never waits for the browser to take them), as a protocol client does, and forwards
    every byte unchanged. Messages compressed with ``permessage-deflate`` (as Chromium and
    the server negotiate) are inflated for reading only. Every other connection of the page
    (its HTTP requests) is copied through as is.

    Use as an async context manager; ``url`` is ``target`` with the tap's address.
    """

    def __init__(self, target: str, log: FrameLog):
        super().__init__(target)
        self.log = log

    async def __aenter__(self) -> FrameTap:
        await self.start()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.stop()

    async def relay(self, client_reader, client_writer, server_reader, server_writer) -> None:
        head = await client_reader.readuntil(b"\r\n\r\n")  # the first request's head
        server_writer.write(head)
        if b"upgrade: websocket" not in head.lower():
            await asyncio.gather(
                self._copy(client_reader, server_writer),
                self._copy(server_reader, client_writer),
            )
            return
        answer = await server_reader.readuntil(b"\r\n\r\n")
        client_writer.write(answer)
        extension = next(
            (
                line.lower()
                for line in answer.split(b"\r\n")
                if line.lower().startswith(b"sec-websocket-extensions:")
            ),
            b"",
        )
        deflate = b"permessage-deflate" in extension
        await asyncio.gather(
            self._frames(
                client_reader,
                server_writer,
                self.log.sent,
                deflate,
                b"client_no_context_takeover" in extension,
            ),
            self._frames(
                server_reader,
                client_writer,
                self.log.received,
                deflate,
                b"server_no_context_takeover" in extension,
            ),
        )

    @staticmethod
    async def _copy(reader, writer) -> None:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()

    @staticmethod
    async def _frames(reader, writer, record, deflate: bool, fresh_context: bool) -> None:
        """Forward websocket frames from ``reader`` to ``writer`` as each arrives (never
        waiting for the other end to take them), and ``record(time, payload)`` each complete
        binary message."""
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        parts: list[bytes] = []
        opcode = compressed = 0
        while True:
            try:
                head = await reader.readexactly(2)
            except asyncio.IncompleteReadError:
                if writer.can_write_eof():
                    writer.write_eof()
                return
            size, extra = head[1] & 0x7F, b""
            if size >= 126:
                extra = await reader.readexactly(2 if size == 126 else 8)
                size = int.from_bytes(extra, "big")
            mask = await reader.readexactly(4) if head[1] & 0x80 else b""
            payload = await reader.readexactly(size)
            stamp = time.perf_counter()
            writer.write(head + extra + mask + payload)
            if head[0] & 0x0F >= 8:
                continue  # a control frame (ping, pong, close), possibly inside a message
            if head[0] & 0x0F:  # the first frame of a message (else a continuation)
                opcode, compressed, parts = head[0] & 0x0F, head[0] & 0x40, []
            if mask:
                key = int.from_bytes((mask * (size // 4 + 1))[:size], "big")
                payload = (int.from_bytes(payload, "big") ^ key).to_bytes(size, "big")
            parts.append(payload)
            if not head[0] & 0x80:
                continue  # more frames of this message follow
            message = b"".join(parts)
            if compressed:
                if fresh_context:
                    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                message = inflater.decompress(message + b"\x00\x00\xff\xff")
            if opcode == 2:
                record(stamp, message)


async def browser_sample(
    base: str,
    k: int,
    window: float,
    seed: int,
    probe: ServerProbe,
    changes: int = 2,
    page_path: str = "peta",
) -> dict:
    """``k`` fresh Chromium contexts arriving over ``window`` seconds, each opening ``/peta``
    and changing the indicator ``changes`` times in the sidebar, as the protocol sessions do.

    Reports the server's part of each step as the protocol clients measure it (from the
    browser's websocket frames, :class:`FrameLog`) and what the person sees: the time from
    navigation to the page's script finished with the map element in it, to the first map
    seen and to Plotly's drawn map.
    """
    from playwright.async_api import async_playwright

    finished = (
        "() => document.querySelector('[data-testid=\"stApp\"]')"
        "?.getAttribute('data-test-script-state') === 'notRunning'"
        " && document.querySelector('[data-testid=\"rbkPlotlyMap\"]') !== null"
    )
    rng = random.Random(seed)
    arrivals = sorted(rng.uniform(0, window) for _ in range(k)) if k > 1 else [0.0]
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )

        async def wait_steps(log: FrameLog, n: int) -> None:
            deadline = time.perf_counter() + STEP_TIMEOUT
            while len(log.steps()) < n:
                if time.perf_counter() > deadline:
                    raise TimeoutError(f"step {n} did not finish")
                await asyncio.sleep(0.05)

        async def steps_of(page, url: str, log: FrameLog) -> dict:
            start = time.perf_counter()
            await page.goto(f"{url}/{page_path}", wait_until="domcontentloaded", timeout=180_000)
            await page.wait_for_function(finished, timeout=180_000, polling=50)
            script = time.perf_counter() - start
            await page.wait_for_function(SEEN, timeout=180_000, polling=50)
            seen = time.perf_counter() - start
            await page.wait_for_function(DRAWN, timeout=180_000, polling=50)
            drawn = time.perf_counter() - start
            await wait_steps(log, 1)
            for step in range(changes):
                if log.reader.indicator is None:
                    raise RuntimeError("no indicator selectbox")
                _, options, current = log.reader.indicator
                wanted = next_indicator(options, current, step)
                box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']")
                await box.nth(1).click()
                await page.keyboard.type(wanted)  # the list is virtualised: type to reach it
                await page.locator("[role='option']").filter(has_text=wanted).first.click()
                await wait_steps(log, 2 + step)
                _, options, current = log.reader.indicator
                if options[current] != wanted:
                    raise RuntimeError(f"the indicator did not change to {wanted!r}")
            steps = log.steps()
            if log.reader.exceptions:
                raise RuntimeError(f"exception: {log.reader.exceptions[0]}")
            return {
                "open": steps[0],
                "change": steps[1:],
                "script": script,
                "seen": seen,
                "drawn": drawn,
            }

        async def visit(arrival: float) -> dict | str:
            await asyncio.sleep(arrival)
            log = FrameLog(base)
            async with FrameTap(base, log) as tap:
                context = await browser.new_context(viewport={"width": 1440, "height": 900})
                try:
                    return await steps_of(await context.new_page(), tap.url, log)
                except Exception as exc:  # noqa: BLE001 - a benchmark counts any failure
                    return f"{type(exc).__name__}: {exc}"[:200]
                finally:
                    await context.close()

        cpu_before, began = probe.cpu_s(), time.perf_counter()
        results = await asyncio.gather(*(visit(a) for a in arrivals))
        await asyncio.sleep(1)  # the server's last frames of the last session
        cpu = None if cpu_before is None else probe.cpu_s() - cpu_before
        duration = time.perf_counter() - began
        await browser.close()
    ok = [r for r in results if isinstance(r, dict)]
    opens, script, seen_s, drawn_s = (
        [r["open"] for r in ok],
        [r["script"] for r in ok],
        [r["seen"] for r in ok],
        [r["drawn"] for r in ok],
    )
    change = [c for r in ok for c in r["change"]]
    every = opens + change
    return {
        "contexts": k,
        **spread("open", opens),
        **spread("change", change),
        **spread("all_steps", every),
        **spread("script_finished", script),
        **spread("map_seen", seen_s),
        **spread("drawn", drawn_s),
        "errors": len(results) - len(ok),
        "error_samples": [r for r in results if isinstance(r, str)][:5],
        "server_cpu_s": _r(cpu),
        "duration_s": _r(duration),
    }


def pin(pid: int, cpus: set[int]) -> None:
    """Pin every thread of process ``pid`` (0: this one) to ``cpus``; threads and processes
    started later inherit it."""
    tasks = Path(f"/proc/{pid or os.getpid()}/task").iterdir()
    for task in tasks:
        os.sched_setaffinity(int(task.name), cpus)


def agreement(
    protocol: dict, browser: dict, idle: float | None, slack: float = 0.1, ratio: float = 0.25
) -> dict:
    """Do the browsers' sessions load the server as the protocol clients' sessions do?

    Server CPU per session (less what the idle server spends in the same time, ``idle``
    seconds per second: a browser round lasts longer), and the step medians and p95 seen on
    each side's websocket. Each agrees when the two differ by at most ``slack`` seconds
    (0.02 s for CPU) or ``ratio`` of the protocol figure, whichever is larger.
    """
    out = {}
    if idle is not None:
        protocol, browser = (
            dict(
                side,
                server_cpu_per_session_s=(side["server_cpu_s"] - idle * side["duration_s"]) / n,
            )
            for side, n in ((protocol, protocol["sessions"]), (browser, browser["contexts"]))
        )
    for key in (
        "server_cpu_per_session_s",
        "open_median_s",
        "change_median_s",
        "all_steps_median_s",
        "all_steps_p95_s",
    ):
        a, b = protocol.get(key), browser.get(key)
        least = 0.02 if key.startswith("server_cpu") else slack
        ok = a is not None and b is not None and abs(a - b) <= max(least, ratio * a)
        out[key] = {"protocol": _r(a), "browser": _r(b), "agrees": ok}
    return out


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }


async def main_async(args, base: str, probe: ServerProbe) -> dict:
    report = {"machine": machine(), "url": base, "page": args.page}
    path = PAGES[args.page]
    if probe.pids:  # what the server spends with no session (its polling)
        before = probe.cpu_s()
        await asyncio.sleep(5)
        report["server_idle_cpu_s_per_s"] = _r((probe.cpu_s() - before) / 5)
    report["lone_run_server_cpu_s_cold"] = await lone_run(base, probe, path)
    warm = [await lone_run(base, probe, path) for _ in range(5)]
    report["lone_run_server_cpu_s_warm_median"] = (
        _r(statistics.median(warm)) if None not in warm else None
    )
    assets = None
    if args.static:
        assets = await record_assets(base, path)
        report["static_files_per_session"] = {"boot": len(assets.boot), "page": len(assets.page)}
    report["rounds"] = []
    for n in args.sessions:
        row = await load_round(
            base,
            n,
            args.window,
            probe,
            seed=n,
            choices=args.choices,
            assets=assets,
            page=path,
            select=args.select,
            think=args.think,
        )
        print(json.dumps(row), flush=True)
        report["rounds"].append(row)
        await asyncio.sleep(3)
    if args.browser_sample:
        report["browser"] = await browser_sample(
            base, args.browser_sample, args.window, 7, probe, page_path=path
        )
        print(json.dumps(report["browser"]), flush=True)
        same = [r for r in report["rounds"] if r["sessions"] == args.browser_sample]
        if same:
            report["agreement"] = agreement(
                same[0], report["browser"], report.get("server_idle_cpu_s_per_s")
            )
            print(json.dumps(report["agreement"]), flush=True)
    if args.browser_during:
        # K browsers among N protocol sessions arriving in the same window: what a person
        # sees while the server is loaded (fewer browsers than sessions: they share the
        # machine's two cores with the server, as real users' browsers do not)
        n, k = args.browser_during
        await asyncio.sleep(3)
        row, seen = await asyncio.gather(
            load_round(
                base,
                n,
                args.window,
                probe,
                seed=n + 1,
                choices=args.choices,
                assets=assets,
                page=path,
            ),
            browser_sample(base, k, args.window, 11, probe, page_path=path),
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
    parser.add_argument(
        "--select",
        action="store_true",
        help="each session opens the page with a kecamatan of its own selected (?kec=): "
        "a view, and a warm-up, no other session shares",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="seconds each session waits before each change, as a person looks at the map",
    )
    parser.add_argument("--browser-sample", type=int, default=0)
    parser.add_argument(
        "--browser-during",
        type=lambda s: tuple(int(x) for x in s.split(",")),
        metavar="N,K",
        help="K Chromium contexts among N protocol sessions in one window (e.g. 50,3)",
    )
    parser.add_argument(
        "--static",
        action="store_true",
        help="each protocol session also fetches the files a fresh browser fetches "
        "(recorded once from Chromium): what a browser costs the server beyond its runs",
    )
    parser.add_argument(
        "--pin",
        action="store_true",
        help="the server on CPU 0, the clients (protocol and Chromium) on the other CPUs: "
        "browsers then take no CPU from the server, as on users' own machines",
    )
    parser.add_argument(
        "--page",
        choices=sorted(PAGES),
        default="peta",
        help="the page every session opens (default peta; beranda: the landing page; profil: "
        "Profil Kecamatan, with --select at each session's own kecamatan)",
    )
    parser.add_argument("--url", help="a running server (default: start one)")
    parser.add_argument(
        "--server-pid",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[],
        metavar="PID[,PID...]",
        help="with --url: the process ids of the Streamlit replicas behind it, for their "
        "memory and CPU figures (summed) and --pin, which needs one "
        "(make serve's state.json lists its replicas)",
    )
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("results.json"))
    args = parser.parse_args(argv)
    if args.pin and ((args.url and len(args.server_pid) != 1) or (os.cpu_count() or 1) < 2):
        parser.error("--pin needs two CPUs and one server process (--url needs --server-pid)")
    proc = None
    if args.url:
        base, pids = args.url.rstrip("/"), args.server_pid
    else:
        proc, base = start_server()
        pids = [proc.pid]
    if args.pin:
        pin(pids[0], {0})
        pin(0, set(range(1, os.cpu_count())))
    try:
        report = asyncio.run(main_async(args, base, ServerProbe(pids)))
    finally:
        if proc is not None:
            stop_server(proc)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
