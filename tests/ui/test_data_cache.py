"""The data wing's one cache policy: entries keyed by the data stamp, shared, no TTL."""

from __future__ import annotations

from ui.data import cache


def test_versioned_recomputes_when_the_stamp_changes(monkeypatch):
    # a commit anywhere changes the stamp: the next call recomputes
    stamps = iter(["s1", "s1", "s2", "s1"])
    seen = []
    monkeypatch.setattr(cache, "stamp", lambda: next(stamps))

    @cache.versioned
    def computation(level, indicator):
        seen.append((level, indicator))
        return len(seen)

    assert computation("kecamatan", "x") == 1
    assert computation("kecamatan", "x") == 1  # same stamp: cached
    assert computation("kecamatan", "x") == 2  # new stamp: recomputed
    assert computation("kecamatan", "x") == 1  # back to the earlier data: its entry again
    computation.clear()


def test_versioned_keeps_functions_apart(monkeypatch):
    monkeypatch.setattr(cache, "stamp", lambda: "s")

    @cache.versioned
    def one(x):
        return ("one", x)

    @cache.versioned
    def two(x):
        return ("two", x)

    assert one(1) == ("one", 1) and two(1) == ("two", 1)
    one.clear()
    two.clear()


def test_store_errors_become_data_unavailable(monkeypatch):
    import pytest

    import store

    def broken():
        raise store.StoreError("no store")

    @cache.versioned
    def reads():
        return broken()

    monkeypatch.setattr(cache, "stamp", lambda: "s")
    with pytest.raises(cache.DataUnavailable):
        reads()
    reads.clear()
