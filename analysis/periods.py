r"""Years and periods: compound annual growth, the nearest available year, a mid-period year.

Rules the disparity analyses share when they compare two years of a panel whose years are
irregular (e.g. GRDP per capita in 2010, 2015, 2020 and population in other years).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

__all__ = ["annual_growth", "middle_year", "nearest_year"]


def annual_growth(y0, y1, years: float):
    r"""Compound annual growth in percent between two values ``years`` apart.

    Parameters
    ----------
    y0, y1 : float or array-like
        Positive values at the start and at the end of the period.
    years : float
        Length of the period :math:`T` in years.

    Returns
    -------
    float or numpy.ndarray
        :math:`100\,\bigl((y_1 / y_0)^{1/T} - 1\bigr)`, element-wise.

    Examples
    --------
    >>> round(float(annual_growth(100.0, 121.0, 2)), 6)
    10.0
    >>> annual_growth([100.0, 50.0], [100.0, 25.0], 1).round(1).tolist()
    [0.0, -50.0]
    """
    return 100 * (
        np.power(np.asarray(y1, dtype=float) / np.asarray(y0, dtype=float), 1 / years) - 1
    )


def nearest_year(years: Iterable[int], year: int) -> int | None:
    """The available year closest to ``year`` (the later one on a tie), None when there is none.

    Examples
    --------
    >>> nearest_year([2010, 2020], 2015), nearest_year([2010, 2020], 2012), nearest_year([], 2015)
    (2020, 2010, None)
    """
    years = [int(y) for y in years]
    if not years:
        return None
    return min(years, key=lambda y: (abs(y - int(year)), -y))


def middle_year(years: Iterable[int], start: int, end: int) -> int | None:
    """The available year closest to the middle of (start, end), strictly inside.

    The earlier one wins a tie; None when no year lies strictly between ``start`` and ``end``.

    Examples
    --------
    >>> middle_year([2010, 2012, 2015, 2020], 2010, 2020), middle_year([2010, 2020], 2010, 2020)
    (2015, None)
    """
    inside = [int(y) for y in years if int(start) < int(y) < int(end)]
    if not inside:
        return None
    mid = (int(start) + int(end)) / 2
    return min(inside, key=lambda y: (abs(y - mid), y))
