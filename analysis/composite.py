r"""Composite development index: normalisation, direction, weights, ranks and their stability.

* :func:`normalise` — min-max, z-score or goalposts (as in the IPM), direction-aware.
* :func:`composite_index` — weighted arithmetic or geometric mean of the normalised
  indicators, with ranks (1 = best).
* :func:`rank_stability` — how ranks move when the weights are perturbed at random
  (Dirichlet draws centred on the chosen weights): median rank and a rank interval.
* :func:`ipm` — BPS's Indeks Pembangunan Manusia (new method, 2010 onwards).

References
----------
OECD & JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User
Guide*. OECD Publishing.
Saisana, M., Saltelli, A. & Tarantola, S. (2005). Uncertainty and sensitivity analysis
techniques as tools for the quality assessment of composite indicators. *JRSS A* 168(2),
307–323.
BPS (2015). *Indeks Pembangunan Manusia 2014: Metode Baru*. Badan Pusat Statistik.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from analysis._input import _positions, as_array

__all__ = [
    "normalise",
    "composite_index",
    "CompositeIndex",
    "rank_stability",
    "RankStability",
    "ipm",
    "IPM_GOALPOSTS",
]

#: BPS goalposts of the IPM (new method): life expectancy (years), expected and mean years of
#: schooling (years), adjusted per-capita expenditure (rupiah per year, 2012 PPP prices).
IPM_GOALPOSTS = {
    "uhh": (20.0, 85.0),
    "hls": (0.0, 18.0),
    "rls": (0.0, 15.0),
    "pengeluaran": (1_007_436.0, 26_572_352.0),
}

_METHODS = ("minmax", "zscore", "goalpost")


def _frame(data) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise TypeError("data: expected a DataFrame (regions × indicators)")
    if data.shape[1] == 0 or data.shape[0] < 2:
        raise ValueError("data: at least two regions and one indicator are needed")
    try:
        X = data.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"data: indicators must be numeric ({exc})") from None
    bad = ~np.isfinite(X)
    if bad.any():
        col = data.columns[bad.any(axis=0)][0]
        rows = bad[:, list(data.columns).index(col)]
        raise ValueError(
            f"data: indicator {col!r} has missing or infinite values for region(s) "
            f"{_positions(rows, list(data.index))}"
        )
    return pd.DataFrame(X, index=data.index, columns=data.columns)


def _directions(cols, directions) -> dict:
    d = {c: 1 for c in cols}
    for c, v in (directions or {}).items():
        if c not in d:
            raise ValueError(f"directions: {c!r} is not an indicator")
        if v in (1, "+", "higher_is_better", "up"):
            d[c] = 1
        elif v in (-1, "-", "lower_is_better", "down"):
            d[c] = -1
        else:
            raise ValueError(f"directions: {c!r} must be +1 (higher is better) or -1, got {v!r}")
    return d


def normalise(
    data: pd.DataFrame,
    method: str = "minmax",
    directions: Mapping | None = None,
    goalposts: Mapping | None = None,
) -> pd.DataFrame:
    r"""Put indicators on a common scale where higher is better.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per region, one column per indicator; no missing values.
    method : {"minmax", "zscore", "goalpost"}
        ``minmax``: :math:`(x - \min)/(\max - \min)` in [0, 1]; ``zscore``:
        :math:`(x - \bar x)/s` (population s.d.); ``goalpost``:
        :math:`(x - lo)/(hi - lo)` with fixed bounds (values outside are not clipped).
    directions : mapping, optional
        Indicator → ``+1`` (higher is better, the default) or ``-1`` (e.g. poverty rate):
        a ``-1`` indicator is reversed (:math:`1 - v` for minmax and goalpost, :math:`-z`).
    goalposts : mapping, optional
        For ``goalpost``: indicator → ``(lo, hi)`` or ``(lo, hi, "log")`` (log scale, as the
        IPM's expenditure).

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"ipm": [60.0, 70.0, 80.0], "miskin": [20.0, 10.0, 5.0]})
    >>> normalise(d, directions={"miskin": -1}).round(3).values.tolist()
    [[0.0, 0.0], [0.5, 0.667], [1.0, 1.0]]
    """
    if method not in _METHODS:
        raise ValueError(f"method: expected one of {_METHODS}, got {method!r}")
    X = _frame(data)
    dirs = _directions(X.columns, directions)
    out = {}
    for c in X.columns:
        x = X[c]
        if method == "minmax":
            span = x.max() - x.min()
            if span == 0:
                raise ValueError(f"data: indicator {c!r} is constant; min-max is undefined")
            v = (x - x.min()) / span
            out[c] = v if dirs[c] == 1 else 1 - v
        elif method == "zscore":
            sd = x.std(ddof=0)
            if sd == 0:
                raise ValueError(f"data: indicator {c!r} is constant; z-scores are undefined")
            out[c] = dirs[c] * (x - x.mean()) / sd
        else:
            if goalposts is None or c not in goalposts:
                raise ValueError(f"goalposts: no (lo, hi) for indicator {c!r}")
            gp = goalposts[c]
            lo, hi = float(gp[0]), float(gp[1])
            if not hi > lo:
                raise ValueError(f"goalposts: for {c!r} hi must exceed lo, got {gp!r}")
            if len(gp) > 2 and gp[2] == "log":
                if lo <= 0 or (x <= 0).any():
                    raise ValueError(f"goalposts: log scale for {c!r} needs positive values")
                v = (np.log(x) - np.log(lo)) / (np.log(hi) - np.log(lo))
            else:
                v = (x - lo) / (hi - lo)
            out[c] = v if dirs[c] == 1 else 1 - v
    return pd.DataFrame(out, index=X.index)


def _weights(cols, weights) -> np.ndarray:
    if weights is None:
        w = np.ones(len(cols))
    else:
        unknown = [c for c in weights if c not in cols]
        if unknown:
            raise ValueError(f"weights: not indicators: {unknown}")
        w = np.array([float(weights.get(c, 0.0)) for c in cols])
    if not np.isfinite(w).all() or (w < 0).any() or not w.sum() > 0:
        raise ValueError("weights: must be finite, non-negative, with at least one positive")
    return w / w.sum()


def _aggregate(N: np.ndarray, W: np.ndarray, aggregation: str) -> np.ndarray:
    """Scores for weight rows ``W`` (D, k) and normalised values ``N`` (n, k) → (n, D)."""
    if aggregation == "arithmetic":
        return N @ W.T
    return np.exp(np.log(N) @ W.T)


def _check_aggregation(aggregation: str, method: str, N: pd.DataFrame) -> None:
    if aggregation not in ("arithmetic", "geometric"):
        raise ValueError(f"aggregation: expected 'arithmetic' or 'geometric', got {aggregation!r}")
    if aggregation == "geometric":
        if method == "zscore":
            raise ValueError("aggregation: a geometric mean needs positive values, not z-scores")
        if (N.to_numpy() <= 0).any():
            col = N.columns[(N.to_numpy() <= 0).any(axis=0)][0]
            raise ValueError(
                f"aggregation: indicator {col!r} has a normalised value <= 0 (the minimum under "
                "min-max); a geometric mean needs positive values — use goalposts or arithmetic"
            )


def _ranks(scores: np.ndarray) -> np.ndarray:
    return stats.rankdata(-scores, axis=0, method="min").astype(int)


@dataclass(frozen=True, eq=False)
class CompositeIndex:
    """Result of :func:`composite_index`.

    Attributes
    ----------
    score : pandas.Series
        Composite score of each region (higher is better).
    rank : pandas.Series
        1 = best; ties share the best rank.
    normalised : pandas.DataFrame
        The normalised indicators (higher is better).
    weights : pandas.Series
        Weights used, summing to one.
    method, aggregation : str
    """

    score: pd.Series
    rank: pd.Series
    normalised: pd.DataFrame
    weights: pd.Series
    method: str
    aggregation: str


def composite_index(
    data: pd.DataFrame,
    weights: Mapping | None = None,
    directions: Mapping | None = None,
    method: str = "minmax",
    goalposts: Mapping | None = None,
    aggregation: str = "arithmetic",
) -> CompositeIndex:
    r"""A composite index: weighted mean of normalised indicators, with ranks.

    Parameters
    ----------
    data : pandas.DataFrame
        Regions × indicators, no missing values.
    weights : mapping, optional
        Indicator → non-negative weight (rescaled to sum to one; unlisted indicators get 0).
        Default: equal weights.
    directions, method, goalposts
        As in :func:`normalise`.
    aggregation : {"arithmetic", "geometric"}
        :math:`S_i = \sum_k w_k v_{ik}` or :math:`S_i = \prod_k v_{ik}^{w_k}` (needs positive
        normalised values, e.g. goalposts as in the IPM).

    Returns
    -------
    CompositeIndex

    References
    ----------
    OECD & JRC (2008). *Handbook on Constructing Composite Indicators*. OECD Publishing.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"ipm": [60.0, 70.0, 80.0], "miskin": [20.0, 5.0, 10.0]},
    ...                  index=["a", "b", "c"])
    >>> r = composite_index(d, directions={"miskin": -1})
    >>> r.score.round(3).tolist(), r.rank.tolist()
    ([0.0, 0.75, 0.833], [3, 2, 1])
    """
    N = normalise(data, method, directions, goalposts)
    _check_aggregation(aggregation, method, N)
    w = _weights(list(N.columns), weights)
    s = _aggregate(N.to_numpy(), w[None, :], aggregation)[:, 0]
    score = pd.Series(s, index=N.index, name="score")
    return CompositeIndex(
        score=score,
        rank=pd.Series(_ranks(s[:, None])[:, 0], index=N.index, name="rank"),
        normalised=N,
        weights=pd.Series(w, index=N.columns, name="weight"),
        method=method,
        aggregation=aggregation,
    )


@dataclass(frozen=True, eq=False)
class RankStability:
    """Result of :func:`rank_stability`.

    Attributes
    ----------
    frame : pandas.DataFrame
        Index = region; ``rank`` (with the chosen weights), ``median_rank``, ``rank_low`` and
        ``rank_high`` (the central ``level`` interval of ranks over the draws), ``width``.
    ranks : numpy.ndarray
        Ranks of every region (rows) in every draw (columns).
    weight_draws : pandas.DataFrame
        The random weights (one row per draw).
    level : float
    """

    frame: pd.DataFrame
    ranks: np.ndarray
    weight_draws: pd.DataFrame
    level: float


def rank_stability(
    data: pd.DataFrame,
    weights: Mapping | None = None,
    directions: Mapping | None = None,
    method: str = "minmax",
    goalposts: Mapping | None = None,
    aggregation: str = "arithmetic",
    *,
    n_draws: int = 1000,
    concentration: float = 50.0,
    level: float = 0.9,
    seed=0,
) -> RankStability:
    r"""How ranks move under random perturbations of the weights.

    Parameters
    ----------
    data, weights, directions, method, goalposts, aggregation
        As in :func:`composite_index`.
    n_draws : int
        Number of random weight vectors (all evaluated at once).
    concentration : float
        Dirichlet concentration :math:`c`: the draws are
        :math:`\mathrm{Dirichlet}(c\,w_1, \dots, c\,w_k)` with mean :math:`w`; smaller
        :math:`c` = larger perturbations (:math:`\mathrm{sd}(w_k) =
        \sqrt{w_k(1-w_k)/(c+1)}`). Indicators with weight 0 stay at 0.
    level : float
        Coverage of the rank interval.
    seed : int or numpy.random.Generator

    Returns
    -------
    RankStability

    References
    ----------
    Saisana, M., Saltelli, A. & Tarantola, S. (2005). *JRSS A* 168(2), 307–323.

    Examples
    --------
    Two opposite indicators with equal weights tie every region; any change of weights puts
    one extreme first and the other last, while the middle regions stay in the middle:

    >>> import pandas as pd
    >>> d = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [4.0, 3.0, 2.0, 1.0]})
    >>> rs = rank_stability(d, n_draws=500, seed=1)
    >>> rs.frame[["rank_low", "rank_high"]].values.tolist()
    [[1, 4], [2, 3], [2, 3], [1, 4]]
    """
    N = normalise(data, method, directions, goalposts)
    _check_aggregation(aggregation, method, N)
    w = _weights(list(N.columns), weights)
    n_draws = int(n_draws)
    if n_draws < 1:
        raise ValueError("n_draws: must be at least 1")
    if not concentration > 0:
        raise ValueError("concentration: must be positive")
    if not 0 < level < 1:
        raise ValueError("level: must lie strictly between 0 and 1")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    active = w > 0
    W = np.zeros((n_draws, w.size))
    W[:, active] = rng.dirichlet(concentration * w[active], size=n_draws)
    Nv = N.to_numpy()
    R = _ranks(_aggregate(Nv, W, aggregation))
    base = _ranks(_aggregate(Nv, w[None, :], aggregation))[:, 0]
    a = (1 - level) / 2
    low = np.floor(np.quantile(R, a, axis=1, method="inverted_cdf")).astype(int)
    high = np.ceil(np.quantile(R, 1 - a, axis=1, method="inverted_cdf")).astype(int)
    frame = pd.DataFrame(
        {
            "rank": base,
            "median_rank": np.median(R, axis=1),
            "rank_low": low,
            "rank_high": high,
            "width": high - low,
        },
        index=N.index,
    )
    return RankStability(
        frame=frame,
        ranks=R,
        weight_draws=pd.DataFrame(W, columns=N.columns),
        level=float(level),
    )


def ipm(uhh, hls, rls, pengeluaran, *, pengeluaran_unit: str = "ribu") -> np.ndarray:
    r"""Indeks Pembangunan Manusia (BPS new method) from its four components.

    Parameters
    ----------
    uhh : array-like
        Umur harapan hidup (life expectancy at birth, years).
    hls : array-like
        Harapan lama sekolah (expected years of schooling).
    rls : array-like
        Rata-rata lama sekolah (mean years of schooling, age 25+).
    pengeluaran : array-like
        Pengeluaran per kapita disesuaikan (adjusted per-capita expenditure per year).
    pengeluaran_unit : {"ribu", "rupiah"}
        Whether ``pengeluaran`` is in thousand rupiah (as BPS tables publish it) or rupiah.

    Returns
    -------
    numpy.ndarray
        IPM on the 0–100 scale.

    Notes
    -----
    .. math::
        I_{kes} = \frac{UHH - 20}{85 - 20}, \quad
        I_{pend} = \frac{1}{2}\Big(\frac{HLS}{18} + \frac{RLS}{15}\Big), \quad
        I_{peng} = \frac{\ln x - \ln 1{,}007{,}436}{\ln 26{,}572{,}352 - \ln 1{,}007{,}436}

    .. math:: IPM = 100 \sqrt[3]{I_{kes}\, I_{pend}\, I_{peng}}

    References
    ----------
    BPS (2015). *Indeks Pembangunan Manusia 2014: Metode Baru*. Badan Pusat Statistik.

    Examples
    --------
    Indonesia 2019 (BPS: UHH 71.34, HLS 12.95, RLS 8.34, expenditure Rp 11,299 thousand;
    published IPM 71.92):

    >>> round(float(ipm([71.34], [12.95], [8.34], [11299])[0]), 2)
    71.92
    """
    if pengeluaran_unit not in ("ribu", "rupiah"):
        raise ValueError(f"pengeluaran_unit: expected 'ribu' or 'rupiah', got {pengeluaran_unit!r}")
    u = as_array(uhh, "uhh")
    h = as_array(hls, "hls")
    r = as_array(rls, "rls")
    x = as_array(pengeluaran, "pengeluaran") * (1000.0 if pengeluaran_unit == "ribu" else 1.0)
    if not (u.size == h.size == r.size == x.size):
        raise ValueError("uhh, hls, rls, pengeluaran: lengths must match")
    lo, hi = IPM_GOALPOSTS["pengeluaran"]
    if (x <= 0).any():
        raise ValueError("pengeluaran: must be positive (the index takes its logarithm)")
    i_kes = (u - 20.0) / 65.0
    i_pend = (h / 18.0 + r / 15.0) / 2.0
    i_peng = (np.log(x) - np.log(lo)) / (np.log(hi) - np.log(lo))
    prod = i_kes * i_pend * i_peng
    if (prod < 0).any():
        raise ValueError(
            "uhh, hls, rls, pengeluaran: a dimension index is negative (below goalpost)"
        )
    return 100.0 * np.cbrt(prod)
