r"""Peer regions: the regions most comparable to a given one on standardised indicators."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis._input import _positions

__all__ = ["peers"]


def peers(
    data: pd.DataFrame,
    code,
    n: int = 5,
    *,
    candidates: Sequence | None = None,
    groups: pd.Series | Mapping | None = None,
    indicators: Sequence[str] | None = None,
    weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    r"""The ``n`` regions closest to ``code`` on standardised indicators.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per region (index = region code), one numeric column per indicator. Missing
        values raise ``ValueError`` (drop or impute first).
    code
        The region to find peers for (a value of ``data.index``).
    n : int
        Number of peers.
    candidates : sequence, optional
        Restrict the peers to these regions (e.g. the region's neighbours).
    groups : pandas.Series or mapping, optional
        Region → group (e.g. kabupaten code): only regions of the same group as ``code``
        are candidates.
    indicators : sequence of str, optional
        Columns to use (default: all).
    weights : mapping, optional
        Column → non-negative weight in the distance (default: equal).

    Returns
    -------
    pandas.DataFrame
        Index = peer code, sorted by ``distance`` (ascending); columns ``distance``,
        ``rank`` (1 = closest) and the z-score difference peer − region of each indicator.
        The region itself is not listed. Fewer than ``n`` rows when there are fewer
        candidates.

    Notes
    -----
    Indicators are z-standardised over all rows of ``data`` (a constant indicator gets z = 0
    and so never separates regions), then

    .. math:: d(a, b) = \sqrt{\frac{\sum_k \omega_k (z_{ak} - z_{bk})^2}{\sum_k \omega_k}}

    the root-mean-square standardised difference. Ties in distance keep the order of
    ``data``.

    References
    ----------
    Everitt, B. S., Landau, S., Leese, M. & Stahl, D. (2011). *Cluster Analysis*, 5th ed.,
    ch. 3 (proximity measures). Wiley.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"a": [1.0, 2.0, 10.0, 1.1], "b": [5.0, 5.5, 0.0, 5.0]},
    ...                  index=["x", "y", "z", "w"])
    >>> peers(d, "x", n=2).index.tolist()
    ['w', 'y']
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError("data: expected a DataFrame (regions × indicators)")
    if code not in data.index:
        raise ValueError(f"code: region {code!r} is not in the data")
    if not data.index.is_unique:
        raise ValueError("data: region codes (the index) must be unique")
    cols = list(indicators) if indicators is not None else list(data.columns)
    missing_cols = [c for c in cols if c not in data.columns]
    if missing_cols:
        raise ValueError(f"indicators: not in the data: {missing_cols}")
    if not cols:
        raise ValueError("indicators: at least one indicator is needed")
    n = int(n)
    if n < 1:
        raise ValueError("n: must be at least 1")
    try:
        X = data[cols].to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"data: indicators must be numeric ({exc})") from None
    bad = ~np.isfinite(X)
    if bad.any():
        rows = bad.any(axis=1)
        raise ValueError(
            f"data: missing or infinite values for region(s) {_positions(rows, list(data.index))}"
        )
    om = np.array([1.0 if weights is None else float(weights.get(c, 0.0)) for c in cols])
    if (om < 0).any() or not om.sum() > 0:
        raise ValueError("weights: must be non-negative with at least one positive")
    sd = X.std(axis=0)
    Z = np.divide(X - X.mean(axis=0), sd, out=np.zeros_like(X), where=sd > 0)
    pos = data.index.get_loc(code)
    diff = Z - Z[pos]
    dist = np.sqrt((diff**2 @ om) / om.sum())
    keep = np.ones(len(data), dtype=bool)
    keep[pos] = False
    if candidates is not None:
        keep &= data.index.isin(list(candidates))
    if groups is not None:
        g = pd.Series(groups) if isinstance(groups, Mapping) else groups
        if code not in g.index:
            raise ValueError(f"groups: no group for region {code!r}")
        keep &= (g.reindex(data.index) == g[code]).to_numpy()
    idx = np.flatnonzero(keep)
    order = idx[np.argsort(dist[idx], kind="stable")][:n]
    out = pd.DataFrame(diff[order], index=data.index[order], columns=cols)
    out.insert(0, "rank", np.arange(1, order.size + 1))
    out.insert(0, "distance", dist[order])
    return out
