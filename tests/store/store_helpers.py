"""Helpers shared by the store tests (a uniquely named module, not conftest)."""

from __future__ import annotations

import pandas as pd


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
