r"""The Lorenz curve of regional values, weighted by population or unweighted.

With regions sorted by :math:`y_i` ascending, the curve joins the points

.. math:: \Bigl(\frac{\sum_{j \le i} w_j}{\sum_j w_j},\;
          \frac{\sum_{j \le i} w_j y_j}{\sum_j w_j y_j}\Bigr)

from (0, 0) to (1, 1). Twice the area between it and the diagonal is the (weighted) Gini
index, which :func:`lorenz_gini` recovers from the points (a check that a drawn curve shows
the same inequality as :func:`analysis.inequality.gini`).

References
----------
Lorenz, M. O. (1905). Methods of measuring the concentration of wealth. *Publications of the
American Statistical Association* 9(70), 209–219.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["lorenz_gini", "lorenz_points"]


def lorenz_points(y: Sequence[float], w: Sequence[float] | None = None) -> pd.DataFrame:
    """Points of the (population-weighted) Lorenz curve.

    Parameters
    ----------
    y : array-like
        Per-capita (or per-unit) value of each region, non-negative.
    w : array-like, optional
        Weight (population) of each region; equal weights when omitted. Regions with a
        non-finite value or weight are left out.

    Returns
    -------
    pandas.DataFrame
        Columns ``pop_share`` and ``value_share`` from (0, 0) to (1, 1), regions sorted by
        ``y`` ascending.

    Examples
    --------
    >>> lorenz_points([1, 3]).round(3).values.tolist()
    [[0.0, 0.0], [0.5, 0.25], [1.0, 1.0]]
    >>> lorenz_points([1, 3], w=[3, 1]).round(3).values.tolist()
    [[0.0, 0.0], [0.75, 0.5], [1.0, 1.0]]
    """
    y = np.asarray(y, dtype=float)
    w = np.ones_like(y) if w is None else np.asarray(w, dtype=float)
    keep = np.isfinite(y) & np.isfinite(w)
    y, w = y[keep], w[keep]
    order = np.argsort(y, kind="stable")
    y, w = y[order], w[order]
    pop = np.concatenate([[0.0], np.cumsum(w) / w.sum()])
    val = np.concatenate([[0.0], np.cumsum(w * y) / (w * y).sum()])
    return pd.DataFrame({"pop_share": pop, "value_share": val})


def lorenz_gini(points: pd.DataFrame) -> float:
    """Gini index from Lorenz points: 1 − 2 × the area under the curve (trapezoids).

    Parameters
    ----------
    points : pandas.DataFrame
        ``pop_share`` and ``value_share`` as returned by :func:`lorenz_points`.

    Returns
    -------
    float
        The Gini index of the values behind the curve (exact for a piecewise-linear curve).

    Examples
    --------
    >>> round(lorenz_gini(lorenz_points([0, 0, 0, 1])), 6)
    0.75
    >>> round(lorenz_gini(lorenz_points([5, 5, 5])), 6)
    0.0
    """
    x = points["pop_share"].to_numpy()
    v = points["value_share"].to_numpy()
    area = float(np.sum((x[1:] - x[:-1]) * (v[1:] + v[:-1]) / 2))
    return 1 - 2 * area
