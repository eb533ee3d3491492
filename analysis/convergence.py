r"""Sigma and beta convergence of regional values over time.

* :func:`sigma_convergence` — an inequality index each year and a linear trend test: the
  regions converge in the sigma sense when dispersion falls over time.
* :func:`beta_convergence` — growth regressed on the log initial level: a negative
  coefficient means poorer regions grow faster (absolute beta convergence), with the implied
  speed of convergence and half-life.

References
----------
Barro, R. J. & Sala-i-Martin, X. (1992). Convergence. *Journal of Political Economy* 100(2),
223–251.
Sala-i-Martin, X. (1996). The classical approach to convergence analysis. *Economic Journal*
106(437), 1019–1036.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from analysis import inequality as ineq
from analysis._input import as_array, as_labels, as_weights, require_positive

__all__ = [
    "sigma_convergence",
    "SigmaConvergence",
    "beta_convergence",
    "BetaConvergence",
    "SIGMA_INDICES",
]


def _sd_log(y, w=None) -> float:
    y = as_array(y, "y")
    require_positive(y, None, "y", "the standard deviation of logs needs positive values")
    p = as_weights(w, y.size)
    p = p / p.sum()
    ly = np.log(y)
    return float(np.sqrt(p @ (ly - p @ ly) ** 2))


#: Dispersion measures :func:`sigma_convergence` accepts by name.
SIGMA_INDICES = {
    "sd_log": _sd_log,
    "cv": ineq.coefficient_of_variation,
    "williamson": ineq.coefficient_of_variation,
    "gini": ineq.gini,
    "theil_t": ineq.theil_t,
    "theil_l": ineq.theil_l,
}


@dataclass(frozen=True, eq=False)
class SigmaConvergence:
    """Result of :func:`sigma_convergence`.

    Attributes
    ----------
    values : pandas.Series
        The index for each year (index = year).
    index : str
        The dispersion measure.
    slope, intercept : float
        Linear trend of the index on the year (OLS).
    slope_se, p_value : float
        Standard error of the slope and two-sided p-value (t test, n − 2 df; NaN-free:
        with fewer than three years the test is not made and ``p_value`` is ``None``).
    r2 : float
    change : float
        Last value minus first value.
    converging : bool
        ``slope < 0`` and ``p_value < alpha``.
    alpha : float
    """

    values: pd.Series
    index: str
    slope: float
    intercept: float
    slope_se: float | None
    p_value: float | None
    r2: float | None
    change: float
    converging: bool
    alpha: float


def sigma_convergence(
    data: pd.DataFrame, weights=None, index: str = "sd_log", alpha: float = 0.05
) -> SigmaConvergence:
    r"""Dispersion over the years and its linear trend (sigma convergence).

    Parameters
    ----------
    data : pandas.DataFrame
        Wide frame: one row per region, one column per year (column labels are the years),
        e.g. GRDP per capita. Missing values raise ``ValueError``.
    weights : pandas.DataFrame or pandas.Series or array-like, optional
        Weights (population): a frame shaped like ``data`` (one weight per region and year),
        or one weight per region used every year.
    index : str
        ``"sd_log"`` (standard deviation of log values, the classic measure), ``"cv"`` /
        ``"williamson"`` (weighted coefficient of variation), ``"gini"``, ``"theil_t"`` or
        ``"theil_l"``.
    alpha : float
        Significance level of the trend test.

    Returns
    -------
    SigmaConvergence

    Notes
    -----
    :math:`\sigma_t = \sqrt{\sum_i p_{it} (\ln y_{it} - \overline{\ln y}_t)^2}` (for
    ``sd_log``), then :math:`\sigma_t = a + b\,t + e_t` by OLS; convergence when
    :math:`b < 0` significantly.

    References
    ----------
    Sala-i-Martin, X. (1996). *Economic Journal* 106(437), 1019–1036.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({2015: [1.0, 4.0], 2016: [1.5, 4.0], 2017: [2.0, 4.0]})
    >>> s = sigma_convergence(d, index="sd_log")
    >>> [round(v, 4) for v in s.values]
    [0.6931, 0.4904, 0.3466]
    >>> s.slope < 0
    True
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError("data: expected a wide DataFrame (regions × years)")
    if index not in SIGMA_INDICES:
        raise ValueError(f"index: expected one of {sorted(SIGMA_INDICES)}, got {index!r}")
    if data.shape[1] < 2:
        raise ValueError("data: at least two years are needed")
    try:
        years = np.array([float(c) for c in data.columns])
    except (TypeError, ValueError):
        raise ValueError("data: column labels must be years") from None
    f = SIGMA_INDICES[index]
    values = {}
    for col in data.columns:
        if isinstance(weights, pd.DataFrame):
            w = weights[col].reindex(data.index)
        else:
            w = weights.reindex(data.index) if isinstance(weights, pd.Series) else weights
        try:
            values[col] = f(data[col], w)
        except ValueError as exc:
            raise ValueError(f"year {col}: {exc}") from None
    series = pd.Series(values, name=index, dtype=float)
    v = series.to_numpy()
    if len(v) >= 3 and np.ptp(years) > 0:
        reg = stats.linregress(years, v)
        slope, intercept = float(reg.slope), float(reg.intercept)
        se, p, r2 = float(reg.stderr), float(reg.pvalue), float(reg.rvalue**2)
    else:
        slope = float((v[-1] - v[0]) / (years[-1] - years[0]))
        intercept = float(v[0] - slope * years[0])
        se = p = r2 = None
    return SigmaConvergence(
        values=series,
        index=index,
        slope=slope,
        intercept=intercept,
        slope_se=se,
        p_value=p,
        r2=r2,
        change=float(v[-1] - v[0]),
        converging=bool(slope < 0 and p is not None and p < alpha),
        alpha=float(alpha),
    )


@dataclass(frozen=True, eq=False)
class BetaConvergence:
    """Result of :func:`beta_convergence`.

    Attributes
    ----------
    beta : float
        Coefficient of :math:`\\ln y_0` in the growth regression.
    intercept : float
    se, t, p_value : float
        Standard error, t statistic and two-sided p-value of ``beta`` (n − 2 df).
    r2 : float
    n : int
    years : float
        Length of the period :math:`T`.
    speed : float or None
        :math:`\\lambda = -\\ln(1 + \\beta T)/T` per year (``None`` when
        :math:`1 + \\beta T \\le 0`).
    half_life : float or None
        :math:`\\ln 2 / \\lambda` years (``None`` unless :math:`\\lambda > 0`).
    converging : bool
        ``beta < 0`` and ``p_value < alpha``.
    x, growth : numpy.ndarray
        :math:`\\ln y_0` and the annual growth of each region (for a scatter plot).
    """

    beta: float
    intercept: float
    se: float
    t: float
    p_value: float
    r2: float
    n: int
    years: float
    speed: float | None
    half_life: float | None
    converging: bool
    x: np.ndarray
    growth: np.ndarray


def beta_convergence(
    y0, y1, years: float, w=None, alpha: float = 0.05, groups=None
) -> BetaConvergence:
    r"""Beta convergence: annual growth on log initial level (OLS or WLS).

    Parameters
    ----------
    y0, y1 : array-like
        Positive values (e.g. GRDP per capita at constant prices) at the start and the end.
    years : float
        Length of the period :math:`T` in years (> 0).
    w : array-like, optional
        Weights for weighted least squares (e.g. population); ``None`` = OLS.
    alpha : float
        Significance level for ``converging``.
    groups : array-like, optional
        A group label per region (e.g. kabupaten of each kecamatan): adds one fixed effect
        per group (conditional convergence within groups); ``intercept`` is then that of the
        first group.

    Returns
    -------
    BetaConvergence

    Notes
    -----
    .. math:: \frac{1}{T}\ln\frac{y_{i,T}}{y_{i,0}} = a + \beta \ln y_{i,0} + \varepsilon_i,
              \qquad \lambda = -\frac{\ln(1 + \beta T)}{T}, \qquad
              t_{1/2} = \frac{\ln 2}{\lambda}

    With weights, the coefficients minimise :math:`\sum_i w_i \varepsilon_i^2` and the
    standard error uses the weighted residual variance with weights scaled to mean 1. With
    ``groups``, :math:`a` becomes :math:`a_g` (group fixed effects) and the residual degrees of
    freedom are :math:`n - 1 - G`.

    References
    ----------
    Barro, R. J. & Sala-i-Martin, X. (1992). Convergence. *Journal of Political Economy*
    100(2), 223–251.

    Examples
    --------
    >>> import math
    >>> b = beta_convergence([1, 2, 4, 8], [2, 3, 5, 9], years=10)
    >>> b.beta < 0, round(b.beta, 5)
    (True, -0.02753)
    >>> round(b.half_life, 2)
    21.52
    """
    a0 = as_array(y0, "y0")
    a1 = as_array(y1, "y1")
    if a0.size != a1.size:
        raise ValueError(f"y0 has {a0.size} values and y1 {a1.size}; lengths must match")
    require_positive(a0, None, "y0", "growth rates take logarithms")
    require_positive(a1, None, "y1", "growth rates take logarithms")
    T = float(years)
    if not (np.isfinite(T) and T > 0):
        raise ValueError(f"years: the period must be a positive number of years, got {years!r}")
    n = a0.size
    if n < 3:
        raise ValueError("y0: at least three regions are needed for a regression with a test")
    x = np.log(a0)
    g = np.log(a1 / a0) / T
    if np.ptp(x) == 0:
        raise ValueError("y0: all initial values are equal; beta is undefined")
    ww = as_weights(w, n)
    ww = ww * (n / ww.sum())
    coef, cov, resid, dof = _wls(_design(x, groups), g, ww)
    beta, intercept = float(coef[1]), float(coef[0])
    se = float(np.sqrt(max(cov[1, 1], 0.0)))
    t = beta / se if se > 0 else float(np.copysign(np.inf, beta))
    p = float(2 * stats.t.sf(abs(t), dof)) if se > 0 else 0.0
    gbar = float(ww @ g / n)
    ss_tot = float(ww @ (g - gbar) ** 2)
    r2 = 1 - float(ww @ resid**2) / ss_tot if ss_tot > 0 else 1.0
    speed = -np.log1p(beta * T) / T if 1 + beta * T > 0 else None
    half = float(np.log(2) / speed) if speed is not None and speed > 0 else None
    return BetaConvergence(
        beta=beta,
        intercept=intercept,
        se=se,
        t=float(t),
        p_value=p,
        r2=float(r2),
        n=int(n),
        years=T,
        speed=None if speed is None else float(speed),
        half_life=half,
        converging=bool(beta < 0 and p < alpha),
        x=x,
        growth=g,
    )


def _design(x: np.ndarray, groups) -> np.ndarray:
    """Columns: intercept, ``x``, then one dummy per group after the first (fixed effects)."""
    n = x.size
    columns = [np.ones(n), x]
    if groups is not None:
        codes, _ = pd.factorize(pd.Series(as_labels(groups, n), dtype=object), sort=False)
        columns += [(codes == k).astype(float) for k in range(1, codes.max() + 1)]
    return np.column_stack(columns)


def _wls(X: np.ndarray, g: np.ndarray, ww: np.ndarray):
    """Weighted least squares of ``g`` on ``X``: ``(coef, cov, resid, dof)``.

    ``ww`` are the weights scaled to mean 1; ``cov`` uses the weighted residual variance.
    """
    dof = g.size - X.shape[1]
    if dof < 1:
        raise ValueError("groups: too many groups for the number of regions (no residual df)")
    XtW = X.T * ww
    XtWX = XtW @ X
    try:
        coef = np.linalg.solve(XtWX, XtW @ g)
        inv = np.linalg.inv(XtWX)
    except np.linalg.LinAlgError:
        raise ValueError(
            "y0: the regression is singular (e.g. the initial level does not vary within groups)"
        ) from None
    resid = g - X @ coef
    sigma2 = float(ww @ resid**2) / dof
    return coef, sigma2 * inv, resid, dof
