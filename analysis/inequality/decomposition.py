r"""Theil T and L decomposed into between- and within-group parts, for nested groupings.

:func:`theil_decomposition` returns a frozen :class:`TheilDecomposition` with PySAL's symbols
(``T``, ``bg``, ``wg``) as aliases. The vectorised :func:`_between_core` (rows are replicates)
is shared with the bootstrap and the permutation test of :mod:`analysis.inequality.inference`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import xlogy

from analysis._input import align_groups, as_labels
from analysis.inequality._cores import _prepare, _theil_l_core, _theil_t_core

__all__ = ["theil_decomposition", "TheilDecomposition"]


def _is_nested_spec(groups) -> bool:
    if isinstance(groups, pd.DataFrame | Mapping):
        return True
    if isinstance(groups, list | tuple) and groups:
        first = groups[0]
        return isinstance(first, list | tuple | np.ndarray | pd.Series | pd.Index)
    return False


def _levels(groups, n: int) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """Return ``[(name, codes, labels)]`` ordered coarse to fine, checking the nesting."""
    if isinstance(groups, pd.DataFrame):
        items = [(str(c), groups[c]) for c in groups.columns]
    elif isinstance(groups, Mapping):
        items = [(str(k), v) for k, v in groups.items()]
    elif _is_nested_spec(groups):
        items = [
            (
                str(g.name)
                if isinstance(g, pd.Series) and g.name is not None
                else f"level {i + 1}",
                g,
            )
            for i, g in enumerate(groups)
        ]
    else:
        name = (
            str(groups.name)
            if isinstance(groups, pd.Series) and groups.name is not None
            else "groups"
        )
        items = [(name, groups)]
    if not items:
        raise ValueError("groups: at least one grouping is needed")
    out = []
    for name, g in items:
        labels = as_labels(g, n, f"groups[{name}]")
        try:
            codes, uniques = pd.factorize(pd.Series(labels, dtype=object), sort=True)
        except TypeError:
            codes, uniques = pd.factorize(pd.Series(labels, dtype=object), sort=False)
        out.append((name, codes.astype(np.int64), np.asarray(uniques, dtype=object)))
    for (cname, ccodes, _), (fname, fcodes, flab) in zip(out, out[1:], strict=False):
        parents = pd.Series(ccodes).groupby(fcodes).nunique()
        split = parents[parents > 1]
        if len(split):
            raise ValueError(
                f"groups: '{fname}' is not nested in '{cname}' (give groupings coarse to fine): "
                f"group {flab[split.index[0]]!r} lies in {int(split.iloc[0])} groups of '{cname}'"
            )
    return out


def _between_core(Y, P, codes, G, kind):
    """Between-group Theil (rows = replicates); ``codes`` (n,) or (B, n) ints < G."""
    Y2, P2 = np.atleast_2d(Y), np.atleast_2d(P)
    B = Y2.shape[0]
    C = np.broadcast_to(codes, Y2.shape) + G * np.arange(B)[:, None]
    Pg = np.bincount(C.ravel(), P2.ravel(), minlength=B * G).reshape(B, G)
    Vg = np.bincount(C.ravel(), (P2 * Y2).ravel(), minlength=B * G).reshape(B, G)
    Sg = Vg / Vg.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "T":
            terms = np.where(Sg > 0, Sg * np.log(Sg / Pg), 0.0)
        else:
            terms = np.where(Pg > 0, Pg * np.log(Pg / Sg), 0.0)
    return np.clip(terms.sum(axis=1), 0.0, None)


_TOTAL = {"T": _theil_t_core, "L": _theil_l_core}


def _check_kind(kind: str) -> str:
    k = str(kind).upper()
    if k not in _TOTAL:
        raise ValueError(f"kind: expected 'T' or 'L', got {kind!r}")
    return k


@dataclass(frozen=True, eq=False)
class TheilDecomposition:
    """Result of :func:`theil_decomposition`.

    Attributes
    ----------
    kind : str
        ``"T"`` or ``"L"``.
    total, between, within : float
        Total inequality and its between- and within-group parts (``total = between + within``),
        for the finest grouping given. PySAL's names ``T``, ``bg`` and ``wg`` are aliases.
    between_share : float
        ``between / total`` (0 when ``total`` is 0).
    contributions : pandas.DataFrame
        One row per group of the finest grouping: ``n``, ``weight_share`` (:math:`P_g`),
        ``value_share`` (:math:`S_g`, share of total output), ``mean``, ``index`` (the group's own
        Theil), ``within`` (its contribution to the within part), ``between`` (its term of the
        between part; terms may be negative, their sum is not).
    levels : pandas.DataFrame
        One row per component of the nested decomposition, coarse to fine: ``value`` and
        ``share`` of the total; the values sum to ``total``.
    """

    kind: str
    total: float
    between: float
    within: float
    between_share: float
    contributions: pd.DataFrame
    levels: pd.DataFrame

    @property
    def T(self) -> float:  # noqa: N802 - PySAL's symbol
        return self.total

    @property
    def bg(self) -> float:
        return self.between

    @property
    def wg(self) -> float:
        return self.within


def theil_decomposition(y, w, groups, kind: str = "T") -> TheilDecomposition:
    r"""Decompose Theil's T (or L) into between- and within-group parts.

    Parameters
    ----------
    y : array-like
        Non-negative value of each region (positive for ``kind="L"``).
    w : array-like or None
        Population (or other weight) of each region; ``None`` counts each region once.
    groups : array-like, list of array-likes, dict or DataFrame
        One label per region, or several groupings ordered **coarse to fine** for a nested
        decomposition (e.g. ``{"wilayah": madura_or_mainland, "kabupaten": kab_kode}`` for
        kecamatan values). Each finer grouping must nest inside the coarser one.
    kind : {"T", "L"}
        Theil T (shares weighted by output) or Theil L (weighted by population).

    Returns
    -------
    TheilDecomposition

    Notes
    -----
    With :math:`P_g` the weight share, :math:`S_g = P_g \mu_g / \mu` the output share and
    :math:`T_g`, :math:`L_g` the index inside group *g*:

    .. math::
        T = \underbrace{\sum_g S_g \ln\frac{\mu_g}{\mu}}_{\text{between}}
            + \underbrace{\sum_g S_g T_g}_{\text{within}}, \qquad
        L = \sum_g P_g \ln\frac{\mu}{\mu_g} + \sum_g P_g L_g .

    For nested groupings :math:`g_1 \supset g_2 \supset \dots`, the components are the between
    part of level 1, then for each next level its between part minus that of the level above
    (between level *k* within level *k−1*), then the within part of the finest level (Akita
    2003). Unweighted, ``between`` and ``within`` equal PySAL's ``TheilD.bg`` and ``.wg``.

    References
    ----------
    Shorrocks, A. F. (1980). The class of additively decomposable inequality measures.
    *Econometrica* 48(3), 613–625.
    Akita, T. (2003). Decomposing regional income inequality in China and Indonesia using
    two-stage nested Theil decomposition method. *Annals of Regional Science* 37, 55–77.

    Examples
    --------
    >>> import math
    >>> d = theil_decomposition([0, 0, 0, 10, 10, 10], None, [0, 0, 0, 1, 1, 1])
    >>> math.isclose(d.total, math.log(2)), math.isclose(d.between, math.log(2)), d.within
    (True, True, 0.0)
    >>> d.between_share
    1.0
    """
    kind = _check_kind(kind)
    positive = "Theil L takes ln(y) and is undefined at zero" if kind == "L" else None
    groups = align_groups(y, groups)
    y, p = _prepare(y, w, positive=positive)
    lv = _levels(groups, y.size)
    total = float(_TOTAL[kind](y[None, :], p[None, :])[0])
    between, within, levels = _components(y, p, lv, kind, total)
    _, codes, labels = lv[-1]
    return TheilDecomposition(
        kind=kind,
        total=total,
        between=float(between),
        within=float(within),
        between_share=float(between / total) if total > 0 else 0.0,
        contributions=_contributions(y, p, codes, labels, kind, lv[-1][0]),
        levels=levels,
    )


def _components(y, p, lv, kind: str, total: float) -> tuple[float, float, pd.DataFrame]:
    """Between and within parts of the finest grouping and the nested components' frame."""
    Y, P = y[None, :], p[None, :]
    betweens = [float(_between_core(Y, P, codes, len(lab), kind)[0]) for _, codes, lab in lv]
    # Nested: between is non-decreasing as groups get finer; tiny float noise is clipped.
    betweens = list(np.maximum.accumulate(betweens))
    between = min(betweens[-1], total)
    within = max(total - between, 0.0)
    comps = [betweens[0]] + [b - a for a, b in zip(betweens, betweens[1:], strict=False)]
    names = (
        [f"between {lv[0][0]}"]
        + [f"between {lv[i][0]} within {lv[i - 1][0]}" for i in range(1, len(lv))]
        + [f"within {lv[-1][0]}"]
    )
    values = np.array(comps + [within])
    share = values / total if total > 0 else np.zeros_like(values)
    levels = pd.DataFrame(
        {"value": values, "share": share}, index=pd.Index(names, name="component")
    )
    return between, within, levels


def _contributions(y, p, codes, labels, kind: str, name: str) -> pd.DataFrame:
    """One row per group of the finest grouping (see :class:`TheilDecomposition`)."""
    G = len(labels)
    Pg = np.bincount(codes, p, minlength=G)
    Vg = np.bincount(codes, p * y, minlength=G)
    mu = Vg.sum()
    Sg = Vg / mu
    ng = np.bincount(codes, minlength=G)
    # each group's own index, all groups at once: r_i = y_i / mu_g(i)
    mu_g = np.divide(Vg, Pg, out=np.zeros(G), where=Pg > 0)
    live = (p > 0) & (mu_g[codes] > 0)
    r = np.divide(y, mu_g[codes], out=np.ones_like(y), where=live)
    with np.errstate(divide="ignore"):
        terms = xlogy(r, r) if kind == "T" else -np.log(np.where(live, r, 1.0))
    idx = np.divide(
        np.bincount(codes, np.where(live, p * terms, 0.0), minlength=G),
        Pg,
        out=np.zeros(G),
        where=Pg > 0,
    )
    idx = np.clip(idx, 0.0, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "T":
            bterm = np.where(Sg > 0, Sg * np.log(Sg / Pg), 0.0)
            wterm = Sg * idx
        else:
            bterm = np.where(Pg > 0, Pg * np.log(Pg / Sg), 0.0)
            wterm = Pg * idx
    return pd.DataFrame(
        {
            "n": ng,
            "weight_share": Pg,
            "value_share": Sg,
            "mean": mu_g,
            "index": idx,
            "within": wterm,
            "between": bterm,
        },
        index=pd.Index(labels, name=name),
    )
