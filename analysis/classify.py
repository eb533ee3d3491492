r"""Choropleth class breaks (through mapclassify) and legend labels.

:func:`classify` returns a :class:`Classification`: the upper bound of every class, the class
of every region (``-1`` for a missing value, shown as "no data"), the counts and the legend
labels. Classes are closed on the right, :math:`(b_{k-1}, b_k]`, the first one
:math:`[\min y, b_0]`, as in mapclassify.

Legend labels never show a class holding one value as a range ("0.38 – 0.38"): such a class is
labelled with the value alone. Numbers are written by a ``formatter(x) -> str`` the caller
passes (the dashboard passes its one number formatter, with the language's separators and
minus sign); without one they are written ``f"{x:,.{d}f}"`` with the fewest decimals ``d``
that keep the breaks distinct (:attr:`Classification.break_decimals`). All methods are
deterministic (no sampling).
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import mapclassify
import numpy as np
import pandas as pd

from analysis._input import _positions

__all__ = [
    "METHODS",
    "classify",
    "Classification",
    "fisher_jenks_breaks",
    "legend_labels",
]

#: The classification methods :func:`classify` accepts.
METHODS = (
    "quantiles",
    "fisher_jenks",
    "equal_interval",
    "std_mean",
    "box_plot",
    "user_defined",
)

DASH = "\u2013"  # en dash between the bounds of a class


def _plain_formatter(decimals: int) -> Callable[[float], str]:
    """``f"{x:,.{decimals}f}"``, without a minus sign on a number written as zero."""
    decimals = int(decimals)

    def fmt(x: float) -> str:
        s = f"{float(x):,.{decimals}f}"
        if s.startswith("-") and float(s[1:].replace(",", "")) == 0:
            s = s[1:]  # no "-0.00"
        return s

    return fmt


def _auto_decimals(points: np.ndarray) -> int:
    """Fewest decimals (0–8) that keep the distinct break values distinct when written."""
    pts = np.unique(points[np.isfinite(points)])
    nonzero = np.abs(pts[pts != 0])
    typical = float(np.median(nonzero)) if nonzero.size else 1.0
    start = 0 if typical >= 1000 else int(min(max(2, 1 - np.floor(np.log10(typical))), 8))
    for d in range(start, 9):
        if len({f"{v:.{d}f}" for v in pts}) == pts.size:
            return d
    return 8


@dataclass(frozen=True, eq=False)
class Classification:
    """Class breaks of one variable (see :func:`classify`).

    Attributes
    ----------
    method : str
        One of :data:`METHODS`.
    bins : numpy.ndarray
        Upper bound of each class (mapclassify's ``bins``).
    lower : float
        Lower bound of the first class: the smallest value (or the lowest user break).
    yb : numpy.ndarray
        Class of each region, ``0 .. k-1``; ``-1`` where the value is missing.
    counts : numpy.ndarray
        Regions in each class.
    class_min, class_max : numpy.ndarray
        Smallest and largest value in each class (NaN for an empty class).
    labels : tuple of str
        Legend label of each class.
    n_missing : int
        Regions without a value (class ``-1``).
    """

    method: str
    bins: np.ndarray
    lower: float
    yb: np.ndarray
    counts: np.ndarray
    class_min: np.ndarray
    class_max: np.ndarray
    labels: tuple[str, ...]
    n_missing: int

    @property
    def k(self) -> int:
        """Number of classes."""
        return int(self.bins.size)

    @property
    def break_decimals(self) -> int:
        """Decimals of the default labels: the fewest (0–8) that keep the breaks distinct.

        A caller with its own number formatter writes the labels with these decimals
        (``c.relabel(my_formatter(c.break_decimals))``) to keep the default's precision.

        Examples
        --------
        >>> classify([0.1001, 0.1002, 0.1003, 0.1004], "equal_interval", k=3).break_decimals
        4
        >>> classify([1200, 1800, 2500, 4000], "quantiles", k=2).break_decimals
        0
        """
        return _auto_decimals(np.concatenate(([self.lower], self.bins)))

    def relabel(
        self,
        formatter: Callable[[float], str] | None = None,
        *,
        decimals: int | None = None,
    ) -> Classification:
        """The same classes with labels written by another formatter.

        Parameters
        ----------
        formatter : callable, optional
            ``formatter(x) -> str``; by default ``f"{x:,.{d}f}"`` with ``decimals`` (else
            :attr:`break_decimals`).
        decimals : int, optional
            Decimals of the default formatter.

        Examples
        --------
        >>> c = classify([0.1, 0.25, 0.5, 0.75, 1.0], "equal_interval", k=2)
        >>> c.relabel(lambda x: f"{x:.2f}".replace(".", ",")).labels
        ('0,10 – 0,55', '0,55 – 1,00')
        >>> c.relabel(decimals=1).labels
        ('0.1 – 0.6', '0.6 – 1.0')
        """
        labels = legend_labels(
            self.bins, self.lower, self.class_min, self.class_max, formatter, decimals=decimals
        )
        return dataclasses.replace(self, labels=labels)

    def legend(self) -> pd.DataFrame:
        """One row per class: ``lower``, ``upper``, ``count``, ``label``."""
        lowers = np.concatenate(([self.lower], self.bins[:-1]))
        return pd.DataFrame(
            {"lower": lowers, "upper": self.bins, "count": self.counts, "label": self.labels},
            index=pd.RangeIndex(self.k, name="class"),
        )


def legend_labels(
    bins: np.ndarray,
    lower: float,
    class_min: np.ndarray,
    class_max: np.ndarray,
    formatter: Callable[[float], str] | None = None,
    *,
    decimals: int | None = None,
) -> tuple[str, ...]:
    """Legend labels "lower – upper" for classes with upper bounds ``bins``.

    A class holding a single distinct value, or whose two bounds are written the same, is
    labelled with one number. An empty class whose bounds are reversed (a box map's lower
    fence below the data) is labelled "< upper". Numbers are written by ``formatter``, by
    default ``f"{x:,.{d}f}"`` with ``d = decimals``, else the fewest decimals that keep the
    breaks distinct.

    Examples
    --------
    >>> import numpy as np
    >>> legend_labels(np.array([0.38, 1.0]), 0.38, np.array([0.38, 0.5]), np.array([0.38, 1.0]))
    ('0.38', '0.38 – 1.00')
    """
    bins = np.asarray(bins, dtype=float)
    # A displayed lower bound never lies below the data (a box map's fence can).
    data_min = np.nanmin(class_min) if np.isfinite(class_min).any() else lower
    lowers = np.maximum(np.concatenate(([lower], bins[:-1])), min(lower, data_min))
    if formatter is None:
        d = _auto_decimals(np.concatenate(([lower], bins))) if decimals is None else decimals
        formatter = _plain_formatter(d)
    labels = []
    for lo, hi, cmin, cmax in zip(lowers, bins, class_min, class_max, strict=True):
        if np.isfinite(cmin) and cmin == cmax:
            labels.append(formatter(cmin))
            continue
        a, b = formatter(lo), formatter(hi)
        if not np.isfinite(cmin) and lo > hi:
            labels.append(f"< {b}")
        elif a == b:
            labels.append(b)
        else:
            labels.append(f"{a} {DASH} {b}")
    return tuple(labels)


def fisher_jenks_breaks(values, k: int) -> np.ndarray:
    r"""Exact Fisher-Jenks natural breaks (optimal 1-D k-means), vectorised dynamic programme.

    Parameters
    ----------
    values : array-like
        Finite values.
    k : int
        Number of classes (at most the number of distinct values).

    Returns
    -------
    numpy.ndarray
        The upper bound (a data value) of each of the ``k`` classes.

    Notes
    -----
    Minimises the total within-class sum of squared deviations
    :math:`\sum_c \sum_{i \in c} (y_i - \bar y_c)^2` over partitions of the sorted values into
    ``k`` contiguous classes (Fisher 1958; Jenks 1977). Same result as
    ``mapclassify.FisherJenks``, which without numba runs in pure Python (about 1 s for 666
    values); here each step is a numpy operation over all split points, :math:`O(k n^2)` work
    in :math:`O(n)` memory.

    References
    ----------
    Fisher, W. D. (1958). On grouping for maximum homogeneity. *JASA* 53(284), 789–798.
    Jenks, G. F. (1977). *Optimal data classification for choropleth maps*. University of
    Kansas, Occasional Paper 2.

    Examples
    --------
    >>> fisher_jenks_breaks([1, 2, 3, 10, 11, 12, 30], 3).tolist()
    [3.0, 12.0, 30.0]
    """
    x = np.sort(np.asarray(values, dtype=float))
    n = x.size
    k = int(k)
    if k < 1 or k > np.unique(x).size:
        raise ValueError(f"k: must lie between 1 and the number of distinct values, got {k}")
    s1 = np.concatenate(([0.0], np.cumsum(x)))
    s2 = np.concatenate(([0.0], np.cumsum(x * x)))

    def cost_ending_at(i: int, starts: np.ndarray) -> np.ndarray:
        # SSD of x[a..i] for each start a
        m = i + 1 - starts
        s = s1[i + 1] - s1[starts]
        return (s2[i + 1] - s2[starts]) - s * s / m

    # D[i]: best cost of splitting x[0..i] into j classes; back[j][i]: start of the last class
    counts = np.arange(1, n + 1)
    D = s2[1:] - s1[1:] ** 2 / counts
    back = np.zeros((k, n), dtype=np.int64)
    for j in range(1, k):
        newD = np.full(n, np.inf)
        for i in range(j, n):
            starts = np.arange(j, i + 1)
            tot = D[starts - 1] + cost_ending_at(i, starts)
            a = int(np.argmin(tot))
            newD[i] = tot[a]
            back[j, i] = starts[a]
        D = newD
    ends = [n - 1]
    i = n - 1
    for j in range(k - 1, 0, -1):
        a = back[j, i]
        ends.append(a - 1)
        i = a - 1
    return x[np.array(ends[::-1])]


def classify(
    values,
    method: str = "quantiles",
    k: int = 5,
    *,
    bins: Sequence[float] | None = None,
    hinge: float = 1.5,
    multiples: Sequence[float] = (-2, -1, 1, 2),
    formatter: Callable[[float], str] | None = None,
    decimals: int | None = None,
) -> Classification:
    """Classify values for a choropleth map.

    Parameters
    ----------
    values : array-like
        One value per region. Missing values (NaN, None) are allowed and get class ``-1``;
        infinite values raise ``ValueError``.
    method : str
        ``"quantiles"`` (``mapclassify.Quantiles``), ``"fisher_jenks"`` (exact natural breaks,
        equal to ``mapclassify.FisherJenks``), ``"equal_interval"``
        (``mapclassify.EqualInterval``), ``"std_mean"`` (``mapclassify.StdMean``: breaks at
        mean + ``multiples`` × standard deviation), ``"box_plot"`` (``mapclassify.BoxPlot``: a
        box map with ``hinge`` × IQR fences, six classes), ``"user_defined"``
        (``mapclassify.UserDefined`` with ``bins``).
    k : int
        Number of classes (ignored by ``std_mean``, ``box_plot`` and ``user_defined``). When
        the data have fewer distinct values than ``k``, fewer classes are made.
    bins : sequence of float
        Upper bounds for ``user_defined`` (the maximum is appended when above the last bound).
    formatter : callable, optional
        ``formatter(x) -> str`` for the legend labels (e.g. one with Indonesian separators);
        by default ``f"{x:,.{d}f}"`` with ``d = decimals``, else the fewest decimals that keep
        the breaks distinct (:attr:`Classification.break_decimals`).
    decimals : int, optional
        Decimals of the default formatter.

    Returns
    -------
    Classification

    References
    ----------
    Rey, S. J., Stephens, P., Laura, J. et al. (2024). mapclassify: classification schemes for
    choropleth maps (PySAL). https://pysal.org/mapclassify
    Anselin, L. (2019). Box map. GeoDa documentation, *Univariate maps*.

    Examples
    --------
    >>> c = classify([0.38, 0.38, 0.38, 0.5, 0.7, 1.2], "quantiles", k=3)
    >>> c.labels
    ('0.38', '0.50', '0.57 – 1.20')
    >>> c.yb.tolist(), c.counts.tolist()
    ([0, 0, 0, 1, 2, 2], [3, 1, 2])
    >>> indonesian = lambda x: f"{x:,.0f}".replace(",", ".")
    >>> c = classify([1200, 1800, 2500, None, 4000], "user_defined", bins=[2000],
    ...              formatter=indonesian)
    >>> c.labels, c.yb.tolist(), c.n_missing
    (('1.200 – 2.000', '2.000 – 4.000'), [0, 0, 1, -1, 1], 1)
    """
    if method not in METHODS:
        raise ValueError(f"method: expected one of {METHODS}, got {method!r}")
    y = _as_values_with_missing(values)
    present = np.isfinite(y)
    x = y[present]
    if x.size == 0:
        raise ValueError("values: every value is missing; nothing to classify")
    k = int(k)
    if method in ("quantiles", "fisher_jenks", "equal_interval") and k < 1:
        raise ValueError(f"k: must be at least 1, got {k}")
    b, lower = _breaks(x, method, k, bins, hinge, multiples)
    cls = np.minimum(np.searchsorted(b, x, side="left"), b.size - 1)
    yb = np.full(y.size, -1, dtype=np.int64)
    yb[present] = cls
    counts = np.bincount(cls, minlength=b.size)
    cmin, cmax = _class_extents(x, cls, counts)
    return Classification(
        method=method,
        bins=b,
        lower=lower,
        yb=yb,
        counts=counts,
        class_min=cmin,
        class_max=cmax,
        labels=legend_labels(b, lower, cmin, cmax, formatter, decimals=decimals),
        n_missing=int((~present).sum()),
    )


def _breaks(x: np.ndarray, method: str, k: int, bins, hinge, multiples) -> tuple[np.ndarray, float]:
    """Upper bounds of the classes of the finite values ``x``, and the first class's lower
    bound (the minimum, or a user's first bound below it)."""
    n_unique = np.unique(x).size
    lower = float(x.min())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        if method == "quantiles":
            b = mapclassify.Quantiles(x, k=min(k, n_unique)).bins
        elif method == "fisher_jenks":
            b = fisher_jenks_breaks(x, min(k, n_unique))
        elif method == "equal_interval":
            b = mapclassify.EqualInterval(x, k=k).bins if n_unique > 1 else np.array([x.max()])
        elif method == "std_mean":
            b = mapclassify.StdMean(x, multiples=list(multiples)).bins
        elif method == "box_plot":
            b = mapclassify.BoxPlot(x, hinge=hinge).bins
        else:
            if bins is None or len(bins) == 0:
                raise ValueError("bins: user_defined needs at least one upper bound")
            ub = np.asarray(bins, dtype=float)
            if not np.isfinite(ub).all() or (np.diff(ub) <= 0).any():
                raise ValueError("bins: upper bounds must be finite and strictly increasing")
            b = mapclassify.UserDefined(x, list(ub)).bins
            lower = min(lower, float(ub[0]))
    return np.asarray(b, dtype=float), lower


def _class_extents(x: np.ndarray, cls: np.ndarray, counts: np.ndarray):
    """Smallest and largest value of each class (NaN for an empty class)."""
    cmin = np.full(counts.size, np.nan)
    cmax = np.full(counts.size, np.nan)
    order = np.argsort(cls, kind="stable")
    for c, grp in zip(*np.unique(cls[order], return_index=True), strict=True):
        vals = x[order][grp : grp + counts[c]]
        cmin[c], cmax[c] = vals.min(), vals.max()
    return cmin, cmax


def _as_values_with_missing(values) -> np.ndarray:
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise TypeError("values: expected one column")
        values = values.iloc[:, 0]
    if isinstance(values, pd.Series | pd.Index):
        try:
            y = values.to_numpy(dtype=float, na_value=np.nan)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"values: must be numeric ({exc})") from None
    elif isinstance(values, np.ndarray | list | tuple):
        try:
            y = np.array(
                [np.nan if v is None or v is pd.NA else v for v in values]
                if not isinstance(values, np.ndarray)
                else values,
                dtype=float,
            )
        except (TypeError, ValueError) as exc:
            raise ValueError(f"values: must be numeric ({exc})") from None
    else:
        raise TypeError(f"values: expected a list, array or Series, got {type(values).__name__}")
    y = y.ravel() if y.ndim == 2 and 1 in y.shape else y
    if y.ndim != 1 or y.size == 0:
        raise ValueError("values: expected a non-empty 1-D sequence")
    inf = np.isinf(y)
    if inf.any():
        raise ValueError(f"values: infinite value(s) at position(s) {_positions(inf)}")
    return y
