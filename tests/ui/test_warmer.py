"""The idle-time warmer (``ui.data.cache.Warmer``): work runs only while no script runs, once
per key and data stamp, and a failing item does not stop the others."""

from __future__ import annotations

import threading
import time

import pytest

from ui.data import cache

#: Long enough for the warmer's thread to have run an item it was free to run.
SETTLE = 0.5


@pytest.fixture
def stamp(monkeypatch):
    """The data stamp the warmer sees, set by the test."""
    current = {"value": "v1"}
    monkeypatch.setattr(cache, "stamp", lambda: current["value"])
    return current


def recorder():
    calls: list[str] = []
    ran = threading.Event()

    def work(name: str):
        def fn():
            calls.append(name)
            ran.set()

        return fn

    return calls, ran, work


def test_work_waits_for_every_run_to_end(stamp):
    warmer = cache.Warmer(idle_after=0.05)
    calls, ran, work = recorder()
    with warmer.running():
        with warmer.running():  # two sessions' runs at once
            warmer.submit("a", work("a"))
        assert not ran.wait(SETTLE), "warmed while a run was in progress"
    assert ran.wait(5)
    assert calls == ["a"]
    assert warmer.pending() == 0


def test_work_waits_for_the_idle_interval(stamp):
    warmer = cache.Warmer(idle_after=1.5)
    calls, ran, work = recorder()
    with warmer.running():
        pass
    warmer.submit("a", work("a"))
    assert not ran.wait(SETTLE), "warmed before the server had been idle for idle_after"
    assert ran.wait(5)


def test_a_key_is_done_once_per_stamp(stamp):
    warmer = cache.Warmer(idle_after=0.01)
    calls, ran, work = recorder()
    warmer.submit("a", work("a"))
    assert ran.wait(5)
    ran.clear()
    warmer.submit("a", work("a again"))  # the same key under the same data: nothing to do
    assert not ran.wait(SETTLE)
    stamp["value"] = "v2"  # a commit: the entry is computed again for the new data
    warmer.submit("a", work("a, new data"))
    assert ran.wait(5)
    assert calls == ["a", "a, new data"]


def test_a_failing_item_is_logged_and_the_next_runs(stamp, caplog):
    warmer = cache.Warmer(idle_after=0.01)
    calls, ran, work = recorder()

    def broken():
        raise ValueError("boom")

    warmer.submit("bad", broken)
    warmer.submit("good", work("good"))
    assert ran.wait(5)
    assert calls == ["good"]
    assert any("warming 'bad' failed" in r.getMessage() for r in caplog.records)


def test_nothing_is_warmed_without_a_server(monkeypatch):
    """In-process runs (AppTest, plain calls) have no Streamlit runtime: no background work."""
    submitted = []
    monkeypatch.setattr(cache.warmer, "submit", lambda key, fn: submitted.append(key))
    cache.warm("a", lambda: None)
    assert submitted == []


def test_no_more_than_the_budget_is_warmed_per_stamp(stamp):
    warmer = cache.Warmer(idle_after=0.01, budget=3)
    calls: list[str] = []
    with warmer.running():  # queue everything first
        for name in "abcde":
            warmer.submit(("x", name), lambda name=name: calls.append(name))
        warmer.submit(("y", "a"), lambda: calls.append("other kind"))  # a budget of its own
        assert warmer.pending() == 4
    done = threading.Event()
    warmer.submit(("x", "c"), done.set)  # queued already: nothing new
    deadline = time.monotonic() + 5
    while warmer.pending() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert calls == ["a", "b", "c", "other kind"]
    warmer.submit(("x", "f"), lambda: calls.append("f"))  # the budget is spent for this data
    time.sleep(SETTLE)
    assert calls == ["a", "b", "c", "other kind"]
    stamp["value"] = "v2"  # new data, a new budget
    warmer.submit(("x", "f"), done.set)
    assert done.wait(5)
