"""Vectorised cores of the inequality indices: rows are replicates, columns regions.

Every core takes ``Y`` (values) and ``P`` (weight shares, each row summing to one) of the same
shape and returns one value per row, so a single call evaluates an index on the data (one
row) or on every bootstrap or permutation replicate at once. The public functions in
:mod:`analysis.inequality.indices` validate their inputs and use the faster one-distribution
paths; :mod:`analysis.inequality.decomposition` and :mod:`analysis.inequality.inference` use
these cores.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.special import xlogy

from analysis._input import align_like, as_array, as_weights, require_nonnegative, require_positive


def _mean(Y: np.ndarray, P: np.ndarray) -> np.ndarray:
    return (P * Y).sum(axis=-1)


def _gini_core(Y: np.ndarray, P: np.ndarray) -> np.ndarray:
    # Sorted form of sum_i sum_j p_i p_j |y_i - y_j| / (2 mu):
    # G = sum_i p_i y_i (F_{i-1} + F_i - 1) / mu, F the cumulative weight share. O(n log n).
    # Order within tied values does not matter: a tied block contributes F_end^2 - F_start^2.
    order = np.argsort(Y, axis=-1)
    Ys = np.take_along_axis(Y, order, axis=-1)
    Ps = np.take_along_axis(P, order, axis=-1)
    F = np.cumsum(Ps, axis=-1)
    g = (Ps * Ys * (2.0 * F - Ps - 1.0)).sum(axis=-1) / _mean(Ys, Ps)
    return np.clip(g, 0.0, None)


def _theil_t_core(Y: np.ndarray, P: np.ndarray) -> np.ndarray:
    r = Y / _mean(Y, P)[..., None]
    return np.clip((P * xlogy(r, r)).sum(axis=-1), 0.0, None)


def _theil_l_core(Y: np.ndarray, P: np.ndarray) -> np.ndarray:
    mu = _mean(Y, P)[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(P > 0, P * np.log(mu / np.where(P > 0, Y, 1.0)), 0.0)
    return np.clip(terms.sum(axis=-1), 0.0, None)


def _cv_core(Y: np.ndarray, P: np.ndarray) -> np.ndarray:
    mu = _mean(Y, P)
    return np.sqrt((P * (Y - mu[..., None]) ** 2).sum(axis=-1)) / mu


def _atkinson_core(Y: np.ndarray, P: np.ndarray, epsilon: float = 0.5) -> np.ndarray:
    mu = _mean(Y, P)
    Yp = np.where(P > 0, Y, 1.0)
    if epsilon == 1:
        ede = np.exp((P * np.log(Yp)).sum(axis=-1))
    elif epsilon == 0:
        return np.zeros(mu.shape)
    else:
        ede = (P * Yp ** (1.0 - epsilon)).sum(axis=-1) ** (1.0 / (1.0 - epsilon))
    return np.clip(1.0 - ede / mu, 0.0, 1.0)


def _palma_core(Y: np.ndarray, P: np.ndarray) -> np.ndarray:
    Y2, P2 = np.atleast_2d(Y), np.atleast_2d(P)
    out = np.empty(Y2.shape[0])
    for r, (y, p) in enumerate(zip(Y2, P2, strict=True)):
        keep = p > 0
        y, p = y[keep], p[keep]
        order = np.argsort(y)
        y, p = y[order], p[order]
        F = np.concatenate(([0.0], np.cumsum(p)))
        L = np.concatenate(([0.0], np.cumsum(p * y)))
        L /= L[-1]
        F[-1] = 1.0
        l40, l90 = np.interp([0.4, 0.9], F, L)
        out[r] = (1.0 - l90) / l40 if l40 > 0 else np.nan
    return out if np.ndim(Y) > 1 else out[0]


_CORES: dict[str, Callable[..., np.ndarray]] = {
    "gini": _gini_core,
    "williamson": _cv_core,
    "coefficient_of_variation": _cv_core,
    "theil_t": _theil_t_core,
    "theil_l": _theil_l_core,
    "atkinson": _atkinson_core,
    "palma": _palma_core,
}


# Input preparation for the cores


def _prepare(y, w, *, positive: str | None = None, w_name: str = "w"):
    """Validate and return ``(y, p)`` with ``p`` the weight shares."""
    w = align_like(y, w, w_name)
    y = as_array(y, "y")
    require_nonnegative(y, "y")
    w = as_weights(w, y.size, w_name)
    if positive is not None:
        require_positive(y, w > 0, "y", positive)
    p = w / w.sum()
    if not _mean(y, p) > 0:
        raise ValueError(
            "y: every value with a positive weight is zero; the index divides by the mean and "
            "is undefined"
        )
    return y, p
