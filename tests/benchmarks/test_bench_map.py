"""The map benchmark's latency relay: every connection through it gets the round-trip time
asked for, and the bytes arrive whole and in order in both directions."""

from __future__ import annotations

import socket
import socketserver
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks" / "map"))
import bench_map  # noqa: E402


class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        while data := self.request.recv(65536):
            self.request.sendall(data)


@pytest.fixture
def echo_url():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Echo)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def connect(url: str) -> socket.socket:
    port = int(url.rsplit(":", 1)[1])
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def round_trip(sock: socket.socket, payload: bytes) -> tuple[bytes, float]:
    start = time.perf_counter()
    sock.sendall(payload)
    got = b""
    while len(got) < len(payload):
        got += sock.recv(65536)
    return got, time.perf_counter() - start


def test_each_exchange_through_the_relay_takes_at_least_the_round_trip_time(echo_url):
    with bench_map.LatencyRelay(echo_url, 120) as relay, connect(relay.url) as sock:
        assert relay.url != echo_url
        times = []
        for k in range(3):
            got, elapsed = round_trip(sock, f"ping {k}".encode())
            assert got == f"ping {k}".encode()
            times.append(elapsed)
    assert min(times) >= 0.12
    # an upper bound only against a relay that waits per chunk or twice: the machine is shared
    assert min(times) < 0.6


def test_large_payloads_arrive_whole_and_in_order_both_ways(echo_url):
    payload = bytes(range(256)) * 8192  # 2 MiB, many chunks
    with bench_map.LatencyRelay(echo_url, 20) as relay, connect(relay.url) as sock:
        got, _ = round_trip(sock, payload)
    assert got == payload


def test_a_closed_client_connection_is_closed_upstream(echo_url):
    with bench_map.LatencyRelay(echo_url, 20) as relay:
        sock = connect(relay.url)
        assert round_trip(sock, b"x")[0] == b"x"
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(5)
        assert sock.recv(10) == b""  # the echo server saw the end and closed its side
        sock.close()


def test_no_relay_without_a_round_trip_time():
    with bench_map.relayed("http://127.0.0.1:8501", 0) as relay:
        assert relay.url == "http://127.0.0.1:8501"
    with bench_map.relayed("http://127.0.0.1:8501", 40) as relay:
        assert isinstance(relay, bench_map.LatencyRelay)
        assert relay.url.startswith("http://127.0.0.1:")
