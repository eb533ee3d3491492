"""Ranks of regions: the one rank function of the project, and the indicator's direction.

Every page, table, hover, export and report ranks regions with :func:`rank`. Ties share the
best rank (``method="min"``: 1, 1, 3), missing values get no rank, and ranks are integers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["DIRECTIONS", "normalise_direction", "rank"]

#: The three directions an indicator may have.
DIRECTIONS = ("higher_better", "higher_worse", "neutral")

_BETTER = {"higher_better", "higher-is-better", "higher", "up", "positive", "+1", "1", "benefit"}
_WORSE = {
    "higher_worse",
    "higher-is-worse",
    "lower",
    "down",
    "negative",
    "-1",
    "cost",
    "lower_better",
}


def normalise_direction(direction: object) -> str:
    """Map the spellings of an indicator's direction to one of :data:`DIRECTIONS`.

    Parameters
    ----------
    direction : object
        A catalogue entry such as ``"higher_better"``, ``"lower_better"``, ``1`` or ``-1``.

    Returns
    -------
    str
        ``"higher_better"``, ``"higher_worse"`` or ``"neutral"``.

    Examples
    --------
    >>> normalise_direction(-1), normalise_direction("higher_better"), normalise_direction(None)
    ('higher_worse', 'higher_better', 'neutral')
    >>> normalise_direction("lower_better")
    'higher_worse'
    """
    if direction is None or (isinstance(direction, float) and np.isnan(direction)):
        return "neutral"
    text = str(direction).strip().lower().replace(" ", "_")
    if text in _BETTER:
        return "higher_better"
    if text in _WORSE:
        return "higher_worse"
    return "neutral"


def rank(values, direction: object = "higher_better", groups=None) -> pd.Series:
    """Rank values so that 1 is the best region for the indicator's direction.

    Parameters
    ----------
    values : pandas.Series or array-like
        One value per region; missing (or non-numeric) values get no rank.
    direction : object
        The indicator's direction (see :func:`normalise_direction`); a neutral indicator is
        ranked highest first.
    groups : pandas.Series or array-like, optional
        Rank within each group (for example the kabupaten of each kecamatan).

    Returns
    -------
    pandas.Series
        Integer ranks (``Int64``; 1 = best), ties share the best rank, ``<NA>`` where the
        value is missing; same index as ``values``.

    Examples
    --------
    >>> rank(pd.Series([3.0, 1.0, None, 3.0])).tolist()
    [1, 3, <NA>, 1]
    >>> rank(pd.Series([3.0, 1.0, 2.0]), "lower_better").tolist()
    [3, 1, 2]
    >>> rank(pd.Series([5.0, 1.0, 2.0, 9.0]), groups=pd.Series(["a", "a", "b", "b"])).tolist()
    [1, 2, 2, 1]
    """
    series = pd.to_numeric(pd.Series(values), errors="coerce")
    ascending = normalise_direction(direction) == "higher_worse"
    if groups is None:
        result = series.rank(method="min", ascending=ascending)
    else:
        keys = pd.Series(groups, index=series.index)
        result = series.groupby(keys).rank(method="min", ascending=ascending)
    return result.astype("Int64")
