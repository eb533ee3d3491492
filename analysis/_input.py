"""Thin input adapter shared by the analysis modules.

Every public function hands its inputs to these helpers, which turn lists, tuples, numpy
arrays and pandas Series (or single-column frames) into 1-D float arrays and enforce the
documented rules with a clear :class:`ValueError` that says which input and which positions are
at fault. Nothing here fills, drops or clips values silently.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

_SHOW = 5  # how many offending positions a message lists


def _positions(mask: np.ndarray, index: Sequence | None = None) -> str:
    where = np.flatnonzero(mask)
    labels = [str(index[i]) if index is not None else str(i) for i in where[:_SHOW]]
    more = f" and {where.size - _SHOW} more" if where.size > _SHOW else ""
    return ", ".join(labels) + more


def as_array(x, name: str = "y") -> np.ndarray:
    """Return ``x`` as a 1-D float array, rejecting missing or infinite values.

    Parameters
    ----------
    x : list, tuple, numpy.ndarray, pandas.Series or single-column pandas.DataFrame
        The values. A 2-D input must have exactly one column.
    name : str
        The argument's name, used in error messages.

    Returns
    -------
    numpy.ndarray
        A new 1-D ``float64`` array.

    Raises
    ------
    TypeError
        If ``x`` is a scalar, a mapping or a frame with several columns.
    ValueError
        If ``x`` is empty, not numeric, or holds NaN, None, pandas.NA or infinity.

    Examples
    --------
    >>> import pandas as pd
    >>> as_array(pd.Series([1, 2, 3])).tolist()
    [1.0, 2.0, 3.0]
    """
    index = None
    if isinstance(x, pd.DataFrame):
        if x.shape[1] != 1:
            raise TypeError(f"{name}: expected one column, got a frame with {x.shape[1]} columns")
        x = x.iloc[:, 0]
    if isinstance(x, pd.Series | pd.Index):
        index = list(x.index) if isinstance(x, pd.Series) else None
        try:
            arr = x.to_numpy(dtype=float, na_value=np.nan)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name}: values must be numeric ({exc})") from None
    elif isinstance(x, np.ndarray | list | tuple):
        try:
            arr = np.array(
                [np.nan if v is None or v is pd.NA else v for v in x]
                if isinstance(x, list | tuple)
                else x,
                dtype=float,
            )
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name}: values must be numeric ({exc})") from None
    else:
        raise TypeError(
            f"{name}: expected a list, tuple, numpy array or pandas Series, got {type(x).__name__}"
        )
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.ravel()
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected one value per region (1-D), got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name}: no values")
    bad = ~np.isfinite(arr)
    if bad.any():
        kind = "missing" if np.isnan(arr[bad]).all() else "missing or infinite"
        raise ValueError(
            f"{name}: {int(bad.sum())} {kind} value(s) at position(s) {_positions(bad, index)}; "
            "drop or impute them before computing"
        )
    return arr


def as_weights(w, n: int, name: str = "w") -> np.ndarray:
    """Return population (or other) weights as a 1-D float array of length ``n``.

    ``None`` means every region counts once. Weights must be finite, non-negative and sum to
    more than zero; a region with weight 0 takes no part in a weighted index.

    Examples
    --------
    >>> as_weights(None, 3).tolist()
    [1.0, 1.0, 1.0]
    >>> as_weights([0, 0], 2)
    Traceback (most recent call last):
    ...
    ValueError: w: the weights sum to zero; at least one region needs a positive weight
    """
    if w is None:
        return np.ones(n)
    arr = as_array(w, name)
    if arr.size != n:
        raise ValueError(f"{name}: {arr.size} weights for {n} values; lengths must match")
    neg = arr < 0
    if neg.any():
        raise ValueError(
            f"{name}: negative weight(s) at position(s) {_positions(neg)}; weights must be >= 0"
        )
    if not arr.sum() > 0:
        raise ValueError(
            f"{name}: the weights sum to zero; at least one region needs a positive weight"
        )
    return arr


def as_labels(g, n: int, name: str = "groups") -> np.ndarray:
    """Return group labels as a 1-D object array of length ``n`` (no missing labels)."""
    if isinstance(g, pd.DataFrame):
        raise TypeError(f"{name}: expected one label per region, got a frame")
    if isinstance(g, pd.Series | pd.Index):
        arr = g.to_numpy(dtype=object)
    elif isinstance(g, np.ndarray | list | tuple):
        arr = np.asarray(g, dtype=object)
    else:
        raise TypeError(f"{name}: expected a list, array or Series, got {type(g).__name__}")
    if arr.ndim != 1:
        arr = arr.ravel() if arr.ndim == 2 and 1 in arr.shape else arr
    if arr.ndim != 1 or arr.size != n:
        raise ValueError(f"{name}: {arr.size} labels for {n} values; lengths must match")
    missing = np.array(
        [v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA for v in arr], dtype=bool
    )
    if missing.any():
        raise ValueError(
            f"{name}: {int(missing.sum())} missing label(s) at position(s) {_positions(missing)}"
        )
    return arr


def require_nonnegative(y: np.ndarray, name: str = "y") -> None:
    """Raise a :class:`ValueError` if any value is negative."""
    neg = y < 0
    if neg.any():
        raise ValueError(
            f"{name}: negative value(s) at position(s) {_positions(neg)}; this index is defined "
            "for non-negative values (per-capita output, shares, rates)"
        )


def require_positive(y: np.ndarray, mask: np.ndarray | None, name: str, why: str) -> None:
    """Raise a :class:`ValueError` if a value (where ``mask`` is true) is not positive."""
    bad = y <= 0 if mask is None else (y <= 0) & mask
    if bad.any():
        raise ValueError(
            f"{name}: zero or negative value(s) at position(s) {_positions(bad)}; {why}"
        )


def align_like(y, other, name: str):
    """Reorder ``other`` to ``y``'s index when both are pandas objects indexed by region.

    Two Series with the same regions in a different order are aligned (never paired by
    position); different region sets raise ``ValueError``. Anything else is returned as is
    and paired by position.

    Examples
    --------
    >>> y = pd.Series([1.0, 2.0], index=["35.01", "35.02"])
    >>> align_like(y, pd.Series([20, 10], index=["35.02", "35.01"]), "w").tolist()
    [10, 20]
    """
    if not isinstance(y, pd.Series) or not isinstance(other, pd.Series | pd.DataFrame):
        return other
    if other.index.equals(y.index):
        return other
    if y.index.has_duplicates or other.index.has_duplicates:
        raise ValueError(f"{name}: region labels (the index) must be unique to align with y")
    missing = y.index.difference(other.index)
    extra = other.index.difference(y.index)
    if len(missing) or len(extra):
        example = list(missing[:3]) or list(extra[:3])
        raise ValueError(
            f"{name}: its regions differ from y's ({len(missing)} missing, {len(extra)} extra, "
            f"e.g. {example})"
        )
    return other.reindex(y.index)


def align_groups(y, groups, name: str = "groups"):
    """:func:`align_like` for a grouping or a nested grouping (list, dict or DataFrame)."""
    if isinstance(groups, pd.Series | pd.DataFrame):
        return align_like(y, groups, name)
    if isinstance(groups, dict):
        return {k: align_like(y, v, f"{name}[{k}]") for k, v in groups.items()}
    if isinstance(groups, list | tuple) and groups and isinstance(groups[0], pd.Series):
        return [align_like(y, g, name) for g in groups]
    return groups
