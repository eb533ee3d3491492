"""Fixtures: every test that writes gets its own temporary store."""

from __future__ import annotations

import pandas as pd
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


def kecamatan_frame(indicator: str, values, year: int = 2024, start: int = 1) -> pd.DataFrame:
    """A commit-ready frame for kecamatan 35.01.01, 35.01.02, ... with the given values."""
    codes = [
        f"35.{1 + (i // 20):02d}.{1 + i % 20:02d}"
        for i in range(start - 1, start - 1 + len(values))
    ]
    return pd.DataFrame(
        {
            "region_code": codes,
            "level": "kecamatan",
            "indicator": indicator,
            "year": year,
            "value": list(values),
        }
    )
