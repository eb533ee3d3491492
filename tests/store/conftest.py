"""Fixtures: every test that writes gets its own temporary store (SQLite or PostgreSQL)."""

from __future__ import annotations

import pytest

import store


@pytest.fixture
def store_url(new_store_url, monkeypatch):
    """A fresh store on the backend under test, the default store (``RBK_DATABASE_URL``) of
    this test; disposed afterwards."""
    url = new_store_url()
    monkeypatch.setenv("RBK_DATABASE_URL", url)
    monkeypatch.setenv("RBK_STORE_BUSY_TIMEOUT", "1")
    store.dispose_all()
    yield url
    store.dispose_all()
