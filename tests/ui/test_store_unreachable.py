"""A PostgreSQL store that is down: a clear page, never a traceback, and recovery without a
restart.

The first test needs no server (nothing listens on the port it names) and runs in every
suite; the others run in ``make test-postgres``. There the dashboard reaches the server
through :class:`Gate`, a TCP forwarder on loopback: closing
the gate is the server going down (new connections refused, open ones dropped), opening it
again is the server coming back on the same address. The pages run in one process throughout,
as a server would.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest
from apptest_helpers import assert_clean, data_ready, figures, open_page, trace
from sqlalchemy.engine import make_url

import i18n
import store
from ui.data import cache

PAGES = ("beranda", "peta", "bandingkan", "ketimpangan", "profil", "metode")


def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


class Gate:
    """A TCP forwarder from a free loopback port to ``target`` that can be closed and opened."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()

    def open(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def close(self) -> None:
        listener, self.listener = self.listener, None
        if listener is not None:
            # shutdown first: close() alone neither wakes the accepting thread nor stops
            # the kernel from accepting while that thread holds the socket
            try:
                listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            listener.close()
        with self.lock:
            for s in self.sockets:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
            self.sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while chunk := src.recv(65536):
                dst.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@pytest.fixture
def gated_store(backend, built_store, monkeypatch):
    """A copy of the built store in PostgreSQL, reached through a :class:`Gate`."""
    if not backend.postgres:
        pytest.skip("PostgreSQL only: run `make test-postgres`")
    url = make_url(backend.built_copy(built_store))
    gate = Gate((url.host, url.port))
    gate.open()
    monkeypatch.setenv(
        "RBK_DATABASE_URL",
        url.set(host="127.0.0.1", port=gate.port).render_as_string(hide_password=False),
    )
    store.dispose_all()
    cache.forget_stamp()
    reason = data_ready()
    if reason:
        pytest.fail(reason)
    yield gate
    gate.close()
    store.dispose_all()
    cache.forget_stamp()


def unreachable_text(lang: str) -> str:
    return i18n.translate("common.error.store_unreachable", lang)


def shows_unreachable(at, lang: str = "id") -> bool:
    assert not at.exception, [e.value for e in at.exception]
    return any(w.value == unreachable_text(lang) for w in at.warning)


def map_drawn(at) -> bool:
    return any(trace(f, "values") for f in figures(at))


def after_stamp_interval() -> None:
    """Past the stamp's one-second memo: the next run asks the store again."""
    time.sleep(cache.STAMP_INTERVAL + 0.1)


def test_every_page_says_the_store_is_unreachable(monkeypatch):
    """A PostgreSQL URL where nothing listens: each page says so in the user's language."""
    if data_ready():
        pytest.skip(data_ready())  # the geography is drawn from the build
    monkeypatch.setenv("RBK_DATABASE_URL", f"postgresql://rbk@127.0.0.1:{free_port()}/rbk")
    store.dispose_all()
    cache.forget_stamp()
    try:
        for page in PAGES:
            at = open_page(page)
            assert shows_unreachable(at), (page, [w.value for w in at.warning], at.info)
            assert not at.error and not map_drawn(at)
        en = open_page("ketimpangan", lang="en")
        assert shows_unreachable(en, "en")
    finally:
        store.dispose_all()
        cache.forget_stamp()


def test_down_at_start_then_back_without_restart(gated_store):
    gated_store.close()
    store.dispose_all()  # a server process starting now: no engine, no connection yet
    cache.forget_stamp()
    at = open_page("peta")
    assert shows_unreachable(at)

    gated_store.open()  # the server is back: the same session's next run draws the map
    after_stamp_interval()
    at.switch_page("pages/peta.py")
    at.run()
    assert_clean(at)
    assert not shows_unreachable(at) and map_drawn(at)


def test_down_while_in_use_then_back(gated_store):
    at = open_page("peta")
    assert_clean(at)
    assert map_drawn(at)

    gated_store.close()  # open connections dropped, new ones refused
    after_stamp_interval()
    at.run()
    assert shows_unreachable(at)
    assert not map_drawn(at)

    gated_store.open()
    after_stamp_interval()
    at.run()
    assert_clean(at)
    assert not shows_unreachable(at) and map_drawn(at)
