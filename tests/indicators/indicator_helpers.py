"""Helpers shared by the indicator tests (a uniquely named module, not conftest)."""

from __future__ import annotations

import pandas as pd


def wide(frame: pd.DataFrame, indicator: str, level: str) -> pd.DataFrame:
    sub = frame[(frame["indicator"] == indicator) & (frame["level"] == level)]
    return sub.pivot(index="region_code", columns="year", values="value")
