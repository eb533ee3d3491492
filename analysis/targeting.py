r"""Need versus coverage: where does a programme reach too few of those who need it?

For a *need* indicator (e.g. the poverty rate) and a *coverage* indicator (e.g. the share of
people covered by PBI-JKN), :func:`need_coverage` gives each region

* a need score and a coverage score in :math:`[0, 1]` (percentile ranks, 1 = most need /
  most coverage; or z-scores with ``method="z"``);
* a gap score, need score minus coverage score (positive: coverage lags need);
* a priority ranking (1 = largest gap; ties broken by the higher need, then by input order);
* 3×3 bivariate classes for a map: need tercile × coverage tercile (class ``"3-1"`` = high
  need, low coverage, the top priority).

Percentile ranks make the two indicators comparable whatever their units and skew.

References
----------
Stevens, J. (2015). Bivariate choropleth maps: a how-to guide.
https://www.joshuastevens.net/cartography/make-a-bivariate-choropleth-map/
Coady, D., Grosh, M. & Hoddinott, J. (2004). *Targeting of Transfers in Developing Countries*.
World Bank.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis._input import as_array

from .ranking import rank

__all__ = [
    "need_coverage",
    "gap_rows",
    "NeedCoverage",
    "BIVARIATE_LABELS_ID",
    "BIVARIATE_LABELS_EN",
]

_LEVEL_ID = {1: "rendah", 2: "sedang", 3: "tinggi"}
_LEVEL_EN = {1: "low", 2: "medium", 3: "high"}

#: Bivariate class ``"n-c"`` → Indonesian description.
BIVARIATE_LABELS_ID = {
    f"{n}-{c}": f"kebutuhan {_LEVEL_ID[n]}, cakupan {_LEVEL_ID[c]}"
    for n in (1, 2, 3)
    for c in (1, 2, 3)
}
#: Bivariate class ``"n-c"`` → English description.
BIVARIATE_LABELS_EN = {
    f"{n}-{c}": f"{_LEVEL_EN[n]} need, {_LEVEL_EN[c]} coverage"
    for n in (1, 2, 3)
    for c in (1, 2, 3)
}


def _series(x, name: str, index=None) -> pd.Series:
    arr = as_array(x, name)
    if isinstance(x, pd.Series):
        return pd.Series(arr, index=x.index, name=name)
    return pd.Series(arr, index=index if index is not None else pd.RangeIndex(arr.size), name=name)


def _pct_rank(s: pd.Series) -> np.ndarray:
    n = len(s)
    r = s.rank(method="average").to_numpy()
    return (r - 1) / (n - 1) if n > 1 else np.full(n, 0.5)


def _tercile(s: pd.Series) -> np.ndarray:
    n = len(s)
    r = s.rank(method="average").to_numpy()
    return np.minimum(3, np.floor(3 * (r - 0.5) / n).astype(int) + 1)


@dataclass(frozen=True, eq=False)
class NeedCoverage:
    """Result of :func:`need_coverage` (all Series share the regions' index).

    Attributes
    ----------
    need_score, coverage_score : pandas.Series
        Percentile ranks in [0, 1] (or z-scores), oriented so that higher = more need /
        more coverage.
    gap_score : pandas.Series
        ``need_score - coverage_score``; positive when coverage lags need.
    priority_rank : pandas.Series
        1 = largest gap.
    need_class, coverage_class : pandas.Series
        Terciles 1 (low) – 3 (high), on the oriented scores.
    bivariate_class : pandas.Series
        ``"need-coverage"``, e.g. ``"3-1"``.
    method : str
    """

    need_score: pd.Series
    coverage_score: pd.Series
    gap_score: pd.Series
    priority_rank: pd.Series
    need_class: pd.Series
    coverage_class: pd.Series
    bivariate_class: pd.Series
    method: str

    def frame(self, lang: str = "id") -> pd.DataFrame:
        """Everything in one table, sorted by priority, with a description of the class."""
        labels = BIVARIATE_LABELS_ID if lang == "id" else BIVARIATE_LABELS_EN
        out = pd.DataFrame(
            {
                "need_score": self.need_score,
                "coverage_score": self.coverage_score,
                "gap_score": self.gap_score,
                "priority_rank": self.priority_rank,
                "need_class": self.need_class,
                "coverage_class": self.coverage_class,
                "bivariate_class": self.bivariate_class,
                "description": self.bivariate_class.map(labels),
            }
        )
        return out.sort_values("priority_rank")


def need_coverage(
    need,
    coverage,
    *,
    need_higher_is_worse: bool = True,
    coverage_higher_is_better: bool = True,
    method: str = "rank",
) -> NeedCoverage:
    r"""Gap score, priority ranking and 3×3 bivariate classes of need versus coverage.

    Parameters
    ----------
    need, coverage : array-like or pandas.Series
        One value per region; Series are aligned by index (both must cover the same regions).
        Missing values raise ``ValueError`` (drop those regions first).
    need_higher_is_worse : bool
        ``True`` for e.g. a poverty rate; ``False`` for e.g. IPM (a low IPM means more need).
    coverage_higher_is_better : bool
        ``True`` for e.g. a coverage share; ``False`` for e.g. an uncovered share.
    method : {"rank", "z"}
        Percentile ranks :math:`(r_i - 1)/(n - 1)` (default) or z-scores.

    Returns
    -------
    NeedCoverage

    Notes
    -----
    :math:`\text{gap}_i = s^{need}_i - s^{cov}_i`. Terciles come from average ranks:
    :math:`\lfloor 3 (r_i - \tfrac12)/n \rfloor + 1`, so tied values share a class.

    Examples
    --------
    >>> r = need_coverage([30, 20, 10], [10, 20, 30])
    >>> r.gap_score.tolist(), r.priority_rank.tolist(), r.bivariate_class.tolist()
    ([1.0, 0.0, -1.0], [1, 2, 3], ['3-1', '2-2', '1-3'])
    """
    if method not in ("rank", "z"):
        raise ValueError(f"method: expected 'rank' or 'z', got {method!r}")
    if isinstance(need, pd.Series) and isinstance(coverage, pd.Series):
        if set(need.index) != set(coverage.index):
            diff = sorted(set(need.index) ^ set(coverage.index), key=str)[:5]
            raise ValueError(f"need and coverage cover different regions, e.g. {diff}")
        coverage = coverage.reindex(need.index)
    idx = (
        need.index
        if isinstance(need, pd.Series)
        else (coverage.index if isinstance(coverage, pd.Series) else None)
    )
    n_s = _series(need, "need", idx)
    c_s = _series(coverage, "coverage", idx)
    if len(n_s) != len(c_s):
        raise ValueError(f"need has {len(n_s)} values and coverage {len(c_s)}; lengths must match")
    if len(n_s) < 3:
        raise ValueError("need: at least three regions are needed for terciles")
    n_or = n_s if need_higher_is_worse else -n_s
    c_or = c_s if coverage_higher_is_better else -c_s
    if method == "rank":
        ns, cs = _pct_rank(n_or), _pct_rank(c_or)
    else:
        for s, name in ((n_or, "need"), (c_or, "coverage")):
            if s.std(ddof=0) == 0:
                raise ValueError(f"{name}: all values are equal; z-scores are undefined")
        ns = ((n_or - n_or.mean()) / n_or.std(ddof=0)).to_numpy()
        cs = ((c_or - c_or.mean()) / c_or.std(ddof=0)).to_numpy()
    gap = ns - cs
    order = np.lexsort((np.arange(gap.size), -ns, -gap))
    rank = np.empty(gap.size, dtype=int)
    rank[order] = np.arange(1, gap.size + 1)
    nc, cc = _tercile(n_or), _tercile(c_or)
    index = n_s.index
    return NeedCoverage(
        need_score=pd.Series(ns, index=index, name="need_score"),
        coverage_score=pd.Series(cs, index=index, name="coverage_score"),
        gap_score=pd.Series(gap, index=index, name="gap_score"),
        priority_rank=pd.Series(rank, index=index, name="priority_rank"),
        need_class=pd.Series(nc, index=index, name="need_class"),
        coverage_class=pd.Series(cc, index=index, name="coverage_class"),
        bivariate_class=pd.Series(
            [f"{a}-{b}" for a, b in zip(nc, cc, strict=True)], index=index, name="bivariate_class"
        ),
        method=method,
    )


# --------------------------------------------------------------------------- one region

#: Tercile class of :func:`need_coverage` (1–3) → plain word (``unknown``: no value).
LEVEL_WORDS = {1: "low", 2: "medium", 3: "high"}


def _gap_row(code: str, need: pd.Series, coverage: pd.Series, need_higher_is_worse: bool) -> dict:
    """One row of :func:`gap_rows`: a single coverage indicator."""
    both = pd.concat({"need": need, "coverage": coverage}, axis=1).dropna()
    row = {
        "need_value": need.get(code, np.nan),
        "coverage_value": coverage.get(code, np.nan),
        "n": len(both),
        "need_rank": np.nan,
        "coverage_rank": np.nan,
        "need_level": "unknown",
        "coverage_level": "unknown",
        "gap_score": np.nan,
        "priority_rank": np.nan,
        "flag": False,
    }
    if code not in both.index or len(both) < 3:
        return row
    result = need_coverage(
        both["need"], both["coverage"], need_higher_is_worse=need_higher_is_worse
    )
    need_class = int(result.need_class[code])
    cov_class = int(result.coverage_class[code])
    # rank 1 = most need (the highest value, or the lowest when a low value means need)
    need_direction = "higher_better" if need_higher_is_worse else "higher_worse"
    row.update(
        need_rank=float(rank(both["need"], need_direction)[code]),
        coverage_rank=float(rank(both["coverage"], "higher_better")[code]),
        need_level=LEVEL_WORDS[need_class],
        coverage_level=LEVEL_WORDS[cov_class],
        gap_score=float(result.gap_score[code]),
        priority_rank=float(result.priority_rank[code]),
        flag=need_class == 3 and cov_class == 1,
    )
    return row


def gap_rows(
    code: str,
    need: pd.Series,
    coverages,
    *,
    need_higher_is_worse: bool = True,
) -> pd.DataFrame:
    """Need next to each programme's coverage for one region, with the priority rank.

    The scores, terciles and priority ranks are those of :func:`need_coverage` over every
    region with both values (the same classes as the bivariate map); ranks are
    :func:`analysis.ranking.rank` (ties share the best rank).

    Parameters
    ----------
    code : str
        Region code (a kecamatan).
    need : pandas.Series
        The need indicator (e.g. poverty rate) for every region.
    coverages : mapping
        Coverage indicator id → Series (percent covered, higher = better) for every region.
    need_higher_is_worse : bool
        True for a poverty rate; False for e.g. IPM (a low value means more need).

    Returns
    -------
    pandas.DataFrame
        One row per coverage indicator: ``coverage``, ``need_value``, ``coverage_value``,
        ``n`` (regions with both values), ``need_rank`` (1 = most need), ``coverage_rank``
        (1 = highest coverage), ``need_level`` and ``coverage_level``
        (``high``/``medium``/``low``, or ``unknown`` when the region lacks a value or fewer
        than three regions have both), ``gap_score`` (need percentile minus coverage
        percentile), ``priority_rank`` (1 = largest gap) and ``flag`` (high need with low
        coverage). Sorted by priority rank, unknown last.

    Examples
    --------
    >>> need = pd.Series([30.0, 20.0, 10.0], index=["a", "b", "c"])
    >>> cov = pd.Series([10.0, 20.0, 30.0], index=["a", "b", "c"])
    >>> row = gap_rows("a", need, {"pkh": cov}).iloc[0]
    >>> row["need_level"], row["coverage_level"], bool(row["flag"]), float(row["priority_rank"])
    ('high', 'low', True, 1.0)
    >>> gap_rows("z", need, {"pkh": cov}).iloc[0]["need_level"]
    'unknown'
    """
    need = pd.to_numeric(need, errors="coerce")
    rows = [
        {
            "coverage": cov_id,
            **_gap_row(code, need, pd.to_numeric(cov, errors="coerce"), need_higher_is_worse),
        }
        for cov_id, cov in coverages.items()
    ]
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    return frame.sort_values("priority_rank", na_position="last").reset_index(drop=True)
