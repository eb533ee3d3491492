"""The load benchmark's own arithmetic: how it times steps from websocket frames, which
indicators its sessions choose, and its HTTP client for a browser's files."""

from __future__ import annotations

import asyncio
import gzip
import http.server
import sys
import threading
from pathlib import Path

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks" / "load"))
import bench_load  # noqa: E402

Status = ForwardMsg.ScriptFinishedStatus


def frame(msg, timestamp: float) -> tuple[float, bytes]:
    return timestamp, msg.SerializeToString()


def rerun() -> BackMsg:
    msg = BackMsg()
    msg.rerun_script.page_name = "peta"
    return msg


def finished(status: str) -> ForwardMsg:
    msg = ForwardMsg()
    msg.script_finished = Status.Value(status)
    return msg


def test_a_step_runs_from_the_rerun_request_to_the_final_finish():
    log = bench_load.FrameLog("http://localhost:1")
    log.sent(*frame(rerun(), 10.0))
    log.received(*frame(finished("FINISHED_EARLY_FOR_RERUN"), 10.2))  # the router's st.rerun
    log.received(*frame(finished("FINISHED_SUCCESSFULLY"), 10.5))
    log.sent(*frame(rerun(), 12.0))
    log.sent(*frame(rerun(), 12.1))  # a second request before the first run ends: one step
    log.received(*frame(finished("FINISHED_SUCCESSFULLY"), 12.4))
    assert log.steps() == pytest.approx([0.5, 0.4])


def test_the_indicator_picker_is_read_from_the_deltas():
    log = bench_load.FrameLog("http://localhost:1")
    msg = ForwardMsg()
    box = msg.delta.new_element.selectbox
    box.id = "$$ID-abc-sidebar-indicator"
    box.options.extend(["a", "b", "c"])
    box.default = 1
    log.received(*frame(msg, 1.0))
    assert log.reader.indicator == ("$$ID-abc-sidebar-indicator", ["a", "b", "c"], 1)


def test_sessions_choose_the_next_indicators_and_never_a_heading():
    heading = "── data ilustrasi ──"
    options = ["a", "b", heading, "c", "d"]
    assert bench_load.next_indicator(options, 0, 0) == "b"
    assert bench_load.next_indicator(options, 1, 0) == "c"  # past the heading
    assert bench_load.next_indicator(options, 3, 1) == "a"  # wraps round, not to itself
    assert bench_load.next_indicator(options, 4, 0) == "a"


class Files(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the benchmark's client expects
    BODY = bytes(range(256)) * 40

    def do_GET(self):  # noqa: N802 - http.server's name
        body = gzip.compress(self.BODY) if self.path == "/zipped" else self.BODY
        self.send_response(200)
        if self.path == "/chunked":
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(body), 3000):
                part = body[i : i + 3000]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_the_files_are_fetched_whole_over_keep_alive_connections():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Files)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        paths = ["/plain", "/chunked", "/zipped", "/plain", "/chunked"]
        got = asyncio.run(bench_load.fetch_all(base, paths, connections=2))
    finally:
        server.shutdown()
    size = len(Files.BODY)
    assert got == 4 * size + len(gzip.compress(Files.BODY))


def test_agreement_takes_the_idle_servers_own_cpu_out_of_each_round():
    protocol = {"sessions": 10, "server_cpu_s": 1.2, "duration_s": 10.0, "open_median_s": 0.05}
    browser = {"contexts": 10, "server_cpu_s": 3.0, "duration_s": 100.0, "open_median_s": 0.5}
    out = bench_load.agreement(protocol, browser, idle=0.02)
    assert out["server_cpu_per_session_s"] == {"protocol": 0.1, "browser": 0.1, "agrees": True}
    assert out["open_median_s"] == {"protocol": 0.05, "browser": 0.5, "agrees": False}


def test_the_tap_reads_compressed_websocket_messages_both_ways_and_forwards_them_whole():
    import websockets

    big = finished("FINISHED_SUCCESSFULLY").SerializeToString() * 20_000  # several frames' worth

    async def serve(ws):
        async for message in ws:
            await ws.send(big)
            await ws.send(message)

    async def main():
        log = bench_load.FrameLog("http://localhost:1")
        seen = []
        log.sent = lambda stamp, payload: seen.append(("sent", payload))
        log.received = lambda stamp, payload: seen.append(("received", payload))
        async with websockets.serve(serve, "127.0.0.1", 0) as server:
            port = server.sockets[0].getsockname()[1]
            async with bench_load.FrameTap(f"http://127.0.0.1:{port}", log) as tap:
                url = tap.url.replace("http", "ws", 1)
                async with websockets.connect(url, max_size=None) as ws:  # deflate offered
                    for _ in range(2):
                        await ws.send(rerun().SerializeToString())
                        assert await ws.recv() == big
                        assert await ws.recv() == rerun().SerializeToString()
        return seen

    seen = asyncio.run(main())
    back = rerun().SerializeToString()
    assert seen == [("sent", back), ("received", big), ("received", back)] * 2


def test_the_server_probe_sums_every_replica():
    """Memory and CPU of two processes summed, against what `ps` reports; none without one."""
    import subprocess
    import time

    spin = (
        "import time\nheld = b'x' * (64 << 20)\nt = time.process_time()\n"
        "while time.process_time() - t < 0.3: pass\ninput()"
    )
    children = [
        subprocess.Popen([sys.executable, "-c", spin], stdin=subprocess.PIPE) for _ in range(2)
    ]
    try:
        probe = bench_load.ServerProbe([child.pid for child in children])
        deadline = time.monotonic() + 20
        while probe.cpu_s() < 0.6 and time.monotonic() < deadline:  # both have spun 0.3 s
            time.sleep(0.05)
        ps = subprocess.run(
            ["ps", "-o", "rss=", "-p", ",".join(str(child.pid) for child in children)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        assert probe.rss_mb() == pytest.approx(sum(map(int, ps)) / 1024, rel=0.02)
        assert probe.rss_mb() > 2 * 64  # each child holds 64 MB
        assert 0.6 <= probe.cpu_s() < 3
    finally:
        for child in children:
            child.kill()
            child.wait()
    assert bench_load.ServerProbe([]).rss_mb() is None
    assert bench_load.ServerProbe([]).cpu_s() is None
