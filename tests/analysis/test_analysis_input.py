"""Tests of the input adapter shared by the analysis modules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis._input import align_like, as_array, as_labels, as_weights


@pytest.mark.parametrize(
    "x",
    [
        [1, 2, 3],
        (1.0, 2.0, 3.0),
        np.array([1, 2, 3], dtype=np.int32),
        pd.Series([1, 2, 3], dtype="Int64"),
        pd.DataFrame({"a": [1.0, 2.0, 3.0]}),
        np.array([[1.0], [2.0], [3.0]]),
    ],
    ids=["list", "tuple", "int32", "nullable", "frame", "column"],
)
def test_accepted_inputs(x):
    out = as_array(x)
    assert out.dtype == np.float64 and out.tolist() == [1.0, 2.0, 3.0]


def test_as_array_copies():
    a = np.array([1.0, 2.0])
    as_array(a)[0] = 99
    assert a[0] == 1.0


@pytest.mark.parametrize(
    "x, err, match",
    [
        (
            pd.Series([1, None, 3], dtype="Int64"),
            ValueError,
            r"missing value\(s\) at position\(s\) 1",
        ),
        (pd.DataFrame({"a": [1], "b": [2]}), TypeError, "one column"),
        (np.ones((2, 2)), ValueError, "1-D"),
        (5.0, TypeError, "expected a list"),
        ({"a": 1}, TypeError, "expected a list"),
        ([], ValueError, "no values"),
        (["x", "y"], ValueError, "numeric"),
        (list(range(10)) + [np.nan] * 7, ValueError, "7 missing.*10, 11, 12, 13, 14 and 2 more"),
    ],
)
def test_rejected_inputs(x, err, match):
    with pytest.raises(err, match=match):
        as_array(x)


def test_weights_and_labels():
    assert as_weights([0, 2], 2).tolist() == [0.0, 2.0]
    with pytest.raises(ValueError, match="negative weight"):
        as_weights([1, -1], 2)
    with pytest.raises(ValueError, match="lengths must match"):
        as_weights([1], 2)
    assert as_labels(pd.Series(["a", "b"]), 2).tolist() == ["a", "b"]
    with pytest.raises(ValueError, match="missing label"):
        as_labels(["a", np.nan], 2)


def test_align_like():
    y = pd.Series([1.0, 2.0, 3.0], index=["a", "b", "c"])
    w = pd.Series([30, 10, 20], index=["c", "a", "b"])
    assert align_like(y, w, "w").tolist() == [10, 20, 30]
    assert align_like([1, 2, 3], w, "w") is w  # positional when y is not a Series
    with pytest.raises(ValueError, match="regions differ"):
        align_like(y, pd.Series([1, 2, 3], index=["a", "b", "z"]), "w")
