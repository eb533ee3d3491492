r"""Klassen typology: regions by growth and level relative to a reference (e.g. the province).

=========  ==========================  =========================================
quadrant   condition                   label (Bahasa Indonesia / English)
=========  ==========================  =========================================
1          level ≥ ref, growth ≥ ref   Daerah maju dan tumbuh pesat /
                                       high income, high growth
2          level ≥ ref, growth < ref   Daerah maju tapi tertekan /
                                       high income, low growth
3          level < ref, growth ≥ ref   Daerah berkembang cepat /
                                       low income, high growth
4          level < ref, growth < ref   Daerah relatif tertinggal /
                                       low income, low growth
=========  ==========================  =========================================

A value equal to its reference counts as "high" (≥). As the literature does it (Klaassen
1965; Sjafrizal 2008), ``growth`` is the region's GRDP growth (real GRDP, not per capita)
averaged over a period (:func:`mean_growth`, five years by default in the dashboard) and
``level`` its GRDP per capita over the same period; the references are the province's
published growth and per capita. Without a reference, the mean of the regions (weighted when
``w`` is given) is used.

References
----------
Klaassen, L. H. (1965). *Area Economic and Social Redevelopment: Guidelines for Programmes*.
Paris: OECD.
Sjafrizal (2008). *Ekonomi Regional: Teori dan Aplikasi*. Padang: Baduose Media, ch. 9.
Kuncoro, M. (2004). *Otonomi dan Pembangunan Daerah*. Erlangga.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis._input import as_array, as_weights

__all__ = [
    "mean_growth",
    "LABELS_ID",
    "LABELS_EN",
    "klassen",
    "KlassenTypology",
    "klassen_transitions",
    "KlassenTransitions",
]

#: Quadrant number → Indonesian label (as used in Indonesian planning documents).
LABELS_ID = {
    1: "Daerah maju dan tumbuh pesat",
    2: "Daerah maju tapi tertekan",
    3: "Daerah berkembang cepat",
    4: "Daerah relatif tertinggal",
}

#: Quadrant number → English label.
LABELS_EN = {
    1: "High income, high growth",
    2: "High income, low growth",
    3: "Low income, high growth",
    4: "Low income, low growth",
}


def mean_growth(growth: pd.DataFrame, years=None) -> pd.Series:
    r"""Average annual growth of each region over a period: the arithmetic mean of its yearly
    growth rates.

    Parameters
    ----------
    growth : pandas.DataFrame
        Yearly growth rates (%, e.g. of real GRDP), one row per region, one column per year.
    years : sequence of int, optional
        The years of the period (default: every column).

    Returns
    -------
    pandas.Series
        :math:`\bar g_i = \frac{1}{T}\sum_{t} g_{it}` for the regions with a rate in every
        year of the period (the others are dropped, never averaged over fewer years).

    Notes
    -----
    Sjafrizal (2008, ch. 9) places a region by its average growth over the period against
    the province's average growth over the same years.

    Examples
    --------
    >>> g = pd.DataFrame({2020: [-2.0, 1.0], 2021: [4.0, None]}, index=["a", "b"])
    >>> mean_growth(g).to_dict()
    {'a': 1.0}
    """
    table = growth if years is None else growth.reindex(columns=list(years))
    if table.shape[1] == 0:
        raise ValueError("years: the period has no year")
    return table.dropna().mean(axis=1).rename("growth")


def _index_of(*xs):
    for x in xs:
        if isinstance(x, pd.Series):
            return x.index
    return None


def _aligned(growth, level):
    if isinstance(growth, pd.Series) and isinstance(level, pd.Series):
        if not growth.index.equals(level.index):
            if set(growth.index) != set(level.index):
                missing = sorted(set(growth.index) ^ set(level.index), key=str)[:5]
                raise ValueError(f"growth and level cover different regions, e.g. {missing}")
            level = level.reindex(growth.index)
    g = as_array(growth, "growth")
    y = as_array(level, "level")
    if g.size != y.size:
        raise ValueError(f"growth has {g.size} values and level {y.size}; lengths must match")
    return g, y, _index_of(growth, level)


@dataclass(frozen=True, eq=False)
class KlassenTypology:
    """Result of :func:`klassen`.

    Attributes
    ----------
    quadrant : pandas.Series
        Quadrant 1–4 of each region (index = region ids, or 0..n-1).
    label : pandas.Series
        Indonesian label of each region's quadrant.
    growth_ref, level_ref : float
        The references used.
    counts : pandas.Series
        Regions per quadrant (1–4, all shown).
    """

    quadrant: pd.Series
    label: pd.Series
    growth_ref: float
    level_ref: float
    counts: pd.Series

    def labels(self, lang: str = "id") -> pd.Series:
        """Labels in Bahasa Indonesia (``"id"``) or English (``"en"``)."""
        table = LABELS_ID if lang == "id" else LABELS_EN
        return self.quadrant.map(table)


def klassen(
    growth, level, growth_ref: float | None = None, level_ref: float | None = None, w=None
) -> KlassenTypology:
    """Klassen typology of regions by growth and level.

    Parameters
    ----------
    growth : array-like or pandas.Series
        Growth rate of each region (any unit, e.g. % per year).
    level : array-like or pandas.Series
        Level of each region (e.g. GRDP per capita). Series are aligned by index.
    growth_ref, level_ref : float, optional
        References (e.g. the province's growth and GRDP per capita). Default: the mean over
        the regions, weighted by ``w`` if given (for GRDP per capita weighted by population,
        the mean is the area's per-capita value).
    w : array-like, optional
        Weights for the default references.

    Returns
    -------
    KlassenTypology

    Raises
    ------
    ValueError
        On missing values, mismatched lengths or a non-finite reference.

    Examples
    --------
    >>> k = klassen([6.0, 4.0, 7.0, 3.0], [50, 60, 20, 10], growth_ref=5.0, level_ref=30)
    >>> k.quadrant.tolist()
    [1, 2, 3, 4]
    >>> k.label.iloc[3]
    'Daerah relatif tertinggal'
    """
    g, y, index = _aligned(growth, level)
    if growth_ref is None or level_ref is None:
        ww = as_weights(w, g.size)
        p = ww / ww.sum()
        growth_ref = float(p @ g) if growth_ref is None else growth_ref
        level_ref = float(p @ y) if level_ref is None else level_ref
    for name, ref in (("growth_ref", growth_ref), ("level_ref", level_ref)):
        if not np.isfinite(float(ref)):
            raise ValueError(f"{name}: must be a finite number, got {ref!r}")
    high_level = y >= level_ref
    high_growth = g >= growth_ref
    q = np.where(high_level, np.where(high_growth, 1, 2), np.where(high_growth, 3, 4))
    idx = index if index is not None else pd.RangeIndex(g.size)
    quadrant = pd.Series(q, index=idx, name="quadrant")
    counts = quadrant.value_counts().reindex([1, 2, 3, 4], fill_value=0)
    return KlassenTypology(
        quadrant=quadrant,
        label=quadrant.map(LABELS_ID).rename("label"),
        growth_ref=float(growth_ref),
        level_ref=float(level_ref),
        counts=counts,
    )


@dataclass(frozen=True, eq=False)
class KlassenTransitions:
    """Result of :func:`klassen_transitions`.

    Attributes
    ----------
    matrix : pandas.DataFrame
        Counts: rows = quadrant in the first period, columns = quadrant in the second (1–4).
    changes : pandas.DataFrame
        The regions that changed quadrant: ``before``, ``after`` (index = region).
    share_stayed : float
        Share of regions in the same quadrant in both periods.
    n : int
        Regions present in both periods.
    """

    matrix: pd.DataFrame
    changes: pd.DataFrame
    share_stayed: float
    n: int

    def probabilities(self) -> pd.DataFrame:
        """Row-normalised transition probabilities (rows with no region are 0)."""
        totals = self.matrix.sum(axis=1).replace(0, 1)
        return self.matrix.div(totals, axis=0)


def klassen_transitions(before, after) -> KlassenTransitions:
    """Transitions between Klassen quadrants of two periods.

    Parameters
    ----------
    before, after : KlassenTypology or pandas.Series
        Quadrants (1–4) per region for the first and second period. Only regions present in
        both are counted.

    Returns
    -------
    KlassenTransitions

    Examples
    --------
    >>> a = pd.Series({"x": 1, "y": 4, "z": 4})
    >>> b = pd.Series({"x": 1, "y": 3, "z": 4})
    >>> t = klassen_transitions(a, b)
    >>> int(t.matrix.loc[4, 3]), t.changes.index.tolist(), round(t.share_stayed, 3)
    (1, ['y'], 0.667)
    """
    s0 = before.quadrant if isinstance(before, KlassenTypology) else before
    s1 = after.quadrant if isinstance(after, KlassenTypology) else after
    if not isinstance(s0, pd.Series) or not isinstance(s1, pd.Series):
        raise TypeError("before, after: pass KlassenTypology results or Series indexed by region")
    both = pd.concat({"before": s0, "after": s1}, axis=1, join="inner")
    if both.isna().any().any():
        raise ValueError("before, after: missing quadrants")
    if not both.isin([1, 2, 3, 4]).all().all():
        raise ValueError("before, after: quadrants must be 1, 2, 3 or 4")
    both = both.astype(int)
    if both.empty:
        raise ValueError("before, after: no region is present in both periods")
    quads = [1, 2, 3, 4]
    matrix = (
        pd.crosstab(both["before"], both["after"])
        .reindex(index=quads, columns=quads, fill_value=0)
        .astype(int)
    )
    matrix.index.name, matrix.columns.name = "before", "after"
    changed = both[both["before"] != both["after"]]
    return KlassenTransitions(
        matrix=matrix,
        changes=changed,
        share_stayed=float((both["before"] == both["after"]).mean()),
        n=int(len(both)),
    )
