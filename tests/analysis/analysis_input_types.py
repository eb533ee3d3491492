"""The input types every analysis function accepts, as a parametrized fixture.

A module with its own name rather than a conftest.py: with ``--doctest-modules`` several
folders' conftest modules collide.
"""

import numpy as np
import pandas as pd
import pytest

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
