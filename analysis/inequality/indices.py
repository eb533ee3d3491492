r"""Scalar inequality indices of one distribution, optionally population-weighted.

Gini, Williamson, coefficient of variation, Theil T and L, Atkinson, Palma, max/min ratio, and
:func:`all_indices` (every index at once, what the dashboard shows). The rules for awkward
inputs are those of :mod:`analysis.inequality`. Scalar indices return a Python ``float``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from analysis._input import align_like, as_array, as_weights, require_nonnegative, require_positive

__all__ = [
    "gini",
    "williamson",
    "coefficient_of_variation",
    "theil_t",
    "theil_l",
    "atkinson",
    "palma",
    "max_min_ratio",
    "all_indices",
    "InequalityIndices",
]

# ---------------------------------------------------------------------------------------------
# Fast paths for one distribution (the dashboard's case)
# ---------------------------------------------------------------------------------------------
# ``p is None`` means unweighted, so no weight arrays are built, and a sort replaces an argsort.


def _prep1(y, w, *, positive: str | None = None, w_name: str = "w"):
    """Validate and return ``(y, p, mu)``; ``p`` is None when unweighted."""
    w = align_like(y, w, w_name)
    y = as_array(y, "y")
    if y.min() < 0:
        require_nonnegative(y, "y")
    if w is None:
        p = None
        if positive is not None and y.min() <= 0:
            require_positive(y, None, "y", positive)
        mu = float(y.mean())
    else:
        ww = as_weights(w, y.size, w_name)
        if positive is not None:
            require_positive(y, ww > 0, "y", positive)
        if ww.min() == 0:  # regions with weight 0 take no part: drop them once, here
            keep = ww > 0
            y, ww = y[keep], ww[keep]
        p = ww / ww.sum()
        mu = float(p @ y)
    if not mu > 0:
        raise ValueError(
            "y: every value with a positive weight is zero; the index divides by the mean and "
            "is undefined"
        )
    return y, p, mu


def _sorted(y, p):
    """Values sorted ascending with their weight shares, cumulative shares and products."""
    if p is None:
        return np.sort(y), None, None, None
    order = np.argsort(y)  # order within ties does not matter for the Gini or the Lorenz curve
    ys, ps = y[order], p[order]
    return ys, ps, np.cumsum(ps), ps * ys


def _gini_sorted(ys, ps, F, v, mu) -> float:
    if ps is None:
        n = ys.size
        total = n * mu
        g = (2.0 * (np.arange(1, n + 1, dtype=float) @ ys) - (n + 1) * total) / (n * total)
    else:
        g = (2.0 * (v @ F) - v @ ps - mu) / mu
    return max(float(g), 0.0)


def _gini1(y, p, mu) -> float:
    return _gini_sorted(*_sorted(y, p), mu)


def _cv1(y, p, mu) -> float:
    d = y - mu
    var = float(d @ d) / y.size if p is None else float(p @ (d * d))
    return float(np.sqrt(var) / mu)


def _theil_t1(y, p, mu) -> float:
    r = y / mu
    t = r * np.log(r, out=np.zeros_like(r), where=r > 0)  # 0 ln 0 = 0
    return max(float(t.mean() if p is None else p @ t), 0.0)


def _mean_log(y, p, logy=None) -> float:
    logy = np.log(y) if logy is None else logy
    return float(logy.mean() if p is None else p @ logy)


def _theil_l1(y, p, mu, logy=None) -> float:
    return max(float(np.log(mu) - _mean_log(y, p, logy)), 0.0)


def _atkinson1(y, p, mu, epsilon, logy=None) -> float:
    if epsilon == 0:
        return 0.0
    if epsilon == 1:
        ede = float(np.exp(_mean_log(y, p, logy)))
    else:
        e = 1.0 - epsilon
        z = np.sqrt(y) if epsilon == 0.5 else y**e
        m = float(z.mean() if p is None else p @ z)
        ede = m ** (1.0 / e)
    return min(max(1.0 - ede / mu, 0.0), 1.0)


def _lorenz_at(x: float, ys, ps, F, C) -> float:
    """Share of the total held by the poorest ``x`` of the population (linear within a region)."""
    if ps is None:
        n = ys.size
        k = min(int(np.floor(x * n)), n - 1)
        before = C[k - 1] if k > 0 else 0.0
        return float((before + (x * n - k) * ys[k]) / C[-1])
    k = min(int(np.searchsorted(F, x, side="left")), F.size - 1)
    f_before = F[k - 1] if k > 0 else 0.0
    c_before = C[k - 1] if k > 0 else 0.0
    return float((c_before + (x - f_before) * ys[k]) / C[-1])


def _palma_sorted(ys, ps, F, v) -> float:
    C = np.cumsum(ys if ps is None else v)
    l40 = _lorenz_at(0.4, ys, ps, F, C)
    l90 = _lorenz_at(0.9, ys, ps, F, C)
    return float((1.0 - l90) / l40) if l40 > 0 else float("nan")


def _palma1(y, p) -> float:
    return _palma_sorted(*_sorted(y, p))


# ---------------------------------------------------------------------------------------------
# Scalar indices
# ---------------------------------------------------------------------------------------------


def gini(y, w=None) -> float:
    r"""Gini coefficient, optionally population-weighted.

    Parameters
    ----------
    y : array-like
        Non-negative value of each region (e.g. GRDP per capita).
    w : array-like, optional
        Non-negative weight of each region (e.g. population). ``None``: each region counts once.

    Returns
    -------
    float
        The Gini coefficient, in :math:`[0, 1)`.

    Raises
    ------
    ValueError
        On missing, infinite or negative values, bad weights, or a zero mean.

    Notes
    -----
    .. math:: G = \frac{1}{2\mu} \sum_i \sum_j p_i p_j |y_i - y_j|,
              \quad p_i = \frac{w_i}{\sum_k w_k}, \quad \mu = \sum_i p_i y_i

    computed in :math:`O(n \log n)` from the values sorted ascending with :math:`F_i` the
    cumulative weight share: :math:`G = \sum_i p_i y_i (F_{i-1} + F_i - 1) / \mu`. Unweighted,
    it equals PySAL's ``Gini`` (relative mean difference form). Zeros are allowed.

    References
    ----------
    Lerman, R. I. & Yitzhaki, S. (1989). Improving the accuracy of estimates of Gini
    coefficients. *Journal of Econometrics* 42(1), 43–47.
    Cowell, F. A. (2011). *Measuring Inequality*, 3rd ed. Oxford University Press.

    Examples
    --------
    One rich region among five gives :math:`(n-1)/n`:

    >>> gini([0, 0, 0, 0, 10])
    0.8
    >>> round(gini([1, 2, 3, 4]), 6)
    0.25
    >>> round(gini([1, 2], w=[3, 1]), 6)   # same as gini([1, 1, 1, 2])
    0.15
    """
    y, p, mu = _prep1(y, w)
    return _gini1(y, p, mu)


def williamson(y, pop) -> float:
    r"""Williamson index: the population-weighted coefficient of variation.

    Parameters
    ----------
    y : array-like
        Non-negative per-capita value of each region (e.g. GRDP per capita).
    pop : array-like
        Population of each region (required: the index is defined with population weights).

    Returns
    -------
    float
        The Williamson index :math:`V_w \ge 0`.

    Notes
    -----
    .. math:: V_w = \frac{\sqrt{\sum_i p_i (y_i - \mu)^2}}{\mu},
              \quad p_i = \frac{f_i}{\sum_k f_k}, \quad \mu = \sum_i p_i y_i

    with :math:`f_i` the population of region *i*. With :math:`y_i` per-capita output,
    :math:`\mu` is the per-capita output of the whole area. This is the form used in
    Indonesian regional studies (e.g. Sjafrizal, *Ekonomi Regional*, 2008). Identical to
    ``coefficient_of_variation(y, pop)``.

    References
    ----------
    Williamson, J. G. (1965). Regional inequality and the process of national development:
    a description of the patterns. *Economic Development and Cultural Change* 13(4), 1–84.

    Examples
    --------
    >>> williamson([1, 3], pop=[1, 1])
    0.5
    >>> round(williamson([2, 6], pop=[3, 1]) ** 2, 12)   # mean 3, variance 3
    0.333333333333
    """
    if pop is None:
        raise ValueError("pop: the Williamson index needs population weights")
    y, p, mu = _prep1(y, pop, w_name="pop")
    return _cv1(y, p, mu)


def coefficient_of_variation(y, w=None) -> float:
    r"""Coefficient of variation (population standard deviation over the mean).

    Notes
    -----
    .. math:: CV = \frac{\sqrt{\sum_i p_i (y_i - \mu)^2}}{\mu}

    Unweighted, :math:`p_i = 1/n` (the standard deviation uses divisor *n*, not *n − 1*).
    Weighted by population it is the Williamson index.

    References
    ----------
    Cowell, F. A. (2011). *Measuring Inequality*, 3rd ed., ch. 2. Oxford University Press.

    Examples
    --------
    >>> coefficient_of_variation([2, 4, 4, 4, 5, 5, 7, 9])
    0.4
    """
    y, p, mu = _prep1(y, w)
    return _cv1(y, p, mu)


def theil_t(y, w=None) -> float:
    r"""Theil T index (GE(1), income-share weighted mean log deviation).

    Notes
    -----
    .. math:: T = \sum_i p_i \frac{y_i}{\mu} \ln \frac{y_i}{\mu}

    with :math:`0 \ln 0 = 0`, so zeros are allowed. Unweighted, it equals PySAL's ``Theil``.
    Bounded by :math:`\ln(1/\min_i p_i)` (:math:`\ln n` unweighted).

    References
    ----------
    Theil, H. (1967). *Economics and Information Theory*. North-Holland.
    Shorrocks, A. F. (1980). The class of additively decomposable inequality measures.
    *Econometrica* 48(3), 613–625.

    Examples
    --------
    >>> import math
    >>> math.isclose(theil_t([0, 0, 0, 10, 10, 10]), math.log(2))
    True
    """
    y, p, mu = _prep1(y, w)
    return _theil_t1(y, p, mu)


def theil_l(y, w=None) -> float:
    r"""Theil L index (GE(0), mean log deviation).

    Notes
    -----
    .. math:: L = \sum_i p_i \ln \frac{\mu}{y_i}

    Undefined when a region with positive weight has :math:`y_i = 0`: that raises a
    ``ValueError`` (drop the region or give it weight 0 explicitly).

    References
    ----------
    Theil, H. (1967). *Economics and Information Theory*. North-Holland.
    Shorrocks, A. F. (1980). *Econometrica* 48(3), 613–625.

    Examples
    --------
    >>> import math
    >>> math.isclose(theil_l([1, 4]), math.log(2.5) - math.log(2))
    True
    """
    y, p, mu = _prep1(y, w, positive="Theil L takes ln(y) and is undefined at zero")
    return _theil_l1(y, p, mu)


def atkinson(y, epsilon: float = 0.5, w=None) -> float:
    r"""Atkinson index with inequality aversion :math:`\varepsilon`.

    Notes
    -----
    .. math:: A_\varepsilon = 1 - \frac{1}{\mu}
              \Big(\sum_i p_i y_i^{1-\varepsilon}\Big)^{1/(1-\varepsilon)},
              \qquad A_1 = 1 - \frac{\exp(\sum_i p_i \ln y_i)}{\mu}

    :math:`\varepsilon \ge 0`. Zeros are allowed for :math:`\varepsilon < 1` and raise a
    ``ValueError`` for :math:`\varepsilon \ge 1`. Unweighted, it equals PySAL's
    ``inequality.atkinson.Atkinson``.

    References
    ----------
    Atkinson, A. B. (1970). On the measurement of inequality. *Journal of Economic Theory*
    2(3), 244–263.

    Examples
    --------
    >>> round(atkinson([10, 20, 30, 40, 50], epsilon=0.5), 5)
    0.06315
    >>> round(atkinson([10, 20, 30, 40, 50], epsilon=1), 5)
    0.13161
    """
    eps = float(epsilon)
    if not (np.isfinite(eps) and eps >= 0):
        raise ValueError(f"epsilon: must be a finite number >= 0, got {epsilon!r}")
    positive = (
        f"the Atkinson index with epsilon={eps:g} >= 1 is undefined at zero" if eps >= 1 else None
    )
    y, p, mu = _prep1(y, w, positive=positive)
    return _atkinson1(y, p, mu, eps)


def palma(y, w=None) -> float:
    r"""Palma ratio: the share of the richest 10 % over the share of the poorest 40 %.

    Notes
    -----
    With regions sorted by :math:`y` and the Lorenz curve :math:`L(F)` interpolated linearly
    between regions (a region straddling a cut-off is split by population),

    .. math:: \text{Palma} = \frac{1 - L(0.9)}{L(0.4)}.

    Unweighted, each region is one unit of population. Raises ``ValueError`` when the
    poorest 40 % hold nothing (:math:`L(0.4) = 0`).

    References
    ----------
    Palma, J. G. (2011). Homogeneous middles vs. heterogeneous tails, and the end of the
    'inverted-U'. *Development and Change* 42(1), 87–153.
    Cobham, A. & Sumner, A. (2013). Is it all about the tails? The Palma measure of income
    inequality. CGD Working Paper 343.

    Examples
    --------
    Ten regions with values 1..10: the top one holds 10/55, the bottom four 10/55.

    >>> round(palma(list(range(1, 11))), 12)
    1.0
    """
    y, p, _ = _prep1(y, w)
    value = _palma1(y, p)
    if not np.isfinite(value):
        raise ValueError(
            "y: the poorest 40 % of the population hold nothing; the Palma ratio is undefined"
        )
    return value


def max_min_ratio(y) -> float:
    r"""Ratio of the largest to the smallest value.

    Notes
    -----
    .. math:: R = \max_i y_i / \min_i y_i

    Requires every value to be positive (a zero minimum raises ``ValueError``).

    Examples
    --------
    >>> max_min_ratio([2, 5, 8])
    4.0
    """
    y = as_array(y, "y")
    require_positive(y, None, "y", "the max/min ratio divides by the smallest value")
    return float(y.max() / y.min())


@dataclass(frozen=True)
class InequalityIndices:
    """All indices of one distribution (see :func:`all_indices`).

    ``theil_l``, ``atkinson_1`` and ``max_min_ratio`` are ``None`` when undefined (a zero value)
    and ``palma`` is ``None`` when the poorest 40 % hold nothing; ``notes`` says why.
    """

    n: int
    mean: float
    gini: float
    williamson: float
    theil_t: float
    theil_l: float | None
    atkinson_05: float
    atkinson_1: float | None
    palma: float | None
    max_min_ratio: float | None
    weighted: bool
    notes: tuple[str, ...] = field(default=())


def all_indices(y, w=None) -> InequalityIndices:
    """Every index at once (one validation, shared sorting); what the dashboard shows.

    ``williamson`` is the coefficient of variation with the given weights (the Williamson index
    when ``w`` is the population). Indices that are undefined for this input (zeros for
    Theil L, Atkinson(1) and max/min; an empty bottom 40 % for Palma) are ``None`` with a note,
    never NaN.

    Examples
    --------
    >>> r = all_indices([0, 0, 0, 10, 10, 10])
    >>> round(r.gini, 12), r.theil_l, r.notes[0]
    (0.5, None, 'theil_l: undefined because some values are zero')
    """
    y, p, mu = _prep1(y, w)
    notes: list[str] = []
    # one sort (or argsort) serves the Gini, the Palma ratio and the extremes
    srt = _sorted(y, p)
    lo, hi = srt[0][0], srt[0][-1]
    has_zero = bool(lo == 0)
    logy = None
    if has_zero:
        notes += [f"{k}: undefined because some values are zero" for k in ("theil_l", "atkinson_1")]
    else:
        logy = np.log(y)
    mm = float(hi / lo) if lo > 0 else None
    if mm is None:
        notes.append("max_min_ratio: undefined because the smallest value is zero")
    pal = _palma_sorted(*srt)
    if not np.isfinite(pal):
        pal = None
        notes.append("palma: undefined because the poorest 40 % hold nothing")
    return InequalityIndices(
        n=int(y.size),
        mean=mu,
        gini=_gini_sorted(*srt, mu),
        williamson=_cv1(y, p, mu),
        theil_t=_theil_t1(y, p, mu),
        theil_l=None if has_zero else _theil_l1(y, p, mu, logy),
        atkinson_05=_atkinson1(y, p, mu, 0.5),
        atkinson_1=None if has_zero else _atkinson1(y, p, mu, 1.0, logy),
        palma=pal,
        max_min_ratio=mm,
        weighted=w is not None,
        notes=tuple(notes),
    )
