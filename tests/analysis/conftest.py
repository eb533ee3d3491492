"""Shared fixtures for the analysis tests: input-type adapters and small data sets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

#: Tolerance for comparisons with PySAL on the same arrays (floating-point summation order
#: differs; the formulas are the same).
PYSAL_RTOL = 1e-10
PYSAL_ATOL = 1e-12

INPUT_TYPES = {
    "list": lambda a: [float(v) for v in a],
    "tuple": lambda a: tuple(float(v) for v in a),
    "ndarray": lambda a: np.asarray(a, dtype=float),
    "series": lambda a: pd.Series(a, index=[f"35.{i:02d}" for i in range(len(a))]),
    "column": lambda a: np.asarray(a, dtype=float).reshape(-1, 1),
}


@pytest.fixture(params=sorted(INPUT_TYPES))
def as_input(request):
    """Convert an array to each accepted input type in turn."""
    return INPUT_TYPES[request.param]


@pytest.fixture(scope="session")
def incomes():
    """Sixty log-normal per-capita values and integer populations (seeded)."""
    rng = np.random.default_rng(20240601)
    y = rng.lognormal(mean=3.0, sigma=0.6, size=60)
    pop = rng.integers(1, 6, size=60)
    groups = np.repeat(np.arange(6), 10)
    return y, pop, groups
