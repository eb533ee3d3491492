"""Comparing chosen regions with the whole province: the compare table and normalised scores.

Conventions
-----------
- A *wide* frame has one row per region code (index) and one column per indicator id,
  for one year.
- ``direction`` of an indicator is ``"higher_better"``, ``"higher_worse"`` or
  ``"neutral"`` (other spellings are normalised by :func:`analysis.ranking.normalise_direction`).
- Ranks come from :func:`analysis.ranking.rank`: rank 1 is the best region for the
  indicator's direction; ties share the best rank; a missing value has no rank.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .ranking import normalise_direction, rank
from .trends import trend_summary

__all__ = [
    "COMPARE_COLUMNS",
    "compare_table",
    "indicator_rows",
    "normalised_scores",
    "peer_table",
    "pick_year",
]


#: Columns of :func:`compare_table`, in order.
COMPARE_COLUMNS = [
    "region",
    "indicator",
    "value",
    "unit",
    "rank_kab",
    "n_kab",
    "rank_prov",
    "n_prov",
    "kab_value",
    "diff_kab",
    "prov_value",
    "diff_prov",
    "illustrative",
]


def _catalogue_get(catalogue: pd.DataFrame | None, indicator: str, column: str, default):
    if catalogue is None or indicator not in catalogue.index or column not in catalogue.columns:
        return default
    value = catalogue.at[indicator, column]
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return default
    return value


def _group_value(group_values: pd.DataFrame | None, kab, indicator: str) -> float:
    """The kabupaten's value of the indicator (NaN when unknown or not numeric)."""
    if (
        kab is None
        or group_values is None
        or kab not in group_values.index
        or indicator not in group_values.columns
    ):
        return np.nan
    return pd.to_numeric(pd.Series([group_values.at[kab, indicator]]), errors="coerce").iloc[0]


def compare_table(
    values: pd.DataFrame,
    chosen: Sequence[str],
    catalogue: pd.DataFrame | None = None,
    *,
    groups: Mapping[str, str] | pd.Series | None = None,
    group_values: pd.DataFrame | None = None,
    province_values: Mapping[str, float] | pd.Series | None = None,
) -> pd.DataFrame:
    """Side-by-side comparison of chosen regions on every indicator of ``values``.

    Parameters
    ----------
    values : pandas.DataFrame
        Wide frame for one year: index = code of *every* region at the level (so that
        ranks are taken over the whole province), columns = indicator ids.
    chosen : sequence of str
        The region codes to compare, in display order (codes missing from ``values``
        appear with missing values).
    catalogue : pandas.DataFrame, optional
        Indexed by indicator id, with ``unit``, ``direction`` and ``illustrative``.
    groups : mapping or Series, optional
        Region code → kabupaten code, for kecamatan: ranks "in kabupaten" are taken among
        the regions of the same group. ``None`` at kabupaten level (no rank in kabupaten).
    group_values : pandas.DataFrame, optional
        Wide frame of the kabupaten values (index = kabupaten code).
    province_values : mapping or Series, optional
        Indicator id → province value.

    Returns
    -------
    pandas.DataFrame
        One row per (region, indicator) with the columns of :data:`COMPARE_COLUMNS`:
        ``diff_kab = value - kab_value`` and ``diff_prov = value - prov_value``; ``n_kab`` /
        ``n_prov`` count the ranked (non-missing) regions.
    """
    groups = pd.Series(groups, dtype=object) if groups is not None else None
    province_values = (
        pd.Series(province_values, dtype=float) if province_values is not None else None
    )
    rows = []
    for indicator in values.columns:
        column = pd.to_numeric(values[indicator], errors="coerce")
        direction = _catalogue_get(catalogue, indicator, "direction", "neutral")
        rank_prov = rank(column, direction)
        n_prov = int(column.notna().sum())
        if groups is not None:
            group_of = groups.reindex(column.index)
            rank_kab = rank(column, direction, groups=group_of)
            n_kab = column.notna().groupby(group_of).transform("sum")
        for code in chosen:
            value = column.get(code, np.nan)
            kab = groups.get(code) if groups is not None else None
            kab_value = _group_value(group_values, kab, indicator)
            prov_value = (
                province_values.get(indicator, np.nan) if province_values is not None else np.nan
            )
            rows.append(
                {
                    "region": code,
                    "indicator": indicator,
                    "value": value,
                    "unit": _catalogue_get(catalogue, indicator, "unit", ""),
                    "rank_kab": rank_kab.get(code, np.nan) if groups is not None else np.nan,
                    "n_kab": (
                        n_kab.get(code, np.nan)
                        if groups is not None and code in column.index
                        else np.nan
                    ),
                    "rank_prov": rank_prov.get(code, np.nan),
                    "n_prov": n_prov,
                    "kab_value": kab_value,
                    "diff_kab": value - kab_value,
                    "prov_value": prov_value,
                    "diff_prov": value - prov_value,
                    "illustrative": bool(
                        _catalogue_get(catalogue, indicator, "illustrative", False)
                    ),
                }
            )
    table = pd.DataFrame(rows, columns=COMPARE_COLUMNS)
    numeric = ("value", "rank_kab", "n_kab", "rank_prov", "kab_value", "diff_kab", "prov_value")
    for name in (*numeric, "diff_prov"):
        table[name] = pd.to_numeric(table[name], errors="coerce").astype(float)
    table["n_prov"] = table["n_prov"].astype(int)
    return table


def normalised_scores(
    values: pd.DataFrame, chosen: Sequence[str], catalogue: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Direction-aware min–max scores (0 = worst, 100 = best region in the province).

    Parameters
    ----------
    values : pandas.DataFrame
        Wide frame of every region at the level for one year (index = code).
    chosen : sequence of str
        Codes to return.
    catalogue : pandas.DataFrame, optional
        Indexed by indicator id, with ``direction``. A neutral indicator scores its
        highest value 100.

    Returns
    -------
    pandas.DataFrame
        Index = chosen codes, columns = indicators, values in [0, 100]; NaN where the
        value is missing or every region has the same value.

    Notes
    -----
    score = 100 (x − min) / (max − min), or 100 (max − x) / (max − min) when higher is
    worse, with min and max over all regions of the level (the "goalposts" of the
    province distribution).

    Examples
    --------
    >>> v = pd.DataFrame({"a": [0.0, 5.0, 10.0]}, index=["x", "y", "z"])
    >>> normalised_scores(v, ["y", "z"])["a"].tolist()
    [50.0, 100.0]
    """
    out = {}
    for indicator in values.columns:
        column = pd.to_numeric(values[indicator], errors="coerce")
        low, high = column.min(), column.max()
        span = high - low
        if not np.isfinite(span) or span == 0:
            out[indicator] = pd.Series(np.nan, index=list(chosen))
            continue
        direction = normalise_direction(
            _catalogue_get(catalogue, indicator, "direction", "neutral")
        )
        score = (high - column) / span if direction == "higher_worse" else (column - low) / span
        out[indicator] = (100 * score).reindex(list(chosen))
    return pd.DataFrame(out, index=list(chosen))


def pick_year(available: Sequence[int], preferred: int | None) -> int | None:
    """The preferred year when available, else the latest available year not after it, else
    the latest year.

    Examples
    --------
    >>> pick_year([2010, 2020, 2024], 2022), pick_year([2010, 2020], None), pick_year([], 2020)
    (2020, 2020, None)
    """
    years = sorted(int(y) for y in available)
    if not years:
        return None
    if preferred is not None:
        if int(preferred) in years:
            return int(preferred)
        earlier = [y for y in years if y <= int(preferred)]
        if earlier:
            return earlier[-1]
    return years[-1]


def indicator_rows(
    code: str,
    values: Mapping[str, pd.DataFrame],
    catalogue: pd.DataFrame,
    *,
    groups: Mapping[str, str] | pd.Series,
    group_values: Mapping[str, pd.DataFrame],
    province_values: Mapping[str, Mapping[str, float]],
    long: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every indicator of one region with kabupaten and province values, ranks and trend.

    Parameters
    ----------
    code : str
        Region (kecamatan) code.
    values : mapping
        Indicator id → wide frame (index = every region code, one column named after the
        indicator) for that indicator's latest year, which is ``frame.attrs["year"]``;
        indicators have different latest years, hence one frame each.
    catalogue : pandas.DataFrame
        Indexed by indicator id, with ``unit``, ``direction``, ``illustrative``.
    groups : mapping or Series
        Region code → kabupaten code.
    group_values, province_values : mapping
        Indicator id → kabupaten wide frame / {indicator: province value}, same year.
    long : pandas.DataFrame, optional
        Long frame of all years for the trend (``region_code``, ``indicator``, ``year``,
        ``value``).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`compare_table` plus ``year``, and with ``long`` also
        ``trend_first_year``, ``trend_first``, ``trend_change``, ``trend_verdict`` and
        ``trend_series`` (the values of every year, oldest first; see
        :func:`analysis.trends.trend_summary`).

    Examples
    --------
    >>> w = pd.DataFrame({"p": [1.0, 3.0, 2.0]}, index=["a", "b", "c"])
    >>> w.attrs["year"] = 2024
    >>> cat = pd.DataFrame({"direction": ["higher_better"]}, index=["p"])
    >>> row = indicator_rows("c", {"p": w}, cat, groups={}, group_values={},
    ...                      province_values={"p": {"p": 2.5}}).iloc[0]
    >>> int(row["rank_prov"]), float(row["diff_prov"]), int(row["year"])
    (2, -0.5, 2024)
    """
    rows = []
    for indicator, wide in values.items():
        table = compare_table(
            wide[[indicator]],
            [code],
            catalogue,
            groups=groups,
            group_values=group_values.get(indicator),
            province_values=province_values.get(indicator),
        )
        row = table.iloc[0].to_dict()
        row["year"] = wide.attrs.get("year")
        if long is not None:
            direction = _catalogue_get(catalogue, indicator, "direction", None)
            trend = trend_summary(long, code, indicator, direction)
            row.update(
                trend_first_year=trend["first_year"],
                trend_first=trend["first"],
                trend_change=trend["change"],
                trend_verdict=trend["verdict"],
                trend_series=list(trend["series"].values()),
            )
        rows.append(row)
    return pd.DataFrame(rows)


def peer_table(
    code: str,
    peers: Sequence[str],
    values: pd.DataFrame,
    catalogue: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """How a region fares against its peers on each indicator.

    Parameters
    ----------
    code : str
        The region.
    peers : sequence of str
        Codes of its most comparable regions (:func:`analysis.peers.peers`).
    values : pandas.DataFrame
        Wide frame (index = codes, columns = indicators) containing at least code and peers.
    catalogue : pandas.DataFrame, optional
        Indexed by indicator id, with ``direction``.

    Returns
    -------
    pandas.DataFrame
        One row per indicator: ``indicator``, ``value``, ``peer_median`` (median of the
        peers, without the region), ``rank_among`` (:func:`analysis.ranking.rank` in the
        group of the region and its peers: 1 = best for the direction) and ``n_group``
        (members of the group with a value).

    Examples
    --------
    >>> v = pd.DataFrame({"p": [10.0, 5.0, 20.0]}, index=["k", "a", "b"])
    >>> cat = pd.DataFrame({"direction": ["lower_better"]}, index=["p"])
    >>> peer_table("k", ["a", "b"], v, cat)[["value", "peer_median", "rank_among"]].values.tolist()
    [[10.0, 12.5, 2.0]]
    """
    group = [code] + [p for p in peers if p != code]
    sub = values.reindex(group)
    rows = []
    for indicator in values.columns:
        column = pd.to_numeric(sub[indicator], errors="coerce")
        direction = _catalogue_get(catalogue, indicator, "direction", None)
        ranks = rank(column, direction).astype(float)
        rows.append(
            {
                "indicator": indicator,
                "value": column.get(code, np.nan),
                "peer_median": column.drop(code, errors="ignore").median(),
                "rank_among": ranks.get(code, np.nan),
                "n_group": int(column.notna().sum()),
            }
        )
    return pd.DataFrame(rows)
