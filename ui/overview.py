"""Pure tables for the Beranda page (frames in, frames out; no Streamlit)."""

from __future__ import annotations

import pandas as pd

#: Indicator kinds whose inequality is computed with population weights.
WEIGHTED_KINDS = {"percent", "money", "index", "density", "years", "rate", "ratio"}


def weighted_kind(meta: dict | None) -> bool:
    """Whether inequality of this indicator is population-weighted (per-capita kinds).

    Counts and areas are compared region by region, without weights.
    """
    kind = (meta or {}).get("kind") or ""
    return kind in WEIGHTED_KINDS


def top_bottom(frame: pd.DataFrame, n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` highest and ``n`` lowest rows of ``frame`` by ``value`` (missing dropped).

    Ties are broken by code so the result is deterministic; each table has a ``rank``
    column (1 = highest value for the top table, 1 = lowest for the bottom table).

    Examples
    --------
    >>> f = pd.DataFrame({"code": list("abcd"), "value": [3.0, None, 1.0, 2.0]})
    >>> top, bottom = top_bottom(f, 2)
    >>> top["code"].tolist(), bottom["code"].tolist()
    (['a', 'd'], ['c', 'd'])
    """
    valid = frame.dropna(subset=["value"])
    top = valid.sort_values(["value", "code"], ascending=[False, True]).head(n).copy()
    bottom = valid.sort_values(["value", "code"], ascending=[True, True]).head(n).copy()
    top.insert(0, "rank", range(1, len(top) + 1))
    bottom.insert(0, "rank", range(1, len(bottom) + 1))
    return top.reset_index(drop=True), bottom.reset_index(drop=True)


def changes(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Per region: value of both years and the difference, for regions with both values.

    Parameters
    ----------
    previous, current : DataFrame
        ``code``, ``value`` (plus any descriptive columns in ``current``).

    Returns
    -------
    DataFrame
        ``current``'s columns plus ``previous`` and ``diff`` (= value − previous).

    Examples
    --------
    >>> p = pd.DataFrame({"code": ["a", "b", "c"], "value": [1.0, 2.0, None]})
    >>> c = pd.DataFrame({"code": ["a", "b", "c"], "value": [1.5, 2.0, 3.0]})
    >>> changes(p, c)["diff"].tolist()
    [0.5, 0.0]
    """
    prev = previous[["code", "value"]].rename(columns={"value": "previous"})
    out = current.merge(prev, on="code", how="inner").dropna(subset=["value", "previous"])
    out["diff"] = out["value"] - out["previous"]
    return out.reset_index(drop=True)


def improvement_counts(diff: pd.Series, direction: str) -> tuple[int, int]:
    """``(improved, worsened)`` counts given the indicator's direction (neutral: (0, 0))."""
    up, down = int((diff > 0).sum()), int((diff < 0).sum())
    if direction == "higher_better":
        return up, down
    if direction == "lower_better":
        return down, up
    return 0, 0
