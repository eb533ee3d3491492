"""Trends of one region over the years: first and last value, change, and the verdict.

The verdict follows the indicator's direction (:func:`analysis.ranking.normalise_direction`):
a rising poverty rate got *worse*, a rising IPM got *better*; a neutral indicator simply went
*up* or *down*. A change within ``1e-9`` of the larger absolute value counts as no change.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .ranking import normalise_direction

__all__ = ["VERDICTS", "trend_summary", "verdict"]

#: Every verdict :func:`trend_summary` gives.
VERDICTS = ("better", "worse", "same", "up", "down", "none")


def verdict(first: float, last: float, direction: object) -> str:
    """Whether going from ``first`` to ``last`` is better, worse or the same.

    Parameters
    ----------
    first, last : float
        The oldest and the newest value.
    direction : object
        The indicator's direction (see :func:`analysis.ranking.normalise_direction`).

    Returns
    -------
    str
        ``"better"``, ``"worse"`` or ``"same"``; ``"up"`` or ``"down"`` for a neutral
        indicator.

    Examples
    --------
    >>> verdict(10.0, 8.0, "lower_better"), verdict(10.0, 8.0, "higher_better")
    ('better', 'worse')
    >>> verdict(10.0, 12.0, None), verdict(10.0, 10.0, None)
    ('up', 'same')
    """
    change = last - first
    scale = max(abs(first), abs(last), 1e-12)
    direction = normalise_direction(direction)
    if abs(change) <= 1e-9 * scale:
        return "same"
    if direction == "higher_better":
        return "better" if change > 0 else "worse"
    if direction == "higher_worse":
        return "better" if change < 0 else "worse"
    return "up" if change > 0 else "down"


def trend_summary(long: pd.DataFrame, code: str, indicator: str, direction: object) -> dict:
    """First and last available values of one indicator for one region, and the verdict.

    Parameters
    ----------
    long : pandas.DataFrame
        Long frame with ``region_code``, ``indicator``, ``year``, ``value``.
    code : str
        Region code.
    indicator : str
        Indicator id.
    direction : object
        The indicator's direction (see :func:`analysis.ranking.normalise_direction`).

    Returns
    -------
    dict
        ``first_year``, ``last_year``, ``first``, ``last``, ``change`` (last − first),
        ``verdict`` (see :func:`verdict`, or ``"none"`` with fewer than two years) and
        ``series`` (year → value, oldest first). Missing values are skipped.

    Examples
    --------
    >>> lf = pd.DataFrame({"region_code": ["a", "a"], "indicator": ["p", "p"],
    ...                    "year": [2020, 2024], "value": [10.0, 8.0]})
    >>> s = trend_summary(lf, "a", "p", "higher_worse")
    >>> s["verdict"], s["first_year"], s["change"]
    ('better', 2020, -2.0)
    >>> trend_summary(lf, "b", "p", "higher_worse")["verdict"]
    'none'
    """
    sub = long[(long["region_code"] == code) & (long["indicator"] == indicator)]
    sub = sub.dropna(subset=["value"]).sort_values("year")
    series = {
        int(y): float(v) for y, v in zip(sub["year"], sub["value"].astype(float), strict=True)
    }
    out = {
        "first_year": None,
        "last_year": None,
        "first": np.nan,
        "last": np.nan,
        "change": np.nan,
        "verdict": "none",
        "series": series,
    }
    if len(series) < 2:
        if series:
            year, value = next(iter(series.items()))
            out.update(first_year=year, last_year=year, first=value, last=value)
        return out
    years = list(series)
    first, last = series[years[0]], series[years[-1]]
    out.update(
        first_year=years[0],
        last_year=years[-1],
        first=first,
        last=last,
        change=last - first,
        verdict=verdict(first, last, direction),
    )
    return out
