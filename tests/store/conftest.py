"""Fixtures: every test that writes gets its own temporary store."""

from __future__ import annotations

import pytest

import store


@pytest.fixture
def store_url(tmp_path, monkeypatch):
    """A fresh SQLite store under ``tmp_path`` (RBK_STORE_DIR), disposed afterwards."""
    monkeypatch.delenv("RBK_DATABASE_URL", raising=False)
    monkeypatch.setenv("RBK_STORE_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("RBK_STORE_BUSY_TIMEOUT", "1")
    store.dispose_all()
    url = f"sqlite:///{tmp_path / 'store' / 'rbk.sqlite'}"
    yield url
    store.dispose_all()
